"""What the coach sees: context sections assembled by code within a token budget.

Each section is a titled list of lines with a priority. Required sections always go
in (trimmed if they must be); the rest are added most important first while they fit,
losing their least useful lines before being dropped whole. The output keeps the
sections in the order they were declared, so prompts read the same every day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from momentum.core.coach.tokens import estimate_tokens


@dataclass(frozen=True)
class Section:
    """One block of context, e.g. ``Current week`` with one line per activity.

    ``priority``: lower goes in first. ``keep``: which lines survive trimming (``head``
    keeps the first lines, ``tail`` the last, for newest-last lists).
    """

    title: str
    lines: tuple[str, ...]
    priority: int = 50
    required: bool = False
    keep: str = "head"

    def render(self, lines: Sequence[str] | None = None) -> str:
        """The section as prompt text."""
        body = "\n".join(self.lines if lines is None else lines)
        return f"## {self.title}\n{body}" if body else ""


@dataclass(frozen=True)
class Assembled:
    """The assembled context and what had to give way to the budget."""

    text: str
    tokens: int
    dropped: tuple[str, ...] = ()
    trimmed: tuple[str, ...] = field(default=())


def _fit(section: Section, budget: int) -> tuple[list[str], int]:
    """As many of the section's lines as fit in ``budget`` tokens (plus a "more" line)."""
    lines = list(section.lines)
    order = lines if section.keep == "head" else list(reversed(lines))
    chosen: list[str] = []
    used = estimate_tokens(f"## {section.title}\n") + 8  # room for the "(+N more)" line
    for line in order:
        cost = estimate_tokens(line) + 1
        if used + cost > budget:
            break
        chosen.append(line)
        used += cost
    if section.keep == "tail":
        chosen.reverse()
    left = len(lines) - len(chosen)
    if chosen and left:
        note = f"(+{left} more not shown)"
        chosen = [note, *chosen] if section.keep == "tail" else [*chosen, note]
    return chosen, used


def assemble(sections: Sequence[Section], budget: int) -> Assembled:
    """Join ``sections`` into prompt text of at most about ``budget`` tokens."""
    order = sorted(
        range(len(sections)), key=lambda i: (not sections[i].required, sections[i].priority, i)
    )
    kept: dict[int, list[str]] = {}
    dropped: list[str] = []
    trimmed: list[str] = []
    used = 0
    for index in order:
        section = sections[index]
        if not section.lines:
            continue
        full = estimate_tokens(section.render()) + 2
        if used + full <= budget:
            kept[index] = list(section.lines)
            used += full
            continue
        lines, cost = _fit(section, max(0, budget - used))
        if not lines and section.required:
            lines, cost = [section.lines[0]], estimate_tokens(section.render(section.lines[:1]))
        if lines:
            kept[index] = lines
            used += cost
            trimmed.append(section.title)
        else:
            dropped.append(section.title)
    parts = [sections[i].render(kept[i]) for i in range(len(sections)) if i in kept]
    text = "\n\n".join(p for p in parts if p)
    return Assembled(text, estimate_tokens(text), tuple(dropped), tuple(trimmed))
