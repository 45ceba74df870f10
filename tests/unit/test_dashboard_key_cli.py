"""The dashboard's signing key on a local coach: ``momentum init`` makes one (owner-only,
never printed), keeps it on a re-run, and the coach reads it; ``--new-key`` prints one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.core.dashboard.links import signing_key
from momentum.core.dashboard.signing import KEY_SECRET, MIN_KEY_CHARS


def invoke(*args: str) -> Result:
    root._register_all()
    return CliRunner().invoke(root.cli, list(args))


def test_init_makes_a_private_key_once_and_the_coach_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_SECRET, raising=False)
    home = tmp_path / "coach"
    first = invoke("--home", str(home), "init", "--yes")
    assert first.exit_code == 0, first.output
    path = home / "secrets" / KEY_SECRET
    key = path.read_text(encoding="utf-8")
    assert len(key) >= MIN_KEY_CHARS and key not in first.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = invoke("--home", str(home), "init", "--yes", "--force")
    assert again.exit_code == 0 and path.read_text(encoding="utf-8") == key
    app = open_app(home)
    try:
        assert signing_key(app.settings) == key
    finally:
        close_app(app)


def test_new_key_prints_a_fresh_key_each_time() -> None:
    keys = {invoke("dashboard", "--new-key").output.strip() for _ in range(3)}
    assert len(keys) == 3 and all(len(k) >= MIN_KEY_CHARS for k in keys)
