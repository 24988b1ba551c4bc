"""A form for a saved query, built from its declared parameters.

Each parameter type gets its widget: an entity a picker over the search, dates and times
pickers, a duration a number with its unit. Values go to the runner, which checks and
converts them exactly as for the command line. A blank optional field is left out so the
query's default applies.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from access.actor import Actor
from queries.pack_model import Query
from queries.parameters import Parameter, plain
from queries.runner import Runner
from workbench import form_moments as moments
from workbench import session
from workbench.context import t
from workbench.display import Display, md_escape
from workbench.entity_picker import picker


def _label(parameter: Parameter, lang: str) -> str:
    name = parameter.names.get(lang)
    return md_escape(name + ("" if parameter.required else " ○"))


def _help(parameter: Parameter, lang: str) -> str | None:
    return parameter.description.get(lang) if parameter.description else None


def _choice_widget(parameter: Parameter, key: str, lang: str, choices: list[dict[str, Any]], display: Display) -> Any:
    values = [""] + [str(c["value"]) for c in choices] if not parameter.required else [str(c["value"]) for c in choices]
    labels = {str(c["value"]): str(c.get("label") or c["value"]) for c in choices}
    default = plain(parameter.default)
    index = values.index(str(default)) if default is not None and str(default) in values else 0
    return st.selectbox(
        _label(parameter, lang),
        values,
        index=index,
        format_func=lambda v: display.text(labels.get(v, v)),
        key=key,
        help=_help(parameter, lang),
    )


def field(parameter: Parameter, key: str, lang: str, display: Display, runner: Runner, query: Query) -> Any:
    """One parameter's widget; returns what was entered (None: leave it to the default)."""
    label, help_text = _label(parameter, lang), _help(parameter, lang)
    default = plain(parameter.default)
    kind = parameter.type
    if parameter.choices:
        return _choice_widget(parameter, key, lang, runner.choices(query, parameter.name), display)
    if kind == "bool":
        return st.checkbox(label, value=bool(default), key=key, help=help_text)
    if kind in ("int", "float"):
        number = int if kind == "int" else float
        return st.number_input(
            label,
            min_value=number(plain(parameter.minimum)) if parameter.minimum is not None else None,
            max_value=number(plain(parameter.maximum)) if parameter.maximum is not None else None,
            value=number(default) if default is not None else None,
            step=1 if kind == "int" else None,
            key=key,
            help=help_text,
        )
    if kind in ("date", "datetime"):
        return moments.moment_field(parameter, key, label, help_text)
    if kind == "duration":
        return moments.duration_field(parameter, key, label, help_text)
    if kind in ("enum", "label", "reltype"):
        options = ([""] if not parameter.required else []) + list(parameter.values)
        index = options.index(default) if default in options else 0
        names = _value_names(kind, display)
        return st.selectbox(label, options, index=index, format_func=names, key=key, help=help_text)
    if kind == "list" and parameter.items is not None and parameter.items.type in ("enum", "label", "reltype"):
        names = _value_names(parameter.items.type, display)
        chosen = [v for v in (default or []) if v in parameter.items.values]
        return st.multiselect(
            label,
            list(parameter.items.values),
            default=chosen,
            format_func=names,
            placeholder=t("common.choose"),
            key=key,
            help=help_text,
        )
    placeholder = t("packs.list_help") if kind == "list" else None
    if kind == "list" and isinstance(default, list):
        default = ",".join(map(str, default))
    text = st.text_input(
        label,
        value="" if default is None else str(default),
        key=key,
        help=help_text or placeholder,
        placeholder=placeholder,
    )
    return text if text.strip() else None


def _value_names(kind: str, display: Display):
    if kind == "label":
        return lambda v: f"{v} · {display.label_name(v)}" if v else ""
    if kind == "reltype":
        return lambda v: f"{v} · {display.type_name(v)}" if v else ""
    return lambda v: v


def form(query: Query, lang: str, display: Display, runner: Runner, actor: Actor) -> dict[str, Any] | None:
    """The parameters entered, once the form is sent; None before (or when a pick is missing).

    Entity pickers stand above the form: a search must run as the user types, and widgets
    inside a form wait for its button."""
    values: dict[str, Any] = {}
    for name, parameter in query.parameters.items():
        if parameter.type == "entity":
            label, key = _label(parameter, lang), f"gb_param_{query.id}_{name}"
            values[name] = picker(parameter, key, label, _help(parameter, lang), display, runner, actor)
    with st.form(f"gb_pack_{query.id}"):
        for name, parameter in query.parameters.items():
            if parameter.type != "entity":
                values[name] = field(parameter, f"gb_param_{query.id}_{name}", lang, display, runner, query)
        sent = st.form_submit_button(t("packs.run"), type="primary")
    if not sent:
        return None
    for name, parameter in query.parameters.items():
        if parameter.type == "entity" and parameter.required and values[name] is None:
            session.say("error", t("picker.missing", field=parameter.names.get(lang)))
            return None
        if parameter.type == "duration" and not moments.within_bounds(parameter, values[name], lang):
            return None
    return {name: values[name] for name in query.parameters if values[name] not in (None, "") and values[name] != []}
