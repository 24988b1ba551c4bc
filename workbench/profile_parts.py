"""The parts of a profile that lead: its flags, who the entity is, and what each link means.

Every value shown passes through `Display` (masked by role, on every path), and every
line built from data is escaped before Streamlit reads it as Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st

from queries.profile_facts import Flags
from workbench import charts
from workbench.context import t
from workbench.display import Display, md_escape
from workbench.messages import MESSAGES

# Who someone is, in the order an investigator reads it; other properties follow in schema order.
IDENTITY_ORDER = {"Person": ("name", "gender", "birth_date", "id_number", "hukou_address")}
# Provenance shown among who the entity is (as local dates), not folded away with the rest.
SEEN = ("first_seen", "last_seen")
# What a linked entity shows beside its caption; a label not named here shows its own properties.
LINKED_FIELDS: dict[str, tuple[str, ...]] = {
    "Registration": ("registered_on", "valid_until", "channel", "status", "reason"),
    "Purchase": ("quantity", "unit", "category", "time"),
    "WatchList": ("kind",),
    "Alert": ("status", "last_fired", "fire_count"),
    "Vehicle": ("plate_type", "vehicle_type", "usage", "brand", "colour"),
    "Phone": (),
    "DrivingLicence": ("status_since", "licence_class", "valid_until"),
    "Person": ("gender", "birth_date", "id_number"),
    "PersonRecord": ("birth_date", "phone"),
    "Address": ("district",),
    "Shop": ("licence_no",),
    "Passage": ("plate", "direction"),
    "Case": ("kind", "reported_at"),
}
# One hop further (queries.profile_facts.link_context), in this order.
CONTEXT = ("address", "landlord", "tenant", "shop", "buyer", "owner", "owner_licence")
LICENCE_WORDS = {
    "吊销": "licence.revoked",
    "暂扣": "licence.suspended",
    "正常": "licence.valid",
    "注销": "licence.cancelled",
}
_LEFT_OUT = frozenset({"point"})  # coordinates say nothing in a line of text
_MAX_OWN = 6  # properties of a label without a list of its own


def plain_value(value: Any, kind: str | None = None) -> Any:
    """A property value as a reader wants it: times as local wall-clock text, whole numbers whole."""
    if value is None or value == "":
        return None
    if kind == "datetime":
        return charts.local_time(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _word(prefix: str, value: Any) -> Any:
    """A stored code (an alert's status) in the page's language; an unknown code as stored."""
    return t(prefix + str(value)) if f"{prefix}{value}" in MESSAGES else value


def _licence(status: Any) -> Any:
    return t(LICENCE_WORDS[status]) if status in LICENCE_WORDS else status


def _pair(display: Display, name: str, value: Any) -> str:
    """`name：value`, punctuated as the page's language writes it (a list's values joined, once masked)."""
    if isinstance(value, list | tuple):
        value = "、".join(str(v) for v in value)
    return f"{name}: {value}" if display.lang == "en" else f"{name}：{value}"


def _or_unknown(value: Any) -> str:
    return t("profile.unknown") if value in (None, "") else str(value)


# --- flags -------------------------------------------------------------------------


def flags(display: Display, found: Flags, *, person: bool, rule_title: Callable[[str], str]) -> None:
    """Wanted, watch lists, stopped licences and open alerts, before anything else on the page."""

    def say(box: Callable[[str], Any], key: str, /, **values: Any) -> None:
        shown = {name: display.text(_or_unknown(value)) for name, value in values.items()}
        box(md_escape(t(key, **shown)))

    for entry in found.wanted:
        say(st.error, "profile.flag_wanted", list=entry.get("list"), listed_on=entry.get("listed_on"))
    for entry in found.active_listings:
        say(st.error, "profile.flag_listing", **_listing(entry))
    for entry in found.listings:
        if entry.get("lifted_on"):
            say(st.info, "profile.flag_lifted", **_listing(entry), lifted_on=entry["lifted_on"])
    for licence in found.licences:
        say(
            st.warning,
            "profile.flag_licence",
            status=_licence(licence.get("status")),
            since=licence.get("since"),
            file_no=licence.get("file_no"),
        )
    if found.alerts:
        titles = "；".join(rule_title(alert["rule"]) for alert in found.alerts)
        say(st.warning, "profile.flag_alerts", n=len(found.alerts), titles=titles)
    if person and not found:
        st.caption(t("profile.no_flags"))


def _listing(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {name: entry.get(name) for name in ("list", "kind", "listed_on", "reason", "unit")}


# --- who the entity is -----------------------------------------------------------


def identity_names(display: Display, node: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(who and what, in reading order; where the record came from), as property names."""
    spec = display.schema.nodes.get(node["label"])
    present = list(node["properties"])
    provenance = set(display.schema.provenance)
    first = list(IDENTITY_ORDER.get(node["label"], ()))
    if spec is not None and not first:
        first = [spec.caption, spec.key]
    own = [name for name in spec.properties if name not in first] if spec is not None else []
    order = [*first, *own]
    ordered = [name for name in order if name in present]
    ordered += [name for name in present if name not in ordered and name not in provenance]
    ordered += [name for name in SEEN if name in present]
    origin = [name for name in present if name in provenance and name not in SEEN]
    return ordered, origin


def identity_values(display: Display, node: Mapping[str, Any]) -> dict[str, Any]:
    """The entity's properties, times local, as this role may see them."""
    spec = display.schema.nodes.get(node["label"])
    kinds = {**{n: p.type for n, p in display.schema.provenance.items()}}
    if spec is not None:
        kinds.update({n: p.type for n, p in spec.properties.items()})
    readable = {name: plain_value(value, kinds.get(name)) for name, value in node["properties"].items()}
    return display.properties([node["label"]], readable, node.get("ref"))


# --- what each link means ----------------------------------------------------------


def link_line(
    display: Display,
    other: Mapping[str, Any],
    links: Iterable[Mapping[str, Any]],
    context: Mapping[str, Any],
    rule_title: Callable[[str], str],
) -> str:
    """One linked entity as a line: the link's meaning, the entity, its telling fields, the
    link's own facts (a listing's date and reason, a phone's since) and one hop further."""
    label = other["label"]
    spec = display.schema.nodes.get(label)
    links = list(links)
    meaning = "、".join(dict.fromkeys(display.type_name(rel["type"]) for rel in links))
    parts = [meaning, _title(display, other, rule_title)]
    props = other.get("properties") or {}
    kinds = {n: p.type for n, p in spec.properties.items()} if spec is not None else {}
    names = _fields(label, spec)
    shown = display.properties([label], {n: plain_value(props.get(n), kinds.get(n)) for n in names}, other.get("ref"))
    for name in names:
        value = shown.get(name) if spec is None or name != spec.caption else None  # the caption leads already
        if label == "Alert" and name == "status":
            value = _word("alert_status.", value)
        if value is not None:
            parts.append(_pair(display, display.property_name(label, name), value))
    for rel in links:
        parts += _rel_facts(display, rel)
    for name in CONTEXT:
        if context.get(name) not in (None, ""):
            value = _licence(context[name]) if name == "owner_licence" else context[name]
            parts.append(_pair(display, t("link." + name), display.text(value)))
    return "  ·  ".join(str(part) for part in parts if part not in (None, ""))


def _fields(label: str, spec: Any) -> tuple[str, ...]:
    """The properties a linked entity of `label` shows beside its caption."""
    if label in LINKED_FIELDS or spec is None:
        return LINKED_FIELDS.get(label, ())
    own = [n for n, p in spec.properties.items() if p.type not in _LEFT_OUT and n not in (spec.key, spec.caption)]
    return tuple(own[:_MAX_OWN])


def _title(display: Display, other: Mapping[str, Any], rule_title: Callable[[str], str]) -> str:
    if other["label"] == "Alert":
        return rule_title(str((other.get("properties") or {}).get("rule") or other.get("caption")))
    if other["label"] == "DrivingLicence":
        return display.text(str(_licence(other.get("caption"))))
    spec = display.schema.nodes.get(other["label"])
    if spec is not None and spec.properties[spec.caption].type == "datetime" and other.get("caption"):
        return display.text(charts.local_time(other["caption"]))
    return display.caption(other)


def _rel_facts(display: Display, rel: Mapping[str, Any]) -> list[str]:
    """A relationship's own properties (not its key, not where it came from) as `name：value`."""
    spec = display.schema.relationships.get(rel["type"])
    if spec is None:
        return []
    props = rel.get("properties") or {}
    out = []
    for name, prop in spec.properties.items():
        value = plain_value(props.get(name), prop.type)
        if value is None or name == spec.key:
            continue
        if rel["type"] == "INVOLVES" and name == "role":
            value = _word("alert_role.", str(value).replace(" ", "_"))
        out.append(_pair(display, prop.names.get(display.lang), display.value(value)))
    return out
