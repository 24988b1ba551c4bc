"""The parameters of event rules: lists and enums (values from the schema) as in the packs,
the types with no meaning over the event store refused, and the engine's `$today`."""

from __future__ import annotations

import duckdb
import pytest

from queries import event_parameters, event_rules
from queries.event_rules import EventRuleError
from queries.parameters import ParameterError

PARAMETERS = """\
rules:
  - id: test.kinds
    names: {{zh: 类别, en: Kinds}}
    parameters:
      {name}: {spec}
    sql: SELECT list_contains(${name}, 'a') AS found, $today AS today
"""


@pytest.mark.parametrize(
    ("name", "spec", "fault"),
    [
        ("today", "{type: date, names: {zh: 日, en: Day}}", r"the name is the engine's"),
        ("kinds", "{type: list, items: {type: enum, values_from: Vehicle.brand}, names: {zh: 类, en: K}}", "values_"),
        ("kinds", "{type: list, items: {type: entity}, names: {zh: 类, en: K}}", r"a list's items are of one of"),
        ("kinds", "{type: label, names: {zh: 类, en: K}}", r"type 'label' is not one of"),
    ],
)
def test_a_parameter_event_rules_cannot_take_is_refused(tmp_path, name, spec, fault):
    (tmp_path / "p.yaml").write_text(PARAMETERS.format(name=name, spec=spec), encoding="utf-8")
    with pytest.raises(EventRuleError, match=fault):
        event_rules.load_rules(tmp_path)


def test_lists_of_enums_and_today_reach_the_sql_as_values(tmp_path):
    spec = "{type: list, items: {type: enum, values: [a, b]}, names: {zh: 类, en: K}, default: [b]}"
    (tmp_path / "p.yaml").write_text(PARAMETERS.format(name="kinds", spec=spec), encoding="utf-8")
    [rule] = event_rules.load_rules(tmp_path).values()
    assert rule.engine == ("today",)
    today = event_parameters.today()
    assert event_rules.run(duckdb.connect(), rule) == [{"found": False, "today": today}]
    assert event_rules.run(duckdb.connect(), rule, {"kinds": "a,b"}) == [{"found": True, "today": today}]
    with pytest.raises(ParameterError, match="'c' is not one of a, b"):
        event_rules.run(duckdb.connect(), rule, {"kinds": "c"})
    with pytest.raises(ParameterError, match="no such parameter"):
        event_rules.run(duckdb.connect(), rule, {"today": "2025-01-01"})
