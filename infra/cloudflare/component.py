"""The Cloudflare stack as one Pulumi ComponentResource (pulumi-cloudflare):

- a D1 database (Storage; its schema from ``wrangler d1 migrations apply``), an R2 bucket
  (Blob), the deferred-work Queue and its dead-letter queue;
- the Python Worker (``python_workers`` flag), uploaded module by module from the package
  ``wrangler deploy --dry-run --outdir`` wrote (:mod:`momentum.adapters.cloudflare.package`),
  bound to D1 (``DB``), R2 (``BUCKET``) and the Queue (``QUEUE``); settings as plain-text
  bindings and secrets only as ``secret_text`` bindings;
- the Queue's consumer (that Worker; retries, then the dead-letter queue), the 15-minute
  cron trigger, and the workers.dev route.

It exports the Slack and Strava URLs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from momentum.adapters.cloudflare.handlers import TICK_CRON

QUEUE, DATABASE, BINDINGS = "momentum-deferred", "momentum", ("DB", "BUCKET", "QUEUE")
COMPATIBILITY_DATE = "2025-09-01"
PYTHON = "text/x-python"
DATA = "application/octet-stream"
"""Data modules: templates and ``momentum.toml`` beside our code, and every file of the
vendored ``python_modules/`` (wrangler uploads those as data too)."""


@dataclass
class MomentumCloudflareArgs:
    """What to deploy."""

    account_id: pulumi.Input[str]
    package_dir: Path
    """The Worker package (``wrangler deploy --dry-run --outdir``): ``worker.py`` and the
    modules beside it."""
    workers_subdomain: pulumi.Input[str]
    """The account's ``<subdomain>.workers.dev``, for the exported URLs."""
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Setting name → value, bound as ``secret_text`` (``SLACK_BOT_TOKEN``...)."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """Plain settings, bound as ``plain_text``."""
    script_name: str = "momentum"
    bucket_name: str = "momentum"
    max_retries: int = 5


def module_files(package_dir: Path) -> dict[str, Path]:
    """Every module of the package (Python, and data such as prompt templates) by its
    upload name (path from the package root); wrangler's README is left out."""
    files = {
        p.relative_to(package_dir).as_posix(): p
        for p in package_dir.rglob("*")
        if p.is_file() and p.relative_to(package_dir).as_posix() != "README.md"
    }
    if "worker.py" not in files:
        raise FileNotFoundError(f"{package_dir}: no worker.py (run the Worker's packaging first)")
    return dict(sorted(files.items()))


def content_type(upload: str) -> str:
    """The module type the upload declares, as wrangler sets it: Python for our ``.py``
    files, data for the rest and for everything under ``python_modules/``."""
    if upload.endswith(".py") and not upload.startswith("python_modules/"):
        return PYTHON
    return DATA


def sha256(path: Path) -> str:
    """The hex SHA-256 of a file (the provider checks each upload against it)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class MomentumCloudflare(pulumi.ComponentResource):
    """A Momentum coach on a Python Worker, D1, R2, Queues and a cron trigger."""

    def __init__(
        self, name: str, args: MomentumCloudflareArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("momentum:cloudflare:Coach", name, None, opts)
        import pulumi_cloudflare as cf

        child = pulumi.ResourceOptions(parent=self)
        account = args.account_id
        self.database = cf.D1Database(
            f"{name}-d1",
            account_id=account,
            name=DATABASE,
            read_replication={"mode": "disabled"},
            opts=child,
        )
        self.bucket = cf.R2Bucket(
            f"{name}-r2", account_id=account, name=args.bucket_name, opts=child
        )
        self.queue = cf.Queue(f"{name}-queue", account_id=account, queue_name=QUEUE, opts=child)
        self.dead_letters = cf.Queue(
            f"{name}-dlq", account_id=account, queue_name=f"{QUEUE}-dlq", opts=child
        )
        self.script = self._script(name, args, cf, child)
        after = pulumi.ResourceOptions(parent=self, depends_on=[self.script])
        self.consumer = cf.QueueConsumer(
            f"{name}-consumer",
            account_id=account,
            queue_id=self.queue.queue_id,
            script_name=args.script_name,
            type="worker",
            dead_letter_queue=self.dead_letters.queue_name,
            settings=cf.QueueConsumerSettingsArgs(
                batch_size=10, max_retries=args.max_retries, max_wait_time_ms=1000
            ),
            opts=after,
        )
        self.cron = cf.WorkersCronTrigger(
            f"{name}-cron",
            account_id=account,
            script_name=args.script_name,
            schedules=[cf.WorkersCronTriggerScheduleArgs(cron=TICK_CRON)],
            opts=after,
        )
        self.route = cf.WorkersScriptSubdomain(
            f"{name}-workers-dev",
            account_id=account,
            script_name=args.script_name,
            enabled=True,
            opts=after,
        )
        base = pulumi.Output.concat(
            "https://", args.script_name, ".", args.workers_subdomain, ".workers.dev"
        )
        self.url = base
        self.slack_events_url = pulumi.Output.concat(base, "/slack/events")
        self.strava_webhook_url = pulumi.Output.concat(base, "/strava/webhook")
        self.register_outputs(
            {"slackEventsUrl": self.slack_events_url, "stravaWebhookUrl": self.strava_webhook_url}
        )

    def _script(
        self, name: str, args: MomentumCloudflareArgs, cf: Any, child: pulumi.ResourceOptions
    ) -> Any:
        clash = sorted(set(BINDINGS) & {*args.environment, *args.secrets})
        if clash:
            raise ValueError(f"settings {', '.join(clash)} would replace the Worker's bindings")
        files = module_files(args.package_dir)
        main = files.pop("worker.py")
        bindings = [
            cf.WorkersScriptBindingArgs(name="DB", type="d1", id=self.database.id),
            cf.WorkersScriptBindingArgs(
                name="BUCKET", type="r2_bucket", bucket_name=self.bucket.name
            ),
            cf.WorkersScriptBindingArgs(
                name="QUEUE", type="queue", queue_name=self.queue.queue_name
            ),
        ]
        bindings += [
            cf.WorkersScriptBindingArgs(name=key, type="plain_text", text=value)
            for key, value in sorted(args.environment.items())
            if key not in args.secrets
        ]
        bindings += [
            cf.WorkersScriptBindingArgs(
                name=key, type="secret_text", text=pulumi.Output.secret(value)
            )
            for key, value in sorted(args.secrets.items())
        ]
        return cf.WorkersScript(
            f"{name}-worker",
            account_id=args.account_id,
            script_name=args.script_name,
            main_module="worker.py",
            content_file=str(main),
            content_sha256=sha256(main),
            content_type=PYTHON,
            files={
                upload: cf.WorkersScriptFilesArgs(
                    content_file=str(path),
                    content_sha256=sha256(path),
                    content_type=content_type(upload),
                )
                for upload, path in files.items()
            },
            compatibility_date=COMPATIBILITY_DATE,
            compatibility_flags=["python_workers"],
            bindings=bindings,
            opts=child,
        )
