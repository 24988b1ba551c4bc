"""A saved query speaks the form's language: its description names the fields as the form
shows them, never a parameter's raw name, and every column of its result has a title in
both languages."""

from __future__ import annotations

import re

from graph.model import load_schema
from queries.cypher_text import parameters_used
from queries.readonly import check_read_only
from settings.table import PROJECT_ROOT
from workbench.column_words import COLUMN_WORDS, column_title


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_.]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def test_no_description_names_a_raw_parameter(catalog):
    found = []
    for query in catalog.queries.values():
        texts = [("query", query.description)] + [
            (f"parameter {p.name}", p.description) for p in query.parameters.values() if p.description
        ]
        for name in query.parameters:
            for where, words in texts:
                # English descriptions use everyday words that may also be a short parameter's
                # name ("a", "window"); a raw name with an underscore is never English.
                if _mentions(words.zh, name) or ("_" in name and _mentions(words.en, name)):
                    found.append(f"{query.id} ({where}) names {name}")
    assert found == []


def test_descriptions_name_the_fields_as_the_form_shows_them(catalog):
    knives = catalog.query("dangerous_goods.knives_multi_shop")
    assert "“销售点数下限”" in knives.description.zh and "“时间窗”" in knives.description.zh
    assert '"Fewest shops"' in knives.description.en and '"Window"' in knives.description.en


def test_every_column_of_every_pack_query_has_a_title_in_both_languages(gateway, catalog):
    missing, clashes = [], []
    for query in catalog.queries.values():
        columns = check_read_only(gateway, query.compiled, dict.fromkeys(parameters_used(query.compiled)))
        missing += [f"{query.id}.{c}" for c in columns if f"column.{c}" not in COLUMN_WORDS]
        for lang in ("zh", "en"):
            titles = [column_title(c, lang) for c in columns]
            if len(set(titles)) < len(titles):
                clashes.append(f"{query.id} ({lang}): {titles}")
    assert missing == [], f"columns without titles in workbench/column_words.py: {missing}"
    assert clashes == [], "two columns of one query under the same title"
    assert all(zh.strip() and en.strip() and zh != en for zh, en in COLUMN_WORDS.values())


def test_a_column_of_ones_own_pack_keeps_its_name():
    assert column_title("last_seen", "zh") == "最近出现"
    assert column_title("last_seen", "en") == "Last seen"
    assert column_title("my_column", "zh") == "my_column"


def test_a_column_named_as_a_property_shows_its_display_name():
    # A dataset keeps its own stored names (areaCode) so its queries run unchanged; the
    # table shows the name its schema file gives for reading.
    schema = load_schema(PROJECT_ROOT / "graph" / "schema", PROJECT_ROOT / "synth" / "casebook" / "schema")
    assert column_title("areaCode", "en", schema) == "Area code"
    assert column_title("areaCode", "zh", schema) == "区域代码"
    assert column_title("last_seen", "en", schema) == "Last seen"  # the catalogue's words first
    assert column_title("crimes", "en", schema) == "crimes"  # no property of that name
