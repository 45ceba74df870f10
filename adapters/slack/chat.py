"""The Chat port on Slack's Web API: post, update, direct messages, Block Kit blocks."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from momentum.adapters.slack.settings import SlackSettings
from momentum.core.dashboard.links import carries_link
from momentum.core.ports.chat import Chat, ChatMessageRef

if TYPE_CHECKING:
    from slack_sdk import WebClient


class SlackChat(Chat):
    """Speaks through ``chat.postMessage`` / ``chat.update``; DMs open a conversation first.

    Athlete data only ever goes to :meth:`direct_message` (Strava's API terms: an
    athlete's data is shown only to that athlete). A DM sent without blocks gets the text
    as sections plus quick-action buttons (this week, plan).
    """

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._dm_channels: dict[str, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: SlackSettings) -> SlackChat:
        """A SlackChat for the bot token in ``settings`` (and its ``base_url``, if any)."""
        from momentum.adapters.slack.client import web_client

        return cls(web_client(settings))

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        *,
        thread_ts: str | None = None,
    ) -> ChatMessageRef:
        """Post to a channel or conversation (optionally in a thread); returns its ts.
        A message carrying a dashboard link is sent with link and media previews off."""
        kwargs: dict[str, Any] = {"channel": channel, "text": _fallback(text)}
        if carries_link(text):
            # Slack's unfurler would fetch the signed link (and keep a preview of the
            # athlete's page on Slack's side): no previews for these messages.
            kwargs.update(unfurl_links=False, unfurl_media=False)
        if blocks:
            kwargs["blocks"] = blocks
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        response = self.client.chat_postMessage(**kwargs)
        return ChatMessageRef(str(response["channel"]), str(response["ts"]))

    def update(
        self, ref: ChatMessageRef, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Replace a message's text and blocks (``[]`` clears old blocks, e.g. buttons)."""
        self.client.chat_update(
            channel=ref.channel, ts=ref.message_id, text=_fallback(text), blocks=blocks or []
        )

    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Open (or reuse) the DM with ``user_id`` and post there."""
        if blocks is None:
            from momentum.adapters.slack.blocks import message_blocks

            blocks = message_blocks(text, quick_actions=True)
        return self.post(self.open_dm(user_id), text, blocks)

    def open_dm(self, user_id: str) -> str:
        """The DM channel id with ``user_id`` (``conversations.open``, cached)."""
        with self._lock:
            cached = self._dm_channels.get(user_id)
        if cached:
            return cached
        response = self.client.conversations_open(users=user_id)
        channel = str(response["channel"]["id"])
        with self._lock:
            self._dm_channels[user_id] = channel
        return channel

    def ephemeral(self, channel: str, user_id: str, text: str) -> None:
        """A message only ``user_id`` sees, in ``channel`` (for replies outside the DM)."""
        self.client.chat_postEphemeral(channel=channel, user=user_id, text=_fallback(text))


def _fallback(text: str) -> str:
    """The notification / accessibility text: Slack caps ``text`` at 40,000 characters."""
    from momentum.adapters.slack.mrkdwn import to_mrkdwn

    return to_mrkdwn(text)[:39_000]
