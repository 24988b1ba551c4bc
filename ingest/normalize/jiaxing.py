"""Jiaxing's seven districts and counties and their towns and streets (乡镇街道).

The towns let an address that names only the town (嘉兴市王店镇…, 桐乡濮院镇…)
find its district, and let the town be split off without guessing where it ends
(乌镇镇 is the town of Wuzhen). A town missing here is still split off by its
suffix; only the district inference needs the list.
"""

from __future__ import annotations

PROVINCE = "浙江省"
CITY = "嘉兴市"
CITY_CODE = "3304"

DISTRICTS: dict[str, str] = {
    "330402": "南湖区",
    "330411": "秀洲区",
    "330421": "嘉善县",
    "330424": "海盐县",
    "330481": "海宁市",
    "330482": "平湖市",
    "330483": "桐乡市",
}
# 桐乡 for 桐乡市: registries drop the suffix; accepted only when a town of that district follows
SHORT_NAMES: dict[str, str] = {name[:2]: code for code, name in DISTRICTS.items()}

TOWNS: dict[str, tuple[str, ...]] = {
    "330402": (
        "解放街道",
        "建设街道",
        "新嘉街道",
        "南湖街道",
        "新兴街道",
        "城南街道",
        "东栅街道",
        "长水街道",
        "七星街道",
        "大桥镇",
        "新丰镇",
        "凤桥镇",
        "余新镇",
    ),
    "330411": ("新城街道", "嘉北街道", "塘汇街道", "高照街道", "王江泾镇", "油车港镇", "新塍镇", "王店镇", "洪合镇"),
    "330421": ("魏塘街道", "罗星街道", "惠民街道", "大云镇", "西塘镇", "干窑镇", "陶庄镇", "姚庄镇", "天凝镇"),
    "330424": ("武原街道", "西塘桥街道", "望海街道", "秦山街道", "沈荡镇", "百步镇", "于城镇", "通元镇", "澉浦镇"),
    "330481": (
        "海洲街道",
        "硖石街道",
        "海昌街道",
        "马桥街道",
        "许村镇",
        "长安镇",
        "周王庙镇",
        "盐官镇",
        "斜桥镇",
        "丁桥镇",
        "袁花镇",
        "黄湾镇",
    ),
    "330482": (
        "当湖街道",
        "钟埭街道",
        "曹桥街道",
        "乍浦镇",
        "新埭镇",
        "新仓镇",
        "黄姑镇",
        "林埭镇",
        "广陈镇",
        "独山港镇",
    ),
    "330483": (
        "梧桐街道",
        "凤鸣街道",
        "龙翔街道",
        "高桥街道",
        "濮院镇",
        "屠甸镇",
        "乌镇镇",
        "洲泉镇",
        "大麻镇",
        "河山镇",
        "石门镇",
        "崇福镇",
    ),
}
# town -> district code; every town name above is unique within Jiaxing
TOWN_DISTRICT: dict[str, str] = {town: code for code, towns in TOWNS.items() for town in towns}
TOWN_LENGTHS: tuple[int, ...] = tuple(sorted({len(town) for town in TOWN_DISTRICT}, reverse=True))


def town_at(text: str) -> str | None:
    """The Jiaxing town or street `text` starts with, longest name first."""
    for length in TOWN_LENGTHS:
        if text[:length] in TOWN_DISTRICT:
            return text[:length]
    return None
