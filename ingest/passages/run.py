"""Import passage files into the event store: the API behind `goldenbell events import`.

A passage refers to a checkpoint or gate of the graph; the graph's place IDs are read
once per run and every row at another place is rejected as `reference.missing`, as the
graph importer rejects it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

from events.lookup import Lookups
from events.store import EventStore
from graph.gateway import Gateway
from graph.model import Schema
from ingest.api import choose_spec, new_run_id
from ingest.passages import seen_at
from ingest.passages.importer import PASSAGE_SPECS, PassageFileReport, import_passage_file, is_passage_spec
from ingest.readers import open_source
from ingest.rejects import RejectWriter
from ingest.spec import SpecError

_PLACE_IDS = (
    "MATCH (n:Checkpoint) RETURN 'Checkpoint' AS label, n.checkpoint_id AS id UNION ALL "
    "MATCH (n:Gate) RETURN 'Gate' AS label, n.gate_id AS id"
)


@dataclass
class PassageImportReport:
    run_id: str
    files: list[PassageFileReport]
    rejects_path: Path | None
    seconds: float = 0.0
    seen_at: int = 0  # vehicle-place links written or refreshed
    seen_at_seconds: float = 0.0  # with the person-vehicle DROVE links
    drove: int = 0  # person-vehicle links written or refreshed
    lookup_files: int = 0  # stored files copied into the lookup copies
    lookup_seconds: float = 0.0

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejects_path": str(self.rejects_path) if self.rejects_path else None,
            "seconds": round(self.seconds, 3),
            "seen_at_links": self.seen_at,
            "seen_at_seconds": round(self.seen_at_seconds, 3),
            "drove_links": self.drove,
            "lookup_files": self.lookup_files,
            "lookup_seconds": round(self.lookup_seconds, 3),
            "files": [f.as_dict() for f in self.files],
        }


def graph_places(gateway: Gateway) -> dict[str, set[str]]:
    """Place label → the IDs of the graph's checkpoints and gates."""
    places: dict[str, set[str]] = {"Checkpoint": set(), "Gate": set()}
    for record in gateway.read("events.place_ids", _PLACE_IDS, {}).records:
        if record["id"] is not None:
            places[record["label"]].add(record["id"])
    return places


def import_passages(
    paths: Iterable[Path | str],
    *,
    schema: Schema,
    store: EventStore,
    known_places: Mapping[str, set[str]],
    rejects_path: Path | None,
    spec: str | None = None,
    run_id: str | None = None,
    gateway: Gateway | None = None,
    lookups: bool = True,
) -> PassageImportReport:
    """Each file into the store, then (with `lookups`) the lookup copies of what is new, then
    (with a gateway) the SEEN_AT links of the vehicles and places its passages touch, and
    the DROVE links of the known drivers it captured.
    Raises SpecError or SourceError, before anything is written, when a file is not a
    passage file or cannot be read."""
    began = monotonic()
    run_id = run_id or new_run_id()
    plans = []
    for path in map(Path, paths):
        source = open_source(path)
        chosen = choose_spec(path, source, schema, spec)
        if not is_passage_spec(chosen):
            raise SpecError(
                path,
                0,
                f"{path.name} holds {chosen.name}, not passages; the event store takes {', '.join(PASSAGE_SPECS)}",
            )
        plans.append((path, source, chosen))
    report = PassageImportReport(run_id, [], rejects_path)
    rejects = RejectWriter(rejects_path)
    try:
        for path, source, chosen in plans:
            report.files.append(
                import_passage_file(
                    path,
                    source,
                    chosen,
                    schema=schema,
                    store=store,
                    known_places=known_places,
                    rejects=rejects,
                    run_id=run_id,
                )
            )
    finally:
        rejects.close()
    if lookups:
        # Every stored file not yet copied, not only this run's: a copy a killed run or
        # `--no-lookups` left undone is made now.
        refreshed_copies = Lookups(store).refresh()
        report.lookup_files, report.lookup_seconds = refreshed_copies.files, refreshed_copies.seconds
    if gateway is not None:
        # Skipped files too: a run killed after storing a file but before its links were
        # written leaves a receipt, and the links are refreshed the next time it is named.
        refreshed = seen_at.refresh(gateway, store, [f.sha256 for f in report.files], run_id=run_id)
        report.seen_at, report.seen_at_seconds, report.drove = refreshed.links, refreshed.seconds, refreshed.drives
    report.seconds = monotonic() - began
    return report
