"""Annotated case reports for training and evaluation, written by the sample-data
generator's own templates (`synth.narratives`).

`narratives("train", …)` draws from families A-C with the train pool of unknown
names; `narratives("heldout", …)` from families D-E with the held-out pool, whose
wording, vocabulary and names the model never sees. Each call builds its own
synthetic world from `seed`, so the persons (and their names, numbers and
addresses) differ between a training seed and an evaluation seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from synth import narratives as synth
from synth.names import UNKNOWN_CHARS
from synth.scenarios import plan_scenarios
from synth.seeding import stage_rng
from synth.world import World

DEFAULT_PERSONS = 3000


@dataclass(frozen=True)
class Annotation:
    start: int
    end: int
    type: str
    key: str | None


@dataclass(frozen=True)
class Narrative:
    text: str
    family: str
    split: str
    annotations: tuple[Annotation, ...]
    distractors: tuple[Annotation, ...] = ()


def families(split: str) -> list[str]:
    return sorted(f for f, s in synth.SPLITS.items() if s == split)


def narratives(
    split: str, count: int, seed: int, persons: int = DEFAULT_PERSONS, templates: dict | None = None
) -> list[Narrative]:
    """`count` reports of the split's families, the same for the same arguments.

    `templates` (family -> templates) replaces the generator's own, for training on
    more wording than the sample has; only families of `split` may be given.
    """
    templates = templates or synth.TEMPLATES
    world = World(persons, seed)
    plan = plan_scenarios(world)
    rng = stage_rng(seed, f"extraction-corpus:{split}")
    chosen = [f for f in families(split) if f in templates]
    out = []
    for n in range(count):
        family = rng.choice(chosen)
        template = rng.choice(templates[family])
        when = datetime(2025, 1, 1) + timedelta(seconds=rng.randrange(365 * 86400))
        # the generator's casting class: the same people, numbers and written forms as the sample
        cast = synth._Cast(world, plan, rng, split, n + 1)
        text, annotations, distractors, _ = synth.render(template, cast, when, rng.randrange(800, 60000))
        out.append(
            Narrative(
                text,
                family,
                split,
                tuple(Annotation(a["start"], a["end"], a["type"], a["key"]) for a in annotations),
                tuple(Annotation(d["start"], d["end"], d["type"], None) for d in distractors),
            )
        )
    return out


def vary_names(reports: list[Narrative], seed: int, share: float) -> list[Narrative]:
    """A `share` of the person mentions get new given-name characters drawn from the whole
    CJK block (never from the held-out name pool), the same name the same way within a
    report. The model then learns that a name is a surname and one or two characters in a
    name's place, not one of the few characters the training pools hold."""
    rng = random.Random(seed)
    excluded = set(UNKNOWN_CHARS["heldout"])
    pool = [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in excluded]
    out = []
    for report in reports:
        chars = list(report.text)
        renamed: dict[str, str] = {}
        for a in report.annotations:
            if a.type != "person":
                continue
            name = report.text[a.start : a.end]
            if name not in renamed:
                renamed[name] = name[0] + "".join(rng.choice(pool) for _ in name[1:]) if rng.random() < share else name
            chars[a.start : a.end] = renamed[name]
        out.append(Narrative("".join(chars), report.family, report.split, report.annotations, report.distractors))
    return out


def with_fillers(reports: list[Narrative], fillers: tuple[str, ...], seed: int) -> list[Narrative]:
    """Each report with up to two filler sentences before and after it; offsets shifted."""
    rng = random.Random(seed)
    out = []
    for report in reports:
        before = "".join(rng.sample(fillers, rng.randint(0, 2)))
        after = "".join(rng.sample(fillers, rng.randint(0, 2)))
        shift = len(before)
        out.append(
            Narrative(
                before + report.text + after,
                report.family,
                report.split,
                _shifted(report.annotations, shift),
                _shifted(report.distractors, shift),
            )
        )
    return out


def _shifted(spans: tuple[Annotation, ...], shift: int) -> tuple[Annotation, ...]:
    return tuple(Annotation(a.start + shift, a.end + shift, a.type, a.key) for a in spans)


def registry(seed: int, persons: int = DEFAULT_PERSONS) -> tuple[list[str], list[str]]:
    """Names and residence addresses of the world's persons: what the graph holds once
    the sample's registries are imported, for evaluating the gazetteer without a graph."""
    population = World(persons, seed).population
    people = [population.person(i) for i in range(population.n)]
    return sorted({p.name for p in people}), sorted({p.residence for p in people})


def from_sample(sample_dir: Path) -> dict[str, Narrative]:
    """The sample's case reports with their gold annotations, by case ID."""
    truth = json.loads((sample_dir / "ground_truth.json").read_text(encoding="utf-8"))
    texts = {}
    with open(sample_dir / "case_reports.jsonl", encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue  # the dirty sample's broken lines
            if isinstance(row, dict) and "警情编号" in row:
                texts[row["警情编号"]] = row.get("案情简述") or ""
    return {
        g["case_id"]: Narrative(
            texts[g["case_id"]],
            g["family"],
            g["split"],
            tuple(Annotation(a["start"], a["end"], a["type"], a["key"]) for a in g["annotations"]),
            tuple(Annotation(d["start"], d["end"], d["type"], None) for d in g["distractors"]),
        )
        for g in truth["narratives"]
        if g["case_id"] in texts
    }
