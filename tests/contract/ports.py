"""The registries of Blob, Secrets and Deferral implementations their contract suites run
against (Storage's is :mod:`tests.contract.backends`). One entry per implementation.

A cloud engineer adds theirs with one function and one line each, e.g. for GCP::

    @contextmanager
    def open_gcs(ctx: BackendContext) -> Iterator[Blob]:
        endpoint = gcs_emulator_endpoint()          # skip with the reason if it is missing
        with fresh_bucket(endpoint) as bucket:
            yield GcsBlob(bucket)

    BLOB_BACKENDS.append(PortBackend("gcs", open_gcs, marker="gcp"))

Secrets factories receive the values the test wants stored (``{NAME: value}``) and yield a
:class:`~momentum.core.ports.secrets.Secrets` that holds them, the way the platform would
(SSM parameters, Secret Manager versions, Key Vault app settings, Worker secrets).

Deferral factories yield a :class:`DeferralUnderTest`: the implementation, a ``drain()``
that delivers what it queued to the app's handlers as the platform would (a loopback
stand-in, a queue emulator) and returns how many ran, and the clock to move for
``defer_at``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pytest

from momentum.adapters.local.file_blob import FileBlob
from momentum.adapters.local.secrets import LocalSecrets
from momentum.core.memory import InMemoryBlob
from momentum.core.ports.blob import Blob
from momentum.core.ports.secrets import MappingSecrets, Secrets
from tests.contract.backends import BackendContext

T = TypeVar("T")


@dataclass(frozen=True)
class PortBackend(Generic[T]):
    """One implementation of a port: a name, a factory, and its platform marker."""

    name: str
    open: Callable[..., AbstractContextManager[T]]
    marker: str = ""


def _moto(ctx: BackendContext) -> str:
    try:
        from tests.support.aws import shared_moto_endpoint

        return shared_moto_endpoint()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"moto server unavailable: {error}")


# -- Blob ----------------------------------------------------------------------------------
@contextmanager
def open_memory_blob(ctx: BackendContext) -> Iterator[Blob]:
    """Core's in-memory blob store."""
    yield InMemoryBlob()


@contextmanager
def open_file_blob(ctx: BackendContext) -> Iterator[Blob]:
    """The local adapter's files under the test's folder."""
    yield FileBlob(ctx.tmp_path / "blobs")


@contextmanager
def open_s3_blob(ctx: BackendContext) -> Iterator[Blob]:
    """S3 on moto server: a fresh bucket per test."""
    endpoint = _moto(ctx)
    from momentum.adapters.aws.s3_blobs import S3BlobStore
    from tests.support.aws import boto_client

    s3 = boto_client("s3", endpoint)
    bucket = f"momentum-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    store = S3BlobStore(bucket, s3)
    try:
        yield store
    finally:
        store.delete_prefix("")
        s3.delete_bucket(Bucket=bucket)


def _wrangler(ctx: BackendContext) -> Any:
    try:
        from momentum.adapters.cloudflare.testing import shared_wrangler

        return shared_wrangler()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"wrangler's local D1/R2/Queues unavailable: {error}")


@contextmanager
def open_r2_blob(ctx: BackendContext) -> Iterator[Blob]:
    """R2 under ``wrangler dev --local`` (the binding, through the bridge), emptied first."""
    local = _wrangler(ctx)
    from momentum.adapters.cloudflare.r2_blob import R2Blob
    from momentum.adapters.cloudflare.testing import BridgeBucket, empty_r2

    empty_r2(local)
    yield R2Blob(BridgeBucket(local))


def _azurite(ctx: BackendContext) -> Any:
    try:
        from momentum.adapters.azure.testing import shared_azurite

        return shared_azurite()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"Azurite unavailable: {error}")


@contextmanager
def open_azure_blob(ctx: BackendContext) -> Iterator[Blob]:
    """Blob Storage on Azurite: a fresh private container per test."""
    azurite = _azurite(ctx)
    from momentum.adapters.azure.blob_store import AzureBlob
    from momentum.adapters.azure.testing import unique_name

    store = AzureBlob(unique_name("momentum-"), connection_string=azurite.connection_string)
    store.ensure()
    try:
        yield store
    finally:
        store.drop()


@contextmanager
def open_gcs_blob(ctx: BackendContext) -> Iterator[Blob]:
    """Cloud Storage on the Cloud Storage emulator: a fresh bucket per test."""
    try:
        from momentum.adapters.gcp.testing.emulators import shared_gcs_endpoint
        from momentum.adapters.gcp.testing.stack import gcs_bucket

        shared_gcs_endpoint()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"Cloud Storage emulator unavailable: {error}")
    with gcs_bucket() as bucket:
        yield bucket


BLOB_BACKENDS: list[PortBackend[Blob]] = [
    PortBackend("memory", open_memory_blob),
    PortBackend("files", open_file_blob),
    PortBackend("s3", open_s3_blob, marker="aws"),
    PortBackend("r2", open_r2_blob, marker="cloudflare"),
    PortBackend("azure-blob", open_azure_blob, marker="azure"),
    PortBackend("gcs", open_gcs_blob, marker="gcp"),
]


# -- Secrets -------------------------------------------------------------------------------
@contextmanager
def open_mapping_secrets(ctx: BackendContext, values: dict[str, str]) -> Iterator[Secrets]:
    """Core's mapping (the environment, a Worker's env)."""
    yield MappingSecrets(dict(values))


@contextmanager
def open_local_secrets(ctx: BackendContext, values: dict[str, str]) -> Iterator[Secrets]:
    """Owner-only files under the coach home (the environment left empty)."""
    secrets = LocalSecrets(ctx.tmp_path / "secrets", env={})
    for name, value in values.items():
        secrets.put(name, value)
    yield secrets


@contextmanager
def open_ssm_secrets(ctx: BackendContext, values: dict[str, str]) -> Iterator[Secrets]:
    """SSM SecureString parameters on moto server, named by MOMENTUM_SSM_PARAMETERS."""
    endpoint = _moto(ctx)
    from momentum.adapters.aws.secrets import SSM_PARAMETERS_ENV, AwsSecrets, clear_cache
    from tests.support.aws import boto_client

    ssm = boto_client("ssm", endpoint)
    prefix = f"/momentum/{uuid.uuid4().hex[:8]}"
    for name, value in values.items():
        ssm.put_parameter(Name=f"{prefix}/{name}", Value=value, Type="SecureString")
    env = {SSM_PARAMETERS_ENV: ",".join(f"{n}={prefix}/{n}" for n in values)}
    clear_cache()
    try:
        yield AwsSecrets(env, ssm=ssm)
    finally:
        clear_cache()
        for name in values:
            ssm.delete_parameter(Name=f"{prefix}/{name}")


@contextmanager
def open_worker_secrets(ctx: BackendContext, values: dict[str, str]) -> Iterator[Secrets]:
    """Worker secrets: string attributes of the Worker's ``env``, beside bindings that are
    objects (a stand-in env object: Python Workers cannot start offline)."""
    from types import SimpleNamespace

    from momentum.adapters.cloudflare.secrets import WorkerSecrets

    env = SimpleNamespace(DB=object(), BUCKET=object(), **values)
    yield WorkerSecrets(env)


@contextmanager
def open_secret_manager(ctx: BackendContext, values: dict[str, str]) -> Iterator[Secrets]:
    """Secret Manager versions on the loopback Secret Manager fake (the real client over
    REST), named by MOMENTUM_SECRETS as the function's environment names them."""
    try:
        from momentum.adapters.gcp.secret_manager import SECRETS_ENV, SecretManagerSecrets
        from momentum.adapters.gcp.testing.fake_secret_manager import FakeSecretManager
    except ImportError as error:
        pytest.skip(f"the gcp extra is not installed: {error}")
    fake = FakeSecretManager()
    fake.start()
    try:
        project = f"momentum-{uuid.uuid4().hex[:8]}"
        names = {
            name: fake.add_version(project, name.lower().replace("_", "-"), value)
            for name, value in values.items()
        }
        env = {SECRETS_ENV: ",".join(f"{name}={where}" for name, where in names.items())}
        yield SecretManagerSecrets.from_env(env, fake.client())
    finally:
        fake.stop()


SECRETS_BACKENDS: list[PortBackend[Secrets]] = [
    PortBackend("mapping", open_mapping_secrets),
    PortBackend("local-files", open_local_secrets),
    PortBackend("ssm", open_ssm_secrets, marker="aws"),
    PortBackend("worker-secrets", open_worker_secrets, marker="cloudflare"),
    PortBackend("secret-manager", open_secret_manager, marker="gcp"),
]


# -- Deferral ------------------------------------------------------------------------------
@dataclass
class DeferralUnderTest:
    """An app whose Deferral is the implementation under test; ``drain()`` delivers what it
    queued as the platform would; ``delayed`` says whether ``defer_at`` can be exercised
    on this stand-in (else the test skips with the reason)."""

    app: Any
    drain: Callable[[], object]
    clock: Any
    delayed: str = ""
    """Why ``defer_at`` is not exercised here ("" when it is)."""


START = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def _app(scheduler: Any, clock: Any, storage: Any = None) -> Any:
    from momentum.core.compose import build_app
    from momentum.core.config import Settings
    from momentum.core.memory import InMemoryStorage, RecordingChat, ScriptedModel
    from momentum.core.plugins.host import PluginHost

    return build_app(
        Settings(),
        storage=storage or InMemoryStorage(),
        scheduler=scheduler,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=PluginHost(),
    )


@contextmanager
def open_memory_deferral(ctx: BackendContext) -> Iterator[DeferralUnderTest]:
    """Core's in-memory scheduler (tests; no durability promise)."""
    from momentum.core.memory import InMemoryScheduler
    from momentum.core.ports.clock import FixedClock

    clock = FixedClock(START)
    scheduler = InMemoryScheduler(clock=clock)
    app = _app(scheduler, clock)
    scheduler.runner = app.run_deferred
    yield DeferralUnderTest(app, scheduler.run_pending, clock)


@contextmanager
def open_local_deferral(ctx: BackendContext) -> Iterator[DeferralUnderTest]:
    """The local scheduler on SQLite: worker threads, delayed jobs in ``deferred_jobs``."""
    from momentum.adapters.local.scheduler import LocalScheduler
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from momentum.core.ports.clock import FixedClock

    clock = FixedClock(START)
    storage = SqliteStorage(ctx.tmp_path / "deferral.db")
    scheduler = LocalScheduler(workers=2)
    app = _app(scheduler, clock, storage)
    scheduler.attach(app)

    def drain() -> None:
        scheduler.wait_idle(10)
        while scheduler.run_due():
            scheduler.wait_idle(10)

    try:
        yield DeferralUnderTest(app, drain, clock)
    finally:
        scheduler.stop(5)
        storage.close()


@contextmanager
def open_lambda_deferral(ctx: BackendContext) -> Iterator[DeferralUnderTest]:
    """Lambda: an asynchronous self-invoke through boto3 to the loopback Lambda stand-in,
    which runs the real handler (and so core's dispatch) for each delivery."""
    endpoint = _moto(ctx)
    from momentum.adapters.aws import handler
    from momentum.adapters.aws.s3_blobs import S3BlobStore
    from momentum.adapters.aws.scheduler import LambdaScheduler
    from momentum.core.ports.clock import FixedClock
    from tests.support.aws import FakeLambdaServer, boto_client

    clock = FixedClock(START)
    s3 = boto_client("s3", endpoint)
    bucket = f"momentum-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    blobs = S3BlobStore(bucket, s3)
    fake = FakeLambdaServer(handler.handler, function_name="momentum")
    fake.start()
    try:
        client = boto_client("lambda", fake.endpoint)
        scheduler = LambdaScheduler("momentum", client, blobs=blobs, clock=clock)
        app = _app(scheduler, clock)
        app.blob = blobs
        handler.set_app(app)
        yield DeferralUnderTest(
            app,
            fake.drain,
            clock,
            delayed="delayed jobs are EventBridge schedules (tests/integration/test_aws_delayed)",
        )
    finally:
        handler.set_app(None)
        fake.stop()
        blobs.delete_prefix("")
        s3.delete_bucket(Bucket=bucket)


@contextmanager
def open_cloudflare_queue_deferral(ctx: BackendContext) -> Iterator[DeferralUnderTest]:
    """Cloudflare Queues under ``wrangler dev --local``: messages go through the real local
    queue to its consumer, and ``drain()`` hands each to the Worker's queue handler (on
    CPython) with its message id. The queue delays in real seconds, so ``max_delay`` is 0
    here: a delayed job arrives at once and is sent on until its ``not_before``."""
    local = _wrangler(ctx)
    from momentum.adapters.cloudflare import handlers
    from momentum.adapters.cloudflare.d1_storage import D1Storage
    from momentum.adapters.cloudflare.queue_deferral import QueueDeferral
    from momentum.adapters.cloudflare.r2_blob import R2Blob
    from momentum.adapters.cloudflare.testing import (
        BridgeBucket,
        BridgeProducer,
        empty_d1,
        received,
    )
    from momentum.core.ports.clock import FixedClock

    received(local, settle=1.0)  # nothing left over from an earlier test
    empty_d1(local)
    clock = FixedClock(START)
    blob = R2Blob(BridgeBucket(local))
    storage = D1Storage(local.runner(), name="local D1")
    deferral = QueueDeferral(
        BridgeProducer(local), blob, storage, clock=clock, max_delay=dt.timedelta(0)
    )
    app = _app(deferral, clock, storage)
    app.blob = blob

    def drain() -> int:
        ran = 0
        for _ in range(20):
            outcomes = [handlers.queue_message(app, m.id, m.body) for m in received(local)]
            ran += sum(1 for outcome in outcomes if "ran" in outcome)
            if all("requeued" in outcome for outcome in outcomes):
                return ran  # nothing left but work that is not due yet
        return ran

    yield DeferralUnderTest(app, drain, clock)


AZURE_TEST_VISIBILITY = dt.timedelta(seconds=1)
"""How long Queue Storage hides a delayed message at a time in the Azure contract tests."""


@contextmanager
def open_queue_deferral(ctx: BackendContext) -> Iterator[DeferralUnderTest]:
    """Queue Storage on Azurite, with Table Storage and Blob Storage beside it: ``drain()``
    plays the Functions host's queue loop into the registered ``deferred`` function (and
    so core's dispatch, the message id as the delivery id). Azurite's clock can't be
    moved, so a delayed message is hidden for at most a second at a time and each early
    delivery is sent on by the app's clock: the path a delay over seven days takes."""
    azurite = _azurite(ctx)
    from momentum.adapters.azure import function_app
    from momentum.adapters.azure.queue_deferral import QueueDeferral, queue_client
    from momentum.adapters.azure.testing import QueueHost, registered, table_storage, unique_name
    from momentum.core.ports.clock import FixedClock

    clock = FixedClock(START)
    name, conn = unique_name("deferred-"), azurite.connection_string
    queue = queue_client(name, connection_string=conn)
    poison = queue_client(f"{name}-poison", connection_string=conn)
    with table_storage(azurite) as (storage, _reopen):
        queue.create_queue()
        poison.create_queue()
        deferral = QueueDeferral(
            queue, storage.blob, storage, clock=clock, max_visibility=AZURE_TEST_VISIBILITY
        )
        app = _app(deferral, clock, storage)
        app.blob = storage.blob
        function_app.set_app(app)
        deliver = registered(function_app.app, "deferred")
        host = QueueHost(queue, deliver, clock=clock, poison=poison)
        try:
            yield DeferralUnderTest(app, host.drain, clock)
        finally:
            function_app.set_app(None)
            queue.delete_queue()
            poison.delete_queue()


@contextmanager
def open_cloud_tasks_deferral(ctx: BackendContext) -> Iterator[DeferralUnderTest]:
    """Cloud Tasks: the real google-cloud-tasks client to the loopback Cloud Tasks fake,
    which delivers each due task with a signed OIDC token to the entry point served by
    functions-framework (and so core's dispatch, the task name as delivery id); spilled
    payloads go to a bucket on the Cloud Storage emulator."""
    try:
        from momentum.adapters.gcp import main
        from momentum.adapters.gcp.bootstrap import OidcCheck
        from momentum.adapters.gcp.cloud_tasks import CloudTasksDeferral
        from momentum.adapters.gcp.testing.emulators import shared_gcs_endpoint
        from momentum.adapters.gcp.testing.fake_tasks import FakeCloudTasks
        from momentum.adapters.gcp.testing.function import LocalFunction
        from momentum.adapters.gcp.testing.local import INVOKER
        from momentum.adapters.gcp.testing.oidc_issuer import LocalOidcIssuer
        from momentum.adapters.gcp.testing.stack import gcs_bucket

        shared_gcs_endpoint()
        function = LocalFunction(ctx.tmp_path / "function")
        function.start()
    except (ImportError, RuntimeError) as error:
        pytest.skip(f"GCP stand-ins unavailable: {error}")
    from momentum.core.ports.clock import FixedClock

    issuer, clock = LocalOidcIssuer(), FixedClock(START)
    issuer.start()
    tasks = FakeCloudTasks(issuer)
    tasks.start()
    queue = "projects/momentum-test/locations/europe-west1/queues/momentum"
    try:
        with gcs_bucket() as blob:
            deferral = CloudTasksDeferral(
                queue, function.url, INVOKER, client=tasks.client(), blob=blob
            )
            app = _app(deferral, clock)
            app.blob = blob
            main.set_app(app, OidcCheck(function.url, INVOKER, issuer.certs_url))
            yield DeferralUnderTest(app, lambda: tasks.deliver_due(clock.now()), clock)
    finally:
        main.set_app(None)
        for server in (function, tasks, issuer):
            server.stop()


DEFERRAL_BACKENDS: list[PortBackend[DeferralUnderTest]] = [
    PortBackend("memory", open_memory_deferral),
    PortBackend("local-sqlite", open_local_deferral),
    PortBackend("lambda", open_lambda_deferral, marker="aws"),
    PortBackend("cloudflare-queues", open_cloudflare_queue_deferral, marker="cloudflare"),
    PortBackend("queue-storage", open_queue_deferral, marker="azure"),
    PortBackend("cloud-tasks", open_cloud_tasks_deferral, marker="gcp"),
]
