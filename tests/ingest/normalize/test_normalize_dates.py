from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize.dates import SHANGHAI, clean_date, clean_datetime
from ingest.reject_reasons import Reason
from tests.ingest.normalize.refusal import reason_of

DAY = date(2024, 3, 5)
MOMENT = datetime(2024, 3, 5, 8, 30, 5, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024/03/05",
        "2024.03.05",
        "20240305",
        "2024年3月5日",
        "2024年03月05日",
        "２０２４年３月５日",
        " 2024-03-05 00:00:00 ",
        "2024-03-05T00:00:00+08:00",
        20240305,
        45356,  # spreadsheet serial day
        45356.0,
        DAY,
        datetime(2024, 3, 5),
    ],
)
def test_dates(raw: object) -> None:
    assert clean_date(raw) == DAY


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05T08:30:05",
        "2024-03-05T08:30:05+08:00",
        "2024-03-05T00:30:05Z",
        "2024-03-05T01:30:05+01:00",
        "2024-03-04T19:30:05-05:00",
        "2024-03-05 08:30:05",
        "2024/3/5 8:30:05",
        "2024.03.05 08:30:05",
        "2024年03月05日 08时30分05秒",
        "2024年3月5日8点30分5秒",
        "20240305083005",
        20240305083005,
        MOMENT,
        datetime(2024, 3, 5, 8, 30, 5),
        datetime(2024, 3, 5, 0, 30, 5, tzinfo=UTC),
    ],
)
def test_datetimes(raw: object) -> None:
    moment = clean_datetime(raw)
    assert moment == MOMENT
    assert moment.tzinfo is SHANGHAI


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05 08:30", datetime(2024, 3, 5, 8, 30, tzinfo=SHANGHAI)),
        ("2024年03月05日 08时30分", datetime(2024, 3, 5, 8, 30, tzinfo=SHANGHAI)),
        ("202403050830", datetime(2024, 3, 5, 8, 30, tzinfo=SHANGHAI)),
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=SHANGHAI)),
        ("2024-03-05T08:30:05.25", datetime(2024, 3, 5, 8, 30, 5, 250000, tzinfo=SHANGHAI)),
        (45356.75, datetime(2024, 3, 5, 18, 0, tzinfo=SHANGHAI)),
        (DAY, datetime(2024, 3, 5, tzinfo=SHANGHAI)),
        (1, datetime(1900, 1, 1, tzinfo=SHANGHAI)),
        (59, datetime(1900, 2, 28, tzinfo=SHANGHAI)),
        (61, datetime(1900, 3, 1, tzinfo=SHANGHAI)),
    ],
)
def test_more_datetimes(raw: object, expected: datetime) -> None:
    assert clean_datetime(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "2023-02-29",
        "2024-13-01",
        "2024-04-31",
        "2024-3-5-1",
        "05/03/2024",
        "2024-03/05",
        "yesterday",
        "20241301",
        60,  # 1900-02-29 of the 1900 date system never was
        0,
        -3,
        3_000_000,
        float("nan"),
        True,
        ["2024-03-05"],
        "2024-03-05 08:30",  # a time of day would be lost in a date
        45356.5,
    ],
)
def test_invalid_dates(raw: object) -> None:
    assert reason_of(clean_date, raw) is Reason.DATE_INVALID


@pytest.mark.parametrize("raw", ["2024-03-05 24:00", "2024-03-05 08:60", "2024-03-05T08:30:00+25:00", "20240305083060"])
def test_invalid_datetimes(raw: object) -> None:
    assert reason_of(clean_datetime, raw) is Reason.DATETIME_INVALID


def test_blank_is_missing() -> None:
    assert reason_of(clean_date, "  ") is Reason.REQUIRED_MISSING


DATE_FORMATS = (
    "{:%Y-%m-%d}",
    "{:%Y/%m/%d}",
    "{:%Y.%m.%d}",
    "{:%Y%m%d}",
    "{:%Y年%m月%d日}",
    "{d.year}/{d.month}/{d.day}",
)
DATETIME_FORMATS = (
    "{:%Y-%m-%dT%H:%M:%S}",
    "{:%Y-%m-%d %H:%M:%S}",
    "{:%Y/%m/%d %H:%M:%S}",
    "{:%Y%m%d%H%M%S}",
    "{:%Y年%m月%d日 %H时%M分%S秒}",
    "{:%Y-%m-%dT%H:%M:%S%z}",
)
years = {"min_value": date(1000, 1, 1), "max_value": date(9999, 12, 31)}


@given(st.dates(**years), st.sampled_from(DATE_FORMATS))
def test_dates_round_trip(day: date, form: str) -> None:
    assert clean_date(form.format(day, d=day)) == day


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)), st.sampled_from(DATETIME_FORMATS))
def test_datetimes_round_trip(naive: datetime, form: str) -> None:
    moment = naive.replace(microsecond=0, tzinfo=SHANGHAI)
    assert clean_datetime(form.format(moment)) == moment


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)), st.integers(-12 * 4, 14 * 4))
def test_offsets_are_kept_as_instants(naive: datetime, quarters: int) -> None:
    moment = naive.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=15 * quarters)))
    parsed = clean_datetime(moment.isoformat())
    assert parsed == moment
    assert parsed.tzinfo is SHANGHAI


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)))
def test_spreadsheet_serials(day: date) -> None:
    serial = (day - date(1899, 12, 30)).days
    assert clean_date(serial) == day
    assert clean_date(float(serial)) == day


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05 08:30-05", datetime(2024, 3, 5, 21, 30, tzinfo=SHANGHAI)),
        ("2024-03-05 08:30+08", datetime(2024, 3, 5, 8, 30, tzinfo=SHANGHAI)),
    ],
)
def test_short_offsets_are_converted_not_replaced(raw: str, expected: datetime) -> None:
    assert clean_datetime(raw) == expected
