"""The Bot Connector REST API through the Teams SDK for Python (``microsoft-teams-api``).

The SDK's ``ApiClient`` is asynchronous; the coach's ports are not, so each call runs the
SDK's coroutine to completion on a private event loop on the calling thread. That thread is a
request or worker thread on every target (waitress, a Lambda or Function invocation), never
one with a running event loop.

The bot's own access token comes from Microsoft Entra ID by the client-credentials flow
through MSAL (the library the Teams SDK itself uses), cached until shortly before it
expires. The secret goes to MSAL only, never to a log.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from momentum.adapters.teams.activity import ConversationReference
from momentum.adapters.teams.settings import TeamsSettings
from momentum.core.errors import ConfigError

T = TypeVar("T")
LEGACY_TENANT = "botframework.com"
"""The tenant of the deprecated multi-tenant bots, used when no tenant is configured."""


class ConnectorError(Exception):
    """The Bot Connector or the token endpoint refused a call (the message says which)."""


class Connector:
    """Send, update and type into conversations as the bot."""

    def __init__(self, settings: TeamsSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._msal: Any = None

    # -- the bot's token ---------------------------------------------------------------------
    def bot_token(self) -> str:
        """A current access token for the Bot Connector (MSAL caches and renews it)."""
        app = self._msal_app()
        result = app.acquire_token_for_client(scopes=[self.settings.bot_scope])
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            error = result.get("error", "no token") if isinstance(result, dict) else "no token"
            raise ConnectorError(f"Microsoft Entra ID gave the bot no token ({error})")
        return str(token)

    def _msal_app(self) -> Any:
        with self._lock:
            if self._msal is None:
                import msal

                if not self.settings.app_id or not self.settings.app_password:
                    raise ConfigError("[teams] app_id and TEAMS_APP_PASSWORD must be set")
                tenant = self.settings.tenant_id or LEGACY_TENANT
                self._msal = msal.ConfidentialClientApplication(
                    self.settings.app_id,
                    client_credential=self.settings.app_password.reveal(),
                    authority=f"{self.settings.login_endpoint.rstrip('/')}/{tenant}",
                    # The endpoint is the configured one: no discovery through
                    # login.microsoftonline.com of another authority.
                    instance_discovery=False,
                )
            return self._msal

    # -- activities ---------------------------------------------------------------------------
    def send(
        self, ref: ConversationReference, text: str, card: dict[str, Any] | None = None
    ) -> str:
        """Post a message (``text``, plus an Adaptive Card if given); its activity id."""
        from microsoft_teams.api.activities.message import MessageActivityInput

        activity = _message(MessageActivityInput(), text, card)
        sent = self._run(self._create(ref, activity))
        return str(sent.id)

    def update(
        self,
        ref: ConversationReference,
        activity_id: str,
        text: str,
        card: dict[str, Any] | None = None,
    ) -> None:
        """Replace a message the bot posted earlier."""
        from microsoft_teams.api.activities.message import MessageActivityInput

        activity = _message(MessageActivityInput(), text, card)
        self._run(self._update(ref, activity_id, activity))

    def typing(self, ref: ConversationReference) -> None:
        """Show "…is typing" in the conversation until the next message arrives."""
        from microsoft_teams.api.activities.typing import TypingActivityInput

        self._run(self._create(ref, TypingActivityInput()))

    async def _create(self, ref: ConversationReference, activity: Any) -> Any:
        client = self._client(ref)
        return await client.conversations.create_activity(ref.conversation_id, activity)

    async def _update(self, ref: ConversationReference, activity_id: str, activity: Any) -> Any:
        client = self._client(ref)
        return await client.conversations.update_activity(
            ref.conversation_id, activity_id, activity
        )

    def _client(self, ref: ConversationReference) -> Any:
        from microsoft_teams.api import ApiClient
        from microsoft_teams.common import ClientOptions

        return ApiClient(ref.service_url, ClientOptions(token=self.bot_token, timeout=20.0))

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run the SDK's coroutine to its end from synchronous code. A thread that already
        runs an event loop (an async host, Playwright's sync API in tests) can't run
        another one, so then the call runs on a short-lived thread of its own."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return self._run_on_private_loop(coroutine)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1, thread_name_prefix="momentum-teams") as pool:
            return pool.submit(self._run_on_private_loop, coroutine).result()

    def _run_on_private_loop(self, coroutine: Coroutine[Any, Any, T]) -> T:
        # A private loop, not asyncio.run: that would leave the calling thread with no
        # current event loop afterwards, which breaks a host that relies on one.
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(coroutine)
        except ConnectorError:
            raise
        except Exception as exc:
            # httpx's errors carry the URL, never the Authorization header.
            raise ConnectorError(f"the Bot Connector call failed: {exc}") from exc
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


def _message(activity: Any, text: str, card: dict[str, Any] | None) -> Any:
    from microsoft_teams.api.models import Attachment

    activity = activity.with_text(text)
    if card is not None:
        activity = activity.add_attachments(
            Attachment(content_type="application/vnd.microsoft.card.adaptive", content=card)
        )
    return activity
