"""The Secrets port's contract, on every implementation (tests/contract/ports.py)."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.core.errors import ConfigError

VALUES = {"GROQ_API_KEY": "gsk_secret_value_1", "SLACK_BOT_TOKEN": "xoxb-not-logged"}


def test_named_secrets_are_read_and_unset_ones_are_none(secrets_backend: Any) -> None:
    with secrets_backend(VALUES) as secrets:
        assert secrets.get("GROQ_API_KEY") == "gsk_secret_value_1"
        assert secrets.require("SLACK_BOT_TOKEN") == "xoxb-not-logged"
        assert secrets.get("STRAVA_CLIENT_SECRET") is None


def test_a_missing_required_secret_names_it_never_a_value(secrets_backend: Any) -> None:
    with secrets_backend(VALUES) as secrets:
        with pytest.raises(ConfigError, match="STRAVA_CLIENT_SECRET") as raised:
            secrets.require("STRAVA_CLIENT_SECRET")
        assert all(value not in str(raised.value) for value in VALUES.values())
        assert all(value not in repr(secrets) for value in VALUES.values())
