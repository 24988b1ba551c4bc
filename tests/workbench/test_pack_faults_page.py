"""The packs page with a faulty pack folder: the page opens, the good queries (the rest of the
faulty pack too) can be picked, and what did not load is listed in Chinese words, as text."""

from __future__ import annotations

from tests.queries.test_pack_faults import BROKEN, MIXED
from tests.workbench.conftest import one_page


def test_the_packs_page_lists_what_did_not_load_and_offers_the_rest(app_env, monkeypatch, tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "mixed.yaml").write_text(MIXED, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setenv("GOLDENBELL_PACKS_DIR", str(folder))
    at = one_page("packs").run()
    assert not at.exception, at.exception
    assert any("2 处查询包错误" in w.value for w in at.warning), [w.value for w in at.warning]
    [faults] = [frame for frame in at.dataframe if "原因" in frame.value.columns]
    assert list(faults.value.columns) == ["文件", "行", "查询", "原因"]
    rows = faults.value.to_dict("records")
    assert {row["文件"] for row in rows} == {"mixed.yaml", "broken.yaml"}
    refused = next(row for row in rows if row["查询"] == "trial.writes")
    assert refused["行"] == "9" and "refused" in refused["原因"]
    assert str(folder) not in str(rows)  # the file's name, not the server's folders
    assert "试验 (trial)" in at.selectbox(key="gb_pack").options
    at.selectbox(key="gb_pack").set_value("trial").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="gb_query").options == ["人员", "号牌"]
