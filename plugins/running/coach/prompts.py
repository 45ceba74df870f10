"""Prompt templates: jinja2 files a coach project can override one at a time.

Templates are looked up along a search path: the coach's own override directories
first (``<home>/prompts`` and any ``[prompts] dirs = [...]`` in ``momentum.toml``), then
each domain plugin's ``prompt_dir``, then the built-in ``plugins/running/prompts``. Dropping one
file such as ``examples/fragile.j2`` into ``<home>/prompts`` replaces just that file.
jinja2 is imported on first render so ``import core`` stays fast.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from momentum.core.config import Settings
    from momentum.core.plugins.host import PluginHost

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "prompts"


def search_path(settings: Settings | None = None, plugins: PluginHost | None = None) -> list[Path]:
    """Override dirs, then domain prompt dirs, then the built-in templates."""
    dirs: list[Path] = []
    if settings is not None:
        dirs.append(Path(settings.home) / "prompts")
        section = settings.extra.get("prompts") or {}
        if isinstance(section, Mapping):
            extra_dirs = section.get("dirs") or []
            if isinstance(extra_dirs, str):
                extra_dirs = [extra_dirs]
            for entry in extra_dirs:
                path = Path(str(entry)).expanduser()
                dirs.append(path if path.is_absolute() else Path(settings.home) / path)
    if plugins is not None:
        dirs.extend(d.prompt_dir for d in plugins.domains() if d.prompt_dir is not None)
    dirs.append(BUILTIN_DIR)
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


@functools.lru_cache(maxsize=16)
def _environment(paths: tuple[str, ...]) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(paths)),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )

    @jinja2.pass_context
    def say(context: Any, slot: str) -> str:
        """A fresh, true sentence for ``slot`` from the phrase bank
        (:mod:`momentum.plugins.running.coach.phrasing`), given the template's ``f`` (facts),
        ``avoid`` (sentences read lately) and ``seed``."""
        from momentum.plugins.running.coach.phrasing import choose

        facts = context.get("f") or {}
        avoid = context.get("avoid") or ()
        said = context.get("said")
        text = choose(slot, facts, [*(said or ()), *avoid], str(context.get("seed") or ""))
        if isinstance(said, list) and text:
            said[:0] = [text]  # two slots in one message never say the same sentence
        return text

    env.globals["say"] = say
    return env


class Prompts:
    """Renders templates from a search path."""

    def __init__(self, dirs: Sequence[Path] | None = None) -> None:
        self.dirs = tuple(str(d) for d in (dirs or [BUILTIN_DIR]))

    @classmethod
    def for_app(cls, settings: Settings, plugins: PluginHost | None) -> Prompts:
        """Prompts for one coach, honouring its overrides and its domains' templates."""
        return cls(search_path(settings, plugins))

    def render(self, name: str, **values: Any) -> str:
        """Render template ``name`` (e.g. ``"checkin.j2"``) with ``values``."""
        template = _environment(self.dirs).get_template(name)
        text = template.render(**values)
        return "\n".join(line.rstrip() for line in text.strip().splitlines())

    def exists(self, name: str) -> bool:
        """Whether ``name`` is found on the search path."""
        return any((Path(d) / name).is_file() for d in self.dirs)

    def source_of(self, name: str) -> Path | None:
        """The file that would be used for ``name`` (the first on the search path)."""
        for d in self.dirs:
            path = Path(d) / name
            if path.is_file():
                return path
        return None

    def names(self) -> Iterable[str]:
        """Every template name visible on the search path."""
        found: set[str] = set()
        for d in self.dirs:
            for path in Path(d).rglob("*.j2"):
                found.add(path.relative_to(d).as_posix())
        return sorted(found)
