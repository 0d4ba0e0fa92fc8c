"""`wholeads watch`: evaluate a watch file as of a date; exit 1 when a rule fired (for cron).

Thin: ``wholeads.claims.watchfile`` parses, ``wholeads.query.watch`` evaluates; this module
parses options, prints and sets the exit code. ``wholeads update --watch FILE`` calls
``report_watch`` after the update.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from wholeads.cli._db import connect
from wholeads.cli._output import DbOption, JsonOption, console, print_json
from wholeads.convert import parse_date
from wholeads.errors import UserError

EXIT_FIRED = 1
MONTHLY_HELP = (
    "YYYY-MM: replay at every month end from this month to --as-of, each over its month "
    "(as a monthly cron would have run)."
)


def report_watch(
    path: Path,
    db: Path | None,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    as_json: bool = False,
) -> bool:
    """Evaluate and print a watch file; True when a rule fired."""
    from wholeads.claims.watchfile import read_watch
    from wholeads.query.watch import evaluate_watch, firing_dict

    wf = read_watch(path)  # a malformed file fails before the database is opened
    with connect(db, needs_evidence=True) as con:
        cs, firings = evaluate_watch(con, wf, as_of, since)
    fired = [f for f in firings if f.fired]
    if as_json:
        print_json({"file": str(path), "since": cs.since, "as_of": cs.until,
                    "fired": len(fired), "rules": [firing_dict(f) for f in firings]})  # fmt: skip
        return bool(fired)
    console.print(f"[bold]{path}[/bold]: {len(fired)} of {len(firings)} rules fired between "
                  f"{cs.since} and {cs.until}", highlight=False)  # fmt: skip
    for f in firings:
        mark = "[bold red]FIRED[/bold red]" if f.fired else "[dim]quiet[/dim]"
        console.print(f"{mark} {f.rule_id}: ", end="", highlight=False)
        console.print(f.detail, markup=False, highlight=False)
        for e in f.evidence if f.fired else ():
            where = e.url or e.file
            row = f":{e.row}" if e.row is not None else ""
            console.print(f"      evidence: {e.source} {e.date or ''}"
                          + (f" ({where}{row})" if where else ""),
                          markup=False, highlight=False, style="dim")  # fmt: skip
    return bool(fired)


def watch(
    file: Path | None = typer.Argument(
        None, help="A watch file (default: the example built from the article's 'what to watch')."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="YYYY-MM-DD (default: newest evidence)."
    ),
    since: str | None = typer.Option(
        None, "--since", help="Start of the window (default: the file's window_days before)."
    ),
    monthly_from: str | None = typer.Option(None, "--monthly-from", help=MONTHLY_HELP),
    as_json: bool = JsonOption,
    db: Path | None = DbOption,
) -> None:
    """Which rules fired in the window before --as-of, each with its evidence. Exits 1 when a
    rule fired, 0 when none did, 2 on a bad file or option."""
    from wholeads.claims.watchfile import EXAMPLE

    date, start = parse_date(as_of, "--as-of"), parse_date(since, "--since")
    first = parse_date(monthly_from, "--monthly-from")
    if first is not None:
        if start is not None:
            raise UserError("--since: not with --monthly-from (each month is its own window)")
        if replay_watch(file or EXAMPLE, db, first, date, as_json):
            raise typer.Exit(EXIT_FIRED)
        return
    if report_watch(file or EXAMPLE, db, date, start, as_json):
        raise typer.Exit(EXIT_FIRED)


def replay_watch(
    path: Path, db: Path | None, first: dt.date, until: dt.date | None, as_json: bool
) -> bool:
    """One line per month end: the rules that fired over that month; True when any did."""
    from wholeads.claims.watchfile import read_watch
    from wholeads.query.watch import firing_dict, replay_monthly

    wf = read_watch(path)
    with connect(db, needs_evidence=True) as con:
        months = replay_monthly(con, wf, first, until)
    if as_json:
        print_json([{"month_end": end, "fired": [firing_dict(f) for f in fs if f.fired]}
                    for end, fs in months])  # fmt: skip
    else:
        for end, fs in months:
            fired = ", ".join(f.rule_id for f in fs if f.fired) or "nothing"
            console.print(f"{end}  {fired}", highlight=False, markup=False)
    return any(f.fired for _, fs in months for f in fs)


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)
