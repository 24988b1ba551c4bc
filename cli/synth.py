"""`goldenbell synth`: write the synthetic sample data."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from synth.casebook import CASEBOOK_DIR, write_casebook
from synth.casebook.generate import DEFAULT_PERSONS as CASEBOOK_PERSONS
from synth.casebook.generate import DEFAULT_SEED as CASEBOOK_SEED
from synth.casebook.messy import write_messy_casebook
from synth.generate import DEFAULT_PERSONS, DEFAULT_SEED, MIN_PERSONS, generate


@click.command("synth")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the source files and ground_truth.json into (created if missing).",
)
@click.option(
    "--persons",
    type=click.IntRange(min=MIN_PERSONS),
    default=None,
    help=f"Size of the synthetic population; the other sources scale with it [default: {DEFAULT_PERSONS}; "
    f"case book {CASEBOOK_PERSONS}].",
)
@click.option(
    "--seed", type=int, default=None, help=f"Same seed, same persons: byte-identical files [default: {DEFAULT_SEED}]."
)
@click.option(
    "--dirty", is_flag=True, help="Also write rows the importer must reject, and untidy values it must still load."
)
@click.option(
    "--casebook",
    is_flag=True,
    help="Write the English case book instead: graph files in neo4j-admin layout (files/), the same data as a "
    "records export with its specs and manifest (messy/), the schema folder for GOLDENBELL_SCHEMA_EXTRA_DIR "
    "(schema/) and its guide pack (packs/).",
)
def synth(out_dir: Path, persons: int | None, seed: int | None, dirty: bool, casebook: bool) -> None:
    """Write synthetic sample data: one file per source system, with planted
    scenarios and a ground truth (ground_truth.json). Everything is invented."""
    if casebook:
        _casebook(out_dir, persons or CASEBOOK_PERSONS, CASEBOOK_SEED if seed is None else seed)
        return
    persons = persons or DEFAULT_PERSONS
    seed = DEFAULT_SEED if seed is None else seed
    summary = generate(out_dir, persons=persons, seed=seed, dirty=dirty)
    width = max(len(name) for name in summary.files)
    click.echo(f"{'file':<{width}}  {'rows':>10}  {'rejected':>8}  {'MB':>8}")
    for name, report in summary.files.items():
        click.echo(f"{name:<{width}}  {report.rows:>10}  {len(report.rejects):>8}  {report.bytes / 1e6:>8.2f}")
    click.echo(f"ground truth: {out_dir / 'ground_truth.json'}")
    click.echo(f"{persons} persons, seed {seed}{', dirty' if dirty else ''}: {summary.seconds:.1f} s")


def _casebook(out_dir: Path, persons: int, seed: int) -> None:
    for part in ("files", "messy", "schema", "packs"):
        if (out_dir / part).exists():
            raise click.ClickException(f"{out_dir / part} exists; the case book is written into a new folder")
    book = write_casebook(out_dir / "files", persons=persons, seed=seed)
    write_messy_casebook(out_dir / "files", out_dir / "messy")
    shutil.copytree(CASEBOOK_DIR / "schema", out_dir / "schema")
    shutil.copytree(CASEBOOK_DIR / "packs", out_dir / "packs")
    width = max(len(name) for name in book.rows)
    for name, rows in book.rows.items():
        click.echo(f"{name:<{width}}  {rows:>8}")
    click.echo(
        f"graph files: {out_dir / 'files'}; the same as a records export with its specs: "
        f"{out_dir / 'messy' / 'dataset.yaml'}; schema folder: {out_dir / 'schema'}; guide pack: {out_dir / 'packs'}"
    )
