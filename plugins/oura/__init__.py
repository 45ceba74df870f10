"""Momentum package."""
