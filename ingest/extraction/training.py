"""Train the statistical NER (person, address) on annotated synthetic reports.

Deterministic: one seed fixes Python's, numpy's and thinc's random streams
(`spacy.util.fix_random_seed`), the examples come in a seeded order, and the
numeric work runs on one thread, so the same seed gives the same weights and the
same scores. The model is small on purpose (no vectors, a 64-wide tok2vec over
characters): a few MB to ship with the code.

Characters, not words: spaCy's Chinese tokenizer is configured with
`segmenter = "char"`. A statistical NER can only label whole tokens, and jieba's
words often swallow a name's edges (报警人张三称 may come out as 报警人 / 张三称), so
a word tokenizer caps recall below what the gold spans need; `bench/bench_extraction.py`
measures that cap. Characters align with every span, need no dictionary, and run
offline.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from ingest.extraction.corpus import Narrative
from ingest.extraction.surnames import SINGLE

NER_LABELS = ("person", "address")
SURNAME_SHAPE = "S"

CONFIG = """
[nlp]
lang = "zh"
pipeline = ["gb_words", "tok2vec", "ner"]
batch_size = 64

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "char"

[components]

[components.gb_words]
factory = "gb_words"

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
attrs = ["NORM", "SHAPE", "TAG"]
rows = [4000, 100, 100]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 64
upstream = "tok2vec"
"""

DEFAULT_SEED = 20261128
DEFAULT_REPORTS = 1200
DEFAULT_EPOCHS = 8
BATCH_SIZE = 16
DROPOUT = 0.2
NAME_SHARE = 0.3


def single_thread() -> None:
    """One BLAS thread: summation order, and so the weights, do not depend on the machine."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def blank_pipeline():
    from spacy.util import load_model_from_config
    from thinc.api import Config

    from ingest.extraction import words  # noqa: F401 - registers gb_words

    return load_model_from_config(Config().from_str(CONFIG), auto_fill=True, validate=True)


def mark_surnames(vocab) -> None:
    """Give surname characters the shape "S" (other Chinese characters have "x"): the one
    feature that tells the model where a name may start, for names it has never seen.
    Lexeme shapes are not saved with a pipeline, so `pipeline.load` marks them again."""
    for char in SINGLE:
        vocab[char].shape_ = SURNAME_SHAPE


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
    from ingest.extraction.corpus import narratives, vary_names, with_fillers
    from ingest.extraction.train_templates import EXTRA_TEMPLATES, FILLERS
    from ingest.synth.narratives import TEMPLATES

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


def save(nlp, out: Path, *, seed: int, reports: int, epochs: int) -> None:
    nlp.meta.update(
        {
            "name": "goldenbell_case_ner",
            "version": "0.1.0",
            "description": "Person and address NER for Chinese case reports, trained on synthetic reports "
            f"(families A-C, seed {seed}, {reports} reports, {epochs} epochs).",
            "license": "Apache-2.0",
        }
    )
    nlp.to_disk(out)
