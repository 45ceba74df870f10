"""``momentum upgrade``: bring a generated project up to the installed template with
copier's update (a three-way merge of the user's edits with the template's changes).

- The project must be a git repository with nothing uncommitted (copier's rule; the
  merge result is then a plain ``git diff`` to review).
- ``prompts/`` and ``plugins/`` are the user's (the template's ``_skip_if_exists``):
  never overwritten.
- Conflicts are written inline. copier itself exits 0 on them, so they are found here
  from the conflict markers and ``git ls-files -u``, and reported by file.
- The answers are migrated to the template's format first (:mod:`.migrations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from momentum.core.errors import MomentumError
from momentum.templates.catalogue import Catalogue, load_catalogue
from momentum.templates.coach import ANSWERS_FORMAT
from momentum.templates.migrations import migrate
from momentum.templates.template_repo import git, publish, templates_dir

ANSWERS_FILE = Path(".momentum") / "answers.yml"
CONFLICT_MARKER = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)


class NotAProject(MomentumError):
    """The folder was not made by ``momentum new``."""


@dataclass(frozen=True)
class Upgraded:
    """What an upgrade did."""

    from_version: str
    to_version: str
    changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def read_answers(project: Path) -> dict[str, Any]:
    """The project's recorded answers; :class:`NotAProject` when there are none."""
    import yaml

    path = project / ANSWERS_FILE
    if not path.is_file():
        raise NotAProject(
            f"{project} is not a project made by momentum new (no {ANSWERS_FILE}); "
            "run momentum upgrade inside one"
        )
    answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(answers, dict) or "_commit" not in answers:
        raise NotAProject(f"{path}: not an answers file written by momentum new")
    return answers


def upgrade_project(
    project: Path,
    *,
    template: Path | None = None,
    catalogue: Catalogue | None = None,
) -> Upgraded:
    """Merge the installed ``template`` into ``project`` and report conflicts."""
    import copier

    project = project.resolve()
    answers = read_answers(project)
    _check_clean(project)
    repo, tag = publish(template or templates_dir() / "coach")
    old = str(answers["_commit"])
    made_from = Path(str(answers.get("_src_path", "")))
    if made_from.resolve() != repo.resolve() or old not in _tags(repo):
        raise MomentumError(
            f"the template version {old} this project was made with is not in {repo} "
            f"(it was made from {made_from}); upgrade where it was made, or set "
            "MOMENTUM_TEMPLATE_CACHE to that cache"
        )
    data = migrate(
        {k: v for k, v in answers.items() if not k.startswith("_")},
        ANSWERS_FORMAT,
        catalogue or load_catalogue(),
    )
    try:
        copier.run_update(
            project,
            data=data,
            answers_file=ANSWERS_FILE,
            vcs_ref=tag,
            defaults=True,
            overwrite=True,
            quiet=True,
            conflict="inline",
        )
    except Exception as exc:
        raise MomentumError(f"upgrade failed: {exc}") from exc
    changed = _changed_files(project)
    return Upgraded(old, tag, changed, _conflicts(project, changed))


def _tags(repo: Path) -> set[str]:
    return set(git("tag", "--list", cwd=repo).split())


def _check_clean(project: Path) -> None:
    try:
        status = git("status", "--porcelain", "--", ".", cwd=project)
    except MomentumError:
        raise MomentumError(
            f"{project} is not a git repository; momentum upgrade merges against its history "
            "(git init, commit, then upgrade)"
        ) from None
    if status.strip():
        dirty = ", ".join(line[3:] for line in status.splitlines()[:5])
        raise MomentumError(f"{project} has uncommitted changes ({dirty}); commit them first")


def _changed_files(project: Path) -> list[str]:
    lines = git("status", "--porcelain", "--untracked-files=all", "--", ".", cwd=project)
    return sorted({line[3:].strip().strip('"') for line in lines.splitlines() if line.strip()})


def _conflicts(project: Path, changed: list[str]) -> list[str]:
    unmerged = {
        line.split("\t", 1)[1]
        for line in git("ls-files", "-u", "--", ".", cwd=project).splitlines()
        if "\t" in line
    }
    marked = set()
    for name in changed:
        path = project / name
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            if CONFLICT_MARKER.search(text) and "=======" in text:
                marked.add(name)
    return sorted(unmerged | marked)
