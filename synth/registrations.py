"""Floating-population residence registrations (流动人口居住登记).

Each floating person registers at their rented flat through the 码上服务
self-report, their landlord, or a police officer; about 30 % renew once,
always after the first registration ended, so a flat never has more
concurrent registrations than tenants (at most four in the background).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from synth.population import Person
from synth.seeding import EntityRandom, Shuffle
from synth.timeline import EXPORT_DAY, ymd_dash

CHANNELS = (("码上服务", 55), ("房东申报", 30), ("民警登记", 15))
REASONS = (("务工", 70), ("经商", 12), ("投靠亲友", 8), ("就学", 3), ("其他", 7))
VALID_DAYS = 364


@dataclass(frozen=True)
class RegistrationSpec:
    registration_no: str
    channel: str
    address: str
    landlord: int | None
    registered_on: date
    valid_until: date
    reason: str

    @property
    def status(self) -> str:
        return "有效" if self.valid_until >= EXPORT_DAY else "注销"


class RegistrationBook:
    def __init__(self, seed: int, population, is_excluded_landlord):
        self.population = population
        self._rng = EntityRandom(seed, "registrations")
        self._numbers = Shuffle(10**8, seed, "registrations.numbers")
        self._landlords = Shuffle(max(population.n_local, 1), seed, "registrations.landlords")
        self._excluded = is_excluded_landlord

    def number(self, registered_on: date, slot: int) -> str:
        return f"LD{registered_on:%Y%m%d}{self._numbers.forward(slot):08d}"

    def landlord_of(self, flat: int) -> int:
        """A local adult who lets the flat; the same flat always has the same landlord."""
        n_local = self.population.n_local
        i = self._landlords.forward(flat % n_local)
        for _ in range(n_local):
            if self.population.is_adult(i) and not self._excluded(i):
                return i
            i = (i + 1) % n_local
        raise ValueError("no local adult can be a landlord")

    def background(self, f: int, address: str, flat: int) -> list[RegistrationSpec]:
        rng = self._rng(f)
        first_day, last_day = date(2024, 2, 1), date(2025, 11, 30)
        start = first_day + timedelta(days=rng.randrange((last_day - first_day).days))
        spans = [(start, start + timedelta(days=VALID_DAYS))]
        if start < date(2025, 3, 1) and rng.random() < 0.3:
            again = start + timedelta(days=VALID_DAYS + rng.randint(1, 20))
            if again <= date(2025, 12, 20):
                spans.append((again, again + timedelta(days=VALID_DAYS)))
        landlord = self.landlord_of(flat)
        out = []
        for k, (on, until) in enumerate(spans):
            channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
            reason = rng.choices([r for r, _ in REASONS], weights=[w for _, w in REASONS])[0]
            out.append(RegistrationSpec(self.number(on, 2 * f + k), channel, address, landlord, on, until, reason))
        return out


def registration_row(
    spec: RegistrationSpec, tenant: Person, landlord: Person | None, without_id: bool = False
) -> tuple[dict, tuple]:
    """The JSON record and its tracking keys. `without_id`: a landlord reported
    the tenant with name, birth date and phone only."""
    row = {
        "registrationNo": spec.registration_no,
        "channel": spec.channel,
        "name": tenant.name,
        "idNumber": "" if without_id else tenant.id_number,
        "gender": tenant.gender,
        "birthDate": ymd_dash(tenant.birth),
        "hukouAddress": tenant.hukou_address,
        "phone": tenant.phone,
        "residenceAddress": spec.address,
        "landlordName": landlord.name if landlord else "",
        "landlordIdNumber": landlord.id_number if landlord else "",
        "landlordPhone": landlord.phone if landlord else "",
        "registeredOn": ymd_dash(spec.registered_on),
        "validUntil": ymd_dash(spec.valid_until),
        "reason": spec.reason,
        "status": spec.status,
    }
    keys = (
        "" if without_id else tenant.id_number,
        tenant.phone,
        spec.address,
        landlord.id_number if landlord else "",
        landlord.phone if landlord else "",
    )
    return row, keys
