"""What the import page says when a batch cannot be imported: each fault the ingest API,
the database, access control or the upload itself raises, in the session's language,
naming the user's file and never a folder of the server.

The ingest API words its faults in English for the command line; the page knows them by
their text. A fault not known here still reaches the user, framed in their language, with
every server path cut to its last part."""

from __future__ import annotations

import re
from pathlib import Path

from access.errors import AccessDenied, AccessError, ReasonRequired, SessionEnded
from graph.errors import GraphError, GraphUnavailable, QueryTimeout
from graph.yaml_lines import FileFault
from ingest.readers import SourceError
from ingest.spec import SpecError
from workbench.importing import UploadRefused
from workbench.messages import message

# (fault pattern, message key); named groups fill the message, `file` defaults to the file's name
_SOURCE_FAULTS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^file not found$"), "import.fault.not_found"),
    (re.compile(r"^unsupported file type '(?P<suffix>[^']*)'"), "import.fault.file_type"),
    (re.compile(r"^the file is empty or its first row \(the header\) is blank"), "import.fault.empty"),
    (re.compile(r"^not an XLSX workbook"), "import.fault.not_xlsx"),
    (re.compile(r"^the first sheet is empty or its first row \(the header\) is blank"), "import.fault.empty_sheet"),
    (re.compile(r"^no JSON object found"), "import.fault.no_json"),
    (re.compile(r"^the file is UTF-16"), "import.fault.utf16"),
    (
        re.compile(
            r"^the file is neither UTF-8 nor GBK/GB18030 text \(not UTF-8 from byte \d+, line (?P<utf8_line>\d+); "
            r"not GB18030 from byte \d+, line (?P<gb_line>\d+)\)"
        ),
        "import.fault.encoding",
    ),
)
_SPEC_FAULTS: tuple[tuple[re.Pattern, str], ...] = (
    (
        re.compile(r"^cannot tell which spec fits this file \(candidates: (?P<candidates>.*)\)"),
        "import.fault.which_spec",
    ),
    (
        re.compile(
            r"^column '[^']+' \(headers (?P<headers>.*)\) is not in (?P<file>.+), whose header is: (?P<header>.*)$"
        ),
        "import.fault.missing_column",
    ),
    (
        re.compile(r"^(?P<file>.+) holds passages \((?P<spec>[^)]+)\), and this installation keeps passages"),
        "import.fault.passages_elsewhere",
    ),
    (re.compile(r"^import the passage files \((?P<files>.*)\) on their own"), "import.fault.passages_mixed"),
    (re.compile(r"^passages go to the event store, which has no dry run"), "import.fault.passages_dry"),
    (re.compile(r"^(?P<file>.+) holds (?P<spec>\S+), not passages"), "import.fault.not_passages"),
    (re.compile(r"^no spec named '(?P<spec>[^']+)'"), "import.fault.unknown_spec"),
)
# An absolute path, not part of a word (GBK/GB18030 stays as it is).
_PATH = re.compile(r"(?<![\w.:/])(?:[A-Za-z]:)?[/\\][^\s,;'\"()<>]+")


def said(exc: Exception, lang: str) -> str:
    """The page's message for `exc`."""
    if isinstance(exc, UploadRefused):
        return message(f"import.fault.{exc.code}", lang, file=exc.name)
    if isinstance(exc, SourceError):
        return _known(exc.fault, exc.path, _SOURCE_FAULTS, "import.fault.unreadable", lang)
    if isinstance(exc, SpecError):
        return _known(exc.fault, exc.path, _SPEC_FAULTS, "import.fault.spec", lang, spec=exc.path.stem)
    if isinstance(exc, GraphUnavailable):
        return message("import.fault.db_down", lang)
    if isinstance(exc, QueryTimeout):
        return message("import.fault.db_timeout", lang)
    if isinstance(exc, GraphError):
        return message("import.fault.db", lang, detail=no_paths(str(exc)))
    if isinstance(exc, AccessError):
        return _refused(exc, lang)
    if isinstance(exc, OSError):
        return message("import.fault.disk", lang, detail=exc.strerror or type(exc).__name__)
    if isinstance(exc, FileFault):
        return message("import.fault.spec", lang, file=exc.path.name, detail=no_paths(exc.fault))
    return message("import.fault.other", lang, detail=no_paths(str(exc)))


def _known(
    fault: str, path: Path, known: tuple[tuple[re.Pattern, str], ...], otherwise: str, lang: str, **extra: str
) -> str:
    for pattern, key in known:
        found = pattern.search(fault)
        if found:
            values = {"file": path.name, **extra, **{k: v for k, v in found.groupdict().items() if v is not None}}
            values = {k: no_paths(v) for k, v in values.items()}
            if values.get("candidates") == "none":
                values["candidates"] = message("common.none", lang)
            return message(key, lang, **values)
    return message(otherwise, lang, file=path.name, detail=no_paths(fault))


def _refused(exc: AccessError, lang: str) -> str:
    if isinstance(exc, AccessDenied):
        return message("import.fault.denied", lang)
    if isinstance(exc, ReasonRequired):
        return message("import.fault.reason", lang)
    if isinstance(exc, SessionEnded):
        return message("import.fault.session", lang)
    return message("import.fault.refused", lang, detail=no_paths(str(exc)))


def no_paths(text: str) -> str:
    """`text` with every absolute path cut to its last part (a file's name)."""
    return _PATH.sub(lambda m: re.split(r"[/\\]", m.group(0).rstrip("/\\"))[-1], text)
