"""What every request passes through, whatever its route: the security headers on every
response (a 500 and a refusal here included), no caching of anything but static files
(a page may hold children's records), and a limit on the size of a request's body.

Starlette's own error page is sent from outside every middleware, so without its headers:
`SecurityHeaders` sends the 500 itself when the app fails before it began to answer, and
then lets the error go on to be logged.
"""

from __future__ import annotations

from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    b"content-security-policy": b"default-src 'self'; img-src 'self' data:; "
    b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
}
NO_STORE = (b"cache-control", b"no-store")  # every response but a static file's
MAX_BODY_BYTES = 1 << 20  # a form is a few kilobytes; nothing is uploaded through the web
FAILED = (
    "Something went wrong on the server; it has been logged. Try again, or tell an administrator."
)
# the page of a 500, made with nothing that could fail again (no template, no database)
FAILED_PAGE = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Something went wrong · Scrutineer</title>"
    '<link rel="stylesheet" href="/static/style.css">'
    '</head><body><header class="top"><a class="brand" href="/">Scrutineer</a></header>'
    f'<main id="main"><h1>Something went wrong</h1><p class="error">{FAILED}</p>'
    '<p><a href="/">Back to the overview</a></p></main></body></html>\n'
)


class SecurityHeaders:
    """Adds the security headers to every response, and `Cache-Control: no-store` to every
    one but a static file's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        started = False

        async def add(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0] != NO_STORE[0]]
                message["headers"] = [*headers, *HEADERS.items(), *([] if static else [NO_STORE])]
            await send(message)

        try:
            await self.app(scope, receive, add)
        except Exception:
            if not started:
                await HTMLResponse(FAILED_PAGE, 500)(scope, receive, add)
            raise


class BodyLimit:
    """Refuses (413) a request whose body is over MAX_BODY_BYTES, before the app reads it:
    by its Content-Length, or as it arrives when it gives none."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._refuse(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        text = f"The request is over the {self.limit // 1024:,} KB a form can send."
        await PlainTextResponse(text, 413)(scope, receive, send)
