"""Groq model adapter (imports the groq SDK lazily):
:class:`momentum.adapters.groq.model.GroqModel`."""
