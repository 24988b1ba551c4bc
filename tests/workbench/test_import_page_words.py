"""The import page's words: every reason a row can be rejected for, and every fault a file
can meet on its way in, reads in Chinese on the page, naming the file and no server folder."""

from __future__ import annotations

import zipfile

import pytest

from graph.errors import GraphUnavailable, QueryFailed
from ingest.api import choose_spec
from ingest.readers import SourceError, open_source
from ingest.reject_reasons import Reason
from ingest.spec import SpecError
from workbench import import_faults
from workbench.import_words import IMPORT_WORDS
from workbench.messages import message

HAN = "\u4e00-\u9fff"


def test_every_reject_reason_has_words_in_both_languages():
    for reason in Reason:
        zh, en = IMPORT_WORDS[f"import.reason.{reason.value}"]
        assert any("\u4e00" <= c <= "\u9fff" for c in zh) and en


def unreadable(path):
    """Open and read the file as the page's preview does."""
    source = open_source(path)
    list(source.header)
    list(source.rows())
    return source


FILES = {
    "empty.csv": (b"", "文件为空"),
    "utf16.csv": ("\ufeffa,b\n".encode("utf-16"), "UTF-16"),
    "mixed.csv": ("a,b\n中,文\n".encode() + b"\x80\xff\xfe\xfe\xff\n", "既不是 UTF-8 也不是 GBK"),
    "book.xlsx": (b"not a zip", "不是有效的 XLSX 工作簿"),
    "lines.jsonl": (b"\n\n", "没有 JSON 对象"),
    "notes.doc": (b"a\n", "不支持的文件类型“.doc”"),
}


@pytest.mark.parametrize("name", list(FILES))
def test_a_file_that_cannot_be_read_is_said_in_chinese(tmp_path, name):
    data, words = FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SourceError) as raised:
        unreadable(path)
    text = import_faults.said(raised.value, "zh")
    assert text.startswith(f"{name}：") and words in text, text
    assert str(tmp_path) not in text and "/" not in text.replace("GBK/GB18030", "")


def test_an_empty_sheet_is_said_in_chinese(tmp_path):
    path = tmp_path / "sheet.xlsx"
    from openpyxl import Workbook

    Workbook().save(path)
    assert zipfile.is_zipfile(path)
    with pytest.raises(SourceError) as raised:
        unreadable(path)
    assert "第一个工作表为空" in import_faults.said(raised.value, "zh")


def test_a_file_no_spec_fits_is_said_in_chinese(tmp_path, schema):
    path = tmp_path / "export.csv"
    path.write_text("甲,乙\n1,2\n", encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        choose_spec(path, open_source(path), schema, None)
    assert import_faults.said(raised.value, "zh") == (
        f"export.csv：无法判断适用的映射规格（候选：{message('common.none')}）。请在上方选择映射规格。"
    )


def test_a_spec_named_that_does_not_exist_is_said_in_chinese(schema):
    from ingest.spec import resolve_spec

    with pytest.raises(SpecError) as raised:
        resolve_spec("hotel_guests", schema)
    said = import_faults.said(raised.value, "zh")
    assert said == "没有名为 hotel_guests 的映射规格（内置或 GOLDENBELL_SPECS_DIR 中）。"


def test_unknown_faults_keep_the_users_language_and_lose_server_paths(tmp_path):
    fault = SourceError(tmp_path / "up" / "a.csv", f"cannot open {tmp_path}/up/a.csv at byte 3")
    assert import_faults.said(fault, "zh") == "a.csv：无法读取（cannot open a.csv at byte 3）。"
    assert import_faults.said(GraphUnavailable("bolt://127.0.0.1:7687 refused"), "zh").startswith("无法连接数据库")
    failed = import_faults.said(QueryFailed(f"write failed on {tmp_path}/store"), "zh")
    assert failed.startswith("数据库出错") and str(tmp_path) not in failed and "store" in failed
    assert import_faults.no_paths("GBK/GB18030, bolt://h:1") == "GBK/GB18030, bolt://h:1"
