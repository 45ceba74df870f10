"""Meals' FoodData Central client inside a Cloudflare Worker: it picks the Worker's
``fetch`` seam by itself, and over that seam (the loopback ``fetch`` stand-in sending real
requests to the loopback FDC) it searches, fetches and caches as it does on httpx."""

from __future__ import annotations

import sys

import pytest

from momentum.adapters.outbound.fetch import FetchTransport
from momentum.adapters.outbound.httpx_seam import SeamHttpxTransport
from momentum.core.config import Secret
from momentum.plugins.meals.fdc import FdcClient
from momentum.plugins.meals.settings import MealsSettings
from momentum.testing import PluginHarness
from tests.fakes.fake_fdc import API_KEY, FakeFdc
from tests.fakes.fake_fetch import LoopbackFetch


def test_inside_a_worker_the_fdc_client_picks_the_fetch_seam(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``sys.platform`` is ``emscripten`` under Pyodide (the one thing faked; nothing is
    sent)."""
    import momentum.plugins.meals.plugin as meals_plugin
    from momentum.plugins.meals.lookup import _client

    harness = PluginHarness(meals_plugin, secrets={"FDC_API_KEY": API_KEY})
    monkeypatch.setattr(sys, "platform", "emscripten")
    client = _client(harness.app)
    assert client is not None
    with client:
        transport = client._http._transport
        assert isinstance(transport, SeamHttpxTransport)
        assert isinstance(transport.seam, FetchTransport)


def test_the_fdc_client_searches_and_fetches_through_fetch() -> None:
    fetch = LoopbackFetch()
    fake = FakeFdc().start()
    try:
        settings = MealsSettings(fdc_api_key=Secret(API_KEY), fdc_url=fake.url, timeout_seconds=5)
        seam = SeamHttpxTransport(FetchTransport(fetch.api()), timeout=5)
        with FdcClient(settings, transport=seam) as client:
            [hit] = client.search("peanut butter smooth")
            food = client.food(172470)
    finally:
        fake.stop()
    assert hit.fdc_id == food.fdc_id == 172470
    assert food.per_100g["energy_kcal"] == pytest.approx(598)
    assert [c.url.split("?")[0].removeprefix(fake.url) for c in fetch.calls] == [
        "/v1/foods/search",
        "/v1/food/172470",
    ]
    assert {c.timeout_ms for c in fetch.calls} == {5000}
    assert fake.keys_seen == [API_KEY, API_KEY]
