"""A coach's whole GCP stack on loopback for one test: a fresh Firestore emulator project
and Cloud Storage emulator bucket, the Cloud Tasks and Secret Manager fakes, a local OIDC
issuer, and the entry point served by functions-framework. Cloud Tasks delivers to the
function over HTTP with signed tokens, as on GCP; :meth:`LocalGcp.drain` plays the
queue's dispatcher."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from momentum.adapters.gcp.bootstrap import OidcCheck
from momentum.adapters.gcp.testing.fake_secret_manager import FakeSecretManager
from momentum.adapters.gcp.testing.fake_tasks import FakeCloudTasks
from momentum.adapters.gcp.testing.function import LocalFunction
from momentum.adapters.gcp.testing.oidc_issuer import LocalOidcIssuer

INVOKER = "momentum-invoker@momentum-test.iam.gserviceaccount.com"
LOCATION = "europe-west1"


@dataclass
class LocalGcp:
    """One test's GCP stack (see the module docstring)."""

    project: str
    bucket: str
    issuer: LocalOidcIssuer
    tasks: FakeCloudTasks
    secrets: FakeSecretManager
    function: LocalFunction
    secret_names: dict[str, str] = field(default_factory=dict)

    @property
    def queue(self) -> str:
        """The Cloud Tasks queue's resource name."""
        return f"projects/{self.project}/locations/{LOCATION}/queues/momentum"

    @property
    def oidc(self) -> OidcCheck:
        """The check the function applies to ``/tasks`` and ``/tick``."""
        return OidcCheck(self.function.url, INVOKER, self.issuer.certs_url)

    def put_secret(self, setting: str, value: str) -> None:
        """Store ``value`` in Secret Manager and name it in the function's environment."""
        secret = setting.lower().replace("_", "-")
        self.secret_names[setting] = self.secrets.add_version(self.project, secret, value)

    def env(self, home: Path) -> dict[str, str]:
        """The environment the Pulumi stack would set."""
        return {
            "MOMENTUM_PROJECT": self.project,
            "MOMENTUM_BUCKET": self.bucket,
            "MOMENTUM_TASKS_QUEUE": self.queue,
            "MOMENTUM_FUNCTION_URL": self.function.url,
            "MOMENTUM_INVOKER_ACCOUNT": INVOKER,
            "MOMENTUM_OIDC_CERTS_URL": self.issuer.certs_url,
            "MOMENTUM_SECRETS": ",".join(f"{k}={v}" for k, v in self.secret_names.items()),
            "MOMENTUM_HOME": str(home),
        }

    def clients(self) -> dict[str, Any]:
        """Real SDK clients on the stand-ins, by service (for ``build_gcp_app``)."""
        from momentum.adapters.gcp.testing.stack import gcs_client

        return {
            "storage": gcs_client(self.project),
            "tasks": self.tasks.client(),
            "secretmanager": self.secrets.client(),
        }

    def drain(self, now: dt.datetime | None = None, rounds: int = 10) -> list[tuple[str, int]]:
        """Deliver every task due by ``now`` (and those the deliveries queue) to the
        function; returns (task, HTTP status) for each delivery."""
        delivered: list[tuple[str, int]] = []
        for _ in range(rounds):
            batch = self.tasks.deliver_due(now)
            if not batch:
                return delivered
            delivered += batch
            if any(status >= 300 for _, status in batch):
                return delivered  # a failing task would be redelivered forever here
        raise AssertionError(f"the queue did not drain in {rounds} rounds")


@contextmanager
def local_gcp(folder: Path) -> Iterator[LocalGcp]:
    """Start the stack (the emulators are shared by the process; the rest is the test's)
    and stop it after. Raises :class:`RuntimeError` naming a missing stand-in."""
    from momentum.adapters.gcp import main
    from momentum.adapters.gcp.testing.emulators import shared_firestore_host
    from momentum.adapters.gcp.testing.stack import gcs_client

    shared_firestore_host()
    project = f"momentum-{uuid.uuid4().hex[:10]}"
    bucket = gcs_client(project).create_bucket(f"momentum-{uuid.uuid4().hex[:12]}")
    with ExitStack() as stack:
        stack.callback(bucket.delete, force=True)
        issuer = LocalOidcIssuer()
        issuer.start()
        stack.callback(issuer.stop)
        tasks, secrets = FakeCloudTasks(issuer), FakeSecretManager()
        for server in (tasks, secrets):
            server.start()
            stack.callback(server.stop)
        function = LocalFunction(folder / "function")
        function.start()
        stack.callback(function.stop)
        stack.callback(main.set_app, None)
        yield LocalGcp(project, bucket.name, issuer, tasks, secrets, function)
