"""Run a coach's Pulumi program under Pulumi's mocks, for a project's own tests.

Each cloud package says declaratively what its resources must report back that its
inputs do not give (``MOCK_OUTPUTS``: per resource type, or ``"*"`` for every type, the
output properties with ``{name}`` standing for the resource's name) and what its provider
calls answer (``MOCK_CALLS``: per call token). A generated project's ``tests/test_infra.py``
calls :func:`run_program` with its stack config.
"""

from __future__ import annotations

import importlib
import json
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword"
"""pulumi-random's password (the generated dashboard key): the mock makes up its ``result``
as long as asked, since no provider runs."""


@dataclass(frozen=True)
class MockedResource:
    """One resource the program declared."""

    typ: str
    name: str
    inputs: dict[str, Any]


@dataclass
class StackMocks(pulumi.runtime.Mocks):  # type: ignore[misc]
    """Mocks that echo every resource's inputs as its state, plus the cloud's
    ``MOCK_OUTPUTS``, and answer calls from the cloud's ``MOCK_CALLS``."""

    cloud: str
    resources: list[MockedResource] = field(default_factory=list)

    def __post_init__(self) -> None:
        package = importlib.import_module(f"momentum.infra.{self.cloud}")
        self._outputs: dict[str, dict[str, Any]] = getattr(package, "MOCK_OUTPUTS", {})
        self._calls: dict[str, dict[str, Any]] = getattr(package, "MOCK_CALLS", {})

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        """The resource's state: its inputs, its name and the cloud's mock outputs."""
        state: dict[str, Any] = {"name": args.name, **dict(args.inputs)}
        for pattern in ("*", args.typ):
            for key, value in self._outputs.get(pattern, {}).items():
                filled = _fill(value, args.name)
                state[key] = filled if pattern == args.typ else state.get(key, filled)
        if args.typ == RANDOM_PASSWORD:
            state.setdefault("result", f"mock-{args.name}-".ljust(int(state["length"]), "0"))
        self.resources.append(MockedResource(args.typ, args.name, dict(args.inputs)))
        return f"{args.name}-id", state

    def call(self, args: Any) -> dict[str, Any]:
        """A provider call's answer (empty when the cloud declares none)."""
        return dict(self._calls.get(args.token, {}))

    def types(self) -> set[str]:
        """The type tokens of every resource declared."""
        return {r.typ for r in self.resources}


def _fill(value: Any, name: str) -> Any:
    if isinstance(value, str):
        return value.replace("{name}", name)
    if isinstance(value, dict):
        return {k: _fill(v, name) for k, v in value.items()}
    return value


def stack_config(project: Path, stack: str = "dev") -> dict[str, str]:
    """``Pulumi.<stack>.yaml``'s config as ``pulumi config`` hands it to a program (every
    value a string; lists and maps as JSON)."""
    import yaml

    path = project / f"Pulumi.{stack}.yaml"
    config = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("config") or {}
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}


def run_program(
    project: Path, config: dict[str, str], *, stack: str = "dev", secrets: tuple[str, ...] = ()
) -> StackMocks:
    """Run ``project/__main__.py`` under mocks with ``config`` (``momentum:cloud`` picks
    the cloud) and return the mocks, which list every resource declared. The caller
    runs in ``project`` (the program reads its ``momentum.toml`` from there)."""
    mocks = StackMocks(config.get("momentum:cloud") or "aws")
    pulumi.runtime.set_mocks(mocks, project=project.name, stack=stack, preview=False)
    pulumi.runtime.set_all_config(config, list(secrets))

    @pulumi.runtime.test  # type: ignore[misc]
    def deploy() -> None:
        runpy.run_path(str(project / "__main__.py"), run_name="__main__")

    try:
        deploy()
    finally:
        pulumi.runtime.set_all_config({})
    return mocks
