"""Every setting goldenbell reads, declared once with its environment variable, default and
meaning; and the project root."""
