"""Text extraction on the hand-written reports and on the generator's held-out reports:
precision, recall and F1 per entity type (and per style), throughput and load time,
for the full pipeline beside today's (no lexical analyser) and what each part adds.

Hand-written (`bench/handwritten/reports.tsv`, never read by training): 91 reports in
five styles (brief incident report, interview summary, public notice, patrol log,
mixed Chinese/English), scored with an empty graph, with the default sample's
registry (3,000 persons) and with a 100,000-person registry in the gazetteer. Persons,
ID numbers, phones and plates count on exact spans, addresses and named places on
overlap (`bench/handwritten/scoring.py`).

The reports come from the generator's held-out families D (fraud) and E (requests
for help): templates, wording and the pool of unknown names the model never saw
(it trains on A-C), in a synthetic world built from another seed than training's.
Matching is on exact spans: a prediction counts only when its start, end and type
all equal a gold annotation's. Throughput is reports per second through the whole
pipeline on one thread, median of the runs.

    full            rules + gazetteer (the evaluation world's registry: what the graph
                    holds once it is imported) + statistical NER + lexical analyser (LAC)
    no gazetteer    rules + NER + LAC: names and addresses the graph does not hold
    today           rules + gazetteer + NER: the pipeline before LAC
    today, no gaz.  rules + NER
    no NER          rules + gazetteer + LAC, no trained NER
    jieba           rules + jieba's own person tagging (posseg "nr") on jieba words

and, for the jieba baseline, the share of gold person and address spans whose both
ends fall on jieba word boundaries: the most a word-level NER could recall.

    .venv/bin/python bench/bench_extraction.py [--reports N] [--runs R] [--seed S] [--persons 3000,100000]

Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's code, also when run as a script

from bench.handwritten import REPORTS, STYLES, UNTUNED  # noqa: E402
from bench.handwritten import reports as handwritten_reports  # noqa: E402
from bench.handwritten.scoring import GROUP_NAMES  # noqa: E402
from bench.handwritten.scoring import score as handwritten_score  # noqa: E402
from ingest.extraction.extractor import Extractor, build  # noqa: E402
from ingest.extraction.gazetteer import Gazetteer  # noqa: E402
from ingest.extraction.mentions import LINKED_TYPES, Mention  # noqa: E402
from ingest.extraction.rules import find_all  # noqa: E402
from ingest.extraction.surnames import looks_like_name  # noqa: E402
from synth.generate import DEFAULT_SEED  # noqa: E402
from training import ner as training  # noqa: E402
from training.corpus import narratives, registry  # noqa: E402
from training.evaluation import score  # noqa: E402

GOALS = {
    "id_number": "P,R >= 0.99",
    "plate": "P,R >= 0.99",
    "phone": "P,R >= 0.99",
    "person": "F1 >= 0.90",
    "address": "F1 >= 0.85",
}
HANDWRITTEN_GOALS = {
    "id_number": "P,R >= 0.99",
    "plate": "P,R >= 0.99",
    "phone": "P,R >= 0.99",
    "person": "F1 >= 0.93",
    "address/place": "F1 >= 0.90 (overlap)",
}
REPORT_CHARS = 300


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


def long_reports(reports, count: int) -> list[str]:
    """`count` texts of exactly REPORT_CHARS characters, held-out reports joined end to end."""
    stream = "".join(r.text for r in reports)
    while len(stream) < count * REPORT_CHARS:
        stream += stream
    return [stream[i * REPORT_CHARS : (i + 1) * REPORT_CHARS] for i in range(count)]


def speed(texts: list[str], runs: int) -> None:
    """Load time (in a fresh process: this one has loaded the models already) and reports
    per second on REPORT_CHARS-character reports, one thread."""
    for name, lexical in (("full", True), ("today", False)):
        script = (
            "import time; began = time.perf_counter()\n"
            "from ingest.extraction.extractor import Extractor, build\n"
            f"Extractor(build(lexical={lexical})).extract('报警人张三称')\n"
            "print(time.perf_counter() - began)\n"
        )
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
        loaded = float(done.stdout.split()[-1])
        extractor = Extractor(build(lexical=lexical))
        extractor.extract(texts[0])
        _, rate = timed(lambda t, e=extractor: list(e.extract_many(t)), texts, runs)
        print(f"{name:<14}load {loaded:.2f} s, {rate:,.0f} reports/s of {REPORT_CHARS} characters (median of {runs})")


def handwritten(gazetteers: dict[str, Gazetteer], path: Path = REPORTS, styles: tuple[str, ...] = STYLES) -> None:
    reports = handwritten_reports(path)
    print(
        f"\n{len(reports)} hand-written reports of {path.name} ({', '.join(STYLES)}); persons, IDs, phones, "
        "plates on exact spans, addresses and places on overlap"
    )
    print(f"{'graph':<14}{'pipeline':<10}{'style':<11}" + "".join(f"{g:>22}" for g in GROUP_NAMES))
    for graph, gazetteer in gazetteers.items():
        for name, lexical in (("full", True), ("today", False)):
            extractor = Extractor(build(lexical=lexical))
            extractor.use_gazetteer(gazetteer)
            scores = handwritten_score(reports, list(extractor.extract_many(r.text for r in reports)))
            for style in ("all", *styles):
                cells = "".join(f"{s.precision:>8.2f}/{s.recall:.2f}/{s.f1:.2f}" for s in scores[style].values())
                print(f"{graph:<14}{name:<10}{style:<11}{cells}")
    # the alternative that also ships its data in its wheel: jieba's person tagging (no addresses)
    scores = handwritten_score(reports, jieba_baseline([r.text for r in reports]))
    cells = "".join(f"{s.precision:>8.2f}/{s.recall:.2f}/{s.f1:.2f}" for s in scores["all"].values())
    print(f"{'empty':<14}{'jieba':<10}{'all':<11}{cells}")
    print("P/R/F1 per type; goals: " + "; ".join(f"{t} {goal}" for t, goal in HANDWRITTEN_GOALS.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--seed", type=int, default=training.DEFAULT_SEED + 1, help="world seed (training uses another)"
    )
    parser.add_argument(
        "--persons", default="3000,100000", help="registry sizes for the hand-written set's gazetteer (besides empty)"
    )
    args = parser.parse_args()
    training.single_thread()
    gazetteers = {"empty": Gazetteer()}
    for persons in (int(n) for n in args.persons.split(",") if n):
        names, addresses = registry(DEFAULT_SEED, persons)
        gazetteers[f"{persons:,} persons"] = Gazetteer.from_values(names, addresses)
    handwritten(gazetteers)
    handwritten(gazetteers, UNTUNED, styles=())  # written after the span rules were frozen
    generated(args)


def generated(args) -> None:
    reports = narratives("heldout", args.reports, args.seed)
    texts = [r.text for r in reports]
    names, addresses = registry(args.seed)
    gazetteer = Gazetteer.from_values(names, addresses)
    full = Extractor(build())
    full.use_gazetteer(gazetteer)
    no_gazetteer = Extractor(build())
    today = Extractor(build(lexical=False))
    today.use_gazetteer(gazetteer)
    today_no_gazetteer = Extractor(build(lexical=False))
    rules_gazetteer = Extractor(build(None))
    rules_gazetteer.use_gazetteer(gazetteer)
    configs = {
        "full": lambda t: list(full.extract_many(t)),
        "no gazetteer": lambda t: list(no_gazetteer.extract_many(t)),
        "today": lambda t: list(today.extract_many(t)),
        "today, no gaz.": lambda t: list(today_no_gazetteer.extract_many(t)),
        "no NER": lambda t: list(rules_gazetteer.extract_many(t)),
        "jieba": jieba_baseline,
    }
    full.extract(texts[0])  # load jieba's dictionary before timing
    families = sorted({r.family for r in reports})
    print(
        f"\n{len(reports)} held-out generator reports (families {', '.join(families)}), world seed {args.seed}, "
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
    speed(long_reports(reports, args.reports), args.runs)
    cap = jieba_alignment(reports)
    print(
        "gold spans on jieba word boundaries (recall cap of a word-level NER): "
        + ", ".join(f"{t} {share:.3f}" for t, share in cap.items())
    )


if __name__ == "__main__":
    main()
