"""Writes of the jobs side, one module per subject (import from the module, not from here)."""
