"""Addresses placed in their compounds before Neo4j's importer runs, as `place_addresses`
(ingest/places.py) places them after an online batch: every address whose key starts with
a compound's `address_prefix`, and that no compound holds yet, is linked IN_COMPOUND to it
and, lacking a location of its own, takes the compound's. The compounds are taken in the
order they were staged, the order the importer gives their nodes and the query then meets
them in. At city scale the query takes half a minute after the load; here it is a sorted
list and a few hundred thousand links staged with the rest.
"""

from __future__ import annotations

from bisect import bisect_left

from ingest.bulk.stage import ID, PROPS, StagedGraph

KIND = ("IN_COMPOUND", "Address", "Compound")
SOURCE = "places"  # the link's prov_source, as the query writes it; no file or row of its own


def place_staged_addresses(graph: StagedGraph) -> int:
    """Stage the links and locations; returns how many addresses were placed."""
    addresses = graph.nodes["Address"]
    keys = sorted(str(key) for key in addresses)
    held = graph.links[KIND]
    placed = {start for start, _, _ in held}
    at = (graph.add_source("", SOURCE), None)
    count = 0
    for compound in list(graph.nodes["Compound"].values()):
        prefix = compound[PROPS].get("address_prefix")
        if prefix is None:
            continue
        i = bisect_left(keys, prefix)
        while i < len(keys) and keys[i].startswith(prefix):
            address = addresses[keys[i]]
            i += 1
            if address[ID] in placed:
                continue
            graph.merge_link(KIND, (address[ID], compound[ID], None), {}, at)
            placed.add(address[ID])
            location = compound[PROPS].get("location")
            if address[PROPS].get("location") is None and location is not None:
                address[PROPS]["location"] = location
            count += 1
    return count
