"""Query packs: reviewed YAML files of named, parameterised, read-only Cypher.

Loading a pack checks it, and a bad pack fails with a `PackError` naming the file,
the query and the fault:

- the file's shape (known keys, bilingual names, ids prefixed by the pack name);
- parameters: every declared one is used in the Cypher and every `$name` used is
  declared; types, bounds and defaults make sense;
- every label and relationship type the Cypher names exists in the schema, and none is
  chosen at run time (Neo4j 5's `:$($label)`, `:$any(…)`, `:$all(…)`);
- with a gateway, the server's plan: valid Cypher, a pure read (readonly.py), and
  for alert rules the `entities` and `summary` columns the alert store needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graph.errors import CypherSyntaxError
from graph.gateway import Gateway
from graph.model import Names, Schema
from graph.yaml_lines import FileFault, LineDict, LineList, load_yaml
from queries import sensitive as sensitive_columns
from queries.alert_summary import LANGS, templates_of, unknown_field
from queries.anchors import compile_anchors
from queries.cypher_text import dynamic_names, dynamic_properties, labels_and_types, parameters_used
from queries.page_queries import PAGE_QUERIES
from queries.parameter_specs import build_parameter
from queries.parameters import Parameter
from queries.readonly import NotReadOnly, check_read_only, text_check

BUILTIN_DIR = Path(__file__).resolve().parent / "packs"
RETURNS = ("table", "graph", "both")
ALERT_COLUMNS = ("entities", "summary")  # `summary` unless the rule declares its summary sentences
SEVERITIES = ("high", "medium", "low")
_PACK_NAME = re.compile(r"[a-z][a-z0-9_]*")
_QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PACK_KEYS = {"pack", "version", "names", "description", "queries"}
_QUERY_KEYS = {"id", "names", "description", "parameters", "cypher", "returns", "alert", "timeout_s", "sensitive"}
_ALERT_KEYS = {"severity", "summary"}


class PackError(FileFault):
    """A pack is malformed or a query in it is not acceptable."""

    def __init__(self, path: Path | str, query_id: str | None, fault: str, line: int = 0):
        super().__init__(path, line, f"query {query_id}: {fault}" if query_id else fault)
        self.query_id = query_id


@dataclass(frozen=True)
class Query:
    id: str
    pack: str
    path: Path
    line: int  # where its entry starts in the pack file
    names: Names
    description: Names
    parameters: Mapping[str, Parameter]
    cypher: str
    returns: str
    alert: bool
    timeout_s: float | None
    compiled: str = ""  # what runs: `cypher` with its entity anchors compiled (anchors.py)
    anchored: frozenset[str] = frozenset()  # entity parameters passed as {label, key}
    sensitive: Mapping[str, str] = field(default_factory=dict)  # column → mask kind (sensitive.py)
    severity: str = ""  # an alert rule's: high, medium or low
    summary: Names | None = None  # an alert rule's sentence templates (alert_summary.py)

    def fail(self, fault: str) -> PackError:
        return PackError(self.path, self.id, fault, self.line)


@dataclass(frozen=True)
class Pack:
    name: str
    version: int
    names: Names
    description: Names
    path: Path
    queries: tuple[Query, ...]


@dataclass(frozen=True)
class Catalog:
    """Every loaded pack; query ids are unique across them."""

    packs: Mapping[str, Pack]
    queries: Mapping[str, Query]

    def query(self, query_id: str) -> Query:
        try:
            return self.queries[query_id]
        except KeyError:
            near = [q for q in self.queries if query_id.split(".")[-1] in q] or sorted(self.queries)
            raise KeyError(f"no query {query_id!r}; try: {', '.join(near[:8])}") from None

    def alert_rules(self) -> list[Query]:
        return [q for q in self.queries.values() if q.alert]


def pack_files(extra_dir: Path | None = None) -> list[Path]:
    files = sorted(BUILTIN_DIR.glob("*.yaml"))
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise PackError(extra_dir, None, "GOLDENBELL_PACKS_DIR is not a folder")
        files += sorted(extra_dir.glob("*.yaml"))
    return files


def load_catalog(
    schema: Schema,
    files: Iterable[Path] | None = None,
    *,
    extra_dir: Path | None = None,
    gateway: Gateway | None = None,
    required: Iterable[str] | None = None,
) -> Catalog:
    """Load and check packs: the built-in ones plus `extra_dir`, or exactly `files`.

    The queries `required` names must be among them; by default, when the built-in packs
    load, the ones the workbench's pages run (page_queries.py)."""
    packs: dict[str, Pack] = {}
    queries: dict[str, Query] = {}
    for path in pack_files(extra_dir) if files is None else files:
        pack = load_pack(path, schema)
        if pack.name in packs:
            raise PackError(path, None, f"pack {pack.name!r} is already defined in {packs[pack.name].path}")
        packs[pack.name] = pack
        for query in pack.queries:
            queries[query.id] = query
    needed = (PAGE_QUERIES if files is None else ()) if required is None else tuple(required)
    missing = [query_id for query_id in needed if query_id not in queries]
    if missing:
        raise PackError(
            BUILTIN_DIR,
            None,
            f"the workbench's pages run {', '.join(missing)}, but no loaded pack defines "
            f"{'it' if len(missing) == 1 else 'them'}",
        )
    if gateway is not None:
        check_on_server(gateway, queries.values())
    return Catalog(packs=packs, queries=queries)


def load_pack(path: Path, schema: Schema) -> Pack:
    path = Path(path)
    data = _read(path)
    unknown = sorted(set(data) - _PACK_KEYS)
    if unknown:
        raise PackError(
            path,
            None,
            f"unknown key(s) {', '.join(map(str, unknown))}; allowed: {', '.join(_PACK_KEYS)}",
            data.line_of(str(unknown[0])),
        )
    name = data.get("pack")
    if not isinstance(name, str) or not _PACK_NAME.fullmatch(name):
        raise PackError(path, None, f"'pack' must be a lower_snake_case name, got {name!r}", data.line_of("pack"))
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise PackError(
            path, None, "'version' must be a whole number ≥ 1 (raise it when a query changes)", data.line_of("version")
        )
    entries = data.get("queries")
    if not isinstance(entries, LineList) or not entries:
        raise PackError(path, None, "'queries' must be a non-empty list", data.line_of("queries"))
    queries: list[Query] = []
    for i, entry in enumerate(entries):
        query = _query(path, name, entry, entries.line_of(i), schema)
        if any(q.id == query.id for q in queries):
            raise query.fail("the id is used twice in this pack")
        queries.append(query)
    return Pack(
        name=name,
        version=version,
        names=_names(path, None, data, "names"),
        description=_names(path, None, data, "description" if data.get("description") else "names"),
        path=path,
        queries=tuple(queries),
    )


def _read(path: Path) -> LineDict:
    try:
        data = load_yaml(path)
    except FileFault as exc:  # missing, not UTF-8, not YAML
        raise PackError(path, None, exc.fault, exc.line) from None
    if not isinstance(data, LineDict):
        raise PackError(path, None, "expected a mapping at the top level")
    return data


def _names(path: Path, query_id: str | None, owner: LineDict, key: str) -> Names:
    # Exactly zh and en: a stray key is usually an unquoted comma in a {zh: …, en: …} mapping.
    value = owner.get(key)
    if not isinstance(value, Mapping) or set(value) != {"zh", "en"} or not value["zh"] or not value["en"]:
        raise PackError(
            path,
            query_id,
            f"'{key}' needs exactly zh and en (quote text with commas), got {value!r}",
            owner.line_of(key),
        )
    return Names(zh=str(value["zh"]).strip(), en=str(value["en"]).strip())


def _query(path: Path, pack: str, entry: Any, line: int, schema: Schema) -> Query:
    if not isinstance(entry, LineDict):
        raise PackError(path, None, f"each query is a mapping, got {entry!r}", line)
    query_id = str(entry.get("id", ""))

    def fail(key: str, fault: str) -> PackError:
        return PackError(path, query_id or None, fault, entry.line_of(key))

    pack_name, _, local = query_id.partition(".")
    if pack_name != pack or not _QUERY_NAME.fullmatch(local):
        raise fail("id", f"the id must be '{pack}.<lower_snake_case>', got {query_id!r}")
    unknown = sorted(set(entry) - _QUERY_KEYS - _ALERT_KEYS)
    if unknown:
        raise fail(str(unknown[0]), f"unknown key(s) {', '.join(map(str, unknown))}")
    cypher = entry.get("cypher")
    if not isinstance(cypher, str) or not cypher.strip():
        raise fail("cypher", "'cypher' is missing")
    returns = entry.get("returns", "table")
    if returns not in RETURNS:
        raise fail("returns", f"'returns' must be one of {', '.join(RETURNS)}, got {returns!r}")
    alert = entry.get("alert", False)
    if not isinstance(alert, bool):
        raise fail("alert", "'alert' must be true or false")
    timeout = entry.get("timeout_s")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        raise fail("timeout_s", "'timeout_s' must be a positive number of seconds")
    specs = entry.get("parameters") or LineDict()
    if not isinstance(specs, LineDict):
        raise fail("parameters", "'parameters' is a mapping of name → definition")
    parameters = {}
    for name, spec in specs.items():
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise PackError(path, query_id, f"parameter name {name!r} must be lower_snake_case", specs.line_of(name))
        try:
            parameters[name] = build_parameter(name, spec, schema)
        except ValueError as exc:
            raise PackError(path, query_id, str(exc), specs.line_of(name)) from None
    query = Query(
        id=query_id,
        pack=pack,
        path=path,
        line=entry.line,
        names=_names(path, query_id, entry, "names"),
        description=_names(path, query_id, entry, "description"),
        parameters=parameters,
        cypher=cypher.strip(),
        returns=returns,
        alert=alert,
        timeout_s=float(timeout) if timeout is not None else None,
        sensitive=_sensitive(path, query_id, entry.get("sensitive")),
        **_alert_keys(entry, alert, fail),
    )
    check_text(query, schema)
    compiled, anchored = compile_anchors(query.cypher, parameters, schema)
    return replace(query, compiled=compiled, anchored=anchored)


def _alert_keys(entry: LineDict, alert: bool, fail: Any) -> dict[str, Any]:
    """An alert rule's severity (required) and summary templates (optional: else its summary column)."""
    if not alert:
        extra = [key for key in ("severity", "summary") if key in entry]
        if extra:
            raise fail(extra[0], f"'{extra[0]}' is for alert rules (alert: true)")
        return {}
    severity = entry.get("severity")
    if severity not in SEVERITIES:
        raise fail("severity", f"an alert rule needs 'severity': one of {', '.join(SEVERITIES)}, got {severity!r}")
    try:
        return {"severity": severity, "summary": templates_of(entry.get("summary"))}
    except ValueError as exc:
        raise fail("summary", str(exc)) from None


def _sensitive(path: Path, query_id: str, value: Any) -> dict[str, str]:
    try:
        return sensitive_columns.declared(value)
    except ValueError as exc:
        raise PackError(path, query_id, str(exc)) from None


def check_text(query: Query, schema: Schema) -> None:
    """Parameters declared and used agree; labels and types exist in the schema; no write
    or file access shows in the text (the server's plan is checked by check_on_server)."""
    # A label or type picked at run time (`:$($label)`) could be any; they are written, from the schema.
    dynamic = dynamic_names(query.cypher + "\n" + "\n".join(p.choices or "" for p in query.parameters.values()))
    if dynamic:
        raise query.fail(
            f"dynamic label or type {', '.join(dynamic)}: a query names its labels and types "
            "from the schema, written in its Cypher"
        )
    subscripts = dynamic_properties(query.cypher)
    if subscripts:
        raise query.fail(
            f"property read by subscript {', '.join(subscripts)}: a query reads properties by name "
            "(n.name), so a reviewer sees which it returns and which must be declared sensitive"
        )
    try:
        text_check(query.cypher)
        for parameter in query.parameters.values():
            if parameter.choices:
                text_check(parameter.choices)
    except NotReadOnly as exc:
        raise query.fail(f"refused: {exc.reason}") from None
    used = parameters_used(query.cypher)
    undeclared = sorted(used - set(query.parameters))
    if undeclared:
        raise query.fail(f"the Cypher uses ${', $'.join(undeclared)} but the query does not declare it")
    unused = sorted(set(query.parameters) - used)
    if unused:
        raise query.fail(f"parameter(s) {', '.join(unused)} are declared but the Cypher never uses them")
    names = labels_and_types(query.cypher + "\n" + "\n".join(p.choices or "" for p in query.parameters.values()))
    for label in sorted(names.labels):
        if label not in schema.nodes:
            raise query.fail(f"label {label!r} is not in the schema (known: {', '.join(sorted(schema.nodes))})")
    for rel_type in sorted(names.types):
        if rel_type not in schema.relationships:
            raise query.fail(
                f"relationship type {rel_type!r} is not in the schema "
                f"(known: {', '.join(sorted(schema.relationships))})"
            )
    for fault in sensitive_columns.undeclared(query.cypher, query.sensitive, schema):
        raise query.fail(fault)
    for parameter in query.parameters.values():
        if parameter.choices and sensitive_columns.undeclared(parameter.choices, {}, schema):
            raise query.fail(f"choices of '{parameter.name}' return a masked property; a picker may not list them")


def check_on_server(gateway: Gateway, queries: Iterable[Query]) -> None:
    """EXPLAIN each query (and its choices query) in a read transaction."""
    for query in queries:
        columns = _explain(gateway, query, query.compiled, "")
        unknown = sorted(set(query.sensitive) - set(columns))
        if unknown:
            raise query.fail(
                f"'sensitive' names {', '.join(unknown)}, not a column the query returns ({', '.join(columns)})"
            )
        if query.alert:
            _check_alert_columns(query, columns)
        for parameter in query.parameters.values():
            if parameter.choices:
                columns = _explain(gateway, query, parameter.choices, f"choices of '{parameter.name}': ")
                if "value" not in columns:
                    raise query.fail(f"choices of '{parameter.name}' must return a column named value")


def _check_alert_columns(query: Query, columns: Sequence[str]) -> None:
    needed = ALERT_COLUMNS if query.summary is None else ALERT_COLUMNS[:1]
    missing = [c for c in needed if c not in columns]
    if missing:
        raise query.fail(
            f"an alert rule must return {' and '.join(ALERT_COLUMNS)} (or declare its summary sentences); "
            f"it lacks {', '.join(missing)}"
        )
    for lang in LANGS if query.summary is not None else ():
        unknown = unknown_field(query.summary.get(lang), set(columns) | set(query.parameters))
        if unknown:
            raise query.fail(
                f"the {lang} summary uses {{{unknown}}}, neither a column the rule returns "
                f"({', '.join(columns)}) nor a parameter"
            )


def _explain(gateway: Gateway, query: Query, cypher: str, what: str) -> Sequence[str]:
    # Every parameter is given (as null): without them the server warns and keeps no plan.
    params = dict.fromkeys(parameters_used(cypher))
    try:
        return check_read_only(gateway, cypher, params, name=f"pack.check.{query.id}")
    except NotReadOnly as exc:
        raise query.fail(f"{what}refused: {exc.reason}") from None
    except CypherSyntaxError as exc:
        detail = str(exc).split(": ", 1)[-1]
        raise query.fail(f"{what}Cypher syntax error: {detail}") from None
