"""The FoodData Central client (httpx) against a loopback fake speaking FDC's JSON shapes
with real SR Legacy records (tests/fakes/fake_fdc.py): search, details, batch, the Blob
cache (a food is fetched once), retries on 429/5xx, clear errors, and the key never in an
error or a log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from momentum import ConfigError, Secret
from momentum.plugins.meals.fdc import FdcClient, FdcError
from momentum.plugins.meals.settings import MealsSettings
from momentum.testing import InMemoryBlob
from tests.fakes.fake_fdc import API_KEY, FakeFdc


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeFdc]:
    server = FakeFdc().start()
    yield server
    server.stop()


@pytest.fixture
def fdc(fake: FakeFdc) -> FakeFdc:
    fake.calls.clear()
    fake.faults.clear()
    fake.keys_seen.clear()
    return fake


def client(fake: FakeFdc, blob: InMemoryBlob | None = None, key: str = API_KEY) -> FdcClient:
    settings = MealsSettings(fdc_api_key=Secret(key), fdc_url=fake.url, timeout_seconds=5)
    return FdcClient(settings, blob, sleep=lambda seconds: None)


def test_search_reads_the_search_shape(fdc: FakeFdc) -> None:
    with client(fdc) as api:
        found = api.search("bananas raw")
    assert [f.fdc_id for f in found] == [173944]
    banana = found[0]
    assert banana.description == "Bananas, raw"
    assert banana.category == "Fruits and Fruit Juices"
    assert banana.per_100g["energy_kcal"] == 89
    assert banana.per_100g["carbs_g"] == pytest.approx(22.84)
    assert fdc.keys_seen == [API_KEY]


def test_a_food_is_fetched_once_then_read_from_the_blob_cache(fdc: FakeFdc) -> None:
    blob = InMemoryBlob()
    with client(fdc, blob) as api:
        egg = api.food(171287)
        again = api.food(171287)
    with client(fdc, blob) as api:
        third = api.food(171287)
    assert egg == again == third
    assert egg.portion_g == 50.0 and egg.per_100g["protein_g"] == pytest.approx(12.56)
    assert fdc.calls == ["GET /v1/food/171287"]
    assert list(blob.keys("meals/fdc/")) == ["meals/fdc/171287.json"]


def test_many_foods_in_one_post_only_the_uncached(fdc: FakeFdc) -> None:
    blob = InMemoryBlob()
    with client(fdc, blob) as api:
        api.food(173944)
        foods = api.foods([171304, 173944, 170393])
    assert [f.fdc_id for f in foods] == [171304, 173944, 170393]
    assert fdc.calls == ["GET /v1/food/173944", "POST /v1/foods"]


def test_429_and_5xx_are_retried(fdc: FakeFdc) -> None:
    fdc.fail_next(429, retry_after="1")
    fdc.fail_next(503)
    with client(fdc) as api:
        assert api.food(170393).description == "Carrots, raw"
    assert fdc.calls == ["GET /v1/food/170393"] * 3


def test_errors_are_clear_and_never_carry_the_key(
    fdc: FakeFdc, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fdc.fail_next(500, times=4)
    with (
        client(fdc) as api,
        pytest.raises(FdcError, match="food 170393: HTTP 500 after 4 attempts"),
    ):
        api.food(170393)
    with client(fdc) as api, pytest.raises(FdcError, match="not found"):
        api.food(1)
    with client(fdc, key="wrong-key") as api, pytest.raises(FdcError, match="API key was refused"):
        api.search("carrots")
    fdc.fail_next(429, retry_after="3600")
    with client(fdc) as api, pytest.raises(FdcError, match="HTTP 429 after 1 attempts"):
        api.food(170393)
    assert API_KEY not in caplog.text and "wrong-key" not in caplog.text


def test_no_key_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="FDC_API_KEY"):
        FdcClient(MealsSettings())


def test_an_unreachable_api_is_an_error_after_the_attempts() -> None:
    settings = MealsSettings(fdc_api_key=Secret(API_KEY), fdc_url="http://127.0.0.1:9", attempts=2)
    with (
        FdcClient(settings, sleep=lambda s: None) as api,
        pytest.raises(FdcError, match="no answer after 2 attempts"),
    ):
        api.food(173944)
