"""`goldenbell ingest` over a whole dataset: a spec per file or a manifest, the user's folder
of specs, and misuse of --spec refused with one clear line rather than a traceback or a
silent choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.ingest import ingest
from ingest.rejects import read_rejects

SHOPS = (
    "销售点编号,销售点名称,许可证号,经营类别,经营地址,经度,纬度\n"
    "S1,平安五金店,X1,管制刀具,嘉兴市南湖区中山路1号,120.75,30.75\n"
)
SALES = (
    "交易流水号,交易时间,销售点编号,购买人姓名,购买人证件号码,购买人联系电话,物品类别,物品名称,数量,单位,智付码\n"
    "P1,2026/03/01 10:00:00,S1,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,1\n"
    "P2,2026/03/01 11:00:00,S9,张伟,11010519491231002X,,管制刀具,折叠刀,1,把,2\n"
)
BUYERS_SPEC = """\
spec: shop_buyers
names: {zh: 购买人, en: Buyers}
files: ["buyers*"]
columns:
  id_number: [身份证号]
  name: [姓名]
entities:
  person:
    label: Person
    key: id_number
    properties:
      name: name
"""


@pytest.fixture
def cli(neo4j_env, tmp_path):
    env = {**neo4j_env, "GOLDENBELL_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "COLUMNS": "220"}

    def invoke(*args: str, **more_env: str):
        return CliRunner().invoke(ingest, list(args), env={**env, **more_env}, catch_exceptions=False)

    return invoke


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bare_spec_given_twice_is_an_error_not_the_last_one_winning(cli, tmp_path):
    sales = write(tmp_path / "sales.csv", SALES)
    result = cli(str(sales), "--spec", "dangerous_goods_shops", "--spec", "dangerous_goods_sales", "--dry-run")
    assert result.exit_code == 2
    assert "--spec is given 2 times without FILE=" in result.output


def test_a_folder_given_as_spec_is_one_clear_line(cli, tmp_path):
    sales = write(tmp_path / "sales.csv", SALES)
    (tmp_path / "specs").mkdir()
    result = cli(str(sales), "--spec", str(tmp_path / "specs"), "--dry-run")
    assert result.exit_code == 1
    assert "is a folder, not a spec" in result.output and "GOLDENBELL_SPECS_DIR" in result.output
    assert "Traceback" not in result.output and "IsADirectoryError" not in result.output


def test_a_spec_per_file_and_a_dry_run_of_the_whole_batch(cli, empty_graph, tmp_path):
    sales = write(tmp_path / "export_1.csv", SALES)
    shops = write(tmp_path / "export_2.csv", SHOPS)
    rejects = tmp_path / "rejects.csv"
    result = cli(
        str(sales),
        str(shops),
        "--spec",
        "export_1.csv=dangerous_goods_sales",
        "--spec",
        f"{shops}=dangerous_goods_shops",
        "--dry-run",
        "--json",
        "--rejects",
        str(rejects),
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    files = [(f["name"], f["spec"], f["rows_loaded"], f["rows_rejected"]) for f in report["files"]]
    assert files == [
        (str(shops), "dangerous_goods_shops", 1, 0),
        (str(sales), "dangerous_goods_sales", 1, 1),  # S1 is in the batch; S9 nowhere
    ]
    (reject,) = read_rejects(rejects)
    assert (reject["file"], reject["column"], reject["reason"]) == (str(sales), "销售点编号", "reference.missing")
    assert reject["original"].startswith("P2,")


def test_a_spec_for_a_file_not_in_the_batch_is_refused(cli, tmp_path):
    sales = write(tmp_path / "sales.csv", SALES)
    result = cli(str(sales), "--spec", "shops.csv=dangerous_goods_shops", "--dry-run")
    assert result.exit_code == 1 and "names no file of this import" in result.output


def test_a_manifest_with_a_spec_from_the_users_folder(cli, empty_graph, tmp_path):
    specs = tmp_path / "my-specs"
    write(specs / "shop_buyers.yaml", BUYERS_SPEC)
    write(tmp_path / "dataset" / "people" / "list.csv", "身份证号,姓名\n11010519491231002X,张伟\n")
    write(tmp_path / "dataset" / "shops.csv", SHOPS)
    manifest = write(
        tmp_path / "dataset" / "dataset.yaml",
        "- {file: people/list.csv, spec: shop_buyers}\n- {file: shops.csv, spec: dangerous_goods_shops}\n",
    )
    result = cli("--manifest", str(manifest), "--json", GOLDENBELL_SPECS_DIR=str(specs))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(f["name"], f["spec"], f["rows_loaded"]) for f in report["files"]] == [
        ("people/list.csv", "shop_buyers", 1),
        ("shops.csv", "dangerous_goods_shops", 1),
    ]
    assert empty_graph.read("test.people", "MATCH (p:Person) RETURN p.name").single_value() == "张伟"

    without = cli("--manifest", str(manifest), "--dry-run")
    assert without.exit_code == 1 and "no spec named 'shop_buyers'" in without.output

    both = cli("--manifest", str(manifest), str(tmp_path / "dataset" / "shops.csv"))
    assert both.exit_code == 2 and "not both" in both.output


def test_the_same_file_named_twice_is_imported_once(cli, empty_graph, tmp_path):
    shops = write(tmp_path / "dangerous_goods_shops.csv", SHOPS)
    result = cli(str(shops), str(shops))
    assert result.exit_code == 0, result.output
    assert "skipped, the same path as" in result.output and "imported once" in result.output
    assert "run run-" in result.output and "read 1, loaded 1, rejected 0" in result.output


def test_bulk_goes_with_neither_a_dry_run_nor_force(cli, tmp_path):
    sales = write(tmp_path / "sales.csv", SALES)
    result = cli(str(sales), "--bulk", "--dry-run")
    assert result.exit_code == 2
    assert "--bulk loads an empty store" in result.output


def test_bulk_on_a_store_with_data_is_one_clear_line(cli, gateway, tmp_path):
    sales = write(tmp_path / "shops.csv", SHOPS)
    gateway.write("test.bulk_marker", "MERGE (:ImportRun {run_id: 'test-bulk-refusal'})")
    try:
        result = cli(str(sales), "--bulk")
    finally:
        gateway.write("test.bulk_marker_gone", "MATCH (r:ImportRun {run_id: 'test-bulk-refusal'}) DELETE r")
    assert result.exit_code == 1
    assert "a bulk load replaces the whole database" in result.output and "db wipe --yes" in result.output
    assert "Traceback" not in result.output
    assert gateway.read("test.still_up", "RETURN 1 AS one").records[0]["one"] == 1, "the server keeps running"
