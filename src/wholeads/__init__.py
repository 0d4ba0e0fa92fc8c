"""wholeads: who leads in AI, and where, answered from public evidence.

The library (``wholeads.library``) is loaded on first use, so ``import wholeads`` and the
command line start fast::

    import wholeads
    wholeads.leaders(domain="coding").to_pandas()
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

PUBLIC = ("leaders", "gap", "frontier", "pareto", "models", "check", "advise")
__all__ = [
    "__version__",
    "advise",
    "check",
    "frontier",
    "gap",
    "leaders",
    "models",
    "pareto",
]

if TYPE_CHECKING:
    from wholeads.library import advise, check, frontier, gap, leaders, models, pareto


def __getattr__(name: str) -> Any:
    """``wholeads.leaders`` and the other questions, imported when first used."""
    if name in PUBLIC:
        return getattr(importlib.import_module("wholeads.library"), name)
    raise AttributeError(f"module 'wholeads' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *PUBLIC])
