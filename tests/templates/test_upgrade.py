"""``momentum upgrade`` from template v1 to v2 (a working copy of the bundled template,
edited the way a template author would): a user's edit is kept beside the template's
change, a clash is written inline and reported with a non-zero exit, the user's own
files (prompts/, plugins/) are left alone, and an answers file of an older format is
migrated."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from momentum.adapters.local.cli import _register_all, cli
from momentum.templates.coach import CoachChoices, new_coach
from momentum.templates.upgrade import upgrade_project

_register_all()


def _commit(project: Path, message: str) -> None:
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=project, check=True
        )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _v2(templates: Path) -> None:
    """The template author's next version."""
    coach = templates / "coach"
    (coach / "VERSION").write_text("1.1.0\n")
    _edit(
        coach / "project" / "momentum.toml.jinja",
        "# {{ name }}: the coach's settings.",
        "# {{ name }}: the coach's settings (template 1.1).",
    )
    _edit(coach / "project" / "README.md.jinja", "## What is here", "## What is in here")
    _edit(coach / "project" / "prompts" / "persona.j2.jinja", "You are", "TEMPLATE V2: You are")
    (coach / "project" / "CHANGELOG.md").write_text("1.1.0: a changelog\n")


@pytest.fixture
def project(tmp_path: Path, templates_copy: Path) -> Path:
    """A v1 project with the user's edits committed."""
    path = tmp_path / "coach"
    new_coach(path, CoachChoices(name="my-coach"))
    _edit(path / "momentum.toml", 'athlete_id = "me"', 'athlete_id = "ada"')
    _edit(path / "prompts" / "persona.j2", "You are", "Coach Ada here. You are")
    _commit(path, "my edits")
    return path


def test_user_edits_stay_and_template_changes_arrive(project: Path, templates_copy: Path) -> None:
    persona_before = (project / "prompts" / "persona.j2").read_bytes()
    plugin_before = (project / "plugins" / "stretch" / "plugin.py").read_bytes()
    _v2(templates_copy)

    done = upgrade_project(project)

    assert (done.from_version, done.to_version) == ("1.0.0", "1.1.0")
    assert done.conflicts == []
    toml = (project / "momentum.toml").read_text()
    assert 'athlete_id = "ada"' in toml  # the user's edit
    assert "(template 1.1)" in toml  # the template's change, merged beside it
    assert "## What is in here" in (project / "README.md").read_text()
    assert (project / "CHANGELOG.md").read_text() == "1.1.0: a changelog\n"
    assert (project / "prompts" / "persona.j2").read_bytes() == persona_before  # the user's
    assert (project / "plugins" / "stretch" / "plugin.py").read_bytes() == plugin_before
    answers = yaml.safe_load((project / ".momentum" / "answers.yml").read_text())
    assert answers["_commit"] == "1.1.0"
    assert set(done.changed) == {
        ".momentum/answers.yml",
        "CHANGELOG.md",
        "README.md",
        "momentum.toml",
    }


def test_a_clash_is_written_inline_listed_and_exits_non_zero(
    project: Path, templates_copy: Path
) -> None:
    _edit(project / "README.md", "## What is here", "## What is here, my notes")
    _commit(project, "my README")
    _v2(templates_copy)

    result = CliRunner().invoke(cli, ["upgrade", str(project)], env={"NO_COLOR": "1"})

    assert result.exit_code == 1, result.output
    assert "C README.md" in result.output
    assert "1 conflict(s)" in result.output and "README.md" in result.output
    readme = (project / "README.md").read_text()
    assert "<<<<<<<" in readme and ">>>>>>>" in readme
    assert "## What is here, my notes" in readme and "## What is in here" in readme
    assert 'athlete_id = "ada"' in (project / "momentum.toml").read_text()


def test_an_unchanged_template_is_up_to_date(project: Path) -> None:
    result = CliRunner().invoke(cli, ["upgrade", str(project)])
    assert result.exit_code == 0, result.output
    assert "up to date (template 1.0.0)" in result.output
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True
    )
    assert status.stdout == ""


def test_uncommitted_changes_are_refused_before_anything_changes(
    project: Path, templates_copy: Path
) -> None:
    _edit(project / "momentum.toml", 'athlete_id = "ada"', 'athlete_id = "bo"')
    _v2(templates_copy)
    result = CliRunner().invoke(cli, ["upgrade", str(project)], env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "uncommitted changes (momentum.toml); commit them first" in result.output
    assert not (project / "CHANGELOG.md").exists()


def test_upgrade_outside_a_generated_project_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["upgrade", str(tmp_path)], env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "is not a project made by momentum new (no .momentum/answers.yml)" in result.output
    assert [p.name for p in tmp_path.iterdir() if p.name != "template-cache"] == []


def test_an_answers_file_of_format_0_is_migrated(tmp_path: Path, templates_copy: Path) -> None:
    """v1 of this test's template recorded one ``source`` and no format; v2 (the bundled
    template) wants ``sources`` and records ``answers_format: 1``."""
    coach = templates_copy / "coach"
    copier_yml = coach / "copier.yml"
    text = copier_yml.read_text()
    v2_copier, v2_version = text, (coach / "VERSION").read_text()
    old = re.sub(r"answers_format:\n(  .*\n)+", "", text).replace(
        "sources:\n  type: yaml\n  default: [files]\n", "source:\n  type: str\n  default: files\n"
    )
    copier_yml.write_text(old)
    (coach / "VERSION").write_text("0.9.0\n")
    for path in (coach / "project").rglob("*.jinja"):
        path.write_text(path.read_text().replace("sources", "[source]"))
    project = tmp_path / "old"
    import copier

    from momentum.templates.template_repo import publish

    repo, tag = publish(coach)
    copier.run_copy(
        str(repo),
        project,
        data={"name": "old-coach", "source": "strava"},
        vcs_ref=tag,
        defaults=True,
        quiet=True,
    )
    _git_init(project)
    recorded = yaml.safe_load((project / ".momentum" / "answers.yml").read_text())
    assert recorded["source"] == "strava" and "answers_format" not in recorded

    copier_yml.write_text(v2_copier)
    (coach / "VERSION").write_text(v2_version)
    for path in (coach / "project").rglob("*.jinja"):
        path.write_text(path.read_text().replace("[source]", "sources"))

    done = upgrade_project(project)

    answers = yaml.safe_load((project / ".momentum" / "answers.yml").read_text())
    assert done.to_version == v2_version.strip()
    assert answers["answers_format"] == 1 and answers["sources"] == ["strava"]
    assert "source" not in answers
    assert "[strava]" in (project / "momentum.toml").read_text()


def _git_init(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    _commit(project, "v0.9")
