"""How a domain adds to the dashboard: sections on the Overview and pages of its own.

Core's dashboard is only the host: the page shell, the vendored chart scripts, the
signed links, and the charts every coach has (model cost, daily observations such as
readiness and sleep). A plugin's ``momentum_dashboard`` hook returns
:class:`DashboardExtension` objects; the running domain's charts arrive this way.

A section's ``build(data)`` returns a JSON-ready dict merged into the Overview's model
(its keys must not clash with another section's) or ``None`` to show nothing; its
``charts(model)`` returns the Vega-Lite charts drawn from that dict. A page is served
under ``/<name>`` (and ``/<name>/<rest>``, the rest handed to ``build``), its JSON under
``/api/<name>.json``. Templates are Jinja2 files in the extension's ``templates`` folder;
a page's template extends ``base.html.j2``, a section's is included with ``m`` the
Overview's model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from momentum.core.dashboard.pages import DashboardData
    from momentum.core.plugins.host import PluginHost

Chart = dict[str, Any]
Model = dict[str, Any]


@dataclass(frozen=True)
class DashboardSection:
    """What a domain shows on the Overview: figures (``template``, above the charts),
    charts, and more below them (``after``)."""

    name: str
    build: Callable[[DashboardData], Model | None]
    charts: Callable[[Model], list[Chart]]
    template: str = ""
    after: str = ""


@dataclass(frozen=True)
class DashboardPage:
    """A page of a domain's own, in the navigation as ``title``."""

    name: str
    title: str
    build: Callable[[DashboardData, str | None], Model]
    charts: Callable[[Model], list[Chart]]
    template: str


@dataclass(frozen=True)
class DashboardExtension:
    """One plugin's contribution: Overview sections, pages, where its templates are, and
    Jinja2 filters its templates use."""

    name: str
    sections: tuple[DashboardSection, ...] = ()
    pages: tuple[DashboardPage, ...] = ()
    templates: Path | None = None
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)


def extensions(plugins: PluginHost) -> tuple[DashboardExtension, ...]:
    """Every plugin's dashboard extensions, in plugin order (first wins a page name)."""
    found: list[DashboardExtension] = []
    for group in plugins.call("momentum_dashboard"):
        found.extend(group)
    return tuple(found)


def page_names(plugins: PluginHost) -> set[str]:
    """The names of every page the installed plugins serve."""
    return {page.name for ext in extensions(plugins) for page in ext.pages}
