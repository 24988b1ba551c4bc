"""The spaCy components around the statistical NER: rules, gazetteer and merge.

Each writes what it found as `Mention`s on the doc (`doc._.gb_rules`,
`doc._.gb_gazetteer`); `gb_lexical` (`lexical.py`) writes LAC's words; `gb_merge` turns
them (through `person_spans`, `place_spans` and `english`) and the NER's `doc.ents` into the final
`doc._.gb_mentions` and sets `doc.ents` to the same spans, so spaCy's own tools
(displaCy, `doc.ents`) see the result too.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ingest.extraction import english, person_spans, place_spans, rules
from ingest.extraction.doc_text import text_of
from ingest.extraction.gazetteer import Gazetteer, widen
from ingest.extraction.mentions import Mention
from ingest.extraction.merge import GAZETTEER, GAZETTEER_SHORT_NAME, merge, ner_mention
from ingest.extraction.surnames import looks_like_name

# LAC's tags of words that are no part of a name: a person the NER found over one of
# them (钱打到: 钱 / 打 / 到) is a misreading. LOC is no veto: LAC reads some unseen names as places.
_NOT_IN_NAMES = {"v", "vd", "p", "u", "c", "d", "r", "xc", "w", "q", "f", "TIME"}

for _name in ("gb_rules", "gb_gazetteer", "gb_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("gb_rules")
def rule_component(doc: Doc) -> Doc:
    doc._.gb_rules = rules.find_all(text_of(doc))
    return doc


class GazetteerMatcher:
    """Matches the gazetteer's names and addresses; empty until `use()` is given one."""

    def __init__(self, nlp: Language):
        self.vocab = nlp.vocab
        self.gazetteer = Gazetteer()
        self._matcher = PhraseMatcher(nlp.vocab)

    def use(self, gazetteer: Gazetteer) -> None:
        matcher = PhraseMatcher(self.vocab)
        # the pipeline segments characters, so a pattern is its characters
        matcher.add("person", [Doc(self.vocab, words=list(name)) for name in gazetteer.names])
        matcher.add("address", [Doc(self.vocab, words=list(written)) for written in gazetteer.addresses])
        self._matcher, self.gazetteer = matcher, gazetteer

    def __call__(self, doc: Doc) -> Doc:
        found = []
        text = text_of(doc)
        for match_id, start, end in self._matcher(doc):
            span = doc[start:end]
            label = self.vocab.strings[match_id]
            if label == "person":
                confidence = GAZETTEER_SHORT_NAME if len(span.text) <= 2 else GAZETTEER
                found.append(
                    Mention(span.start_char, span.end_char, span.text, "person", span.text, confidence, "gazetteer")
                )
            else:
                begin = widen(text, span.start_char)
                key = self.gazetteer.addresses[span.text]
                found.append(
                    Mention(begin, span.end_char, text[begin : span.end_char], "address", key, GAZETTEER, "gazetteer")
                )
        doc._.gb_gazetteer = found
        return doc


@Language.factory("gb_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerMatcher:
    return GazetteerMatcher(nlp)


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def _trimmed(text: str, m: Mention, words) -> Mention | None:
    """An NER person that ran on into a function character, cut back (郑伟于 → 郑伟); an
    NER address cut where LAC's words stop being an address."""
    if m.entity_type == "address":
        return place_spans.trim_ner(text, m, words)
    end = person_spans.trim(text, m.start, m.end)
    if end == m.end:
        return m
    span = text[m.start : end]
    return Mention(m.start, end, span, "person", span, m.confidence, m.source) if looks_like_name(span) else None


def _against_words(m: Mention, words) -> bool:
    """An NER person that ends inside one of LAC's words, or holds a word LAC reads as a
    verb, preposition, place or time (a word straddling its start does not count: LAC
    reads 户名为何琦岩 as 为何 / 琦岩)."""
    if m.entity_type != "person":
        return False
    if person_spans.is_title(m.text):
        return True
    inside = [w for w in words if w.start < m.end and m.start < w.end]
    if inside and inside[-1].end != m.end:
        return True  # it ends inside a word: 许婷到 of 许婷 / 到所
    return any(w.tag in _NOT_IN_NAMES for w in inside if m.start <= w.start)


@Language.component("gb_merge")
def merge_component(doc: Doc) -> Doc:
    text = text_of(doc)
    tags = [""] * len(text)
    for token in doc:
        tags[token.idx] = token.tag_
    words, rule_mentions = doc._.gb_lexical, doc._.gb_rules or []
    ner = [m for e in doc.ents if (m := ner_mention(text, e.start_char, e.end_char, e.label_, tags)) is not None]
    lexical: list[Mention] | None = None
    if words is not None:
        ner = [m for m in (_trimmed(text, m, words) for m in ner) if m is not None and not _against_words(m, words)]
        lexical = [
            *place_spans.find(text, words, rule_mentions),
            *(m for m in english.find_places(text) if not any(_overlaps(m, r) for r in rule_mentions)),
            *person_spans.find(text, words, rule_mentions),
        ]
    mentions = merge(rule_mentions, doc._.gb_gazetteer or [], ner, lexical)
    doc._.gb_mentions = mentions
    # every mention is on character boundaries, and the tokens are characters
    spans = (doc.char_span(m.start, m.end, label=m.entity_type) for m in mentions)
    doc.ents = [span for span in spans if span is not None]
    return doc
