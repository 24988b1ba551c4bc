"""Starting a query from an entity named Label:key, in the same round trip.

Pack Cypher starts from an entity with one reviewed idiom, a line of its own:

    MATCH (s) WHERE elementId(s) = $start

Taken literally it needs the node's element id, so the runner would first look the
entity up (a second round trip, a few milliseconds). When `$start` is an entity
parameter used nowhere else, the loader compiles that line instead into one
unique-index seek per label the parameter allows, each guarded by the label given:

    CALL () {
      MATCH (s:`Person` {`id_number`: $start.key}) WHERE $start.label = 'Person' RETURN s
      UNION ALL
      MATCH (s:`Vehicle` {`plate`: $start.key}) WHERE $start.label = 'Vehicle' RETURN s
    }

and the runner passes `{label, key}`. Labels and key properties come from the schema
only; the value never becomes Cypher text. Measured on the sample, the guarded seeks
cost no more than the element-id seek, and the lookup round trip is gone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph.ddl import quote
from graph.model import Schema
from queries.cypher_text import blank_literals, parameters_used
from queries.parameters import Parameter

_ANCHOR = re.compile(
    r"^(?P<indent>[ \t]*)MATCH[ \t]*\([ \t]*(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]*\)[ \t]+WHERE[ \t]+"
    r"elementId\([ \t]*(?P=var)[ \t]*\)[ \t]*=[ \t]*\$(?P<param>[A-Za-z_][A-Za-z0-9_]*)[ \t]*$",
    re.M | re.I,
)


def _uses(cypher: str, name: str) -> int:
    return len(re.findall(rf"\${re.escape(name)}\b", blank_literals(cypher)))


def _seeks(var: str, param: str, labels: tuple[str, ...], schema: Schema, indent: str) -> str:
    branches = []
    for label in labels:
        node = schema.node(label)
        branches.append(
            f"{indent}  MATCH ({var}:{quote(label)} {{{quote(node.key)}: ${param}.key}}) "
            f"WHERE ${param}.label = '{label}' RETURN {var}"
        )
    return f"{indent}CALL () {{\n" + f"\n{indent}  UNION ALL\n".join(branches) + f"\n{indent}}}"


def compile_anchors(cypher: str, parameters: Mapping[str, Parameter], schema: Schema) -> tuple[str, frozenset[str]]:
    """The Cypher to run and the entity parameters it takes as {label, key}."""
    anchored: set[str] = set()
    text = blank_literals(cypher)
    pieces: list[str] = []
    last = 0
    for match in _ANCHOR.finditer(text):
        name, var = match.group("param"), match.group("var")
        spec = parameters.get(name)
        if spec is None or spec.type != "entity" or _uses(cypher, name) != 1:
            continue
        # A label the schema's profile leaves out has no index to seek; none left: the plain line stays.
        labels = tuple(label for label in spec.labels or tuple(schema.nodes) if label in schema.nodes)
        if not labels:
            continue
        pieces.append(cypher[last : match.start()])
        pieces.append(_seeks(var, name, labels, schema, match.group("indent")))
        last = match.end()
        anchored.add(name)
    pieces.append(cypher[last:])
    compiled = "".join(pieces)
    assert parameters_used(compiled) == parameters_used(cypher)
    return compiled, frozenset(anchored)
