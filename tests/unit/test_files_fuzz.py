"""Fuzzing every file format: mutations of the real files never end a batch, and the
checked-in crash corpus (``tests/corpus/files``) stays fixed."""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum.core.errors import InputError
from momentum.core.memory import InMemoryStorage
from momentum.plugins.files.importer import import_paths
from tests import fuzz_inputs
from tests.unit.test_analytics_fixtures import ATHLETE

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "files"
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix != ".md")


def _import_one(name: str, data: bytes) -> None:
    """Import one input on its own: it is imported or fails alone, in one line."""
    with tempfile.TemporaryDirectory(prefix="momentum-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        report = import_paths(InMemoryStorage(), ATHLETE, [path])
    assert report.units >= 1
    for error in report.errors:
        assert isinstance(error, InputError)
        assert name in error.source
        assert error.reason and "\n" not in error.reason
    json.dumps(report.as_json())


def _family(suffixes: tuple[str, ...]) -> list[tuple[str, bytes]]:
    seeds = fuzz_inputs.seeds()
    if not seeds:
        pytest.skip(f"real activity files not found at {fuzz_inputs.DATA_DIR}")
    return [(n, d) for n, d in seeds if n.lower().endswith(suffixes)]


FAMILIES = {
    "fit": (".fit",),
    "gpx": (".gpx",),
    "tcx": (".tcx",),
    "csv": (".csv",),
    "zip": (".zip",),
    "gz": (".gz",),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(choice=st.integers(min_value=0), rng=st.randoms(use_true_random=False))
def test_mutated_files_fail_alone(family: str, choice: int, rng: random.Random) -> None:
    seeds = _family(FAMILIES[family])
    name, data = seeds[choice % len(seeds)]
    lower = name.lower().removesuffix(".gz")
    roll = rng.random()
    if lower.endswith(".fit") and roll < 0.6:
        data = fuzz_inputs.fix_fit_crc(fuzz_inputs.mutate(data, rng, rounds=1))
    elif lower.endswith((".gpx", ".tcx", ".csv")) and roll < 0.5:
        data = fuzz_inputs.mutate_values(data, rng)
    else:
        data = fuzz_inputs.mutate(data, rng)
    _import_one(name, data)


@given(rng=st.randoms(use_true_random=False))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_mutated_batch_looks_at_every_file(rng: random.Random) -> None:
    if not fuzz_inputs.seeds():
        pytest.skip(f"real activity files not found at {fuzz_inputs.DATA_DIR}")
    inputs = list(fuzz_inputs.mutated_inputs(rng, 6))
    with tempfile.TemporaryDirectory(prefix="momentum-fuzz-") as folder:
        paths = []
        for n, (name, data) in enumerate(inputs):
            path = Path(folder) / f"{n}-{name}"
            path.write_bytes(data)
            paths.append(path)
        seen: list[str] = []
        report = import_paths(
            InMemoryStorage(), ATHLETE, paths, lambda d, t, label: seen.append(label)
        )
    # Every file was looked at (exports count their rows and members too).
    assert report.units >= len(paths)
    assert {Path(p).name for p in paths} <= {Path(s.split(":")[0]).name for s in seen}


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_input_fails_alone_or_imports(path: Path) -> None:
    _import_one(path.name, path.read_bytes())


def test_corpus_stays_small() -> None:
    assert sum(p.stat().st_size for p in CORPUS.iterdir()) < 2 * 1024 * 1024


@pytest.mark.parametrize("name", ["bomb-65mb.gpx.gz", "bomb-65mb.zip"])
def test_decompression_bombs_are_refused_by_size(name: str) -> None:
    report = import_paths(InMemoryStorage(), ATHLETE, [CORPUS / name])
    (error,) = report.errors
    assert error.reason == "expands beyond 64 MB when decompressed"
