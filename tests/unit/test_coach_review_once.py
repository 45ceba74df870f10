"""Generated messages are paid for once even when callers race (two threads, one claim).

Two callers ask for the same message at the same instant. The model answers only after
the loser has started waiting, so both are inside the engine together; exactly one model
call is made and both get the same stored message. A writer that dies leaves a lease
that expires; a writer that fails releases its claim at once.
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
from momentum.core.coach.once import LEASE, InProgressError, Patience, once
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.errors import NotFoundError
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile, Message
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.ports.storage import Storage
from momentum.plugins.running.coach.offline import OfflineComposer
from tests.unit.test_coach_support import at, plan_for, run, talk_history

FIRST = dt.date(2026, 1, 5)
MON, TUE = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
SUN = dt.date(2026, 3, 1)
ACTIVITY = "iqp2upoi"
TEXT = "Nice and steady. What made starting easy today?"


class SlowModel(ScriptedModel):
    """Answers only once ``go`` is set (or after ``timeout`` s): the caller that won the
    claim is held inside the model call while the other one arrives."""

    def __init__(self, timeout: float = 5.0) -> None:
        super().__init__(respond=self._answer)
        self.go = threading.Event()
        self.timeout = timeout
        self.name = "openai/gpt-oss-120b"

    def _answer(self, request: CompletionRequest) -> Completion:
        self.go.wait(self.timeout)
        return Completion(TEXT, model=self.name, provider="groq", tokens_in=1500, tokens_out=120)


def _app(storage: Storage, athlete: AthleteProfile, clock: FixedClock, model: SlowModel) -> App:
    storage.put_athlete(athlete)
    chain = FallbackModel([model, OfflineComposer()], storage=storage, clock=clock)
    app = build_app(
        Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=chain,
        clock=clock,
        plugins=load_plugins(),
    )
    storage.put_plan(plan_for("adam", FIRST, weeks=12))
    talk_history(storage, "adam", FIRST, TUE - dt.timedelta(days=1))  # type: ignore[arg-type]
    storage.put_activity(run("adam", TUE, 46, activity_id=ACTIVITY, indoor=True, hour=18))
    return app


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """Each storage whose claim the engine relies on."""
    if request.param == "memory":
        yield InMemoryStorage()
        return
    store = SqliteStorage(tmp_path / "momentum.db")
    try:
        yield store
    finally:
        store.close()


def _waiting_sleep(model: SlowModel) -> Callable[[float], None]:
    """The loser's sleep: it tells the model to answer, then naps a little for real."""

    def sleep(seconds: float) -> None:
        model.go.set()
        time.sleep(0.002)

    return sleep


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
    assert not any(t.is_alive() for t in threads), "a caller never came back"
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if isinstance(r, Message)]


MESSAGES: dict[str, tuple[dt.datetime, Callable[[App], Message], str]] = {
    "review": (at(TUE, 19), lambda app: app.coach.review("adam", ACTIVITY), f"review:{ACTIVITY}"),
    "checkin": (at(TUE, 6), lambda app: app.coach.checkin("adam", TUE), "checkin:2026-03-03"),
    "monday_plan": (
        at(MON, 6),
        lambda app: app.coach.monday_plan("adam", MON),
        "monday_plan:2026-03-02",
    ),
    "weekly_review": (
        at(SUN, 21),
        lambda app: app.coach.weekly_review("adam", SUN),
        "weekly_review:2026-02-23",
    ),
    "feedback": (
        at(TUE, 19),
        lambda app: app.coach.feedback("adam", ACTIVITY),
        f"feedback:{ACTIVITY}",
    ),
}


@pytest.mark.parametrize("kind", list(MESSAGES))
def test_racing_callers_pay_for_one_model_call(
    kind: str, storage: Storage, athlete: AthleteProfile
) -> None:
    when, ask, message_id = MESSAGES[kind]
    model = SlowModel()
    app = _app(storage, athlete, FixedClock(when), model)
    app.coach.sleep = _waiting_sleep(model)
    app.coach.patience = Patience(wait_s=20.0, poll_s=0.01)

    first, second = _race([lambda: ask(app), lambda: ask(app)])

    assert len(model.requests) == 1
    assert first == second
    assert first.message_id == message_id and first.text == TEXT
    assert storage.get_message("adam", message_id) == first
    usage = storage.list_usage("adam", when - dt.timedelta(days=2), when + dt.timedelta(days=2))
    assert len(usage) == 1
    # The claim is gone once the message is stored: nothing lingers for the next caller.
    assert storage.claim(f"write:adam:{message_id}", when, LEASE)


def test_two_coaches_on_one_sqlite_file_pay_once(tmp_path: Path, athlete: AthleteProfile) -> None:
    """Two processes' worth of apps (a webhook job and ``momentum review``) on one file."""
    when = at(TUE, 19)
    model = SlowModel()
    stores = [SqliteStorage(tmp_path / "momentum.db") for _ in range(2)]
    try:
        apps = [_app(stores[0], athlete, FixedClock(when), model)]
        apps.append(
            build_app(
                Settings(),
                storage=stores[1],
                scheduler=InMemoryScheduler(),
                chat=RecordingChat(),
                model=FallbackModel([model, OfflineComposer()], storage=stores[1]),
                clock=FixedClock(when),
                plugins=load_plugins(),
            )
        )
        for app in apps:
            app.coach.sleep = _waiting_sleep(model)
            app.coach.patience = Patience(wait_s=20.0, poll_s=0.01)
        first, second = _race([partial(a.coach.review, "adam", ACTIVITY) for a in apps])
    finally:
        for store in stores:
            store.close()
    assert len(model.requests) == 1
    assert first == second and first.message_id == f"review:{ACTIVITY}"


def test_racing_deliveries_send_one_dm(storage: Storage, athlete: AthleteProfile) -> None:
    """Two activity jobs for the same run: one review is paid for and one DM goes out."""
    model = SlowModel()
    app = _app(storage, athlete, FixedClock(at(TUE, 19)), model)
    app.coach.sleep = _waiting_sleep(model)
    app.coach.patience = Patience(wait_s=20.0, poll_s=0.01)

    first, second = _race([lambda: app.coach.on_activity("adam", ACTIVITY)] * 2)

    chat = app.chat
    assert isinstance(chat, RecordingChat)
    assert len(model.requests) == 1
    assert len(chat.messages) == 1
    assert first.ref and first.ref == second.ref
    stored = storage.get_message("adam", f"review:{ACTIVITY}")
    assert stored is not None and stored.ref == first.ref


def test_a_writer_that_never_finishes_makes_the_loser_give_up_clearly(
    storage: Storage, athlete: AthleteProfile
) -> None:
    when = at(TUE, 19)
    model = SlowModel(timeout=0)
    app = _app(storage, athlete, FixedClock(when), model)
    slept: list[float] = []
    app.coach.sleep = slept.append
    app.coach.patience = Patience(wait_s=1.0, poll_s=0.25)
    # Someone else is writing the review (or died doing it a moment ago).
    assert storage.claim(f"write:adam:review:{ACTIVITY}", when, LEASE)

    with pytest.raises(InProgressError, match=rf"review:{ACTIVITY}.*being written"):
        app.coach.review("adam", ACTIVITY)

    assert slept == [0.25] * 4  # bounded: wait_s of polling, then the error
    assert model.requests == []
    assert storage.get_message("adam", f"review:{ACTIVITY}") is None


def test_a_crashed_writer_blocks_only_until_its_lease_ends(
    storage: Storage, athlete: AthleteProfile
) -> None:
    when = at(TUE, 19)
    clock = FixedClock(when)
    model = SlowModel(timeout=0)
    app = _app(storage, athlete, clock, model)
    app.coach.patience = Patience(wait_s=10.0, poll_s=1.0)
    # The sleep drives the app clock, as time would pass for a real waiter.
    app.coach.sleep = lambda seconds: clock.advance(dt.timedelta(seconds=seconds))
    assert storage.claim(f"write:adam:review:{ACTIVITY}", when, LEASE)

    with pytest.raises(InProgressError):
        app.coach.review("adam", ACTIVITY)
    clock.set(when + LEASE - dt.timedelta(seconds=5))  # the dead writer's lease ends soon
    review = app.coach.review("adam", ACTIVITY)

    assert review.text == TEXT and len(model.requests) == 1
    assert clock.now() >= when + LEASE  # it waited for the lease, then wrote the review


def test_a_failed_writer_releases_its_claim(storage: Storage, athlete: AthleteProfile) -> None:
    when = at(TUE, 19)
    app = _app(storage, athlete, FixedClock(when), SlowModel(timeout=0))
    with pytest.raises(NotFoundError, match="no activity 'gone'"):
        app.coach.review("adam", "gone")
    assert storage.claim("write:adam:review:gone", when, dt.timedelta(seconds=1))


def test_the_lease_is_renewed_before_the_model_is_paid(
    storage: Storage, athlete: AthleteProfile
) -> None:
    """Building the context can be slow: the lease restarts right before the model call,
    so it covers the whole call however long the context took."""
    when = at(TUE, 19)
    clock = FixedClock(when)
    key = f"write:adam:review:{ACTIVITY}"
    taken_over: list[bool] = []

    def answer(request: CompletionRequest) -> Completion:
        # Just before a lease from now runs out, nobody else may take the claim over.
        late = clock.now() + LEASE - dt.timedelta(seconds=1)
        taken_over.append(storage.claim(key, late, LEASE))
        return Completion(TEXT, model="m", provider="groq", tokens_in=1, tokens_out=1)

    model = SlowModel(timeout=0)
    model._respond = answer
    app = _app(storage, athlete, clock, model)
    real_view = app.coach.view

    def slow_view(athlete_id: str, day: dt.date, *, messages: bool = False):  # type: ignore[no-untyped-def]
        clock.advance(dt.timedelta(minutes=2))
        return real_view(athlete_id, day, messages=messages)

    app.coach.view = slow_view  # type: ignore[method-assign]
    app.coach.review("adam", ACTIVITY)
    assert clock.now() > when + dt.timedelta(minutes=1)
    assert taken_over == [False]


def test_once_looks_again_after_winning_the_claim() -> None:
    """The holder before us finished between our first look and our claim: no work."""
    storage = InMemoryStorage()
    clock = FixedClock(dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
    looks = iter([None, "stored"])
    result = once(
        storage,
        clock,
        "k",
        find=lambda: next(looks),
        work=lambda: pytest.fail("paid twice"),
        sleep=lambda s: None,
        what="thing",
    )
    assert result == "stored"
    assert storage.claim("k", clock.now(), LEASE)  # released


def test_a_stored_message_is_returned_without_touching_the_claim(
    storage: Storage, athlete: AthleteProfile
) -> None:
    when = at(TUE, 19)
    model = SlowModel(timeout=0)
    app = _app(storage, athlete, FixedClock(when), model)
    review = app.coach.review("adam", ACTIVITY)
    # Even with a claim held by someone (e.g. a stale one), the stored review is answered.
    assert storage.claim(f"write:adam:review:{ACTIVITY}", when, LEASE)
    assert app.coach.review("adam", ACTIVITY) == review
    assert len(model.requests) == 1
