"""Vehicle passages at the 16 checkpoints and at compound gates.

Passages are generated day by day and written in time order, as the camera
platforms export them. A day's trips are sampled per vehicle kind; each
vehicle makes at most one trip a day, between 05:00 and 23:30, and every leg
of a trip takes at least the straight-line distance at 50 km/h. So in the
background no plate is ever in two places too far apart for the time between
(the cloned-plate rule), hazardous-goods trucks pass only by day, and no two
vehicles travel together by design. Planted scenario passages are merged into
the day they fall on.
"""

from __future__ import annotations

from array import array
from datetime import date, timedelta
from typing import NamedTuple

from synth.fleet import KINDS
from synth.geography import CHECKPOINT_KM, CHECKPOINTS, distance_km
from synth.seeding import stage_rng
from synth.timeline import DAYS, day

EXTERNAL_PER_PERSON = 0.12
EXTERNAL_TRIPS_PER_YEAR = 2.0
CAPTURE_SHARE = 0.15  # checkpoint passages where the driver's ID was captured
BACKGROUND_SPEED_KMH = 50.0
CHECKPOINT, GATE = 0, 1

# (hour of the first passage from, to, last passage no later than) per kind
_HOURS = {
    "car": (5, 21, 23.5),
    "ne_car": (5, 21, 23.5),
    "truck": (5, 20, 23.5),
    "ne_van": (5, 20, 23.5),
    "coach": (6, 18, 21.5),
    "tour_bus": (6, 18, 21.5),
    "hazmat": (7, 14, 19.5),
}


class PassageEvent(NamedTuple):
    """One passage before it has its record number. Sorted by time, then place
    (a plain tuple, so a day's sort runs at C speed)."""

    second: int  # seconds since midnight of its day
    kind: int  # CHECKPOINT or GATE
    place: int  # checkpoint index, or compound * 4 + gate number
    plate: str
    direction: str
    lane: int
    driver: str  # captured driver ID number, checkpoints only
    colour: str


_COLOURS = {"小型汽车": "蓝", "大型汽车": "黄", "小型新能源汽车": "渐变绿", "大型新能源汽车": "黄绿"}


def _leg(km: float, extra_seconds: float) -> int:
    """Seconds to drive `km` at the background speed, plus time to park, queue or turn."""
    return int(km * 3600 / BACKGROUND_SPEED_KMH + extra_seconds)


class TripPlanner:
    """Builds consistent trips for one vehicle; used for the background and,
    with explicit times, for the planted scenarios."""

    def __init__(self, population, fleet):
        self.population = population
        self.fleet = fleet

    def home(self, u: int):
        owner = self.fleet.owner_of(u)
        return self.population.compounds(self.population.home_compound(owner))

    def gate_place(self, compound, gate: int) -> int:
        return compound.index * 4 + gate

    def round_trip(
        self,
        u: int,
        when: date,
        checkpoint: int,
        t_out: int,
        stay: int,
        *,
        lane=1,
        colour="",
        driver_out: str = "",
        driver_in: str = "",
        return_checkpoint: int | None = None,
        gate_out: int = 0,
        gate_in: int = 0,
        leave_first: bool = True,
        gates: bool = True,
    ):
        """Leave home through a gate, pass `checkpoint` at `t_out` (seconds from
        midnight of `when`), come back through `return_checkpoint` after `stay`
        seconds, enter home. Returns (day, PassageEvent) pairs; times may run
        into the next day."""
        compound = self.home(u)
        plate = self.fleet.plate(u)
        back = checkpoint if return_checkpoint is None else return_checkpoint
        cp, cp_back = CHECKPOINTS[checkpoint], CHECKPOINTS[back]
        to_cp = _leg(distance_km(compound.lat, compound.lon, cp.lat, cp.lon), 240)
        from_cp = _leg(distance_km(cp_back.lat, cp_back.lon, compound.lat, compound.lon), 240)
        colour = colour or _plate_colour(self.fleet, u)
        out_dir, in_dir = ("出城", "进城") if leave_first else ("进城", "出城")
        gates = gates and self.fleet.kind(u).uses_gates
        t_back = t_out + stay
        events = []
        if gates:
            events.append(
                _event(when, t_out - to_cp, GATE, self.gate_place(compound, gate_out), plate, "出", 0, "", colour)
            )
        events.append(_event(when, t_out, CHECKPOINT, checkpoint, plate, out_dir, lane, driver_out, colour))
        events.append(_event(when, t_back, CHECKPOINT, back, plate, in_dir, lane, driver_in, colour))
        if gates:
            events.append(
                _event(when, t_back + from_cp, GATE, self.gate_place(compound, gate_in), plate, "入", 0, "", colour)
            )
        return events

    def local_trip(self, u: int, when: date, t_out: int, duration: int, gate_out: int = 0, gate_in: int = 1):
        compound = self.home(u)
        plate, colour = self.fleet.plate(u), _plate_colour(self.fleet, u)
        gate_in = gate_in % len(compound.gates)
        return [
            _event(when, t_out, GATE, self.gate_place(compound, gate_out), plate, "出", 0, "", colour),
            _event(when, t_out + duration, GATE, self.gate_place(compound, gate_in), plate, "入", 0, "", colour),
        ]

    def single(
        self,
        when: date,
        second: int,
        checkpoint: int,
        plate: str,
        direction: str,
        colour: str = "蓝",
        lane: int = 1,
        driver: str = "",
    ):
        return _event(when, second, CHECKPOINT, checkpoint, plate, direction, lane, driver, colour)


def _event(
    when: date, second: int, kind: int, place: int, plate: str, direction: str, lane: int, driver: str, colour: str
) -> tuple[date, PassageEvent]:
    """A passage `second` seconds after midnight of `when`, moved to the next day if it runs past midnight."""
    shift, second = divmod(second, 86400)
    return when + timedelta(days=shift), PassageEvent(second, kind, place, plate, direction, lane, driver, colour)


def _plate_colour(fleet, u: int) -> str:
    return _COLOURS[fleet.kind(u).plate_type]


def _near(u: float) -> int:
    """Which of a compound's four nearest checkpoints a trip uses: 55 %, 25 %, 12 %, 8 %."""
    return 0 if u < 0.55 else 1 if u < 0.80 else 2 if u < 0.92 else 3


class BackgroundTraffic:
    """Samples each day's trips. Keeps, per vehicle, only what the hot loop
    needs (owner, home compound, plate, owner's ID number) in compact arrays:
    about 32 bytes a vehicle, the one part of memory that grows with size."""

    def __init__(self, world, reserved_vehicles: set[int]):
        population, fleet = world.population, world.fleet
        self.world = world
        self.seed = world.seed
        self.population = population
        self.fleet = fleet
        self.owner = array("i", [-1]) * fleet.slots
        self.home = array("i", [-1]) * fleet.slots
        # plates after the city prefix, ASCII, six bytes each (space-padded), and
        # owners' ID numbers, 18 bytes each, for the checkpoints' driver capture
        self.plates = bytearray(b" " * (6 * fleet.slots))
        self.drivers = bytearray(18 * fleet.slots)
        self.active = dict.fromkeys((k.key for k in KINDS), 0)
        for u in range(fleet.slots):
            owner = fleet.owner_of(u)
            if owner is not None and u not in reserved_vehicles:
                self.owner[u] = owner
                self.home[u] = population.home_compound(owner)
                self.active[fleet.kind(u).key] += 1
                tail = fleet.plate(u)[2:].encode("ascii")
                self.plates[6 * u : 6 * u + len(tail)] = tail
                self.drivers[18 * u : 18 * u + 18] = population.id_number_of(owner).encode("ascii")

    def plate(self, u: int) -> str:
        return "浙F" + self.plates[6 * u : 6 * u + 6].decode("ascii").rstrip()

    def day_events(self, n: int) -> list[PassageEvent]:
        when = day(n)
        rng = stage_rng(self.seed, f"traffic:{n}")
        random = rng.random
        weekend = when.weekday() >= 5
        events: list[PassageEvent] = []
        used: set[int] = set()
        for kind in KINDS:
            span = self.fleet.kind_range(kind.key)
            if not span:
                continue
            factor = (1.15 if weekend else 0.95) if kind.uses_gates else (0.7 if weekend else 1.1)
            mean = self.active[kind.key] * kind.trips_per_year / DAYS * factor
            trips = int(mean) + (1 if random() < mean - int(mean) else 0)
            start, width = span.start, len(span)
            for _ in range(trips * 3):
                if trips == 0:
                    break
                u = start + int(random() * width)
                if self.owner[u] < 0 or u in used:
                    continue
                used.add(u)
                trips -= 1
                self._trip(random, u, kind, events)
        self._external(random, events)
        return events

    def _trip(self, random, u: int, kind, events: list) -> None:
        first, last_start, last_end = _HOURS[kind.key]
        compound = self.population.compounds(self.home[u])
        plate = self.plate(u)
        colour = _COLOURS[kind.plate_type]
        end_limit = int(last_end * 3600)
        gate_base, gates = compound.index * 4, len(compound.gates)
        if kind.uses_gates and random() < 0.55:  # errands in town: out of the gate and back
            t0 = first * 3600 + int(random() * (last_start - first) * 3600)
            t1 = t0 + 1200 + int(random() * (min(6 * 3600, end_limit - t0) - 1200))
            events.append(PassageEvent(t0, GATE, gate_base + int(random() * gates), plate, "出", 0, "", colour))
            events.append(PassageEvent(t1, GATE, gate_base + int(random() * gates), plate, "入", 0, "", colour))
            return
        k = _near(random())
        checkpoint, km = compound.nearest_checkpoints[k], compound.checkpoint_km[k]
        if random() < 0.7:
            back, km_back = checkpoint, km
        else:
            k = _near(random())
            back, km_back = compound.nearest_checkpoints[k], compound.checkpoint_km[k]
        leg = max(3600, _leg(CHECKPOINT_KM[checkpoint][back], 300))
        capture_out, capture_in = random() < CAPTURE_SHARE, random() < CAPTURE_SHARE
        driver = self.drivers[18 * u : 18 * u + 18].decode("ascii") if capture_out or capture_in else ""
        driver_out, driver_in = (driver if capture_out else ""), (driver if capture_in else "")
        lane = 1 + int(random() * 4)
        if kind.uses_gates:  # out of town through a checkpoint and back
            to_cp = _leg(km, 180 + random() * 420)
            from_cp = _leg(km_back, 180 + random() * 420)
            t0 = first * 3600 + int(random() * (15 - first) * 3600)
            t_out = t0 + to_cp
            # times are drawn inside the day's window, never clamped to its edge:
            # clamping would pile passages onto one second and make them "travel together"
            latest = min(t_out + leg + 7 * 3600, end_limit - from_cp)
            if latest <= t_out + leg:
                return
            t_back = t_out + leg + int(random() * (latest - t_out - leg))
            events.append(PassageEvent(t0, GATE, gate_base + int(random() * gates), plate, "出", 0, "", colour))
            events.append(PassageEvent(t_out, CHECKPOINT, checkpoint, plate, "出城", lane, driver_out, colour))
            events.append(PassageEvent(t_back, CHECKPOINT, back, plate, "进城", lane, driver_in, colour))
            events.append(
                PassageEvent(t_back + from_cp, GATE, gate_base + int(random() * gates), plate, "入", 0, "", colour)
            )
            return
        # lorries, coaches, tankers: in through one checkpoint, out through another
        t_in = first * 3600 + int(random() * (last_start - first) * 3600)
        earliest = t_in + leg + 1800
        latest = min(earliest + 3 * 3600, end_limit)
        if latest <= earliest:
            return
        t_out = earliest + int(random() * (latest - earliest))
        events.append(PassageEvent(t_in, CHECKPOINT, checkpoint, plate, "进城", lane, driver_out, colour))
        events.append(PassageEvent(t_out, CHECKPOINT, back, plate, "出城", lane, driver_in, colour))

    def _external(self, random, events: list) -> None:
        external = self.world.external
        mean = external * EXTERNAL_TRIPS_PER_YEAR / DAYS
        trips = int(mean) + (1 if random() < mean - int(mean) else 0)
        used: set[int] = set()
        count = len(CHECKPOINTS)
        for _ in range(trips):
            e = int(random() * external)
            if e in used:
                continue
            used.add(e)
            plate, colour = self.world.external_plate(e), self.world.external_colour(e)
            a = int(random() * count)
            b = a if random() < 0.5 else int(random() * count)
            leg = _leg(CHECKPOINT_KM[a][b], 300)
            t_in = 5 * 3600 + int(random() * 15 * 3600)
            earliest = t_in + leg + 1200
            latest = min(earliest + 6 * 3600, int(23.75 * 3600))
            if latest <= earliest:
                continue
            t_out = earliest + int(random() * (latest - earliest))
            lane = 1 + int(random() * 4)
            events.append(PassageEvent(t_in, CHECKPOINT, a, plate, "进城", lane, "", colour))
            events.append(PassageEvent(t_out, CHECKPOINT, b, plate, "出城", lane, "", colour))
