"""Dirty files (`--dirty`): rows that must be rejected and values that are
merely untidy.

The same source files are dirtied in two ways, and never on a row a planted
scenario cites:

* extra rows are inserted, each a copy of the row just written with exactly
  one fault (a fresh record key where the file has one, so the copy is no
  duplicate); the ground truth lists each with its row, column, value and
  reason code;
* some ordinary rows have a value rewritten into a form the importer must
  still accept (full-width digits, a plate with a separator, +86 phones, an old
  15-digit ID, an address variant); the ground truth lists them as loaded,
  with the canonical value they stand for.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass

from ingest.reject_reasons import Reason
from synth import citizen_ids, phones, plates
from synth.compounds import address_variants
from synth.sources import BY_NAME, SourceFile

# file -> ((column, fault), ...) inserted as rejected rows, and
#         ((column, variant), ...) rewritten in loaded rows
REJECTS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "household_registry.csv": (
        ("公民身份号码", "check_digit"),
        ("公民身份号码", "birth_date"),
        ("公民身份号码", "excel_number"),
        ("公民身份号码", "missing"),
        ("联系电话", "phone_invalid"),
        (None, "duplicate"),
        (None, "column_count"),
    ),
    "driving_licences.csv": (
        ("档案编号", "missing"),
        ("身份证明号码", "check_digit"),
        ("初次领证日期", "date_invalid"),
        ("驾驶证状态", "enum_invalid"),
        (None, "duplicate"),
        (None, "column_count"),
    ),
    "vehicle_registry.xlsx": (
        ("号牌号码", "plate_invalid"),
        ("号牌号码", "missing"),
        ("身份证明号码", "excel_number"),
        ("身份证明号码", "check_digit"),
        ("初次登记日期", "date_invalid"),
        (None, "duplicate"),
        (None, "column_count"),
    ),
    "floating_registrations.jsonl": (
        ("registrationNo", "missing"),
        ("idNumber", "birth_date"),
        ("phone", "phone_invalid"),
        ("registeredOn", "date_invalid"),
        ("channel", "enum_invalid"),
        (None, "duplicate"),
        (None, "malformed"),
    ),
    "dangerous_goods_sales.csv": (
        ("交易流水号", "missing"),
        ("交易时间", "datetime_invalid"),
        ("购买人证件号码", "check_digit"),
        ("数量", "number_invalid"),
        (None, "duplicate"),
        (None, "column_count"),
    ),
    "checkpoint_passages.csv": (
        ("过车编号", "missing"),
        ("号牌号码", "plate_invalid"),
        ("过车时间", "datetime_invalid"),
        (None, "duplicate"),
        (None, "column_count"),
    ),
    "gate_passages.jsonl": (
        ("recordId", "missing"),
        ("plateNo", "plate_invalid"),
        ("passTime", "datetime_invalid"),
        (None, "duplicate"),
        (None, "malformed"),
    ),
    "watch_list.xlsx": (("公民身份号码", "excel_number"), ("列入日期", "date_invalid"), (None, "duplicate")),
    "case_reports.jsonl": (("警情编号", "missing"), (None, "duplicate"), (None, "malformed")),
}
RECOVERABLE: dict[str, tuple[tuple[str, str], ...]] = {
    "household_registry.csv": (
        ("公民身份号码", "fullwidth"),
        ("联系电话", "plus86_spaced"),
        ("户籍地址", "address_variant"),
    ),
    "driving_licences.csv": (("身份证明号码", "fullwidth"), ("身份证明号码", "id15")),
    "vehicle_registry.xlsx": (
        ("号牌号码", "plate_dot"),
        ("号牌号码", "plate_lower"),
        ("联系电话", "plus86_dashed"),
        ("身份证明号码", "id15"),
        ("住所地址", "address_variant"),
    ),
    "floating_registrations.jsonl": (
        ("phone", "plus86_spaced"),
        ("residenceAddress", "address_variant"),
        ("landlordPhone", "dashed"),
    ),
    "dangerous_goods_sales.csv": (("购买人证件号码", "fullwidth"), ("购买人联系电话", "plus86_spaced")),
    "checkpoint_passages.csv": (
        ("号牌号码", "plate_dot"),
        ("号牌号码", "plate_hyphen"),
        ("号牌号码", "plate_lower"),
        ("号牌号码", "plate_fullwidth"),
    ),
    "gate_passages.jsonl": (("plateNo", "plate_dot"), ("plateNo", "plate_lower"), ("plateNo", "plate_fullwidth")),
    "watch_list.xlsx": (("公民身份号码", "fullwidth"),),
    "case_reports.jsonl": (),
}
REASONS = {
    "check_digit": Reason.CITIZEN_ID_CHECK_DIGIT,
    "birth_date": Reason.CITIZEN_ID_BIRTH_DATE,
    "excel_number": Reason.CITIZEN_ID_EXCEL_NUMBER,
    "missing": Reason.REQUIRED_MISSING,
    "phone_invalid": Reason.PHONE_INVALID,
    "plate_invalid": Reason.PLATE_INVALID,
    "date_invalid": Reason.DATE_INVALID,
    "datetime_invalid": Reason.DATETIME_INVALID,
    "enum_invalid": Reason.ENUM_INVALID,
    "number_invalid": Reason.NUMBER_INVALID,
    "duplicate": Reason.ROW_DUPLICATE,
    "column_count": Reason.ROW_COLUMN_COUNT,
    "malformed": Reason.ROW_MALFORMED,
}
# record-key column of each file, given a fresh value on inserted rows
RECORD_KEYS = {
    "driving_licences.csv": "档案编号",
    "vehicle_registry.xlsx": "号牌号码",
    "floating_registrations.jsonl": "registrationNo",
    "dangerous_goods_sales.csv": "交易流水号",
    "checkpoint_passages.csv": "过车编号",
    "gate_passages.jsonl": "recordId",
    "watch_list.xlsx": "条目编号",
    "case_reports.jsonl": "警情编号",
}
_IMPOSSIBLE = {
    "YYYY/M/D": "2019/2/30",
    "XLSX date": "2019-02-30",
    "YYYY-MM-DD": "2025-02-30",
    "YYYY.MM.DD": "2024.04.31",
    "YYYY/MM/DD HH:MM:SS": "2025/02/30 10:15:00",
    "YYYY-MM-DD HH:MM:SS": "2025-04-31 08:20:00",
    "ISO 8601 +08:00": "2025-02-29T09:30:00.000+08:00",
}
_INVALID_ENUM = {"驾驶证状态": "作废", "channel": "微信小程序"}


@dataclass
class Reject:
    row: int
    column: str | None
    value: str | None
    reason: str


@dataclass
class Recovered:
    row: int
    column: str
    value: str
    canonical: str
    variant: str


def _get(values, spec: SourceFile, column: str):
    return values[column] if isinstance(values, dict) else values[spec.header.index(column)]


def _set(values, spec: SourceFile, column: str, value):
    if isinstance(values, dict):
        values[column] = value
    else:
        values[spec.header.index(column)] = value


class FileDirt:
    """Decides, row by row, where one file gets its dirt."""

    def __init__(self, spec: SourceFile, seed_rng: random.Random, expected_rows: int, phantom_plate):
        self.spec = spec
        self.rng = seed_rng
        self.rejects_kinds = REJECTS[spec.name]
        self.recoverable_kinds = RECOVERABLE[spec.name]
        rows = max(expected_rows, 1)
        reject_target = min(400, max(2 * len(self.rejects_kinds), round(rows * 0.004)))
        recover_target = min(400, max(3 * len(self.recoverable_kinds), round(rows * 0.01)))
        self.p_reject = min(0.3, reject_target / rows)
        self.p_recover = min(0.3, recover_target / rows) if self.recoverable_kinds else 0.0
        self.reject_cap, self.recover_cap = reject_target, recover_target
        self.next_reject = self.next_recover = 0
        self.fresh = 0
        self.phantom_plate = phantom_plate
        self.last_template = None
        # rows to go until the next rewrite / insertion (geometric gaps: one draw per
        # event, not per row); the writer counts them down
        self.until_recover = self._gap(self.p_recover)
        self.until_reject = self._gap(self.p_reject)

    def _gap(self, p: float) -> int:
        if p <= 0:
            return 1 << 62
        return 1 + int(math.log(1.0 - self.rng.random()) / math.log(1.0 - p)) if p < 1 else 1

    # ---- loaded variants ---------------------------------------------------
    def recover(self, values) -> tuple[object, Recovered | None]:
        """Called when the countdown to the next loaded variant runs out."""
        self.until_recover = self._gap(self.p_recover)
        if not self.recoverable_kinds or self.next_recover >= self.recover_cap:
            return values, None
        column, variant = self.recoverable_kinds[self.next_recover % len(self.recoverable_kinds)]
        original = _get(values, self.spec, column)
        rewritten = _recover(variant, original, self.next_recover)
        if rewritten is None:
            return values, None
        self.next_recover += 1
        values = dict(values) if isinstance(values, dict) else list(values)
        _set(values, self.spec, column, rewritten)
        return values, Recovered(0, column, rewritten, original, variant)

    # ---- rejected rows -------------------------------------------------------
    def reject(self, written, clean) -> list[tuple[object, str | None, str | None, str]]:
        """Called when the countdown to the next rejected row runs out: rows to insert
        after the row just written, as (row values, column, value, reason). A duplicate
        copies the row as `written`; other faults start from its `clean` values."""
        self.until_reject = self._gap(self.p_reject)
        if self.next_reject >= self.reject_cap:
            return []
        made = self._make(written, clean, self.rejects_kinds[self.next_reject % len(self.rejects_kinds)])
        if made is not None:
            self.next_reject += 1
            return [made]
        return []

    def remaining(self) -> list[tuple[object, str | None, str | None, str]]:
        """Kinds a short file never reached, appended at its end so each file shows every fault."""
        used = min(self.next_reject, len(self.rejects_kinds))
        if self.last_template is None:
            return []
        out = []
        for kind in self.rejects_kinds[used:]:
            made = self._make(*self.last_template, kind)
            if made is not None:
                out.append(made)
        return out

    def _make(self, written, clean, kind: tuple[str | None, str]):
        column, fault = kind
        spec = self.spec
        if fault == "duplicate":
            return written, None, None, REASONS[fault]
        row = dict(clean) if isinstance(clean, dict) else list(clean)
        self.fresh += 1
        key_column = RECORD_KEYS.get(spec.name)
        if key_column and key_column != column:
            _set(row, spec, key_column, self._fresh_key(key_column, _get(row, spec, key_column)))
        if fault == "column_count":
            row = [*row, "补录"] if self.fresh % 2 or spec.format == "xlsx" else row[:-1]
            return row, None, None, REASONS[fault]
        if fault == "malformed":
            line = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
            return line[: len(line) // 2], None, line[: len(line) // 2], REASONS[fault]
        original = _get(row, spec, column)
        bad = self._fault(fault, column, original)
        if bad is None:
            self.fresh -= 1
            return None
        _set(row, spec, column, bad)
        return row, column, repr(bad) if isinstance(bad, float) else bad, REASONS[fault]

    def _fresh_key(self, column: str, value: str) -> str:
        if column == "档案编号":
            return f"9999{self.fresh:08d}"
        if column == "号牌号码":
            return self.phantom_plate(self.fresh)
        return f"{value}R{self.fresh}"

    def _fault(self, fault: str, column: str, original):
        col = self.spec.column(column)
        if fault == "missing":
            return ""
        if fault == "check_digit":
            return citizen_ids.with_wrong_check_digit(original) if len(original) == 18 else None
        if fault == "birth_date":
            return citizen_ids.with_impossible_birth_date(original, self.fresh) if len(original) == 18 else None
        if fault == "excel_number":
            if len(original) != 18 or not original.isdigit():
                return None
            if self.spec.format == "xlsx":
                return citizen_ids.excel_number_cell(original)
            return citizen_ids.excel_number_csv(original)
        if fault == "phone_invalid":
            return phones.invalid(original) if original else None
        if fault == "plate_invalid":
            return plates.invalid(original)
        if fault in ("date_invalid", "datetime_invalid"):
            return _IMPOSSIBLE[col.fmt]
        if fault == "enum_invalid":
            return _INVALID_ENUM[column]
        if fault == "number_invalid":
            return "三"
        raise ValueError(f"unknown fault {fault}")


# Variants that are a function of the value alone.
_RECOVERABLE = {
    "fullwidth": phones.fullwidth_digits,
    "plus86_spaced": phones.plus86_spaced,
    "plus86_dashed": phones.plus86_dashed,
    "dashed": phones.dashed,
    "plate_dot": plates.with_dot,
    "plate_hyphen": plates.with_hyphen,
    "plate_lower": plates.lower_case,
    "plate_fullwidth": plates.fullwidth,
}


def _recover(variant: str, value, choice: int):
    if not isinstance(value, str) or not value:
        return None
    if variant in _RECOVERABLE:
        return _RECOVERABLE[variant](value)
    if variant == "id15":
        # 18-digit numbers replaced the 15-digit ones in 1999: only people born
        # early enough to hold an ID card by then had one
        if len(value) != 18 or not "1900" <= value[6:10] <= "1983":
            return None
        return citizen_ids.to_15(value)
    if variant == "address_variant":
        return address_variants(value, choice) if value.startswith("浙江省嘉兴市") else None
    raise ValueError(f"unknown variant {variant}")


def dirt_for(name: str) -> bool:
    return BY_NAME[name].dirtied and name in REJECTS
