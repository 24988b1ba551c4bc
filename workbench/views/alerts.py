"""Alerts: the inbox, filtered and sorted; each alert with its severity, times, assignee and
history, opened in the link explorer or worked on (acknowledged, closed, assigned, noted) in
its own fragment, so a change reruns that alert alone and confirms at once."""

from __future__ import annotations

import logging

import streamlit as st

from access import Permission
from graph.errors import GraphError
from queries.alerts import SORTS, STATUSES, plan_changes
from queries.pack_model import SEVERITIES, Catalog
from workbench import alert_actions as act
from workbench import resources, session
from workbench.alert_evidence import EvidenceUnread, evidence_rows, evidence_table
from workbench.alert_inbox import InboxAlert, assignable, inbox
from workbench.alert_words import role_word
from workbench.context import require, t
from workbench.display import Display, md_escape
from workbench.investigator import Investigator
from workspace import Workspace

MINE, NOBODY = "\x00mine", "\x00nobody"  # assignee filter choices that are not user names


def render() -> None:
    investigator = require(page="alerts")
    workspace = resources.workspace()
    if investigator.may(Permission.ALERT_STATUS):
        _planned(workspace)
    st.title(t("page.alerts"))
    session.show_notices()
    act.forget_changes()
    users = assignable(workspace)
    filters = _filters(workspace.catalog, investigator, users)
    alerts = session.listed(lambda: inbox(workspace, investigator, **filters), empty=t("alerts.none"))
    for alert in alerts:
        _alert_box(alert, workspace, investigator, users)


@st.cache_resource(show_spinner=False)
def _planned(_workspace: Workspace) -> bool:
    """Once per server: the first acknowledgement should not wait for the server to plan it."""
    try:
        plan_changes(_workspace.gateway)
    except GraphError as exc:  # only a head start is lost: the change itself plans as it runs
        logging.getLogger(__name__).warning("could not plan the alert change statement ahead: %s", exc)
        return False
    return True


def _filters(catalog: Catalog, investigator: Investigator, users: list[str]) -> dict[str, str | None]:
    lang = investigator.lang
    rules = [q.id for q in catalog.alert_rules()]
    cols = st.columns(5)
    status = cols[0].selectbox(
        t("alerts.status"),
        ["", *STATUSES],
        format_func=lambda s: t(f"status.{s}") if s else t("alerts.all"),
        key="gb_alert_status",
    )
    rule = cols[1].selectbox(
        t("alerts.rule"),
        ["", *rules],
        format_func=lambda r: catalog.queries[r].names.get(lang) if r else t("alerts.all"),
        key="gb_alert_rule",
    )
    severity = cols[2].selectbox(
        t("alerts.severity"),
        ["", *SEVERITIES],
        format_func=lambda s: t(f"severity.{s}") if s else t("alerts.all"),
        key="gb_alert_severity",
    )
    named = {"": t("alerts.all"), MINE: t("alerts.mine"), NOBODY: t("alerts.unassigned")}
    who = cols[3].selectbox(
        t("alerts.assignee"), [*named, *users], format_func=lambda u: named.get(u, u), key="gb_alert_assignee"
    )
    sort = cols[4].selectbox(t("alerts.sort"), SORTS, format_func=lambda s: t(f"alerts.sort.{s}"), key="gb_alert_sort")
    assignee = {"": None, MINE: investigator.user, NOBODY: ""}.get(who, who)
    return {
        "status": status or None,
        "rule": rule or None,
        "severity": severity or None,
        "assignee": assignee,
        "sort": sort,
    }


@st.fragment
def _alert_box(alert: InboxAlert, workspace: Workspace, investigator: Investigator, users: list[str]) -> None:
    """One alert; opening it or working it reruns this fragment only (a button's callback
    makes the change first). Closed, it is one line: the inbox stays light to draw."""
    change = st.session_state.get(act.change_key(alert.alert_id))
    alert = (change or {}).get("alert") or alert
    display = session.display(investigator)
    rule = workspace.catalog.queries.get(alert.rule)
    title = rule.names.get(investigator.lang) if rule else alert.rule
    severity, status = t(f"severity.{alert.severity}"), t(f"status.{alert.status}")
    header = f"[{severity}] [{status}] {alert.last_fired} · {title} — {display.text(alert.summary)}"
    if change and not change["toasted"]:
        st.toast(md_escape(change["text"]), icon=":material/check_circle:")
        change["toasted"] = True
    box = st.expander(md_escape(header), key=act.box_key(alert.alert_id), on_change="rerun")
    if not box.open:
        return
    with box:
        if change:
            session.say(change["level"], change["text"])
            change["shown"] = True
        line = t(
            "alerts.line",
            severity=severity,
            status=status,
            assignee=alert.assignee or t("alerts.nobody"),
            first=alert.first_fired,
            last=alert.last_fired,
            n=alert.fire_count,
        )
        st.caption(md_escape(line))
        st.dataframe(
            display.frame(
                [
                    {t("alerts.involved"): role_word(item["role"], investigator.lang), t("report.key"): item["ref"]}
                    for item in alert.involved
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        if alert.evidence:
            _evidence(workspace, investigator, alert, display)
        cols = st.columns(4)
        if cols[0].button(t("alerts.open_fresh"), key=f"gb_alert_map_{alert.alert_id}"):
            _open_on_map(investigator, alert)
        if investigator.may(Permission.ALERT_STATUS):
            _work(workspace, investigator, alert, cols[1:], users)
        _history(alert, display)


def _evidence(workspace: Workspace, investigator: Investigator, alert: InboxAlert, display: Display) -> None:
    """The passages behind the alert, read from the event store when asked (each reading is
    a consultation in the audit log), and kept on the page until the alert is read again."""
    key = f"gb_alert_evidence_{alert.alert_id}"
    if st.button(t("alerts.evidence", n=alert.evidence), key=f"gb_alert_evidence_read_{alert.alert_id}"):
        try:
            st.session_state[key] = evidence_rows(workspace, investigator, alert.alert_id)
        except EvidenceUnread as exc:
            st.session_state.pop(key, None)
            session.say("error", t("alerts.evidence_failed", error=exc))
    rows = st.session_state.get(key)
    if rows is not None:
        st.caption(md_escape(t("alerts.evidence_shown", n=len(rows))))
        st.dataframe(evidence_table(rows, display, investigator.lang), hide_index=True, width="stretch")


def _open_on_map(investigator: Investigator, alert: InboxAlert) -> None:
    entities = [n for n in alert.nodes if n.get("label") != "Alert"]
    notice = session.explorer(investigator).focus(entities, alert.relationships)
    if notice is not None:
        session.notify(notice.level, notice.text)
    session.go("explorer")


def _work(workspace: Workspace, investigator: Investigator, alert: InboxAlert, cols: list, users: list[str]) -> None:
    """The status buttons, the assignee and a new note; each a callback (alert_actions)."""
    for col, (target, (key, _)) in zip(cols, act.STATUS_BUTTONS.items(), strict=True):
        col.button(
            t(key),
            key=f"gb_alert_{target}_{alert.alert_id}",
            disabled=alert.status == target,
            on_click=act.change_status,
            args=(workspace, investigator, alert, target),
        )
    left, right = st.columns(2)
    choices = ["", *users] if alert.assignee in ("", *users) else ["", alert.assignee, *users]
    left.selectbox(
        t("alerts.assignee"),
        choices,
        index=choices.index(alert.assignee),
        format_func=lambda u: u or t("alerts.nobody"),
        key=act.assignee_key(alert.alert_id),
    )
    left.button(
        t("alerts.assign"),
        key=f"gb_alert_give_{alert.alert_id}",
        on_click=act.give,
        args=(workspace, investigator, alert),
    )
    right.text_area(t("alerts.note"), key=act.note_key(alert.alert_id), max_chars=2000, height=80)
    right.button(
        t("alerts.add_note"),
        key=f"gb_alert_add_note_{alert.alert_id}",
        on_click=act.note,
        args=(workspace, investigator, alert),
    )


def _history(alert: InboxAlert, display: Display) -> None:
    """Who did what and when, newest first; a note's text shown as typed (masked by pattern)."""
    st.caption(t("alerts.history"))
    if not alert.notes:
        st.caption(t("alerts.no_history"))
        return
    rows = [
        {
            t("alerts.when"): note["written_at"],
            t("alerts.who"): note["author"],
            t("alerts.what"): t(f"alerts.kind.{note['kind']}"),
            t("alerts.text"): _note_text(note),
        }
        for note in alert.notes
    ]
    st.dataframe(display.frame(rows), hide_index=True, width="stretch")


def _note_text(note: dict) -> str:
    if note["kind"] == "status":
        return t(f"status.{note['text']}") if note["text"] in STATUSES else note["text"]
    if note["kind"] == "assign":
        return note["text"] or t("alerts.nobody")
    return note["text"] or ""
