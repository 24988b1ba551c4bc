"""Value types a schema declares as data (`types/<name>.yaml`): another country's
identifiers, checked by a pattern, a python-stdnum validator or a phone region.

The built-in semantic types follow Chinese rules; these let a UK or EU dataset validate
its own postcodes, plates, national numbers and phones without code. Their rules are
read once per process and kept (a compiled pattern, the stdnum module).
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from types import ModuleType

import phonenumbers

from graph.schema_types import ValueRule
from ingest.normalize.invalid import InvalidValue, missing, nfkc, shown
from ingest.reject_reasons import Reason

_SEPARATORS = re.compile(r"[\s\-./]+")
_SPACES = re.compile(r"\s+")
_STEPS = {
    "upper": str.upper,
    "lower": str.lower,
    "no_spaces": lambda text: _SPACES.sub("", text),
    "one_space": lambda text: _SPACES.sub(" ", text),
    "no_separators": lambda text: _SEPARATORS.sub("", text),
}


def clean(rule: ValueRule, raw: object) -> str:
    """The stored text for `raw` under `rule`; raises InvalidValue naming the value and the type."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InvalidValue(Reason.VALUE_PATTERN, f"{rule.names.en} {shown(raw)} is not text")
    text = nfkc(str(raw)).strip()
    for step in rule.steps:
        text = _STEPS[step](text)
    if not text:
        raise missing(rule.names.en)
    if rule.like == "phone":
        return _phone(rule, raw, text)
    if rule.pattern and not _compiled(rule.pattern).fullmatch(text):
        raise InvalidValue(
            Reason.VALUE_PATTERN, f"{rule.names.en} {shown(raw)} does not match the pattern of type {rule.type}"
        )
    if rule.stdnum:
        module = _stdnum(rule.stdnum)
        try:
            return module.compact(module.validate(text))
        except ValueError as exc:  # stdnum's ValidationError: wrong length, format or check digit
            raise InvalidValue(
                Reason.VALUE_PATTERN, f"{rule.names.en} {shown(raw)} is not valid ({exc}; stdnum.{rule.stdnum})"
            ) from None
    return text


def _phone(rule: ValueRule, raw: object, text: str) -> str:
    try:
        number = phonenumbers.parse(text, rule.region)
    except phonenumbers.NumberParseException as exc:
        message = f"{rule.names.en} {shown(raw)} is not a phone number ({exc})"
        raise InvalidValue(Reason.PHONE_INVALID, message) from None
    if not phonenumbers.is_valid_number(number):
        where = f"in region {rule.region}" if rule.region else "in its country"
        raise InvalidValue(Reason.PHONE_INVALID, f"{rule.names.en} {shown(raw)} is not an allocated number {where}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def _stdnum(name: str) -> ModuleType:
    return importlib.import_module(f"stdnum.{name}")
