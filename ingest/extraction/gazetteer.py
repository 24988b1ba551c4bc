"""Names and addresses already in the graph, for matching them in report text.

Read through the gateway, bounded (`limit` each, the most recently seen first), and
refreshed by building a new one: `Gazetteer.from_graph(gateway)`. Addresses are
matched on the part after 浙江省嘉兴市 (reports drop it), then widened over whatever
of that prefix the text does write; every room-level address also lends its building
(…3幢), since reports often stop there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.normalize import InvalidValue
from ingest.normalize import address as addresses
from ingest.normalize import names as name_values

if TYPE_CHECKING:  # the driver takes a second to import; extraction alone never needs it
    from graph.gateway import Gateway

DEFAULT_LIMIT = 100_000
MIN_NAME_LENGTH = 2
PREFIXES = ("浙江省嘉兴市", "嘉兴市", "浙江省")  # longest first: the widest one the text writes wins
_CITY_PREFIX = "浙江省嘉兴市"

PERSON_NAMES = """
MATCH (p:Person) WHERE p.name IS NOT NULL
RETURN p.name AS value ORDER BY p.last_seen DESC LIMIT $limit
"""
ADDRESS_KEYS = """
MATCH (a:Address)
RETURN a.address_id AS value ORDER BY a.last_seen DESC LIMIT $limit
"""


@dataclass(frozen=True)
class Gazetteer:
    names: frozenset[str] = frozenset()
    # what a report writes after 浙江省嘉兴市 -> the canonical address
    addresses: dict[str, str] = field(default_factory=dict)
    truncated: bool = False  # the graph held more than `limit` of a kind

    @classmethod
    def from_values(cls, names: Iterable[str], full_addresses: Iterable[str], *, truncated: bool = False):
        kept_names = set()
        for raw in names:
            try:
                name = name_values.clean(raw)
            except InvalidValue:
                continue
            if len(name) >= MIN_NAME_LENGTH:
                kept_names.add(name)
        written: dict[str, str] = {}
        for full in full_addresses:
            for key in _with_building(full):
                if key.startswith(_CITY_PREFIX):
                    written.setdefault(key[len(_CITY_PREFIX) :], key)
                else:
                    written.setdefault(key, key)
        return cls(frozenset(kept_names), written, truncated)

    @classmethod
    def from_graph(cls, gateway: Gateway, *, limit: int = DEFAULT_LIMIT) -> Gazetteer:
        names = gateway.read("extraction.gazetteer_names", PERSON_NAMES, {"limit": limit + 1}).data()
        keys = gateway.read("extraction.gazetteer_addresses", ADDRESS_KEYS, {"limit": limit + 1}).data()
        truncated = len(names) > limit or len(keys) > limit
        return cls.from_values(
            (r["value"] for r in names[:limit]), (r["value"] for r in keys[:limit]), truncated=truncated
        )

    def __len__(self) -> int:
        return len(self.names) + len(self.addresses)


def _with_building(full: str) -> list[str]:
    """The address, and its building when it names a room: reports often stop at 幢."""
    out = [full]
    if "幢" in full and not full.endswith("幢"):
        out.append(full[: full.index("幢") + 1])
    return out


def widen(text: str, start: int) -> int:
    """Where an address matched at `start` really begins: before the 浙江省嘉兴市 (or part) written there."""
    for prefix in PREFIXES:
        if text[max(0, start - len(prefix)) : start] == prefix:
            return start - len(prefix)
    return start


def canonical_address(text: str) -> str | None:
    """The canonical form of an address as written, or None when it is not one."""
    try:
        return addresses.clean(text).full
    except InvalidValue:
        return None
