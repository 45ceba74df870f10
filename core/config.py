"""Settings from the coach's config file (``momentum.toml``) and the environment.

Environment variables win over the file and use the usual names (``GROQ_API_KEY``,
``SLACK_SIGNING_SECRET``, ``SLACK_BOT_TOKEN``, ``SLACK_APP_TOKEN``, ``STRAVA_CLIENT_ID``,
``STRAVA_CLIENT_SECRET``, ``STRAVA_VERIFY_TOKEN``). Secrets are :class:`Secret` so they
never print in logs, reprs or prompts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from momentum.core.errors import ConfigError

CONFIG_FILE = "momentum.toml"


class Secret:
    """A string that hides itself from ``str``, ``repr`` and f-strings."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that needs it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class ModelSettings:
    """Which models to call, in priority order; the offline composer always comes last."""

    provider: str = "groq"
    model: str = "openai/gpt-oss-120b"
    fallbacks: tuple[str, ...] = ("openai/gpt-oss-20b",)
    api_key: Secret = field(default_factory=lambda: Secret(""))
    base_url: str = ""
    timeout_seconds: float = 20.0


@dataclass(frozen=True)
class SlackSettings:
    """Slack credentials: signing secret (HTTP), bot token, app token (Socket Mode)."""

    signing_secret: Secret = field(default_factory=lambda: Secret(""))
    bot_token: Secret = field(default_factory=lambda: Secret(""))
    app_token: Secret = field(default_factory=lambda: Secret(""))
    base_url: str = ""


@dataclass(frozen=True)
class StravaSettings:
    """Strava API application credentials and the webhook verify token."""

    client_id: str = ""
    client_secret: Secret = field(default_factory=lambda: Secret(""))
    verify_token: Secret = field(default_factory=lambda: Secret(""))
    subscription_id: str = ""
    base_url: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one coach."""

    home: Path = Path(".momentum")
    athlete_id: str = "me"
    chat: str = "console"
    model: ModelSettings = field(default_factory=ModelSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    strava: StravaSettings = field(default_factory=StravaSettings)
    fragile_missed_days: int = 2
    low_missed_days: int = 5
    extra: Mapping[str, Any] = field(default_factory=dict)


_ENV = {
    ("model", "api_key"): "GROQ_API_KEY",
    ("model", "base_url"): "GROQ_BASE_URL",
    ("model", "model"): "MOMENTUM_MODEL",
    ("slack", "signing_secret"): "SLACK_SIGNING_SECRET",
    ("slack", "bot_token"): "SLACK_BOT_TOKEN",
    ("slack", "app_token"): "SLACK_APP_TOKEN",
    ("strava", "client_id"): "STRAVA_CLIENT_ID",
    ("strava", "client_secret"): "STRAVA_CLIENT_SECRET",
    ("strava", "verify_token"): "STRAVA_VERIFY_TOKEN",
    ("strava", "subscription_id"): "STRAVA_SUBSCRIPTION_ID",
}

_SECTIONS: dict[str, type[Any]] = {
    "model": ModelSettings,
    "slack": SlackSettings,
    "strava": StravaSettings,
}


def _coerce(cls: type[Any], name: str, value: Any) -> Any:
    wanted = {f.name: f for f in fields(cls)}.get(name)
    if wanted is None:
        raise ConfigError(f"unknown setting {cls.__name__}.{name}")
    default = getattr(cls(), name)
    if isinstance(default, Secret):
        return Secret(str(value))
    if isinstance(default, tuple):
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        return tuple(value)
    if isinstance(default, bool):
        return str(value).lower() in {"1", "true", "yes"}
    if isinstance(default, int | float) and not isinstance(default, bool):
        try:
            return type(default)(value)
        except ValueError as exc:
            raise ConfigError(f"{cls.__name__}.{name} must be a number, got {value!r}") from exc
    return str(value) if isinstance(default, str) else value


def load_settings(home: Path, env: Mapping[str, str] | None = None) -> Settings:
    """Read ``home/momentum.toml`` (if any), then apply environment overrides."""
    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    path = home / CONFIG_FILE
    if path.exists():
        import tomllib  # only when there is a file: keeps cold starts short

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    sections: dict[str, dict[str, Any]] = {name: {} for name in _SECTIONS}
    for name, cls in _SECTIONS.items():
        for key, value in (data.get(name) or {}).items():
            sections[name][key] = _coerce(cls, key, value)
    for (section, key), var in _ENV.items():
        if env.get(var):
            sections[section][key] = _coerce(_SECTIONS[section], key, env[var])
    top: dict[str, Any] = {}
    for key in ("athlete_id", "chat", "fragile_missed_days", "low_missed_days"):
        if key in data:
            top[key] = _coerce(Settings, key, data[key])
    known = {"athlete_id", "chat", "fragile_missed_days", "low_missed_days", *_SECTIONS}
    extra = {k: v for k, v in data.items() if k not in known}
    return Settings(
        home=home,
        model=ModelSettings(**sections["model"]),
        slack=SlackSettings(**sections["slack"]),
        strava=StravaSettings(**sections["strava"]),
        extra=extra,
        **top,
    )
