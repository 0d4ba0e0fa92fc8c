"""`wholeads serve`: the web dashboard (FastAPI, server-rendered) over one database, read-only."""

from __future__ import annotations

from pathlib import Path

import typer

from wholeads.cli._db import connect, db_path
from wholeads.cli._output import DbOption, console


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: Path | None = DbOption,
) -> None:
    """Serve the dashboard: leaders, domains, models, labs, compare, search, advisor, claims."""
    import uvicorn

    from wholeads.web import create_app

    with connect(db, needs_evidence=True):  # builds or fetches first, as every query does
        pass
    app = create_app(db_path(db))
    console.print(f"wholeads dashboard on http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
