"""A doc's text, joined once per doc.

spaCy rebuilds `doc.text` from every token on each access, and this pipeline's tokens are
characters: five components reading a 300-character report's text cost it 1,500 token
objects each time. They read it through `text_of`, which keeps the first join on the doc."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "gb_text"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text
