"""Microsoft Teams as a chat platform: ``/api/messages`` on every target, proactive DMs.

Registered through the ``momentum_chat_platforms`` hook (:mod:`.plugin`). The Teams SDK for
Python (``microsoft-teams-api``) and MSAL load lazily, inside the callables that need them.
"""
