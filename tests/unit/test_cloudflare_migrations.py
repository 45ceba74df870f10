"""D1's wrangler migration files are generated from the SQLite store's migrations and
must stay in step with them: same files, and the same schema once applied."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from momentum.adapters.cloudflare import d1_migrations
from momentum.adapters.local.migrations import MIGRATIONS
from momentum.adapters.local.sqlite_storage import SqliteStorage


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [(kind, name, " ".join(sql.split())) for kind, name, sql in rows]


def test_the_files_match_the_sqlite_migrations() -> None:
    on_disk = sorted(p.name for p in d1_migrations.MIGRATIONS_DIR.glob("*.sql"))
    expected = d1_migrations.expected_files()
    assert on_disk == sorted(expected), (
        "run python -m momentum.adapters.cloudflare.d1_migrations --write"
    )
    assert len(expected) == len(MIGRATIONS)
    for name, content in expected.items():
        assert (d1_migrations.MIGRATIONS_DIR / name).read_text(encoding="utf-8") == content, name
    assert d1_migrations.main([]) == 0


def test_applied_in_order_they_build_the_sqlite_schema(tmp_path: Path) -> None:
    d1 = sqlite3.connect(tmp_path / "d1.db")
    for path in sorted(d1_migrations.MIGRATIONS_DIR.glob("*.sql")):
        d1.executescript(path.read_text(encoding="utf-8"))
    with SqliteStorage(tmp_path / "local.db") as storage:
        local = sqlite3.connect(storage.path)
        assert _schema(d1) == _schema(local)
        assert len(_schema(d1)) > 10
        local.close()
    d1.close()


def test_a_stale_file_is_reported(tmp_path: Path) -> None:
    written = d1_migrations.write(tmp_path)
    assert written == sorted(written) and written[0].startswith("0001_")
    (tmp_path / written[-1]).write_text("-- edited by hand\n")
    assert d1_migrations.main([], tmp_path) == 1
    assert d1_migrations.main(["--write"], tmp_path) == 0
    assert d1_migrations.main([], tmp_path) == 0
