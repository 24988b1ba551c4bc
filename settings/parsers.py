"""How each setting's text becomes a value, with what was expected when it cannot.
`settings.table` names which parser each setting uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar


def size(value: str) -> str:
    if not re.fullmatch(r"[1-9][0-9]*[kmgKMG]?", value):
        raise ValueError("expected a size such as 512m or 4g")
    return value.lower()


def log_retention(value: str) -> str:
    # Neo4j's own format for `db.tx_log.rotation.retention_policy`.
    text = value.strip()
    if not re.fullmatch(r"[1-9][0-9]*[kKmMgG]? (files|size|txs|entries|hours|days)|true|false|keep_none", text):
        raise ValueError("expected an amount and a kind, such as '1G size', '2 files' or '1 days'")
    return text


N = TypeVar("N", int, float)


def number(convert: Callable[[str], N], within: Callable[[N], bool], expected: str) -> Callable[[str], N]:
    """A parser for numbers that must lie in a range, saying what was expected when not."""

    def parse(value: str) -> N:
        number = convert(value)
        if not within(number):
            raise ValueError(f"expected {expected}")
        return number

    return parse


seconds = number(float, lambda n: n > 0, "a positive number of seconds")
port = number(int, lambda n: 1 <= n <= 65535, "a TCP port between 1 and 65535")
positive_int = number(int, lambda n: n > 0, "a positive whole number")


def optional_path(value: str) -> Path | None:
    return Path(value) if value else None


def byte_size(value: str) -> int:
    if value == "0":
        return 0
    text = size(value)
    return int(text.rstrip("kmg")) * {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(text[-1], 1)


def anchor_list(value: str) -> tuple[str, ...]:
    # The sinks themselves are built by access.audit.anchors; here only their form is checked.
    anchors = tuple(item.strip() for item in value.split(",") if item.strip())
    for item in anchors:
        kind, _, rest = item.partition(":")
        if item.startswith(("http://", "https://")) or (kind == "file" and rest.startswith("/")) or kind == "syslog":
            continue
        raise ValueError(f"{item!r}: an anchor is file:/absolute/path, syslog[:address] or an http(s):// URL")
    return anchors


def pattern(value: str) -> re.Pattern[str] | None:
    if not value:
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise ValueError(f"expected a regular expression: {exc}") from exc


def audit_retention(value: str) -> str:
    text = " ".join(value.split())
    if not re.fullmatch(r"all|[1-9][0-9]* (files|days)", text):
        raise ValueError("expected 'all', 'N files' or 'N days'")
    return text


def profile_name(value: str) -> str:
    # Which profiles exist is the schema folder's to say; here only the form is checked.
    text = value.strip()
    if not re.fullmatch(r"[a-z][a-z0-9_]*", text):
        raise ValueError("expected a profile name such as china or neutral")
    return text
