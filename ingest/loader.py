"""Write mapped rows to Neo4j: one transaction per batch, holding the batch's
entities, its links and the file's progress, so a crash loses nothing and a rerun
resumes after the last committed row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import neo4j
from neo4j.spatial import WGS84Point

from graph.gateway import Gateway, driver_safe
from graph.model import Schema
from ingest import cypher
from ingest.mapping import EntityRecord, MappedRow, Reject
from ingest.reasons import Reason
from ingest.spec import ADDRESS_PARTS, MappingSpec


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


def _props(props: dict[str, Any]) -> dict[str, Any]:
    """Row parameters {p: properties, t: datetimes as ISO text}. The driver converts a
    datetime in pure Python, slowly enough to halve an import of passages; the server
    parses the text (`datetime(…)` in the statement) to the same offset datetime."""
    plain, times = {}, {}
    for k, v in props.items():
        if isinstance(v, datetime) and v.tzinfo is not None:
            times[k] = v.isoformat()
        else:
            plain[k] = _value(v)
    return {"p": plain, "t": times} if times else {"p": plain}


def _datetimes(properties) -> tuple[str, ...]:
    return tuple(p.name for p in properties if p.type == "datetime")


class BatchWriter:
    def __init__(self, gateway: Gateway, spec: MappingSpec, schema: Schema, ctx: FileContext):
        self.gateway, self.spec, self.schema, self.ctx = gateway, spec, schema, ctx
        self._match_only = {alias for alias, e in spec.entities.items() if e.mode == "match"}
        self.pruned = False  # whether the last reference check dropped optional entities from rows

    def _key_of(self, label: str) -> str:
        return self.schema.nodes[label].key

    def missing_references(self, tx: neo4j.ManagedTransaction | None, rows: list[MappedRow]) -> dict[int, Reject]:
        """Rows whose required match-only entities do not exist, keyed by row number.

        An optional match-only entity that does not exist is dropped from its row, with
        its links, and the row still loads.
        """
        wanted: dict[tuple[str, Any], list[tuple[MappedRow, EntityRecord]]] = defaultdict(list)
        for row in rows:
            for entity in row.entities:
                if entity.alias in self._match_only:
                    wanted[(entity.label, entity.key)].append((row, entity))
        if not wanted:
            return {}
        by_label: dict[str, list[Any]] = defaultdict(list)
        for label, key in wanted:
            by_label[label].append(key)
        missing: set[tuple[str, Any]] = set()
        for label, keys in by_label.items():
            query = cypher.missing_nodes(label, self._key_of(label))
            if tx is None:
                found = self.gateway.read("ingest.references", query, {"keys": keys}).single_value([])
            else:
                found = tx.run(query, keys=keys).single()["missing"]
            missing.update((label, k) for k in found)
        rejects: dict[int, Reject] = {}
        dropped: dict[int, set[str]] = defaultdict(set)
        for label_key in missing:
            for row, entity in wanted[label_key]:
                if self.spec.entities[entity.alias].optional:
                    dropped[row.number].add(entity.alias)
                    continue
                rejects.setdefault(
                    row.number,
                    Reject(
                        row.number,
                        entity.alias,
                        str(entity.key),
                        Reason.REFERENCE_MISSING,
                        f"no {entity.label} with {self._key_of(entity.label)} {entity.key!r} exists",
                        "",
                    ),
                )
        self.pruned = bool(dropped)
        for i, row in enumerate(rows):
            if row.number in dropped and row.number not in rejects:
                gone = dropped[row.number]
                rows[i] = replace(
                    row,
                    entities=[e for e in row.entities if e.alias not in gone],
                    links=[link for link in row.links if link.start.alias not in gone and link.end.alias not in gone],
                )
        return rejects

    def _fill_properties(self, entity: EntityRecord) -> tuple[str, ...]:
        """Every property a `fill` entity may carry, so one statement serves all its rows."""
        spec_entity = self.spec.entities[entity.alias]
        names = [p.name for p in spec_entity.properties]
        if spec_entity.key.type == "address":
            names += [p for p in ADDRESS_PARTS if p in self.schema.nodes[entity.label].properties]
        return tuple(dict.fromkeys(names))

    def _shape(self, row: MappedRow) -> tuple:
        """What one statement must do for this row: its entities (alias, label, how) and links."""
        entities = []
        for entity in row.entities:
            spec_entity = self.spec.entities[entity.alias]
            key, times = self._key_of(entity.label), _datetimes(spec_entity.properties)
            if spec_entity.mode == "match":
                entities.append((entity.alias, entity.label, key, "match", (), ()))
            elif spec_entity.update == "fill" and entity.label == spec_entity.label:
                fill = tuple(p for p in self._fill_properties(entity) if p not in times)
                entities.append((entity.alias, entity.label, key, "fill", fill, times))
            else:
                entities.append((entity.alias, entity.label, key, "overwrite", (), times))
        links = []
        for link in row.links:
            spec_link = self.spec.links[link.link_index]
            links.append(
                (
                    link.link_index,
                    spec_link.type,
                    link.start.alias,
                    link.end.alias,
                    spec_link.key.name if spec_link.key else None,
                    tuple(p.name for p in spec_link.properties),
                    _datetimes(spec_link.properties),
                )
            )
        return tuple(entities), tuple(links)

    def _statements(self, rows: list[MappedRow]) -> list[tuple[str, dict[str, Any]]]:
        # One statement per shape of row writes each row's entities and links together,
        # so a link's ends are variables of the same row rather than looked up again.
        by_shape: dict[tuple, list[dict]] = defaultdict(list)
        for row in rows:
            params: dict[str, Any] = {"r": row.number}
            for i, entity in enumerate(row.entities):
                params[f"n{i}"] = {"k": _value(entity.key), **_props(entity.properties)}
            for j, link in enumerate(row.links):
                params[f"l{j}"] = {"k": _value(link.key), **_props(link.properties)}
            by_shape[self._shape(row)].append(params)
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
            self.pruned = False
            refused = self.missing_references(tx, rows)
            kept = [row for row in rows if row.number not in refused]
            if refused or self.pruned:
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
            return list(refused.values())

        return self.gateway.in_write_transaction("ingest.batch", work, metadata={"import_run": self.ctx.run_id})
