"""Masking of sensitive values (citizen ID numbers, phone numbers) for roles without
the right to see them.

What is sensitive is data: properties marked `mask:` in the schema. Free text (case
reports, captions) is masked by pattern, so an ID number quoted in a report is
hidden as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph.model import Schema

# 18-digit numbers (last may be X) and old 15-digit ones, not inside longer runs.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")


def mask_citizen_id(value: str) -> str:
    """330402********1234: region kept, birth date and sequence hidden."""
    text = str(value)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    text = str(value)
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


MASKERS = {"citizen_id": mask_citizen_id, "phone": mask_phone}


def mask_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [mask_value(kind, v) for v in value]
    return MASKERS[kind](value)


def mask_text(text: str) -> str:
    """Hide ID numbers and mobile numbers written inside free text."""

    def ids(match: re.Match) -> str:
        return mask_citizen_id(match.group(0))

    def phones(match: re.Match) -> str:
        return mask_phone("".join(match.groups()))

    return _PHONE_IN_TEXT.sub(phones, _ID_IN_TEXT.sub(ids, text))


def masked_properties(schema: Schema, labels: Iterable[str]) -> dict[str, str]:
    """Property → mask kind for a node with these labels (or a relationship: no labels)."""
    out: dict[str, str] = {}
    for label in labels:
        node = schema.nodes.get(label)
        if node is None:
            continue
        for prop in node.properties.values():
            if prop.mask:
                out[prop.name] = prop.mask
    return out


def mask_properties(schema: Schema, labels: Iterable[str], properties: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `properties` with the sensitive ones masked; free-text values too."""
    kinds = masked_properties(schema, labels)
    out: dict[str, Any] = {}
    for name, value in properties.items():
        if name in kinds:
            out[name] = mask_value(kinds[name], value)
        elif isinstance(value, str):
            out[name] = mask_text(value)
        else:
            out[name] = value
    return out
