"""The audit log: one JSON line per event, appended, synced, readable by its owner only."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from graph.audit import AuditEvent, AuditLog
from graph.settings import Settings


def test_each_event_is_one_json_line_appended_to_the_end(tmp_path):
    path = tmp_path / "logs" / "audit.jsonl"
    AuditLog(path).append(AuditEvent(user="analyst1", action="search", parameters={"text": "张三"}, rows=2))
    AuditLog(path).append(AuditEvent(user="analyst2", action="query.run", outcome="refused", message="bad value"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["user"] == "analyst1" and first["parameters"] == {"text": "张三"} and first["rows"] == 2
    assert second["outcome"] == "refused" and second["message"] == "bad value"
    assert first["time"].endswith("+00:00")
    assert "张三" in lines[0]  # readable text, not escapes
    assert list(AuditLog(path).events()) == [first, second]


def test_the_file_is_created_for_its_owner_only(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    log.append(AuditEvent(user="u", action="export"))
    assert (log.path.stat().st_mode & 0o777) == 0o600


def test_parameter_values_are_kept_as_text(tmp_path):
    log = AuditLog(tmp_path / "audit.jsonl")
    when = datetime(2025, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))
    log.append(
        AuditEvent(
            user="u",
            action="query.run",
            parameters={"day": date(2025, 3, 1), "when": when, "span": timedelta(hours=2), "kinds": ("a", "b")},
        )
    )
    [event] = log.events()
    assert event["parameters"] == {
        "day": "2025-03-01",
        "when": "2025-03-01T08:30:00+08:00",
        "span": "PT7200S",
        "kinds": ["a", "b"],
    }


def test_an_event_needs_a_user_and_a_known_outcome():
    with pytest.raises(ValueError, match="needs the user"):
        AuditEvent(user="", action="search")
    with pytest.raises(ValueError, match="outcome must be one of"):
        AuditEvent(user="u", action="search", outcome="maybe")


def test_the_log_lives_where_the_settings_say():
    settings = Settings.from_env({"GOLDENBELL_HOME": "/tmp/gb-home"})
    assert AuditLog.from_settings(settings).path == settings.audit_log_path
    custom = Settings.from_env({"GOLDENBELL_AUDIT_LOG": "/var/log/goldenbell/audit.jsonl"})
    assert str(AuditLog.from_settings(custom).path) == "/var/log/goldenbell/audit.jsonl"
