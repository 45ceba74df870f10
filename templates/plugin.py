"""``momentum new --plugin DIR``: a plugin package from ``templates/plugin`` (a data
source or a coaching domain), with its entry point, a hookimpl, tests on
``momentum.testing`` and a README."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from momentum.core.errors import InputError
from momentum.templates.coach import Generated
from momentum.templates.names import check_name, module_name
from momentum.templates.render import commit_new_repository, render
from momentum.templates.template_repo import template_version, templates_dir

KINDS = ("source", "domain")
"""What a plugin package can start as."""
PREFIX = "momentum-"


@dataclass(frozen=True)
class PluginChoices:
    """What a new plugin package is."""

    name: str
    kind: str = "source"

    @property
    def plugin_name(self) -> str:
        """The name it registers under: the package name without ``momentum-``, as an
        identifier (``momentum-rowing-log`` → ``rowing_log``)."""
        return module_name(self.name.removeprefix(PREFIX))


def new_plugin(
    dest: Path,
    choices: PluginChoices,
    *,
    force: bool = False,
    template: Path | None = None,
    init_git: bool = True,
) -> Generated:
    """Generate a plugin package in ``dest`` (nothing is written when an answer is
    refused)."""
    template = template or templates_dir() / "plugin"
    check_name(choices.name)
    if choices.kind not in KINDS:
        raise InputError("--kind", f"{choices.kind!r} is not a plugin kind; choose {KINDS}")
    data = {
        "answers_format": 1,
        "name": choices.name,
        "module": module_name(choices.name),
        "kind": choices.kind,
        "plugin_name": choices.plugin_name,
    }
    files = render(template, dest, data, force=force)
    version = template_version(template)
    made = init_git and commit_new_repository(dest, f"momentum new --plugin: {choices.name}")
    return Generated(path=dest, version=version, files=files, git_initialised=made)
