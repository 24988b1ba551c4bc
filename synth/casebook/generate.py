"""Write the case book: 11 node files and 14 relationship files with neo4j-admin import
headers (`:ID(space)`, `:START_ID(space)`, `:END_ID(space)`, `:TYPE`, typed columns such as
`age:int`, `date:date`, arrays `aliases:string[]`), the same seed giving the same bytes.

People fall into circles of acquaintance (dense inside, sparse between), so the KNOWS graph
has triangles, communities and bridges worth asking about; crimes, calls and addresses hang
off the people.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

DEFAULT_PERSONS = 600
DEFAULT_SEED = 11

GIVEN = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Jacob",
    "Noah",
    "Charlie",
    "Thomas",
    "Oscar",
    "William",
    "James",
    "Leo",
    "Alfie",
    "Henry",
    "Archie",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Emily",
    "Sophia",
    "Grace",
    "Mia",
    "Poppy",
    "Ella",
    "Lily",
    "Evie",
    "Isabella",
    "Freya",
    "Florence",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "King",
    "Baker",
    "Hill",
    "Ward",
]
STREETS = [
    "Mill",
    "Church",
    "Station",
    "Park",
    "Victoria",
    "Queen",
    "King",
    "Albert",
    "Grove",
    "Chapel",
    "Bridge",
    "Market",
]
SUFFIXES = ["Street", "Road", "Lane", "Avenue", "Close", "Way"]
CRIME_TYPES = (
    ("Violence and sexual offences", 30),
    ("Anti-social behaviour", 20),
    ("Criminal damage and arson", 12),
    ("Burglary", 10),
    ("Vehicle crime", 10),
    ("Shoplifting", 8),
    ("Drugs", 6),
    ("Robbery", 4),
)
OUTCOMES = ("Under investigation", "Investigation complete; no suspect identified", "Awaiting court outcome")
RANKS = ("Police Constable", "Sergeant", "Inspector", "Chief Inspector")
MAKES = (("Ford", "Focus"), ("Vauxhall", "Corsa"), ("Volkswagen", "Golf"), ("Nissan", "Qashqai"), ("BMW", "3 Series"))
OBJECTS = (("Mobile phone", "Electronics"), ("Bicycle", "Vehicle part"), ("Knife", "Weapon"), ("Wallet", "Personal"))
# Ofcom's numbers for drama (never allocated to anyone), each with 1,000 numbers after it.
PHONE_RANGES = (
    "020 7946 0",
    "0113 496 0",
    "0114 496 0",
    "0116 496 0",
    "0117 496 0",
    "0118 496 0",
    "0121 496 0",
    "0131 496 0",
    "0141 496 0",
    "0151 496 0",
    "0161 496 0",
    "029 2018 0",
)
KNOWS_TYPES = (("KNOWS", 6), ("KNOWS_SN", 2), ("KNOWS_LW", 1), ("FAMILY_REL", 1))
CIRCLE = 10  # people per circle of acquaintance


@dataclass
class Casebook:
    """What was written: file name → data rows (headers not counted)."""

    folder: Path
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def node_files(self) -> list[Path]:
        return [self.folder / name for name in NODE_FILES]

    @property
    def relationship_files(self) -> list[Path]:
        return [self.folder / name for name in RELATIONSHIP_FILES]


NODE_FILES = (
    "areas.csv",
    "postcodes.csv",
    "locations.csv",
    "persons.csv",
    "officers.csv",
    "crimes.csv",
    "phones.csv",
    "emails.csv",
    "vehicles.csv",
    "objects.csv",
    "phone_calls.csv",
)
RELATIONSHIP_FILES = (
    "postcode_in_area.csv",
    "has_postcode.csv",
    "location_in_area.csv",
    "current_address.csv",
    "knows.csv",
    "party_to.csv",
    "investigated_by.csv",
    "occurred_at.csv",
    "has_phone.csv",
    "has_email.csv",
    "vehicle_involved.csv",
    "object_involved.csv",
    "call_parties.csv",
    "officer_area.csv",
)


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number from the 999 range, which is never issued to a patient."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            text = "".join(map(str, [*digits, check]))
            return f"{text[:3]} {text[3:6]} {text[6:]}"


def write_casebook(folder: Path, *, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED) -> Casebook:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    book = Casebook(folder)

    def write(name: str, header: list[str], rows: list[list]) -> None:
        with (folder / name).open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        book.rows[name] = len(rows)

    letters = "ABCDEFGHJKLMNPRSTUWY"
    areas = [f"{letters[i // len(letters)]}{letters[i % len(letters)]}" for i in range(12)]
    write("areas.csv", ["areaId:ID(Area)", "areaCode"], [[f"a{i}", code] for i, code in enumerate(areas)])
    postcodes = []
    for i, area in enumerate(areas):
        for d in range(6):
            inward = f"{rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"
            postcodes.append((f"pc{len(postcodes)}", f"{area}{d + 1} {inward}", i))
    write("postcodes.csv", ["postcodeId:ID(PostCode)", "code"], [[pid, code] for pid, code, _ in postcodes])
    write("postcode_in_area.csv", [":START_ID(PostCode)", ":END_ID(Area)"], [[p, f"a{a}"] for p, _, a in postcodes])

    locations = []
    for i in range(max(persons // 2, 20)):
        pid, _, area = rng.choice(postcodes)
        address = f"{rng.randrange(1, 200)} {rng.choice(STREETS)} {rng.choice(SUFFIXES)}"
        lat, lon = round(53.40 + rng.random() * 0.15, 5), round(-2.35 + rng.random() * 0.25, 5)
        locations.append((f"l{i}", address, pid, area, lat, lon))
    write(
        "locations.csv",
        ["locationId:ID(Location)", "address", "postcode", "latitude:double", "longitude:double"],
        [[lid, address, _code(postcodes, pid), lat, lon] for lid, address, pid, _, lat, lon in locations],
    )
    write("has_postcode.csv", [":START_ID(Location)", ":END_ID(PostCode)"], [[x[0], x[2]] for x in locations])
    write("location_in_area.csv", [":START_ID(Location)", ":END_ID(Area)"], [[x[0], f"a{x[3]}"] for x in locations])

    people = []
    seen_nhs: set[str] = set()
    for i in range(persons):
        number = nhs_number(rng)
        while number in seen_nhs:
            number = nhs_number(rng)
        seen_nhs.add(number)
        given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
        aliases = ";".join(f"{given[0]}. {surname}" for _ in range(1) if rng.random() < 0.2)
        people.append([str(i), given, surname, number, rng.randrange(16, 80), aliases])
    write(
        "persons.csv",
        ["personId:ID(Person)", "name", "surname", "nhs_no", "age:int", "aliases:string[]"],
        people,
    )
    write(
        "current_address.csv",
        [":START_ID(Person)", ":END_ID(Location)"],
        [[p[0], rng.choice(locations)[0]] for p in people],
    )
    write("knows.csv", [":START_ID(Person)", ":END_ID(Person)", ":TYPE", "since:int"], _acquaintances(rng, persons))

    officer_count = max(persons // 15, 4)
    badges = rng.sample(range(1000, 10000), officer_count)  # a badge names one officer
    officers = [
        [f"o{i}", str(badge), rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(RANKS)]
        for i, badge in enumerate(badges)
    ]
    write("officers.csv", ["officerId:ID(Officer)", "badge_no", "name", "surname", "rank"], officers)
    write(
        "officer_area.csv",
        [":START_ID(Officer)", ":END_ID(Area)", ":TYPE"],
        [[o[0], f"a{rng.randrange(len(areas))}", "PATROLS"] for o in officers],
    )

    crimes = []
    start = date(2025, 1, 1)
    types, weights = zip(*CRIME_TYPES, strict=True)
    for i in range(int(persons * 0.8)):
        crimes.append(
            [
                f"c{i}",
                rng.choices(types, weights)[0],
                (start + timedelta(days=rng.randrange(365))).isoformat(),
                rng.choice(OUTCOMES),
                f"CH{rng.randrange(100000):05d}" if rng.random() < 0.3 else "",
            ]
        )
    write("crimes.csv", ["crimeId:ID(Crime)", "type", "date:date", "last_outcome", "charge"], crimes)
    write(
        "occurred_at.csv",
        [":START_ID(Crime)", ":END_ID(Location)"],
        # A few places see many crimes: the first tenth of the locations draws half of them.
        [[c[0], rng.choice(locations[: len(locations) // 10] if rng.random() < 0.5 else locations)[0]] for c in crimes],
    )
    write(
        "investigated_by.csv",
        [":START_ID(Crime)", ":END_ID(Officer)"],
        [[c[0], rng.choice(officers)[0]] for c in crimes],
    )
    parties = sorted(
        {(str(p), c[0]) for c in crimes if rng.random() < 0.35 for p in rng.sample(range(persons), rng.randrange(1, 4))}
    )
    write("party_to.csv", [":START_ID(Person)", ":END_ID(Crime)", ":TYPE"], [[p, c, "PARTY_TO"] for p, c in parties])

    numbers = rng.sample([f"{prefix}{n:03d}" for prefix in PHONE_RANGES for n in range(1000)], persons + persons // 5)
    write("phones.csv", ["phoneId:ID(Phone)", "phoneNo"], [[f"t{i}", n] for i, n in enumerate(numbers)])
    owners = [[str(i), f"t{i}"] for i in range(persons)] + [
        [str(rng.randrange(persons)), f"t{i}"] for i in range(persons, len(numbers))
    ]
    write("has_phone.csv", [":START_ID(Person)", ":END_ID(Phone)", ":TYPE"], [[*o, "HAS_PHONE"] for o in owners])
    emails = [[f"e{i}", f"{p[1].lower()}.{p[2].lower()}{i}@example.org", p[0]] for i, p in enumerate(people) if i % 3]
    write("emails.csv", ["emailId:ID(Email)", "email_address"], [e[:2] for e in emails])
    write("has_email.csv", [":START_ID(Person)", ":END_ID(Email)"], [[e[2], e[0]] for e in emails])

    vehicles = []
    for i in range(max(persons // 5, 5)):
        make, model = rng.choice(MAKES)
        reg = f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10, 75)} {''.join(rng.choices(letters, k=3))}"
        vehicles.append([f"v{i}", make, model, rng.randrange(2005, 2025), reg])
    write("vehicles.csv", ["vehicleId:ID(Vehicle)", "make", "model", "year:int", "reg"], vehicles)
    write(
        "vehicle_involved.csv",
        [":START_ID(Vehicle)", ":END_ID(Crime)", ":TYPE"],
        [[v[0], rng.choice(crimes)[0], "INVOLVED_IN"] for v in vehicles if rng.random() < 0.6],
    )
    objects = [[f"b{i}", *rng.choice(OBJECTS)] for i in range(max(persons // 4, 5))]
    write("objects.csv", ["objectId:ID(Object)", "description", "type"], objects)
    write(
        "object_involved.csv",
        [":START_ID(Object)", ":END_ID(Crime)", ":TYPE"],
        [[b[0], rng.choice(crimes)[0], "INVOLVED_IN"] for b in objects],
    )

    calls, parties_of_calls = [], []
    for i in range(persons * 2):
        caller, called = rng.sample(range(len(numbers)), 2)
        day = start + timedelta(days=rng.randrange(365))
        calls.append(
            [
                f"k{i}",
                day.isoformat(),
                f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
                rng.randrange(5, 900),
                rng.choice(("CALL", "SMS")),
            ]
        )
        parties_of_calls += [[f"k{i}", f"t{caller}", "CALLER"], [f"k{i}", f"t{called}", "CALLED"]]
    write(
        "phone_calls.csv",
        ["callId:ID(PhoneCall)", "call_date:date", "call_time", "call_duration:int", "call_type"],
        calls,
    )
    write("call_parties.csv", [":START_ID(PhoneCall)", ":END_ID(Phone)", ":TYPE"], parties_of_calls)
    return book


def _code(postcodes: list[tuple[str, str, int]], pid: str) -> str:
    return postcodes[int(pid[2:])][1]


def _acquaintances(rng: random.Random, persons: int) -> list[list]:
    """Dense circles of about CIRCLE people, a few links between circles: one row per pair."""
    types, weights = zip(*KNOWS_TYPES, strict=True)
    pairs: dict[tuple[int, int], str] = {}
    for first in range(0, persons, CIRCLE):
        circle = list(range(first, min(first + CIRCLE, persons)))
        for i, a in enumerate(circle):
            for b in circle[i + 1 :]:
                if rng.random() < 0.45:
                    pairs[(a, b)] = rng.choices(types, weights)[0]
    for _ in range(persons // 4):
        a, b = sorted(rng.sample(range(persons), 2))
        pairs.setdefault((a, b), "KNOWS")
    return [[str(a), str(b), kind, rng.randrange(1990, 2025)] for (a, b), kind in sorted(pairs.items())]
