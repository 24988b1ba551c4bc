"""The console's length cap: text over GOLDENBELL_CONSOLE_MAX_CHARS is refused before the
server plans it (the query timeout does not bound planning: a 13 KB expression once ran 34–40 s
against a 30 s timeout), with a message that says why, and the refusal is audited. Text up to
the cap runs as before."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from access.actor import Actor
from queries.console import CypherTooLong, run_console
from queries.runner import Runner
from settings.table import Settings, SettingsError

# A role that may use the console; the cap holds for it too.
SUPERVISOR = Actor("sup", "supervisor", case_ref="JX-2025-0142", reason="case_investigation")
# The shape of the review's slow expression: one long arithmetic chain, 13,000 characters.
LONG = "RETURN " + "+".join(["1"] * 6494) + " AS xx"


def test_a_13_kb_expression_is_refused_at_once_and_audited(runner, audit):
    assert len(LONG) == 13_000 and runner.settings.console_max_chars == 4000
    began = time.perf_counter()
    with pytest.raises(CypherTooLong) as refused:
        run_console(runner, LONG, actor=SUPERVISOR)
    assert time.perf_counter() - began < 1.0, "refused before the server was asked to plan it"
    assert "13,000 characters" in refused.value.reason and "at most 4,000" in refused.value.reason
    assert "GOLDENBELL_CONSOLE_MAX_CHARS" in refused.value.reason
    [entry] = list(audit.events())
    assert (entry["user"], entry["role"], entry["action"], entry["outcome"]) == (
        "sup",
        "supervisor",
        "console.run",
        "refused",
    )
    assert entry["message"] == refused.value.reason and entry["parameters"] == {"cypher": LONG}
    assert entry["rows"] is None


def test_a_normal_query_and_one_at_the_cap_run(runner, audit):
    outcome = run_console(runner, "RETURN 1 + 1 AS two", actor=SUPERVISOR)
    assert outcome.rows == [{"two": 2}]
    head, tail = "RETURN '", "' AS padded"
    at_cap = head + "a" * (4000 - len(head) - len(tail)) + tail
    assert len(at_cap) == 4000
    assert run_console(runner, at_cap, actor=SUPERVISOR).rows == [{"padded": "a" * 3981}]
    assert [(e["outcome"], e["rows"]) for e in audit.events()] == [("ok", 1), ("ok", 1)]


def test_the_cap_is_a_setting(gateway, catalog, schema, neo4j_settings, audit):
    roomy = Runner(gateway, catalog, schema, replace(neo4j_settings, console_max_chars=20_000), audit)
    over = "RETURN '" + "a" * 6000 + "' AS padded"
    with pytest.raises(CypherTooLong):
        run_console(Runner(gateway, catalog, schema, neo4j_settings, audit), over, actor=SUPERVISOR)
    assert run_console(roomy, over, actor=SUPERVISOR).rows == [{"padded": "a" * 6000}]
    assert Settings.from_env({"GOLDENBELL_CONSOLE_MAX_CHARS": "800"}).console_max_chars == 800
    for bad in ("0", "-5", "lots"):
        with pytest.raises(SettingsError, match="GOLDENBELL_CONSOLE_MAX_CHARS"):
            Settings.from_env({"GOLDENBELL_CONSOLE_MAX_CHARS": bad})
