"""The coach: state, messages, prompts, tools, memory and the model chain.

Code does the mechanics (every number, picture and plan change); the model writes the
few sentences in a coach's voice and picks the intent of a chat message through tools.
Nothing here is imported by ``import core``; the engine loads on first use.
"""
