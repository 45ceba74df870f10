"""The Slack chat adapter, on slack-bolt.

Entry points other code uses:

- :func:`momentum.adapters.slack.bolt_app.install` registers ``/slack/events`` and the deferred
  handlers (the second half of "ack now, work later") on an :class:`~momentum.core.app.App`;
- :func:`momentum.adapters.slack.socket_mode.run` serves the same app over Socket Mode;
- :class:`momentum.adapters.slack.chat.SlackChat` implements the Chat port;
- :func:`momentum.adapters.slack.manifest.build_manifest` describes the Slack app to create.

slack_bolt and slack_sdk are imported inside the functions that need them, so importing
this package (and ``core``) stays cheap.
"""
