"""Keeping a coach's home private: the folder 0700, the database and secret files 0600.

The home holds OAuth tokens, chat history and health data. A home or file that other
users can read (made by an older version, or copied with a lax umask) is tightened when
the coach opens it, with a warning saying what was changed.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("momentum.local")

HOME_MODE = 0o700
FILE_MODE = 0o600
PRIVATE_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The database file and the files SQLite keeps next to it."""


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) with the home's mode 0700."""
    path.mkdir(mode=HOME_MODE, parents=True, exist_ok=True)
    tighten(path, HOME_MODE)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (no window where it is
    readable by others), else make sure its mode is 0600."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        tighten(path, FILE_MODE)
    else:
        os.close(fd)


def tighten(path: Path, mode: int) -> bool:
    """Take away every permission of ``path`` beyond ``mode``; True (and a warning) when
    something had to change. Missing files and foreign-owned files are left alone."""
    try:
        info = path.stat()
    except OSError:
        return False
    current = stat.S_IMODE(info.st_mode)
    if current & ~mode == 0:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        log.warning("%s is readable by others (mode %o) but not yours to fix", path, current)
        return False
    os.chmod(path, current & mode)
    log.warning(
        "%s was readable by other users (mode %o); changed it to %o", path, current, current & mode
    )
    return True


def tighten_database(database: Path) -> None:
    """Mode 0600 on the database and SQLite's side files (WAL, shared memory, journal)."""
    for suffix in PRIVATE_SUFFIXES:
        tighten(database.with_name(database.name + suffix), FILE_MODE)
