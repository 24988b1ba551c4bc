"""YAML loading that remembers line numbers, so a fault in a schema file, a mapping spec or
a query pack names its file and line: the one loader all three read their files with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's parser when PyYAML was built with it (the wheels are): the same nodes, marks and
# safety, eight times faster, which is most of a command's start-up that reads every pack.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


class FileFault(ValueError):
    """A fault in a data file; the message names the file, the line when known (0: not
    known, or the file as a whole), and the fault."""

    def __init__(self, path: Path | str, line: int, fault: str):
        self.path, self.line, self.fault = Path(path), line, fault
        super().__init__(f"{path}, line {line}: {fault}" if line else f"{path}: {fault}")


class YamlSyntaxError(FileFault):
    """The file is not YAML; the fault says the line and column where the parser gave up."""

    def __init__(self, path: Path, line: int, column: int, problem: str):
        super().__init__(path, 0, f"YAML syntax error at line {line}, column {column}: {problem}")
        self.syntax_line, self.column, self.problem = line, column, problem


def load_yaml(path: Path) -> Any:
    """The file's data with its mappings as LineDicts and lists as LineLists. A missing
    file, one that is not UTF-8 or not YAML raises a FileFault naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileFault(path, 0, "file is missing") from None
    except UnicodeDecodeError as exc:
        raise FileFault(path, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise YamlSyntaxError(path, line, column, getattr(exc, "problem", None) or str(exc)) from None
