"""Whitelisted endpoints that are not one document's method (see DESIGN.md for the public names)."""
