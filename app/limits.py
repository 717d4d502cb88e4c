"""A cap on request bodies, applied before any route or dependency (sign-in included) reads one.

Two unauthenticated 200 MB sign-in posts once took the server past a gigabyte: the body was read
into memory before anyone was asked who they were. This middleware answers 413 for a body whose
declared length is over the limit without calling the app at all, and stops a body sent without
a length (chunked) as soon as the bytes received pass the limit.

FastAPI's own `max_body_size` is not used: with a declared length over the limit it still calls
the app, refusing only once the body is read or an answer starts, and it answers in its own
shape rather than with our error page or body.
"""

from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = 413


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        megabytes = limit / 1_000_000
        super().__init__(TOO_LARGE, f"This is too large to send: the limit is {megabytes:g} MB.")


# How the refusal is answered (a page or JSON), so it looks like every other error.
Refusal = Callable[[Request, BodyTooLarge], Awaitable[Response]]


class BodyLimit:
    """Pure ASGI middleware: refuse request bodies over `limit` bytes with 413."""

    def __init__(self, app: ASGIApp, *, limit: int, refuse: Refusal) -> None:
        self.app = app
        self.limit = limit
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._answer(scope, receive, send)
            return
        started = False

        async def counted(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _Counter(receive, self.limit), counted)
        except BodyTooLarge:  # raised where no error handler saw it (outside the routes)
            if started:
                raise
            await self._answer(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.refuse(Request(scope, receive), BodyTooLarge(self.limit))
        response.headers["Connection"] = "close"  # the rest of the body is not read
        await response(scope, receive, send)


class _Counter:
    """A `receive` that counts the body's bytes and raises once they pass the limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.received = 0

    async def __call__(self) -> Message:
        message = await self.receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                raise BodyTooLarge(self.limit)
        return message


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length; counting still applies
    return None
