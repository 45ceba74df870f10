"""``momentum demo --domain NAME`` for a domain other than running, and ``momentum plugins``
naming what each domain provides (issue 18, part 4).

The domain is a small test plugin defined here: a breathing coach whose ``simulate`` keeps
one number a day through core's observations, and whose steps read them back.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from rich.console import Console
from typer.testing import CliRunner

from momentum import Brief, Domain, hookimpl
from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import demo_cmds, plugins_cmds
from momentum.adapters.local.commands.plugins_cmds import plugin_report
from momentum.adapters.local.demo.domain import DomainDemoError, run_domain_demo
from momentum.core import observations
from momentum.core.app import App
from momentum.core.plugins.host import PluginHost
from momentum.testing import PluginHarness


def _simulate(app: App, athlete_id: str, start: dt.date, end: dt.date) -> None:
    day = start
    while day <= end:
        minutes = 5 + (day.toordinal() * 7) % 11  # deterministic, no randomness
        observations.keep(
            app.storage,
            athlete_id,
            [observations.Observation("calm", "breathing", day, {"minutes": float(minutes)})],
        )
        day += dt.timedelta(days=1)


def _checkin(app: App, athlete_id: str, day: dt.date) -> Brief:
    seen = observations.read(app.storage, athlete_id, "calm", "breathing", day - dt.timedelta(1))
    if seen is None:  # the first simulated day has no yesterday
        return Brief("calm", "Calm", lines=("No breathing kept yesterday",))
    minutes = int(seen.values["minutes"])
    return Brief(
        "calm",
        "Calm",
        facts={"breathing": f"{minutes} min yesterday"},
        lines=(f"Yesterday: {minutes} min of breathing",),
        next_step="Two minutes of box breathing after lunch",
        missed_days=0 if minutes >= 10 else 1,
    )


def _review(app: App, athlete_id: str, day: dt.date) -> Brief:
    start = day - dt.timedelta(days=6)
    seen = observations.read_days(app.storage, athlete_id, "calm", "breathing", start, day)
    total = int(sum(o.values["minutes"] for o in seen))
    return Brief("calm", "Calm", facts={"week": f"{total} min"}, lines=(f"Week: {total} min",))


class Calm:
    @hookimpl
    def momentum_domains(self) -> list[Domain]:
        return [
            Domain(
                "calm",
                "A breathing coach (test)",
                checkin=_checkin,
                weekly_plan=lambda app, a, d: Brief("calm", "Calm", lines=("Aim: 10 min a day",)),
                weekly_review=_review,
                simulate=_simulate,
            )
        ]


class Quiet:
    @hookimpl
    def momentum_domains(self) -> list[Domain]:
        return [Domain("quiet", "No simulation (test)")]


def test_the_demo_walks_the_weeks_through_the_coach_loop(tmp_path: Path) -> None:
    harness = PluginHarness(Calm())
    console = Console(record=True, width=100, highlight=False)
    result = run_domain_demo(tmp_path, console, "calm", weeks=2, plugins=harness.plugins)
    kinds = [m.message_id.split(":")[0] for m in result.messages]
    assert kinds == (["monday_plan"] + ["checkin"] * 6 + ["weekly_review"]) * 2
    out = console.export_text()
    assert "Mon 02 Mar 2026 · 06:00 · Monday 6 am: the week laid out" in out
    assert "Aim: 10 min a day" in out
    assert "Yesterday:" in out and "min of breathing" in out
    assert "Week:" in out and "Sun 08 Mar 2026 · 21:00" in out
    assert "16 messages from the calm coach" in out
    again = run_domain_demo(
        tmp_path, Console(record=True), "calm", weeks=2, plugins=harness.plugins
    )
    assert [m.text for m in again.messages] == [m.text for m in result.messages]  # read back


def test_the_demo_is_deterministic(tmp_path: Path) -> None:
    texts = []
    for home in (tmp_path / "a", tmp_path / "b"):
        result = run_domain_demo(
            home, Console(record=True), "calm", weeks=1, plugins=PluginHarness(Calm()).plugins
        )
        texts.append([m.display for m in result.messages])
    assert texts[0] == texts[1]


def test_a_domain_without_simulate_gets_a_clear_error(tmp_path: Path) -> None:
    plugins = PluginHarness(Quiet()).plugins
    with pytest.raises(DomainDemoError, match="domain 'quiet' has no simulate step"):
        run_domain_demo(tmp_path, Console(), "quiet", plugins=plugins)
    with pytest.raises(
        DomainDemoError, match=r"no domain named 'nap' is installed \(installed: quiet\)"
    ):
        run_domain_demo(tmp_path, Console(), "nap", plugins=plugins)


def _cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    demo_cmds.register(app)
    plugins_cmds.register(app)
    return app


def test_the_cli_names_an_unknown_domain(tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["demo", "--domain", "nap", "--home", str(tmp_path)])
    assert result.exit_code == 1
    assert "no domain named 'nap' is installed" in result.output
    assert "running" in result.output


def test_plugins_lists_each_domain_with_its_steps_and_jobs() -> None:
    host = PluginHost()
    host.register(Calm(), name="calm")
    [row] = plugin_report(host)
    assert row["domains"] == ["calm"]
    assert row["steps"] == ["calm: checkin, weekly_plan, weekly_review, simulate"]
    assert set(row["jobs"]) == {
        "checkin Tue–Sun 06:00",
        "monday_plan Mon 06:00",
        "weekly_refresh Sun 21:00",
    }


def test_plugins_shows_the_running_domain_and_its_engine() -> None:
    result = CliRunner().invoke(_cli(), ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    running = next(row for row in rows.values() if row["domains"] == ["running"])
    # running's check-in, plan and review are Brief steps of core's loop, in its own words
    assert running["steps"] == [
        "running: checkin, weekly_plan, weekly_review, engine, composer, writer"
    ]
    assert "log_activity" in running["tools"]
