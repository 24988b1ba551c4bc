"""The reason for access: a case reference and a coded reason, checked before anything runs."""

from __future__ import annotations

import pytest

from access.errors import ReasonRefused, ReasonRequired
from access.reasons import REASONS, ReasonForAccess, normalise_case_ref, reasons_for
from tests.access.conftest import PASSWORD, actions


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_a_blank_case_reference_is_refused(blank):
    with pytest.raises(ReasonRefused, match="case reference is required"):
        ReasonForAccess(blank, "case_investigation")


@pytest.mark.parametrize(
    "bad", ["JX", "--2025", "JX 2025 01", "JX-2025\n0142", "<script>1</script>", "ABCDEF", "0000", "x" * 65]
)
def test_a_malformed_case_reference_is_refused(bad):
    with pytest.raises(ReasonRefused):
        ReasonForAccess(bad, "case_investigation")


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("JX-2025-0142", "JX-2025-0142"),
        (" jx-2025-0142 ", "JX-2025-0142"),
        ("ＪＸ－２０２５－０１４２", "JX-2025-0142"),  # full-width, as a Chinese input method types it
        ("嘉公（刑）立字〔2025〕142号", "嘉公(刑)立字〔2025〕142号"),
        ("A3304025100002025030012", "A3304025100002025030012"),
    ],
)
def test_case_references_are_recorded_in_one_form(typed, recorded):
    assert normalise_case_ref(typed) == recorded


def test_reason_codes_come_from_the_catalogue_in_both_languages():
    with pytest.raises(ReasonRefused, match="unknown reason code"):
        ReasonForAccess("JX-2025-0142", "curiosity")
    purpose = ReasonForAccess("JX-2025-0142", "intelligence_analysis", " 串并  分析 ")
    assert purpose.reason == "intelligence_analysis: 串并 分析"
    assert purpose.title("zh") == "情报研判（串并 分析）" and purpose.title("en") == "Intelligence analysis (串并 分析)"
    assert ReasonForAccess.from_recorded(purpose.case_ref, purpose.reason) == purpose
    assert all(r.zh and r.en for r in REASONS.values())
    assert {"刑事案件侦查", "治安管理", "情报研判", "审计核查"} <= {r.zh for r in REASONS.values()}


def test_each_role_picks_from_its_own_reasons():
    assert "audit_review" not in [r.code for r in reasons_for("analyst")]
    assert [r.code for r in reasons_for("auditor")] == ["audit_review"]


def test_a_session_takes_a_reason_its_role_may_use_and_records_it(sessions, audit):
    session = sessions.authenticate("ana", PASSWORD)
    with pytest.raises(ReasonRefused, match="not open to the analyst"):
        sessions.set_reason(session.token, "JX-2025-0142", "audit_review")
    with pytest.raises(ReasonRefused):
        sessions.set_reason(session.token, "", "case_investigation")
    updated = sessions.set_reason(session.token, "jx-2025-0142", "case_investigation")
    assert (updated.case_ref, updated.reason) == ("JX-2025-0142", "case_investigation")
    resumed = sessions.resume(session.token)
    consulting = resumed.actor.consulting()
    assert (consulting.user, consulting.case_ref, consulting.reason) == ("ana", "JX-2025-0142", "case_investigation")
    entry = list(audit.events())[-1]
    assert (entry["action"], entry["case_ref"], entry["reason"]) == ("reason.set", "JX-2025-0142", "case_investigation")


def test_without_a_reason_a_consultation_is_refused_before_anything_is_logged(sessions, audit):
    session = sessions.authenticate("ana", PASSWORD)
    logged = len(actions(audit))
    with pytest.raises(ReasonRequired):
        session.actor.consulting()
    assert len(actions(audit)) == logged
