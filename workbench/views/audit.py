"""Audit log (auditors): entries with filters, the hash chain's verification, and export.

Only roles with READ_AUDIT reach it. Reading, verifying and exporting are each recorded
by the backend (`audit.read`, `audit.verify`, `audit.export`) before the result is shown,
so the page reads only when asked, never on every rerun.
"""

from __future__ import annotations

import streamlit as st

from access import AccessError, Permission, read_audit, verify_audit
from access.audit.view import EXPORT_FORMATS, who_audit
from workbench import audit_review, exports, resources, session
from workbench.context import require, t
from workbench.display import Display, md_escape
from workbench.investigator import Investigator

ENTRIES_KEY = "gb_audit_entries"
VERIFIED_KEY = "gb_audit_verified"
WHO_KEY = "gb_audit_who_found"


def render() -> None:
    investigator = require(Permission.READ_AUDIT, page="audit")
    display = session.display(investigator)
    st.title(t("page.audit"))
    st.caption(t("audit.help"))

    with st.form("gb_audit_filters"):
        top = st.columns(4)
        user = top[0].text_input(t("audit.user"), key="gb_audit_user", max_chars=32)
        action = top[1].selectbox(
            t("audit.action"), ["", *audit_review.ACTIONS], format_func=lambda a: a or t("audit.any"), key="gb_audit_a"
        )
        outcome = top[2].selectbox(
            t("audit.outcome"),
            ["", *audit_review.OUTCOMES],
            format_func=lambda o: o or t("audit.any"),
            key="gb_audit_o",
        )
        case_ref = top[3].text_input(t("audit.case_ref"), key="gb_audit_case", max_chars=64)
        bottom = st.columns(3)
        since = bottom[0].date_input(t("audit.since"), value=None, key="gb_audit_since")
        until = bottom[1].date_input(t("audit.until"), value=None, key="gb_audit_until")
        limit = bottom[2].number_input(t("audit.limit"), 1, 5000, 200, key="gb_audit_limit")
        sent = st.form_submit_button(t("audit.show"), type="primary")
    chosen = audit_review.filters(
        user=user, action=action, outcome=outcome, case_ref=case_ref, since=since, until=until
    )
    if sent:
        try:
            st.session_state[ENTRIES_KEY] = read_audit(
                resources.workspace().audit, investigator.actor, limit=int(limit), **chosen
            )
        except AccessError as exc:
            session.say("error", t("common.refused", error=exc))
            return
    entries = st.session_state.get(ENTRIES_KEY)
    if entries is not None:
        if entries:
            st.caption(md_escape(t("audit.entries", n=len(entries))))
            st.dataframe(display.frame(audit_review.rows(entries)), hide_index=True, width="stretch")
        else:
            st.info(t("audit.none"))

    left, right = st.columns(2)
    with left:
        if st.button(t("audit.verify"), key="gb_audit_verify"):
            try:
                st.session_state[VERIFIED_KEY] = verify_audit(resources.workspace().audit, investigator.actor)
            except OSError as exc:  # an anchor file that cannot be read
                session.say("error", t("audit.anchors_unreadable", error=exc))
        result = st.session_state.get(VERIFIED_KEY)
        if result is not None and result.ok:
            st.success(md_escape(t("audit.intact", n=result.entries, hash=result.last_hash)))
            if result.last_anchor is not None:
                last = result.last_anchor
                st.caption(md_escape(t("audit.anchored", n=result.anchors, seq=last.seq, time=last.time)))
        elif result is not None:
            st.error(md_escape(t("audit.broken", n=len(result.faults))))
            st.text("\n".join(str(fault) for fault in result.faults))
    with right:
        fmt = st.radio(t("audit.format"), EXPORT_FORMATS, horizontal=True, key="gb_audit_format")
        st.download_button(
            t("audit.download", fmt=fmt),
            # Exported (and recorded) only when the file is asked for, with the filters above.
            data=lambda: exports.audit_file(investigator, fmt, **chosen),
            file_name=f"goldenbell-audit.{fmt}",
            mime="application/x-ndjson" if fmt == "jsonl" else "text/csv",
            on_click="ignore",
            key="gb_audit_download",
        )
    _who(investigator, display)


def _who(investigator: Investigator, display: Display) -> None:
    """Who consulted one entity: when, in which case and why, with which action or query."""
    st.subheader(t("audit.who"))
    with st.form("gb_audit_who"):
        entity = st.text_input(t("audit.who_entity"), key="gb_audit_entity", max_chars=128, placeholder="Person:…")
        asked = st.form_submit_button(t("audit.who_ask"))
    if asked:
        ref = audit_review.entity_ref(entity)
        if ref is None:
            session.say("error", t("audit.who_bad"))
            return
        try:
            st.session_state[WHO_KEY] = who_audit(resources.workspace().audit, investigator.actor, ref)
        except AccessError as exc:
            session.say("error", t("common.refused", error=exc))
            return
    found = st.session_state.get(WHO_KEY)
    if found is None:
        return
    if found.entries:
        st.caption(md_escape(t("audit.who_count", n=len(found.entries))))
        st.dataframe(display.frame(audit_review.who_rows(found.entries)), hide_index=True, width="stretch")
    else:
        st.info(t("audit.who_none"))
    if found.unsearchable:
        st.warning(t("audit.who_unsearchable", n=found.unsearchable))
