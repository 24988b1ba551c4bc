"""The audit page answers "who looked at this person": the auditor types an entity, the page lists
who consulted it, when, in which case and why — and the asking is recorded."""

from __future__ import annotations

from access.audit.log import AuditEvent, AuditLog
from tests.workbench.conftest import audit_events, one_page

ZHANG = "Person:330402199001011234"
LI = "Person:110101199203040017"


def consulted(audit_path) -> None:
    log = AuditLog(audit_path)
    for user, case_ref, query_id, entities in (
        ("ana", "JX-2025-0142", "search.entities", (ZHANG, LI)),
        ("sup", "JX-2025-0150", "links.neighbourhood", (LI,)),
        ("sup", "JX-2025-0150", "links.timeline", (ZHANG,)),
    ):
        log.append(
            AuditEvent(
                user=user,
                action="query.run",
                query_id=query_id,
                case_ref=case_ref,
                reason="fugitive_search",
                rows=len(entities),
                entities=entities,
            )
        )


def ask(at, entity: str, submit: str):
    at.text_input(key="gb_audit_entity").input(entity)
    return at.button(key=f"FormSubmitter:gb_audit_who-{submit}").click().run()


def test_the_auditor_asks_who_consulted_a_person_and_the_question_is_recorded(app_env, empty_graph, audit_path):
    consulted(audit_path)
    at = one_page("audit", user="aud").run()
    assert not at.exception
    assert "谁查看过此对象" in [header.value for header in at.subheader]
    at = ask(at, f"  {ZHANG} ", "查询（留痕）")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["user"]) == ["sup", "ana"]
    assert list(table["case_ref"]) == ["JX-2025-0150", "JX-2025-0142"]
    assert list(table["query_id"]) == ["links.timeline", "search.entities"]
    assert list(table["reason"]) == ["fugitive_search", "fugitive_search"]
    assert "2 次查看，最新在前" in [caption.value for caption in at.caption]
    asked = audit_events(audit_path)[-1]
    assert (asked["user"], asked["action"], asked["rows"], asked["entities"]) == ("aud", "audit.who", 2, [ZHANG])


def test_an_entity_not_written_label_colon_key_is_explained_in_the_page_language(app_env, empty_graph, audit_path):
    consulted(audit_path)
    at = one_page("audit", user="aud").run()
    before = len(audit_events(audit_path))
    at = ask(at, "330402199001011234", "查询（留痕）")
    assert not at.exception and "类型:键" in at.error[0].value.replace("\\", "")  # as shown: escapes dropped
    assert len(audit_events(audit_path)) == before, "nothing was asked, so nothing is recorded"


def test_nobody_having_consulted_an_entity_is_said_plainly(app_env, empty_graph, audit_path):
    consulted(audit_path)
    at = one_page("audit", user="aud").run()
    at = ask(at, "Phone:13800000000", "查询（留痕）")
    assert not at.exception and "没有查看过此对象" in at.info[0].value
