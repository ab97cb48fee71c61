"""The curated tables, shipped with the package as ``vetkg.data``; see README.md here."""
