"""The graph on HTTP.

``vetkg.web.server`` holds the one table of routes and the handlers it names; the handlers
send work to the pool as the jobs of ``vetkg.web.jobs``.
"""
