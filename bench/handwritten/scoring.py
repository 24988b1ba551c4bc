"""Scores on the hand-written reports, per type and per style.

ID numbers, phones, plates and persons count on exact spans (a name cut or run on by
one character is wrong); an address or named place counts when it overlaps a gold
address or place (where a place ends, 南湖区七一派出所 or 七一派出所, is a matter of taste
the graph does not care about). Each gold span is matched at most once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ingest.extraction.mentions import Mention
from training.corpus import Narrative
from training.evaluation import Score

GROUPS = {
    "person": "person",
    "id_number": "id_number",
    "phone": "phone",
    "plate": "plate",
    "address": "address/place",
    "place": "address/place",
}
GROUP_NAMES = ("person", "id_number", "phone", "plate", "address/place")
_OVERLAP = {"address/place"}


def _matches(group: str, gold: tuple[int, int], found: tuple[int, int]) -> bool:
    if group in _OVERLAP:
        return gold[0] < found[1] and found[0] < gold[1]
    return gold == found


def score_report(report: Narrative, mentions: Iterable[Mention], tally: dict[str, Counter]) -> None:
    """Add one report's hits, predictions and gold to `tally` (group -> Counter)."""
    gold: dict[str, list[tuple[int, int]]] = {g: [] for g in GROUP_NAMES}
    for a in report.annotations:
        gold[GROUPS[a.type]].append((a.start, a.end))
    found: dict[str, set[tuple[int, int]]] = {g: set() for g in GROUP_NAMES}
    for m in mentions:
        if m.entity_type in GROUPS:
            found[GROUPS[m.entity_type]].add((m.start, m.end))
    for group in GROUP_NAMES:
        left = list(gold[group])
        hits = 0
        for span in sorted(found[group]):
            hit = next((g for g in left if _matches(group, g, span)), None)
            if hit is not None:
                left.remove(hit)
                hits += 1
        tally[group].update(hits=hits, predicted=len(found[group]), gold=len(gold[group]))


def score(reports: list[Narrative], predictions: list[list[Mention]]) -> dict[str, dict[str, Score]]:
    """{"all" and each style: {group: Score}}."""
    tallies: dict[str, dict[str, Counter]] = {}
    for report, mentions in zip(reports, predictions, strict=True):
        for key in ("all", report.family):
            tally = tallies.setdefault(key, {g: Counter() for g in GROUP_NAMES})
            score_report(report, mentions, tally)
    return {
        key: {g: Score(g, c["hits"], c["predicted"], c["gold"]) for g, c in groups.items()}
        for key, groups in tallies.items()
    }
