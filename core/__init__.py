"""Momentum core: the cloud-agnostic model, analytics, coach engine, ports and prompts.

Core imports no adapter, plugin, cloud or chat SDK, so it stays fast to import on a
serverless cold start and can run under Pyodide.
"""

__version__ = "0.1.0"
