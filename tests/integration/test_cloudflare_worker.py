"""The Worker's logic end to end on CPython, on real local D1, R2 and Queues
(``wrangler dev --local`` through the test-only bridge): the handlers the ``Default``
entry point calls, fed the parts a Workers request, cron event and queue message carry.

Stand-ins: wrangler's local D1/R2/Queue; the Slack fake (real slack_sdk/slack_bolt talking
to it); a scripted model. Not here: the Pyodide side (``entry.py``), since Python Workers
cannot start offline.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.cloudflare import handlers
from momentum.adapters.cloudflare.bootstrap import Ports, build_cloudflare_app, env_strings
from momentum.core.app import App
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.ports.storage import ConflictError

pytestmark = [pytest.mark.integration, pytest.mark.cloudflare]

WORDS = "Easy does it today: thirty minutes, conversational."
USER = "U123ADAM"
WORKER = "https://momentum.example.workers.dev"


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def local() -> Iterator[Any]:
    with wrangler_stack() as stack:
        yield stack


@contextmanager
def wrangler_stack() -> Iterator[Any]:
    """The shared wrangler bridge with D1, R2 and the queue emptied, or a skip saying why."""
    try:
        from momentum.adapters.cloudflare.testing import (
            empty_d1,
            empty_r2,
            received,
            shared_wrangler,
        )

        stack = shared_wrangler()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"wrangler's local D1/R2/Queues unavailable: {error}")
    empty_d1(stack)
    empty_r2(stack)
    received(stack, settle=1.0)
    yield stack


def ports(local: Any) -> Ports:
    from momentum.adapters.cloudflare.d1_storage import D1Storage
    from momentum.adapters.cloudflare.r2_blob import R2Blob
    from momentum.adapters.cloudflare.testing import BridgeBucket, BridgeProducer

    return Ports(D1Storage(local.runner()), R2Blob(BridgeBucket(local)), BridgeProducer(local))


def deploy(
    local: Any,
    home: Path,
    variables: dict[str, str],
    clock: FixedClock,
    athlete: AthleteProfile,
    chat: Any = None,
    toml: str = "",
) -> App:
    (home / "momentum.toml").write_text(toml, encoding="utf-8")
    app = build_cloudflare_app(
        {"MOMENTUM_HOME": str(home), **variables},
        ports(local),
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    app.storage.put_athlete(athlete)
    return app


def consume(local: Any, app: App) -> list[Any]:
    """The queue consumer: every message handed to it so far, through the handler."""
    from momentum.adapters.cloudflare.testing import received

    return [handlers.queue_message(app, m.id, m.body) for m in received(local)]


def slack_app(
    local: Any,
    fake_slack: Any,
    home: Path,
    clock: FixedClock,
    athlete: Any,
    fetch: Any = None,
) -> App:
    """The coach with Slack on the fake; its Web API calls go through the ``fetch`` seam
    (over the stand-in ``fetch``) when one is given, as they do inside a Worker."""
    from tests.fakes import fake_slack as slack

    variables = {"SLACK_SIGNING_SECRET": slack.SIGNING_SECRET, "SLACK_BOT_TOKEN": slack.BOT_TOKEN}
    toml = f'[slack]\nbase_url = "{fake_slack.api_url}"\n'
    chat = None
    if fetch is not None:
        from momentum.adapters.outbound.fetch import FetchTransport
        from momentum.adapters.slack.chat import SlackChat
        from momentum.adapters.slack.client import web_client
        from momentum.adapters.slack.settings import slack_settings

        settings = slack_settings(slack.slack_settings(fake_slack))
        chat = SlackChat(web_client(settings, transport=FetchTransport(fetch.api())))
    return deploy(local, home, variables, clock, athlete, chat=chat, toml=toml)


@pytest.mark.parametrize("through", ["urllib", "fetch"])
def test_a_signed_slack_dm_is_acked_then_answered_once_through_the_queue(
    local: Any,
    fake_slack: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
    through: str,
) -> None:
    from tests.fakes import fake_slack as slack
    from tests.fakes.fake_fetch import LoopbackFetch

    fetch = LoopbackFetch() if through == "fetch" else None
    app = slack_app(local, fake_slack, tmp_path, clock, athlete, fetch=fetch)
    now = int(clock.now().timestamp())
    body = json.dumps(
        slack.event_callback(slack.dm_event(USER, "Legs are tired. Rest?", "1.1"), "Ev1", now)
    ).encode()
    url = f"{WORKER}/slack/events"
    first = handlers.fetch(app, "POST", url, slack.signed_headers(body, now), body)
    assert first.status == 200
    retry = handlers.fetch(app, "POST", url, slack.signed_headers(body, now, retry_num=1), body)
    assert retry.status == 200
    dm = fake_slack.dm_channel(USER)
    [thinking] = fake_slack.in_channel(dm)
    assert thinking.text.startswith("Thinking")

    outcomes = consume(local, app)
    assert len(outcomes) == 1 and "ran" in outcomes[0]  # the retry queued nothing
    [answer] = fake_slack.in_channel(dm)
    assert answer.ts == thinking.ts and WORDS in answer.text
    if fetch is not None:  # every Web API call went through the Worker's seam
        methods = [call.url.rsplit("/", 1)[1] for call in fetch.calls]
        assert methods == ["chat.postMessage", "chat.update"]  # "Thinking…", then the answer


def test_a_forged_slack_request_gets_401_and_queues_nothing(
    local: Any, fake_slack: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from momentum.adapters.cloudflare.testing import received
    from tests.fakes import fake_slack as slack

    app = slack_app(local, fake_slack, tmp_path, clock, athlete)
    now = int(clock.now().timestamp())
    body = json.dumps(slack.event_callback(slack.dm_event(USER, "hi", "2.1"), "Ev2", now)).encode()
    headers = slack.signed_headers(body, now, secret="not-the-secret")
    assert handlers.fetch(app, "POST", f"{WORKER}/slack/events", headers, body).status == 401
    assert received(local, settle=0.5) == []


def test_the_cron_tick_fans_out_one_checkin_per_local_day(
    local: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    chat = RecordingChat()
    app = deploy(local, tmp_path, {}, clock, athlete, chat=chat)
    slot_ms = clock.now().timestamp() * 1000  # 11:00 UTC = 06:00 in Toronto
    fired = handlers.scheduled(app, slot_ms)
    again = handlers.scheduled(app, slot_ms)  # the same cron run delivered twice
    assert len(fired["fired"]) == 1 and again["fired"] == []
    outcomes = consume(local, app)
    assert len(outcomes) == 1 and "ran" in outcomes[0]
    assert len(chat.messages) == 1

    clock.set(clock.now() + dt.timedelta(minutes=15))
    assert handlers.scheduled(app, clock.now().timestamp() * 1000)["fired"] == []
    stored = app.storage.list_messages(
        "adam", clock.now() - dt.timedelta(days=1), clock.now() + dt.timedelta(days=1)
    )
    assert len(stored) == 1  # the check-in is in D1


def test_a_redelivered_queue_message_runs_once(
    local: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from momentum.adapters.cloudflare.testing import received

    app = deploy(local, tmp_path, {}, clock, athlete, chat=RecordingChat())
    ran: list[dict[str, Any]] = []
    app.deferred_handlers["test.echo"] = lambda _app, job: ran.append(job.payload)
    app.scheduler.defer(DeferredJob("test.echo", {"n": 1}, key="k1"))
    [message] = received(local)
    assert handlers.queue_message(app, message.id, message.body)["ran"] == "test.echo"
    assert handlers.queue_message(app, message.id, message.body)["duplicate"] is True
    assert ran == [{"n": 1}]


@pytest.mark.parametrize("body", ["not json", json.dumps({"hello": "world"})])
def test_a_message_that_is_not_an_envelope_is_dropped(
    local: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile, body: str
) -> None:
    app = deploy(local, tmp_path, {}, clock, athlete, chat=RecordingChat())
    outcome = handlers.queue_message(app, "m-1", body)
    assert "queue message" in outcome["error"]


def test_an_operator_run_message_posts_the_checkin_now(
    local: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    chat = RecordingChat()
    app = deploy(local, tmp_path, {}, clock, athlete, chat=chat)
    run = {"momentum": "run", "job": "checkin", "athlete_id": "adam"}
    assert handlers.queue_message(app, "m-2", json.dumps(run))["ran"] == "checkin"
    assert len(chat.messages) == 1
    bad = dict(run, date="tomorrow")
    assert "date" in handlers.queue_message(app, "m-3", json.dumps(bad))["error"]


def test_a_large_payload_is_spilled_to_r2_and_removed_after(
    local: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from momentum.adapters.cloudflare.testing import received

    app = deploy(local, tmp_path, {}, clock, athlete, chat=RecordingChat())
    ran: list[int] = []
    app.deferred_handlers["test.big"] = lambda _app, job: ran.append(len(job.payload["rows"]))
    app.scheduler.defer(DeferredJob("test.big", {"rows": ["x" * 1000] * 200}))
    assert app.blob is not None
    [spilled] = list(app.blob.keys("deferred/"))
    [message] = received(local)
    assert json.loads(message.body)["payload_ref"] == spilled
    handlers.queue_message(app, message.id, message.body)
    assert ran == [200] and list(app.blob.keys("deferred/")) == []


def test_r2_refuses_a_second_conditional_put_as_a_conflict(local: Any) -> None:
    from momentum.adapters.cloudflare.r2_blob import R2Blob
    from momentum.adapters.cloudflare.testing import BridgeBucket

    blob = R2Blob(BridgeBucket(local))
    blob.put_if_absent("uploads/adam/run.fit", b"first")
    with pytest.raises(ConflictError, match="already exists"):
        blob.put_if_absent("uploads/adam/run.fit", b"second")
    assert blob.get("uploads/adam/run.fit") == b"first"


def test_http_request_conversion_keeps_path_query_and_lowercases_headers() -> None:
    request = handlers.http_request(
        "post",
        f"{WORKER}/strava/webhook?hub.mode=subscribe&x=",
        {"X-Slack-Signature": "v0=1"},
        b"{}",
    )
    assert request.method == "POST" and request.path == "/strava/webhook"
    assert request.query == {"hub.mode": "subscribe", "x": ""}
    assert request.header("x-slack-signature") == "v0=1" and request.body == b"{}"


def test_env_strings_keeps_settings_and_secrets_not_bindings() -> None:
    from types import SimpleNamespace

    env = SimpleNamespace(DB=object(), QUEUE=object(), SLACK_BOT_TOKEN="xoxb-1", MOMENTUM_CHAT="")
    assert env_strings(env) == {"SLACK_BOT_TOKEN": "xoxb-1", "MOMENTUM_CHAT": ""}


def test_the_worker_registers_the_plugins_it_was_packaged_with_without_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from momentum.adapters.cloudflare.bootstrap import (
        BUNDLE_MODULE,
        bundled_plugins,
        worker_plugins,
    )
    from momentum.adapters.cloudflare.package import stage, worker_modules

    assert bundled_plugins() is None  # not a packaged Worker: entry points instead
    stage(tmp_path / "worker", ("running", "sleep", "meals"))
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path / "worker" / "src")])
    monkeypatch.delitem(sys.modules, BUNDLE_MODULE, raising=False)
    try:
        assert bundled_plugins() == worker_modules(("running", "sleep", "meals"))
        host = worker_plugins()
        assert host.failed == {}
        assert sorted(d.name for d in host.domains()) == ["meals", "running", "sleep"]
        assert [p.name for p in host.chat_platforms()] == ["slack"]
        jobs = {job.name for job in host.recurring_jobs()}
        assert {"checkin", "sleep_wind_down_2200"} <= jobs
        assert "strava" not in {p.name for p in host.plugins()}  # not chosen, not registered
        broken = worker_plugins({"slack": "momentum.adapters.slack.plugin", "gone": "no_such"})
        assert "gone" in broken.failed and [p.name for p in broken.chat_platforms()] == ["slack"]
    finally:
        sys.modules.pop(BUNDLE_MODULE, None)


def test_a_packaged_coach_project_loads_its_own_plugins_and_prompts(
    local: Any, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from momentum.adapters.cloudflare.bootstrap import worker_plugins
    from momentum.adapters.cloudflare.package import stage
    from momentum.plugins.running.coach.prompts import search_path
    from tests.unit.test_cloudflare_worker_imports import coach_project

    stage(tmp_path / "worker", config_file=coach_project(tmp_path / "coach"))
    home = tmp_path / "worker" / "src"  # what the Worker's MOMENTUM_HOME is
    monkeypatch.setattr(sys, "path", list(sys.path))  # load_local puts home on it
    app = build_cloudflare_app(
        {"MOMENTUM_HOME": str(home)}, ports(local), clock=clock, plugins=worker_plugins()
    )
    try:
        jobs = {job.name for job in app.plugins.recurring_jobs()}
        assert {"checkin", "stretch"} <= jobs  # the Worker's plugins and the project's own
        paths = search_path(app.settings, app.plugins)
        assert paths[:2] == [home / "prompts", home / "more_prompts"]
        assert (paths[0] / "persona.j2").read_text() == "You are Coach Kim.\n"
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "coachplugins"]:
            del sys.modules[name]
