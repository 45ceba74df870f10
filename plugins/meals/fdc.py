"""A FoodData Central API client on httpx, with a cache in the Blob port.

* ``search(query)`` → ``GET /v1/foods/search`` (SR Legacy and Foundation foods);
* ``food(fdc_id)`` → ``GET /v1/food/{fdcId}``;
* ``foods(ids)`` → ``POST /v1/foods`` (many at once).

The key travels as the ``api_key`` query parameter, as FDC asks, and never reaches a log or
an error (httpx's request URL is not used in messages). Each food is cached under
``meals/fdc/<id>.json`` in the Blob port the first time it is fetched, so it is fetched
once per coach. 429 and 5xx answers and dropped connections are retried with exponential
backoff (honouring ``Retry-After`` up to a bound); anything else raises :class:`FdcError`.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from momentum import Blob, ConfigError, MomentumError
from momentum.plugins.meals.foods import Food, food_from_fdc
from momentum.plugins.meals.settings import MealsSettings

log = logging.getLogger("momentum.meals")

CACHE_PREFIX = "meals/fdc/"
DATA_TYPES = ("Foundation", "SR Legacy")
BACKOFF = 0.5
LONGEST_WAIT = 30.0


_KEY_IN_URL = re.compile(r"(api_key=)[^&\s\"']+")


class _HideKey(logging.Filter):
    """httpx logs each request's URL (with the ``api_key`` query parameter FDC wants) at
    INFO: the key is replaced by ``***`` before any handler sees the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key=" in message:
            record.msg, record.args = _KEY_IN_URL.sub(r"\1***", message), ()
        return True


def _hide_keys_in_http_logs() -> None:
    for name in ("httpx", "httpcore"):
        target = logging.getLogger(name)
        if not any(isinstance(f, _HideKey) for f in target.filters):
            target.addFilter(_HideKey())


class FdcError(MomentumError):
    """FoodData Central refused or failed a call; the message names the call and FDC's
    status, never the key."""


class FdcClient:
    """FoodData Central calls for one coach (``MealsSettings``), cached in ``blob``."""

    def __init__(
        self,
        settings: MealsSettings,
        blob: Blob | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: Any = None,
    ) -> None:
        key = settings.fdc_api_key.reveal()
        if not key:
            raise ConfigError(
                "no FoodData Central API key: set FDC_API_KEY (free at api.data.gov/signup) "
                "or [meals] fdc_api_key"
            )
        import httpx

        _hide_keys_in_http_logs()
        self._key = key
        self._blob = blob
        self._sleep = sleep
        self._attempts = max(1, settings.attempts)
        self._http = httpx.Client(
            base_url=settings.fdc_url.rstrip("/"),
            timeout=settings.timeout_seconds,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def __enter__(self) -> FdcClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calls ---------------------------------------------------------------------------
    def search(self, query: str, page_size: int = 10) -> list[Food]:
        """Foods matching ``query`` (SR Legacy and Foundation), FDC's order."""
        body = self._call(
            "GET",
            "/v1/foods/search",
            f"search {query!r}",
            params={"query": query, "pageSize": page_size, "dataType": ",".join(DATA_TYPES)},
        )
        hits = body.get("foods") if isinstance(body, dict) else None
        if not isinstance(hits, list):
            raise FdcError(f"FoodData Central search {query!r}: the answer has no 'foods' list")
        return [food_from_fdc(hit) for hit in hits]

    def food(self, fdc_id: int) -> Food:
        """One food's details, from the cache or FDC (then cached)."""
        cached = self._cached(fdc_id)
        if cached is not None:
            return cached
        record = self._call("GET", f"/v1/food/{int(fdc_id)}", f"food {fdc_id}")
        if not isinstance(record, dict):
            raise FdcError(f"FoodData Central food {fdc_id}: the answer is not a food")
        self._keep(fdc_id, record)
        return food_from_fdc(record)

    def foods(self, fdc_ids: Iterable[int]) -> list[Food]:
        """Several foods, the uncached ones in one ``POST /v1/foods``, in the order asked."""
        wanted = list(dict.fromkeys(int(i) for i in fdc_ids))
        found = {i: f for i in wanted if (f := self._cached(i)) is not None}
        missing = [i for i in wanted if i not in found]
        if missing:
            records = self._call(
                "POST", "/v1/foods", f"foods {missing}", json_body={"fdcIds": missing}
            )
            if not isinstance(records, list):
                raise FdcError("FoodData Central foods: the answer is not a list")
            for record in records:
                food = food_from_fdc(record)
                self._keep(food.fdc_id, record)
                found[food.fdc_id] = food
        absent = [i for i in wanted if i not in found]
        if absent:
            raise FdcError(f"FoodData Central has no food {absent[0]}")
        return [found[i] for i in wanted]

    # -- cache ---------------------------------------------------------------------------
    def _cached(self, fdc_id: int) -> Food | None:
        if self._blob is None:
            return None
        data = self._blob.get(f"{CACHE_PREFIX}{int(fdc_id)}.json")
        return None if data is None else food_from_fdc(json.loads(data))

    def _keep(self, fdc_id: int, record: dict[str, Any]) -> None:
        if self._blob is not None:
            self._blob.put(
                f"{CACHE_PREFIX}{int(fdc_id)}.json",
                json.dumps(record).encode(),
                "application/json",
            )

    # -- HTTP ----------------------------------------------------------------------------
    def _call(
        self,
        method: str,
        path: str,
        what: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
    ) -> Any:
        import httpx

        query = {**(params or {}), "api_key": self._key}
        for attempt in range(1, self._attempts + 1):
            last = attempt == self._attempts
            try:
                response = self._http.request(method, path, params=query, json=json_body)
            except httpx.TransportError as exc:
                if last:
                    raise FdcError(
                        f"FoodData Central {what}: no answer after {attempt} attempts "
                        f"({type(exc).__name__})"
                    ) from None
                self._pause(attempt, None)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                wait = _retry_after(response)
                if last or (wait is not None and wait > LONGEST_WAIT):
                    raise FdcError(
                        f"FoodData Central {what}: HTTP {response.status_code} after "
                        f"{attempt} attempts"
                    )
                log.info("FDC %s: HTTP %s, retrying", what, response.status_code)
                self._pause(attempt, wait)
                continue
            if response.status_code == 404:
                raise FdcError(f"FoodData Central {what}: not found (HTTP 404)")
            if response.status_code in (401, 403):
                raise FdcError(
                    f"FoodData Central {what}: the API key was refused "
                    f"(HTTP {response.status_code}); check FDC_API_KEY"
                )
            if response.status_code >= 400:
                raise FdcError(f"FoodData Central {what}: HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError:
                raise FdcError(f"FoodData Central {what}: the answer is not JSON") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, attempt: int, wait: float | None) -> None:
        self._sleep(wait if wait is not None else BACKOFF * 2 ** (attempt - 1))


def _retry_after(response: Any) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None
