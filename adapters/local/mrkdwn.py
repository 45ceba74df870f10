"""Chat text for the terminal: the coach writes Slack-style ``*bold*``; a console shows it
bold instead of printing the asterisks."""

from __future__ import annotations

import re

from rich.text import Text

_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def mrkdwn_text(text: str) -> Text:
    """Chat text as a rich :class:`Text`: Slack-style ``*bold*`` spans become bold, the
    rest is kept verbatim (never parsed as rich markup)."""
    out = Text()
    last = 0
    for match in _BOLD.finditer(text):
        out.append(text[last : match.start()])
        out.append(match.group(1), style="bold")
        last = match.end()
    out.append(text[last:])
    return out
