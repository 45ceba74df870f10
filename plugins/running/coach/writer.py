"""From a draft (facts, context sections, template) to the model's cleaned words.

The writer renders the system prompt (persona, principles, the state's examples, the
data rule) and the user prompt (context within the budget, then the task), redacts any
configured secret that slipped in, calls the model chain and cleans the answer for chat.
If the model returns nothing usable, the offline composer writes the words instead, so
a message never goes out empty.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from momentum.core.coach.context import Assembled, Section, assemble
from momentum.core.coach.fence import DATA_RULE
from momentum.core.coach.sanitize import DEFAULT_ALLOWED_HOSTS, clean_for_chat
from momentum.core.coach.state import MotivationState
from momentum.core.config import Secret, Settings
from momentum.core.ports.model import (
    Completion,
    CompletionRequest,
    Model,
    ModelError,
    ModelMessage,
    ToolSpec,
)
from momentum.plugins.running.coach.offline import OfflineComposer
from momentum.plugins.running.coach.prompts import Prompts

log = logging.getLogger("momentum.coach")
RUNNING_LINK_HOSTS = DEFAULT_ALLOWED_HOSTS | {"strava.com", "www.strava.com"}
"""Hosts a running coach's words may link to: core's, and the athlete's runs on Strava."""
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Draft:
    """What to ask the model for one message."""

    purpose: str
    athlete_id: str
    athlete_name: str
    style: str
    state: MotivationState
    sections: tuple[Section, ...]
    template: str
    budget: int
    max_tokens: int = 700
    values: Mapping[str, object] = field(default_factory=dict)
    tools: tuple[ToolSpec, ...] = ()
    check: Callable[[str], bool] | None = None
    """A last check on the written words (the safety layer's): failing text is replaced
    by the offline composer's, which writes from the same facts."""
    avoid: tuple[str, ...] = ()
    """Sentences this athlete read lately (the offline composer does not repeat them)."""


@dataclass(frozen=True)
class Prompt:
    """A rendered prompt and what its context kept."""

    system: str
    user: str
    context: Assembled
    instructions: tuple[str, ...]
    """The parts of the system prompt that must never be echoed back."""


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret (API keys, tokens), to keep them out of prompts."""
    found: list[str] = []
    sections = [settings.model, *settings.sections.values()]
    for section in sections:
        if not dataclasses.is_dataclass(section) or isinstance(section, type):
            continue  # a raw table not validated yet holds no Secret
        for item in dataclasses.fields(section):
            value = getattr(section, item.name)
            if isinstance(value, Secret) and len(value.reveal()) >= 6:
                found.append(value.reveal())
    return found


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return text


class Writer:
    """Renders prompts and gets the model's words for one coach."""

    def __init__(
        self,
        model: Model,
        prompts: Prompts,
        *,
        secrets: Iterable[str] = (),
        allowed_hosts: Iterable[str] = RUNNING_LINK_HOSTS,
    ) -> None:
        self.model = model
        self.prompts = prompts
        self.secrets = tuple(secrets)
        self.allowed_hosts = tuple(allowed_hosts)
        self.offline = OfflineComposer(prompts)

    def prompt(self, draft: Draft) -> Prompt:
        """The system and user prompt for ``draft``."""
        common = {
            "athlete": draft.athlete_name,
            "style": draft.style,
            "state": draft.state.value,
            "state_label": draft.state.label,
            "data_rule": DATA_RULE,
        }
        system = self.prompts.render("system.j2", **common)
        context = assemble(draft.sections, draft.budget)
        user = self.prompts.render(
            draft.template, **common, context=context.text, **dict(draft.values)
        )
        instructions = (
            self.prompts.render("persona.j2", **common),
            self.prompts.render("principles.j2", **common),
            DATA_RULE,
        )
        return Prompt(
            redact(system, self.secrets), redact(user, self.secrets), context, instructions
        )

    def request(self, draft: Draft, prompt: Prompt | None = None) -> CompletionRequest:
        """The completion request for ``draft``."""
        prompt = prompt or self.prompt(draft)
        return CompletionRequest(
            messages=(ModelMessage("system", prompt.system), ModelMessage("user", prompt.user)),
            purpose=draft.purpose,
            athlete_id=draft.athlete_id,
            tools=draft.tools,
            max_tokens=draft.max_tokens,
            avoid=draft.avoid,
        )

    def complete(self, draft: Draft) -> tuple[Completion, Prompt]:
        """The raw completion (tool calls included) and the prompt that produced it."""
        prompt = self.prompt(draft)
        request = self.request(draft, prompt)
        try:
            completion = self.model.complete(request)
        except ModelError:
            log.warning("model chain failed for %s; writing offline", draft.purpose)
            completion = self.offline.complete(request)
        return completion, prompt

    def clean(self, text: str, prompt: Prompt) -> str:
        """Model words made fit for chat."""
        return clean_for_chat(
            redact(text, self.secrets),
            allowed_hosts=self.allowed_hosts,
            instructions=prompt.instructions,
        )

    def write(self, draft: Draft) -> tuple[str, str]:
        """The cleaned words for ``draft`` and the model that wrote them."""
        completion, prompt = self.complete(draft)
        text = self.clean(completion.text, prompt)
        if text and (draft.check is None or draft.check(text)):
            return text, completion.model
        if text:
            log.warning("%s's text for %s failed the safety check", completion.model, draft.purpose)
        else:
            log.warning("%s returned no usable text for %s", completion.model, draft.purpose)
        fallback = self.offline.complete(self.request(draft, prompt))
        return self.clean(fallback.text, prompt), fallback.model
