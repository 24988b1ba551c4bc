"""Readers: strict encodings, row numbers as a spreadsheet shows them, typed XLSX cells."""

import json

import pytest
from openpyxl import Workbook

from ingest.readers import SourceError, open_source
from ingest.reject_reasons import Reason

HEADER = "姓名,公民身份号码,户籍地址\n"
ROW = "张伟,330402199001010011,浙江省嘉兴市南湖区新兴街道\n"


def test_a_gbk_file_reads_with_correct_chinese(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + ROW).encode("gbk"))
    source = open_source(path)
    assert source.encoding == "gb18030"
    rows = list(source.rows())
    assert rows[0].values["姓名"] == "张伟"
    assert rows[0].values["户籍地址"] == "浙江省嘉兴市南湖区新兴街道"


def test_a_utf8_bom_file_reads_without_the_bom_in_the_header(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + ROW).encode("utf-8-sig"))
    source = open_source(path)
    assert source.encoding == "utf-8-sig"
    assert source.header == ["姓名", "公民身份号码", "户籍地址"]


def test_a_file_in_neither_encoding_is_refused_with_where(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes(HEADER.encode("utf-8") + "Müller,1,é\n".encode("latin-1"))
    with pytest.raises(SourceError) as caught:
        open_source(path)
    message = str(caught.value)
    assert "neither UTF-8 nor GBK" in message and "line 2" in message and str(path) in message


def test_utf16_is_refused_by_name(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_bytes((HEADER + ROW).encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-16"):
        open_source(path)


def test_wrong_column_counts_are_row_faults_numbered_like_a_spreadsheet(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(HEADER + ROW + "李娜,330402199001010038\n" + ROW, encoding="utf-8")
    rows = list(open_source(path).rows())
    assert [r.number for r in rows] == [2, 3, 4]
    assert rows[1].fault[0] == Reason.ROW_COLUMN_COUNT
    assert rows[1].original == "李娜,330402199001010038"


def test_xlsx_cells_keep_their_types(tmp_path):
    path = tmp_path / "vehicles.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["号牌号码", "所有人身份证号"])
    sheet.append(["浙F12345", "330402199001010011"])
    sheet.append(["浙F54321", 330402199001010011])
    book.save(path)
    rows = list(open_source(path).rows())
    assert rows[0].number == 2 and rows[0].values["所有人身份证号"] == "330402199001010011"
    assert isinstance(rows[1].values["所有人身份证号"], float)  # Excel keeps numbers as doubles: digits lost


def test_json_lines_report_malformed_lines(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(
        json.dumps({"警情编号": "J1", "简述": "文本"}, ensure_ascii=False) + "\n{oops\n[1, 2]\n", encoding="utf-8"
    )
    rows = list(open_source(path).rows())
    assert rows[0].values["警情编号"] == "J1"
    assert rows[1].fault[0] == Reason.ROW_MALFORMED and rows[1].number == 2
    assert rows[2].fault[0] == Reason.ROW_MALFORMED


def test_an_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "persons.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(SourceError, match="unsupported file type"):
        open_source(path)
