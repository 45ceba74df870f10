"""The Pulumi program for ``momentum:cloud cloudflare``: reads the stack's config, packages
the Worker with ``wrangler deploy --dry-run --outdir`` and deploys
:class:`~momentum.infra.cloudflare.component.MomentumCloudflare`.

Config keys (``pulumi config set momentum:<key> ...``; secrets with ``--secret``): the same
secrets and plain settings as AWS (``groqApiKey``, ``slackSigningSecret``, ``slackBotToken``,
``stravaClientId``, ``stravaClientSecret``, ``stravaVerifyToken``, ...); Cloudflare's own:
``accountId``, ``workersSubdomain`` (the account's ``<name>.workers.dev``), ``plugins``
(a JSON list among running, sleep, meals and strava; default running and strava; Slack
and Groq are always carried), optional ``packageDir`` (a package built beforehand, which
ignores ``plugins``), ``configFile`` (a coach project's
``momentum.toml``: it ships with its prompts and local plugins) and ``bucketName``. The
provider's API token is ``cloudflare:apiToken`` (secret).
"""

from __future__ import annotations

from pathlib import Path

import pulumi

from momentum.infra.aws.program import REPO_ROOT, settings_from
from momentum.infra.cloudflare.component import MomentumCloudflare, MomentumCloudflareArgs
from momentum.infra.plugins import WORKER_DEFAULT_PLUGINS, WORKER_PLUGINS, chosen_plugins


def package_dir(config: pulumi.Config) -> Path:
    """The Worker package: ``packageDir``, or one built now under ``.build/cloudflare``."""
    given = config.get("packageDir")
    if given:
        return Path(given)
    from momentum.adapters.cloudflare.package import package
    from momentum.adapters.cloudflare.testing import wrangler_binary

    wrangler = wrangler_binary()
    if wrangler is None:
        raise RuntimeError("wrangler is not installed: npm install wrangler, or set packageDir")
    folder = REPO_ROOT / ".build" / "cloudflare"
    config_file = config.get("configFile")  # a coach project's momentum.toml (and folders)
    return package(
        folder,
        wrangler,
        plugins=worker_plugins_from(config),
        config_file=Path(config_file) if config_file else None,
    ).folder


def worker_plugins_from(config: pulumi.Config) -> tuple[str, ...]:
    """``momentum:plugins`` for a Worker: among those it can carry, default running and
    strava; a :class:`ValueError` names one it cannot carry yet."""
    return chosen_plugins(config, WORKER_DEFAULT_PLUGINS, offered=WORKER_PLUGINS)


def args_from(config: pulumi.Config) -> MomentumCloudflareArgs:
    """The component's arguments from the stack's config."""
    secrets, environment = settings_from(config)
    return MomentumCloudflareArgs(
        account_id=config.require("accountId"),
        package_dir=package_dir(config),
        workers_subdomain=config.require("workersSubdomain"),
        secrets=secrets,
        environment=environment,
        bucket_name=config.get("bucketName") or "momentum",
    )


def main() -> MomentumCloudflare:
    """Deploy the coach and export the URLs to paste into Slack and Strava."""
    coach = MomentumCloudflare("momentum", args_from(pulumi.Config("momentum")))
    pulumi.export("workerUrl", coach.url)
    pulumi.export("slackEventsUrl", coach.slack_events_url)
    pulumi.export("stravaWebhookUrl", coach.strava_webhook_url)
    pulumi.export("d1DatabaseId", coach.database.id)
    pulumi.export("bucketName", coach.bucket.name)
    return coach
