"""The coach's curated memory: Discoveries & Experiments, what the athlete enjoys.

No retrieval, no embeddings: a handful of short items the coach keeps and shows in
every prompt. Code curates two kinds from the athlete's own words, because they must
change later plans and messages whether or not a model is reachable:

- a **discovery**: soreness words (DOMS, trouble walking, stairs) within a few days of a
  day that stacked strength and a long run becomes "separate them by a day", tagged
  ``separate_strength_long_run`` so the plan engine keeps them apart;
- an **enjoyment**: a show watched on the treadmill ("Stranger Things on the
  treadmill") becomes an ``Enjoys`` item tagged ``treadmill_show`` that later nudges use.

The model can add more through the ``remember`` tool. Items are keyed so that saying
the same thing twice keeps one item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from momentum.core.model import Activity, MemoryItem, MemorySection
from momentum.plugins.running.coach.formatting import is_strength, local_day, minutes_of

SEPARATE_STRENGTH_LONG_RUN = "separate_strength_long_run"
TREADMILL_SHOW = "treadmill_show"
SHOW_PREFIX = "show:"
LONG_RUN_MINUTES = 75
DOMS_LOOKBACK_DAYS = 3
MAX_ITEMS_IN_PROMPT = 8

_SORE = re.compile(
    r"\b(doms|sore(ness)?|trouble walking|can'?t walk|barely (get|walk)|stairs|"
    r"legs? (are|is) (dead|destroyed|wrecked|toast)|quads? (are|is) (killing|wrecked|toast))\b",
    re.IGNORECASE,
)
_SHOW_BEFORE = re.compile(
    r"(?P<title>(?:[A-Z0-9][\w'’:&!.-]*\s){0,5}[A-Z0-9][\w'’:&!.-]*)\s+on the (?:treadmill|tread)\b"
)
_SHOW_AFTER = re.compile(
    r"\b(?:watch(?:ing|ed)?|queue(?:d)?|binge(?:d|ing)?)\s+"
    r"(?P<title>(?:[A-Z0-9][\w'’:&!.-]*\s?){1,6})(?=.*\btread(?:mill)?\b)",
)
_LEADING_FILLER = {
    "part",
    "today",
    "i",
    "it",
    "and",
    "but",
    "so",
    "was",
    "then",
    "watching",
    "watched",
    "yesterday",
    "also",
    "my",
}


def memory_id(athlete_id: str, key: str) -> str:
    """A stable id for one memory item (same key → same item)."""
    digest = hashlib.sha256(f"{athlete_id}|{key}".encode()).hexdigest()[:12]
    return f"mem-{digest}"


def active(items: Iterable[MemoryItem]) -> list[MemoryItem]:
    """The items still in force."""
    return [item for item in items if item.active]


def has_tag(items: Iterable[MemoryItem], tag: str) -> bool:
    """Whether any active item carries ``tag``."""
    return any(tag in item.tags for item in items if item.active)


def enjoyed_show(items: Iterable[MemoryItem]) -> str | None:
    """The most recent show the athlete enjoys on the treadmill, if any."""
    shows = [
        (item.created, tag[len(SHOW_PREFIX) :])
        for item in items
        if item.active
        for tag in item.tags
        if tag.startswith(SHOW_PREFIX)
    ]
    return max(shows)[1] if shows else None


def find_show(text: str) -> str | None:
    """A show named next to the treadmill: "Stranger Things on the treadmill"."""
    for pattern in (_SHOW_BEFORE, _SHOW_AFTER):
        m = pattern.search(text)
        if not m:
            continue
        words = m.group("title").strip(" .,!").split()
        while words and words[0].lower().strip("'’") in _LEADING_FILLER:
            words.pop(0)
        if words and not (len(words) == 1 and words[0].lower() in {"a", "the"}):
            return " ".join(words)
    return None


def stacked_days(activities: Sequence[Activity], tz: ZoneInfo) -> list[dt.date]:
    """Days that held both a strength session and a long run."""
    by_day: dict[dt.date, list[Activity]] = {}
    for activity in activities:
        by_day.setdefault(local_day(activity.start, tz), []).append(activity)
    return sorted(
        day
        for day, items in by_day.items()
        if any(is_strength(a) for a in items)
        and any(a.is_run and minutes_of(a) >= LONG_RUN_MINUTES for a in items)
    )


def curate(
    athlete_id: str,
    text: str,
    at: dt.datetime,
    recent: Sequence[Activity],
    tz: ZoneInfo,
    existing: Iterable[MemoryItem] = (),
) -> list[MemoryItem]:
    """New memory items learned from one thing the athlete said (none if nothing new)."""
    known = {item.memory_id for item in existing if item.active}
    learned: list[MemoryItem] = []
    today = local_day(at, tz)
    if _SORE.search(text):
        stacked = [
            d for d in stacked_days(recent, tz) if 0 <= (today - d).days <= DOMS_LOOKBACK_DAYS
        ]
        if stacked:
            learned.append(
                MemoryItem(
                    memory_id=memory_id(athlete_id, SEPARATE_STRENGTH_LONG_RUN),
                    athlete_id=athlete_id,
                    section=MemorySection.DISCOVERIES,
                    text=(
                        f"Strength and a long run on the same day ({stacked[-1]:%a %b} "
                        f"{stacked[-1].day}) caused multi-day DOMS; separate them by at "
                        "least a day."
                    ),
                    created=at,
                    tags=(SEPARATE_STRENGTH_LONG_RUN,),
                )
            )
    show = find_show(text)
    if show:
        learned.append(
            MemoryItem(
                memory_id=memory_id(athlete_id, f"{SHOW_PREFIX}{show.lower()}"),
                athlete_id=athlete_id,
                section=MemorySection.ENJOYS,
                text=f"Watching {show} on the treadmill makes starting easier.",
                created=at,
                tags=(TREADMILL_SHOW, f"{SHOW_PREFIX}{show}"),
            )
        )
    return [item for item in learned if item.memory_id not in known]


def prompt_lines(items: Iterable[MemoryItem], limit: int = MAX_ITEMS_IN_PROMPT) -> list[str]:
    """Memory as prompt lines, grouped by section, newest first within the limit."""
    chosen = sorted(active(items), key=lambda item: item.created, reverse=True)[:limit]
    lines = []
    for section in MemorySection:
        for item in chosen:
            if item.section is section:
                lines.append(f"- {section.value}: {item.text}")
    return lines
