"""Scoring alert rules against the sample's ground_truth.json.

Each planted scenario has positives and decoys, each naming the entities involved.
A rule's hit is a set of Label:key references. A positive is found when one hit of
its kind's rules holds all of the positive's identifying entities (the labels in
KEY_LABELS); a decoy is hit when any hit of those rules shares one with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Which alert rules answer which kind of planted scenario.
SCENARIO_RULES = {
    "revoked_licence_driving": ("vehicles.revoked_licence_driving",),
    "wanted_person_active": (
        "floating_population.wanted_registered",
        "dangerous_goods.watchlisted_purchases",
        "vehicles.wanted_owner_passages",
    ),
    "overcrowded_flat": ("floating_population.overcrowded_flats",),
    "knives_multi_shop": ("dangerous_goods.knives_multi_shop",),
    "fireworks_over_threshold": ("dangerous_goods.fireworks_over_threshold",),
    "cloned_plate": ("vehicles.cloned_plates",),
    "co_travel": ("vehicles.co_travel",),
    "shared_phone": ("identity.shared_phones",),
    "hazmat_night_passage": ("vehicles.hazmat_night_passages",),
    "duplicate_identity": ("identity.duplicate_persons",),
}
# Where one kind has several rules, each answers the positives holding this label.
RULE_EVIDENCE = {
    "floating_population.wanted_registered": "Registration",
    "dangerous_goods.watchlisted_purchases": "Purchase",
    "vehicles.wanted_owner_passages": "Vehicle",
}
# The entities that say which case a finding is about (the rest is evidence).
KEY_LABELS = {
    "revoked_licence_driving": ("Person", "Vehicle"),
    "wanted_person_active": ("Person",),
    "overcrowded_flat": ("Address",),
    "knives_multi_shop": ("Person",),
    "fireworks_over_threshold": ("Person",),
    "cloned_plate": ("Vehicle",),
    "co_travel": ("Vehicle",),
    "shared_phone": ("Phone",),
    "hazmat_night_passage": ("Vehicle",),
    "duplicate_identity": ("Person",),
}


def key_refs(kind: str, finding: dict) -> set[str]:
    return {f"{label}:{key}" for label in KEY_LABELS[kind] for key in finding["entities"].get(label, ())}


def merged_by_import(kind: str, positive: dict) -> bool:
    """A duplicate identity with no record left unmerged: the import resolves it, no alert can."""
    resolution = positive.get("resolution") or {}
    return kind == "duplicate_identity" and not resolution.get("candidate_records")


@dataclass
class RuleScore:
    rule: str
    hits: int = 0
    true_hits: int = 0
    positives: int = 0
    found: int = 0
    decoys_hit: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_hits / self.hits if self.hits else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.positives if self.positives else 1.0


@dataclass
class KindScore:
    kind: str
    positives: int = 0
    found: int = 0
    merged: int = 0  # duplicate identities the import resolves: no record is left for an alert
    missed: list[str] = field(default_factory=list)
    decoys_hit: list[str] = field(default_factory=list)


def score(truth: dict, hits_by_rule: dict[str, list[set[str]]]) -> tuple[dict[str, KindScore], dict[str, RuleScore]]:
    kinds: dict[str, KindScore] = {}
    rules = {rule: RuleScore(rule, hits=len(hits_by_rule.get(rule, []))) for r in SCENARIO_RULES.values() for rule in r}
    for scenario in truth["scenarios"]:
        kind = scenario["kind"]
        result = kinds.setdefault(kind, KindScore(kind))
        names = SCENARIO_RULES[kind]
        for positive in scenario["positives"]:
            result.positives += 1
            wanted = key_refs(kind, positive)
            finders = [r for r in names if any(wanted <= hit for hit in hits_by_rule.get(r, []))]
            if not finders and merged_by_import(kind, positive):
                result.merged += 1
                continue
            for rule in names:
                if rule not in RULE_EVIDENCE or RULE_EVIDENCE[rule] in positive["entities"]:
                    rules[rule].positives += 1
            if finders:
                result.found += 1
                for rule in finders:
                    if rule not in RULE_EVIDENCE or RULE_EVIDENCE[rule] in positive["entities"]:
                        rules[rule].found += 1
            else:
                result.missed.append(positive.get("note", ""))
        for decoy in scenario["decoys"]:
            refs = key_refs(kind, decoy)
            for rule in names:
                if any(refs & hit for hit in hits_by_rule.get(rule, [])):
                    result.decoys_hit.append(f"{rule}: {decoy.get('why_not', '')}")
                    rules[rule].decoys_hit.append(decoy.get("why_not", ""))
    for kind, names in SCENARIO_RULES.items():
        positives = [key_refs(kind, p) for s in truth["scenarios"] if s["kind"] == kind for p in s["positives"]]
        for rule in names:
            rules[rule].true_hits = sum(
                1 for hit in hits_by_rule.get(rule, []) if any(refs <= hit for refs in positives if refs)
            )
    return kinds, rules


def table(kinds: dict[str, KindScore], rules: dict[str, RuleScore]) -> str:
    """The per-rule figures, as the note quotes them."""
    lines = [
        "| rule | hits | true hits | precision | positives found | recall | decoys hit |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in rules.values():
        lines.append(
            f"| `{rule.rule}` | {rule.hits} | {rule.true_hits} | {rule.precision:.0%} | "
            f"{rule.found}/{rule.positives} | {rule.recall:.0%} | {len(rule.decoys_hit)} |"
        )
    for kind in kinds.values():
        if kind.merged:
            lines.append(
                f"| ({kind.kind}: {kind.merged} positive(s) merged by the import, no alert expected) | | | | | | |"
            )
    return "\n".join(lines)
