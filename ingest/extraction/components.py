"""The spaCy components around the statistical NER: rules, gazetteer and merge.

Each writes what it found as `Mention`s on the doc (`doc._.gb_rules`,
`doc._.gb_gazetteer`); `gb_merge` turns them and the NER's `doc.ents` into the final
`doc._.gb_mentions` and sets `doc.ents` to the same spans, so spaCy's own tools
(displaCy, `doc.ents`) see the result too.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ingest.extraction import rules
from ingest.extraction.gazetteer import Gazetteer, widen
from ingest.extraction.mentions import Mention
from ingest.extraction.merge import GAZETTEER, GAZETTEER_SHORT_NAME, merge, ner_mention

for _name in ("gb_rules", "gb_gazetteer", "gb_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.component("gb_rules")
def rule_component(doc: Doc) -> Doc:
    doc._.gb_rules = rules.find_all(doc.text)
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
        text = doc.text
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


@Language.component("gb_merge")
def merge_component(doc: Doc) -> Doc:
    text = doc.text
    tags = [""] * len(text)
    for token in doc:
        tags[token.idx] = token.tag_
    ner = [m for e in doc.ents if (m := ner_mention(text, e.start_char, e.end_char, e.label_, tags)) is not None]
    mentions = merge(doc._.gb_rules or [], doc._.gb_gazetteer or [], ner)
    doc._.gb_mentions = mentions
    # every mention is on character boundaries, and the tokens are characters
    spans = (doc.char_span(m.start, m.end, label=m.entity_type) for m in mentions)
    doc.ents = [span for span in spans if span is not None]
    return doc
