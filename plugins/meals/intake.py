"""The day's intake, kept as daily observations (``momentum.observations``, source
``meals``, kind ``intake``): energy, protein, fat, carbohydrate and fibre summed over the
day's logged foods. The logged foods themselves are kept beside it, one row per food, in
the athlete's series ``meals:log:<day>`` (FDC id, grams, entry), so a repeated delivery of
the same entry replaces its rows instead of adding them twice.

Code computes every number from FDC's nutrients; the model only picks the FDC ids and
portions.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from momentum import InputError, Observation, Streams
from momentum.observations import keep, read, read_days
from momentum.plugins.meals.allergens import guard
from momentum.plugins.meals.foods import NUTRIENT_NAMES, Food
from momentum.plugins.meals.profile import MealsProfile

if TYPE_CHECKING:
    from momentum import App, Storage

SOURCE, KIND = "meals", "intake"
MAX_GRAMS = 3000.0
NUTRIENTS = tuple(NUTRIENT_NAMES.values())


@dataclass(frozen=True)
class Portion:
    """One logged food: the FDC food and the grams eaten."""

    food: Food
    grams: float


def portion_grams(food: Food, raw: Mapping[str, Any]) -> float:
    """Grams of one logged item: ``grams``, or ``portions`` × the food's FDC portion."""
    where = f"portion of {food.description} (FDC {food.fdc_id})"
    if raw.get("grams") is not None:
        grams = raw["grams"]
    elif raw.get("portions") is not None:
        if food.portion_g is None:
            raise InputError(where, "FDC gives no portion for this food: give grams")
        grams = raw["portions"] * food.portion_g if _is_number(raw["portions"]) else raw["portions"]
    else:
        raise InputError(where, "give grams or portions")
    if not _is_number(grams) or not 0 < float(grams) <= MAX_GRAMS:
        raise InputError(where, f"{grams!r} is not between 0 and {MAX_GRAMS:g} g")
    return float(grams)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def entry_id(meal: str, portions: Sequence[Portion]) -> int:
    """A stable number for one logged meal: its name and foods (a platform's retry of the
    same message gives the same number, so it replaces rather than adds)."""
    text = (
        meal.strip().lower()
        + "|"
        + ",".join(
            f"{p.food.fdc_id}:{p.grams:.1f}" for p in sorted(portions, key=lambda p: p.food.fdc_id)
        )
    )
    return zlib.crc32(text.encode())


def _log_key(day: dt.date) -> str:
    return f"meals:log:{day.isoformat()}"


@dataclass(frozen=True)
class LoggedFood:
    """One row of the day's log."""

    entry: int
    fdc_id: int
    grams: float
    nutrients: Mapping[str, float]


def day_log(storage: Storage, athlete_id: str, day: dt.date) -> list[LoggedFood]:
    """The foods logged on ``day``, in the order logged."""
    series = storage.get_streams(athlete_id, _log_key(day))
    if series is None:
        return []
    ch = series.channels
    rows = []
    for i in range(len(series.time)):
        rows.append(
            LoggedFood(
                entry=int(ch["entry"][i] or 0),
                fdc_id=int(ch["fdc_id"][i] or 0),
                grams=float(ch["grams"][i] or 0.0),
                nutrients={name: float(ch[name][i] or 0.0) for name in NUTRIENTS},
            )
        )
    return rows


def log_portions(
    app: App,
    athlete_id: str,
    day: dt.date,
    portions: Sequence[Portion],
    profile: MealsProfile,
    meal: str = "",
) -> dict[str, float]:
    """Log one meal after the allergen check and return the day's new totals. Nothing is
    written if any food carries a declared allergen; the same meal again replaces itself."""
    if not portions:
        raise InputError("logged meal", "no foods")
    guard([p.food for p in portions], profile.avoided, "logged meal")
    entry = entry_id(meal, portions)
    rows = [r for r in day_log(app.storage, athlete_id, day) if r.entry != entry]
    rows += [
        LoggedFood(entry, p.food.fdc_id, round(p.grams, 1), p.food.nutrients(p.grams))
        for p in portions
    ]
    series = Streams(
        time=tuple(float(i) for i in range(len(rows))),
        channels={
            "entry": tuple(float(r.entry) for r in rows),
            "fdc_id": tuple(float(r.fdc_id) for r in rows),
            "grams": tuple(r.grams for r in rows),
            **{name: tuple(round(r.nutrients[name], 2) for r in rows) for name in NUTRIENTS},
        },
        sample_interval=None,
    )
    app.storage.put_streams(athlete_id, _log_key(day), series)
    totals = {name: round(sum(r.nutrients[name] for r in rows), 1) for name in NUTRIENTS}
    keep(app.storage, athlete_id, [Observation(SOURCE, KIND, day, totals)])
    return totals


def intake_on(app: App, athlete_id: str, day: dt.date) -> Observation | None:
    """The day's kept intake, if anything was logged."""
    return read(app.storage, athlete_id, SOURCE, KIND, day)


def intake_days(app: App, athlete_id: str, start: dt.date, end: dt.date) -> list[Observation]:
    """The kept intakes from ``start`` to ``end``."""
    return read_days(app.storage, athlete_id, SOURCE, KIND, start, end)
