"""The Secrets port locally: the environment first, then owner-only files in
``<home>/secrets/<NAME>`` (one value per file, trailing newline ignored).

A secrets file that the group or others can read is refused with an error naming the file
(never its value), as ssh refuses a private key with loose permissions.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from momentum.core.errors import ConfigError
from momentum.core.ports.secrets import Secrets

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class LocalSecrets(Secrets):
    """``env`` (default: the process environment), then ``folder``'s files."""

    def __init__(self, folder: Path | str, env: Mapping[str, str] | None = None) -> None:
        self.folder = Path(folder)
        self.env = os.environ if env is None else env

    def get(self, name: str) -> str | None:
        """The secret ``name`` (``None`` when unset or empty). Raises :class:`ConfigError`
        for a malformed name or a file others may read."""
        if not _NAME.match(name):
            raise ConfigError(f"secret name {name!r} is not UPPER_SNAKE_CASE")
        value = self.env.get(name)
        if value:
            return value
        path = self.folder / name
        try:
            mode = path.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(f"{path}: readable by others (mode {mode & 0o777:o}); chmod 600 it")
        text = path.read_text(encoding="utf-8").rstrip("\r\n")
        return text or None

    def put(self, name: str, value: str) -> None:
        """Store a secret as an owner-only file (the folder is made 0700)."""
        if not _NAME.match(name):
            raise ConfigError(f"secret name {name!r} is not UPPER_SNAKE_CASE")
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.folder / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(value)
        os.chmod(path, 0o600)

    def __repr__(self) -> str:  # never show values
        return f"{type(self).__name__}({self.folder})"
