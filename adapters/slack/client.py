"""Building a slack_sdk ``WebClient`` from settings (the one place that reads the token)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from momentum.adapters.slack.settings import SlackSettings
from momentum.core.errors import ConfigError

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from momentum.core.ports.transport import Transport

DEFAULT_TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 2


def api_base_url(settings: SlackSettings) -> str:
    """The Web API base URL: Slack's, or ``settings.base_url`` (a fake server in tests)."""
    base = settings.base_url or "https://slack.com/api/"
    return base if base.endswith("/") else base + "/"


def web_client(
    settings: SlackSettings, *, token: str | None = None, transport: Transport | None = None
) -> WebClient:
    """A WebClient for the bot token (or ``token``), retrying Slack's 429s politely.

    slack_sdk already retries connection errors; the rate-limit handler waits for the
    ``Retry-After`` Slack sends rather than failing the message. Its HTTP goes through
    ``transport`` when given, else through the Worker's ``fetch`` inside a Worker
    (:func:`momentum.adapters.outbound.worker_transport`), else urllib as usual.
    """
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    from momentum.adapters.outbound import worker_transport

    value = token if token is not None else settings.bot_token.reveal()
    if not value:
        raise ConfigError("SLACK_BOT_TOKEN is not set (slack.bot_token in momentum.toml)")
    options: dict[str, Any] = {
        "token": value,
        "base_url": api_base_url(settings),
        "timeout": DEFAULT_TIMEOUT_SECONDS,
    }
    seam = transport or worker_transport()
    if seam is not None:
        from momentum.adapters.slack.seam_client import SeamWebClient

        client: WebClient = SeamWebClient(seam, **options)
    else:
        client = WebClient(**options)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
    return client
