"""Network analysis of the link explorer's map: the measures agree with networkx on graphs
shaped like maps, a bridge and its broker are found, and the explorer's panel lists them,
sizes and colours the map by them and selects the top N — in Chinese and in English."""

from __future__ import annotations

import random

import networkx
import pytest

from tests.workbench.conftest import one_page
from workbench.map_analysis import SELECT_KEY
from workbench.map_measures import CUTOFF, EXACT_UP_TO, measure
from workbench.map_state import MapState
from workbench.map_styles import LARGEST, SMALLEST, sizes

# Two households (triangles) tied through one landlord: he is the broker, the ties to him bridges.
TRIANGLES = [("a1", "a2"), ("a2", "a3"), ("a3", "a1"), ("b1", "b2"), ("b2", "b3"), ("b3", "b1")]
BRIDGED = [*TRIANGLES, ("a1", "L"), ("L", "b1")]


def test_the_broker_between_two_groups_ranks_first_and_the_ties_to_him_are_bridges():
    found = measure(["a1", "a2", "a3", "b1", "b2", "b3", "L"], BRIDGED)
    assert found.top("betweenness", 1) == ["L"]
    betweenness = found.of("betweenness")
    assert betweenness["L"] == pytest.approx(9 / 15)  # 3 × 3 pairs of the 15 among the other six
    assert sorted(map(sorted, found.bridges)) == [["L", "a1"], ["L", "b1"]]
    community = dict(zip(found.ids, found.community, strict=True))
    assert community["a2"] == community["a3"] != community["b2"] == community["b3"]


def test_several_links_between_two_nodes_count_once_and_a_lone_node_scores_zero():
    found = measure(["p", "q", "alone"], [("p", "q"), ("q", "p"), ("p", "q")])
    assert found.of("degree") == {"p": 1, "q": 1, "alone": 0}
    assert found.of("closeness")["alone"] == 0.0 and found.bridges == [("p", "q")]


def map_like(count: int, seed: int) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    ties = [(f"n{i}", f"n{rng.randrange(i)}") for i in range(1, count)]
    ties += [(f"n{rng.randrange(count)}", f"n{rng.randrange(count)}") for _ in range(count // 2)]
    return [f"n{i}" for i in range(count)], ties


def pagerank(graph: networkx.Graph, damping: float = 0.85) -> dict[str, float]:
    # The textbook power iteration (networkx's own needs scipy, which goldenbell does not ship).
    n = graph.number_of_nodes()
    rank = dict.fromkeys(graph, 1 / n)
    for _ in range(200):
        rank = {
            v: (1 - damping) / n + damping * sum(rank[u] / graph.degree(u) for u in graph.neighbors(v)) for v in graph
        }
    return rank


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_measures_agree_with_networkx(seed):
    nodes, ties = map_like(300, seed)
    found = measure(nodes, ties)
    graph = networkx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in ties if a != b)
    expected = {
        "betweenness": networkx.betweenness_centrality(graph),
        "closeness": networkx.closeness_centrality(graph),
        "pagerank": pagerank(graph),
        "coreness": networkx.core_number(graph),
    }
    for name, values in expected.items():
        ours = found.of(name)
        assert all(ours[n] == pytest.approx(values[n], rel=1e-3, abs=1e-6) for n in nodes), name
    assert set(map(frozenset, found.bridges)) == set(map(frozenset, networkx.bridges(graph)))


def test_a_large_map_counts_short_paths_only_and_says_so():
    nodes, ties = map_like(EXACT_UP_TO + 500, 7)
    found = measure(nodes, ties)
    assert not found.exact and CUTOFF == 4
    assert len(found.ids) == EXACT_UP_TO + 500 and max(found.community) > 1


def test_sizes_grow_with_the_measure_between_the_smallest_and_largest():
    drawn = sizes({"a": 0.0, "b": 0.25, "c": 1.0})
    assert drawn["a"] == SMALLEST and drawn["c"] == LARGEST and SMALLEST < drawn["b"] < LARGEST
    assert sizes({"a": 0.0}) == {}


def bridged_map() -> MapState:
    state = MapState()
    nodes = [
        {"id": n, "label": "Person", "ref": f"Person:{n}", "caption": f"人{n}", "properties": {"name": f"人{n}"}}
        for n in ("a1", "a2", "a3", "b1", "b2", "b3", "L")
    ]
    rels = [
        {"id": f"r{i}", "start": a, "end": b, "type": "KNOWS", "properties": {}} for i, (a, b) in enumerate(BRIDGED)
    ]
    state.merge(nodes, rels)
    return state


@pytest.mark.parametrize(
    ("lang", "size_label", "name_column"), [("zh", "中介中心性", "名称"), ("en", "Betweenness", "Name")]
)
def test_the_panel_ranks_the_map_and_selects_the_top_n(app_env, lang, size_label, name_column):
    at = one_page("explorer")
    at.session_state["gb_lang"] = lang
    at.session_state["gb_map"] = bridged_map()
    at.run()
    assert not at.exception, at.exception
    assert not at.dataframe, "the panel measures nothing until it is opened"
    at.toggle(key="gb_analysis").set_value(True).run()
    at.selectbox(key="gb_size_by").set_value("betweenness").run()
    table = at.dataframe[0].value
    assert list(table.columns)[:2] == [name_column, "类型" if lang == "zh" else "Type"]
    assert table.iloc[0][name_column] == "人L" and size_label in table.columns
    at.number_input(key="gb_top_n").set_value(1)
    at.button(key="gb_select_top_button").click().run()
    assert not at.exception
    assert at.session_state[SELECT_KEY]["ids"] == ["L"]
    assert any(("桥" in c.value) or ("Bridges" in c.value) for c in at.caption)
