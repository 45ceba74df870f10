"""Slack request checks before any work: the v0 signature (against an independent HMAC
implementation), the five-minute window, payload shapes, and who is writing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.adapters.slack.payloads import parse_body
from momentum.adapters.slack.signature import SignatureError, verify
from momentum.adapters.slack.users import athlete_for, message_text
from momentum.core.config import Secret
from momentum.core.errors import InputError
from momentum.core.events import HttpRequest
from momentum.core.memory import InMemoryStorage
from momentum.core.ports.clock import FixedClock
from tests.fakes.fake_slack import SIGNING_SECRET, command_fields, form_body, signed_headers

NOW = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
SECRET = Secret(SIGNING_SECRET)


def _request(body: bytes, headers: dict[str, str]) -> HttpRequest:
    return HttpRequest("POST", "/slack/events", headers=headers, body=body)


def _check(body: bytes, headers: dict[str, str], now: dt.datetime = NOW) -> None:
    verify(_request(body, headers), SECRET, FixedClock(now))


def test_a_fresh_signed_request_passes():
    body = b'{"type":"event_callback"}'
    _check(body, signed_headers(body, int(NOW.timestamp())))


@pytest.mark.parametrize("skew", [-300, 0, 299])
def test_the_window_is_five_minutes_either_way(skew):
    body = b"{}"
    _check(body, signed_headers(body, int(NOW.timestamp()) + skew))


@pytest.mark.parametrize("skew", [-301, 301, -86400])
def test_older_or_newer_than_five_minutes_is_refused(skew):
    body = b"{}"
    with pytest.raises(SignatureError, match="from now"):
        _check(body, signed_headers(body, int(NOW.timestamp()) + skew))


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "missing"),
        ({"X-Slack-Request-Timestamp": "1772535600"}, "missing"),
        ({"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}, "not a number"),
        ({"X-Slack-Request-Timestamp": "1772535600", "X-Slack-Signature": "v0=00"}, "match"),
    ],
)
def test_missing_or_malformed_headers_are_refused(headers, reason):
    with pytest.raises(SignatureError, match=reason):
        _check(b"{}", headers)


def test_the_secret_never_appears_in_the_reason():
    with pytest.raises(SignatureError) as raised:
        _check(b"{}", signed_headers(b"{}", int(NOW.timestamp()), secret="other"))
    assert SIGNING_SECRET not in str(raised.value)


@settings(max_examples=50, deadline=None)
@given(body=st.binary(max_size=500), flip=st.integers(min_value=0))
def test_any_change_to_a_signed_body_breaks_the_signature(body, flip):
    text = body.decode("utf-8", "replace").encode()
    headers = signed_headers(text, int(NOW.timestamp()))
    _check(text, headers)
    if text:
        i = flip % len(text)
        tampered = text[:i] + bytes([text[i] ^ 0x01]) + text[i + 1 :]
        with pytest.raises(SignatureError):
            _check(tampered, headers)


# -- payload shapes --------------------------------------------------------------------------


def test_events_commands_and_interactions_are_recognised():
    event = {"type": "event_callback", "event_id": "Ev1", "event": {"type": "message"}}
    assert parse_body(json.dumps(event).encode(), "application/json") == event
    command = parse_body(
        form_body(command_fields("week", "U1", "C1")), "application/x-www-form-urlencoded"
    )
    assert command["command"] == "/momentum" and command["text"] == "week"
    interaction = {"type": "block_actions", "user": {"id": "U1"}, "actions": []}
    body = form_body({"payload": json.dumps(interaction)})
    assert parse_body(body, "application/x-www-form-urlencoded") == interaction


@pytest.mark.parametrize(
    ("body", "content_type", "names"),
    [
        (b"\xff\xfe", "application/json", "UTF-8"),
        (b"   ", "application/json", "empty"),
        (b"{oops", "application/json", "not valid JSON"),
        (
            b'{"type": "event_callback", "event_id": 5, "event": {}}',
            "application/json",
            "body.event_id",
        ),
        (
            b'{"type": "event_callback", "event_id": "E", "event": {}}',
            "application/json",
            "event.type",
        ),
        (b"text=week", "application/x-www-form-urlencoded", "neither"),
        (
            b"command=%2Fmomentum&user_id=U1",
            "application/x-www-form-urlencoded",
            "command.channel_id",
        ),
        (b"payload=%7B%7D", "application/x-www-form-urlencoded", "payload.type"),
        (
            b"payload=%7B%22type%22%3A%22block_actions%22%7D",
            "application/x-www-form-urlencoded",
            "payload.user",
        ),
    ],
)
def test_malformed_payloads_are_named(body, content_type, names):
    with pytest.raises(InputError, match=names):
        parse_body(body, content_type)


@given(
    st.binary(max_size=300),
    st.sampled_from(["application/json", "application/x-www-form-urlencoded"]),
)
def test_any_body_is_either_accepted_or_an_input_error(body, content_type):
    try:
        result = parse_body(body, content_type)
    except InputError:
        return
    assert isinstance(result, dict)


# -- who is writing ----------------------------------------------------------------------------


def test_slack_users_map_to_athletes_by_chat_user_id(athlete):
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    assert athlete_for(storage, "U123ADAM") == athlete
    assert athlete_for(storage, "U999") is None
    assert athlete_for(storage, "") is None


def test_message_text_drops_the_mention_and_slack_escapes():
    assert message_text("<@U0BOT> how was my week &amp; what&#39;s next?") == (
        "how was my week & what's next?"
    )
    assert message_text("<@U0BOT|momentum>   <@U0BOT> hi") == "hi"
    assert message_text("ask <@U2> too") == "ask <@U2> too"
