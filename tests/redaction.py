"""A pytest plugin: no configured secret ever shows in a log record or in CLI output.

The fakes configure known secret values (Slack's signing secret and tokens, Strava's
client secret and verify token, Groq's key, and the access/refresh tokens the fake Strava
issues). Across the whole test suite this plugin greps, for every one of them:

- every log record any logger emits (message and formatted traceback), through a handler
  on the root logger and on ``momentum`` (which ``serve`` stops propagating);
- the output of every CLI run through typer's ``CliRunner`` and of every ``momentum``
  subprocess run with captured output;
- what each test printed (pytest's captured stdout, stderr and log).

A test that shows one fails, naming the secret's owner (never the value) and where it was
seen. A test that must handle a secret in its own output (a fake echoing a token it was
sent) opts out with ``@pytest.mark.shows_secrets``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes import fake_groq, fake_slack, fake_strava

KNOWN_SECRETS: dict[str, str] = {
    "Slack signing secret": fake_slack.SIGNING_SECRET,
    "Slack bot token": fake_slack.BOT_TOKEN,
    "Slack app token": fake_slack.APP_TOKEN,
    "Strava client secret": fake_strava.CLIENT_SECRET,
    "Strava verify token": fake_strava.VERIFY_TOKEN,
    "Groq API key": fake_groq.API_KEY,
}
"""The fake secret values the test suite configures (name → value)."""

ISSUED_TOKEN = re.compile(r"\b(?:acc|ref)-[0-9a-f]{16}\b")
"""Access and refresh tokens the fake Strava issues."""

MARKER = "shows_secrets"


def secrets_in(text: str) -> list[str]:
    """The names of the configured secrets that appear in ``text``."""
    if not text:
        return []
    found = [name for name, value in KNOWN_SECRETS.items() if value and value in text]
    if ISSUED_TOKEN.search(text):
        found.append("a Strava OAuth token")
    return found


class _Leaks:
    """Where secrets were seen during the current test."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def check(self, text: str, where: str) -> None:
        for name in secrets_in(text):
            self.seen.append(f"{name} in {where}")


LEAKS = _Leaks()


class SecretGrepHandler(logging.Handler):
    """Greps every record it is handed for the configured secrets."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is not this handler's problem
            text = str(record.msg)
        if record.exc_info:
            text += "\n" + self._formatter.formatException(record.exc_info)
        LEAKS.check(text, f"a log record of {record.name!r} ({record.levelname})")


HANDLER = SecretGrepHandler()


def _attach() -> None:
    for name in ("", "momentum"):
        logger = logging.getLogger(name)
        if HANDLER not in logger.handlers:
            logger.addHandler(HANDLER)


def _watch_cli_runner() -> None:
    from click.testing import CliRunner

    original = CliRunner.invoke
    if getattr(original, "_greps_secrets", False):
        return

    def invoke(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        LEAKS.check(result.output, "CLI output")
        with contextlib.suppress(ValueError):  # stderr not captured separately
            LEAKS.check(result.stderr, "CLI error output")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            LEAKS.check(repr(result.exception), "a CLI exception")
        return result

    invoke._greps_secrets = True  # type: ignore[attr-defined]
    CliRunner.invoke = invoke  # type: ignore[method-assign]


def _watch_subprocess() -> None:
    original = subprocess.run
    if getattr(original, "_greps_secrets", False):
        return

    def run(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        argv = args[0] if args else kwargs.get("args", "")
        if "momentum" in " ".join(map(str, argv)) if isinstance(argv, list) else str(argv):
            for stream in ("stdout", "stderr"):
                value = getattr(result, stream, None)
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace")
                if isinstance(value, str):
                    LEAKS.check(value, f"the {stream} of a momentum process")
        return result

    run._greps_secrets = True  # type: ignore[attr-defined]
    subprocess.run = run  # type: ignore[assignment]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}: the test's own output may contain a fake secret (not grepped)"
    )
    _attach()
    _watch_cli_runner()
    _watch_subprocess()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    _attach()  # ``serve`` replaces the momentum logger's handlers
    LEAKS.seen.clear()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if item.get_closest_marker(MARKER) is not None:
        LEAKS.seen.clear()
        return
    for title, content in report.sections:
        LEAKS.check(content, title.lower())
    if LEAKS.seen and report.outcome != "failed":
        seen = sorted(set(LEAKS.seen))
        LEAKS.seen.clear()
        report.outcome = "failed"
        report.longrepr = "a configured secret leaked: " + "; ".join(seen)
