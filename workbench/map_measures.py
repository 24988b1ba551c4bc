"""Network measures of what the map holds: degree, betweenness, closeness, PageRank, k-core,
Louvain communities and bridges, computed with igraph (C underneath: a 5,000-node map takes
about a second where networkx takes a minute; bench/bench_map_measures.py compares them).

The map's graph is taken as undirected and simple: who is linked to whom matters here, not
which way a registration or a purchase points, and three passages between a car and a
checkpoint are one tie. On maps above EXACT_UP_TO nodes betweenness and closeness count
only paths of at most CUTOFF steps, which keeps them to a second or two; the table says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from queries.analyses import louvain, scaled_betweenness, simple_graph

MEASURES = ("degree", "betweenness", "closeness", "pagerank", "coreness")
EXACT_UP_TO = 2_000
CUTOFF = 4


@dataclass(frozen=True)
class Measures:
    ids: list[str]  # map node ids, in the order of each measure's values
    values: dict[str, list[float]] = field(default_factory=dict)  # measure → value per node
    community: list[int] = field(default_factory=list)  # Louvain community per node, largest first
    bridges: list[tuple[str, str]] = field(default_factory=list)  # ties whose removal splits the map
    exact: bool = True

    def of(self, measure: str) -> dict[str, float]:
        return dict(zip(self.ids, self.values[measure], strict=True))

    def top(self, measure: str, count: int) -> list[str]:
        """The `count` node ids highest in `measure` (ties in map order)."""
        ranked = sorted(range(len(self.ids)), key=lambda i: -self.values[measure][i])
        return [self.ids[i] for i in ranked[:count]]

    def rows(self) -> list[dict[str, float | int | str]]:
        """One row per node: its id, each measure and its community."""
        return [
            {"id": node_id, **{m: self.values[m][i] for m in MEASURES}, "community": self.community[i]}
            for i, node_id in enumerate(self.ids)
        ]


def measure(nodes: Iterable[str], ties: Iterable[tuple[str, str]]) -> Measures:
    ids = list(dict.fromkeys(nodes))
    # The same graph and the same measures as `goldenbell analyse` and a pack's `post:` (queries/analyses.py).
    graph = simple_graph(ids, ties)
    if not ids:
        return Measures(ids=[])
    exact = len(ids) <= EXACT_UP_TO
    cutoff = None if exact else CUTOFF
    values = {
        "degree": [float(d) for d in graph.degree()],
        "betweenness": scaled_betweenness(graph, cutoff),
        "closeness": [0.0 if c != c else c for c in graph.closeness(cutoff=cutoff)],  # NaN: a lone node
        "pagerank": graph.pagerank(directed=False),
        "coreness": [float(c) for c in graph.coreness()],
    }
    community, _ = louvain(graph)
    bridges = [(ids[graph.es[e].source], ids[graph.es[e].target]) for e in graph.bridges()]
    return Measures(ids=ids, values=values, community=community, bridges=bridges, exact=exact)
