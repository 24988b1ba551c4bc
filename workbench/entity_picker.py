"""An entity parameter as a type-ahead picker: the user types a name or a fragment of an ID
number, phone or plate, the search page's own query finds the candidates (audited as a
search), and the user picks one by what tells them apart.

The hits keep their real Label:key on the server; the page shows only what the role may see
(captions, details and references masked), so a masked value is never what is looked up.
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from access.actor import Actor
from graph.errors import GraphError
from queries import page_queries
from queries.parameters import Parameter
from queries.runner import QueryRefused, Runner
from workbench import session
from workbench.context import t
from workbench.display import Display

HITS = 20  # candidates listed under the box
MASK = "*"  # what masking puts in place of digits


def picker(
    parameter: Parameter, key: str, label: str, help_text: str | None, display: Display, runner: Runner, actor: Actor
) -> str | None:
    """The Label:key the user picked for `parameter`, or None while nothing is picked."""
    text = st.text_input(label, key=f"{key}_text", placeholder=t("picker.placeholder"), help=help_text, max_chars=100)
    if not text.strip():
        return None
    if MASK in text:
        session.say("warning", t("picker.masked"))
        return None
    try:
        hits = _hits(parameter, key, text.strip(), runner, actor, display)
    except QueryRefused as exc:
        session.say("error", t("common.failed", error=exc))
        return None
    if not hits:
        session.say("info", t("picker.none", text=display.text(text.strip())))
        return None
    lines = [_line(hit, display) for hit in hits]
    # A new search is a new list: its own widget, so an earlier pick never points into it.
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]
    chosen = st.selectbox(
        t("picker.hits", n=len(hits)),
        range(len(hits)),
        format_func=lines.__getitem__,
        key=f"{key}_pick_{digest}",
    )
    return hits[chosen]["ref"]


def _hits(
    parameter: Parameter, key: str, text: str, runner: Runner, actor: Actor, display: Display
) -> list[dict[str, Any]]:
    """The candidates for `text`, searched once per text (each search is one audited read)."""
    labels = list(parameter.labels)
    label, sep, rest = text.partition(":")
    if sep and rest.strip() and label in runner.schema.nodes and (not labels or label in labels):
        labels, text = [label], rest.strip()  # "Person:3304…" pasted from elsewhere: its key, under its label
    cache = st.session_state.get(f"{key}_hits")
    if cache is not None and cache["text"] == text and cache["labels"] == labels:
        return cache["hits"]
    try:
        outcome = runner.run(
            page_queries.SEARCH, {"text": text, "labels": labels, "limit": HITS}, actor=actor, action="search"
        )
    except GraphError as exc:
        raise QueryRefused(str(exc)) from exc
    nodes = {node["ref"]: node for node in outcome.nodes if node.get("ref")}
    hits = [
        {**nodes[row["entity"]], "listed": bool(row.get("listed"))}
        for row in outcome.rows
        if row.get("entity") in nodes and (not parameter.labels or nodes[row["entity"]]["label"] in parameter.labels)
    ]
    st.session_state[f"{key}_hits"] = {"text": text, "labels": labels, "hits": hits}
    return hits


def _line(hit: dict[str, Any], display: Display) -> str:
    """One candidate as the role may see it: type, caption, reference, two telling details, flag."""
    parts = [display.label_name(hit["label"]), display.caption(hit), display.text(hit["ref"]), *_details(hit, display)]
    if hit.get("listed"):
        parts.append(t("picker.listed"))
    return "  ·  ".join(part for part in parts if part)


def _details(hit: dict[str, Any], display: Display) -> list[str]:
    # The label's first properties after its key and caption: a person's gender and birth
    # date, a vehicle's type and usage — what tells two of the same name apart.
    spec = display.schema.nodes.get(hit["label"])
    if spec is None:
        return []
    shown = display.properties([hit["label"]], hit.get("properties") or {}, hit.get("ref"))
    names = [name for name in spec.properties if name not in (spec.key, spec.caption)]
    return [str(shown[name]) for name in names if shown.get(name) not in (None, "")][:2]
