"""Deterministic randomness for the sample-data generator.

Every stage (names, households, passages, ...) draws from its own stream, seeded
from the user's seed and the stage name through SHA-256 rather than Python's
salted `hash`, so the same seed gives byte-identical files on every machine and
run. Entities are derived from their index alone (`EntityRandom`, `Shuffle`),
which is what lets a million persons stream to disk without being held in memory.
"""

from __future__ import annotations

import hashlib
import random

_MASK64 = (1 << 64) - 1


def stage_seed(seed: int, stage: str) -> int:
    digest = hashlib.sha256(f"goldenbell-synth:{seed}:{stage}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def stage_rng(seed: int, stage: str) -> random.Random:
    return random.Random(stage_seed(seed, stage))


def mix64(x: int) -> int:
    """The splitmix64 finaliser: a cheap, well-spread 64-bit hash of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


class EntityRandom:
    """A `random.Random` per entity index, so an entity draws the same values
    whichever file or pass asks for it."""

    def __init__(self, seed: int, stage: str):
        self._base = stage_seed(seed, stage)

    def __call__(self, index: int) -> random.Random:
        return random.Random((index << 64) | self._base)

    def unit(self, index: int, salt: int = 0) -> float:
        """A uniform draw in [0, 1) for quick yes/no decisions, without building a Random."""
        return mix64(self._base ^ mix64(index * 0x100000001B3 + salt)) / 18446744073709551616.0


class Shuffle:
    """A random-looking bijection of range(n) with an inverse.

    A four-round Feistel network on the smallest power of two covering n (the
    two halves may differ by a bit), with cycle walking back into range. Used
    to hand out unique values (ID sequence slots, phone numbers, plates) to
    entity indices without keeping a set of the values already used.
    """

    def __init__(self, n: int, seed: int, stage: str):
        if n < 1:
            raise ValueError("a shuffle needs at least one element")
        bits = max(2, (n - 1).bit_length())
        self.n = n
        self._right_bits = bits // 2
        self._left_mask = (1 << (bits - bits // 2)) - 1
        self._right_mask = (1 << self._right_bits) - 1
        base = stage_seed(seed, stage)
        keys = tuple(mix64(base + r) & 0xFFFFFFFF for r in range(4))
        # Each round xors one half (left when True) with a hash of the other under its key;
        # undoing the rounds in reverse order inverts the network.
        self._rounds = ((keys[0], True), (keys[1], False), (keys[2], True), (keys[3], False))
        self._backwards = self._rounds[::-1]

    def forward(self, i: int) -> int:
        return self._walk(i, self._rounds)

    def inverse(self, j: int) -> int:
        return self._walk(j, self._backwards)

    def _walk(self, x: int, rounds: tuple[tuple[int, bool], ...]) -> int:
        if not 0 <= x < self.n:
            raise IndexError(x)
        shift, lmask, rmask, n = self._right_bits, self._left_mask, self._right_mask, self.n
        while True:
            left, right = x >> shift, x & rmask
            for key, on_left in rounds:
                t = (((right if on_left else left) ^ key) * 0x9E3779B1) & 0xFFFFFFFF
                t = (t ^ (t >> 15)) * 0x85EBCA6B >> 13
                if on_left:
                    left ^= t & lmask
                else:
                    right ^= t & rmask
            x = (left << shift) | right
            if x < n:
                return x
