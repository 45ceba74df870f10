"""Fixtures the integration tests share: the Slack and Strava fakes on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.core.ports.clock import FixedClock


@pytest.fixture
def fake_slack() -> Iterator[Any]:
    """The Slack Web API fake (real slack_sdk clients talk to it)."""
    fakes = pytest.importorskip("tests.fakes.fake_slack", reason="the Slack fake is not here")
    with fakes.FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake_strava(tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The Strava API fake over TLS, on the test's clock (its CA trusted by requests)."""
    fakes = pytest.importorskip("tests.fakes.fake_strava", reason="the Strava fake is not here")
    folder = tmp_path / "strava"
    folder.mkdir()
    with fakes.FakeStrava(folder, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        yield server
