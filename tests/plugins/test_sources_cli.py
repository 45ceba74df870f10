"""``momentum oura`` and ``momentum peloton`` are on the real CLI, with help for each command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MOMENTUM = Path(sys.executable).with_name("momentum")


@pytest.mark.parametrize(
    ("group", "commands"),
    [
        ("oura", ("connect", "backfill", "sync", "subscribe", "status")),
        ("peloton", ("connect", "disconnect", "sync", "status")),
    ],
)
def test_each_source_has_its_commands(group: str, commands: tuple[str, ...]) -> None:
    if not MOMENTUM.exists():
        pytest.skip(f"the momentum console script is not installed next to {sys.executable}")
    result = subprocess.run(
        [str(MOMENTUM), group, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"COLUMNS": "160"},
    )
    assert result.returncode == 0, result.stderr
    for command in commands:
        assert command in result.stdout
