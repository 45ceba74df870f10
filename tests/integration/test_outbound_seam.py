"""The outbound HTTP seam's Worker side, on CPython: :class:`FetchTransport` over a
stand-in of the Workers ``fetch`` (tests/fakes/fake_fetch.py) that really sends the bytes
over loopback, with the real SDKs on top (slack_sdk, groq, stravalib, the Oura client)
talking to the loopback fakes of Slack, Groq, Strava and Oura."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from momentum.adapters.outbound import in_worker, worker_transport
from momentum.adapters.outbound.fetch import FetchTransport
from momentum.adapters.outbound.httpx_seam import HttpxTransport, SeamHttpxTransport
from momentum.adapters.outbound.requests_seam import session_over
from momentum.testing import free_port
from tests.fakes.fake_fetch import LoopbackFetch

pytestmark = pytest.mark.cloudflare


@pytest.fixture
def echo() -> Iterator[str]:
    """A loopback server that answers with what it got, gzipped, with a repeated header."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            seen = {
                "method": self.command,
                "path": self.path,
                "body": self.rfile.read(length).decode(),
                "x-test": self.headers.get("x-test"),
            }
            data = gzip.compress(json.dumps(seen).encode())
            self.send_response(201 if self.command == "POST" else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Multi", "a")
            self.send_header("X-Multi", "b")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    import threading

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetch() -> LoopbackFetch:
    return LoopbackFetch()


def test_fetch_sends_the_request_and_reads_the_whole_reply(echo: str, fetch: LoopbackFetch) -> None:
    seam = FetchTransport(fetch.api())
    reply = seam.request(
        "post", echo + "/x?a=1", headers={"X-Test": "yes"}, body=b"hello", timeout=2.5
    )
    assert reply.status == 201
    assert json.loads(reply.body) == {
        "method": "POST",
        "path": "/x?a=1",
        "body": "hello",
        "x-test": "yes",
    }
    # fetch inflated the body: the wire headers would make a client decode it twice
    assert "content-encoding" not in reply.headers
    assert "content-length" not in reply.headers
    assert reply.headers["x-multi"] == "a, b"
    assert reply.headers["content-type"] == "application/json"
    assert [(c.method, c.body, c.timeout_ms) for c in fetch.calls] == [("POST", b"hello", 2500)]


def test_httpx_and_fetch_seams_answer_alike(echo: str, fetch: LoopbackFetch) -> None:
    by_fetch = FetchTransport(fetch.api()).request("GET", echo + "/same")
    plain = HttpxTransport()
    try:
        by_httpx = plain.request("GET", echo + "/same")
    finally:
        plain.close()
    assert (by_fetch.status, by_fetch.body) == (by_httpx.status, by_httpx.body)

    def same(headers: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in headers.items() if k != "date"}  # the second may tick

    assert same(by_fetch.headers) == same(by_httpx.headers)


def test_an_httpx_client_over_the_seam_does_not_decode_twice(
    echo: str, fetch: LoopbackFetch
) -> None:
    with httpx.Client(transport=SeamHttpxTransport(FetchTransport(fetch.api()))) as client:
        answer = client.put(echo + "/h", content=b"body", headers={"x-test": "1"}, timeout=4)
    assert answer.status_code == 200
    assert answer.json()["body"] == "body"
    assert fetch.calls[0].timeout_ms == 4000


def test_a_requests_session_over_the_seam(echo: str, fetch: LoopbackFetch) -> None:
    session = session_over(FetchTransport(fetch.api()))
    answer = session.post(echo + "/r", data={"k": "v"}, timeout=(1, 3))
    assert answer.status_code == 201
    assert answer.reason == "Created"
    assert answer.json()["body"] == "k=v"
    assert fetch.calls[0].timeout_ms == 3000


def test_a_refused_connection_is_an_oserror_naming_the_call_only(fetch: LoopbackFetch) -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    seam = FetchTransport(fetch.api())
    with pytest.raises(OSError, match=r"^GET http://127\.0\.0\.1:\d+/api: fetch failed"):
        seam.request("GET", url, headers={"Authorization": "Bearer s3cret"})
    with pytest.raises(OSError) as caught:
        seam.request("GET", url, headers={"Authorization": "Bearer s3cret"})
    assert "s3cret" not in str(caught.value)
    with (
        httpx.Client(transport=SeamHttpxTransport(seam)) as client,
        pytest.raises(httpx.ConnectError),
    ):
        client.get(url)
    import requests

    with pytest.raises(requests.ConnectionError):
        session_over(seam).get(url)


def test_off_a_worker_the_sdks_keep_their_own_http(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not in_worker()
    assert worker_transport() is None
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert isinstance(worker_transport(), FetchTransport)


# -- Slack ------------------------------------------------------------------------------


def test_slack_chat_posts_updates_and_opens_dms_through_fetch(
    fake_slack: Any, fetch: LoopbackFetch
) -> None:
    from momentum.adapters.slack.chat import SlackChat
    from momentum.adapters.slack.client import web_client
    from momentum.adapters.slack.settings import slack_settings
    from tests.fakes.fake_slack import BOT_TOKEN
    from tests.fakes.fake_slack import slack_settings as settings_for

    settings = slack_settings(settings_for(fake_slack))
    chat = SlackChat(web_client(settings, transport=FetchTransport(fetch.api())))
    ref = chat.direct_message("U123", "Easy 40 min today.")
    chat.update(ref, "Easy 45 min today.", blocks=[])

    assert [m.text for m in fake_slack.in_channel(ref.channel)] == ["Easy 45 min today."]
    methods = [call.url.rsplit("/", 1)[1] for call in fetch.calls]
    assert methods == ["conversations.open", "chat.postMessage", "chat.update"]
    assert all(c.headers.get("authorization") == f"Bearer {BOT_TOKEN}" for c in fetch.calls)
    assert all(c.method == "POST" for c in fetch.calls)


def test_slack_rate_limits_and_errors_behave_as_without_the_seam(
    fake_slack: Any, fetch: LoopbackFetch
) -> None:
    from slack_sdk.errors import SlackApiError

    from momentum.adapters.slack.client import web_client
    from momentum.adapters.slack.settings import slack_settings
    from tests.fakes.fake_slack import SlackApiFailure
    from tests.fakes.fake_slack import slack_settings as settings_for

    client = web_client(
        slack_settings(settings_for(fake_slack)), transport=FetchTransport(fetch.api())
    )
    fake_slack.fail_next("chat.postMessage", SlackApiFailure("ratelimited", 429, 0))
    posted = client.chat_postMessage(channel="C1", text="after a 429")
    assert posted["ok"] is True
    assert len(fetch.calls) == 2  # slack_sdk's own retry handler saw the 429
    fake_slack.fail_next("chat.update", SlackApiFailure("message_not_found"))
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C1", ts="1.0", text="x")


# -- Groq -------------------------------------------------------------------------------


@pytest.fixture
def fake_groq() -> Iterator[Any]:
    fakes = pytest.importorskip("tests.fakes.fake_groq", reason="the Groq fake is not here")
    with fakes.FakeGroq() as server:
        yield server


def test_groq_completions_go_through_fetch(fake_groq: Any, fetch: LoopbackFetch) -> None:
    pytest.importorskip("groq", reason="the groq extra is not installed")
    from momentum.adapters.groq.model import GroqModel
    from momentum.core.ports.model import CompletionRequest, ModelMessage
    from tests.fakes.fake_groq import API_KEY, Reply

    fake_groq.push(Reply("Hold easy pace today.", usage=(120, 8)))
    model = GroqModel(
        API_KEY, base_url=fake_groq.url, timeout_seconds=7, transport=FetchTransport(fetch.api())
    )
    answer = model.complete(
        CompletionRequest((ModelMessage("user", "How fast today?"),), "chat", "a1")
    )

    assert answer.text == "Hold easy pace today."
    assert (answer.tokens_in, answer.tokens_out) == (120, 8)
    assert model.rate_limit is not None  # x-ratelimit-* headers came back through fetch
    (call,) = fetch.calls
    assert call.url == fake_groq.url + "/openai/v1/chat/completions"
    assert call.headers["authorization"] == f"Bearer {API_KEY}"
    assert json.loads(call.body)["messages"][0]["content"] == "How fast today?"
    assert call.timeout_ms == 7000
    assert fake_groq.requests[0].text() == "How fast today?"


def test_groq_rate_limits_and_outages_through_fetch(fake_groq: Any, fetch: LoopbackFetch) -> None:
    pytest.importorskip("groq", reason="the groq extra is not installed")
    from momentum.adapters.groq.model import GroqModel
    from momentum.core.coach.ratelimit import RateLimitedError
    from momentum.core.ports.model import CompletionRequest, ModelError, ModelMessage
    from tests.fakes.fake_groq import API_KEY

    request = CompletionRequest((ModelMessage("user", "hi"),), "chat", "a1")
    fake_groq.push(fake_groq.rate_limited("7"))
    model = GroqModel(API_KEY, base_url=fake_groq.url, transport=FetchTransport(fetch.api()))
    with pytest.raises(RateLimitedError) as limited:
        model.complete(request)
    assert limited.value.retry_after == 7

    gone = GroqModel(
        API_KEY,
        base_url=f"http://127.0.0.1:{free_port()}",
        transport=FetchTransport(fetch.api()),
    )
    with pytest.raises(ModelError, match="could not connect") as failed:
        gone.complete(request)
    assert failed.value.retryable


# -- Strava -----------------------------------------------------------------------------


@pytest.fixture
def strava(tmp_path: Path) -> Iterator[Any]:
    fakes = pytest.importorskip("tests.fakes.fake_strava", reason="the Strava fake is not here")
    pytest.importorskip("stravalib", reason="the strava extra is not installed")
    folder = tmp_path / "strava"
    folder.mkdir()
    with fakes.FakeStrava(folder) as server:
        yield server


def test_strava_api_and_oauth_refresh_go_through_fetch(strava: Any, tmp_path: Path) -> None:
    from momentum.plugins.strava.api import make_client
    from momentum.plugins.strava.settings import strava_settings
    from tests.fakes.fake_strava import CLIENT_ID, CLIENT_SECRET, OWNER_ID
    from tests.fakes.fake_strava import strava_settings as settings_for

    # No REQUESTS_CA_BUNDLE: only the fetch stand-in trusts the fake's certificate, so a
    # request that bypassed the seam would fail TLS.
    fetch = LoopbackFetch(ca_file=strava.cert_path)
    settings = strava_settings(settings_for(strava, tmp_path))
    strava.add_athlete(OWNER_ID)
    tokens = strava.issue_tokens(OWNER_ID)
    start = dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)
    strava.add_activity(OWNER_ID, 77, name="Morning Run", sport_type="Run", start=start)

    client = make_client(
        settings, access_token=tokens["access_token"], transport=FetchTransport(fetch.api())
    )
    seen: list[dict[str, str]] = []
    client.protocol.rate_limiter.rules.append(lambda headers, method: seen.append(headers))
    activity = client.get_activity(77)
    assert activity.name == "Morning Run"
    # Strava's rate-limit headers reached stravalib's limiter through the seam
    assert {k.lower() for k in seen[0]} >= {"x-ratelimit-limit", "x-ratelimit-usage"}

    refreshed = client.refresh_access_token(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=tokens["refresh_token"]
    )
    assert refreshed["access_token"] != tokens["access_token"]
    assert strava.accepts(refreshed["access_token"])
    assert [c.url.split("?")[0].rsplit("/", 2)[-2:] for c in fetch.calls] == [
        ["activities", "77"],
        ["oauth", "token"],
    ]
    assert fetch.calls[0].headers["authorization"] == f"Bearer {tokens['access_token']}"


# -- Oura -------------------------------------------------------------------------------


def test_the_oura_client_goes_through_fetch(fetch: LoopbackFetch) -> None:
    fakes = pytest.importorskip("tests.fakes.fake_oura", reason="the Oura fake is not here")
    from momentum.plugins.oura.api import client_for
    from momentum.plugins.oura.settings import OuraSettings

    with fakes.FakeOura() as oura:
        oura.add_night(dt.date(2026, 12, 1), hrv=62, rhr=48, hours=7.5)
        grant = oura.grant()
        settings = OuraSettings(api_url=oura.url, timeout_seconds=6)
        with client_for(settings, transport=FetchTransport(fetch.api())) as client:
            info = client.personal_info(grant.access)
            nights = client.collection(
                grant.access,
                "daily_sleep",
                {"start_date": "2026-11-30", "end_date": "2026-12-02"},
            )
    assert info
    assert len(nights) == 1
    assert {c.timeout_ms for c in fetch.calls} == {6000}
    assert all(c.headers["authorization"] == f"Bearer {grant.access}" for c in fetch.calls)


def test_inside_a_worker_every_client_picks_the_fetch_seam_by_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What the Worker gets without being told: ``sys.platform`` is ``emscripten`` under
    Pyodide (the one thing faked here; no request is sent)."""
    pytest.importorskip("groq", reason="the groq extra is not installed")
    pytest.importorskip("stravalib", reason="the strava extra is not installed")
    from momentum.adapters.groq.model import GroqModel
    from momentum.adapters.outbound.requests_seam import SeamAdapter
    from momentum.adapters.slack.client import web_client
    from momentum.adapters.slack.seam_client import SeamWebClient
    from momentum.adapters.slack.settings import SlackSettings
    from momentum.core.config import Secret
    from momentum.plugins.oura.api import client_for
    from momentum.plugins.oura.settings import OuraSettings
    from momentum.plugins.strava.api import make_client
    from momentum.plugins.strava.settings import StravaSettings

    monkeypatch.setattr(sys, "platform", "emscripten")
    slack = web_client(SlackSettings(bot_token=Secret("xoxb-1")))
    assert isinstance(slack, SeamWebClient) and isinstance(slack.transport, FetchTransport)
    groq_client = GroqModel("gsk_1")._sdk()
    transport = groq_client._client._transport
    assert isinstance(transport, SeamHttpxTransport)
    assert isinstance(transport.seam, FetchTransport)
    strava = make_client(StravaSettings(), access_token="t")
    adapter = strava.protocol.rsession.get_adapter("https://www.strava.com/api/v3/athlete")
    assert isinstance(adapter, SeamAdapter) and isinstance(adapter.seam, FetchTransport)
    with client_for(OuraSettings()) as oura:
        assert isinstance(oura._http._transport, SeamHttpxTransport)


def test_headers_fetch_sets_itself_are_not_passed_on(echo: str, fetch: LoopbackFetch) -> None:
    with httpx.Client(transport=SeamHttpxTransport(FetchTransport(fetch.api()))) as client:
        client.post(echo + "/h", content=b"12345", headers={"x-test": "kept"})
    (call,) = fetch.calls
    assert call.headers["x-test"] == "kept"
    assert not {"host", "content-length", "connection"} & set(call.headers)
