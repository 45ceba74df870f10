"""The AWS stack under ``pulumi.runtime.set_mocks`` (no Pulumi CLI, no AWS account): every
resource the coach needs, with the properties that matter, and IAM that grants no ``*``.

The mocks echo each resource's inputs back as its state and make up ARNs
(``arn:aws:mock:<type>::<name>``; a schedule group's and a role's in AWS's own shape, since
the stack derives other ARNs from them), so the assertions below read exactly what the
component asked AWS for, including policy documents built from other resources' ARNs.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest

from momentum.adapters.aws import events, schema
from momentum.infra.aws.component import MomentumAws, MomentumAwsArgs
from momentum.infra.aws.schedules import AthleteSchedule

pytestmark = [
    pytest.mark.aws,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws.*"),
]

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
SECRET_VALUES = {"GROQ_API_KEY": "gsk_test_value_1", "SLACK_BOT_TOKEN": "xoxb-test-value-2"}
SECRET_SIG = "4dabf18193072939515e22adb298388d"
"""Pulumi's marker for a secret value in serialised inputs."""


@dataclass
class Resource:
    """One resource as the component registered it."""

    typ: str
    name: str
    inputs: dict[str, Any]
    state: dict[str, Any]


@dataclass
class Mocks(pulumi.runtime.Mocks):
    """Records resources and answers ``getCallerIdentity``."""

    resources: list[Resource] = field(default_factory=list)

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        kind = args.typ.split(":")[1].split("/")[0]
        state.setdefault("arn", f"arn:aws:mock:{kind}::{args.name}")
        state.setdefault("name", args.name)
        if args.typ == "aws:s3/bucket:Bucket":
            state.setdefault("bucket", f"{args.name}-physical")
        if args.typ == "aws:lambda/functionUrl:FunctionUrl":
            state["functionUrl"] = f"https://{args.name}.lambda-url.us-east-1.on.aws/"
        if args.typ == "aws:sqs/queue:Queue":
            state["url"] = f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{args.name}"
        if args.typ == "aws:scheduler/scheduleGroup:ScheduleGroup":
            state["arn"] = f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule-group/{args.name}"
        if args.typ == "aws:iam/role:Role":
            state["arn"] = f"arn:aws:iam::{ACCOUNT}:role/{args.name}"
        self.resources.append(Resource(args.typ, args.name, dict(args.inputs), state))
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT,
                "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer",
                "userId": "AIDAEXAMPLE",
                "id": ACCOUNT,
            }
        return {}

    def of(self, typ: str) -> list[Resource]:
        """Resources of one type token, e.g. ``aws:dynamodb/table:Table``."""
        return [r for r in self.resources if r.typ == typ]

    def one(self, typ: str) -> Resource:
        """The single resource of a type."""
        [found] = self.of(typ)
        return found

    def arn(self, typ: str) -> str:
        """The made-up ARN of the single resource of a type."""
        arn: str = self.one(typ).state["arn"]
        return arn


@dataclass
class Deployed:
    """What a mocked ``pulumi up`` produced."""

    mocks: Mocks
    outputs: dict[str, Any]
    coach: MomentumAws


def deploy(make_args: Callable[[], MomentumAwsArgs], stack: str = "test") -> Deployed:
    """Run the component under mocks and wait for every output."""
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack=stack, preview=False)
    outputs: dict[str, Any] = {}
    made: list[MomentumAws] = []

    @pulumi.runtime.test
    def program() -> pulumi.Output[Any]:
        coach = MomentumAws("coach", make_args())
        made.append(coach)
        return pulumi.Output.all(
            function_url=coach.function_url,
            slack_events_url=coach.slack_events_url,
            strava_webhook_url=coach.strava_webhook_url,
        ).apply(outputs.update)

    program()
    return Deployed(mocks, outputs, made[0])


@pytest.fixture(scope="module")
def bundle_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A prebuilt zip (the bundle's own tests build real ones)."""
    path = tmp_path_factory.mktemp("bundle") / "prebuilt.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "momentum/adapters/aws/handler.py", "def handler(event, context):\n    pass\n"
        )
    return path


def toronto_args(bundle_zip: Path, **changes: Any) -> Callable[[], MomentumAwsArgs]:
    def make() -> MomentumAwsArgs:
        return MomentumAwsArgs(
            athletes=[AthleteSchedule("adam", "America/Toronto")],
            bundle_path=str(bundle_zip),
            secrets=dict(SECRET_VALUES),
            environment={"STRAVA_CLIENT_ID": "4242"},
            **changes,
        )

    return make


@pytest.fixture(scope="module")
def stack(bundle_zip: Path) -> Deployed:
    return deploy(toronto_args(bundle_zip))


def policy_documents(mocks: Mocks) -> dict[str, dict[str, Any]]:
    """Every identity policy the stack attaches, by resource name."""
    return {
        r.name: json.loads(r.inputs["policy"]) for r in mocks.of("aws:iam/rolePolicy:RolePolicy")
    }


# -- data ----------------------------------------------------------------------------------------
def test_table_is_on_demand_with_pitr_ttl_and_the_adapters_layout(stack: Deployed) -> None:
    table = stack.mocks.one("aws:dynamodb/table:Table").inputs
    assert table["billingMode"] == "PAY_PER_REQUEST"
    assert table["pointInTimeRecovery"] == {"enabled": True}
    assert table["ttl"] == {"attributeName": schema.TTL_ATTRIBUTE, "enabled": True}
    assert table["deletionProtectionEnabled"] is True
    # The same layout the storage adapter creates in tests (one source of truth: schema).
    wanted = schema.create_table_request("x")
    assert (table["hashKey"], table["rangeKey"]) == (schema.PK, schema.SK)
    assert {(a["name"], a["type"]) for a in table["attributes"]} == {
        (a["AttributeName"], a["AttributeType"]) for a in wanted["AttributeDefinitions"]
    }
    [lsi] = table["localSecondaryIndexes"]
    assert (lsi["name"], lsi["rangeKey"], lsi["projectionType"]) == (
        schema.LSI1,
        schema.LSI1_SK,
        "ALL",
    )
    [gsi] = table["globalSecondaryIndexes"]
    assert gsi["name"] == schema.GSI1 and gsi["projectionType"] == "ALL"
    assert [(k["attributeName"], k["keyType"]) for k in gsi["keySchemas"]] == [
        (schema.GSI1_PK, "HASH"),
        (schema.GSI1_SK, "RANGE"),
    ]


def test_bucket_is_private_encrypted_owner_enforced_and_tls_only(stack: Deployed) -> None:
    mocks = stack.mocks
    assert mocks.one("aws:s3/bucket:Bucket").inputs.get("forceDestroy") is False
    block = mocks.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(
        block[k] is True
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    encryption = mocks.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    [rule] = encryption["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    owner = mocks.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert owner["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    bucket_policy = json.loads(mocks.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    [deny] = bucket_policy["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    bucket_id = "coach-bucket-id"
    for resource in mocks.resources:
        if resource.typ.startswith("aws:s3/bucket") and resource.typ != "aws:s3/bucket:Bucket":
            assert resource.inputs["bucket"] == bucket_id, resource.typ


def test_uploads_notify_the_function_for_its_prefix_only(stack: Deployed) -> None:
    mocks = stack.mocks
    notification = mocks.one("aws:s3/bucketNotification:BucketNotification").inputs
    [target] = notification["lambdaFunctions"]
    assert target["lambdaFunctionArn"] == mocks.arn("aws:lambda/function:Function")
    assert target["events"] == ["s3:ObjectCreated:*"] and target["filterPrefix"] == "uploads/"
    [s3_grant] = [
        p.inputs
        for p in mocks.of("aws:lambda/permission:Permission")
        if p.inputs["principal"] == "s3.amazonaws.com"
    ]
    assert s3_grant["sourceArn"] == mocks.arn("aws:s3/bucket:Bucket")
    assert s3_grant["sourceAccount"] == ACCOUNT


def test_secrets_become_secure_string_parameters_and_only_names_reach_the_function(
    stack: Deployed,
) -> None:
    mocks = stack.mocks
    parameters = {p.inputs["name"]: p.inputs for p in mocks.of("aws:ssm/parameter:Parameter")}
    assert set(parameters) == {f"/momentum/test/coach/{s}" for s in SECRET_VALUES}
    for name, inputs in parameters.items():
        assert inputs["type"] == "SecureString"
        assert SECRET_SIG in inputs["value"], f"{name} is not marked secret"
    function = mocks.one("aws:lambda/function:Function").inputs
    variables = function["environment"]["variables"]
    assert variables["MOMENTUM_SSM_PARAMETERS"] == ",".join(
        f"{s}=/momentum/test/coach/{s}" for s in sorted(SECRET_VALUES)
    )
    flat = json.dumps(function, default=str)
    assert not [value for value in SECRET_VALUES.values() if value in flat]


# -- compute -------------------------------------------------------------------------------------
def test_function_is_python_312_or_newer_on_arm64_with_its_own_log_group(
    stack: Deployed, bundle_zip: Path
) -> None:
    mocks = stack.mocks
    function = mocks.one("aws:lambda/function:Function").inputs
    runtime = function["runtime"]
    assert runtime.startswith("python3.") and int(runtime.split(".")[1]) >= 12
    assert function["architectures"] == ["arm64"]
    assert function["handler"] == "momentum.adapters.aws.handler.handler"
    assert function["timeout"] == 120 and function["memorySize"] == 512
    log_group = mocks.one("aws:cloudwatch/logGroup:LogGroup")
    assert log_group.inputs["retentionInDays"] == 30
    assert function["loggingConfig"]["logGroup"] == log_group.state["name"]
    variables = function["environment"]["variables"]
    assert variables["MOMENTUM_TABLE"] == mocks.one("aws:dynamodb/table:Table").state["name"]
    assert variables["MOMENTUM_BUCKET"] == mocks.one("aws:s3/bucket:Bucket").state["bucket"]
    assert variables["MOMENTUM_CHAT"] == "slack"  # a bot token is among the secrets
    assert variables["MOMENTUM_MAX_TICK_DELAY"] == "3600"
    assert variables["STRAVA_CLIENT_ID"] == "4242"
    assert "AWS_LAMBDA_FUNCTION_NAME" not in variables  # Lambda sets it (self-invoke target)


def test_function_role_is_the_one_lambda_may_assume(stack: Deployed) -> None:
    mocks = stack.mocks
    function = mocks.one("aws:lambda/function:Function").inputs
    [role] = [r for r in mocks.of("aws:iam/role:Role") if r.state["arn"] == function["role"]]
    trust = json.loads(role.inputs["assumeRolePolicy"])
    [statement] = trust["Statement"]
    assert statement["Principal"] == {"Service": "lambda.amazonaws.com"}


def test_failed_async_events_retry_briefly_then_dead_letter(stack: Deployed) -> None:
    mocks = stack.mocks
    config = mocks.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig").inputs
    assert config["maximumEventAgeInSeconds"] == 3600 and config["maximumRetryAttempts"] == 2
    dlq = mocks.one("aws:sqs/queue:Queue")
    assert config["destinationConfig"]["onFailure"]["destination"] == dlq.state["arn"]
    assert dlq.inputs["sqsManagedSseEnabled"] is True


def test_function_url_is_public_and_outputs_the_webhook_urls(stack: Deployed) -> None:
    mocks = stack.mocks
    url = mocks.one("aws:lambda/functionUrl:FunctionUrl").inputs
    assert url["authorizationType"] == "NONE"
    grants = {
        p.inputs["action"]: p.inputs
        for p in mocks.of("aws:lambda/permission:Permission")
        if p.inputs["principal"] == "*"
    }
    assert grants["lambda:InvokeFunctionUrl"]["functionUrlAuthType"] == "NONE"
    assert grants["lambda:InvokeFunction"]["invokedViaFunctionUrl"] is True
    base = "https://coach-url.lambda-url.us-east-1.on.aws"
    assert stack.outputs == {
        "function_url": f"{base}/",
        "slack_events_url": f"{base}/slack/events",
        "strava_webhook_url": f"{base}/strava/webhook",
    }


# -- schedules -----------------------------------------------------------------------------------
def schedules(mocks: Mocks) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in mocks.of("aws:scheduler/schedule:Schedule")}


def test_one_utc_tick_every_15_minutes_is_the_only_schedule(stack: Deployed) -> None:
    found = schedules(stack.mocks)
    assert set(found) == {"coach-tick"}
    tick = found["coach-tick"]
    assert tick["scheduleExpression"] == "cron(0/15 * * * ? *)"
    assert tick["scheduleExpressionTimezone"] == "UTC"
    assert tick["flexibleTimeWindow"] == {"mode": "OFF"}
    assert tick["state"] == "ENABLED"


def test_a_late_retry_cannot_reach_noon_and_undeliverable_ticks_dead_letter(
    stack: Deployed,
) -> None:
    mocks = stack.mocks
    dlq_arn = mocks.arn("aws:sqs/queue:Queue")
    function_arn = mocks.arn("aws:lambda/function:Function")
    for schedule in schedules(mocks).values():
        target = schedule["target"]
        age = dt.timedelta(seconds=target["retryPolicy"]["maximumEventAgeInSeconds"])
        assert dt.time(6) <= (dt.datetime(2026, 3, 3, 6) + age).time() < dt.time(12)
        assert target["retryPolicy"]["maximumRetryAttempts"] >= 1
        assert target["deadLetterConfig"] == {"arn": dlq_arn}
        assert target["arn"] == function_arn


def test_schedule_input_is_a_tick_the_handler_understands(stack: Deployed) -> None:
    template = schedules(stack.mocks)["coach-tick"]["target"]["input"]
    assert "<aws.scheduler.scheduled-time>" in template
    delivered = json.loads(
        template.replace("<aws.scheduler.scheduled-time>", "2026-03-03T11:00:00Z")
    )
    assert events.kind_of(delivered) == "tick"
    tick = events.scheduled_tick(delivered, dt.datetime(2026, 3, 3, 11, 0, 1, tzinfo=dt.UTC))
    assert tick.job == "*" and tick.athlete_id is None
    assert tick.at == dt.datetime(2026, 3, 3, 11, tzinfo=dt.UTC)


def test_resources_do_not_grow_with_athletes(bundle_zip: Path) -> None:
    def make(count: int) -> Callable[[], MomentumAwsArgs]:
        return lambda: MomentumAwsArgs(
            athletes=[AthleteSchedule(f"a{i}", "Asia/Kathmandu") for i in range(count)],
            bundle_path=str(bundle_zip),
        )

    one, many = deploy(make(1)).mocks, deploy(make(50)).mocks
    assert len(schedules(many)) == len(schedules(one)) == 1
    assert len(many.resources) == len(one.resources)


def test_an_unknown_timezone_is_refused_naming_the_athlete() -> None:
    with pytest.raises(ValueError, match=r"'adam'.*Mars/Olympus"):
        AthleteSchedule("adam", "Mars/Olympus")
