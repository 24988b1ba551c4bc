"""Which columns of a pack query hold sensitive values, as the pack declares them, and the check
that a column reading a masked property does not go undeclared.

A query declares `sensitive: {column: kind}`: `citizen_id`, `phone` or `derived_from_id` when
the whole value is one (masked as the schema masks that property), `text` when the column
quotes one inside other text (a summary, a caption that is a number for some labels and a
name for others: masked by pattern). `access.Visibility` applies the declaration for roles
that may not see sensitive values, in rows, downloads and reports.

The check reads the text: an item of a top-level RETURN that reads a property the schema
masks (`p.id_number`, `ph.number`, `p.birth_date`), directly or through a name a WITH gave
it, must be declared. Counting (`count(…)`, `size(…)`) reveals nothing and needs no
declaration. It is a reviewer's aid, not a proof: the test over the built-in packs runs
each query on the sample as an analyst and looks for every ID number and phone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graph.model import MASKS, Schema
from queries.cypher_text import blank_literals

TEXT = "text"
KINDS = frozenset(MASKS) | {TEXT}

_CLAUSE = re.compile(r"\b(RETURN|WITH|ORDER\s+BY|SKIP|LIMIT|WHERE|UNION|MATCH|OPTIONAL|UNWIND|CALL|FOREACH)\b", re.I)
_ALIAS = re.compile(r"\s+AS\s+(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)\s*$", re.I)
_STARTS_ENDS_WITH = re.compile(r"\b(?:STARTS|ENDS)\s+WITH\b", re.I)  # an operator, not a clause
_COUNTING = re.compile(r"^\s*(count|size|exists|isEmpty)\s*\(", re.I)
_NAME = re.compile(r"(?<![.\w$`])([A-Za-z_][A-Za-z0-9_]*)\b")


def declared(value: Any) -> dict[str, str]:
    """The `sensitive:` mapping of a pack query, checked; ValueError says what is wrong."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError("'sensitive' is a mapping of column → kind, e.g. {phone: phone, summary: text}")
    out: dict[str, str] = {}
    for column, kind in value.items():
        if not isinstance(column, str) or not column:
            raise ValueError(f"'sensitive' names columns, got {column!r}")
        if kind not in KINDS:
            raise ValueError(
                f"sensitive column {column!r}: unknown kind {kind!r}; kinds are {', '.join(sorted(KINDS))}"
            )
        out[column] = kind
    return out


def undeclared(cypher: str, sensitive: Mapping[str, str], schema: Schema) -> list[str]:
    """A fault for each returned column that reads a masked property without being declared."""
    masked = schema.masked_properties()
    reads = re.compile(r"\.\s*`?(" + "|".join(map(re.escape, sorted(masked))) + r")`?\b")
    text = _STARTS_ENDS_WITH.sub(lambda m: " " * len(m.group()), blank_literals(cypher))
    tainted: dict[str, str] = {}  # names a WITH gave to a masked value → the property read
    faults: list[str] = []
    for keyword, items, depth in _projections(text):
        final = keyword == "RETURN" and depth == 0
        if final and any(expression.strip() == "*" for expression, _ in items):
            items = items + [(name, name) for name in tainted]  # RETURN * returns every name in scope
        for expression, alias in items:
            found = reads.search(expression)
            prop = found.group(1) if found else _tainted_name(expression, tainted)
            if prop is None or _COUNTING.match(expression):
                tainted.pop(alias, None)
            elif not final:
                tainted[alias] = prop
            elif alias not in sensitive:
                faults.append(
                    f"column {alias!r} returns .{prop} (masked as {masked[prop]}) but the query does not "
                    f"declare it: add sensitive: {{{alias}: {masked[prop]}}}, or {{{alias}: text}} when "
                    "the column quotes it inside other text"
                )
    return faults


def _tainted_name(expression: str, tainted: Mapping[str, str]) -> str | None:
    for match in _NAME.finditer(expression):
        if match.group(1) in tainted:
            return tainted[match.group(1)]
    return None


def _projections(text: str) -> list[tuple[str, list[tuple[str, str]], int]]:
    """Each RETURN, WITH or UNWIND clause: its keyword, its items as (expression, column name),
    and its depth in braces (0: the query's own; deeper: a subquery, whose columns flow outwards)."""
    out = []
    depths = _depths(text)
    clauses = [m for m in _CLAUSE.finditer(text) if _at_top(text, m.start(), depths)]
    for i, match in enumerate(clauses):
        keyword = match.group(1).upper()
        if keyword not in ("RETURN", "WITH", "UNWIND"):
            continue
        end = len(text)
        for later in clauses[i + 1 :]:
            if depths[later.start()] <= depths[match.start()]:
                end = later.start()
                break
        body = text[match.end() : end]
        body = _until_close(body)  # the closing brace of a subquery ends its last clause
        body = re.sub(r"^\s*DISTINCT\b", "", body, flags=re.I)
        out.append((keyword, [_item(part) for part in _split(body) if part.strip()], depths[match.start()]))
    return out


def _depths(text: str) -> list[int]:
    """The brace depth ({ } of subqueries and maps) at each offset."""
    depth, out = 0, []
    for char in text:
        if char == "}":
            depth = max(depth - 1, 0)
        out.append(depth)
        if char == "{":
            depth += 1
    return out


def _at_top(text: str, offset: int, depths: list[int]) -> bool:
    """A clause keyword, not a word inside brackets or parentheses (a list comprehension's WHERE)."""
    level = 0
    for char in reversed(text[:offset]):
        if char in ")]":
            level += 1
        elif char in "([":
            if level == 0:
                return False
            level -= 1
        elif char == "{" and level == 0:
            return True
    return True


def _until_close(body: str) -> str:
    level = 0
    for i, char in enumerate(body):
        if char in "([{":
            level += 1
        elif char in ")]}":
            if level == 0:
                return body[:i]
            level -= 1
    return body


def _split(body: str) -> list[str]:
    parts, level, start = [], 0, 0
    for i, char in enumerate(body):
        if char in "([{":
            level += 1
        elif char in ")]}":
            level -= 1
        elif char == "," and level == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _item(part: str) -> tuple[str, str]:
    match = _ALIAS.search(part)
    if match:
        return part[: match.start()], match.group(1).strip("`")
    expression = " ".join(part.split())
    return part, expression
