"""Malformed requests get a 4xx, never a 500: through Slack's route, Strava's route and the
local HTTP server (waitress). A corpus of known-bad bodies is checked in under
``tests/corpus/webhooks/`` (deep nesting, NaN and Infinity, year-1 and huge timestamps,
wrong types, invalid UTF-8 …); hypothesis adds random JSON-ish bodies and headers.

Slack's bodies are signed with the real secret, so they get past the signature check and
exercise the parsing behind it."""

from __future__ import annotations

import http.client
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.local.server import LocalServer
from momentum.core.events import HttpRequest
from tests.fakes.fake_slack import FakeSlack, build_slack_app, signed_headers, slack_request

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "webhooks"
BODIES = sorted(CORPUS.iterdir())


@pytest.fixture(scope="module")
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def app(fake_slack, tmp_path_factory):
    from momentum.core.model import AthleteProfile
    from momentum.core.ports.clock import SystemClock

    athlete = AthleteProfile("adam", "Adam", "America/Toronto", chat_user_id="U1")
    app = build_slack_app(fake_slack, SystemClock(), [athlete])
    assert "/strava/webhook" in app.routes and "/slack/events" in app.routes
    return app


def content_type(path: Path) -> str:
    return "application/x-www-form-urlencoded" if path.suffix == ".txt" else "application/json"


def slack_status(app, body: bytes, ctype: str = "application/json", ts: int | None = None) -> int:
    import time

    now = int(time.time()) if ts is None else ts
    headers = {**signed_headers(body, now), "Content-Type": ctype}
    return app.handle_http(slack_request(body, headers)).status


def strava_status(app, body: bytes) -> int:
    request = HttpRequest("POST", "/strava/webhook", {"Content-Type": "application/json"}, {}, body)
    return app.handle_http(request).status


@pytest.mark.parametrize("path", BODIES, ids=[p.name for p in BODIES])
def test_every_corpus_body_is_a_4xx_on_every_route(app, path: Path) -> None:
    """``odd_but_valid_*`` bodies are well-formed (Slack's ``ts`` is opaque to us): not a
    500 is the rule for them; every other corpus body is a 4xx."""
    body = path.read_bytes()
    low = 0 if path.name.startswith("odd_but_valid") else 400
    assert low <= slack_status(app, body, content_type(path)) < 500
    assert 400 <= strava_status(app, body) < 500


@pytest.mark.parametrize("path", BODIES, ids=[p.name for p in BODIES])
def test_every_corpus_body_is_a_4xx_through_the_local_server(app, path: Path) -> None:
    body = path.read_bytes()
    with LocalServer(app, port=0) as server:
        for route in ("/strava/webhook", "/slack/events"):
            conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
            try:
                conn.request("POST", route, body=body, headers={"Content-Type": content_type(path)})
                status = conn.getresponse().status
            finally:
                conn.close()
            assert 400 <= status < 500, (route, status)  # unsigned for Slack: 401


@pytest.mark.parametrize(
    "timestamp", ["", "-1", "1e10", "0x10", "99999999999999999999999999", "١٢٣", " 1 ", "NaN"]
)
def test_bad_slack_timestamps_are_401(app, timestamp: str) -> None:
    body = b'{"type": "url_verification", "challenge": "x"}'
    headers = {**signed_headers(body, 0), "X-Slack-Request-Timestamp": timestamp}
    assert app.handle_http(slack_request(body, headers)).status == 401


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "event",
                    "event_id",
                    "challenge",
                    "object_type",
                    "aspect_type",
                    "object_id",
                    "owner_id",
                    "subscription_id",
                    "event_time",
                    "updates",
                    "user",
                    "channel",
                    "text",
                    "ts",
                    "channel_type",
                    "authorizations",
                    "x",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)
specials = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "[" * 60 + "]" * 60])


def render(value, special: str | None) -> bytes:
    text = json.dumps(value)
    if special is not None:
        text = text.replace("null", special, 1) if "null" in text else special
    return text.encode()


@given(json_values, st.none() | specials)
def test_random_bodies_never_make_a_500(app, value, special) -> None:
    body = render(value, special)
    assert slack_status(app, body) < 500
    assert strava_status(app, body) < 500


@given(st.binary(max_size=300))
def test_random_bytes_never_make_a_500(app, body: bytes) -> None:
    assert slack_status(app, body) < 500
    assert slack_status(app, body, "application/x-www-form-urlencoded") < 500
    assert strava_status(app, body) < 500


def test_nan_is_not_silently_accepted_as_a_number(app) -> None:
    assert math.isnan(float("nan"))  # the parser, not Python, must refuse it
    body = b'{"type": "url_verification", "challenge": NaN}'
    assert slack_status(app, body) == 400
