"""The interactive relationship map: a small two-way Streamlit component on Cytoscape.js.

The browser side (`frontend/canvas/`: index.html, canvas.js and the vendored
cytoscape.min.js, with the fCoSE force layout: layout-base.js, cose-base.js, cytoscape-fcose.js;
layouts.js chooses the layouts, styles.js holds the look)
draws what Python sends and sends back events —
`{events: [{seq, kind, node}, …], positions, view}` for double-click expand and the node menu (expand,
show more, pin, unpin, remove, path start/end, profile) and for what only the canvas changed
(`layout`: moved, hidden or grouped nodes). What needs no
database — selecting neighbours or a type, inverting, hiding, re-layout, fit, undo and redo (of a
removal too: the node comes back at once and a `restore` event tells Python), with
a toolbar and keyboard shortcuts — runs in the browser (`frontend/canvas/tools.js`) and sends
nothing but the view it changed (positions, hidden nodes, groups), once the analyst
pauses or with the next event. Each value
carries every event Python has not yet acknowledged (`ack`), so no gesture is lost between reruns;
the browser keeps them, and a view not yet acknowledged, in the tab's session storage under the
map's id (`map`; `pending.js`), so a frame that replaces another (a rerun, a page switch) sends
them again. Python handles events in
`workbench.explorer.Explorer.handle` and counts one as seen only once it is done. Nothing is fetched from
anywhere but the workbench itself.

Everything sent to the browser passes through `Display`: captions and tooltips are
masked for the investigator's role, and the browser sets them as text, never as HTML.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

from graph.model import Schema
from workbench.display import Display
from workbench.map_state import MapState
from workbench.map_styles import Styling
from workbench.map_times import element_time, millis
from workbench.messages import message

FRONTEND = Path(__file__).resolve().parent / "frontend" / "canvas"
_component = components.declare_component("goldenbell_canvas", path=str(FRONTEND))

MENU_KEYS = ("expand", "more", "pin", "unpin", "remove", "path_start", "path_end", "profile", "passages")
TOOL_KEYS = (
    "neighbours",
    "same_type",
    "invert",
    "hide",
    "show_all",
    "group",
    "ungroup",
    "group_label",
    "lasso",
    "expand_selection",
    "remove_selection",
    "layout",
    "layout_force",
    "layout_hierarchy",
    "layout_radial",
    "layout_grid",
    "layout_geographic",
    "relayout",
    "fit",
    "undo",
    "redo",
    "deselect",
    "help",
    "help_title",
    "box_hint",
    "time_play",
    "time_pause",
    "time_all",
)


# A time caption as the day and the minute; any caption longer than CAPTION_MAX characters
# cut with an ellipsis here rather than in the browser, where fitting each label to a width
# costs a measurement per character on every restyle (100 ms on a 1,000-node map).
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?(\[[^\]]*\])?$")
CAPTION_MAX = 16


def short_caption(text: str) -> str:
    """A caption that reads at a glance: "2025-03-01 08:00" for an ISO time, at most CAPTION_MAX characters."""
    found = _ISO_TIME.match(text)
    if found:
        return f"{found.group(1)} {found.group(2)}"
    return text if len(text) <= CAPTION_MAX else text[: CAPTION_MAX - 1] + "…"


def legend(schema: Schema, lang: str) -> list[dict[str, str]]:
    """Style and name of every label, from the schema (the canvas shows those on the map)."""
    return [
        {"label": label, "name": node.names.get(lang), "color": node.style.color, "shape": node.style.shape}
        for label, node in schema.nodes.items()
    ]


def elements(
    state: MapState, display: Display, shown: set[str] | None = None, styling: Styling | None = None
) -> list[dict[str, Any]]:
    """Cytoscape elements for the map; `shown` limits them to what the filters leave."""
    styling = styling or Styling()
    # Group boxes first: a node's parent exists before the node.
    group_label = message("tools.group_label", display.lang)
    out: list[dict[str, Any]] = [
        {"data": {"id": group_id, "group": True, "label": group_label.format(n=len(members))}, "classes": "group"}
        for group_id, members in state.groups.items()
    ]
    for node_id, node in state.nodes.items():
        if shown is not None and node_id not in shown:
            continue
        label = node.get("label") or ""
        classes = [
            name
            for name, on in (
                ("pinned", node_id in state.pinned),
                ("more", node_id in state.more),
                ("path", node_id in state.highlight),
                ("start", node_id == state.path_start),
                ("end", node_id == state.path_end),
                ("hidden", node_id in state.hidden),
                ("watched", node_id in state.watched),
            )
            if on
        ]
        element: dict[str, Any] = {
            "data": {
                "id": node_id,
                "label": short_caption(display.caption(node)),
                "type": label,
                "tip": f"{display.caption(node)} · {display.label_name(label)} · {display.text(node.get('ref') or '')}",
            },
            "classes": " ".join(classes),
        }
        properties = node.get("properties") or {}
        element["data"].update(_dated(element_time(display.schema, label, properties, node=True)))
        where = _geo(display.schema, label, properties)
        if where is not None:
            element["data"]["geo"] = where
        group_id = state.group_of(node_id)
        if group_id is not None:
            element["data"]["parent"] = group_id
        if node_id in styling.sizes:
            element["data"]["size"] = styling.sizes[node_id]
        if node_id in styling.colours:
            element["data"]["ccolor"] = styling.colours[node_id]
        if node_id in state.positions:
            element["position"] = state.positions[node_id]
        out.append(element)
    for edge_id, rel in state.edges.items():
        if shown is not None and edge_id not in shown:
            continue
        if rel.get("aggregate"):
            out.append(_seen_element(edge_id, rel, state, display.lang))
            continue
        out.append(
            {
                "data": {
                    "id": edge_id,
                    "source": rel["start"],
                    "target": rel["end"],
                    "label": display.type_name(rel["type"]),
                    "type": rel["type"],
                    **_dated(element_time(display.schema, rel["type"], rel.get("properties") or {}, node=False)),
                },
                "classes": "path" if edge_id in state.highlight else "",
            }
        )
    return out


def _seen_element(edge_id: str, rel: dict[str, Any], state: MapState, lang: str) -> dict[str, Any]:
    """A seen-at link: its count as the caption, first and last time as the tip and the time
    bar's span (`t0`…`t`)."""
    props = rel["properties"]
    first, last = str(props["first"]), str(props["last"])
    data: dict[str, Any] = {
        "id": edge_id,
        "source": rel["start"],
        "target": rel["end"],
        "label": message("map.seen_at", lang, n=props["count"]),
        "type": rel["type"],
        "aggregate": True,
        "tip": message("map.seen_span", lang, n=props["count"], first=short_caption(first), last=short_caption(last)),
    }
    since, until = millis(first), millis(last)
    if since is not None and until is not None:
        data.update(t0=since, t=until)
    return {"data": data, "classes": "seen opened" if edge_id in state.opened else "seen"}


def _geo(schema: Schema, label: str, properties: dict[str, Any]) -> list[float] | None:
    """[longitude, latitude] of the label's first unmasked point property, for the geographic layout."""
    spec = schema.nodes.get(label)
    for name, prop in spec.properties.items() if spec else ():
        value = properties.get(name)
        if prop.type == "point" and not prop.mask and isinstance(value, dict) and "longitude" in value:
            return [float(value["longitude"]), float(value["latitude"])]
    return None


def _dated(when: int | None) -> dict[str, int]:
    return {} if when is None else {"t": when}


def canvas(
    state: MapState,
    display: Display,
    *,
    key: str,
    shown: set[str] | None = None,
    height: int = 640,
    interactive: bool = True,
    styling: Styling | None = None,
) -> dict[str, Any] | None:
    """Draw the map; returns the browser's last event (or None)."""
    lang = display.lang
    styling = styling or Styling()
    return _component(
        elements=elements(state, display, shown, styling),
        legend=legend(display.schema, lang),
        legend_title=message("legend.title", lang),
        rules=styling.rules,
        select=styling.select,
        menu={name: message(f"menu.{name}", lang) for name in MENU_KEYS},
        tools={name: message(f"tools.{name}", lang) for name in TOOL_KEYS},
        interactive=interactive,
        version=state.version,
        ack=state.last_event,
        map=state.map_id,
        height=height,
        key=key,
        default=None,
    )
