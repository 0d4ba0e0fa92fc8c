"""Every command and every environment setting is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from wholeads.cli import COMMANDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SETTINGS = (
    "WHOLEADS_DB",
    "WHOLEADS_MIRROR",
    "WHOLEADS_SHARED_DATA",
    "WHOLEADS_ECOSYSTEMS",
    "WHOLEADS_OFFLINE",
    "WHOLEADS_CONTRACT_EXAMPLES",
)


def _commands() -> list[str]:
    return sorted(COMMANDS)


@pytest.mark.parametrize("command", _commands())
def test_command_is_in_the_readme(command: str) -> None:
    assert f"wholeads {command}" in README, f"document 'wholeads {command}' in README.md"


@pytest.mark.parametrize("setting", SETTINGS)
def test_setting_is_in_the_readme(setting: str) -> None:
    assert setting in README, f"document {setting} in README.md"
