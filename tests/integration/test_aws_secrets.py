"""Secrets at cold start: SSM SecureString parameters (or one Secrets Manager JSON secret)
named by the environment, read once, cached, never logged. boto3 talks to moto server."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.aws import clients, secrets
from momentum.adapters.aws.bootstrap import load_aws_settings
from momentum.adapters.groq.plugin import PROVIDER as GROQ
from momentum.adapters.slack.settings import slack_settings
from momentum.core.compose import provider_settings
from momentum.core.errors import ConfigError
from momentum.plugins.strava.settings import strava_settings
from tests.support.aws import aws_environment, boto_client, shared_moto_endpoint

pytestmark = [pytest.mark.integration, pytest.mark.aws]

VALUES = {
    "GROQ_API_KEY": "gsk_live_0123456789abcdef",
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-secret",
    "SLACK_SIGNING_SECRET": "8f14e45fceea167a5a36dedd4bea2543",
    "STRAVA_CLIENT_SECRET": "strava-very-secret",
}


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    try:
        url = shared_moto_endpoint()
    except RuntimeError as error:
        pytest.skip(f"moto server unavailable: {error}")
    for key, value in aws_environment(url).items():
        monkeypatch.setenv(key, value)
    clients.clear_cache()
    secrets.clear_cache()
    yield url
    clients.clear_cache()
    secrets.clear_cache()


def store(endpoint: str, values: dict[str, str]) -> dict[str, str]:
    """SecureString parameters under a fresh prefix; returns the function's environment."""
    ssm = boto_client("ssm", endpoint)
    prefix = f"/momentum-{uuid.uuid4().hex[:8]}"
    pairs = []
    for setting, value in values.items():
        name = f"{prefix}/{setting}"
        ssm.put_parameter(Name=name, Value=value, Type="SecureString")
        pairs.append(f"{setting}={name}")
    return {secrets.SSM_PARAMETERS_ENV: ",".join(pairs)}


def test_secrets_reach_settings_from_ssm_and_only_names_are_in_the_environment(
    endpoint: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env = {**store(endpoint, VALUES), "MOMENTUM_HOME": str(tmp_path)}
    with caplog.at_level(logging.DEBUG, logger="momentum"):
        settings = load_aws_settings(env)
    assert provider_settings(settings, GROQ).api_key.reveal() == VALUES["GROQ_API_KEY"]
    assert slack_settings(settings).bot_token.reveal() == VALUES["SLACK_BOT_TOKEN"]
    assert slack_settings(settings).signing_secret.reveal() == VALUES["SLACK_SIGNING_SECRET"]
    assert strava_settings(settings).client_secret.reveal() == VALUES["STRAVA_CLIENT_SECRET"]
    shown = caplog.text + repr(settings) + json.dumps(env)
    assert not [value for value in VALUES.values() if value in shown]
    assert "GROQ_API_KEY" in caplog.text  # names are fine to log


def test_secrets_are_read_once_per_sandbox(endpoint: str) -> None:
    env = store(endpoint, {"GROQ_API_KEY": "first"})
    assert secrets.load_secrets(env) == {"GROQ_API_KEY": "first"}
    name = env[secrets.SSM_PARAMETERS_ENV].split("=", 1)[1]
    ssm = boto_client("ssm", endpoint)
    ssm.put_parameter(Name=name, Value="rotated", Type="SecureString", Overwrite=True)
    assert secrets.load_secrets(env) == {"GROQ_API_KEY": "first"}  # no second call
    secrets.clear_cache()  # a new sandbox
    assert secrets.load_secrets(env) == {"GROQ_API_KEY": "rotated"}


def test_more_than_ten_parameters_are_fetched_in_batches(endpoint: str) -> None:
    values = {f"SECRET_{i:02d}": f"value-{i}" for i in range(23)}
    assert secrets.load_secrets(store(endpoint, values)) == values


def test_a_missing_parameter_names_the_parameter_not_a_value(endpoint: str) -> None:
    env = store(endpoint, {"GROQ_API_KEY": "gsk_present"})
    env[secrets.SSM_PARAMETERS_ENV] += ",SLACK_BOT_TOKEN=/momentum-missing/SLACK_BOT_TOKEN"
    with pytest.raises(ConfigError, match="/momentum-missing/SLACK_BOT_TOKEN") as caught:
        secrets.load_secrets(env)
    assert "gsk_present" not in str(caught.value)


@pytest.mark.parametrize("text", ["GROQ_API_KEY", "lower=/x", "A=", "=/x", "A=/x,B"])
def test_a_malformed_parameter_list_is_refused_by_entry(text: str) -> None:
    with pytest.raises(ConfigError, match=secrets.SSM_PARAMETERS_ENV):
        secrets.parse_parameter_map(text)


def test_a_secrets_manager_json_secret_works_too(endpoint: str) -> None:
    manager = boto_client("secretsmanager", endpoint)
    name = f"momentum-{uuid.uuid4().hex[:8]}"
    manager.create_secret(Name=name, SecretString=json.dumps({"GROQ_API_KEY": "gsk_sm"}))
    ssm_env = store(endpoint, {"SLACK_BOT_TOKEN": "xoxb-ssm"})
    env = {secrets.SECRET_ID_ENV: name, **ssm_env}
    assert secrets.load_secrets(env) == {"GROQ_API_KEY": "gsk_sm", "SLACK_BOT_TOKEN": "xoxb-ssm"}


@pytest.mark.parametrize("value", ["not json", '["a"]', '{"GROQ_API_KEY": 3}'])
def test_a_secrets_manager_secret_must_be_a_json_object_of_strings(
    endpoint: str, value: Any
) -> None:
    manager = boto_client("secretsmanager", endpoint)
    name = f"momentum-{uuid.uuid4().hex[:8]}"
    manager.create_secret(Name=name, SecretString=value)
    with pytest.raises(ConfigError, match=name):
        secrets.load_secrets({secrets.SECRET_ID_ENV: name})


def test_nothing_configured_means_no_call_and_no_secrets() -> None:
    secrets.clear_cache()
    assert secrets.load_secrets({}) == {}
