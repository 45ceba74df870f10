"""Builds the coach for one Cloud Run functions instance from its environment (the GCP
composition root).

Environment (set by the Pulumi stack in :mod:`momentum.infra.gcp`):

=================================  =======================================================
``MOMENTUM_PROJECT``               the project (else ``GOOGLE_CLOUD_PROJECT``)
``MOMENTUM_FIRESTORE_DATABASE``    the Firestore database (default ``(default)``)
``MOMENTUM_BUCKET``                the Cloud Storage bucket for streams, uploads and
                                   spilled payloads (required)
``MOMENTUM_TASKS_QUEUE``           ``projects/P/locations/L/queues/Q``: deferred work
                                   (required)
``MOMENTUM_FUNCTION_URL``          the function's own URL: where tasks are delivered and
                                   the audience of their OIDC tokens (required)
``MOMENTUM_INVOKER_ACCOUNT``       the service account whose OIDC tokens Cloud Tasks and
                                   Cloud Scheduler carry (required)
``MOMENTUM_SECRETS``               ``SETTING=projects/P/secrets/NAME`` pairs (Secret
                                   Manager; :mod:`.secret_manager`)
``MOMENTUM_CHAT``                  a chat platform (``slack``) or ``log``; default: the
                                   configured one (core's chat choice)
``MOMENTUM_HOME``                  where ``momentum.toml`` is (default: the source root)
``MOMENTUM_OIDC_CERTS_URL``        where the token-signing keys are (default: Google's;
                                   tests point it at a local issuer)
=================================  =======================================================

Secrets are merged over the plain environment into the mapping core's
:func:`~momentum.core.config.load_settings` reads, and never written back to ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from momentum.adapters.gcp.oidc import GOOGLE_CERTS_URL, verify_oidc
from momentum.core.app import App
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock
from momentum.core.ports.model import Model
from momentum.core.runtime.compose import required

DEFAULT_DATABASE = "(default)"


@dataclass(frozen=True)
class OidcCheck:
    """Who may call the function's ``/tasks`` and ``/tick`` routes: a Google-signed ID
    token for ``audience`` (the function's URL) issued to ``service_account``."""

    audience: str
    service_account: str
    certs_url: str = GOOGLE_CERTS_URL

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OidcCheck:
        """The check the environment configures (:class:`ConfigError` naming what is
        missing)."""
        return cls(
            audience=required(env, "MOMENTUM_FUNCTION_URL").rstrip("/"),
            service_account=required(env, "MOMENTUM_INVOKER_ACCOUNT"),
            certs_url=env.get("MOMENTUM_OIDC_CERTS_URL", "").strip() or GOOGLE_CERTS_URL,
        )

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The token's claims; :class:`~momentum.core.errors.InputError` saying what was
        wrong (never the token)."""
        from momentum.adapters.gcp.oidc import bearer

        return verify_oidc(
            bearer(authorization),
            audience=self.audience,
            service_account=self.service_account,
            certs_url=self.certs_url,
        )


def build_gcp_app(
    env: Mapping[str, str] | None = None,
    *,
    chat: Chat | None = None,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
    clients: Mapping[str, Any] | None = None,
) -> App:
    """The coach on Firestore, Cloud Storage, Cloud Tasks and Secret Manager. Anything
    passed replaces what the environment would choose; ``clients`` may hold ready SDK
    clients by service (``storage``, ``tasks``, ``secretmanager``), as tests on the
    emulators pass them."""
    from momentum.adapters.gcp.cloud_tasks import CloudTasksDeferral
    from momentum.adapters.gcp.firestore_storage import FirestoreStorage
    from momentum.adapters.gcp.gcs_blob import GcsBlob
    from momentum.adapters.gcp.secret_manager import SecretManagerSecrets
    from momentum.core.config import load_settings
    from momentum.core.plugins.host import load_plugins
    from momentum.core.ports.clock import SystemClock
    from momentum.core.runtime.compose import cloud_app

    env = os.environ if env is None else env
    clients = clients or {}
    clock = clock or SystemClock()
    project = env.get("MOMENTUM_PROJECT") or env.get("GOOGLE_CLOUD_PROJECT") or ""
    if not project:
        raise ConfigError("environment variable MOMENTUM_PROJECT is not set")
    secrets = SecretManagerSecrets.from_env(env, clients.get("secretmanager")).values()
    settings = load_settings(Path(env.get("MOMENTUM_HOME") or "."), env={**env, **secrets})
    blob = GcsBlob(required(env, "MOMENTUM_BUCKET"), clients.get("storage"))
    database = env.get("MOMENTUM_FIRESTORE_DATABASE") or DEFAULT_DATABASE
    storage = FirestoreStorage.connect(project, blob, database)
    plugins = plugins or load_plugins()
    deferral = CloudTasksDeferral(
        required(env, "MOMENTUM_TASKS_QUEUE"),
        required(env, "MOMENTUM_FUNCTION_URL"),
        required(env, "MOMENTUM_INVOKER_ACCOUNT"),
        client=clients.get("tasks"),
        recurring=tuple(plugins.recurring_jobs()),
        blob=blob,
    )
    return cloud_app(
        settings,
        env,
        storage=storage,
        deferral=deferral,
        blob=blob,
        plugins=plugins,
        clock=clock,
        chat=chat,
        model=model,
    )
