"""The link explorer's map as data: nodes, links, layout, pins, path ends, and what changed.

Pure Python (no Streamlit, no database), so every rule — merging results, the node cap,
removing, pinning, what a filter hides, what a saved investigation keeps — is tested
directly. Node and relationship dicts are those of `queries.subgraph`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from queries.investigations import SavedMap

TIME_PROPERTIES = ("time", "reported_at")


@dataclass
class MapState:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)
    positions: dict[str, dict[str, float]] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)
    caps: dict[str, int] = field(default_factory=dict)  # node → relationships its last expansion followed
    more: set[str] = field(default_factory=set)  # nodes whose last expansion stopped at its cap
    degrees: dict[str, int] = field(default_factory=dict)
    path_start: str | None = None
    path_end: str | None = None
    highlight: set[str] = field(default_factory=set)  # nodes and links of the last paths found
    last_event: int = 0  # sequence number of the last canvas event handled
    version: int = 0  # raised on every change the canvas must draw
    investigation_id: str | None = None
    title: str = ""
    notes: str = ""

    # --- changes -------------------------------------------------------------------

    def count_after(self, nodes: Iterable[Mapping[str, Any]]) -> int:
        """How many nodes the map would hold with these added."""
        return len(set(self.nodes) | {node["id"] for node in nodes})

    def merge(
        self, nodes: Iterable[Mapping[str, Any]], relationships: Iterable[Mapping[str, Any]]
    ) -> tuple[list[str], list[str]]:
        """Add what is new (known nodes keep their place); returns the ids added."""
        added_nodes, added_edges = [], []
        for node in nodes:
            if node["id"] not in self.nodes:
                self.nodes[node["id"]] = dict(node)
                added_nodes.append(node["id"])
        for rel in relationships:
            if rel["id"] not in self.edges and rel["start"] in self.nodes and rel["end"] in self.nodes:
                self.edges[rel["id"]] = dict(rel)
                added_edges.append(rel["id"])
        self.version += 1
        return added_nodes, added_edges

    def remove(self, node_id: str) -> None:
        self.nodes.pop(node_id, None)
        for edge_id in [e for e, rel in self.edges.items() if node_id in (rel["start"], rel["end"])]:
            del self.edges[edge_id]
        for keyed in (self.positions, self.caps, self.degrees):
            keyed.pop(node_id, None)
        self.pinned.discard(node_id)
        self.more.discard(node_id)
        self.highlight.discard(node_id)
        if self.path_start == node_id:
            self.path_start = None
        if self.path_end == node_id:
            self.path_end = None
        self.version += 1

    def clear(self, *, keep_pinned: bool = True) -> None:
        for node_id in [n for n in self.nodes if not (keep_pinned and n in self.pinned)]:
            self.remove(node_id)
        self.highlight.clear()
        self.version += 1

    def pin(self, node_id: str, pinned: bool = True) -> None:
        if node_id in self.nodes:
            (self.pinned.add if pinned else self.pinned.discard)(node_id)
            self.version += 1

    def set_path_end(self, which: str, node_id: str) -> None:
        if node_id in self.nodes:
            if which == "start":
                self.path_start = node_id
            else:
                self.path_end = node_id
            self.version += 1

    def update_positions(self, positions: Mapping[str, Any] | None) -> None:
        """Positions the canvas reports ({id: [x, y]} or {id: {x, y}}) for nodes on the map."""
        for node_id, value in (positions or {}).items():
            if node_id not in self.nodes:
                continue
            x, y = (value["x"], value["y"]) if isinstance(value, Mapping) else value
            self.positions[node_id] = {"x": float(x), "y": float(y)}

    # --- reading ---------------------------------------------------------------------

    def by_ref(self, ref: str) -> str | None:
        return next((node_id for node_id, node in self.nodes.items() if node.get("ref") == ref), None)

    def visible(self, types: Iterable[str] = (), since: str | None = None, until: str | None = None) -> set[str]:
        """Ids of nodes and links shown under a type filter and a time window (ISO text).

        A link of another type is hidden; a node is hidden when it carries a time outside
        the window, or when the type filter leaves it no link (unless it is pinned or an end
        of the path). With no filter everything shows.
        """
        types = set(types)
        shown_nodes = {
            node_id
            for node_id, node in self.nodes.items()
            if _within(_time_of(node), since, until) or node_id in self.pinned
        }
        shown_edges = {
            edge_id
            for edge_id, rel in self.edges.items()
            if (not types or rel["type"] in types) and rel["start"] in shown_nodes and rel["end"] in shown_nodes
        }
        if types:
            # A node the filter leaves without links goes too, unless it had none to begin with.
            linked = {end for e in shown_edges for end in (self.edges[e]["start"], self.edges[e]["end"])}
            with_links = {end for rel in self.edges.values() for end in (rel["start"], rel["end"])}
            keep = linked | self.pinned | ({self.path_start, self.path_end} - {None})
            shown_nodes = {n for n in shown_nodes if n in keep or n not in with_links}
        return shown_nodes | shown_edges

    def to_saved(self) -> SavedMap:
        refs = {node_id: node["ref"] for node_id, node in self.nodes.items() if node.get("ref")}
        links = sorted(
            {
                (refs[rel["start"]], rel["type"], refs[rel["end"]])
                for rel in self.edges.values()
                if rel["start"] in refs and rel["end"] in refs
            }
        )
        return SavedMap(
            entities=sorted(refs.values()),
            links=links,
            positions={refs[n]: dict(p) for n, p in self.positions.items() if n in refs},
            pinned=sorted(refs[n] for n in self.pinned if n in refs),
        )

    @classmethod
    def from_saved(
        cls, saved: SavedMap, nodes: Mapping[str, Mapping[str, Any]], relationships: Mapping[str, Mapping[str, Any]]
    ) -> MapState:
        state = cls()
        state.merge(nodes.values(), relationships.values())
        ids = {node.get("ref"): node_id for node_id, node in state.nodes.items()}
        state.positions = {ids[ref]: dict(p) for ref, p in saved.positions.items() if ref in ids}
        state.pinned = {ids[ref] for ref in saved.pinned if ref in ids}
        return state


def _time_of(node: Mapping[str, Any]) -> str | None:
    properties = node.get("properties") or {}
    for name in TIME_PROPERTIES:
        if properties.get(name):
            return str(properties[name])
    return None


def _within(value: str | None, since: str | None, until: str | None) -> bool:
    # ISO texts of one offset (+08:00 throughout the graph) compare as times do.
    if value is None:
        return True
    if since and value[: len(since)] < since:
        return False
    return not (until and value[: len(until)] > until)
