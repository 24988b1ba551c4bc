"""The building blocks hand out unique values and their untidy forms
canonicalise back."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from synth_canonical import canonical_address, canonical_phone, canonical_plate

from synth import phones, plates
from synth.compounds import CompoundBook, address_variants
from synth.geography import CHECKPOINTS, LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from synth.seeding import Shuffle

PLATE = re.compile(r"^浙F([A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$")


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 3000), seed=st.integers(0, 2**32))
def test_shuffle_is_a_bijection_with_an_inverse(n, seed):
    shuffle = Shuffle(n, seed, "test")
    image = [shuffle.forward(i) for i in range(n)]
    assert sorted(image) == list(range(n))
    assert all(shuffle.inverse(j) == i for i, j in enumerate(image))


def test_phones_are_unique_mobile_numbers():
    book = phones.PhoneBook(1)
    numbers = [book.number(i) for i in range(20000)]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"1[3-9]\d{9}", n) for n in numbers)


@settings(deadline=None)
@given(index=st.integers(0, 10**6))
def test_written_phone_forms_canonicalise_back(index):
    number = phones.PhoneBook(7).number(index)
    for written_as in (phones.plus86_spaced, phones.plus86_dashed, phones.dashed, phones.fullwidth_digits):
        assert canonical_phone(written_as(number)) == number
    assert canonical_phone(phones.invalid(number)) != number


def test_plates_are_unique_and_well_formed():
    book = plates.PlateBook(3, 100000, 20000, 5000, 1000)
    made = (
        [book.regular(i) for i in range(100000)]
        + [book.ne_small(i) for i in range(20000)]
        + [book.ne_large(i) for i in range(5000)]
    )
    assert len(set(made)) == len(made)
    assert all(PLATE.match(p) for p in made)
    phantoms = {book.phantom(i) for i in range(200)}
    assert not phantoms & set(made)


@settings(deadline=None)
@given(index=st.integers(0, 99999))
def test_written_plate_forms_canonicalise_back(index):
    plate = plates.PlateBook(5, 100000, 10, 10, 10).regular(index)
    for written_as in (plates.with_dot, plates.with_hyphen, plates.lower_case, plates.fullwidth):
        assert canonical_plate(written_as(plate)) == plate
    assert not PLATE.match(plates.invalid(plate))


def test_address_variants_canonicalise_back_and_places_lie_in_jiaxing():
    book = CompoundBook(11, 200)
    for c in range(200):
        compound = book(c)
        assert LAT_MIN < compound.lat < LAT_MAX and LON_MIN < compound.lon < LON_MAX
        for gate in compound.gates:
            assert LAT_MIN < gate.lat < LAT_MAX and LON_MIN < gate.lon < LON_MAX
        address = book.slot_address(compound, c * 3)
        assert re.fullmatch(r"浙江省嘉兴市\S+?(区|县|市)\S+?(街道|镇)\S+?社区\S+?\d+幢\d+单元\d+室", address)
        for k in range(3):
            variant = address_variants(address, k)
            assert variant != address
            assert canonical_address(variant) == address
    assert len(CHECKPOINTS) == 16
    assert all(LAT_MIN < cp.lat < LAT_MAX and LON_MIN < cp.lon < LON_MAX for cp in CHECKPOINTS)
