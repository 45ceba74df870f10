"""The Pulumi program: reads the stack's config and deploys :class:`MomentumAws`.

Config keys (``pulumi config set momentum:<key> ...``; secrets with ``--secret``):

=========================  =============================================================
``athleteId``, ``timezone``  the athlete whose local time the schedules follow (or
                           ``athletes``: a JSON list of ``{"id": ..., "timezone": ...}``)
``plugins``                JSON list of built-in plugins (default running, files, strava;
                           the domains are running, sleep and meals)
``chat``                   ``slack``, ``teams`` or ``log`` (default: slack when slackBotToken
                           is set, else teams when teamsAppPassword is, else log)
``model``                  ``groq`` or ``offline`` (default: groq when groqApiKey is set)
``modelName``              the Groq model (MOMENTUM_MODEL), e.g. ``openai/gpt-oss-120b``
``groqApiKey``             secret
``slackSigningSecret``     secret
``slackBotToken``          secret
``teamsAppId``             plain: the Azure Bot's Microsoft App ID
``teamsTenantId``          plain: its (single) tenant
``teamsAppPassword``       secret: its client secret
``stravaClientId``         plain
``stravaClientSecret``     secret
``stravaVerifyToken``      secret
``stravaSubscriptionId``   plain (after ``momentum strava subscribe``)
``fdcApiKey``              secret: the meals coach's USDA FoodData Central key (optional:
                           without it meals uses its shipped foods only)
``dashboardKey``           secret: signs the dashboard links in the weekly messages
                           (optional: the stack generates one with pulumi-random when
                           unset; ``momentum dashboard --new-key`` prints one to set)
``publicUrl``              plain: the coach's public base URL the links point at
``memoryMb``, ``timeoutSeconds``, ``logRetentionDays``, ``maxEventAgeSeconds``,
``reservedConcurrency``, ``runtime``, ``protectData``, ``requirements`` (JSON list),
``sourceRoot``, ``configFile``
=========================  =============================================================
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from momentum.infra.aws.bundle import BundleSpec
from momentum.infra.aws.component import MomentumAws, MomentumAwsArgs
from momentum.infra.aws.schedules import AthleteSchedule
from momentum.infra.plugins import chosen_plugins

SECRET_KEYS = {
    "groqApiKey": "GROQ_API_KEY",
    "slackSigningSecret": "SLACK_SIGNING_SECRET",
    "slackBotToken": "SLACK_BOT_TOKEN",
    "stravaClientSecret": "STRAVA_CLIENT_SECRET",
    "stravaVerifyToken": "STRAVA_VERIFY_TOKEN",
    "teamsAppPassword": "TEAMS_APP_PASSWORD",
    "dashboardKey": "MOMENTUM_DASHBOARD_KEY",
    "fdcApiKey": "FDC_API_KEY",
}
DASHBOARD_KEY_CHARS = 48
"""A generated dashboard key's length: letters and digits, about 285 bits."""
PLAIN_KEYS = {
    "stravaClientId": "STRAVA_CLIENT_ID",
    "stravaSubscriptionId": "STRAVA_SUBSCRIPTION_ID",
    "modelName": "MOMENTUM_MODEL",
    "teamsAppId": "TEAMS_APP_ID",
    "teamsTenantId": "TEAMS_TENANT_ID",
    "publicUrl": "MOMENTUM_PUBLIC_URL",
}
_CHECKOUT = Path(__file__).resolve().parents[2]
REPO_ROOT = _CHECKOUT if (_CHECKOUT / "core").is_dir() else _CHECKOUT / "momentum"
"""Where ``core/``, ``adapters/`` and ``plugins/`` are: the checkout, or (installed from
the wheel, as a generated coach project has it) the installed ``momentum`` package."""


def athletes_from(config: pulumi.Config) -> list[AthleteSchedule]:
    """``athletes`` (a list) or the single ``athleteId`` + ``timezone``."""
    listed = config.get_object("athletes")
    if listed:
        if not isinstance(listed, list):
            raise ValueError("momentum:athletes must be a list of {id, timezone}")
        return [AthleteSchedule(str(a["id"]), str(a["timezone"])) for a in listed]
    return [AthleteSchedule(config.get("athleteId") or "me", config.require("timezone"))]


def settings_from(
    config: pulumi.Config,
) -> tuple[dict[str, pulumi.Output[str]], dict[str, str]]:
    """The coach's settings from the stack's config: ``(secrets, plain)`` by setting name
    (``SLACK_BOT_TOKEN``...); every cloud's program reads them the same way."""
    secrets = {
        setting: secret
        for key, setting in SECRET_KEYS.items()
        if (secret := config.get_secret(key)) is not None
    }
    if SECRET_KEYS["dashboardKey"] not in secrets:
        secrets[SECRET_KEYS["dashboardKey"]] = generated_dashboard_key()
    plain = {setting: value for key, setting in PLAIN_KEYS.items() if (value := config.get(key))}
    return secrets, plain


def generated_dashboard_key() -> pulumi.Output[str]:
    """A dashboard signing key made once for the stack (``pulumi-random``'s
    ``RandomPassword``, kept encrypted in the stack's state, the same on every ``up``), for
    when ``dashboardKey`` is not set: the coach's links work with no manual step.
    Replacing it (``pulumi up --replace`` on ``dashboard-key``) voids the links sent."""
    import pulumi_random

    key = pulumi_random.RandomPassword("dashboard-key", length=DASHBOARD_KEY_CHARS, special=False)
    return pulumi.Output.secret(key.result)


def args_from(config: pulumi.Config) -> MomentumAwsArgs:
    """The component's arguments from the stack's config."""
    secrets, environment = settings_from(config)
    slack = {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} & set(secrets)
    teams = "TEAMS_APP_PASSWORD" in secrets
    chat = config.get("chat") or ("slack" if slack else "teams" if teams else "log")
    model = config.get("model") or ("groq" if "GROQ_API_KEY" in secrets else "offline")
    plugins = chosen_plugins(config)
    requirements = config.get_object("requirements")
    config_file = config.get("configFile")
    spec = BundleSpec(
        source_root=Path(config.get("sourceRoot") or REPO_ROOT),
        plugins=plugins,
        chat=chat,
        model=model,
        requirements=tuple(requirements) if requirements is not None else None,
        config_file=Path(config_file) if config_file else None,
    )
    reserved = config.get_int("reservedConcurrency")
    return MomentumAwsArgs(
        athletes=athletes_from(config),
        bundle=spec,
        secrets=secrets,
        environment=environment,
        chat=chat,
        runtime=config.get("runtime") or "python3.12",
        memory_mb=config.get_int("memoryMb") or 512,
        timeout_seconds=config.get_int("timeoutSeconds") or 120,
        log_retention_days=config.get_int("logRetentionDays") or 30,
        max_event_age_seconds=config.get_int("maxEventAgeSeconds") or 3600,
        reserved_concurrency=reserved,
        protect_data=config.get_bool("protectData") is not False,
    )


def _int_or(value: int | None, default: int) -> int:
    return default if value is None else value


def main() -> MomentumAws:
    """Deploy the coach and export the URLs to paste into Slack and Strava."""
    config = pulumi.Config("momentum")
    coach = MomentumAws("momentum", args_from(config))
    pulumi.export("functionUrl", coach.function_url)
    pulumi.export("slackEventsUrl", coach.slack_events_url)
    pulumi.export("stravaWebhookUrl", coach.strava_webhook_url)
    pulumi.export("functionName", coach.function.name)
    pulumi.export("tableName", coach.table.name)
    pulumi.export("bucketName", coach.bucket.bucket)
    pulumi.export("deadLetterQueueUrl", coach.dead_letters.url)
    return coach
