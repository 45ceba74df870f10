"""The Lambda bundle's zipped size, boto3 excluded (Lambda's runtime ships it).

Run: ``.venv/bin/python benchmarks/aws_bundle_size.py [--local] [--chat slack|log]
[--model groq|offline] [--plugins running,files,strava]``. Target: ≤ 10 MB zipped.

By default the third-party packages are installed by pip for Lambda's platform
(manylinux2014_aarch64, CPython 3.12; PyPI must be reachable), which is what ``pulumi up``
ships. ``--local`` copies the installed pure-Python packages instead (no network; compiled
extensions are left out, so that figure is a lower bound).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from momentum.infra.aws.bundle import LAMBDA_PROVIDED, BundleSpec, build_bundle  # noqa: E402

LOCAL = ("jinja2", "pluggy", "tzdata", "fitdecode", "gpxpy", "stravalib", "slack-bolt", "groq")
LIMIT_MB = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--local", action="store_true", help="copy installed packages (no pip)")
    parser.add_argument("--chat", default="slack", choices=("slack", "log"))
    parser.add_argument("--model", default="groq", choices=("groq", "offline"))
    parser.add_argument("--plugins", default="running,files,strava")
    args = parser.parse_args()

    plugins = tuple(p for p in args.plugins.split(",") if p)
    local = LOCAL if args.local else ()
    spec = BundleSpec(
        ROOT, plugins=plugins, chat=args.chat, model=args.model, local_distributions=local
    )
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        bundle = build_bundle(spec, Path(folder) / "bundle.zip")
        seconds = time.perf_counter() - started
        with zipfile.ZipFile(bundle.path) as archive:
            tops = {name.split("/", 1)[0] for name in archive.namelist()}
    mode = "local pure-Python copies" if args.local else "pip, manylinux2014_aarch64 / py3.12"
    print(f"bundle: chat={args.chat} model={args.model} plugins={','.join(plugins)} ({mode})")
    print(f"  built in {seconds:.1f} s; {bundle.files} files")
    print(
        f"  zipped   {bundle.size / 1e6:6.2f} MB  (target ≤ {LIMIT_MB:.0f} MB: "
        f"{'OK' if bundle.size / 1e6 <= LIMIT_MB else 'OVER'})"
    )
    print(f"  unzipped {bundle.uncompressed / 1e6:6.2f} MB  (Lambda's limit: 250 MB)")
    print(
        f"  boto3/botocore/s3transfer/jmespath in the bundle: "
        f"{sorted(tops & set(LAMBDA_PROVIDED)) or 'none'}"
    )
    print("  largest parts (zipped):")
    for name, size in list(bundle.by_top_level.items())[:12]:
        print(f"    {name:<32} {size / 1e3:8.1f} kB")


if __name__ == "__main__":
    main()
