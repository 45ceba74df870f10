"""Migrations of ``.momentum/answers.yml`` from one format to the next.

``momentum upgrade`` renders the old template with the answers as they were recorded
(the old template understands them) and the new template with the migrated answers; the
new answers file is written by copier at the end. Each migration takes the answers of
format ``N`` and returns those of format ``N + 1``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from momentum.templates.catalogue import Catalogue

Answers = dict[str, Any]


def _from_0(answers: Answers, catalogue: Catalogue) -> Answers:
    """Format 0 (before ``answers_format`` existed) named one data ``source``; format 1
    has a list of ``sources`` and records the extras and stack config it was made with."""
    migrated = dict(answers)
    source = migrated.pop("source", None)
    if "sources" not in migrated:
        migrated["sources"] = [source] if isinstance(source, str) else list(source or ["files"])
    cloud = str(migrated.get("cloud", "local"))
    migrated.setdefault(
        "extras",
        catalogue.requirement_extras(cloud, str(migrated.get("chat", "")), migrated["sources"]),
    )
    migrated.setdefault("stack_config", catalogue.stack_config.get(cloud, {}))
    migrated["answers_format"] = 1
    return migrated


MIGRATIONS: dict[int, Callable[[Answers, Catalogue], Answers]] = {0: _from_0}
"""Format ``N`` → the function that makes it format ``N + 1``."""


def migrate(answers: Mapping[str, Any], target: int, catalogue: Catalogue) -> Answers:
    """``answers`` brought to format ``target`` (unchanged when already there)."""
    current = dict(answers)
    found = current.get("answers_format", 0)
    if not isinstance(found, int) or found > target:
        raise ValueError(
            f"answers_format {found!r} is newer than this Momentum understands ({target}); "
            "upgrade Momentum first"
        )
    while found < target:
        current = MIGRATIONS[found](current, catalogue)
        found = current["answers_format"]
    return current
