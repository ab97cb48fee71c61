"""Asking the graph: the query catalogue, the embedded store, the guard and the worker pool.

The lowest stage above the namespaces: the build's checks and every face of the graph ask
through it, and it imports none of them.
"""
