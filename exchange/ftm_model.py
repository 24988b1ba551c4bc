"""Which FollowTheMoney schema each goldenbell label and relationship type becomes, and which
FtM property each property fills: data, read by exchange/ftm.py both ways.

FtM (followthemoney/schema/*.yaml) has Person, Vehicle, Address, Organization, Event, Note,
UserAccount and the interval schemata (Ownership, UnknownLink, …), and no telephone entity:
a Phone node becomes a `UserAccount` whose `number` (FtM type phone) and `username` are the
number, with `service` "mobile", and the person's numbers are also written on the person
(`phone`), where Aleph shows them. Places without an address of their own (checkpoints, gates,
compounds) become `Address` entities with their coordinates; events (cases, purchases,
registrations, passages, alerts) `Event`; anything else a `Note` holding its caption. Every
relationship is an `UnknownLink` with its type as `role`, except OWNS, an `Ownership`
(owner → asset). goldenbell has no family or association types; one added to the schema
would map to FtM's `Family` or `Associate` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NodeMap:
    schema: str  # the FtM schema
    properties: Mapping[str, str]  # goldenbell property -> FtM property
    caption: str | None = "name"  # the FtM property the node's caption fills first
    constants: Mapping[str, str] = field(default_factory=dict)
    location: str | None = None  # a point property written as latitude/longitude

    def convert(self, name: str, value: Any) -> str:
        if name == "gender":
            return GENDERS.get(str(value), str(value))
        return ftm_date(value) if isinstance(value, str) and _looks_temporal(value) else str(value)


GENDERS = {"男": "male", "女": "female"}
_PLACE = {"name": "full"}

FTM_NODES: dict[str, NodeMap] = {
    "Person": NodeMap(
        "Person",
        {
            "name": "name",
            "id_number": "idNumber",
            "birth_date": "birthDate",
            "gender": "gender",
            "hukou_address": "address",
        },
        constants={"nationality": "cn"},
    ),
    "PersonRecord": NodeMap("Person", {"name": "name", "birth_date": "birthDate", "phone": "phone"}),
    "Vehicle": NodeMap(
        "Vehicle",
        {"plate": "registrationNumber", "vehicle_type": "type", "brand": "model", "registered_on": "registrationDate"},
        constants={"country": "cn"},
    ),
    "Address": NodeMap(
        "Address", {"address_id": "full", "district": "region", "town": "city"}, caption="full", location="location"
    ),
    "Phone": NodeMap("UserAccount", {"number": "number"}, caption="username", constants={"service": "mobile"}),
    "Shop": NodeMap("Organization", {"name": "name", "licence_no": "registrationNumber", "categories": "sector"}),
    "Checkpoint": NodeMap(
        "Address", _PLACE | {"road": "street", "district": "region"}, caption="full", location="location"
    ),
    "Gate": NodeMap("Address", _PLACE, caption="full", location="location"),
    "Compound": NodeMap("Address", _PLACE | {"district": "region"}, caption="full", location="location"),
    "Case": NodeMap("Event", {"title": "name", "kind": "summary", "reported_at": "date", "text": "description"}),
    "Purchase": NodeMap("Event", {"item": "name", "category": "summary", "time": "date"}),
    "Registration": NodeMap("Event", {"channel": "summary", "registered_on": "startDate", "valid_until": "endDate"}),
    "Passage": NodeMap("Event", {"time": "date", "direction": "summary"}),
    "Alert": NodeMap("Event", {"summary": "summary", "first_fired": "startDate", "last_fired": "endDate"}),
}
NOTE = NodeMap("Note", {}, caption="description")

# type -> (FtM schema, property naming the start, property naming the end, goldenbell -> FtM properties)
FTM_LINKS: dict[str, tuple[str, str, str, Mapping[str, str]]] = {
    "OWNS": ("Ownership", "owner", "asset", {"since": "startDate"}),
}
UNKNOWN_LINK = ("UnknownLink", "subject", "object", {})

# A file from elsewhere: the FtM schema -> the goldenbell label it is read as.
FOREIGN_LABELS = {
    "Person": "Person",
    "Vehicle": "Vehicle",
    "Address": "Address",
    "UserAccount": "Phone",
    "Organization": "Shop",
    "Company": "Shop",
}


def foreign_node(schema: str, properties: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(label, goldenbell properties) of an FtM entity without a goldenbell object; None when
    its schema has no goldenbell label."""
    label = FOREIGN_LABELS.get(schema)
    if label is None:
        return None
    mapping = FTM_NODES[label]
    out: dict[str, Any] = {}
    for name, ftm_name in mapping.properties.items():
        values = properties.get(ftm_name)
        if isinstance(values, list) and values:
            value = values if name == "categories" else values[0]
            out[name] = {v: k for k, v in GENDERS.items()}.get(value, value) if name == "gender" else value
    if label == "Phone" and "number" not in out and properties.get("username"):
        out["number"] = properties["username"][0]
    return label, out


def foreign_link(schema: str, properties: Mapping[str, Any]) -> tuple[str, str, str, dict[str, Any]] | None:
    """(type, start id, end id, properties) of an FtM interval that names a goldenbell type."""
    for rel_type, (ftm_schema, source, target, mapped) in FTM_LINKS.items():
        if schema != ftm_schema:
            continue
        start, end = properties.get(source) or [""], properties.get(target) or [""]
        out = {name: properties[f][0] for name, f in mapped.items() if properties.get(f)}
        return rel_type, str(start[0]), str(end[0]), out
    if schema == "UnknownLink":
        role = (properties.get("role") or [""])[0]
        start, end = properties.get("subject") or [""], properties.get("object") or [""]
        return str(role), str(start[0]), str(end[0]), {}
    return None


def ftm_date(value: Any) -> str:
    """FtM dates are ISO prefixes without an offset: a datetime keeps its local time to the second."""
    text = str(value)
    return text[:19] if len(text) > 19 and text[10] == "T" else text


def _looks_temporal(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()
