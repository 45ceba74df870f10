"""Turning the coach's Markdown-ish text into Slack ``mrkdwn`` and section-sized pieces.

Slack's mrkdwn is not Markdown: bold is ``*x*``, links are ``<url|text>``, and ``&``, ``<``
and ``>`` must be escaped or Slack reads them as markup (a stray ``<!channel>`` in model
output would ping a whole channel).
"""

from __future__ import annotations

import re

SECTION_LIMIT = 3000
"""Slack's limit on a section block's text."""

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.MULTILINE)


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """Markdown (bold, headings, links) to Slack mrkdwn, with control characters escaped."""
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        links.append(f"<{url}|{escape(label).replace('|', '/')}>")
        return f"\x00{len(links) - 1}\x00"

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
