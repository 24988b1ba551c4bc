"""Profile: an entity's properties, its linked entities by type, and a timeline of its events."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import duckdb
import streamlit as st

from access import AccessError, Permission, unmask
from access.actor import Actor
from graph.errors import GraphError
from queries import page_queries
from queries.parameters import EntityRef, ParameterError
from queries.passages import entity_passages, in_store
from queries.profile_facts import link_context, read_flags
from queries.profiles import (
    NEIGHBOURS_SHOWN,
    EntityProfile,
    case_mentions,
    case_text,
    linked_by_label,
    parse_ref,
    read_entity,
    timeline_rows,
)
from queries.runner import QueryOutcome, QueryRefused
from workbench import charts, profile_parts, resources, session
from workbench.case_text import render_case_text
from workbench.context import require, t
from workbench.display import Display, md_escape
from workbench.explorer import Filters
from workbench.investigator import Investigator
from workspace import Workspace


def render() -> None:
    investigator = require(page="profile")
    display = session.display(investigator)
    workspace = resources.workspace()
    st.title(t("page.profile"))
    session.show_notices()
    entity = _entity(workspace, investigator, display)
    if entity is None:
        return
    ref, found = entity
    node = found.node
    # No heading anchor: its href would be made from the entity's caption, which is data.
    st.header(md_escape(f"{display.label_name(node['label'])} · {display.caption(node)}"), anchor=False)
    st.caption(md_escape(t("profile.degree", n=found.degree)))
    actor = investigator.actor.consulting()
    rule_title = partial(_rule_title, workspace, investigator.lang)
    try:
        flags = read_flags(workspace.gateway, workspace.schema, workspace.audit, ref, actor=actor)
    except GraphError as exc:
        session.say("error", t("common.failed", error=exc))
        return
    # What must not be missed comes before who the entity is.
    profile_parts.flags(display, flags, person=node["label"] == "Person", rule_title=rule_title)
    left, right = st.columns(2)
    if left.button(t("profile.to_explorer"), key="gb_profile_to_map"):
        # Onto the map and expanded there, as the button says, not only placed.
        explorer = session.explorer(investigator)
        notice = explorer.load([node], []) or explorer.expand(node["id"], Filters())
        if notice is not None:
            session.notify(notice.level, notice.text)
        session.go("explorer")
    _unmask(investigator, display, node, right)
    _properties(workspace, display, node)

    runner = workspace.runner
    try:
        neighbours = runner.run(
            page_queries.NEIGHBOURHOOD,
            {"start": str(ref), "hops": 1, "degree_cap": NEIGHBOURS_SHOWN},
            actor=actor,
            action="profile.links",
        )
        timeline = runner.run(page_queries.TIMELINE, {"entity": str(ref)}, actor=actor, action="profile.timeline")
        # Passages kept in the event store are no nodes for the timeline query to find.
        stored = (
            entity_passages(workspace.gateway, workspace.events, workspace.audit, (ref.label, ref.key), actor=actor)
            if in_store(workspace.events)
            else None
        )
    except (QueryRefused, GraphError, duckdb.Error) as exc:
        session.say("error", t("common.failed", error=exc))
        return
    _links(workspace, display, found, neighbours, actor, rule_title)
    _timeline(investigator, display, timeline_rows(timeline, stored))


def _entity(
    workspace: Workspace, investigator: Investigator, display: Display
) -> tuple[EntityRef, EntityProfile] | None:
    """The entity named in the box, read (and recorded) for the investigator; None, said on the
    page, when none is named, it is not found or it could not be read."""
    # The box shows the entity in view as this role may see it; the reference itself stays here.
    current = st.session_state.get(session.PROFILE_KEY, "")
    shown_current = display.text(current)
    typed = st.text_input(t("profile.ref"), value=shown_current, key=session.PROFILE_INPUT_KEY)
    if not typed.strip():
        st.info(t("profile.pick"))
        return None
    if typed != shown_current and typed.strip() == shown_current.strip():
        typed = shown_current  # the same reference with stray spaces
    if typed != shown_current and "*" in typed:
        # Masked text names nobody, and looking it up would send the mask to the database.
        session.say("warning", t("profile.masked_ref"))
        return None
    try:
        ref = parse_ref(current if typed == shown_current else typed, workspace.schema)
        actor = investigator.actor.consulting()
        found = read_entity(workspace.gateway, workspace.schema, workspace.audit, ref, actor=actor)
    except (ParameterError, GraphError) as exc:
        session.say("error", t("common.failed", error=exc))
        return None
    if found is None:
        session.say("warning", t("profile.not_found", ref=display.text(typed)))
        return None
    st.session_state[session.PROFILE_KEY] = str(ref)
    return ref, found


def _properties(workspace: Workspace, display: Display, node: dict[str, Any]) -> None:
    """The entity's properties as this role may see them; beside them a case's report text."""
    left, right = st.columns([2, 3])
    with left:
        st.subheader(t("profile.properties"))
        shown = profile_parts.identity_values(display, node)
        # Who and what first, in reading order; where the record came from (file, row, import run) folded away.
        who, origin = profile_parts.identity_names(display, node)

        def table(names: list[str]) -> None:
            rows = [
                {t("profile.property"): display.property_name(node["label"], name), t("profile.value"): shown[name]}
                for name in names
            ]
            st.dataframe(display.frame(rows), hide_index=True, width="stretch")

        table(who)
        if origin:
            with st.expander(t("profile.provenance")):
                table(origin)
    report = case_text(node)
    if report:
        with right:
            st.subheader(t("profile.case_text"))
            try:
                mentions = case_mentions(workspace.gateway, workspace.schema, node["properties"]["case_id"])
            except GraphError as exc:
                session.say("error", t("common.failed", error=exc))
                mentions = []
            render_case_text(report, mentions, display)


def _links(
    workspace: Workspace,
    display: Display,
    found: EntityProfile,
    neighbours: QueryOutcome,
    actor: Actor,
    rule_title: Callable[[str], str],
) -> None:
    """Linked entities by label, each a line saying what the link means (a registration's
    address and landlord, a purchase's shop and time, a listing's date and reason)."""
    st.subheader(t("profile.links"))
    if found.degree > NEIGHBOURS_SHOWN:
        st.caption(t("profile.more_links", n=NEIGHBOURS_SHOWN))
    groups = linked_by_label(neighbours, found.node["id"])
    ids = [other["id"] for group in groups.values() for other in group.nodes]
    try:
        context = link_context(workspace.gateway, workspace.schema, workspace.audit, found.node["id"], ids, actor=actor)
    except GraphError as exc:
        session.say("error", t("common.failed", error=exc))
        context = {}
    for label, group in groups.items():
        types = "、".join(display.type_name(rel_type) for rel_type in sorted(group.types))
        with st.expander(md_escape(f"{display.label_name(label)} ({len(group.nodes)}) · {types}")):
            for other in group.nodes:
                a, b = st.columns([6, 1])
                links = group.links.get(other["id"], [])
                a.text(profile_parts.link_line(display, other, links, context.get(other["id"], {}), rule_title))
                if other.get("ref") and b.button(t("common.open_profile"), key=f"gb_link_{other['id']}"):
                    session.open_profile(other["ref"])


def _rule_title(workspace: Workspace, lang: str, rule: str) -> str:
    """An alert rule's title in the page's language, from the query catalogue."""
    query = workspace.catalog.queries.get(rule)
    return query.names.get(lang) if query is not None else rule


def _timeline(investigator: Investigator, display: Display, events: list[dict[str, Any]]) -> None:
    st.subheader(t("profile.timeline"))
    if not events:
        st.caption(t("profile.no_events"))
        return
    st.altair_chart(charts.timeline(display.rows(events), investigator.lang), width="stretch")
    table = [
        {
            t("timeline.time"): charts.local_time(row["time"]),
            t("timeline.kind"): charts.kind_name(row["kind"], investigator.lang),
            t("timeline.detail"): row["detail"],
        }
        for row in events
    ]
    st.dataframe(display.frame(table), hide_index=True, width="stretch")


def _unmask(investigator, display, node, column) -> None:
    """For a role that sees numbers masked but may unmask: reveal this entity, an audited act."""
    ref = node.get("ref")
    if not ref or not display.masked or not investigator.may(Permission.UNMASK):
        return
    if display.unmasked(ref):
        column.caption(t("profile.unmasked"))
        return
    if column.button(t("profile.unmask"), key="gb_unmask", help=t("profile.unmask_help")):
        try:
            unmask(resources.workspace().sessions, investigator.session, ref)
        except AccessError as exc:
            session.say("error", t("common.refused", error=exc))
            return
        st.session_state.pop(session.PROFILE_INPUT_KEY, None)  # the box shows the reference in full now
        st.rerun()
