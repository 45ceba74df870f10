"""Storage contract: range queries by athlete and time (start inclusive, end exclusive,
oldest first, other athletes never included)."""

from __future__ import annotations

import datetime as dt
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum.core.ports.storage import Storage
from tests.contract import records as r

H = dt.timedelta(hours=1)
FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def test_activity_range_bounds_order_and_athlete(storage: Storage) -> None:
    for i, hours in enumerate((5, 0, 3, 1)):
        storage.put_activity(r.activity(f"a{i}", start=r.T0 + hours * H))
    storage.put_activity(r.activity("other", "mia", start=r.T0 + H))

    found = storage.list_activities("adam", r.T0, r.T0 + 5 * H)
    assert [a.activity_id for a in found] == ["a1", "a3", "a2"]  # 0h, 1h, 3h; 5h excluded
    assert [a.activity_id for a in storage.list_activities("adam", r.T0 + H, r.T0 + 3 * H)] == [
        "a3"
    ]
    assert storage.list_activities("adam", r.T0 + 6 * H, r.T0 + 9 * H) == []
    assert storage.list_activities("adam", r.T0 + 3 * H, r.T0 + 3 * H) == []  # empty window
    assert [a.activity_id for a in storage.list_activities("mia", FAR_PAST, FAR_FUTURE)] == [
        "other"
    ]


def test_activities_at_the_same_instant_order_by_id(storage: Storage) -> None:
    for activity_id in ("b", "c", "a"):
        storage.put_activity(r.activity(activity_id, start=r.T0))
    found = storage.list_activities("adam", r.T0, r.T0 + H)
    assert [a.activity_id for a in found] == ["a", "b", "c"]


def test_range_compares_instants_not_wall_times(storage: Storage) -> None:
    # 06:30 in Toronto (UTC-5) is 11:30 UTC: inside [11:00Z, 12:00Z) though "06:30" < "11:00".
    toronto = dt.datetime(2026, 3, 3, 6, 30, tzinfo=r.TORONTO)
    storage.put_activity(r.activity("early-local", start=toronto))
    found = storage.list_activities("adam", r.T0, r.T0 + H)
    assert [a.activity_id for a in found] == ["early-local"]
    assert found[0].start == toronto and found[0].start.utcoffset() == toronto.utcoffset()
    window_in_toronto = (r.T0.astimezone(r.TORONTO), (r.T0 + H).astimezone(r.TORONTO))
    assert storage.list_activities("adam", *window_in_toronto) == found


def test_message_reflection_and_usage_ranges(storage: Storage) -> None:
    for i in range(4):
        at = r.T0 + i * H
        storage.put_message(r.message(f"m{i}", at=at))
        storage.put_reflection(r.reflection(f"r{i}", at=at))
        storage.put_usage(r.usage(f"u{i}", at=at))
    storage.put_message(r.message("mx", athlete_id="mia", at=r.T0 + H))
    storage.put_reflection(r.reflection("rx", athlete_id="mia", at=r.T0 + H))
    storage.put_usage(r.usage("ux", athlete_id="mia", at=r.T0 + H))

    window = (r.T0 + H, r.T0 + 3 * H)
    assert [m.message_id for m in storage.list_messages("adam", *window)] == ["m1", "m2"]
    assert [x.reflection_id for x in storage.list_reflections("adam", *window)] == ["r1", "r2"]
    assert [u.usage_id for u in storage.list_usage("adam", *window)] == ["u1", "u2"]
    assert sorted(u.usage_id for u in storage.list_usage(None, *window)) == ["u1", "u2", "ux"]
    all_usage = storage.list_usage(None, FAR_PAST, FAR_FUTURE)
    assert [u.at for u in all_usage] == sorted(u.at for u in all_usage)


def test_notes_belong_to_one_activity_oldest_first(storage: Storage) -> None:
    storage.put_note(r.note("n2", activity_id="a1", at=r.T0 + 2 * H))
    storage.put_note(r.note("n1", activity_id="a1", at=r.T0 + H))
    storage.put_note(r.note("n3", activity_id="a2", at=r.T0))
    storage.put_note(r.note("n4", athlete_id="mia", activity_id="a1", at=r.T0))
    assert [n.note_id for n in storage.list_notes("adam", "a1")] == ["n1", "n2"]
    assert [n.note_id for n in storage.list_notes("adam", "a2")] == ["n3"]


def test_memory_is_listed_oldest_first_for_one_athlete(storage: Storage) -> None:
    storage.put_memory(r.memory("m2", created=r.T0 + H))
    storage.put_memory(r.memory("m1", created=r.T0))
    storage.put_memory(r.memory("m3", athlete_id="mia", created=r.T0))
    assert [m.memory_id for m in storage.list_memory("adam")] == ["m1", "m2"]


OFFSETS = st.sampled_from(
    [dt.UTC, r.TORONTO, dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone.max]
)
INSTANTS = st.builds(
    lambda minutes, tz: (r.T0 + dt.timedelta(minutes=minutes)).astimezone(tz),
    st.integers(-3000, 3000),
    OFFSETS,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    starts=st.lists(INSTANTS, max_size=12),
    window=st.tuples(INSTANTS, INSTANTS),
)
def test_activity_range_matches_a_brute_force_filter(
    storage: Storage, starts: list[dt.datetime], window: tuple[dt.datetime, dt.datetime]
) -> None:
    athlete_id = f"hypo-{uuid.uuid4().hex}"  # each example gets its own athlete
    storage.put_activity(r.activity("noise", "someone-else", start=window[0]))
    for i, start in enumerate(starts):
        storage.put_activity(r.activity(f"x{i:02d}", athlete_id, start=start))
    lo, hi = window
    expected = sorted(
        ((s, f"x{i:02d}") for i, s in enumerate(starts) if lo <= s < hi),
        key=lambda pair: (pair[0], pair[1]),
    )
    found = storage.list_activities(athlete_id, lo, hi)
    assert [(a.start, a.activity_id) for a in found] == expected
