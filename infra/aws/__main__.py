"""Entry point when Pulumi runs this folder as a project (``Pulumi.yaml`` beside it)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from momentum.infra.cloud import main

main()
