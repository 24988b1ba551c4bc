from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ingest.reject_reasons import Reason


class SourceError(ValueError):
    """The whole file cannot be read; nothing from it is loaded."""

    def __init__(self, path: Path, fault: str):
        self.path, self.fault = path, fault
        super().__init__(f"{path}: {fault}")


@dataclass(frozen=True)
class RawRow:
    number: int  # as a spreadsheet shows it (header = 1) for CSV and XLSX; the line for JSON lines
    values: dict[str, Any]  # header -> raw value (str for text formats; typed cells for XLSX)
    read: Any  # what the reader read, rendered into `original` only when a row is rejected
    fault: tuple[Reason, str] | None = None  # a fault of the row as a whole
    render: Callable[[Any], str] = str

    @property
    def original(self) -> str:
        """The row as read, for the reject file."""
        return self.render(self.read)


class Source(Protocol):
    path: Path
    format: str
    encoding: str

    @property
    def header(self) -> list[str]: ...

    def rows(self) -> Iterator[RawRow]: ...
