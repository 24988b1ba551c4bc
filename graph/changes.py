"""What goldenbell's own writes may have changed in the graph, by name, so that what is
read from the graph can be kept until it changes (the event rules' graph tables,
queries/event_tables.py). Neo4j Community keeps no change feed, and every daily passage
import writes SEEN_AT, so the server's own transaction id moves every day.

Each name holds a random token, drawn anew after every write that may have changed it:

    *              anything: what a write that does not say what it changes draws anew
    Label+         nodes of the label created or deleted
    Label+key      nodes of the label created carrying the property (what an index scan on
                   the label and property, which returns only nodes that have it, can see)
    Label.key      the property of nodes of the label set on nodes that were already there
    TYPE+, TYPE.key  the same of relationships

A property set on a node the same write created needs no `Label.key`: a new node is
reached by its label's scan (Label+), an index scan (Label+key) or a new relationship (TYPE+).

The tokens are a JSON file in GOLDENBELL_HOME, written under a lock. A write marks its
names before it starts and draws them anew when it ends, whether it committed or not
(an auto-commit write may have committed part), so a reader never takes what it read
during a write, or after one cut off, as settled: a mark left by a process that is gone
is cleared by drawing its names anew.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from settings.home import open_private, private_dir
from settings.processes import alive

EVERYTHING = "*"


@dataclass(frozen=True)
class Changes:
    """What one write may change: `updates` names properties it sets on what was already
    there (Label.key, TYPE.key); `nodes` the labels of nodes it may create, `relationships`
    the types, drawn anew only when the server says it created some."""

    updates: frozenset[str] = frozenset()
    nodes: frozenset[str] = frozenset()  # Label+, and Label+key for each key a new node may carry
    relationships: frozenset[str] = frozenset()  # TYPE+

    @property
    def names(self) -> frozenset[str]:
        return self.updates | self.nodes | self.relationships

    def changed(self, counters: Any) -> frozenset[str]:
        """The names a finished write changed, from its summary's counters (None: all)."""
        if counters is None:
            return self.names
        created = set(self.updates)
        if getattr(counters, "nodes_created", 1) or getattr(counters, "nodes_deleted", 1):
            created |= self.nodes
        if getattr(counters, "relationships_created", 1) or getattr(counters, "relationships_deleted", 1):
            created |= self.relationships
        return frozenset(created)


ANYTHING = Changes(updates=frozenset({EVERYTHING}))


def declared(
    *,
    updates: Iterable[str] = (),
    nodes: Mapping[str, Iterable[str]] | None = None,
    relationships: Iterable[str] = (),
) -> Changes:
    """`nodes` maps each label of the nodes the write may create to every property key such
    a node may carry: a table read through an index on one of them (whose scan returns only
    the nodes that have it) changes only when a node carrying it is created."""
    created = {f"{label}+{key}" for label, keys in (nodes or {}).items() for key in keys}
    created |= {f"{label}+" for label in nodes or {}}
    return Changes(frozenset(updates), frozenset(created), frozenset(f"{t}+" for t in relationships))


@dataclass
class _State:
    tokens: dict[str, str] = field(default_factory=dict)
    writing: dict[str, dict[str, Any]] = field(default_factory=dict)  # mark → {pid, names}


class ChangeLog:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")

    # ---- writers ----

    def begin(self, changes: Changes) -> str:
        """Mark the write's names as being written; the mark, for `end`."""
        mark = secrets.token_hex(8)
        with self._locked() as state:
            state.writing[mark] = {"pid": os.getpid(), "names": sorted(changes.names)}
        return mark

    def end(self, mark: str, changed: Iterable[str]) -> None:
        with self._locked() as state:
            state.writing.pop(mark, None)
            _draw(state, changed)

    def everything_changed(self) -> None:
        """Say the graph changed in ways no write of goldenbell's told (a write past it)."""
        self.end(self.begin(ANYTHING), {EVERYTHING})

    # ---- readers ----

    def tokens(self, names: Iterable[str]) -> dict[str, str] | None:
        """The tokens of these names (and of `*`, which every read depends on), or None while
        a write that may change one of them is under way."""
        wanted = {*names, EVERYTHING}
        with self._locked() as state:
            for mark, entry in list(state.writing.items()):
                if not alive(entry["pid"]):
                    # Cut off: whatever it wrote is settled now, and its names are drawn anew.
                    del state.writing[mark]
                    _draw(state, entry["names"])
            if EVERYTHING not in state.tokens:
                # A log begun (or lost) now: a token no earlier read can have used.
                _draw(state, [EVERYTHING])
            for entry in state.writing.values():
                if wanted & set(entry["names"]) or EVERYTHING in entry["names"]:
                    return None
            return {name: state.tokens[name] for name in sorted(wanted) if name in state.tokens}

    # ---- the file ----

    @contextlib.contextmanager
    def _locked(self) -> Iterator[_State]:
        private_dir(self.path.parent)
        with open_private(self._lock_path, "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            state = self._read()
            before = json.dumps(state.__dict__, sort_keys=True)
            yield state
            after = json.dumps(state.__dict__, sort_keys=True)
            if after != before:
                partial = self.path.with_name(self.path.name + ".partial")
                with open_private(partial, "w", encoding="utf-8") as out:
                    out.write(after)
                os.replace(partial, self.path)

    def _read(self) -> _State:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return _State()
        except (json.JSONDecodeError, UnicodeDecodeError):
            # Unreadable: start over, with a new `*` drawn, so nothing read before is reused.
            return _State()
        return _State(dict(raw.get("tokens") or {}), dict(raw.get("writing") or {}))


def _draw(state: _State, names: Iterable[str]) -> None:
    for name in names:
        state.tokens[name] = secrets.token_hex(8)
