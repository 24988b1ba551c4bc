from pathlib import Path

import pytest

from settings.table import SETTINGS, Settings, SettingsError


def test_defaults_use_the_local_neo4j():
    settings = Settings.from_env({})
    assert not settings.uses_external_neo4j
    assert settings.uri == "bolt://127.0.0.1:7687"
    assert settings.neo4j_home == (Path(".goldenbell") / "neo4j").resolve()
    assert settings.password_file.name == "neo4j-password"


def test_neo4j_uri_selects_an_external_server():
    settings = Settings.from_env({"NEO4J_URI": "neo4j+s://example.databases.neo4j.io", "NEO4J_PASSWORD": "s3cret"})
    assert settings.uses_external_neo4j
    assert settings.uri == "neo4j+s://example.databases.neo4j.io"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GOLDENBELL_BOLT_PORT", "seventy"),
        ("GOLDENBELL_BOLT_PORT", "70000"),
        ("GOLDENBELL_HEAP", "4 gigs"),
        ("GOLDENBELL_QUERY_TIMEOUT", "-1"),
        ("GOLDENBELL_TX_LOG_KEEP", "forever"),
    ],
)
def test_a_bad_value_names_the_variable_and_value(name, value):
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert name in str(caught.value) and value in str(caught.value)


def test_every_declared_setting_is_a_field_and_back():
    declared = {s.field for s in SETTINGS}
    assert declared == set(Settings.__dataclass_fields__)
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)
