from access.masking import mask_citizen_id, mask_phone, mask_properties, mask_text


def test_ids_and_phones_keep_only_what_the_rules_allow():
    assert mask_citizen_id("330402199001011234") == "330402********1234"
    assert mask_phone("13812345678") == "138****5678"


def test_numbers_inside_free_text_are_masked():
    text = "张三（身份证号330402199001011234，电话138-1234-5678）在浙F12345车内"
    assert mask_text(text) == "张三（身份证号330402********1234，电话138****5678）在浙F12345车内"


def test_schema_marked_properties_are_masked_by_label(schema):
    props = {"id_number": "330402199001011234", "name": "张三", "hukou_address": "南湖区"}
    masked = mask_properties(schema, ["Person"], props)
    assert masked == {"id_number": "330402********1234", "name": "张三", "hukou_address": "南湖区"}
    assert mask_properties(schema, ["Phone"], {"number": "13812345678"}) == {"number": "138****5678"}
