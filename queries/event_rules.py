"""Event rules: reviewed YAML files of named, parameterised DuckDB SQL over the event
store, the columnar twins of the passage rules in the Cypher packs.

The caller hands over a DuckDB connection on which two relations exist:

- ``passages(passage_id, plate, place_id, source, time TIMESTAMPTZ, day DATE, direction,
  lane, driver_id, plate_colour, run_id, source_file, source_row)``, one row a passage,
  ``day`` being the Asia/Shanghai calendar day of ``time``;
- ``places(place_id, kind 'Checkpoint' | 'Gate', name, longitude, latitude)``.

A file may declare graph tables (`tables:`, see event_tables.py): graph facts, read once
per connection, that its rules join with the passages. A rule reads `passages`, `places`
and its own file's tables, nothing else.

Parameters are declared as in the packs (event_parameters.py; parameters.py coerces and
bounds them) and reach DuckDB as named parameters (``$name``), never as text; the engine
supplies ``$today`` itself. Loading a file checks that every ``$name`` in a rule's SQL is
declared and every declared one is used, and fails with an `EventRuleError` naming the
file, the line and the rule. The rules read no session setting: times come back in the
connection's TimeZone, but which rows come back does not depend on it (``day`` is given,
hours are counted from epoch seconds, durations are exact seconds).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.model import Names
from graph.yaml_lines import FileFault, LineDict, LineList, load_yaml
from queries import event_parameters, event_tables
from queries.event_tables import GraphTable
from queries.parameters import Parameter, ParameterError

if TYPE_CHECKING:
    import duckdb

RULES_DIR = Path(__file__).resolve().parent / "event_rules"
_FILE_KEYS = {"pack", "names", "description", "tables", "rules"}
_RULE_KEYS = {"id", "names", "description", "parameters", "sql", "alert", "incremental", "lookup"}
_RULE_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
# What may hold a `$` that is no parameter: string literals, quoted identifiers, comments.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*|\d+)?")


class EventRuleError(FileFault):
    """A rule file is malformed, or a rule in it is not acceptable."""

    def __init__(self, path: Path | str, rule_id: str | None, fault: str, line: int = 0):
        super().__init__(path, line, f"rule {rule_id}: {fault}" if rule_id else fault)
        self.rule_id = rule_id


class UnknownRule(KeyError):
    """No loaded file defines the rule asked for."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class AlertEntity:
    """An entity an alert of the rule involves: the graph's `label` keyed by a row's `column`."""

    label: str
    column: str
    role: str


@dataclass(frozen=True)
class Incremental:
    """A hit concerns plates, and changes only when one of them has a new passage or the
    graph facts the rule reads change (then a run looks at everything). With `met_within`
    (a parameter giving minutes), a hit is a meeting of plates, so the plates a new passage
    met — same place, direction and day, at most that many minutes apart — are looked at
    again too, over their whole history."""

    met_within: str | None = None


@dataclass(frozen=True)
class PlateLookup:
    """The rule is about the plate its parameter `plate` names: every row it gives comes from
    that plate's passages and, with `others_at_its_places`, from other plates' passages at
    the places the plate was seen — with `others_within` (an int parameter of minutes), only
    those at most that many minutes from one of the plate's passages there."""

    plate: str
    others_at_its_places: bool = False
    others_within: str | None = None


@dataclass(frozen=True)
class EventRule:
    id: str
    path: Path
    line: int
    names: Names
    description: Names | None
    parameters: Mapping[str, Parameter]
    sql: str
    # An alert rule names the entities of each hit; its severity and summaries are those of
    # the pack query with the same id, so both engines raise the same alert.
    alert: tuple[AlertEntity, ...] = ()
    # The column of an alert rule's row that lists the passage IDs behind the hit: kept on
    # the alert, so its evidence can be read back from the store.
    evidence: str | None = None
    # How a run after an import may look at fewer passages and give the same hits: None (it
    # may not), or the scope (incremental_scope).
    incremental: Incremental | None = None
    # A rule about one plate may be answered from the lookup copies (queries/event_lookups.py).
    lookup: PlateLookup | None = None
    # The graph tables of its file the SQL reads, and the engine's values it uses ($today).
    tables: tuple[GraphTable, ...] = ()
    engine: tuple[str, ...] = ()

    def values(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Every parameter, checked, with defaults for those not given; ParameterError otherwise."""
        given = dict(params or {})
        unknown = sorted(set(given) - set(self.parameters))
        if unknown:
            takes = ", ".join(self.parameters) or "none"
            raise ParameterError(unknown[0], f"rule {self.id} has no such parameter (it takes {takes})")
        return {
            name: spec.coerce(given[name]) if name in given else spec.coerce() for name, spec in self.parameters.items()
        }


def parameters_used(sql: str) -> set[str]:
    """The `$name`s of a statement, outside its literals and comments; positional `$1` and
    a bare `$` come back as themselves, so a check can refuse them by name."""
    code = _NOT_CODE.sub(" ", sql)
    return {m.group(1) or "$" for m in _PARAMETER.finditer(code)}


def load_file(path: Path) -> list[EventRule]:
    """The rules of one file, checked."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except FileFault as exc:  # missing, not UTF-8, not YAML
        raise EventRuleError(path, None, exc.fault, exc.line) from None
    if not isinstance(data, LineDict):
        raise EventRuleError(path, None, "expected a mapping at the top level")
    unknown = sorted(map(str, set(data) - _FILE_KEYS))
    if unknown:
        raise EventRuleError(path, None, f"unknown key(s) {', '.join(unknown)}", data.line_of(unknown[0]))
    entries = data.get("rules")
    if not isinstance(entries, LineList) or not entries:
        raise EventRuleError(path, None, "'rules' must be a non-empty list", data.line_of("rules"))
    tables = event_tables.load_tables(path, data.get("tables"), data.line_of("tables"))
    out: list[EventRule] = []
    for i, entry in enumerate(entries):
        loaded = _rule(path, entry, entries.line_of(i), tables)
        if any(r.id == loaded.id for r in out):
            raise EventRuleError(path, loaded.id, "the id is used twice in this file", loaded.line)
        out.append(loaded)
    unread = sorted(set(tables) - {t.name for r in out for t in r.tables})
    if unread:
        raise EventRuleError(path, None, f"table {unread[0]} is declared but no rule reads it", tables[unread[0]].line)
    return out


def load_rules(folder: Path = RULES_DIR) -> dict[str, EventRule]:
    """Every rule of every file in `folder`, by id; ids are unique across files."""
    found: dict[str, EventRule] = {}
    # One connection holds every file's tables, so a name means one table everywhere.
    tables: dict[str, GraphTable] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        for loaded in load_file(path):
            if loaded.id in found:
                raise EventRuleError(path, loaded.id, f"already defined in {found[loaded.id].path}", loaded.line)
            found[loaded.id] = loaded
            for table in loaded.tables:
                other = tables.setdefault(table.name, table)
                if not other.same_as(table):
                    fault = f"table {table.name} is declared otherwise in {other.path}"
                    raise EventRuleError(path, None, fault, table.line)
    return found


@cache
def _builtin() -> dict[str, EventRule]:
    return load_rules(RULES_DIR)


def rules() -> list[EventRule]:
    """The built-in rules, in id order."""
    return [found for _, found in sorted(_builtin().items())]


def rule(rule_id: str) -> EventRule:
    """The built-in rule `rule_id`; UnknownRule, naming the known ones, otherwise."""
    try:
        return _builtin()[rule_id]
    except KeyError:
        raise UnknownRule(f"no event rule {rule_id!r}; known: {', '.join(sorted(_builtin()))}") from None


def run(
    con: duckdb.DuckDBPyConnection, rule_id: str | EventRule, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The rule's rows as dicts, on `con` (which holds `passages`, `places` and the rule's
    graph tables).

    Raises UnknownRule for an id no file defines, ParameterError (a ValueError naming the
    parameter and the value) for a value that is unknown, malformed or out of bounds."""
    chosen = rule_id if isinstance(rule_id, EventRule) else rule(rule_id)
    cursor = con.execute(chosen.sql, {**chosen.values(params), **event_parameters.engine_values(chosen.engine)})
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _rule(path: Path, entry: Any, line: int, tables: Mapping[str, GraphTable]) -> EventRule:
    if not isinstance(entry, LineDict):
        raise EventRuleError(path, None, f"each rule is a mapping, got {entry!r}", line)
    rule_id = str(entry.get("id", ""))

    def fail(key: str, fault: str) -> EventRuleError:
        return EventRuleError(path, rule_id or None, fault, entry.line_of(key))

    if not _RULE_ID.fullmatch(rule_id):
        raise fail("id", f"the id must be '<pack>.<lower_snake_case>', got {rule_id!r}")
    unknown = sorted(map(str, set(entry) - _RULE_KEYS))
    if unknown:
        raise fail(unknown[0], f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_RULE_KEYS))}")
    sql = entry.get("sql")
    if not isinstance(sql, str) or not sql.strip():
        raise fail("sql", "'sql' is missing")
    specs = entry.get("parameters") or LineDict()
    if not isinstance(specs, LineDict):
        raise fail("parameters", "'parameters' is a mapping of name → definition")
    parameters: dict[str, Parameter] = {}
    for name, spec in specs.items():
        where = specs.line_of(name)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise EventRuleError(path, rule_id, f"parameter name {name!r} must be lower_snake_case", where)
        try:
            parameters[name] = event_parameters.build(name, spec)
        except ValueError as exc:
            raise EventRuleError(path, rule_id, str(exc), where) from None
    used = parameters_used(sql)
    engine = sorted(used & set(event_parameters.ENGINE_VALUES))
    undeclared = sorted(used - set(parameters) - set(engine))
    if undeclared:
        shown = ", ".join(f"${n}" for n in undeclared)
        raise fail("sql", f"the SQL uses {shown}, which 'parameters' does not declare")
    unused = sorted(set(parameters) - used)
    if unused:
        raise fail("parameters", f"parameter(s) {', '.join(unused)} declared but not used in the SQL")
    read = _tables_read(path, rule_id, sql, tables, entry.line_of("sql"))
    return EventRule(
        id=rule_id,
        path=path,
        line=entry.line,
        names=_names(path, rule_id, entry, "names"),
        description=_names(path, rule_id, entry, "description") if "description" in entry else None,
        parameters=parameters,
        sql=sql.strip(),
        alert=_alert(path, rule_id, entry),
        evidence=_evidence(path, rule_id, entry),
        incremental=_incremental(path, rule_id, entry, parameters),
        lookup=_lookup(path, rule_id, entry, parameters),
        tables=tuple(tables[name] for name in sorted(read)),
        engine=tuple(engine),
    )


def _tables_read(path: Path, rule_id: str, sql: str, tables: Mapping[str, GraphTable], line: int) -> set[str]:
    """The graph tables the SQL reads; EventRuleError for any other relation but the store's."""
    try:
        read = event_tables.relations(sql)
    except ValueError as exc:
        raise EventRuleError(path, rule_id, f"the SQL does not parse: {exc}", line) from None
    strange = sorted(read - event_tables.BUILT_IN - set(tables))
    if strange:
        declared = ", ".join(sorted(tables)) or "none"
        fault = (
            f"the SQL reads {', '.join(strange)}, which is neither passages, places nor a table of this file"
            f" (its tables: {declared})"
        )
        raise EventRuleError(path, rule_id, fault, line)
    return read - event_tables.BUILT_IN


def _incremental(path: Path, rule_id: str, entry: LineDict, parameters: Mapping[str, Parameter]) -> Incremental | None:
    block = entry.get("incremental")
    if block is None:
        return None
    where = entry.line_of("incremental")
    if not isinstance(block, Mapping) or set(block) - {"by", "met_within"} or block.get("by") != "plate":
        raise EventRuleError(path, rule_id, "'incremental' is {by: plate} with an optional met_within", where)
    met = block.get("met_within")
    if met is not None and (met not in parameters or parameters[met].type != "int"):
        raise EventRuleError(path, rule_id, f"'met_within' names an int parameter of the rule, not {met!r}", where)
    return Incremental(met_within=met)


def _lookup(path: Path, rule_id: str, entry: LineDict, parameters: Mapping[str, Parameter]) -> PlateLookup | None:
    block = entry.get("lookup")
    if block is None:
        return None
    where = entry.line_of("lookup")
    keys = {"plate", "others_at_its_places", "others_within"}
    if not isinstance(block, Mapping) or set(block) - keys or "plate" not in block:
        fault = "'lookup' is {plate: <parameter>} with an optional others_at_its_places and others_within"
        raise EventRuleError(path, rule_id, fault, where)
    plate = block["plate"]
    spec = parameters.get(plate) if isinstance(plate, str) else None
    if spec is None or spec.type != "string" or not spec.required:
        fault = f"'lookup' names a required string parameter of the rule, not {plate!r}"
        raise EventRuleError(path, rule_id, fault, where)
    others = block.get("others_at_its_places", False)
    if not isinstance(others, bool):
        raise EventRuleError(path, rule_id, f"'others_at_its_places' is true or false, not {others!r}", where)
    within = block.get("others_within")
    if within is not None:
        minutes = parameters.get(within) if isinstance(within, str) else None
        if not others or minutes is None or minutes.type != "int":
            fault = (
                "'others_within' names an int parameter of the rule (minutes), beside others_at_its_places: true; "
                f"not {within!r}"
            )
            raise EventRuleError(path, rule_id, fault, where)
    return PlateLookup(plate, others, within)


def _alert(path: Path, rule_id: str, entry: LineDict) -> tuple[AlertEntity, ...]:
    block = entry.get("alert")
    if block is None:
        return ()
    items = block.get("entities") if isinstance(block, Mapping) else None
    if isinstance(block, Mapping) and set(block) - {"entities", "evidence"}:
        unknown = ", ".join(sorted(map(str, set(block) - {"entities", "evidence"})))
        raise EventRuleError(
            path, rule_id, f"'alert' takes entities and evidence, not {unknown}", entry.line_of("alert")
        )
    if not isinstance(items, list) or not items:
        raise EventRuleError(
            path, rule_id, "'alert' needs 'entities': a list of {label, column, role}", entry.line_of("alert")
        )
    found = []
    for item in items:
        if not isinstance(item, Mapping) or set(item) != {"label", "column", "role"}:
            raise EventRuleError(
                path, rule_id, f"each alert entity is {{label, column, role}}, got {item!r}", entry.line_of("alert")
            )
        found.append(AlertEntity(str(item["label"]), str(item["column"]), str(item["role"])))
    return tuple(found)


def _evidence(path: Path, rule_id: str, entry: LineDict) -> str | None:
    block = entry.get("alert")
    column = block.get("evidence") if isinstance(block, Mapping) else None
    if column is not None and (not isinstance(column, str) or not _NAME.fullmatch(column)):
        fault = f"'evidence' names the column listing a hit's passage IDs, not {column!r}"
        raise EventRuleError(path, rule_id, fault, entry.line_of("alert"))
    return column


def _names(path: Path, rule_id: str, owner: LineDict, key: str) -> Names:
    value = owner.get(key)
    if not isinstance(value, Mapping) or set(value) != {"zh", "en"} or not value["zh"] or not value["en"]:
        raise EventRuleError(path, rule_id, f"'{key}' needs exactly zh and en, got {value!r}", owner.line_of(key))
    return Names(zh=str(value["zh"]).strip(), en=str(value["en"]).strip())
