"""The Cloudflare stack (``momentum:cloud cloudflare``)."""

from momentum.infra.plugins import WORKER_PLUGINS

STACK_CONFIG = {
    "momentum:accountId": "your-cloudflare-account-id",
    "momentum:workersSubdomain": "your-workers-subdomain",
}
"""Config a new coach's ``Pulumi.dev.yaml`` starts with (``momentum new``)."""

BUNDLED_PLUGINS = WORKER_PLUGINS
"""The built-in plugins a Worker can carry (``momentum:plugins`` picks among them; the
packaging writes the choice into the Worker, which registers them by import), so
``momentum new`` offers only these for Cloudflare."""
