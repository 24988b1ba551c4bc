"""Train the statistical NER (person, address) on annotated synthetic reports.

Deterministic: one seed fixes Python's, numpy's and thinc's random streams
(`spacy.util.fix_random_seed`), the examples come in a seeded order, and the
numeric work runs on one thread, so the same seed gives the same weights and the
same scores. The model is small on purpose (no vectors, a 64-wide tok2vec over
characters): a few MB to ship with the code. The model's shape (config, surname
feature) is the runtime's, in `ingest/extraction/architecture.py`.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.extraction.architecture import NER_LABELS, blank_pipeline, mark_surnames
from training.corpus import Narrative

DEFAULT_SEED = 20261128
DEFAULT_REPORTS = 1200
DEFAULT_EPOCHS = 8
BATCH_SIZE = 16
DROPOUT = 0.2
NAME_SHARE = 0.3
RECIPE_KEY = "goldenbell_recipe"  # the meta entry `training.recipe` checks


def single_thread() -> None:
    """One BLAS thread: summation order, and so the weights, do not depend on the machine."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def examples(nlp, reports: Iterable[Narrative]) -> list:
    from spacy.training import Example

    words = nlp.get_pipe("gb_words")
    out = []
    for report in reports:
        entities = [(a.start, a.end, a.type) for a in report.annotations if a.type in NER_LABELS]
        # the word tags are features the trained components read; set once, kept every epoch
        out.append(Example.from_dict(words(nlp.make_doc(report.text)), {"entities": entities}))
    return out


def training_reports(seed: int, count: int = DEFAULT_REPORTS) -> list[Narrative]:
    """The annotated reports the shipped model learns from: families A-C (the generator's
    templates and `train_templates`), train name pool, a fifth of the names re-drawn,
    filler sentences around them. Everything follows from `seed`."""
    from synth.narratives import TEMPLATES
    from training.corpus import narratives, vary_names, with_fillers
    from training.templates import EXTRA_TEMPLATES, FILLERS

    templates = {family: TEMPLATES[family] + EXTRA_TEMPLATES[family] for family in EXTRA_TEMPLATES}
    reports = narratives("train", count, seed, templates=templates)
    return with_fillers(vary_names(reports, seed + 1, NAME_SHARE), FILLERS, seed + 2)


def train(reports: Sequence[Narrative], *, seed: int, epochs: int = DEFAULT_EPOCHS, log=None):
    """A trained pipeline (tok2vec + ner), the same for the same reports and seed."""
    from spacy.util import fix_random_seed, minibatch

    single_thread()
    fix_random_seed(seed)
    nlp = blank_pipeline()
    mark_surnames(nlp.vocab)
    train_examples = examples(nlp, reports)
    optimizer = nlp.initialize(lambda: train_examples)
    order = random.Random(seed)
    for epoch in range(epochs):
        shuffled = list(train_examples)
        order.shuffle(shuffled)
        losses: dict[str, float] = {}
        for batch in minibatch(shuffled, size=BATCH_SIZE):
            nlp.update(batch, drop=DROPOUT, sgd=optimizer, losses=losses)
        if log:
            log(f"epoch {epoch + 1}/{epochs}: ner loss {losses.get('ner', 0.0):.1f}")
    return nlp


def save(nlp, out: Path, *, seed: int, reports: int, epochs: int, recipe: str) -> None:
    """Save the pipeline with its recipe (`training.recipe`) in its meta."""
    nlp.meta.update(
        {
            "name": "goldenbell_case_ner",
            "version": "0.1.0",
            "description": "Person and address NER for Chinese case reports, trained on synthetic reports "
            f"(families A-C, seed {seed}, {reports} reports, {epochs} epochs).",
            "license": "Apache-2.0",
            RECIPE_KEY: {"seed": seed, "reports": reports, "epochs": epochs, "fingerprint": recipe},
        }
    )
    nlp.to_disk(out)
