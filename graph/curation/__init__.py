"""Matching names to entities.

The name index behind search, the W3C reconciliation service, and the link candidates that
curators review before they enter ``data/links.csv``.
"""
