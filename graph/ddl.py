"""Constraints and indexes derived from the schema, applied idempotently.

Labels, relationship types and property names come only from the schema files,
whose loader accepts nothing but plain identifiers; they are still quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.gateway import Gateway
from graph.model import Schema


@dataclass(frozen=True)
class SchemaObject:
    name: str
    kind: str  # "constraint" or "index"
    entity: str  # "node" or "relationship"
    labels: tuple[str, ...]
    properties: tuple[str, ...]
    index_type: str  # RANGE, FULLTEXT, POINT or UNIQUENESS
    cypher: str


def quote(identifier: str) -> str:
    return "`" + identifier.replace("`", "``") + "`"


def _props(var: str, properties: tuple[str, ...]) -> str:
    return ", ".join(f"{var}.{quote(p)}" for p in properties)


def schema_objects(schema: Schema) -> list[SchemaObject]:
    objects: list[SchemaObject] = []
    for node in schema.nodes.values():
        label = quote(node.label)
        objects.append(
            SchemaObject(
                name=f"gb_key_{node.label}",
                kind="constraint",
                entity="node",
                labels=(node.label,),
                properties=(node.key,),
                index_type="UNIQUENESS",
                cypher=f"CREATE CONSTRAINT {quote('gb_key_' + node.label)} IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.{quote(node.key)} IS UNIQUE",
            )
        )
        wanted = [(p.name,) for p in node.properties.values() if p.index and p.name != node.key]
        wanted += [index for index in node.indexes if index not in wanted]
        for props in wanted:
            name = f"gb_idx_{node.label}_{'_'.join(props)}"
            objects.append(
                SchemaObject(
                    name=name,
                    kind="index",
                    entity="node",
                    labels=(node.label,),
                    properties=props,
                    index_type="RANGE",
                    cypher=f"CREATE INDEX {quote(name)} IF NOT EXISTS FOR (n:{label}) ON ({_props('n', props)})",
                )
            )
        for prop in node.properties.values():
            if prop.type == "point":
                name = f"gb_point_{node.label}_{prop.name}"
                objects.append(
                    SchemaObject(
                        name=name,
                        kind="index",
                        entity="node",
                        labels=(node.label,),
                        properties=(prop.name,),
                        index_type="POINT",
                        cypher=f"CREATE POINT INDEX {quote(name)} IF NOT EXISTS "
                        f"FOR (n:{label}) ON (n.{quote(prop.name)})",
                    )
                )
    for rel in schema.relationships.values():
        if rel.key:
            name = f"gb_key_{rel.type}"
            objects.append(
                SchemaObject(
                    name=name,
                    kind="constraint",
                    entity="relationship",
                    labels=(rel.type,),
                    properties=(rel.key,),
                    index_type="UNIQUENESS",
                    cypher=f"CREATE CONSTRAINT {quote(name)} IF NOT EXISTS "
                    f"FOR ()-[r:{quote(rel.type)}]-() REQUIRE r.{quote(rel.key)} IS UNIQUE",
                )
            )
    ft = schema.fulltext
    labels = "|".join(quote(label) for label in ft.labels)
    objects.append(
        SchemaObject(
            name=ft.name,
            kind="index",
            entity="node",
            labels=ft.labels,
            properties=ft.properties,
            index_type="FULLTEXT",
            cypher=f"CREATE FULLTEXT INDEX {quote(ft.name)} IF NOT EXISTS FOR (n:{labels}) "
            f"ON EACH [{_props('n', ft.properties)}] "
            f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ft.analyzer}', "
            "`fulltext.eventually_consistent`: false}}",
        )
    )
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


def apply_schema(gateway: Gateway, schema: Schema, *, await_seconds: int = 300) -> list[AppliedObject]:
    """Create what is missing; report what exists with another definition, change nothing else."""
    before = existing_objects(gateway)
    report = []
    for obj in schema_objects(schema):
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
    if any(item.outcome == "created" for item in report):
        gateway.write_autocommit("schema.await", "CALL db.awaitIndexes($seconds)", {"seconds": await_seconds})
    return report
