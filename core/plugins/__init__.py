"""The plugin host: pluggy hookspecs and the manager that loads the ``momentum`` group."""

from momentum.core.plugins.host import ENTRY_POINT_GROUP, PluginHost, hookimpl, load_plugins
from momentum.core.plugins.types import DataSource, Domain, FileImporter, Tool, ToolContext

__all__ = [
    "ENTRY_POINT_GROUP",
    "DataSource",
    "Domain",
    "FileImporter",
    "PluginHost",
    "Tool",
    "ToolContext",
    "hookimpl",
    "load_plugins",
]
