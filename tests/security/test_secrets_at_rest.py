"""Secrets at rest and in output: a private coach home, and no secret in any message.

The suite-wide guard (``tests/redaction.py``) greps every test's logs and CLI output for
the fakes' secrets; these tests drive the paths that used to leak and check the guard
itself catches a leak.
"""

from __future__ import annotations

import logging
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from momentum.adapters.local.bootstrap import close_app, open_app
from tests.fakes.fake_strava import CLIENT_ID, CLIENT_SECRET, VERIFY_TOKEN
from tests.redaction import HANDLER, LEAKS, secrets_in

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def momentum(home: Path, *args: str, env: dict[str, str] | None = None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=120,
    )


def test_a_new_home_is_private(tmp_path):
    home = tmp_path / "coach"
    app = open_app(home)
    close_app(app)
    assert mode(home) == 0o700
    assert mode(home / "momentum.db") == 0o600
    for side in home.glob("momentum.db-*"):
        assert mode(side) & 0o077 == 0, side


def test_an_existing_lax_home_is_tightened_with_a_warning(tmp_path, caplog):
    home = tmp_path / "coach"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "momentum.toml").write_text('athlete_id = "adam"\n', encoding="utf-8")
    (home / "momentum.toml").chmod(0o644)
    close_app(open_app(home))
    (home / "momentum.db").chmod(0o644)
    with caplog.at_level(logging.WARNING, "momentum"):
        close_app(open_app(home))
    assert mode(home) == 0o700
    assert mode(home / "momentum.toml") == 0o600
    assert mode(home / "momentum.db") == 0o600
    assert "momentum.db was readable by other users (mode 644); changed it to 600" in caplog.text


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_strava_subscriptions_with_strava_unreachable_prints_no_secret(tmp_path):
    """It used to print a traceback whose URL carried the client secret."""
    home = tmp_path / "coach"
    close_app(open_app(home))
    (home / "momentum.toml").write_text(
        f'[strava]\nclient_id = "{CLIENT_ID}"\nbase_url = "https://127.0.0.1:{closed_port()}"\n'
        f'verify_token = "{VERIFY_TOKEN}"\n',
        encoding="utf-8",
    )
    result = momentum(home, "strava", "subscriptions", env={"STRAVA_CLIENT_SECRET": CLIENT_SECRET})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("error: could not reach Strava: ")
    assert "Traceback" not in result.stderr
    assert CLIENT_SECRET not in result.stdout + result.stderr
    assert "client_secret=***" in result.stderr


def test_the_guard_sees_a_secret_in_a_log_record_and_in_cli_output():
    assert secrets_in(f"token={CLIENT_SECRET}") == ["Strava client secret"]
    assert secrets_in("Bearer acc-0123456789abcdef") == ["a Strava OAuth token"]
    assert secrets_in("nothing to see") == []
    assert HANDLER in logging.getLogger("momentum").handlers
    record = logging.LogRecord(
        "momentum.x", logging.INFO, __file__, 1, "v=%s", (VERIFY_TOKEN,), None
    )
    HANDLER.handle(record)
    assert LEAKS.seen == ["Strava verify token in a log record of 'momentum.x' (INFO)"]
    LEAKS.seen.clear()  # this test leaked on purpose


@pytest.mark.shows_secrets
def test_the_marker_lets_a_test_show_a_fake_secret():
    logging.getLogger("momentum.test").warning("the fake echoed %s", CLIENT_SECRET)
