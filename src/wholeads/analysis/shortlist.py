"""Choosing models across ecosystems: memory to run locally, constraints, ranking, reasons.

Pure: the candidates (one per model, with its domain score and facts) come from
``wholeads.query.advice``; this module filters them by the user's constraints, ranks them, keeps the
best of each ecosystem visible, and says why each model is in or out.

Memory to run locally: weights = TOTAL parameters x bits / 8 bytes (a mixture-of-experts model
must hold every expert in memory, so its active parameters do not reduce it), times
``RUNTIME_OVERHEAD`` for the KV cache at a modest context, activations and runtime buffers.
GB are 10^9 bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from wholeads.errors import UserError

PERMISSIVE_LICENSES = frozenset(
    {
        "mit",
        "mit-0",
        "apache-2.0",
        "bsd-2-clause",
        "bsd-3-clause",
        "bsd-3-clause-clear",
        "0bsd",
        "isc",
        "zlib",
        "unlicense",
        "bsl-1.0",
        "upl-1.0",
        "ncsa",
    }
)
"""OSI-approved permissive licenses (SPDX ids, lower case): use, modify and redistribute with
attribution only. Copyleft (GPL, AGPL), research-only and 'community' licenses with usage caps
(Llama, Gemma, Qwen research, DeepSeek License, Tencent Hunyuan) are not permissive."""

_LICENSE_SPELLINGS = {
    "apache 2.0": "apache-2.0",
    "apache2": "apache-2.0",
    "apache-2": "apache-2.0",
    "apache license 2.0": "apache-2.0",
    "apache": "apache-2.0",
    "mit license": "mit",
    "bsd-3": "bsd-3-clause",
    "bsd 3-clause": "bsd-3-clause",
    "bsd-2": "bsd-2-clause",
}

BITS = (4, 8, 16)
RUNTIME_OVERHEAD = 1.2
"""Memory beyond the weights (KV cache at a few thousand tokens, activations, CUDA/runtime
buffers): +20%, a common rule of thumb for single-user local inference."""


def normalize_license(text: str | None) -> str | None:
    """A license as a lower-case SPDX-like id ('Apache 2.0' -> 'apache-2.0')."""
    if text is None:
        return None
    key = re.sub(r"\s+", " ", text.strip().casefold())
    return _LICENSE_SPELLINGS.get(key, key)


def is_permissive(license_text: str | None) -> bool:
    """True for an OSI permissive license (see ``PERMISSIVE_LICENSES``)."""
    return normalize_license(license_text) in PERMISSIVE_LICENSES


def memory_gb(params_total_b: float | None, bits: int) -> float | None:
    """GB needed to run a model locally at a weight precision, overhead included."""
    if params_total_b is None:
        return None
    return round(params_total_b * bits / 8 * RUNTIME_OVERHEAD, 1)


@dataclass(frozen=True)
class Candidate:
    """One model in the domain's evidence as of the date, with the facts constraints need."""

    model_id: str
    name: str | None
    lab_id: str | None
    country: str | None
    ecosystem: str | None
    score: float
    ci_low: float | None
    ci_high: float | None
    evidence: str
    source: str | None
    date: dt.date | None
    price: float | None
    """Blended USD per 1M tokens (3 input : 1 output), median over providers on the date."""
    context_window: int | None
    license: str | None
    open_weights: bool | None
    params_total_b: float | None
    params_active_b: float | None
    architecture: str | None

    def memory(self) -> dict[str, float | None]:
        """GB to run locally at 4, 8 and 16 bits (from total parameters)."""
        return {f"{b}bit": memory_gb(self.params_total_b, b) for b in BITS}


@dataclass(frozen=True)
class Constraint:
    """A named filter: a predicate and the reason a model fails it."""

    name: str
    """As the user gave it, e.g. '--vram 48'."""
    check: Callable[[Candidate], str | None]
    """None when the model passes, else why it does not."""


def _open(c: Candidate) -> str | None:
    if c.open_weights is None:
        return "open weights unknown"
    return None if c.open_weights else "closed weights"


def check_limit(value: float | None, name: str) -> float | None:
    """A numeric constraint (price, context, memory): finite and not negative. NaN compares false
    with everything, so it would silently keep every model; infinity is no limit at all."""
    if value is None:
        return None
    if not math.isfinite(value):
        raise UserError(f"{name}: '{value}' is not a finite number")
    if value < 0:
        raise UserError(f"{name}: must not be negative")
    return value


def constraints_for(
    *,
    open_weights: bool | None = None,
    license: str | None = None,
    max_price: float | None = None,
    min_context: int | None = None,
    vram_gb: float | None = None,
    exclude_countries: Sequence[str] = (),
    ecosystems: Sequence[str] = (),
) -> list[Constraint]:
    """The user's constraints, in a fixed order (jurisdiction first, hardware last)."""
    out: list[Constraint] = []
    if ecosystems:
        allowed = {e.casefold() for e in ecosystems}
        out.append(Constraint(
            f"--ecosystem {' '.join(ecosystems)}",
            lambda c: None if (c.ecosystem or "").casefold() in allowed
            else f"ecosystem {c.ecosystem or 'unknown'} not in {', '.join(ecosystems)}",
        ))  # fmt: skip
    if exclude_countries:
        banned = {x.upper() for x in exclude_countries}
        out.append(Constraint(
            f"--exclude-country {' '.join(sorted(banned))}",
            lambda c: f"lab {c.lab_id} is in {c.country} (excluded)" if c.country in banned
            else ("lab country unknown" if c.country is None else None),
        ))  # fmt: skip
    if open_weights:
        out.append(Constraint("--open-weights", _open))
    if open_weights is False:
        out.append(Constraint("--closed-weights", lambda c: None if c.open_weights is False
                              else "open weights (or unknown)"))  # fmt: skip
    if license == "permissive":
        out.append(Constraint(
            "--license permissive",
            lambda c: None if is_permissive(c.license)
            else f"license {c.license or 'unknown'} is not OSI permissive",
        ))  # fmt: skip
    elif license is not None:
        want = normalize_license(license)
        out.append(Constraint(
            f"--license {license}",
            lambda c: None if normalize_license(c.license) == want
            else f"license {c.license or 'unknown'} is not {license}",
        ))  # fmt: skip
    if max_price is not None:
        out.append(Constraint(
            f"--max-price {max_price:g}",
            lambda c: "no price known" if c.price is None
            else (None if c.price <= max_price else f"price ${c.price:.2f} > ${max_price:g}"),
        ))  # fmt: skip
    if min_context is not None:
        out.append(Constraint(
            f"--min-context {min_context}",
            lambda c: "context window unknown" if c.context_window is None
            else (None if c.context_window >= min_context
                  else f"context {c.context_window:,} < {min_context:,}"),
        ))  # fmt: skip
    if vram_gb is not None:
        out.append(Constraint(f"--vram {vram_gb:g}", lambda c: _fits(c, vram_gb)))
    return out


def _fits(c: Candidate, vram_gb: float) -> str | None:
    if c.open_weights is not True:
        return "cannot run locally: " + (_open(c) or "closed weights")
    need = memory_gb(c.params_total_b, 4)
    if need is None:
        return "parameter count not disclosed: memory unknown"
    if need > vram_gb:
        return f"needs {need:g} GB at 4-bit ({c.params_total_b:g}B total params) > {vram_gb:g} GB"
    return None


@dataclass
class Filtered:
    """Models kept, models excluded (with the first constraint they fail), and what bound."""

    kept: list[Candidate]
    excluded: list[dict[str, str]]
    binding_constraint: str | None
    """When nothing is kept: the constraint that removed the last candidates."""
    remaining_after: list[tuple[str, int]] = field(default_factory=list)
    """How many candidates were left after each constraint, in order."""


def apply_constraints(cands: Sequence[Candidate], constraints: Sequence[Constraint]) -> Filtered:
    """Constraints applied in order; each excluded model names the first one it fails."""
    left = list(cands)
    excluded: list[dict[str, str]] = []
    binding = None
    trail: list[tuple[str, int]] = []
    for con in constraints:
        keep = []
        for c in left:
            why = con.check(c)
            if why is None:
                keep.append(c)
            else:
                excluded.append({"model_id": c.model_id, "constraint": con.name, "reason": why})
        if left and not keep:
            binding = con.name
        left = keep
        trail.append((con.name, len(left)))
    return Filtered(left, excluded, binding, trail)


def rank(cands: Sequence[Candidate], higher_is_better: bool = True) -> list[Candidate]:
    """Best score first; ties: cheaper, then model id."""
    sign = -1 if higher_is_better else 1
    inf = float("inf")
    return sorted(cands, key=lambda c: (sign * c.score, c.price or inf, c.model_id))


def best_by_ecosystem(ranked: Sequence[Candidate]) -> dict[str, Candidate]:
    """The first (best) candidate of each ecosystem in a ranked list."""
    best: dict[str, Candidate] = {}
    for c in ranked:
        best.setdefault(c.ecosystem or "unknown", c)
    return best


def shortlist(ranked: Sequence[Candidate], top: int) -> list[Candidate]:
    """The top ``top`` models, with each ecosystem's best guaranteed a place so the list spans
    ecosystems (the lowest-ranked others make room), in rank order."""
    if top <= 0:
        return []
    guaranteed = list(best_by_ecosystem(ranked).values())[:top]
    chosen = {c.model_id for c in guaranteed}
    for c in ranked:
        if len(chosen) >= top:
            break
        chosen.add(c.model_id)
    return [c for c in ranked if c.model_id in chosen]


def why_chosen(c: Candidate, position: int, eco_rank: int, unit: str) -> str:
    """One line: the rank, the score and where it comes from, and what it costs."""
    ci = ""
    if c.ci_low is not None and c.ci_high is not None:
        ci = (
            f" [{c.ci_low:,.0f}–{c.ci_high:,.0f}]"
            if unit == "Elo"
            else f" [{c.ci_low:g}–{c.ci_high:g}]"
        )
    price = "no price known" if c.price is None else f"${c.price:.2f}/Mtok"
    side = f"best {c.ecosystem}" if eco_rank == 1 else f"#{eco_rank} {c.ecosystem}"
    return (
        f"#{position} overall, {side}: {c.score:,.1f} {unit}{ci} on {c.evidence} "
        f"({c.source}, {c.date}); {price}"
    )
