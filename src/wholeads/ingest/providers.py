"""Price providers under one id per provider: 'DeepSeek' and 'deepseek', 'fireworks',
'fireworks-ai' and 'fireworks_ai', 'together', 'together_ai' and 'togetherai' are one provider.

A routed listing ('huggingface_groq') is the company it routes to; a spelling the curated file
``kb/providers.yaml`` folds (a company's regions, plans, API modes, product lines: 'vertex_ai',
'bedrock_converse', 'alibaba-cn') takes that company's id; a provider that is a lab ('DeepSeek',
'x-ai', 'moonshotai') takes the lab's id; any other is its lower-case letters and digits without
an '-ai' / '_ai' suffix, and a glued 'ai' suffix is dropped only when the rest is another
spelling seen ('togetherai' -> 'together'; 'openai' stays).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wholeads.ingest.resolve import Resolver
from wholeads.kb.providers import ProviderFolds, provider_folds
from wholeads.store.tables import ProviderAliasRow

_AI_SUFFIX_RE = re.compile(r"[-_ ]ai$", re.I)


def _base(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", _AI_SUFFIX_RE.sub("", name.strip().casefold()))


def provider_ids(
    names: Iterable[str], resolver: Resolver, folds: ProviderFolds | None = None
) -> dict[str, str]:
    """Each provider spelling -> its provider id (``folds``: the shipped file by default)."""
    folds = folds or provider_folds()
    spellings = sorted({n for n in names if n and n.strip()})
    served = {n: folds.routed_to(n) or n for n in spellings}  # who serves a routed listing
    bases = {n: _base(served[n]) for n in spellings}
    known = set(bases.values())
    out = {}
    for name in spellings:
        target = served[name]
        folded = folds.fold(target)
        lab = resolver.resolve_lab(target)
        base = bases[name]
        if folded is not None:
            out[name] = folded
        elif lab is not None:
            out[name] = lab
        elif base.endswith("ai") and base[:-2] in known:
            out[name] = base[:-2]
        else:
            out[name] = base or target.strip().casefold()
    return out


def provider_rows(names: Iterable[str | None], resolver: Resolver) -> list[ProviderAliasRow]:
    """The `provider_aliases` rows of the providers the prices name, sorted by spelling."""
    ids = provider_ids([n for n in names if n], resolver)
    return [ProviderAliasRow(alias=a, provider_id=p) for a, p in sorted(ids.items())]
