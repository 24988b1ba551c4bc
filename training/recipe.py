"""The shipped model's recipe as one fingerprint: what training reads and how it trains.

Retraining the shipped model takes minutes, too long for every test run. The fingerprint
takes seconds and changes whenever retraining could give another model: the annotated
reports (text, gold spans and every feature the model reads: norm, shape, word tag),
the model's config, the seed, epochs, batch size, dropout and the training loop's own
code. `training.train` records it in the model's meta; a test recomputes it, so a change
to the corpus, the features or the loop that is not followed by retraining fails at once.
Whether the recipe still reproduces the shipped scores is `make test-model`.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Sequence

from ingest.extraction.architecture import CONFIG, blank_pipeline, mark_surnames
from training import ner


def fingerprint(reports: Sequence[ner.Narrative], *, seed: int, epochs: int) -> str:
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8"))
            digest.update(b"\x1f")

    add(CONFIG, inspect.getsource(ner.train), inspect.getsource(ner.examples))
    add(seed, epochs, ner.BATCH_SIZE, ner.DROPOUT)
    nlp = blank_pipeline()
    mark_surnames(nlp.vocab)
    for example in ner.examples(nlp, reports):
        doc = example.reference
        add(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
        add("".join(f"{t.norm_}\x1e{t.shape_}\x1e{t.tag_}\x1d" for t in example.predicted))
    return digest.hexdigest()


def recorded(meta: dict) -> dict | None:
    """The recipe a model's meta names: seed, reports, epochs and fingerprint."""
    return meta.get(ner.RECIPE_KEY)
