"""Jinja2 templates with autoescaping, and the filters that make numbers read like their units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from wholeads.units import age_text

HERE = Path(__file__).parent
STATIC = HERE / "static"
ECOSYSTEM_NAMES = {"US": "United States", "CN": "China", "EU": "Europe", "other": "Other"}


def num(value: Any, unit: str = "") -> str:
    """A value as its unit reads: Elo whole, percent one decimal, USD cents, FLOP two digits."""
    if value is None:
        return "—"
    if not isinstance(value, int | float):
        return str(value)
    u = unit.lower()
    if isinstance(value, int) and not isinstance(value, bool) and not u:
        return f"{value:,}"
    if "flop" in u:
        return f"{value:.2g}"
    if "usd" in u:
        return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
    if "token" in u or "elo" in u:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def short_unit(unit: str) -> str:
    """'Elo (LMArena text, coding)' -> 'Elo'; 'percent correct (GPQA)' -> 'points'."""
    head = unit.split("(")[0].strip().lower()
    if head.startswith("elo"):
        return "Elo"
    if head.startswith("percent"):
        return "pts"
    if head.startswith("usd"):
        return "USD/Mtok"
    return head


def schema_type(schema: dict[str, Any] | None) -> str:
    """An OpenAPI parameter schema in a few words: 'string ≤10', 'integer 1–50', 'array'."""
    if not schema:
        return ""
    if "anyOf" in schema:
        kinds = [schema_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(k for k in kinds if k)
    text = str(schema.get("type", ""))
    if "maxLength" in schema:
        text += f" ≤{schema['maxLength']} chars"
    if "minimum" in schema or "maximum" in schema:
        text += f" {schema.get('minimum', '')}–{schema.get('maximum', '')}"
    if "items" in schema:
        text += f" of {schema_type(schema['items'])}"
    return text


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=num, percent=percent, short_unit=short_unit, schema_type=schema_type, age=age_text
    )
    env.globals["ecosystem_names"] = ECOSYSTEM_NAMES
    return env


ENV = make_env()


def html(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status_code)


def render_text(template: str, **context: Any) -> str:
    return ENV.get_template(template).render(**context)
