"""The case reports of a first load are extracted beforehand with a gazetteer read from the
staged graph as `Gazetteer.from_graph` reads the graph; a text not extracted beforehand
still finds its mentions."""

from __future__ import annotations

from ingest.bulk.case_mentions import ADDRESS, NAME, PERSON, staged_gazetteer
from ingest.bulk.stage import StagedGraph
from ingest.extraction.cases import Extracted
from ingest.extraction.gazetteer import ADDRESS_KEYS, PERSON_NAMES
from ingest.extraction.mentions import Mention


def test_the_staged_gazetteer_reads_what_the_graph_query_reads():
    assert f"(p:{PERSON})" in PERSON_NAMES and f"p.{NAME}" in PERSON_NAMES
    assert f"(a:{ADDRESS})" in ADDRESS_KEYS and "a.address_id" in ADDRESS_KEYS


def test_the_staged_gazetteer_takes_the_last_staged_first(schema):
    graph = StagedGraph(schema)
    for i, name in enumerate(["张三", None, "李四", "王五"]):
        graph.merge_node(PERSON, f"id-{i}", {NAME: name}, fill=False, at=(0, i))
    for i in range(3):
        graph.merge_node(ADDRESS, f"浙江省嘉兴市南湖区{i}号", {}, fill=False, at=(0, i))
    names, addresses, truncated = staged_gazetteer(graph, limit=2)
    assert names == ["王五", "李四"] and truncated
    assert addresses == ["浙江省嘉兴市南湖区2号", "浙江省嘉兴市南湖区1号"]
    assert staged_gazetteer(graph, limit=3)[::2] == (["王五", "李四", "张三"], False)


class _Extractor:
    def __init__(self):
        self.asked: list[str] = []

    def extract(self, text: str) -> list[Mention]:
        self.asked.append(text)
        return [Mention(0, len(text), text, "person", text, 1.0, "rule")]


def test_a_text_not_extracted_beforehand_goes_to_the_extractor():
    made: list[_Extractor] = []

    def fallback() -> _Extractor:
        made.append(_Extractor())
        return made[-1]

    before = Mention(0, 2, "张三", "person", "张三", 1.0, "rule")
    extracted = Extracted({"张三来了": [before], "无人": []}, fallback)
    found = list(extracted.extract_many(["张三来了", "无人", "李四"]))
    assert found[:2] == [[before], []]
    assert [m.text for m in found[2]] == ["李四"]
    assert len(made) == 1 and made[0].asked == ["李四"]
