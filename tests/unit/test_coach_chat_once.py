"""A chat message is answered once per event id, even when its deliveries race.

Slack retries a message it thinks went unanswered, Teams redelivers, two Lambda
invocations pick up the same event. Both deliveries reach ``coach.reply`` with the same
``event_id`` at the same instant. The model answers only after the loser has started
waiting, so both are inside the engine together. Exactly one model call picks the tools,
the tools run once (one logged activity, not two) and both deliveries return the same
stored reply.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.app import App
from momentum.core.coach.fallback import FallbackModel
from momentum.core.coach.once import LEASE, InProgressError, Patience, writing_key
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import Activity, AthleteProfile, Message, MessageKind, Role
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest, ToolCall
from momentum.core.ports.storage import Storage
from momentum.plugins.running.coach.offline import OfflineComposer
from tests.unit.test_coach_support import at, plan_for, talk_history

FIRST = dt.date(2026, 1, 19)
TUE = dt.date(2026, 3, 3)
WHEN = at(TUE, 19)
WORDS = "did 60 min strength, totally gassed"
REPLY = "Logged. Easy on the legs tomorrow."
LOG_STRENGTH = ToolCall(
    "log_activity", {"activity_type": "strength", "duration": 60, "intensity": "hard"}, "t1"
)


class CountingMemoryStorage(InMemoryStorage):
    """In-memory storage that counts activity writes (a tool's side effect)."""

    def __init__(self) -> None:
        super().__init__()
        self.activity_writes: list[str] = []
        self._count_lock = threading.Lock()

    def put_activity(self, activity: Activity) -> bool:
        with self._count_lock:
            self.activity_writes.append(activity.activity_id)
        return super().put_activity(activity)


class CountingSqliteStorage(SqliteStorage):
    """SQLite storage that counts activity writes."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.activity_writes: list[str] = []
        self._count_lock = threading.Lock()

    def put_activity(self, activity: Activity) -> bool:
        with self._count_lock:
            self.activity_writes.append(activity.activity_id)
        return super().put_activity(activity)


Counting = CountingMemoryStorage | CountingSqliteStorage


class SlowChatModel(ScriptedModel):
    """Picks ``log_activity`` for the chat call, but only once ``go`` is set (or after
    ``timeout`` s), so the caller that won the claim is held inside the paid call while
    the other one arrives; then writes the reply from the tool results."""

    def __init__(self, *, tools: bool = True, timeout: float = 5.0) -> None:
        super().__init__(respond=self._answer)
        self.go = threading.Event()
        self.tools = tools
        self.timeout = timeout
        self.name = "openai/gpt-oss-120b"
        self._lock = threading.Lock()

    def complete(self, request: CompletionRequest) -> Completion:
        with self._lock:  # two threads may append at once
            self.requests.append(request)
        return self._answer(request)

    def _answer(self, request: CompletionRequest) -> Completion:
        if request.purpose == "chat_reply":
            return Completion(REPLY, model=self.name, provider="groq", tokens_in=900)
        self.go.wait(self.timeout)
        calls = (LOG_STRENGTH,) if self.tools else ()
        text = "" if self.tools else REPLY
        return Completion(text, model=self.name, provider="groq", tool_calls=calls, tokens_in=1)

    def purposes(self) -> list[str]:
        """The purpose of every call made, in order."""
        return [r.purpose for r in self.requests]


def _app(storage: Storage, athlete: AthleteProfile, model: SlowChatModel) -> App:
    clock = FixedClock(WHEN)
    chain = FallbackModel([model, OfflineComposer()], storage=storage, clock=clock)
    return build_app(
        Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=chain,
        clock=clock,
        plugins=load_plugins(),
    )


def _seed(storage: Storage, athlete: AthleteProfile) -> None:
    storage.put_athlete(athlete)
    storage.put_plan(plan_for("adam", FIRST, weeks=8))
    talk_history(storage, "adam", FIRST, TUE - dt.timedelta(days=1))  # type: ignore[arg-type]


def _patient(app: App, model: SlowChatModel) -> App:
    """The loser's sleep tells the model to answer, then naps a little for real."""

    def sleep(seconds: float) -> None:
        model.go.set()
        time.sleep(0.002)

    app.coach.sleep = sleep
    app.coach.patience = Patience(wait_s=20.0, poll_s=0.01)
    return app


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Counting]:
    """Each storage whose claim the chat turn relies on."""
    if request.param == "memory":
        yield CountingMemoryStorage()
        return
    store = CountingSqliteStorage(tmp_path / "momentum.db")
    try:
        yield store
    finally:
        store.close()


def _race(calls: list[Callable[[], Message]]) -> list[Message]:
    """Run the calls at the same instant on their own threads; re-raise any failure."""
    start = threading.Barrier(len(calls))
    results: list[Message | BaseException | None] = [None] * len(calls)

    def worker(index: int) -> None:
        start.wait()
        try:
            results[index] = calls[index]()
        except BaseException as exc:  # handed back to the test thread
            results[index] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(t.is_alive() for t in threads), "a delivery never came back"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, Message)]


def _chat_logged(storage: Storage) -> list[Activity]:
    day = dt.timedelta(days=1)
    return [
        a for a in storage.list_activities("adam", WHEN - day, WHEN + day) if a.source == "chat"
    ]


def test_racing_deliveries_pay_once_and_log_once(
    storage: Counting, athlete: AthleteProfile
) -> None:
    _seed(storage, athlete)
    model = SlowChatModel()
    app = _patient(_app(storage, athlete, model), model)
    writes_before = len(storage.activity_writes)

    first, second = _race([lambda: app.coach.reply("adam", WORDS, event_id="Ev1")] * 2)

    # One paid call picked the tools, one wrote the reply from their results.
    assert model.purposes() == ["chat", "chat_reply"]
    assert first == second
    assert first.message_id == "chat:Ev1" and first.text == REPLY
    assert storage.get_message("adam", "chat:Ev1") == first
    # The tool ran once: one write, one logged activity, and it was new when it ran.
    assert len(storage.activity_writes) - writes_before == 1
    logged = _chat_logged(storage)
    assert len(logged) == 1 and logged[0].moving_time_seconds == 3600
    assert "log_activity → ok: Logged 60min strength" in model.requests[1].messages[1].content
    # The athlete's words were stored once, with one answer after them.
    day = dt.timedelta(days=1)
    messages = [
        m for m in storage.list_messages("adam", WHEN - day, WHEN + day) if "Ev1" in m.message_id
    ]
    assert [(m.message_id, m.role) for m in messages] == [
        ("athlete:Ev1", Role.ATHLETE),
        ("chat:Ev1", Role.COACH),
    ]
    usage = storage.list_usage("adam", WHEN - day, WHEN + day)
    assert [u.purpose for u in usage] == ["chat", "chat_reply"]
    # Nothing lingers: the claim is free once the reply is stored.
    assert storage.claim(writing_key("adam", "chat:Ev1"), WHEN, LEASE)


def test_racing_deliveries_without_tools_make_one_model_call(
    storage: Counting, athlete: AthleteProfile
) -> None:
    _seed(storage, athlete)
    model = SlowChatModel(tools=False)
    app = _patient(_app(storage, athlete, model), model)

    replies = _race(
        [lambda: app.coach.reply("adam", "quick note: slept badly", event_id="Ev2")] * 3
    )

    assert model.purposes() == ["chat"]
    assert len({r.text for r in replies}) == 1 and replies[0].text == REPLY
    assert all(r == replies[0] for r in replies)


def test_two_apps_on_one_sqlite_file_answer_once(tmp_path: Path, athlete: AthleteProfile) -> None:
    """Two processes' worth of apps (two Lambda invocations, a webhook and the CLI)."""
    model = SlowChatModel()
    stores = [CountingSqliteStorage(tmp_path / "momentum.db") for _ in range(2)]
    try:
        _seed(stores[0], athlete)
        apps = [_patient(_app(store, athlete, model), model) for store in stores]
        writes_before = sum(len(s.activity_writes) for s in stores)
        first, second = _race([partial(a.coach.reply, "adam", WORDS, event_id="Ev3") for a in apps])
        writes = sum(len(s.activity_writes) for s in stores) - writes_before
        logged = _chat_logged(stores[0])
    finally:
        for store in stores:
            store.close()
    assert model.purposes() == ["chat", "chat_reply"]
    assert first == second and first.message_id == "chat:Ev3"
    assert writes == 1 and len(logged) == 1


def test_different_event_ids_are_answered_separately(
    storage: Counting, athlete: AthleteProfile
) -> None:
    """The claim is per event: two different messages never wait for each other."""
    _seed(storage, athlete)
    model = SlowChatModel(tools=False, timeout=0)
    app = _app(storage, athlete, model)
    app.coach.sleep = lambda s: pytest.fail("a different event waited for a claim")

    one = app.coach.reply("adam", "first note", event_id="A")
    two = app.coach.reply("adam", "second note", event_id="B")

    assert model.purposes() == ["chat", "chat"]
    assert (one.message_id, two.message_id) == ("chat:A", "chat:B")


def test_a_delivery_gives_up_clearly_while_another_holds_the_event(
    storage: Counting, athlete: AthleteProfile
) -> None:
    _seed(storage, athlete)
    model = SlowChatModel(timeout=0)
    app = _app(storage, athlete, model)
    slept: list[float] = []
    app.coach.sleep = slept.append
    app.coach.patience = Patience(wait_s=0.5, poll_s=0.25)
    writes_before = len(storage.activity_writes)
    # Another delivery of the same event is working on it (or died a moment ago).
    assert storage.claim(writing_key("adam", "chat:Ev4"), WHEN, LEASE)

    with pytest.raises(InProgressError, match=r"chat event Ev4.*another caller"):
        app.coach.reply("adam", WORDS, event_id="Ev4")

    assert slept == [0.25, 0.25]  # bounded wait, then the error
    assert model.requests == []
    assert len(storage.activity_writes) == writes_before
    assert storage.get_message("adam", "athlete:Ev4") is None


def test_a_retry_after_the_reply_is_stored_returns_it(
    storage: Counting, athlete: AthleteProfile
) -> None:
    _seed(storage, athlete)
    model = SlowChatModel(timeout=0)
    app = _app(storage, athlete, model)
    first = app.coach.reply("adam", WORDS, event_id="Ev5")
    # Even with a stale claim held, the stored reply is the answer: nobody waits.
    assert storage.claim(writing_key("adam", "chat:Ev5"), WHEN, LEASE)
    app.coach.sleep = lambda s: pytest.fail("waited although the reply was stored")
    again = app.coach.reply("adam", WORDS, event_id="Ev5")
    assert again == first and again.kind is MessageKind.CHAT
    assert model.purposes() == ["chat", "chat_reply"]
    assert len(_chat_logged(storage)) == 1


def test_a_failed_turn_releases_the_event(storage: Counting, athlete: AthleteProfile) -> None:
    """An answer that fails before storing releases its claim, so the next retry answers
    at once instead of waiting for the lease."""
    _seed(storage, athlete)
    model = SlowChatModel(tools=False, timeout=0)
    app = _app(storage, athlete, model)
    real_view = app.coach.view
    failures = iter([RuntimeError("storage hiccup")])

    def flaky_view(athlete_id: str, day: dt.date, *, messages: bool = False):  # type: ignore[no-untyped-def]
        for exc in failures:
            raise exc
        return real_view(athlete_id, day, messages=messages)

    app.coach.view = flaky_view  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="storage hiccup"):
        app.coach.reply("adam", "hello", event_id="Ev6")
    app.coach.sleep = lambda s: pytest.fail("waited for a released claim")
    reply = app.coach.reply("adam", "hello", event_id="Ev6")
    assert reply.message_id == "chat:Ev6" and model.purposes() == ["chat"]
