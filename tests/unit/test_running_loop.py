"""Running speaks through core's coach loop (issue 18): its check-in, Monday plan and weekly
review are Brief steps whose words its own writer writes, while core's loop collects every
domain's brief, decides the tone once, puts alerts first, stores and delivers once.

Running-only, running + sleep (the real sleep plugin) and sleep-only coaches all follow the
same :class:`~momentum.core.coach.loop.CoachLoop`; the property at the end runs random
domain combinations through every step.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from momentum import Brief, Domain, hookimpl
from momentum.core.coach.loop import CoachLoop, decide_tone, tone
from momentum.core.coach.state import MotivationState, StateThresholds
from momentum.plugins.running import plugin as running_plugin
from momentum.plugins.sleep import plugin as sleep_plugin
from momentum.plugins.sleep.nights import Night, keep_nights
from momentum.testing import DEFAULT_NOW, PluginHarness

MONDAY, TUESDAY, SUNDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 8)
SLEEP = {"need_hours": 8, "goal_bedtime": "22:30", "goal_wake": "06:30", "wind_down_minutes": 45}
JOB_DAYS = {"checkin": TUESDAY, "monday_plan": MONDAY, "weekly_refresh": SUNDAY}
KINDS = {"checkin": "checkin", "monday_plan": "monday_plan", "weekly_refresh": "weekly_review"}


def _late_nights(count: int) -> list[Night]:
    """``count`` nights in a row ending on Tuesday, in bed at 23:30 against a 22:30 target."""
    return [
        Night(TUESDAY - dt.timedelta(days=k), "apple_health", 7 * 3600.0, 8 * 3600.0, -20, 400, -30)
        for k in range(count)
    ]


def _requests(harness: PluginHarness, purpose: str) -> list[str]:
    return [
        "\n".join(m.content for m in r.messages)
        for r in harness.model.requests
        if r.purpose == purpose
    ]


def test_running_alone_is_written_by_core_loop_with_running_own_state() -> None:
    harness = PluginHarness(running_plugin)
    harness.add_athlete("ada")  # no run in six weeks and not new: running judges "low"
    (running,) = harness.plugins.domains()
    assert None not in (running.checkin, running.weekly_plan, running.weekly_review)
    assert running.writer is not None
    harness.run_job("checkin", "ada", TUESDAY)
    harness.run_job("checkin", "ada", TUESDAY)  # the tick's delivery comes twice
    [dm] = harness.dms("ada")
    stored = harness.storage.get_message("ada", "checkin:2026-03-03")
    assert stored is not None and stored.ref  # delivered, and where it went is kept
    assert stored.state == harness.app.coach.state("ada", TUESDAY).state.value == "low"
    assert dm.startswith(stored.rendered) and stored.text in dm  # the picture, then words
    assert "*Running*" not in dm  # the leading domain's picture has no heading
    # Core's loop is the one door: asking it again reads the stored message, pays nothing.
    assert CoachLoop(harness.app).message("checkin", "ada", TUESDAY) == stored
    assert len(_requests(harness, "checkin")) == 1


def test_running_and_sleep_give_one_message_in_the_tone_of_the_part_that_slipped() -> None:
    harness = PluginHarness(running_plugin, sleep_plugin)
    harness.add_athlete(  # new this week: running has nothing missed to count
        "ada", created=DEFAULT_NOW - dt.timedelta(days=2), domain_profiles={"sleep": SLEEP}
    )
    keep_nights(harness.storage, "ada", _late_nights(3))  # three late nights: sleep slipped
    harness.run_job("checkin", "ada", TUESDAY)
    [dm] = harness.dms("ada")
    stored = harness.storage.get_message("ada", "checkin:2026-03-03")
    assert stored is not None and stored.state == "fragile"  # sleep's 3 missed nights
    [prompt] = _requests(harness, "checkin")  # one model call over both domains' facts
    assert "state: fragile" in prompt and "state: on_track" not in prompt  # one tone
    assert "sleep_sleep_debt:" in prompt and "last_run:" in prompt
    running_part, sleep_part = dm.split("*Sleep*\n")
    assert running_part.strip() and "Bedtime" in sleep_part
    assert "Next: Start winding down at 21:45" in sleep_part
    assert dm.count("(checkin)") == 1


def test_running_furthest_behind_sets_the_tone_over_sleep_on_time() -> None:
    harness = PluginHarness(running_plugin, sleep_plugin)
    harness.add_athlete("ada", domain_profiles={"sleep": SLEEP})  # running: 42 days missed
    on_time = [
        Night(TUESDAY - dt.timedelta(days=k), "apple_health", 8 * 3600.0, 8.2 * 3600, -80, 400, -90)
        for k in range(3)
    ]
    keep_nights(harness.storage, "ada", on_time)
    harness.run_job("checkin", "ada", TUESDAY)
    stored = harness.storage.get_message("ada", "checkin:2026-03-03")
    assert stored is not None and stored.state == "low"
    [prompt] = _requests(harness, "checkin")
    assert "state: low" in prompt and "sleep_" in prompt


def test_sleep_alone_keeps_core_words_above_the_sections_and_one_review_a_week() -> None:
    harness = PluginHarness(sleep_plugin)
    harness.add_athlete("ada", domain_profiles={"sleep": SLEEP})
    keep_nights(harness.storage, "ada", _late_nights(3))
    harness.run_job("checkin", "ada", TUESDAY)
    [dm] = harness.dms("ada")
    assert dm.startswith("(checkin)") and "*Sleep*\n" in dm
    stored = harness.storage.get_message("ada", "checkin:2026-03-03")
    assert stored is not None and stored.state == "fragile" and stored.rendered == ""
    # The weekly review is the week's: keyed by its Monday, whichever day the job ran.
    loop = CoachLoop(harness.app)
    sunday = loop.message("weekly_refresh", "ada", dt.date(2026, 3, 1))
    assert sunday.message_id == "weekly_review:2026-02-23"
    assert loop.message("weekly_refresh", "ada", dt.date(2026, 2, 25)) == sunday


def test_the_tone_is_the_state_of_the_part_furthest_behind_and_ties_go_to_the_lead() -> None:
    # running is thriving, sleep slipped three nights: sleep's state sets the tone
    running = Brief("running", "Running", missed_days=0, state="thriving")
    assert decide_tone([running, Brief("sleep", "Sleep", missed_days=3)]) is (
        MotivationState.FRAGILE
    )
    # a tie keeps the leading domain's own reading (running on race day: never fragile)
    race_day = Brief("running", "Running", missed_days=3, state="on_track")
    assert decide_tone([race_day, Brief("sleep", "Sleep", missed_days=3)]) is (
        MotivationState.ON_TRACK
    )
    # a domain without a plan does not vote; nobody voting is on track
    assert decide_tone([Brief("meals", "Meals"), running]) is MotivationState.THRIVING
    assert decide_tone([Brief("meals", "Meals")]) is MotivationState.ON_TRACK


@given(st.lists(st.one_of(st.none(), st.integers(0, 60)), max_size=6))
def test_without_a_domain_reading_the_tone_is_that_of_the_largest_missed_days(
    missed: list[int | None],
) -> None:
    """Sleep- and meals-only coaches keep the rule they had: the largest missed days."""
    parts = [Brief(f"d{i}", f"D{i}", missed_days=m) for i, m in enumerate(missed)]
    known = [m for m in missed if m is not None]
    assert decide_tone(parts) is tone(max(known) if known else None)


class Extra:
    """A test domain with a plan it can miss and, maybe, an alert (decided by code)."""

    def __init__(self, name: str, missed: int | None, alert: bool) -> None:
        self.name, self.missed = name, missed
        self.alert = f"{name}: please see a doctor." if alert else ""

    def _brief(self, app: object, athlete_id: str, day: dt.date) -> Brief:
        return Brief(
            self.name,
            self.name.title(),
            facts={"x": "1"},
            lines=(f"{self.name} line",),
            next_step=f"{self.name} step",
            missed_days=self.missed,
            alert=self.alert,
        )

    @hookimpl
    def momentum_domains(self) -> list[Domain]:
        step = self._brief
        return [Domain(self.name, "test", checkin=step, weekly_plan=step, weekly_review=step)]


EXTRAS = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 8)), st.booleans()), min_size=0, max_size=3
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_running=st.booleans(), extras=EXTRAS)
def test_any_combination_sends_one_message_per_step_with_alerts_first(
    with_running: bool, extras: list[tuple[int | None, bool]]
) -> None:
    assume(with_running or extras)  # a coach has at least one domain
    domains = [  # one class each: the plugin manager names a plugin by its class
        type(f"Extra{i}", (Extra,), {})(f"extra{i}", missed, alert)
        for i, (missed, alert) in enumerate(extras)
    ]
    plugins: list[object] = [running_plugin] if with_running else []
    harness = PluginHarness(*plugins, *domains)
    harness.add_athlete("ada", created=DEFAULT_NOW - dt.timedelta(days=2))  # running: 0 missed
    for job, day in JOB_DAYS.items():
        harness.run_job(job, "ada", day)
        harness.run_job(job, "ada", day)  # a delivery that comes twice
    dms = harness.dms("ada")
    assert len(dms) == len(JOB_DAYS)  # exactly one message per step
    order = [d.name for d in harness.plugins.domains()]  # the order the loop asks them in
    alerts = [d.alert for d in sorted(domains, key=lambda d: order.index(d.name)) if d.alert]
    for dm in dms:
        if alerts:
            assert dm.startswith("\n\n".join(alerts))  # first, verbatim, in domain order
        assert all(f"*{d.name.title()}*\n{d.name} line" in dm for d in domains)
    counted = [d.missed for d in domains if d.missed is not None]
    for job, day in JOB_DAYS.items():
        key = day - dt.timedelta(days=day.weekday()) if job == "weekly_refresh" else day
        stored = harness.storage.get_message("ada", f"{KINDS[job]}:{key.isoformat()}")
        assert stored is not None and stored.ref
        if counted and max(counted) > 0:  # a domain furthest behind running's 0 sets it
            assert stored.state == tone(max(counted), StateThresholds()).value
        elif not with_running and not counted:
            assert stored.state == "on_track"  # nobody keeps a plan: on track
