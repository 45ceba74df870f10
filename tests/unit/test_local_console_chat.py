"""ConsoleChat prints messages as the athlete sees them, and reprints updates."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from momentum.adapters.local.console_chat import ConsoleChat, blocks_text
from momentum.core.ports.chat import ChatMessageRef


@pytest.fixture
def out() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def chat(out: io.StringIO) -> ConsoleChat:
    return ConsoleChat(Console(file=out, width=80, color_system=None), coach_name="Coach")


def test_direct_message_prints_text_verbatim(chat: ConsoleChat, out: io.StringIO) -> None:
    tree = "Mon ✓ Easy 45'\nTue · Strength [core]\nWed → Tempo 3×10'"
    ref = chat.direct_message("U123ADAM", tree)
    printed = out.getvalue()
    assert ref == ChatMessageRef("dm:U123ADAM", "1")
    assert "Coach" in printed and "direct message to U123ADAM" in printed
    for line in tree.splitlines():
        assert line in printed  # brackets are text, not rich markup; lines keep their shape


def test_update_reprints_the_new_text_marked_edited(chat: ConsoleChat, out: io.StringIO) -> None:
    ref = chat.post("coach", "Thinking…")
    chat.update(ref, "Here is your week.")
    printed = out.getvalue()
    assert printed.index("Thinking…") < printed.index("Here is your week.")
    assert "(edited)" in printed.split("Thinking…", 1)[1]
    assert "#coach" in printed
    assert chat.messages[("coach", ref.message_id)].text == "Here is your week."


def test_update_of_an_unknown_message_is_an_error(chat: ConsoleChat) -> None:
    with pytest.raises(KeyError, match="no message 99"):
        chat.update(ChatMessageRef("coach", "99"), "x")


def test_blocks_supply_the_text_when_there_is_none(chat: ConsoleChat, out: io.StringIO) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Week 12"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Long run* Saturday"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "fitness +4%"}]},
    ]
    assert blocks_text(blocks) == "Week 12\n*Long run* Saturday\nfitness +4%"
    chat.post("coach", "", blocks)
    assert "Long run Saturday" in out.getvalue()  # *bold* is shown bold, not as asterisks


def test_message_ids_are_unique_per_message(chat: ConsoleChat) -> None:
    refs = {chat.post("coach", f"m{i}").message_id for i in range(5)}
    assert len(refs) == 5
