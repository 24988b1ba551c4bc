"""Write mapped rows to Neo4j: one transaction per batch, holding the batch's
entities, its links and the file's progress, so a crash loses nothing and a rerun
resumes after the last committed row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import neo4j
from neo4j.spatial import WGS84Point

from graph.gateway import Gateway, driver_safe
from graph.model import Schema
from ingest import cypher
from ingest.batch_keys import BatchKeys, given_values, hashable
from ingest.mapping import EntityRecord, MappedRow, Reject
from ingest.reject_reasons import Reason
from ingest.spec import ADDRESS_PARTS, PERSON_RECORD, PERSON_RECORD_PROPERTIES, MappingSpec, also_present


@dataclass(frozen=True)
class FileContext:
    run_id: str
    file_hash: str
    source: str
    spec: str
    now: datetime


def _value(value: Any) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value):
        return WGS84Point(value)
    return driver_safe(value)


def _split(props: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(plain values, datetimes as ISO text). The driver converts a datetime in pure
    Python, slowly enough to halve an import of passages; the server parses the text
    (`datetime(…)` in the statement) to the same offset datetime."""
    plain, times = {}, {}
    for k, v in props.items():
        if isinstance(v, datetime) and v.tzinfo is not None:
            times[k] = v.isoformat()
        else:
            plain[k] = _value(v)
    return plain, times


def _with_extras(names: tuple[str, ...], values: dict[str, Any]) -> tuple[str, ...]:
    extras = values.keys() - set(names)
    return names + tuple(sorted(extras)) if extras else names


def _datetimes(properties) -> tuple[str, ...]:
    return tuple(p.name for p in properties if p.type == "datetime")


def _link_names(properties) -> tuple[tuple[str, ...], tuple[str, ...]]:
    times = _datetimes(properties)
    return tuple(p.name for p in properties if p.name not in times), times


def _fill_params(
    params: dict[str, Any], var: str, props: dict[str, Any], names: tuple[str, ...], times: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Put one entity's or link's values into the row's flat parameters (`n0_2`, `n0_t0`);
    return the names in their slots, with any the spec did not declare added at the end."""
    plain, texts = _split(props)
    names, times = _with_extras(names, plain), _with_extras(times, texts)
    for j, name in enumerate(names):
        if name in plain:
            params[f"{var}_{j}"] = plain[name]
    for j, name in enumerate(times):
        if name in texts:
            params[f"{var}_t{j}"] = texts[name]
    return names, times


class BatchWriter:
    def __init__(
        self,
        gateway: Gateway,
        spec: MappingSpec,
        schema: Schema,
        ctx: FileContext,
        *,
        key_columns: Mapping[str, str] | None = None,
        batch_keys: BatchKeys | None = None,
    ):
        """`key_columns`: entity alias -> the header its key is read from, named in a reject.
        `batch_keys`: in a dry run, the keys the batch's earlier files would create; a reference
        to one of them is not missing."""
        self.gateway, self.spec, self.schema, self.ctx = gateway, spec, schema, ctx
        self._key_columns = key_columns or {}
        self._batch_keys = batch_keys
        self._required = {alias for alias, e in spec.entities.items() if e.mode == "match" and not e.optional}
        # Found by a property that need not be unique: checked even when optional, since a value
        # several nodes hold would link the row to each of them.
        self._checked = self._required | {
            alias for alias, e in spec.entities.items() if e.mode == "match" and e.match_on is not None
        }
        self._declared: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # The properties (plain, datetime) each link of the spec may carry.
        self._link_names = [_link_names(link.properties) for link in spec.links]

    def _key_of(self, label: str) -> str:
        return self.schema.nodes[label].key

    def _found_by(self, entity: EntityRecord) -> str:
        """The property a match-only entity of this row is found by: the spec's `match_on`, else
        the key (of a PersonRecord, too, which has its own)."""
        spec_entity = self.spec.entities[entity.alias]
        return spec_entity.key.name if entity.label == spec_entity.label else self._key_of(entity.label)

    def check_references(
        self, rows: list[MappedRow], tx: neo4j.ManagedTransaction | None = None
    ) -> tuple[list[MappedRow], list[Reject]]:
        """(the rows that may load, a reject for each other row): the one check for rows whose
        required match-only entities do not exist, or whose entity matched on a property other
        than the key names several nodes. Run in the batch's write transaction, or outside any
        (`tx` None) for rows that are not written: a dry run's, and the rows before a resume
        point, which an earlier run refused or committed.
        """
        refused = self._missing_references(tx, rows)
        if not refused:
            return rows, []
        return [row for row in rows if row.number not in refused], list(refused.values())

    def _missing_references(self, tx: neo4j.ManagedTransaction | None, rows: list[MappedRow]) -> dict[int, Reject]:
        """Rejects keyed by row number. An optional entity that does not exist needs no check:
        the statement matches it optionally and skips its links, and the row still loads."""
        by_key: dict[tuple[str, Any], list[tuple[MappedRow, EntityRecord]]] = defaultdict(list)
        by_value: dict[tuple[str, str, Any], list[tuple[MappedRow, EntityRecord]]] = defaultdict(list)
        for row in rows:
            for entity in row.entities:
                if entity.alias not in self._checked:
                    continue
                prop = self._found_by(entity)
                if prop == self._key_of(entity.label):
                    by_key[(entity.label, entity.key)].append((row, entity))
                else:
                    by_value[(entity.label, prop, hashable(entity.key))].append((row, entity))
        if self._batch_keys is not None:
            by_key = {k: v for k, v in by_key.items() if not self._batch_keys.holds(*k)}
        rejects: dict[int, Reject] = {}
        if by_key:
            self._refuse_missing(tx, by_key, rejects)
        if by_value:
            self._refuse_unsure(tx, rows, by_value, rejects)
        return rejects

    def _run(self, tx: neo4j.ManagedTransaction | None, query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        if tx is None:
            return self.gateway.read("ingest.references", query, params).records
        return list(tx.run(query, params))

    def _refuse_missing(
        self,
        tx: neo4j.ManagedTransaction | None,
        wanted: dict[tuple[str, Any], list[tuple[MappedRow, EntityRecord]]],
        rejects: dict[int, Reject],
    ) -> None:
        """References by key: unique, so the only question is whether the node exists."""
        by_label: dict[str, list[Any]] = defaultdict(list)
        for label, key in wanted:
            by_label[label].append(key)
        for label, keys in by_label.items():
            records = self._run(tx, cypher.missing_nodes(label, self._key_of(label)), {"keys": keys})
            for key in records[0]["missing"] if records else []:
                for row, entity in wanted[(label, key)]:
                    message = f"no {entity.label} with {self._key_of(entity.label)} {entity.key!r} exists"
                    self._refuse(rejects, row, entity, Reason.REFERENCE_MISSING, message)

    def _refuse_unsure(
        self,
        tx: neo4j.ManagedTransaction | None,
        rows: list[MappedRow],
        wanted: dict[tuple[str, str, Any], list[tuple[MappedRow, EntityRecord]]],
        rejects: dict[int, Reject],
    ) -> None:
        """References by a property that need not be unique (`match_on`): one query per label and
        property counts the nodes holding each value. None is `reference.missing` (unless the
        entity is optional); two or more is `reference.ambiguous`, whether optional or not.

        Nodes are told apart by key: those in the graph (of which the first two keys come back),
        those this batch's own rows give the value (a statement may write them before the rows
        that match them, which would then find them too) and, in a dry run of several files, those the earlier files
        would give it. Only the graph and the earlier files make a reference found, as for a
        key. Best effort beyond that: a row that changes or clears the value of a node already
        in the graph, in this batch or an earlier file, is not seen."""
        batch = self._batch_keys
        own = given_values(self.spec, rows, {entry[:2] for entry in wanted})
        by_pair: dict[tuple[str, str], list[tuple[str, str, Any]]] = defaultdict(list)
        for found in wanted:
            by_pair[found[:2]].append(found)
        for (label, prop), entries in by_pair.items():
            values = [wanted[entry][0][1].key for entry in entries]
            given = own.get((label, prop), {})
            node = self.schema.nodes[label]
            query = cypher.nodes_per_value(label, prop, node.key, also_present(node, prop))
            params = {"values": [_value(v) for v in values], "every": batch is not None or bool(given)}
            counted = {record["i"]: (record["nodes"], record["keys"]) for record in self._run(tx, query, params)}
            for i, entry in enumerate(entries):
                nodes, keys = counted.get(i, (1, []))
                known = set(keys)
                if batch is not None:
                    known |= batch.nodes_with(label, prop, values[i])
                found = max(nodes, len(known))
                total = max(found, len(known | given.get(entry[2], set())))
                if total >= 2:
                    reason = Reason.REFERENCE_AMBIGUOUS
                    message = f"{total} {label} nodes have {prop} {values[i]!r}; the row links to none of them"
                elif found == 0 and any(e.alias in self._required for _, e in wanted[entry]):
                    reason, message = Reason.REFERENCE_MISSING, f"no {label} with {prop} {values[i]!r} exists"
                else:
                    continue
                for row, entity in wanted[entry]:
                    if reason is Reason.REFERENCE_AMBIGUOUS or entity.alias in self._required:
                        self._refuse(rejects, row, entity, reason, message)

    def _refuse(
        self, rejects: dict[int, Reject], row: MappedRow, entity: EntityRecord, reason: Reason, message: str
    ) -> None:
        column = self._key_columns.get(entity.alias, entity.alias)
        rejects.setdefault(row.number, Reject(row.number, column, str(entity.key), reason, message, row.original))

    def _names(self, alias: str, label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The properties (plain, datetime) an entity of this alias may carry, so one statement
        serves all its rows however many of their values are blank."""
        found = self._declared.get((alias, label))
        if found is None:
            spec_entity = self.spec.entities[alias]
            if label == PERSON_RECORD and spec_entity.label != PERSON_RECORD:
                found = (PERSON_RECORD_PROPERTIES, ())
            else:
                times = _datetimes(spec_entity.properties)
                names = [p.name for p in spec_entity.properties if p.name not in times]
                if spec_entity.key.type == "address":
                    names += [p for p in ADDRESS_PARTS if p in self.schema.nodes[label].properties]
                # What the importer derives from a property the spec writes (a name's initials).
                names += [p.name for p in self.schema.nodes[label].derived if p.initials_of in names]
                found = (tuple(dict.fromkeys(names)), times)
            self._declared[(alias, label)] = found
        return found

    def _statements(self, rows: list[MappedRow]) -> list[tuple[str, dict[str, Any]]]:
        # One statement per shape of row writes each row's entities and links together,
        # so a link's ends are variables of the same row rather than looked up again.
        by_shape: dict[tuple, list[dict]] = defaultdict(list)
        for row in rows:
            params: dict[str, Any] = {"r": row.number}
            entities = []
            for i, entity in enumerate(row.entities):
                v = f"n{i}"
                params[v] = _value(entity.key)
                spec_entity = self.spec.entities[entity.alias]
                if spec_entity.mode == "match":
                    key = self._found_by(entity)
                    how = "match-optional" if spec_entity.optional else "match"
                    present = also_present(self.schema.nodes[entity.label], key)
                    entities.append((entity.alias, entity.label, key, how, present, ()))
                    continue
                key = self._key_of(entity.label)
                how = "fill" if spec_entity.update == "fill" and entity.label == spec_entity.label else "overwrite"
                names, times = self._names(entity.alias, entity.label)
                names, times = _fill_params(params, v, entity.properties, names, times)
                entities.append((entity.alias, entity.label, key, how, names, times))
            links = []
            for j, link in enumerate(row.links):
                r = f"l{j}"
                spec_link = self.spec.links[link.link_index]
                if spec_link.key:
                    params[r] = _value(link.key)
                names, times = _fill_params(params, r, link.properties, *self._link_names[link.link_index])
                key = spec_link.key.name if spec_link.key else None
                links.append((link.link_index, spec_link.type, link.start.alias, link.end.alias, key, names, times))
            by_shape[(tuple(entities), tuple(links))].append(params)
        common = {"run": self.ctx.run_id, "source": self.ctx.source, "file": self.ctx.file_hash, "now": self.ctx.now}
        return [(cypher.merge_rows(*shape), {**common, "rows": batch}) for shape, batch in by_shape.items()]

    def prepare(self, rows: list[MappedRow]) -> list[tuple[str, dict[str, Any]]]:
        """The batch's statements, built ahead (on the reading thread) while the previous batch is written."""
        return self._statements(rows)

    def write(
        self,
        rows: list[MappedRow],
        *,
        committed_through: int,
        loaded: int,
        rejected: int,
        prepared: list[tuple[str, dict[str, Any]]] | None = None,
    ) -> list[Reject]:
        """Write one batch and the file's progress atomically; return rows refused for missing references.

        `loaded` and `rejected` are the file's totals before this batch.
        """

        ahead = [prepared]  # dropped for good once the rows change, since `work` may be retried

        def work(tx: neo4j.ManagedTransaction) -> list[Reject]:
            kept, refused = self.check_references(rows, tx)
            if refused:
                ahead[0] = None
            for query, params in ahead[0] or self._statements(kept):
                tx.run(query, params).consume()
            tx.run(
                cypher.SAVE_PROGRESS,
                run=self.ctx.run_id,
                spec=self.ctx.spec,
                file=self.ctx.file_hash,
                committed=committed_through,
                loaded=loaded + len(kept),
                rejected=rejected + len(refused),
            ).consume()
            return refused

        return self.gateway.in_write_transaction("ingest.batch", work, metadata={"import_run": self.ctx.run_id})
