"""The model chain: providers in priority order, the offline composer last.

Each call goes to the first model that is not cooling down. A 429 puts a model on
cooldown for its ``retry-after`` (or waits and retries once when that is short); a 5xx,
a timeout or a connection error moves on to the next model at once; ``x-ratelimit-*``
headers that show the next call would not fit also put a model aside until the reset.
Every attempt, failed or not, is recorded as an :class:`~momentum.core.model.LLMUsage` with the
model, tokens in and out, latency and USD cost from the :class:`PriceTable`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from momentum.core.coach.pricing import PriceTable
from momentum.core.coach.ratelimit import RateLimitedError, RateLimitState
from momentum.core.coach.tokens import estimate_tokens
from momentum.core.model import LLMUsage
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.model import Completion, CompletionRequest, Model, ModelError
from momentum.core.ports.storage import Storage

if TYPE_CHECKING:
    import logging

LOGGER = "momentum.model"

DEFAULT_COOLDOWN_S = 60.0
"""How long a model that failed with no better hint is skipped."""
SERVER_ERROR_COOLDOWN_S = 30.0
MAX_WAIT_S = 2.0
"""A ``retry-after`` up to this long is waited out and the same model retried once."""


class FallbackModel(Model):
    """Tries ``models`` in order; records usage for every attempt."""

    name = "fallback"

    def __init__(
        self,
        models: Sequence[Model],
        *,
        storage: Storage | None = None,
        clock: Clock | None = None,
        prices: PriceTable | None = None,
        max_wait_s: float = MAX_WAIT_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not models:
            raise ValueError("FallbackModel needs at least one model")
        self.models = list(models)
        self.storage = storage
        self.clock: Clock = clock or SystemClock()
        self.prices = prices or PriceTable()
        self.max_wait_s = max_wait_s
        self.sleep = sleep
        self._cooldown: dict[int, dt.datetime] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.last_model: str = ""

    # -- public -------------------------------------------------------------------
    def complete(self, request: CompletionRequest) -> Completion:
        """The first model that answers; :class:`ModelError` only if all of them fail."""
        failures: list[str] = []
        for index, model in enumerate(self.models):
            last = index == len(self.models) - 1
            if not last and self._cooling(index):
                failures.append(f"{model.name}: cooling down")
                continue
            completion = self._attempt(index, model, request, failures)
            if completion is not None:
                self.last_model = completion.model
                failed = [f for f in failures if not f.endswith(": cooling down")]
                if failed:
                    # Said, not silent: the athlete got words, but not from the model they
                    # chose, and the reason is usually theirs to fix (a key, a quota).
                    _log().warning("%s answered because %s", model.name, "; ".join(failed))
                return completion
        raise ModelError("every model failed: " + "; ".join(failures), retryable=True)

    def cooling_down(self) -> list[str]:
        """Names of models currently set aside (for diagnostics)."""
        now = self.clock.now()
        with self._lock:
            return [self.models[i].name for i, until in self._cooldown.items() if until > now]

    # -- internals ------------------------------------------------------------------
    def _attempt(
        self, index: int, model: Model, request: CompletionRequest, failures: list[str]
    ) -> Completion | None:
        for attempt in range(2):
            started = time.perf_counter()
            try:
                completion = model.complete(request)
            except RateLimitedError as exc:
                self._record_failure(model, request, started, exc)
                wait = exc.retry_after
                if attempt == 0 and wait is not None and wait <= self.max_wait_s:
                    self.sleep(wait)
                    continue
                self._set_cooldown(index, wait if wait is not None else DEFAULT_COOLDOWN_S)
                failures.append(f"{model.name}: rate limited")
                return None
            except ModelError as exc:
                self._record_failure(model, request, started, exc)
                status = exc.status
                self._set_cooldown(
                    index,
                    SERVER_ERROR_COOLDOWN_S if status is None or status >= 500 else 0.0,
                )
                failures.append(f"{model.name}: {exc}")
                return None
            except Exception as exc:  # a broken adapter must not silence the coach
                _log().exception("model %s raised unexpectedly", model.name)
                self._record_failure(model, request, started, exc)
                failures.append(f"{model.name}: {type(exc).__name__}")
                return None
            latency = completion.latency_ms or (time.perf_counter() - started) * 1000
            cost = completion.cost_usd or self.prices.cost(
                completion.model, completion.tokens_in, completion.tokens_out
            )
            completion = replace(completion, latency_ms=latency, cost_usd=cost)
            self._record(request, completion, ok=True)
            limits = getattr(model, "rate_limit", None)
            if isinstance(limits, RateLimitState):
                wait = limits.wait_for(self._tokens_needed(request))
                if wait > 0:
                    self._set_cooldown(index, wait)
            return completion
        return None

    def _tokens_needed(self, request: CompletionRequest) -> int:
        return sum(estimate_tokens(m.content) for m in request.messages) + request.max_tokens

    def _cooling(self, index: int) -> bool:
        now = self.clock.now()
        with self._lock:
            until = self._cooldown.get(index)
        return until is not None and until > now

    def _set_cooldown(self, index: int, seconds: float) -> None:
        if seconds <= 0:
            return
        until = self.clock.now() + dt.timedelta(seconds=seconds)
        with self._lock:
            self._cooldown[index] = until
        _log().info("model %s set aside for %.1fs", self.models[index].name, seconds)

    def _record_failure(
        self, model: Model, request: CompletionRequest, started: float, exc: Exception
    ) -> None:
        failed = Completion(
            text="",
            model=model.name,
            provider=getattr(model, "provider", model.name),
            latency_ms=(time.perf_counter() - started) * 1000,
        )
        status = getattr(exc, "status", None)
        reason = f"{status} " if status else ""
        self._record(request, failed, ok=False, error=(reason + str(exc))[:200])

    def _record(
        self, request: CompletionRequest, completion: Completion, *, ok: bool, error: str = ""
    ) -> None:
        if self.storage is None:
            return
        import uuid  # here, not at start-up: only a model call records usage

        now = self.clock.now()
        usage = LLMUsage(
            usage_id=f"{now:%Y%m%dT%H%M%S%f}-{next(self._ids):06d}-{uuid.uuid4().hex[:8]}",
            athlete_id=request.athlete_id,
            at=now,
            provider=completion.provider,
            model=completion.model,
            purpose=request.purpose,
            tokens_in=completion.tokens_in,
            tokens_out=completion.tokens_out,
            latency_ms=round(completion.latency_ms, 1),
            cost_usd=completion.cost_usd,
            ok=ok,
            error=error,
        )
        try:
            self.storage.put_usage(usage)
        except Exception:  # cost tracking must never cost the athlete their message
            _log().exception("could not record model usage")


def _log() -> logging.Logger:
    """The chain's logger. ``logging`` is imported when there is something to log, so
    building the chain on a cold start does not pay for it."""
    import logging

    return logging.getLogger(LOGGER)
