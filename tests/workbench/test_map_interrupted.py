"""A gesture on the map is never lost to the next one: Streamlit stops a run as soon as a newer
canvas value arrives, and the browser then resends every event not yet done. An expansion cut
off half-way is therefore done by the next run, against the real Neo4j."""

from __future__ import annotations

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException

from access.audit.log import AuditLog
from queries.pack_model import load_catalog
from queries.runner import Runner
from workbench.display import Display
from workbench.explorer import Explorer, Filters
from workbench.investigator import Investigator
from workbench.map_state import MapState

SUPERVISOR = Investigator(user="sup", role="supervisor", case_ref="JX-1", reason="fugitive_search")
GRAPH = """
CREATE (a:Person {id_number: '330402199001011234', name: '甲'})
CREATE (b:Person {id_number: '330402198505052345', name: '乙'})
CREATE (p:Phone {number: '13800000001'})
CREATE (a)-[:HAS_PHONE]->(p), (b)-[:HAS_PHONE]->(p)
"""


class CutOffOnce(Runner):
    """A runner whose first read is where Streamlit stops the run for a newer gesture."""

    cut = False

    def run(self, *args, **kwargs):
        if not self.cut:
            self.cut = True
            raise RerunException(None)
        return super().run(*args, **kwargs)


@pytest.fixture
def explorer(empty_graph, schema, neo4j_settings, tmp_path):
    empty_graph.write("test.graph", GRAPH)
    runner = CutOffOnce(empty_graph, load_catalog(schema), schema, neo4j_settings, AuditLog(tmp_path / "audit.jsonl"))
    explorer = Explorer(runner, Display(schema, SUPERVISOR), MapState())
    explorer.add("Phone:13800000001")
    return explorer


def test_an_expansion_cut_off_by_the_next_gesture_is_done_by_the_next_run(explorer):
    expand = {"seq": 10, "kind": "expand", "node": explorer.state.by_ref("Phone:13800000001")}
    with pytest.raises(RerunException):
        explorer.handle({"events": [expand], "positions": {}}, Filters())
    assert len(explorer.state.nodes) == 1, "the run stopped before anything was added"

    # The next value carries the expansion again, with the drag that interrupted it.
    outcome = explorer.handle({"events": [expand, {"seq": 11, "kind": "layout", "node": None}]}, Filters())
    assert sorted(n["caption"] for n in explorer.state.nodes.values())[1:] == ["乙", "甲"], "both owners joined"
    assert [n.level for n in outcome.notices] == ["success"]
    assert explorer.state.last_event == 11

    # Seen once done: the same value again changes nothing.
    version = explorer.state.version
    assert not explorer.handle({"events": [expand, {"seq": 11, "kind": "layout"}]}, Filters()).notices
    assert explorer.state.version == version
