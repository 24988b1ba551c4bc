"""District outlines drawn from the graph's own places, so the map needs no boundary file.

Every place whose label has both a point and a `district` property (addresses,
checkpoints, compounds) counts towards its district. The server keeps, per district
and for each of a fixed set of compass directions, only the furthest reach of its
places (one streaming `max` per direction: no place leaves the server, however many
there are). The outline is where those reaches meet, pushed out by a margin, so every
place of the district lies inside it and a district of one place is still drawn. It
outlines where the data of a district lies, not the legal boundary; it stays right
for whatever city a user loads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from access.actor import Actor
from access.audit.log import AuditLog
from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from queries.geo import point_labels

DISTRICT = "district"
DIRECTIONS = 24
MARGIN_KM = 1.5
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_AT_EQUATOR = 111.32


@dataclass(frozen=True)
class District:
    name: str
    places: int
    longitude: float  # where its places lie on average: where the name is written
    latitude: float
    ring: tuple[tuple[float, float], ...]  # (longitude, latitude), closed: last == first


def district_labels(schema: Schema) -> dict[str, str]:
    """Label → its point property, for labels whose nodes name their district."""
    return {label: point for label, point in point_labels(schema).items() if DISTRICT in schema.nodes[label].properties}


def directions(count: int = DIRECTIONS) -> list[tuple[float, float]]:
    return [(math.cos(2 * math.pi * k / count), math.sin(2 * math.pi * k / count)) for k in range(count)]


def _outline_cypher(labels: dict[str, str], count: int) -> str:
    arms = "\n  UNION ALL\n".join(
        f"  MATCH (n:{quote(label)}) WHERE n.{quote(point)} IS NOT NULL AND n.{quote(DISTRICT)} IS NOT NULL\n"
        f"  RETURN n.{quote(DISTRICT)} AS district, n.{quote(point)} AS p"
        for label, point in sorted(labels.items())
    )
    # Longitude is scaled by $lon_km (km per degree at the city's latitude) so that the
    # directions are even on the ground, not in degrees.
    reaches = ",\n       ".join(f"max(x * $dirs[{k}][0] + y * $dirs[{k}][1]) AS h{k}" for k in range(count))
    return (
        f"CALL () {{\n{arms}\n}}\n"
        "WITH district, p.longitude * $lon_km AS x, p.latitude * $lat_km AS y\n"
        "RETURN district, count(*) AS places, avg(x) AS x, avg(y) AS y,\n"
        f"       {reaches}\n"
        "ORDER BY district"
    )


def ring_from_reaches(
    reaches: list[float], dirs: list[tuple[float, float]], margin: float
) -> list[tuple[float, float]]:
    """The polygon where consecutive support lines {p : p·u_k = h_k + margin} meet (km)."""
    ring = []
    count = len(dirs)
    for k in range(count):
        (a1, b1), (a2, b2) = dirs[k], dirs[(k + 1) % count]
        c1, c2 = reaches[k] + margin, reaches[(k + 1) % count] + margin
        det = a1 * b2 - a2 * b1
        ring.append(((c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det))
    return ring + ring[:1]


def district_outlines(
    gateway: Gateway,
    schema: Schema,
    audit: AuditLog,
    *,
    actor: Actor,
    latitude: float,
    margin_km: float = MARGIN_KM,
) -> list[District]:
    """One outline per district named by the graph's places; `latitude` is where the map is
    (the mean latitude of what it shows), for even distances east-west."""
    labels = district_labels(schema)
    if not labels:
        return []
    dirs = directions()
    lon_km = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(latitude))
    params: dict[str, Any] = {"dirs": [list(d) for d in dirs], "lon_km": lon_km, "lat_km": KM_PER_DEGREE_LAT}
    result = gateway.read("geo.districts", _outline_cypher(labels, len(dirs)), params)
    out = []
    for record in result.records:
        ring = ring_from_reaches([record[f"h{k}"] for k in range(len(dirs))], dirs, margin_km)
        out.append(
            District(
                name=str(record["district"]),
                places=record["places"],
                longitude=record["x"] / lon_km,
                latitude=record["y"] / KM_PER_DEGREE_LAT,
                ring=tuple((x / lon_km, y / KM_PER_DEGREE_LAT) for x, y in ring),
            )
        )
    audit.append(actor.event("map.districts", parameters={"labels": sorted(labels)}, rows=len(out)))
    return out
