"""Oura data source plugin.

Not built yet; see the README's feature status.
"""
