"""Precision, recall and F1 per entity type, on exact spans: a prediction counts
only when its start, end and type all equal a gold annotation's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.extraction.mentions import LINKED_TYPES, Mention
from training.corpus import Narrative


@dataclass(frozen=True)
class Score:
    entity_type: str
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(reports: Iterable[Narrative], predictions: Iterable[list[Mention]]) -> dict[str, Score]:
    """Scores per linked entity type (dates and times have no gold annotations)."""
    hits, predicted, gold = Counter(), Counter(), Counter()
    for report, mentions in zip(reports, predictions, strict=True):
        expected = {(a.start, a.end, a.type) for a in report.annotations}
        found = {(m.start, m.end, m.entity_type) for m in mentions if m.entity_type in LINKED_TYPES}
        for _, _, t in expected:
            gold[t] += 1
        for span in found:
            predicted[span[2]] += 1
            hits[span[2]] += span in expected
    return {t: Score(t, hits[t], predicted[t], gold[t]) for t in LINKED_TYPES}


def spans_score(reports: Iterable[Narrative], predicted_spans: Iterable[set[tuple[int, int, str]]]) -> dict[str, Score]:
    """The same, for bare (start, end, type) spans, as the training loop checks the NER alone."""
    reports = list(reports)
    as_mentions = [[Mention(s, e, "", t, None, 1.0, "ner") for s, e, t in spans] for spans in predicted_spans]
    return score(reports, as_mentions)
