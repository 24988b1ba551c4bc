"""The pipeline: the shipped model loads, builds are deterministic, retraining is reproducible."""

from __future__ import annotations

from dataclasses import replace

import pytest
import srsly

from ingest.extraction.extractor import MODEL_DIR, Extractor, build
from ingest.extraction.gazetteer import Gazetteer
from training import ner as training
from training.corpus import narratives
from training.evaluation import score
from training.recipe import fingerprint, recorded

MAX_MODEL_BYTES = 5_000_000


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.load()


@pytest.fixture(scope="module")
def heldout():
    return narratives("heldout", 40, 4242)


def test_the_shipped_pipeline_is_small_and_loads(extractor):
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < MAX_MODEL_BYTES
    assert extractor.nlp.pipe_names == [
        "gb_words",
        "tok2vec",
        "ner",
        "gb_rules",
        "gb_lexical",
        "gb_gazetteer",
        "gb_merge",
    ]
    assert extractor.nlp.meta["name"] == "goldenbell_case_ner"
    assert extractor.nlp.tokenizer.segmenter == "char"


def test_a_report_yields_every_kind_of_mention(extractor):
    text = (
        "3月4日5时许，报警人陆帆（身份证号332121195005311456，联系电话181 7436 9334）称其车辆浙F·12345"
        "停放在嘉兴市秀洲区新城街道新兴社区世纪名邸2幢楼下被划。"
    )
    found = {(m.text, m.entity_type) for m in extractor.extract(text)}
    assert {
        ("3月4日5时许", "datetime"),
        ("陆帆", "person"),
        ("332121195005311456", "id_number"),
        ("181 7436 9334", "phone"),
        ("浙F·12345", "plate"),
        ("嘉兴市秀洲区新城街道新兴社区世纪名邸2幢", "address"),
    } <= found


def test_building_the_pipeline_twice_gives_the_same_mentions(extractor, heldout):
    again = Extractor.load()
    texts = [r.text for r in heldout]
    assert list(again.extract_many(texts)) == list(extractor.extract_many(texts))


def test_the_gazetteer_finds_known_names_and_addresses_as_written(heldout):
    extractor = Extractor(build(None, lexical=False))  # rules and gazetteer only: what the gazetteer adds
    extractor.use_gazetteer(
        Gazetteer.from_values(["孙萍思"], ["浙江省嘉兴市秀洲区新城街道新兴社区世纪名邸2幢1单元301室"])
    )
    text = "住户孙萍思称，地点在嘉兴市秀洲区新城街道新兴社区世纪名邸2幢。"
    found = {(m.text, m.entity_type, m.key, m.source) for m in extractor.extract(text)}
    assert found == {
        ("孙萍思", "person", "孙萍思", "gazetteer"),
        (
            "嘉兴市秀洲区新城街道新兴社区世纪名邸2幢",
            "address",
            "浙江省嘉兴市秀洲区新城街道新兴社区世纪名邸2幢",
            "gazetteer",
        ),
    }


def test_retraining_with_the_same_seed_gives_the_same_weights_and_scores(heldout):
    reports = training.training_reports(seed=7, count=40)

    def trained():
        nlp = training.train(reports, seed=7, epochs=1)
        extractor = Extractor(build(nlp=nlp))
        scores = score(heldout, list(extractor.extract_many(r.text for r in heldout)))
        return nlp.get_pipe("tok2vec").to_bytes() + nlp.get_pipe("ner").to_bytes(), scores

    first, second = trained(), trained()
    assert first[0] == second[0]
    assert first[1] == second[1]


def test_the_shipped_model_records_the_recipe_the_training_code_gives_today():
    """Training data, features, config and loop unchanged since the shipped model was trained:
    otherwise retrain (`python -m training.train`) and check with `make test-model`."""
    recipe = recorded(srsly.read_json(MODEL_DIR / "meta.json"))
    assert recipe is not None, "the shipped model's meta names no recipe"
    reports = training.training_reports(recipe["seed"], recipe["reports"])
    assert fingerprint(reports, seed=recipe["seed"], epochs=recipe["epochs"]) == recipe["fingerprint"], (
        "the training recipe changed since the shipped model was trained: run python -m training.train, "
        "then make test-model"
    )


def test_a_changed_recipe_gives_another_fingerprint():
    reports = training.training_reports(seed=7, count=20)
    same = fingerprint(reports, seed=7, epochs=1)
    assert fingerprint(reports, seed=7, epochs=1) == same
    assert fingerprint(reports, seed=7, epochs=2) != same
    assert fingerprint(reports[:-1], seed=7, epochs=1) != same
    relabelled = [replace(reports[0], annotations=reports[0].annotations[1:]), *reports[1:]]
    assert fingerprint(relabelled, seed=7, epochs=1) != same


@pytest.mark.model
def test_the_shipped_model_is_what_the_training_script_builds(tmp_path):
    """The default recipe again, scored beside the shipped model on reports of other persons."""
    from training.train import DEV_REPORTS, DEV_SEED_OFFSET, main, ner_scores

    main(["--out", str(tmp_path / "model")])
    dev = narratives("train", DEV_REPORTS, training.DEFAULT_SEED + DEV_SEED_OFFSET)
    retrained = ner_scores(build(tmp_path / "model"), dev)
    shipped = ner_scores(build(MODEL_DIR), dev)
    for label in training.NER_LABELS:
        # equal scores, not equal bytes: another CPU may run other BLAS kernels, which round differently
        assert retrained[label].f1 == pytest.approx(shipped[label].f1, abs=0.01)
