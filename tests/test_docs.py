"""The docs say what the code does: settings, commands and schema are generated
from the code, and these tests fail when someone changes one without the other.
Run `make docs` to regenerate."""

import re

from cli import reference
from settings.table import SETTINGS

README = reference.README.read_text(encoding="utf-8")


def test_readme_settings_table_matches_the_declared_settings():
    documented = re.findall(r"^\| `([A-Z0-9_]+)` \| (.*?) \| (.*) \|$", README, re.M)
    assert [name for name, _, _ in documented] == [s.env for s in SETTINGS]
    assert reference.settings_table() in README


def test_readme_cli_reference_matches_every_command_and_option():
    assert reference.cli_reference().rstrip() in README
    for path, command in reference.cli_commands():
        assert f"#### `{path}`" in README
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--"):
                    assert option in README, f"{path} {option} is not documented"


def test_schema_doc_matches_the_schema_files():
    assert reference.SCHEMA_DOC.read_text(encoding="utf-8") == reference.generated_schema_doc()


def test_readme_names_the_two_commands_and_prerequisites():
    for text in ("make demo", "make test", "Python 3.11+", "JDK 17+", "Maven", "NEO4J_URI"):
        assert text in README


def test_readme_lists_every_builtin_query():
    assert reference.packs_table() in README
    for query_id in reference.builtin_catalog().queries:
        assert f"| `{query_id}` |" in README, f"{query_id} is not in the README's list of queries"
    assert "(docs/query-packs.md)" in README


def test_query_pack_doc_states_the_alert_rules_defaults():
    doc = reference.PACKS_DOC.read_text(encoding="utf-8")
    assert reference.generated_packs_doc(doc) == doc


def test_readme_lists_every_built_in_spec():
    assert reference.specs_table() in README


def test_readme_documents_the_ground_truth_format():
    assert reference.ground_truth_format() in README
    assert "`generated_files`" in README and "`scenarios`" in README


def test_every_workbench_page_is_in_the_readme():
    from workbench.messages import message
    from workbench.navigation import PAGES

    for name, (_, title, _) in PAGES.items():
        zh, en = message(title, "zh"), message(title, "en")
        assert f"| {zh} " in README, f"the {name} page ({zh} {en}) is not in the README's table of pages"
