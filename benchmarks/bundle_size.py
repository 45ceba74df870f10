"""Deployed package sizes side by side: the Cloudflare Worker (``wrangler deploy --dry-run``
on what the Worker imports, gzip-compressed as the plan counts it; limit 3 MB on the free
plan) and the AWS Lambda zip (installed pure-Python packages, no network: a lower bound).

Run: ``.venv/bin/python benchmarks/bundle_size.py [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from momentum.adapters.cloudflare.package import LIMIT_MB, package  # noqa: E402
from momentum.adapters.cloudflare.testing import wrangler_binary  # noqa: E402

AWS_LOCAL = ("jinja2", "pluggy", "tzdata", "fitdecode", "gpxpy", "stravalib", "slack-bolt", "groq")


def aws_zip_mb(folder: Path) -> float:
    """The Lambda zip's size (MB) with the installed pure-Python packages."""
    from momentum.infra.aws.bundle import BundleSpec, build_bundle

    spec = BundleSpec(
        ROOT,
        plugins=("running", "files", "strava"),
        chat="slack",
        model="groq",
        local_distributions=AWS_LOCAL,
    )
    return build_bundle(spec, folder / "bundle.zip").path.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    wrangler = wrangler_binary()
    if wrangler is None:
        sys.exit("wrangler is not installed (python3 scripts/dev.py test installs it)")
    with tempfile.TemporaryDirectory() as folder:
        worker = package(Path(folder) / "worker", wrangler)
        aws = aws_zip_mb(Path(folder))
    figures = {
        "cloudflare_worker_mb": round(worker.megabytes, 3),
        "cloudflare_worker_raw_mb": round(worker.raw_bytes / 1e6, 3),
        "cloudflare_worker_files": worker.files,
        "cloudflare_limit_mb": LIMIT_MB,
        "aws_zip_mb": round(aws, 3),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"Cloudflare Worker: {figures['cloudflare_worker_mb']:.2f} MB gzip "
        f"({figures['cloudflare_worker_raw_mb']:.2f} MB raw, {worker.files} modules; "
        f"limit {LIMIT_MB:.0f} MB)"
    )
    print(f"AWS Lambda zip:    {figures['aws_zip_mb']:.2f} MB (installed pure-Python packages)")


if __name__ == "__main__":
    main()
