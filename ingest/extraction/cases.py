"""Extract and link the mentions of cases already in the graph, batch by batch: what
the import hook, `goldenbell extract --case` and `--all` share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from functools import cache
from itertools import islice
from pathlib import Path

from graph.gateway import Gateway
from graph.model import Schema
from ingest.extraction.extractor import MODEL_DIR, Extractor
from ingest.extraction.gazetteer import Gazetteer
from ingest.extraction.link import LinkCounts, case_texts, resolve, store
from ingest.extraction.link_cypher import link_cypher
from ingest.extraction.mentions import Mention

BATCH_SIZE = 200


@cache
def _shared_extractor(model_dir: Path) -> Extractor:
    # loading spaCy and the model takes a second or two: once per process
    return Extractor.load(model_dir)


def extractor_for(gateway: Gateway, model_dir: Path = MODEL_DIR) -> Extractor:
    """The pipeline with a gazetteer freshly read from the graph."""
    extractor = _shared_extractor(Path(model_dir))
    extractor.use_gazetteer(Gazetteer.from_graph(gateway))
    return extractor


class Extracted:
    """Mentions extracted beforehand, by text, in an extractor's place; a text not among
    them goes to the extractor `fallback()` makes."""

    def __init__(self, by_text: Mapping[str, list[Mention]], fallback: Callable[[], Extractor]):
        self._by_text, self._fallback = by_text, fallback
        self._extractor: Extractor | None = None

    def extract_many(self, texts: Iterable[str]) -> Iterator[list[Mention]]:
        for text in texts:
            found = self._by_text.get(text)
            if found is None:
                self._extractor = self._extractor or self._fallback()
                found = self._extractor.extract(text)
            yield found


def batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def link_cases(
    gateway: Gateway,
    schema: Schema,
    extractor: Extractor | Extracted,
    case_ids: Iterable[str],
    *,
    run_id: str,
    source: str,
    now: datetime,
    origin: Mapping[str, tuple[str, int]] | None = None,
    batch_size: int = BATCH_SIZE,
) -> LinkCounts:
    """Extract every case's text and store its links; `origin` gives the source file and
    row of a case's text when an import has them at hand (else the Case's provenance)."""
    total = LinkCounts()
    for ids in batches(case_ids, batch_size):
        cases = case_texts(gateway, schema, ids)
        if origin:
            cases = [
                replace(c, file=origin[c.case_id][0], row=origin[c.case_id][1]) if c.case_id in origin else c
                for c in cases
            ]
        mentions = list(extractor.extract_many(c.text for c in cases))
        resolutions = resolve(gateway, schema, mentions)
        counts = store(gateway, schema, cases, resolutions, run_id=run_id, source=source, now=now)
        total.cases += counts.cases
        total.linked += counts.linked
        total.unresolved += counts.unresolved
    return total


def all_case_ids(gateway: Gateway, schema: Schema, page: int = 10_000) -> Iterator[str]:
    statement = link_cypher(schema).all_case_ids
    skip = 0
    while True:
        rows = gateway.read("extraction.case_ids", statement, {"skip": skip, "limit": page}).data()
        yield from (r["case_id"] for r in rows)
        if len(rows) < page:
            return
        skip += page
