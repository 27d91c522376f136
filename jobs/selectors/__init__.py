"""Reads of the jobs side: querysets shaped for one screen each."""
