"""Province, prefecture and county at the start of a Chinese address.

The names and codes are python-stdnum's table of administrative divisions (the
one `stdnum.cn.ric` checks ID numbers with), current names only. Short forms
(浙江, 嘉兴) count only when the next name belongs to them, so a road called
海口路 is not read as the city of Haikou.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from stdnum import numdb

# municipalities: no prefecture between the city and its districts
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特別行政區|特别行政区)$")
_PREFECTURE_NAME = re.compile(r".+(?:市|地区|自治州|盟)$")
_PREFECTURE_SUFFIX = re.compile(r"(?:市|地区|盟)$")
_COUNTY_NAME = re.compile(r".+(?:区|县|市|旗|特区|林区)$")
_NOT_COUNTIES = frozenset({"市辖区", "郊区", "矿区", "城区"})


@dataclass(frozen=True)
class Division:
    province: str | None
    prefecture: str | None
    county: str | None
    code: str | None  # the county's six digits, or the prefecture's four, or the province's two
    rest: str  # what follows the names that were recognised

    def prefix(self) -> str:
        return "".join(part for part in (self.province, self.prefecture, self.county) if part)


@dataclass(frozen=True)
class _Tables:
    provinces: dict[str, str]  # name or short name -> 2-digit code
    province_names: dict[str, str]  # 2-digit code -> name
    prefectures: dict[str, list[str]]  # name or short name -> 4-digit codes
    prefecture_names: dict[str, str]  # 4-digit code -> name
    counties: dict[str, list[str]]  # name -> 6-digit codes
    county_names: dict[str, str]  # 6-digit code -> name
    lengths: tuple[int, ...]  # name lengths, longest first


def parse_division(text: str) -> Division:
    """The divisions named at the start of `text` (each may be missing), filled in
    upwards from a county whose name is unique."""
    tables = _tables()
    province, pos = _province_at(tables, text)
    prefecture, pos = _prefecture_at(tables, text, pos, province)
    county, pos = _name_at(tables, tables.counties, text, pos, prefecture or province)
    if county is None and prefecture is None and province is None:
        return Division(None, None, None, None, text)
    code = county or prefecture or province
    assert code is not None
    return Division(
        tables.province_names[code[:2]],
        tables.prefecture_names.get(code[:4]) if len(code) >= 4 else None,
        tables.county_names.get(code) if len(code) == 6 else None,
        code,
        text[pos:],
    )


def _province_at(tables: _Tables, text: str) -> tuple[str | None, int]:
    for length in tables.lengths:
        code = tables.provinces.get(text[:length])
        if code is None:
            continue
        if text[:length] == tables.province_names[code]:
            return code, length
        # a short form: only when a prefecture or county of that province follows
        if (
            _name_at(tables, tables.prefectures, text, length, code)[0]
            or _name_at(tables, tables.counties, text, length, code)[0]
        ):
            return code, length
    return None, 0


def _prefecture_at(tables: _Tables, text: str, pos: int, province: str | None) -> tuple[str | None, int]:
    code, end = _name_at(tables, tables.prefectures, text, pos, province)
    if code is None:
        return None, pos
    if text[pos:end] == tables.prefecture_names[code] or _name_at(tables, tables.counties, text, end, code)[0]:
        return code, end
    return None, pos


def _name_at(
    tables: _Tables, names: dict[str, list[str]], text: str, pos: int, within: str | None
) -> tuple[str | None, int]:
    """The code of the longest name at `pos`, when exactly one such code lies `within`
    the given division."""
    for length in tables.lengths:
        codes = names.get(text[pos : pos + length])
        if not codes:
            continue
        if within is not None:
            codes = [code for code in codes if code.startswith(within)]
        if len(codes) == 1:
            return codes[0], pos + length
    return None, pos


@cache
def _tables() -> _Tables:
    provinces: dict[str, str] = {}
    province_names: dict[str, str] = {}
    prefectures: dict[str, list[str]] = defaultdict(list)
    prefecture_names: dict[str, str] = {}
    counties: dict[str, list[str]] = defaultdict(list)
    county_names: dict[str, str] = {}
    for _, low, _, props, children in numdb.get("cn/loc").prefixes:
        name = props["province"]
        province_names[low] = name
        provinces[name] = low
        provinces[_PROVINCE_SUFFIX.sub("", name)] = low
        for _, suffix, _, child_props, _ in children:
            current = _current_name(child_props.get("county", ""))
            code = low + suffix
            if current is None or suffix.endswith("0000"):
                continue
            if suffix.endswith("00"):
                if low not in _MUNICIPALITIES and _PREFECTURE_NAME.fullmatch(current):
                    prefecture_names[code[:4]] = current
                    prefectures[current].append(code[:4])
                    short = _PREFECTURE_SUFFIX.sub("", current)
                    if len(short) >= 2 and short != current:
                        prefectures[short].append(code[:4])
            elif _COUNTY_NAME.fullmatch(current) and current not in _NOT_COUNTIES:
                county_names[code] = current
                counties[current].append(code)
    lengths = {len(name) for table in (provinces, prefectures, counties) for name in table}
    return _Tables(
        provinces,
        province_names,
        dict(prefectures),
        prefecture_names,
        dict(counties),
        county_names,
        tuple(sorted(lengths, reverse=True)),
    )


def _current_name(names: str) -> str | None:
    """The name in force today from stdnum's "[1983-1992]城区,[1993-2004]秀城区,[2005-]南湖区"."""
    for part in reversed(names.split(",")):
        if not part.startswith("["):
            return part or None
        span, name = part[1:].split("]", 1)
        if span.endswith("-"):
            return name
    return None
