"""HEAD answered wherever GET is (RFC 9110): the GET route runs and its body is dropped.

FastAPI routes declare GET only, and Starlette answers HEAD on them with 405; this middleware
hands HEAD to the router as GET, keeps the status and headers (Content-Length included, as GET
would send them) and sends no body. Every route, present or future, is covered.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        sent_end = False

        async def headers_only(message: Message) -> None:
            nonlocal sent_end
            if message["type"] == "http.response.body":
                if sent_end or message.get("more_body", False):
                    return
                sent_end = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
