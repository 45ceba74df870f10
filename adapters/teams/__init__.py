"""Microsoft Teams chat adapter.

Not built yet: the layout reserves its place; see the README's feature status.
"""
