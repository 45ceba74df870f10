"""Strava webhook requests: events parsed strictly (anything else is an InputError naming
the field), the hub.challenge answered only for the right verify token."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.errors import InputError
from momentum.plugins.strava.events import Forbidden, StravaEvent, answer_challenge, parse_event

EVENT = {
    "aspect_type": "update",
    "event_time": 1516126040,
    "object_id": 1360128428,
    "object_type": "activity",
    "owner_id": 134815,
    "subscription_id": 120475,
    "updates": {"title": "Messy"},
}


def test_stravas_documented_example_parses():
    event = parse_event(json.dumps(EVENT).encode())
    assert event == StravaEvent(
        "activity", "update", 1360128428, 134815, 120475, 1516126040, {"title": "Messy"}
    )
    assert not event.deauthorized


def test_deauthorisation_is_an_athlete_update_with_authorized_false():
    body = {
        **EVENT,
        "object_type": "athlete",
        "object_id": 134815,
        "updates": {"authorized": "false"},
    }
    assert parse_event(json.dumps(body).encode()).deauthorized
    body["updates"] = {"authorized": False}  # tolerate a JSON boolean too
    assert parse_event(json.dumps(body).encode()).deauthorized


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"object_type": "route"}, "object_type"),
        ({"aspect_type": "archive"}, "aspect_type"),
        ({"object_id": "1360128428"}, "object_id"),
        ({"owner_id": -1}, "owner_id"),
        ({"subscription_id": True}, "subscription_id"),
        ({"event_time": None}, "event_time"),
        ({"updates": ["title"]}, "updates"),
        ({"updates": {"title": {"nested": 1}}}, "updates"),
    ],
)
def test_each_bad_field_is_named(change, field):
    with pytest.raises(InputError, match=field):
        parse_event(json.dumps({**EVENT, **change}).encode())


def test_oversized_and_non_json_bodies_are_refused():
    with pytest.raises(InputError, match="too large"):
        parse_event(b" " * 9000)
    with pytest.raises(InputError, match="not valid JSON"):
        parse_event(b"\xff")
    with pytest.raises(InputError, match="not a JSON object"):
        parse_event(b"[1]")


@given(st.binary(max_size=400))
def test_random_bytes_are_an_event_or_an_input_error(body):
    try:
        event = parse_event(body)
    except InputError:
        return
    assert isinstance(event, StravaEvent)


@given(st.dictionaries(st.sampled_from(list(EVENT)), st.none() | st.integers() | st.text()))
def test_random_objects_are_an_event_or_an_input_error(fields):
    try:
        event = parse_event(json.dumps({**EVENT, **fields}).encode())
    except InputError:
        return
    assert event.object_type in ("activity", "athlete")


def test_the_challenge_is_echoed_only_for_our_verify_token():
    query = {"hub.mode": "subscribe", "hub.challenge": "15f7d1a9", "hub.verify_token": "STRAVA"}
    assert answer_challenge(query, "STRAVA") == {"hub.challenge": "15f7d1a9"}
    with pytest.raises(Forbidden):
        answer_challenge(query, "other")
    with pytest.raises(Forbidden):
        answer_challenge(query, "")  # none configured: nobody can subscribe us
    with pytest.raises(InputError, match="required"):
        answer_challenge({"hub.mode": "subscribe"}, "STRAVA")
    with pytest.raises(InputError, match="too long"):
        answer_challenge({**query, "hub.challenge": "x" * 600}, "STRAVA")
