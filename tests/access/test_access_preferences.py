"""A user's own choices are kept server-side, per user, and only known values are kept."""

from __future__ import annotations

import pytest

from access.errors import UserError
from access.preferences import Preferences


def test_a_language_choice_is_kept_per_user(users):
    preferences = Preferences(users.path)
    assert preferences.get("ana", "language") is None
    preferences.set("ana", "language", "en")
    preferences.set("ana", "language", "zh")
    preferences.set("sup", "language", "en")
    assert Preferences(users.path).get("ana", "language") == "zh"
    assert Preferences(users.path).get("sup", "language") == "en"


def test_unknown_preferences_values_and_users_are_refused(users):
    preferences = Preferences(users.path)
    with pytest.raises(UserError, match="'language' cannot be 'fr'"):
        preferences.set("ana", "language", "fr")
    with pytest.raises(UserError, match="unknown preference 'theme'"):
        preferences.set("ana", "theme", "dark")
    with pytest.raises(UserError, match="no user 'nobody'"):
        preferences.set("nobody", "language", "en")
