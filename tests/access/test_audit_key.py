"""The audit key: with GOLDENBELL_AUDIT_KEY_FILE set, each entry's hash is an HMAC-SHA256, so an
entry edited, rewritten or appended by someone without the key is caught by the key alone, and the
entities a consultation returned are kept as keyed hashes. Logs begun without a key verify as before."""

from __future__ import annotations

import hashlib

import pytest

from access.audit.log import AuditEvent, AuditLog
from access.audit.seal import AuditKeyError, load_key
from settings.table import Settings
from tests.access.tampering import entries_of, forge_append, rewrite_from

KEY = b"synthetic-test-key-0123456789abcdef"
PERSON = "Person:330402199001011234"


def keyed_log(tmp_path, n: int = 5, key: bytes = KEY) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl", key=key)
    for i in range(n):
        log.append(AuditEvent(user=f"analyst{i}", action="query.run", rows=i, entities=(PERSON,)))
    return log


def test_keyed_entries_carry_an_hmac_and_verify_with_the_key(tmp_path):
    log = keyed_log(tmp_path, 3)
    entries = entries_of(log)
    assert {e["mac_key"] for e in entries} == {log.sealer.key_id}
    assert KEY.decode() not in log.path.read_text() and log.sealer.key_id not in KEY.hex()
    result = log.verify()
    assert result.ok and result.keyed == 3


def test_a_rewritten_chain_and_head_are_caught_by_the_key_alone(tmp_path):
    log = keyed_log(tmp_path)
    rewrite_from(log, 1, user="someone-else")
    faults = log.verify().faults
    assert [(f.kind, f.seq) for f in faults] == [
        ("edited", 2),
        ("edited", 3),
        ("edited", 4),
        ("edited", 5),
        ("head", None),
    ]


def test_a_forged_entry_appended_with_the_head_moved_is_caught_by_the_key(tmp_path):
    log = keyed_log(tmp_path)
    forge_append(log, mac_key=log.sealer.key_id)  # claims the key, but its hash is SHA-256
    assert [(f.kind, f.seq) for f in log.verify().faults] == [("edited", 6), ("head", None)]


def test_a_forged_entry_without_the_seal_after_sealed_ones_is_caught(tmp_path):
    log = keyed_log(tmp_path)
    forge_append(log)
    assert [(f.kind, f.seq) for f in log.verify().faults] == [("unkeyed", 6)]


def test_a_forged_entry_the_next_append_links_to_is_still_caught(tmp_path):
    log = keyed_log(tmp_path)
    forge_append(log, move_head=False, mac_key=log.sealer.key_id)
    log.append(AuditEvent(user="analyst0", action="search"))
    assert [(f.kind, f.seq) for f in log.verify().faults] == [("edited", 6)]
    assert entries_of(log)[-1]["seq"] == 7


def test_a_log_begun_without_a_key_verifies_as_before_once_a_key_is_set(tmp_path):
    plain = AuditLog(tmp_path / "audit.jsonl")
    for i in range(2):
        plain.append(AuditEvent(user="u", action="search", rows=i))
    keyed = AuditLog(plain.path, key=KEY)
    keyed.append(AuditEvent(user="u", action="search"))
    result = keyed.verify()
    assert result.ok and (result.entries, result.keyed) == (3, 1)
    assert "mac_key" not in entries_of(plain)[0]


def test_without_the_key_keyed_entries_still_link_but_their_content_is_not_checked(tmp_path):
    keyed_log(tmp_path, 3)
    result = AuditLog(tmp_path / "audit.jsonl").verify()
    assert result.ok
    assert any("3 entries are sealed with a key not at hand" in note for note in result.notes)
    other = AuditLog(tmp_path / "audit.jsonl", key=b"another-synthetic-key-000000000000").verify()
    assert other.ok and any("not at hand" in note for note in other.notes)


def test_with_a_key_entities_are_kept_as_keyed_hashes_found_only_with_the_key(tmp_path):
    log = keyed_log(tmp_path, 2)
    text = log.path.read_text(encoding="utf-8")
    assert "330402199001011234" not in text
    [stored] = {tuple(e["entities"]) for e in entries_of(log)}
    assert stored[0].startswith("Person:#") and stored[0] != "Person:#" + hashlib.sha256(PERSON.encode()).hexdigest()
    assert [e["seq"] for e in log.consulted(PERSON).entries] == [2, 1]
    without = AuditLog(log.path).consulted(PERSON)
    assert (without.entries, without.unsearchable) == ([], 2)


def test_the_key_comes_from_its_file_and_a_bad_one_is_a_clear_error(tmp_path):
    key_file = tmp_path / "keys" / "audit.key"
    key_file.parent.mkdir()
    key_file.write_bytes(KEY + b"\n")
    settings = Settings.from_env({"GOLDENBELL_HOME": str(tmp_path), "GOLDENBELL_AUDIT_KEY_FILE": str(key_file)})
    assert AuditLog.from_settings(settings).sealer.key == KEY
    key_file.write_bytes(b"short\n")
    with pytest.raises(AuditKeyError, match="holds 5 bytes; the audit key needs at least 16"):
        AuditLog.from_settings(settings)
    with pytest.raises(AuditKeyError, match=r"cannot read .*missing\.key"):
        load_key(tmp_path / "missing.key")
