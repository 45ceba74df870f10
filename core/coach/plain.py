"""The plain composer: core's last link of the model chain when no installed domain brings
an offline composer of its own. It writes without any LLM, one short line per fact of the
prompt's ``## Facts`` section, so a coach always answers."""

from __future__ import annotations

from momentum.core.ports.model import Completion, CompletionRequest, Model

HIDDEN = {"state"}
"""Facts that set the tone and are not said."""


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
        """One sentence per fact (``sleep_debt: 3.5 h`` → ``Sleep debt: 3.5 h.``)."""
        prompt = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
        lines = [
            f"{key.replace('_', ' ').capitalize()}: {value.rstrip('.')}."
            for key, value in facts_of(prompt)
            if key not in HIDDEN and value
        ]
        return Completion(text="\n".join(lines), model=self.name, provider="offline")
