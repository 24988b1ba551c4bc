"""The verdict on every passage row, a column at a time.

DuckDB accepts a row only where each value is already in the form the row-by-row
normalisers would return unchanged: an ID of plain characters, a canonical plate, a
wall-clock or +08:00 time that exists, a lane of digits, no driver ID or a valid one. Those rows are
most rows of a sensor file. Every other row goes through the graph importer's own
`RowMapper`, so a passage is accepted, cleaned or rejected (with the same reason and
message) exactly as `goldenbell ingest` would do it: the SQL only ever says "certainly
fine", never "wrong".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest.mapping import MappedRow, Reject, RowMapper
from ingest.normalize.citizen_id import EARLIEST_BIRTH_YEAR, PROVINCE_CODES
from ingest.normalize.plate import PROVINCES, SUFFIXES
from ingest.readers.base import RawRow

# The plate pattern of ingest.normalize.plate, in RE2's syntax (the same classes).
_L = "A-HJ-NP-Z"
PLATE_RE = f"[{PROVINCES}][{_L}](?:[{_L}0-9]{{5}}|[{_L}0-9]{{4}}[{SUFFIXES}]|[DF][{_L}0-9][0-9]{{4}}|[0-9]{{5}}[DF])"
_ID_RE = r"[0-9A-Za-z_.:\-]{1,64}"
_WORD_RE = r"[\p{Han}A-Za-z0-9]{1,16}"
# Beijing wall-clock time, or with +08:00 or Z; hour, minute and second in range so that the
# cast never rolls 24:00 over into the next day as a lenient parser might.
_CLOCK = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
_TIME_RE = rf"(?:199[2-9]|2[0-9]{{3}})-[0-9]{{2}}-[0-9]{{2}}[ T]{_CLOCK}(?:\+08:00|Z)?"


@dataclass(frozen=True)
class PassageColumns:
    """Which file column (c0, c1, …) feeds each passage field; None where the file has none."""

    passage_id: str
    plate: str
    place_id: str
    time: str
    direction: str | None
    lane: str | None
    driver_id: str | None
    plate_colour: str | None
    # header as written in the file, for reject lines about the place
    place_header: str


def _citizen_id_ok(d: str) -> str:
    """An 18-character ID the citizen-ID normaliser returns unchanged: province code, check
    digit (ISO 7064 MOD 11-2, as stdnum computes it) and a birth date that exists and is
    plausible."""
    provinces = "|".join(sorted(PROVINCE_CODES))
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = " + ".join(f"{w} * try_cast(substr({d}, {i + 1}, 1) AS INTEGER)" for i, w in enumerate(weights))
    born = f"try_strptime(substr({d}, 7, 8), '%Y%m%d')"
    return (
        f"(regexp_full_match({d}, '(?:{provinces})[0-9]{{15}}[0-9X]') "
        f"AND substr('10X98765432', ({total}) % 11 + 1, 1) = substr({d}, 18, 1) "
        f"AND {born} IS NOT NULL AND year({born}) >= {EARLIEST_BIRTH_YEAR} AND {born} <= current_date)"
    )


def _opt(column: str | None) -> str:
    return f"coalesce({column}, '')" if column else "''"


def row_hash(width: int, *, json: bool) -> str:
    """One 64-bit hash of a row as read (every column; for a JSON line not taken apart, its
    text): rows with different hashes differ, rows with equal ones are compared in full."""
    columns = ", ".join(f"c{i}" for i in range(width))
    return f"hash({columns}, CASE WHEN valid THEN NULL ELSE line END)" if json else f"hash({columns})"


def judged_select(cols: PassageColumns, relation: str, width: int, *, json: bool) -> str:
    """Every row of `relation` (k, number, c0, c1, …; for JSON lines also `line`, `valid` and
    `plain`, whether the line holds text values only) with `sure`, whether the SQL vouches
    for it, its hash `h` (`row_hash`) and its stored values, which mean something only
    where it does."""
    t = cols.time
    time_text = f"CASE WHEN regexp_matches({t}, '(\\+08:00|Z)$') THEN {t} ELSE {t} || '+08:00' END"
    ok = " AND ".join(
        [
            f"regexp_full_match({cols.passage_id}, '{_ID_RE}')",
            f"regexp_full_match({cols.plate}, '{PLATE_RE}')",
            f"regexp_full_match({cols.place_id}, '{_ID_RE}')",
            f"regexp_full_match({t}, '{_TIME_RE}')",
            f"try_cast({time_text} AS TIMESTAMPTZ) IS NOT NULL",
            f"regexp_full_match({_opt(cols.direction)}, '(?:{_WORD_RE})?')",
            f"regexp_full_match({_opt(cols.lane)}, '[0-9]{{0,9}}')",
            # CASE, not OR: a projection would work out the check digit of every empty ID too
            f"CASE WHEN {_opt(cols.driver_id)} = '' THEN true ELSE {_citizen_id_ok(cols.driver_id)} END"
            if cols.driver_id
            else "true",
            *(["plain"] if json else []),
        ]
    )
    # try_cast: a row the SQL does not vouch for may hold anything; its values are not used.
    return f"""
        SELECT k, number, coalesce({ok}, false) AS sure, {row_hash(width, json=json)} AS h,
               {cols.passage_id} AS passage_id, {cols.plate} AS plate, {cols.place_id} AS place_id,
               try_cast({time_text} AS TIMESTAMPTZ) AS time,
               nullif({_opt(cols.direction)}, '') AS direction,
               try_cast(nullif({_opt(cols.lane)}, '') AS INTEGER) AS lane,
               nullif({_opt(cols.driver_id)}, '') AS driver_id,
               nullif(trim({_opt(cols.plate_colour)}), '') AS plate_colour
        FROM {relation}
    """


@dataclass(frozen=True)
class Mapped:
    k: int
    number: int
    passage_id: str
    plate: str
    place_id: str
    time: datetime
    direction: str | None
    lane: int | None
    driver_id: str | None
    plate_colour: str | None


def map_slowly(
    mapper: RowMapper, rows: Iterable[tuple[int, RawRow]], plate_colour_header: str | None
) -> Iterator[Mapped | Reject]:
    """Each (k, row) through the row mapper: the passage to store, or the row's Reject."""
    for k, raw in rows:
        outcome = mapper.map(raw)
        if isinstance(outcome, Reject):
            yield outcome
            continue
        yield _passage(k, outcome, raw.values.get(plate_colour_header) if plate_colour_header else None)


def _passage(k: int, row: MappedRow, plate_colour: Any) -> Mapped:
    by_label = {e.label: e for e in row.entities}
    passage = by_label["Passage"]
    driver = by_label.get("Person")
    props = passage.properties
    colour = str(plate_colour).strip() if plate_colour not in (None, "") else None
    return Mapped(
        k,
        row.number,
        passage.key,
        props["plate"],
        props["place_id"],
        props["time"],
        props.get("direction"),
        props.get("lane"),
        driver.key if driver is not None else None,
        colour or None,
    )
