"""Typed query parameters: declared in a pack, coerced from command-line text or from
Python values, checked against their bounds, and only then handed to Cypher.

A value reaches Cypher as a parameter, never as text. Two types change form on the
way: `search` text is escaped for the full-text index's query syntax, and an
`entity` ("Label:key") is looked up by the runner and arrives as the node's
element id (see entities.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from graph.model import Names, Schema

# Times without an offset are Beijing time, as the importer stores them. A fixed +08:00
# (China has kept no summer time since 1991), not ZoneInfo: the driver's encoder hands its
# own DateTime to ZoneInfo.utcoffset, which crashes the interpreter.
LOCAL_ZONE = timezone(timedelta(hours=8), "CST")
TYPES = (
    "string",
    "search",
    "int",
    "float",
    "bool",
    "date",
    "datetime",
    "duration",
    "enum",
    "label",
    "reltype",
    "entity",
    "list",
)
ORDERED = {"int", "float", "date", "datetime", "duration"}
SIZED = {"string", "search", "list"}
DEFAULT_MAX_LENGTH = {"string": 200, "search": 200, "list": 100}
_TRUE = {"true", "yes", "y", "1", "on", "是", "真"}
_FALSE = {"false", "no", "n", "0", "off", "否", "假"}
_SHORT_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", re.I)
_ISO_DURATION = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", re.I)
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
_LUCENE_OPERATOR = re.compile(r"\b(AND|OR|NOT|TO)\b")
_MISSING = object()


class ParameterError(ValueError):
    """A parameter value is missing, malformed or out of bounds."""

    def __init__(self, name: str, fault: str):
        self.name = name
        self.fault = fault
        super().__init__(f"parameter '{name}': {fault}")


@dataclass(frozen=True)
class EntityRef:
    """A node named by its label and key value, e.g. Person:330402199001011234."""

    label: str
    key: str

    def __str__(self) -> str:
        return f"{self.label}:{self.key}"


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    names: Names
    description: Names | None = None
    required: bool = True
    default: Any = None
    minimum: Any = None
    maximum: Any = None
    min_length: int | None = None
    max_length: int | None = None
    values: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # entity: the labels it may name
    items: Parameter | None = None  # list: the type of each item
    choices: str | None = None  # Cypher returning `value` (and optionally `label`) for pickers
    schema: Schema | None = field(default=None, compare=False, repr=False)

    def coerce(self, raw: Any = _MISSING) -> Any:
        """The checked Python value; raw text (CLI) or a Python value (API) both work."""
        if raw is _MISSING or raw is None or (isinstance(raw, str) and raw.strip() == "" and self.type != "list"):
            if self.required:
                raise ParameterError(self.name, "a value is required")
            return self.default
        value = self._convert(raw)
        self._check_bounds(value)
        return value

    def cypher_value(self, value: Any) -> Any:
        """The form Cypher receives (entities are resolved by the runner, not here)."""
        if value is None:
            return None
        if self.type == "search":
            return escape_lucene(value)
        if self.type == "list" and self.items is not None:
            return [self.items.cypher_value(v) for v in value]
        return value

    # --- conversion -------------------------------------------------------------

    def _convert(self, raw: Any) -> Any:
        convert = getattr(self, f"_to_{self.type}")
        try:
            return convert(raw)
        except ParameterError:
            raise
        except (ValueError, TypeError) as exc:
            raise ParameterError(self.name, f"{_shown(raw)} is not a valid {self.type}: {exc}") from None

    def _to_string(self, raw: Any) -> str:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise ValueError("expected text")
        return str(raw).strip()

    _to_search = _to_string

    def _to_int(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        if isinstance(raw, float):
            if not raw.is_integer():
                raise ValueError("expected a whole number")
            return int(raw)
        return int(raw) if isinstance(raw, int) else int(str(raw).strip())

    def _to_float(self, raw: Any) -> float:
        if isinstance(raw, bool):
            raise ValueError("expected a number")
        number = float(raw) if isinstance(raw, int | float) else float(str(raw).strip())
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("expected a finite number")
        return number

    def _to_bool(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("expected true or false")

    def _to_date(self, raw: Any) -> date:
        if isinstance(raw, datetime):
            raise ValueError("expected a date without a time")
        if isinstance(raw, date):
            return raw
        return date.fromisoformat(str(raw).strip())

    def _to_datetime(self, raw: Any) -> datetime:
        if isinstance(raw, datetime):
            moment = raw
        elif isinstance(raw, date):
            moment = datetime(raw.year, raw.month, raw.day)
        else:
            moment = datetime.fromisoformat(str(raw).strip().replace(" ", "T", 1))
        return moment.replace(tzinfo=LOCAL_ZONE) if moment.tzinfo is None else moment.astimezone(LOCAL_ZONE)

    def _to_duration(self, raw: Any) -> timedelta:
        if isinstance(raw, timedelta):
            return raw
        text = str(raw).strip()
        if match := _ISO_DURATION.fullmatch(text):
            weeks, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
            if text.upper() not in ("P", "PT"):
                return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
        if text and (match := _SHORT_DURATION.fullmatch(text)):
            days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
            return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        raise ValueError("expected a duration such as P7D, PT2H, 7d, 2h or 90s")

    def _to_enum(self, raw: Any) -> str:
        text = str(raw).strip()
        if text not in self.values:
            raise ParameterError(self.name, f"{_shown(raw)} is not one of {', '.join(self.values)}")
        return text

    _to_label = _to_enum
    _to_reltype = _to_enum

    def _to_entity(self, raw: Any) -> EntityRef:
        if isinstance(raw, EntityRef):
            ref = raw
        elif isinstance(raw, Mapping):
            ref = EntityRef(str(raw.get("label", "")), str(raw.get("key", "")).strip())
        elif isinstance(raw, tuple | list) and len(raw) == 2:
            ref = EntityRef(str(raw[0]), str(raw[1]).strip())
        else:
            label, sep, key = str(raw).strip().partition(":")
            if not sep:
                raise ParameterError(self.name, f"{_shown(raw)} should be Label:key, e.g. Person:330402199001011234")
            ref = EntityRef(label.strip(), key.strip())
        allowed = self.labels or tuple(self.schema.nodes if self.schema else ())
        if ref.label not in allowed:
            raise ParameterError(self.name, f"label {ref.label!r} is not one of {', '.join(allowed)}")
        if not ref.key:
            raise ParameterError(self.name, f"{_shown(raw)} has no key after the label")
        return ref

    def _to_list(self, raw: Any) -> list[Any]:
        assert self.items is not None
        if isinstance(raw, str):
            text = raw.strip()
            if text.startswith("["):
                raw = json.loads(text)
            else:
                raw = [part for part in (p.strip() for p in text.split(",")) if part]
        if not isinstance(raw, list | tuple | set | frozenset):
            raise ValueError("expected a list (comma-separated, or a JSON list)")
        out = []
        for item in raw:
            if item is None:
                raise ParameterError(self.name, "a list item is empty")
            try:
                out.append(self.items.coerce(item))
            except ParameterError as exc:
                raise ParameterError(self.name, f"item {exc.fault}") from None
        return out

    # --- bounds -----------------------------------------------------------------

    def _check_bounds(self, value: Any) -> None:
        if self.type in ORDERED:
            if self.minimum is not None and value < self.minimum:
                raise ParameterError(self.name, f"{_shown(value)} is below the minimum {_shown(self.minimum)}")
            if self.maximum is not None and value > self.maximum:
                raise ParameterError(self.name, f"{_shown(value)} is above the maximum {_shown(self.maximum)}")
        if self.type in SIZED:
            size = len(value)
            what = "items" if self.type == "list" else "characters"
            if self.min_length is not None and size < self.min_length:
                raise ParameterError(self.name, f"needs at least {self.min_length} {what}, got {size}")
            if self.max_length is not None and size > self.max_length:
                raise ParameterError(self.name, f"allows at most {self.max_length} {what}, got {size}")

    # --- description --------------------------------------------------------------

    def describe(self, *, with_default: bool = True) -> str:
        """One line for `query show` and the docs: type, bounds, default."""
        kind = self.type
        if self.type == "list" and self.items:
            kind = f"list of {self.items.describe(with_default=False)}"
        if self.type == "enum":
            kind += f" ({' | '.join(self.values)})"
        if self.type == "entity":
            kind += f" ({' | '.join(self.labels) if self.labels else 'any label'}:key)"
        bounds = []
        if self.minimum is not None:
            bounds.append(f"≥ {_shown(self.minimum)}")
        if self.maximum is not None:
            bounds.append(f"≤ {_shown(self.maximum)}")
        if self.type in SIZED and self.max_length is not None:
            bounds.append(f"at most {self.max_length} {'items' if self.type == 'list' else 'characters'}")
        text = kind + (f", {', '.join(bounds)}" if bounds else "")
        if not with_default:
            return text
        return text + (", required" if self.required else f", default {_shown(self.default)}")


def escape_lucene(text: str) -> str:
    """Search the words as typed: the index's query syntax characters and operators lose their meaning."""
    return _LUCENE_OPERATOR.sub(lambda m: m.group(0).lower(), _LUCENE_SPECIAL.sub(r"\\\1", text))


def plain(value: Any) -> Any:
    """A JSON-ready form of a coerced value, for the audit log and the outcome."""
    if isinstance(value, EntityRef):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def iso_duration(value: timedelta) -> str:
    seconds = value.total_seconds()
    days, rest = divmod(seconds, 86400)
    text = f"P{int(days)}D" if days else "P"
    if rest or not days:
        text += f"T{rest:g}S"
    return text


def _shown(value: Any) -> str:
    shown = plain(value)
    return repr(shown) if isinstance(shown, str) else json.dumps(shown, ensure_ascii=False)
