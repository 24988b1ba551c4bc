"""ground_truth.json: what an import of the sample must produce and what the
alert rules and the text extraction must find.

Written after every source file, from what was actually written: per file the
rows, the rows that must load and the rows that must be rejected (with reason
codes); per planted scenario the entities and rows of each positive and
decoy; per case report the gold annotations. Keys keep a fixed order, so the
same seed gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from synth.sources import BY_NAME, DATE_FORMATS, SOURCES
from synth.timeline import PERIOD_END, PERIOD_START

FORMAT_VERSION = 1
_PLACEHOLDER = "__NARRATIVES__"

CONVENTIONS = {
    "row_numbering": "1-based physical records. CSV and XLSX: the header is row 1, the first data row is row 2. "
    "JSON lines: the first line is row 1.",
    "reject_policy": "A row is rejected when a required value is blank, a non-blank value fails validation, or the "
    "row is malformed (wrong number of fields, unparsable JSON, an exact duplicate of an earlier row "
    "of the same file). Each rejected row has exactly one fault; `column` names it (null for "
    "row-level faults). Reason codes are those of ingest/reject_reasons.py.",
    "recoverable": "Values listed under `recoverable` are untidy but must load, and mean `canonical`.",
    "canonical_forms": {
        "citizen_id": "18 characters: 17 digits and a digit or upper-case X; 15-digit numbers are upgraded "
        "(insert 19, add the check digit)",
        "plate": "no separators, upper case, e.g. 浙F12345, 浙FD12345, 浙F12345D",
        "phone": "11 digits, e.g. 13812345678",
        "address": "浙江省嘉兴市{区县市}{街道/镇}{社区}{小区}{n}幢{u}单元{r}室 for residences; shops and cases "
        "may be road-level ({道路}{n}号)",
    },
    "times": "local time (+08:00); XLSX dates are date cells",
    "date_formats": DATE_FORMATS,
}


def resolve(finding, tracker, file_order: dict[str, int]) -> tuple[dict, list[dict]]:
    entities = {label: list(keys) for label, keys in finding.entities.items()}
    found: set[tuple[str, int]] = set()
    for select in finding.selects:
        files = [select.file] if select.file else list(tracker.rows)
        matched = 0
        for name in files:
            for tracked in tracker.rows.get(name, []):
                values = tracked.values
                if select.file is None:
                    hit = any(v in values.values() for v in select.where.values())
                else:
                    hit = all(str(values.get(col, "")) == v for col, v in select.where.items())
                if not hit or (select.when is not None and not select.when(values)):
                    continue
                found.add((name, tracked.row))
                matched += 1
                for label, column in select.collect.items():
                    entities.setdefault(label, [])
                    if values[column] not in entities[label]:
                        entities[label].append(values[column])
        if not matched:  # a planted row that never reached its file is a generator bug
            raise RuntimeError(f"planted rows not found ({select.file}, {select.where}) for: {finding.text}")
    rows = [{"file": f, "row": r} for f, r in sorted(found, key=lambda x: (file_order[x[0]], x[1]))]
    return {label: sorted(keys) for label, keys in entities.items()}, rows


def _scenario_json(scenario, tracker, file_order) -> dict:
    out = {
        "id": scenario.id,
        "kind": scenario.kind,
        "title": scenario.title,
        "params": scenario.params,
        "positives": [],
        "decoys": [],
    }
    for finding in scenario.positives:
        entities, rows = resolve(finding, tracker, file_order)
        out["positives"].append({"entities": entities, "rows": rows, "note": finding.text, **finding.facts})
    for finding in scenario.decoys:
        entities, rows = resolve(finding, tracker, file_order)
        out["decoys"].append({"entities": entities, "rows": rows, "why_not": finding.text, **finding.facts})
    return out


def _scenario_values(run) -> dict[str, list[dict]]:
    """Values the scenarios wrote untidy on purpose (scenario 10), listed as
    recoverable like the dirt, with the rows they landed on."""
    out: dict[str, list[dict]] = {}
    for file, where, column, value, canonical, variant in run.plan.recoverable_notes:
        for tracked in run.tracker.rows.get(file, []):
            if all(str(tracked.values.get(c, "")) == v for c, v in where.items()):
                out.setdefault(file, []).append(
                    {"row": tracked.row, "column": column, "value": value, "canonical": canonical, "variant": variant}
                )
    return out


def _file_json(report, planted: list[dict]) -> dict:
    spec = report.spec
    rejected = len(report.rejects)
    out = {
        "format": spec.format,
        "encoding": {"utf-8-sig": "utf-8 with BOM"}.get(spec.encoding, spec.encoding),
        "source_system": spec.source_system,
        "source_system_en": spec.source_system_en,
    }
    if spec.sheet:
        out["sheet"] = spec.sheet
    out.update(
        {
            "columns": spec.header,
            "rows": report.rows,
            "expected_loaded": report.rows - rejected,
            "expected_rejected": rejected,
            "bytes": report.bytes,
            "rejects": [
                {"row": r.row, "column": r.column, "value": r.value, "reason": r.reason} for r in report.rejects
            ],
            "recoverable": sorted(
                [
                    {"row": r.row, "column": r.column, "value": r.value, "canonical": r.canonical, "variant": r.variant}
                    for r in report.recovered
                ]
                + planted,
                key=lambda r: (r["row"], r["column"]),
            ),
        }
    )
    return out


def write_ground_truth(path: Path, run, narratives_file: Path) -> None:
    world = run.world
    population = world.population
    file_order = {s.name: k for k, s in enumerate(SOURCES)}
    planted = _scenario_values(run)
    truth = {
        "format_version": FORMAT_VERSION,
        "generator": "goldenbell synth",
        "seed": world.seed,
        "persons": world.persons,
        "dirty": run.dirty,
        "period": {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat()},
        "conventions": CONVENTIONS,
        "population": {
            "locals": population.n_local,
            "floating": population.n_floating,
            "compounds": population.compounds.count,
            "shops": world.shops.count,
            "checkpoints": 16,
            "vehicle_owner_slots": world.fleet.slots,
            "passing_vehicles": world.external,
        },
        "generated_files": {
            name: _file_json(run.reports[name], planted.get(name, [])) for name in BY_NAME if name in run.reports
        },
        "scenarios": [_scenario_json(s, run.tracker, file_order) for s in run.plan.scenarios],
        "narratives": _PLACEHOLDER,
    }
    text = json.dumps(truth, ensure_ascii=False, indent=1)
    head, tail = text.split(json.dumps(_PLACEHOLDER), 1)
    with open(path, "w", encoding="utf-8", newline="\n") as out, open(narratives_file, encoding="utf-8") as gold:
        out.write(head)
        out.write("[")
        first = True
        for line in gold:
            out.write("\n  " if first else ",\n  ")
            out.write(line.rstrip("\n"))
            first = False
        out.write("\n ]")
        out.write(tail)
        out.write("\n")
    narratives_file.unlink()
