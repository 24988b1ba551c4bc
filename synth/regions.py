"""Region codes for citizen ID numbers: Jiaxing's seven districts and counties for
locals, and the home counties of the floating population.

A region code is only valid for the years its county existed under that code,
and `stdnum.cn.ric` checks the code against the birth year. So each person gets
the code that was in force in their birth year (a Nanhu resident born in 1975
carries 332102, the pre-1983 code of Jiaxing city): every generated number
passes the same validation the importer uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import stdnum

from ingest.normalize import jiaxing


@dataclass(frozen=True)
class District:
    code: str  # today's six-digit code
    weight: float  # share of the city's population
    lat: float
    lon: float
    # (first year, last year or None, code) in force over time
    history: tuple[tuple[int | None, int | None, str], ...]

    @property
    def name(self) -> str:
        """南湖区: the importer's gazetteer holds the names."""
        return jiaxing.DISTRICTS[self.code]


# Jiaxing's districts and counties, their share of the population, centre, and
# the codes they carried (checked against stdnum's table by the tests).
DISTRICTS: tuple[District, ...] = (
    District("330402", 0.15, 30.747, 120.783, ((None, 1982, "332102"), (1983, None, "330402"))),
    District(
        "330411",
        0.13,
        30.774,
        120.700,
        ((None, 1981, "332121"), (1982, 1982, "332102"), (1983, None, "330411")),
    ),
    District("330421", 0.12, 30.830, 120.925, ((None, 1982, "332122"), (1983, None, "330421"))),
    District("330424", 0.08, 30.526, 120.946, ((None, 1982, "332125"), (1983, None, "330424"))),
    District(
        "330481",
        0.19,
        30.510,
        120.681,
        ((None, 1982, "332124"), (1983, 1985, "330423"), (1986, 1988, "339002"), (1989, None, "330481")),
    ),
    District(
        "330482",
        0.13,
        30.676,
        121.015,
        ((None, 1982, "332123"), (1983, 1990, "330422"), (1991, None, "330482")),
    ),
    District(
        "330483",
        0.20,
        30.631,
        120.565,
        ((None, 1982, "332126"), (1983, 1992, "330425"), (1993, None, "330483")),
    ),
)
DISTRICT_BY_CODE = {d.code: d for d in DISTRICTS}


def jiaxing_code(district: District, birth_year: int) -> str:
    for first, last, code in district.history:
        if (first is None or birth_year >= first) and (last is None or birth_year <= last):
            return code
    raise ValueError(f"no region code for {district.name} in {birth_year}")


@dataclass(frozen=True)
class OriginCounty:
    province: str
    prefecture: str
    county: str
    weight: float


# Home counties of the floating population (current names, used in their
# household-registration addresses); weights follow the usual origins of
# migrant workers in northern Zhejiang.
ORIGIN_COUNTIES: tuple[OriginCounty, ...] = tuple(
    OriginCounty(p, pre, c, w)
    for p, pre, c, w in (
        ("安徽省", "阜阳市", "临泉县", 5),
        ("安徽省", "阜阳市", "太和县", 4),
        ("安徽省", "阜阳市", "阜南县", 4),
        ("安徽省", "阜阳市", "颍上县", 3),
        ("安徽省", "六安市", "霍邱县", 3),
        ("安徽省", "蚌埠市", "怀远县", 2),
        ("安徽省", "宿州市", "灵璧县", 2),
        ("安徽省", "宿州市", "泗县", 2),
        ("安徽省", "宿州市", "萧县", 2),
        ("安徽省", "亳州市", "利辛县", 2),
        ("安徽省", "亳州市", "蒙城县", 2),
        ("安徽省", "亳州市", "涡阳县", 2),
        ("河南省", "信阳市", "固始县", 4),
        ("河南省", "信阳市", "商城县", 2),
        ("河南省", "信阳市", "光山县", 2),
        ("河南省", "信阳市", "淮滨县", 2),
        ("河南省", "信阳市", "息县", 2),
        ("河南省", "信阳市", "潢川县", 2),
        ("河南省", "周口市", "鹿邑县", 2),
        ("河南省", "周口市", "郸城县", 2),
        ("河南省", "周口市", "太康县", 2),
        ("河南省", "周口市", "沈丘县", 2),
        ("江西省", "上饶市", "余干县", 2),
        ("江西省", "上饶市", "万年县", 1),
        ("江西省", "九江市", "都昌县", 1),
        ("江西省", "赣州市", "于都县", 2),
        ("江西省", "赣州市", "兴国县", 1),
        ("四川省", "南充市", "南部县", 2),
        ("四川省", "南充市", "仪陇县", 2),
        ("四川省", "德阳市", "中江县", 1),
        ("四川省", "绵阳市", "三台县", 1),
        ("四川省", "达州市", "大竹县", 1),
        ("四川省", "达州市", "渠县", 1),
        ("贵州省", "毕节市", "织金县", 2),
        ("贵州省", "毕节市", "纳雍县", 2),
        ("贵州省", "毕节市", "赫章县", 1),
        ("贵州省", "遵义市", "湄潭县", 1),
        ("湖北省", "黄冈市", "红安县", 1),
        ("湖北省", "黄冈市", "蕲春县", 1),
        ("湖北省", "黄冈市", "浠水县", 1),
        ("湖南省", "娄底市", "新化县", 1),
        ("湖南省", "邵阳市", "隆回县", 1),
        ("湖南省", "益阳市", "桃江县", 1),
        ("湖南省", "衡阳市", "祁东县", 1),
        ("江苏省", "宿迁市", "沭阳县", 2),
        ("江苏省", "宿迁市", "泗阳县", 1),
        ("江苏省", "徐州市", "睢宁县", 1),
        ("江苏省", "徐州市", "丰县", 1),
        ("江苏省", "连云港市", "灌云县", 1),
        ("云南省", "昭通市", "镇雄县", 2),
        ("云南省", "曲靖市", "会泽县", 1),
        ("甘肃省", "定西市", "通渭县", 1),
        ("甘肃省", "白银市", "会宁县", 1),
        ("甘肃省", "天水市", "秦安县", 1),
        ("山东省", "菏泽市", "曹县", 1),
        ("山东省", "菏泽市", "单县", 1),
        ("山东省", "菏泽市", "郓城县", 1),
        ("广西壮族自治区", "玉林市", "博白县", 1),
        ("广西壮族自治区", "玉林市", "陆川县", 1),
    )
)


@cache
def _county_codes() -> dict[tuple[str, str], tuple[tuple[str, int | None, int | None], ...]]:
    """(province, county name) -> codes with the years they were in force, read
    from the region table that ships with python-stdnum."""
    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    found: dict[tuple[str, str], list[tuple[str, int | None, int | None]]] = {}
    province_code = province_name = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = re.search(r'"(.*)"', line)
        if match is None:
            continue
        if not line.startswith(" "):
            province_code, province_name = line.split(" ", 1)[0], match.group(1)
            continue
        code = province_code + line.split()[0]
        for part in match.group(1).split(","):
            span = re.fullmatch(r"\[(\d*)-(\d*)\](.*)", part)
            if span:
                first = int(span.group(1)) if span.group(1) else None
                last = int(span.group(2)) if span.group(2) else None
                found.setdefault((province_name, span.group(3)), []).append((code, first, last))
            else:
                found.setdefault((province_name, part), []).append((code, None, None))
    return {key: tuple(value) for key, value in found.items()}


def origin_code(county: OriginCounty, birth_year: int) -> str:
    for code, first, last in _county_codes()[(county.province, county.county)]:
        if (first is None or birth_year >= first) and (last is None or birth_year <= last):
            return code
    raise ValueError(f"no region code for {county.county} in {birth_year}")
