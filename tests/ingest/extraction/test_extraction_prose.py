"""Police prose as it is written, not as the generator writes it: where an address ends,
places without house numbers, names cut or run on, names after role words, anonymised
and pinyin names, English addresses, landlines, and a graph full of names that are
only prefixes of the name in the text. One test per failure shape."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from ingest.extraction.extractor import Extractor
from ingest.extraction.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


def found(extractor: Extractor, text: str, entity_type: str) -> list[str]:
    return [m.text for m in extractor.extract(text) if m.entity_type == entity_type]


def test_an_address_stops_before_the_verb_phrase(extractor):
    assert found(extractor, "南湖区七一派出所民警在湖心岛码头巡查时发现一男子。", "address") == [
        "南湖区七一派出所",
        "湖心岛码头",
    ]
    (gate,) = found(extractor, "嘉善县魏塘街道某小区门岗抓拍系统预警，车辆多次进出。", "address")
    assert gate.startswith("嘉善县魏塘街道某小区") and "抓拍" not in gate
    (station,) = found(extractor, "平湖市当湖街道城北路瓶装燃气供应站报告，有人冒用其名义。", "address")
    assert station.startswith("平湖市当湖街道城北路") and not station.endswith("报告")


def test_a_room_level_address_is_not_cut_at_the_house_number(extractor):
    text = "报警人称其停放在南湖区庆丰南路66号3幢2单元501室楼下的电动车被盗。"
    assert found(extractor, text, "address") == ["南湖区庆丰南路66号3幢2单元501室"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("民警在平湖检查站执勤时查获一辆套牌车。", "平湖检查站"),
        ("5月8日凌晨，07省道嘉兴北检查站民警拦检一辆货车。", "07省道嘉兴北检查站"),
        ("两车在中山路与禾兴路交叉口相撞。", "中山路与禾兴路交叉口"),
        ("一渔民在澉浦码头与人斗殴。", "澉浦码头"),
        ("在新埭卡口被民警拦下。", "新埭卡口"),
        ("海宁市盐官景区观潮点有游客落水。", "海宁市盐官景区"),
    ],
)
def test_checkpoints_piers_junctions_and_scenic_areas_are_places(extractor, text, place):
    assert found(extractor, text, "address") == [place]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("经询问系王德胜（男，45岁），已带回调查。", "王德胜"),
        ("报警人张秀英称其电动车被盗。", "张秀英"),
        ("报警人许文杰称，其于当日下午被刮擦。", "许文杰"),
        ("车主郑伟于当晚到所说明情况。", "郑伟"),
        ("嫌疑人蒋涛被当场控制。", "蒋涛"),
    ],
)
def test_a_name_is_neither_cut_nor_run_on(extractor, text, name):
    assert found(extractor, text, "person") == [name]


def test_a_name_right_after_a_role_word(extractor):
    assert found(extractor, "民警卫其明在路口执勤。", "person") == ["卫其明"]
    assert found(extractor, "户主邓军报称其家中被盗。", "person") == ["邓军"]
    assert found(extractor, "报警人马文斌称其车辆被砸。", "person") == ["马文斌"]
    assert found(extractor, "房东钱美凤私自更换门锁，租客赵永刚报警。", "person") == ["钱美凤", "赵永刚"]


def test_customer_and_other_role_words_are_no_names(extractor):
    assert found(extractor, "顾客在超市购物时与店员发生口角，群众围观。", "person") == []
    assert found(extractor, "他在网上认识一个自称李总的人。", "person") == []


def test_anonymised_names_are_persons_that_resolve_to_nobody(extractor):
    text = "嫌疑人李某某被抓获，收购点老板施某已被传唤，驾驶员戴某某驾驶货车。"
    mentions = [m for m in extractor.extract(text) if m.entity_type == "person"]
    assert [(m.text, m.key) for m in mentions] == [("李某某", "李某某"), ("施某", "施某"), ("戴某某", "戴某某")]
    assert found(extractor, "某小区门口有人某日报警。", "person") == []


def test_pinyin_and_english_names_and_english_addresses(extractor):
    text = (
        "Reporter Wang Lei (mobile 13957368845) said his phone was stolen at room 302, No. 15 Zhongshan Road, "
        "Nanhu District, Jiaxing around 9 pm. Tourist John Smith was nearby."
    )
    assert found(extractor, text, "person") == ["Wang Lei", "John Smith"]
    assert found(extractor, text, "address") == ["room 302, No. 15 Zhongshan Road, Nanhu District, Jiaxing"]
    assert found(extractor, "Suspect 李国梁 was stopped at Pinghu checkpoint.", "address") == ["Pinghu checkpoint"]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("0573-8352 1147", "0573-83521147"),
        ("0573-82091234", "0573-82091234"),
        ("(0573)82091234", "0573-82091234"),
        ("0573 8209 1234", "0573-82091234"),
        ("021-64381177", "021-64381177"),
    ],
)
def test_landlines_are_phones_in_one_canonical_form(extractor, written, key):
    text = f"报警人称对方电话{written}已打不通。"
    assert [(m.text, m.key) for m in extractor.extract(text) if m.entity_type == "phone"] == [(written, key)]


def test_a_known_name_that_is_only_a_prefix_never_cuts_the_mention_short():
    extractor = Extractor.load(gazetteer=Gazetteer.from_values(["孙丽", "李明", "陈志", "赵永", "王德"], []))
    text = "驾驶员孙丽华无法出示驾驶证，报警人李明亮称，嫌疑人陈志强与赵永刚、王德胜一同离开。"
    assert found(extractor, text, "person") == ["孙丽华", "李明亮", "陈志强", "赵永刚", "王德胜"]
    # and a known name the text writes exactly is confirmed by it
    (confirmed,) = [m for m in extractor.extract("报警人李明称其被骗。") if m.entity_type == "person"]
    assert confirmed.text == "李明" and confirmed.source.endswith("+gazetteer") and confirmed.confidence == 0.97


def test_a_wrong_check_digit_is_never_an_id_number(extractor):
    body = "33040219900101123"
    good = body + ric.calc_check_digit(body + "0")
    bad = body + next(d for d in "0123456789X" if d != good[17])
    text = f"The ID card {bad} shown by Zhang Tao failed the check digit; his real number is {good}."
    assert found(extractor, text, "id_number") == [good]
