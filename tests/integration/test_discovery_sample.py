"""Keyness, KWIC, discovered topics and bursts on the synthetic sample (against truth.json), the
notebooks 03 and 04 (thin, clean, small), and the same notebooks on real BigKinds downloads
(keyword-only rows), read in place and skipped when absent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from lib import paths, sample
from lib.analysis import bursts, keyness, kwic, topicmodel
from lib.corpus import load_corpus
from lib.present import report
from lib.tagging import tag_articles
from lib.tagging.tokens import token_table
from lib.vocabulary import get_vocabulary

NOTEBOOKS = ("03_keywords_and_keyness.ipynb", "04_discovered_topics_and_events.ipynb")


@pytest.fixture(scope="module")
def sample_data():
    corpus = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True)
    tags = tag_articles(corpus.articles)
    tokens = token_table(tags.articles, progress=False)
    truth = json.loads((paths.SAMPLE_DIR / "truth.json").read_text(encoding="utf-8"))
    return tags, tokens, truth


def test_city_keyness_is_antisymmetric_on_the_sample(sample_data) -> None:
    tags, tokens, _ = sample_data
    a, b = get_vocabulary().compare
    ab = keyness.city_keyness(tags.articles, tokens, pair=(a, b))
    ba = keyness.city_keyness(tags.articles, tokens, pair=(b, a))
    assert len(ab) > 100
    merged = ab.merge(ba, on=["term", "group"], suffixes=("_ab", "_ba"))
    assert len(merged) == len(ab) == len(ba)
    np.testing.assert_allclose(merged["log_odds_ab"], merged["log_odds_ba"], atol=1e-12)
    wide = ab.pivot(index="term", columns="group", values="z")
    np.testing.assert_allclose(wide[a], -wide[b], atol=1e-12)
    # No city name or place of the regions file is a key term.
    assert not set(ab["term"]) & keyness.excluded_terms()


def test_kwic_rows_trace_to_tagged_articles(sample_data) -> None:
    tags, tokens, _ = sample_data
    table = keyness.top_keyness(keyness.city_keyness(tags.articles, tokens), n=3)
    ids = set(tags.articles["article_id"].astype(str))
    for term, examples in zip(table["term"], table["examples"]):
        lines = kwic.kwic(tags, term)
        assert len(lines) > 0 and set(lines["article_id"]) <= ids
        # Each article named as an example is found by KWIC (in its text or its 키워드).
        assert set(examples.split(", ")) <= set(lines["article_id"]), term


@pytest.fixture(scope="module")
def sample_model(sample_data):
    tags, tokens, _ = sample_data
    return topicmodel.TopicModel(random_state=0).fit(tags.articles, tokens)


def test_same_seed_gives_identical_topics(sample_data, sample_model) -> None:
    tags, tokens, _ = sample_data
    again = topicmodel.TopicModel(random_state=0).fit(tags.articles, tokens)
    assert again.k_ == sample_model.k_
    np.testing.assert_array_equal(again.doc_topic_, sample_model.doc_topic_)
    pd.testing.assert_frame_equal(again.top_terms(), sample_model.top_terms())


@pytest.fixture(scope="module")
def planted_model(sample_data):
    """The sample's model with as many topics as the taxonomy plants.

    The number chosen by topic quality (``sample_model``) moves between 8 and 9 when the
    smart-city tagger keeps one article more or less, and with 8 two planted topics must share
    one. So recovering the planted topics is tested at the planted number, and the choice of k
    by ``test_chosen_k_is_near_the_planted_number``."""
    tags, tokens, _ = sample_data
    k = len(get_vocabulary().topic_keys)
    return topicmodel.TopicModel(random_state=0, n_topics=k).fit(tags.articles, tokens)


def test_chosen_k_is_near_the_planted_number(sample_model) -> None:
    planted = len(get_vocabulary().topic_keys)
    assert abs(sample_model.k_ - planted) <= 1, sample_model.coherence_


def test_each_planted_topic_lies_mostly_in_one_discovered_topic(sample_data, planted_model) -> None:
    """Stories with one planted label: the share of each label's stories whose main discovered
    topic is the label's most common one. Stories with 2-3 labels are reported, not tested
    (their main discovered topic is any of their labels')."""
    _, _, truth = sample_data
    by_id = {key.split("#", 1)[1]: entry["topics"] for key, entry in truth["articles"].items()}
    ids = planted_model.articles_["article_id"]
    frame = pd.DataFrame({"found": planted_model.main_topic_,
                          "planted": ids.map(lambda i: by_id.get(i) or [None])})
    single = frame[frame["planted"].map(len) == 1].assign(planted=lambda f: f["planted"].str[0])
    single = single.dropna()
    table = pd.crosstab(single["planted"], single["found"])
    purity = table.max(axis=1) / table.sum(axis=1)
    first = frame.assign(planted=frame["planted"].str[0]).dropna()
    main = pd.crosstab(first["planted"], first["found"])
    print("\nsingle-label purity:", purity.round(2).to_dict())
    print("first-label purity:", (main.max(axis=1) / main.sum(axis=1)).round(2).to_dict())
    assert set(table.index) == set(get_vocabulary().topic_keys)
    assert (purity >= 0.8).all(), purity
    assert table.idxmax(axis=1).nunique() == len(table), "two planted topics share one"


def test_cross_table_puts_each_taxonomy_label_in_its_own_topic(planted_model) -> None:
    cross = planted_model.crosstab()
    labelled = cross[cross["label"] != topicmodel.NO_LABEL]
    best = labelled.loc[labelled.groupby("label")["share"].idxmax()]
    assert (best["share"] >= 0.4).all(), best
    assert best["topic"].nunique() == len(best)


def test_planted_burst_is_found_within_a_month(sample_data) -> None:
    tags, _, truth = sample_data
    planted = [t for t in truth["meta"]["trends"] if t["kind"] == "burst"]
    assert planted and planted[0]["topic"] == sample.BURST_TOPIC
    quarter = pd.Period(sample.BURST_QUARTER, freq="Q")
    first, last = quarter.start_time.normalize(), quarter.end_time.to_period("M").to_timestamp()
    found = bursts.detect_bursts(bursts.monthly_counts(tags.articles))
    mine = found[(found["series"] == sample.BURST_TOPIC) & (found["region"] == sample.BURST_REGION)]
    near = mine[(abs((mine["start"] - first).dt.days) <= 31)
                & (abs((mine["end"] - last).dt.days) <= 31)]
    assert len(near) == 1, mine
    print("\nplanted", sample.BURST_QUARTER, "found",
          near[["start", "end", "strength"]].to_dict("records"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_is_thin_clean_and_small(name: str) -> None:
    path = paths.NOTEBOOKS_DIR / name
    assert path.stat().st_size < 2_000_000
    nb = nbformat.read(path, as_version=4)
    title, question = report.notebook_title_and_question(nb)
    assert title.startswith(name[:2]) and question.endswith("?)")  # Korean, then (English?)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert any("parameters" in c.metadata.get("tags", []) for c in code_cells)
    glyphs = 'filterwarnings("error", message=r"Glyph .* missing")'
    assert any(glyphs in c.source for c in code_cells)
    for cell in code_cells:
        assert len(cell.source.splitlines()) <= 15, cell.source
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            if output.output_type == "stream":
                assert output.name != "stderr", output.text
            text = output.get("text", "") + "".join(
                v for k, v in output.get("data", {}).items() if k.startswith("text/"))
            assert not re.search(r"/(?:work|tmp|home|Users)/|[A-Z]:\\\\", text), text[:200]
    charts = [c for c in code_cells if any(o.get("data", {}).get("image/png")
                                           for o in c.get("outputs", []))]
    assert charts and all("nbval-ignore-output" in c.metadata.get("tags", []) for c in charts)
    assert nb.metadata["kernelspec"] == report.PROJECT_KERNELSPEC


def _real_files() -> list[Path]:
    if not paths.REAL_BIGKINDS_DIR.exists():
        return []
    return sorted(paths.REAL_BIGKINDS_DIR.glob("*.xlsx"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_run_on_keyword_only_bigkinds_downloads(name: str) -> None:
    """Every section runs on real downloads (lead-only bodies, 키워드 lists) or says why not."""
    if not _real_files():
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    nb = report.run_notebook(paths.NOTEBOOKS_DIR / name, corpus=paths.REAL_BIGKINDS_DIR)
    texts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            texts.append(output.get("text", "") + "".join(
                v for k, v in output.get("data", {}).items() if k.startswith("text/")))
    joined = "\n".join(texts)
    assert "리드" in joined  # the lead-only notice is shown
    if name.startswith("03"):
        assert "Too few articles to compare" in joined  # few smart-city articles per city
    else:
        assert "No topic model" in joined or "topics (chosen" in joined


def test_sections_on_keyword_only_rows_say_why() -> None:
    files = _real_files()
    if not files:
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    corpus = load_corpus(files, progress=False, cache=True)
    tags = tag_articles(corpus.articles)
    tokens = token_table(tags.articles, progress=False)
    assert set(tokens["tag"]) == {"KW"}  # every row read from its 키워드 list
    table = keyness.city_keyness(tags.articles, tokens, smart_city_only=False)
    assert table.attrs["n_articles"] and keyness.keyness_notice(table) is not None
    lines = kwic.kwic(tags, "코로나")
    assert len(lines) > 0 and lines["source"].isin(list(kwic.SOURCES.values())).all()
    assert set(lines["source"]) <= {kwic.SOURCES[k] for k in ("title", "lead", "keywords")}
    model, message = topicmodel.fit_topics(tags.articles, tokens)
    assert (model is None) == ("too little text" in message)
    found = bursts.detect_bursts(bursts.monthly_counts(tags.articles))
    assert list(found.columns) == list(bursts.BURST_COLUMNS)


def test_sample_results_hold_no_city_compound_and_no_repeated_burst(sample_data, sample_model
                                                                    ) -> None:
    tags, tokens, _ = sample_data
    table = keyness.city_keyness(tags.articles, tokens)
    names = ("대전", "세종")
    assert not [t for t in table["term"] if t.startswith(names) and len(t) > 3]
    assert sample_model.labels()["n_main"].is_monotonic_decreasing  # T1 has most articles
    hits = bursts.monthly_hits(tags.articles, kind="term", tokens=tokens)
    found = bursts.detect_bursts(bursts.monthly_counts(tags.articles, hits=hits))
    merged = bursts.merge_bursts(found, hits)
    # No two rows of a region are the same articles over the same months.
    same = merged.duplicated(["region", "start", "end", "n_docs", "n_total"], keep=False)
    assert not same.any(), merged[same]
    assert not set(merged["series"]) & {"상반기", "하반기"}
