"""The default sample's passages in an event store, for the tests of the rules on it."""

from __future__ import annotations

from pathlib import Path

from events.store import EventStore
from graph.gateway import Gateway
from graph.model import Schema
from ingest.passages.run import graph_places, import_passages

PASSAGE_FILES = ("checkpoint_passages.csv", "gate_passages.jsonl")


def stored_sample(gateway: Gateway, schema: Schema, sample_dir: Path, folder: Path) -> EventStore:
    """The sample's passage files stored under `folder` (the graph holds their places);
    rejects beside it. No lookup copies: these tests read every stored file."""
    store = EventStore(folder / "events")
    import_passages(
        [sample_dir / name for name in PASSAGE_FILES],
        schema=schema,
        store=store,
        known_places=graph_places(gateway),
        rejects_path=folder / "rejects.csv",
        lookups=False,
    )
    return store
