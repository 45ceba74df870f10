"""Test support shared by several test packages: stand-ins that are not part of the wheel."""
