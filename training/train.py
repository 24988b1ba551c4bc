"""Train the shipped NER: `python -m training.train --seed S --out DIR`.

Generates annotated reports of the train split (families A-C, train name pool),
trains deterministically (fixed seed, one thread), saves the pipeline to DIR and
prints its scores on reports of the same families from another seed. The held-out
families D-E are left to `bench/bench_extraction.py`.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ingest.extraction.extractor import MODEL_DIR
from training import ner as training
from training.recipe import fingerprint

DEV_REPORTS = 200
DEV_SEED_OFFSET = 7919  # another world: persons the model did not see


def ner_scores(nlp, reports) -> dict:
    from training.evaluation import spans_score

    docs = nlp.pipe([r.text for r in reports])
    spans = [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in docs]
    scores = spans_score(reports, spans)
    return {label: scores[label] for label in training.NER_LABELS}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=training.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--reports", type=int, default=training.DEFAULT_REPORTS)
    parser.add_argument("--epochs", type=int, default=training.DEFAULT_EPOCHS)
    args = parser.parse_args(argv)
    training.single_thread()
    from training.corpus import narratives

    began = time.perf_counter()
    reports = training.training_reports(args.seed, args.reports)
    nlp = training.train(reports, seed=args.seed, epochs=args.epochs, log=print)
    recipe = fingerprint(reports, seed=args.seed, epochs=args.epochs)
    training.save(nlp, args.out, seed=args.seed, reports=args.reports, epochs=args.epochs, recipe=recipe)
    dev = narratives("train", DEV_REPORTS, args.seed + DEV_SEED_OFFSET)
    for label, score in ner_scores(nlp, dev).items():
        print(
            f"dev (families A-C, other persons) {label}: P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}"
        )
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"saved {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
