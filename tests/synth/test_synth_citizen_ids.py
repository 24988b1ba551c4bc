"""Citizen ID numbers: every generated one is valid under GB 11643-1999 as
python-stdnum checks it; every deliberately broken one is not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent

from synth import citizen_ids
from synth.population import Population
from synth.regions import DISTRICTS, ORIGIN_COUNTIES, jiaxing_code, origin_code


def test_published_vectors_agree_with_the_generator():
    # examples published with the standard and with the library
    for number in ("11010519491231002X", "360426199101010071"):
        assert ric.is_valid(number)
        assert citizen_ids.check_digit(number[:17]) == number[17]


@settings(deadline=None)
@given(
    district=st.sampled_from(DISTRICTS), birth=st.dates(date(1925, 1, 1), date(2024, 12, 31)), seq=st.integers(0, 999)
)
def test_local_ids_are_valid_for_any_birth_date(district, birth, seq):
    number = citizen_ids.make_id(jiaxing_code(district, birth.year), birth, seq)
    assert ric.validate(number) == number


@settings(deadline=None)
@given(
    county=st.sampled_from(ORIGIN_COUNTIES),
    birth=st.dates(date(1950, 1, 1), date(2010, 12, 31)),
    seq=st.integers(0, 999),
)
def test_ids_of_the_floating_population_are_valid(county, birth, seq):
    assert ric.is_valid(citizen_ids.make_id(origin_code(county, birth.year), birth, seq))


def test_young_locals_carry_todays_jiaxing_codes():
    assert {jiaxing_code(d, 2000) for d in DISTRICTS} == {
        "330402",
        "330411",
        "330421",
        "330424",
        "330481",
        "330482",
        "330483",
    }


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**40))
def test_population_ids_are_valid_and_unique_for_any_seed(seed):
    population = Population(600, seed)
    ids = [population.person(i).id_number for i in range(population.n)]
    assert len(set(ids)) == len(ids)
    assert all(ric.is_valid(n) for n in ids)
    assert all(population.id_number_of(i) == ids[i] for i in range(0, population.n, 37))


@settings(deadline=None)
@given(birth=st.dates(date(1930, 1, 1), date(1999, 12, 31)), seq=st.integers(0, 999))
def test_fifteen_digit_form_upgrades_back(birth, seq):
    number = citizen_ids.make_id("330402" if birth.year >= 1983 else "332102", birth, seq)
    old = citizen_ids.to_15(number)
    assert len(old) == 15 and old.isdigit()
    assert citizen_ids.upgrade_15(old) == number


def test_no_fifteen_digit_form_after_1999():
    with pytest.raises(ValueError):
        citizen_ids.to_15(citizen_ids.make_id("330402", date(2001, 5, 1), 12))


@settings(deadline=None)
@given(birth=st.dates(date(1930, 1, 1), date(2024, 12, 31)), seq=st.integers(0, 999))
def test_broken_forms_fail_for_the_stated_reason(birth, seq):
    number = citizen_ids.make_id("330402" if birth.year >= 1983 else "332102", birth, seq)
    with pytest.raises(InvalidChecksum):
        ric.validate(citizen_ids.with_wrong_check_digit(number))
    impossible = citizen_ids.with_impossible_birth_date(number, seq)
    assert citizen_ids.check_digit(impossible[:17]) == impossible[17]  # only the date is wrong
    with pytest.raises(InvalidComponent):
        ric.get_birth_date(impossible)


def test_spreadsheet_numbers_lose_digits():
    number = "330402198503121232"
    assert citizen_ids.excel_number_csv(number) == "3.30402E+17"
    assert str(int(citizen_ids.excel_number_cell(number))) != number
