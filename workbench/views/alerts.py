"""Alerts: the inbox with filters; open an alert in the link explorer, acknowledge or close it."""

from __future__ import annotations

import streamlit as st

from access import AccessError, Permission
from access.actor import guard
from graph.errors import GraphError
from queries.alerts import STATUSES, AlertError, set_status
from workbench import resources, session
from workbench.alert_inbox import InboxAlert, inbox
from workbench.context import require, t
from workbench.display import md_escape
from workbench.investigator import Investigator
from workspace import Workspace

# status to set → message key of its button
STATUS_BUTTONS = (("acknowledged", "alerts.ack"), ("closed", "alerts.close"), ("new", "alerts.reopen"))


def render() -> None:
    investigator = require(page="alerts")
    display = session.display(investigator)
    lang = investigator.lang
    workspace = resources.workspace()
    catalog = workspace.catalog
    st.title(t("page.alerts"))
    session.show_notices()

    rules = [q.id for q in catalog.alert_rules()]
    left, right = st.columns(2)
    status = left.selectbox(
        t("alerts.status"),
        ["", *STATUSES],
        format_func=lambda s: t(f"status.{s}") if s else t("alerts.all"),
        key="gb_alert_status",
    )
    rule = right.selectbox(
        t("alerts.rule"),
        ["", *rules],
        format_func=lambda r: catalog.queries[r].names.get(lang) if r else t("alerts.all"),
        key="gb_alert_rule",
    )
    alerts = session.listed(
        lambda: inbox(workspace, investigator, status=status or None, rule=rule or None), empty=t("alerts.none")
    )
    for alert in alerts:
        title = catalog.queries[alert.rule].names.get(lang) if alert.rule in catalog.queries else alert.rule
        header = f"[{t(f'status.{alert.status}')}] {title} — {display.text(alert.summary)}"
        with st.expander(md_escape(header)):
            st.caption(md_escape(t("alerts.fired", n=alert.fire_count, last=alert.last_fired)))
            st.dataframe(
                display.frame(
                    [{t("alerts.involved"): item["role"], t("report.key"): item["ref"]} for item in alert.involved]
                ),
                hide_index=True,
                width="stretch",
            )
            cols = st.columns(4)
            if cols[0].button(t("alerts.open_fresh"), key=f"gb_alert_map_{alert.alert_id}"):
                entities = [n for n in alert.nodes if n.get("label") != "Alert"]
                notice = session.explorer(investigator).focus(entities, alert.relationships)
                if notice is not None:
                    session.notify(notice.level, notice.text)
                session.go("explorer")
            if investigator.may(Permission.ALERT_STATUS):
                _status_buttons(workspace, investigator, alert, cols[1:])


def _status_buttons(workspace: Workspace, investigator: Investigator, alert: InboxAlert, cols: list) -> None:
    """Acknowledge, close or reopen the alert; each change audited with who made it and why."""
    for col, (target, key) in zip(cols, STATUS_BUTTONS, strict=True):
        if col.button(t(key), key=f"gb_alert_{target}_{alert.alert_id}", disabled=alert.status == target):
            try:
                guard(
                    workspace.audit,
                    investigator.actor,
                    Permission.ALERT_STATUS,
                    key.replace("alerts.", "alert."),  # the action set_status records
                    {"alert_id": alert.alert_id},
                )
                set_status(workspace.gateway, workspace.audit, alert.alert_id, target, investigator.actor)
            except (AlertError, GraphError, AccessError) as exc:
                session.say("error", t("common.failed", error=exc))
                continue
            session.notify("success", t("alerts.done", id=alert.alert_id, status=t(f"status.{target}")))
            st.rerun()
