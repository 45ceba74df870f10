"""Vega-Lite specifications: the helpers every chart uses, and core's own charts.

A chart is a dict with an ``id``, a ``title``, a ``description`` (the text alternative a
screen reader announces) and a Vega-Lite ``spec`` whose data are the page model's rows,
inlined as named ``datasets``. The browser only draws: no number is derived in JavaScript
(axis labels only format). Domains build their charts with :func:`spec` and
:func:`chart`; core draws model cost and daily observations (:mod:`.observations`).
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

Chart = dict[str, Any]


def spec(name: str, rows: list[dict[str, Any]], body: dict[str, Any], **top: Any) -> Any:
    """A Vega-Lite spec drawing ``body`` over ``rows`` (inlined as dataset ``name``), as
    wide as its card; ``top`` sets top-level keys (``height``, ``width``)."""
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": top.pop("height", 220),
        "datasets": {name: rows},
        "data": {"name": name},
        "config": {"font": "system-ui, sans-serif", "axis": {"labelFontSize": 11}},
        **top,
        **body,
    }


def chart(chart_id: str, title: str, description: str, spec: dict[str, Any]) -> Chart:
    """One chart: its id, title, text alternative and spec (the spec repeats the
    description, which Vega-Lite puts on the SVG as its ``aria-label``)."""
    spec.setdefault("description", description)
    return {"id": chart_id, "title": title, "description": description, "spec": spec}


def cost_chart(rows: list[dict[str, Any]]) -> Chart:
    """Model cost per month as bars against the monthly budget as a rule."""
    budget = rows[0]["budget_usd"] if rows else 0.0
    body = {
        "layer": [
            {
                "mark": {"type": "bar", "color": "#00897b", "tooltip": True},
                "encoding": {
                    "x": {"field": "month", "type": "ordinal", "title": None},
                    "y": {"field": "cost_usd", "type": "quantitative", "title": "US dollars"},
                },
            },
            {
                "mark": {"type": "rule", "color": "#c62828", "strokeDash": [4, 3]},
                "encoding": {"y": {"datum": budget, "type": "quantitative"}},
            },
        ]
    }
    spent = round(sum(r["cost_usd"] for r in rows), 4)
    return chart(
        "cost",
        "Model cost per month against the budget",
        f"Cost of model calls per month, {spent} US dollars over {len(rows)} months; "
        f"dashed line: the budget of {budget} a month.",
        spec("cost", rows, body, height=180),
    )
