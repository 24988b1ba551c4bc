"""`goldenbell synth`: write the synthetic sample data."""

from __future__ import annotations

from pathlib import Path

import click

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
    default=DEFAULT_PERSONS,
    show_default=True,
    help="Size of the synthetic population; the other sources scale with it.",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Same seed, same persons: byte-identical files."
)
@click.option(
    "--dirty", is_flag=True, help="Also write rows the importer must reject, and untidy values it must still load."
)
def synth(out_dir: Path, persons: int, seed: int, dirty: bool) -> None:
    """Write synthetic sample data: one file per source system, with planted
    scenarios and a ground truth (ground_truth.json). Everything is invented."""
    summary = generate(out_dir, persons=persons, seed=seed, dirty=dirty)
    width = max(len(name) for name in summary.files)
    click.echo(f"{'file':<{width}}  {'rows':>10}  {'rejected':>8}  {'MB':>8}")
    for name, report in summary.files.items():
        click.echo(f"{name:<{width}}  {report.rows:>10}  {len(report.rejects):>8}  {report.bytes / 1e6:>8.2f}")
    click.echo(f"ground truth: {out_dir / 'ground_truth.json'}")
    click.echo(f"{persons} persons, seed {seed}{', dirty' if dirty else ''}: {summary.seconds:.1f} s")
