"""The `goldenbell` command line, every command in one place, and the generator of the README's reference parts."""
