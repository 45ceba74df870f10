"""Output to Slack: untrusted text can never write a mention, a channel ping or a link.

Slack reads ``<…>`` as markup (``<!channel>``, ``<!here>``, ``<@U123>``,
``<!subteam^S1>``, ``<#C1>``, ``<https://x|label>``) and decodes ``&lt;``/``&gt;``/``&amp;``
once for display. Text is escaped by those rules, not cleaned by patterns, so nested
forms (``<!chan<!here>nel>``) and pre-encoded ones (``&lt;!here&gt;``) stay inert. The
property: after the escape, the only ``<`` left open links we built, and decoding once
gives back the characters the author wrote.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.slack.blocks import message_blocks
from momentum.adapters.slack.mrkdwn import escape, link, to_mrkdwn
from momentum.core.coach.sanitize import clean_for_chat

PIECES = [
    "<",
    ">",
    "&",
    "!",
    "@",
    "#",
    "|",
    "^",
    ";",
    " ",
    "\n",
    "channel",
    "chan",
    "nel",
    "here",
    "everyone",
    "subteam^S1",
    "U123",
    "C42",
    "lt;",
    "gt;",
    "amp;",
    "&lt;",
    "&gt;",
    "&amp;",
    "&#60;",
    "&#x3c;",
    "<!here>",
    "<!channel>",
    "<@U123>",
    "<!subteam^S1|@team>",
    "<#C42>",
    "[",
    "]",
    "(",
    ")",
    "https://evil.example/",
    "http://x",
    "javascript:",
    "*",
    "**",
    "# ",
    "\x00",
    "%7C",
]
untrusted = st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=60)

OUR_LINK = re.compile(r"<https?://[^<>|\s]+\|[^<>|]*>")
MENTION = re.compile(r"<[!@#]")


def slack_decode(text: str) -> str:
    """What Slack displays: its three entities decoded once."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def assert_inert(mrkdwn: str) -> None:
    assert not MENTION.search(mrkdwn), mrkdwn
    rest = OUR_LINK.sub("", mrkdwn)
    assert "<" not in rest and ">" not in rest, mrkdwn


@given(untrusted)
def test_escaped_text_is_displayed_verbatim_and_is_never_markup(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert slack_decode(escaped) == text


@given(untrusted)
def test_no_mention_or_foreign_markup_survives_the_mrkdwn_conversion(text: str) -> None:
    assert_inert(to_mrkdwn(text))


@given(untrusted)
def test_model_output_through_the_whole_path_is_inert(text: str) -> None:
    cleaned = clean_for_chat(text)
    for block in message_blocks(cleaned):
        assert_inert(block["text"]["text"])


@given(untrusted, untrusted)
def test_links_we_build_escape_both_halves(url: str, label: str) -> None:
    built = link("https://www.strava.com/activities/1" + url, label)
    assert built.startswith("<https://www.strava.com/activities/1")
    assert OUR_LINK.fullmatch(built), built


def test_the_known_nested_and_encoded_forms() -> None:
    for text in (
        "<!chan<!here>nel>",
        "&lt;!here&gt;",
        "<@U123> look",
        "<!subteam^S1|@runners>",
        "[click](https://x.example/|<!channel>)",
        "[<!here>](https://x.example/a>b)",
    ):
        out = to_mrkdwn(text)
        assert_inert(out)
        assert "<!" not in slack_decode(OUR_LINK.sub("", out)) or "<!" in text
    assert to_mrkdwn("&lt;!here&gt;") == "&amp;lt;!here&amp;gt;"  # shown as typed, not decoded
    assert to_mrkdwn("[a|b](https://x.example/p|q)") == "<https://x.example/p%7Cq|a/b>"
