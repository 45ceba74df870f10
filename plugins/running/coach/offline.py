"""The offline composer: a :class:`Model` that writes without any LLM.

It is the last link of the model chain, so a coach always answers: on a plane, in the
demo, or when every provider is down. It reads the same prompt an LLM would get, takes
the code-built ``## Facts`` (state, today's session, what the athlete enjoys …) and
writes from the per-state example templates in ``plugins/running/prompts/offline/``. For chat it
maps the athlete's words to tool calls with :mod:`momentum.plugins.running.coach.intent`, and
afterwards
confirms what was done and answers a question from the facts the tools returned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from momentum.core.coach.fence import unfence
from momentum.core.ports.model import Completion, CompletionRequest, Model, ModelMessage, ToolCall
from momentum.plugins.running.coach.prompts import Prompts

CHAT_SOURCE = "athlete chat"
_LINE = re.compile(r"^(?P<key>[a-z0-9_]+): (?P<value>.*)$")
_ACTION = re.compile(r"^- (?P<tool>[a-z_]+) → (?P<result>.*)$")
_BODY_WORDS = re.compile(r"\b(tired|sore|heavy|doms|exhausted|wrecked|ache|aching|dead)\b", re.I)


def section_lines(prompt: str, title: str) -> list[str]:
    """The lines of ``## title`` in ``prompt`` (up to the next heading)."""
    lines: list[str] = []
    inside = False
    for line in prompt.splitlines():
        if line.startswith("## "):
            inside = line[3:].strip().lower() == title.lower()
            continue
        if inside:
            lines.append(line)
    return lines


def parse_facts(prompt: str) -> dict[str, str]:
    """``key: value`` lines from the prompt's ``## Facts`` section."""
    facts: dict[str, str] = {}
    for line in section_lines(prompt, "Facts"):
        m = _LINE.match(line.strip())
        if m:
            facts[m.group("key")] = m.group("value").strip()
    return facts


def parse_actions(prompt: str) -> list[tuple[str, str]]:
    """``(tool, result)`` pairs from the prompt's ``## What you did`` section."""
    found = []
    for line in section_lines(prompt, "What you did"):
        m = _ACTION.match(line.strip())
        if m:
            found.append((m.group("tool"), m.group("result")))
    return found


def _user_prompt(messages: Sequence[ModelMessage]) -> str:
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    return ""


def _confirmation(tool: str, result: str) -> str | None:
    if result.startswith("error"):
        reason = result.partition(":")[2].strip()
        return f"I couldn't do that one ({reason})." if reason else "I couldn't do that one."
    detail = result.partition(":")[2].strip() if result.startswith("ok") else result
    if tool == "report_health":  # the safety layer's own words say the rest
        return "Good to hear you're feeling better." if "as better" in detail else None
    if tool == "log_activity":
        what = detail.split(";")[0]
        what = what.replace("Logged ", "")
        extra = " Real work; easy on the legs tomorrow." if "(hard)" in what else ""
        return f"Logged it: {what}.{extra}"
    if tool == "save_activity_note":
        return "Added that to the activity's notes."
    if tool == "adjust_session":
        return f"Done: {detail}."
    if tool == "update_profile":
        return "Updated your profile."
    if tool in ("move_session", "add_race_result", "set_goal_race"):
        return _plan_confirmation(detail)
    if tool == "remember":
        if "Enjoys" in detail:
            return "Love that. I'll remember it for the days when starting is hard."
        if "Discoveries" in detail:
            lesson = detail.partition(":")[2].strip()
            return f"Lesson noted for future plans: {lesson}" if lesson else "Lesson noted."
        return "I'll remember that."
    return None


def _plan_confirmation(detail: str) -> str:
    """ "Done: moved …" / "Saved: …" from a move, race-result or goal tool's result."""
    head, _, rest = detail.partition("; ")
    text = head[0].upper() + head[1:] if head else "Done"
    return f"Done: {text}." + (f" {rest[0].upper() + rest[1:]}." if rest else "")


def _answer(question_facts: str, message: str, facts: dict[str, str]) -> str:
    """A cautious, plain answer from the facts ``coaching_question`` returned."""
    pairs = dict(
        (part.partition(": ")[0].strip(), part.partition(": ")[2].strip())
        for part in question_facts.split("; ")
        if ": " in part
    )
    topic = pairs.get("topic", "other")
    today = pairs.get("planned today", "rest")
    form = pairs.get("form (fitness - fatigue)", "")
    try:
        very_tired = float(form) <= -15
    except ValueError:
        very_tired = False
    tired = bool(_BODY_WORDS.search(message)) or very_tired
    if topic in ("rest", "injury") or tired:
        if topic == "injury" or re.search(r"\b(pain|hurts?|sharp)\b", message, re.I):
            return (
                "If it's pain rather than tiredness, rest it today and skip anything that "
                "loads it; if it isn't better in a couple of days, get it looked at."
            )
        if today != "rest" and not very_tired:
            return (
                f"Today's plan is {today}: make it an easy 20–30 minutes, or a walk, and stop "
                "if the legs don't come round in the first ten. Tired is fine; sore and "
                "heavy means rest."
            )
        return (
            "Yes, rest today. Tired legs are where the adaptation happens; a short walk "
            "and an early night will do more than a grind."
        )
    from momentum.plugins.running.coach import answers

    factual = answers.answer(topic, pairs)
    if factual is not None:
        return factual
    if topic == "plan":
        tomorrow = pairs.get("planned tomorrow", "rest")
        return f"Today: {today}. Tomorrow: {tomorrow}. Tell me if something needs to move."
    if topic == "pace":
        return (
            "Keep easy runs conversational, heart rate in Z2; the pace will come to you as "
            "the engine builds."
        )
    return answers.fallback(pairs)


class OfflineComposer(Model):
    """Writes a sensible message from the state and the examples, with no LLM."""

    name = "offline"
    provider = "offline"

    def __init__(self, prompts: Prompts | None = None) -> None:
        self.prompts = prompts or Prompts()

    def complete(self, request: CompletionRequest) -> Completion:
        """Tool calls for chat; otherwise a message from the offline templates."""
        prompt = _user_prompt(request.messages)
        facts = parse_facts(prompt)
        said = " ".join(unfence(prompt, CHAT_SOURCE))
        if request.tools:
            # Imported here: the composer is built on every cold start, but only chat
            # needs the intent patterns (dozens of regexes compiled on import).
            from momentum.plugins.running.coach.intent import guess_tool_calls

            calls = guess_tool_calls(said, activity_in_context=bool(facts.get("activity_id")))
            offered = {tool.name for tool in request.tools}
            calls = [c for c in calls if c.name in offered]
            if calls:
                return self._completion("", tuple(calls))
        text = self._write(request.purpose, facts, prompt, said, request)
        return self._completion(text, ())

    def _write(
        self,
        purpose: str,
        facts: dict[str, str],
        prompt: str,
        said: str,
        request: CompletionRequest | None = None,
    ) -> str:
        import hashlib  # only when writing (OpenSSL's start-up is not free)

        seed = f"{purpose}|{facts.get('date', '')}|{facts.get('state', '')}"
        avoid = request.avoid if request is not None else ()
        who = request.athlete_id if request is not None else ""

        def pick(*options: str) -> str:
            digest = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
            return options[digest % len(options)]

        facts.setdefault("state", "on_track")
        template = f"offline/{'chat' if purpose.startswith('chat') else purpose}.j2"
        if not self.prompts.exists(template):
            template = "offline/checkin.j2"
        confirmations: list[str] = []
        answer = ""
        for tool, result in parse_actions(prompt):
            if tool == "coaching_question" and not result.startswith("error"):
                answer = _answer(result, said, facts)
                continue
            line = _confirmation(tool, result)
            if line and line not in confirmations:
                confirmations.append(line)
        quiet = bool(facts.get("safety_new"))  # the safety text says it all
        if not confirmations and not answer and parse_actions(prompt) and not quiet:
            confirmations.append(pick("Noted, thanks for telling me.", "Got it, that's saved."))
        text = self.prompts.render(
            template,
            f=facts,
            pick=pick,
            confirmations=confirmations,
            answer=answer,
            avoid=avoid,
            seed=f"{who}|{seed}",
            said=[],
        )
        # Template lines that end in a tag lose their newline; keep sentences apart.
        text = re.sub(r"(?<=[a-z)])([.?!])(?=[A-Z])", r"\1 ", text)
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
        # An override template can still say something the facts contradict: drop it.
        from momentum.plugins.running.coach.claims import drop_contradicting

        return drop_contradicting(text, facts).strip() or text

    def _completion(self, text: str, calls: tuple[ToolCall, ...]) -> Completion:
        return Completion(text=text, model=self.name, provider=self.provider, tool_calls=calls)
