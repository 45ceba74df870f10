"""The plugin host: pluggy hookspecs and the manager that loads the ``momentum`` group."""

from momentum.core.plugins.host import (
    ENTRY_POINT_GROUP,
    FailedPlugin,
    PluginHost,
    hookimpl,
    load_plugins,
)
from momentum.core.plugins.types import (
    ChatPlatform,
    DataSource,
    Domain,
    FileImporter,
    ModelProvider,
    Readiness,
    Tool,
    ToolContext,
    WebhookSource,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "ChatPlatform",
    "DataSource",
    "Domain",
    "FailedPlugin",
    "FileImporter",
    "ModelProvider",
    "PluginHost",
    "Readiness",
    "Tool",
    "ToolContext",
    "WebhookSource",
    "hookimpl",
    "load_plugins",
]
