"""Running the tool calls a model chose, bound to one athlete, and reporting back.

At most :data:`MAX_CALLS` calls run per message; unknown tools and bad arguments come
back as ``error: …`` results (the model and the athlete see why), and nothing a tool
raises escapes to the chat handler.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.errors import MomentumError
from momentum.core.plugins.types import Tool, ToolContext
from momentum.core.ports.model import ToolCall
from momentum.core.ports.storage import ConflictError

log = logging.getLogger("momentum.coach")
MAX_CALLS = 5


@dataclass(frozen=True)
class ToolOutcome:
    """One call and what came of it."""

    name: str
    arguments: dict[str, object]
    result: str

    @property
    def ok(self) -> bool:
        """True unless the tool refused or failed."""
        return not self.result.startswith("error")

    def line(self) -> str:
        """``- log_activity → ok: …`` for the follow-up prompt (one line)."""
        flat = "; ".join(part.strip() for part in self.result.splitlines() if part.strip())
        return f"- {self.name} → {flat}"


def tool_table(tools: Iterable[Tool]) -> dict[str, Tool]:
    """Tools by name; the first registration of a name wins."""
    table: dict[str, Tool] = {}
    for tool in tools:
        table.setdefault(tool.spec.name, tool)
    return table


def run_calls(
    calls: Sequence[ToolCall], tools: dict[str, Tool], ctx: ToolContext
) -> list[ToolOutcome]:
    """Run up to :data:`MAX_CALLS` calls in order."""
    outcomes = []
    for call in calls[:MAX_CALLS]:
        tool = tools.get(call.name)
        if tool is None:
            outcomes.append(ToolOutcome(call.name, dict(call.arguments), "error: unknown tool"))
            continue
        try:
            result = tool.run(ctx, dict(call.arguments))
        except (ToolArgumentError, MomentumError, ConflictError, ValueError) as exc:
            result = f"error: {exc}"
        except Exception:
            log.exception("tool %s failed for athlete %s", call.name, ctx.athlete_id)
            result = "error: the tool failed; nothing was changed"
        outcomes.append(ToolOutcome(call.name, dict(call.arguments), result))
    for extra in calls[MAX_CALLS:]:
        outcomes.append(ToolOutcome(extra.name, dict(extra.arguments), "error: too many calls"))
    return outcomes
