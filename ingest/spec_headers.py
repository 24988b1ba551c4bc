"""Match a spec's columns to a file's header through the spec's aliases."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ingest.spec import MappingSpec, SpecError

HeaderMap = dict[str, str]  # spec column -> header as written in the file


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "").replace("_", "")


def resolve_headers(spec: MappingSpec, header: list[str], file: Path) -> HeaderMap:
    """Every column the spec uses must be found, unless declared optional."""
    folded = {}
    for name in header:
        folded.setdefault(_fold(name), name)
    used = spec.used_columns()
    resolved: HeaderMap = {}
    for column in spec.columns.values():
        found = next((folded[_fold(a)] for a in column.aliases if _fold(a) in folded), None)
        if found is not None:
            resolved[column.name] = found
        elif column.name in used and not column.optional:
            raise SpecError(
                spec.path,
                column.line,
                f"column '{column.name}' (headers {', '.join(column.aliases)}) is not in {file.name}, "
                f"whose header is: {', '.join(header)}",
            )
    return resolved


def spec_fits(spec: MappingSpec, header: list[str]) -> bool:
    folded = {_fold(h) for h in header}
    needed = [c for c in spec.columns.values() if c.name in spec.used_columns() and not c.optional]
    return bool(needed) and all(any(_fold(a) in folded for a in c.aliases) for c in needed)
