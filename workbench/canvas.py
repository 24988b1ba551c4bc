"""The interactive relationship map: a small two-way Streamlit component on Cytoscape.js.

The browser side (`frontend/canvas/`: index.html, canvas.js and the vendored
cytoscape.min.js) draws what Python sends and sends back events —
`{events: [{seq, kind, node}, …], positions}` for double-click expand and the node menu (expand, show
more, pin, unpin, remove, path start/end, profile) and for moved nodes (`layout`). Each value
carries every event Python has not yet acknowledged (`ack`), so no gesture is lost between reruns. Python
handles events in `workbench.explorer.Explorer.handle`. Nothing is fetched from
anywhere but the workbench itself.

Everything sent to the browser passes through `Display`: captions and tooltips are
masked for the investigator's role, and the browser sets them as text, never as HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

from graph.model import Schema
from workbench.display import Display
from workbench.map_state import MapState
from workbench.messages import message

FRONTEND = Path(__file__).resolve().parent / "frontend" / "canvas"
_component = components.declare_component("goldenbell_canvas", path=str(FRONTEND))

MENU_KEYS = ("expand", "more", "pin", "unpin", "remove", "path_start", "path_end", "profile")


def legend(schema: Schema, lang: str) -> list[dict[str, str]]:
    """Style and name of every label, from the schema (the canvas shows those on the map)."""
    return [
        {"label": label, "name": node.names.get(lang), "color": node.style.color, "shape": node.style.shape}
        for label, node in schema.nodes.items()
    ]


def elements(state: MapState, display: Display, shown: set[str] | None = None) -> list[dict[str, Any]]:
    """Cytoscape elements for the map; `shown` limits them to what the filters leave."""
    out: list[dict[str, Any]] = []
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
            )
            if on
        ]
        element: dict[str, Any] = {
            "data": {
                "id": node_id,
                "label": display.caption(node),
                "type": label,
                "tip": f"{display.label_name(label)} · {display.text(node.get('ref') or '')}",
            },
            "classes": " ".join(classes),
        }
        if node_id in state.positions:
            element["position"] = state.positions[node_id]
        out.append(element)
    for edge_id, rel in state.edges.items():
        if shown is not None and edge_id not in shown:
            continue
        out.append(
            {
                "data": {
                    "id": edge_id,
                    "source": rel["start"],
                    "target": rel["end"],
                    "label": display.type_name(rel["type"]),
                    "type": rel["type"],
                },
                "classes": "path" if edge_id in state.highlight else "",
            }
        )
    return out


def canvas(
    state: MapState,
    display: Display,
    *,
    key: str,
    shown: set[str] | None = None,
    height: int = 640,
    interactive: bool = True,
) -> dict[str, Any] | None:
    """Draw the map; returns the browser's last event (or None)."""
    lang = display.lang
    return _component(
        elements=elements(state, display, shown),
        legend=legend(display.schema, lang),
        legend_title=message("legend.title", lang),
        menu={name: message(f"menu.{name}", lang) for name in MENU_KEYS},
        interactive=interactive,
        version=state.version,
        ack=state.last_event,
        height=height,
        key=key,
        default=None,
    )
