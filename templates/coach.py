"""``momentum new DIR``: a coach project of the user's own, from ``templates/coach``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from momentum.core.errors import InputError
from momentum.templates.catalogue import Catalogue, load_catalogue
from momentum.templates.names import check_name
from momentum.templates.render import commit_new_repository, render
from momentum.templates.template_repo import template_version, templates_dir

ANSWERS_FORMAT = 1
"""The format of ``.momentum/answers.yml`` this version writes (see :mod:`.migrations`)."""


@dataclass(frozen=True)
class CoachChoices:
    """What a new coach is made of."""

    name: str
    cloud: str = "local"
    chat: str = "console"
    sources: tuple[str, ...] = ("files",)
    domain: str = "running"
    athlete_id: str = "me"
    timezone: str = "UTC"
    description: str = "My personal coach."


@dataclass(frozen=True)
class Generated:
    """A project that was written: where, from which template version, which files."""

    path: Path
    version: str
    files: list[str] = field(default_factory=list)
    git_initialised: bool = False


def check_choices(choices: CoachChoices, catalogue: Catalogue) -> None:
    """Refuse an invalid name or a choice that is not built, naming what is available."""
    check_name(choices.name)
    catalogue.check("cloud", [choices.cloud])
    catalogue.check("chat", [choices.chat])
    catalogue.check("domain", [choices.domain])
    if not choices.sources:
        raise InputError("--source", f"choose at least one; available: {catalogue.sources}")
    catalogue.check("source", choices.sources)
    catalogue.check_deployable(choices.cloud, [choices.domain, *choices.sources])
    _check_timezone(choices.timezone)


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            "--timezone", f"{name!r} is not an IANA time zone (e.g. America/Toronto)"
        ) from None


def coach_data(choices: CoachChoices, catalogue: Catalogue) -> dict[str, Any]:
    """The template's answers for ``choices``, with what the catalogue works out."""
    return {
        "answers_format": ANSWERS_FORMAT,
        "name": choices.name,
        "description": choices.description,
        "domain": choices.domain,
        "cloud": choices.cloud,
        "chat": choices.chat,
        "sources": list(dict.fromkeys(choices.sources)),
        "athlete_id": choices.athlete_id,
        "timezone": choices.timezone,
        "extras": catalogue.requirement_extras(choices.cloud, choices.chat, choices.sources),
        "stack_config": catalogue.stack_config.get(choices.cloud, {}),
    }


def new_coach(
    dest: Path,
    choices: CoachChoices,
    *,
    force: bool = False,
    catalogue: Catalogue | None = None,
    template: Path | None = None,
    init_git: bool = True,
) -> Generated:
    """Generate a coach project in ``dest`` (checked first; nothing is written when a
    choice is refused) and make it a git repository with one commit."""
    template = template or templates_dir() / "coach"
    catalogue = catalogue or load_catalogue()
    check_choices(choices, catalogue)
    files = render(template, dest, coach_data(choices, catalogue), force=force)
    version = template_version(template)
    made = init_git and commit_new_repository(dest, f"momentum new: {choices.name} ({version})")
    return Generated(path=dest, version=version, files=files, git_initialised=made)
