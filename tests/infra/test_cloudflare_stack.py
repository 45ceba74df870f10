"""The Cloudflare stack under ``pulumi.runtime.set_mocks`` (no Pulumi CLI, no account):
the Worker's bindings, the cron, the queue consumer, and secrets only as secret bindings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")
pytest.importorskip("pulumi_cloudflare", reason="pulumi-cloudflare is not installed")

from momentum.infra.cloudflare.component import (  # noqa: E402
    MomentumCloudflare,
    MomentumCloudflareArgs,
    module_files,
)

pytestmark = pytest.mark.cloudflare
ACCOUNT = "0123456789abcdef0123456789abcdef"
SECRET_VALUES = {"SLACK_BOT_TOKEN": "xoxb-test-value-2", "GROQ_API_KEY": "gsk_test_value_1"}


@dataclass
class Resource:
    typ: str
    name: str
    inputs: dict[str, Any]


@dataclass
class Mocks(pulumi.runtime.Mocks):  # type: ignore[misc]
    """Echo inputs as state, with the ids the stack reads."""

    resources: list[Resource] = field(default_factory=list)

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        if args.typ == "cloudflare:index/queue:Queue":
            state["queueId"] = f"q-{args.inputs['queueName']}"
        self.resources.append(Resource(args.typ, args.name, dict(args.inputs)))
        return f"{args.name}-id", state

    def call(self, args: Any) -> dict[str, Any]:
        return {}

    def of(self, kind: str) -> list[Resource]:
        return [r for r in self.resources if r.typ.endswith(f":{kind}")]


SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""Pulumi's marker on a value the engine keeps secret (encrypted in state)."""


def bindings_of(script: Resource) -> list[dict[str, Any]]:
    """The script's bindings; a secret binding makes Pulumi keep the whole list secret."""
    raw = script.inputs["bindings"]
    if isinstance(raw, dict) and SECRET_SIG in raw:
        raw = raw["value"]
    return [b["value"] if isinstance(b, dict) and SECRET_SIG in b else b for b in raw]


def text_of(binding: dict[str, Any]) -> Any:
    text = binding.get("text")
    return text["value"] if isinstance(text, dict) and SECRET_SIG in text else text


def fake_package(folder: Path) -> Path:
    (folder / "momentum" / "core").mkdir(parents=True)
    (folder / "worker.py").write_text("from momentum.adapters.cloudflare.entry import Default\n")
    (folder / "momentum" / "__init__.py").write_text("")
    (folder / "momentum" / "core" / "__init__.py").write_text("")
    prompts = folder / "momentum" / "plugins" / "running" / "prompts"
    prompts.mkdir(parents=True)
    (prompts / "checkin.j2").write_text("{{ name }}")
    (folder / "python_modules" / "pluggy").mkdir(parents=True)
    (folder / "python_modules" / "pluggy" / "__init__.py").write_text("")
    (folder / "README.md").write_text("wrangler's note")
    return folder


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Mocks, dict[str, Any]]:
    package = fake_package(tmp_path_factory.mktemp("worker"))
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="test", preview=False)
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[misc]
    def program() -> Any:
        coach = MomentumCloudflare(
            "coach",
            MomentumCloudflareArgs(
                account_id=ACCOUNT,
                package_dir=package,
                workers_subdomain="adam",
                secrets=dict(SECRET_VALUES),
                environment={"STRAVA_CLIENT_ID": "4242"},
            ),
        )
        return pulumi.Output.all(
            slack=coach.slack_events_url, strava=coach.strava_webhook_url
        ).apply(outputs.update)

    program()
    return mocks, outputs


def test_the_stack_outputs_the_slack_and_strava_urls(deployed: tuple[Mocks, Any]) -> None:
    _, outputs = deployed
    assert outputs == {
        "slack": "https://momentum.adam.workers.dev/slack/events",
        "strava": "https://momentum.adam.workers.dev/strava/webhook",
    }


def test_the_worker_is_python_with_d1_r2_and_queue_bindings(deployed: tuple[Mocks, Any]) -> None:
    mocks, _ = deployed
    [script] = mocks.of("WorkersScript")
    assert script.inputs["compatibilityFlags"] == ["python_workers"]
    assert script.inputs["mainModule"] == "worker.py"
    assert script.inputs["contentType"] == "text/x-python"
    files = script.inputs["files"]
    assert {name: f["contentType"] for name, f in files.items()} == {
        "momentum/__init__.py": "text/x-python",
        "momentum/core/__init__.py": "text/x-python",
        "momentum/plugins/running/prompts/checkin.j2": "application/octet-stream",
        "python_modules/pluggy/__init__.py": "application/octet-stream",
    }
    bindings = {b["name"]: b for b in bindings_of(script)}
    [database] = mocks.of("D1Database")
    [bucket] = mocks.of("R2Bucket")
    assert bindings["DB"]["type"] == "d1" and bindings["DB"]["id"] == f"{database.name}-id"
    assert bindings["BUCKET"] == {
        "name": "BUCKET",
        "type": "r2_bucket",
        "bucketName": bucket.inputs["name"],
    }
    assert bindings["QUEUE"] == {"name": "QUEUE", "type": "queue", "queueName": "momentum-deferred"}
    assert bindings["STRAVA_CLIENT_ID"] == {
        "name": "STRAVA_CLIENT_ID",
        "type": "plain_text",
        "text": "4242",
    }


def test_secrets_are_secret_bindings_never_plain_text(deployed: tuple[Mocks, Any]) -> None:
    mocks, _ = deployed
    [script] = mocks.of("WorkersScript")
    assert SECRET_SIG in script.inputs["bindings"]  # kept secret in Pulumi's state
    bindings = {b["name"]: b for b in bindings_of(script)}
    for name, value in SECRET_VALUES.items():
        assert bindings[name]["type"] == "secret_text" and text_of(bindings[name]) == value
    plain = [b for b in bindings_of(script) if b["type"] == "plain_text"]
    dumped = json.dumps(plain)
    assert not any(value in dumped for value in SECRET_VALUES.values())


def test_the_cron_is_the_15_minute_tick_and_the_queue_has_its_consumer(
    deployed: tuple[Mocks, Any],
) -> None:
    mocks, _ = deployed
    [cron] = mocks.of("WorkersCronTrigger")
    assert cron.inputs["schedules"] == [{"cron": "*/15 * * * *"}]
    assert cron.inputs["scriptName"] == "momentum"
    [consumer] = mocks.of("QueueConsumer")
    assert consumer.inputs["queueId"] == "q-momentum-deferred"
    assert consumer.inputs["scriptName"] == "momentum" and consumer.inputs["type"] == "worker"
    assert consumer.inputs["deadLetterQueue"] == "momentum-deferred-dlq"
    assert consumer.inputs["settings"]["maxRetries"] == 5
    assert {q.inputs["queueName"] for q in mocks.of("Queue")} == {
        "momentum-deferred",
        "momentum-deferred-dlq",
    }
    [route] = mocks.of("WorkersScriptSubdomain")
    assert route.inputs["enabled"] is True


def test_a_setting_may_not_replace_a_binding(tmp_path: Path) -> None:
    package = fake_package(tmp_path)
    args = MomentumCloudflareArgs(ACCOUNT, package, "adam", environment={"DB": "x"})
    with pytest.raises(ValueError, match="DB"):
        MomentumCloudflare._script(None, "c", args, None, None)  # type: ignore[arg-type]


def test_a_package_without_worker_py_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"worker\.py"):
        module_files(tmp_path)


def test_momentum_cloud_cloudflare_chooses_this_program() -> None:
    from momentum.infra import cloud

    assert "cloudflare" in cloud.CLOUDS
    import importlib

    program = importlib.import_module("momentum.infra.cloudflare.program")
    assert callable(program.main) and callable(program.args_from)
