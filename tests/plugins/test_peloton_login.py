"""Peloton's sign-in against the fake Peloton on loopback, through the real httpx client:
the password grant, the refresh-token fallback, what a refused sign-in says, tokens kept
by core's token keeper, the password kept nowhere, and polling for connected athletes
only (``RecurringJob.applies`` on the profile the tick holds)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from momentum import InputError
from momentum.core.model.serde import to_json
from momentum.plugins.peloton import plugin as peloton_plugin
from momentum.plugins.peloton.client import BadCredentials, PelotonError, SignInRefused
from momentum.plugins.peloton.connect import disconnect, with_password, with_refresh_token
from momentum.plugins.peloton.connection import PASSWORD as BY_PASSWORD
from momentum.plugins.peloton.connection import WEB, is_connected, refused_at
from momentum.plugins.peloton.poll import poll
from momentum.plugins.peloton.tokens import PROVIDER
from momentum.testing import PluginHarness
from tests.fakes.fake_peloton import (
    APP_CLIENT_ID,
    EMAIL,
    PASSWORD,
    USER_ID,
    USERNAME,
    WEB_CLIENT_ID,
    FakePeloton,
    session,
)

pytestmark = pytest.mark.peloton

NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)  # 07:00 in Toronto
MOMENTUM = Path(sys.executable).with_name("momentum")


@pytest.fixture
def fake() -> Iterator[FakePeloton]:
    with FakePeloton() as server:
        yield server


def _harness(fake: FakePeloton, *, builtins: bool = False, **peloton: str) -> PluginHarness:
    harness = PluginHarness(
        peloton_plugin,
        builtins=builtins,
        now=NOW,
        settings={"peloton": {**fake.settings(), **peloton}},
    )
    harness.add_athlete("ada")
    return harness


@pytest.fixture
def harness(fake: FakePeloton) -> PluginHarness:
    return _harness(fake)


def _expire(harness: PluginHarness) -> None:
    token = harness.storage.get_token("ada", PROVIDER)
    assert token is not None
    harness.storage.put_token(
        dataclasses.replace(token, expires_at=NOW), expected_version=token.version
    )


def _tread(fake: FakePeloton, workout_id: str = "w-tread") -> None:
    workout, samples = session(
        workout_id, "running", NOW - dt.timedelta(hours=2), 30, {"speed": 6.0, "incline": 1.0}
    )
    fake.add(workout, samples)


@pytest.mark.parametrize("login", [EMAIL, USERNAME])
def test_a_password_sign_in_keeps_tokens_member_and_profile_mark(
    fake: FakePeloton, harness: PluginHarness, login: str
) -> None:
    token = with_password(harness.app, "ada", login, PASSWORD)
    assert fake.logins == 1 and fake.requests[:2] == ["POST /oauth/token", "GET /api/me"]
    stored = harness.storage.get_token("ada", PROVIDER)
    assert stored == token and token.provider_athlete_id == USER_ID
    assert token.scope == "openid offline_access"
    assert token.expires_at == NOW + dt.timedelta(seconds=172800)
    assert fake._refresh[token.refresh_token] == APP_CLIENT_ID
    assert harness.storage.find_identity(PROVIDER, USER_ID) == "ada"
    profile = harness.storage.get_athlete("ada")
    assert profile is not None and is_connected(profile)
    assert profile.domain_profiles["peloton"] == {
        "connected": True,
        "member_id": USER_ID,
        "sign_in": BY_PASSWORD,
    }


def test_the_password_is_kept_nowhere_and_never_logged(
    fake: FakePeloton, harness: PluginHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with_password(harness.app, "ada", EMAIL, PASSWORD)
    with pytest.raises(BadCredentials) as refused:
        with_password(harness.app, "ada", EMAIL, PASSWORD + "!")
    token = harness.storage.get_token("ada", PROVIDER)
    profile = harness.storage.get_athlete("ada")
    assert token is not None and profile is not None
    kept = to_json(token) + to_json(profile)
    assert PASSWORD not in kept and PASSWORD not in caplog.text
    assert PASSWORD not in str(refused.value)
    assert token.access_token not in caplog.text and token.refresh_token not in caplog.text


def test_a_wrong_password_says_so_and_stores_nothing(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    with pytest.raises(BadCredentials, match=r"refused the email or password.*Wrong email"):
        with_password(harness.app, "ada", EMAIL, "not it")
    assert harness.storage.get_token("ada", PROVIDER) is None
    profile = harness.storage.get_athlete("ada")
    assert profile is not None and not is_connected(profile)
    assert fake.requests == ["POST /oauth/token"]  # refused once, not retried


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("too_many_requests", r"limiting sign-ins \(429\).*try again in 30 s"),
        ("too_many_attempts", r"limiting sign-ins \(429\).*blocked sign-ins for this account"),
    ],
)
def test_429_on_sign_in_is_not_retried_and_says_what_to_do(
    fake: FakePeloton, harness: PluginHarness, error: str, expected: str
) -> None:
    fake.fail_sign_in(429, count=3, error=error, retry_after="30")
    with pytest.raises(SignInRefused, match=expected):
        with_password(harness.app, "ada", EMAIL, PASSWORD)
    assert fake.requests == ["POST /oauth/token"] and fake.logins == 0
    assert harness.storage.get_token("ada", PROVIDER) is None


def test_5xx_on_sign_in_is_retried_then_signs_in(fake: FakePeloton, harness: PluginHarness) -> None:
    fake.fail_sign_in(503, count=2, retry_after="0")
    token = with_password(harness.app, "ada", EMAIL, PASSWORD)
    assert token.provider_athlete_id == USER_ID
    assert fake.requests.count("POST /oauth/token") == 3 and fake.logins == 1


def test_a_sign_in_that_stays_down_says_unavailable(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    fake.fail_sign_in(502, count=5, retry_after="0")
    with pytest.raises(PelotonError, match=r"sign-in is unavailable \(502\); try again later"):
        with_password(harness.app, "ada", EMAIL, PASSWORD)
    assert harness.storage.get_token("ada", PROVIDER) is None


def test_the_web_client_refuses_passwords_and_the_message_says_what_to_do(
    fake: FakePeloton,
) -> None:
    harness = _harness(fake, client_id=WEB_CLIENT_ID)
    with pytest.raises(SignInRefused, match=r"does not accept this client id.*refresh token"):
        with_password(harness.app, "ada", EMAIL, PASSWORD)


def test_empty_input_and_an_unknown_athlete_are_refused_before_any_request(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    with pytest.raises(InputError, match="email or username is empty"):
        with_password(harness.app, "ada", "  ", PASSWORD)
    with pytest.raises(InputError, match="password is empty"):
        with_password(harness.app, "ada", EMAIL, "")
    with pytest.raises(InputError, match="no athlete 'zed'"):
        with_password(harness.app, "zed", EMAIL, PASSWORD)
    with pytest.raises(InputError, match="refresh token is empty"):
        with_refresh_token(harness.app, "ada", " ")
    assert fake.requests == []


def test_one_peloton_member_belongs_to_one_athlete(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    with_password(harness.app, "ada", EMAIL, PASSWORD)
    harness.add_athlete("bob")
    with pytest.raises(InputError, match=f"member {USER_ID} is already connected to 'ada'"):
        with_password(harness.app, "bob", EMAIL, PASSWORD)
    assert harness.storage.get_token("bob", PROVIDER) is None


def test_expired_tokens_are_refreshed_by_the_keeper_with_the_issuing_client(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    first = with_password(harness.app, "ada", EMAIL, PASSWORD)
    _expire(harness)
    _tread(fake)
    assert poll(harness.app, "ada", review=False).added == ["peloton-w-tread"]
    fresh = harness.storage.get_token("ada", PROVIDER)
    assert fresh is not None and fresh.version == first.version + 2 and fake.refreshes == 1
    assert fresh.refresh_token != first.refresh_token
    assert fake._refresh[fresh.refresh_token] == APP_CLIENT_ID  # the app client's


def test_a_pasted_web_refresh_token_is_the_fallback_and_refreshes_with_the_web_client(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    token = with_refresh_token(harness.app, "ada", fake.refresh_token(WEB_CLIENT_ID))
    profile = harness.storage.get_athlete("ada")
    assert profile is not None and profile.domain_profiles["peloton"]["sign_in"] == WEB
    assert fake._refresh[token.refresh_token] == WEB_CLIENT_ID
    _expire(harness)
    _tread(fake)
    assert poll(harness.app, "ada", review=False).added == ["peloton-w-tread"]
    assert fake.refreshes == 2  # the connect's exchange, then the keeper's


def test_a_revoked_refresh_token_asks_to_connect_again(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    token = with_password(harness.app, "ada", EMAIL, PASSWORD)
    fake._refresh.pop(token.refresh_token)  # revoked at Peloton
    _expire(harness)
    with pytest.raises(Exception, match="momentum peloton connect"):
        peloton_plugin.poll_job(harness.app, "ada", NOW.date())
    profile = harness.storage.get_athlete("ada")
    assert profile is not None and not is_connected(profile)  # the tick stops polling
    assert refused_at(profile) == NOW.isoformat(timespec="seconds")
    assert not [key for key in harness.tick(NOW) if key.startswith("peloton_poll")]


def test_an_access_token_peloton_stops_accepting_is_refreshed_once(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    token = with_password(harness.app, "ada", EMAIL, PASSWORD)
    fake._access.discard(token.access_token)  # expired early at Peloton
    _tread(fake)
    assert poll(harness.app, "ada", review=False).added == ["peloton-w-tread"]
    assert fake.refreshes == 1


def test_polling_runs_only_for_connected_athletes(fake: FakePeloton) -> None:
    harness = _harness(fake, builtins=True)
    harness.add_athlete("bob")  # same zone, never connected Peloton
    with_password(harness.app, "ada", EMAIL, PASSWORD)
    _tread(fake)
    fired = harness.tick(NOW)
    polls = [key for key in fired if key.startswith("peloton_poll")]
    assert polls == ["peloton_poll_07:ada:2026-03-03"]
    assert [a.activity_id for a in harness.activities("ada")] == ["peloton-w-tread"]
    assert harness.activities("bob") == []
    assert harness.storage.get_token("bob", PROVIDER) is None
    requests = len(fake.requests)
    harness.run_job("peloton_poll_07", "ada")  # a re-poll reads, and changes nothing
    assert [a.activity_id for a in harness.activities("ada")] == ["peloton-w-tread"]
    assert len(fake.requests) > requests


def test_disconnect_forgets_the_tokens_and_stops_polling(fake: FakePeloton) -> None:
    harness = _harness(fake, builtins=True)
    with_password(harness.app, "ada", EMAIL, PASSWORD)
    assert disconnect(harness.app, "ada") is True
    assert harness.storage.get_token("ada", PROVIDER) is None
    assert harness.storage.find_identity(PROVIDER, USER_ID) is None
    profile = harness.storage.get_athlete("ada")
    assert profile is not None and "peloton" not in profile.domain_profiles
    requests = len(fake.requests)
    assert [k for k in harness.tick(NOW) if k.startswith("peloton")] == []
    assert len(fake.requests) == requests
    assert disconnect(harness.app, "ada") is False  # twice is harmless


@pytest.mark.skipif(not MOMENTUM.exists(), reason="the momentum console script is not installed")
def test_the_connect_command_asks_for_the_password_hidden(
    fake: FakePeloton, tmp_path: Path
) -> None:
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.testing import sample_athlete

    home = tmp_path / "coach"
    home.mkdir()
    settings = fake.settings()
    (home / "momentum.toml").write_text(
        'athlete_id = "ada"\n\n[peloton]\n'
        + "".join(f'{key} = "{value}"\n' for key, value in settings.items()),
        encoding="utf-8",
    )
    app = open_app(home)
    try:
        app.storage.put_athlete(sample_athlete("ada"))
    finally:
        close_app(app)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PELOTON_")}
    env.update({"MOMENTUM_HOME": str(home), "COLUMNS": "120"})

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(MOMENTUM), "peloton", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )

    wrong = run("connect", "--email", EMAIL, stdin="nope\n")
    assert wrong.returncode != 0
    assert "refused the email or password" in wrong.stdout + wrong.stderr
    done = run("connect", stdin=f"{EMAIL}\n{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert f"Connected Peloton member {USER_ID} to ada" in done.stdout
    assert PASSWORD not in done.stdout + done.stderr  # the prompt hid it
    app = open_app(home)
    try:
        token = app.storage.get_token("ada", PROVIDER)
        assert token is not None and token.provider_athlete_id == USER_ID
        assert PASSWORD not in (home / "momentum.toml").read_text(encoding="utf-8")
    finally:
        close_app(app)
