"""The dashboard served by a deployed coach, behind signed links.

``/dashboard/<token>/…`` serves the athlete the token names (see :mod:`.signing`) the
same pages ``momentum dashboard`` serves locally, read-only (GET and HEAD), as of the
athlete's local today. Anything else gets 403 with a one-line reason and no data: a
missing, malformed, tampered, forged, expired or other athlete's token, or a coach
without a signing key. The token stays in every path the pages use (their links, the
chart scripts), so nothing under the prefix is served without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from momentum.core.dashboard.links import PREFIX, signing_key
from momentum.core.dashboard.signing import LinkRefused, verify
from momentum.core.events import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from momentum.core.app import App

PRIVATE_HEADERS = {
    "cache-control": "private, no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
}
"""An athlete's pages are never cached by a proxy, never leak their link, never indexed."""


def forbidden(reason: str) -> HttpResponse:
    """403 saying why, nothing else."""
    response = HttpResponse.text(403, f"forbidden: {reason}")
    return HttpResponse(403, response.body, {**response.headers, **PRIVATE_HEADERS})


def handle_dashboard(app: App, request: HttpRequest) -> HttpResponse:
    """Answer one request under :data:`~momentum.core.dashboard.links.PREFIX`."""
    from momentum.core.dashboard.pages import DashboardData
    from momentum.core.dashboard.registry import extensions
    from momentum.core.dashboard.site import DashboardSite
    from momentum.core.local_time import athlete_zone

    if request.method not in ("GET", "HEAD"):
        return HttpResponse(405, b"read-only", {"content-type": "text/plain", "allow": "GET"})
    rest = request.path[len(PREFIX) :].lstrip("/")
    token, _, inner = rest.partition("/")
    key = signing_key(app.settings)
    if key is None:
        return forbidden("this coach has no dashboard signing key")
    try:
        grant = verify(key, token, app.clock.now().timestamp())
    except LinkRefused as refused:
        return forbidden(str(refused))
    athlete = app.storage.get_athlete(grant.athlete_id)
    if athlete is None:
        return forbidden("no such athlete")
    today = app.clock.now().astimezone(athlete_zone(athlete)).date()
    data = DashboardData(app.storage, grant.athlete_id, today, extensions=extensions(app.plugins))
    site = DashboardSite(data, prefix=f"{PREFIX}/{token}")
    inner_request = HttpRequest(
        request.method, f"/{inner}", request.headers, request.query, request.body
    )
    answer = site.handle_http(inner_request)
    if inner.startswith("static/"):
        return answer
    return HttpResponse(answer.status, answer.body, {**answer.headers, **PRIVATE_HEADERS})
