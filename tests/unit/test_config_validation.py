"""The whole configuration is validated at start: every error names the file, the key,
the expected type and the value received; unknown keys are errors too. Plugins' sections
(``[slack]``, ``[strava]``) come from their own schemas, with the usual env var names."""

from __future__ import annotations

from pathlib import Path

import pytest

from momentum.adapters.groq.plugin import PROVIDER as GROQ
from momentum.adapters.slack.settings import slack_settings
from momentum.core.compose import build_app, provider_settings
from momentum.core.config import Settings, check_sections, load_settings
from momentum.core.errors import ConfigError
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.secrets import MappingSecrets
from momentum.plugins.strava.settings import strava_settings


def write(home: Path, text: str) -> Path:
    (home / "momentum.toml").write_text(text, encoding="utf-8")
    return home


def build(settings: Settings) -> object:
    return build_app(
        settings,
        storage=InMemoryStorage(),
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=ScriptedModel(),
        plugins=load_plugins(),
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'fragile_missed_days = "two"',
            r"momentum\.toml: fragile_missed_days: expected int, got 'two'",
        ),
        ("athlete_id = 7.5", r"momentum\.toml: athlete_id: expected str, got 7\.5"),
        (
            '[model]\ntimeout_seconds = "slow"',
            r"\[model\] timeout_seconds: expected float, got 'slow'",
        ),
        ("[model]\nfallbacks = 3", r"\[model\] fallbacks: expected tuple\[str, \.\.\.\], got 3"),
        ('[model]\nmodle = "x"', r"\[model\] unknown key 'modle' \(known: api_key, base_url"),
        ("colour = 1", r"momentum\.toml: unknown key 'colour'"),
    ],
)
def test_core_keys_are_checked_when_loaded(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, toml), env={})


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[slack]\nbase_url = 8080", r"momentum\.toml: \[slack\] base_url: expected str, got 8080"),
        ('[slack]\nsigning_secrett = "x"', r"\[slack\] unknown key 'signing_secrett'"),
        (
            "[strava]\nverify_token = 12",
            r"\[strava\] verify_token: expected str \(a secret\), got int",
        ),
        ("[stravaa]\nclient_id = 1", r"unknown section \[stravaa\] \(known: .*strava"),
    ],
)
def test_plugin_sections_are_checked_when_the_app_is_built(
    tmp_path: Path, toml: str, message: str
) -> None:
    settings = load_settings(write(tmp_path, toml), env={})
    with pytest.raises(ConfigError, match=message):
        build(settings)


def test_a_wrong_env_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"MOMENTUM_MODEL_TIMEOUT_SECONDS: expected float"):
        load_settings(tmp_path, env={"MOMENTUM_MODEL_TIMEOUT_SECONDS": "soon"})


def test_the_usual_env_names_and_toml_keys_still_work(tmp_path: Path) -> None:
    home = write(
        tmp_path,
        '[slack]\nbase_url = "http://127.0.0.1:9"\nbot_token = "xoxb-file"\n'
        '[strava]\nclient_id = 4242\nsubscription_id = "1001"\n'
        '[model]\nfallbacks = ["a", "b"]\n',
    )
    env = {
        "SLACK_BOT_TOKEN": "xoxb-env",
        "STRAVA_CLIENT_SECRET": "strava-secret",
        "GROQ_API_KEY": "gsk_env",
        "MOMENTUM_MODEL": "openai/gpt-oss-20b",
    }
    settings = load_settings(home, env=env)
    slack = slack_settings(settings)
    assert slack.bot_token.reveal() == "xoxb-env"  # the environment wins over the file
    assert slack.base_url == "http://127.0.0.1:9"
    strava = strava_settings(settings)
    assert strava.client_id == "4242" and strava.subscription_id == "1001"
    assert strava.client_secret.reveal() == "strava-secret"
    assert settings.model.model == "openai/gpt-oss-20b" and settings.model.fallbacks == ("a", "b")
    assert provider_settings(settings, GROQ).api_key.reveal() == "gsk_env"
    assert "xoxb-env" not in repr(settings) and "gsk_env" not in repr(settings)


def test_secrets_come_through_the_secrets_port(tmp_path: Path) -> None:
    secrets = MappingSecrets({"SLACK_SIGNING_SECRET": "from-the-vault", "GROQ_API_KEY": "gsk_v"})
    settings = load_settings(tmp_path, env={}, secrets=secrets)
    assert slack_settings(settings).signing_secret.reveal() == "from-the-vault"
    assert provider_settings(settings, GROQ).api_key.reveal() == "gsk_v"
    assert slack_settings(settings).base_url == ""  # plain fields never come from secrets


def test_validated_sections_are_kept_on_the_app(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[strava]\nclient_id = "9"\n'), env={})
    app = build(settings)
    assert strava_settings(app.settings).client_id == "9"  # type: ignore[attr-defined]
    checked = check_sections(settings, {}, tolerated=["strava"])  # a plugin that failed
    assert checked.sections == {"strava": {"client_id": "9"}}


def test_a_plugin_section_may_also_be_written_under_plugins(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[plugins.strava]\nclient_id = "77"\n'), env={})
    assert strava_settings(settings).client_id == "77"
    twice = '[strava]\nclient_id = "1"\n[plugins.strava]\nclient_id = "2"\n'
    with pytest.raises(ConfigError, match=r"\[plugins\.strava\] must be a table given once"):
        load_settings(write(tmp_path, twice), env={})


def test_secrets_in_the_file_never_show_in_a_repr(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[slack]\nbot_token = "xoxb-in-file"\n'), env={})
    assert "xoxb-in-file" not in repr(settings)
    assert "xoxb-in-file" not in repr(slack_settings(settings))
    assert slack_settings(settings).bot_token.reveal() == "xoxb-in-file"


def test_a_section_holding_the_wrong_object_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"section \[slack\] holds a int"):
        slack_settings(Settings(sections={"slack": 3}))
