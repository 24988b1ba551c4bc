"""Decide a text file's encoding strictly: a UTF-8 BOM, else valid UTF-8, else valid
GB18030 (a superset of GBK and GB2312), else refuse. Nothing is ever decoded with
replacement characters, so Chinese text arrives intact or not at all."""

from __future__ import annotations

import codecs
from pathlib import Path

from ingest.readers.base import SourceError

_CHUNK = 1 << 20


def _first_error(path: Path, encoding: str, skip: int = 0) -> tuple[int, int] | None:
    """(byte offset, line) of the first undecodable byte, or None if the file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset, line = skip, 1
    with path.open("rb") as f:
        f.seek(skip)
        while True:
            chunk = f.read(_CHUNK)
            final = not chunk
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                pending = len(decoder.getstate()[0]) if hasattr(decoder, "getstate") else 0
                bad = offset - pending + exc.start
                with path.open("rb") as again:
                    line += again.read(bad).count(b"\n")
                return bad, line
            offset += len(chunk)
            if final:
                return None


def detect_encoding(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(path, "the file is UTF-16; save it as UTF-8 (or GBK) text")
    utf8_error = _first_error(path, "utf-8")
    if utf8_error is None:
        return "utf-8"
    gb_error = _first_error(path, "gb18030")
    if gb_error is None:
        return "gb18030"
    offset, line = utf8_error
    raise SourceError(
        path,
        f"the file is neither UTF-8 nor GBK/GB18030 text (not UTF-8 from byte {offset}, line {line}; "
        f"not GB18030 from byte {gb_error[0]}, line {gb_error[1]}). Re-export it as UTF-8.",
    )
