"""The Pulumi program for ``momentum:cloud gcp``: reads the stack's config and deploys
:class:`~momentum.infra.gcp.component.MomentumGcp`.

Config keys (``pulumi config set momentum:<key> ...``; secrets with ``--secret``): the same
secrets and plain settings as AWS (``groqApiKey``, ``slackSigningSecret``, ``slackBotToken``,
``stravaClientId``, ``stravaClientSecret``, ``stravaVerifyToken``, ``stravaSubscriptionId``,
``modelName``), and ``plugins``, ``chat``, ``model``, ``requirements``, ``sourceRoot``,
``configFile``; GCP's own: ``region`` (else ``gcp:region``), ``project`` (else
``gcp:project``), ``firestoreLocation``, ``database``, ``memory``, ``timeoutSeconds``,
``maxInstances``, ``taskAttempts``, ``enableApis``.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from momentum.infra.aws.bundle import BundleSpec
from momentum.infra.aws.program import REPO_ROOT, settings_from
from momentum.infra.gcp.component import MomentumGcp, MomentumGcpArgs
from momentum.infra.plugins import chosen_plugins


def args_from(config: pulumi.Config) -> MomentumGcpArgs:
    """The component's arguments from the stack's config."""
    secrets, environment = settings_from(config)
    provider = pulumi.Config("gcp")
    region = config.get("region") or provider.get("region")
    if not region:
        raise ValueError("set momentum:region (or gcp:region), e.g. europe-west1")
    slack = {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} & set(secrets)
    chat = config.get("chat") or ("slack" if slack else "log")
    requirements = config.get_object("requirements")
    config_file = config.get("configFile")
    spec = BundleSpec(
        source_root=Path(config.get("sourceRoot") or REPO_ROOT),
        plugins=chosen_plugins(config, ("running", "strava")),
        chat=chat,
        model=config.get("model") or ("groq" if "GROQ_API_KEY" in secrets else "offline"),
        requirements=tuple(requirements) if requirements is not None else None,
        config_file=Path(config_file) if config_file else None,
    )
    return MomentumGcpArgs(
        region=region,
        bundle=spec,
        secrets=secrets,
        environment={**environment, "MOMENTUM_CHAT": chat},
        project=config.get("project") or provider.get("project"),
        firestore_location=config.get("firestoreLocation"),
        database=config.get("database") or "(default)",
        memory=config.get("memory") or "512Mi",
        timeout_seconds=config.get_int("timeoutSeconds") or 120,
        max_instances=config.get_int("maxInstances") or 20,
        task_attempts=config.get_int("taskAttempts") or 5,
        enable_apis=config.get_bool("enableApis") is not False,
    )


def main() -> MomentumGcp:
    """Deploy the coach and export the URLs to paste into Slack and Strava."""
    coach = MomentumGcp("momentum", args_from(pulumi.Config("momentum")))
    pulumi.export("functionUrl", coach.url)
    pulumi.export("slackEventsUrl", coach.slack_events_url)
    pulumi.export("stravaWebhookUrl", coach.strava_webhook_url)
    pulumi.export("functionName", coach.function.name)
    pulumi.export("bucketName", coach.bucket.name)
    pulumi.export("tasksQueue", coach.queue.name)
    pulumi.export("firestoreDatabase", coach.database.name)
    return coach
