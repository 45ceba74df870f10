"""The deployed coach's "open your week" links: where they point and when they are made.

A link is made only when the coach knows its public address (``MOMENTUM_PUBLIC_URL`` in
the environment, ``public_url`` in ``momentum.toml``, or the function URL a GCP deploy
sets) and holds a signing key (the
secret ``MOMENTUM_DASHBOARD_KEY``); otherwise :func:`dashboard_link` gives ``None`` and
messages go out as before. The link is added to the text the chat delivers, never to the
stored message or a prompt: it is a bearer credential for :data:`LINK_DAYS` days.

Light on purpose (no dashboard rendering is imported): the coach calls it on every weekly
message.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from momentum.core.dashboard.signing import KEY_SECRET, MIN_KEY_CHARS, sign

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.config import Settings
    from momentum.core.model import Message

PREFIX = "/dashboard"
"""Where the deployed coach serves the dashboard."""
PUBLIC_URL_ENV = "MOMENTUM_PUBLIC_URL"
FUNCTION_URL_ENV = "MOMENTUM_FUNCTION_URL"
LINK_DAYS = 14
"""How long a link in a message opens the pages: the week it is about and the next."""
LINKED_MESSAGES = {"monday_plan": "plan", "weekly_review": ""}
"""Message kind → the page its link opens (``""``: the overview). A page no plugin serves
falls back to the overview."""
LINK_LABEL = "Open your week"
_TOKEN_IN_LINK = re.compile(re.escape(PREFIX) + r"/[^/\s]+")


def carries_link(text: str) -> bool:
    """Whether ``text`` holds a dashboard link (a chat must not let its link previewer
    fetch it: the token opens the athlete's pages)."""
    return _TOKEN_IN_LINK.search(text) is not None


def redact_links(text: str) -> str:
    """``text`` with each dashboard link's token replaced by ``<token>``: what a log may
    keep of a message that carries a link (the token opens the athlete's pages)."""
    return _TOKEN_IN_LINK.sub(f"{PREFIX}/<token>", text)


def signing_key(settings: Settings) -> str | None:
    """The signing key from the environment (cloud targets merge their secrets into it)
    or the Secrets port; ``None`` when unset or too short to be safe."""
    key = settings.env.get(KEY_SECRET) or (
        settings.secrets.get(KEY_SECRET) if settings.secrets is not None else None
    )
    return key if key and len(key) >= MIN_KEY_CHARS else None


def public_url(settings: Settings) -> str | None:
    """The coach's public base URL (``https://…``, no trailing slash), or ``None``:
    ``MOMENTUM_PUBLIC_URL``, else ``public_url`` in ``momentum.toml``, else the function
    URL a cloud deploy sets (``MOMENTUM_FUNCTION_URL``, GCP's)."""
    url = (
        settings.env.get(PUBLIC_URL_ENV)
        or settings.extra.get("public_url")
        or settings.env.get(FUNCTION_URL_ENV)
        or ""
    )
    url = str(url).strip().rstrip("/")
    return url if url.startswith(("https://", "http://")) else None


def dashboard_link(
    app: App, athlete_id: str, page: str = "", *, days: int = LINK_DAYS
) -> str | None:
    """A signed link to ``athlete_id``'s dashboard ``page`` valid for ``days`` days from
    the app's clock, or ``None`` when the coach has no public URL or no signing key."""
    base, key = public_url(app.settings), signing_key(app.settings)
    if base is None or key is None:
        return None
    expires = int((app.clock.now() + dt.timedelta(days=days)).timestamp())
    token = sign(key, athlete_id, expires)
    return f"{base}{PREFIX}/{token}/{page.strip('/')}"


def message_link(app: App, message: Message) -> str | None:
    """The "open your week" line for ``message`` (weekly plan and review), or ``None``."""
    page = LINKED_MESSAGES.get(message.kind.value)
    if page is None:
        return None
    if page:
        from momentum.core.dashboard.registry import page_names

        if page not in page_names(app.plugins):
            page = ""
    link = dashboard_link(app, message.athlete_id, page)
    return f"{LINK_LABEL}: {link}" if link else None
