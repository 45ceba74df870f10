"""What validating ``momentum.toml`` costs at start, and why msgspec rather than pydantic.

Each sample is a fresh interpreter; the figure is the median wall time of the whole process
minus that of a bare interpreter (``python -c pass``), over ``--runs`` samples:

- ``import_momentum_ms``: ``import momentum`` (the public API, loaded lazily);
- ``import_msgspec_ms`` / ``import_pydantic_ms``: the two candidate libraries;
- ``validate_ms``: ``load_settings`` of a full ``momentum.toml`` plus ``check_sections`` of
  every plugin section with the built-in plugins' schemas (imports included).

    .venv/bin/python benchmarks/config_validation.py [--runs 9] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOML = """\
athlete_id = "adam"
chat = "slack"
fragile_missed_days = 2

[model]
provider = "groq"
model = "openai/gpt-oss-120b"
fallbacks = ["openai/gpt-oss-20b"]
timeout_seconds = 20

[slack]
base_url = "http://127.0.0.1:9"

[strava]
client_id = 4242
subscription_id = "1001"
"""
VALIDATE = """
from pathlib import Path
from momentum.core.config import check_sections, load_settings
from momentum.core.plugins.host import load_plugins
settings = load_settings(Path({home!r}), env={{"SLACK_BOT_TOKEN": "xoxb"}})
check_sections(settings, load_plugins().settings_schemas())
"""


def wall_ms(code: str, runs: int) -> float:
    """Median wall time of a fresh interpreter running ``code``."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        (Path(home) / "momentum.toml").write_text(TOML, encoding="utf-8")
        bare = wall_ms("pass", args.runs)
        figures = {"bare_interpreter_ms": round(bare, 1)}
        cases = {
            "import_momentum_ms": "import momentum",
            "import_msgspec_ms": "import msgspec",
            "import_pydantic_ms": "import pydantic; pydantic.TypeAdapter(int)",
            "validate_ms": VALIDATE.format(home=home),
        }
        for name, code in cases.items():
            try:
                figures[name] = round(wall_ms(code, args.runs) - bare, 1)
            except subprocess.CalledProcessError:
                figures[name] = None  # pydantic not installed
    if args.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:22} {'n/a' if value is None else f'{value:7.1f} ms'}")


if __name__ == "__main__":
    main()
