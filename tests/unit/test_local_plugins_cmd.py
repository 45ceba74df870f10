"""`momentum plugins`: what each loaded plugin provides, in a table or as JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import plugins_cmds
from momentum.adapters.local.commands.plugins_cmds import plugin_report
from momentum.core.app import App
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.model import Activity, AthleteProfile
from momentum.core.plugins.host import PluginHost, hookimpl
from momentum.core.plugins.types import Domain, Tool, ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.core.ports.scheduler import RecurringJob


def make_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    plugins_cmds.register(app)
    return app


def test_lists_the_built_in_plugins_with_their_jobs() -> None:
    result = CliRunner().invoke(make_cli(), ["plugins"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    for expected in ("running", "domains: running", "checkin Tue–Sun 06:00", "Mon 06:00"):
        assert expected in result.stdout
    assert "weekly_refresh Sun 21:00" in result.stdout


def test_json_output_is_machine_readable() -> None:
    result = CliRunner().invoke(make_cli(), ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    running = rows["running"]
    assert running["module"] == "momentum.plugins.running.plugin"
    assert "domains" in running["hooks"]
    assert running["domains"] == ["running"]
    assert "checkin Tue–Sun 06:00" in running["jobs"]


class Source:
    name = "fakefit"
    description = "a test source"
    webhook_path = "/fake/webhook"

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        return HttpResponse.text(200, "ok")


class Importer:
    name = "fakefit"
    extensions = (".fake",)

    def read(self, path: Path, athlete: AthleteProfile) -> list[Activity]:
        return []


class Everything:
    """A third-party plugin using every contribution hook, one of them broken."""

    @hookimpl
    def momentum_data_sources(self) -> list[Any]:
        return [Source()]

    @hookimpl
    def momentum_file_importers(self) -> list[Any]:
        return [Importer()]

    @hookimpl
    def momentum_domains(self) -> list[Domain]:
        return [Domain("sleep", "sleep coach", (RecurringJob("bedtime", 22, 30, (0, 3)),))]

    @hookimpl
    def momentum_tools(self) -> list[Tool]:
        def run(ctx: ToolContext, args: dict[str, Any]) -> str:
            return "done"

        return [Tool(ToolSpec("log_sleep", "log a night"), run)]

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        raise ImportError("no module named 'sleepy_sdk'")


def test_report_lists_each_contribution_and_isolates_a_broken_hook() -> None:
    host = PluginHost()
    host.register(Everything(), name="everything")
    (row,) = plugin_report(host)
    assert row["name"] == "everything" and row["distribution"] == "(registered)"
    assert row["data_sources"] == ["fakefit"]
    assert row["file_importers"] == ["fakefit (.fake)"]
    assert row["domains"] == ["sleep"]
    assert row["tools"] == ["log_sleep"]
    assert row["jobs"][0] == "error: ImportError: no module named 'sleepy_sdk'"
    assert "bedtime Mon, Thu 22:30" in row["jobs"]
    assert set(row["hooks"]) >= {"data_sources", "domains", "tools", "scheduled_jobs"}
