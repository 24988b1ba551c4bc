"""Why a node or link of an interchange file was not loaded, beyond the value reasons of the
importer (ingest/reject_reasons.py, reused as they are): what the schema does not know.

The codes go into the same reject file as the importer's, in its `reason` column.
"""

from __future__ import annotations

from enum import StrEnum


class ExchangeReason(StrEnum):
    UNKNOWN_LABEL = "schema.unknown_label"  # no label of the node is one of the schema's
    SEVERAL_LABELS = "schema.several_labels"  # more than one schema label: which key to merge on is unclear
    UNKNOWN_TYPE = "schema.unknown_type"  # the relationship type is not one of the schema's
    UNKNOWN_PROPERTY = "schema.unknown_property"  # a value the schema has no property for: left out
    WRONG_ENDS = "schema.wrong_ends"  # the schema's type does not run between these labels
