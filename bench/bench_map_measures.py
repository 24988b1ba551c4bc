"""Network measures of a link-explorer map: igraph, as the workbench computes them, beside
networkx, the baseline, on the same graphs in the same run. The graphs are shaped like
expanded maps: a tree of expansions (each node reached from one already there) with extra
ties between nodes already on the map, about 1.6 ties per node. Prints medians; asserts
nothing.

    .venv/bin/python bench/bench_map_measures.py
    .venv/bin/python bench/bench_map_measures.py --nodes 1000 5000 --repeat 5
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import networkx

from workbench.map_measures import EXACT_UP_TO, measure


def map_like(nodes: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    ties = [(f"n{i}", f"n{rng.randrange(i)}") for i in range(1, nodes)]
    ties += [(f"n{rng.randrange(nodes)}", f"n{rng.randrange(nodes)}") for _ in range(int(nodes * 0.6))]
    return ties


def with_networkx(nodes: list[str], ties: list[tuple[str, str]]) -> None:
    graph = networkx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in ties if a != b)
    # The same cut-off above EXACT_UP_TO nodes is not offered by networkx: it samples pivots instead.
    k = None if len(nodes) <= EXACT_UP_TO else 200
    networkx.betweenness_centrality(graph, k=k, seed=0)
    networkx.closeness_centrality(graph)
    networkx.algorithms.link_analysis.pagerank_alg._pagerank_python(graph)  # the public one needs scipy
    networkx.core_number(graph)
    networkx.community.louvain_communities(graph, seed=0)
    list(networkx.bridges(graph))


def timed(work, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        out.append(time.perf_counter() - began)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-up-to", type=int, default=1000, help="run networkx only up to this many nodes")
    args = parser.parse_args()
    print(f"{'nodes':>6} {'ties':>6}   {'igraph median':>14}   {'networkx median':>15}   ratio")
    for count in args.nodes:
        ties = map_like(count, seed=count)
        nodes = [f"n{i}" for i in range(count)]
        ours = statistics.median(timed(lambda: measure(nodes, ties), args.repeat))  # noqa: B023
        if count <= args.baseline_up_to:
            theirs = statistics.median(timed(lambda: with_networkx(nodes, ties), args.repeat))  # noqa: B023
            baseline, ratio = f"{theirs * 1000:12.0f} ms", f"× {theirs / ours:.0f} faster"
        else:
            baseline, ratio = f"{'(skipped)':>15}", ""
        print(f"{count:>6} {len(ties):>6}   {ours * 1000:11.0f} ms   {baseline}   {ratio}")


if __name__ == "__main__":
    main()
