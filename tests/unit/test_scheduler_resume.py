"""A durable job resumed after its process died finishes its work at once, and hands off
its follow-up work once.

``momentum serve`` killed mid-job leaves two kinds of state behind in ``momentum.db``:

- the leases the job held on work in progress (:func:`momentum.core.coach.once.once`:
  the coach writing a Slack reply). The resumed job, run as the same job id, takes them
  back at once. Before, it waited for the five-minute lease, gave up with
  InProgressError, and the acked Slack event was answered with an apology.
- the jobs it had deferred already (Slack's "Thinking…" job hands over to the reply).
  Resumed, it does not record them again, so the event is not answered twice.

A "process" here is a storage handle, an app and a scheduler on the shared file; a
restart is a second one. The first one's token (this pid, another boot) is what a dead
process leaves, so the second one's start resumes its jobs; the first one's worker
threads are held until the test ends, like a process stopped mid-job.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.app import App
from momentum.core.coach.once import LEASE, InProgressError, Patience, once
from momentum.core.memory import InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.ports.storage import Storage
from momentum.core.runtime.claims import current_holder, holding

T0 = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
WAIT = 10.0
IMPATIENT = Patience(wait_s=0.0)
"""A resumed job must not need to wait: anyone else's live claim fails it at once."""
WRITE_KEY = "write:adam:chat:Ev1"


class Process:
    """One ``momentum serve`` on the shared database; ``hold`` stops its jobs mid-work."""

    def __init__(self, db: Path, clock: FixedClock, *, hold: bool) -> None:
        self.storage = SqliteStorage(db)
        self.scheduler = LocalScheduler(workers=2, fast_workers=1, interval=3600)
        self.app = App(
            storage=self.storage,
            scheduler=self.scheduler,
            chat=RecordingChat(),
            model=ScriptedModel(),
            clock=clock,
            plugins=load_plugins(entry_points=False),
        )
        self.scheduler.attach(self.app)
        self.hold = hold
        self.killed = threading.Event()
        self.stopped_at: list[str] = []
        self.at_stop = threading.Condition()

    def stop_here(self, where: str) -> bool:
        """In a held process: note ``where`` and block until the test ends (True)."""
        if not self.hold:
            return False
        with self.at_stop:
            self.stopped_at.append(where)
            self.at_stop.notify_all()
        self.killed.wait(60)
        return True

    def wait_stopped(self, count: int) -> bool:
        with self.at_stop:
            return self.at_stop.wait_for(lambda: len(self.stopped_at) >= count, WAIT)

    def close(self) -> None:
        self.killed.set()
        self.scheduler.stop(timeout=5)
        self.storage.close()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[tuple[Process, Process]]:
    """A first process whose jobs stop mid-work, and a second one started after it on
    the same database (the restart). Both are closed at the end."""
    clock = FixedClock(T0)
    first = Process(tmp_path / "momentum.db", clock, hold=True)
    second = Process(tmp_path / "momentum.db", clock, hold=False)
    # The first one "died": same pid, another boot, which is how the second sees it.
    assert first.scheduler.token != second.scheduler.token
    yield first, second
    first.close()
    second.close()


def resume(process: Process) -> int:
    """What ``momentum serve``'s start does: give back a dead process's jobs, run them."""
    resumed = process.scheduler.resume_orphans()
    while process.scheduler.run_due():
        assert process.scheduler.wait_idle(WAIT)
    assert process.scheduler.wait_idle(WAIT)
    return resumed


def test_a_job_resumed_after_its_process_died_takes_back_the_lease_it_held(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    answers: dict[str, str] = {}

    def reply(process: Process, app: App, job: DeferredJob) -> None:
        def write() -> str:
            if process.stop_here("writing"):
                return "never"  # the process is dead by now; nothing of this counts
            answers[WRITE_KEY] = f"answer by {process.scheduler.token}"
            return answers[WRITE_KEY]

        once(
            app.storage,
            app.clock,
            WRITE_KEY,
            find=lambda: answers.get(WRITE_KEY),
            work=write,
            sleep=lambda _: None,
            what="the reply",
            patience=IMPATIENT,
        )

    for process in (first, second):
        process.app.deferred_handlers["reply"] = lambda app, job, p=process: reply(p, app, job)

    first.scheduler.defer(DeferredJob("reply", {"event_id": "Ev1"}, key="slack:event:Ev1"))
    assert first.wait_stopped(1)  # killed mid-write: the lease on the reply is held
    assert not second.storage.claim(WRITE_KEY, T0, LEASE)  # by the dead process's job

    assert resume(second) == 1
    assert list(second.scheduler.failures) == []  # no InProgressError, no apology
    assert answers == {WRITE_KEY: f"answer by {second.scheduler.token}"}
    assert second.storage.list_deferred_jobs() == []
    assert second.storage.claim(WRITE_KEY, T0, LEASE)  # released when the work was done


def test_a_job_resumed_after_its_process_died_does_not_hand_off_its_work_again(
    processes: tuple[Process, Process],
) -> None:
    first, second = processes
    replies: list[str] = []

    def thinking(process: Process, app: App, job: DeferredJob) -> None:
        # Slack's fast job: post "Thinking…", hand the model call over to a reply job.
        app.scheduler.defer(DeferredJob("reply", {"by": process.scheduler.token}))
        process.stop_here("thinking handed off")  # killed before it is marked done

    def reply(process: Process, app: App, job: DeferredJob) -> None:
        if not process.stop_here("reply"):
            replies.append(job.payload["by"])

    for process in (first, second):
        process.app.deferred_handlers["thinking"] = lambda a, j, p=process: thinking(p, a, j)
        process.app.deferred_handlers["reply"] = lambda a, j, p=process: reply(p, a, j)

    first.scheduler.defer_fast(DeferredJob("thinking", {"event_id": "Ev1"}))
    assert first.wait_stopped(2)  # both jobs stopped mid-way: both rows are left
    left = first.storage.list_deferred_jobs()
    assert sorted(e.job.kind for e in left) == ["reply", "thinking"]
    assert [e.handed_off for e in left if e.job.kind == "thinking"] == [1]

    assert resume(second) == 2
    assert list(second.scheduler.failures) == []
    # Answered once, by the reply the dead process recorded; the resumed "thinking" job
    # ran again but recorded no second reply.
    assert replies == [first.scheduler.token]
    assert second.storage.list_deferred_jobs() == []


def test_a_job_that_failed_hands_off_afresh_on_its_retry(tmp_path: Path) -> None:
    """Only a delivery cut short by a crash counts: a job that raised is retried as a
    new run, and what it defers then is recorded (as before)."""
    with SqliteStorage(tmp_path / "momentum.db") as storage:
        job = DeferredJob("thinking", {})
        assert storage.put_running_job("parent", job, T0, LEASE, "proc:1:a")
        child = DeferredJob("reply", {})
        assert storage.put_running_job("c1", child, T0, LEASE, "proc:1:a", handed_by="parent")
        assert not storage.put_running_job(
            "c2", child, T0, LEASE, "proc:1:a", handed_by="parent", index=0
        )
        assert storage.put_running_job(
            "c3", child, T0, LEASE, "proc:1:a", handed_by="parent", index=1
        )
        assert storage.retry_deferred_job("parent", "proc:1:a", T0)
        assert storage.put_running_job("c4", child, T0, LEASE, "proc:1:a", handed_by="parent")
        ids = sorted(e.job_id for e in storage.list_deferred_jobs())
        assert ids == ["c1", "c3", "c4", "parent"]


@pytest.mark.parametrize("store", ["sqlite", "memory"])
def test_a_lease_taken_as_a_holder_is_its_own_and_no_one_elses(store: str, tmp_path: Path) -> None:
    storage: Storage = (
        SqliteStorage(tmp_path / "momentum.db") if store == "sqlite" else InMemoryStorage()
    )
    later = T0 + dt.timedelta(minutes=1)
    assert storage.claim_as(WRITE_KEY, T0, LEASE, "now|job-1")
    assert storage.claim_as(WRITE_KEY, later, LEASE, "now|job-1")  # the same job, resumed
    assert not storage.claim_as(WRITE_KEY, later, LEASE, "now|job-2")  # another job waits
    assert not storage.claim(WRITE_KEY, later, LEASE)  # so does a caller outside any job
    assert not storage.claim_as(WRITE_KEY, later, LEASE, "")  # "" is nobody in particular
    assert storage.claim_as(WRITE_KEY, later + LEASE, LEASE, "now|job-2")  # lapsed: free
    storage.release(WRITE_KEY)
    assert storage.claim(WRITE_KEY, later, LEASE)
    assert not storage.claim_as(WRITE_KEY, later, LEASE, "")  # plain claims have no holder
    if isinstance(storage, SqliteStorage):
        storage.close()


def test_once_claims_as_the_job_running_it() -> None:
    storage = InMemoryStorage()
    clock = FixedClock(T0)
    assert current_holder() == ""
    with holding("now|job-1"):
        assert current_holder() == "now|job-1"
        assert storage.claim_as("write:adam:m1", T0, LEASE, current_holder())  # then killed

        def attempt() -> str:
            return once(
                storage,
                clock,
                "write:adam:m1",
                find=lambda: None,
                work=lambda: "written",
                sleep=lambda _: None,
                what="m1",
                patience=IMPATIENT,
            )

        assert attempt() == "written"
    assert current_holder() == ""
    assert storage.claim_as("write:adam:m1", T0, LEASE, "now|job-2")  # released after work
    with holding("now|job-1"), pytest.raises(InProgressError):
        attempt()
