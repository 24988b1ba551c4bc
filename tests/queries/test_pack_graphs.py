"""Every pack query that returns a graph draws its subject and the subject's links on the
map under its results: co-residents around the person, not the co-residents alone."""

from __future__ import annotations

import pytest

from access.actor import Actor
from workbench.map_state import MapState

# A person with a phone, a car driven past a checkpoint, and a co-resident (synthetic).
GRAPH = """
CREATE (p1:Person {id_number: '330402199001011234', name: '张三'}),
       (p2:Person {id_number: '330402199202022345', name: '李四'}),
       (ph:Phone {number: '13800000001'}),
       (v:Vehicle {plate: '浙F00001'}),
       (c:Checkpoint {checkpoint_id: 'C1', name: '七星检查站'}),
       (a:Address {address_id: 'AD1', full: '南湖区幸福路1号101室'}),
       (p1)-[:HAS_PHONE]->(ph), (p1)-[:OWNS]->(v),
       (p1)-[:REGISTERED]->(:Registration {registration_id: 'G1', registered_on: date('2025-03-01'),
                                           valid_until: date('2025-08-31')})-[:REGISTERED_AT]->(a),
       (p2)-[:REGISTERED]->(:Registration {registration_id: 'G2', registered_on: date('2025-05-01'),
                                           valid_until: date('2025-12-31')})-[:REGISTERED_AT]->(a),
       (x1:Passage {passage_id: 'X1', plate: '浙F00001', place_id: 'C1', time: datetime('2025-03-01T08:00:00+08:00')}),
       (x2:Passage {passage_id: 'X2', plate: '浙F00001', place_id: 'C1', time: datetime('2025-03-02T08:00:00+08:00')}),
       (x1)-[:OF_VEHICLE]->(v), (x2)-[:OF_VEHICLE]->(v), (x1)-[:PASSED_AT]->(c), (x2)-[:PASSED_AT]->(c),
       (x2)-[:DRIVEN_BY]->(p1)
"""

# Each graph-returning query, its parameters on GRAPH, and the subjects it must draw.
SUBJECTS = {
    "links.neighbourhood": ({"start": "Person:330402199001011234"}, ["Person:330402199001011234"]),
    "links.passages_between": (
        {"vehicle": "Vehicle:浙F00001", "place": "Checkpoint:C1"},
        ["Vehicle:浙F00001", "Checkpoint:C1"],
    ),
    "links.shortest_paths": (
        {"a": "Person:330402199001011234", "b": "Person:330402199202022345"},
        ["Person:330402199001011234", "Person:330402199202022345"],
    ),
    "links.co_residents": ({"person": "Person:330402199001011234"}, ["Person:330402199001011234"]),
    "links.pivots": ({"start": "Person:330402199001011234"}, ["Person:330402199001011234"]),
    "links.pivots#vehicle": ({"start": "Vehicle:浙F00001", "steps": 1}, ["Vehicle:浙F00001"]),
    "vehicles.trajectory": ({"plate": "浙F00001"}, ["Vehicle:浙F00001"]),
}
# Hits of a search are a list of entities, with no subject to draw them around.
NO_SUBJECT = {"search.entities"}


def test_every_graph_query_is_checked(catalog):
    drawn = {q.id for q in catalog.queries.values() if q.returns in ("graph", "both")}
    checked = {name.partition("#")[0] for name in SUBJECTS} | NO_SUBJECT
    assert drawn == checked, "a query that returns a graph needs its subject listed here"


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_the_map_draws_the_subject_and_its_links(empty_graph, runner, name):
    empty_graph.write("graph.given", GRAPH)
    params, subjects = SUBJECTS[name]
    outcome = runner.run(name.partition("#")[0], params, actor=Actor.cli("test", case_ref="T-1"))
    drawn = MapState()
    drawn.merge(outcome.nodes, outcome.relationships)  # as the map under the results does
    for ref in subjects:
        node_id = drawn.by_ref(ref)
        assert node_id is not None, f"{name} does not draw its subject {ref}"
        assert drawn.nodes[node_id]["caption"] is not None or drawn.nodes[node_id]["labels"], f"{ref} drawn bare"
        linked = [e for e in drawn.edges.values() if node_id in (e["start"], e["end"])]
        assert linked, f"{name} draws {ref} without a link"
