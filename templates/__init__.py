"""Jinja2 templates for new coach projects and plugin packages (`momentum new`).

Not built yet; see the README's feature status.
"""
