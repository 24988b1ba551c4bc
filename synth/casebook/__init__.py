"""An English investigation dataset (a police case book: people, officers, crimes,
locations, phones, calls, vehicles) in neo4j-admin import layout, with the schema folder,
the mapping specs and the guide pack that go with it. Every value is invented: NHS numbers
from the range never issued, phones from Ofcom's drama ranges, mail at example domains."""

from __future__ import annotations

from pathlib import Path

from synth.casebook.generate import Casebook, write_casebook

CASEBOOK_DIR = Path(__file__).parent  # its schema/ and packs/ folders

__all__ = ["CASEBOOK_DIR", "Casebook", "write_casebook"]
