"""What a Cypher text names, read without a server: parameters, labels, relationship
types (and any chosen at run time), procedures and statement separators.

String literals and comments are blanked first (keeping every offset), so a `$word`
or `:Word` inside a quoted value or a comment is not mistaken for Cypher. This is a
reviewer's aid and a first gate; the server's own plan (readonly.py) is the judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

_PARAMETER = re.compile(r"\$(`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)")
_IDENTIFIER = re.compile(r"`((?:[^`]|``)+)`|([A-Za-z_][A-Za-z0-9_]*)")
_PROCEDURE = re.compile(r"\bCALL\s+([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)+)", re.I)
_LEADING_KEYWORD = re.compile(r"^\s*(EXPLAIN|PROFILE|CYPHER)\b", re.I)
_USE_CLAUSE = re.compile(r"(?:^|[\s)}])USE\s+[A-Za-z_`]", re.I)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.I)
# `CALL { … } IN [n] [CONCURRENT] TRANSACTIONS` commits batch by batch, outside the caller's transaction.
_IN_TRANSACTIONS = re.compile(r"\}\s*IN\s+(?:[\w$]+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.I)
# Clauses that only writes use; the server's plan is still the judge of the rest.
_WRITE_CLAUSE = re.compile(r"(?<![.$\w])(CREATE|MERGE|SET|DELETE|REMOVE|FOREACH|DETACH)\b(?!\s*:)", re.I)
# Neo4j 5's dynamic labels and types, `$(expr)`, `$any(expr)` and `$all(expr)`: in a pattern,
# a predicate, SET or REMOVE they take the label or type from a value. A parameter is `$name`
# and is never followed by a parenthesis, so a `$` before one can only be this.
_DYNAMIC_NAME = re.compile(r"\$\s*(?:any|all)?\s*\(", re.I)


def blank_literals(cypher: str, *, identifiers: bool = False) -> str:
    """The text with string contents and comments replaced by spaces (same length);
    with `identifiers`, the contents of `quoted identifiers` too."""
    out = list(cypher)
    i, n = 0, len(cypher)
    while i < n:
        c = cypher[i]
        if c in "'\"":
            j = i + 1
            while j < n and cypher[j] != c:
                j += 2 if cypher[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                out[k] = " " if cypher[k] != "\n" else "\n"
            i = j + 1
        elif c == "`":
            # Quoted identifiers usually stay: they may be labels to check.
            j = cypher.find("`", i + 1)
            j = n if j < 0 else j
            if identifiers:
                for k in range(i + 1, j):
                    out[k] = " "
            i = j + 1
        elif cypher.startswith("//", i):
            j = cypher.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif cypher.startswith("/*", i):
            j = cypher.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                out[k] = " " if cypher[k] != "\n" else "\n"
            i = j
        else:
            i += 1
    return "".join(out)


def parameters_used(cypher: str) -> set[str]:
    return {m.group(1).strip("`") for m in _PARAMETER.finditer(blank_literals(cypher))}


@dataclass(frozen=True)
class Names:
    labels: frozenset[str]
    types: frozenset[str]


def labels_and_types(cypher: str) -> Names:
    """Labels after `(x:` or `n:` and relationship types after `-[r:`, not map keys."""
    text = blank_literals(cypher)
    labels: set[str] = set()
    types: set[str] = set()
    stack: list[str] = []  # '(' node or group, '[' list, 'R' relationship pattern, '{' map
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "`":
            j = text.find("`", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c in "([{":
            relationship = c == "[" and text[:i].rstrip().endswith("-")
            stack.append("R" if relationship else c)
        elif c in ")]}":
            if stack:
                stack.pop()
        elif c == ":":
            if text.startswith("::", i):  # a type predicate, `x IS :: INTEGER`
                i += 2
                continue
            if not stack or stack[-1] != "{":
                names, i = _label_expression(text, i + 1)
                (types if stack and stack[-1] == "R" else labels).update(names)
                continue
        i += 1
    return Names(frozenset(labels), frozenset(types))


def _label_expression(text: str, i: int) -> tuple[list[str], int]:
    """Read `A|B&!C` (spaces allowed around the operators) from offset i."""
    names: list[str] = []
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n":
            i += 1
        match = _IDENTIFIER.match(text, i)
        if not match:
            break
        names.append(match.group(1).replace("``", "`") if match.group(1) else match.group(2))
        i = match.end()
        j = i
        while j < n and text[j] in " \t\r\n":
            j += 1
        if j < n and text[j] in "|&":
            i = j + 1
            while i < n and text[i] in " \t\r\n!:":
                i += 1
            continue
        break
    return names, i


# A subscript `x[…]` follows a name, a call or another subscript; a list literal follows a
# keyword (`IN [1, 2]`, `RETURN [a, b]`) or punctuation.
_SUBSCRIPT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|[)\]`])\s*\[")
_NOT_A_BASE = frozenset(
    [
        "IN",
        "RETURN",
        "WITH",
        "THEN",
        "ELSE",
        "WHEN",
        "AND",
        "OR",
        "XOR",
        "NOT",
        "UNWIND",
        "WHERE",
        "SET",
        "BY",
        "DISTINCT",
        "CONTAINS",
        "AS",
        "CASE",
        "YIELD",
    ]
)


def dynamic_properties(cypher: str) -> list[str]:
    """Subscripts that name a property by a parameter or a string (`n[$key]`, `n['id_number']`), as
    written: a pack reads properties as `n.name`, so what it returns can be reviewed. A subscript
    by a variable (`n[k]`) reads like a list's `seen[i]` and is left to the reviewer."""
    text = blank_literals(cypher, identifiers=True)
    found = []
    for match in _SUBSCRIPT.finditer(text):
        if match.group(1).upper() in _NOT_A_BASE:
            continue
        depth, end = 0, len(text)
        for j in range(match.end() - 1, len(text)):
            depth += {"[": 1, "]": -1}.get(text[j], 0)
            if depth == 0:
                end = j
                break
        inside = text[match.end() : end]
        if "$" in inside or "'" in inside or '"' in inside:
            found.append(" ".join(cypher[match.start() : end + 1].split()))
    return found


def dynamic_names(cypher: str) -> list[str]:
    """The dynamic label and type expressions in the text (`$($label)`, `$any($types)`, …), as written."""
    text = blank_literals(cypher, identifiers=True)
    found = []
    for match in _DYNAMIC_NAME.finditer(text):
        depth, end = 0, len(text)
        for j in range(match.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            if depth == 0:
                end = j + 1
                break
        found.append(" ".join(cypher[match.start() : end].split()))
    return found


def procedures_called(cypher: str) -> set[str]:
    return {re.sub(r"\s+", "", m.group(1)) for m in _PROCEDURE.finditer(blank_literals(cypher))}


class Fault(NamedTuple):
    """Why a query is not a pure read: a code the workbench words in the user's language, the
    clause, operator or procedure it names, and the same in English for the command line."""

    code: str
    detail: str
    text: str


def text_faults(cypher: str) -> list[Fault]:
    """Faults visible in the text alone: what no saved or console query may contain."""
    text = blank_literals(cypher, identifiers=True)
    faults = []
    body = text.strip().rstrip(";")
    if ";" in body:
        faults.append(Fault("statements", "", "holds more than one statement (a ';' before the end)"))
    if not body:
        faults.append(Fault("empty", "", "is empty"))
    if _LEADING_KEYWORD.match(text):
        leading = "starts with EXPLAIN, PROFILE or CYPHER; goldenbell adds its own plan check"
        faults.append(Fault("leading", "", leading))
    if _USE_CLAUSE.search(text):
        faults.append(Fault("use", "", "has a USE clause; queries run on the configured database only"))
    if _LOAD_CSV.search(text):
        faults.append(Fault("load_csv", "", "uses LOAD CSV, which reads files from the server"))
    if _IN_TRANSACTIONS.search(text):
        faults.append(Fault("in_transactions", "", "uses CALL … IN TRANSACTIONS, which commits in batches of its own"))
    writes = ", ".join(sorted({m.group(1).upper() for m in _WRITE_CLAUSE.finditer(text)}))
    if writes:
        faults.append(Fault("writes", writes, f"writes ({writes})"))
    return faults
