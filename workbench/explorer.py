"""What the link explorer does when asked: add, expand, show more, remove, pin, find paths.

Canvas events arrive here as plain dicts (`handle`), so tests drive the explorer the way
the browser does, without a browser. Every database read goes through the runner as the
investigator's acting user (user, role, case reference and reason), and so is audited
(`expand`, `path`, `search` actions).

When passages live in the event store (`goldenbell events import`) there are no Passage
nodes: seen-at links are the graph's SEEN_AT links (counted again in the store for a time
window, audited as `map.seen_counts`), and a link opens into a table of the store's
passages (audited as `map.seen_passages`), not into nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from typing import Any

import duckdb

from graph.errors import GraphError
from queries import page_queries
from queries.parameters import ParameterError
from queries.profiles import links_among, listed_among, parse_ref, read_entity
from queries.runner import QueryOutcome, QueryRefused, Runner
from queries.seen_passages import SeenPassages, seen_counts, seen_passages
from queries.store_runs import BEIJING
from workbench.display import Display
from workbench.map_state import SEEN_TYPES, MapState
from workbench.messages import message
from workbench.seen_links import seen_edges

EVENT_KINDS = frozenset(
    {"expand", "more", "pin", "unpin", "remove", "restore", "path_start", "path_end", "profile", "layout", "passages"}
)
PASSAGES_OPENED = 50  # passages drawn (or listed, from the event store) when a seen-at link is opened


@dataclass(frozen=True)
class Filters:
    hops: int = 1
    types: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def window(self) -> tuple[str | None, str | None]:
        """The window as ISO day text, to compare with ISO times on nodes."""
        return (self.since.isoformat() if self.since else None, self.until.isoformat() if self.until else None)

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """The window as Beijing-time instants, both days whole (for the event store)."""
        since = datetime.combine(self.since, time.min, BEIJING) if self.since else None
        until = datetime.combine(self.until, time.max, BEIJING) if self.until else None
        return since, until


@dataclass(frozen=True)
class Notice:
    level: str  # 'info', 'success', 'warning' or 'error'
    text: str


@dataclass
class Outcome:
    notices: list[Notice] = field(default_factory=list)
    open_profile: str | None = None  # Label:key of a node whose profile was asked for
    passages: SeenPassages | None = None  # a seen-at link opened from the event store: a table, not nodes


class Explorer:
    def __init__(self, runner: Runner, display: Display, state: MapState):
        self.runner = runner
        self.settings = runner.settings
        self.display = display  # captions in notices are masked like everything else shown
        self.investigator = display.investigator
        self.state = state
        self.events = runner.events  # the event store, which the runner reads passage queries from

    @cached_property
    def stored(self) -> bool:
        """Whether passages live in the event store: then the graph holds SEEN_AT links, not
        Passage nodes, and an opened link is read from the store. Asked once per explorer
        (one per run of the page), as it looks at the store's folder."""
        return self.events is not None and self.events.holds_passages()

    def _t(self, key: str, **values: Any) -> str:
        return message(key, self.investigator.lang, **values)

    def _run(self, query_id: str, params: dict[str, Any], action: str) -> QueryOutcome:
        return self.runner.run(query_id, params, action=action, actor=self.investigator.actor.consulting())

    # --- actions ---------------------------------------------------------------------

    def add(self, ref: str) -> Notice:
        """Put one entity on the map, by Label:key."""
        schema = self.runner.schema
        try:
            found = read_entity(
                self.runner.gateway,
                schema,
                self.runner.audit,
                parse_ref(ref, schema),
                actor=self.investigator.actor.consulting(),
                action="map.add",
            )
        except (ParameterError, GraphError) as exc:
            return Notice("error", self._t("common.refused", error=exc))
        if found is None:
            return Notice("error", self._t("profile.not_found", ref=self.display.text(ref)))
        node = found.node
        if self.state.count_after([node]) > self.settings.map_node_cap:
            return self._over_cap(self.state.count_after([node]))
        self.state.merge([node], [])
        self.state.degrees[node["id"]] = found.degree
        if found.listed:
            self.state.watched.add(node["id"])
        return Notice("success", self._t("explorer.expanded", label=self.display.caption(node), nodes=1, rels=0))

    def expand(self, node_id: str, filters: Filters, *, more: bool = False) -> Notice:
        node = self.state.nodes.get(node_id)
        if node is None or not node.get("ref"):
            return Notice("warning", self._t("profile.not_found", ref=node_id))
        step = self.settings.expand_cap
        cap = (self.state.caps.get(node_id, 0) + step) if more else max(step, self.state.caps.get(node_id, 0))
        since, until = filters.window()
        params = {
            "start": node["ref"],
            "hops": filters.hops,
            "types": list(filters.types),
            "since": f"{since}T00:00:00" if since else None,
            "until": f"{until}T23:59:59" if until else None,
            "degree_cap": min(cap, 500),
        }
        try:
            # Passages are not nodes on the map: one seen-at link per vehicle and place instead.
            outcome = self._run(page_queries.NEIGHBOURHOOD, {**params, "passages": False}, "expand")
            seen = self._seen_at(params, filters)
            seen_nodes, seen_rows = self._in_window(seen, filters) if seen is not None else ([], [])
        except (QueryRefused, GraphError) as exc:
            return Notice("error", self._t("common.failed", error=exc))
        except (duckdb.Error, OSError) as exc:
            return Notice("error", self._t("seen.store_failed", error=exc))
        total = self.state.count_after([*outcome.nodes, *seen_nodes])
        if total > self.settings.map_node_cap:
            return self._over_cap(total)
        added_nodes, added_edges = self.state.merge(outcome.nodes, outcome.relationships)
        if seen_rows:
            more_nodes, more_edges = self.state.merge(
                seen_nodes, seen_edges(seen_rows, {n["ref"]: n["id"] for n in seen_nodes if n.get("ref")})
            )
            added_nodes += more_nodes
            added_edges += more_edges
        self._note_degrees(outcome)
        first_hop = sum(1 for row in outcome.rows if row.get("depth") == 1)
        self.state.caps[node_id] = cap
        if first_hop >= cap:
            self.state.more.add(node_id)
        else:
            self.state.more.discard(node_id)
        text = self._t(
            "explorer.expanded", label=self.display.caption(node), nodes=len(added_nodes), rels=len(added_edges)
        )
        if node_id in self.state.more:
            text += " " + self._t("explorer.more_available")
        return Notice("success", text)

    def _in_window(self, seen: QueryOutcome, filters: Filters) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The seen-at links to draw and their nodes. SEEN_AT counts every passage ever stored:
        with a window, each link's count and first and last time are read again from the
        store for the window, and a link with none in it is not drawn."""
        if not (self.stored and seen.rows and (filters.since or filters.until)):
            return seen.nodes, seen.rows
        pairs = [(row["vehicle"].partition(":")[2], row["place"].partition(":")[2]) for row in seen.rows]
        since, until = filters.moments()
        counts = seen_counts(
            self.events, self.runner.audit, pairs, since, until, actor=self.investigator.actor.consulting()
        )
        rows = []
        for row, pair in zip(seen.rows, pairs, strict=True):
            if pair in counts:
                passages, first, last = counts[pair]
                rows.append({**row, "passages": passages, "first": first, "last": last})
        kept = {row["vehicle"] for row in rows} | {row["place"] for row in rows}
        return [node for node in seen.nodes if node.get("ref") in kept], rows

    def _seen_at(self, params: dict[str, Any], filters: Filters) -> QueryOutcome | None:
        """Seen-at links from the expanded node (a vehicle or a place, or a person's vehicles
        at two hops), unless the type filter leaves out the links passages hang on."""
        if filters.types and not SEEN_TYPES & set(filters.types):
            return None
        keep = ("start", "hops", "since", "until", "degree_cap")
        return self._run(page_queries.SEEN_AT, {**{k: params[k] for k in keep}, "stored": self.stored}, "expand")

    def open_passages(self, edge_id: str, filters: Filters) -> tuple[Notice, SeenPassages | None]:
        """A seen-at link opened into its passages (the most recent first): nodes on the map
        from the graph, or, when passages live in the event store, rows for a table."""
        rel = self.state.edges.get(edge_id)
        if rel is None or not rel.get("aggregate"):
            return Notice("warning", self._t("profile.not_found", ref=edge_id)), None
        vehicle, place = self.state.nodes[rel["start"]], self.state.nodes[rel["end"]]
        if self.stored:
            return self._open_stored(edge_id, rel, vehicle, place, filters)
        return self._open_nodes(edge_id, rel, vehicle, place, filters), None

    def _open_nodes(
        self, edge_id: str, rel: dict[str, Any], vehicle: dict[str, Any], place: dict[str, Any], filters: Filters
    ) -> Notice:
        since, until = filters.window()
        params = {
            "vehicle": vehicle["ref"],
            "place": place["ref"],
            "since": f"{since}T00:00:00" if since else None,
            "until": f"{until}T23:59:59" if until else None,
            "limit": PASSAGES_OPENED,
        }
        try:
            outcome = self._run(page_queries.PASSAGES_BETWEEN, params, "expand")
        except (QueryRefused, GraphError) as exc:
            return Notice("error", self._t("common.failed", error=exc))
        total = self.state.count_after(outcome.nodes)
        if total > self.settings.map_node_cap:
            return self._over_cap(total)
        added, _ = self.state.merge(outcome.nodes, outcome.relationships)
        self.state.opened.add(edge_id)
        text = self._t("explorer.passages_opened", n=len(added), count=rel["properties"]["count"])
        return Notice("success", text)

    def _open_stored(
        self, edge_id: str, rel: dict[str, Any], vehicle: dict[str, Any], place: dict[str, Any], filters: Filters
    ) -> tuple[Notice, SeenPassages | None]:
        """The link's passages read from the event store: no Passage node exists to draw."""
        vehicle_label, _, plate = vehicle["ref"].partition(":")
        place_label, _, place_id = place["ref"].partition(":")
        since, until = filters.moments()
        try:
            found = seen_passages(
                self.events,
                self.runner.audit,
                (vehicle_label, plate),
                (place_label, place_id),
                since,
                until,
                actor=self.investigator.actor.consulting(),
                limit=PASSAGES_OPENED,
            )
        except (duckdb.Error, OSError) as exc:
            return Notice("error", self._t("seen.store_failed", error=exc)), None
        self.state.opened.add(edge_id)
        self.state.version += 1  # the link is drawn as opened
        names = {"vehicle": self.display.caption(vehicle), "place": self.display.caption(place)}
        count = rel["properties"]["count"]
        if not found.rows:
            return Notice("info", self._t("seen.none", **names)), found
        words = "seen.opened" if found.total <= len(found.rows) else "seen.opened_cut"
        return Notice("success", self._t(words, **names, total=found.total, n=len(found.rows), count=count)), found

    def find_paths(self, max_hops: int, filters: Filters) -> Notice:
        start, end = self.state.path_start, self.state.path_end
        if not start or not end or start not in self.state.nodes or end not in self.state.nodes:
            return Notice("warning", self._t("explorer.path_start") + " / " + self._t("explorer.path_end") + " ?")
        a, b = self.state.nodes[start], self.state.nodes[end]
        params = {"a": a["ref"], "b": b["ref"], "max_hops": max_hops, "types": list(filters.types)}
        try:
            outcome = self._run(page_queries.SHORTEST_PATHS, params, "path")
        except (QueryRefused, GraphError) as exc:
            return Notice("error", self._t("common.failed", error=exc))
        if not outcome.rows:
            self.state.highlight = set()
            self.state.version += 1
            return Notice(
                "info", self._t("explorer.no_path", a=self.display.caption(a), b=self.display.caption(b), hops=max_hops)
            )
        total = self.state.count_after(outcome.nodes)
        if total > self.settings.map_node_cap:
            return self._over_cap(total)
        self.state.merge(outcome.nodes, outcome.relationships)
        self.state.highlight = {n["id"] for n in outcome.nodes} | {r["id"] for r in outcome.relationships}
        return Notice("success", self._t("explorer.path_found", n=len(outcome.rows), hops=outcome.rows[0]["hops"]))

    def load(self, nodes: list[dict[str, Any]], relationships: list[dict[str, Any]]) -> Notice | None:
        """Add a query's sub-graph (a pack result, an alert's entities) to the map."""
        total = self.state.count_after(nodes)
        if total > self.settings.map_node_cap:
            return self._over_cap(total)
        added, _ = self.state.merge(nodes, relationships)
        # A pack's or an alert's result says nothing of watch lists: ask, for the red ring.
        try:
            actor = self.investigator.actor.consulting()
            self.state.watched |= listed_among(self.runner.gateway, self.runner.audit, added, actor=actor)
        except GraphError as exc:
            return Notice("warning", self._t("explorer.watch_flags_failed", error=exc))
        return None

    def focus(self, nodes: list[dict[str, Any]], relationships: list[dict[str, Any]]) -> Notice | None:
        """A fresh map of these entities (an alert's), with what ties them to each other drawn
        and highlighted; pinned nodes of the map before go too, as nothing else would stay."""
        ids = [node["id"] for node in nodes]
        try:
            actor = self.investigator.actor.consulting()
            links = links_among(self.runner.gateway, self.runner.schema, self.runner.audit, ids, actor=actor)
        except GraphError as exc:
            return Notice("error", self._t("common.failed", error=exc))
        self.state.clear(keep_pinned=False)
        notice = self.load(nodes, [*relationships, *links])
        self.state.highlight = set(ids) | {rel["id"] for rel in [*relationships, *links]}
        return notice

    def handle(self, value: dict[str, Any] | None, filters: Filters) -> Outcome:
        """A canvas value: {events: [{seq, kind, node}, …], positions}. Events seen before are ignored."""
        out = Outcome()
        if not value or not isinstance(value, dict):
            return out
        fresh = sorted(
            (
                e
                for e in value.get("events") or ()
                if isinstance(e, dict) and int(e.get("seq") or 0) > self.state.last_event
            ),
            key=lambda e: int(e["seq"]),
        )
        if not fresh:
            return out
        self.state.update_positions(value.get("positions"))
        self.state.update_view(value.get("view"))
        for event in fresh:
            # Seen only once done: Streamlit stops a run as soon as the next gesture arrives, and
            # the next run must do again what this one was cut off in (each action is idempotent).
            self._one(event, filters, out)
            self.state.last_event = int(event["seq"])
        # Nodes brought back by undo are on the map only now: their places and groups too.
        self.state.update_positions(value.get("positions"))
        self.state.update_view(value.get("view"))
        return out

    def _one(self, event: dict[str, Any], filters: Filters, out: Outcome) -> None:
        kind, node_id = event.get("kind"), str(event.get("node") or "")
        if kind == "passages" and node_id in self.state.edges:
            notice, found = self.open_passages(node_id, filters)
            out.notices.append(notice)
            out.passages = found or out.passages
            return
        if kind == "restore":
            self._restore(node_id, out)
            return
        if kind not in EVENT_KINDS or kind == "layout" or node_id not in self.state.nodes:
            return
        if kind in ("expand", "more"):
            out.notices.append(self.expand(node_id, filters, more=kind == "more"))
        elif kind in ("pin", "unpin"):
            self.state.pin(node_id, kind == "pin")
        elif kind == "remove":
            self.state.remove(node_id)
        elif kind in ("path_start", "path_end"):
            self.state.set_path_end(kind.removeprefix("path_"), node_id)
        elif kind == "profile":
            out.open_profile = self.state.nodes[node_id].get("ref")

    # --- helpers -----------------------------------------------------------------------

    def _restore(self, node_id: str, out: Outcome) -> None:
        if node_id in self.state.trash and len(self.state.nodes) >= self.settings.map_node_cap:
            out.notices.append(self._over_cap(len(self.state.nodes) + 1))
            return
        self.state.restore(node_id)

    def _note_degrees(self, outcome: QueryOutcome) -> None:
        by_ref = {node.get("ref"): node["id"] for node in outcome.nodes}
        for row in outcome.rows:
            node_id = by_ref.get(row.get("target"))
            if node_id is not None and row.get("target_degree") is not None:
                self.state.degrees[node_id] = int(row["target_degree"])
            for end in ("source", "target"):
                if row.get(f"{end}_listed") and by_ref.get(row.get(end)) is not None:
                    self.state.watched.add(by_ref[row[end]])

    def _over_cap(self, total: int) -> Notice:
        return Notice("warning", self._t("explorer.over_cap", n=total, cap=self.settings.map_node_cap))
