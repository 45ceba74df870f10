"""Conversation references: where the bot may DM an athlete, kept in Storage.

Teams lets a bot write to a user only in a conversation the user's install created, so
the reference (service URL, conversation id, the two account ids) is saved when the app is
installed (or the athlete writes) and deleted when it is uninstalled. It is kept as the
athlete's credential for the ``teams`` provider (``Storage.put_token``): every store on
every target already holds those per athlete, writes them conditionally (a version), links
the provider's user id to the athlete (``find_identity("teams", user_id)``) and
removes that link with the token. The "access token" field carries the reference as JSON;
it is an address, not a secret.

Only athletes the coach knows get a reference: nothing is stored for a stranger.
"""

from __future__ import annotations

import datetime as dt
import json

from momentum.adapters.teams.activity import ConversationReference
from momentum.adapters.teams.constants import PROVIDER
from momentum.core.model import OAuthToken
from momentum.core.ports.storage import ConflictError, Storage

NEVER = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
ATTEMPTS = 5


def load_reference(storage: Storage, athlete_id: str) -> ConversationReference | None:
    """The athlete's conversation reference, or ``None`` (never installed, or uninstalled)."""
    token = storage.get_token(athlete_id, PROVIDER)
    if token is None or not token.access_token:
        return None
    try:
        return ConversationReference.from_dict(json.loads(token.access_token))
    except (ValueError, TypeError):
        return None


def save_reference(storage: Storage, athlete_id: str, reference: ConversationReference) -> bool:
    """Keep ``reference`` for ``athlete_id``; ``False`` when it was stored already (a
    redelivered install changes nothing)."""
    body = json.dumps(reference.to_dict(), sort_keys=True)
    for _ in range(ATTEMPTS):
        current = storage.get_token(athlete_id, PROVIDER)
        if current is not None and current.access_token == body:
            return False
        token = OAuthToken(
            athlete_id=athlete_id,
            provider=PROVIDER,
            access_token=body,
            refresh_token="",
            expires_at=NEVER,
            provider_athlete_id=reference.user_id,
            scope="personal",
        )
        try:
            storage.put_token(token, current.version if current else 0)
            return True
        except ConflictError:
            continue
    raise ConflictError(f"the Teams reference for {athlete_id} kept changing")


def forget_reference(storage: Storage, athlete_id: str) -> bool:
    """Delete the athlete's reference (the app was uninstalled); ``False`` if none was kept."""
    if storage.get_token(athlete_id, PROVIDER) is None:
        return False
    storage.delete_token(athlete_id, PROVIDER)
    return True
