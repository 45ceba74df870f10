"""The plain composer: core's last link of the model chain when no installed domain brings
an offline composer of its own. It writes without any LLM, so a coach always answers.

For the loop's own messages (check-in, Monday plan, weekly review) the domains' sections
under the words already carry every number, so the words are one line in the athlete's
tone (:data:`OPENERS`), never the facts again. For anything else (a chat answer) it
says the prompt's ``## Facts``, one short line each."""

from __future__ import annotations

from momentum.core.ports.model import Completion, CompletionRequest, Model

HIDDEN = {"state"}
"""Facts that set the tone and are not said."""
OPENERS: dict[tuple[str, str], str] = {
    ("checkin", "thriving"): "Good morning. You're in a steady rhythm; here's today.",
    ("checkin", "on_track"): "Good morning. Here's where things stand today.",
    ("checkin", "fragile"): "Good morning. A couple of days slipped; one small step today is "
    "all it takes to get going again.",
    ("checkin", "low"): "Good morning. It's been a while, and that's fine: no catching up, "
    "just the one easy step below.",
    ("monday_plan", "thriving"): "A new week. Here's the plan, built on how last week went.",
    ("monday_plan", "on_track"): "A new week. Here's the plan.",
    ("monday_plan", "fragile"): "A fresh week and a fresh start. The plan below keeps it easy.",
    ("monday_plan", "low"): "A fresh week. Start small: one step from the plan below is plenty.",
    ("weekly_review", "thriving"): "Your week in review: a good one.",
    ("weekly_review", "on_track"): "Your week in review.",
    ("weekly_review", "fragile"): "Your week in review. Some days slipped; the next week "
    "starts easy.",
    ("weekly_review", "low"): "Your week in review. No judgement: next week starts with one "
    "small step.",
}
"""The words of a loop message by (message kind, state): the sections carry the numbers."""


def facts_of(prompt: str) -> list[tuple[str, str]]:
    """``(key, value)`` pairs of the ``key: value`` lines under ``## Facts``."""
    found: list[tuple[str, str]] = []
    inside = False
    for line in prompt.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() == "facts"
            continue
        key, sep, value = line.partition(": ")
        if inside and sep and key.strip() and " " not in key.strip():
            found.append((key.strip(), value.strip()))
    return found


class PlainComposer(Model):
    """Writes ``Key: value.`` lines from the facts of the last user message."""

    name = "offline"
    """The chain's no-LLM link is "offline", whichever composer it is."""

    def complete(self, request: CompletionRequest) -> Completion:
        """One opener in the athlete's tone for a loop message, else one sentence per fact
        (``sleep_debt: 3.5 h`` → ``Sleep debt: 3.5 h.``)."""
        prompt = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
        state = dict(facts_of(prompt)).get("state", "on_track")
        opener = OPENERS.get((request.purpose, state))
        if opener is not None:
            return Completion(text=opener, model=self.name, provider="offline")
        lines = [
            f"{key.replace('_', ' ').capitalize()}: {value.rstrip('.')}."
            for key, value in facts_of(prompt)
            if key not in HIDDEN and value
        ]
        return Completion(text="\n".join(lines), model=self.name, provider="offline")
