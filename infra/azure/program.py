"""The Pulumi program for ``momentum:cloud azure``: reads the stack's config and deploys
:class:`~momentum.infra.azure.component.MomentumAzure`.

Config keys (``pulumi config set momentum:<key> ...``; secrets with ``--secret``): the same
secrets and plain settings as AWS (``groqApiKey``, ``slackSigningSecret``, ``slackBotToken``,
``stravaClientId``, ``stravaClientSecret``, ``stravaVerifyToken``, ``stravaSubscriptionId``,
``modelName``, ``teamsAppId``, ``teamsTenantId``, ``teamsAppPassword``), and ``plugins``,
``chat`` (``slack`` or ``teams``: Teams also gets an Azure Bot resource), ``model``,
``requirements``, ``sourceRoot``, ``configFile``; Azure's own: ``location`` (else
``azure-native:location``), ``maxInstances``, ``instanceMemoryMb``.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from momentum.infra.aws.bundle import BundleSpec
from momentum.infra.aws.program import REPO_ROOT, settings_from
from momentum.infra.azure.component import MomentumAzure, MomentumAzureArgs
from momentum.infra.plugins import chosen_plugins


def args_from(config: pulumi.Config) -> MomentumAzureArgs:
    """The component's arguments from the stack's config."""
    secrets, environment = settings_from(config)
    chat = config.get("chat") or "slack"
    environment = {**environment, "MOMENTUM_CHAT": chat}  # the function's chat choice
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
    return MomentumAzureArgs(
        bundle=spec,
        secrets=secrets,
        environment=environment,
        location=config.get("location"),
        max_instances=config.get_int("maxInstances") or 40,
        instance_memory_mb=config.get_int("instanceMemoryMb") or 2048,
    )


def main() -> MomentumAzure:
    """Deploy the coach and export the URLs to paste into Slack and Strava."""
    coach = MomentumAzure("momentum", args_from(pulumi.Config("momentum")))
    pulumi.export("slackEventsUrl", coach.slack_events_url)
    pulumi.export("teamsMessagesUrl", coach.teams_messages_url)
    pulumi.export("stravaWebhookUrl", coach.strava_webhook_url)
    pulumi.export("functionAppName", coach.app.name)
    pulumi.export("storageAccountName", coach.account.name)
    pulumi.export("keyVaultName", coach.vault.name)
    return coach
