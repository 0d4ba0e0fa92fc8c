"""The curated knowledge base: one YAML file per lab and per model family, validated on load.

Files live in ``kb/labs/<lab-id>.yaml`` and ``kb/models/<family-id>.yaml``; the id is the file name,
so it is never written twice. Validation names the file, the field and the fix.

This module holds only where the files are and the safe YAML reader, so that reading the domains
(``kb/domains.py``) does not build the labs' and models' pydantic schema; the loader itself is
``kb/loader.py`` (``load_kb``, ``KnowledgeBase`` and the rolling aliases are importable from here
too, loaded on first use).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from wholeads.errors import DataError

if TYPE_CHECKING:
    from wholeads.kb.loader import KnowledgeBase, RollingAlias, RollingPeriod, load_kb

__all__ = ["KB_ROOT", "KnowledgeBase", "RollingAlias", "RollingPeriod", "UniqueKeyLoader",
           "load_kb", "read_yaml"]  # fmt: skip

KB_ROOT = Path(str(resources.files("wholeads") / "kb"))
_LOADER_NAMES = frozenset({"KnowledgeBase", "RollingAlias", "RollingPeriod", "load_kb"})


def __getattr__(name: str) -> Any:
    """The loader's names, imported when first asked for."""
    if name in _LOADER_NAMES:
        from wholeads.kb import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'wholeads.kb' has no attribute '{name}'")


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe YAML loader that rejects duplicate mapping keys (PyYAML silently keeps the last) and
    keys that are lists or mappings (unhashable: they would crash the duplicate check)."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # '{[1]: 2}': a list or mapping as a key
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text, a number or a date", key_node.start_mark
            )
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file safely (no tags, no duplicate keys), naming the file on error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=str(path)) from None
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError(f"invalid YAML: {problem}", file=str(path), line=line) from None
