"""One progress bar for the local CLI's long jobs (``import``, ``recompute``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

ProgressCallback = Callable[[int, int, str], None]
"""``(done, total, label)``: how far a job is and what it is working on."""


@contextmanager
def progress_bar(
    verb: str, console: Console, *, label: Callable[[str], str] = str
) -> Iterator[ProgressCallback]:
    """A transient bar (``verb``, bar, done/total, elapsed, current item) on ``console``;
    yields the callback the job reports through. ``label`` shortens the item's name."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(f"[bold]{verb}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_progress(done: int, total: int, item: str) -> None:
            progress.update(task, completed=done, total=total, description=label(item))

        yield on_progress
