"""Graph analyses over a query's sub-graph or a label's projection: degree, betweenness,
PageRank, triangles, Louvain communities and weakly connected components, computed with
igraph, as one row per node and a summary of the totals.

The graph is taken as undirected and simple, as the link explorer's measures take the map
(workbench/map_measures.py builds its graph here): who is linked to whom matters, not which
way a registration points, and three passages between a car and a checkpoint are one tie.
A relationship from a node to itself ties it to no one and counts for nothing.

Everything here is pure: nodes and relationships in, in the shape `queries.subgraph` gives
them, rows out. How large a graph may be analysed is a setting; `check_size` refuses a
larger one with its counts and the caps. A pack query's `post:` entry is read by `post_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # igraph loads when something is measured, not when a pack is read
    import igraph

ANALYSES = ("degree", "betweenness", "pagerank", "triangles", "communities", "components")
# Analyses that put each node in a group rather than give it a number: column name of the group.
GROUPS = {"communities": "community", "components": "component"}
POST_KEYS = ("analysis", "top")
MAX_TOP = 10_000
NODE_CAP_SETTING = "GOLDENBELL_ANALYSIS_MAX_NODES"
RELATIONSHIP_CAP_SETTING = "GOLDENBELL_ANALYSIS_MAX_RELATIONSHIPS"


class AnalysisRefused(ValueError):
    """The graph is too large to analyse, or holds nothing an analysis can use."""


class PostError(ValueError):
    """A pack query's `post:` entry is malformed; `key` is the entry's key at fault, if any."""

    def __init__(self, message: str, key: str | None = None):
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Post:
    """What to compute over a query's sub-graph after it runs, and how many rows to keep
    (for communities and components: how many of the largest groups)."""

    analysis: str
    top: int | None = None


@dataclass(frozen=True)
class Limits:
    nodes: int
    relationships: int


@dataclass(frozen=True)
class Analysis:
    analysis: str
    columns: list[str]
    rows: list[dict[str, Any]]  # one per node kept, best first (or by group, largest first)
    summary: dict[str, Any] = field(default_factory=dict)  # the graph's size and the analysis' totals


def post_of(value: Any) -> Post | None:
    """A pack query's `post:` mapping, checked; PostError names the key at fault."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise PostError(f"'post' is a mapping such as {{analysis: betweenness, top: 20}}, got {value!r}")
    unknown = sorted(str(key) for key in value if key not in POST_KEYS)
    if unknown:
        raise PostError(f"'post' has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(POST_KEYS)}", unknown[0])
    analysis = value.get("analysis")
    if analysis not in ANALYSES:
        raise PostError(f"'post.analysis' must be one of {', '.join(ANALYSES)}, got {analysis!r}", "analysis")
    top = value.get("top")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= MAX_TOP):
        raise PostError(f"'post.top' must be a whole number from 1 to {MAX_TOP:,}, got {top!r}", "top")
    return Post(analysis, top)


def check_size(nodes: int, relationships: int, limits: Limits, what: str) -> None:
    """AnalysisRefused when `what` (the sentence's subject: "its result", "the projection of …") is over a cap."""
    if nodes <= limits.nodes and relationships <= limits.relationships:
        return
    raise AnalysisRefused(
        f"{what} holds {nodes:,} nodes and {relationships:,} relationships; an analysis takes at most "
        f"{limits.nodes:,} nodes ({NODE_CAP_SETTING}) and {limits.relationships:,} relationships "
        f"({RELATIONSHIP_CAP_SETTING}): narrow it, or raise the setting"
    )


def analyse(
    analysis: str,
    nodes: Sequence[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    *,
    top: int | None = None,
) -> Analysis:
    """`analysis` over the graph of `nodes` (each with id, and ref, label and caption to show)
    and `relationships` (each with start and end, node ids)."""
    if analysis not in ANALYSES:
        raise AnalysisRefused(f"unknown analysis {analysis!r}; analyses are {', '.join(ANALYSES)}")
    ids = list(dict.fromkeys(str(node["id"]) for node in nodes))
    known = set(ids)
    rels = list(relationships)
    ties: list[tuple[str, str]] = []
    for rel in rels:
        start, end = str(rel.get("start")), str(rel.get("end"))
        if start not in known or end not in known:
            raise AnalysisRefused(f"relationship {rel.get('id')!r} joins a node that is not in the graph analysed")
        ties.append((start, end))
    graph = simple_graph(ids, ties)
    values, totals = _measure(analysis, graph)
    summary = {"analysis": analysis, "nodes": len(ids), "relationships": len(rels), "ties": graph.ecount(), **totals}
    by_id = {str(node["id"]): node for node in nodes}
    rows = [_row(by_id[node_id], analysis, values[i]) for i, node_id in enumerate(ids)]
    rows = _ranked(analysis, rows, top)
    summary["rows"] = len(rows)
    return Analysis(analysis, columns(analysis), rows, summary)


def columns(analysis: str) -> list[str]:
    """The columns of an analysis' rows, in order."""
    if analysis in GROUPS:
        group = GROUPS[analysis]
        return ["node", "label", "caption", group, f"{group}_size", "id"]
    return ["rank", "node", "label", "caption", analysis, "id"]


def simple_graph(ids: Sequence[str], ties: Iterable[tuple[str, str]]) -> igraph.Graph:
    """The undirected simple graph over `ids` (vertex i is ids[i]): one edge per linked pair."""
    import igraph

    index = {node_id: i for i, node_id in enumerate(ids)}
    pairs = {tuple(sorted((index[a], index[b]))) for a, b in ties if a in index and b in index and a != b}
    return igraph.Graph(n=len(ids), edges=sorted(pairs))


def scaled_betweenness(graph: igraph.Graph, cutoff: int | None = None) -> list[float]:
    # As networkx normalises it: the share of the other pairs' shortest paths through a node.
    n = graph.vcount()
    pairs = (n - 1) * (n - 2) / 2
    return [b / pairs if pairs > 0 else 0.0 for b in graph.betweenness(directed=False, cutoff=cutoff)]


def louvain(graph: igraph.Graph) -> tuple[list[int], float]:
    """Louvain communities numbered 1, 2, … from the largest (a lone node is its own), and
    the partition's modularity (0 without ties)."""
    if not graph.ecount():
        return list(range(1, graph.vcount() + 1)), 0.0
    clusters = graph.community_multilevel()
    return ranked_membership(clusters.membership), float(clusters.modularity)


def ranked_membership(membership: Sequence[int]) -> list[int]:
    """Groups renumbered 1, 2, … from the largest, so colours and names stay stable."""
    sizes: dict[int, int] = {}
    for group in membership:
        sizes[group] = sizes.get(group, 0) + 1
    order = {group: rank for rank, group in enumerate(sorted(sizes, key=lambda g: (-sizes[g], g)), start=1)}
    return [order[group] for group in membership]


def _measure(analysis: str, graph: igraph.Graph) -> tuple[list[Any], dict[str, Any]]:
    """Each vertex's value (for groups: its group and the group's size) and the totals."""
    if analysis == "degree":
        return graph.degree(), {}
    if analysis == "betweenness":
        return scaled_betweenness(graph), {}
    if analysis == "pagerank":
        return (graph.pagerank(directed=False) if graph.vcount() else []), {}
    if analysis == "triangles":
        counts = [0] * graph.vcount()
        found = graph.list_triangles()
        for triangle in found:
            for vertex in triangle:
                counts[vertex] += 1
        return counts, {"triangles": len(found)}
    if analysis == "communities":
        membership, modularity = louvain(graph)
        return _with_sizes(membership), {"communities": len(set(membership)), "modularity": modularity}
    membership = ranked_membership(graph.connected_components(mode="weak").membership)
    sizes = _with_sizes(membership)
    largest = max((size for _, size in sizes), default=0)
    return sizes, {"components": len(set(membership)), "largest_component": largest}


def _with_sizes(membership: list[int]) -> list[tuple[int, int]]:
    sizes: dict[int, int] = {}
    for group in membership:
        sizes[group] = sizes.get(group, 0) + 1
    return [(group, sizes[group]) for group in membership]


def _row(node: Mapping[str, Any], analysis: str, value: Any) -> dict[str, Any]:
    row = {} if analysis in GROUPS else {"rank": 0}
    row |= {
        "node": node.get("ref") or f"{node.get('label') or 'node'}#{node['id']}",
        "label": node.get("label") or "",
        "caption": node.get("caption"),
    }
    if analysis in GROUPS:
        group = GROUPS[analysis]
        row[group], row[f"{group}_size"] = value
    else:
        row[analysis] = value
    row["id"] = str(node["id"])
    return row


def _ranked(analysis: str, rows: list[dict[str, Any]], top: int | None) -> list[dict[str, Any]]:
    """Best first (ties by reference, so a run's order is the next run's); for groups, by group
    from the largest. `top` keeps that many rows, or for groups that many of the largest."""
    if analysis in GROUPS:
        group = GROUPS[analysis]
        rows = sorted(rows, key=lambda r: (r[group], r["node"]))
        if top is not None:
            rows = [r for r in rows if r[group] <= top]
    else:
        rows = sorted(rows, key=lambda r: (-r[analysis], r["node"]))
        if top is not None:
            rows = rows[:top]
        for rank, row in enumerate(rows, start=1):
            row["rank"] = rank
    return rows
