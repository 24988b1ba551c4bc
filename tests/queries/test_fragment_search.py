"""Search as investigators search, on the sample: every planted wanted person is in the top
three hits for the last four digits of their ID number, for the middle four digits of a phone
of theirs and for five characters of a plate of theirs (without its province), and is found by
the pinyin initials of their name; the count of every hit comes with the cut list."""

from __future__ import annotations

from access.actor import Actor
from graph.initials import pinyin_initials
from queries import page_queries

ACTOR = Actor.cli("tester", case_ref="JX-1")

THEIRS = """
MATCH (p:Person {id_number: $id})
RETURN [(p)-[:HAS_PHONE]->(f:Phone) | f.number] AS phones, [(p)-[:OWNS]->(v:Vehicle) | v.plate] AS plates
"""


def planted_people(ground_truth: dict, kinds: tuple[str, ...] = ("wanted_person_active",)) -> list[str]:
    people = set()
    for scenario in ground_truth["scenarios"]:
        if scenario["kind"] in kinds or not kinds:
            for positive in scenario["positives"]:
                people.update(positive["entities"].get("Person", ()))
    return sorted(people)


def fragments(sample_graph, person: str) -> list[str]:
    theirs = sample_graph.read("test.theirs", THEIRS, {"id": person}).data()[0]
    out = [person[-4:]]
    out += [phone[3:7] for phone in theirs["phones"][:1]]
    out += [plate[2:7] for plate in theirs["plates"][:1]]
    return out


def test_every_planted_wanted_person_is_in_the_top_three_for_fragments_of_their_keys(
    sample_graph, runner, ground_truth
):
    people = planted_people(ground_truth)
    assert people
    misses = []
    for person in people:
        for fragment in fragments(sample_graph, person):
            outcome = runner.run(page_queries.SEARCH, {"text": fragment, "limit": 20}, actor=ACTOR)
            top = [row["entity"] for row in outcome.rows[:3]]
            if f"Person:{person}" not in top:
                misses.append((person, fragment, top))
    assert not misses, "\n".join(map(str, misses))


def test_the_total_is_counted_before_the_cut(sample_graph, runner):
    outcome = runner.run(page_queries.SEARCH, {"text": "浙F1", "limit": 5}, actor=ACTOR)
    assert len(outcome.rows) == 5 and outcome.rows[0]["total"] > 5


MANY = """
UNWIND range(1, $n) AS i
CREATE (:Person {id_number: '3304' + toString(1000000 + i) + '7770', name: '测试' + toString(i)})
"""


def test_a_fragment_inside_thousands_of_ids_says_its_total_is_a_floor(empty_graph, runner):
    # Past 2,500 IDs holding a fragment (not at their end) the search stops counting and says
    # the total is at least what it gives: counting ten thousand costs more than the search.
    empty_graph.write("test.many", MANY, {"n": 2600})
    many = runner.run(page_queries.SEARCH, {"text": "777", "limit": 5}, actor=ACTOR).rows
    assert len(many) == 5 and many[0]["more"] and many[0]["total"] == 2500
    few = runner.run(page_queries.SEARCH, {"text": "10000017770", "limit": 5}, actor=ACTOR).rows
    assert not few[0]["more"] and few[0]["total"] >= 1


def test_every_planted_wanted_person_is_found_by_their_names_pinyin_initials(sample_graph, runner, ground_truth):
    names = sample_graph.read(
        "test.names",
        "MATCH (p:Person) WHERE p.id_number IN $ids RETURN p.id_number AS id, p.name AS name",
        {"ids": planted_people(ground_truth)},
    ).data()
    assert names
    misses = []
    for row in names:
        initials = pinyin_initials(row["name"])
        outcome = runner.run(page_queries.SEARCH, {"text": initials.upper(), "limit": 200}, actor=ACTOR)
        found = [hit["entity"] for hit in outcome.rows]
        if f"Person:{row['id']}" not in found:
            misses.append((row["name"], initials, found[:5]))
        # Everyone with the initials comes before what the full-text index matched.
        named = {f"Person:{p}" for p in _initialled(sample_graph, initials)}
        assert set(found[: len(named)]) == named, (initials, found[: len(named)])
    assert not misses, "\n".join(map(str, misses))


def _initialled(graph, initials: str) -> list[str]:
    cypher = "MATCH (p:Person {name_initials: $i}) RETURN p.id_number AS id"
    return [r["id"] for r in graph.read("test.initialled", cypher, {"i": initials}).data()]


def test_every_chinese_name_of_the_sample_is_stored_with_its_initials(sample_graph):
    rows = sample_graph.read(
        "test.initials",
        "MATCH (p:Person) WHERE p.prov_file IS NOT NULL RETURN p.name AS name, p.name_initials AS initials",
    ).data()
    assert rows and all(row["initials"] == pinyin_initials(row["name"]) for row in rows)
    assert sum(1 for row in rows if row["initials"]) > 0.9 * len(rows)


INITIALLED = """
UNWIND range(1, $n) AS i
CREATE (:Person {id_number: 'X' + toString(i), name: '张超洋', name_initials: 'zcy'})
"""


def test_initials_shared_by_more_than_500_people_say_the_total_is_a_floor(empty_graph, runner):
    empty_graph.write("test.initialled", INITIALLED, {"n": 501})
    rows = runner.run(page_queries.SEARCH, {"text": "zcy", "limit": 5}, actor=ACTOR).rows
    assert len(rows) == 5 and rows[0]["more"] and rows[0]["total"] >= 500
    empty_graph.write("test.one_less", "MATCH (p:Person {id_number: 'X1'}) DETACH DELETE p")
    rows = runner.run(page_queries.SEARCH, {"text": "Z C Y", "limit": 5}, actor=ACTOR).rows
    assert not rows[0]["more"] and rows[0]["total"] == 500
