"""``MomentumAws``: the whole coach on AWS as one Pulumi ComponentResource.

It creates the DynamoDB table (on-demand, point-in-time recovery, TTL), the private
encrypted S3 bucket, the Lambda function (arm64 Python) with its Function URL and log
group, the EventBridge Scheduler schedules in each athlete's timezone, a schedule group in
which the function creates one-time schedules for delayed jobs (a rate-limited Strava
fetch retried after the window resets), a dead-letter queue, SSM SecureString parameters
for the secrets, and least-privilege IAM roles. It builds the deployment bundle itself
(see :mod:`momentum.infra.aws.bundle`).

Reliability settings that matter for a 6 am coach:

- schedules have their flexible time window off and a retry policy whose maximum event age
  (``max_event_age_seconds``, one hour by default) keeps a late retry from arriving at noon;
  the function's asynchronous-invoke config uses the same age, and the handler drops ticks
  older than it (``MOMENTUM_MAX_TICK_DELAY``);
- what still fails lands in the dead-letter queue (undeliverable ticks from the scheduler,
  failed asynchronous invocations from Lambda).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from momentum.adapters.aws import schema
from momentum.infra.aws import policies
from momentum.infra.aws.bundle import Bundle, BundleSpec, build_bundle
from momentum.infra.aws.schedules import AthleteSchedule, tick_schedule

UPLOADS_PREFIX = "uploads/"
HANDLER = "momentum.adapters.aws.handler.handler"


@dataclass
class MomentumAwsArgs:
    """Everything the component needs; defaults suit one athlete's coach."""

    athletes: Sequence[AthleteSchedule] = ()
    """Checked (known timezones) but no longer scheduled one by one: one tick serves all."""
    bundle: BundleSpec | None = None
    """What to build; ``None`` with ``bundle_path`` uses a prebuilt zip."""
    bundle_path: str | None = None
    build_dir: Path = Path(".momentum-build")
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """``{SETTING: value}``, e.g. ``{"GROQ_API_KEY": config.require_secret("groqApiKey")}``;
    each becomes an SSM SecureString parameter; the function gets only the names."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """Plain (non-secret) settings, e.g. ``STRAVA_CLIENT_ID``."""
    chat: str | None = None
    """``slack`` or ``log``; default: ``slack`` when Slack credentials are among the secrets."""
    runtime: str = "python3.12"
    architecture: str = "arm64"
    memory_mb: int = 512
    timeout_seconds: int = 120
    log_retention_days: int = 30
    max_event_age_seconds: int = 3600
    async_retry_attempts: int = 2
    scheduler_retry_attempts: int = 3
    reserved_concurrency: int | None = None
    protect_data: bool = True
    """Deletion protection on the table, and no force-destroy on the bucket."""

    def chosen_chat(self) -> str:
        """The chat this deployment uses."""
        slack = {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} & set(self.secrets)
        return self.chat or ("slack" if slack else "log")


def _opts(parent: pulumi.Resource, **kwargs: Any) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=parent, **kwargs)


class MomentumAws(pulumi.ComponentResource):
    """The coach on Lambda, DynamoDB, S3 and EventBridge Scheduler."""

    function_url: pulumi.Output[str]
    slack_events_url: pulumi.Output[str]
    strava_webhook_url: pulumi.Output[str]

    def __init__(
        self, name: str, args: MomentumAwsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("momentum:aws:Coach", name, None, opts)
        if args.max_event_age_seconds < 60 or args.max_event_age_seconds > 21600:
            raise ValueError("max_event_age_seconds must be between 60 and 21600")
        self.bundle_info = self._bundle(name, args)
        self.table = self._table(name, args)
        self.bucket = self._bucket(name, args)
        self.dead_letters = aws.sqs.Queue(
            f"{name}-dead-letters",
            message_retention_seconds=14 * 24 * 3600,
            sqs_managed_sse_enabled=True,
            opts=_opts(self),
        )
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs", retention_in_days=args.log_retention_days, opts=_opts(self)
        )
        self.parameters = self._parameters(name, args)
        self.role = aws.iam.Role(
            f"{name}-function-role",
            assume_role_policy=json.dumps(policies.lambda_trust()),
            opts=_opts(self),
        )
        # Made before the function: its environment names them (delayed jobs).
        self.scheduler_role = self._scheduler_role(name)
        self.deferred_group = aws.scheduler.ScheduleGroup(f"{name}-deferred", opts=_opts(self))
        self.function = self._function(name, args)
        self.role_policy = self._function_policy(name)
        self.invoke_config = aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async",
            function_name=self.function.name,
            maximum_event_age_in_seconds=args.max_event_age_seconds,
            maximum_retry_attempts=args.async_retry_attempts,
            destination_config=aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                    destination=self.dead_letters.arn
                )
            ),
            opts=_opts(self, depends_on=[self.role_policy]),
        )
        self.url = self._function_url(name)
        self._uploads(name)
        self.schedules = self._schedules(name, args)

        base = self.url.function_url.apply(lambda url: url.rstrip("/"))
        self.function_url = self.url.function_url
        self.slack_events_url = base.apply(lambda url: f"{url}/slack/events")
        self.strava_webhook_url = base.apply(lambda url: f"{url}/strava/webhook")
        self.register_outputs(
            {
                "function_url": self.function_url,
                "slack_events_url": self.slack_events_url,
                "strava_webhook_url": self.strava_webhook_url,
                "function_name": self.function.name,
                "table_name": self.table.name,
                "bucket_name": self.bucket.bucket,
                "dead_letter_queue_url": self.dead_letters.url,
                "deferred_schedule_group": self.deferred_group.name,
            }
        )

    # -- the bundle ------------------------------------------------------------------------
    def _bundle(self, name: str, args: MomentumAwsArgs) -> Bundle | None:
        if args.bundle_path:
            return None
        if args.bundle is None:
            raise ValueError("give either bundle (what to build) or bundle_path (a built zip)")
        spec = args.bundle
        if spec.chat != args.chosen_chat():
            raise ValueError(
                f"the bundle is built for chat {spec.chat!r} but the stack uses "
                f"{args.chosen_chat()!r}"
            )
        return build_bundle(spec, args.build_dir / f"{name}.zip")

    # -- data ------------------------------------------------------------------------------
    def _table(self, name: str, args: MomentumAwsArgs) -> aws.dynamodb.Table:
        return aws.dynamodb.Table(
            f"{name}-table",
            billing_mode="PAY_PER_REQUEST",
            hash_key=schema.PK,
            range_key=schema.SK,
            attributes=[
                aws.dynamodb.TableAttributeArgs(name=attr, type=kind)
                for attr, kind in schema.KEY_ATTRIBUTES
            ],
            local_secondary_indexes=[
                aws.dynamodb.TableLocalSecondaryIndexArgs(
                    name=schema.LSI1, range_key=schema.LSI1_SK, projection_type="ALL"
                )
            ],
            global_secondary_indexes=[
                aws.dynamodb.TableGlobalSecondaryIndexArgs(
                    name=schema.GSI1,
                    key_schemas=[
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=schema.GSI1_PK, key_type="HASH"
                        ),
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=schema.GSI1_SK, key_type="RANGE"
                        ),
                    ],
                    projection_type="ALL",
                )
            ],
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
            ttl=aws.dynamodb.TableTtlArgs(attribute_name=schema.TTL_ATTRIBUTE, enabled=True),
            deletion_protection_enabled=args.protect_data,
            opts=_opts(self),
        )

    def _bucket(self, name: str, args: MomentumAwsArgs) -> aws.s3.Bucket:
        bucket = aws.s3.Bucket(
            f"{name}-bucket", force_destroy=not args.protect_data, opts=_opts(self)
        )
        aws.s3.BucketPublicAccessBlock(
            f"{name}-bucket-private",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=_opts(self),
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-bucket-owner",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=_opts(self),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-bucket-encryption",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm="AES256"
                    ),
                    bucket_key_enabled=True,
                )
            ],
            opts=_opts(self),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-bucket-lifecycle",
            bucket=bucket.id,
            rules=[
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="abort-incomplete-uploads",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
                    abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                        days_after_initiation=1
                    ),
                ),
                aws.s3.BucketLifecycleConfigurationRuleArgs(
                    id="expire-spilled-deferred-payloads",
                    status="Enabled",
                    filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix="deferred/"),
                    expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=2),
                ),
            ],
            opts=_opts(self),
        )
        aws.s3.BucketPolicy(
            f"{name}-bucket-tls-only",
            bucket=bucket.id,
            policy=bucket.arn.apply(lambda arn: json.dumps(policies.deny_insecure_transport(arn))),
            opts=_opts(self),
        )
        return bucket

    def _parameters(self, name: str, args: MomentumAwsArgs) -> dict[str, aws.ssm.Parameter]:
        stack = pulumi.get_stack()
        made = {}
        for setting, value in sorted(args.secrets.items()):
            made[setting] = aws.ssm.Parameter(
                f"{name}-{setting.lower().replace('_', '-')}",
                name=f"/momentum/{stack}/{name}/{setting}",
                type="SecureString",
                value=pulumi.Output.secret(value),
                description=f"Momentum {name}: {setting}",
                opts=_opts(self),
            )
        return made

    # -- compute ---------------------------------------------------------------------------
    def _function(self, name: str, args: MomentumAwsArgs) -> aws.lambda_.Function:
        stack = pulumi.get_stack()
        variables: dict[str, pulumi.Input[str]] = {
            **args.environment,
            "MOMENTUM_TABLE": self.table.name,
            "MOMENTUM_BUCKET": self.bucket.bucket,
            "MOMENTUM_CHAT": args.chosen_chat(),
            "MOMENTUM_MAX_TICK_DELAY": str(args.max_event_age_seconds),
            "MOMENTUM_DEFERRED_SCHEDULE_GROUP": self.deferred_group.name,
            "MOMENTUM_SCHEDULER_ROLE_ARN": self.scheduler_role.arn,
            "MOMENTUM_DEAD_LETTER_ARN": self.dead_letters.arn,
        }
        if args.secrets:
            variables["MOMENTUM_SSM_PARAMETERS"] = ",".join(
                f"{setting}=/momentum/{stack}/{name}/{setting}" for setting in sorted(args.secrets)
            )
        bundle_path = str(self.bundle_info.path) if self.bundle_info else str(args.bundle_path)
        code_hash = self.bundle_info.sha256_base64 if self.bundle_info else None
        return aws.lambda_.Function(
            f"{name}-function",
            role=self.role.arn,
            runtime=args.runtime,
            architectures=[args.architecture],
            handler=HANDLER,
            code=pulumi.FileArchive(bundle_path),
            source_code_hash=code_hash,
            memory_size=args.memory_mb,
            timeout=args.timeout_seconds,
            reserved_concurrent_executions=args.reserved_concurrency,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=variables),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                log_format="Text", log_group=self.log_group.name
            ),
            opts=_opts(self, depends_on=[self.log_group]),
        )

    def _function_policy(self, name: str) -> aws.iam.RolePolicy:
        parameter_arns = [parameter.arn for parameter in self.parameters.values()]
        document = pulumi.Output.all(
            function_arn=self.function.arn,
            table_arn=self.table.arn,
            bucket_arn=self.bucket.arn,
            log_group_arn=self.log_group.arn,
            queue_arn=self.dead_letters.arn,
            parameter_arns=pulumi.Output.all(*parameter_arns),
            deferred_group_arn=self.deferred_group.arn,
            scheduler_role_arn=self.scheduler_role.arn,
        ).apply(
            lambda a: json.dumps(
                policies.function_policy(
                    function_arn=a["function_arn"],
                    table_arn=a["table_arn"],
                    index_arns=[
                        f"{a['table_arn']}/index/{schema.LSI1}",
                        f"{a['table_arn']}/index/{schema.GSI1}",
                    ],
                    bucket_arn=a["bucket_arn"],
                    log_group_arn=a["log_group_arn"],
                    queue_arn=a["queue_arn"],
                    parameter_arns=list(a["parameter_arns"]),
                    deferred_group_arn=a["deferred_group_arn"],
                    scheduler_role_arn=a["scheduler_role_arn"],
                )
            )
        )
        return aws.iam.RolePolicy(
            f"{name}-function-policy", role=self.role.id, policy=document, opts=_opts(self)
        )

    def _function_url(self, name: str) -> aws.lambda_.FunctionUrl:
        url = aws.lambda_.FunctionUrl(
            f"{name}-url",
            function_name=self.function.name,
            authorization_type="NONE",
            invoke_mode="BUFFERED",
            opts=_opts(self),
        )
        # A public URL needs both grants (the second since October 2025); each route then
        # checks its caller in code (Slack signatures, Strava verify token and subscription).
        aws.lambda_.Permission(
            f"{name}-url-public",
            action="lambda:InvokeFunctionUrl",
            function=self.function.name,
            principal="*",
            function_url_auth_type="NONE",
            opts=_opts(self),
        )
        aws.lambda_.Permission(
            f"{name}-url-invoke",
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="*",
            invoked_via_function_url=True,
            opts=_opts(self),
        )
        return url

    def _uploads(self, name: str) -> None:
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        permission = aws.lambda_.Permission(
            f"{name}-uploads-invoke",
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="s3.amazonaws.com",
            source_arn=self.bucket.arn,
            source_account=account.account_id,
            opts=_opts(self),
        )
        aws.s3.BucketNotification(
            f"{name}-uploads",
            bucket=self.bucket.id,
            lambda_functions=[
                aws.s3.BucketNotificationLambdaFunctionArgs(
                    lambda_function_arn=self.function.arn,
                    events=["s3:ObjectCreated:*"],
                    filter_prefix=UPLOADS_PREFIX,
                )
            ],
            opts=_opts(self, depends_on=[permission]),
        )

    # -- schedules -------------------------------------------------------------------------
    def _scheduler_role(self, name: str) -> aws.iam.Role:
        """The role EventBridge Scheduler assumes for the stack's schedules and for the
        function's one-time schedules (delayed jobs)."""
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        return aws.iam.Role(
            f"{name}-scheduler-role",
            assume_role_policy=account.account_id.apply(
                lambda account_id: json.dumps(policies.scheduler_trust(account_id))
            ),
            opts=_opts(self),
        )

    def _schedules(self, name: str, args: MomentumAwsArgs) -> list[aws.scheduler.Schedule]:
        role = self.scheduler_role
        role_policy = aws.iam.RolePolicy(
            f"{name}-scheduler-policy",
            role=role.id,
            policy=pulumi.Output.all(self.function.arn, self.dead_letters.arn).apply(
                lambda arns: json.dumps(
                    policies.scheduler_policy(function_arn=arns[0], queue_arn=arns[1])
                )
            ),
            opts=_opts(self),
        )
        group = aws.scheduler.ScheduleGroup(f"{name}-schedules", opts=_opts(self))
        spec = tick_schedule()
        made = [
            aws.scheduler.Schedule(
                f"{name}-{spec.key}",
                group_name=group.name,
                description="Momentum: the 15-minute UTC tick (every recurring job, every zone)",
                schedule_expression=spec.expression,
                schedule_expression_timezone=spec.timezone,
                flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
                state="ENABLED",
                target=aws.scheduler.ScheduleTargetArgs(
                    arn=self.function.arn,
                    role_arn=role.arn,
                    input=json.dumps(spec.tick_input()),
                    retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                        maximum_event_age_in_seconds=args.max_event_age_seconds,
                        maximum_retry_attempts=args.scheduler_retry_attempts,
                    ),
                    dead_letter_config=aws.scheduler.ScheduleTargetDeadLetterConfigArgs(
                        arn=self.dead_letters.arn
                    ),
                ),
                opts=_opts(self, depends_on=[role_policy]),
            )
        ]
        return made
