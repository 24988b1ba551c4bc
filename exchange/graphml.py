"""GraphML out and in, in the shape Neo4j's APOC export gives it, which Gephi and yEd open:
`<key>` declarations with `attr.type` from the schema's value types, a node's labels as its
`labels` attribute (`:Person`), a relationship's type as its `label` attribute, and each
property as a `<data>` value. A node's `label` attribute is its caption, which Gephi and yEd
show on the drawing.

Value types become GraphML types: int → long, float → double, bool → boolean, and every other
(text, ID numbers, dates and datetimes in ISO form, points as `POINT(lon lat)`, lists as JSON)
→ string. A property with different types on different labels is declared string.

Reading uses the standard library's expat parser with every document type declaration
refused: GraphML needs none, and a DTD is where internal entity expansion (the "billion
laughs") and external entities (reading a local file or a URL into the data) live. Refusing
the DOCTYPE itself, before any entity is declared, closes both without a further dependency.
Each node and edge keeps the line it starts on, for the reject file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from exchange.rows import LinkRow, NodeRow, ReadFile, UnreadableFile
from exchange.subgraph import Exported, ExportRefused
from exchange.values import as_text, guess_type, node_types, relationship_types
from graph.model import Schema
from ingest.mapping import Reject
from ingest.reject_reasons import Reason

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_TYPES = {"int": "long", "float": "double", "bool": "boolean"}
# Attributes goldenbell writes beside the properties (as APOC names them).
LABELS = "labels"  # a node's labels, ":Person"
LABEL = "label"  # a node's caption; a relationship's type
TYPE = "type"  # a relationship's type, as some tools write it
MASKED = "goldenbell_masked"
WHAT = "goldenbell_export"
# What each scope's own attributes take: a node's `type` (a crime's type) is a property like any
# other, as is a relationship's `labels`.
_RESERVED = {"node": {LABELS, LABEL}, "edge": {LABEL, TYPE}}
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF], "\ufffd")


def write(exported: Exported, schema: Schema, out: IO[bytes]) -> None:
    """The export as GraphML, written to a binary file."""
    node_keys = _keys("node", ((node_types(schema, node.label), node.properties) for node in exported.nodes))
    edge_keys = _keys(
        "edge", ((relationship_types(schema, rel.type), rel.properties) for rel in exported.relationships)
    )
    ids: dict[tuple[str, str], str] = {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<graphml xmlns="{NAMESPACE}">']
    declared = [
        ("graph", MASKED, "boolean"),
        ("graph", WHAT, "string"),
        ("node", LABELS, "string"),
        ("node", LABEL, "string"),
        ("edge", LABEL, "string"),
        *(("node", name, kind) for name, kind in node_keys.items()),
        *(("edge", name, kind) for name, kind in edge_keys.items()),
    ]
    for scope, name, kind in declared:
        ids[(scope, name)] = key_id = f"d{len(ids)}"
        lines.append(f'  <key id="{key_id}" for="{scope}" attr.name={_attr(name)} attr.type="{kind}"/>')
    lines.append('  <graph id="G" edgedefault="directed">')
    lines.append(f'    <data key="{ids[("graph", MASKED)]}">{"true" if exported.masked else "false"}</data>')
    lines.append(f'    <data key="{ids[("graph", WHAT)]}">{_text(exported.what)}</data>')
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
    for node in exported.nodes:
        types = node_types(schema, node.label)
        parts = [f"    <node id={_attr(node.id)}>"]
        parts.append(_data(ids[("node", LABELS)], "".join(f":{label}" for label in node.labels)))
        if node.caption is not None:
            parts.append(_data(ids[("node", LABEL)], as_text("text", node.caption)))
        for name, value in node.properties.items():
            if value is not None:
                parts.append(_data(ids[("node", name)], as_text(types.get(name) or guess_type(value), value)))
        parts.append("    </node>")
        out.write(("\n".join(parts) + "\n").encode("utf-8"))
    for rel in exported.relationships:
        types = relationship_types(schema, rel.type)
        parts = [f"    <edge id={_attr(rel.id)} source={_attr(rel.start)} target={_attr(rel.end)}>"]
        parts.append(_data(ids[("edge", LABEL)], rel.type))
        for name, value in rel.properties.items():
            if value is not None:
                parts.append(_data(ids[("edge", name)], as_text(types.get(name) or guess_type(value), value)))
        parts.append("    </edge>")
        out.write(("\n".join(parts) + "\n").encode("utf-8"))
    out.write(b"  </graph>\n</graphml>\n")


def _keys(scope: str, items: Iterable[tuple[dict[str, str], Any]]) -> dict[str, str]:
    """Property name -> GraphML type over all the nodes (or edges); string where they disagree.
    A property named like the scope's own attributes cannot be told from them when read back:
    refused rather than left out."""
    found: dict[str, set[str]] = defaultdict(set)
    for types, properties in items:
        for name, value in properties.items():
            if name in _RESERVED[scope]:
                raise ExportRefused(
                    f"GraphML cannot carry the {scope} property '{name}': GraphML tools read it as the "
                    f"{scope}'s {'labels' if name == LABELS else 'caption or type'}; export as ftm or csv"
                )
            if value is not None:
                found[name].add(GRAPHML_TYPES.get(types.get(name) or guess_type(value), "string"))
    return {name: kinds.pop() if len(kinds) == 1 else "string" for name, kinds in sorted(found.items())}


def _data(key: str, text: str) -> str:
    return f'      <data key="{key}">{_text(text)}</data>'


def _text(text: str) -> str:
    return escape(text.translate(_NOT_XML))


def _attr(text: str) -> str:
    return quoteattr(text.translate(_NOT_XML))


class _Refused(Exception):
    """Raised inside the parser's callbacks; carries the sentence."""


def read(path: Path) -> ReadFile:
    """The nodes and edges of a GraphML file; UnreadableFile when it is not well-formed GraphML
    or declares a document type (entities)."""
    reader = _Reader(path)
    try:
        with path.open("rb") as handle:
            reader.parser.ParseFile(handle)
    except expat.ExpatError as exc:
        raise UnreadableFile(
            f"{path}: line {exc.lineno}: not well-formed XML ({expat.ErrorString(exc.code)})"
        ) from None
    except _Refused as exc:
        raise UnreadableFile(f"{path}: line {reader.parser.CurrentLineNumber}: {exc}") from None
    if not reader.seen_root:
        raise UnreadableFile(f"{path}: not GraphML (no <graphml> element)")
    return reader.found


class _Reader:
    """Builds the rows from expat's callbacks."""

    def __init__(self, path: Path):
        self.path = path
        self.found = ReadFile("graphml")
        self.keys: dict[str, tuple[str, str]] = {}  # key id -> (for, attr.name)
        self.graphics: set[str] = set()  # keys without attr.name: yEd's drawing of a node or edge
        self.defaults: dict[str, str] = {}
        self.seen_root = False
        self.stack: list[str] = []
        self.current: NodeRow | LinkRow | None = None
        self.in_graph = 0
        self.data_key: str | None = None
        self.default_key: str | None = None
        self.text: list[str] = []
        self.values: dict[str, str] = {}
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.ExternalEntityRefHandler = self._external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        self.parser = parser

    def _doctype(self, *_: Any) -> None:
        raise _Refused(
            "a document type declaration (<!DOCTYPE …>) is refused: GraphML needs none, and its entities "
            "could expand without end or read other files"
        )

    def _entity(self, *_: Any) -> None:
        raise _Refused("an entity declaration is refused")

    def _external(self, *_: Any) -> int:
        raise _Refused("an external entity is refused")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        self.stack.append(local if namespace in ("", NAMESPACE) else "")
        if namespace not in ("", NAMESPACE):
            return  # yEd's and Gephi's drawing elements
        line = self.parser.CurrentLineNumber
        if local == "graphml":
            self.seen_root = True
        elif local == "key":
            if "attr.name" in attrs:
                self.keys[attrs.get("id", "")] = (attrs.get("for", "all"), attrs["attr.name"])
            else:
                self.graphics.add(attrs.get("id", ""))  # yEd's drawing, not data
            self.default_key = attrs.get("id", "")
        elif local == "default" and self.default_key is not None:
            self.data_key, self.text = f"default:{self.default_key}", []
        elif local == "graph":
            self.in_graph += 1
            if self.current is not None or self.in_graph > 1:
                self._fault(line, "a graph nested in a node or edge is not something the schema can hold")
        elif local == "node" and self.in_graph == 1:
            self.current, self.values = NodeRow(line, attrs.get("id", ""), [], {}), {}
        elif local == "edge" and self.in_graph == 1:
            self.current, self.values = (
                LinkRow(line, attrs.get("id", ""), "", attrs.get("source", ""), attrs.get("target", ""), {}),
                {},
            )
        elif local in ("hyperedge", "port"):
            self._fault(line, f"a GraphML <{local}> is not something the schema can hold")
        elif local == "data":
            self.data_key, self.text = attrs.get("key", ""), []

    def _characters(self, text: str) -> None:
        if self.data_key is not None and self.stack and self.stack[-1] in ("data", "default"):
            self.text.append(text)

    def _end(self, name: str) -> None:
        local = self.stack.pop()
        if local == "default" and self.data_key:
            self.defaults[self.data_key.removeprefix("default:")] = "".join(self.text)
            self.data_key = None
        elif local == "key":
            self.default_key = None
        elif local == "data" and self.data_key is not None:
            self._value(self.data_key, "".join(self.text))
            self.data_key = None
        elif local == "graph":
            self.in_graph -= 1
        elif local in ("node", "edge") and self.current is not None:
            self._finish(local)

    def _value(self, key: str, text: str) -> None:
        if key in self.graphics:
            return
        # A key never declared is kept under its id, so the loader names it in the reject file.
        _scope, name = self.keys.get(key, ("all", key))
        if self.current is None:
            if name == MASKED and text.strip().lower() in ("true", "1"):
                self.found.masked = True
            return
        self.values[name] = text

    def _finish(self, local: str) -> None:
        kind = "node" if local == "node" else "edge"
        for key, default in self.defaults.items():
            scope, name = self.keys.get(key, ("", ""))
            if scope in (kind, "all") and name and name not in self.values:
                self.values[name] = default
        row, values = self.current, self.values
        if isinstance(row, NodeRow):
            row.labels = [label for label in values.pop(LABELS, "").split(":") if label]
            values.pop(LABEL, None)  # the caption, written for the drawing
            row.properties = values
            self.found.nodes.append(row)
        elif isinstance(row, LinkRow):
            row.type = (values.pop(LABEL, "") or values.pop(TYPE, "")).strip()
            values.pop(TYPE, None)
            row.properties = values
            self.found.links.append(row)
        self.current, self.values = None, {}

    def _fault(self, line: int, message: str) -> None:
        self.found.faults.append(Reject(line, "", "", Reason.ROW_MALFORMED, message, ""))
