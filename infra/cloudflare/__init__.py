"""The Cloudflare stack (``momentum:cloud cloudflare``)."""

STACK_CONFIG = {
    "momentum:accountId": "your-cloudflare-account-id",
    "momentum:workersSubdomain": "your-workers-subdomain",
}
"""Config a new coach's ``Pulumi.dev.yaml`` starts with (``momentum new``)."""
BUNDLED_PLUGINS = ("running",)
"""The coaching plugins the Worker carries (``adapters.cloudflare.bootstrap.WORKER_PLUGINS``
registers them by import; no data source yet), so ``momentum new`` offers only these."""
