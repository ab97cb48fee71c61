"""The query catalogue, shipped with the package as ``vetkg.queries``; ``vetkg.query.catalogue`` reads it."""
