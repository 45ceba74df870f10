"""The GCP stack under ``pulumi.runtime.set_mocks`` (no Pulumi CLI, no project): least
privilege IAM (no basic roles; every grant on the coach's own resources), OIDC on the
scheduler job and the tasks, no public bucket, secrets referenced by name rather than
inlined, and ``momentum:cloud gcp`` choosing it through ``infra/cloud.py``."""

from __future__ import annotations

import base64
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")
pytest.importorskip("pulumi_gcp", reason="pulumi-gcp is not installed")

from momentum.infra.gcp import roles  # noqa: E402
from momentum.infra.gcp.component import MomentumGcp, MomentumGcpArgs  # noqa: E402

pytestmark = [
    pytest.mark.gcp,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_gcp.*"),
]
PROJECT, NUMBER, REGION = "demo-project", "123456789012", "europe-west1"
SECRET_VALUES = {"SLACK_BOT_TOKEN": "xoxb-test-value-2", "GROQ_API_KEY": "gsk_test_value_1"}
URL = f"https://coach-fn-{NUMBER}.{REGION}.run.app"


@dataclass
class Resource:
    typ: str
    name: str
    inputs: dict[str, Any]


@dataclass
class Mocks(pulumi.runtime.Mocks):  # type: ignore[misc]
    """Echo inputs as state, with the outputs the stack reads (emails, the service)."""

    resources: list[Resource] = field(default_factory=list)

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        if args.typ == "gcp:serviceaccount/account:Account":
            email = f"{args.inputs['accountId']}@{PROJECT}.iam.gserviceaccount.com"
            state.update(email=email, name=f"projects/{PROJECT}/serviceAccounts/{email}")
        if args.typ == "gcp:cloudfunctionsv2/function:Function":
            config = dict(args.inputs["serviceConfig"])
            state["serviceConfig"] = {**config, "service": args.inputs["name"]}
        if args.typ == "gcp:storage/bucketObject:BucketObject":
            state["generation"] = 1
        state.setdefault("name", args.name)
        self.resources.append(Resource(args.typ, args.name, dict(args.inputs)))
        return f"{args.typ}/{args.name}", state

    def call(self, args: Any) -> dict[str, Any]:
        if args.token == "gcp:organizations/getProject:getProject":
            return {"projectId": PROJECT, "number": NUMBER, "name": PROJECT}
        return {}

    def of(self, typ: str) -> list[Resource]:
        return [r for r in self.resources if r.typ == f"gcp:{typ}"]

    def one(self, typ: str) -> Resource:
        [found] = self.of(typ)
        return found

    def grants(self) -> list[Resource]:
        """Every IAM member binding the stack made."""
        return [r for r in self.resources if "IamMember" in r.typ or "IAMMember" in r.typ]


def deploy(make: Any) -> tuple[Mocks, dict[str, Any]]:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="test", preview=False)
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[misc]
    def program() -> Any:
        coach = make()
        return pulumi.Output.all(
            slack=coach.slack_events_url, strava=coach.strava_webhook_url
        ).apply(outputs.update)

    program()
    return mocks, outputs


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Mocks, dict[str, Any]]:
    package = tmp_path_factory.mktemp("bundle") / "prebuilt.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("main.py", "momentum = None\n")
    args = MomentumGcpArgs(
        region=REGION,
        bundle_path=str(package),
        secrets=dict(SECRET_VALUES),
        environment={"STRAVA_CLIENT_ID": "4242"},
    )
    return deploy(lambda: MomentumGcp("coach", args))


def test_the_stack_outputs_the_slack_and_strava_urls(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    _, outputs = deployed
    assert outputs == {"slack": f"{URL}/slack/events", "strava": f"{URL}/strava/webhook"}


def test_the_function_is_gen2_python_scaling_to_zero_on_its_own_account(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    function = mocks.one("cloudfunctionsv2/function:Function").inputs
    assert function["buildConfig"]["runtime"] == "python311"
    assert function["buildConfig"]["entryPoint"] == "momentum"
    service = function["serviceConfig"]
    assert service["minInstanceCount"] == 0
    assert service["serviceAccountEmail"] == f"coach-fn@{PROJECT}.iam.gserviceaccount.com"


def test_no_basic_roles_and_every_grant_is_on_the_coachs_own_resources(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    runtime = f"serviceAccount:coach-fn@{PROJECT}.iam.gserviceaccount.com"
    invoker = f"serviceAccount:coach-invoker@{PROJECT}.iam.gserviceaccount.com"
    grants = mocks.grants()
    assert not any(g.inputs["role"] in roles.FORBIDDEN for g in grants)
    [project_level] = mocks.of("projects/iAMMember:IAMMember")
    assert project_level.inputs["role"] == roles.FIRESTORE_USER
    assert project_level.inputs["member"] == runtime
    expression = project_level.inputs["condition"]["expression"]
    assert expression == f'resource.name == "projects/{PROJECT}/databases/(default)"'
    bucket = mocks.one("storage/bucketIAMMember:BucketIAMMember").inputs
    assert bucket["role"] == roles.OBJECT_ADMIN and bucket["member"] == runtime
    assert bucket["bucket"] == "coach-data"  # the data bucket, not the source bucket
    queue = mocks.one("cloudtasks/queueIamMember:QueueIamMember").inputs
    assert (queue["role"], queue["member"], queue["name"]) == (
        roles.TASKS_ENQUEUER,
        runtime,
        "coach-tasks",
    )
    act_as = mocks.one("serviceaccount/iAMMember:IAMMember").inputs
    assert act_as["role"] == roles.ACT_AS and act_as["member"] == runtime
    assert act_as["serviceAccountId"].endswith("coach-invoker@demo-project.iam.gserviceaccount.com")
    accessors = mocks.of("secretmanager/secretIamMember:SecretIamMember")
    assert sorted(a.inputs["secretId"] for a in accessors) == [
        "momentum-groq-api-key",
        "momentum-slack-bot-token",
    ]
    assert {(a.inputs["role"], a.inputs["member"]) for a in accessors} == {
        (roles.SECRET_ACCESSOR, runtime)
    }
    invokers = mocks.of("cloudrunv2/serviceIamMember:ServiceIamMember")
    assert {(i.inputs["member"], i.inputs["name"]) for i in invokers} == {
        (invoker, "coach-fn"),
        ("allUsers", "coach-fn"),  # Slack and Strava can't sign OIDC; the routes verify them
    }
    assert all(i.inputs["role"] == roles.RUN_INVOKER for i in invokers)
    assert not any(
        g.inputs["role"] == roles.RUN_INVOKER for g in mocks.of("projects/iAMMember:IAMMember")
    )


def test_the_scheduler_and_the_tasks_carry_the_invokers_oidc_token(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    email = f"coach-invoker@{PROJECT}.iam.gserviceaccount.com"
    job = mocks.one("cloudscheduler/job:Job").inputs
    assert job["schedule"] == "*/15 * * * *" and job["timeZone"] == "Etc/UTC"
    target = job["httpTarget"]
    assert target["uri"] == f"{URL}/tick" and target["httpMethod"] == "POST"
    assert target["oidcToken"] == {"serviceAccountEmail": email, "audience": URL}
    assert json.loads(base64.b64decode(target["body"])) == {"momentum": "tick"}
    env = mocks.one("cloudfunctionsv2/function:Function").inputs["serviceConfig"][
        "environmentVariables"
    ]
    assert env["MOMENTUM_INVOKER_ACCOUNT"] == email  # tasks' tokens: CloudTasksDeferral
    assert env["MOMENTUM_FUNCTION_URL"] == URL
    assert (
        env["MOMENTUM_TASKS_QUEUE"] == f"projects/{PROJECT}/locations/{REGION}/queues/coach-tasks"
    )
    queue = mocks.one("cloudtasks/queue:Queue").inputs
    assert queue["retryConfig"]["maxAttempts"] == 5
    assert queue["retryConfig"]["maxRetryDuration"] == "3600s"


def test_buckets_are_private_and_spilled_payloads_expire(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    buckets = {b.name: b.inputs for b in mocks.of("storage/bucket:Bucket")}
    assert set(buckets) == {"coach-data", "coach-source"}
    for bucket in buckets.values():
        assert bucket["publicAccessPrevention"] == "enforced"
        assert bucket["uniformBucketLevelAccess"] is True
    [rule] = buckets["coach-data"]["lifecycleRules"]
    assert rule["action"] == {"type": "Delete"}
    assert rule["condition"]["matchesPrefixes"] == ["deferred/"] and rule["condition"]["age"] == 7


def test_secrets_are_referenced_by_name_never_inlined(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    function = mocks.one("cloudfunctionsv2/function:Function").inputs
    env = function["serviceConfig"]["environmentVariables"]
    names = dict(pair.split("=", 1) for pair in env["MOMENTUM_SECRETS"].split(","))
    assert names == {
        "GROQ_API_KEY": f"projects/{PROJECT}/secrets/momentum-groq-api-key",
        "SLACK_BOT_TOKEN": f"projects/{PROJECT}/secrets/momentum-slack-bot-token",
    }
    dumped = json.dumps(function, default=str)
    assert not any(value in dumped for value in SECRET_VALUES.values())
    assert env["STRAVA_CLIENT_ID"] == "4242"
    versions = mocks.of("secretmanager/secretVersion:SecretVersion")
    assert len(versions) == 2
    replicated = mocks.of("secretmanager/secret:Secret")
    assert all(s.inputs["replication"] == {"auto": {}} for s in replicated)


def test_firestore_is_native_with_the_claims_ttl_policy(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    database = mocks.one("firestore/database:Database").inputs
    assert database["type"] == "FIRESTORE_NATIVE" and database["name"] == "(default)"
    fields = {
        (f.inputs["collection"], f.inputs["field"]): f.inputs
        for f in mocks.of("firestore/field:Field")
    }
    ttl = fields[("claims", "expires_at")]
    assert "ttlConfig" in ttl
    assert fields[("activities", "body")]["indexConfig"] == {"indexes": []}  # never queried


def test_momentum_cloud_gcp_chooses_this_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from momentum.infra import cloud

    monkeypatch.chdir(tmp_path)
    config = {
        "momentum:cloud": "gcp",
        "momentum:region": REGION,
        "momentum:plugins": json.dumps(["running"]),
        "momentum:slackBotToken": "xoxb-program-secret",
        "momentum:slackSigningSecret": "signing-program-secret",
    }
    pulumi.runtime.set_all_config(config, ["momentum:slackBotToken", "momentum:slackSigningSecret"])
    try:
        mocks, outputs = deploy(cloud.main)
    finally:
        pulumi.runtime.set_all_config({})
    assert outputs["slack"] == f"https://momentum-fn-{NUMBER}.{REGION}.run.app/slack/events"
    env = mocks.one("cloudfunctionsv2/function:Function").inputs["serviceConfig"][
        "environmentVariables"
    ]
    assert env["MOMENTUM_CHAT"] == "slack"
    source = mocks.one("storage/bucketObject:BucketObject").inputs["source"]
    with zipfile.ZipFile(source.path) as archive:
        names = set(archive.namelist())
        requirements = archive.read("requirements.txt").decode().split()
        main_py = archive.read("main.py").decode()
    assert "momentum/adapters/gcp/main.py" in names
    assert not any(name.startswith("momentum/adapters/gcp/testing/") for name in names)
    assert not any(name.startswith("momentum/adapters/aws/") for name in names)
    assert "from momentum.adapters.gcp.main import momentum" in main_py
    assert "functions-framework>=3.8" in requirements and "slack-bolt>=1.21" in requirements
