"""AWS event shapes ↔ core's events: Function URL requests (payload format 2.0) and
responses, scheduler inputs, deferred-work payloads and S3 notifications. The event
builders in :mod:`tests.support.aws` follow AWS's documented shapes; these tests pin the
conversions (no stand-in needed)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.aws import events
from momentum.core.errors import InputError
from momentum.core.events import HttpResponse
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.runtime.envelope import encode_deferred
from tests.support.aws import (
    function_url_event,
    s3_object_created_event,
    scheduler_input,
)

pytestmark = pytest.mark.aws

NOW = dt.datetime(2026, 3, 3, 11, 0, 5, tzinfo=dt.UTC)


def test_kinds_are_told_apart() -> None:
    assert events.kind_of(function_url_event("GET", "/")) == "http"
    assert events.kind_of(scheduler_input("checkin", "adam", "2026-03-03T11:00:00Z")) == "tick"
    assert events.kind_of(encode_deferred(DeferredJob("k"), None, 1000)) == "deferred"
    assert events.kind_of(s3_object_created_event("b", "uploads/a/x.fit", 3)) == "s3"
    assert events.kind_of({"momentum": "run", "job": "checkin", "athlete_id": "a"}) == "run"
    rule = {
        "source": "aws.events",
        "detail-type": "Scheduled Event",
        "time": "2026-03-03T11:00:00Z",
    }
    assert events.kind_of(rule) == "tick"
    for other in ({}, [], "x", {"version": "2.0"}, {"Records": [{"eventSource": "aws:sqs"}]}):
        assert events.kind_of(other) == "unknown"


def test_function_url_request_keeps_method_path_query_headers_and_cookies() -> None:
    event = function_url_event(
        "GET",
        "/strava/webhook",
        query="hub.mode=subscribe&hub.challenge=15f7&hub.verify_token=tok",
        headers={"X-Slack-Signature": "v0=abc", "Cookie": "a=1; b=2"},
    )
    request = events.http_request(event)
    assert request.method == "GET" and request.path == "/strava/webhook"
    assert request.query == {
        "hub.mode": "subscribe",
        "hub.challenge": "15f7",
        "hub.verify_token": "tok",
    }
    assert request.header("x-slack-signature") == "v0=abc"
    assert request.header("cookie") == "a=1; b=2"
    assert request.body == b""


def test_text_and_base64_bodies_decode_to_the_same_bytes() -> None:
    body = '{"text":"ünïcode ✓"}'.encode()
    plain = function_url_event(
        "POST", "/x", body=body, headers={"content-type": "application/json"}
    )
    encoded = function_url_event("POST", "/x", body=body, base64_body=True)
    assert plain["isBase64Encoded"] is False and encoded["isBase64Encoded"] is True
    assert events.http_request(plain).body == events.http_request(encoded).body == body


def test_bad_base64_is_input_error_naming_the_body() -> None:
    event = function_url_event("POST", "/x", body=b"hi", base64_body=True)
    event["body"] = "not base64!!"
    with pytest.raises(InputError, match="base64"):
        events.http_request(event)


@given(body=st.binary(max_size=2048), as_base64=st.booleans())
def test_any_body_survives_the_function_url_encoding(body: bytes, as_base64: bool) -> None:
    try:
        body.decode("utf-8")
        text_ok = True
    except UnicodeDecodeError:
        text_ok = False
    event = function_url_event(
        "POST",
        "/hook",
        body=body,
        headers={"content-type": "application/octet-stream"},
        base64_body=as_base64 or not text_ok,
    )
    assert events.http_request(event).body == body


@given(
    body=st.binary(max_size=1024),
    content_type=st.sampled_from(
        ["text/plain; charset=utf-8", "application/json", "application/octet-stream", "image/png"]
    ),
    status=st.sampled_from([200, 202, 400, 401, 403, 404, 500]),
)
def test_responses_round_trip_through_the_function_url_shape(
    body: bytes, content_type: str, status: int
) -> None:
    answer = events.url_response(HttpResponse(status, body, {"content-type": content_type}))
    assert answer["statusCode"] == status
    assert answer["headers"]["content-type"] == content_type
    sent = (
        base64.b64decode(answer["body"]) if answer["isBase64Encoded"] else answer["body"].encode()
    )
    assert sent == body
    if content_type.startswith(("image/", "application/octet-stream")) and body:
        assert answer["isBase64Encoded"] is True


def test_scheduler_input_becomes_a_tick_at_its_scheduled_time() -> None:
    tick = events.scheduled_tick(scheduler_input("checkin", "adam", "2026-03-03T11:00:00Z"), NOW)
    assert tick.job == "checkin" and tick.athlete_id == "adam"
    assert tick.at == dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def test_a_tick_without_a_usable_time_uses_now() -> None:
    untemplated = scheduler_input("*", None, "<aws.scheduler.scheduled-time>")
    assert events.scheduled_tick(untemplated, NOW).at == NOW
    assert events.scheduled_tick({"momentum": "tick", "job": "*"}, NOW).at == NOW


def test_an_eventbridge_rule_event_checks_every_job() -> None:
    rule = {
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": "2026-03-03T11:00:00Z",
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/momentum"],
        "detail": {},
    }
    tick = events.scheduled_tick(rule, NOW)
    assert tick.job == "*" and tick.athlete_id is None
    assert tick.at == dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("event", "field"),
    [
        ({"momentum": "tick", "job": ""}, "job"),
        ({"momentum": "tick", "job": 3}, "job"),
        ({"momentum": "tick", "job": "checkin", "athlete_id": ""}, "athlete_id"),
    ],
)
def test_malformed_ticks_name_the_field(event: dict[str, object], field: str) -> None:
    with pytest.raises(InputError, match=field):
        events.scheduled_tick(event, NOW)


def test_s3_keys_are_url_decoded_and_other_events_skipped() -> None:
    event = s3_object_created_event("bucket", "uploads/adam/morning run.fit", 10)
    assert event["Records"][0]["s3"]["object"]["key"] == "uploads/adam/morning+run.fit"
    removed = s3_object_created_event("bucket", "uploads/adam/old.fit", 10)
    removed["Records"][0]["eventName"] = "ObjectRemoved:Delete"
    assert events.s3_objects(event) == [("bucket", "uploads/adam/morning run.fit")]
    assert events.s3_objects(removed) == []
