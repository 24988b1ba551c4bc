"""The case book as a records system would export it: thirteen CSV files with the
headers people type ("NHS No.", " Surname", "Duration (s)"), dates as dd/mm/yyyy, numbers
written every which way, rows naming each other by their keys rather than by import ids —
and the specs and the manifest that load it (`messy/`). The graph it makes is the graph of
the neo4j-admin files it is derived from.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from pathlib import Path

MESSY_DIR = Path(__file__).parent / "messy"


def write_messy_casebook(graph_files: Path, out: Path) -> dict[str, int]:
    """The messy files of the case book whose graph files are in `graph_files`, with the specs
    and `dataset.yaml` beside them; file name → data rows."""
    out.mkdir(parents=True, exist_ok=True)
    read = _Reader(graph_files)
    rows: dict[str, int] = {}

    def write(name: str, header: list[str], body: Iterable[list]) -> None:
        lines = [list(map(str, row)) for row in body]
        with (out / name).open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(lines)
        rows[name] = len(lines)

    area_of = read.ends("postcode_in_area.csv")
    areas = read.column("areas.csv", "areaCode")
    codes = read.column("postcodes.csv", "code")
    write("Areas and postcodes.csv", ["Post Code", "AREA"], ([c.lower(), areas[area_of[p]]] for p, c in codes.items()))

    location_area = read.ends("location_in_area.csv")
    write(
        "Locations.csv",
        ["Location Ref", "Address Line 1", "postcode", "Lat", "Long", "Area"],
        (
            [lid, r["address"], r["postcode"], r["latitude:double"], r["longitude:double"], areas[location_area[lid]]]
            for lid, r in read.rows("locations.csv", "locationId:ID(Location)").items()
        ),
    )

    people = read.rows("persons.csv", "personId:ID(Person)")
    nhs = {pid: _spaced(r["nhs_no"], i) for i, (pid, r) in enumerate(people.items())}
    lives = read.ends("current_address.csv")
    write(
        "People.csv",
        ["NHS No.", "Forename", " Surname", "Age", "Also Known As", "Home (Location Ref)"],
        (
            [nhs[pid], r["name"], f" {r['surname']}  " if i % 7 == 0 else r["surname"], r["age:int"],
             r["aliases:string[]"], lives[pid]]
            for i, (pid, r) in enumerate(people.items())
        ),
    )  # fmt: skip
    write(
        "Acquaintances.csv",
        ["Person (NHS No.)", "Knows (NHS No.)", "Relationship", "Since year"],
        ([nhs[a], nhs[b], kind, since] for a, b, kind, since in read.plain("knows.csv")),
    )

    officers = read.rows("officers.csv", "officerId:ID(Officer)")
    patrols = read.ends("officer_area.csv")
    write(
        "Officers.csv",
        ["Badge No", "First name", "Last name", "Rank", "Patrol area"],
        ([r["badge_no"], r["name"], r["surname"], r["rank"], areas[patrols[oid]]] for oid, r in officers.items()),
    )
    at, by = read.ends("occurred_at.csv"), read.ends("investigated_by.csv")
    write(
        "Crimes.csv",
        ["Crime Ref", "Crime type", "Date (dd/mm/yyyy)", "Last outcome", "Charge", "Location Ref", "Officer badge"],
        (
            [cid, r["type"], _british(r["date:date"]), r["last_outcome"], r["charge"], at[cid],
             officers[by[cid]]["badge_no"]]
            for cid, r in read.rows("crimes.csv", "crimeId:ID(Crime)").items()
        ),
    )  # fmt: skip
    write(
        "Parties.csv",
        ["NHS No", "Crime Ref"],
        ([nhs[p], c] for p, c, *_ in read.plain("party_to.csv")),
    )

    phones = read.column("phones.csv", "phoneNo")
    owner = {t: p for p, t, *_ in read.plain("has_phone.csv")}
    write(
        "Phones.csv",
        ["Phone number", "Owner (NHS No.)"],
        ([_dialled(number, i), nhs[owner[t]]] for i, (t, number) in enumerate(phones.items())),
    )
    emails = read.column("emails.csv", "email_address")
    mail_owner = {e: p for p, e in read.plain("has_email.csv")}
    write("Emails.csv", ["E-mail", "Owner (NHS No.)"], ([address, nhs[mail_owner[e]]] for e, address in emails.items()))

    vehicles = read.rows("vehicles.csv", "vehicleId:ID(Vehicle)")
    write(
        "Vehicles.csv",
        ["Reg. No.", "Make", "Model", "Year"],
        ([r["reg"].lower() if i % 5 == 0 else r["reg"], r["make"], r["model"], r["year:int"]]
         for i, r in enumerate(vehicles.values())),
    )  # fmt: skip
    write(
        "Vehicle involvement.csv",
        ["Reg. No.", "Crime Ref"],
        ([vehicles[v]["reg"], c] for v, c, *_ in read.plain("vehicle_involved.csv")),
    )
    involved = {b: c for b, c, *_ in read.plain("object_involved.csv")}
    write(
        "Objects.csv",
        ["Object Ref", "Description", "Category", "Crime Ref"],
        (
            [oid, r["description"], r["type"], involved[oid]]
            for oid, r in read.rows("objects.csv", "objectId:ID(Object)").items()
        ),
    )
    calls = read.rows("phone_calls.csv", "callId:ID(PhoneCall)")
    ends: dict[str, dict[str, str]] = {}
    for call, phone, role in read.plain("call_parties.csv"):
        ends.setdefault(call, {})[role] = phones[phone]
    write(
        "Calls.csv",
        ["Call Ref", "Date", "Time", "Duration (s)", "Type", "From", "To"],
        (
            [cid, _british(r["call_date:date"]), r["call_time"], r["call_duration:int"], r["call_type"],
             ends[cid]["CALLER"], ends[cid]["CALLED"]]
            for cid, r in calls.items()
        ),
    )  # fmt: skip
    for spec in sorted(MESSY_DIR.glob("*.yaml")):
        shutil.copyfile(spec, out / spec.name)
    return rows


class _Reader:
    def __init__(self, folder: Path):
        self.folder = folder

    def plain(self, name: str) -> list[list[str]]:
        with (self.folder / name).open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            next(rows)
            return list(rows)

    def rows(self, name: str, id_column: str) -> dict[str, dict[str, str]]:
        with (self.folder / name).open(encoding="utf-8", newline="") as handle:
            return {row[id_column]: row for row in csv.DictReader(handle)}

    def column(self, name: str, column: str) -> dict[str, str]:
        with (self.folder / name).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            id_column = reader.fieldnames[0]
            return {row[id_column]: row[column] for row in reader}

    def ends(self, name: str) -> dict[str, str]:
        return {row[0]: row[1] for row in self.plain(name)}


def _spaced(nhs: str, i: int) -> str:
    """An NHS number as people write it: with spaces, without, or with dashes."""
    digits = nhs.replace(" ", "")
    return (nhs, digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")[i % 3]


def _dialled(number: str, i: int) -> str:
    """A UK number as people write it: national, international, or run together."""
    national = number.replace(" ", "")
    return (number, "+44 " + number[1:], national)[i % 3]


def _british(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
