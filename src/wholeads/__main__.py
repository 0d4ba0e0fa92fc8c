"""`python -m wholeads` runs the command line."""

from wholeads.cli import main

main()
