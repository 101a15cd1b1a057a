"""`scrutineer serve`: the dashboard on uvicorn, with a first administrator if there is none.

The latest snapshot's figures are computed in the background as the server starts, so the
first person to open the dashboard does not wait for them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import uvicorn
from sqlalchemy import Engine as Records

from scrutineer.errors import ScrutineerError
from scrutineer.outputs.web.app import create_app
from scrutineer.records.store import open_records
from scrutineer.records.users import add_user, count_users
from scrutineer.settings import Settings


def first_admin(records: Records) -> str | None:
    """On first run, an administrator `admin` with a generated password (returned once)."""
    if count_users(records):
        return None
    return add_user(records, "admin", "Administrator", "admin")


def serve(settings: Settings, host: str, port: int, say: Callable[[str], None] = print) -> None:
    records = open_records(settings)
    password = first_admin(records)
    if password:
        say(f"First run: created the administrator 'admin' with password {password}")
    app = create_app(settings, records)

    def warm() -> None:
        try:
            app.state.web.cache.snapshot()
        except ScrutineerError as error:  # no snapshot yet: pages say so when asked
            say(str(error))

    threading.Thread(target=warm, daemon=True).start()
    say(f"Scrutineer is serving on http://{host}:{port} (Ctrl-C to stop).")
    uvicorn.run(app, host=host, port=port, log_level="warning")
