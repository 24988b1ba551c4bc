"""Schema profiles: one schema folder shaped for the country a deployment works in.

`graph/schema/` holds the labels every deployment shares and the ones Chinese public
security works with; a profile under `graph/schema/profiles/<name>/` leaves out what does not
apply and adds or replaces label, relationship and value type files. `china` leaves the
folder as it is; `neutral` swaps the Chinese identifiers for ones any country's data fits
and adds organisations, events and documents. Which one a deployment uses is the setting
GOLDENBELL_SCHEMA_PROFILE, read once when the schema loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.yaml_lines import FileFault, LineDict, load_yaml

DEFAULT_PROFILE = "china"
PROFILE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_KEYS = {"profile", "names", "description", "leaves_out"}


class SchemaError(FileFault):
    """A schema file or profile is malformed; the message names the file, the line and the fault."""


@dataclass(frozen=True)
class Profile:
    name: str
    folder: Path | None  # None: the schema folder has no profiles and is taken as it is
    labels: frozenset[str] = frozenset()  # left out
    types: frozenset[str] = frozenset()

    def left_out_of(self, files: Iterable[Path], root: Path, kind: str) -> frozenset[str]:
        """The labels (or types) this profile leaves out whose winning file is still the base
        folder's; one brought back by a later folder is kept. A name the base never had is
        a typo in profile.yaml, and would leave nothing out."""
        left = self.labels if kind == "label" else self.types
        by_name = {path.stem: path for path in files}
        unknown = sorted(name for name in left if name not in by_name)
        if unknown and self.folder is not None:
            raise SchemaError(
                self.folder / "profile.yaml",
                0,
                f"profile {self.name}: leaves_out names {kind} {', '.join(unknown)}, which the schema does not have",
            )
        return frozenset(name for name in left if by_name[name].parent.parent == root)


def available(root: Path) -> list[str]:
    folder = root / "profiles"
    return sorted(p.name for p in folder.iterdir() if (p / "profile.yaml").is_file()) if folder.is_dir() else []


def read_profile(root: Path, name: str) -> Profile:
    """The profile `name` of the schema folder `root`, checked."""
    if not (root / "profiles").is_dir():
        if name != DEFAULT_PROFILE:
            raise SchemaError(
                root, 0, f"GOLDENBELL_SCHEMA_PROFILE={name}, but this schema folder has no profiles/ folder"
            )
        return Profile(name=name, folder=None)
    folder = root / "profiles" / name
    path = folder / "profile.yaml"
    if not PROFILE_NAME.fullmatch(name) or not path.is_file():
        raise SchemaError(
            root / "profiles",
            0,
            f"no schema profile {name!r} (GOLDENBELL_SCHEMA_PROFILE); the profiles are {', '.join(available(root))}",
        )
    try:
        data = load_yaml(path)
    except FileFault as exc:
        raise SchemaError(path, exc.line, exc.fault) from None
    if not isinstance(data, LineDict):
        raise SchemaError(path, 0, "expected a mapping at the top level")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise SchemaError(
            path, data.line_of(unknown[0]), f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}"
        )
    if data.get("profile") != name:
        raise SchemaError(path, data.line_of("profile"), f"profile: must be the folder's name, {name}")
    names = data.get("names")
    if not isinstance(names, dict) or not {"zh", "en"} <= set(names):
        raise SchemaError(path, data.line_of("names"), "names: expected {zh: …, en: …}")
    leaves_out = data.get("leaves_out") or {}
    if not isinstance(leaves_out, dict) or set(leaves_out) - {"labels", "types"}:
        raise SchemaError(path, data.line_of("leaves_out"), "leaves_out: expected a mapping with labels: and types:")
    lists = {}
    for kind in ("labels", "types"):
        value = leaves_out.get(kind) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise SchemaError(path, leaves_out.line_of(kind), f"leaves_out.{kind}: expected a list of names")
        lists[kind] = frozenset(value)
    return Profile(
        name=name,
        folder=folder,
        labels=lists["labels"],
        types=lists["types"],
    )
