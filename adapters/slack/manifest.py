"""The Slack app manifest: exactly the scopes, events and features the coach uses.

Paste the output of ``momentum slack manifest`` into https://api.slack.com/apps →
*Create New App* → *From an app manifest*. Each bot scope is listed with the one call
or event that needs it; nothing else is requested.
"""

from __future__ import annotations

import json
from typing import Any

from momentum.adapters.slack.constants import COMMAND, EVENTS_PATH

BOT_SCOPES: dict[str, str] = {
    "app_mentions:read": "receive @mentions in channels (the app_mention event)",
    "chat:write": "post Thinking…, answers, check-ins and reviews, and update them",
    "commands": "the /momentum slash command",
    "im:history": "receive the athlete's direct messages (the message.im event)",
    "im:write": "open the DM that check-ins and reviews go to (conversations.open)",
}
"""Bot scopes and why each is needed. Athlete data only goes by DM, so no channel scopes."""

BOT_EVENTS = ("app_mention", "message.im")
APP_TOKEN_SCOPE = "connections:write"
"""The app-level token (``SLACK_APP_TOKEN``) Socket Mode needs; made in the app's
*Basic Information* page, not part of the manifest."""


def build_manifest(
    *, name: str = "Momentum", url: str | None = None, socket_mode: bool | None = None
) -> dict[str, Any]:
    """The manifest as a dict. With ``url`` (the coach's public base URL) Slack sends HTTP
    requests to ``<url>/slack/events``; without it the app uses Socket Mode."""
    socket = url is None if socket_mode is None else socket_mode
    if not socket and not url:
        raise ValueError("an HTTP-mode manifest needs the coach's public URL")
    endpoint = None if socket else f"{str(url).rstrip('/')}{EVENTS_PATH}"
    command: dict[str, Any] = {
        "command": COMMAND,
        "description": "Your plan, this week, model usage",
        "usage_hint": "plan | week | usage | help",
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if endpoint:
        command["url"] = endpoint
        events = {"request_url": endpoint, **events}
        interactivity["request_url"] = endpoint
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": name,
            "description": "A personal AI coach: check-ins, run reviews and your week.",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": False,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": _display_name(name), "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket,
            "token_rotation_enabled": False,
        },
    }


def _display_name(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.lower())
    return cleaned.strip("-")[:80] or "momentum"


def to_json(manifest: dict[str, Any]) -> str:
    """The manifest as JSON (Slack accepts either format)."""
    return json.dumps(manifest, indent=2)


def to_yaml(manifest: dict[str, Any]) -> str:
    """The manifest as YAML, each bot scope commented with the reason it is needed."""
    lines = [
        "# Slack app manifest for Momentum: https://api.slack.com/apps → Create New App →",
        "# From an app manifest. Every scope is listed with the call or event that needs it.",
    ]
    if manifest["settings"]["socket_mode_enabled"]:
        lines.append(
            f"# Socket Mode: also create an app-level token with {APP_TOKEN_SCOPE} "
            "(Basic Information → App-Level Tokens) and set SLACK_APP_TOKEN."
        )
    _emit(manifest, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                _emit(item, indent + 1, lines)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return
    for item in value:
        if isinstance(item, dict):
            first, *rest = list(item.items())
            lines.append(f"{pad}- {first[0]}: {_scalar(first[1])}")
            for key, sub in rest:
                lines.append(f"{pad}  {key}: {_scalar(sub)}")
        else:
            reason = BOT_SCOPES.get(item) if isinstance(item, str) else None
            lines.append(f"{pad}- {_scalar(item)}" + (f"  # {reason}" if reason else ""))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if value == [] or value == {}:
        return json.dumps(value)
    # JSON strings are valid YAML scalars and quote everything YAML might misread.
    return json.dumps(str(value), ensure_ascii=False)
