"""A third-party plugin tested the way its author would: only ``momentum`` and
``momentum.testing``. One plugin object exercises every kind of hook end to end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from momentum import (
    Activity,
    ConfigError,
    DeferredJob,
    HttpResponse,
    RecurringJob,
    Secret,
    hookimpl,
)
from momentum.testing import PluginHarness


@dataclass(frozen=True)
class GreeterSettings:
    """The plugin's ``[greeter]`` section."""

    ENV: ClassVar[dict[str, str]] = {"token": "GREETER_TOKEN"}
    greeting: str = "Good morning"
    hour: int = 7
    token: Secret = field(default_factory=lambda: Secret(""))


def greet(app: Any, athlete_id: str, local_date: dt.date) -> None:
    settings = app.settings.section("greeter", GreeterSettings)
    athlete = app.storage.get_athlete(athlete_id)
    app.chat.direct_message(athlete.chat_user_id, f"{settings.greeting}, {athlete.name}")


class Pinger:
    """A webhook source: ``/ping`` acks at once and defers the slow half."""

    name = "pinger"
    description = "pings become activities"
    webhook_path = "/ping"

    def handle_webhook(self, app: Any, request: Any) -> HttpResponse:
        app.scheduler.defer(DeferredJob("ping.store", {"body": request.body.decode()}, "k"))
        return HttpResponse.text(202, "queued")


def store_ping(app: Any, job: DeferredJob) -> None:
    start = app.clock.now()
    app.storage.put_activity(
        Activity(
            athlete_id="ada",
            activity_id=f"ping-{job.payload['body']}",
            source="pinger",
            activity_type="run",
            start=start,
            distance_meters=2000.0,
            moving_time_seconds=600.0,
        )
    )


class Greeter:
    """Every hook a small plugin might implement."""

    @hookimpl
    def momentum_settings(self) -> dict[str, type[Any]]:
        return {"greeter": GreeterSettings}

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        return [RecurringJob("greet", hour=7, run=greet)]

    @hookimpl
    def momentum_data_sources(self) -> list[Any]:
        return [Pinger()]

    @hookimpl
    def momentum_deferred_handlers(self) -> dict[str, Any]:
        return {"ping.store": store_ping}


class Broken:
    """A plugin whose hook raises."""

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        raise RuntimeError("boom")


def test_a_plugin_job_runs_for_an_athlete_and_date() -> None:
    harness = PluginHarness(Greeter(), settings={"greeter": {"greeting": "Hi"}})
    harness.add_athlete("ada")
    harness.run_job("greet", "ada", "2026-03-03")
    assert harness.dms("ada") == ["Hi, Ada"]


def test_the_tick_fires_a_plugin_job_once_per_local_day() -> None:
    harness = PluginHarness(Greeter(), now="2026-03-03T11:55:00+00:00")  # 06:55 Toronto
    harness.add_athlete("ada")
    assert harness.tick() == []
    harness.advance(minutes=10)  # 07:05 Toronto
    assert harness.tick() == ["greet:ada:2026-03-03"]
    assert harness.tick() == []  # a second tick the same day fires nothing
    assert harness.dms("ada") == ["Good morning, Ada"]


class NightOwlGreeter:
    """A job for some athletes only: those whose profile says they opted in."""

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        def opted_in(profile: Any) -> bool:
            return bool(profile.domain_profiles.get("greeter", {}).get("on"))

        return [RecurringJob("greet", hour=7, run=greet, applies=opted_in)]


def test_the_tick_runs_a_job_only_for_the_athletes_it_applies_to() -> None:
    harness = PluginHarness(NightOwlGreeter(), now="2026-03-03T12:05:00+00:00")  # 07:05 Toronto
    harness.add_athlete("ada", domain_profiles={"greeter": {"on": True}})
    harness.add_athlete("bob", chat_user_id="U_BOB")
    assert harness.tick() == ["greet:ada:2026-03-03"]
    assert harness.dms("ada") == ["Good morning, Ada"]
    assert harness.dms("bob") == []


def test_a_webhook_is_acked_then_its_deferred_work_runs() -> None:
    harness = PluginHarness(Greeter())
    harness.add_athlete("ada")
    response = harness.webhook("/ping", "42", run_deferred=False)
    assert response.status == 202 and harness.pending == ["ping.store"]
    assert harness.activities("ada") == []
    assert harness.run_deferred() == 1
    assert [a.activity_id for a in harness.activities("ada")] == ["ping-42"]


def test_an_unknown_route_is_a_404() -> None:
    assert PluginHarness(Greeter()).webhook("/nope").status == 404


def test_settings_come_from_the_section_env_and_secrets() -> None:
    harness = PluginHarness(
        Greeter(),
        settings={"greeter": {"hour": 8}},
        env={"MOMENTUM_GREETER_GREETING": "Salut"},
        secrets={"GREETER_TOKEN": "t0k3n-value"},
    )
    settings = harness.app.settings.section("greeter", GreeterSettings)
    assert (settings.hour, settings.greeting) == (8, "Salut")
    assert settings.token.reveal() == "t0k3n-value" and "t0k3n" not in repr(settings)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"hour": "seven"}, r"\[greeter\] hour: expected int, got 'seven'"),
        ({"hours": 7}, r"\[greeter\] unknown key 'hours' \(known: greeting, hour, token\)"),
    ],
)
def test_wrong_settings_are_refused_by_key(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        PluginHarness(Greeter(), settings={"greeter": table})


def test_a_section_no_plugin_claims_is_reported() -> None:
    with pytest.raises(ConfigError, match=r"unknown section \[greter\]"):
        PluginHarness(Greeter(), settings={"greter": {}})


def test_a_plugin_whose_hook_raises_is_disabled_and_the_others_keep_running(
    caplog: pytest.LogCaptureFixture,
) -> None:
    harness = PluginHarness(Broken(), Greeter())
    harness.add_athlete("ada")
    harness.run_job("greet", "ada")
    assert harness.dms("ada") == ["Good morning, Ada"]
    assert harness.failed_plugins == {"Broken": "momentum_scheduled_jobs: RuntimeError: boom"}
    assert [r.getMessage() for r in caplog.records if "Broken" in r.getMessage()] == [
        "plugin 'Broken' disabled: momentum_scheduled_jobs raised RuntimeError: boom"
    ]  # logged once, though the jobs were asked for several times
    assert "Broken" not in {p.name for p in harness.plugins.plugins()}


def test_a_webhook_may_be_given_as_a_request() -> None:
    from momentum import HttpRequest

    harness = PluginHarness(Greeter())
    harness.add_athlete("ada")
    assert harness.webhook(HttpRequest("POST", "/ping", body=b"7")).status == 202
    assert [a.activity_id for a in harness.activities("ada")] == ["ping-7"]
