"""The GCP integration tests' fixture: :func:`momentum.adapters.gcp.testing.local.local_gcp`
(Firestore emulator, Cloud Storage emulator, the Cloud Tasks and Secret Manager fakes, a
local OIDC issuer and functions-framework serving the entry point), skipped with the
reason when a stand-in is missing, and small HTTP helpers to call the function."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("functions_framework", reason="the gcp extra is not installed")

from momentum.adapters.gcp.testing.local import LocalGcp, local_gcp


@dataclass
class Answer:
    """What the function answered."""

    status: int
    body: bytes
    headers: dict[str, str]


def call(
    gcp: LocalGcp,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> Answer:
    """One HTTP request to the function on loopback."""
    url = gcp.function.url + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, body or None, headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return Answer(
                answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()}
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), {k.lower(): v for k, v in error.headers.items()})


def opened(tmp_path: Path) -> Iterator[LocalGcp]:
    """The stack for one test, or a skip naming what is missing."""
    try:
        with local_gcp(tmp_path) as stack:
            yield stack
    except RuntimeError as error:
        pytest.skip(f"GCP stand-in unavailable: {error}")


def bearer(gcp: LocalGcp, **overrides: Any) -> dict[str, str]:
    """The Authorization header Cloud Scheduler and Cloud Tasks send."""
    from momentum.adapters.gcp.testing.local import INVOKER

    email = overrides.pop("email", INVOKER)
    token = gcp.issuer.sign(gcp.function.url, email, **overrides)
    return {"Authorization": f"Bearer {token}"}
