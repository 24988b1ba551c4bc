"""What reading an interchange file gives, before the schema has looked at it: node rows and
link rows, each with the line it was read from and its values as written, and the file's
own faults (a line that is not an entity at all).

Node and link rows name each other by the file's own ids (a GraphML `id`, an FtM entity id);
the loader turns them into the schema's labels and keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ingest.mapping import Reject


@dataclass
class NodeRow:
    line: int
    id: str  # the file's own id
    labels: list[str]
    properties: dict[str, Any]  # property name -> value as written (text, or JSON values)

    @property
    def original(self) -> str:
        return _original({"id": self.id, "labels": self.labels, "properties": self.properties})


@dataclass
class LinkRow:
    line: int
    id: str
    type: str
    start: str  # the file's id of the start node
    end: str
    properties: dict[str, Any]

    @property
    def original(self) -> str:
        return _original(
            {"id": self.id, "type": self.type, "start": self.start, "end": self.end, "properties": self.properties}
        )


@dataclass
class ReadFile:
    """A file read whole: its rows, its own faults, and whether it says it was masked."""

    format: str  # "graphml" or "ftm"
    nodes: list[NodeRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    faults: list[Reject] = field(default_factory=list)  # lines that are no node or link
    masked: bool = False

    @property
    def rows(self) -> int:
        return len(self.nodes) + len(self.links) + len(self.faults)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (not XML, a DTD, not GraphML, a masked export):
    nothing is loaded; the message names the file and, where known, the line."""


def _original(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)
