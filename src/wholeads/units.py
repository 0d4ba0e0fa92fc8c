"""How values read in tables, reports and pages: one formatter for every unit."""

from __future__ import annotations


def fmt(value: float | None, unit: str) -> str:
    """A value as its unit reads: Elo and tokens whole, percent 1 decimal, USD 2 decimals,
    FLOP 2 significant digits; missing values as a dash."""
    if value is None:
        return "—"
    u = unit.lower()
    if "flop" in u:
        return f"{value:.2g}"
    if "usd" in u:
        return f"${value:,.2f}"
    if "elo" in u or "token" in u:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def age_text(days: int | None) -> str:
    """An evidence age as people say it: '0 days', '12 days', '8 months', '2.1 years'."""
    if days is None:
        return "unknown age"
    if days <= 0:
        return "0 days"
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{round(days / 30.4375)} months"
    return f"{days / 365.25:.1f} years"
