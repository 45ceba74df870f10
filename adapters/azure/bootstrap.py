"""Builds the coach for one Functions worker from its app settings (the Azure composition
root).

==================================  =======================================================
app setting                         meaning
==================================  =======================================================
``MOMENTUM_STORAGE_ACCOUNT``        the storage account; reached with the app's managed
                                    identity (its role assignments, no keys)
``MOMENTUM_STORAGE_CONNECTION``     instead, a connection string (Azurite, local runs)
``MOMENTUM_TABLE``                  the table (default ``momentum``)
``MOMENTUM_CONTAINER``              the blob container (default ``momentum``)
``MOMENTUM_QUEUE``                  the deferred-work queue (default ``momentum-deferred``)
``MOMENTUM_HOME``                   where ``momentum.toml`` is (default: the app's root)
``MOMENTUM_CHAT``                   a chat platform (``slack``) or ``log``; default: the
                                    configured one (core's chat choice)
``SLACK_*``, ``STRAVA_*``, ...      settings; secrets are Key Vault references that the
                                    Functions host resolves into these values
==================================  =======================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from momentum.core.app import App
from momentum.core.config import load_settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.model import Model

DEFAULT_TABLE = "momentum"
DEFAULT_CONTAINER = "momentum"
DEFAULT_QUEUE = "momentum-deferred"


@dataclass(frozen=True)
class StorageAccount:
    """How to reach the storage account: a connection string, or an account name and a
    credential (the managed identity)."""

    connection_string: str = ""
    account: str = ""
    credential: Any = None

    def endpoint(self, service: str) -> str:
        """``https://<account>.<service>.core.windows.net``."""
        return f"https://{self.account}.{service}.core.windows.net"

    def clients(self, service: str) -> dict[str, Any]:
        """Keyword arguments for this adapter's client wrappers."""
        if self.connection_string:
            return {"connection_string": self.connection_string}
        return {"endpoint": self.endpoint(service), "credential": self.credential}


def storage_account(env: Mapping[str, str]) -> StorageAccount:
    """The account from the app settings, or :class:`ConfigError` naming what is missing."""
    connection = env.get("MOMENTUM_STORAGE_CONNECTION", "").strip()
    if connection:
        return StorageAccount(connection_string=connection)
    account = env.get("MOMENTUM_STORAGE_ACCOUNT", "").strip()
    if not account:
        raise ConfigError(
            "app setting MOMENTUM_STORAGE_ACCOUNT (or MOMENTUM_STORAGE_CONNECTION) is not set"
        )
    from azure.identity import ManagedIdentityCredential

    return StorageAccount(account=account, credential=ManagedIdentityCredential())


def build_azure_app(
    env: Mapping[str, str] | None = None,
    *,
    chat: Chat | None = None,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
) -> App:
    """The coach on Table Storage, Blob Storage and Queue Storage. Anything passed replaces
    what the settings would choose."""
    from momentum.adapters.azure.blob_store import AzureBlob
    from momentum.adapters.azure.queue_deferral import QueueDeferral, queue_client
    from momentum.adapters.azure.table_storage import TableStorage
    from momentum.adapters.azure.tables import Table
    from momentum.core.runtime.compose import cloud_app

    env = os.environ if env is None else env
    clock = clock or SystemClock()
    settings = load_settings(Path(env.get("MOMENTUM_HOME") or "."), env=dict(env))
    account = storage_account(env)
    blob = AzureBlob(env.get("MOMENTUM_CONTAINER") or DEFAULT_CONTAINER, **account.clients("blob"))
    table = Table(env.get("MOMENTUM_TABLE") or DEFAULT_TABLE, **account.clients("table"))
    storage = TableStorage(table, blob)
    plugins = plugins or load_plugins()
    queue = queue_client(env.get("MOMENTUM_QUEUE") or DEFAULT_QUEUE, **account.clients("queue"))
    deferral = QueueDeferral(queue, blob, storage, jobs=plugins.recurring_jobs(), clock=clock)
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
