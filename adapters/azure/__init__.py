"""Azure adapter (Functions + Table Storage + Blob Storage).

Not built yet: the layout reserves its place; see the README's feature status.
"""
