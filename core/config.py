"""Settings from the coach's config file (``momentum.toml``) and the environment.

Core reads only its own keys: the top-level ones (``athlete_id``, ``chat``, ...), ``[model]``
(which provider, which model, its fallbacks) and the free-form ``[pricing]`` and
``[prompts]`` tables and ``local_plugins`` (a project's own plugin modules, dotted names
under its folder). Every other section belongs to a plugin, which declares a typed schema
for it through the ``momentum_settings`` hook (Slack's ``[slack]``, Oura's ``[oura]``;
``[plugins.NAME]`` is the same as ``[NAME]``);
:meth:`Settings.section` reads one, and :func:`check_sections` validates them all when the
app is built. Environment variables win over the file; secrets are :class:`Secret` so they
never print in logs, reprs or prompts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from momentum.core.errors import ConfigError

if TYPE_CHECKING:
    from momentum.core.ports.secrets import Secrets

CONFIG_FILE = "momentum.toml"
T = TypeVar("T")


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
    """Which models to call, in priority order; the offline composer always comes last.

    ``provider`` names a model provider registered through the ``momentum_model_providers``
    hook (empty: the first one installed); the provider also names the environment
    variables of its key and endpoint (Groq: ``GROQ_API_KEY``, ``GROQ_BASE_URL``).
    """

    ENV: ClassVar[Mapping[str, str]] = {"model": "MOMENTUM_MODEL"}

    provider: str = ""
    model: str = "openai/gpt-oss-120b"
    fallbacks: tuple[str, ...] = ("openai/gpt-oss-20b",)
    api_key: Secret = field(default_factory=lambda: Secret(""))
    base_url: str = ""
    timeout_seconds: float = 20.0


TOP_LEVEL: dict[str, Any] = {
    "athlete_id": str,
    "chat": str,
    "fragile_missed_days": int,
    "low_missed_days": int,
}
"""Core's top-level keys and their types."""
FREE_FORM: dict[str, Any] = {
    "pricing": dict[str, dict[str, float]],
    "prompts": dict[str, Any],
    "allowed_link_hosts": list[str],
    "local_plugins": list[str],
    "public_url": str,
}
"""Core's own free-form keys (kept in :attr:`Settings.extra`)."""


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one coach.

    ``sections`` holds the plugins' sections: the file's raw table until the app is built,
    then the validated instance of the plugin's schema (a test may put an instance there
    directly). ``env`` and ``secrets`` are where a section's values may also come from.
    """

    home: Path = Path(".momentum")
    athlete_id: str = "me"
    chat: str = ""
    """A chat platform's name (``slack``), or empty / ``console`` / ``log`` for "the
    configured platform if there is one, else the target's fallback"."""
    model: ModelSettings = field(default_factory=ModelSettings)
    fragile_missed_days: int = 2
    low_missed_days: int = 5
    extra: Mapping[str, Any] = field(default_factory=dict)
    sections: Mapping[str, Any] = field(default_factory=dict, repr=False)
    """Not in the repr: a raw table may hold a secret not yet wrapped in :class:`Secret`."""
    env: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    secrets: Secrets | None = field(default=None, repr=False, compare=False)
    source: str = CONFIG_FILE
    """The file the settings came from, for error messages."""

    def section(self, name: str, schema: type[T]) -> T:
        """Plugin section ``[name]`` as an instance of ``schema`` (validated from the file,
        the environment and the Secrets port unless it already is one)."""
        from momentum.core.settings_schema import validate_section

        value = self.sections.get(name)
        if isinstance(value, schema):
            return value
        if value is not None and not isinstance(value, Mapping):
            raise ConfigError(
                f"settings section [{name}] holds a {type(value).__name__}, "
                f"not a table or a {schema.__name__}"
            )
        raw = value if isinstance(value, Mapping) else {}
        return validate_section(
            name, schema, raw, env=self.env, secrets=self.secrets, source=self.source
        )

    def with_section(self, name: str, value: Any) -> Settings:
        """These settings with plugin section ``name`` replaced by ``value``."""
        from dataclasses import replace

        return replace(self, sections={**self.sections, name: value})


def check_sections(
    settings: Settings, schemas: Mapping[str, type[Any]], *, tolerated: Iterable[str] = ()
) -> Settings:
    """Validate every plugin section against its schema and report sections no plugin
    claims (except ``tolerated`` ones: plugins that failed to load). Returns the settings
    with each section replaced by its validated instance."""
    known = set(schemas) | set(tolerated)
    for name in settings.sections:
        if name not in known:
            raise ConfigError(
                f"{settings.source}: unknown section [{name}] (known: "
                f"{', '.join(sorted({'model', *FREE_FORM, *schemas}))})"
            )
    validated = dict(settings.sections)
    for name, schema in schemas.items():
        validated[name] = settings.section(name, schema)
    from dataclasses import replace

    return replace(settings, sections=validated)


def load_settings(
    home: Path, env: Mapping[str, str] | None = None, *, secrets: Secrets | None = None
) -> Settings:
    """Read ``home/momentum.toml`` (if any) and the environment; core's keys are validated
    now, the plugins' sections when the app is built (:func:`check_sections`)."""
    from momentum.core.settings_schema import convert, validate_section

    env = os.environ if env is None else env
    data: dict[str, Any] = {}
    path = home / CONFIG_FILE
    source = str(path)
    if path.exists():
        import tomllib  # only when there is a file: keeps cold starts short

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    top: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    sections: dict[str, Any] = {}
    for key, value in data.items():
        if key in TOP_LEVEL:
            top[key] = convert(value, TOP_LEVEL[key], where=f"{source}: {key}")
        elif key in FREE_FORM:
            extra[key] = convert(value, FREE_FORM[key], where=f"{source}: [{key}]")
        elif key == "model":
            continue
        elif key == "plugins" and isinstance(value, dict):
            for name, table in value.items():  # [plugins.NAME], the same as [NAME]
                if name in data or not isinstance(table, dict):
                    raise ConfigError(
                        f"{source}: [plugins.{name}] must be a table given once "
                        f"(not also as [{name}])"
                    )
                sections[name] = table
        elif isinstance(value, dict):
            sections[key] = value
        else:
            raise ConfigError(
                f"{source}: unknown key {key!r} (known: {', '.join(sorted(TOP_LEVEL))})"
            )
    model = data.get("model") or {}
    if not isinstance(model, dict):
        raise ConfigError(f"{source}: [model] must be a table, got {model!r}")
    return Settings(
        home=home,
        model=validate_section(
            "model", ModelSettings, model, env=env, secrets=secrets, source=source
        ),
        extra=extra,
        sections=sections,
        env=env,
        secrets=secrets,
        source=source,
        **top,
    )
