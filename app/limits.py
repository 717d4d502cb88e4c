"""A cap on request bodies, applied before any route or dependency (sign-in included) reads one.

Two unauthenticated 200 MB sign-in posts once took the server past a gigabyte: the body was read
into memory before anyone was asked who they were. This middleware answers 413 for a body whose
declared length is over the limit without calling the app at all, and stops a body sent without
a length (chunked) as soon as the bytes received pass the limit.

FastAPI's own `max_body_size` is not used: with a declared length over the limit it still calls
the app, refusing only once the body is read or an answer starts, and it answers in its own
shape rather than with our error page or body.
"""

import re
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

    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        refuse: Refusal,
        larger: tuple[re.Pattern[str], int] | None = None,
    ) -> None:
        self.app = app
        self.limit = limit
        self.refuse = refuse
        # (paths, limit): a form post to one of these paths may carry a file up to that limit.
        self.larger = larger

    def _limit(self, scope: Scope) -> int:
        """The larger limit only for a signed-in multipart POST to an upload path.

        Anyone else keeps the small one, so an anonymous client cannot send large bodies at all.
        """
        if self.larger is None or scope.get("method") != "POST":
            return self.limit
        paths, larger = self.larger
        headers = dict(scope["headers"])
        form = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        signed_in = b"ics_session=" in headers.get(b"cookie", b"") or headers.get(
            b"authorization", b""
        ).lower().startswith(b"bearer ")
        if form and signed_in and paths.fullmatch(scope.get("path", "")):
            return larger
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._answer(scope, receive, send, limit)
            return
        started = False

        async def counted(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _Counter(receive, limit), counted)
        except BodyTooLarge:  # raised where no error handler saw it (outside the routes)
            if started:
                raise
            await self._answer(scope, receive, send, limit)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = await self.refuse(Request(scope, receive), BodyTooLarge(limit))
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
