"""A dataset manifest: one YAML file listing a dataset's files and the spec of each, so a
whole dataset is imported (or dry-run) with one command and the same choices every time.

    - {file: shops.csv, spec: dangerous_goods_shops}
    - {file: sales.csv}                     # spec chosen by file name and header
    - {file: exports/hotel.csv, spec: specs/hotel_guests.yaml}

Paths (of files, and of spec files) are relative to the manifest; a spec without a folder or
a `.yaml` ending is a spec's name. Every fault names the manifest and its line.
"""

from __future__ import annotations

from pathlib import Path

from graph.yaml_lines import FileFault, LineDict, LineList, YamlSyntaxError, load_yaml
from ingest.batch import BatchFile
from ingest.spec import SpecError


class ManifestError(SpecError):
    """A dataset manifest is malformed or names a file that is not there."""


def _spec_of(value: str, folder: Path) -> str:
    if value.endswith((".yaml", ".yml")) or "/" in value or "\\" in value:
        return str(folder / value)
    return value


def load_manifest(path: Path) -> list[BatchFile]:
    """The manifest's files in its order, each named in reports as the manifest writes it."""
    path = Path(path)
    try:
        data = load_yaml(path)
    except YamlSyntaxError as exc:
        raise ManifestError(path, exc.syntax_line, f"YAML syntax error: {exc.problem}") from None
    except FileFault as exc:
        raise ManifestError(path, exc.line, exc.fault) from None
    except OSError as exc:  # a folder, or no permission
        raise ManifestError(path, 0, f"cannot be read ({exc.strerror or exc})") from None
    if not isinstance(data, LineList) or not data:
        raise ManifestError(path, getattr(data, "line", 0), "a manifest is a list of {file: ..., spec: ...} entries")
    folder = path.parent
    files = []
    for index, entry in enumerate(data):
        line = data.line_of(index)
        if not isinstance(entry, LineDict):
            raise ManifestError(path, line, f"expected {{file: ..., spec: ...}}, got {entry!r}")
        unknown = sorted(set(entry) - {"file", "spec"})
        if unknown:
            raise ManifestError(path, entry.line_of(unknown[0]), f"unknown key '{unknown[0]}'; allowed: file, spec")
        named = entry.get("file")
        if not isinstance(named, str) or not named.strip():
            raise ManifestError(path, line, "every entry needs 'file:', the file's path relative to the manifest")
        file = folder / named
        if not file.is_file():
            why = "is a folder, not a file" if file.is_dir() else "is not there"
            raise ManifestError(path, entry.line_of("file"), f"file '{named}' ({file}) {why}")
        spec = entry.get("spec")
        if spec is not None and (not isinstance(spec, str) or not spec.strip()):
            raise ManifestError(path, entry.line_of("spec"), f"spec: a spec's name or a spec file, not {spec!r}")
        files.append(BatchFile(file, _spec_of(spec.strip(), folder) if spec else None, named))
    return files
