"""The model-name grammar: a raw model string -> its parts (route, vendor, family, version, size,
tier, mode, checkpoint, settings), and the identity key two spellings of one model share.

Pure and table-driven: the word lists are in ``vocab.py``, date forms in ``dates.py``, routes and
vendor prefixes in ``routes.py``; ``grammar.parse`` puts them together. Resolution (which model a
key names) is ``wholeads.ingest.resolve``.
"""

from wholeads.ingest.names.dates import Checkpoint
from wholeads.ingest.names.grammar import NameParts, Setting, parse

__all__ = ["Checkpoint", "NameParts", "Setting", "parse"]
