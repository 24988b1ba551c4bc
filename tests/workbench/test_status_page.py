import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graph.settings import PROJECT_ROOT

APP = str(PROJECT_ROOT / "workbench" / "app.py")


@pytest.fixture
def app_env(neo4j_env, monkeypatch):
    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_the_first_page_shows_live_counts(app_env, empty_graph):
    empty_graph.write(
        "test.seed",
        "CREATE (:Person {id_number: '330402199001010011', name: '张伟'})-[:OWNS]->(:Vehicle {plate: '浙F12345'})",
    )
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["节点 Nodes"] == "2"
    assert metrics["关系 Relationships"] == "1"
    labels = at.dataframe[0].value
    counts = dict(zip(labels["标签 Label"], labels["数量 Count"], strict=True))
    assert counts["Person · 人员"] == 1 and counts["Vehicle · 机动车"] == 1


def test_the_first_page_says_when_the_database_is_down(monkeypatch, tmp_path):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=30).run()
    st.cache_resource.clear()
    assert not at.exception
    assert "Database unavailable" in at.error[0].value
