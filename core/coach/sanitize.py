"""Cleaning model output before it reaches chat.

The model's words go to a chat platform where some strings have power: ``@channel``
pings a whole workspace, links can lead anywhere. Output is stripped of broadcast
mentions and user mentions, links to hosts outside an allow-list lose their URL, any
reasoning leftovers are removed, and text that repeats the system prompt is replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

DEFAULT_ALLOWED_HOSTS = frozenset({"momentum.run"})
"""Hosts any coach's words may link to; a domain adds its own (its data source's site)."""
MAX_CHARS = 1800
LEAK_WORDS = 10
"""A run of this many words copied from the instructions counts as a prompt leak."""

LEAK_REPLY = "That's between me and my notes. Let's keep the focus on your training."

_BROADCAST = re.compile(
    r"<!(?:channel|here|everyone)(?:\|[^>]*)?>|<!subteam\^[^>]*>|<@[UW][A-Z0-9]+(?:\|[^>]*)?>"
    r"|(?<![\w@])@(?:channel|here|everyone)\b",
    re.IGNORECASE,
)
_THINK = re.compile(r"<think>.*?</think>|<\|[^|>]{1,40}\|>", re.DOTALL | re.IGNORECASE)
_SLACK_LINK = re.compile(r"<(?P<url>https?://[^|>\s]+)(?:\|(?P<label>[^>]*))?>")
_MD_LINK = re.compile(r"\[(?P<label>[^\]]{0,200})\]\((?P<url>[^)\s]+)\)")
_BARE_URL = re.compile(r"(?P<url>(?:https?://|www\.)[^\s<>()\[\]]+)", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")


def host_allowed(url: str, allowed: Iterable[str]) -> bool:
    """True when ``url``'s host is an allowed host or a subdomain of one."""
    target = url if "://" in url else f"https://{url}"
    host = (urlsplit(target).hostname or "").lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in allowed)


def strip_mentions(text: str) -> str:
    """Remove broadcast mentions (``@channel``, ``@here``, ``<!channel>`` …) and user pings."""
    return _BROADCAST.sub("", text)


def strip_links(text: str, allowed: Iterable[str] = DEFAULT_ALLOWED_HOSTS) -> str:
    """Keep links to allowed hosts; others keep their label (or become ``[link removed]``)."""
    hosts = tuple(h.lower() for h in allowed)

    def slack(m: re.Match[str]) -> str:
        if host_allowed(m.group("url"), hosts):
            return m.group(0)
        return m.group("label") or "[link removed]"

    def markdown(m: re.Match[str]) -> str:
        if host_allowed(m.group("url"), hosts):
            return m.group(0)
        return m.group("label") or "[link removed]"

    text = _SLACK_LINK.sub(slack, text)
    text = _MD_LINK.sub(markdown, text)
    # Bare URLs that survive (not inside a kept link) are checked one by one.
    pieces: list[str] = []
    last = 0
    for m in _BARE_URL.finditer(text):
        pieces.append(text[last : m.start()])
        url = m.group("url").rstrip(".,;:!?")
        tail = m.group("url")[len(url) :]
        pieces.append((url if host_allowed(url, hosts) else "[link removed]") + tail)
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def leaks(text: str, secret_texts: Iterable[str], size: int = LEAK_WORDS) -> bool:
    """True when ``text`` repeats ``size`` consecutive words of any of ``secret_texts``."""
    mine = _shingles(text, size)
    return bool(mine) and any(mine & _shingles(secret, size) for secret in secret_texts)


def clean_for_chat(
    text: str,
    *,
    allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS,
    instructions: Iterable[str] = (),
    max_chars: int = MAX_CHARS,
) -> str:
    """Model output made fit for chat: no broadcast pings, no unknown links, no leaked
    instructions, tidy whitespace, and at most ``max_chars`` (cut at a sentence)."""
    text = _THINK.sub("", text)
    if leaks(text, instructions):
        return LEAK_REPLY
    text = strip_mentions(text)
    text = strip_links(text, allowed_hosts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"[ \t]{2,}", " ", text)
    if len(text) > max_chars:
        cut = text[:max_chars]
        stop = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "), cut.rfind("\n"))
        text = (cut[: stop + 1] if stop > max_chars // 2 else cut.rstrip() + "…").strip()
    return text
