"""Domain errors. They become exit codes (CLI) or HTTP statuses (web) only at the boundary."""

from __future__ import annotations


class WholeadsError(Exception):
    """Base of every error wholeads raises on purpose."""


class UserError(WholeadsError):
    """Bad input from the user: an unknown name, a bad date, a bad filter. Exit code 2."""


class BudgetError(UserError):
    """A request would cost more than its budget (a claims file too costly for the web): HTTP
    413. The message names the limit."""


class DataError(WholeadsError):
    """A data file (knowledge base or source) is malformed. The message names file, line, field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        where = ""
        if file:
            where = file + (f":{line}" if line is not None else "")
        parts = [p for p in (where, f"field '{field}'" if field else "") if p]
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)
        self.file = file
        self.line = line
        self.field = field


class DatabaseError(WholeadsError):
    """A database file that exists but cannot be used: locked by another process, damaged, not a
    DuckDB file, not a wholeads database, or built by another version. Names the file and cause."""


class ConvergenceError(WholeadsError):
    """A numerical fit did not converge; says after how many iterations."""


class NotFittableError(WholeadsError):
    """Input that cannot be fitted (e.g. no battles left after filtering)."""


class MissingEvidenceError(WholeadsError):
    """No evidence in the database for what was asked, and no way to fetch it here."""
