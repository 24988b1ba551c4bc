"""Who looked at this person: consultation entries name the entities that came back, and an auditor
asks the log (through the API or `goldenbell audit who`) who consulted one entity, when and why —
the asking itself recorded. Also `goldenbell audit verify --anchors`."""

from __future__ import annotations

import getpass
import json

import pytest
from click.testing import CliRunner

from access.actor import Actor
from access.audit.anchors import read_anchors
from access.audit.log import AuditEvent, AuditLog
from access.audit.view import who_audit
from access.errors import AccessDenied
from cli.main import main
from settings.table import Settings
from tests.access.tampering import cut_tail

ZHANG = "Person:330402199001011234"
LI = "Person:110101199203040017"
PHONE = "Phone:13800000000"


def consult(log: AuditLog, user: str, case_ref: str, query_id: str, *entities: str, **more) -> dict:
    event = AuditEvent(
        user=user,
        role="analyst",
        session=f"s-{user}",
        action="query.run",
        query_id=query_id,
        case_ref=case_ref,
        reason="fugitive_search",
        rows=len(entities),
        entities=entities,
        **more,
    )
    return log.append(event)


def test_an_entry_names_its_entities_once_each_and_entries_without_them_are_as_before(audit):
    entry = consult(audit, "ana", "JX-2025-0142", "search.entities", ZHANG, PHONE, ZHANG)
    assert entry["entities"] == [ZHANG, PHONE]
    plain = audit.append(AuditEvent(user="ana", action="login"))
    assert "entities" not in plain
    assert audit.verify().ok


def test_an_entity_is_written_label_colon_key():
    for bad in ("330402199001011234", "person:1", "Person:", "Person:#abc", " Person:1"):
        with pytest.raises(ValueError, match="Label:key"):
            AuditEvent(user="ana", action="query.run", entities=(bad,))
    with pytest.raises(ValueError, match="a list of Label:key"):
        AuditEvent(user="ana", action="query.run", entities=ZHANG)


def test_who_consulted_an_entity_newest_first_and_the_question_is_recorded(audit):
    consult(audit, "ana", "JX-2025-0142", "search.entities", ZHANG, LI)
    consult(audit, "bo", "JX-2025-0150", "links.neighbourhood", LI)
    consult(audit, "bo", "JX-2025-0150", "links.timeline", ZHANG, parameters={"start": ZHANG})
    found = who_audit(audit, Actor("aud", "auditor", reason="audit_review"), ZHANG)
    assert [(e["user"], e["case_ref"], e["query_id"]) for e in found.entries] == [
        ("bo", "JX-2025-0150", "links.timeline"),
        ("ana", "JX-2025-0142", "search.entities"),
    ]
    asked = list(audit.events())[-1]
    assert (asked["user"], asked["action"], asked["rows"], asked["entities"]) == ("aud", "audit.who", 2, [ZHANG])
    # The question is itself a look at the person: the next auditor sees it.
    assert who_audit(audit, Actor("aud2", "auditor"), ZHANG).entries[0]["action"] == "audit.who"


def test_only_a_role_that_reads_the_audit_may_ask_and_a_refusal_is_recorded(audit):
    consult(audit, "ana", "JX-2025-0142", "search.entities", ZHANG)
    with pytest.raises(AccessDenied):
        who_audit(audit, Actor("ana", "analyst"), ZHANG)
    refused = list(audit.events())[-1]
    assert (refused["user"], refused["action"], refused["outcome"]) == ("ana", "audit.who", "refused")


@pytest.fixture
def cli(tmp_path):
    sink = tmp_path / "other-mount" / "anchors.log"
    sink.parent.mkdir()
    env = {
        "GOLDENBELL_HOME": str(tmp_path / "home"),
        "GOLDENBELL_AUDIT_ANCHORS": f"file:{sink}",
        "COLUMNS": "250",
    }

    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)

    invoke.log = AuditLog.from_settings(Settings.from_env(env))
    invoke.sink = sink
    return invoke


def test_audit_who_on_the_command_line_lists_who_when_and_why(cli):
    consult(cli.log, "ana", "JX-2025-0142", "search.entities", ZHANG, LI)
    consult(cli.log, "bo", "JX-2025-0150", "links.neighbourhood", LI)
    shown = cli("audit", "who", "--entity", ZHANG, "--actor", "auditor1")
    assert shown.exit_code == 0, shown.output
    assert "ana" in shown.output and "JX-2025-0142" in shown.output and "search.entities" in shown.output
    assert "fugitive_search" in shown.output and "bo" not in shown.output.split()
    assert "1 consultations of" in shown.output
    asked = list(cli.log.events())[-1]
    assert (asked["user"], asked["action"], asked["reason"], asked["entities"]) == (
        getpass.getuser(),
        "audit.who",
        "audit_review: for auditor1",
        [ZHANG],
    )
    as_json = cli("audit", "who", "--entity", LI, "--json")
    assert [json.loads(line)["user"] for line in as_json.output.splitlines() if line.startswith("{")] == ["bo", "ana"]


def test_audit_who_refuses_an_entity_not_written_label_colon_key(cli):
    result = cli("audit", "who", "--entity", "330402199001011234")
    assert result.exit_code == 1 and "--entity: an entity is written Label:key" in result.output


def test_audit_verify_checks_the_configured_anchor_file_and_any_given(cli, tmp_path):
    for user in ("ana", "bo", "cy"):
        consult(cli.log, user, "JX-2025-0142", "search.entities", ZHANG)
    intact = cli("audit", "verify")
    assert intact.exit_code == 0 and "matches 3 anchors, the last seq 3" in intact.output
    cut_tail(cli.log, 2)  # and the head rewritten to match
    broken = cli("audit", "verify")
    assert broken.exit_code == 1 and "truncated" in broken.output and "seq 4 was anchored" in broken.output
    copy = tmp_path / "anchors-copy.log"
    copy.write_bytes(cli.sink.read_bytes())
    assert cli("audit", "verify", "--anchors", str(copy)).exit_code == 1
    assert max(a.seq for a in read_anchors(copy)) == 4  # the first verify's own entry was anchored too
    missing = cli("audit", "verify", "--anchors", str(tmp_path / "nowhere.log"))
    assert missing.exit_code == 1 and "nowhere.log" in missing.output
