"""Socket Mode: the same Bolt app over a WebSocket, so no public URL is needed locally.

``momentum serve --socket-mode`` calls :func:`run`. Events, slash commands and buttons
reach the same listeners as over HTTP; Slack's own connection replaces the signature
check, and the envelope is acknowledged once the listener has deferred the work, exactly
like the HTTP ack ("Thinking…" is posted first unless the scheduler has a fast lane).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from momentum.adapters.slack.settings import slack_settings
from momentum.core.app import App
from momentum.core.errors import ConfigError

log = logging.getLogger("momentum.slack")


def connect(app: App) -> Any:
    """Open a Socket Mode connection for ``app`` and return the handler (call ``close()``).

    Needs ``SLACK_APP_TOKEN`` (an app-level ``xapp-`` token with ``connections:write``)
    and ``SLACK_BOT_TOKEN``.
    """
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from momentum.adapters.slack.bolt_app import bridge_of

    token = slack_settings(app.settings).app_token.reveal()
    if not token:
        raise ConfigError(
            "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-…) "
            "with the connections:write scope"
        )
    bolt = bridge_of(app).bolt()
    handler: Any = SocketModeHandler(bolt, app_token=token, logger=log)
    handler.connect()
    log.info("connected to Slack over Socket Mode")
    return handler


def run(app: App, stop: threading.Event | None = None) -> None:
    """Serve Slack over Socket Mode until ``stop`` is set or Ctrl-C (blocking)."""
    handler = connect(app)
    try:
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()
