"""Constraints and indexes derived from the schema, applied idempotently.

Labels, relationship types and property names come only from the schema files,
whose loader accepts nothing but plain identifiers; they are still quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.model import Schema

if TYPE_CHECKING:  # `quote` serves the pack loader, which needs no driver
    from graph.gateway import Gateway


@dataclass(frozen=True)
class SchemaObject:
    name: str
    entity: str  # "node" or "relationship"
    labels: tuple[str, ...]
    properties: tuple[str, ...]
    index_type: str  # RANGE, FULLTEXT, POINT, TEXT or UNIQUENESS
    analyzer: str = ""  # FULLTEXT only

    @property
    def kind(self) -> str:
        return "constraint" if self.index_type == "UNIQUENESS" else "index"

    @property
    def cypher(self) -> str:
        """The statement that creates it, built from the fields alone."""
        name = quote(self.name)
        if self.entity == "relationship":
            pattern, on = f"()-[r:{quote(self.labels[0])}]-()", _props("r", self.properties)
        else:
            pattern, on = f"(n:{'|'.join(quote(label) for label in self.labels)})", _props("n", self.properties)
        if self.index_type == "UNIQUENESS":
            return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR {pattern} REQUIRE {on} IS UNIQUE"
        if self.index_type == "FULLTEXT":
            return (
                f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR {pattern} ON EACH [{on}] "
                f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{self.analyzer}', "
                "`fulltext.eventually_consistent`: false}}"
            )
        kind = f"{self.index_type} " if self.index_type in ("POINT", "TEXT") else ""
        return f"CREATE {kind}INDEX {name} IF NOT EXISTS FOR {pattern} ON ({on})"


def quote(identifier: str) -> str:
    return "`" + identifier.replace("`", "``") + "`"


def _props(var: str, properties: tuple[str, ...]) -> str:
    return ", ".join(f"{var}.{quote(p)}" for p in properties)


def schema_objects(schema: Schema) -> list[SchemaObject]:
    objects: list[SchemaObject] = []
    for node in schema.nodes.values():
        label = node.label
        objects.append(SchemaObject(f"gb_key_{label}", "node", (label,), (node.key,), "UNIQUENESS"))
        wanted = [(p.name,) for p in node.properties.values() if p.index and p.name != node.key]
        wanted += [index for index in node.indexes if index not in wanted]
        objects += [
            SchemaObject(f"gb_idx_{label}_{'_'.join(props)}", "node", (label,), props, "RANGE") for props in wanted
        ]
        points = [p.name for p in node.properties.values() if p.type == "point"]
        objects += [SchemaObject(f"gb_point_{label}_{name}", "node", (label,), (name,), "POINT") for name in points]
        # Searched by any part (the last digits of an ID, a plate without its province): trigrams.
        parts = [p.name for p in node.properties.values() if p.fragments]
        objects += [SchemaObject(f"gb_text_{label}_{name}", "node", (label,), (name,), "TEXT") for name in parts]
    for rel in schema.relationships.values():
        if rel.key:
            objects.append(SchemaObject(f"gb_key_{rel.type}", "relationship", (rel.type,), (rel.key,), "UNIQUENESS"))
    ft = schema.fulltext
    objects.append(SchemaObject(ft.name, "node", ft.labels, ft.properties, "FULLTEXT", analyzer=ft.analyzer))
    return objects


@dataclass(frozen=True)
class AppliedObject:
    name: str
    outcome: str  # created, unchanged or differs
    detail: str = ""


_EXISTING = """
SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint
RETURN name, type, entityType, labelsOrTypes, properties, owningConstraint
"""


def existing_objects(gateway: Gateway) -> dict[str, dict]:
    """Index name → definition, with constraints listed under their own names."""
    rows = gateway.read("schema.existing", _EXISTING).data()
    out = {}
    for row in rows:
        name = row["owningConstraint"] or row["name"]
        out[name] = row
    return out


def _matches(obj: SchemaObject, row: dict) -> bool:
    wanted_type = "RANGE" if obj.index_type == "UNIQUENESS" else obj.index_type
    return (
        row["type"] == wanted_type
        and set(row["labelsOrTypes"] or ()) == set(obj.labels)
        and tuple(row["properties"] or ()) == obj.properties
        if obj.index_type != "FULLTEXT"
        else row["type"] == "FULLTEXT"
        and set(row["labelsOrTypes"] or ()) == set(obj.labels)
        and set(row["properties"] or ()) == set(obj.properties)
    )


# What lookups by value use (keys, equality, prefixes, places), against the trigram and
# full-text indexes that searching by any part uses; a store populates these far slower.
LOOKUP_TYPES = frozenset({"UNIQUENESS", "RANGE", "POINT"})


def apply_schema(
    gateway: Gateway, schema: Schema, *, await_seconds: int = 300, awaited: frozenset[str] | None = None
) -> list[AppliedObject]:
    """Create what is missing; report what exists with another definition, change nothing else.
    Waits until the created objects whose index type is in `awaited` (all by default) are online;
    `await_indexes` waits for the rest."""
    before = existing_objects(gateway)
    objects = schema_objects(schema)
    report = []
    for obj in objects:
        row = before.get(obj.name)
        if row is None:
            gateway.write(f"schema.create.{obj.name}", obj.cypher)
            report.append(AppliedObject(obj.name, "created"))
        elif _matches(obj, row):
            report.append(AppliedObject(obj.name, "unchanged"))
        else:
            report.append(
                AppliedObject(
                    obj.name,
                    "differs",
                    f"the server has {row['type']} on {row['labelsOrTypes']} {row['properties']}; "
                    f"the schema wants {obj.index_type} on {list(obj.labels)} {list(obj.properties)}. "
                    "Drop it by hand to let `goldenbell db init` recreate it.",
                )
            )
    created = {item.name for item in report if item.outcome == "created"}
    if awaited is None and created:
        await_indexes(gateway, await_seconds)
    for obj in objects:
        if awaited is not None and obj.name in created and obj.index_type in awaited:
            gateway.write(
                "schema.await_one",
                "CALL db.awaitIndex($name, $seconds)",
                {"name": obj.name, "seconds": await_seconds},
                autocommit=True,
            )
    return report


def await_indexes(gateway: Gateway, seconds: int = 300) -> None:
    """Wait until every index is online (or raise past `seconds`)."""
    gateway.write("schema.await", "CALL db.awaitIndexes($seconds)", {"seconds": seconds}, autocommit=True)
