"""The query catalogue, shipped with the package as ``vetkg.queries``; ``vetkg.catalogue`` reads it."""
