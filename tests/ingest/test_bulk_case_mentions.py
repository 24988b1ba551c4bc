"""The case reports of a first load are extracted beforehand with a gazetteer read from the
staged graph as `Gazetteer.from_graph` reads the graph, the texts' own steps before the
gazetteer is known; a text not extracted beforehand still finds its mentions."""

from __future__ import annotations

import multiprocessing

from ingest.bulk.case_mentions import ADDRESS, NAME, PERSON, MentionsBeside, extract, staged_gazetteer
from ingest.bulk.stage import StagedGraph
from ingest.extraction.cases import Extracted
from ingest.extraction.extractor import Extractor
from ingest.extraction.gazetteer import ADDRESS_KEYS, PERSON_NAMES, Gazetteer
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


def test_extraction_begun_before_the_gazetteer_finds_what_the_whole_pipeline_finds():
    names = ["欧阳明轩", "朱怡怡", "钱多多"]
    addresses = ["浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元601室", "浙江省嘉兴市桐乡市屠甸镇东栅社区丽景里7幢"]
    begun = [
        "市民朱怡怡反映，欧阳明轩在新兴社区3幢2单元601室门口与人争吵。",
        "报警人钱多多称其电动车在丽景里7幢楼下被盗，联系电话13812345678。",
    ]
    staged = [*begun[1:], "民警在浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元601室找到欧阳明轩。"]  # one changed since
    receive, send = multiprocessing.Pipe(duplex=False)
    send.send((names, addresses, False, staged))
    send.close()

    found = extract(begun, receive)

    whole = Extractor.load(gazetteer=Gazetteer.from_values(names, addresses, truncated=False))
    assert list(found) == staged
    assert list(found.values()) == list(whole.extract_many(staged))
    assert any(m.source == "gazetteer" for mentions in found.values() for m in mentions)


def test_a_load_stopped_while_the_gazetteer_is_handed_over_does_not_wait_for_it(schema):
    graph = StagedGraph(schema)
    for i in range(30_000):  # far more than a pipe holds: the hand-over waits for the reader
        graph.merge_node(PERSON, f"id-{i}", {NAME: f"张{i}"}, fill=False, at=(0, i))
    beside = MentionsBeside(["市民朱怡怡反映，欧阳明轩在新兴社区门口与人争吵。"] * 20)
    beside.finish(graph, [])
    beside.stop()
    assert not beside._handing.is_alive()
