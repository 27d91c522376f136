"""Signals of the regions app, so that apps holding copies of region data stay in step."""

from django.dispatch import Signal

# Sent by regions_import inside its transaction when regions were created or changed;
# `moved` is True when any region got a new parent (its path and its descendants' changed).
regions_changed = Signal()
