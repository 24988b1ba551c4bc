"""Query packs: reviewed YAML files of named, parameterised, read-only Cypher.

Loading a pack checks it, and a bad pack fails with a `PackError` naming the file,
the query and the fault — or, for the workspace (`strict=False`), a bad query is left out
and a bad file leaves out only its own pack: the faults travel with the catalog
(`Catalog.faults`), for `goldenbell query list` and the packs page to show:

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
from typing import TYPE_CHECKING, Any

from graph.errors import CypherSyntaxError
from graph.model import Names, Schema
from graph.yaml_lines import FileFault, LineDict, LineList, load_yaml
from queries import sensitive as sensitive_columns
from queries.alert_summary import LANGS, templates_of, unknown_field
from queries.analyses import Post, PostError, post_of
from queries.anchors import compile_anchors
from queries.cypher_text import dynamic_names, dynamic_properties, labels_and_types, parameters_used
from queries.page_queries import PAGE_QUERIES
from queries.parameter_specs import build_parameter
from queries.parameters import Parameter
from queries.readonly import NotReadOnly, check_read_only, text_check

if TYPE_CHECKING:  # the driver loads only when a check reaches the server: `query list` starts without it
    from graph.gateway import Gateway

BUILTIN_DIR = Path(__file__).resolve().parent / "packs"
RETURNS = ("table", "graph", "both")
ALERT_COLUMNS = ("entities", "summary")  # `summary` unless the rule declares its summary sentences
SEVERITIES = ("high", "medium", "low")
_PACK_NAME = re.compile(r"[a-z][a-z0-9_]*")
_QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PACK_KEYS = {"pack", "version", "names", "description", "profiles", "queries"}
_QUERY_KEYS = {
    *("id", "names", "description", "parameters", "cypher", "returns", "alert", "timeout_s", "sensitive"),
    "post",  # an analysis of the graph the query returns (analyses.py)
    "profiles",  # the schema profiles it is written for, when not every one its pack is
}
_ALERT_KEYS = {"severity", "summary"}


class PackError(FileFault):
    """A pack is malformed or a query in it is not acceptable; `reason` is the fault alone,
    without the query id."""

    def __init__(self, path: Path | str, query_id: str | None, fault: str, line: int = 0):
        super().__init__(path, line, f"query {query_id}: {fault}" if query_id else fault)
        self.query_id = query_id
        self.reason = fault


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
    post: Post | None = None  # an analysis of the graph it returns (analyses.py), in place of its rows

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
    profiles: tuple[str, ...] = ()  # the schema profiles it is written for; empty: any
    other_profiles: tuple[str, ...] = ()  # ids of its queries written for other profiles, not loaded


@dataclass(frozen=True)
class Catalog:
    """Every loaded pack; query ids are unique across them. `faults`: what did not load
    (a catalog loaded with strict=False), in file order."""

    packs: Mapping[str, Pack]
    queries: Mapping[str, Query]
    faults: tuple[PackError, ...] = ()
    # Packs written for another schema profile (`profiles:`), left out with nothing wrong in them.
    other_profiles: tuple[str, ...] = ()

    def query(self, query_id: str) -> Query:
        try:
            return self.queries[query_id]
        except KeyError:
            pass
        for fault in self.faults:
            if fault.query_id == query_id:
                raise KeyError(f"query {query_id!r} did not load: {fault}") from None
        near = [q for q in self.queries if query_id.split(".")[-1] in q] or sorted(self.queries)
        unread = sorted({fault.path.name for fault in self.faults if fault.query_id is None})
        also = f" ({len(unread)} pack file(s) did not load: {', '.join(unread)})" if unread else ""
        raise KeyError(f"no query {query_id!r}; try: {', '.join(near[:8])}{also}") from None

    def alert_rules(self) -> list[Query]:
        return [q for q in self.queries.values() if q.alert]


def pack_files(extra_dir: Path | None = None) -> list[Path]:
    files = sorted(BUILTIN_DIR.glob("*.yaml"))
    if extra_dir is not None:
        if not extra_dir.is_dir():
            raise PackError(extra_dir, None, "GOLDENBELL_PACKS_DIR is not a folder")
        files += sorted(extra_dir.glob("*.yaml"))
    return files


class _Faults(list):
    """Where faults go while a catalog loads: raised at once (strict), or kept and skipped."""

    def __init__(self, strict: bool):
        super().__init__()
        self.strict = strict

    def keep(self, fault: PackError) -> None:
        if self.strict:
            raise fault
        self.append(fault)


def load_catalog(
    schema: Schema,
    files: Iterable[Path] | None = None,
    *,
    extra_dir: Path | None = None,
    gateway: Gateway | None = None,
    required: Iterable[str] | None = None,
    strict: bool = True,
) -> Catalog:
    """Load and check packs: the built-in ones plus `extra_dir`, or exactly `files`.

    strict (the default): the first fault raises its PackError. Otherwise a fault is kept
    in `Catalog.faults` and only what it spoils is left out — a query that is not
    acceptable, or the pack of a file that cannot be read as one — and the rest loads.

    The queries `required` names must be among them, strict or not; by default, when the
    built-in packs load, the ones the workbench's pages run (page_queries.py)."""
    faults = _Faults(strict)
    packs: dict[str, Pack] = {}
    queries: dict[str, Query] = {}
    if files is None:
        try:
            files = pack_files(extra_dir)
        except PackError as exc:  # the folder is missing: the built-in packs still load
            faults.keep(exc)
            files = pack_files()
    other_profiles: list[str] = []
    for path in files:
        try:
            pack = load_pack(path, schema, faults=None if strict else faults)
        except PackError as exc:
            faults.keep(exc)
            continue
        if pack.profiles and schema.profile not in pack.profiles:
            other_profiles.append(pack.name)
            continue
        if pack.name in packs:
            faults.keep(PackError(path, None, f"pack {pack.name!r} is already defined in {packs[pack.name].path}"))
            continue
        other_profiles += pack.other_profiles
        if not pack.queries:  # every query in it was left out, each with its fault or for other profiles
            continue
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
        for query in list(queries.values()):
            try:
                check_on_server(gateway, [query])
            except PackError as exc:
                faults.keep(exc)
                del queries[query.id]
        packs = {
            name: replace(pack, queries=kept)
            for name, pack in packs.items()
            if (kept := tuple(q for q in pack.queries if q.id in queries))
        }
    return Catalog(
        packs=packs,
        queries=queries,
        faults=tuple(sorted(faults, key=_file_order)),
        other_profiles=tuple(other_profiles),
    )


def _profiles(path: Path, data: LineDict) -> tuple[str, ...]:
    value = data.get("profiles") or []
    if not isinstance(value, list) or not all(isinstance(v, str) and _PACK_NAME.fullmatch(v) for v in value):
        query_id = str(data["id"]) if "id" in data else None
        fault = f"'profiles' must be a list of schema profile names, got {value!r}"
        raise PackError(path, query_id, fault, data.line_of("profiles"))
    return tuple(value)


def _file_order(fault: PackError) -> tuple[str, int]:
    return str(fault.path), fault.line


def load_pack(path: Path, schema: Schema, *, faults: list[PackError] | None = None) -> Pack:
    """Load and check one pack file. With `faults`, a query that is not acceptable is added
    to it and left out, and the rest of the pack loads; without, it raises PackError."""
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
    names = _names(path, None, data, "names")
    description = _names(path, None, data, "description" if data.get("description") else "names")
    profiles = _profiles(path, data)
    if profiles and schema.profile not in profiles:
        # Written for another profile, whose labels this schema may not have: not checked, and no fault.
        return Pack(
            name=name, version=version, names=names, description=description, path=path, queries=(), profiles=profiles
        )
    queries: list[Query] = []
    elsewhere: list[str] = []
    for i, entry in enumerate(entries):
        try:
            if isinstance(entry, LineDict) and "profiles" in entry and schema.profile not in _profiles(path, entry):
                elsewhere.append(str(entry.get("id", "")))
                continue
            query = _query(path, name, entry, entries.line_of(i), schema)
            if any(q.id == query.id for q in queries):
                raise query.fail("the id is used twice in this pack")
        except PackError as exc:
            if faults is None:
                raise
            faults.append(exc)
            continue
        queries.append(query)
    return Pack(
        name=name,
        version=version,
        names=names,
        description=description,
        path=path,
        queries=tuple(queries),
        profiles=profiles,
        other_profiles=tuple(elsewhere),
    )


def _read(path: Path) -> LineDict:
    try:
        data = load_yaml(path)
    except FileFault as exc:  # missing, not UTF-8, not YAML
        fault = PackError(path, None, exc.fault, exc.line)
        # A syntax error says its line in its text; a list of faults shows it in its line column too.
        fault.line = getattr(exc, "syntax_line", exc.line)
        raise fault from None
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
        post=_post(path, query_id, entry, returns, alert),
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


def _post(path: Path, query_id: str, entry: LineDict, returns: str, alert: bool) -> Post | None:
    """The query's `post:` analysis, checked: known keys and values, on a query that returns a graph."""
    value = entry.get("post")
    try:
        post = post_of(value)
    except PostError as exc:
        line = value.line_of(exc.key) if isinstance(value, LineDict) and exc.key else entry.line_of("post")
        raise PackError(path, query_id, str(exc), line) from None
    if post is not None and alert:
        raise PackError(
            path, query_id, "'post' is not for alert rules: their rows become alerts", entry.line_of("post")
        )
    if post is not None and returns == "table":
        raise PackError(
            path,
            query_id,
            f"'post' analyses the graph a query returns ({post.analysis}), but this one says returns: table; "
            "return nodes, relationships or paths and say returns: graph or both",
            entry.line_of("post"),
        )
    return post


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
    # A name the schema's profile leaves out is no typo: that part of a shared query finds nothing.
    for label in sorted(names.labels - schema.left_out):
        if label not in schema.nodes:
            raise query.fail(f"label {label!r} is not in the schema (known: {', '.join(sorted(schema.nodes))})")
    for rel_type in sorted(names.types - schema.left_out):
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
