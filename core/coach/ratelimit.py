"""Rate limits as providers report them, so the fallback chain can step aside in time.

OpenAI-compatible APIs (Groq among them) answer with ``x-ratelimit-remaining-requests``,
``x-ratelimit-remaining-tokens``, ``x-ratelimit-reset-requests`` and
``x-ratelimit-reset-tokens`` (durations such as ``2m59.56s`` or ``7.66s``), and a 429 with
``retry-after`` in seconds. Parsing them is shared by every provider adapter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from momentum.core.ports.model import ModelError

_DURATION = re.compile(r"(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|h|m|s)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str | None) -> float | None:
    """Seconds in ``2m59.56s``, ``7.66s``, ``120ms``, ``1h2m`` or a plain number."""
    if text is None:
        return None
    text = text.strip().lower()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    total = 0.0
    pos = 0
    for m in _DURATION.finditer(text):
        if m.start() != pos:
            return None
        total += float(m.group("value")) * _UNITS[m.group("unit")]
        pos = m.end()
    return total if pos == len(text) and pos else None


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


@dataclass(frozen=True)
class RateLimitState:
    """What the provider said is left, and when it refills (seconds from the response)."""

    remaining_requests: int | None = None
    remaining_tokens: int | None = None
    reset_requests_s: float | None = None
    reset_tokens_s: float | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimitState | None:
        """Read the ``x-ratelimit-*`` headers; ``None`` when there are none."""
        lower = {k.lower(): v for k, v in headers.items()}
        if not any(k.startswith("x-ratelimit-") for k in lower):
            return None
        return cls(
            remaining_requests=_int(lower.get("x-ratelimit-remaining-requests")),
            remaining_tokens=_int(lower.get("x-ratelimit-remaining-tokens")),
            reset_requests_s=parse_duration(lower.get("x-ratelimit-reset-requests")),
            reset_tokens_s=parse_duration(lower.get("x-ratelimit-reset-tokens")),
        )

    def wait_for(self, tokens_needed: int) -> float:
        """Seconds until a call needing ``tokens_needed`` tokens would fit (0 = now)."""
        wait = 0.0
        if self.remaining_requests is not None and self.remaining_requests <= 0:
            wait = max(wait, self.reset_requests_s or 60.0)
        if self.remaining_tokens is not None and self.remaining_tokens < tokens_needed:
            wait = max(wait, self.reset_tokens_s or 60.0)
        return wait


class RateLimitedError(ModelError):
    """A provider said "slow down" (HTTP 429). ``retry_after`` is in seconds, if given."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        limits: RateLimitState | None = None,
    ) -> None:
        super().__init__(message, retryable=True, status=429)
        self.retry_after = retry_after
        self.limits = limits


def retry_after_from(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after`` (or ``retry-after-ms``); ``None`` if absent."""
    lower = {k.lower(): v for k, v in headers.items()}
    ms = lower.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    return parse_duration(lower.get("retry-after"))
