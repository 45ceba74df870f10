"""D1's wrangler migration files, generated from the SQLite store's migrations.

D1 is SQLite, so its schema is the local store's (:data:`momentum.adapters.local.migrations.
MIGRATIONS`): each migration becomes ``adapters/cloudflare/migrations/NNNN_<name>.sql``,
applied with ``wrangler d1 migrations apply`` (wrangler records what ran in its own
``d1_migrations`` table, where SQLite uses ``PRAGMA user_version``). A test checks the
files match; after adding a migration, regenerate them::

    python -m momentum.adapters.cloudflare.d1_migrations --write

Build-time only: a Worker never imports this module.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from momentum.adapters.local.migrations import MIGRATIONS, Migration

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
"""Where wrangler reads them (``migrations_dir`` in the generated wrangler config)."""


def file_name(number: int, migration: Migration) -> str:
    """``0001_initial_schema.sql`` for the first migration."""
    slug = re.sub(r"[^a-z0-9]+", "_", migration.name.lower()).strip("_")
    return f"{number:04d}_{slug}.sql"


def render(number: int, migration: Migration) -> str:
    """The SQL file for one migration: its statements in order, each ending in ``;``."""
    lines = [
        f"-- Migration {number}: {migration.name}.",
        "-- Generated from momentum.adapters.local.migrations; do not edit. Regenerate with",
        "-- python -m momentum.adapters.cloudflare.d1_migrations --write",
        "",
    ]
    for statement in migration.statements:
        lines.append(textwrap.dedent(statement).strip().rstrip(";") + ";")
        lines.append("")
    return "\n".join(lines)


def expected_files() -> dict[str, str]:
    """File name → content for every migration, oldest first."""
    return {file_name(n, m): render(n, m) for n, m in enumerate(MIGRATIONS, start=1)}


def write(folder: Path = MIGRATIONS_DIR) -> list[str]:
    """(Re)write the files in ``folder``; returns the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    files = expected_files()
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return list(files)


def main(argv: list[str], folder: Path = MIGRATIONS_DIR) -> int:
    """``--write`` regenerates the files; otherwise exit 1 when they differ."""
    if "--write" in argv:
        for name in write(folder):
            print(f"wrote {folder / name}")
        return 0
    stale = [
        name
        for name, content in expected_files().items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != content
    ]
    for name in stale:
        print(f"out of date: {folder / name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
