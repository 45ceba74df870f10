"""The running domain's charts, built with core's chart helpers from a page's figures.

The browser only draws: no number is derived in JavaScript (axis labels format seconds
as m:ss, nothing more).
"""

from __future__ import annotations

from typing import Any

from momentum.core.dashboard.charts import Chart, chart, spec

PACE_LABEL = (
    "floor(datum.value / 60) + ':' + (datum.value % 60 < 9.5 ? '0' : '') + round(datum.value % 60)"
)
"""Axis labels for seconds per km as m:ss (formatting only)."""
STATUS_COLOURS = {
    "domain": ["done", "extra", "missed", "rest", "planned"],
    "range": ["#2e7d32", "#66bb6a", "#c62828", "#e0e0e0", "#90caf9"],
}

LABELLED_WEEKS = 13
"""At most this many week labels on an axis (52 would overlap)."""


def volume_chart(rows: list[dict[str, Any]], weeks: str) -> Chart:
    """Weekly aerobic minutes as bars, the plan's minutes as ticks."""
    done = sum(r["minutes"] for r in rows)
    planned = sum(r["planned_minutes"] or 0 for r in rows)
    axis: dict[str, Any] = {"labelAngle": -45}
    if len(rows) > LABELLED_WEEKS:
        axis["values"] = [r["week"] for r in rows[:: len(rows) // LABELLED_WEEKS + 1]]
    body = {
        "encoding": {"x": {"field": "week", "type": "ordinal", "title": "Week of", "axis": axis}},
        "layer": [
            {
                "mark": {"type": "bar", "color": "#1565c0", "tooltip": True},
                "encoding": {"y": {"field": "minutes", "type": "quantitative", "title": "Minutes"}},
            },
            {
                "mark": {"type": "tick", "color": "#ef6c00", "thickness": 3},
                "encoding": {"y": {"field": "planned_minutes", "type": "quantitative"}},
            },
        ],
    }
    return chart(
        f"volume-{weeks}",
        f"Weekly volume against the plan, {weeks} weeks",
        f"Bars: aerobic minutes run each week over {weeks} weeks ({done} in all); "
        f"orange ticks: minutes planned ({planned} in all).",
        spec(f"volume{weeks}", rows, body),
    )


def consistency_chart(rows: list[dict[str, Any]]) -> Chart:
    """A calendar: one square per day, coloured by done, missed, rest, extra, planned."""
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_COLOURS["domain"]}
    body = {
        "mark": {"type": "rect", "tooltip": True, "stroke": "white"},
        "encoding": {
            "x": {"field": "week", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}},
            "y": {
                "field": "weekday",
                "type": "ordinal",
                "title": None,
                "sort": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": STATUS_COLOURS,
                "legend": {"orient": "bottom", "title": None},
            },
        },
    }
    said = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return chart(
        "consistency",
        "Consistency calendar",
        f"One square per day over the last {len(rows)} days: {said}.",
        spec("consistency", rows, body, height=180),
    )


def pmc_chart(rows: list[dict[str, Any]]) -> Chart:
    """Fitness, fatigue and form as three lines over the days."""
    last = rows[-1] if rows else {"fitness": 0, "fatigue": 0, "form": 0}
    body = {
        "transform": [{"fold": ["fitness", "fatigue", "form"], "as": ["measure", "value"]}],
        "mark": {"type": "line", "strokeWidth": 1.5},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {"field": "value", "type": "quantitative", "title": "Load units"},
            "color": {
                "field": "measure",
                "type": "nominal",
                "scale": {
                    "domain": ["fitness", "fatigue", "form"],
                    "range": ["#1565c0", "#c62828", "#f9a825"],
                },
                "legend": {"orient": "bottom", "title": None},
            },
        },
    }
    return chart(
        "pmc",
        "Fitness, fatigue and form",
        f"Daily fitness (CTL), fatigue (ATL) and form (TSB) over {len(rows)} days; latest "
        f"fitness {last['fitness']}, fatigue {last['fatigue']}, form {last['form']}.",
        spec("pmc", rows, body),
    )


def efficiency_chart(rows: list[dict[str, Any]]) -> Chart:
    """Each run's efficiency factor (points) and decoupling (points, second panel)."""
    x: dict[str, Any] = {"field": "day", "type": "temporal", "title": None}
    point: dict[str, Any] = {"type": "point", "filled": True, "tooltip": True}
    body = {
        "vconcat": [
            {
                "mark": point,
                "width": "container",
                "height": 140,
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "ef",
                        "type": "quantitative",
                        "title": "EF",
                        "scale": {"zero": False},
                    },
                },
            },
            {
                "width": "container",
                "height": 120,
                "mark": {**point, "color": "#6a1b9a"},
                "encoding": {
                    "x": x,
                    "y": {"field": "decoupling", "type": "quantitative", "title": "Decoupling %"},
                },
            },
        ]
    }
    made = spec("efficiency", rows, body)
    made.pop("height")
    return chart(
        "efficiency",
        "Aerobic efficiency",
        f"Efficiency factor and decoupling of {len(rows)} runs; a rising EF and a low "
        "decoupling mean the aerobic engine is growing.",
        made,
    )


def vdot_chart(rows: list[dict[str, Any]]) -> Chart:
    """VDOT over time (each point from the evidence known that day)."""
    body = {
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "title": None},
            "y": {
                "field": "vdot",
                "type": "quantitative",
                "title": "VDOT",
                "scale": {"zero": False},
            },
        },
    }
    latest = rows[-1]["vdot"] if rows else None
    return chart(
        "vdot",
        "VDOT and race predictions",
        f"VDOT every four weeks ({len(rows)} points), latest {latest}.",
        spec("vdot", rows, body, height=180),
    )


def overview_charts(model: dict[str, Any]) -> list[Chart]:
    """The running section's charts on the Overview, in page order."""
    charts = [volume_chart(model["volume"][k], k) for k in sorted(model["volume"], key=int)]
    charts += [
        consistency_chart(model["consistency"]),
        pmc_chart(model["pmc"]),
        efficiency_chart(model["efficiency"]),
        vdot_chart(model["vdot"]),
    ]
    return charts


def _extent(values: list[float]) -> list[float]:
    return [min(values), max(values)]


def route_chart(rows: list[dict[str, Any]]) -> Chart:
    """The track as a line in metres east/north of the start, on equal scales (so the
    shape is true) centred on the route; no map tiles."""
    xs, ys = _extent([r["x"] for r in rows]), _extent([r["y"] for r in rows])
    half = max(xs[1] - xs[0], ys[1] - ys[0], 1.0) / 2 * 1.05
    mid_x, mid_y = sum(xs) / 2, sum(ys) / 2
    body = {
        "mark": {"type": "line", "strokeWidth": 2.5, "color": "#c62828"},
        "encoding": {
            "x": {
                "field": "x",
                "type": "quantitative",
                "scale": {"domain": [mid_x - half, mid_x + half]},
                "axis": None,
            },
            "y": {
                "field": "y",
                "type": "quantitative",
                "scale": {"domain": [mid_y - half, mid_y + half]},
                "axis": None,
            },
            "order": {"field": "order"},
        },
    }
    across = round(2 * half / 1.05 / 1000.0, 1)
    return chart(
        "route",
        "Route",
        f"The route drawn from its GPS track ({len(rows)} points), north up, "
        f"about {across} km across.",
        spec("route", rows, body, height=300, width=300),
    )


def profile_chart(rows: list[dict[str, Any]]) -> Chart:
    """Pace, grade-adjusted pace, heart rate and elevation over distance, stacked."""
    x = {"field": "km", "type": "quantitative", "title": "km"}
    pace_axis = {"labelExpr": PACE_LABEL}

    def panel(field: str, title: str, colour: str, **y: Any) -> dict[str, Any]:
        return {
            "width": "container",
            "height": 110,
            "mark": {"type": "line", "color": colour, "tooltip": True},
            "encoding": {
                "x": x,
                "y": {"field": field, "type": "quantitative", "title": title, **y},
            },
        }

    body = {
        "vconcat": [
            {
                "width": "container",
                "height": 130,
                "transform": [{"fold": ["pace", "gap"], "as": ["measure", "value"]}],
                "mark": {"type": "line", "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": "min/km",
                        "scale": {"reverse": True, "zero": False},
                        "axis": pace_axis,
                    },
                    "color": {
                        "field": "measure",
                        "type": "nominal",
                        "legend": {"orient": "top", "title": None},
                    },
                },
            },
            panel("hr", "Heart rate", "#c62828", scale={"zero": False}),
            panel("elevation", "Elevation m", "#6d4c41", scale={"zero": False}),
        ]
    }
    made = spec("profile", rows, body)
    made.pop("height")
    return chart(
        "profile",
        "Pace, grade-adjusted pace, heart rate and elevation",
        f"Pace and grade-adjusted pace, heart rate and elevation over {len(rows)} stretches "
        "of distance.",
        made,
    )


def splits_chart(rows: list[dict[str, Any]]) -> Chart:
    """One bar per kilometre split: its pace."""
    body = {
        "mark": {"type": "bar", "color": "#1565c0", "tooltip": True},
        "encoding": {
            "x": {"field": "km", "type": "ordinal", "title": "Split (km)"},
            "y": {
                "field": "pace",
                "type": "quantitative",
                "title": "min/km",
                "axis": {"labelExpr": PACE_LABEL},
            },
        },
    }
    return chart(
        "splits",
        "Splits",
        f"Pace of each of {len(rows)} kilometre splits.",
        spec("splits", rows, body, height=180),
    )


def zones_chart(rows: list[dict[str, Any]]) -> Chart:
    """Minutes in each heart-rate zone."""
    body = {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "zone", "type": "ordinal", "title": None},
            "x": {"field": "minutes", "type": "quantitative", "title": "Minutes"},
            "color": {
                "field": "zone",
                "type": "ordinal",
                "scale": {"scheme": "orangered"},
                "legend": None,
            },
        },
    }
    said = ", ".join(f"{r['zone']} {r['minutes']} min" for r in rows)
    return chart(
        "zones",
        "Heart-rate zones",
        f"Minutes in each heart-rate zone: {said}.",
        spec("zones", rows, body, height=150),
    )


def activity_charts(model: dict[str, Any]) -> list[Chart]:
    """The Activity page's charts (the route only when the track has positions)."""
    charts = [route_chart(model["route"])] if model["route"] else []
    if model["profile"]:
        charts.append(profile_chart(model["profile"]))
    if model["splits"]:
        charts.append(splits_chart(model["splits"]))
    charts.append(zones_chart(model["zones"]))
    return charts


def plan_charts(model: dict[str, Any]) -> list[Chart]:
    """The Plan page's chart: planned minutes per coming week, coloured by phase."""
    rows = model["weeks"]
    if not rows:
        return []
    body = {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {
                "field": "week",
                "type": "ordinal",
                "title": "Week of",
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "planned_minutes", "type": "quantitative", "title": "Planned minutes"},
            "color": {"field": "phase", "type": "nominal", "legend": {"orient": "bottom"}},
        },
    }
    phases = ", ".join(dict.fromkeys(r["phase"] for r in rows))
    return [
        chart(
            "plan-weeks",
            "The coming weeks",
            f"Planned minutes for each of the next {len(rows)} weeks, by phase: {phases}.",
            spec("weeks", rows, body),
        )
    ]
