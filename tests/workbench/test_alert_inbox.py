"""The alert inbox as a place of work: severity and fired time at a glance, the summary in the
chosen language (masked for an analyst), filters and sorts, and acknowledging, assigning and
noting an alert in its own fragment, confirmed on the spot and recorded in its history."""

from __future__ import annotations

import re

from access.actor import Actor
from queries.alerts import Hit, assign, run_rules, store
from tests.queries.test_alerts import plant_phone
from tests.workbench.conftest import audit_events, one_page
from workbench import resources

PHONE = "13912345678"


def shared_phone_alert(gateway) -> str:
    plant_phone(gateway, PHONE)
    [report] = run_rules(resources.workspace().runner, Actor.cli("duty"), rule="identity.shared_phones")
    return report.alert_ids[0]


def plain(text: str) -> str:
    """Text as it reads on the page, its Markdown escapes undone."""
    return re.sub(r"\\(.)", r"\1", text)


def expander_labels(at) -> list[str]:
    return [plain(e.label) for e in at.expander]


def inbox_with_open(alert_id: str, user: str, lang: str = "zh"):
    """The inbox with this alert opened (a closed alert draws nothing but its heading)."""
    at = one_page("alerts", user=user)
    at.session_state["gb_lang"] = lang
    at.session_state[f"gb_alert_box_{alert_id}"] = True
    return at.run()


HEADING = r"\[{severity}\] \[{status}\] \d{{4}}-\d\d-\d\d \d\d:\d\d · {title} — "


def test_severity_fired_time_and_the_summary_follow_the_chosen_language(app_env, empty_graph):
    alert_id = shared_phone_alert(empty_graph)
    at = one_page("alerts", user="sup").run()
    assert not at.exception, at.exception
    [label] = expander_labels(at)
    assert re.match(HEADING.format(severity="中", status="新预警", title="一号多人使用预警"), label), label
    assert f"{PHONE} 被 5 人登记使用" in label
    assert not at.caption and not at.dataframe, "closed, the alert is its heading alone"
    at = inbox_with_open(alert_id, "sup")
    line = plain(at.caption[0].value)
    assert "级别：中" in line and "首次命中 20" in line and "+00:00" not in line, "Beijing wall-clock time"
    involved = at.dataframe[0].value
    assert list(involved["涉及"]) == ["电话"], "what the entity is to the alert, in Chinese"

    at = inbox_with_open(alert_id, "sup", "en")
    [label] = expander_labels(at)
    assert re.match(HEADING.format(severity="medium", status="new", title="Shared phones"), label), label
    assert "is registered to 5 people" in label
    assert "被" not in label
    assert list(at.dataframe[0].value["Involved"]) == ["phone"]
    assert at.button(key=f"gb_alert_acknowledged_{alert_id}").label == "Acknowledge"


def test_an_analyst_sees_the_phone_in_the_summary_masked_in_both_languages(app_env, empty_graph):
    shared_phone_alert(empty_graph)
    for lang in ("zh", "en"):
        at = one_page("alerts", user="ana")
        at.session_state["gb_lang"] = lang
        at.run()
        [label] = expander_labels(at)
        assert PHONE not in label and "139****5678" in label, label


def test_acknowledging_confirms_at_once_and_is_audited(app_env, empty_graph, audit_path):
    # AppTest reruns the whole script after a click; in a browser only the alert's fragment
    # reruns (tests/workbench/browser/test_alert_acknowledge.py measures it).
    alert_id = shared_phone_alert(empty_graph)
    at = inbox_with_open(alert_id, "ana")
    at.button(key=f"gb_alert_acknowledged_{alert_id}").click().run()
    assert not at.exception, at.exception
    toast = plain(at.toast[0].value)
    assert re.fullmatch(r"ana 于 \d{4}-\d\d-\d\d \d\d:\d\d 将预警设为“已确认”。", toast), toast
    assert any("已确认" in s.value for s in at.success), "a status line in the alert too"
    assert expander_labels(at)[0].startswith("[中] [已确认]"), "the heading says so too"
    assert at.button(key=f"gb_alert_acknowledged_{alert_id}").disabled, "the alert stays open"
    assert list(at.dataframe[-1].value["事项"]) == ["状态"]
    ack = next(e for e in audit_events(audit_path) if e["action"] == "alert.ack")
    assert ack["user"] == "ana" and ack["parameters"] == {"alert_id": alert_id} and ack["outcome"] == "ok"
    at.run()
    assert not at.success and not at.toast, "the confirmation is said once"


def test_assigning_and_noting_show_in_the_history_newest_first(app_env, empty_graph):
    alert_id = shared_phone_alert(empty_graph)
    at = inbox_with_open(alert_id, "ana")
    at.selectbox(key=f"gb_alert_assignee_{alert_id}").set_value("ana")
    at.button(key=f"gb_alert_give_{alert_id}").click().run()
    assert "预警已指派给 ana" in at.toast[0].value
    at.text_area(key=f"gb_alert_note_{alert_id}").input(f"<b>机主</b> 称号码 {PHONE} 已转让")
    at.button(key=f"gb_alert_add_note_{alert_id}").click().run()
    assert not at.exception, at.exception
    assert at.text_area(key=f"gb_alert_note_{alert_id}").value == "", "the box is cleared for the next note"
    history = at.dataframe[-1].value
    assert list(history["记录人"]) == ["ana", "ana"] and list(history["事项"]) == ["备注", "指派"]
    text = history["内容"].iloc[0]
    assert text.startswith("<b>机主</b> 称号码 139****5678"), "shown as typed, the phone masked"
    assert "处置人：ana" in plain(at.caption[0].value)


def plant_three(gateway) -> None:
    gateway.write("test.people", "UNWIND ['A', 'B', 'C'] AS k CREATE (:Person {id_number: k, name: '人' + k})")
    ids = {
        r["k"]: r["id"]
        for r in gateway.read("test.ids", "MATCH (p:Person) RETURN p.id_number AS k, elementId(p) AS id").data()
    }
    for key, severity in (("A", "low"), ("B", "high"), ("C", "medium")):
        entity = {"label": "Person", "key": key, "role": "person", "element_id": ids[key]}
        store(
            gateway,
            [Hit(f"alert{key}", "identity.shared_phones", f"摘要{key}", [entity], f"summary {key}", severity)],
            run_id="t",
        )


def test_filters_by_severity_and_assignee_and_sorting_by_severity(app_env, empty_graph, audit_path):
    plant_three(empty_graph)
    workspace = resources.workspace()
    assign(workspace.gateway, workspace.audit, "alertA", "ana", Actor.cli("sup"))
    at = one_page("alerts", user="ana").run()
    assert [label.split(" — ")[1] for label in expander_labels(at)] == ["摘要C", "摘要B", "摘要A"]
    at.selectbox(key="gb_alert_sort").set_value("severity").run()
    assert [label.split(" — ")[1] for label in expander_labels(at)] == ["摘要B", "摘要C", "摘要A"]
    at.selectbox(key="gb_alert_severity").set_value("high").run()
    assert [label.split(" — ")[1] for label in expander_labels(at)] == ["摘要B"]
    at.selectbox(key="gb_alert_severity").set_value("").run()
    at.selectbox(key="gb_alert_assignee").set_value("\x00mine").run()
    assert [label.split(" — ")[1] for label in expander_labels(at)] == ["摘要A"]
    at.selectbox(key="gb_alert_assignee").set_value("\x00nobody").run()
    assert len(expander_labels(at)) == 2
    assert audit_events(audit_path)[-1]["parameters"] == {"assignee": "", "sort": "severity"}


def test_every_role_a_rule_gives_its_entities_has_words_in_both_languages():
    from settings.table import PROJECT_ROOT
    from workbench.alert_words import ROLE_WORDS

    packs = (PROJECT_ROOT / "queries" / "packs").glob("*.yaml")
    roles = {role for pack in packs for role in re.findall(r"role: '([^']+)'", pack.read_text(encoding="utf-8"))}
    assert roles and roles <= set(ROLE_WORDS), sorted(roles - set(ROLE_WORDS))
