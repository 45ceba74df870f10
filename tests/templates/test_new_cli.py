"""``momentum new`` from the command line: flags, prompts with defaults, and bad input
refused with the rule and no files left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from momentum.adapters.local.cli import _register_all, cli
from momentum.core.errors import MomentumError
from momentum.templates.catalogue import load_catalogue
from momentum.templates.coach import CoachChoices, new_coach
from tests.templates.generated import files_in, golden_files

_register_all()
ENV = {"NO_COLOR": "1"}


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input, env=ENV)
    return result.exit_code, result.output


def answers(project: Path) -> dict[str, object]:
    return yaml.safe_load((project / ".momentum" / "answers.yml").read_text())


def test_flags_make_the_project_and_print_a_summary_and_the_next_commands(tmp_path: Path) -> None:
    project = tmp_path / "coach"
    code, out = invoke(
        "new",
        str(project),
        "--name",
        "trail-coach",
        "--cloud",
        "aws",
        "--chat",
        "slack",
        "--source",
        "strava",
        "--source",
        "files",
        "--timezone",
        "America/Toronto",
        "--defaults",
    )
    assert code == 0, out
    assert "Created" in out and "running coach on aws, chat slack, sources strava, files" in out
    assert "uv run pytest" in out and "pulumi up" in out
    recorded = answers(project)
    assert recorded["name"] == "trail-coach" and recorded["sources"] == ["strava", "files"]
    assert recorded["timezone"] == "America/Toronto"
    assert files_in(project) == golden_files("aws")
    assert (project / ".git").is_dir()


def test_questions_are_asked_with_defaults(tmp_path: Path) -> None:
    project = tmp_path / "Sleepy Coach"
    # name, domain, sources, chat, cloud, time zone: Enter takes the default
    code, out = invoke("new", str(project), input="\n\nstrava\n\nazure\nEurope/Berlin\n")
    assert code == 0, out
    assert "Project name [sleepy-coach]" in out and "Cloud (local, aws, azure" in out
    recorded = answers(project)
    assert recorded["name"] == "sleepy-coach" and recorded["cloud"] == "azure"
    assert recorded["sources"] == ["strava"] and recorded["chat"] == "console"


def test_a_choice_not_offered_is_asked_again(tmp_path: Path) -> None:
    project = tmp_path / "c"
    code, out = invoke("new", str(project), input="c-coach\n\n\n\nmars\nlocal\nUTC\n")
    assert code == 0, out
    assert "'mars' is not available; choose one of: local" in out
    assert answers(project)["cloud"] == "local"


@pytest.mark.parametrize(
    ("flag", "value", "kind"),
    [
        ("--cloud", "digitalocean", "cloud"),
        ("--chat", "discord", "chat"),
        ("--source", "whoop", "source"),
        ("--domain", "knitting", "domain"),
    ],
)
def test_a_choice_not_built_is_refused_listing_what_is(
    tmp_path: Path, flag: str, value: str, kind: str
) -> None:
    catalogue = load_catalogue()
    offered = getattr(catalogue, {"cloud": "clouds", "chat": "chats"}.get(kind, kind + "s"))
    if value in offered:
        pytest.skip(f"{value} has been built since; nothing to refuse")
    code, out = invoke("new", str(tmp_path / "p"), flag, value, "--defaults")
    assert code == 1
    assert f"error: {flag}: {value!r} is not available yet; available: {', '.join(offered)}" in out
    assert not (tmp_path / "p").exists()


def test_an_invalid_name_is_refused_with_the_rule(tmp_path: Path) -> None:
    code, out = invoke("new", str(tmp_path / "p"), "--name", "My_Coach", "--defaults")
    assert code == 1
    assert "'My_Coach' is not a valid name: 2-40 characters: lowercase letters" in out
    assert not (tmp_path / "p").exists()


def test_a_bad_time_zone_is_refused(tmp_path: Path) -> None:
    code, out = invoke("new", str(tmp_path / "p"), "--timezone", "Mars/Olympus", "--defaults")
    assert code == 1 and "'Mars/Olympus' is not an IANA time zone" in out
    assert not (tmp_path / "p").exists()


def test_a_non_empty_folder_is_refused_unless_forced(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    code, out = invoke("new", str(project), "--defaults")
    assert code == 1 and "exists and is not empty; choose a new folder or pass --force" in out
    assert [p.name for p in project.iterdir()] == ["notes.txt"]

    code, out = invoke("new", str(project), "--defaults", "--force")
    assert code == 0, out
    assert (project / "notes.txt").read_text() == "mine"
    assert files_in(project) == golden_files("local") | {"notes.txt"}


def test_a_failing_template_leaves_no_partial_files(tmp_path: Path, templates_copy: Path) -> None:
    broken = templates_copy / "coach" / "project" / "zz_broken.txt.jinja"
    broken.write_text("{{ name | no_such_filter }}\n")
    project = tmp_path / "new" / "deeper" / "p"
    with pytest.raises(MomentumError, match="could not render the coach template"):
        new_coach(project, CoachChoices(name="p-coach"))
    assert not (tmp_path / "new").exists()  # nor the folders made for it
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".momentum-new-")] == []


def test_help_lists_every_flag() -> None:
    code, out = invoke("new", "--help")
    assert code == 0
    for flag in (
        "--cloud",
        "--chat",
        "--source",
        "--domain",
        "--name",
        "--defaults",
        "--force",
        "--plugin",
    ):
        assert flag in out
    code, out = invoke("upgrade", "--help")
    assert code == 0 and "conflict" in out.lower()
