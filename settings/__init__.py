"""Every setting goldenbell reads, declared once with its environment variable, default and
meaning; the project root; and how what goldenbell keeps is made its user's only (umask 077,
folders 0700, files 0600)."""
