"""A comparable picture of the graph: counts per label and type plus a hash of keys
(and, when asked, of every property), for tests that compare two imports."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema

SLOW = 300  # seconds: whole-graph reads on a busy two-core test machine


def _stable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return str(value)


def graph_signature(
    gateway: Gateway, schema: Schema, *, with_properties: bool = False, ignore: tuple[str, ...] = ()
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, node in schema.nodes.items():
        if label in ("ImportRun", "SourceFile"):
            continue
        rows = gateway.read(
            "test.signature.nodes",
            f"MATCH (n:{quote(label)}) RETURN n.{quote(node.key)} AS k, properties(n) AS p",
            timeout=SLOW,
        ).data()
        keys = sorted(str(r["k"]) for r in rows)
        entry: dict[str, Any] = {"count": len(rows), "keys": hashlib.sha256("\n".join(keys).encode()).hexdigest()}
        if with_properties:
            props = sorted(
                json.dumps(_stable({k: v for k, v in r["p"].items() if k not in ignore}), ensure_ascii=False)
                for r in rows
            )
            entry["properties"] = hashlib.sha256("\n".join(props).encode()).hexdigest()
        out[label] = entry
    for rel_type in schema.relationships:
        if rel_type == "READ_FILE":
            continue
        rows = gateway.read(
            "test.signature.rels",
            f"MATCH (a)-[r:{quote(rel_type)}]->(b) RETURN elementId(a) AS a, elementId(b) AS b, properties(r) AS p",
            timeout=SLOW,
        ).data()
        out[rel_type] = {"count": len(rows)}
        if with_properties:
            props = sorted(
                json.dumps(_stable({k: v for k, v in r["p"].items() if k not in ignore}), ensure_ascii=False)
                for r in rows
            )
            out[rel_type]["properties"] = hashlib.sha256("\n".join(props).encode()).hexdigest()
    return out


def node_properties(gateway: Gateway, label: str) -> list[dict[str, Any]]:
    return [
        r["p"]
        for r in gateway.read(
            "test.nodes", f"MATCH (n:{quote(label)}) RETURN properties(n) AS p ORDER BY n.prov_row"
        ).data()
    ]
