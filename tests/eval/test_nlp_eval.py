"""How well region attribution and topic tagging agree with labelled data.

- the synthetic sample (data/sample + truth.json): region accuracy >= 0.97, smart-city F1 >= 0.95,
  topic micro-F1 >= 0.90 (see SAMPLE_SMART_CITY_F1_FLOOR);
- the invented hard cases (tests/fixtures/hard_cases.tsv): every region decision right;
- real pages labelled by hand, development split (every ``tests/fixtures/real_pages*.tsv`` file,
  rows with ``split`` = ``dev``; see ``real_pages.md``): region accuracy >= 0.90 and smart-city
  F1 >= 0.92 (the smart-city model is fitted on these rows: this floor guards the fit, the
  held-out split in ``test_real_holdout.py`` measures it). Those rows carry Kiwi noun counts only, so they are fed to the taggers as
  keyword-only rows (BigKinds style: no body, the nouns as 키워드). The held-out split is scored
  in ``test_real_holdout.py``.

The scores are printed (visible in the test log) as well as asserted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd
import pytest

from lib import paths
from lib.corpus.truth import truth_of
from lib.tagging.labelled import articles_from_nouns, page_id
from lib.tagging.regions import tag_regions
from lib.tagging.topics import tag_topics
from lib.vocabulary import get_vocabulary
from tests.unit.test_regions import _hard_cases, hard_case_articles

TRUTH = paths.SAMPLE_DIR / "truth.json"
REAL_PAGES_GLOB = "real_pages*.tsv"
REAL_PAGES_COLUMNS = [
    "url",
    "outlet",
    "date",
    "split",
    "region",
    "smart_city",
    "topics",
    "confidence",
    "trap",
    "nouns",
    "note",
]
SPLITS = ("dev", "holdout")
DEV_REGION_ACCURACY_FLOOR = 0.90
#: The shipped model is fitted on all 2,012 dev articles (the scaled features, C 3), so on the
#: dev pages its F1 is an in-sample figure (0.998; its cross-validated F1 there is 0.898): this floor
#: only guards against a broken model or dev rows, the held-out part measures it.
DEV_SMART_CITY_F1_FLOOR = 0.95
#: Dev pages labelled after the models' fit are out of sample for them: a guard, not a goal
#: (the twelfth round's 141 pages measure 0.863; the held-out ninth round 0.839).
LATER_DEV_SMART_CITY_F1_FLOOR = 0.80
#: Issue 15's floors on the sample are 0.97 / 0.95 / 0.90. Since generator 1.1.0 the sample's
#: truth follows the labelling rules of real news (conventional regeneration or housing stories that
#: name 스마트시티 once are not smart-city news), and smart-city F1 holds at 0.95 (measured 0.965
#: with the model on the scaled features, 0.957 before).
#: Topic micro-F1 measures 0.919 (0.914 with the model before; stories about a smart crosswalk
#: carry mobility as well since generator 1.2.0; the misses left are second topics on
#: housing and budgets that the lexicon does not reach). Generator 1.3.0 (smart-city stories in
#: the vocabulary of real coverage) and the models fitted on the sixth round's 939 dev articles:
#: 0.987 / 0.966 / 0.907 (the models before measured 0.987 / 0.972 / 0.932 on that sample); the
#: models fitted on the eighth round's 1,635 dev articles 0.987 / 0.951 / 0.904, and 0.907 with
#: the topic model's noun component; the models fitted on all 2,012 dev articles of the eleventh
#: round 0.987 / 0.951 / 0.900.
SAMPLE_SMART_CITY_F1_FLOOR = 0.95
SAMPLE_TOPIC_F1_FLOOR = 0.90


def _f1(truth: pd.Series, pred: pd.Series) -> float:
    tp = int((truth & pred).sum())
    fp = int((~truth & pred).sum())
    fn = int((truth & ~pred).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0



@pytest.fixture(scope="module")
def sample():
    if not TRUTH.exists():
        pytest.skip("no synthetic sample with truth.json")
    from lib.corpus import load_corpus

    articles = load_corpus(paths.SAMPLE_DIR).articles
    truth = truth_of(articles)
    tagged = articles.join(tag_regions(articles)).join(tag_topics(articles))
    tagged["true_region"] = truth["region"]
    tagged["true_smart_city"] = truth["smart_city"]
    tagged["true_topics"] = truth["topics"].map(frozenset)
    return tagged


def test_sample_region_accuracy(sample, show):
    acc = (sample["region"] == sample["true_region"]).mean()
    show(f"sample region accuracy {acc:.3f} on {len(sample)} articles")
    wrong = sample.loc[
        sample["region"] != sample["true_region"], ["title", "true_region", "region"]
    ]
    assert acc >= 0.97, wrong.head(10).to_string()


def test_sample_smart_city_f1(sample, show):
    f1 = _f1(sample["true_smart_city"], sample["smart_city"])
    show(f"sample smart_city F1 {f1:.3f}")
    assert f1 >= SAMPLE_SMART_CITY_F1_FLOOR


def test_sample_topic_micro_f1(sample, show):
    tp = fp = fn = 0
    for pred, true in zip(sample["topics"], sample["true_topics"]):
        got = set(pred)
        tp += len(got & true)
        fp += len(got - true)
        fn += len(true - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    show(f"sample topic micro-F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert f1 >= SAMPLE_TOPIC_F1_FLOOR


def test_hard_cases_all_regions_right(show):
    cases = _hard_cases()
    got = tag_regions(hard_case_articles(cases))
    right = got["region"].to_numpy() == cases["expected_region"].to_numpy()
    show(f"hard cases: {right.sum()}/{len(cases)} region decisions right")
    assert right.all(), list(cases.loc[~right, "case"])


def real_pages_files() -> list[Path]:
    """Every labelled real-page table: ``tests/fixtures/real_pages*.tsv``, sorted by name."""
    return sorted(paths.FIXTURES_DIR.glob(REAL_PAGES_GLOB))


def load_real_pages(split: Optional[str] = None) -> pd.DataFrame:
    """All rows of every ``real_pages*.tsv`` file as strings, with a ``source`` column (the file
    name). ``split`` keeps only ``dev`` or ``holdout`` rows; ``None`` keeps all. Raises
    ``ValueError`` naming the file when its header is not ``REAL_PAGES_COLUMNS``."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    frames = []
    for path in real_pages_files():
        rows = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
        if list(rows.columns) != REAL_PAGES_COLUMNS:
            raise ValueError(
                f"{path.name}: columns {list(rows.columns)}, expected {REAL_PAGES_COLUMNS}"
            )
        frames.append(rows.assign(source=path.name))
    if not frames:
        return pd.DataFrame(columns=REAL_PAGES_COLUMNS + ["source"])
    rows = pd.concat(frames, ignore_index=True)
    if split is not None:
        rows = rows[rows["split"] == split].reset_index(drop=True)
    return rows


def real_eval_articles(rows: pd.DataFrame) -> pd.DataFrame:
    """Keyword-only articles built from ``nouns``, with their outlet, as every labelled page is
    read (``lib.tagging.labelled.articles_from_nouns``)."""
    return articles_from_nouns(rows["nouns"].tolist(), [f"real{i:04d}" for i in range(len(rows))],
                               outlet=rows["outlet"].tolist())


def real_page_scores(rows: pd.DataFrame) -> dict:
    """Region accuracy, smart_city precision/recall/F1 and topic micro-F1 of the taggers on
    labelled real-page rows fed as keyword-only articles; ``wrong_region`` and
    ``wrong_smart_city`` list the misclassified rows (url, gold, predicted, note)."""
    articles = real_eval_articles(rows)
    regions = tag_regions(articles)["region"].to_numpy()
    topics = tag_topics(articles)
    pred_smart = topics["smart_city"].to_numpy().astype(bool)
    true_smart = rows["smart_city"].str.lower().eq("true").to_numpy()
    right = regions == rows["region"].to_numpy()
    tp = int((true_smart & pred_smart).sum())
    fp = int((~true_smart & pred_smart).sum())
    fn = int((true_smart & ~pred_smart).sum())
    ttp = tfp = tfn = 0
    # The same counts over the pages the label and the tagger both call smart-city: what the
    # two readers' topic agreement (the ceiling, second_labels.tsv) is measured on.
    both = [0, 0, 0]
    per_topic = {key: [0, 0, 0] for key in get_vocabulary().topic_keys}
    for pred, true, agree in zip(topics["topics"], rows["topics"], true_smart & pred_smart):
        got = set(pred)
        want = set(filter(None, true.split("|")))
        ttp += len(got & want)
        tfp += len(got - want)
        tfn += len(want - got)
        if agree:
            both[0] += len(got & want)
            both[1] += len(got - want)
            both[2] += len(want - got)
        for key, counts in per_topic.items():
            counts[0] += key in got and key in want
            counts[1] += key in got and key not in want
            counts[2] += key in want and key not in got
    by_region = (
        pd.DataFrame({"region": rows["region"].to_numpy(), "right": right})
        .groupby("region")["right"]
        .agg(["sum", "count"])
    )
    return {
        "n": len(rows),
        "region_accuracy": float(right.mean()),
        "region_by_class": ", ".join(
            f"{r} {int(k)}/{int(c)}" for r, (k, c) in by_region.iterrows()
        ),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "smart_city_f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "topic_micro_f1": 2 * ttp / (2 * ttp + tfp + tfn) if ttp else 0.0,
        "topic_counts": (ttp, tfp, tfn),
        "topic_counts_by_topic": {k: tuple(c) for k, c in per_topic.items()},
        "topic_micro_f1_both_smart": 2 * both[0] / (2 * both[0] + both[1] + both[2])
        if both[0] else 0.0,
        "topic_counts_both_smart": tuple(both),
        "wrong_region": rows.loc[~right, ["url", "region", "note"]].assign(
            predicted=regions[~right]
        ),
        "wrong_smart_city": rows.loc[true_smart != pred_smart, ["url", "smart_city", "note"]],
    }


def format_real_page_scores(label: str, scores: dict) -> str:
    """One printable block of ``real_page_scores`` for the test log."""
    ttp, tfp, tfn = scores["topic_counts"]
    bt, bf, bn = scores["topic_counts_both_smart"]
    return (
        f"{label} ({scores['n']} rows): region accuracy {scores['region_accuracy']:.3f} "
        f"({scores['region_by_class']}); smart_city precision {scores['precision']:.3f}, "
        f"recall {scores['recall']:.3f}, F1 {scores['smart_city_f1']:.3f} "
        f"(tp {scores['tp']}, fp {scores['fp']}, fn {scores['fn']}); "
        f"topic micro-F1 {scores['topic_micro_f1']:.3f} (tp {ttp}, fp {tfp}, fn {tfn}); "
        f"on the {scores['tp']} pages both the label and the tagger call smart-city "
        f"{scores['topic_micro_f1_both_smart']:.3f} "
        f"(tp {bt}, fp {bf}, fn {bn}; the readers' ceiling is measured so)\n"
        "  per topic F1 (precision/recall): "
        + ", ".join(
            f"{key} {2 * tp / (2 * tp + fp + fn) if tp else 0.0:.2f} "
            f"({tp / (tp + fp) if tp + fp else 0.0:.2f}/{tp / (tp + fn) if tp + fn else 0.0:.2f})"
            for key, (tp, fp, fn) in scores["topic_counts_by_topic"].items()
        )
    )


def test_real_pages_dev(show):
    """Development split of the labelled real pages (settings may have been chosen on it)."""
    rows = load_real_pages("dev")
    if rows.empty:
        pytest.skip("no tests/fixtures/real_pages*.tsv with dev rows")
    scores = real_page_scores(rows)
    show(format_real_page_scores("real pages, dev split", scores))
    wrong_region = scores["wrong_region"].to_string()
    assert scores["region_accuracy"] >= DEV_REGION_ACCURACY_FLOOR, wrong_region
    wrong_smart_city = scores["wrong_smart_city"].to_string()
    assert scores["smart_city_f1"] >= DEV_SMART_CITY_F1_FLOOR, wrong_smart_city


def test_real_pages_dev_labelled_after_the_fit(show):
    """Dev pages labelled after the shipped models were fitted (``make train`` leaves them out:
    ``lib.tagging.train.training_data``) are out of sample for the models, though the region
    rules may have been set on them. The twelfth round's 141 pages measure 0.979 / 0.863 /
    0.699 with the eleventh round's models (region 0.972 before the home outlets)."""
    from lib.tagging import train

    rows = load_real_pages("dev")
    fitted = set(train.training_data()[0]["article_id"])
    later = rows[[page_id(u) not in fitted for u in rows["url"]]].reset_index(drop=True)
    if later.empty:
        pytest.skip("every dev page is in the models' fit")
    scores = real_page_scores(later)
    show(format_real_page_scores("real pages, dev, labelled after the fit", scores))
    assert scores["region_accuracy"] >= DEV_REGION_ACCURACY_FLOOR, scores["wrong_region"]
    assert scores["smart_city_f1"] >= LATER_DEV_SMART_CITY_F1_FLOOR, scores["wrong_smart_city"]


def test_seed_page_is_a_sejong_smart_city_story():
    if not paths.SEEDS_DIR.exists():
        pytest.skip("seed page not present")
    from lib.corpus import load_corpus

    articles = load_corpus(paths.SEEDS_DIR).articles
    assert len(articles) >= 1
    seed = articles.iloc[[0]]
    region = tag_regions(seed).iloc[0]
    topics = tag_topics(seed).iloc[0]
    assert region.region == "sejong", region.region_evidence
    assert topics.smart_city
    assert "pilot_city" in topics.topics, topics.topic_evidence


def test_real_bigkinds_downloads(tmp_path, monkeypatch, show):
    """Real BigKinds downloads (COVID-era general news): few smart-city stories, headlines
    opening with 대전 under a 지역>대전 category attributed to Daejeon, keyword token tables."""
    if not paths.REAL_BIGKINDS_DIR.exists():
        pytest.skip("real BigKinds downloads not present")
    from lib.tagging import tokens as nlp
    from lib.corpus import load_corpus

    articles = load_corpus(paths.REAL_BIGKINDS_DIR).articles
    regions = tag_regions(articles)
    topics = tag_topics(articles)
    assert set(regions["region"]) <= {"sejong", "daejeon", "both", "neither"}
    share = topics["smart_city"].mean()
    flagged = articles.loc[topics["smart_city"], "article_id"]
    show(
        f"real BigKinds ({len(articles)} rows): smart_city share {share:.3f} ({len(flagged)} flagged)",
    )
    # Read by hand (tests/fixtures/real_bigkinds_labels.tsv): of the 1,226 rows, only the
    # Incheon living-lab story (스마트도시 리빙랩 공모) is about smart-city work; the rest mention
    # AI, CCTV or 탄소중립 in passing. It must be found, and nothing else flagged.
    assert set(flagged) == {"01100901.20210330153759001"}
    headline = articles["title"].str.startswith("대전") & articles["categories"].str.contains(
        "지역>대전", regex=False
    )
    assert headline.sum() >= 3
    # A column on Britain whose 키워드 hold 세계대전 split as "…,대전,…" twice among 579
    # keywords (and BigKinds' 위치 lists 대전 too): not about Daejeon.
    column = articles["article_id"] == "01100801.20210330001556001"
    assert column.sum() == 1 and (regions.loc[column, "region"] == "neither").all()
    # A headline can open a Chungcheong roundup (대전 충남 세종도 …): Daejeon or both.
    assert regions.loc[headline, "region"].isin(["daejeon", "both"]).all()
    assert (regions.loc[headline, "region"] == "daejeon").mean() > 0.5

    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path)
    table = nlp.token_table(articles.head(50), progress=False)
    assert set(table["tag"]) == {nlp.KEYWORD_TAG}
    assert table["article_id"].nunique() == articles.head(50)["article_id"].nunique()
