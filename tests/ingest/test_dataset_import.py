"""A whole dataset in one import: the user's own folder of specs, a spec per file or a
manifest, the files put in the order their references need (a cycle refused by name), a
dry run that sees what the batch's earlier files would create, reject lines that name the
source header and keep the row, and a file named twice imported once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.api import BatchFile, import_files
from ingest.batch import assign_specs, plan_batch
from ingest.manifest import ManifestError, load_manifest
from ingest.rejects import read_rejects
from ingest.spec import SpecError, resolve_spec

SHOPS = (
    "销售点编号,销售点名称,许可证号,经营类别,经营地址,经度,纬度\n"
    "S1,平安五金店,X1,管制刀具,嘉兴市南湖区中山路1号,120.75,30.75\n"
    "S2,安顺烟花店,X2,烟花爆竹,嘉兴市南湖区中山路2号,120.76,30.75\n"
)
SALES_HEADER = (
    "交易流水号,交易时间,销售点编号,购买人姓名,购买人证件号码,购买人联系电话,物品类别,物品名称,数量,单位,智付码\n"
)
SALES = (
    SALES_HEADER
    + "P1,2026/03/01 10:00:00,S1,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,1\n"
    + "P2,2026/03/01 11:00:00,S9,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,2\n"
    + "P3,2026/03/01 12:00:00,S2,张伟,11010519491231002X,,烟花爆竹,礼花,2,箱,3\n"
)

# Two specs of the user's own, each referring to what the other creates.
PEOPLE_AT_SHOPS = """\
spec: {name}
names: {{zh: 测试, en: Test}}
files: ["{pattern}"]
columns:
  id_number: [身份证号]
  name: [姓名]
  shop_id: [销售点编号]
entities:
  person:
    label: Person
    key: id_number
    mode: {person_mode}
    properties:
      name: name
  shop:
    label: Shop
    key: shop_id
    mode: {shop_mode}
    properties:
      name: name
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def user_spec(folder: Path, name: str, pattern: str, *, person_mode: str, shop_mode: str) -> Path:
    text = PEOPLE_AT_SHOPS.format(name=name, pattern=pattern, person_mode=person_mode, shop_mode=shop_mode)
    return write(folder / f"{name}.yaml", text)


def test_a_dry_run_resolves_references_against_the_files_before_it_in_the_batch(empty_graph, schema, tmp_path):
    shops = write(tmp_path / "dangerous_goods_shops.csv", SHOPS)
    sales = write(tmp_path / "dangerous_goods_sales.csv", SALES)
    report = import_files(
        [sales, shops], schema=schema, gateway=empty_graph, dry_run=True, rejects_path=tmp_path / "rejects.csv"
    )
    assert [f.spec for f in report.files] == ["dangerous_goods_shops", "dangerous_goods_sales"]
    sales_report = report.files[1]
    assert (sales_report.rows_loaded, sales_report.rows_rejected) == (2, 1)  # S9 is in neither
    (reject,) = read_rejects(tmp_path / "rejects.csv")
    assert (reject["row"], reject["reason"], reject["value"]) == ("3", "reference.missing", "S9")
    assert empty_graph.read("test.count", "MATCH (n) RETURN count(n)").single_value() == 0

    alone = import_files([sales], schema=schema, gateway=empty_graph, dry_run=True, rejects_path=None)
    assert (alone.rows_loaded, alone.rows_rejected) == (0, 3), "without the shops, nothing they would create counts"


def test_a_missing_reference_names_the_source_header_and_keeps_the_row(empty_graph, schema, tmp_path):
    shops = write(tmp_path / "dangerous_goods_shops.csv", SHOPS)
    sales = write(tmp_path / "dangerous_goods_sales.csv", SALES, "gbk")
    given = f"{tmp_path}/./dangerous_goods_sales.csv"
    report = import_files(
        [shops, BatchFile(sales, name=given)], schema=schema, gateway=empty_graph, rejects_path=tmp_path / "r.csv"
    )
    assert (report.rows_loaded, report.rows_rejected) == (4, 1)
    (reject,) = read_rejects(tmp_path / "r.csv")
    assert reject["reason"] == "reference.missing" and reject["column"] == "销售点编号"
    assert reject["original"].startswith("P2,2026/03/01 11:00:00,S9,张伟")
    assert reject["file"] == given and reject["outcome"] == "row rejected"


def test_the_same_file_named_twice_is_imported_once_and_the_report_says_so(empty_graph, schema, tmp_path):
    shops = write(tmp_path / "dangerous_goods_shops.csv", SHOPS)
    copy = tmp_path / "copy" / "dangerous_goods_shops.csv"
    copy.parent.mkdir()
    shutil.copyfile(shops, copy)
    report = import_files([shops, shops, copy], schema=schema, gateway=empty_graph, rejects_path=None)
    assert (report.rows_read, report.rows_loaded) == (2, 2)
    first, again, copied = report.files
    assert first.rows_loaded == 2 and not first.skipped
    assert again.same_as == str(shops) and "the same path as" in again.skipped and "imported once" in again.skipped
    assert copied.same_as == str(shops) and "the same content as" in copied.skipped
    assert [f["same_as"] for f in report.as_dict()["files"]] == [None, str(shops), str(shops)]
    run = empty_graph.read(
        "test.run", "MATCH (r:ImportRun {run_id: $run}) RETURN r.rows_read", {"run": report.run_id}
    ).single_value()
    assert run == 2


def test_specs_referring_to_each_other_in_a_cycle_are_refused_naming_them(schema, tmp_path):
    folder = tmp_path / "specs"
    user_spec(folder, "buyers_at_shops", "buyers*", person_mode="merge", shop_mode="match")
    user_spec(folder, "shops_of_buyers", "shop_owners*", person_mode="match", shop_mode="merge")
    header = "身份证号,姓名,销售点编号\n11010519491231002X,张伟,S1\n"
    files = [write(tmp_path / "buyers.csv", header), write(tmp_path / "shop_owners.csv", header)]
    with pytest.raises(SpecError) as caught:
        import_files(files, schema=schema, gateway=None, dry_run=True, specs_dir=folder)
    message = str(caught.value)
    assert "cycle" in message and "buyers_at_shops" in message and "shops_of_buyers" in message
    assert "refers to Shop" in message and "refers to Person" in message


def test_a_file_whose_spec_refers_to_another_files_nodes_goes_after_it(schema, tmp_path):
    folder = tmp_path / "specs"
    user_spec(folder, "buyers_at_shops", "buyers*", person_mode="merge", shop_mode="match")
    buyers = write(tmp_path / "buyers.csv", "身份证号,姓名,销售点编号\n11010519491231002X,张伟,S1\n")
    shops = write(tmp_path / "dangerous_goods_shops.csv", SHOPS)
    household_header = "户号,姓名,公民身份号码,性别,民族,出生日期,户籍地址,联系电话\n"
    household = write(tmp_path / "household_registry.csv", household_header)
    plans, _ = plan_batch([buyers, household, shops], schema, specs_dir=folder)
    assert [p.spec.name for p in plans] == ["household_registry", "dangerous_goods_shops", "buyers_at_shops"]


def test_the_users_specs_folder_is_searched_by_name_and_by_file_like_the_built_in_ones(schema, tmp_path):
    folder = tmp_path / "specs"
    user_spec(folder, "buyers_at_shops", "buyers*", person_mode="merge", shop_mode="merge")
    by_name = resolve_spec("buyers_at_shops", schema, specs_dir=folder)
    assert by_name.path == folder / "buyers_at_shops.yaml"
    buyers = write(tmp_path / "buyers-2026.csv", "身份证号,姓名,销售点编号\n11010519491231002X,张伟,S1\n")
    report = import_files([buyers], schema=schema, gateway=None, dry_run=True, specs_dir=folder)
    assert [(f.spec, f.rows_loaded) for f in report.files] == [("buyers_at_shops", 1)]
    with pytest.raises(SpecError, match="no spec named 'buyers_at_shops' \\(built-in\\)"):
        resolve_spec("buyers_at_shops", schema)


def test_a_users_spec_with_a_built_in_name_or_a_folder_that_is_not_one_is_refused(schema, tmp_path):
    folder = tmp_path / "specs"
    clash = user_spec(folder, "watch_list", "mine*", person_mode="merge", shop_mode="merge")
    with pytest.raises(SpecError) as caught:
        resolve_spec("watch_list", schema, specs_dir=folder)
    assert str(caught.value).startswith(f"{clash}: spec 'watch_list' is already defined in ")
    with pytest.raises(SpecError, match="GOLDENBELL_SPECS_DIR is not a folder"):
        resolve_spec("watch_list", schema, specs_dir=tmp_path / "nowhere")


def test_a_folder_given_as_a_spec_is_a_clear_error(schema, tmp_path):
    with pytest.raises(SpecError, match="is a folder, not a spec"):
        resolve_spec(str(tmp_path), schema)


def test_each_file_gets_the_spec_given_for_it(schema, tmp_path):
    shops = write(tmp_path / "a.csv", SHOPS)
    sales = write(tmp_path / "b.csv", SALES)
    files = assign_specs([sales, shops], [("a.csv", "dangerous_goods_shops"), (str(sales), "dangerous_goods_sales")])
    assert [(f.path, f.spec) for f in files] == [(sales, "dangerous_goods_sales"), (shops, "dangerous_goods_shops")]
    report = import_files(files, schema=schema, gateway=None, dry_run=True)
    assert [(f.name, f.spec) for f in report.files] == [
        (str(shops), "dangerous_goods_shops"),
        (str(sales), "dangerous_goods_sales"),
    ]
    with pytest.raises(SpecError, match="names no file of this import"):
        assign_specs([sales], [("c.csv", "dangerous_goods_shops")])
    with pytest.raises(SpecError, match="two specs for one file"):
        assign_specs([sales], [("b.csv", "dangerous_goods_sales"), (str(sales), "dangerous_goods_shops")])


def test_a_manifest_lists_the_files_and_their_specs_relative_to_itself(schema, tmp_path):
    write(tmp_path / "data" / "shops.csv", SHOPS)
    write(tmp_path / "data" / "sales.csv", SALES)
    user_spec(tmp_path / "data" / "specs", "buyers_at_shops", "buyers*", person_mode="merge", shop_mode="match")
    write(tmp_path / "data" / "exports" / "buyers.csv", "身份证号,姓名,销售点编号\n11010519491231002X,张伟,S1\n")
    manifest = write(
        tmp_path / "data" / "dataset.yaml",
        "- {file: sales.csv, spec: dangerous_goods_sales}\n"
        "- file: exports/buyers.csv\n"
        "  spec: specs/buyers_at_shops.yaml\n"
        "- {file: shops.csv, spec: dangerous_goods_shops}\n",
    )
    files = load_manifest(manifest)
    assert [f.name for f in files] == ["sales.csv", "exports/buyers.csv", "shops.csv"]
    report = import_files(files, schema=schema, gateway=None, dry_run=True)
    assert [(f.name, f.spec) for f in report.files] == [
        ("shops.csv", "dangerous_goods_shops"),
        ("sales.csv", "dangerous_goods_sales"),
        ("exports/buyers.csv", "buyers_at_shops"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "fault"),
    [
        ("- {file: shops.csv}\n- {file: gone.csv}\n", 2, "file 'gone.csv'"),
        ("- {file: shops.csv, sheet: 1}\n", 1, "unknown key 'sheet'"),
        ("- {spec: dangerous_goods_shops}\n", 1, "needs 'file:'"),
        ("file: shops.csv\n", 1, "a manifest is a list"),
    ],
)
def test_a_bad_manifest_names_itself_and_the_line(tmp_path, text, line, fault):
    write(tmp_path / "shops.csv", SHOPS)
    manifest = write(tmp_path / "dataset.yaml", text)
    with pytest.raises(ManifestError) as caught:
        load_manifest(manifest)
    assert caught.value.line == line and fault in str(caught.value) and str(manifest) in str(caught.value)
