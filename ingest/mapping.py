"""Turn one raw row into the entities and links a spec says it holds, or into a reject.

Pure and database-free, so it can run (and be tested) alone: read → map → load are
separate stages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.initials import with_initials
from graph.model import Schema
from ingest.normalize import InvalidValue, normalise
from ingest.normalize import citizen_id as citizen_ids
from ingest.normalize.address import Address
from ingest.readers.base import RawRow
from ingest.reject_reasons import Reason
from ingest.spec import ADDRESS_PARTS, PERSON_RECORD, PERSON_RECORD_OWN, Condition, EntityMap, MappingSpec, PropertyMap
from ingest.spec_headers import HeaderMap


@dataclass(frozen=True)
class EntityRecord:
    alias: str
    label: str
    key: Any
    properties: dict[str, Any]


@dataclass(frozen=True)
class LinkRecord:
    link_index: int
    start: EntityRecord
    end: EntityRecord
    key: Any
    properties: dict[str, Any]


@dataclass(frozen=True)
class Reject:
    number: int
    column: str  # the header as written in the file ("a+b" for a value read from several)
    value: str
    reason: Reason
    message: str
    original: str
    dropped: bool = False  # only this value was left out (on_invalid: drop); the row loaded


@dataclass(frozen=True)
class MappedRow:
    number: int
    entities: list[EntityRecord]
    links: list[LinkRecord]
    text: str | None = None  # the report text, for specs that extract mentions
    raw: RawRow | None = None  # the row as read, for the reject file should a later check refuse it
    dropped: tuple[Reject, ...] = ()  # values left out, written to the reject file once the row loads

    @property
    def original(self) -> str:
        return self.raw.original if self.raw is not None else ""


_CLEANED_ID = object()  # the row memo's tag for an ID number cleaned for a derived value
_UNSEEN = object()  # a reading not in a property's cross-row cache

# A registry repeats most of its cells (sex, ethnic group, dates, a household's address, common
# names); each property keeps its readings across rows, up to this many before it starts over.
_ACROSS_MAX = 1 << 16
# After this many rows a property whose readings are nearly all new (ID numbers, serials,
# phones) stops keeping them: the lookups would cost more than they save.
_ACROSS_TRIAL = 4096


@dataclass
class _Fault(Exception):
    column: str
    value: Any
    reason: Reason
    message: str


@dataclass
class RowMapper:
    spec: MappingSpec
    headers: HeaderMap
    schema: Schema
    _address_parts: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False)
    _reading: dict[int, int] = field(default_factory=dict, init=False)  # property map -> its reading's number
    _readings: dict[tuple, int] = field(default_factory=dict, init=False)  # what a property reads -> number
    _droppable: dict[int, bool] = field(default_factory=dict, init=False)  # property map -> on_invalid: drop
    _dropped: dict[str, Reject] = field(default_factory=dict, init=False)  # this row's, by column
    _across: dict[int, Any] = field(default_factory=dict, init=False)  # reading -> its cache, None when off
    _looked: dict[int, int] = field(default_factory=dict, init=False)  # reading -> rows looked up

    def __post_init__(self) -> None:
        # Labels keyed by an address take the parsed parts into same-named properties.
        for label, node in self.schema.nodes.items():
            if node.key_property.type == "address":
                self._address_parts[label] = tuple(p for p in ADDRESS_PARTS if p in node.properties)
        self._drop_columns = frozenset(n for n, c in self.spec.columns.items() if c.on_invalid == "drop")
        self._deriving = frozenset(label for label, node in self.schema.nodes.items() if node.derived)

    def key_columns(self) -> dict[str, str]:
        """Entity alias -> the header(s) its key is read from, as written in the file."""
        return {alias: self._column_label(entity.key) for alias, entity in self.spec.entities.items()}

    def map(self, raw: RawRow) -> MappedRow | Reject:
        if raw.fault is not None:
            reason, message = raw.fault
            return Reject(raw.number, "", "", reason, message, raw.original)
        try:
            return self._map(raw)
        except _Fault as fault:
            return Reject(raw.number, fault.column, _shown(fault.value), fault.reason, fault.message, raw.original)

    def _map(self, raw: RawRow) -> MappedRow:
        self._memo = {}
        if self._dropped:
            self._dropped = {}
        entities: dict[str, EntityRecord] = {}
        for entity in self.spec.entities.values():
            if entity.when and not self._holds(entity.when, raw):
                continue
            record = self._entity(entity, raw, entities)
            if record is not None:
                entities[entity.alias] = record
        links = []
        for index, link in enumerate(self.spec.links):
            start, end = entities.get(link.start), entities.get(link.end)
            if start is None or end is None or (link.when and not self._holds(link.when, raw)):
                continue
            key = self._value(link.key, raw, required=True) if link.key else None
            props = {p.name: v for p in link.properties if (v := self._value(p, raw)) is not None}
            links.append(LinkRecord(index, start, end, key, props))
        text = None
        if self.spec.extract_text:
            text = str(self._raw(self.spec.extract_text, raw) or "")
        dropped = tuple(self._dropped.values()) if self._dropped else ()
        return MappedRow(raw.number, list(entities.values()), links, text, raw, dropped)

    def _entity(self, entity: EntityMap, raw: RawRow, done: Mapping[str, EntityRecord]) -> EntityRecord | None:
        key = self._value(entity.key, raw)
        props = {p.name: v for p in entity.properties if (v := self._value(p, raw)) is not None}
        if isinstance(key, Address):
            key = _expand_address(key, props, self._address_parts.get(entity.label, ()))
        for name, value in list(props.items()):
            if isinstance(value, Address):
                props[name] = value.full
        if entity.label in self._deriving:
            props = with_initials(self.schema.nodes[entity.label], props)
        if key is None:
            if entity.optional or entity.on_missing_key == "skip":
                return None
            if entity.on_missing_key == "record":
                return self._person_record(entity, raw, props)
            column = self._column_label(entity.key)
            raise _Fault(column, "", Reason.REQUIRED_MISSING, f"{entity.label}.{entity.key.name} is blank")
        return EntityRecord(entity.alias, entity.label, key, props)

    def _person_record(self, entity: EntityMap, raw: RawRow, props: dict[str, Any]) -> EntityRecord:
        """A person without an ID number: kept apart as an unverified record, never merged by name."""
        kept = {k: v for k, v in props.items() if k in PERSON_RECORD_OWN}
        if not kept.get("name"):
            raise _Fault(self._column_label(entity.key), "", Reason.REQUIRED_MISSING, "no ID number and no name")
        phone = self._linked_phone(entity, raw)
        if phone:
            kept["phone"] = phone
        raw_id = self._raw_text(entity.key, raw)
        if raw_id:
            kept["id_number_raw"] = raw_id
        identity = "|".join(str(kept.get(k, "")) for k in ("name", "birth_date", "phone"))
        record_id = "PR-" + hashlib.blake2b(f"{self.spec.name}|{identity}".encode(), digest_size=10).hexdigest()
        return EntityRecord(entity.alias, PERSON_RECORD, record_id, kept)

    def _linked_phone(self, entity: EntityMap, raw: RawRow) -> str | None:
        for link in self.spec.links:
            if link.type == "HAS_PHONE" and link.start == entity.alias:
                phone_entity = self.spec.entities[link.end]
                try:
                    return self._value(phone_entity.key, raw)
                except _Fault:
                    return None
        return None

    def _holds(self, condition: Condition, raw: RawRow) -> bool:
        value = self._raw(condition.column, raw)
        text = unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""
        return text in condition.values

    def _raw(self, column: str, raw: RawRow) -> Any:
        header = self.headers.get(column)
        return raw.values.get(header) if header is not None else None

    def _raw_text(self, prop: PropertyMap, raw: RawRow) -> str:
        parts = [self._raw(c, raw) for c in prop.source.columns]
        return prop.source.join.join(_shown(p) for p in parts if p not in (None, "")).strip()

    def _column_label(self, prop: PropertyMap) -> str:
        return "+".join(self.headers.get(c) or c for c in prop.source.columns) or prop.name

    def _value(self, prop: PropertyMap, raw: RawRow, *, required: bool = False) -> Any:
        # A column often feeds several properties (a plate is the passage's and the
        # vehicle's); each distinct reading is normalised once per row.
        memo_key = self._reading.get(id(prop))
        if memo_key is None:
            source = prop.source
            reading = (
                source.columns,
                source.join,
                source.derive,
                source.format,
                id(source.lookup),
                source.default,
                repr(source.constant),
                prop.type,
                prop.values,
            )
            # numbered, so that the memos hash a small int rather than this tuple
            memo_key = self._reading[id(prop)] = self._readings.setdefault(reading, len(self._readings))
            # a list comes back as the row's own: another row may not share it
            self._across.setdefault(memo_key, {} if prop.type != "text_list" else None)
        memo = self._memo
        if memo_key in memo:
            result = memo[memo_key]
            if isinstance(result, _Fault):
                raise _untraced(result)
        else:
            try:
                result = self._computed(prop, raw, memo_key)
            except _Fault as fault:
                if not self._drops(prop):
                    memo[memo_key] = _untraced(fault)
                    raise
                result = None
                self._drop(fault, raw)
            memo[memo_key] = result
        if result is None and required:
            raise _Fault(self._column_label(prop), "", Reason.REQUIRED_MISSING, f"{prop.name} is blank")
        return result

    def _drops(self, prop: PropertyMap) -> bool:
        """Whether a bad value of this property costs only the value: every column it reads says
        on_invalid: drop (the spec refuses drop where the row would not stand without it)."""
        found = self._droppable.get(id(prop))
        if found is None:
            columns = prop.source.columns
            found = self._droppable[id(prop)] = bool(columns) and all(c in self._drop_columns for c in columns)
        return found

    def _drop(self, fault: _Fault, raw: RawRow) -> None:
        if fault.column not in self._dropped:  # one line per column, however many properties read it
            message = f"{fault.message}; the value was left out and the rest of the row loaded"
            self._dropped[fault.column] = Reject(
                raw.number, fault.column, _shown(fault.value), fault.reason, message, raw.original, dropped=True
            )

    def _computed(self, prop: PropertyMap, raw: RawRow, reading: int) -> Any:
        """`_compute`, answered from the property's earlier rows when its cells were the same text."""
        cache = self._across[reading]
        if cache is None:
            return self._compute(prop, raw)
        columns = prop.source.columns
        if len(columns) == 1:
            cells: Any = self._raw(columns[0], raw)
            if cells is not None and type(cells) is not str:
                return self._compute(prop, raw)  # 1, 1.0 and True are one key to a dict
        else:
            cells = tuple(self._raw(c, raw) for c in columns)
            if any(c is not None and type(c) is not str for c in cells):
                return self._compute(prop, raw)
        looked = self._looked[reading] = self._looked.get(reading, 0) + 1
        if looked == _ACROSS_TRIAL and len(cache) > _ACROSS_TRIAL * 0.8:
            self._across[reading] = None
        found = cache.get(cells, _UNSEEN)
        if found is _UNSEEN:
            if len(cache) >= _ACROSS_MAX:
                cache.clear()
            try:
                found = cache[cells] = self._compute(prop, raw)
            except _Fault as fault:
                cache[cells] = _untraced(fault)
                raise
        elif isinstance(found, _Fault):
            raise _untraced(found)
        return found

    def _compute(self, prop: PropertyMap, raw: RawRow) -> Any:
        source = prop.source
        if source.constant is not None:
            value: Any = source.constant
        elif len(source.columns) == 1:
            value = self._raw(source.columns[0], raw)
        else:
            parts = [self._raw(c, raw) for c in source.columns]
            value = source.join.join(_shown(p) for p in parts if p not in (None, "")) or None
        if source.derive:
            return self._derive(source.derive, value, prop)
        if source.lookup is not None and value not in (None, ""):
            text = unicodedata.normalize("NFKC", _shown(value)).strip()
            value = source.lookup.get(text, source.default)
        try:
            if source.format and isinstance(value, str) and value.strip():
                return _strptime(value.strip(), source.format, prop.type)
            return normalise(prop.type, value, values=prop.values, rule=prop.target.rule)
        except InvalidValue as exc:
            raise _Fault(self._column_label(prop), value, exc.reason, exc.message) from None

    def _derive(self, derive: str, value: Any, prop: PropertyMap) -> Any:
        # A row's ID number feeds its key and up to three derived values: cleaned once (text
        # only: a cell of another kind may not hash, and is refused anyway).
        memo_key = (_CLEANED_ID, value) if isinstance(value, str) else None
        id18 = self._memo.get(memo_key, _CLEANED_ID)
        if id18 is _CLEANED_ID:
            try:
                id18 = normalise("citizen_id", value)
            except InvalidValue as exc:
                raise _Fault(self._column_label(prop), value, exc.reason, exc.message) from None
            if memo_key is not None:
                self._memo[memo_key] = id18
        if id18 is None:
            return None
        if derive == "birth_date_from_id":
            return citizen_ids.birth_date(id18)
        if derive == "gender_from_id":
            return citizen_ids.gender(id18)
        return citizen_ids.region_code(id18)


def _untraced(fault: _Fault) -> _Fault:
    """A copy to keep, or raise again: the fault raised holds its traceback, whose frames hold
    the memo it would be kept in (a cycle, which a bulk load's paused collector would not free)."""
    return dataclasses.replace(fault)


def _expand_address(address: Address, props: dict[str, Any], parts: tuple[str, ...]) -> str:
    for part in parts:
        value = getattr(address, part, None)
        if value and part not in props:
            props[part] = value
    return address.full


def _strptime(text: str, fmt: str, value_type: str) -> date | datetime:
    from ingest.normalize import dates

    try:
        parsed = datetime.strptime(text, fmt)
    except ValueError as exc:
        reason = Reason.DATE_INVALID if value_type == "date" else Reason.DATETIME_INVALID
        raise InvalidValue(reason, f"{text!r} does not match the format {fmt} ({exc})") from None
    return parsed.date() if value_type == "date" else dates.clean_datetime(parsed)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)
