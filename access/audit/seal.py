"""How audit entries are sealed: SHA-256, or HMAC-SHA256 with a key kept apart from the log.

Without a key, whoever can write the log can recompute every hash after an edit; the head
and the anchors (`access.audit.anchors`) are what catch that. With a key
(`GOLDENBELL_AUDIT_KEY_FILE`), an entry's hash is an HMAC: editing or appending an entry
without the key leaves a hash that does not match. A keyed entry names its key by an id
(`mac_key`, a digest of the key that reveals nothing of it), so a log keeps verifying when
the key is set up part-way through, and a verifier can tell a key it lacks from a forgery.

The entities a consultation returned are kept in the entry as `Label:key`, or, with a key,
as `Label:#` and an HMAC of that text: an 18-digit ID number has too few values for a plain
hash to hide it, an HMAC cannot be searched without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from access.audit.chain import canonical, entry_hash
from settings.table import SettingsError

KEY_FIELD = "mac_key"
MIN_KEY_BYTES = 16
ENTITY = re.compile(r"[A-Z][A-Za-z0-9_]*:[^\s#].*")
_ENTITY_DOMAIN = b"goldenbell audit entity\x00"
_ID_DOMAIN = b"goldenbell audit key id\x00"


class AuditKeyError(SettingsError):
    """The audit key (GOLDENBELL_AUDIT_KEY_FILE) cannot be read or is too short."""


def load_key(path: Path) -> bytes:
    """The key in `path`: its bytes without a trailing newline, at least MIN_KEY_BYTES of them."""
    try:
        key = Path(path).read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise AuditKeyError(f"GOLDENBELL_AUDIT_KEY_FILE: cannot read {path}: {exc.strerror or exc}") from exc
    if len(key) < MIN_KEY_BYTES:
        raise AuditKeyError(
            f"GOLDENBELL_AUDIT_KEY_FILE: {path} holds {len(key)} bytes; the audit key needs at least {MIN_KEY_BYTES} "
            "(make one with: head -c 32 /dev/urandom | base64 > FILE)"
        )
    return key


def check_entity(ref: str) -> str:
    """`ref` if it has the form Label:key; a ValueError naming it otherwise."""
    if not isinstance(ref, str) or not ENTITY.fullmatch(ref):
        raise ValueError(f"an entity is written Label:key, such as Person:330402199001011234, not {ref!r}")
    return ref


class Sealer:
    """Hashes entries and entity references, with the audit key when there is one."""

    def __init__(self, key: bytes | None = None):
        self.key = key or None
        self.key_id = hashlib.sha256(_ID_DOMAIN + key).hexdigest()[:16] if key else None

    @property
    def keyed(self) -> bool:
        return self.key is not None

    def seal(self, record: dict[str, Any]) -> str:
        """Mark `record` with the key's id when keyed; return the hash it must carry."""
        if self.key is not None:
            record[KEY_FIELD] = self.key_id
            return self._mac(record)
        return entry_hash(record)

    def hash_of(self, value: Mapping[str, Any]) -> str | None:
        """The hash `value` should carry; None when it was sealed with a key not at hand."""
        key_id = value.get(KEY_FIELD)
        if key_id is None:
            return entry_hash(value)
        if self.key is None or key_id != self.key_id:
            return None
        return self._mac(value)

    def _mac(self, value: Mapping[str, Any]) -> str:
        body = canonical({k: v for k, v in value.items() if k != "hash"})
        return hmac.new(self.key, body, hashlib.sha256).hexdigest()

    def entity(self, ref: str) -> str:
        """How the log keeps `ref`: as it is, or as Label:# and its HMAC."""
        if self.key is None:
            return ref
        label = ref.partition(":")[0]
        digest = hmac.new(self.key, _ENTITY_DOMAIN + ref.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{label}:#{digest[:32]}"

    def entities(self, refs: Iterable[str]) -> list[str]:
        """The stored forms of `refs`, each once, sorted."""
        return sorted({self.entity(ref) for ref in refs})


def is_keyed_entity(stored: str) -> bool:
    return ":#" in stored
