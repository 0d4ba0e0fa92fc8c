"""`wholeads build`, `update`, `sources` and `resolve`: getting evidence in."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from wholeads.cli import _globals
from wholeads.cli._db import connect, db_path
from wholeads.cli._output import CsvOption, DbOption, JsonOption, console, emit, print_json
from wholeads.convert import parse_date
from wholeads.errors import UserError
from wholeads.ingest.sources import SOURCE_IDS

if TYPE_CHECKING:
    from wholeads.ingest.update import Progress as Progress_
    from wholeads.ingest.update import UpdateResult

# The update itself, the query layer and the progress bar are imported by the commands that use
# them: an unchanged `update --mirror` answers from the inputs stamp (``ingest/stamp.py``)
# without loading DuckDB, numpy or pydantic.


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Progress_ | None]:
    """The update's steps as a bar on a terminal; nothing when stderr is piped."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from wholeads.cli._db import err

    if not enabled or not err.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("update", total=1)

        def report(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=max(total, 1))

        yield report


EXIT_SOURCES_FAILED = 3
"""Exit code of an update that replaced the database although some sources failed
(``--keep-going``: each kept its last good data). Errors that leave the database as it was
exit with 2, like every other error."""


def _failures(result: UpdateResult) -> None:
    """The failed sources, in a way that cannot be missed, then exit non-zero."""
    if not result.failed:
        return
    from wholeads.cli._db import err

    n = len(result.failed)
    err.print(
        f"\n[bold red]UPDATE INCOMPLETE: {n} source{'s' if n != 1 else ''} failed; the "
        "database was rebuilt, each failed source with its last good data where it had "
        "some:[/bold red]",
        highlight=False,
    )
    for run in result.failed:
        err.print(f"[red]  {run.id} — {run.status}: {run.error}[/red]", highlight=False)
    err.print(
        f"[red]exit code {EXIT_SOURCES_FAILED}; 'wholeads sources' shows every source's status, "
        "'wholeads problems' what was rejected[/red]",
        highlight=False,
    )
    raise typer.Exit(EXIT_SOURCES_FAILED)


def _summary(result: UpdateResult) -> None:
    if result.skipped:
        _say_up_to_date(result.db)
        return
    rows = []
    assert result.summary is not None
    for run in result.runs:
        counts = result.summary.rows.get(run.id, {})
        share = result.summary.resolved_share.get(run.id)
        rows.append(
            {
                "source": run.id,
                "status": run.status,
                **counts,
                "scores_resolved": f"{share:.1%}" if share is not None else None,
                "unmatched": result.summary.unmatched.get(run.id, 0),
                "origin": run.origin,
            }
        )
    emit(
        rows,
        [
            "source",
            "status",
            "models",
            "scores",
            "prices",
            "labs",
            "problems",
            "scores_resolved",
            "unmatched",
        ],
        as_json=False,
        as_csv=False,
        title=f"Update of {result.db}",
    )
    s = result.summary
    console.print(
        f"models: {s.models:,} ({s.provisional:,} provisional); "
        f"new: {len(result.new_models)}, changed: {len(result.changed_models)}; "
        f"fact conflicts between sources: {s.conflicts:,}; "
        f"unmatched names: {sum(s.unmatched.values()):,} "
        "(list them with 'wholeads unmatched')"
    )


def _say_up_to_date(db: Path) -> None:
    console.print(
        f"[green]up to date[/green]: inputs unchanged since the last build ({db}); "
        "use --force to rebuild"
    )


def update(
    mirror: Path | None = typer.Option(
        None, "--mirror", help="Folder laid out like shared/data (default: $WHOLEADS_MIRROR)."
    ),
    only: list[str] = typer.Option([], "--only", help="Update only this source (repeatable)."),
    offline: bool = typer.Option(False, "--offline", help="Never touch the network."),
    keep_going: bool = typer.Option(
        False, "--keep-going", help="Keep a failing source's last good data."
    ),
    base_url: str | None = typer.Option(
        None, "--base-url", help="Fetch from a mirror served over HTTP instead."
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild even if inputs are unchanged."),
    accept_shrink: list[str] = typer.Option(
        [],
        "--accept-shrink",
        help="Accept this source's new data even if it has far fewer rows than its last good "
        "data (upstream really shrank; repeatable).",
    ),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    watch: Path | None = typer.Option(
        None, "--watch", help="After the update, evaluate this watch file (exit 1 if it fired)."
    ),
) -> None:
    """Fetch every source, check it, resolve names and build a new database atomically.

    Exits 2 when the update failed (the database is as it was) and 3 when it replaced the
    database although some sources failed (--keep-going: they kept their last good data).
    With --watch, the watch file is evaluated after the update; an update that is otherwise
    complete exits 1 when a rule fired (failed sources keep exit 3).
    """
    if watch is not None:
        from wholeads.claims.watchfile import read_watch

        read_watch(watch)  # a malformed watch file fails before the update, not after
    from wholeads.ingest.stamp import mirror_from_env, up_to_date

    mirror = mirror or mirror_from_env()
    if mirror is not None and not mirror.is_dir():
        raise UserError(f"--mirror: {mirror} is not a folder")
    target = db_path(db)
    if mirror is not None and not (force or only or accept_shrink) and up_to_date(target, mirror):
        _skipped(target, as_json)  # the stamp says so; the full path below would agree
        if watch is not None:
            _after_watch(watch, db)
        return
    from wholeads.ingest.parallel import prestart

    prestart(only or None)  # its fork server imports the parsers while this imports the update
    from wholeads.cli._db import notify_waiting
    from wholeads.ingest.update import run_update

    online = mirror is None and not offline
    with _progress(not as_json) as report:
        result = run_update(
            target,
            mirror=mirror,
            online=online,
            only=only or None,
            keep_going=keep_going,
            base_url=base_url,
            force=force,
            accept_shrink=accept_shrink,
            progress=report,
            notify=notify_waiting,
        )
    if as_json:
        print_json(_as_json(result.db, result))
    else:
        _summary(result)
    _globals.left_large_heap()
    if watch is None:
        _failures(result)
        return
    from wholeads.cli.watch import report_watch

    fired = report_watch(watch, db)  # also after a partial update: the database was replaced
    _failures(result)
    if fired:
        _exit_fired()


def _after_watch(watch: Path, db: Path | None) -> None:
    from wholeads.cli.watch import report_watch

    if report_watch(watch, db):
        _exit_fired()


def _exit_fired() -> None:
    from wholeads.cli.watch import EXIT_FIRED

    raise typer.Exit(EXIT_FIRED)


def _as_json(db: Path, result: UpdateResult | None) -> dict[str, object]:
    """The update's outcome for --json (``None``: skipped, nothing read)."""
    summary = result.summary if result else None
    runs = result.runs if result else []
    return {
        "db": db,
        "skipped": result.skipped if result else True,
        "sources": [
            {
                "id": r.id,
                "status": r.status,
                "error": r.error,
                **(summary.rows.get(r.id, {}) if summary else {}),
            }
            for r in runs
        ],
        "resolved_share": summary.resolved_share if summary else {},
        "new_models": result.new_models if result else [],
        "changed_models": result.changed_models if result else [],
        "failed": [r.id for r in result.failed] if result else [],
    }


def _skipped(target: Path, as_json: bool) -> None:
    """An update that found its inputs unchanged, told as the full path tells it."""
    if as_json:
        print_json(_as_json(target, None))
    else:
        _say_up_to_date(target)


def build(
    mirror: Path | None = typer.Option(None, "--mirror", help="Also import this mirror folder."),
    db: Path | None = DbOption,
) -> None:
    """Build the database from the knowledge base plus whatever sources are available offline."""
    from wholeads.cli._db import notify_waiting
    from wholeads.ingest.stamp import mirror_from_env
    from wholeads.ingest.update import run_update

    mirror = mirror or mirror_from_env()
    with _progress(True) as report:
        result = run_update(
            db_path(db), mirror=mirror, force=True, progress=report, notify=notify_waiting
        )
    _summary(result)
    _globals.left_large_heap()


def sources(
    db: Path | None = DbOption, as_json: bool = JsonOption, as_csv: bool = CsvOption
) -> None:
    """Each source with license, URL, last update, rows and status."""
    from wholeads.query.sources import source_rows

    with connect(db) as con:
        seen = {k: dataclasses.asdict(v) for k, v in source_rows(con).items()}
    rows = []
    for source_id in SOURCE_IDS:
        from wholeads.ingest.sources import get_source

        spec = get_source(source_id).SPEC
        row = seen.get(source_id, {"status": "not imported"})
        rows.append(
            {
                "id": source_id,
                "license": spec.license,
                "url": spec.homepage,
                "updated_at": row.get("updated_at"),
                "scores": row.get("scores"),
                "models": row.get("models"),
                "prices": row.get("prices"),
                "problems": row.get("problems"),
                "status": row.get("status"),
                "error": row.get("error"),
            }
        )
    emit(
        rows,
        ["id", "license", "status", "updated_at", "models", "scores", "prices", "problems", "url"],
        as_json=as_json,
        as_csv=as_csv,
        title="Sources",
    )


def problems(
    source: str | None = typer.Option(None, "--source", help="Only this source."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    limit: int = typer.Option(200, "--limit", min=1),
) -> None:
    """What the last update could not read or rejected as implausible, each naming file, line
    and field."""
    if source and source not in SOURCE_IDS:
        raise UserError(f"--source: unknown '{source}'")
    from wholeads.query.sources import problem_rows

    with connect(db) as con:
        found = problem_rows(con, source, limit)
    rows = [{"source": p.source, "problem": p.message} for p in found]
    emit(rows, ["source", "problem"], as_json=as_json, as_csv=as_csv, title="Problems")


def resolve(
    name: str = typer.Argument(..., help="A name, or '-' to read one name per line on stdin."),
    source: str | None = typer.Option(None, "--source", help="Source the names come from."),
    kind: str = typer.Option("model", "--kind", help="model or lab"),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Date the name was used (picks the version a rolling API name "
        "such as deepseek-reasoner meant then; default: its meaning at launch).",
    ),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Resolve model or lab names to canonical ids (batch: one JSON object per line).

    Exits 1 when a single name resolves to nothing (with the closest ids); a batch exits 0 and
    gives null ids for the names that match nothing.
    """
    if kind not in ("model", "lab"):
        raise UserError("--kind: use 'model' or 'lab'")
    if source and source not in SOURCE_IDS:
        raise UserError(f"--source: unknown '{source}'")
    when = parse_date(as_of, "--as-of")
    from wholeads.query.catalog import labs_by_id, models_by_id
    from wholeads.query.resolver import load_resolver

    with connect(db) as con:
        resolver = load_resolver(con)
        labs = {lab.id: (lab.country, lab.ecosystem) for lab in labs_by_id(con).values()}
        models = {m.id: (m.family_id, m.lab_id) for m in models_by_id(con).values()}

    def one(raw: str) -> dict[str, object]:
        if kind == "lab":
            lab_id = resolver.resolve_lab(raw)
            country, eco = labs.get(lab_id, (None, None)) if lab_id else (None, None)
            return {"name": raw, "lab_id": lab_id, "country": country, "ecosystem": eco}
        match = resolver.resolve(raw, when)
        family_id, lab_id = (
            models.get(match.model_id, (None, None)) if match.model_id else (None, None)
        )
        country, eco = labs.get(lab_id, (None, None)) if lab_id else (None, None)
        return {
            "name": raw,
            "model_id": match.model_id,
            "family_id": family_id,
            "lab_id": lab_id,
            "country": country,
            "ecosystem": eco,
            "matched_by": match.matched_by,
            "setting": match.setting,
        }

    if name == "-" and as_csv:
        emit([one(line.rstrip("\n")) for line in sys.stdin], [], as_json=False, as_csv=True)
        return
    if name == "-":
        out = sys.stdout
        for line in sys.stdin:
            raw = line.rstrip("\n")
            out.write(json.dumps(one(raw), ensure_ascii=False) + "\n")
        return
    result = one(name)
    if as_json and not as_csv:
        print_json(result)  # one object, as scripts read it
    else:
        emit([result], list(result), as_json=as_json, as_csv=as_csv)
    if result.get("model_id" if kind == "model" else "lab_id") is None:
        _no_match(name, kind, db)


def _no_match(name: str, kind: str, db: Path | None) -> None:
    """A name that resolves to nothing: say so with the closest ids, and exit 1."""
    from wholeads.cli._db import err

    hint = ""
    if kind == "model":
        from wholeads.query.catalog import suggest

        with connect(db) as con:
            hint = f"; closest model ids: {', '.join(suggest(con, name))}"
    err.print(f"[yellow]no {kind} matches '{name}'{hint}. 'wholeads unmatched' lists the names "
              "sources use that match nothing.[/yellow]")  # fmt: skip
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("build")(build)
    app.command("update")(update)
    app.command("sources")(sources)
    app.command("problems")(problems)
    app.command("resolve")(resolve)
