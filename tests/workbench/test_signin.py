"""Signing in and out of the workbench, page permissions and unmasking, as a user meets them."""

from __future__ import annotations

import pytest

from access import SessionEnded
from tests.workbench.conftest import PASSWORD, audit_events, one_page, sessions, workbench
from workbench.navigation import allowed

LOGIN = "FormSubmitter:gb_login-登录"


def sign_in_with(at, user: str, password: str):
    at.text_input(key="gb_login_user").input(user)
    at.text_input(key="gb_login_password").input(password)
    return at.button(key=LOGIN).click().run()


def test_the_login_form_refuses_a_wrong_password_and_records_it(app_env, empty_graph, audit_path):
    at = workbench(user=None).run()
    assert not at.exception
    assert at.subheader[0].value == "登录"
    assert "gb_token" not in at.session_state

    sign_in_with(at, "ana", PASSWORD + "x")
    assert not at.exception
    assert "wrong user name or password" in at.error[0].value
    assert "gb_token" not in at.session_state
    assert [(e["user"], e["action"], e["outcome"]) for e in audit_events(audit_path)][-1] == (
        "ana",
        "login",
        "refused",
    )

    sign_in_with(at, "ana", PASSWORD)
    assert not at.exception
    assert at.subheader[0].value == "查询事由登记", "signed in, the reason comes next"
    assert PASSWORD not in audit_path.read_text(encoding="utf-8")


def test_after_signing_out_the_old_session_cannot_act(app_env, empty_graph, audit_path):
    at = workbench().run()
    assert at.title[0].value == "综合检索"
    token = at.session_state["gb_token"]

    at.sidebar.button(key="gb_logout").click().run()
    assert not at.exception
    assert at.subheader[0].value == "登录"
    assert "gb_token" not in at.session_state
    with pytest.raises(SessionEnded):
        sessions().resume(token)

    # The same token handed back to a tab (a copied cookie, a stale tab) opens nothing.
    stale = workbench(user=None)
    stale.session_state["gb_token"] = token
    stale.run()
    assert not stale.exception
    assert stale.subheader[0].value == "登录"
    assert not stale.dataframe
    assert ("ana", "logout", "ok") in [(e["user"], e["action"], e["outcome"]) for e in audit_events(audit_path)]


def test_each_role_sees_only_the_pages_it_may_open():
    assert "audit" not in allowed("analyst") and "import" not in allowed("analyst")
    assert "import" in allowed("supervisor")
    assert allowed("auditor") == ["audit", "status"]
    assert "search" not in allowed("admin")


def test_a_page_beyond_the_role_is_refused_and_the_attempt_recorded(app_env, empty_graph, audit_path):
    at = one_page("audit", user="ana").run()
    assert not at.exception
    assert "无权使用" in at.error[0].value
    assert not at.dataframe
    last = audit_events(audit_path)[-1]
    assert (last["user"], last["action"], last["outcome"]) == ("ana", "page.open", "refused")


def test_the_auditor_reads_the_log_and_the_reading_is_recorded(app_env, empty_graph, audit_path):
    at = one_page("audit", user="aud").run()
    assert not at.exception
    at.button(key="FormSubmitter:gb_audit_filters-查阅（留痕）").click().run()
    assert not at.exception
    users = set(at.dataframe[0].value["user"])
    assert {"test", "aud"} <= users, "the accounts set up by test and the auditor signing in"
    assert audit_events(audit_path)[-1]["action"] == "audit.read"

    at.button(key="gb_audit_verify").click().run()
    assert not at.exception
    assert at.success and "完整" in at.success[0].value


def test_an_analyst_unmasks_one_person_and_the_act_is_recorded(app_env, sample_graph, ground_truth, audit_path):
    scenario = next(s for s in ground_truth["scenarios"] if s["kind"] == "wanted_person_active")
    wanted = scenario["positives"][0]["entities"]["Person"][0]
    at = one_page("profile", user="ana")
    at.session_state["gb_profile_ref"] = f"Person:{wanted}"
    at.run()
    assert wanted not in " ".join(map(str, at.dataframe[0].value.iloc[:, 1]))

    at.button(key="gb_unmask").click().run()
    assert not at.exception
    assert wanted in " ".join(map(str, at.dataframe[0].value.iloc[:, 1]))
    entry = [e for e in audit_events(audit_path) if e["action"] == "unmask"][-1]
    assert (entry["user"], entry["outcome"], entry["case_ref"]) == ("ana", "ok", "JX-2025-0142")
