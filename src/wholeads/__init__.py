"""wholeads: who leads in AI, and where, answered from public evidence."""

__version__ = "0.1.0"
