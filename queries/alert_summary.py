"""An alert's summary in both languages: the rule returns the facts as columns, its pack
declares one sentence per language with the facts as `{fields}`.

    summary:
      zh: "{phone} 被 {persons} 人登记使用，分属 {households} 个户籍地址"
      en: "{phone} is registered to {persons} people at {households} household addresses"

A field names a column of the rule's row, or one of its parameters (`{category}`), and may
reach into a node or map column with dots (`{person.name}`); a format spec formats numbers
(`{score:.2f}`), and `:date` writes a time as its day (`{last_seen:date}`). Dates are
written as days, times as Beijing wall-clock time, lists joined the way each language
joins them. Attributes are never read (`{x.__class__}` is a key, not
an attribute), so a template can only show the row's values.

The rendered sentence may quote an ID number or a phone: it is stored as it is and masked
by pattern wherever it is shown (`Display.text`), like every summary.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from graph.schema_types import Names

LANGS = ("zh", "en")
# Beijing has kept UTC+8 all year since 1991; a fixed offset, not ZoneInfo (see parameters.py).
_BEIJING = timezone(timedelta(hours=8))
_JOIN = {"zh": "、", "en": ", "}


class TemplateError(ValueError):
    """A summary template names a field the rule does not return, or cannot format a value."""


def fields(template: str) -> list[str]:
    """The top-level names a template uses (`person` for `{person.name}`); ValueError when malformed."""
    out = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field or conversion:
            raise ValueError(f"summary template {template!r}: write each field as {{name}}, not {{{field}!…}}")
        head, *path = field.split(".")
        if not head.isidentifier() or not all(part.isidentifier() for part in path) or "[" in field:
            raise ValueError(f"summary template {template!r}: {{{field}}} is not a column name (dots reach in)")
        if "{" in (spec or ""):
            raise ValueError(f"summary template {template!r}: {{{field}:{spec}}} nests a field in its format")
        out.append(head)
    return out


def templates_of(value: Any) -> Names | None:
    """A pack's `summary:` entry, checked: None when absent; ValueError when malformed."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or set(value) != set(LANGS) or not all(value.values()):
        raise ValueError(f"'summary' needs exactly zh and en sentence templates, got {value!r}")
    for text in value.values():
        fields(str(text))
    return Names(zh=str(value["zh"]).strip(), en=str(value["en"]).strip())


def unknown_field(template: str, known: set[str]) -> str | None:
    """The first field of a template that is not among `known` names."""
    return next((name for name in fields(template) if name not in known), None)


def render(template: str, lang: str, row: Mapping[str, Any], params: Mapping[str, Any]) -> str:
    """The sentence for one row; TemplateError says which field could not be filled."""
    return _Formatter(lang, row, params).format(template)


class _Formatter(string.Formatter):
    def __init__(self, lang: str, row: Mapping[str, Any], params: Mapping[str, Any]):
        self.lang, self.row, self.params = lang, row, params

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        head, *path = field_name.split(".")
        if head in self.row:
            value = self.row[head]
        elif head in self.params:
            value = self.params[head]
        else:
            raise TemplateError(f"summary field {{{field_name}}}: the rule returns no column {head!r}")
        for part in path:
            value = _item(value, part)
        return value, head

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "date":  # the day of a time, in Beijing
            return str(_plain(value, self.lang))[:10]
        plain = _plain(value, self.lang)
        try:
            return format(plain, format_spec)
        except (TypeError, ValueError) as exc:
            raise TemplateError(f"summary format {format_spec!r} does not suit {plain!r}: {exc}") from None


def _item(value: Any, key: str) -> Any:
    # The driver's types are imported here, when a rule's rows are worded: loading packs needs no driver.
    from neo4j.graph import Node, Relationship

    if isinstance(value, Node | Relationship):
        return value.get(key)
    if isinstance(value, Mapping):
        return value.get(key)
    return None  # a dot into a missing node (an OPTIONAL MATCH) reads as empty


def _plain(value: Any, lang: str) -> Any:
    from neo4j.time import Date, DateTime

    if value is None:
        return ""
    if isinstance(value, DateTime | datetime):
        moment = value.to_native() if isinstance(value, DateTime) else value
        if moment.tzinfo is not None:
            moment = moment.astimezone(_BEIJING)
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Date | date):
        return value.iso_format() if isinstance(value, Date) else value.isoformat()
    if isinstance(value, list | tuple):
        return _JOIN[lang].join(str(_plain(v, lang)) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
