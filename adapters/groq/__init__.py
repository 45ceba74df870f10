"""Groq model adapter (imports the groq SDK lazily): :class:`adapters.groq.model.GroqModel`."""
