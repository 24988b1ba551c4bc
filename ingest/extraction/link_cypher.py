"""The Cypher of linking mentions: reads that resolve, writes that store.

Built from the schema: a mention is stored as MENTIONS from a Case to the target its
type resolves to, or as HAS_MENTION to a Mention node, and every label, relationship
type and key below is looked up there, so a schema without them fails when the
statements are built, not halfway through a write. Every value arrives as a parameter.
Writes MERGE on what identifies a mention (the case, the offsets, the type and the
target), so running them again changes nothing but `last_seen`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.model import NodeType, RelationshipType, Schema

LINK, UNRESOLVED = "MENTIONS", "HAS_MENTION"
# entity type -> label of the node a resolved mention points to (a name resolves to a Person)
TARGET_LABELS = {"person": "Person", "id_number": "Person", "phone": "Phone", "plate": "Vehicle", "address": "Address"}
# an address mention that is no postal address in the graph may name one of these places
PLACE_LABELS = ("Checkpoint", "Gate", "Compound")
PLACE_NAME_LENGTH = 4  # a mention this long may be a place's name cut short (07省道检查站 for 嘉兴…07省道检查站)
# entity types resolved by their canonical key alone (a name needs the candidates below)
KEYED_TYPES = ("id_number", "phone", "plate", "address")
# the person a name resolves to is backed by their ID number, or a phone or vehicle of theirs
# written in the same report: (entity type, relationship from the person to it)
BACKING = (("phone", "HAS_PHONE"), ("plate", "OWNS"))
# what a mention row carries onto the MENTIONS relationship and the Mention node
MENTION_PROPERTIES = ("start", "end", "text", "entity_type", "confidence")
TEXT_PROPERTY = "text"  # the Case's report text
PROVENANCE = ("prov_run", "prov_source", "prov_file", "prov_row", "first_seen", "last_seen")
NAME_TYPE = "name"  # the value type of the property a person mention is matched on


class LinkSchemaError(ValueError):
    """The schema lacks a label, type or property the linker writes."""


@dataclass(frozen=True)
class LinkCypher:
    """The statements, each with the labels, types and keys of one schema."""

    targets: Mapping[str, tuple[str, str]]  # entity type -> (label, key property)
    case_texts: str
    all_case_ids: str
    existing_keys: str  # one column per key-resolved entity type: the keys found
    name_candidates: str
    place_targets: Mapping[str, str]  # place label -> its key property
    place_candidates: str
    write_links: Mapping[str, str]  # label -> statement writing MENTIONS to nodes of that label
    write_unresolved: str
    delete_stale_links: str
    delete_stale_mentions: str


def link_cypher(schema: Schema) -> LinkCypher:
    link, unresolved = schema.relationship(LINK), schema.relationship(UNRESOLVED)
    case = _only_start(link, unresolved, schema)
    mention = schema.node(unresolved.end[0])
    _has(link, MENTION_PROPERTIES)
    _has(mention, MENTION_PROPERTIES)
    _has(case, (TEXT_PROPERTY,))
    missing = [name for name in PROVENANCE if name not in schema.provenance]
    if missing:
        raise LinkSchemaError(f"the schema's provenance lacks {', '.join(missing)}, which the linker writes")
    targets = {}
    for entity_type, label in TARGET_LABELS.items():
        if not link.connects(case.label, label):
            raise LinkSchemaError(f"the schema's {LINK} does not connect {case.label} to {label}")
        targets[entity_type] = (label, schema.node(label).key)
    places = {}
    for label in PLACE_LABELS:
        if not link.connects(case.label, label):
            raise LinkSchemaError(f"the schema's {LINK} does not connect {case.label} to {label}")
        places[label] = schema.node(label).key
    return LinkCypher(
        targets=targets,
        case_texts=_case_texts(case),
        all_case_ids=(
            f"MATCH (c:{case.label}) WHERE c.{TEXT_PROPERTY} IS NOT NULL\n"
            f"RETURN c.{case.key} AS case_id ORDER BY c.{case.key} SKIP $skip LIMIT $limit"
        ),
        existing_keys=_existing_keys(targets),
        name_candidates=_name_candidates(schema, targets),
        place_targets=places,
        place_candidates=_place_candidates(schema),
        write_links={
            label: _write_link(case, link, label, key)
            for label, key in dict.fromkeys([*targets.values(), *places.items()])
        },
        write_unresolved=_write_unresolved(case, unresolved, mention),
        delete_stale_links=_delete_stale_links(case, link, [*(key for _, key in targets.values()), *places.values()]),
        delete_stale_mentions=(
            f"UNWIND $cases AS k\n"
            f"MATCH (c:{case.label} {{{case.key}: k.case_id}})-[:{unresolved.type}]->(n:{mention.label})\n"
            f"WHERE NOT n.{mention.key} IN k.mentions\n"
            "DETACH DELETE n"
        ),
    )


def _only_start(link: RelationshipType, unresolved: RelationshipType, schema: Schema) -> NodeType:
    if len(link.start) != 1 or unresolved.start != link.start or len(unresolved.end) != 1:
        raise LinkSchemaError(f"{LINK} and {UNRESOLVED} must start at one label, the case, and end at one label")
    return schema.node(link.start[0])


def _has(owner: NodeType | RelationshipType, names: tuple[str, ...]) -> None:
    missing = [name for name in names if name not in owner.properties]
    if missing:
        what = owner.label if isinstance(owner, NodeType) else owner.type
        raise LinkSchemaError(f"the schema's {what} lacks {', '.join(missing)}, which the linker writes")


def _case_texts(case: NodeType) -> str:
    return (
        "UNWIND $ids AS id\n"
        f"MATCH (c:{case.label} {{{case.key}: id}})\n"
        f"RETURN c.{case.key} AS case_id, c.{TEXT_PROPERTY} AS text, c.prov_file AS file, c.prov_row AS row"
    )


def _existing_keys(targets: Mapping[str, tuple[str, str]]) -> str:
    columns = [
        f"[k IN ${entity_type} WHERE EXISTS {{ MATCH (:{label} {{{key}: k}}) }}] AS {entity_type}"
        for entity_type, (label, key) in targets.items()
        if entity_type in KEYED_TYPES
    ]
    return "RETURN " + ",\n       ".join(columns)


def _name_candidates(schema: Schema, targets: Mapping[str, tuple[str, str]]) -> str:
    """For each person mention: the persons of that name (at most $cap), and whether an ID
    number, phone or plate written in the same report is theirs."""
    label, key = targets["person"]
    person = schema.node(label)
    names = [p.name for p in person.properties.values() if p.type == NAME_TYPE]
    if len(names) != 1:
        raise LinkSchemaError(f"the schema's {label} needs exactly one property of type {NAME_TYPE}")
    backed = [f"    by_id: p.{key} IN q.id_number"]
    for entity_type, rel_type in BACKING:
        other, other_key = targets[entity_type]
        if not schema.relationship(rel_type).connects(label, other):
            raise LinkSchemaError(f"the schema's {rel_type} does not connect {label} to {other}")
        match = f"MATCH (p)-[:{rel_type}]->(o:{other}) WHERE o.{other_key} IN q.{entity_type}"
        backed.append(f"    by_{entity_type}: EXISTS {{ {match} }}")
    return "\n".join(
        [
            "UNWIND $people AS q",
            "CALL (q) {",
            f"  MATCH (p:{label} {{{names[0]}: q.name}})",
            "  WITH p LIMIT $cap",
            "  RETURN collect({",
            f"    key: p.{key},",
            ",\n".join(backed),
            "  }) AS candidates",
            "}",
            "RETURN q.i AS i, candidates",
        ]
    )


def _place_candidates(schema: Schema) -> str:
    """For each address mention no Address holds: the checkpoints, gates and compounds it
    may name. A place matches when its name ends the mention (南湖区锦绣花园 names 锦绣花园),
    when a mention of PLACE_NAME_LENGTH or more characters ends its name, or when its
    address is the mention's canonical address; `q.names` holds the mention's suffixes."""
    parts = []
    for label in PLACE_LABELS:
        node = schema.node(label)
        name = node.caption
        where = [f"e.{name} IN q.names", f"(size(q.text) >= {PLACE_NAME_LENGTH} AND e.{name} ENDS WITH q.text)"]
        addresses = [p.name for p in node.properties.values() if p.type == "address"]
        where += [f"e.{a} = q.key" for a in addresses]
        by_address = " OR ".join(f"e.{a} = q.key" for a in addresses) or "false"
        district = "e.district" if "district" in node.properties else "null"
        parts.append(
            f"  MATCH (e:{label}) WHERE {' OR '.join(where)}\n"
            f"  RETURN '{label}' AS label, e.{node.key} AS key, e.{name} AS name, {district} AS district,"
            f" coalesce({by_address}, false) AS by_address"
        )
    return "\n".join(
        [
            "UNWIND $places AS q",
            "CALL (q) {",
            "\n  UNION ALL\n".join(parts),
            "}",
            "WITH q, collect({label: label, key: key, name: name, district: district, by_address: by_address})",
            "     AS found",
            "RETURN q.i AS i, found[..$cap] AS candidates",
        ]
    )


_PROVENANCE = (
    "ON CREATE SET {v}.prov_run = $run, {v}.prov_source = $source, {v}.prov_file = coalesce(l.file, c.prov_file), "
    "{v}.prov_row = coalesce(l.row, c.prov_row), {v}.first_seen = $now"
)


def _write_link(case: NodeType, link: RelationshipType, label: str, key: str) -> str:
    return "\n".join(
        [
            "UNWIND $links AS l",
            f"MATCH (c:{case.label} {{{case.key}: l.case_id}})",
            f"MATCH (e:{label} {{{key}: l.key}})",
            f"MERGE (c)-[m:{link.type} {{start: l.start, end: l.end, entity_type: l.entity_type}}]->(e)",
            _PROVENANCE.format(v="m"),
            "SET m.text = l.text, m.confidence = l.confidence, m.last_seen = $now",
        ]
    )


def _write_unresolved(case: NodeType, unresolved: RelationshipType, mention: NodeType) -> str:
    return "\n".join(
        [
            "UNWIND $mentions AS l",
            f"MATCH (c:{case.label} {{{case.key}: l.case_id}})",
            f"MERGE (n:{mention.label} {{{mention.key}: l.mention_id}})",
            _PROVENANCE.format(v="n"),
            "SET n.text = l.text, n.entity_type = l.entity_type, n.start = l.start, n.end = l.end,",
            "    n.confidence = l.confidence, n.last_seen = $now",
            f"MERGE (c)-[r:{unresolved.type}]->(n)",
            _PROVENANCE.format(v="r"),
            "SET r.last_seen = $now",
        ]
    )


def _delete_stale_links(case: NodeType, link: RelationshipType, target_keys: list[str]) -> str:
    """What an earlier extraction of these cases stored and this one no longer finds.
    `k.links` holds "start:end:entity_type:target key" for every link kept."""
    keys = ", ".join(f"e.{key}" for key in sorted(set(target_keys)))
    return "\n".join(
        [
            "UNWIND $cases AS k",
            f"MATCH (c:{case.label} {{{case.key}: k.case_id}})-[r:{link.type}]->(e)",
            "WHERE NOT (toString(r.start) + ':' + toString(r.end) + ':' + r.entity_type + ':'",
            f"           + coalesce({keys})) IN k.links",
            "DELETE r",
        ]
    )
