"""The error every normaliser raises, and the few helpers they all share."""

from __future__ import annotations

import unicodedata

from ingest.reject_reasons import Reason

_SHOWN_MAX = 60


class InvalidValue(ValueError):
    """A value that cannot be normalised: `reason` is the reject code, `message` a
    short English sentence that names the value and what is wrong with it."""

    def __init__(self, reason: Reason, message: str):
        # both in args, so the error survives pickling between worker processes
        super().__init__(reason, message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def shown(raw: object) -> str:
    """The raw value as a reject message quotes it: repr, cut to a readable length."""
    text = repr(raw)
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 3] + "..."


def missing(what: str) -> InvalidValue:
    return InvalidValue(Reason.REQUIRED_MISSING, f"{what} is blank")


def nfkc(text: str) -> str:
    # full-width digits, letters and punctuation become ASCII; the fast path skips
    # the normalisation for the common all-ASCII value
    return text if text.isascii() else unicodedata.normalize("NFKC", text)
