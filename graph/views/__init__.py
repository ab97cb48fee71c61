"""What people look at.

Network projections with their analysis and layout, charts, statistics, the map, and the
pages of the site with their templates and static files.
"""
