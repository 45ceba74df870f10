"""The rule a project or plugin name follows, in one place."""

from __future__ import annotations

import re

from momentum.core.errors import InputError

NAME_RULE = (
    "2-40 characters: lowercase letters, digits and single hyphens, starting with a letter "
    "and not ending with a hyphen (e.g. my-coach)"
)
_NAME = re.compile(r"^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,39}$")


def check_name(name: str, *, option: str = "--name") -> str:
    """``name`` if it follows :data:`NAME_RULE`, else :class:`InputError` stating the rule."""
    if not _NAME.match(name):
        raise InputError(option, f"{name!r} is not a valid name: {NAME_RULE}")
    return name


def default_name(folder_name: str) -> str:
    """A valid name made from a folder's name (``My Coach`` → ``my-coach``)."""
    words = re.findall(r"[a-z0-9]+", folder_name.lower())
    name = "-".join(words).lstrip("0123456789-")[:40].rstrip("-")
    return name if _NAME.match(name) else "my-coach"


def module_name(name: str) -> str:
    """The Python import name for a project name (``my-plugin`` → ``my_plugin``)."""
    return name.replace("-", "_")
