"""Turning the coach's Markdown-ish text into Slack ``mrkdwn`` and section-sized pieces.

Slack's mrkdwn is not Markdown: bold is ``*x*``, links are ``<url|text>``, and ``&``, ``<``
and ``>`` must be escaped or Slack reads them as markup (a stray ``<!channel>`` in model
output would ping a whole channel).
"""

from __future__ import annotations

import re
from urllib.parse import quote

SECTION_LIMIT = 3000
"""Slack's limit on a section block's text."""

_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"
"""Characters a URL keeps as they are (RFC 3986's reserved set, ``%`` and ``~``)."""
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, text: str) -> str:
    """A Slack link ``<url|text>`` with both halves escaped: neither can close the link
    early, start a mention, or smuggle a second link (``|``, spaces and angle brackets in
    the URL are percent-encoded; ``|`` in the text becomes ``/``)."""
    safe_url = quote(url, safe=_URL_SAFE)  # spaces, <, >, | and quotes percent-encoded
    return f"<{escape(safe_url)}|{escape(text.replace('|', '/'))}>"


def to_mrkdwn(text: str) -> str:
    """Markdown (bold, headings, links) to Slack mrkdwn, with control characters escaped.

    Every character of ``text`` is escaped by Slack's rules (``&``, ``<``, ``>``), so no
    mention, channel ping or link can be written by untrusted text, however nested or
    pre-encoded; only Markdown links to http(s) URLs become Slack links, through
    :func:`link`.
    """
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(link(match.group(2), match.group(1)))
        return f"\x00{len(links) - 1}\x00"

    text = text.replace("\x00", "")  # the placeholder's marker can't come from the input
    out = _LINK.sub(keep_link, text)
    out = escape(out)
    out = _HEADING.sub(lambda m: f"*{m.group(1)}*", out)
    out = _BOLD.sub(lambda m: f"*{m.group(1)}*", out)
    return re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], out)


def split_sections(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` characters, at paragraph or line
    breaks when possible, so each fits one section block."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
