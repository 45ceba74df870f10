"""The Teams connector runs the SDK's coroutines from synchronous code, also when the
calling thread already runs an event loop (an async host, Playwright's sync API).

Each case runs on a fresh thread, so whatever loop the test process's main thread holds
(Playwright's, when the browser tests share this worker) can't change what is measured."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from momentum.adapters.teams.connector import Connector
from momentum.adapters.teams.settings import TeamsSettings


async def _where() -> tuple[str, bool]:
    await asyncio.sleep(0)
    return threading.current_thread().name, asyncio.get_running_loop().is_running()


def _on_a_fresh_thread(work: Callable[[], Any]) -> tuple[str, Any]:
    result: dict[str, Any] = {}

    def run() -> None:
        result["value"] = work()

    thread = threading.Thread(target=run, name="caller")
    thread.start()
    thread.join(10)
    return thread.name, result["value"]


def test_without_a_running_loop_the_call_runs_on_the_calling_thread() -> None:
    connector = Connector(TeamsSettings())
    caller, (name, running) = _on_a_fresh_thread(lambda: connector._run(_where()))
    assert name == caller and running


def test_inside_a_running_loop_the_call_runs_on_a_thread_of_its_own() -> None:
    connector = Connector(TeamsSettings())

    async def host() -> tuple[str, bool]:
        return connector._run(_where())  # a synchronous call from inside the host's loop

    _caller, (name, running) = _on_a_fresh_thread(lambda: asyncio.run(host()))
    assert name.startswith("momentum-teams") and running
