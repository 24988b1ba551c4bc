"""Styling rules for the map, worked out from what it holds: a network measure or a number
property as node size, communities or a property's values as fills, a red ring on anyone on a
watch list — each with the legend line that explains it.

Pure (no Streamlit): the canvas and the offline report draw the same rules from the same
`MapState.style`, which holds what the analyst chose:

    {"size_by": "none" | a measure | "prop:Label.name",
     "colour_by": "none" | "community" | "prop:Label.name"}

Only properties the schema does not mask are offered: a style must not tell a role what the
mask hides (the fill of a birth date would).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.model import Schema
from workbench.map_measures import MEASURES, Measures
from workbench.map_state import MapState
from workbench.messages import message

SMALLEST, LARGEST = 18.0, 64.0  # node size in pixels, least and most in the measure
# Ten colours told apart by most eyes (Tableau 10); values past the tenth share grey.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
OTHER = "#d0d0d0"
WATCHED = "#d62728"
CATEGORICAL = frozenset({"enum", "bool"})
NUMERIC = frozenset({"int", "float"})
PROPERTY = "prop:"


@dataclass(frozen=True)
class Styling:
    """Styling rules on top of the schema's look: a size and a fill per node id, the legend
    lines that explain them, and nodes to select once (`token` tells one request from the next)."""

    sizes: Mapping[str, float] = field(default_factory=dict)
    colours: Mapping[str, str] = field(default_factory=dict)
    rules: list[dict[str, str]] = field(default_factory=list)
    select: dict[str, Any] | None = None


def property_options(schema: Schema, state: MapState, kinds: frozenset[str]) -> list[str]:
    """`prop:Label.name` for each unmasked property of a kind in `kinds` of the labels on the map."""
    labels = sorted({node.get("label") for node in state.nodes.values()} & set(schema.nodes))
    return [
        f"{PROPERTY}{label}.{name}"
        for label in labels
        for name, spec in schema.nodes[label].properties.items()
        if spec.type in kinds and not spec.mask
    ]


def option_name(schema: Schema, option: str, lang: str) -> str:
    """How a choice reads in a list: a measure's name, or `Label · property`."""
    if option.startswith(PROPERTY):
        label, name = option.removeprefix(PROPERTY).split(".", 1)
        node = schema.nodes.get(label)
        prop = node.properties.get(name) if node else None
        return f"{node.names.get(lang) if node else label} · {prop.names.get(lang) if prop else name}"
    return message(f"analysis.{option}", lang)


def sizes(values: Mapping[str, float]) -> dict[str, float]:
    """Node sizes in pixels: the square root of each value's share of the largest (area grows with it)."""
    top = max(values.values(), default=0.0)
    if top <= 0:
        return {}
    return {node_id: round(SMALLEST + (LARGEST - SMALLEST) * (v / top) ** 0.5, 1) for node_id, v in values.items()}


def style_of(
    state: MapState,
    shown: set[str] | None,
    schema: Schema,
    lang: str,
    measures: Callable[[], Measures],
    *,
    select: dict[str, Any] | None = None,
) -> Styling:
    """The map's styling rules (`state.style`) on the nodes `shown`; `measures` is called only
    when a rule needs them."""
    style = state.style
    rules: list[dict[str, str]] = []
    node_sizes: dict[str, float] = {}
    fills: dict[str, str] = {}
    size_by, colour_by = style.get("size_by") or "none", style.get("colour_by") or "none"
    if size_by in MEASURES:
        found = measures()
        if found.ids:
            node_sizes = sizes(found.of(size_by))
            rules.append({"text": message("analysis.size_rule", lang, measure=message(f"analysis.{size_by}", lang))})
    elif size_by.startswith(PROPERTY):
        values = _numbers(state, shown, size_by)
        node_sizes = sizes(values)
        if node_sizes:
            rules.append({"text": message("analysis.size_rule", lang, measure=option_name(schema, size_by, lang))})
    if colour_by == "community":
        found = measures()
        fills, legend = _communities(found, lang)
        rules += legend
    elif colour_by.startswith(PROPERTY):
        fills, legend = _categories(state, shown, colour_by, schema, lang)
        rules += legend
    watched = [n for n in state.watched if shown is None or n in shown]
    if watched:
        rules.append({"text": message("analysis.watched_rule", lang), "ring": WATCHED})
    return Styling(sizes=node_sizes, colours=fills, rules=rules, select=select)


def _communities(found: Measures, lang: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    fills = {
        node_id: PALETTE[group - 1] if group <= len(PALETTE) else OTHER
        for node_id, group in zip(found.ids, found.community, strict=True)
    }
    groups = sorted(set(found.community))
    legend = [{"text": message("analysis.community_n", lang, n=g), "color": PALETTE[g - 1]} for g in groups[:10]]
    if len(groups) > len(PALETTE):
        legend.append({"text": message("analysis.other_communities", lang), "color": OTHER})
    return fills, legend


def _values(state: MapState, shown: set[str] | None, option: str) -> dict[str, Any]:
    label, name = option.removeprefix(PROPERTY).split(".", 1)
    return {
        node_id: (node.get("properties") or {}).get(name)
        for node_id, node in state.nodes.items()
        if node.get("label") == label and (shown is None or node_id in shown)
    }


def _numbers(state: MapState, shown: set[str] | None, option: str) -> dict[str, float]:
    return {
        node_id: float(value)
        for node_id, value in _values(state, shown, option).items()
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    }


def _categories(
    state: MapState, shown: set[str] | None, option: str, schema: Schema, lang: str
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """A fill per value, the most frequent values first; nodes without the property keep their label's look."""
    values = {node_id: value for node_id, value in _values(state, shown, option).items() if value not in (None, "")}
    counts: dict[str, int] = {}
    for value in values.values():
        counts[str(value)] = counts.get(str(value), 0) + 1
    ranked = sorted(counts, key=lambda v: (-counts[v], v))
    colour = {value: PALETTE[i] if i < len(PALETTE) else OTHER for i, value in enumerate(ranked)}
    fills = {node_id: colour[str(value)] for node_id, value in values.items()}
    prefix = option_name(schema, option, lang)
    legend = [{"text": f"{prefix} = {value}", "color": colour[value]} for value in ranked[: len(PALETTE)]]
    if len(ranked) > len(PALETTE):
        legend.append({"text": f"{prefix}: {message('analysis.other_values', lang)}", "color": OTHER})
    return fills, legend
