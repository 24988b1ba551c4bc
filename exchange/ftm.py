"""FollowTheMoney entities (JSON lines) out and in: one entity per node and one per
relationship, `{"id", "schema", "properties": {name: [values]}}`, as Aleph and the `ftm`
tools read them, plus a `goldenbell` object beside them holding the node's label, key and
properties (or the relationship's type, ends and properties) exactly as stored, so that a file
read back gives the same graph. FtM tools ignore that object.

The schemata and properties used are those of the FtM model's YAML files
(followthemoney/schema/*.yaml); the mapping is data here (exchange/ftm_model.py) rather than a
dependency on the `followthemoney` package. A file from elsewhere, without `goldenbell`
objects, is read through the same mapping backwards (Person with `idNumber`, Vehicle with
`registrationNumber`, Address with `full`, Ownership with `owner` and `asset`, …).

Entity ids are `gb-` and a digest of the node's `Label:key` (or of the relationship), stable
from one export to the next; in a masked export they are random, since a digest of an ID
number can be reversed by trying every ID number.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from exchange.ftm_model import FTM_LINKS, FTM_NODES, NOTE, UNKNOWN_LINK, foreign_link, foreign_node, ftm_date
from exchange.rows import LinkRow, NodeRow, ReadFile
from exchange.subgraph import Exported, ExportedNode
from exchange.values import as_text, node_types, relationship_types
from graph.model import Schema
from ingest.mapping import Reject
from ingest.reject_reasons import Reason

GOLDENBELL = "goldenbell"


def write(exported: Exported, schema: Schema, out: IO[bytes]) -> None:
    """The export as FtM JSON lines, written to a binary file."""
    salt = secrets.token_hex(16) if exported.masked else ""
    ids = {node.id: _id(salt, node.ref if node.ref and not exported.masked else node.id) for node in exported.nodes}
    # Aleph shows a person's phones on the person: the numbers of their HAS_PHONE links (masked as the rest).
    phones: dict[str, list[str]] = defaultdict(list)
    for rel in exported.relationships:
        if rel.type == "HAS_PHONE":
            number = exported.node(rel.end).properties.get("number")
            if number:
                phones[rel.start].append(str(number))
    for node in exported.nodes:
        entity = _node_entity(node, schema, ids[node.id], phones.get(node.id, []), exported.masked)
        out.write((json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    for rel in exported.relationships:
        start, end = ids[rel.start], ids[rel.end]
        link_id = _id(salt, f"{start}|{rel.type}|{end}|{json.dumps(rel.properties, sort_keys=True, default=str)}")
        ftm_schema, source, target, mapped = FTM_LINKS.get(rel.type, UNKNOWN_LINK)
        properties: dict[str, list[str]] = {source: [start], target: [end]}
        if ftm_schema == "UnknownLink":
            properties["role"] = [rel.type]
        for name, ftm_name in mapped.items():
            if rel.properties.get(name) is not None:
                properties[ftm_name] = [ftm_date(rel.properties[name])]
        types = relationship_types(schema, rel.type)
        block = {"type": rel.type, "start": start, "end": end, "properties": _stored(rel.properties, types)}
        entity = {"id": link_id, "schema": ftm_schema, "properties": properties, GOLDENBELL: _marked(block, exported)}
        out.write((json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))


def _node_entity(node: ExportedNode, schema: Schema, entity_id: str, phones: list[str], masked: bool) -> dict:
    mapping = FTM_NODES.get(node.label, NOTE)
    properties: dict[str, list[str]] = defaultdict(list)
    for name, ftm_name in mapping.properties.items():
        value = node.properties.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                properties[ftm_name].append(mapping.convert(name, item))
    for name, value in mapping.constants.items():
        properties[name].append(value)
    if mapping.location and isinstance(node.properties.get(mapping.location), dict):
        point = node.properties[mapping.location]
        properties["longitude"].append(repr(point["longitude"]))
        properties["latitude"].append(repr(point["latitude"]))
    caption = "" if node.caption is None else str(node.caption)
    if caption and mapping.caption and caption not in properties[mapping.caption]:
        properties[mapping.caption].insert(0, caption)
    if phones and mapping.schema == "Person":
        properties["phone"] += [p for p in phones if p not in properties["phone"]]
    spec = schema.nodes.get(node.label)
    block = {
        "label": node.label,
        "labels": list(node.labels),
        "key": spec.key if spec else None,
        "properties": _stored(node.properties, node_types(schema, node.label)),
    }
    return {
        "id": entity_id,
        "schema": mapping.schema,
        "properties": dict(properties),
        GOLDENBELL: _marked(block, masked),
    }


def _marked(block: dict, masked: Exported | bool) -> dict:
    flag = masked.masked if isinstance(masked, Exported) else masked
    return {**block, "masked": flag}


def _stored(properties: dict[str, Any], types: dict[str, str]) -> dict[str, Any]:
    """Values as JSON, as `queries.subgraph` gives them; a point as `POINT(lon lat)` text."""
    return {
        name: as_text("point", value) if isinstance(value, dict) else value
        for name, value in properties.items()
        if value is not None
    }


def _id(salt: str, text: str) -> str:
    return "gb-" + hashlib.sha256(f"{salt}{text}".encode()).hexdigest()[:32]


def read(path: Path, schema: Schema) -> ReadFile:
    """The entities of an FtM JSON-lines file as node and link rows; a line that is no entity is
    a fault of the file, rejected with its line number."""
    found = ReadFile("ftm")
    with path.open(encoding="utf-8-sig", errors="strict") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            _entity_row(found, number, line)
    return found


def _entity_row(found: ReadFile, number: int, line: str) -> None:
    def fault(message: str) -> None:
        found.faults.append(Reject(number, "", line.strip()[:200], Reason.ROW_MALFORMED, message, line.rstrip("\n")))

    try:
        entity = json.loads(line)
    except json.JSONDecodeError as exc:
        fault(f"not a JSON object: {exc.msg} at column {exc.colno}")
        return
    if not isinstance(entity, dict) or not isinstance(entity.get("id"), str) or not entity.get("schema"):
        fault("an FtM entity is a JSON object with an id, a schema and properties")
        return
    block = entity.get(GOLDENBELL)
    if isinstance(block, dict):
        if block.get("masked"):
            found.masked = True
        properties = block.get("properties") if isinstance(block.get("properties"), dict) else {}
        if block.get("type"):
            found.links.append(
                LinkRow(
                    number,
                    entity["id"],
                    str(block["type"]),
                    str(block.get("start", "")),
                    str(block.get("end", "")),
                    properties,
                )
            )
        else:
            labels = block.get("labels") or [block.get("label") or ""]
            found.nodes.append(NodeRow(number, entity["id"], [str(label) for label in labels], properties))
        return
    ftm_properties = entity.get("properties") if isinstance(entity.get("properties"), dict) else {}
    link = foreign_link(str(entity["schema"]), ftm_properties)
    if link is not None:
        rel_type, start, end, properties = link
        found.links.append(LinkRow(number, entity["id"], rel_type, start, end, properties))
        return
    node = foreign_node(str(entity["schema"]), ftm_properties)
    if node is not None:
        label, properties = node
        found.nodes.append(NodeRow(number, entity["id"], [label], properties))
        return
    found.nodes.append(NodeRow(number, entity["id"], [f"ftm:{entity['schema']}"], {}))
