"""Synthetic sample data: one file per source system, planted scenarios with
decoys, dirty rows, and a ground truth to test the importer, the alert rules
and the text extraction against."""

from __future__ import annotations

from synth.generate import DEFAULT_PERSONS, DEFAULT_SEED, Summary, generate

__all__ = ["DEFAULT_PERSONS", "DEFAULT_SEED", "Summary", "generate"]
