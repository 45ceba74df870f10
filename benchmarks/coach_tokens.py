"""Input tokens of the coach's prompts and the LLM cost per athlete-month.

The demo's simulated athlete (``adapters/local/demo``: ten weeks of seeded training for
the talk's runner) is synced into an in-memory coach up to Tuesday 3 March 2026, with the
DOMS lesson and the treadmill show already in memory. Every prompt the coach builds
(check-in, post-run review, Monday plan, weekly review, session feedback, and a chat turn
with its tool schemas) is counted with the o200k_base tokenizer from ``bpe-openai``, which
ships the encoding and works offline. Per message, 4 tokens of chat-format overhead are
added, and for chat the JSON of the tool definitions (Groq bills tools as input).

The monthly cost multiplies those counts by how often each message happens in a month
(check-ins Tue–Sun, a Monday plan and a weekly review each week, a review per recorded
session of the demo history, two feedback requests and twenty chat turns) and by assumed
output sizes that include gpt-oss's low-effort reasoning tokens, at the list prices in
``momentum.core.coach.pricing``. Targets: check-in ≤ 2,000 input tokens, ≤ $0.05 per athlete-month.

    .venv/bin/python benchmarks/coach_tokens.py [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bpe_openai import get_encoding

from momentum.core.coach.pricing import PriceTable
from momentum.core.coach.tokens import estimate_tokens
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest, Model
from momentum.plugins.running.coach.offline import OfflineComposer

CHECKIN_TARGET = 2000
MONTH_TARGET_USD = 0.05
MESSAGE_OVERHEAD = 4
DAYS_PER_MONTH = 30.44
WEEKS_PER_MONTH = DAYS_PER_MONTH / 7
AT = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)  # Tue 3 Mar 2026, 06:00 in Toronto

OUTPUT_TOKENS = {
    "checkin": 220,
    "review": 220,
    "monday_plan": 220,
    "weekly_review": 350,
    "feedback": 300,
    "chat": 80,
    "chat_reply": 180,
}
"""Assumed completion tokens per call: two to four sentences plus low-effort reasoning."""


class Counting(Model):
    """Counts every prompt with o200k_base, then lets the offline composer answer."""

    name = "openai/gpt-oss-120b"

    def __init__(self) -> None:
        self.encoding = get_encoding("o200k_base")
        self.inner = OfflineComposer()
        self.seen: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.prompts: dict[str, str] = {}

    def count(self, request: CompletionRequest) -> int:
        tokens = sum(
            len(self.encoding.encode(m.content)) + MESSAGE_OVERHEAD for m in request.messages
        )
        if request.tools:
            tools = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                }
                for t in request.tools
            ]
            tokens += len(self.encoding.encode(json.dumps(tools)))
        return tokens

    def complete(self, request: CompletionRequest) -> Completion:
        estimate = sum(estimate_tokens(m.content) for m in request.messages)
        self.seen[request.purpose].append((self.count(request), estimate))
        self.prompts[request.purpose] = "\n\n".join(m.content for m in request.messages)
        answer = self.inner.complete(request)
        return Completion(answer.text, self.name, "groq", tool_calls=answer.tool_calls)


def build(model: Counting):  # type: ignore[no-untyped-def]
    from momentum.adapters.local.demo.history import build_history
    from momentum.adapters.local.demo.sync import HistorySync

    history = build_history()
    storage = InMemoryStorage()
    storage.put_athlete(history.athlete)
    clock = FixedClock(AT - dt.timedelta(days=9))
    app = build_app(
        Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=model,
        clock=clock,
        plugins=load_plugins(),
    )
    sync = HistorySync(app, history)
    sync.until(clock.now())
    athlete_id = history.athlete.athlete_id
    app.coach.reply(athlete_id, "Part of it was Stranger Things on the treadmill.", event_id="b1")
    app.coach.reply(athlete_id, "Trouble walking from DOMS. Barely get down stairs", event_id="b2")
    # The talk's lesson, as the coach keeps it after the Sunday strength + long run.
    from momentum.core.model import MemoryItem, MemorySection
    from momentum.plugins.running.coach.memory import SEPARATE_STRENGTH_LONG_RUN, memory_id

    storage.put_memory(
        MemoryItem(
            memory_id=memory_id(athlete_id, SEPARATE_STRENGTH_LONG_RUN),
            athlete_id=athlete_id,
            section=MemorySection.DISCOVERIES,
            text="Strength and a long run on the same day (Sun Feb 8) caused multi-day DOMS; "
            "separate them by at least a day.",
            created=clock.now(),
            tags=(SEPARATE_STRENGTH_LONG_RUN,),
        )
    )
    clock.set(AT)
    sync.until(AT)
    return app, athlete_id, history


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--show", metavar="PURPOSE", help="print one prompt (e.g. checkin)")
    args = parser.parse_args()

    model = Counting()
    app, athlete_id, history = build(model)
    model.seen.clear()
    coach = app.coach
    today = AT.date()
    runs = [
        a
        for a in app.storage.list_activities(athlete_id, AT - dt.timedelta(days=14), AT)
        if a.is_run
    ]
    latest = runs[-1].activity_id
    coach.checkin(athlete_id, today)
    coach.review(athlete_id, latest)
    coach.monday_plan(athlete_id, today - dt.timedelta(days=1))
    coach.weekly_review(athlete_id, today - dt.timedelta(days=8))
    coach.feedback(athlete_id, latest)
    coach.reply(athlete_id, "legs are tired, should I rest?", event_id="b3")

    if args.show:
        print(model.prompts.get(args.show, f"(no {args.show} prompt was built)"))
        print()
    recorded = len(history.recorded())
    reviews_per_month = recorded / history.days * DAYS_PER_MONTH
    per_month = {
        "checkin": 6 * WEEKS_PER_MONTH,
        "review": reviews_per_month,
        "monday_plan": WEEKS_PER_MONTH,
        "weekly_review": WEEKS_PER_MONTH,
        "feedback": 2.0,
        "chat": 20.0,
        "chat_reply": 20.0,
    }
    prices = PriceTable()
    print(
        f"Demo athlete: {history.athlete.name}, {history.days} days of history, "
        f"{recorded} recorded sessions; prompts built on {today:%a %d %b %Y}."
    )
    print()
    header = (
        f"{'message':<14}{'input (o200k)':>14}{'estimate':>10}{'per month':>11}"
        f"{'out/call':>10}{'USD/month':>11}"
    )
    print(header)
    print("-" * len(header))
    total_120b = total_20b = 0.0
    checkin_tokens = 0
    for purpose, count in per_month.items():
        samples = model.seen.get(purpose, [])
        if not samples:
            print(f"{purpose:<14}{'(not built)':>14}")
            continue
        tokens = max(t for t, _ in samples)
        estimate = max(e for _, e in samples)
        out = OUTPUT_TOKENS[purpose]
        cost = count * prices.cost("openai/gpt-oss-120b", tokens, out)
        total_120b += cost
        total_20b += count * prices.cost("openai/gpt-oss-20b", tokens, out)
        if purpose == "checkin":
            checkin_tokens = tokens
        print(f"{purpose:<14}{tokens:>14,}{estimate:>10,}{count:>11.1f}{out:>10}{cost:>11.4f}")
    print("-" * len(header))
    print(
        f"LLM cost per athlete-month at list prices: ${total_120b:.4f} on openai/gpt-oss-120b "
        f"(${total_20b:.4f} if everything fell back to openai/gpt-oss-20b)"
    )
    ok_checkin = checkin_tokens <= CHECKIN_TARGET
    ok_cost = total_120b <= MONTH_TARGET_USD
    print(
        f"Check-in prompt: {checkin_tokens:,} input tokens "
        f"(target ≤ {CHECKIN_TARGET:,}: {'met' if ok_checkin else 'MISSED'})"
    )
    print(
        f"Per athlete-month: ${total_120b:.4f} "
        f"(target ≤ ${MONTH_TARGET_USD:.2f}: {'met' if ok_cost else 'MISSED'})"
    )
    return 0 if (ok_checkin and ok_cost) or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
