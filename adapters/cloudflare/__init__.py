"""Cloudflare adapter (Workers + D1 + R2 + cron triggers).

Not built yet: the layout reserves its place; see the README's feature status.
"""
