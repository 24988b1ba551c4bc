"""Why a row was rejected: the codes shared by the validators, the reject files and
the sample data's ground truth. A reject record carries one code plus a sentence
that names the value; the code is what tests and reports compare.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    # a key or required value is blank
    REQUIRED_MISSING = "required.missing"
    # citizen ID numbers (GB 11643-1999)
    CITIZEN_ID_FORMAT = "citizen_id.format"  # not 15 or 18 characters of digits (and a final X)
    CITIZEN_ID_CHECK_DIGIT = "citizen_id.check_digit"  # the 18th character does not match
    CITIZEN_ID_BIRTH_DATE = "citizen_id.birth_date"  # the embedded birth date does not exist
    CITIZEN_ID_REGION = "citizen_id.region"  # the first six digits are no region code
    CITIZEN_ID_EXCEL_NUMBER = "citizen_id.excel_number"  # stored as a number in a spreadsheet: digits lost
    # other value types
    PLATE_INVALID = "plate.invalid"
    PHONE_INVALID = "phone.invalid"
    DATE_INVALID = "date.invalid"  # not a date, or a date that does not exist (2024-02-30)
    DATETIME_INVALID = "datetime.invalid"
    NUMBER_INVALID = "number.invalid"
    ENUM_INVALID = "enum.invalid"  # not one of the schema's allowed values
    POINT_INVALID = "point.invalid"
    ADDRESS_INVALID = "address.invalid"
    BOOL_INVALID = "bool.invalid"
    NAME_INVALID = "name.invalid"  # a person's name with digits or symbols in it
    TEXT_INVALID = "text.invalid"  # a JSON list or object where text was expected
    VALUE_PATTERN = "value.pattern"  # fails the check of a value type the schema declares as data
    # the row as a whole
    ROW_COLUMN_COUNT = "row.column_count"  # more or fewer fields than the header
    ROW_DUPLICATE = "row.duplicate"  # identical to an earlier row of the same file
    ROW_MALFORMED = "row.malformed"  # a JSON line that does not parse, or is not an object
    REFERENCE_MISSING = "reference.missing"  # an edge row whose start or end entity does not exist
    # matched on a property that need not be unique (`match_on`), the value names two or more
    # nodes: linking the row to all of them would invent links, picking one would guess
    REFERENCE_AMBIGUOUS = "reference.ambiguous"
