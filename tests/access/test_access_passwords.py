"""Passwords: argon2id hashes, rehashed when the parameters change, rules for new ones."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, profiles

from access.errors import PasswordRejected
from access.passwords import Passwords, check_new_password, default_hasher
from tests.access.conftest import PASSWORD


def test_the_default_is_argon2id_with_the_rfc_9106_low_memory_profile():
    parameters = default_hasher()
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (3, 65536, 4)


def test_a_hash_verifies_its_password_only(passwords):
    stored = passwords.hash(PASSWORD)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert passwords.verify(stored, PASSWORD)
    assert not passwords.verify(stored, PASSWORD + "x")
    assert not passwords.verify(None, PASSWORD)  # an unknown user: a decoy is checked, the answer is no
    assert not passwords.verify("not a hash", PASSWORD)


def test_a_hash_made_with_other_parameters_needs_rehashing(passwords):
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    old = passwords.hash(PASSWORD)
    assert stronger.verify(old, PASSWORD) and stronger.needs_rehash(old)
    assert not stronger.needs_rehash(stronger.hash(PASSWORD))


@pytest.mark.parametrize(
    ("password", "fault"),
    [
        ("short-1", "at least 12"),
        (" leading-space-1", "space"),
        ("aaaaaaaaaaaaaaaa", "four different"),
        ("my-ana-password-1", "user name"),
        ("x" * 2000, "at most"),
    ],
)
def test_new_passwords_follow_the_rules_and_the_message_never_repeats_them(password, fault):
    with pytest.raises(PasswordRejected, match=fault) as caught:
        check_new_password(password, "ana")
    assert password.strip() not in str(caught.value)


def test_cheap_profile_is_only_for_tests():
    assert profiles.CHEAPEST.memory_cost < default_hasher().memory_cost
