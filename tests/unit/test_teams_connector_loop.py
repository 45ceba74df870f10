"""The Teams connector runs the SDK's coroutines from synchronous code, also when the
calling thread already runs an event loop (an async host, Playwright's sync API)."""

from __future__ import annotations

import asyncio
import threading

from momentum.adapters.teams.connector import Connector
from momentum.adapters.teams.settings import TeamsSettings


async def _where() -> tuple[str, bool]:
    await asyncio.sleep(0)
    return threading.current_thread().name, asyncio.get_running_loop().is_running()


def test_without_a_running_loop_the_call_runs_on_the_calling_thread() -> None:
    connector = Connector(TeamsSettings())
    name, running = connector._run(_where())
    assert name == threading.current_thread().name and running


def test_inside_a_running_loop_the_call_runs_on_a_thread_of_its_own() -> None:
    connector = Connector(TeamsSettings())

    async def host() -> tuple[str, bool]:
        return connector._run(_where())  # a synchronous call from inside the host's loop

    name, running = asyncio.run(host())
    assert name.startswith("momentum-teams") and running
