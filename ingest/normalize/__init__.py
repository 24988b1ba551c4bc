"""Normalisers and validators, one per value type of the schema.

`normalise(value_type, raw)` turns what a reader produced into the value the
graph stores, or raises `InvalidValue` with a reject reason and a sentence that
names the value. Blank input comes back as None; whether blank is allowed is the
caller's decision.

    value type   returns
    text         str (stripped, newlines \\n)        name        str
    citizen_id   str, 18 characters                 phone       str, 11 digits
    plate        str, e.g. 浙F12345                  address     Address (its .full is the key)
    enum         str, one of `values`               int         int (64-bit)
    float        float                              bool        bool
    date         datetime.date                      datetime    datetime.datetime, aware, Asia/Shanghai
    point        (longitude, latitude) floats       text_list   list[str]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from types import MappingProxyType

from graph.schema_types import ValueRule
from ingest.normalize import address, citizen_id, dates, declared, names, phone, plate, scalars
from ingest.normalize.invalid import InvalidValue, is_blank
from ingest.reject_reasons import Reason

__all__ = ["NORMALISERS", "InvalidValue", "normalise"]

# value type -> normaliser, for every schema value type but enum (which needs its values);
# each raises InvalidValue, with reason required.missing for blank input
NORMALISERS: Mapping[str, Callable[[object], object]] = MappingProxyType(
    {
        "text": scalars.clean_text,
        "name": names.clean,
        "address": address.clean,
        "citizen_id": citizen_id.clean,
        "phone": phone.clean,
        "plate": plate.clean,
        "int": scalars.clean_int,
        "float": scalars.clean_float,
        "bool": scalars.clean_bool,
        "date": dates.clean_date,
        "datetime": dates.clean_datetime,
        "point": scalars.clean_point,
        "text_list": scalars.clean_text_list,
    }
)


def normalise(value_type: str, raw: object, *, values: tuple[str, ...] = (), rule: ValueRule | None = None) -> object:
    """The stored value for `raw`, None when it is blank (None, "", only whitespace,
    or nothing left after cleaning, like a name of only dots); raises InvalidValue.
    A value type the schema declares as data comes with its `rule`."""
    if is_blank(raw) or (isinstance(raw, (list, tuple)) and not raw and value_type == "text_list"):
        return None
    if rule is not None:
        clean: Callable[[object], object] = partial(declared.clean, rule)
    elif value_type == "enum":
        if not values:
            raise ValueError("an enum needs its allowed values")
        clean = partial(scalars.clean_enum, values=values)
    else:
        try:
            clean = NORMALISERS[value_type]
        except KeyError:
            raise ValueError(f"unknown value type {value_type!r}") from None
    try:
        return clean(raw)
    except InvalidValue as error:
        if error.reason is Reason.REQUIRED_MISSING:
            return None
        raise
