"""An incoming Bot Framework activity, checked before anything is stored.

Only the fields the coach uses are read. A body that is not a JSON object, or lacks one of
them, is an :class:`~momentum.core.errors.InputError` naming the field, which the route
answers with 400 before any write.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from momentum.core.errors import InputError

SOURCE = "Teams activity"
MAX_TEXT = 4000
"""Longer messages are cut: nobody types a 4,000-character DM to a running coach."""


@dataclass(frozen=True)
class ConversationReference:
    """Where the bot can write to one user later: the service, the conversation, who."""

    service_url: str
    conversation_id: str
    user_id: str
    bot_id: str
    tenant_id: str = ""
    user_aad_id: str = ""

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form (what Storage keeps)."""
        return {
            "service_url": self.service_url,
            "conversation_id": self.conversation_id,
            "user_id": self.user_id,
            "bot_id": self.bot_id,
            "tenant_id": self.tenant_id,
            "user_aad_id": self.user_aad_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationReference:
        """The inverse of :meth:`to_dict`."""
        return cls(**{k: str(data.get(k) or "") for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Activity:
    """The parts of one activity the coach acts on."""

    type: str
    id: str
    service_url: str
    channel_id: str
    conversation_id: str
    conversation_type: str
    from_id: str
    from_aad_id: str
    recipient_id: str
    text: str = ""
    action: str = ""
    tenant_id: str = ""
    members_added: tuple[str, ...] = ()
    members_removed: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def personal(self) -> bool:
        """A one-to-one chat with the bot (the only place athlete data goes)."""
        return self.conversation_type in ("", "personal")

    def reference(self) -> ConversationReference:
        """Where to write back to this activity's sender."""
        return ConversationReference(
            service_url=self.service_url,
            conversation_id=self.conversation_id,
            user_id=self.from_id,
            bot_id=self.recipient_id,
            tenant_id=self.tenant_id,
            user_aad_id=self.from_aad_id,
        )


def parse_activity(body: bytes) -> Activity:
    """The activity in ``body``, or :class:`InputError` naming what was wrong."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(SOURCE, f"body is not JSON ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise InputError(SOURCE, "body is not a JSON object")
    kind = _text(data, "type")
    service_url = _text(data, "serviceUrl")
    parts = urlsplit(service_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise InputError(SOURCE, f"serviceUrl is not an http(s) URL: {service_url[:100]!r}")
    conversation = _object(data, "conversation")
    sender = _object(data, "from")
    recipient = _object(data, "recipient")
    channel_data = data.get("channelData") if isinstance(data.get("channelData"), dict) else {}
    tenant = (channel_data or {}).get("tenant") or {}
    tenant_id = str(tenant.get("id") or "") if isinstance(tenant, dict) else ""
    text = data.get("text") or ""
    if not isinstance(text, str):
        raise InputError(SOURCE, "text is not a string")
    activity_id = data.get("id")
    if kind == "message" and not (isinstance(activity_id, str) and activity_id):
        raise InputError(SOURCE, "a message has no id")
    return Activity(
        type=kind,
        id=str(activity_id or ""),
        service_url=service_url,
        channel_id=str(data.get("channelId") or ""),
        conversation_id=_text(conversation, "id", "conversation.id"),
        conversation_type=str(conversation.get("conversationType") or ""),
        from_id=_text(sender, "id", "from.id"),
        from_aad_id=str(sender.get("aadObjectId") or ""),
        recipient_id=_text(recipient, "id", "recipient.id"),
        text=text[:MAX_TEXT],
        action=str(data.get("action") or ""),
        tenant_id=tenant_id or str(conversation.get("tenantId") or ""),
        members_added=_members(data, "membersAdded"),
        members_removed=_members(data, "membersRemoved"),
        raw=data,
    )


def _text(data: dict[str, Any], key: str, name: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(SOURCE, f"{name or key} is missing or not a string")
    return value


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise InputError(SOURCE, f"{key} is missing or not an object")
    return value


def _members(data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
        raise InputError(SOURCE, f"{key} is not a list of accounts")
    return tuple(str(m.get("id") or "") for m in value if m.get("id"))
