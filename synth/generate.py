"""`generate()`: the sample data, stage by stage, streamed to disk.

Stages: reference lists (checkpoints, gates, shops); one pass over the
population writing the household registry, licences, watch list and
registrations and queueing purchases; the vehicle register; the sales in time
order; the passages day by day; the case reports; the ground truth.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from synth import sources
from synth.dirty import FileDirt, dirt_for
from synth.geography import CHECKPOINTS
from synth.ground_truth import write_ground_truth
from synth.narratives import write_cases
from synth.passages import CHECKPOINT, BackgroundTraffic
from synth.purchases import sale_row
from synth.registrations import registration_row
from synth.scenarios import plan_scenarios
from synth.seeding import Shuffle, stage_rng
from synth.sorting import SpillSorter
from synth.timeline import DAYS, day, ymd_compact, ymd_dot, ymd_slash_unpadded
from synth.world import World
from synth.writers import FileReport, SourceWriter, Tracker

DEFAULT_PERSONS = 3000
DEFAULT_SEED = 20261128
MIN_PERSONS = 500


@dataclass
class Summary:
    out_dir: Path
    seed: int
    persons: int
    dirty: bool
    files: dict[str, FileReport] = field(default_factory=dict)
    seconds: float = 0.0


class _Run:
    """One generation in progress: the world, the plan, the tracker the writers
    share, and the reports of the files written so far."""

    def __init__(self, out_dir: Path, world: World, plan, dirty: bool):
        self.out = out_dir
        self.world = world
        self.plan = plan
        self.dirty = dirty
        self.tracker = Tracker()
        self.tracker.watch = plan.watch
        self.reports: dict[str, FileReport] = {}

    def open(self, spec: sources.SourceFile, expected_rows: int, plain_json: bool = False) -> SourceWriter:
        dirt = None
        if self.dirty and dirt_for(spec.name):
            dirt = FileDirt(
                spec, stage_rng(self.world.seed, f"dirt:{spec.name}"), expected_rows, self.world.fleet.plates.phantom
            )
        return SourceWriter(self.out, spec, self.tracker, dirt, plain_json)

    def close(self, writer: SourceWriter) -> None:
        self.reports[writer.spec.name] = writer.close()


def generate(out_dir, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED, dirty: bool = False) -> Summary:
    """Write the sample files and ground_truth.json into `out_dir`."""
    if persons < MIN_PERSONS:
        raise ValueError(f"at least {MIN_PERSONS} persons are needed to plant every scenario")
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    world = World(persons, seed)
    plan = plan_scenarios(world)
    run = _Run(out, world, plan, dirty)
    _reference(run)
    _people(run)
    _vehicles(run)
    _passages(run)
    cases = write_cases(run)
    write_ground_truth(out / "ground_truth.json", run, cases)
    summary = Summary(out, seed, persons, dirty, {s.name: run.reports[s.name] for s in sources.SOURCES})
    summary.seconds = time.perf_counter() - started
    return summary


def _reference(run: _Run) -> None:
    world = run.world
    w = run.open(sources.CHECKPOINT_LIST, len(CHECKPOINTS))
    for cp in CHECKPOINTS:
        w.write([cp.checkpoint_id, cp.name, cp.road, cp.district, f"{cp.lon:.6f}", f"{cp.lat:.6f}"])
    run.close(w)
    w = run.open(sources.GATES, world.population.compounds.count * 2)
    for c in range(world.population.compounds.count):
        compound = world.population.compounds(c)
        for gate in compound.gates:
            w.write(
                [
                    gate.gate_id,
                    gate.name,
                    compound.compound_id,
                    compound.name,
                    compound.district.name,
                    compound.town,
                    compound.community,
                    compound.prefix,
                    f"{compound.lon:.6f}",
                    f"{compound.lat:.6f}",
                    f"{gate.lon:.6f}",
                    f"{gate.lat:.6f}",
                ]
            )
    run.close(w)
    w = run.open(sources.SHOPS, world.shops.count)
    for shop in world.shops.shops:
        w.write(
            [
                shop.shop_id,
                shop.name,
                shop.licence_no,
                "、".join(shop.categories),
                shop.address,
                f"{shop.lon:.6f}",
                f"{shop.lat:.6f}",
                shop.phone,
            ],
            (shop.address,),
        )
    run.close(w)


def _people(run: _Run) -> None:
    world, plan = run.world, run.plan
    population, fleet = world.population, world.fleet
    n = population.n
    household = run.open(sources.HOUSEHOLD, population.n_local)
    licences = run.open(sources.LICENCES, round(n * 0.62))
    watch = run.open(sources.WATCH_LIST, round(n * 0.005) + 30)
    registrations = run.open(sources.REGISTRATIONS, round(population.n_floating * 1.3))
    sorter = SpillSorter(run.out)
    landlords: dict = {}
    for i in range(n):
        person = population.person(i)
        if person.local:
            h = population.household_of(i)[0]
            household.write(
                [
                    f"{100000000 + h}",
                    person.name,
                    person.id_number,
                    person.gender,
                    person.ethnic,
                    ymd_compact(person.birth),
                    person.hukou_address,
                    person.phone,
                ],
                (person.id_number, person.phone, person.hukou_address),
            )
        licence = fleet.licence(i, person)
        if licence is not None:
            row = [
                licence.file_no,
                person.name,
                person.id_number,
                licence.licence_class,
                ymd_slash_unpadded(licence.issued_on),
                ymd_slash_unpadded(licence.valid_until),
                licence.status,
                ymd_slash_unpadded(licence.status_since),
            ]
            _apply_variant(row, sources.LICENCES, plan.row_variants.get((sources.LICENCES.name, i)))
            licences.write(row, (person.id_number,))
        entries = world.watch.background_entries(i, population.compounds(person.compound).district.code)
        for entry in entries + plan.watch_entries.get(i, []):
            watch.write(
                [
                    entry.entry_id,
                    entry.list_id,
                    entry.list_name,
                    entry.kind,
                    person.name,
                    person.id_number,
                    person.gender,
                    entry.reason,
                    ymd_dot(entry.listed_on),
                    ymd_dot(entry.lifted_on) if entry.lifted_on else "",
                    entry.unit,
                ],
                (person.id_number,),
            )
        if not world.kept_out(i):
            compound = population.compounds(person.compound)
            for event in world.purchases.background(person, compound.lat, compound.lon):
                sorter.add(event)
        if not person.local:
            _registrations(run, registrations, i - population.n_local, person, landlords)
    for event in plan.purchases:
        buyer = population.person(event.buyer)
        sorter.add(event._replace(name=buyer.name, id_number=buyer.id_number, phone=buyer.phone))
    for w in (household, licences, watch, registrations):
        run.close(w)
    _sales(run, sorter)


def _registrations(run: _Run, writer: SourceWriter, f: int, person, landlords: dict) -> None:
    world, plan = run.world, run.plan
    population = world.population
    planted = plan.registrations.get(f)
    if planted is None:
        flat = population.flat_of(f)[0]
        specs = world.registrations.background(f, person.residence, flat)
        for spec in specs:
            # flatmates come one after another: keep the flat's landlord at hand
            if spec.landlord not in landlords:
                landlords.clear()
                landlords[spec.landlord] = population.person(spec.landlord)
            writer.write(*registration_row(spec, person, landlords[spec.landlord]))
    else:
        for item in planted:
            _write_planted_registration(world, writer, item)
    for item in plan.extra_registrations.get(f, []):
        _write_planted_registration(world, writer, item)


def _write_planted_registration(world: World, writer: SourceWriter, item) -> None:
    population = world.population
    tenant = population.person(item.tenant)
    landlord = population.person(item.spec.landlord) if item.spec.landlord is not None else None
    writer.write(*registration_row(item.spec, tenant, landlord, without_id=item.without_id))


def _apply_variant(row: list, spec: sources.SourceFile, variant: dict | None) -> None:
    if variant:
        for column, value in variant.items():
            row[spec.header.index(column)] = value


def _sales(run: _Run, sorter: SpillSorter) -> None:
    world = run.world
    w = run.open(sources.SALES, round(world.persons * 0.23))
    for serial, event in enumerate(sorter.sorted(), start=1):
        number = f"JY{event.time:%Y%m%d}{serial:08d}"
        w.write(*sale_row(number, event, world.shops.shops[event.shop].shop_id))
    run.close(w)


def _vehicles(run: _Run) -> None:
    world, plan = run.world, run.plan
    fleet, population = world.fleet, world.population
    w = run.open(sources.VEHICLES, round(world.persons * 0.45))
    order = Shuffle(fleet.slots, world.seed, "vehicles.order")
    for k in range(fleet.slots):
        u = order.forward(k)
        vehicle = fleet.vehicle(u)
        if vehicle is None:
            continue
        owner = population.person(vehicle.owner)
        kind = vehicle.kind
        row = [
            vehicle.plate,
            kind.plate_type,
            vehicle.vehicle_type,
            kind.usage,
            vehicle.brand,
            vehicle.colour,
            owner.name,
            owner.id_number,
            owner.phone,
            owner.residence,
            vehicle.registered_on,
        ]
        _apply_variant(row, sources.VEHICLES, plan.row_variants.get((sources.VEHICLES.name, u)))
        w.write(row, (vehicle.plate, owner.id_number, owner.phone, owner.residence))
    run.close(w)


def _passages(run: _Run) -> None:
    world, plan = run.world, run.plan
    traffic = BackgroundTraffic(world, plan.reserved_vehicles)
    compounds = world.population.compounds
    checkpoints = run.open(sources.CHECKPOINT_PASSAGES, world.persons * 4)
    gates = run.open(sources.GATE_PASSAGES, world.persons * 8, plain_json=True)
    clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
    checkpoint_ids = [cp.checkpoint_id for cp in CHECKPOINTS]
    lanes = [str(k) for k in range(10)]
    gate_ids: dict[int, str] = {}
    write_checkpoint, write_gate = checkpoints.write, gates.write
    for n in range(DAYS):
        when = day(n)
        events = traffic.day_events(n) + plan.passages.get(when, [])
        events.sort()
        stamp = f"{when:%Y%m%d}"
        date_text = f"{when:%Y-%m-%d}"
        at_checkpoint: dict[int, int] = {}  # records so far today, per place
        at_gate: dict[int, int] = {}
        for second, kind, place, plate, direction, lane, driver, colour in events:
            if kind == CHECKPOINT:
                count = at_checkpoint[place] = at_checkpoint.get(place, 0) + 1
                cp = checkpoint_ids[place]
                write_checkpoint(
                    [
                        f"{cp}{stamp}{count:06d}",
                        plate,
                        colour,
                        cp,
                        f"{date_text} {clock[second]}",
                        direction,
                        lanes[lane],
                        driver,
                    ],
                    (plate, driver),
                )
                continue
            gate = gate_ids.get(place)
            if gate is None:
                gate = gate_ids[place] = compounds(place // 4).gates[place % 4].gate_id
            count = at_gate[place] = at_gate.get(place, 0) + 1
            write_gate(
                {
                    "recordId": f"{gate}{stamp}{count:05d}",
                    "plateNo": plate,
                    "gateId": gate,
                    "passTime": f"{date_text}T{clock[second]}.000+08:00",
                    "direction": direction,
                },
                (plate,),
            )
    run.close(checkpoints)
    run.close(gates)
