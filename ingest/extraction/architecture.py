"""The shape of the shipped NER model: its spaCy config, and the surname feature the
model reads. The runtime builds its pipeline from these; `training/` trains weights
for the same shape.

Characters, not words: spaCy's Chinese tokenizer is configured with
`segmenter = "char"`. A statistical NER can only label whole tokens, and jieba's
words often swallow a name's edges (报警人张三称 may come out as 报警人 / 张三称), so
a word tokenizer caps recall below what the gold spans need; `bench/bench_extraction.py`
measures that cap. Characters align with every span, need no dictionary, and run
offline.
"""

from __future__ import annotations

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
