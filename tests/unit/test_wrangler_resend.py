"""The wrangler bridge's resend rule: only the proxy's "restarted mid-request" 503 (the
request never reached the worker) is sent again; any other answer comes back as is."""

from __future__ import annotations

from collections.abc import Mapping

from momentum.adapters.cloudflare.testing import ResendOnRestart
from momentum.core.ports.transport import HttpReply

RESTARTED = HttpReply(
    503, b"Your worker restarted mid-request. Please try sending the request again."
)


class Scripted:
    """A transport that answers from a list and counts the calls."""

    def __init__(self, *replies: HttpReply) -> None:
        self.replies = list(replies)
        self.calls = 0

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float = 30.0,
    ) -> HttpReply:
        self.calls += 1
        return self.replies.pop(0)


def test_a_reload_503_is_sent_again_until_the_worker_answers() -> None:
    inner = Scripted(RESTARTED, RESTARTED, HttpReply(200, b"{}"))
    reply = ResendOnRestart(inner).request("POST", "http://127.0.0.1/q", body=b"{}")
    assert (reply.status, inner.calls) == (200, 3)


def test_any_other_503_is_returned_at_once() -> None:
    inner = Scripted(HttpReply(503, b"overloaded"), HttpReply(200, b"{}"))
    reply = ResendOnRestart(inner).request("POST", "http://127.0.0.1/q")
    assert (reply.status, reply.body, inner.calls) == (503, b"overloaded", 1)
