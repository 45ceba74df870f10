"""The Blob port on local files: ``<home>/blobs/<key>``, folders 0700 and files 0600.

A put writes a temporary file beside the target and renames it into place, so a reader
sees the old bytes or the new, never a mix. Keys are checked by core's
:func:`~momentum.core.ports.blob.check_key`, so no key escapes the folder.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from momentum.core.ports.blob import Blob, check_key

SUFFIX = ".tmp-momentum"


class FileBlob(Blob):
    """Objects as files under ``root`` (created 0700 when missing)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Write ``data`` to ``key`` atomically, owner-only."""
        path = self._path(key)
        for folder in reversed([path.parent, *path.parent.parents]):
            if folder == self.root or self.root in folder.parents:
                with contextlib.suppress(FileExistsError):
                    folder.mkdir(mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=SUFFIX)
        try:
            with os.fdopen(fd, "wb") as handle:  # mkstemp makes it 0600
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def get(self, key: str) -> bytes | None:
        """The file's bytes, or ``None``."""
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            self._path(key).unlink()

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with ``prefix``, sorted (a snapshot)."""
        if not self.root.is_dir():
            return iter(())
        found = []
        for path in self.root.rglob("*"):
            if path.is_file() and not path.name.endswith(SUFFIX):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    found.append(key)
        return iter(sorted(found))
