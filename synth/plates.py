"""Licence plates: Jiaxing's 浙F plates (including new-energy plates), plates of
passing traffic from other cities, and the ways cameras and clerks write them.

Plates are handed out by index through shuffles over each format's space, so
every vehicle has its own plate without a set of plates already used.
"""

from __future__ import annotations

from synth.seeding import Shuffle

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # plates never use I or O
DIGITS = "0123456789"
ALNUM = DIGITS + LETTERS
CITY = "浙F"

# Serial patterns of an ordinary plate (L letter, D digit). Background vehicles
# use these; "LDLDD" is kept for the phantom vehicles of rejected rows only.
_PATTERNS = ("DDDDD", "LDDDD", "DLDDD", "DDLDD", "DDDLD", "LLDDD", "DDDDL")
_PHANTOM_PATTERN = "LDLDD"


def _space(pattern: str) -> int:
    size = 1
    for ch in pattern:
        size *= len(LETTERS) if ch == "L" else len(DIGITS)
    return size


_ALPHABETS = {p: tuple(LETTERS if ch == "L" else DIGITS for ch in reversed(p)) for p in (*_PATTERNS, _PHANTOM_PATTERN)}
_SIZES = tuple((p, _space(p)) for p in _PATTERNS)


def _decode(pattern: str, n: int) -> str:
    out = []
    for alphabet in _ALPHABETS[pattern]:
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "".join(reversed(out))


REGULAR_SPACE = sum(size for _, size in _SIZES)
NE_SMALL_SPACE = 2 * len(ALNUM) * 10**4  # D/F, a letter or digit, four digits
NE_LARGE_SPACE = 2 * 10**5  # five digits, D/F


def regular_serial(n: int) -> str:
    for pattern, size in _SIZES:
        if n < size:
            return _decode(pattern, n)
        n -= size
    raise IndexError("regular plate space exhausted")


def ne_small_serial(n: int) -> str:
    kind, rest = divmod(n, len(ALNUM) * 10**4)
    second, tail = divmod(rest, 10**4)
    return "DF"[kind] + ALNUM[second] + f"{tail:04d}"


def ne_large_serial(n: int) -> str:
    kind, digits = divmod(n, 10**5)
    return f"{digits:05d}" + "DF"[kind]


# Other cities' plates seen at the checkpoints, weighted by how much of the
# passing traffic comes from each.
OTHER_PREFIXES = (
    ("沪A", 14),
    ("沪B", 4),
    ("沪D", 3),
    ("苏E", 12),
    ("苏B", 5),
    ("苏A", 3),
    ("苏F", 2),
    ("浙A", 14),
    ("浙B", 5),
    ("浙E", 6),
    ("浙C", 3),
    ("皖A", 2),
    ("皖K", 2),
    ("皖B", 1),
    ("赣A", 1),
    ("豫A", 1),
    ("鲁A", 1),
    ("闽A", 1),
)


class PlateBook:
    def __init__(self, seed: int, regular_needed: int, ne_small_needed: int, ne_large_needed: int, others: int):
        for needed, space, what in (
            (regular_needed, REGULAR_SPACE, "ordinary"),
            (ne_small_needed, NE_SMALL_SPACE, "small new-energy"),
            (ne_large_needed, NE_LARGE_SPACE, "large new-energy"),
        ):
            if needed > space:
                raise ValueError(f"too many vehicles for the {what} 浙F plate space ({needed} > {space})")
        self._regular = Shuffle(REGULAR_SPACE, seed, "plates.regular")
        self._ne_small = Shuffle(NE_SMALL_SPACE, seed, "plates.ne_small")
        self._ne_large = Shuffle(NE_LARGE_SPACE, seed, "plates.ne_large")
        self._others = Shuffle(REGULAR_SPACE, seed, "plates.others")
        self._phantoms = Shuffle(_space(_PHANTOM_PATTERN), seed, "plates.phantom")
        total = sum(w for _, w in OTHER_PREFIXES)
        self._other_cum = []
        acc = 0
        for prefix, weight in OTHER_PREFIXES:
            acc += weight
            self._other_cum.append((acc / total, prefix))

    def regular(self, n: int) -> str:
        return CITY + regular_serial(self._regular.forward(n))

    def ne_small(self, n: int) -> str:
        return CITY + ne_small_serial(self._ne_small.forward(n))

    def ne_large(self, n: int) -> str:
        return CITY + ne_large_serial(self._ne_large.forward(n))

    def other_city(self, n: int, u: float) -> str:
        """Plate of passing vehicle n; u picks the city. The serial alone is
        unique, so plates stay unique whichever prefix u picks."""
        prefix = next(p for cum, p in self._other_cum if u < cum)
        return prefix + regular_serial(self._others.forward(n))

    def phantom(self, n: int) -> str:
        return CITY + _decode(_PHANTOM_PATTERN, self._phantoms.forward(n % self._phantoms.n))


_FULLWIDTH = str.maketrans(ALNUM, "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＳＴＵＶＷＸＹＺ")


def with_dot(plate: str) -> str:
    return plate[:2] + "·" + plate[2:]


def with_hyphen(plate: str) -> str:
    return plate[:2] + "-" + plate[2:]


def lower_case(plate: str) -> str:
    return plate.lower()


def fullwidth(plate: str) -> str:
    return plate.translate(_FULLWIDTH)


def invalid(plate: str) -> str:
    """Three characters of serial: too short for any plate format."""
    return plate[:5]


def colour(plate_type: str) -> str:
    return {"小型汽车": "蓝", "大型汽车": "黄", "小型新能源汽车": "渐变绿", "大型新能源汽车": "黄绿"}[plate_type]
