from tests.workbench.conftest import audit_events, one_page, workbench


def test_the_status_page_shows_live_counts(app_env, empty_graph):
    empty_graph.write(
        "test.seed",
        "CREATE (:Person {id_number: '330402199001010011', name: '张伟'})-[:OWNS]->(:Vehicle {plate: '浙F12345'})",
    )
    at = one_page("status").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["节点 Nodes"] == "2"
    assert metrics["关系 Relationships"] == "1"
    labels = at.dataframe[0].value
    counts = dict(zip(labels["标签 Label"], labels["数量 Count"], strict=True))
    assert counts["Person · 人员"] == 1 and counts["Vehicle · 机动车"] == 1


def test_the_status_page_says_when_the_database_is_down(app_env, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    st.cache_resource.clear()
    at = one_page("status").run()
    assert not at.exception
    assert "数据库不可用" in at.error[0].value


def test_nothing_is_consulted_before_a_case_reference_and_reason_are_given(app_env, empty_graph, audit_path):
    at = workbench(purpose=None).run()
    assert not at.exception
    assert not at.dataframe and not at.metric
    assert at.subheader[0].value == "查询事由登记"
    at.text_input(key="gb_case_ref_input").input("<b>x")
    at.button(key="FormSubmitter:gb_reason_gate-开始工作").click().run()
    assert at.error, "a case reference with markup is refused"
    at.text_input(key="gb_case_ref_input").input("JX-2025-0142")
    at.selectbox(key="gb_reason_input").set_value("fugitive_search")
    at.button(key="FormSubmitter:gb_reason_gate-开始工作").click().run()
    assert not at.exception
    assert at.title[0].value == "综合检索"
    assert any("JX-2025-0142" in text.value and "追逃工作" in text.value for text in at.sidebar.text)
    actions = [(e["action"], e["outcome"], e["case_ref"]) for e in audit_events(audit_path) if e["user"] == "ana"]
    assert actions == [("login", "ok", ""), ("reason.set", "ok", "JX-2025-0142")]
