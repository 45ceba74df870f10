"""The dashboard: the training, the plan and the cost as web pages.

Pure presentation over core's analytics. :mod:`~momentum.core.dashboard.overview`,
:mod:`~momentum.core.dashboard.activity` and :mod:`~momentum.core.dashboard.plan` build
each page's figures (JSON-ready dicts); :mod:`~momentum.core.dashboard.charts` turns them
into Vega-Lite specs; :mod:`~momentum.core.dashboard.site` serves pages, JSON and the
vendored chart scripts from neutral HTTP requests, so every target can carry it.
"""
