"""Model providers and chat platforms are chosen through plugin hooks and configuration;
core names neither Groq nor Slack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from momentum import (
    ChatPlatform,
    Completion,
    CompletionRequest,
    ConfigError,
    Model,
    ModelProvider,
    ModelSettings,
    Secret,
    Settings,
    hookimpl,
)
from momentum.core.chat_choice import choose_chat
from momentum.core.compose import build_model
from momentum.core.memory import InMemoryStorage, RecordingChat
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.testing import FixedClock, PluginHarness

CORE = Path(__file__).resolve().parents[2] / "core"


class Parrot(Model):
    """A model that says which id it is."""

    def __init__(self, model: str, key: str) -> None:
        self.name = model
        self.key = key

    def complete(self, request: CompletionRequest) -> Completion:
        return Completion(text=f"{self.name} says hi", model=self.name, provider="parrot")


class ParrotPlugin:
    @hookimpl
    def momentum_model_providers(self) -> list[ModelProvider]:
        def build(settings: ModelSettings, model: str) -> Model:
            return Parrot(model, settings.api_key.reveal())

        return [ModelProvider("parrot", build, env={"api_key": "PARROT_KEY"})]


def host_with(*plugins: object) -> PluginHost:
    host = PluginHost()
    for plugin in plugins:
        host.register(plugin)
    return host


def test_core_names_no_provider_or_platform() -> None:
    for path in CORE.rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        assert '"groq"' not in text and '"slack"' not in text, path


def test_the_chain_follows_model_provider_model_and_fallbacks() -> None:
    settings = Settings(
        model=ModelSettings(provider="parrot", model="big", fallbacks=("small",)),
        env={"PARROT_KEY": "k-1"},
    )
    chain: Any = build_model(
        settings, InMemoryStorage(), FixedClock.__new__(FixedClock), host_with(ParrotPlugin())
    )
    assert [m.name for m in chain.models] == ["big", "small", "offline"]
    assert chain.models[0].key == "k-1"


def test_without_a_key_only_the_offline_composer_answers() -> None:
    settings = Settings(model=ModelSettings(provider="parrot"))
    chain: Any = build_model(
        settings, InMemoryStorage(), FixedClock.__new__(FixedClock), host_with(ParrotPlugin())
    )
    assert [m.name for m in chain.models] == ["offline"]


def test_an_unknown_provider_with_a_key_is_a_config_error() -> None:
    settings = Settings(model=ModelSettings(provider="nope", api_key=Secret("k")))
    with pytest.raises(ConfigError, match=r"\[model\] provider: no model provider 'nope'.*parrot"):
        build_model(
            settings, InMemoryStorage(), FixedClock.__new__(FixedClock), host_with(ParrotPlugin())
        )


def test_groq_and_slack_register_through_the_entry_point_group() -> None:
    host = load_plugins()
    assert "groq" in host.model_providers()
    assert sorted(p.name for p in host.chat_platforms()) == ["slack", "teams"]
    assert host.settings_schemas()["slack"].__name__ == "SlackSettings"
    assert host.settings_schemas()["teams"].__name__ == "TeamsSettings"


def platform(name: str, *, posts: bool, receives: bool, installed: list[str]) -> ChatPlatform:
    chat = RecordingChat()
    chat.name = name  # type: ignore[attr-defined]
    return ChatPlatform(
        name,
        build_chat=lambda settings: chat,
        can_post=lambda settings: posts,
        receives=lambda settings: receives,
        install=lambda app: installed.append(name),
    )


def test_choose_chat_by_name_by_configuration_or_fallback() -> None:
    installed: list[str] = []
    quiet = platform("quiet", posts=True, receives=False, installed=installed)
    ready = platform("ready", posts=True, receives=True, installed=installed)
    mute = platform("mute", posts=False, receives=True, installed=installed)
    fallback = RecordingChat()
    s = Settings()
    assert getattr(choose_chat(s, [quiet, ready], lambda: fallback), "name", "") == "ready"
    assert choose_chat(s, [quiet], lambda: fallback) is fallback  # can't verify requests
    assert choose_chat(s, [quiet], lambda: fallback, wanted="quiet").name == "quiet"
    assert choose_chat(s, [mute], lambda: fallback, wanted="mute") is fallback  # can't post
    assert choose_chat(s, [ready], lambda: fallback, wanted="log") is fallback
    with pytest.raises(ConfigError, match=r"chat 'teams' is not available .*log, quiet"):
        choose_chat(s, [quiet], lambda: fallback, wanted="teams")


def test_a_platform_that_can_verify_requests_gets_its_routes_installed() -> None:
    installed: list[str] = []

    class Platforms:
        @hookimpl
        def momentum_chat_platforms(self) -> list[ChatPlatform]:
            return [
                platform("ready", posts=True, receives=True, installed=installed),
                platform("quiet", posts=True, receives=False, installed=installed),
            ]

    PluginHarness(Platforms())
    assert installed == ["ready"]
