"""Parsing and checking Slack payloads before anything acts on them.

Three shapes arrive on ``/slack/events``: Events API callbacks (JSON), slash commands
(form-encoded) and interactivity (form-encoded with a JSON ``payload`` field). Anything
else, or a payload missing a field we rely on, is rejected with a message naming it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from momentum.core.errors import InputError
from momentum.core.untrusted import parse_json

SOURCE = "slack request"
EVENT_TYPES = ("url_verification", "event_callback", "app_rate_limited")


def parse_body(body: bytes, content_type: str) -> dict[str, Any]:
    """The payload as a dict, or :class:`InputError` naming what is wrong."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(SOURCE, "body is not UTF-8") from exc
    if not text.strip():
        raise InputError(SOURCE, "empty body")
    if "json" in content_type.lower() or text.lstrip().startswith("{"):
        return check_event(_json_object(text, "body"))
    form = {key: values[0] for key, values in parse_qs(text, keep_blank_values=True).items()}
    if "payload" in form:
        return check_interaction(_json_object(form["payload"], "payload"))
    if "command" in form:
        return check_command(form)
    raise InputError(SOURCE, "form body has neither 'command' nor 'payload'")


def _json_object(text: str, what: str) -> dict[str, Any]:
    value = parse_json(text, SOURCE, what)
    if not isinstance(value, dict):
        raise InputError(SOURCE, f"{what} is not a JSON object")
    return value


def _require_str(data: dict[str, Any], name: str, where: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise InputError(SOURCE, f"{where}.{name} is missing or not a string")
    return value


def check_event(body: dict[str, Any]) -> dict[str, Any]:
    """An Events API body: ``url_verification`` needs ``challenge``; ``event_callback``
    needs ``event_id`` and an ``event`` object with a ``type``."""
    kind = body.get("type")
    if kind not in EVENT_TYPES:
        raise InputError(SOURCE, f"type {kind!r} is not one of {', '.join(EVENT_TYPES)}")
    if kind == "url_verification":
        _require_str(body, "challenge", "body")
    if kind == "event_callback":
        _require_str(body, "event_id", "body")
        event = body.get("event")
        if not isinstance(event, dict):
            raise InputError(SOURCE, "body.event is missing or not an object")
        _require_str(event, "type", "event")
    return body


def check_command(form: dict[str, str]) -> dict[str, str]:
    """A slash command needs ``command``, ``user_id`` and ``channel_id``."""
    for name in ("command", "user_id", "channel_id"):
        _require_str(form, name, "command")
    return form


def check_interaction(payload: dict[str, Any]) -> dict[str, Any]:
    """An interaction needs a ``type`` and ``user.id``; block actions need ``actions``."""
    _require_str(payload, "type", "payload")
    user = payload.get("user")
    if not isinstance(user, dict):
        raise InputError(SOURCE, "payload.user is missing or not an object")
    _require_str(user, "id", "payload.user")
    if payload["type"] == "block_actions" and not isinstance(payload.get("actions"), list):
        raise InputError(SOURCE, "payload.actions is missing or not a list")
    return payload
