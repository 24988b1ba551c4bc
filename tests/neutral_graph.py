"""A small European dataset in neo4j-admin layout for the neutral schema profile: three
people of three countries with their phones, vehicles, employer, an event and where it
happened, and a call between two phones. Loaded with no schema or spec of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph import admin, ddl
from graph.gateway import Gateway
from graph.model import Schema, load_schema
from ingest.api import ImportReport
from ingest.graph_files import graph_files, import_graph_files
from settings.table import PROJECT_ROOT

BASE = PROJECT_ROOT / "graph" / "schema"

NODES = {
    "people.csv": [
        "personId:ID(Person),id_number,id_kind,name,given_name,surname,gender,birth_date:date,nationality",
        "p1,QQ 12 34 56 C,national insurance,Ada Fenwick,Ada,Fenwick,female,1984-03-09,GB",
        "p2,T22000129,Personalausweis,Jonas Brenner,Jonas,Brenner,male,1979-11-30,DE",
        "p3,SZ-918273,passport,Mira Kovac,Mira,Kovac,female,1991-06-02,HR",
    ],
    "phones.csv": ["phoneId:ID(Phone),number", "f1,+44 20 7946 0123", "f2,+49 30 901820", "f3,+44 20 7946 0456"],
    "vehicles.csv": ["vehicleId:ID(Vehicle),plate,make,country", "v1,ab12 cde,Ford,GB", "v2,B-MW 1234,Opel,DE"],
    "addresses.csv": [
        "addressId:ID(Address),address_id,full,city,postcode,country",
        "a1,A1,12 Quay Street Bristol BS1 4DJ,Bristol,BS1 4DJ,GB",
    ],
    "organisations.csv": [
        "orgId:ID(Organisation),org_id,name,kind",
        "o1,GB-0001,Harbour Freight Ltd,company",
    ],
    "events.csv": [
        "eventId:ID(Event),event_id,title,kind,occurred_at:datetime",
        "e1,EV-1,Warehouse break-in,burglary,2026-03-14T02:10:00Z",
    ],
}
LINKS = {
    "has_phone.csv": [":START_ID(Person),:END_ID(Phone)", "p1,f1", "p2,f2", "p3,f3"],
    "owns.csv": [":START_ID(Person),:END_ID(Vehicle)", "p1,v1", "p2,v2"],
    "works_for.csv": [":START_ID(Person),:END_ID(Organisation),role", "p1,o1,driver", "p3,o1,clerk"],
    "involved_in.csv": [":START_ID(Person),:END_ID(Event),role", "p1,e1,suspect", "p2,e1,witness"],
    "occurred_at.csv": [":START_ID(Event),:END_ID(Address)", "e1,a1"],
    "called.csv": [
        ":START_ID(Phone),:END_ID(Phone),call_id,time:datetime,seconds:int",
        "f1,f2,c1,2026-03-14T01:55:00Z,95",
    ],
}


@contextmanager
def neutral_graph(gateway: Gateway, folder: Path, work: Path) -> Iterator[tuple[Schema, ImportReport]]:
    """The dataset loaded under the neutral profile; the session's China schema is put back after."""
    neutral, china = load_schema(BASE, None, "neutral"), load_schema(BASE)
    for name, lines in {**NODES, **LINKS}.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The full-text index covers other labels under each profile; db init keeps an existing one.
    admin.wipe(gateway)
    gateway.write("test.drop_fulltext", f"DROP INDEX {china.fulltext.name} IF EXISTS")
    ddl.apply_schema(gateway, neutral)
    try:
        yield (
            neutral,
            import_graph_files(
                graph_files(folder), schema=neutral, gateway=gateway, work_dir=work, rejects_path=work / "rejects.csv"
            ),
        )
    finally:
        admin.wipe(gateway)
        gateway.write("test.drop_fulltext", f"DROP INDEX {neutral.fulltext.name} IF EXISTS")
        ddl.apply_schema(gateway, china)
