"""The towns and districts the generator writes are the importer's: every one of them
normalises to itself and its district, even when an address names only the town."""

from __future__ import annotations

from ingest.normalize import address
from ingest.normalize.jiaxing import TOWN_DISTRICT, TOWNS
from synth.compounds import CompoundBook, room_address
from synth.regions import DISTRICTS
from synth.shops import ShopBook


def test_every_town_the_generator_can_draw_is_recognised_with_its_district():
    for district in DISTRICTS:
        for town in TOWNS[district.code]:
            # no district written: only the gazetteer can tell where the town lies
            parsed = address.clean(f"嘉兴市{town}幸福社区1幢2单元301室")
            assert (parsed.district, parsed.town) == (district.name, town)
            assert TOWN_DISTRICT[town] == district.code


def test_the_addresses_the_generator_writes_normalise_to_their_own_town_and_district():
    compounds = CompoundBook(7, 400)
    seen = set()
    for c in range(compounds.count):
        compound = compounds(c)
        parsed = address.clean(room_address(compound, 1, 1, 3, 1))
        assert (parsed.district, parsed.town) == (compound.district.name, compound.town)
        assert parsed.full == room_address(compound, 1, 1, 3, 1)
        seen.add(compound.town)
    for shop in ShopBook(7, 60_000).shops:
        parsed = address.clean(shop.address)
        assert parsed.district == shop.district.name
        assert parsed.town in TOWNS[shop.district.code]
    assert seen <= set(TOWN_DISTRICT) and len(seen) > 40
