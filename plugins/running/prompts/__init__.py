"""Built-in prompt templates (jinja2), shipped as package data.

Override any single file by putting one with the same relative name in
``<coach home>/prompts`` (see :mod:`momentum.plugins.running.coach.prompts`).
"""
