"""How an independent reader judges one value of a generated sample: is it valid
(and if not, the reject reason an importer gives), and what is its canonical form.
Written apart from the generator and the normalisers, so the tests compare two views."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime

from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

_PLATE = re.compile(r"^[\u4e00-\u9fa5][A-Z]([A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$")
_PHONE = re.compile(r"^1[3-9]\d{9}$")
_EXCEL = re.compile(r"^\d(\.\d+)?[eE]\+\d+$")
_DATE_PARSERS = {
    "YYYYMMDD": "%Y%m%d",
    "YYYY/M/D": "%Y/%m/%d",
    "YYYY-MM-DD": "%Y-%m-%d",
    "YYYY.MM.DD": "%Y.%m.%d",
    "XLSX date": "%Y-%m-%d",
    "YYYY/MM/DD HH:MM:SS": "%Y/%m/%d %H:%M:%S",
    "YYYY-MM-DD HH:MM:SS": "%Y-%m-%d %H:%M:%S",
    "ISO 8601 +08:00": "%Y-%m-%dT%H:%M:%S.000+08:00",
}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def canonical_id(value) -> str:
    text = nfkc(str(value)).upper()
    if len(text) == 15 and text.isdigit():
        first17 = text[:6] + "19" + text[6:]
        return first17 + ric.calc_check_digit(first17 + "0")
    return text


def canonical_plate(value: str) -> str:
    return re.sub(r"[·\-\s]", "", nfkc(value)).upper()


def canonical_phone(value: str) -> str:
    text = re.sub(r"[\s\-]", "", nfkc(value))
    return text[3:] if text.startswith("+86") else text


def canonical_address(value: str) -> str:
    text = re.sub(r"\s", "", nfkc(value))
    return "浙江省" + text if text.startswith("嘉兴市") else text


def id_fault(value) -> str | None:
    if isinstance(value, (int, float)) or (isinstance(value, str) and _EXCEL.match(value.strip())):
        return "citizen_id.excel_number"
    text = canonical_id(value)
    if not re.fullmatch(r"\d{17}[\dX]", text):
        return "citizen_id.format"
    try:
        ric.validate(text)
    except InvalidChecksum:
        return "citizen_id.check_digit"
    except InvalidComponent:
        try:
            ric.get_birth_date(text)
        except InvalidComponent:
            return "citizen_id.birth_date"
        return "citizen_id.region"
    except ValidationError:
        return "citizen_id.format"
    return None


def value_fault(column, value) -> str | None:
    if value is None or value == "":
        return "required.missing" if column.required else None
    kind = column.type
    if kind == "citizen_id":
        return id_fault(value)
    if kind == "phone":
        return None if _PHONE.match(canonical_phone(value)) else "phone.invalid"
    if kind == "plate":
        return None if _PLATE.match(canonical_plate(value)) else "plate.invalid"
    if kind in ("date", "datetime"):
        if isinstance(value, datetime):
            return None
        try:
            datetime.strptime(value, _DATE_PARSERS[column.fmt])
        except ValueError:
            return "date.invalid" if kind == "date" else "datetime.invalid"
        return None
    if kind == "enum":
        return None if value in column.values else "enum.invalid"
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return "number.invalid"
    return None
