"""The Chat port on the Bot Connector: proactive DMs to athletes who installed the app."""

from __future__ import annotations

import logging
import threading
from typing import Any

from momentum.adapters.teams.activity import ConversationReference
from momentum.adapters.teams.cards import message_card
from momentum.adapters.teams.connector import Connector
from momentum.adapters.teams.constants import PROVIDER
from momentum.adapters.teams.references import load_reference
from momentum.adapters.teams.settings import TeamsSettings
from momentum.core.ports.chat import Chat, ChatMessageRef
from momentum.core.ports.storage import CHAT_IDENTITY, Storage

log = logging.getLogger("momentum.teams")
NOT_SENT = ChatMessageRef("", "")
"""What :meth:`TeamsChat.direct_message` returns when the athlete has no conversation."""


class TeamsChat(Chat):
    """Speaks through the Bot Connector, into conversations whose references it keeps.

    A DM goes to the athlete's personal conversation with the bot, found from the
    reference stored when they installed the app (:mod:`.references`); an athlete who
    never installed it, or uninstalled it, gets nothing (and the log says so, without
    the message). Every coach message is sent as text plus an Adaptive Card drawn from
    the same text (:func:`~momentum.adapters.teams.cards.message_card`).

    ``storage`` is attached by the plugin's ``install`` (the chat is built before the
    app's storage is known).
    """

    def __init__(self, connector: Connector, storage: Storage | None = None) -> None:
        self.connector = connector
        self.storage = storage
        self._conversations: dict[str, ConversationReference] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: TeamsSettings) -> TeamsChat:
        """A TeamsChat for the app registration in ``settings``."""
        return cls(Connector(settings))

    def attach(self, storage: Storage) -> None:
        """Read conversation references from ``storage``."""
        self.storage = storage

    def remember(self, reference: ConversationReference) -> None:
        """Know ``reference`` by its conversation id (for :meth:`post` and :meth:`update`)."""
        with self._lock:
            self._conversations[reference.conversation_id] = reference

    def reference_for_user(self, user_id: str) -> ConversationReference | None:
        """The stored conversation with the athlete whose Teams (or chat) user id this is."""
        if self.storage is None or not user_id:
            return None
        athlete_id = self.storage.find_identity(PROVIDER, user_id) or self.storage.find_identity(
            CHAT_IDENTITY, user_id
        )
        return load_reference(self.storage, athlete_id) if athlete_id else None

    def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Post into a conversation the bot knows (by conversation id)."""
        reference = self._conversation(channel)
        activity_id = self.connector.send(reference, text, _card(text, blocks))
        return ChatMessageRef(reference.conversation_id, activity_id)

    def update(
        self, ref: ChatMessageRef, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Replace a message the bot posted."""
        reference = self._conversation(ref.channel)
        self.connector.update(reference, ref.message_id, text, _card(text, blocks))

    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Send to the athlete's personal chat with the bot, if the app is installed."""
        reference = self.reference_for_user(user_id)
        if reference is None:
            log.info("no Teams conversation with this athlete (not installed); not sent")
            return NOT_SENT
        self.remember(reference)
        activity_id = self.connector.send(reference, text, _card(text, blocks))
        return ChatMessageRef(reference.conversation_id, activity_id)

    def _conversation(self, conversation_id: str) -> ConversationReference:
        with self._lock:
            reference = self._conversations.get(conversation_id)
        if reference is None:
            raise LookupError("the bot has no reference to that Teams conversation")
        return reference


def _card(text: str, blocks: list[dict[str, Any]] | None) -> dict[str, Any] | None:
    """The card to send: one passed in ``blocks`` (an ``AdaptiveCard``), else the text's."""
    for block in blocks or ():
        if block.get("type") == "AdaptiveCard":
            return block
    return message_card(text) if text else None
