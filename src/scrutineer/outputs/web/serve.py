"""`scrutineer serve`: the dashboard on uvicorn, with a first administrator if there is none.

The latest snapshot's figures are computed in the background as the server starts, so the
first person to open the dashboard does not wait for them.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import socket
import threading
from collections.abc import Callable

import uvicorn
from sqlalchemy import Engine as Records
from starlette.applications import Starlette

from scrutineer.errors import PortInUse, ScrutineerError
from scrutineer.outputs.web.routes import create_app
from scrutineer.records.store import open_records
from scrutineer.records.users import add_user, count_users
from scrutineer.settings import Settings, load_settings


def first_admin(records: Records) -> str | None:
    """On first run, an administrator `admin` with a generated password (returned once)."""
    if count_users(records):
        return None
    return add_user(records, "admin", "Administrator", "admin")


def serve(
    settings: Settings,
    host: str,
    port: int,
    workers: int = 1,
    say: Callable[[str], None] = print,
) -> None:
    """Serve with `workers` processes, each computing the figures once. One is enough for
    the dashboard's target on two cores, and is right for a SQLite records store (processes
    writing the access log to one SQLite file wait for each other's locks); with PostgreSQL,
    one per core."""
    listening = listening_socket(host, port)  # first: a busy port is said before anything
    records = open_records(settings)
    password = first_admin(records)
    if password:
        say(f"First run: created the administrator 'admin' with password {password}")
    say(f"Scrutineer is serving on http://{host}:{port} (Ctrl-C to stop).")
    if workers == 1:
        config = uvicorn.Config(warmed_app(settings), log_level="warning")
        uvicorn.Server(config).run(sockets=[listening])
        return
    records.dispose()  # no connection is carried into the worker processes
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(settings.as_environment(), listening))
        for _ in range(workers)
    ]

    def stop(*_: object) -> None:
        for process in processes:
            process.terminate()

    signal.signal(signal.SIGTERM, stop)
    for process in processes:
        process.start()
    try:
        for process in processes:
            process.join()
    except KeyboardInterrupt:  # Ctrl-C reaches the workers too: they finish their requests
        for process in processes:
            process.join(10)


def listening_socket(host: str, port: int) -> socket.socket:
    """One socket that every worker accepts from. Made with its protocol named (TCP), so
    that asyncio switches Nagle's algorithm off on each connection: otherwise a small
    response can wait 40 ms for the client's delayed acknowledgement."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.socket(family, kind, proto)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listening.bind(address)
    except OSError as error:  # in use, or not an address of this machine
        raise PortInUse(host, port, error.strerror or str(error)) from None
    listening.listen(2048)
    listening.set_inheritable(True)
    return listening


def _worker(environment: dict[str, str], listening: socket.socket) -> None:
    os.environ.update(environment)
    app = warmed_app(load_settings())
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listening])


def warmed_app(settings: Settings) -> Starlette:
    """The app, with the latest snapshot's figures being computed in the background."""
    app = create_app(settings, open_records(settings))

    def warm() -> None:
        try:
            app.state.web.cache.snapshot()
        except ScrutineerError:  # no snapshot yet: the pages say so when asked
            return
        # The figures are millions of long-lived objects: moved out of the garbage
        # collector's sight, a full collection no longer pauses every request for seconds.
        gc.collect()
        gc.freeze()

    threading.Thread(target=warm, daemon=True).start()
    return app
