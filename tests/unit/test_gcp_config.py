"""The GCP target's configuration errors name what is wrong (never a secret's value),
before any cloud call: the function's environment, Secret Manager names, OIDC settings."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("google.auth", reason="the gcp extra is not installed")

from momentum.adapters.gcp.bootstrap import OidcCheck, build_gcp_app
from momentum.adapters.gcp.secret_manager import SecretManagerSecrets, secret_names
from momentum.core.errors import ConfigError, InputError
from momentum.core.memory import RecordingChat

pytestmark = pytest.mark.gcp


def test_secret_names_are_setting_equals_a_secret_resource() -> None:
    names = secret_names(
        {
            "MOMENTUM_SECRETS": "GROQ_API_KEY=projects/p/secrets/groq, SLACK_BOT_TOKEN="
            "projects/p/secrets/bot/versions/3"
        }
    )
    assert names == {
        "GROQ_API_KEY": "projects/p/secrets/groq/versions/latest",
        "SLACK_BOT_TOKEN": "projects/p/secrets/bot/versions/3",
    }
    assert secret_names({}) == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("groq=projects/p/secrets/g", "entry 'groq=projects/p/secrets/g' is not SETTING="),
        ("GROQ_API_KEY", "is not SETTING="),
        ("GROQ_API_KEY=gsk_live_value", "'gsk_live_value' is not projects/PROJECT/secrets/NAME"),
        ("GROQ_API_KEY=projects/p/secrets/../x", "is not projects/PROJECT/secrets/NAME"),
    ],
)
def test_malformed_secret_names_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ConfigError, match="MOMENTUM_SECRETS") as raised:
        secret_names({"MOMENTUM_SECRETS": text})
    assert reason in str(raised.value)


def test_an_unconfigured_secret_is_none_without_a_call() -> None:
    secrets = SecretManagerSecrets({}, client=lambda: pytest.fail("no client is needed"))
    assert secrets.get("GROQ_API_KEY") is None
    assert repr(secrets) == "SecretManagerSecrets(0 names)"


def test_the_oidc_check_needs_the_functions_url_and_invoker() -> None:
    with pytest.raises(ConfigError, match="MOMENTUM_FUNCTION_URL"):
        OidcCheck.from_env({"MOMENTUM_INVOKER_ACCOUNT": "i@p.iam.gserviceaccount.com"})
    check = OidcCheck.from_env(
        {"MOMENTUM_FUNCTION_URL": "https://fn.run.app/", "MOMENTUM_INVOKER_ACCOUNT": "i@p"}
    )
    assert check.audience == "https://fn.run.app"
    assert check.certs_url.startswith("https://www.googleapis.com/")
    with pytest.raises(InputError, match="Bearer"):
        check.verify(None)


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("MOMENTUM_PROJECT", {}),
        ("MOMENTUM_BUCKET", {"MOMENTUM_PROJECT": "p"}),
        ("MOMENTUM_TASKS_QUEUE", {"MOMENTUM_PROJECT": "p", "MOMENTUM_BUCKET": "b"}),
    ],
)
def test_the_bootstrap_names_a_missing_setting(
    missing: str, env: dict[str, str], tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match=missing):
        build_gcp_app({**env, "MOMENTUM_HOME": str(tmp_path)}, chat=RecordingChat())
