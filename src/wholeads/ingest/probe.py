"""Is the network there? One probe, remembered for ``PROBE_TTL``.

Offline, a probe costs its whole timeout (3 s), so a command must not pay it on every call: the
answer is kept in the cache folder (``network-probe.json``) and reused while it is younger than
``PROBE_TTL`` (15 minutes), for the same probe URL. ``WHOLEADS_OFFLINE`` set means offline with
no probe at all. Callers ask only when the database lacks the evidence a query needs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path

from wholeads.ingest.safefile import write_atomic

OFFLINE_ENV = "WHOLEADS_OFFLINE"
PROBE_URL_ENV = "WHOLEADS_PROBE_URL"
PROBE_URL = "https://models.dev/api.json"
PROBE_TTL = dt.timedelta(minutes=15)
PROBE_TIMEOUT_SECONDS = 3.0
STATE_FILE = "network-probe.json"


def probe_url() -> str:
    """The URL probed: a public source, or ``WHOLEADS_PROBE_URL`` (tests, internal mirrors)."""
    return os.environ.get(PROBE_URL_ENV) or PROBE_URL


def reachable(url: str) -> bool:
    """One HEAD request: True when the server answers at all."""
    import httpx  # only when a probe is really made

    try:
        httpx.head(url, timeout=PROBE_TIMEOUT_SECONDS, follow_redirects=True)
    except httpx.HTTPError:
        return False
    return True


def online(
    cache: Path,
    *,
    now: dt.datetime | None = None,
    probe: Callable[[str], bool] | None = None,
) -> bool:
    """True when the public sources answer: the remembered answer while it is fresh, else a new
    probe (remembered in ``cache``). Never probes when ``WHOLEADS_OFFLINE`` is set."""
    if os.environ.get(OFFLINE_ENV):
        return False
    url = probe_url()
    moment = now or dt.datetime.now(dt.UTC)
    state = cache / STATE_FILE
    remembered = _remembered(state, url, moment)
    if remembered is not None:
        return remembered
    answer = (probe or reachable)(url)
    doc = {"url": url, "online": answer, "checked_at": moment.isoformat()}
    with contextlib.suppress(OSError):  # an unwritable cache only costs the next call a probe
        write_atomic(state, [json.dumps(doc).encode()])
    return answer


def _remembered(state: Path, url: str, now: dt.datetime) -> bool | None:
    """The stored answer for ``url`` if younger than the TTL (and not from the future)."""
    try:
        doc = json.loads(state.read_text(encoding="utf-8"))
        checked = dt.datetime.fromisoformat(doc["checked_at"])
        answer = doc["online"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if doc.get("url") != url or not isinstance(answer, bool):
        return None
    if not dt.timedelta(0) <= now - checked < PROBE_TTL:
        return None
    return answer
