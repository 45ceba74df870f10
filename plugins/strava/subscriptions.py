"""Strava webhook subscriptions, managed from the CLI (one per Strava application).

Creating one makes Strava call the callback URL with a ``hub.challenge`` at once, so the
coach must already be reachable there (``momentum serve`` behind a tunnel, or a cloud
deploy) with the same ``STRAVA_VERIFY_TOKEN``. The new id is remembered in
``momentum.toml`` (``[strava] subscription_id``): events from any other subscription are
refused with 403.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from momentum.core.config import CONFIG_FILE
from momentum.core.errors import ConfigError, MomentumError
from momentum.plugins.strava.api import app_credentials, make_client
from momentum.plugins.strava.settings import StravaSettings

_TABLE = re.compile(r"^\s*\[strava\]\s*(#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*subscription_id\s*=")


@dataclass(frozen=True)
class Subscription:
    """A push subscription as Strava lists it."""

    id: int
    callback_url: str
    created_at: str


_SECRET_PARAM = re.compile(r"((?:client_secret|verify_token|refresh_token|code)=)[^&\s'\"]+")


def _strava_error(exc: Exception, settings: StravaSettings) -> MomentumError:
    """One line for the CLI. Strava's subscription calls carry the client secret (and the
    verify token) in the URL, which requests and stravalib repeat in their messages: those
    values are blanked, so a failure never prints a secret."""
    text = _SECRET_PARAM.sub(r"\1***", str(exc))
    for secret in (settings.client_secret.reveal(), settings.verify_token.reveal()):
        if secret:
            text = text.replace(secret, "***")
    if getattr(exc, "response", None) is not None:  # Strava answered (a stravalib Fault)
        return MomentumError(f"Strava refused: {text}")
    return MomentumError(f"could not reach Strava: {text}")


def _failures() -> tuple[type[Exception], ...]:
    """What a subscription call may raise: stravalib's faults and requests' network errors."""
    from requests import RequestException
    from stravalib.exc import Fault

    return (Fault, RequestException, OSError)


def subscribe(settings: StravaSettings, callback_url: str) -> int:
    """Create the subscription; returns its id."""
    client_id, client_secret = app_credentials(settings)
    verify = settings.verify_token.reveal()
    if not verify:
        raise ConfigError("STRAVA_VERIFY_TOKEN must be set (strava.verify_token)")
    if not callback_url.startswith(("https://", "http://")):
        raise ConfigError(f"the callback URL must be http(s)://…, got {callback_url!r}")
    try:
        created = make_client(settings).create_subscription(
            client_id, client_secret, callback_url, verify_token=verify
        )
    except _failures() as error:
        raise _strava_error(error, settings) from None
    return int(created.id or 0)


def list_subscriptions(settings: StravaSettings) -> list[Subscription]:
    """The application's subscriptions (Strava allows one)."""
    client_id, client_secret = app_credentials(settings)
    try:
        found = list(make_client(settings).list_subscriptions(client_id, client_secret))
    except _failures() as error:
        raise _strava_error(error, settings) from None
    return [
        Subscription(int(s.id or 0), str(s.callback_url or ""), str(s.created_at or ""))
        for s in found
    ]


def unsubscribe(settings: StravaSettings, subscription_id: int) -> None:
    """Delete a subscription."""
    client_id, client_secret = app_credentials(settings)
    try:
        make_client(settings).delete_subscription(subscription_id, client_id, client_secret)
    except _failures() as error:
        raise _strava_error(error, settings) from None


def remember(home: Path, subscription_id: int | None) -> Path:
    """Write (or with ``None`` remove) ``[strava] subscription_id`` in ``momentum.toml``,
    keeping the rest of the file as it was."""
    path = Path(home) / CONFIG_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    entry = f'subscription_id = "{subscription_id}"'
    start = next((i for i, line in enumerate(lines) if _TABLE.match(line)), None)
    if start is None:
        if subscription_id is None:
            return path
        lines += ["", "[strava]", entry] if lines else ["[strava]", entry]
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if _ANY_TABLE.match(lines[i])), len(lines)
        )
        existing = next((i for i in range(start + 1, end) if _KEY.match(lines[i])), None)
        if existing is not None:
            if subscription_id is None:
                del lines[existing]
            else:
                lines[existing] = entry
        elif subscription_id is not None:
            lines.insert(start + 1, entry)
    text = "\n".join(lines) + "\n"
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: could not update it safely ({exc}); edit it by hand") from exc
    wanted = "" if subscription_id is None else str(subscription_id)
    if str((parsed.get("strava") or {}).get("subscription_id", "")) != wanted:
        raise ConfigError(f"{path}: could not update subscription_id safely; edit it by hand")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)  # settings may hold secrets: owner only
    path.write_text(text, encoding="utf-8")
    return path
