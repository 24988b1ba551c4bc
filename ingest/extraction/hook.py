"""The import's hook: cases loaded from a spec with `extract_text:` get their mentions.

`FileImport` adds each loaded row; once every file of the run is in (so a report's
names find the registries imported with it), `link()` extracts the cases' stored texts
and links them. Cheap to import: spaCy loads only when there is something to link.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from graph.gateway import Gateway
from graph.model import Schema
from ingest.extraction.mentions import Mention
from ingest.mapping import MappedRow
from ingest.spec import MappingSpec

CASE_LABEL = "Case"


class CaseTexts:
    """The keys (with their source rows) of the cases one file loaded."""

    def __init__(self, alias: str, file_hash: str, source: str):
        self.alias, self.file_hash, self.source = alias, file_hash, source
        self.rows: dict[str, int] = {}

    @classmethod
    def for_spec(cls, spec: MappingSpec, *, file_hash: str) -> CaseTexts | None:
        """A collector when the spec extracts text into a Case, else None."""
        if not spec.extract_text:
            return None
        aliases = [alias for alias, entity in spec.entities.items() if entity.label == CASE_LABEL]
        return cls(aliases[0], file_hash, spec.source) if aliases else None

    def add(self, row: MappedRow) -> None:
        for entity in row.entities:
            if entity.alias == self.alias:
                self.rows[str(entity.key)] = row.number

    def link(
        self,
        gateway: Gateway,
        schema: Schema,
        *,
        run_id: str,
        now: datetime,
        extracted: Mapping[str, list[Mention]] | None = None,
    ) -> int:
        """Extract and link every collected case; returns the number of mentions stored.
        `extracted`: the mentions of texts extracted beforehand, by text."""
        if not self.rows:
            return 0
        from ingest.extraction.cases import Extracted, extractor_for, link_cases

        if extracted is None:
            extractor = extractor_for(gateway)
        else:
            extractor = Extracted(extracted, lambda: extractor_for(gateway))

        origin = {case_id: (self.file_hash, row) for case_id, row in self.rows.items()}
        counts = link_cases(
            gateway,
            schema,
            extractor,
            list(self.rows),
            run_id=run_id,
            source=self.source,
            now=now,
            origin=origin,
        )
        return counts.mentions
