"""Reading the audit log: only for auditors, and every reading is itself recorded."""

from __future__ import annotations

import pytest

from access.audit.view import export_audit, read_audit, spreadsheet_safe, verify_audit
from access.errors import AccessDenied
from tests.access.conftest import PASSWORD, actions


def test_an_analyst_may_not_read_the_log_and_the_attempt_is_recorded(sessions, audit):
    analyst = sessions.authenticate("ana", PASSWORD)
    with pytest.raises(AccessDenied, match="reading the audit log"):
        read_audit(audit, analyst.actor, user="sup")
    assert actions(audit)[-1] == ("ana", "audit.read", "refused")


def test_an_auditor_reads_and_the_reading_is_recorded_before_the_entries_are_returned(sessions, audit):
    sessions.authenticate("ana", PASSWORD)
    auditor = sessions.set_reason(sessions.authenticate("aud", PASSWORD).token, "AU-2025-0007", "audit_review")
    entries = read_audit(audit, auditor.actor, action="login", limit=10)
    assert [e["user"] for e in entries] == ["aud", "ana"]
    entry = list(audit.events())[-1]
    assert (entry["user"], entry["role"], entry["action"], entry["rows"]) == ("aud", "auditor", "audit.read", 2)
    assert (entry["case_ref"], entry["reason"], entry["session"]) == ("AU-2025-0007", "audit_review", auditor.id)
    assert entry["parameters"] == {"action": "login", "limit": 10}


def test_verifying_and_exporting_are_recorded(sessions, audit, tmp_path):
    auditor = sessions.authenticate("aud", PASSWORD)
    assert verify_audit(audit, auditor.actor).ok
    assert export_audit(audit, auditor.actor, tmp_path / "out.jsonl") > 0
    assert [a for _, a, _ in actions(audit)[-2:]] == ["audit.verify", "audit.export"]


def test_spreadsheet_formulas_are_exported_as_text():
    assert spreadsheet_safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert spreadsheet_safe("@SUM(1)") == "'@SUM(1)" and spreadsheet_safe("张三") == "张三"
