"""The domains file: every domain the article asks about is defined, and bad files are rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from wholeads.errors import DataError, UserError
from wholeads.kb.domains import EvidenceSpec, get_domain, load_domains

REQUIRED = {
    "general", "reasoning", "math", "coding", "agentic", "vision", "long_context",
    "image_generation", "video_generation", "chinese_language", "small_models", "price",
    "training_compute",
}  # fmt: skip


def test_packaged_domains_cover_the_article() -> None:
    domains = load_domains()
    assert set(domains) >= REQUIRED
    assert all(d.evidence and all(e.why.strip() for e in d.evidence) for d in domains.values())
    assert domains["price"].higher_is_better is False
    assert domains["small_models"].max_params_b == 32


def test_unknown_field_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "domains.yaml"
    path.write_text(
        "general:\n  name: G\n  unit: Elo\n  description: d\n  evidence:\n"
        "    - benchmark: x\n      combine: snapshot\n      scale: elo\n      unit: Elo\n"
        "      why: w\n      weight: 2\n"
    )
    with pytest.raises(DataError) as err:
        load_domains(path)
    assert str(path) in str(err.value) and "general.evidence.0.weight" in str(err.value)


def test_kind_needs_its_field(tmp_path: Path) -> None:
    path = tmp_path / "domains.yaml"
    path.write_text(
        "price:\n  name: P\n  unit: USD\n  description: d\n  evidence:\n"
        "    - kind: price\n      combine: snapshot\n      scale: usd\n"
        "      unit: USD\n      why: w\n"
    )
    with pytest.raises(DataError, match="needs 'gate'"):
        load_domains(path)


def test_unknown_domain_is_a_user_error() -> None:
    with pytest.raises(UserError, match="unknown domain 'nope'"):
        get_domain("nope")


def test_setting_rules() -> None:
    base = {"benchmark": "b", "combine": "latest", "scale": "percent", "unit": "%", "why": "w"}
    none = EvidenceSpec(**base)
    assert none.accepts_setting(None) and not none.accepts_setting("style_control")
    exact = EvidenceSpec(**base, setting="style_control")
    assert exact.accepts_setting("style_control") and not exact.accepts_setting(None)
    part = EvidenceSpec(**base, setting="any", with_part="120k", without_parts=("unverified",))
    assert part.accepts_setting("high; 120k") and part.accepts_setting("120k")
    assert not part.accepts_setting("high; 60k")
    assert not part.accepts_setting("120k; unverified")


GOOD_ENTRY = (
    "    - benchmark: x\n      combine: snapshot\n      scale: elo\n      unit: Elo\n      why: w\n"
)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ("  name: G\n  unit: Elo\n  evidence:\n" + GOOD_ENTRY, "general.description", "missing"),
        ("  name: G\n  unit: Elo\n  description: d\n  evidence: []\n", "general.evidence",
         "at least 1"),
        ("  name: G\n  unit: Elo\n  description: d\n  freshness_days: -3\n  evidence:\n"
         + GOOD_ENTRY, "general.freshness_days", "greater than 0"),
        ("  name: G\n  unit: Elo\n  description: d\n  higher_is_better: maybe\n  evidence:\n"
         + GOOD_ENTRY, "general.higher_is_better", "boolean"),
        ("  name: G\n  unit: Elo\n  description: d\n  evidence:\n"
         + GOOD_ENTRY.replace("scale: elo", "scale: stars"), "general.evidence.0.scale",
         "'elo'"),
        ("  name: G\n  unit: Elo\n  description: d\n  evidence:\n"
         + GOOD_ENTRY.replace("      why: w\n", ""), "general.evidence.0.why", "missing"),
    ],
)  # fmt: skip
def test_bad_values_name_the_domain_and_field(
    tmp_path: Path, body: str, field: str, words: str
) -> None:
    path = tmp_path / "domains.yaml"
    path.write_text("general:\n" + body)
    with pytest.raises(DataError) as err:
        load_domains(path)
    assert str(path) in str(err.value) and f"'{field}'" in str(err.value)
    assert words in str(err.value)


def test_a_domain_id_must_be_snake_case(tmp_path: Path) -> None:
    path = tmp_path / "domains.yaml"
    path.write_text("General-AI:\n  name: G\n  unit: Elo\n  description: d\n  evidence:\n"
                    + GOOD_ENTRY)  # fmt: skip
    with pytest.raises(DataError, match=r"General-AI\.id"):
        load_domains(path)


def test_numbers_read_as_their_type(tmp_path: Path) -> None:
    path = tmp_path / "domains.yaml"
    path.write_text("small:\n  name: S\n  unit: Elo\n  description: d\n  max_params_b: 32\n"
                    "  evidence:\n" + GOOD_ENTRY)  # fmt: skip
    (small,) = load_domains(path).values()
    assert small.max_params_b == 32.0 and isinstance(small.max_params_b, float)
    assert small.freshness_days == 90 and small.evidence[0].without_parts == ()
