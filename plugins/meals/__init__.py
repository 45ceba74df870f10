"""Meals coaching domain plugin.

Not built yet; see the README's feature status.
"""
