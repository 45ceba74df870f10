"""Groq model adapter (imports the groq SDK lazily)."""
