"""Word knowledge for a character pipeline: jieba's segmentation as a token feature.

The pipeline's tokens are characters (every gold span aligns with them); jieba adds
what characters alone do not show: where its words begin and end, and whether a word
is in its dictionary or was guessed (unknown names usually are). Each character token
gets a tag such as "Bk2" (begins a known two-character word) or "Eu3" (ends a guessed
three-character word) in `token.tag_`, which the tok2vec embeds. jieba's words are
features, never span boundaries: it splits 网友张岩岚以投资 as 网友/张岩岚以/投资, which a
word-level NER could not undo.
"""

from __future__ import annotations

import logging
from functools import cache

import numpy
from spacy.attrs import IDX, TAG
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extraction.doc_text import text_of

MAX_WORD_LENGTH = 4


@cache
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def char_tags(text: str) -> list[str]:
    """One tag per character of `text` (whitespace included, tagged "S")."""
    tokenizer = _tokenizer()
    tags: list[str] = []
    for word in tokenizer.cut(text, HMM=True):
        known = "k" if tokenizer.FREQ.get(word) else "u"
        size = min(len(word), MAX_WORD_LENGTH)
        if len(word) == 1:
            tags.append(f"S{known}1")
        else:
            tags.extend([f"B{known}{size}"] + [f"M{known}{size}"] * (len(word) - 2) + [f"E{known}{size}"])
    return tags


@Language.component("gb_words")
def word_component(doc: Doc) -> Doc:
    tags = char_tags(text_of(doc))
    strings = doc.vocab.strings
    # one array in, not a Token object per character: this runs on every character of every report
    starts = doc.to_array(IDX)
    doc.from_array([TAG], numpy.array([strings.add(tags[i]) for i in starts], dtype=numpy.uint64).reshape(-1, 1))
    return doc
