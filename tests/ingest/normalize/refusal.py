"""The reason a normaliser gives for refusing a value: the tests compare reasons, the
code a reject file carries, not messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ingest.normalize import InvalidValue
from ingest.reject_reasons import Reason


def reason_of(clean: Callable[[object], object], raw: object) -> Reason:
    """Fails the test when `clean` accepts `raw`."""
    with pytest.raises(InvalidValue) as caught:
        clean(raw)
    return caught.value.reason
