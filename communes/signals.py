"""Signals of the communes app, for the apps above it (communes imports none)."""

from django.dispatch import Signal

# Sent by load_communes once the communes are written, in its transaction: whatever
# is placed by its town hall (centres: a site's stored position) is placed again.
communes_loaded = Signal()
