"""``momentum strava connect``'s OAuth flow against the fake Strava: a "browser" opens the
authorization URL stravalib built, the fake redirects to the local listener on
127.0.0.1, and the code is exchanged and stored as a versioned token."""

from __future__ import annotations

import threading
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from momentum.core.errors import InputError
from momentum.plugins.strava.oauth import connect
from momentum.plugins.strava.settings import strava_settings
from tests.fakes.fake_strava import OWNER_ID, FakeStrava, build_strava_app, connect_athlete

pytestmark = pytest.mark.integration


@pytest.fixture
def fake(tmp_path, clock, monkeypatch):
    with FakeStrava(tmp_path, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        server.add_athlete(OWNER_ID)
        yield server


@pytest.fixture
def app(fake, clock, athlete, tmp_path):
    return build_strava_app(fake, clock, [athlete], tmp_path)


def run_connect(app, fake, athlete_id="adam", *, tamper_state=False):
    """Run ``connect`` while a thread plays the athlete's browser."""
    announced: list[str] = []
    ready = threading.Event()
    pages: list[requests.Response] = []

    def announce(text: str) -> None:
        announced.append(text.split()[-1])
        ready.set()

    def browser() -> None:
        assert ready.wait(10)
        url = announced[0]
        if tamper_state:
            # an attacker's redirect: a code, but not our state
            query = parse_qs(urlsplit(url).query)
            redirect = query["redirect_uri"][0]
            with urllib.request.urlopen(f"{redirect}?state=evil&code=x&scope=read") as page:
                page.read()
            return
        pages.append(requests.get(url, verify=str(fake.cert_path), timeout=10))

    thread = threading.Thread(target=browser, daemon=True)
    thread.start()
    try:
        return connect(app, athlete_id, port=0, open_browser=False, timeout=10, announce=announce)
    finally:
        thread.join(10)
        assert all(p.status_code == 200 for p in pages)


def test_connect_stores_the_granted_tokens(app, fake):
    token = run_connect(app, fake)
    stored = app.storage.get_token("adam", "strava")
    assert stored == token
    assert stored.version == 1
    assert stored.provider_athlete_id == str(OWNER_ID)
    assert stored.scope == "read,activity:read_all"
    assert stored.refresh_token == fake.current_refresh_token(OWNER_ID)
    assert fake.accepts(stored.access_token)


def test_reconnecting_replaces_the_tokens_with_a_new_version(app, fake):
    first = run_connect(app, fake)
    second = run_connect(app, fake)
    assert second.version == first.version + 1
    assert second.refresh_token != first.refresh_token


def test_declining_on_strava_stores_nothing(app, fake):
    fake.deny = True
    with pytest.raises(InputError, match="not granted"):
        run_connect(app, fake)
    assert app.storage.get_token("adam", "strava") is None


def test_unticking_activity_access_is_refused(app, fake):
    fake.grant_scope = "read"
    with pytest.raises(InputError, match="activity access"):
        run_connect(app, fake)
    assert app.storage.get_token("adam", "strava") is None


def test_a_redirect_with_someone_elses_state_is_refused(app, fake):
    with pytest.raises(InputError, match="state"):
        run_connect(app, fake, tamper_state=True)
    assert app.storage.get_token("adam", "strava") is None


def test_one_strava_athlete_cannot_be_two_momentum_athletes(app, fake, athlete):
    import dataclasses

    app.storage.put_athlete(dataclasses.replace(athlete, athlete_id="malcolm"))
    connect_athlete(app, fake, "malcolm", OWNER_ID)
    with pytest.raises(InputError, match="already connected"):
        run_connect(app, fake, "adam")


def test_unknown_athletes_and_missing_credentials_fail_clearly(app):
    import dataclasses

    from momentum.core.errors import ConfigError

    with pytest.raises(InputError, match="no athlete"):
        connect(app, "nobody", port=0, open_browser=False, timeout=1)
    app.settings = app.settings.with_section(
        "strava", dataclasses.replace(strava_settings(app.settings), client_id="")
    )
    with pytest.raises(ConfigError, match="STRAVA_CLIENT_ID"):
        connect(app, "adam", port=0, open_browser=False, timeout=1)
