"""`python -m wholeads` runs the command line."""

from wholeads.cli import run

if __name__ == "__main__":  # spawned workers import this module without running the CLI
    run()
