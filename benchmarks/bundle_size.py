"""Deployed package sizes side by side: the Cloudflare Worker (``wrangler deploy --dry-run``
on what the Worker imports, gzip-compressed as the plan counts it; limit 3 MB on the free
plan) and the AWS Lambda zip (installed pure-Python packages, no network: a lower bound),
each with the default plugins and with the sleep and meals domains added.

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
from momentum.infra.plugins import WORKER_DEFAULT_PLUGINS  # noqa: E402

AWS_LOCAL = ("jinja2", "pluggy", "tzdata", "fitdecode", "gpxpy", "stravalib", "slack-bolt", "groq")
DOMAINS_LOCAL = ("defusedxml", "httpx")
"""What sleep (Apple Health's XML) and meals (FoodData Central) add to the Lambda zip."""
DOMAINS = ("sleep", "meals")


def aws_zip_mb(folder: Path, extra: tuple[str, ...] = ()) -> float:
    """The Lambda zip's size (MB) with the installed pure-Python packages."""
    from momentum.infra.aws.bundle import BundleSpec, build_bundle

    spec = BundleSpec(
        ROOT,
        plugins=("running", "files", "strava", *extra),
        chat="slack",
        model="groq",
        local_distributions=AWS_LOCAL + (DOMAINS_LOCAL if extra else ()),
    )
    name = "bundle-domains.zip" if extra else "bundle.zip"
    return build_bundle(spec, folder / name).path.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    wrangler = wrangler_binary()
    if wrangler is None:
        sys.exit("wrangler is not installed (python3 scripts/dev.py test installs it)")
    with tempfile.TemporaryDirectory() as folder:
        worker = package(Path(folder) / "worker", wrangler)
        domains = package(
            Path(folder) / "worker-domains", wrangler, plugins=WORKER_DEFAULT_PLUGINS + DOMAINS
        )
        aws = aws_zip_mb(Path(folder))
        aws_domains = aws_zip_mb(Path(folder), DOMAINS)
    figures = {
        "cloudflare_worker_mb": round(worker.megabytes, 3),
        "cloudflare_worker_raw_mb": round(worker.raw_bytes / 1e6, 3),
        "cloudflare_worker_files": worker.files,
        "cloudflare_worker_with_sleep_meals_mb": round(domains.megabytes, 3),
        "cloudflare_limit_mb": LIMIT_MB,
        "aws_zip_mb": round(aws, 3),
        "aws_zip_with_sleep_meals_mb": round(aws_domains, 3),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"Cloudflare Worker: {figures['cloudflare_worker_mb']:.2f} MB gzip "
        f"({figures['cloudflare_worker_raw_mb']:.2f} MB raw, {worker.files} modules; "
        f"limit {LIMIT_MB:.0f} MB)"
    )
    print(
        f"  + sleep, meals:   {figures['cloudflare_worker_with_sleep_meals_mb']:.2f} MB gzip "
        f"({', '.join(WORKER_DEFAULT_PLUGINS + DOMAINS)})"
    )
    print(f"AWS Lambda zip:    {figures['aws_zip_mb']:.2f} MB (installed pure-Python packages)")
    print(f"  + sleep, meals:   {figures['aws_zip_with_sleep_meals_mb']:.2f} MB")


if __name__ == "__main__":
    main()
