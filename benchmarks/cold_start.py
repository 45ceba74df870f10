"""Cold start, side by side in one run, as whole processes: ``import boto3`` alone, each
target's handler import plus building its app from the bundle as shipped, and
``import momentum`` over a bare interpreter.

    .venv/bin/python benchmarks/cold_start.py [--json] [--runs 7] [--targets aws]

Each figure is the median over ``--runs`` fresh interpreters (every variant in every round,
in rotating order, so caches treat them alike); the time is measured inside the child
around the snippet, so interpreter start-up itself is excluded. A target's handler runs
from its built bundle, extracted to a temporary folder, with ``-S -I -B`` (no
site-packages, no ``.pyc`` written or found: the bundle ships none), as on the platform.
``import boto3`` runs in this environment (Lambda's runtime provides boto3, with its
``.pyc``). The app is built with a log chat and no cloud call: clients are lazy.

Adding a target (Cloudflare) is one entry in :data:`TARGETS`: how to build its bundle into a
folder, and the snippet that imports its handler and builds the app. GCP's source ships no
third-party packages (Cloud Build installs ``requirements.txt``), so its snippet runs with
this environment's site-packages (``-I`` only); its app build includes creating the
Firestore client (pointed at an unused emulator address, so no credentials are looked up and
no call is made).

Azure (``azure_handler_and_app_ms``) is measured the same way: the Functions package the
stack builds, extracted, ``-S -I -B``, importing the root ``function_app.py`` the worker
loads and building the app on Azurite-shaped settings that point nowhere (no call is made).

Goals: ``handler_and_app_ms`` ≤ ``boto3_ms`` + 100 (each target's); ``momentum_import_ms``
≤ 50.

Figures (``--json --runs 5``, 4 Dec 2026, on 2 cores shared with a CI run, so absolute
figures are inflated; compare within a run):

==============================  =========  ===========================================
figure                          ms         note
==============================  =========  ===========================================
``boto3_ms``                    1,027.2    with boto3's cached bytecode
``handler_and_app_ms`` (AWS)    382.5      goal met (no .pyc in the bundle)
``azure_handler_and_app_ms``    772.7      goal met; the package ships unchecked-hash
                                           .pyc (it is mounted read-only). Before that:
                                           6,716 ms against boto3's 2,097 in another run
``gcp_handler_and_app_ms``      602.3      goal met (another run at load ~10: boto3
                                           1,904.8, AWS 891.8); the platform installs
                                           requirements.txt, so its packages' bytecode
``momentum_import_ms``          5.9        goal met
==============================  =========  ===========================================
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TIMED = (
    "import time, json; t = time.perf_counter(); {body}; "
    "print(json.dumps((time.perf_counter() - t) * 1000))"
)


@dataclass(frozen=True)
class Target:
    """A deploy target: how to build its bundle into ``folder``, and what a cold start runs."""

    build: Callable[[Path], None]
    snippet: str
    site_packages: str = ""
    """Where the bundle keeps third-party packages, relative to its root ("" is the root)."""
    platform_installs: bool = False
    """True when the platform installs the requirements into site-packages (Cloud Run
    functions builds them from ``requirements.txt``) rather than shipping them in the
    bundle: the snippet then runs with this environment's site-packages."""


def build_aws(folder: Path) -> None:
    """The Lambda bundle as the Pulumi stack builds it (infra/aws/bundle.py), extracted."""
    from momentum.infra.aws.bundle import BundleSpec, build_bundle

    zip_path = folder.parent / "aws.zip"
    build_bundle(
        BundleSpec(
            ROOT,
            plugins=("running", "files", "strava"),
            local_distributions=("jinja2", "pluggy", "tzdata", "gpxpy", "fitdecode", "stravalib"),
        ),
        zip_path,
    )
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)


def build_gcp(folder: Path) -> None:
    """The Cloud Run functions source as the Pulumi stack builds it (infra/gcp), extracted:
    Momentum's code, ``main.py`` and ``requirements.txt``, which the platform's build
    installs into site-packages (here: this environment's, with their ``.pyc``)."""
    from momentum.infra.aws.bundle import BundleSpec, build_bundle
    from momentum.infra.gcp.component import gcp_bundle

    zip_path = folder.parent / "gcp.zip"
    build_bundle(gcp_bundle(BundleSpec(ROOT, plugins=("running", "files", "strava"))), zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)


AZURE_DISTRIBUTIONS = (
    "jinja2",
    "pluggy",
    "tzdata",
    "msgspec",
    "azure-functions",
    "azure-data-tables",
    "azure-storage-blob",
    "azure-storage-queue",
    "azure-identity",
    "slack-sdk",
    "slack-bolt",
    "gpxpy",
    "fitdecode",
    "stravalib",
)
"""What the Functions package carries: core's, the Azure adapter's, Slack's and the
built-in plugins' distributions (as the stack's requirements would install them)."""


def build_azure(folder: Path) -> None:
    """The Functions package as the Pulumi stack builds it (infra/azure/component.py's
    ``azure_bundle``), extracted. The offline bundler copies pure-Python files only (it
    is made for Lambda's arm64); the Functions target is x86-64 CPython 3.11, as this
    machine is, so the compiled files pip would install there (cryptography, msgspec)
    are copied in from the same installed distributions."""
    from momentum.infra.aws.bundle import BundleSpec, build_bundle, resolve_local
    from momentum.infra.azure.component import SITE_PACKAGES, azure_bundle

    spec = azure_bundle(
        BundleSpec(
            ROOT,
            chat="slack",
            plugins=("running", "files", "strava"),
            local_distributions=AZURE_DISTRIBUTIONS,
        )
    )
    zip_path = folder.parent / "azure.zip"
    build_bundle(spec, zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    packages = folder / SITE_PACKAGES
    for dist in resolve_local(AZURE_DISTRIBUTIONS):
        for file in dist.files or []:
            if Path(str(file)).suffix == ".so" and not str(file).startswith(".."):
                target = packages / str(file)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(Path(str(dist.locate_file(file))).read_bytes())


AZURE_CONNECTION = (
    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
    "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;"
    "QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;"
    "BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;"
)
"""Azurite-shaped app settings pointing nowhere: building the app makes no call."""

TARGETS: dict[str, Target] = {
    "aws": Target(
        build=build_aws,
        snippet=(
            "import os; os.environ.update(MOMENTUM_TABLE='t', MOMENTUM_BUCKET='b', "
            "MOMENTUM_CHAT='log', AWS_DEFAULT_REGION='us-east-1'); "
            "import momentum.adapters.aws.handler as h; h.get_app()"
        ),
    ),
    "azure": Target(
        build=build_azure,
        snippet=(
            f"import os; os.environ.update(MOMENTUM_STORAGE_CONNECTION={AZURE_CONNECTION!r}, "
            "SLACK_BOT_TOKEN='xoxb-cold-start', MOMENTUM_HOME='.'); "
            "import function_app; "
            "from momentum.adapters.azure.function_app import get_app; get_app()"
        ),
        site_packages=".python_packages/lib/site-packages",
    ),
    "gcp": Target(
        build=build_gcp,
        snippet=(
            "import os; os.environ.update(MOMENTUM_PROJECT='p', MOMENTUM_BUCKET='b', "
            "MOMENTUM_TASKS_QUEUE='projects/p/locations/l/queues/q', "
            "MOMENTUM_FUNCTION_URL='https://fn.run.app', MOMENTUM_INVOKER_ACCOUNT='i@p.iam', "
            "MOMENTUM_CHAT='log', FIRESTORE_EMULATOR_HOST='127.0.0.1:9'); "
            "import momentum.adapters.gcp.main as m; m.get_app()"
        ),
        platform_installs=True,
    ),
}
"""Target → how to build its bundle and the import + build snippet; add Cloudflare..."""


def run_once(body: str, cwd: Path, prefix: list[str]) -> float:
    """Milliseconds spent in ``body`` in one fresh interpreter."""
    result = subprocess.run(
        [sys.executable, *prefix, "-c", TIMED.format(body=body)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{body[:60]}... failed:\n{result.stderr.strip()[-2000:]}")
    return float(json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--targets", nargs="*", default=sorted(TARGETS), choices=sorted(TARGETS))
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5 (the figures are medians)")

    with tempfile.TemporaryDirectory(prefix="momentum-cold-") as tmp:
        variants: dict[str, tuple[str, Path, list[str]]] = {
            "boto3_ms": ("import boto3", ROOT, []),
            "momentum_import_ms": ("import momentum", ROOT, ["-B"]),
        }
        for name in args.targets:
            folder = Path(tmp) / name / "bundle"
            folder.mkdir(parents=True)
            TARGETS[name].build(folder)
            target = TARGETS[name]
            paths = [str(folder)]
            if target.site_packages:
                paths.append(str(folder / target.site_packages))
            body = f"import sys; sys.path[:0] = {paths!r}; {target.snippet}"
            key = "handler_and_app_ms" if name == "aws" else f"{name}_handler_and_app_ms"
            flags = ["-I"] if target.platform_installs else ["-S", "-I", "-B"]
            variants[key] = (body, folder, flags)
        samples: dict[str, list[float]] = {key: [] for key in variants}
        names = list(variants)
        for round_ in range(args.runs):
            for key in names[round_ % len(names) :] + names[: round_ % len(names)]:
                body, cwd, prefix = variants[key]
                samples[key].append(run_once(body, cwd, prefix))
    result: dict[str, object] = {k: round(statistics.median(v), 1) for k, v in samples.items()}
    result["runs"] = args.runs
    result["python"] = sys.version.split()[0]
    boto3_ms = float(statistics.median(samples["boto3_ms"]))
    goals = {"momentum_import_ms": statistics.median(samples["momentum_import_ms"]) <= 50}
    for key in samples:
        if key.endswith("handler_and_app_ms"):
            goals[key] = statistics.median(samples[key]) <= boto3_ms + 100
    result["goals_met"] = goals
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
