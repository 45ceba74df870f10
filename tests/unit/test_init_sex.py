"""`momentum init --sex`: the optional question for the heart-rate load's weighting."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer._click import termui  # where typer.prompt reads a line (CliRunner patches it too)
from typer.testing import CliRunner, Result

from momentum.adapters.local.commands import init_cmds
from tests.unit.test_local_init import make_cli, stored


def init(home: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(make_cli(), ["--home", str(home), "init", *args], input=input)


@pytest.fixture(autouse=True)
def _machine_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Toronto")
    monkeypatch.delenv("MOMENTUM_HOME", raising=False)


@pytest.mark.parametrize(("flag", "value"), [("female", "female"), ("M", "male"), ("skip", None)])
def test_sex_flag(tmp_path: Path, flag: str, value: str | None) -> None:
    result = init(tmp_path, "--yes", "--sex", flag)
    assert result.exit_code == 0, result.output
    assert stored(tmp_path).sex == value


def test_yes_skips_the_question(tmp_path: Path) -> None:
    result = init(tmp_path, "--yes")
    assert result.exit_code == 0, result.output
    assert stored(tmp_path).sex is None
    assert "men's TRIMP weighting" in result.stdout  # the summary says what is used


def test_bad_sex_fails_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = init(home, "--yes", "--sex", "robot")
    assert result.exit_code == 1
    assert result.stderr == "error: sex must be female, male or skip (got 'robot')\n"
    assert not home.exists()


def test_the_question_is_asked_last_and_re_asked_on_a_bad_answer(tmp_path: Path) -> None:
    flags = ["--name", "Mia", "--timezone", "UTC", "--goal-race", ""]
    defaults = "\n" * 11  # max/rest/threshold HR, days, long run, …, minutes run now
    result = init(tmp_path, *flags, input=defaults + "robot\nfemale\n")
    assert result.exit_code == 0, result.output
    assert f"{init_cmds.SEX_PROMPT} [skip]:" in result.output
    assert "sex must be female, male or skip (got 'robot')" in result.output
    assert stored(tmp_path).sex == "female"


def test_enter_or_the_end_of_piped_input_keeps_skip(tmp_path: Path) -> None:
    flags = ["--name", "Mia", "--timezone", "UTC", "--goal-race", ""]
    assert init(tmp_path / "a", *flags, input="\n" * 12).exit_code == 0
    assert stored(tmp_path / "a").sex is None
    # Input scripted before the question existed runs out just before it.
    ended = init(tmp_path / "b", *flags, input="\n" * 11)
    assert ended.exit_code == 0, ended.output
    assert stored(tmp_path / "b").sex is None


def test_force_keeps_the_stored_answer_as_the_default(tmp_path: Path) -> None:
    assert init(tmp_path, "--yes", "--sex", "female").exit_code == 0
    again = init(tmp_path, "--yes", "--force", "--weekly-minutes", "400")
    assert again.exit_code == 0, again.output
    assert stored(tmp_path).sex == "female"
    cleared = init(tmp_path, "--yes", "--force", "--sex", "skip")
    assert cleared.exit_code == 0 and stored(tmp_path).sex is None


def test_ctrl_c_at_the_question_still_cancels(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(prompt: str) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(termui, "visible_prompt_func", interrupted)
    with pytest.raises(typer.Abort):
        init_cmds._sex_answer(None, None, interactive=True)

    def ended(prompt: str) -> str:
        raise EOFError

    monkeypatch.setattr(termui, "visible_prompt_func", ended)
    assert init_cmds._sex_answer(None, "female", interactive=True) == "female"
