"""What an extraction finds in a text: a mention with its offsets, type, canonical key,
confidence and where it came from. Pure data, no spaCy, so the workbench, the linker
and the command line share it without loading a model."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Types a mention may have in the graph (the schema's Mention.entity_type values) ...
LINKED_TYPES = ("person", "id_number", "phone", "plate", "address")
# ... and types the rules find that stay in the text (no node to link them to).
TEXT_ONLY_TYPES = ("date", "time", "datetime")


@dataclass(frozen=True)
class Mention:
    """`start`/`end` are code-point offsets into the text (Python slicing, end exclusive).

    `key` is the canonical value (ID number, 11-digit phone, plate without separators,
    full address, cleaned name, ISO-like date or time); `source` says which components
    found it: "rule", "ner", "gazetteer" or "ner+gazetteer".
    """

    start: int
    end: int
    text: str
    entity_type: str
    key: str | None
    confidence: float
    source: str

    def as_dict(self) -> dict:
        return asdict(self)
