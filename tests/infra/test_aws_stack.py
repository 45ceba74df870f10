"""The AWS stack under ``pulumi.runtime.set_mocks`` (no Pulumi CLI, no AWS account): every
resource the coach needs, with the properties that matter, and IAM that grants no ``*``.

The mocks echo each resource's inputs back as its state and make up ARNs
(``arn:aws:mock:<type>::<name>``; a schedule group's and a role's in AWS's own shape, since
the stack derives other ARNs from them), so the assertions below read exactly what the
component asked AWS for, including policy documents built from other resources' ARNs.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pytest

from momentum.adapters.aws import events, schema
from momentum.infra.aws.bundle import BundleSpec
from momentum.infra.aws.component import MomentumAws, MomentumAwsArgs
from momentum.infra.aws.schedules import AthleteSchedule

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws.*")

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


def test_schedules_fire_at_6am_and_sunday_9pm_in_the_athletes_timezone(stack: Deployed) -> None:
    found = schedules(stack.mocks)
    assert set(found) == {
        "coach-adam-0600",
        "coach-adam-0600-catch-up",
        "coach-adam-2100",
        "coach-adam-2100-catch-up",
    }
    morning, evening = found["coach-adam-0600"], found["coach-adam-2100"]
    assert morning["scheduleExpression"] == "cron(0 6 * * ? *)"
    assert evening["scheduleExpression"] == "cron(0 21 ? * SUN *)"
    # The catch-up ticks come after core's 15-minute run lease, inside its 2-hour grace.
    assert found["coach-adam-0600-catch-up"]["scheduleExpression"] == "cron(30 6 * * ? *)"
    assert found["coach-adam-2100-catch-up"]["scheduleExpression"] == "cron(30 21 ? * SUN *)"
    for schedule in found.values():
        assert schedule["scheduleExpressionTimezone"] == "America/Toronto"
        assert schedule["flexibleTimeWindow"] == {"mode": "OFF"}
        assert schedule["state"] == "ENABLED"
    assert json.loads(morning["target"]["input"])["job"] == "*"  # check-in or Monday plan
    assert json.loads(evening["target"]["input"])["job"] == "weekly_refresh"


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
    morning = schedules(stack.mocks)["coach-adam-0600"]
    template = morning["target"]["input"]
    assert "<aws.scheduler.scheduled-time>" in template
    delivered = json.loads(
        template.replace("<aws.scheduler.scheduled-time>", "2026-03-03T11:00:00Z")
    )
    assert events.kind_of(delivered) == "tick"
    tick = events.scheduled_tick(delivered, dt.datetime(2026, 3, 3, 11, 0, 1, tzinfo=dt.UTC))
    assert tick.athlete_id == "adam" and tick.at == dt.datetime(2026, 3, 3, 11, tzinfo=dt.UTC)


def test_each_athlete_gets_schedules_in_their_own_timezone(bundle_zip: Path) -> None:
    def make() -> MomentumAwsArgs:
        return MomentumAwsArgs(
            athletes=[
                AthleteSchedule("adam", "America/Toronto"),
                AthleteSchedule("mia", "Europe/Berlin"),
            ],
            bundle_path=str(bundle_zip),
        )

    zones = {
        name: s["scheduleExpressionTimezone"] for name, s in schedules(deploy(make).mocks).items()
    }
    assert zones == {
        f"coach-{who}-{time}{twin}": zone
        for who, zone in (("adam", "America/Toronto"), ("mia", "Europe/Berlin"))
        for time in ("0600", "2100")
        for twin in ("", "-catch-up")
    }


# -- IAM -----------------------------------------------------------------------------------------
def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_no_iam_statement_grants_star_actions_or_star_resources(stack: Deployed) -> None:
    mocks = stack.mocks
    own = [
        mocks.arn("aws:cloudwatch/logGroup:LogGroup") + ":*",  # its log streams
        mocks.arn("aws:s3/bucket:Bucket") + "/*",  # its objects
        f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/coach-deferred/*",  # its delayed jobs
    ]
    documents = policy_documents(mocks)
    assert set(documents) == {"coach-function-policy", "coach-scheduler-policy"}
    for name, document in documents.items():
        for statement in document["Statement"]:
            assert statement["Effect"] == "Allow", name
            for action in _as_list(statement["Action"]):
                assert "*" not in action, f"{name}: {action}"
            for resource in _as_list(statement["Resource"]):
                assert resource != "*", name
                assert "*" not in resource or resource in own, f"{name}: {resource}"


def test_the_function_may_touch_only_its_own_resources(stack: Deployed) -> None:
    mocks = stack.mocks
    statements = {
        s["Sid"]: s for s in policy_documents(mocks)["coach-function-policy"]["Statement"]
    }
    function_arn = mocks.arn("aws:lambda/function:Function")
    table_arn = mocks.arn("aws:dynamodb/table:Table")
    bucket_arn = mocks.arn("aws:s3/bucket:Bucket")
    assert statements["InvokeSelf"]["Action"] == ["lambda:InvokeFunction"]
    assert statements["InvokeSelf"]["Resource"] == [function_arn]
    assert statements["OwnTable"]["Resource"] == [
        table_arn,
        f"{table_arn}/index/{schema.LSI1}",
        f"{table_arn}/index/{schema.GSI1}",
    ]
    assert "dynamodb:Scan" not in statements["OwnTable"]["Action"]
    assert statements["OwnObjects"]["Resource"] == [f"{bucket_arn}/*"]
    assert statements["OwnBucketListing"]["Resource"] == [bucket_arn]
    parameter_arns = sorted(p.state["arn"] for p in mocks.of("aws:ssm/parameter:Parameter"))
    assert statements["OwnParameters"]["Action"] == ["ssm:GetParameters"]
    assert sorted(statements["OwnParameters"]["Resource"]) == parameter_arns
    assert statements["DeadLetters"]["Resource"] == [mocks.arn("aws:sqs/queue:Queue")]
    delayed_jobs = f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/coach-deferred/*"
    scheduler_role = f"arn:aws:iam::{ACCOUNT}:role/coach-scheduler-role"
    everything = [r for s in statements.values() for r in _as_list(s["Resource"])]
    mine = (function_arn, table_arn, bucket_arn, *parameter_arns)
    assert all(
        r.startswith(mine)
        or r.startswith(mocks.arn("aws:cloudwatch/logGroup:LogGroup"))
        or r in (mocks.arn("aws:sqs/queue:Queue"), delayed_jobs, scheduler_role)
        for r in everything
    )


def test_the_scheduler_may_invoke_only_this_function(stack: Deployed) -> None:
    mocks = stack.mocks
    document = policy_documents(mocks)["coach-scheduler-policy"]
    invoke = [s for s in document["Statement"] if "lambda:InvokeFunction" in s["Action"]]
    assert [s["Resource"] for s in invoke] == [[mocks.arn("aws:lambda/function:Function")]]
    [role] = [r for r in mocks.of("aws:iam/role:Role") if r.name == "coach-scheduler-role"]
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    for schedule in schedules(mocks).values():
        assert schedule["target"]["roleArn"] == role.state["arn"]


# -- delayed jobs: one-time schedules the function creates ----------------------------------------
def test_the_function_may_create_schedules_only_in_its_own_group_with_the_scheduler_role(
    stack: Deployed,
) -> None:
    mocks = stack.mocks
    statements = {
        s["Sid"]: s for s in policy_documents(mocks)["coach-function-policy"]["Statement"]
    }
    groups = {g.name: g for g in mocks.of("aws:scheduler/scheduleGroup:ScheduleGroup")}
    assert set(groups) == {"coach-schedules", "coach-deferred"}  # recurring apart from delayed
    group = groups["coach-deferred"]
    create = statements["DelayedJobSchedules"]
    assert create["Action"] == ["scheduler:CreateSchedule"]  # no update, delete or read
    assert create["Resource"] == [
        f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/{group.state['name']}/*"
    ]
    [role] = [r for r in mocks.of("aws:iam/role:Role") if r.name == "coach-scheduler-role"]
    passing = statements["PassSchedulerRole"]
    assert passing["Action"] == ["iam:PassRole"]
    assert passing["Resource"] == [role.state["arn"]]  # not the function's own role
    assert passing["Condition"] == {
        "StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}
    }
    every_action = {
        action
        for document in policy_documents(mocks).values()
        for statement in document["Statement"]
        for action in _as_list(statement["Action"])
    }
    assert every_action & {"scheduler:*", "iam:*", "scheduler:DeleteScheduleGroup"} == set()


def test_the_function_is_told_where_to_schedule_delayed_jobs(stack: Deployed) -> None:
    from momentum.adapters.aws.bootstrap import function_arn, one_time_schedules

    mocks = stack.mocks
    variables = mocks.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    [group] = [
        g
        for g in mocks.of("aws:scheduler/scheduleGroup:ScheduleGroup")
        if g.name == "coach-deferred"
    ]
    [role] = [r for r in mocks.of("aws:iam/role:Role") if r.name == "coach-scheduler-role"]
    assert variables["MOMENTUM_DEFERRED_SCHEDULE_GROUP"] == group.state["name"]
    assert variables["MOMENTUM_SCHEDULER_ROLE_ARN"] == role.state["arn"]
    assert variables["MOMENTUM_DEAD_LETTER_ARN"] == mocks.arn("aws:sqs/queue:Queue")
    # What the adapter makes of that environment on Lambda (which adds the name and region).
    lambda_env = {
        **variables,
        "AWS_LAMBDA_FUNCTION_NAME": "coach-function-1a2b3c",
        "AWS_REGION": "us-east-1",
    }
    schedules = one_time_schedules(lambda_env, "us-east-1")
    assert schedules is not None and schedules.group == group.state["name"]
    assert schedules.function_arn == function_arn(lambda_env, role.state["arn"])
    assert schedules.function_arn == (
        f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:coach-function-1a2b3c"
    )
    # The scheduler role may invoke only this function, so a schedule can reach nothing else.
    document = policy_documents(mocks)["coach-scheduler-policy"]
    invoke = [s for s in document["Statement"] if "lambda:InvokeFunction" in s["Action"]]
    assert [s["Resource"] for s in invoke] == [[mocks.arn("aws:lambda/function:Function")]]


def test_a_schedule_group_arn_of_another_shape_is_refused() -> None:
    from momentum.infra.aws.policies import schedules_in_group

    group = f"arn:aws-cn:scheduler:cn-north-1:{ACCOUNT}:schedule-group/coach-deferred-1a2b"
    assert schedules_in_group(group) == (
        f"arn:aws-cn:scheduler:cn-north-1:{ACCOUNT}:schedule/coach-deferred-1a2b/*"
    )
    for wrong in ("*", f"arn:aws:scheduler:us-east-1:{ACCOUNT}:schedule/coach/x", ""):
        with pytest.raises(ValueError, match="schedule group ARN"):
            schedules_in_group(wrong)


# -- building the bundle during the deployment ----------------------------------------------------
def test_the_stack_builds_its_bundle_and_deploys_it_by_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def make() -> MomentumAwsArgs:
        return MomentumAwsArgs(
            athletes=[AthleteSchedule("adam", "America/Toronto")],
            bundle=BundleSpec(
                REPO, plugins=("running",), local_distributions=("jinja2", "pluggy", "tzdata")
            ),
            build_dir=tmp_path,
            protect_data=False,
        )

    deployed = deploy(make)
    function = deployed.mocks.one("aws:lambda/function:Function").inputs
    archive = tmp_path / "coach.zip"
    digest = base64.b64encode(hashlib.sha256(archive.read_bytes()).digest()).decode()
    assert function["sourceCodeHash"] == digest
    with zipfile.ZipFile(archive) as bundle:
        names = set(bundle.namelist())
    assert "momentum/adapters/aws/handler.py" in names and "momentum/core/app.py" in names
    assert function["environment"]["variables"]["MOMENTUM_CHAT"] == "log"
    assert "MOMENTUM_SSM_PARAMETERS" not in function["environment"]["variables"]
    table = deployed.mocks.one("aws:dynamodb/table:Table").inputs
    assert table["deletionProtectionEnabled"] is False
    assert deployed.mocks.one("aws:s3/bucket:Bucket").inputs["forceDestroy"] is True


def test_a_bundle_built_for_another_chat_is_refused(tmp_path: Path) -> None:
    def make() -> MomentumAwsArgs:
        return MomentumAwsArgs(
            athletes=[AthleteSchedule("adam", "America/Toronto")],
            bundle=BundleSpec(REPO, chat="log", local_distributions=("pluggy",)),
            secrets={"SLACK_BOT_TOKEN": "xoxb"},
            build_dir=tmp_path,
        )

    with pytest.raises(Exception, match="chat 'log'"):
        deploy(make)


def test_catch_up_ticks_carry_past_midnight_and_can_be_turned_off() -> None:
    from momentum.core.ports.scheduler import RecurringJob
    from momentum.core.schedule import DEFAULT_GRACE, RUN_LEASE
    from momentum.infra.aws.schedules import schedule_specs

    late = RecurringJob("late", hour=23, minute=45, weekdays=(6,))  # Sunday 23:45
    athletes = [AthleteSchedule("adam", "America/Toronto")]
    base, twin = schedule_specs([late], athletes, catch_up_minutes=30)
    assert base.expression == "cron(45 23 ? * SUN *)"
    assert twin.expression == "cron(15 0 ? * MON *)" and twin.catch_up and twin.job == "late"
    assert RUN_LEASE < dt.timedelta(minutes=30) < DEFAULT_GRACE
    assert len(schedule_specs([late], athletes, catch_up_minutes=0)) == 1
    with pytest.raises(ValueError, match="grace"):
        schedule_specs([late], athletes, catch_up_minutes=180)


def test_an_unknown_timezone_is_refused_naming_the_athlete() -> None:
    with pytest.raises(ValueError, match=r"'adam'.*Mars/Olympus"):
        AthleteSchedule("adam", "Mars/Olympus")
