import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize import InvalidValue
from ingest.normalize.address import Address, clean
from ingest.normalize.divisions import parse_division
from ingest.normalize.jiaxing import DISTRICTS, TOWNS
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of

CANONICAL = "浙江省嘉兴市南湖区东栅街道东湖小区3幢2单元501室"


@pytest.mark.parametrize(
    "raw",
    [
        CANONICAL,
        "嘉兴市南湖区东栅街道东湖小区3幢2单元501室",
        "南湖区东栅街道东湖小区3幢2单元501室",
        "浙江嘉兴南湖区东栅街道东湖小区3幢2单元501室",
        " 南湖区 东栅街道 东湖小区 3号楼 2单元 501室 ",
        "南湖区东栅街道东湖小区3栋2单元501室",
        "南湖区东栅街道东湖小区3座2单元501",
        "南湖区东栅街道东湖小区三幢二单元五〇一室",
        "南湖区东栅街道东湖小区３幢２单元５０１室",
        "南湖区东栅街道东湖小区3-2-501",
        "南湖区东栅街道东湖小区3－2－501室",
    ],
)
def test_spellings_of_one_address(raw: str) -> None:
    address = clean(raw)
    assert address == Address(CANONICAL, "南湖区", "东栅街道", "东湖小区", None, "3", "2", "501")


@pytest.mark.parametrize(
    ("raw", "full", "district"),
    [
        ("秀洲区新城街道洪兴路88号", "浙江省嘉兴市秀洲区新城街道洪兴路88号", "秀洲区"),
        ("嘉兴市王店镇建设村5组", "浙江省嘉兴市秀洲区王店镇建设村5组", "秀洲区"),  # district from the town
        ("桐乡乌镇镇西栅路5号", "浙江省嘉兴市桐乡市乌镇镇西栅路5号", "桐乡市"),  # short district name and a town of it
        ("嘉兴海宁许村镇许巷村3组", "浙江省嘉兴市海宁市许村镇许巷村3组", "海宁市"),
        ("平湖市当湖街道梅园新村12-301", "浙江省嘉兴市平湖市当湖街道梅园新村12幢301室", "平湖市"),
        ("嘉善县魏塘街道中山路8号3-1-202", "浙江省嘉兴市嘉善县魏塘街道中山路8号3幢1单元202室", "嘉善县"),
        ("海盐县武原街道文昌路12-3号", "浙江省嘉兴市海盐县武原街道文昌路12-3号", "海盐县"),  # a house number, not 12幢
        ("海宁市海洲街道工人路15号十二幢一百零一室", "浙江省嘉兴市海宁市海洲街道工人路15号12幢101室", "海宁市"),
        ("桐乡市梧桐街道 b座 3单元", "浙江省嘉兴市桐乡市梧桐街道B幢3单元", "桐乡市"),
        ("桐乡市梧桐街道九幢八单元七〇九室", "浙江省嘉兴市桐乡市梧桐街道9幢8单元709室", "桐乡市"),
        ("南湖区解放街道两百零六室", "浙江省嘉兴市南湖区解放街道206室", "南湖区"),
        ("嘉兴市中山路1号", "浙江省嘉兴市中山路1号", None),
        ("南湖区", "浙江省嘉兴市南湖区", "南湖区"),
    ],
)
def test_jiaxing(raw: str, full: str, district: str | None) -> None:
    address = clean(raw)
    assert (address.full, address.district) == (full, district)


def test_parts_of_a_road_address() -> None:
    address = clean("嘉兴市秀洲区新城街道洪兴路88号3号楼2单元501室")
    assert address == Address(
        "浙江省嘉兴市秀洲区新城街道洪兴路88号3幢2单元501室", "秀洲区", "新城街道", None, "洪兴路88号", "3", "2", "501"
    )


@pytest.mark.parametrize(
    ("raw", "full", "district"),
    [
        ("安徽省阜阳市临泉县城关镇人民路1号", "安徽省阜阳市临泉县城关镇人民路1号", "临泉县"),
        ("安徽阜阳临泉县城关镇", "安徽省阜阳市临泉县城关镇", "临泉县"),
        ("临泉县城关镇人民路1号3栋", "安徽省阜阳市临泉县城关镇人民路1号3栋", "临泉县"),  # the rest as given
        ("河南省信阳市固始县", "河南省信阳市固始县", "固始县"),
        ("北京市朝阳区建国路1号", "北京市朝阳区建国路1号", "朝阳区"),
        ("广西玉林博白县 博白镇", "广西壮族自治区玉林市博白县博白镇", "博白县"),
        ("新城街道洪兴路88号", "新城街道洪兴路88号", None),  # no district, but long enough to keep
        ("海口路123号某某大厦", "海口路123号某某大厦", None),  # a road named after a city is no city
    ],
)
def test_elsewhere(raw: str, full: str, district: str | None) -> None:
    address = clean(raw)
    assert (address.full, address.district) == (full, district)


@pytest.mark.parametrize("raw", ["12345", "3-2-501", "abc road", "某地", "朝阳区1号", 42, ["南湖区"]])
def test_rejects(raw: object) -> None:
    assert reason_of(clean, raw) is Reason.ADDRESS_INVALID


def test_blank_is_missing() -> None:
    assert reason_of(clean, "\u3000 ") is Reason.REQUIRED_MISSING


numerals = st.sampled_from(
    [
        ("1", "一"),
        ("2", "两"),
        ("3", "三"),
        ("9", "九"),
        ("10", "十"),
        ("12", "十二"),
        ("20", "二十"),
        ("105", "一百零五"),
    ]
)


@st.composite
def jiaxing_addresses(draw: st.DrawFn) -> tuple[str, str]:
    """A spelled address and the canonical form it should take."""
    code = draw(st.sampled_from(sorted(DISTRICTS)))
    district = DISTRICTS[code]
    town = draw(st.sampled_from(TOWNS[code]))
    place = draw(st.sampled_from(["梅湾社区", "东湖小区", "长水花园", "建设村", "文昌路12号", "中山东路8-2号"]))
    (building, building_cn), (unit, unit_cn) = draw(numerals), draw(numerals)
    room = draw(st.integers(101, 2999))
    canonical = f"浙江省嘉兴市{district}{town}{place}{building}幢{unit}单元{room}室"
    prefix = draw(st.sampled_from(["", "嘉兴市", "嘉兴", "浙江省嘉兴市", "浙江嘉兴"]))
    building_spelled = draw(st.sampled_from([f"{building}幢", f"{building}号楼", f"{building}栋", f"{building_cn}幢"]))
    unit_spelled = draw(st.sampled_from([f"{unit}单元", f"{unit_cn}单元"]))
    room_spelled = draw(st.sampled_from([f"{room}室", f"{room}"]))
    space = draw(st.sampled_from(["", " ", "\u3000"]))
    spelled = space.join([prefix + district, town, place, building_spelled + unit_spelled + room_spelled])
    if draw(st.booleans()):
        spelled = spelled.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    return spelled, canonical


@given(jiaxing_addresses())
def test_spellings_reach_the_canonical_form(case: tuple[str, str]) -> None:
    spelled, canonical = case
    assert clean(spelled).full == canonical


@given(jiaxing_addresses())
def test_idempotent_on_jiaxing_addresses(case: tuple[str, str]) -> None:
    address = clean(case[0])
    assert clean(address.full) == address


address_text = st.text(
    st.sampled_from(
        list("南湖区秀洲嘉善县平湖市海宁盐桐乡浙江省兴街道镇村社小花园新幢栋座号楼单元室路一二三十0123456789-·ａ ")
    ),
    max_size=30,
)


@given(address_text)
def test_idempotent_on_any_text(raw: str) -> None:
    try:
        address = clean(raw)
    except InvalidValue:
        return
    assert clean(address.full) == address


def test_jiaxing_districts_agree_with_the_division_table() -> None:
    for code, name in DISTRICTS.items():
        assert parse_division(name).code == code
    towns = [town for district_towns in TOWNS.values() for town in district_towns]
    assert len(towns) == len(set(towns))
