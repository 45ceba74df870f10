"""``momentum plugins``: what each loaded plugin provides, as a table or as JSON."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from momentum.adapters.local.cli import fail, home_of
from momentum.adapters.local.profile_answers import DAY_NAMES
from momentum.core.coach.jobs import STEP_JOBS

_CONTRIBUTION_HOOKS = {
    "data_sources": "momentum_data_sources",
    "file_importers": "momentum_file_importers",
    "domains": "momentum_domains",
    "tools": "momentum_tools",
    "jobs": "momentum_scheduled_jobs",
    "chat_platforms": "momentum_chat_platforms",
    "model_providers": "momentum_model_providers",
    "settings": "momentum_settings",
}


def describe_weekdays(days: tuple[int, ...]) -> str:
    """``daily``, a run like ``Tue–Sun``, or a list like ``Mon, Thu``."""
    names = [DAY_NAMES[d].title() for d in sorted(set(days))]
    ordered = sorted(set(days))
    if len(ordered) == 7:
        return "daily"
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


def _job_text(job: Any) -> str:
    return f"{job.name} {describe_weekdays(job.weekdays)} {job.hour:02d}:{job.minute:02d}"


def plugin_report(host: Any) -> list[dict[str, Any]]:
    """What each loaded plugin provides, hook by hook. A hook that fails is reported as
    ``error: …`` in its place so one broken plugin does not hide the others."""
    rows = []
    for loaded in host.plugins():
        plugin = host.pm.get_plugin(loaded.name)
        row: dict[str, Any] = {
            "name": loaded.name,
            "module": loaded.module,
            "distribution": loaded.distribution,
            "hooks": [h.removeprefix("momentum_") for h in loaded.hooks],
        }
        for key, hook_name in _CONTRIBUTION_HOOKS.items():
            row[key] = []
            for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
                if impl.plugin is not plugin:
                    continue
                try:
                    provided = list(impl.function() or [])
                except Exception as exc:
                    row[key].append(f"error: {type(exc).__name__}: {exc}")
                    continue
                row[key].extend(_names(key, provided))
        for domain_job in _domain_jobs(host, plugin):
            row["jobs"].append(domain_job)
        row["steps"] = _domain_steps(host, plugin)
        errors = [item for key in _CONTRIBUTION_HOOKS for item in row[key] if "error:" in item]
        row["status"] = "failed" if errors else "ok"
        row["error"] = errors[0].removeprefix("error: ") if errors else ""
        rows.append(row)
    for failed in getattr(host, "failed", {}).values():
        if any(row["name"] == failed.name for row in rows):
            continue
        rows.append(_failed_row(failed))
    return sorted(rows, key=lambda row: row["name"])


def _failed_row(failed: Any) -> dict[str, Any]:
    """A plugin the host disabled (it failed to import, or a hook raised)."""
    row: dict[str, Any] = {
        "name": failed.name,
        "module": "",
        "distribution": "",
        "hooks": [],
        "status": "failed",
        "error": f"{failed.where}: {failed.error}",
    }
    row.update({key: [] for key in _CONTRIBUTION_HOOKS})
    row["steps"] = []
    return row


def _names(key: str, provided: list[Any]) -> list[str]:
    if key == "tools":
        return [tool.spec.name for tool in provided]
    if key == "jobs":
        return [_job_text(job) for job in provided]
    if key == "file_importers":
        return [f"{imp.name} ({' '.join(imp.extensions)})" for imp in provided]
    if key == "settings":
        return [f"[{section}]" for section in provided]
    return [item.name for item in provided]


def _domains_of(host: Any, plugin: object) -> list[Any]:
    """The domains ``plugin`` provides (none when its hook raises: that is reported under
    domains)."""
    found: list[Any] = []
    for impl in host.pm.hook.momentum_domains.get_hookimpls():
        if impl.plugin is not plugin:
            continue
        try:
            found.extend(impl.function() or [])
        except Exception:
            continue
    return found


def _domain_jobs(host: Any, plugin: object) -> list[str]:
    jobs: list[str] = []
    for domain in _domains_of(host, plugin):
        declared = {job.name for job in domain.recurring_jobs}
        jobs.extend(_job_text(job) for job in domain.recurring_jobs)
        jobs.extend(
            _job_text(job)
            for step, job in STEP_JOBS.items()
            if getattr(domain, step) is not None and job.name not in declared
        )
    return jobs


STEPS = (
    "checkin",
    "weekly_plan",
    "weekly_review",
    "screen",
    "simulate",
    "engine",
    "composer",
    "writer",
)
"""The Domain fields ``momentum plugins`` names when a domain provides them."""


def _domain_steps(host: Any, plugin: object) -> list[str]:
    """``name: checkin, weekly_plan, …`` for each domain of ``plugin``: the coach-loop steps,
    safety screen, demo simulation, conversation engine, offline composer and writer it
    provides."""
    found: list[str] = []
    for domain in _domains_of(host, plugin):
        steps = [step for step in STEPS if getattr(domain, step, None) is not None]
        found.append(f"{domain.name}: {', '.join(steps) or 'jobs only'}")
    return found


def _cell(items: list[str]) -> str:
    return "\n".join(items) if items else "–"


_PROVIDES = (
    ("data sources", "data_sources"),
    ("file importers", "file_importers"),
    ("domains", "domains"),
    ("steps", "steps"),
    ("tools", "tools"),
    ("jobs", "jobs"),
    ("chat", "chat_platforms"),
    ("models", "model_providers"),
    ("settings", "settings"),
)


def _provides(row: dict[str, Any]) -> Text:
    """One labelled line per kind of contribution, e.g. ``tools: log_activity, …``."""
    text = Text()
    if row["status"] == "failed":
        text.append(f"FAILED, disabled: {row['error']}", style="bold red")
    for label, key in _PROVIDES:
        if not row[key]:
            continue
        if text:
            text.append("\n")
        text.append(f"{label}: ", style="bold")
        sep = "; " if key == "steps" else ", "
        text.append(sep.join(row[key]), style="red" if "error:" in str(row[key]) else "")
    return text if text else Text("–")


def register(cli: typer.Typer) -> None:
    """Add ``plugins`` to the root CLI."""
    cli.command("plugins")(plugins)


def plugins(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the loaded plugins and what each provides (with the coach's own
    ``local_plugins`` when ``--home`` holds a ``momentum.toml``)."""
    from momentum.core.config import CONFIG_FILE, load_settings
    from momentum.core.plugins.host import load_plugins

    try:
        host = load_plugins()
    except Exception as exc:  # a plugin that fails to import names itself in the message
        raise fail(f"could not load plugins: {type(exc).__name__}: {exc}") from None
    home = home_of(ctx, must_exist=False)
    if (home / CONFIG_FILE).is_file():
        host.load_local(home, load_settings(home).extra.get("local_plugins") or ())
    host.check()  # every contribution hook once: a plugin that raises is disabled
    rows = plugin_report(host)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    failed = sum(row["status"] == "failed" for row in rows)
    title = f"{len(rows) - failed} plugin(s) loaded" + (f", {failed} failed" if failed else "")
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("plugin", no_wrap=True)
    table.add_column("hooks", no_wrap=True)
    table.add_column("provides")
    for row in rows:
        table.add_row(
            Text.assemble((row["name"], "bold"), "\n", (row["distribution"], "dim")),
            _cell(row["hooks"]),
            _provides(row),
        )
    Console(highlight=False).print(table)
