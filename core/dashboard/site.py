"""The dashboard's routes: HTML pages, their JSON, and the vendored chart scripts.

:class:`DashboardSite` turns a neutral :class:`~momentum.core.events.HttpRequest` into an
:class:`~momentum.core.events.HttpResponse`, so any server (the local waitress one, a cloud
function) can carry it. Every route is a GET; nothing writes.

Routes (relative to ``prefix``): ``/`` (Overview), each domain page's ``/<name>`` and
``/<name>/<rest>``, the same as JSON under ``/api/…json`` (``/api/overview.json``,
``/api/<name>.json``, ``/api/<name>/<rest>.json``), and ``/static/<file>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from momentum.core.dashboard import charts
from momentum.core.dashboard.observations import readiness_charts
from momentum.core.dashboard.pages import DashboardData
from momentum.core.errors import NotFoundError
from momentum.core.events import HttpRequest, HttpResponse

STATIC_FILES = {
    "vega.min.js": "text/javascript",
    "vega-lite.min.js": "text/javascript",
    "vega-embed.min.js": "text/javascript",
    "dashboard.js": "text/javascript",
    "dashboard.css": "text/css",
}
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
)
"""Nothing from another origin: the page works offline and leaks nothing. Vega compiles
its expressions with ``Function`` (hence ``unsafe-eval``); vega-embed adds a style tag."""
HTML = "text/html; charset=utf-8"


@cache
def _static(name: str) -> bytes:
    return resources.files("momentum.core.dashboard").joinpath("static", name).read_bytes()


_ENVIRONMENTS: dict[tuple[Any, ...], Any] = {}


def _environment(data: DashboardData) -> Any:
    """The Jinja2 environment: core's templates, then each extension's folder and filters
    (one per set of extensions, made once)."""
    key = tuple((ext.name, ext.templates, tuple(ext.filters)) for ext in data.extensions)
    env = _ENVIRONMENTS.get(key)
    if env is not None:
        return env
    import jinja2

    folders = [str(ext.templates) for ext in data.extensions if ext.templates is not None]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("momentum.core.dashboard", "templates"),
                jinja2.FileSystemLoader(folders),
            ]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[..., Any]] = {
        "clock": clock_text,
        "dash": lambda value: "–" if value is None else value,
    }
    for ext in data.extensions:
        for name, function in ext.filters.items():
            filters.setdefault(name, function)
    env.filters.update(filters)
    _ENVIRONMENTS[key] = env
    return env


def clock_text(seconds: float | None) -> str:
    """``1:02:03`` or ``21:07``; ``–`` when unknown."""
    if seconds is None:
        return "–"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class DashboardSite:
    """The dashboard of one athlete. ``prefix`` is where it is mounted (``""`` at the root)."""

    data: DashboardData
    prefix: str = ""

    def handle_http(self, request: HttpRequest) -> HttpResponse:
        """Answer one request (only GET and HEAD; anything else is 405)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(405, b"read-only", {"content-type": "text/plain", "allow": "GET"})
        path = request.path
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
        try:
            return self._route(path.rstrip("/") or "/")
        except NotFoundError as exc:
            return self._page("missing.html.j2", None, [], status=404, reason=str(exc))

    def _route(self, path: str) -> HttpResponse:
        if path.startswith("/static/"):
            return self._file(path.removeprefix("/static/"))
        if path.startswith("/api/") and path.endswith(".json"):
            return self._json(path.removeprefix("/api/").removesuffix(".json"))
        if path == "/":
            model = self.data.overview()
            return self._page("overview.html.j2", model, self.overview_charts(model))
        name, _, rest = path.strip("/").partition("/")
        page = self.data.pages().get(name)
        if page is None:
            raise NotFoundError(f"no page {path}")
        model = self.data.page(name, rest or None)
        return self._page(page.template, model, page.charts(model))

    def overview_charts(self, model: dict[str, Any]) -> list[charts.Chart]:
        """The Overview's charts: each domain section's (when it showed something), then
        readiness and sleep (when a source keeps nights), then model cost."""
        drawn: list[charts.Chart] = []
        for section in self.data.sections():
            if section.name in model["sections"]:
                drawn += section.charts(model)
        return [*drawn, *readiness_charts(model), charts.cost_chart(model["cost"])]

    def _json(self, name: str) -> HttpResponse:
        if name == "overview":
            return HttpResponse.json(200, self.data.overview())
        page, _, rest = name.partition("/")
        if page in self.data.pages():
            return HttpResponse.json(200, self.data.page(page, rest or None))
        return HttpResponse.json(404, {"error": f"no data {name!r}"})

    def _file(self, name: str) -> HttpResponse:
        kind = STATIC_FILES.get(name)
        if kind is None:
            raise NotFoundError(f"no file {name}")
        return HttpResponse(
            200,
            _static(name),
            {"content-type": kind, "cache-control": "public, max-age=86400"},
        )

    def _page(
        self,
        template: str,
        model: dict[str, Any] | None,
        chart_list: list[charts.Chart],
        *,
        status: int = 200,
        reason: str = "",
    ) -> HttpResponse:
        nav = [(page.name, page.title) for page in self.data.pages().values()]
        shown = model.get("sections", ()) if model else ()
        sections = [s for s in self.data.sections() if s.name in shown]
        html = (
            _environment(self.data)
            .get_template(template)
            .render(
                m=model,
                charts=chart_list,
                charts_json=script_json([{"id": c["id"], "spec": c["spec"]} for c in chart_list]),
                base=self.prefix,
                reason=reason,
                nav=nav,
                sections=sections,
            )
        )
        headers = {
            "content-type": HTML,
            "content-security-policy": CONTENT_SECURITY_POLICY,
            "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer",
            "cache-control": "no-store",
        }
        return HttpResponse(status, html.encode(), headers)
