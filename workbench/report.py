"""Self-contained HTML: the exported map and the investigation report, openable offline.

The map is drawn by vis-network as pyvis ships it: pyvis builds the network (nodes,
edges, options) and we inline its vis-network script and stylesheet ourselves instead of
using pyvis's page template, which links Bootstrap and tom-select from CDNs even with
inline resources and sets tooltips as HTML. The script goes in as a `data:` URL, so the
file names no remote address at all; the data goes in as JSON with `<`, `>` and `&`
escaped, so no caption can end the script. Every value comes through `Display`
(masked for the reader's role) and every text is HTML-escaped.

The map is drawn as the analyst left it: positions, the styling rules (`workbench.map_styles`,
the same as on the canvas) with their legend, nodes they hid left out, and their groups listed.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

from graph.model import Schema
from workbench.display import Display, html_text
from workbench.map_measures import measure
from workbench.map_state import MapState
from workbench.map_styles import WATCHED, Styling, style_of
from workbench.messages import message

VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
# vis-network shape names for the schema's Cytoscape shapes.
_SHAPES = {
    "ellipse": "dot",
    "rectangle": "square",
    "round-rectangle": "square",
    "triangle": "triangle",
    "diamond": "diamond",
    "hexagon": "hexagon",
    "octagon": "hexagon",
    "star": "star",
    "vee": "triangleDown",
    "tag": "square",
}


@cache
def _vis_assets() -> tuple[str, str]:
    script = (VIS_DIR / "vis-network.min.js").read_bytes()
    css = (VIS_DIR / "vis-network.css").read_text(encoding="utf-8")
    return "data:text/javascript;base64," + base64.b64encode(script).decode("ascii"), css


def _script_json(value: Any) -> str:
    """JSON that is safe inside <script>: nothing in it can close the element."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def drawn_ids(state: MapState, shown: set[str] | None) -> set[str]:
    """What the file's map draws: what the filters show, less what the analyst hid."""
    ids = set(state.nodes) | set(state.edges) if shown is None else set(shown)
    return ids - state.hidden


def styling(state: MapState, display: Display, shown: set[str]) -> Styling:
    """The map's styling rules on what is drawn, measured here (no session to cache in)."""
    nodes = [n for n in state.nodes if n in shown]
    ties = [(r["start"], r["end"]) for e, r in state.edges.items() if e in shown and r["start"] in shown]
    return style_of(state, shown, display.schema, display.lang, lambda: measure(nodes, ties))


def network(state: MapState, display: Display, shown: set[str] | None = None, look: Styling | None = None) -> Network:
    """The map as a pyvis network, captions masked, positions kept, styled as on the canvas."""
    net = Network(height="640px", width="100%", directed=True, cdn_resources="in_line")
    schema: Schema = display.schema
    look = look or Styling()
    for node_id, node in state.nodes.items():
        if shown is not None and node_id not in shown:
            continue
        spec = schema.nodes.get(node.get("label") or "")
        position = state.positions.get(node_id)
        extra = {"x": position["x"], "y": position["y"], "physics": False} if position else {}
        fill = look.colours.get(node_id) or (spec.style.color if spec else "#888888")
        watched = node_id in state.watched
        net.add_node(
            node_id,
            label=display.caption(node),
            title=f"{display.label_name(node.get('label') or '')} · {display.text(node.get('ref') or '')}",
            color={"background": fill, "border": WATCHED if watched else fill},
            borderWidth=4 if watched else 1,
            shape=_SHAPES.get(spec.style.shape, "dot") if spec else "dot",
            # vis sizes by radius, the canvas by side
            size=look.sizes[node_id] / 2 if node_id in look.sizes else 14,
            **extra,
        )
    placed = set(net.get_nodes())
    for edge_id, rel in state.edges.items():
        if (shown is not None and edge_id not in shown) or rel["start"] not in placed or rel["end"] not in placed:
            continue
        highlighted = edge_id in state.highlight
        net.add_edge(
            rel["start"],
            rel["end"],
            label=_link_caption(rel, display),
            color="#f1c40f" if highlighted else "#b0b0b0",
            width=4 if highlighted else 1,
        )
    net.toggle_physics(not state.positions)
    return net


def _link_caption(rel: dict[str, Any], display: Display) -> str:
    if rel.get("aggregate"):
        return message("map.seen_at", display.lang, n=rel["properties"]["count"])
    return display.type_name(rel["type"])


def _legend(state: MapState, display: Display, shown: set[str], look: Styling) -> str:
    """The rules, then the labels on the map, as on the canvas's legend."""
    lang = display.lang
    labels = sorted({state.nodes[n].get("label") or "" for n in shown if n in state.nodes})
    rows = [_swatch(rule.get("color"), rule.get("ring")) + html_text(rule["text"]) for rule in look.rules]
    for label in labels:
        spec = display.schema.nodes.get(label)
        rows.append(_swatch(spec.style.color if spec else "#888888", None) + html_text(display.label_name(label)))
    items = "".join(f"<li>{row}</li>" for row in rows)
    return f'<div class="legend"><b>{html_text(message("legend.title", lang))}</b><ul>{items}</ul></div>\n'


def _swatch(colour: str | None, ring: str | None) -> str:
    if not colour and not ring:
        return ""
    border = f"border:3px solid {ring};" if ring else ""
    return f'<span class="swatch" style="background:{colour or "#fff"};{border}"></span>'


def _groups(state: MapState, display: Display) -> str:
    if not state.groups:
        return ""
    lang = display.lang
    rows = [
        [
            message("tools.group_label", lang, n=len(members)),
            "、".join(display.caption(state.nodes[m]) for m in members),
        ]
        for members in state.groups.values()
    ]
    heading = f"<h2>{html_text(message('report.groups', lang))} ({len(rows)})</h2>\n"
    return heading + _table([message("report.group", lang), message("report.members", lang)], rows)


def _map_section(net: Network) -> str:
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()
    options = json.loads(options_json)
    options.setdefault("edges", {})["font"] = {"size": 9, "align": "middle"}
    options.setdefault("nodes", {})["font"] = {"size": 11}
    script_url, _ = _vis_assets()
    return (
        '<div id="map"></div>\n'
        f'<script src="{script_url}"></script>\n'
        "<script>\n"
        f"var data = {{nodes: new vis.DataSet({_script_json(nodes)}),\n"
        f"            edges: new vis.DataSet({_script_json(edges)})}};\n"
        f"var network = new vis.Network(document.getElementById('map'), data, {_script_json(options)});\n"
        "network.once('afterDrawing', function () { document.body.dataset.drawn = 'yes'; });\n"
        "</script>\n"
    )


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html_text(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html_text(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, body: str) -> str:
    _, css = _vis_assets()
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{html_text(title)}</title>\n<style>{css}\n"
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}"
        "#map{width:100%;height:640px;border:1px solid #ddd}"
        "table{border-collapse:collapse;margin:8px 0 24px;font-size:13px}"
        "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}"
        ".notes{white-space:pre-wrap;border-left:3px solid #16a085;padding:6px 12px;background:#f7faf9}"
        ".legend ul{list-style:none;padding:0;margin:4px 0 16px;columns:3;font-size:13px}"
        ".swatch{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:2px;"
        "vertical-align:middle;box-sizing:border-box}"
        "</style></head>\n<body>\n"
        f"{body}</body></html>\n"
    )


def map_html(state: MapState, display: Display, shown: set[str] | None = None, *, title: str = "goldenbell") -> str:
    """The map alone, as one HTML file."""
    return _page(title, f"<h1>{html_text(title)}</h1>\n" + _styled_map(state, display, shown))


def _styled_map(state: MapState, display: Display, shown: set[str] | None) -> str:
    drawn = drawn_ids(state, shown)
    look = styling(state, display, drawn)
    return _map_section(network(state, display, drawn, look)) + _legend(state, display, drawn, look)


def report_html(
    state: MapState, display: Display, *, title: str, notes: str, generated_at: datetime | None = None
) -> str:
    """The investigation report: header, notes, the map, and tables of entities and links."""
    lang = display.lang
    investigator = display.investigator
    when = (generated_at or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    meta = message(
        "report.generated",
        lang,
        user=investigator.user,
        time=when,
        case_ref=investigator.case_ref,
        reason=investigator.reason_text,
    )
    entity_rows = [
        [display.label_name(node.get("label") or ""), display.caption(node), display.text(node.get("ref") or "")]
        for node in sorted(state.nodes.values(), key=lambda n: (n.get("label") or "", str(n.get("caption"))))
    ]
    captions = {node_id: display.caption(node) for node_id, node in state.nodes.items()}
    link_rows = [
        [captions.get(rel["start"], ""), _link_caption(rel, display), captions.get(rel["end"], "")]
        for rel in state.edges.values()
    ]
    body = (
        f"<h1>{html_text(title)}</h1>\n<p>{html_text(meta)}</p>\n"
        + (f'<div class="notes">{html_text(display.text(notes))}</div>\n' if notes.strip() else "")
        + f"<h2>{html_text(message('report.map', lang))}</h2>\n"
        + _styled_map(state, display, None)
        + _groups(state, display)
        + f"<h2>{html_text(message('report.nodes', lang))} ({len(entity_rows)})</h2>\n"
        + _table([message(k, lang) for k in ("report.type", "report.caption", "report.key")], entity_rows)
        + f"<h2>{html_text(message('report.links', lang))} ({len(link_rows)})</h2>\n"
        + _table([message(k, lang) for k in ("report.from", "report.type", "report.to")], link_rows)
    )
    return _page(title, body)
