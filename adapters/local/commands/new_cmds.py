"""``momentum new DIR`` (a coach project, or ``--plugin`` a plugin package) and
``momentum upgrade`` (bring a generated project up to the installed template).

The generator itself lives in :mod:`momentum.templates`; this module asks the questions
(each is also a flag; ``--defaults`` takes every default without asking), prints what was
made and the next commands, and turns the generator's errors into one line and exit 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from momentum.adapters.local.cli import fail

GENERATOR_HINT = "pip install 'momentum-coach[generator]'"


def register(cli: typer.Typer) -> None:
    """Add ``new`` and ``upgrade`` (``update`` is the same command, as copier names it) to
    the root CLI."""
    cli.command("new")(new)
    cli.command("upgrade")(upgrade)
    cli.command("update", hidden=True)(upgrade)


def _require_copier() -> None:
    try:
        import copier  # noqa: F401
    except ImportError:
        raise fail(f"momentum new and upgrade need copier: {GENERATOR_HINT}") from None


def new(
    directory: Path = typer.Argument(..., help="Where to create the project (new or empty)."),
    name: str | None = typer.Option(None, help="Project name (default: from DIR)."),
    cloud: str | None = typer.Option(None, help="Where it runs: local, or a cloud."),
    chat: str | None = typer.Option(None, help="Chat platform: console, or e.g. slack."),
    sources: list[str] = typer.Option(
        None, "--source", help="A data source (repeatable), e.g. --source strava."
    ),
    domain: str | None = typer.Option(None, help="Coaching domain, e.g. running."),
    timezone: str | None = typer.Option(
        None, help="The athlete's IANA time zone (default: this machine's)."
    ),
    plugin: bool = typer.Option(False, "--plugin", help="Make a plugin package instead."),
    kind: str | None = typer.Option(
        None, help="With --plugin: what it provides, 'source' or 'domain'."
    ),
    defaults: bool = typer.Option(
        False, "--defaults", "-y", help="Take the default for every question not given."
    ),
    force: bool = typer.Option(False, "--force", help="Generate into a non-empty DIR."),
    git: bool = typer.Option(True, "--git/--no-git", help="Make DIR a git repository."),
) -> None:
    """Create a coach project of your own (or, with --plugin, a plugin package).

    Each question has a default and a flag; --defaults asks nothing. The choices offered
    are what this install has built (plugins, chat platforms, clouds).
    """
    _require_copier()
    from momentum.core.errors import MomentumError
    from momentum.templates.names import default_name

    ask = _Asker(defaults)
    name = name or ask.text("Project name", default_name(directory.resolve().name))
    try:
        if plugin:
            _new_plugin(directory, name, kind, ask, force=force, git=git)
        else:
            _new_coach(
                directory,
                name,
                dict(cloud=cloud, chat=chat, domain=domain, timezone=timezone),
                sources,
                ask,
                force=force,
                git=git,
            )
    except MomentumError as exc:
        raise fail(str(exc)) from None


def _new_coach(
    directory: Path,
    name: str,
    given: dict[str, Any],
    sources: list[str] | None,
    ask: _Asker,
    *,
    force: bool,
    git: bool,
) -> None:
    from momentum.adapters.local.profile_answers import local_timezone_name
    from momentum.templates.catalogue import load_catalogue
    from momentum.templates.coach import CoachChoices, check_choices, new_coach
    from momentum.templates.render import inside_git_work_tree

    catalogue = load_catalogue()
    # The reference coach stays the default domain when other domains are installed.
    first_domain = "running" if "running" in catalogue.domains else catalogue.domains[0]
    # Check the name and the flags given before asking anything else.
    check_choices(
        CoachChoices(
            name=name,
            cloud=given["cloud"] or catalogue.clouds[0],
            chat=given["chat"] or catalogue.chats[0],
            sources=tuple(sources or catalogue.sources[:1]),
            domain=given["domain"] or first_domain,
            timezone=given["timezone"] or "UTC",
        ),
        catalogue,
    )
    choices = CoachChoices(
        name=name,
        domain=given["domain"] or ask.choice("Domain", catalogue.domains, first_domain),
        sources=tuple(sources or ask.choices("Data sources", catalogue.sources, ["files"])),
        chat=given["chat"] or ask.choice("Chat", catalogue.chats, catalogue.chats[0]),
        cloud=given["cloud"] or ask.choice("Cloud", catalogue.clouds, catalogue.clouds[0]),
        timezone=given["timezone"] or ask.text("Time zone", local_timezone_name()),
    )
    made = new_coach(directory, choices, force=force, catalogue=catalogue, init_git=git)
    typer.echo(
        f"Created {made.path} ({len(made.files)} files, template {made.version}): "
        f"{choices.domain} coach on {choices.cloud}, chat {choices.chat}, "
        f"sources {', '.join(choices.sources)}."
    )
    for file in made.files:
        typer.echo(f"  {file}")
    if made.git_initialised:
        typer.echo("A git repository was made with one commit (momentum upgrade merges on it).")
    elif git and inside_git_work_tree(made.path):
        typer.echo("It is inside a git repository: commit it before running momentum upgrade.")
    elif git:
        typer.echo("git is not installed: momentum upgrade will need the project in git.")
    typer.echo("\nNext:")
    typer.echo(f"  cd {made.path}")
    typer.echo("  uv sync                          # install its dependencies")
    typer.echo("  uv run pytest                    # run its tests")
    typer.echo("  uv run momentum --home . serve   # run the coach on this machine")
    if choices.cloud != "local":
        typer.echo(f"  pulumi up                        # deploy to {choices.cloud} (README.md)")


def _new_plugin(
    directory: Path, name: str, kind: str | None, ask: _Asker, *, force: bool, git: bool
) -> None:
    from momentum.templates.plugin import KINDS, PluginChoices, new_plugin

    kind = kind or ask.choice("Plugin kind", KINDS, KINDS[0])
    made = new_plugin(directory, PluginChoices(name=name, kind=kind), force=force, init_git=git)
    typer.echo(f"Created {made.path} ({len(made.files)} files, template {made.version}).")
    for file in made.files:
        typer.echo(f"  {file}")
    typer.echo("\nNext:")
    typer.echo(f"  cd {made.path}")
    typer.echo("  pip install -e .                 # momentum plugins then lists it")
    typer.echo("  pytest                           # run its tests")


def upgrade(
    directory: Path = typer.Argument(
        Path("."), help="The project made by momentum new (default: here)."
    ),
) -> None:
    """Bring the newer template into a project made by momentum new.

    Your edits stay; prompts/ and plugins/ are never overwritten. Conflicts are written
    inline (<<<<<<<), listed, and make the command exit with status 1. The project must
    be committed first, so `git diff` shows exactly what the upgrade changed.
    """
    _require_copier()
    from momentum.core.errors import MomentumError
    from momentum.templates.upgrade import upgrade_project

    try:
        done = upgrade_project(directory)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    if done.from_version == done.to_version and not done.changed:
        typer.echo(f"{directory} is up to date (template {done.to_version}).")
        return
    typer.echo(f"Upgraded {directory}: template {done.from_version} → {done.to_version}.")
    for file in done.changed:
        mark = "C" if file in done.conflicts else "M"
        typer.echo(f"  {mark} {file}")
    if done.conflicts:
        raise fail(
            f"{len(done.conflicts)} conflict(s), marked inline with <<<<<<<: "
            f"{', '.join(done.conflicts)}; resolve them, then commit"
        )
    typer.echo("Review with `git diff`, run the tests, then commit.")


class _Asker:
    """Asks a question with a default, or takes the default with ``--defaults``."""

    def __init__(self, defaults: bool) -> None:
        self.defaults = defaults

    def text(self, question: str, default: str) -> str:
        """A free-text answer."""
        if self.defaults:
            return default
        return str(typer.prompt(question, default=default))

    def choice(self, question: str, offered: tuple[str, ...], default: str) -> str:
        """One of ``offered`` (asked again until it is)."""
        if self.defaults:
            return default
        while True:
            answer = str(typer.prompt(f"{question} ({', '.join(offered)})", default=default))
            if answer in offered:
                return answer
            typer.echo(f"{answer!r} is not available; choose one of: {', '.join(offered)}")

    def choices(self, question: str, offered: tuple[str, ...], default: list[str]) -> list[str]:
        """Several of ``offered``, comma-separated."""
        fallback = [d for d in default if d in offered] or list(offered[:1])
        if self.defaults:
            return fallback
        while True:
            answer = str(
                typer.prompt(
                    f"{question}, comma-separated ({', '.join(offered)})",
                    default=",".join(fallback),
                )
            )
            picked = [part.strip() for part in answer.split(",") if part.strip()]
            wrong = [p for p in picked if p not in offered]
            if picked and not wrong:
                return picked
            typer.echo(f"choose from: {', '.join(offered)}")
