"""Text extraction on held-out case reports: precision, recall and F1 per entity type,
and throughput, for the full pipeline beside what each part adds.

The reports come from the generator's held-out families D (fraud) and E (requests
for help): templates, wording and the pool of unknown names the model never saw
(it trains on A-C), in a synthetic world built from another seed than training's.
Matching is on exact spans: a prediction counts only when its start, end and type
all equal a gold annotation's. Throughput is reports per second through the whole
pipeline on one thread, median of the runs.

    full            rules + gazetteer (the evaluation world's registry: what the graph
                    holds once it is imported) + statistical NER
    no gazetteer    rules + NER: names and addresses the graph does not hold
    no NER          rules + gazetteer only
    jieba           rules + jieba's own person tagging (posseg "nr") on jieba words

and, for the jieba baseline, the share of gold person and address spans whose both
ends fall on jieba word boundaries: the most a word-level NER could recall.

    .venv/bin/python bench/bench_extraction.py [--reports N] [--runs R] [--seed S]

Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

from ingest.extraction.extractor import Extractor, build
from ingest.extraction.gazetteer import Gazetteer
from ingest.extraction.mentions import LINKED_TYPES, Mention
from ingest.extraction.rules import find_all
from ingest.extraction.surnames import looks_like_name
from training import ner as training
from training.corpus import narratives, registry
from training.evaluation import score

GOALS = {
    "id_number": "P,R >= 0.99",
    "plate": "P,R >= 0.99",
    "phone": "P,R >= 0.99",
    "person": "F1 >= 0.90",
    "address": "F1 >= 0.85",
}


def jieba_baseline(texts: list[str]) -> list[list[Mention]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    out = []
    for text in texts:
        found = find_all(text)
        at = 0
        for word, flag in jieba.posseg.cut(text):
            if flag == "nr" and looks_like_name(word):
                found.append(Mention(at, at + len(word), word, "person", word, 0.5, "jieba"))
            at += len(word)
        out.append(found)
    return out


def jieba_alignment(reports) -> dict[str, float]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    aligned, total = {"person": 0, "address": 0}, {"person": 0, "address": 0}
    for report in reports:
        bounds, at = {0}, 0
        for word in jieba.cut(report.text):
            at += len(word)
            bounds.add(at)
        for a in report.annotations:
            if a.type in total:
                total[a.type] += 1
                aligned[a.type] += a.start in bounds and a.end in bounds
    return {t: aligned[t] / total[t] for t in total}


def timed(run, texts: list[str], runs: int) -> tuple[list[list[Mention]], float]:
    rates, result = [], []
    for _ in range(runs):
        began = time.perf_counter()
        result = run(texts)
        rates.append(len(texts) / (time.perf_counter() - began))
    return result, statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--seed", type=int, default=training.DEFAULT_SEED + 1, help="world seed (training uses another)"
    )
    args = parser.parse_args()
    training.single_thread()
    reports = narratives("heldout", args.reports, args.seed)
    texts = [r.text for r in reports]
    names, addresses = registry(args.seed)
    gazetteer = Gazetteer.from_values(names, addresses)
    full = Extractor(build())
    full.use_gazetteer(gazetteer)
    no_gazetteer = Extractor(build())
    rules_gazetteer = Extractor(build(None))
    rules_gazetteer.use_gazetteer(gazetteer)
    configs = {
        "full": lambda t: list(full.extract_many(t)),
        "no gazetteer": lambda t: list(no_gazetteer.extract_many(t)),
        "no NER": lambda t: list(rules_gazetteer.extract_many(t)),
        "jieba": jieba_baseline,
    }
    full.extract(texts[0])  # load jieba's dictionary before timing
    families = sorted({r.family for r in reports})
    print(
        f"{len(reports)} held-out reports (families {', '.join(families)}), world seed {args.seed}, "
        f"gazetteer {len(gazetteer.names)} names, {len(gazetteer.addresses)} addresses; exact span match"
    )
    print(f"{'':14}{'type':<11}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}   goal")
    for name, run in configs.items():
        predictions, rate = timed(run, texts, args.runs)
        scores = score(reports, predictions)
        for t in LINKED_TYPES:
            s = scores[t]
            print(f"{name:<14}{t:<11}{s.gold:>6}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}   {GOALS[t]}")
        print(f"{name:<14}throughput {rate:,.0f} reports/s (median of {args.runs})")
    cap = jieba_alignment(reports)
    print(
        "gold spans on jieba word boundaries (recall cap of a word-level NER): "
        + ", ".join(f"{t} {share:.3f}" for t, share in cap.items())
    )


if __name__ == "__main__":
    main()
