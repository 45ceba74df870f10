"""The Groq model adapter: core's Model port on the groq SDK (imported lazily).

One :class:`GroqModel` per model id; the model chain (``momentum.core.coach.fallback``) puts them
in priority order. The SDK's own retries are switched off (``max_retries=0``) so the
chain decides what a 429, a 5xx or a timeout means. Rate-limit headers from every
response are kept on ``rate_limit`` for the chain to read.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from momentum.core.coach.pricing import PriceTable
from momentum.core.coach.ratelimit import RateLimitedError, RateLimitState, retry_after_from
from momentum.core.ports.model import Completion, CompletionRequest, Model, ModelError, ToolCall

if TYPE_CHECKING:
    from momentum.core.config import ModelSettings
    from momentum.core.ports.transport import Transport

DEFAULT_MODEL = "openai/gpt-oss-120b"
REASONING_MODELS = ("openai/gpt-oss-", "qwen/qwen3")


_STATUS_MEANING = {
    401: " (the API key was refused: check GROQ_API_KEY)",
    403: " (this key may not use this model)",
    404: " (no such model)",
    413: " (the request is too large for this model)",
}
"""Groq's statuses said in words, for the one-line warning when another model answers."""


class GroqModel(Model):
    """Chat completions with tools on Groq's OpenAI-compatible API."""

    provider = "groq"

    def __init__(
        self,
        api_key: str,
        *,
        model: str = DEFAULT_MODEL,
        base_url: str = "",
        timeout_seconds: float = 20.0,
        reasoning_effort: str | None = "low",
        prices: PriceTable | None = None,
        transport: Transport | None = None,
    ) -> None:
        if not api_key:
            raise ModelError("no Groq API key (set GROQ_API_KEY)", retryable=False)
        self.name = model
        self.model = model
        self._api_key = api_key
        self.base_url = base_url
        self.timeout_seconds = timeout_seconds
        self.reasoning_effort = reasoning_effort
        self.prices = prices or PriceTable()
        self.rate_limit: RateLimitState | None = None
        self._client: Any = None
        self._transport = transport

    @classmethod
    def from_settings(cls, settings: ModelSettings, *, model: str | None = None) -> GroqModel:
        """A model from ``[model]`` settings; ``model`` picks one of the chain's ids."""
        return cls(
            settings.api_key.reveal(),
            model=model or settings.model,
            base_url=settings.base_url,
            timeout_seconds=settings.timeout_seconds,
        )

    def __repr__(self) -> str:
        return f"GroqModel(model={self.model!r}, base_url={self.base_url or 'default'!r})"

    def _sdk(self) -> Any:
        """The groq client; its httpx client sends through the outbound seam when one
        was given or inside a Worker (``fetch``), else through httpx's own sockets."""
        if self._client is None:
            import groq

            from momentum.adapters.outbound import worker_transport

            options: dict[str, Any] = {}
            seam = self._transport or worker_transport()
            if seam is not None:
                from momentum.adapters.outbound.httpx_seam import client_over

                options["http_client"] = client_over(seam, timeout=self.timeout_seconds)
            self._client = groq.Groq(
                api_key=self._api_key,
                base_url=self.base_url or None,
                timeout=self.timeout_seconds,
                max_retries=0,
                **options,
            )
        return self._client

    def _payload(self, request: CompletionRequest) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {"role": m.role, "content": m.content}
                | ({"tool_call_id": m.tool_call_id} if m.tool_call_id else {})
                | ({"name": m.name} if m.name and m.role != "system" else {})
                for m in request.messages
            ],
            "temperature": request.temperature,
            "max_completion_tokens": request.max_tokens,
        }
        if request.tools:
            payload["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters or {"type": "object", "properties": {}},
                    },
                }
                for t in request.tools
            ]
            payload["tool_choice"] = "auto"
        if self.reasoning_effort and self.model.startswith(REASONING_MODELS):
            payload["reasoning_effort"] = self.reasoning_effort
        return payload

    def complete(self, request: CompletionRequest) -> Completion:
        """One chat completion. Raises :class:`ModelError` (``RateLimitedError`` on 429)."""
        import groq

        client = self._sdk()
        started = time.perf_counter()
        try:
            raw = client.chat.completions.with_raw_response.create(**self._payload(request))
        except groq.RateLimitError as exc:
            headers = dict(exc.response.headers)
            self.rate_limit = RateLimitState.from_headers(headers) or self.rate_limit
            raise RateLimitedError(
                f"{self.model}: rate limited",
                retry_after=retry_after_from(headers),
                limits=self.rate_limit,
            ) from None
        except groq.APITimeoutError:
            raise ModelError(f"{self.model}: timed out", retryable=True) from None
        except groq.APIConnectionError:
            raise ModelError(f"{self.model}: could not connect", retryable=True) from None
        except groq.APIStatusError as exc:
            status = exc.status_code
            meaning = _STATUS_MEANING.get(status, "")
            raise ModelError(
                f"{self.model}: HTTP {status}{meaning}", retryable=status >= 500, status=status
            ) from None
        latency_ms = (time.perf_counter() - started) * 1000
        self.rate_limit = RateLimitState.from_headers(dict(raw.headers)) or self.rate_limit
        response = raw.parse()
        return self._completion(response, latency_ms)

    def _completion(self, response: Any, latency_ms: float) -> Completion:
        if not response.choices:
            raise ModelError(f"{self.model}: empty response", retryable=True)
        message = response.choices[0].message
        calls = []
        for call in message.tool_calls or ():
            try:
                arguments = json.loads(call.function.arguments or "{}")
            except json.JSONDecodeError:
                arguments = {}
            if not isinstance(arguments, dict):
                arguments = {}
            calls.append(ToolCall(call.function.name, arguments, call.id or ""))
        usage = response.usage
        tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
        model = response.model or self.model
        return Completion(
            text=message.content or "",
            model=model,
            provider=self.provider,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=latency_ms,
            cost_usd=self.prices.cost(model, tokens_in, tokens_out)
            or self.prices.cost(self.model, tokens_in, tokens_out),
            tool_calls=tuple(calls),
        )
