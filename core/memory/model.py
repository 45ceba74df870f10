"""A Model that answers from a script, for users' tests of their own coach."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from momentum.core.ports.model import Completion, CompletionRequest, Model, ModelError


class ScriptedModel(Model):
    """Replies with the given completions in order, or from ``respond(request)``.
    Every request is kept in ``requests`` so a test can read the prompt."""

    name = "scripted"

    def __init__(
        self,
        replies: Iterable[Completion | ModelError] = (),
        respond: Callable[[CompletionRequest], Completion] | None = None,
    ) -> None:
        self._replies = list(replies)
        self._respond = respond
        self.requests: list[CompletionRequest] = []

    def complete(self, request: CompletionRequest) -> Completion:
        self.requests.append(request)
        if self._replies:
            reply = self._replies.pop(0)
            if isinstance(reply, ModelError):
                raise reply
            return reply
        if self._respond is not None:
            return self._respond(request)
        raise ModelError("ScriptedModel has no reply left", retryable=True)
