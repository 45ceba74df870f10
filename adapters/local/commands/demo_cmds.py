"""``momentum demo``: the running coach end to end on the embedded default.

Uses the global ``--home`` (or ``MOMENTUM_HOME``) when given; otherwise a fresh temporary
folder, never ``~/.momentum``, so the demo can't touch a real coach by accident. Either
way the coach is kept there and the summary says where.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import typer


def demo_home(ctx: typer.Context, here: Path | None = None) -> tuple[Path, bool]:
    """The home to use and whether the user chose it: ``momentum demo --home DIR``, the
    global ``momentum --home DIR demo``, or ``MOMENTUM_HOME``."""
    from momentum.adapters.local.cli import home_of

    if here is not None:
        return here.expanduser(), True
    chosen = ctx.find_root().params.get("home")
    if chosen is not None:
        return home_of(ctx, must_exist=False), True
    return Path(tempfile.mkdtemp(prefix="momentum-demo-")), False


def demo(
    ctx: typer.Context,
    seed: int = typer.Option(
        2026, "--seed", help="Seed of the simulated history (use a fresh --home per seed)."
    ),
    home: Path | None = typer.Option(
        None,
        "--home",
        help="Keep the demo coach in DIR (same as the global --home).",
        show_default=False,
    ),
    width: int = typer.Option(
        0, "--width", help="Terminal width for the transcript (0 = detect).", show_default=False
    ),
    domain: str = typer.Option(
        "running",
        "--domain",
        help="The domain to demonstrate: running, or an installed domain with a simulate step "
        "(sleep, meals).",
    ),
    weeks: int = typer.Option(
        3, "--weeks", min=1, max=12, help="Weeks to simulate for a domain other than running."
    ),
) -> None:
    """Simulate fourteen weeks of a runner and show what the coach says on chosen days.

    Offline with no API key (the offline composer writes the words); with GROQ_API_KEY set,
    Groq does. The coach is kept in --home (or a new temporary folder) so you can carry on
    with `momentum --home DIR checkin`, `week`, `chat` …. With --domain NAME another
    domain simulates its person offline and the coach loop shows every check-in, Monday plan
    and weekly review of --weeks weeks.
    """
    from rich.console import Console
    from rich.text import Text

    from momentum.adapters.local.demo.runner import run_demo
    from momentum.adapters.local.demo.summary import print_summary

    console = Console(highlight=False, width=width or None)
    if domain != "running":
        _domain_demo(ctx, home, console, domain, weeks)
        return
    home, chosen = demo_home(ctx, home)
    where = "in" if chosen else "in a new temporary folder,"
    console.print(
        Text.assemble(("Momentum demo", "bold"), f": a coach for Adam (Toronto) {where} {home}")
    )
    result = run_demo(home, console, seed=seed)
    root = ctx.find_root().command
    available = set(getattr(root, "commands", {}))
    print_summary(console, result, available or None)


def _domain_demo(
    ctx: typer.Context, here: Path | None, console: Any, domain: str, weeks: int
) -> None:
    """``--domain NAME``: the coach loop over one simulated person of that domain."""
    from rich.text import Text

    from momentum.adapters.local.cli import fail
    from momentum.adapters.local.demo.domain import DomainDemoError, find_domain, run_domain_demo
    from momentum.core.plugins.host import load_plugins

    plugins = load_plugins()
    try:
        find_domain(plugins, domain)  # before anything is printed or created
        home, chosen = demo_home(ctx, here)
        where = "in" if chosen else "in a new temporary folder,"
        console.print(
            Text.assemble(("Momentum demo", "bold"), f": a {domain} coach for Sam {where} {home}")
        )
        run_domain_demo(home, console, domain, weeks=weeks, plugins=plugins)
    except DomainDemoError as exc:
        raise fail(str(exc)) from None


def register(cli: typer.Typer) -> None:
    """Add ``momentum demo`` to the root CLI."""
    cli.command("demo")(demo)
