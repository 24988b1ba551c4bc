"""The docs say what the code does: settings, commands and schema are generated
from the code, and these tests fail when someone changes one without the other.
Run `make docs` to regenerate."""

import importlib
import re

from cli import package_map, reference
from settings.table import PROJECT_ROOT, SETTINGS

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


def test_readme_says_where_things_are_as_the_folders_hold_them():
    assert reference.where_things_are() in README
    for package in package_map.packages():
        assert f"| `{package.name}/` |" in README


def test_imports_run_one_way_and_only_the_command_line_imports_the_workbench():
    assert package_map.wrong_way(package_map.packages()) == []


def test_an_import_up_the_layers_out_of_them_or_in_a_cycle_is_named():
    found = [
        package_map.Package("queries", "", ("workbench", "ingest")),
        package_map.Package("ingest", "", ("queries",)),
        package_map.Package("graph", "", ("tests",)),
        package_map.Package("workbench", "", ()),
    ]
    faults = package_map.wrong_way(found)
    assert "queries/ imports workbench/, which is above it" in faults
    assert "graph/ imports tests/, which no package may import" in faults
    assert any(fault.startswith("packages import each other in a cycle") for fault in faults)


# A path the docs name from a top-level folder down, or a dotted module name from a package down.
_TOP = sorted(p.name for p in PROJECT_ROOT.iterdir() if p.is_dir() and not p.name.startswith("."))
_PACKAGES = [name for name in _TOP if (PROJECT_ROOT / name / "__init__.py").is_file()]
_PATH = re.compile(rf"(?<![\w./$-])((?:{'|'.join(_TOP)})/[\w./-]*\w)")
_MODULE = re.compile(rf"(?<![\w./$-])((?:{'|'.join(_PACKAGES)})(?:\.\w+)+)")
_FILE_SUFFIXES = {"yaml", "md", "py", "json", "jsonl", "csv", "txt", "xlsx", "db"}
# Files the docs walk the reader through writing: they do not exist until someone follows along.
_EXAMPLES = {
    "graph/schema/nodes/Hotel.yaml",
    "graph/schema/relationships/STAYED_AT.yaml",
    "queries/packs/trial.yaml",
    "tests/queries/tck/gas.yaml",
}


def _path_exists(path: str) -> bool:
    # An empty folder left behind by a move does not count: a clean clone has none.
    if path in _EXAMPLES:
        return True
    where = PROJECT_ROOT / path
    return where.is_file() or (where.is_dir() and any(p.is_file() for p in where.rglob("*")))


def _module_exists(dotted: str) -> bool:
    """The longest importable module of `dotted`, then the names after it, each found in the one before."""
    parts = dotted.split(".")
    if parts[-1] in _FILE_SUFFIXES:
        return True
    for n in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:n]))
        except ModuleNotFoundError:
            continue
        for name in parts[n:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def test_every_path_and_module_the_docs_name_exists():
    missing = []
    for doc in [reference.README, *sorted((PROJECT_ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        missing += [f"{doc.name}: {path}" for path in set(_PATH.findall(text)) if not _path_exists(path)]
        missing += [f"{doc.name}: {name}" for name in set(_MODULE.findall(text)) if not _module_exists(name)]
    assert sorted(missing) == []
