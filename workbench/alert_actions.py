"""Working an alert from the inbox: acknowledge, close or reopen it, give it to someone, add a
note. Each runs as the button's callback, before the alert's own fragment reruns: the change
is checked against the role, written with its history entry and audited, and the alert as the
write left it (status, assignee, the new entry) is shown with the confirmation, without
reading the inbox again or rerunning the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from access import AccessError, Permission
from access.actor import guard
from graph.errors import GraphError
from queries.alerts import AlertError, Change, add_note, assign, set_status
from workbench.alert_inbox import InboxAlert, local
from workbench.context import t
from workbench.investigator import Investigator
from workspace import Workspace

# status to set → (message key of its button, the action set_status records)
STATUS_BUTTONS = {
    "acknowledged": ("alerts.ack", "alert.ack"),
    "closed": ("alerts.close", "alert.close"),
    "new": ("alerts.reopen", "alert.reopen"),
}


def change_key(alert_id: str) -> str:
    """The last change to the alert: {alert (as the write left it), level, text, toasted, shown}."""
    return f"gb_alert_change_{alert_id}"


def box_key(alert_id: str) -> str:
    """The alert's expander: open or not (its content is drawn only while it is open)."""
    return f"gb_alert_box_{alert_id}"


def assignee_key(alert_id: str) -> str:
    return f"gb_alert_assignee_{alert_id}"


def note_key(alert_id: str) -> str:
    return f"gb_alert_note_{alert_id}"


def forget_changes() -> None:
    """On a run of the whole page the inbox is read afresh: changes already shown are stale.
    One not shown yet (its callback ran just before this run) is kept for its alert to say."""
    for key in [k for k in st.session_state if str(k).startswith("gb_alert_change_")]:
        if st.session_state[key]["shown"]:
            del st.session_state[key]


def change_status(workspace: Workspace, investigator: Investigator, alert: InboxAlert, status: str) -> None:
    action = STATUS_BUTTONS[status][1]

    def write() -> Change:
        return set_status(workspace.gateway, workspace.audit, alert.alert_id, status, investigator.actor)

    _apply(workspace, investigator, alert, action, write, lambda fresh: _status_said(fresh, status))


def give(workspace: Workspace, investigator: Investigator, alert: InboxAlert) -> None:
    who = st.session_state.get(assignee_key(alert.alert_id)) or ""

    def write() -> Change:
        return assign(workspace.gateway, workspace.audit, alert.alert_id, who, investigator.actor)

    said = t("alerts.assigned", who=who) if who else t("alerts.unassigned_done")
    _apply(workspace, investigator, alert, "alert.assign", write, lambda _: said)


def note(workspace: Workspace, investigator: Investigator, alert: InboxAlert) -> None:
    text = st.session_state.get(note_key(alert.alert_id)) or ""

    def write() -> Change:
        return add_note(workspace.gateway, workspace.audit, alert.alert_id, text, investigator.actor)

    if _apply(workspace, investigator, alert, "alert.note", write, lambda _: t("alerts.noted")):
        st.session_state[note_key(alert.alert_id)] = ""


def _status_said(fresh: InboxAlert, status: str) -> str:
    when = fresh.notes[0]["written_at"] if fresh.notes else ""
    who = fresh.notes[0]["author"] if fresh.notes else ""
    return t("alerts.changed", who=who, time=when, status=t(f"status.{status}"))


def _apply(
    workspace: Workspace,
    investigator: Investigator,
    alert: InboxAlert,
    action: str,
    write: Callable[[], Change],
    said: Callable[[InboxAlert], str],
) -> bool:
    """Guard and write; the alert as changed, and the confirmation or the error, for the fragment."""
    try:
        guard(workspace.audit, investigator.actor, Permission.ALERT_STATUS, action, {"alert_id": alert.alert_id})
        change = write()
    except (AlertError, GraphError, AccessError) as exc:
        _keep(alert.alert_id, None, "error", t("common.failed", error=exc))
        return False
    entry = {**change.note, "written_at": local(change.note["written_at"], workspace.schema)}
    fresh = replace(alert, status=change.status, assignee=change.assignee, notes=[entry, *alert.notes])
    _keep(alert.alert_id, fresh, "success", said(fresh))
    # The heading now reads differently, which makes the expander a new element: keep it open.
    st.session_state[box_key(alert.alert_id)] = True
    return True


def _keep(alert_id: str, alert: InboxAlert | None, level: str, text: str) -> None:
    change = {"alert": alert, "level": level, "text": text, "toasted": level != "success", "shown": False}
    st.session_state[change_key(alert_id)] = change
