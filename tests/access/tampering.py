"""What someone who can write the audit log and its head, but holds no key and cannot reach the
anchors, can do to them: cut, rewrite and append, recomputing every SHA-256 as goldenbell would."""

from __future__ import annotations

import json
from typing import Any

from access.audit.chain import canonical, entry_hash
from access.audit.log import AuditLog


def entries_of(log: AuditLog) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.path.read_bytes().splitlines() if line.strip()]


def write_entries(log: AuditLog, entries: list[dict[str, Any]]) -> None:
    log.path.write_bytes(b"".join(canonical(entry) + b"\n" for entry in entries))


def set_head(log: AuditLog, entry: dict[str, Any]) -> None:
    log.head_path.write_text(json.dumps({"seq": entry["seq"], "hash": entry["hash"]}) + "\n")


def reseal(entries: list[dict[str, Any]], start: int) -> list[dict[str, Any]]:
    """Recompute `prev` and the SHA-256 `hash` of every entry from index `start` on."""
    out = [dict(entry) for entry in entries]
    for i in range(start, len(out)):
        if i:
            out[i]["prev"] = out[i - 1]["hash"]
        out[i]["hash"] = entry_hash(out[i])
    return out


def cut_tail(log: AuditLog, keep: int) -> None:
    """Keep the first `keep` entries and point the head at the last of them."""
    kept = entries_of(log)[:keep]
    write_entries(log, kept)
    set_head(log, kept[-1])


def rewrite_from(log: AuditLog, index: int, **changes: Any) -> None:
    """Change entry `index`, reseal it and every later one, and point the head at the end."""
    entries = entries_of(log)
    entries[index] = {**entries[index], **changes}
    entries = reseal(entries, index)
    write_entries(log, entries)
    set_head(log, entries[-1])


def forge_append(log: AuditLog, *, move_head: bool = True, **fields: Any) -> dict[str, Any]:
    """Append an entry that links to the last one with a correct SHA-256; move the head to it."""
    entries = entries_of(log)
    last = entries[-1]
    forged = {k: v for k, v in last.items() if k not in ("hash", "mac_key")}
    forged.update({"user": "nobody", "action": "search", "seq": last["seq"] + 1, "prev": last["hash"], **fields})
    forged["hash"] = entry_hash(forged)
    write_entries(log, [*entries, forged])
    if move_head:
        set_head(log, forged)
    return forged
