"""What every response and request passes through (outputs/web/guards.py): the security
headers on a 500 and on a refusal too, no caching but of static files, and a limit on the
size of a request's body, given or not in its Content-Length."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from scrutineer.outputs.web.guards import HEADERS, MAX_BODY_BYTES, BodyLimit, SecurityHeaders
from scrutineer.outputs.web.routes import create_app
from tests.support.web import WebData


def secured(headers: Any) -> bool:
    return all(headers.get(name.decode()) == value.decode() for name, value in HEADERS.items())


def test_a_server_error_carries_the_security_headers() -> None:
    async def boom(request: Request) -> PlainTextResponse:
        raise RuntimeError("a fault in a page")

    app = Starlette(routes=[Route("/boom", boom)])
    app.add_middleware(SecurityHeaders)
    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert response.headers["content-type"].startswith("text/html")  # a page, in the site's style
    assert '<link rel="stylesheet" href="/static/style.css">' in response.text
    assert secured(response.headers) and response.headers["cache-control"] == "no-store"
    assert "a fault in a page" not in response.text  # no traceback to the browser


def test_pages_are_never_cached_static_files_may_be(web_data: WebData) -> None:
    client = TestClient(create_app(web_data.settings, web_data.records))
    page = client.get("/login")
    assert page.headers["cache-control"] == "no-store" and secured(page.headers)
    style = client.get("/static/style.css")
    assert style.status_code == 200 and "no-store" not in style.headers.get("cache-control", "")
    assert secured(style.headers)


def test_a_body_over_the_limit_is_refused_before_it_is_read(web_data: WebData) -> None:
    client = TestClient(create_app(web_data.settings, web_data.records))
    big = b"username=" + b"a" * MAX_BODY_BYTES
    declared = client.post("/login", content=big, headers={"content-type": "text/plain"})
    assert declared.status_code == 413 and secured(declared.headers)

    def chunks() -> Iterator[bytes]:  # sent without a Content-Length
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"a" * 65536

    streamed = client.post("/login", content=chunks())
    assert streamed.status_code == 413 and "over the 1,024 KB" in streamed.text
    assert client.post("/login", data={"username": "x"}).status_code != 413


def test_a_body_within_the_limit_reaches_the_page_whole() -> None:
    async def echo(request: Request) -> PlainTextResponse:
        return PlainTextResponse(str(len(await request.body())))

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"])])
    app.add_middleware(BodyLimit, limit=1000)
    client = TestClient(app)
    assert client.post("/echo", content=b"x" * 1000).text == "1000"
    assert client.post("/echo", content=(b"x" * 100 for _ in range(10))).text == "1000"
    assert client.post("/echo", content=b"x" * 1001).status_code == 413
