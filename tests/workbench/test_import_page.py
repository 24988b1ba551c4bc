"""The import page, driven as a data officer drives it (AppTest, the real local Neo4j): a run
with rejects is a warning that says why and what to add, a file already imported is said so
and can be imported again, the page names files as uploaded and speaks Chinese throughout,
a file uploaded twice counts once, and a browser import is audited with its counts."""

from __future__ import annotations

import re
import stat

import pytest
import streamlit as st

from ingest.rejects import read_rejects
from settings.table import Settings
from tests.workbench.conftest import audit_events, one_page
from workbench import importing
from workbench.views import importer

SHOPS_NAME = "dangerous_goods_shops.csv"
SHOPS = (
    "销售点编号,销售点名称,许可证号,经营类别,经营地址,经度,纬度\n"
    "S1,平安五金店,X1,管制刀具,嘉兴市南湖区中山路1号,120.75,30.75\n"
    "S2,南湖烟花店,X2,烟花爆竹,嘉兴市南湖区中山路2号,120.76,30.76\n"
).encode()
# As a registry exports it: GBK, and a name with a space and brackets (kept as given).
SALES_NAME = "dangerous_goods_sales (3月).csv"
SALES = (
    "交易流水号,交易时间,销售点编号,购买人姓名,购买人证件号码,购买人联系电话,物品类别,物品名称,数量,单位,智付码\n"
    "P1,2026/03/01 10:00:00,S1,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,1\n"
    "P2,2026/03/01 11:00:00,S1,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,2\n"
    "P3,2026/03/02 09:00:00,S2,赵六,330402198001010014,,烟花爆竹,礼花,2,箱,3\n"
    "P4,2026/03/02 10:00:00,S2,李娜,110105194912310021,,烟花爆竹,礼花,1,箱,4\n"
).encode("gbk")


def unescaped(text: str) -> str:
    """A message as the user reads it (the page escapes Markdown characters)."""
    return re.sub(r"\\(.)", r"\1", text)


def said(boxes) -> list[str]:
    return [unescaped(b.value) for b in boxes]


def everything_shown(at) -> str:
    """Every text on the page: titles, captions, message boxes, tables (headings and cells)."""
    parts = [
        e.value
        for kind in ("title", "caption", "markdown", "success", "info", "warning", "error")
        for e in at.get(kind)
    ]
    for frame in at.dataframe:
        parts += [str(c) for c in frame.value.columns] + [str(v) for v in frame.value.to_numpy().ravel()]
    return unescaped("\n".join(parts))


def import_page(files) -> object:
    """The page as a supervisor sees it, with `files` [(name, bytes)] uploaded."""
    at = one_page("import").run()
    at.file_uploader(key="gb_uploads").set_value([(name, data, "text/csv") for name, data in files])
    return at.run()


def click(at, key: str):
    return at.button(key=key).click().run()


def test_a_dry_run_with_rejects_is_a_warning_with_the_reasons_and_the_file_to_add(app_env, empty_graph):
    at = click(import_page([(SALES_NAME, SALES)]), "gb_import_dry")
    assert not at.exception, at.exception
    assert not at.success, "rows were rejected: no green box"
    warnings = said(at.warning)
    summary = next(w for w in warnings if "试运行发现问题" in w)
    assert "4 行会被拒绝" in summary and "可导入 0 行" in summary
    assert "引用的对象不存在（reference.missing） 3 行" in summary
    assert "身份证号校验位错误（citizen_id.check_digit） 1 行" in summary
    hint = next(w for w in warnings if "reference.missing" in w and w is not summary)
    assert SALES_NAME in hint and "3 行" in hint
    assert "危险物品销售点" in hint and "“危险物品销售点”文件" in hint and "dangerous_goods_shops*" in hint
    at.session_state["gb_lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert [w for w in said(at.warning) if "would be rejected" in w and "refers to an entity not in the graph" in w]
    assert [w for w in said(at.warning) if "Import the “Licensed dangerous-goods shops” file" in w]


def test_the_page_names_files_as_uploaded_in_chinese_and_never_a_server_path(app_env, empty_graph):
    at = click(import_page([(SALES_NAME, SALES)]), "gb_import_dry")
    assert not at.exception, at.exception
    report = at.session_state[importer.REPORT_KEY]
    kept = report.files[0].path
    assert kept.name == SALES_NAME, "kept under the name it was uploaded with"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    (table,) = [f.value for f in at.dataframe if "文件" in f.value.columns]
    assert list(table.columns[:4]) == ["文件", "映射规格", "格式", "编码"]
    assert {"读取行数", "可导入行数", "拒绝行数", "拒绝原因"} <= set(table.columns)
    assert not {"path", "spec", "rows_read"} & set(table.columns)
    assert table["文件"].tolist() == [SALES_NAME] and table["映射规格"].tolist() == ["危险物品实名制销售记录"]
    shown = everything_shown(at)
    home = str(Settings.from_env().home.resolve())
    assert home not in shown and str(kept.parent) not in shown
    rejects = read_rejects(report.rejects_path)
    assert len(rejects) == 4 and {r["file"] for r in rejects} == {SALES_NAME}
    assert at.get("download_button"), "the complete reject file is offered"


def test_the_shops_in_the_same_batch_let_the_sales_load(app_env, empty_graph, audit_path):
    at = click(import_page([(SALES_NAME, SALES), (SHOPS_NAME, SHOPS)]), "gb_import_run")
    assert not at.exception, at.exception
    report = at.session_state[importer.REPORT_KEY]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 5, 1)
    assert not [w for w in said(at.warning) if "reference.missing" in w]
    (entry,) = [e for e in audit_events(audit_path) if e["action"] == "import"]
    assert entry["rows"] == 5, "rows loaded"
    assert entry["message"] == f"run {report.run_id}: read 6, rejected 1"
    assert entry["parameters"]["files"] == [SALES_NAME, SHOPS_NAME]


def test_a_file_already_imported_is_said_so_and_imported_again_on_request(app_env, empty_graph, audit_path):
    at = click(import_page([(SHOPS_NAME, SHOPS)]), "gb_import_run")
    assert [s for s in said(at.success) if "导入完成" in s and "读取 2 行" in s]
    at = click(at, "gb_import_run")
    assert not at.exception, at.exception
    assert not at.success, "nothing was imported: no green box"
    assert [i for i in said(at.info) if "没有导入新数据" in i]
    (note,) = [i for i in said(at.info) if "已导入过" in i]
    assert SHOPS_NAME in note and "重新导入" in note
    assert at.button(key="gb_import_force").label == "重新导入"
    at = click(at, "gb_import_force")
    assert not at.exception, at.exception
    report = at.session_state[importer.REPORT_KEY]
    assert (report.rows_read, report.rows_loaded, report.files[0].skipped) == (2, 2, None)
    assert [s for s in said(at.success) if "导入完成" in s]
    entries = [e for e in audit_events(audit_path) if e["action"] == "import"]
    assert [e["parameters"].get("force", False) for e in entries] == [False, False, True]
    assert "skipped as already imported: dangerous_goods_shops.csv" in entries[1]["message"]
    assert entries[2]["message"] == f"run {report.run_id}: read 2, rejected 0"
    assert empty_graph.read("test.shops", "MATCH (s:Shop) RETURN count(s)").single_value() == 2


def test_the_same_file_uploaded_twice_counts_once(app_env, empty_graph):
    at = import_page([(SALES_NAME, SALES), (SALES_NAME, SALES)])
    assert [i for i in said(at.info) if f"{SALES_NAME} 上传了 2 次" in i and "只计一次" in i]
    assert len([c for c in at.caption if "预览" in c.value]) == 1
    at = click(at, "gb_import_dry")
    report = at.session_state[importer.REPORT_KEY]
    assert [f.path.name for f in report.files] == [SALES_NAME] and report.rows_read == 4


def test_two_different_files_of_one_name_are_refused(app_env, empty_graph):
    at = import_page([(SALES_NAME, SALES), (SALES_NAME, SALES + b"P5,,,,,,,,,,\n")])
    assert not at.exception, at.exception
    (error,) = said(at.error)
    assert f"有两个内容不同的文件都叫 {SALES_NAME}" in error
    assert not [b for b in at.button if b.key.startswith("gb_import")] and not at.dataframe


def test_faults_are_said_in_chinese_naming_the_file_alone(app_env, empty_graph):
    at = import_page([("watch_list.csv", "\ufeff名单".encode("utf-16"))])
    (error,) = said(at.error)
    assert error.startswith("watch_list.csv：文件是 UTF-16 编码") and "/" not in error

    at = import_page([(SALES_NAME, SALES)])
    at.selectbox(key="gb_import_spec").set_value("household_registry")
    at = click(at, "gb_import_dry")
    (error,) = said(at.error)
    assert error.startswith(f"{SALES_NAME} 缺少映射规格 household_registry 需要的列") and "文件的表头是" in error
    assert "/" not in error and "column" not in error


def test_a_new_run_withdraws_the_previous_reject_file_before_it_starts(app_env, empty_graph, monkeypatch):
    """The page shows its result in one slot emptied before an import starts (in the browser,
    the previous run's download button is gone while the import runs); here, the report that
    offers it is gone from the session before the import is called, and after a run that
    failed no reject file is offered."""
    at = click(import_page([(SALES_NAME, SALES)]), "gb_import_dry")
    assert at.get("download_button")
    real = importing.run_import
    held_during_run = []

    def watched(*args, **kwargs):
        held_during_run.append(importer.REPORT_KEY in st.session_state)
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "run_import", watched)
    at.selectbox(key="gb_import_spec").set_value("watch_list")
    at = click(at, "gb_import_dry")
    assert held_during_run == [False]
    assert at.error and not at.get("download_button") and not at.warning


def test_a_run_never_rewrites_the_reject_file_offered_before(app_env, empty_graph, tmp_path):
    """Each run writes its own reject file, and puts it in place only when complete: while a
    second run goes on, the first run's file is whole and no file of the second is offered."""
    from workbench import resources
    from workbench.investigator import Investigator

    supervisor = Investigator(user="sup", role="supervisor", case_ref="JX-2025-0142", reason="fugitive_search")
    workspace = resources.workspace()
    (sales,) = importing.keep_uploads(tmp_path, [(SALES_NAME, SALES)]).paths
    first = importing.run_import(workspace, [sales], supervisor, spec=None, dry_run=True).rejects_path
    offered = first.read_bytes()
    assert offered.count(b"\n") == 5, "a header and the four rows rejected"
    during = []

    def progress(_p) -> None:
        during.append((first.read_bytes() == offered, sorted(p.name for p in first.parent.glob("*.csv"))))

    second = importing.run_import(workspace, [sales], supervisor, spec=None, dry_run=True, progress=progress)
    assert during and all(same and names == [first.name] for same, names in during)
    assert second.rejects_path != first and second.rejects_path.read_bytes().count(b"\n") == 5
    assert first.read_bytes() == offered


@pytest.mark.parametrize("name", ["..", "a\x00b.csv", "x" * 300 + ".csv"])
def test_an_unusable_file_name_is_refused(tmp_path, name):
    with pytest.raises(importing.UploadRefused) as refused:
        importing.keep_uploads(tmp_path, [(name, b"a\n")])
    assert refused.value.code == "bad_name" and not list(tmp_path.iterdir())


def test_a_file_name_keeps_its_own_characters_and_loses_any_folder(tmp_path):
    (kept,) = importing.keep_uploads(tmp_path, [("C:\\导出\\销售 (1).csv", b"a\n")]).paths
    assert kept == tmp_path / "销售 (1).csv"


def test_a_dry_run_with_the_shops_in_the_batch_checks_the_sales_against_them(app_env, empty_graph):
    at = click(import_page([(SALES_NAME, SALES), (SHOPS_NAME, SHOPS)]), "gb_import_dry")
    assert not at.exception, at.exception
    report = at.session_state[importer.REPORT_KEY]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 5, 1)
    assert not [w for w in said(at.warning) if "reference.missing" in w]
    assert empty_graph.read("test.nodes", "MATCH (n) RETURN count(n)").single_value() == 0
