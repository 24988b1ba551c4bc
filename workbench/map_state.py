"""The link explorer's map as data: nodes, links, layout, pins, path ends, and what changed.

Pure Python (no Streamlit, no database), so every rule — merging results, the node cap,
removing, pinning, what a filter hides, what a saved investigation keeps — is tested
directly. Node and relationship dicts are those of `queries.subgraph`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from queries.investigations import SavedMap
from workbench import seen_links

TIME_PROPERTIES = ("time", "reported_at")
TRASH = 2000  # removed nodes (and their links) kept for the canvas's undo
PASSAGE_TYPES = frozenset({"OF_VEHICLE", "PASSED_AT"})
# A seen-at link stands for passages: they hang on PASSAGE_TYPES, or are SEEN_AT when stored.
SEEN_TYPES = PASSAGE_TYPES | {"SEEN_AT"}


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
    hidden: set[str] = field(default_factory=set)  # nodes the analyst hid on the canvas
    groups: dict[str, list[str]] = field(default_factory=dict)  # group id → member node ids
    style: dict[str, Any] = field(default_factory=dict)  # the styling rules chosen (see map_analysis)
    watched: set[str] = field(default_factory=set)  # nodes on a watch list (a red ring)
    opened: set[str] = field(default_factory=set)  # seen-at links opened into their passages
    trash: dict[str, dict[str, Any]] = field(default_factory=dict)  # removed node → what undo brings back
    trashed_edges: dict[str, dict[str, Any]] = field(default_factory=dict)  # links that went with them
    last_event: int = 0  # sequence number of the last canvas event handled
    # Which map the canvas's unhandled events belong to (the browser keeps them across reruns).
    map_id: str = field(default_factory=lambda: uuid.uuid4().hex)
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
            known = self.edges.get(rel["id"])
            if known is not None and rel.get("aggregate"):
                known["properties"] = dict(rel["properties"])  # counted again, perhaps in another window
            elif known is None and rel["start"] in self.nodes and rel["end"] in self.nodes:
                self.edges[rel["id"]] = dict(rel)
                added_edges.append(rel["id"])
        self.version += 1
        return added_nodes, added_edges

    def remove(self, node_id: str) -> None:
        node = self.nodes.pop(node_id, None)
        if node is not None:
            self.trash[node_id] = {
                "node": node,
                "position": self.positions.get(node_id),
                "pinned": node_id in self.pinned,
                "watched": node_id in self.watched,
            }
        for gone in [e for e, rel in self.edges.items() if node_id in (rel["start"], rel["end"])]:
            self.trashed_edges[gone] = self.edges.pop(gone)
            self.opened.discard(gone)
        for kept in (self.trash, self.trashed_edges):
            while len(kept) > TRASH:
                kept.pop(next(iter(kept)))
        for keyed in (self.positions, self.caps, self.degrees):
            keyed.pop(node_id, None)
        for marked in (self.pinned, self.more, self.highlight, self.hidden, self.watched):
            marked.discard(node_id)
        self._drop_from_groups({node_id})
        if self.path_start == node_id:
            self.path_start = None
        if self.path_end == node_id:
            self.path_end = None
        self.version += 1

    def restore(self, node_id: str) -> bool:
        """A removed node back as it was (the canvas undid its removal), with each of the links
        that went with it whose other end is on the map again."""
        kept = self.trash.pop(node_id, None)
        if kept is None or node_id in self.nodes:
            return False
        self.nodes[node_id] = kept["node"]
        if kept["position"]:
            self.positions[node_id] = kept["position"]
        if kept["pinned"]:
            self.pinned.add(node_id)
        if kept["watched"]:
            self.watched.add(node_id)
        for edge_id, rel in list(self.trashed_edges.items()):
            if rel["start"] in self.nodes and rel["end"] in self.nodes:
                self.edges[edge_id] = self.trashed_edges.pop(edge_id)
        self.version += 1
        return True

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

    def update_view(self, view: Mapping[str, Any] | None) -> None:
        """What the canvas reports of its view: hidden node ids and groups ({id: [members]}).
        The canvas shows it already, so nothing is redrawn (the version stays)."""
        if not isinstance(view, Mapping):
            return
        self.hidden = {str(n) for n in view.get("hidden") or () if str(n) in self.nodes}
        groups = view.get("groups") if isinstance(view.get("groups"), Mapping) else {}
        self.groups = {}
        for group_id, members in groups.items():
            kept = [str(m) for m in members or () if str(m) in self.nodes]
            if kept:
                self.groups[str(group_id)] = kept

    def group_of(self, node_id: str) -> str | None:
        return next((g for g, members in self.groups.items() if node_id in members), None)

    def _drop_from_groups(self, node_ids: set[str]) -> None:
        for group_id in list(self.groups):
            self.groups[group_id] = [m for m in self.groups[group_id] if m not in node_ids]
            if not self.groups[group_id]:
                del self.groups[group_id]

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
            if (not types or _of_types(rel, types)) and rel["start"] in shown_nodes and rel["end"] in shown_nodes
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
                if rel["start"] in refs and rel["end"] in refs and not rel.get("aggregate")
            }
        )
        aggregates = [
            {"start": refs[rel["start"]], "type": rel["type"], "end": refs[rel["end"]], **rel["properties"]}
            for rel in self.edges.values()
            if rel.get("aggregate") and rel["start"] in refs and rel["end"] in refs
        ]
        return SavedMap(
            entities=sorted(refs.values()),
            links=links,
            positions={refs[n]: dict(p) for n, p in self.positions.items() if n in refs},
            pinned=sorted(refs[n] for n in self.pinned if n in refs),
            hidden=sorted(refs[n] for n in self.hidden if n in refs),
            groups={g: sorted(refs[m] for m in members if m in refs) for g, members in self.groups.items()},
            style=dict(self.style),
            aggregates=sorted(aggregates, key=lambda a: (a["start"], a["end"])),
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
        state.hidden = {ids[ref] for ref in saved.hidden if ref in ids}
        state.groups = {
            g: [ids[ref] for ref in members if ref in ids]
            for g, members in saved.groups.items()
            if any(ref in ids for ref in members)
        }
        state.style = dict(saved.style)
        state.merge([], _aggregates(saved.aggregates, ids))
        return state


def _aggregates(saved: Iterable[Mapping[str, Any]], ids: Mapping[str | None, str]) -> list[dict[str, Any]]:
    """Seen-at links as they were saved (counts and times of that day), between entities still there."""
    out = []
    for item in saved:
        start, end = ids.get(item.get("start")), ids.get(item.get("end"))
        if start is None or end is None:
            continue
        properties = {k: item[k] for k in ("count", "first", "last") if k in item}
        out.append(
            {
                "id": seen_links.edge_id(start, end),
                "type": item["type"],
                "start": start,
                "end": end,
                "aggregate": True,
                "properties": properties,
            }
        )
    return out


def _of_types(rel: Mapping[str, Any], types: set[str]) -> bool:
    return bool(SEEN_TYPES & types) if rel.get("aggregate") else rel["type"] in types


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
