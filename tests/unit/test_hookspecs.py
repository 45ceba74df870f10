"""Every hookspec is documented, and built-in plugins load through the entry-point group."""

from __future__ import annotations

import inspect

from momentum.core.plugins import hookspecs
from momentum.core.plugins.host import load_plugins


def _hookspecs() -> list[object]:
    return [
        obj
        for name, obj in vars(hookspecs).items()
        if name.startswith("momentum_") and inspect.isfunction(obj)
    ]


def test_there_are_hookspecs_for_the_required_extension_points() -> None:
    names = {getattr(spec, "__name__", "") for spec in _hookspecs()}
    assert {
        "momentum_data_sources",
        "momentum_domains",
        "momentum_tools",
        "momentum_scheduled_jobs",
    } <= names


def test_every_hookspec_has_a_docstring() -> None:
    undocumented = [
        getattr(spec, "__name__", "?")
        for spec in _hookspecs()
        if len((inspect.getdoc(spec) or "").strip()) < 20
    ]
    assert undocumented == [], f"undocumented hookspecs: {undocumented}"


def test_builtin_plugins_load_through_the_momentum_entry_point_group() -> None:
    host = load_plugins()
    loaded = {p.name for p in host.plugins()}
    assert {"running", "files"} <= loaded
    assert sorted(d.name for d in host.domains()) == ["meals", "running", "sleep"]
    assert {job.name for job in host.recurring_jobs()} == {
        "checkin",
        "monday_plan",
        "weekly_refresh",
        # the data sources' own jobs: Oura's subscription renewal, Peloton's polls
        "oura_subscriptions",
        *(f"peloton_poll_{hour:02d}" for hour in (7, 12, 17, 21)),
        # the sleep domain's wind-down nudges, one per 15 minutes from 19:00 to 23:45
        *(f"sleep_wind_down_{m // 60:02d}{m % 60:02d}" for m in range(19 * 60, 24 * 60, 15)),
    }
