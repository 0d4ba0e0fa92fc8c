"""Price providers under one id per provider: 'DeepSeek' and 'deepseek', 'fireworks',
'fireworks-ai' and 'fireworks_ai', 'together', 'together_ai' and 'togetherai' are one provider.

A provider that is a lab ('DeepSeek', 'x-ai', 'moonshotai') takes the lab's id; any other is its
lower-case letters and digits without an '-ai' / '_ai' suffix, and a glued 'ai' suffix is dropped
only when the rest is another spelling seen ('togetherai' -> 'together'; 'openai' stays).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wholeads.ingest.resolve import Resolver
from wholeads.store.tables import ProviderAliasRow

_AI_SUFFIX_RE = re.compile(r"[-_ ]ai$", re.I)


def _base(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", _AI_SUFFIX_RE.sub("", name.strip().casefold()))


def provider_ids(names: Iterable[str], resolver: Resolver) -> dict[str, str]:
    """Each provider spelling -> its provider id."""
    spellings = sorted({n for n in names if n and n.strip()})
    bases = {n: _base(n) for n in spellings}
    known = set(bases.values())
    out = {}
    for name in spellings:
        lab = resolver.resolve_lab(name)
        base = bases[name]
        if lab is not None:
            out[name] = lab
        elif base.endswith("ai") and base[:-2] in known:
            out[name] = base[:-2]
        else:
            out[name] = base or name.strip().casefold()
    return out


def provider_rows(names: Iterable[str | None], resolver: Resolver) -> list[ProviderAliasRow]:
    """The `provider_aliases` rows of the providers the prices name, sorted by spelling."""
    ids = provider_ids([n for n in names if n], resolver)
    return [ProviderAliasRow(alias=a, provider_id=p) for a, p in sorted(ids.items())]
