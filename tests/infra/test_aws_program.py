"""The stack program (``infra/aws/__main__.py`` → :func:`momentum.infra.aws.program.main`) under
mocks, fed the config a user sets with ``pulumi config set [--secret]``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pulumi
import pytest

from momentum.infra.aws import program
from tests.infra.test_aws_stack import SECRET_SIG, Mocks

pytestmark = [
    pytest.mark.aws,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws.*"),
]

SECRETS = {
    "momentum:groqApiKey": "gsk_program_secret",
    "momentum:slackSigningSecret": "signing-program-secret",
    "momentum:slackBotToken": "xoxb-program-secret",
}


def run(config: dict[str, str], secret_keys: list[str]) -> tuple[Mocks, dict[str, Any]]:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="dev", preview=False)
    pulumi.runtime.set_all_config(config, secret_keys)
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test
    def deploy() -> pulumi.Output[Any]:
        coach = program.main()
        return pulumi.Output.all(
            slack=coach.slack_events_url, strava=coach.strava_webhook_url
        ).apply(outputs.update)

    try:
        deploy()
    finally:
        pulumi.runtime.set_all_config({})
    return mocks, outputs


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Mocks, dict[str, Any], Path]:
    monkeypatch.chdir(tmp_path)  # the bundle goes to ./.momentum-build, as in a project
    config = {
        "momentum:athleteId": "adam",
        "momentum:timezone": "America/Toronto",
        "momentum:stravaClientId": "4242",
        "momentum:plugins": json.dumps(["running"]),
        "momentum:requirements": "[]",  # no pip here; the bundle tests cover pip-less builds
        **SECRETS,
    }
    mocks, outputs = run(config, sorted(SECRETS))
    return mocks, outputs, tmp_path / ".momentum-build" / "momentum.zip"


def test_config_secrets_become_parameters_and_choose_slack_and_groq(
    built: tuple[Mocks, dict[str, Any], Path],
) -> None:
    mocks, outputs, bundle = built
    parameters = {p.inputs["name"]: p.inputs for p in mocks.of("aws:ssm/parameter:Parameter")}
    assert set(parameters) == {
        "/momentum/dev/momentum/GROQ_API_KEY",
        "/momentum/dev/momentum/SLACK_SIGNING_SECRET",
        "/momentum/dev/momentum/SLACK_BOT_TOKEN",
        "/momentum/dev/momentum/MOMENTUM_DASHBOARD_KEY",  # generated: dashboardKey is unset
    }
    assert all(SECRET_SIG in p["value"] for p in parameters.values())
    function = mocks.one("aws:lambda/function:Function").inputs
    variables = function["environment"]["variables"]
    assert variables["MOMENTUM_CHAT"] == "slack" and variables["STRAVA_CLIENT_ID"] == "4242"
    flat = json.dumps(function, default=str)
    assert not [value for value in SECRETS.values() if value in flat]
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
    assert {"momentum/adapters/slack/bolt_app.py", "momentum/adapters/groq/__init__.py"} <= names
    assert not any(name.startswith("momentum/plugins/strava/") for name in names)
    entry_points = archive_text(bundle, "momentum_bundle-0.0.0.dist-info/entry_points.txt")
    assert entry_points.splitlines() == [  # slack and groq register through their hooks
        "[momentum]",
        "groq = momentum.adapters.groq.plugin",
        "running = momentum.plugins.running.plugin",
        "slack = momentum.adapters.slack.plugin",
    ]
    assert outputs["slack"].endswith("/slack/events")
    assert outputs["strava"].endswith("/strava/webhook")


def archive_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode()


def test_without_chat_secrets_the_coach_logs_and_ships_no_slack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    mocks, _ = run(
        {
            "momentum:timezone": "Europe/Berlin",
            "momentum:plugins": json.dumps(["running"]),
            "momentum:requirements": "[]",
        },
        [],
    )
    variables = mocks.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    assert variables["MOMENTUM_CHAT"] == "log"
    with zipfile.ZipFile(tmp_path / ".momentum-build" / "momentum.zip") as archive:
        assert not any(
            n.startswith(("momentum/adapters/slack/", "momentum/adapters/groq/"))
            for n in archive.namelist()
        )
    zones = {
        s.inputs["scheduleExpressionTimezone"] for s in mocks.of("aws:scheduler/schedule:Schedule")
    }
    assert zones == {"UTC"}  # one UTC tick; core works out Berlin's 6 am
    schedule_inputs = [
        json.loads(s.inputs["target"]["input"]) for s in mocks.of("aws:scheduler/schedule:Schedule")
    ]
    assert schedule_inputs == [{"momentum": "tick", "at": "<aws.scheduler.scheduled-time>"}]


def test_a_missing_timezone_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="timezone"):
        run({"momentum:requirements": "[]"}, [])
