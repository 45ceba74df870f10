"""Cold start of the Azure function app beside ``import boto3``, measured in one run.

Run: ``.venv/bin/python benchmarks/azure_cold_import.py [--runs 5]``.

The package is built by the stack's bundler (``cloud="azure"``, local distributions, no
.pyc) and extracted; each Azure figure is a fresh ``python -S -I -B`` over the package
alone, as the Functions worker loads it. Timed inside the child around the import (and
the app build), so interpreter start-up is excluded; the median over ``--runs`` is shown.
``import boto3`` runs from the venv (with its cached bytecode: a generous baseline), and so
do the SDKs in ``function_app_and_app_ms`` (the bundler's offline mode cannot copy compiled
wheels such as cryptography); Momentum itself always comes from the package.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLOCKED = (
    "import time as _t, json as _j; _s = _t.perf_counter(); {body}; "
    "print(_j.dumps((_t.perf_counter() - _s) * 1000))"
)
BUILD = (
    "import function_app; from momentum.adapters.azure.bootstrap import build_azure_app; "
    "build_azure_app({{'MOMENTUM_STORAGE_CONNECTION': {conn!r}, 'SLACK_BOT_TOKEN': 'xoxb-x', "
    "'MOMENTUM_HOME': {home!r}}})"
)
CONNECTION = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
    "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/"
    "devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;"
)
DISTRIBUTIONS = (
    "jinja2",
    "pluggy",
    "tzdata",
    "azure-functions",
    "azure-data-tables",
    "azure-storage-blob",
    "azure-storage-queue",
    "slack-sdk",
    "slack-bolt",
)


def build_package(where: Path) -> Path:
    """The Functions package, extracted under ``where``."""
    from momentum.infra.aws.bundle import BundleSpec, build_bundle
    from momentum.infra.azure.component import azure_bundle

    spec = azure_bundle(BundleSpec(ROOT, chat="slack", local_distributions=DISTRIBUTIONS))
    built = build_bundle(spec, where / "package.zip")
    root = where / "wwwroot"
    zipfile.ZipFile(built.path).extractall(root)
    return root


def timed(command: list[str], setup: str, body: str) -> float:
    """Milliseconds one fresh interpreter (``command -c``) spends on ``body``."""
    code = setup + CLOCKED.format(body=body)
    result = subprocess.run([*command, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return float(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Print the medians (JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = build_package(Path(scratch))
        from momentum.infra.azure.component import SITE_PACKAGES

        paths = [str(root), str(root / SITE_PACKAGES)]
        bare = ([sys.executable, "-S", "-I", "-B"], f"import sys; sys.path[:0] = {paths!r}; ")
        venv = ([sys.executable, "-B"], "")
        # Compiled SDK dependencies (cryptography) can't come from local distributions, so the
        # app build takes Momentum from the package and the SDKs from the venv.
        mixed = ([sys.executable, "-B"], f"import sys; sys.path[:0] = {[str(root)]!r}; ")
        variants = {
            "boto3_ms": (venv, "import boto3"),
            "azure_functions_ms": (bare, "import azure.functions"),
            "function_app_import_ms": (bare, "import function_app"),
            "function_app_and_app_ms": (mixed, BUILD.format(conn=CONNECTION, home=str(root))),
        }
        samples: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(max(1, args.runs)):
            for name, ((command, setup), body) in variants.items():
                samples[name].append(timed(command, setup, body))
    print(json.dumps({k: round(statistics.median(v), 1) for k, v in samples.items()}, indent=2))


if __name__ == "__main__":
    main()
