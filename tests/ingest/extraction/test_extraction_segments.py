"""Segments for the workbench: the text cut at its mentions, nothing lost, nothing misplaced."""

from __future__ import annotations

from ingest.extraction.case_view import LinkedMention
from ingest.extraction.segments import Segment, segments

TEXT = "报警人张三（电话13812345678）称<b>被盗</b>"


def mention(start, end, text=None, **extra):
    return {"start": start, "end": end, "text": text if text is not None else TEXT[start:end], **extra}


def test_segments_join_back_to_the_text_in_order():
    found = [mention(8, 19, entity_type="phone"), mention(3, 5, entity_type="person")]
    out = segments(TEXT, found)
    assert "".join(s.text for s in out) == TEXT
    assert [s.mention["entity_type"] if s.mention else None for s in out] == [None, "person", None, "phone", None]
    assert out[1] == Segment("张三", found[1])


def test_markup_in_the_text_stays_plain_text():
    out = segments(TEXT, [])
    assert out == [Segment(TEXT, None)]  # escaping is the renderer's job; nothing is interpreted here


def test_mentions_that_do_not_fit_are_left_out():
    found = [
        mention(3, 5, text="李四"),  # the text changed since extraction
        mention(-1, 2),
        mention(5, 5),
        mention(30, 99, text=None),
        {"start": "3", "end": 5},
    ]
    assert segments(TEXT, found) == [Segment(TEXT, None)]


def test_of_overlapping_mentions_the_first_and_longest_is_kept():
    long, short, inner = mention(3, 5), mention(3, 4), mention(4, 5)
    out = segments(TEXT, [inner, short, long])
    assert [s.mention for s in out if s.mention] == [long]


def test_mention_objects_pass_through_unchanged():
    linked = LinkedMention(3, 5, "张三", "person", 0.97, "Person", "330402198503121234", None)
    out = segments(TEXT, [linked])
    assert out[1].mention is linked and out[1].mention.resolved


def test_empty_text():
    assert segments("", [mention(0, 1, text="x")]) == []
