"""docs/access-control.md states what the code does: the permission table, the reason
codes and the fault kinds come from the same data the code uses."""

from __future__ import annotations

import re

from access.reasons import REASONS
from access.roles import ASSIGNABLE_ROLES, ROLES, Permission
from settings.table import PROJECT_ROOT

DOC = (PROJECT_ROOT / "docs" / "access-control.md").read_text(encoding="utf-8")


def test_the_permission_table_matches_the_roles():
    header = next(line for line in DOC.splitlines() if line.startswith("| Permission |"))
    roles = [cell.strip() for cell in header.strip("|").split("|")][2:]
    assert roles == list(ASSIGNABLE_ROLES)
    for permission in Permission:
        row = next(line for line in DOC.splitlines() if line.startswith(f"| `{permission.value}` |"))
        marks = [cell.strip() == "✓" for cell in row.strip("|").split("|")][2:]
        assert marks == [permission in ROLES[role].permissions for role in roles], permission


def test_every_reason_code_is_documented_with_its_words():
    for reason in REASONS.values():
        assert re.search(rf"^\| `{reason.code}` \| {reason.zh} \| {reason.en} \|", DOC, re.M), reason.code


def test_every_fault_kind_is_explained():
    for kind in ("edited", "unreadable", "deleted", "inserted", "relinked", "truncated", "head"):
        assert f"| `{kind}` |" in DOC
