"""Incoming Teams activities: what is read from them, and bad ones named precisely."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.teams.activity import ConversationReference, parse_activity
from momentum.core.errors import InputError

pytestmark = pytest.mark.teams

GOOD = {
    "type": "message",
    "id": "1700000000001",
    "serviceUrl": "https://smba.trafficmanager.net/amer/",
    "channelId": "msteams",
    "from": {"id": "29:1abc", "aadObjectId": "0f0e0d0c-0000-4000-8000-000000000001"},
    "conversation": {"id": "a:1xyz", "conversationType": "personal", "tenantId": "t1"},
    "recipient": {"id": "28:bot"},
    "text": "legs are tired",
    "channelData": {"tenant": {"id": "t1"}},
}


def test_a_message_is_read() -> None:
    activity = parse_activity(json.dumps(GOOD).encode())
    assert (activity.type, activity.id, activity.text) == ("message", "1700000000001", GOOD["text"])
    assert activity.personal and activity.tenant_id == "t1"
    reference = activity.reference()
    assert reference == ConversationReference(
        "https://smba.trafficmanager.net/amer/",
        "a:1xyz",
        "29:1abc",
        "28:bot",
        "t1",
        "0f0e0d0c-0000-4000-8000-000000000001",
    )
    assert ConversationReference.from_dict(reference.to_dict()) == reference


def test_members_must_be_accounts() -> None:
    bad = {**GOOD, "type": "conversationUpdate", "membersAdded": ["28:bot"]}
    with pytest.raises(InputError, match="membersAdded"):
        parse_activity(json.dumps(bad).encode())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.sampled_from([*sorted(GOOD), "membersAdded", "action"]), json_values))
def test_any_json_object_is_read_or_refused_with_an_input_error(data: dict) -> None:
    try:
        activity = parse_activity(json.dumps({**GOOD, **data}).encode())
    except InputError as exc:
        assert exc.source == "Teams activity" and exc.reason
    else:
        assert activity.service_url.startswith("http")
        assert activity.conversation_id and activity.from_id and activity.recipient_id


@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused_with_an_input_error(body: bytes) -> None:
    with contextlib.suppress(InputError):
        parse_activity(body)
