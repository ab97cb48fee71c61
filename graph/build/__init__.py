"""From the curated tables to a checked graph: tables → typed rows → triples → graph → checks → exports.

Reading, row checks, quote checks and register resolution are separate steps
(``vetkg.build.tables``); ``vetkg.build.schema`` declares every table and register once.
"""
