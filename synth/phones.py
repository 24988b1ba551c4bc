"""Mainland mobile numbers: unique per index, and the ways people write them."""

from __future__ import annotations

from synth.seeding import Shuffle

PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
_SUBSCRIBERS = 10**8


class PhoneBook:
    """Index -> phone number, one-to-one, so no two people share a number by accident."""

    def __init__(self, seed: int):
        self._shuffle = Shuffle(len(PREFIXES) * _SUBSCRIBERS, seed, "phones")

    def number(self, index: int) -> str:
        slot = self._shuffle.forward(index)
        prefix, subscriber = divmod(slot, _SUBSCRIBERS)
        return f"{PREFIXES[prefix]}{subscriber:08d}"


_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth_digits(text: str) -> str:
    return text.translate(_FULLWIDTH_DIGITS)


def plus86_spaced(phone: str) -> str:
    return f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"


def plus86_dashed(phone: str) -> str:
    return f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}"


def dashed(phone: str) -> str:
    return f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"


def invalid(phone: str) -> str:
    """One digit short: no normaliser can recover it."""
    return phone[:-1]


def landline(index: int) -> str:
    return f"0573-8{(index * 7919 + 1234567) % 10**7:07d}"
