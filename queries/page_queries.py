"""The pack queries the workbench's pages run by id.

A page names its query here, and `load_catalog` refuses a catalog without one of them,
so a pack edit that renames or drops a query the pages rely on fails when the packs
load, not when an investigator clicks.
"""

from __future__ import annotations

NEIGHBOURHOOD = "links.neighbourhood"  # a profile's links; the map's expand
SHORTEST_PATHS = "links.shortest_paths"  # the map's path between two nodes
TIMELINE = "links.timeline"  # a profile's timeline
TRAJECTORY = "vehicles.trajectory"  # the geo page's plate trajectory
SEARCH = "search.entities"  # the search page
SEEN_AT = "links.seen_at"  # the map's seen-at links, beside an expansion
PASSAGES_BETWEEN = "links.passages_between"  # a seen-at link opened into its passages

PAGE_QUERIES = (NEIGHBOURHOOD, SHORTEST_PATHS, TIMELINE, TRAJECTORY, SEARCH, SEEN_AT, PASSAGES_BETWEEN)
