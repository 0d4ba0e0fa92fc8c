"""The web dashboard (`wholeads serve`): server-rendered pages, each with a JSON twin under /api.

Read-only over one database file; see app.create_app.
"""

from __future__ import annotations

from wholeads.web.app import create_app

__all__ = ["create_app"]
