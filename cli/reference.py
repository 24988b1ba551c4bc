"""Generated parts of the docs: the README's settings table, CLI reference, list of
built-in queries and map of the packages, docs/schema.md, and the alert rules' defaults in docs/query-packs.md.
`make docs` rewrites them; tests fail when they drift from the code.

    python -m cli.reference          # rewrite README.md, docs/schema.md, docs/query-packs.md
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from cli.main import main
from cli.package_map import where_things_are
from graph.docs import schema_markdown
from graph.model import load_schema
from queries.pack_model import Catalog, load_catalog
from queries.parameters import plain
from settings.table import PROJECT_ROOT, SETTINGS

README = PROJECT_ROOT / "README.md"
SCHEMA_DOC = PROJECT_ROOT / "docs" / "schema.md"
PACKS_DOC = PROJECT_ROOT / "docs" / "query-packs.md"
SAMPLE_DOC = PROJECT_ROOT / "docs" / "sample-data.md"


def builtin_catalog() -> Catalog:
    return load_catalog(load_schema(PROJECT_ROOT / "graph" / "schema"))


def packs_table() -> str:
    rows = ["| Query | 中文 | English | Returns | Alert rule (severity) |", "|---|---|---|---|---|"]
    for query in builtin_catalog().queries.values():
        alert = query.severity if query.alert else ""
        rows.append(f"| `{query.id}` | {query.names.zh} | {query.names.en} | {query.returns} | {alert} |")
    return "\n".join(rows)


def alert_defaults_table() -> str:
    rows = ["| Alert rule | Parameter | Default |", "|---|---|---|"]
    for query in builtin_catalog().alert_rules():
        for parameter in query.parameters.values():
            default = plain(parameter.default)
            if isinstance(default, list):
                default = ", ".join(map(str, default))
            shown = "(none)" if default in (None, "") else f"`{default}`"
            rows.append(f"| `{query.id}` | `{parameter.name}` ({parameter.names.en}) | {shown} |")
    return "\n".join(rows)


def specs_table() -> str:
    from ingest.spec import builtin_specs

    rows = ["| Spec | 中文 | Source file names | Creates | Links |", "|---|---|---|---|---|"]
    for spec in builtin_specs(load_schema(PROJECT_ROOT / "graph" / "schema")).values():
        labels = ", ".join(dict.fromkeys(e.label for e in spec.entities.values() if e.mode == "merge"))
        links = ", ".join(dict.fromkeys(link.type for link in spec.links)) or "—"
        files = ", ".join(f"`{f}`" for f in spec.files)
        rows.append(f"| `{spec.name}` | {spec.names.zh} | {files} | {labels} | {links} |")
    return "\n".join(rows)


def ground_truth_format() -> str:
    """The ground-truth file's format, as docs/sample-data.md documents it."""
    text = SAMPLE_DOC.read_text(encoding="utf-8")
    section = text.split("### `ground_truth.json`", 1)[1].split("\n### ", 1)[0]
    return "#### `ground_truth.json`" + section.rstrip()


def settings_table() -> str:
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(empty)"
        rows.append(f"| `{setting.env}` | {default} | {setting.help} |")
    return "\n".join(rows)


def _commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):  # the main group loads its commands on demand
        command = group.get_command(ctx, name)
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out += _commands(command, path)
        else:
            out.append((path, command))
    return out


def cli_commands() -> list[tuple[str, click.Command]]:
    return _commands(main, "goldenbell")


def cli_reference() -> str:
    lines = []
    for path, command in cli_commands():
        ctx = click.Context(command, info_name=path)
        usage = " ".join(command.collect_usage_pieces(ctx))
        lines += [f"#### `{path}`", "", (command.help or "").strip().split("\n\n")[0], "", "```", f"{path} {usage}"]
        for param in command.params:
            record = param.get_help_record(ctx)
            if record:
                lines.append(f"  {record[0]:<28} {record[1]}")
        lines += ["```", ""]
    return "\n".join(lines).rstrip() + "\n"


def replace_block(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- BEGIN {name} -->\n).*?(<!-- END {name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"the document has no <!-- BEGIN {name} --> … <!-- END {name} --> block")
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)


def generated_readme(text: str) -> str:
    text = replace_block(text, "settings", settings_table())
    text = replace_block(text, "packs", packs_table())
    text = replace_block(text, "specs", specs_table())
    text = replace_block(text, "ground-truth", ground_truth_format())
    text = replace_block(text, "packages", where_things_are())
    return replace_block(text, "cli", cli_reference())


def generated_packs_doc(text: str) -> str:
    return replace_block(text, "alert-defaults", alert_defaults_table())


def generated_schema_doc() -> str:
    return schema_markdown(load_schema(PROJECT_ROOT / "graph" / "schema"))


def write_all(readme: Path = README) -> None:
    readme.write_text(generated_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    SCHEMA_DOC.parent.mkdir(exist_ok=True)
    SCHEMA_DOC.write_text(generated_schema_doc(), encoding="utf-8")
    PACKS_DOC.write_text(generated_packs_doc(PACKS_DOC.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    write_all()
    sys.stdout.write(
        f"rewrote {README.name}, {SCHEMA_DOC.relative_to(PROJECT_ROOT)} and {PACKS_DOC.relative_to(PROJECT_ROOT)}\n"
    )
