"""Finding foods: the shipped catalogue first, then FoodData Central's API when the coach
has a key. A fetched food is cached in the coach's Blob port (every cloud target has one),
so it is fetched once per coach; a coach without a Blob port (the local one) keeps it for
the life of the process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from momentum import InputError
from momentum.plugins.meals import foods as catalogue_mod
from momentum.plugins.meals.foods import Food
from momentum.plugins.meals.settings import meals_settings

if TYPE_CHECKING:
    from momentum import App
    from momentum.plugins.meals.fdc import FdcClient


_FETCHED: dict[int, Food] = {}
"""Foods fetched in this process, for a coach without a Blob port."""


def _client(app: App) -> FdcClient | None:
    """The coach's FDC client, or ``None`` without a key. Inside a Cloudflare Worker
    (no sockets) its httpx requests go through the Worker's ``fetch``."""
    settings = meals_settings(app.settings)
    if not settings.fdc_api_key:
        return None
    from momentum.adapters.outbound import worker_transport
    from momentum.plugins.meals.fdc import FdcClient

    seam = worker_transport()
    http = None
    if seam is not None:
        from momentum.adapters.outbound.httpx_seam import SeamHttpxTransport

        http = SeamHttpxTransport(seam, timeout=settings.timeout_seconds)
    return FdcClient(settings, app.blob, transport=http)


def find_food(app: App, fdc_id: int) -> Food:
    """The food with FDC id ``fdc_id`` (catalogue, cache, then the API)."""
    known = catalogue_mod.catalogue().get(int(fdc_id))
    if known is not None:
        return known
    client = _client(app)
    if client is None:
        raise InputError(
            f"FDC id {fdc_id}",
            "not in the offline catalogue, and no FDC_API_KEY is set to fetch it",
        )
    if app.blob is None and int(fdc_id) in _FETCHED:
        return _FETCHED[int(fdc_id)]
    with client:
        food = client.food(int(fdc_id))
    if app.blob is None:
        _FETCHED[food.fdc_id] = food
    return food


def search_foods(app: App, query: str, limit: int = 8) -> list[Food]:
    """Foods matching ``query``: the catalogue's, else FDC's search when a key is set."""
    found = catalogue_mod.search(query, limit=limit)
    if found:
        return found
    client = _client(app)
    if client is None:
        return []
    with client:
        return client.search(query, page_size=limit)
