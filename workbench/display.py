"""Everything shown or exported goes through here: masking by role, escaping, names.

`Display` applies the session's `Visibility` (access) for investigators whose
role may not see citizen ID numbers and phone numbers: by the schema for known
properties (and columns named like them), by a pack query's declared `sensitive:` columns
(`declaring`), by pattern in any other text, except for the entities unmasked in the
session. Captions, tooltips, table cells, map labels, downloads and reports all take their
values from it, so the masking can be proven in one place.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from graph.model import Schema
from workbench.investigator import Investigator

# Characters Markdown (and Streamlit's own directives) give a meaning to.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")
# Where GitHub-flavoured Markdown makes a link of plain text: `scheme://`, `www.` and an address's `@`.
# Escaping does not stop it (Streamlit finds links in the text after escapes are read), so an
# invisible WORD JOINER goes inside each: the text reads as typed, but no longer forms a link.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
LINK_BREAK = "\u2060"


def md_escape(text: Any) -> str:
    """Text safe to put in a Streamlit label or Markdown: shown as typed, never as markup or a link."""
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(LINK_BREAK, str(text)))


def html_text(text: Any) -> str:
    """Text safe inside HTML we write (reports)."""
    return html.escape("" if text is None else str(text), quote=True)


class Display:
    def __init__(self, schema: Schema, investigator: Investigator):
        self.schema = schema
        self.investigator = investigator
        self.lang = investigator.lang
        self.visibility = investigator.visibility
        self.masked = not self.visibility.sees_all
        self._columns = schema.masked_properties()

    # --- values ------------------------------------------------------------------

    def text(self, value: Any) -> str:
        """Free text (a caption, a report, a reference such as Person:330…): masked by pattern."""
        text = "" if value is None else str(value)
        return self.visibility.text(text) if self.masked else text

    def declaring(self, sensitive: Mapping[str, str]) -> Display:
        """This display, with a pack query's `sensitive:` columns (column → mask kind) masked as declared."""
        if not sensitive:
            return self
        other = copy.copy(self)
        other._columns = {**self._columns, **sensitive}
        return other

    def value(self, value: Any, kind: str | None = None) -> Any:
        """Any value; `kind` is the mask kind when the schema or the query says what the value is."""
        if not self.masked or value is None:
            return value
        if kind is not None:
            return self.visibility.of_kind(kind, value)
        return self.visibility.value(value, self._columns)

    def cell(self, column: str, value: Any) -> Any:
        """A table cell: columns named like a masked property are masked as that property."""
        return self.value(value, self._columns.get(column))

    def properties(
        self, labels: Iterable[str], properties: Mapping[str, Any], ref: str | None = None
    ) -> dict[str, Any]:
        """An entity's properties; all of them in full when `ref` was unmasked in this session."""
        if not self.masked:
            return dict(properties)
        return self.visibility.properties(self.schema, list(labels), properties, ref)

    def unmasked(self, ref: str | None) -> bool:
        """Whether this entity shows in full: the role sees everything, or it was unmasked."""
        return not self.masked or (ref is not None and ref in self.visibility.unmasked)

    def caption(self, node: Mapping[str, Any]) -> str:
        """A node's caption (a subgraph node dict), masked as its caption property is."""
        spec = self.schema.nodes.get(node.get("label") or "")
        caption = node.get("caption")
        if caption in (None, ""):
            return self.text(node.get("ref") or node.get("id"))
        if self.unmasked(node.get("ref")):
            return str(caption)
        if spec is not None and spec.caption_template is not None:
            # A template may join a masked property with others: filled again from masked values.
            masked = self.properties(node.get("labels") or [spec.label], node.get("properties") or {}, node.get("ref"))
            return self.text(spec.caption_of(masked) or caption)
        kind = spec.properties[spec.caption].mask if spec is not None else None
        return str(self.value(caption, kind) if kind else self.text(caption))

    def rows(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        return [{column: self.cell(column, value) for column, value in row.items()} for row in rows]

    def frame(self, rows: Iterable[Mapping[str, Any]], columns: list[str] | None = None) -> pd.DataFrame:
        """A DataFrame for st.dataframe; nested values become text so every column has one type."""
        shown = [{k: _flat(v) for k, v in row.items()} for row in self.rows(rows)]
        frame = pd.DataFrame(shown, columns=columns) if columns else pd.DataFrame(shown)
        for name in frame.columns:
            kinds = {type(v) for v in frame[name] if v is not None and v == v}
            if len(kinds) > 1:  # a property table mixes numbers and text: show both as text
                frame[name] = [None if v is None else str(v) for v in frame[name]]
        return frame

    # --- names from the schema ----------------------------------------------------

    def label_name(self, label: str) -> str:
        node = self.schema.nodes.get(label)
        return node.names.get(self.lang) if node else label

    def type_name(self, rel_type: str) -> str:
        rel = self.schema.relationships.get(rel_type)
        return rel.names.get(self.lang) if rel else rel_type

    def property_name(self, label: str, name: str) -> str:
        node = self.schema.nodes.get(label)
        prop = (node.properties.get(name) if node else None) or self.schema.provenance.get(name)
        return prop.names.get(self.lang) if prop else name


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "、".join(str(_flat(v)) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    return value
