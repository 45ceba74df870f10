"""The sleep screen: signs of a sleep disorder get a see-a-doctor message decided by code,
offline; signs stated as absent do not; ordinary bad nights are coaching, not medicine."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.sleep.screen import DRIVING, screen, signs_in


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("My wife says I snore and then stop breathing for a bit", "pauses in breathing"),
        ("I keep waking up choking at night", "pauses in breathing"),
        ("loud snoring with pauses, then gasping for air", "pauses in breathing"),
        ("I've had insomnia for months now", "insomnia"),
        ("I haven't been able to sleep for weeks", "insomnia"),
        ("weeks of bad sleep, I'm exhausted", "insomnia"),
        ("Haven't slept properly in months", "insomnia"),
        ("I nearly fell asleep at the wheel on the way home", "driving"),
        ("nodded off while driving yesterday", "driving"),
        ("restless legs keep me up every night", "restless legs"),
        ("there's a crawling feeling in my legs at bedtime", "restless legs"),
        ("I had sleep paralysis again", "sleep paralysis"),
        ("my partner says I act out my dreams", "acting out dreams"),
    ],
)
def test_signs_get_a_doctor(text: str, sign: str) -> None:
    message = screen(text)
    assert message is not None and "doctor" in message and sign in message


@pytest.mark.parametrize(
    "text",
    [
        "I slept badly last night",
        "I snore a bit but no gasping or pauses",
        "I don't fall asleep at the wheel, I just feel tired",
        "no restless legs anymore",
        "never had insomnia for weeks, just one rough night",
        "Went to bed late and woke at 6, tired today",
        "",
    ],
)
def test_no_sign_no_message(text: str) -> None:
    assert screen(text) is None


def test_driving_adds_do_not_drive_drowsy() -> None:
    message = screen("I fell asleep while driving")
    assert message is not None and message.endswith(DRIVING)
    other = screen("insomnia for months")
    assert other is not None and DRIVING not in other


def test_each_clause_is_read_on_its_own() -> None:
    # the negation of one clause does not cancel a sign stated in the next
    found = signs_in("No snoring. But I wake up gasping for air")
    assert [s.name for s in found] == ["pauses in breathing during sleep"]


@given(st.text(max_size=200))
def test_the_screen_never_raises(text: str) -> None:
    result = screen(text)
    assert result is None or "doctor" in result


def test_the_prompt_section_renders_with_tone() -> None:
    from momentum.plugins.sleep import plugin

    folder = Path(plugin.__file__).parent / "prompts"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined
    )
    template = env.get_template("sleep_section.j2")
    facts = {"sleep_debt": "6.0 h over 14 nights", "bedtime": "23:40 (+70 min vs target)"}
    low = template.render(facts=facts, state="low", kind="checkin")
    assert "sleep debt: 6.0 h over 14 nights" in low and "no guilt" in low
    thriving = template.render(facts=facts, state="thriving", kind="weekly_review")
    assert "schedule is holding" in thriving and "weekly review" in thriving
