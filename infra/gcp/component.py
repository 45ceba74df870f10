"""The GCP stack as one Pulumi ComponentResource (pulumi-gcp):

- the APIs it uses, enabled;
- two service accounts of its own: ``<name>-fn`` runs the function, ``<name>-invoker`` is
  the identity on Cloud Scheduler's and Cloud Tasks' OIDC tokens;
- a Firestore database in native mode, the TTL policy that sweeps expired claims
  (``claims.expires_at``, cleanup only) and single-field index exemptions for the large
  ``body`` field, which is never queried;
- a Cloud Storage bucket for streams, uploads and spilled payloads (uniform access, public
  access prevention enforced, spilled payloads deleted after a week) and one for the
  function's source;
- a Cloud Tasks queue with retry limits, and a Cloud Scheduler job that POSTs the 15-minute
  UTC tick to ``/tick`` with an OIDC token;
- Secret Manager secrets; the function's environment names them (``MOMENTUM_SECRETS``) and
  never holds their values;
- a Cloud Run function (gen2, Python 3.11, min instances 0) from the source zip, public
  for Slack's and Strava's webhooks (which the routes verify themselves).

Least privilege: the function's account holds Firestore's data role on the coach's
database only (an IAM condition), object admin on its bucket, enqueuer on its queue,
secret access on each of its own secrets, and "act as" on the invoker account (to put its
token on tasks); the invoker account holds the invoker role on this function only. No
basic role (owner, editor, viewer) anywhere.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from momentum.infra.aws.bundle import BundleSpec, build_bundle
from momentum.infra.gcp import roles

APIS = (
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "firestore.googleapis.com",
    "cloudtasks.googleapis.com",
    "cloudscheduler.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
)
TICK_SCHEDULE = "*/15 * * * *"
SPILL_DAYS = 7
INDEX_EXEMPT = (
    "athletes",
    "activities",
    "messages",
    "reflections",
    "notes",
    "memory",
    "usage",
    "tokens",
    "plans",
)
"""Collection groups whose ``body`` (a record's JSON) is exempt from single-field indexes."""


@dataclass
class MomentumGcpArgs:
    """What to deploy."""

    region: str
    """Where the function, queue, scheduler job and buckets live (``europe-west1``)."""
    bundle: BundleSpec | None = None
    """What to build; ``None`` with ``bundle_path`` uses a prebuilt zip."""
    bundle_path: str | None = None
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Setting name → value, stored in Secret Manager (``SLACK_BOT_TOKEN``...)."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """Plain environment variables."""
    project: str | None = None
    """The project (default: the provider's ``gcp:project``)."""
    firestore_location: str | None = None
    """Firestore's location (default: ``region``)."""
    database: str = "(default)"
    """The Firestore database; ``(default)`` is the one the free tier covers (one per
    project: give another name when the project has one already)."""
    memory: str = "512Mi"
    timeout_seconds: int = 120
    max_instances: int = 20
    task_attempts: int = 5
    enable_apis: bool = True
    build_dir: Path = Path(".momentum-build")
    """Where the source zip is built (relative to where ``pulumi up`` runs, as on AWS)."""


def gcp_bundle(spec: BundleSpec) -> BundleSpec:
    """``spec`` laid out for Cloud Run functions: the GCP adapter and a root ``main.py``;
    third-party packages are not vendored but listed in ``requirements.txt``, which the
    platform's build installs for its own Python."""
    from momentum.adapters.gcp.main import ROOT_MAIN_PY

    wanted = BundleSpec(**{**spec.__dict__, "cloud": "gcp"}).pip_requirements()
    return BundleSpec(
        **{
            **spec.__dict__,
            "cloud": "gcp",
            "requirements": (),
            "local_distributions": (),
            "root_files": {"main.py": ROOT_MAIN_PY, "requirements.txt": "\n".join(wanted) + "\n"},
            "python_version": "3.11",
        }
    )


def secret_id(setting: str) -> str:
    """``SLACK_BOT_TOKEN`` → ``momentum-slack-bot-token``."""
    return "momentum-" + setting.lower().replace("_", "-")


def tick_body() -> str:
    """The scheduler job's body: core's tick envelope (base64, as the API takes it); the
    slot comes from the ``X-CloudScheduler-ScheduleTime`` header."""
    return base64.b64encode(json.dumps({"momentum": "tick"}).encode()).decode()


class MomentumGcp(pulumi.ComponentResource):
    """A Momentum coach on Cloud Run functions, Firestore, Cloud Storage, Cloud Tasks,
    Cloud Scheduler and Secret Manager."""

    def __init__(
        self, name: str, args: MomentumGcpArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("momentum:gcp:Coach", name, None, opts)
        import pulumi_gcp as gcp

        self.name = name
        self.args = args
        self.child = pulumi.ResourceOptions(parent=self)
        project = gcp.organizations.get_project_output(project_id=args.project)
        self.project = project.project_id
        self.project_number = project.number
        self._apis(args)
        self._accounts()
        self._firestore(args)
        self._buckets(args)
        self._queue(args)
        self._secrets(args)
        # Cloud Run's deterministic URL, known before the function exists, so the function
        # can be told where tasks go (and which audience their tokens carry).
        self.url = pulumi.Output.concat(
            "https://", name, "-fn-", self.project_number, ".", args.region, ".run.app"
        )
        self._function(args)
        self._scheduler(args)
        self._grants()
        self.slack_events_url = pulumi.Output.concat(self.url, "/slack/events")
        self.strava_webhook_url = pulumi.Output.concat(self.url, "/strava/webhook")
        self.register_outputs(
            {"slackEventsUrl": self.slack_events_url, "stravaWebhookUrl": self.strava_webhook_url}
        )

    def _opts(self, *depends: Any) -> pulumi.ResourceOptions:
        after = [*self.services, *depends]
        return pulumi.ResourceOptions(parent=self, depends_on=after)

    def _apis(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        self.services = [
            gcp.projects.Service(
                f"{self.name}-{api.split('.')[0]}",
                project=self.project,
                service=api,
                disable_on_destroy=False,
                opts=self.child,
            )
            for api in (APIS if args.enable_apis else ())
        ]

    def _accounts(self) -> None:
        import pulumi_gcp as gcp

        self.runtime_account = gcp.serviceaccount.Account(
            f"{self.name}-fn",
            account_id=f"{self.name}-fn",
            display_name="Momentum coach: runs the function",
            project=self.project,
            opts=self._opts(),
        )
        self.invoker_account = gcp.serviceaccount.Account(
            f"{self.name}-invoker",
            account_id=f"{self.name}-invoker",
            display_name="Momentum coach: OIDC identity of its scheduler and tasks",
            project=self.project,
            opts=self._opts(),
        )

    def _firestore(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        self.database = gcp.firestore.Database(
            f"{self.name}-db",
            name=args.database,
            project=self.project,
            location_id=args.firestore_location or args.region,
            type="FIRESTORE_NATIVE",
            concurrency_mode="OPTIMISTIC",
            delete_protection_state="DELETE_PROTECTION_ENABLED",
            opts=self._opts(),
        )
        database = self.database.name
        self.ttl = gcp.firestore.Field(
            f"{self.name}-claims-ttl",
            project=self.project,
            database=database,
            collection="claims",
            field="expires_at",
            ttl_config=gcp.firestore.FieldTtlConfigArgs(),
            index_config=gcp.firestore.FieldIndexConfigArgs(indexes=[]),
            opts=self.child,
        )
        self.index_exemptions = [
            gcp.firestore.Field(
                f"{self.name}-{collection}-body",
                project=self.project,
                database=database,
                collection=collection,
                field="body",
                index_config=gcp.firestore.FieldIndexConfigArgs(indexes=[]),
                opts=self.child,
            )
            for collection in INDEX_EXEMPT
        ]

    def _buckets(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        def bucket(purpose: str, rules: list[Any]) -> Any:
            return gcp.storage.Bucket(
                f"{self.name}-{purpose}",
                project=self.project,
                location=args.region.upper(),
                uniform_bucket_level_access=True,
                public_access_prevention="enforced",
                force_destroy=False,
                lifecycle_rules=rules,
                opts=self._opts(),
            )

        spill = gcp.storage.BucketLifecycleRuleArgs(
            action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
            condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                age=SPILL_DAYS, matches_prefixes=["deferred/"]
            ),
        )
        self.bucket = bucket("data", [spill])
        self.source_bucket = bucket("source", [])

    def _queue(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        self.queue = gcp.cloudtasks.Queue(
            f"{self.name}-tasks",
            project=self.project,
            location=args.region,
            retry_config=gcp.cloudtasks.QueueRetryConfigArgs(
                max_attempts=args.task_attempts,
                max_retry_duration="3600s",
                min_backoff="10s",
                max_backoff="600s",
                max_doublings=4,
            ),
            rate_limits=gcp.cloudtasks.QueueRateLimitsArgs(
                max_concurrent_dispatches=args.max_instances * 4,
                max_dispatches_per_second=50,
            ),
            opts=self._opts(),
        )

    def _secrets(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        self.secrets: dict[str, Any] = {}
        self.secret_versions: dict[str, Any] = {}
        for setting, value in sorted(args.secrets.items()):
            secret = gcp.secretmanager.Secret(
                f"{self.name}-{secret_id(setting)}",
                project=self.project,
                secret_id=secret_id(setting),
                replication=gcp.secretmanager.SecretReplicationArgs(
                    auto=gcp.secretmanager.SecretReplicationAutoArgs()
                ),
                opts=self._opts(),
            )
            self.secrets[setting] = secret
            self.secret_versions[setting] = gcp.secretmanager.SecretVersion(
                f"{self.name}-{secret_id(setting)}-v",
                secret=secret.id,
                secret_data=pulumi.Output.secret(value),
                opts=self.child,
            )

    def environment(self, args: MomentumGcpArgs) -> dict[str, pulumi.Input[str]]:
        """The function's environment: where everything is, and the *names* of secrets."""
        names = [
            pulumi.Output.concat(setting, "=projects/", self.project, "/secrets/", secret.secret_id)
            for setting, secret in self.secrets.items()
        ]
        queue = pulumi.Output.concat(
            "projects/", self.project, "/locations/", args.region, "/queues/", self.queue.name
        )
        return {
            **dict(args.environment),
            "MOMENTUM_PROJECT": self.project,
            "MOMENTUM_FIRESTORE_DATABASE": self.database.name,
            "MOMENTUM_BUCKET": self.bucket.name,
            "MOMENTUM_TASKS_QUEUE": queue,
            "MOMENTUM_FUNCTION_URL": self.url,
            "MOMENTUM_INVOKER_ACCOUNT": self.invoker_account.email,
            "MOMENTUM_SECRETS": pulumi.Output.all(*names).apply(lambda parts: ",".join(parts)),
        }

    def _source(self, args: MomentumGcpArgs) -> Any:
        import pulumi_gcp as gcp

        if args.bundle_path:
            path = args.bundle_path
        elif args.bundle is not None:
            out = args.build_dir / f"{self.name}-gcp.zip"
            path = str(build_bundle(gcp_bundle(args.bundle), out).path)
        else:
            raise ValueError("give either bundle (what to build) or bundle_path (a built zip)")
        return gcp.storage.BucketObject(
            f"{self.name}-source",
            bucket=self.source_bucket.name,
            name="function-source.zip",
            source=pulumi.FileAsset(path),
            opts=self.child,
        )

    def _function(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        from momentum.adapters.gcp.main import ENTRY_POINT

        self.source = self._source(args)
        versions = list(self.secret_versions.values())
        self.function = gcp.cloudfunctionsv2.Function(
            f"{self.name}-fn",
            name=f"{self.name}-fn",
            project=self.project,
            location=args.region,
            build_config=gcp.cloudfunctionsv2.FunctionBuildConfigArgs(
                runtime="python311",
                entry_point=ENTRY_POINT,
                source=gcp.cloudfunctionsv2.FunctionBuildConfigSourceArgs(
                    storage_source=gcp.cloudfunctionsv2.FunctionBuildConfigSourceStorageSourceArgs(
                        bucket=self.source_bucket.name,
                        object=self.source.name,
                        generation=self.source.generation,
                    )
                ),
            ),
            service_config=gcp.cloudfunctionsv2.FunctionServiceConfigArgs(
                min_instance_count=0,
                max_instance_count=args.max_instances,
                available_memory=args.memory,
                timeout_seconds=args.timeout_seconds,
                service_account_email=self.runtime_account.email,
                environment_variables=self.environment(args),
                ingress_settings="ALLOW_ALL",
                all_traffic_on_latest_revision=True,
            ),
            opts=self._opts(*versions),
        )

    def _scheduler(self, args: MomentumGcpArgs) -> None:
        import pulumi_gcp as gcp

        self.scheduler = gcp.cloudscheduler.Job(
            f"{self.name}-tick",
            project=self.project,
            region=args.region,
            schedule=TICK_SCHEDULE,
            time_zone="Etc/UTC",
            attempt_deadline=f"{args.timeout_seconds}s",
            retry_config=gcp.cloudscheduler.JobRetryConfigArgs(
                retry_count=3, max_retry_duration="600s"
            ),
            http_target=gcp.cloudscheduler.JobHttpTargetArgs(
                uri=pulumi.Output.concat(self.url, "/tick"),
                http_method="POST",
                headers={"Content-Type": "application/json"},
                body=tick_body(),
                oidc_token=gcp.cloudscheduler.JobHttpTargetOidcTokenArgs(
                    service_account_email=self.invoker_account.email, audience=self.url
                ),
            ),
            opts=self._opts(self.function),
        )

    def _grants(self) -> None:
        import pulumi_gcp as gcp

        runtime = pulumi.Output.concat("serviceAccount:", self.runtime_account.email)
        invoker = pulumi.Output.concat("serviceAccount:", self.invoker_account.email)
        condition = pulumi.Output.all(self.project, self.database.name).apply(
            lambda pd: gcp.projects.IAMMemberConditionArgs(**roles.database_condition(*pd))
        )
        self.grants: list[Any] = [
            gcp.projects.IAMMember(
                f"{self.name}-firestore",
                project=self.project,
                role=roles.FIRESTORE_USER,
                member=runtime,
                condition=condition,
                opts=self.child,
            ),
            gcp.storage.BucketIAMMember(
                f"{self.name}-objects",
                bucket=self.bucket.name,
                role=roles.OBJECT_ADMIN,
                member=runtime,
                opts=self.child,
            ),
            gcp.cloudtasks.QueueIamMember(
                f"{self.name}-enqueue",
                project=self.project,
                location=self.queue.location,
                name=self.queue.name,
                role=roles.TASKS_ENQUEUER,
                member=runtime,
                opts=self.child,
            ),
            gcp.serviceaccount.IAMMember(
                f"{self.name}-act-as-invoker",
                service_account_id=self.invoker_account.name,
                role=roles.ACT_AS,
                member=runtime,
                opts=self.child,
            ),
            *[
                gcp.secretmanager.SecretIamMember(
                    f"{self.name}-{secret_id(setting)}-access",
                    project=self.project,
                    secret_id=secret.secret_id,
                    role=roles.SECRET_ACCESSOR,
                    member=runtime,
                    opts=self.child,
                )
                for setting, secret in self.secrets.items()
            ],
        ]
        service = self.function.service_config.apply(lambda c: c.service if c else None)
        self.invokers = [
            gcp.cloudrunv2.ServiceIamMember(
                f"{self.name}-invoke-{who}",
                project=self.project,
                location=self.function.location,
                name=service,
                role=roles.RUN_INVOKER,
                member=member,
                opts=self.child,
            )
            for who, member in (("oidc", invoker), ("webhooks", "allUsers"))
        ]
