"""Pinyin initials of a Chinese name (张超洋 → zcy), the way investigators type a name they
heard or saw romanised. A property declared `initials_of: name` holds them, set by every
importer whenever the name is written (`with_initials`), and the search finds people by them.

Readings come from pypinyin's dictionary (shipped in its wheel). A surname is read as a
surname: 单 is Shan, 曾 Zeng, 仇 Qiu, where the dictionary's first reading is that of the
common word.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from graph.ddl import quote
from graph.gateway import Gateway
from graph.model import Schema
from graph.schema_types import NodeType

# Surnames whose first letter as a surname differs from the dictionary's first reading.
SURNAME_LETTERS = {
    "单": "s",
    "曾": "z",
    "仇": "q",
    "区": "o",
    "解": "x",
    "乐": "y",
    "查": "z",
    "翟": "z",
    "覃": "q",
    "种": "c",
    "秘": "b",
    "隗": "w",
    "句": "g",
    "缪": "m",
    "繁": "p",
    "召": "s",
    "员": "y",
    "洗": "x",
    "藏": "z",
    "朴": "p",
    "盖": "g",
}
COMPOUND_SURNAME_LETTERS = {"万俟": "mq", "单于": "cy", "尉迟": "yc", "长孙": "zs", "澹台": "tt"}


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=65_536)
def pinyin_initials(name: str) -> str | None:
    """The lower-case first letters of the name's Chinese characters in order, the surname read
    as one; None for a name with no Chinese character (a Latin name is searched as it is)."""
    hans = "".join(ch for ch in name if _han(ch))
    if not hans:
        return None
    head = COMPOUND_SURNAME_LETTERS.get(hans[:2]) or SURNAME_LETTERS.get(hans[:1])
    if head is None:
        # The surname read on its own and the given name apart: a city's registries hold far
        # fewer given names than names, so nearly every reading comes from the cache.
        head, rest = _letters(hans[:1]), hans[1:]
    else:
        rest = hans[len(head) :]
    return (head + _letters(rest)).lower() or None


@lru_cache(maxsize=1 << 18)
def _letters(hans: str) -> str:
    from pypinyin import Style, lazy_pinyin  # 0.2 s to import: only where names are written

    return "".join(p[:1] for p in lazy_pinyin(hans, style=Style.FIRST_LETTER) if p[:1].isascii())


def with_initials(node: NodeType, properties: Mapping[str, Any]) -> dict[str, Any]:
    """The properties with those the node type derives from them (`initials_of`) filled in."""
    out = dict(properties)
    for prop in node.derived:
        source = properties.get(prop.initials_of or "")
        if isinstance(source, str):
            initials = pinyin_initials(source)
            if initials is not None:
                out[prop.name] = initials
    return out


def fill_missing(gateway: Gateway, schema: Schema, batch_size: int = 10_000) -> int:
    """Fill derived properties a graph loaded before they were declared lacks (`db init` runs
    it); return how many values were written. Labels and names come from the schema."""
    written = 0
    for node in schema.nodes.values():
        for prop in node.derived:
            label, source, target = quote(node.label), quote(prop.initials_of or ""), quote(prop.name)
            found = gateway.read(
                f"schema.derive.{node.label}.{prop.name}",
                f"MATCH (n:{label}) WHERE n.{source} IS NOT NULL AND n.{target} IS NULL "
                f"RETURN elementId(n) AS id, n.{source} AS value",
            ).records
            rows = [
                {"id": row["id"], "value": initials}
                for row in found
                if isinstance(row["value"], str) and (initials := pinyin_initials(row["value"])) is not None
            ]
            for start in range(0, len(rows), batch_size):
                gateway.write(
                    f"schema.derive.{node.label}.{prop.name}",
                    f"UNWIND $rows AS row MATCH (n:{label}) WHERE elementId(n) = row.id SET n.{target} = row.value",
                    {"rows": rows[start : start + batch_size]},
                )
            written += len(rows)
    return written
