"""`momentum demo`'s choice of home: the global --home when given, else a fresh temp dir."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from momentum.adapters.local.cli import DEFAULT_HOME
from momentum.adapters.local.commands.demo_cmds import demo_home, register


def probe_cli() -> typer.Typer:
    """A root like the real one (``--home`` / MOMENTUM_HOME) with a command that reports
    what ``demo_home`` picks."""
    app = typer.Typer()

    @app.callback()
    def root(
        ctx: typer.Context,
        home: Path = typer.Option(None, "--home", envvar="MOMENTUM_HOME"),
    ) -> None:
        ctx.obj = {"home": (home or DEFAULT_HOME).expanduser()}

    @app.command()
    def where(ctx: typer.Context, here: Path = typer.Option(None, "--home")) -> None:
        home, chosen = demo_home(ctx, here)
        typer.echo(f"{home}|{chosen}")

    return app


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[Path, bool]:
    """Invoke the probe; the home and whether the user chose it."""
    result = CliRunner().invoke(probe_cli(), args, env=env)
    assert result.exit_code == 0, result.output
    home, chosen = result.output.strip().rsplit("|", 1)
    return Path(home), chosen == "True"


def test_given_home_is_used(tmp_path: Path) -> None:
    """``--home DIR`` is where the demo coach lives."""
    assert run(["--home", str(tmp_path), "where"]) == (tmp_path, True)


def test_home_after_the_command_is_used_too(tmp_path: Path) -> None:
    """``momentum demo --home DIR`` works as well as ``momentum --home DIR demo``, and wins
    over MOMENTUM_HOME."""
    assert run(["where", "--home", str(tmp_path)]) == (tmp_path, True)
    other = tmp_path / "env"
    assert run(["where", "--home", str(tmp_path)], env={"MOMENTUM_HOME": str(other)}) == (
        tmp_path,
        True,
    )


def test_momentum_home_env_counts_as_given(tmp_path: Path) -> None:
    """MOMENTUM_HOME is the same choice as --home."""
    assert run(["where"], env={"MOMENTUM_HOME": str(tmp_path)}) == (tmp_path, True)


def test_no_home_means_a_fresh_temp_dir_never_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a choice the demo never touches ~/.momentum: a new temp folder each time."""
    monkeypatch.delenv("MOMENTUM_HOME", raising=False)
    first, chosen = run(["where"])
    second, _ = run(["where"])
    try:
        assert not chosen
        assert first != DEFAULT_HOME.expanduser()
        assert first.is_dir() and first.name.startswith("momentum-demo-")
        assert first != second
    finally:
        shutil.rmtree(first, ignore_errors=True)
        shutil.rmtree(second, ignore_errors=True)


def test_register_adds_the_demo_command() -> None:
    """``register`` adds ``demo`` with its help."""
    app = typer.Typer()
    register(app)

    @app.command()
    def other() -> None:
        """Keeps typer in multi-command mode."""

    result = CliRunner().invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    assert "Simulate fourteen weeks of a runner" in result.output
    assert "--seed" in result.output
