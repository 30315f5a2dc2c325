"""Hand labels for rows of the real BigKinds downloads, joined to the files read in place.

``tests/fixtures/real_bigkinds_labels.tsv`` keeps only a download's file name, a row's
뉴스 식별자 and labels written by reading the row (see ``real_bigkinds_labels.md``); the text
stays in ``../shared/real/bigkinds/`` (``lib.paths.REAL_BIGKINDS_DIR``), and every test here
skips when that folder is absent.

The taggers' scores on these rows are printed for the dev and holdout parts separately, with
the smart-city flags over the whole download set. The asserts check only the label file and
the join: vocabularies, unique ids, topics exactly for smart-city rows, the recorded split,
every labelled id present in the downloads, and every row the selection rules pick labelled.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.tagging import tag_regions, tag_topics
from lib.tagging.labelled import CONFIDENCES, TRAPS
from lib.vocabulary import get_vocabulary

TOPIC_LABELS = get_vocabulary().topic_keys

LABELS = paths.FIXTURES_DIR / "real_bigkinds_labels.tsv"
COLUMNS = [
    "source_file",
    "article_id",
    "region",
    "smart_city",
    "topics",
    "confidence",
    "trap",
    "split",
    "note",
]
REGIONS = {"sejong", "daejeon", "both", "neither"}
MIN_ROWS = 260
#: A row naming either city or one of these terms anywhere is labelled (the selection rule).
SELECTION = re.compile(r"세종|대전|AI|자율주행|모빌리티|데이터|디지털|탄소중립|스마트|플랫폼")
SELECTION_COLUMNS = ["title", "body", "keywords", "features", "places", "categories"]



def _labels(value: str) -> set[str]:
    return set(filter(None, value.split("|")))


def split_of(article_id: str) -> str:
    """``holdout`` for two ids in five by the id's SHA-256, else ``dev`` (the recorded split)."""
    digest = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest(), 16)
    return "holdout" if digest % 5 < 2 else "dev"


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    return pd.read_csv(LABELS, sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tagged() -> pd.DataFrame:
    """Every loaded row of the real downloads with the taggers' decisions and a file-name key."""
    folder = paths.REAL_BIGKINDS_DIR
    files = sorted(folder.glob("*.xlsx")) if folder.exists() else []
    if not files:
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    from lib.corpus import load_corpus

    articles = load_corpus(files).articles
    regions = tag_regions(articles)
    topics = tag_topics(articles)
    return articles.assign(
        file_name=articles["source_file"].map(lambda s: Path(s).name),
        pred_region=regions["region"],
        pred_smart_city=topics["smart_city"].astype(bool),
        pred_topics=topics["topics"],
    )


@pytest.fixture(scope="module")
def joined(labels: pd.DataFrame, tagged: pd.DataFrame) -> pd.DataFrame:
    preds = tagged[["file_name", "article_id", "pred_region", "pred_smart_city", "pred_topics"]]
    out = labels.merge(
        preds,
        left_on=["source_file", "article_id"],
        right_on=["file_name", "article_id"],
        how="left",
        validate="one_to_one",
    )
    return out.assign(true_smart_city=out["smart_city"].eq("true"))


def test_label_file_is_well_formed(labels: pd.DataFrame) -> None:
    """Fixed columns and vocabularies, one row per id, topics exactly for smart-city rows, the
    split as recorded, file names only, and a note on every row."""
    assert list(labels.columns) == COLUMNS
    assert len(labels) >= MIN_ROWS
    assert labels["article_id"].is_unique
    assert labels["article_id"].str.fullmatch(r"\d{8}\.\d{14}\d{3}").all()
    assert not labels["source_file"].str.contains(r"[/\\]").any()
    assert labels["source_file"].str.endswith(".xlsx").all()
    assert set(labels["region"]) <= REGIONS
    assert set(labels["smart_city"]) <= {"true", "false"}
    assert set(labels["confidence"]) <= CONFIDENCES
    assert set(labels["trap"]) <= TRAPS
    for value in labels["topics"]:
        assert _labels(value) <= set(TOPIC_LABELS), value
    assert (labels["topics"].ne("") == labels["smart_city"].eq("true")).all()
    assert (labels["split"] == labels["article_id"].map(split_of)).all()
    assert labels["note"].str.strip().ne("").all()


def test_every_labelled_id_is_a_loaded_row(labels: pd.DataFrame, tagged: pd.DataFrame) -> None:
    """Each labelled (file, id) pair is a row the loader keeps (not a BigKinds reject)."""
    loaded = set(zip(tagged["file_name"], tagged["article_id"]))
    missing = [
        (f, i) for f, i in zip(labels["source_file"], labels["article_id"]) if (f, i) not in loaded
    ]
    assert not missing, missing


def test_every_selected_row_is_labelled(labels: pd.DataFrame, tagged: pd.DataFrame) -> None:
    """Every loaded row naming 세종, 대전 or a listed term in its title, lead, 키워드, 특성추출,
    위치 or categories carries a label."""
    text = tagged[SELECTION_COLUMNS].fillna("").astype(str).agg(" ".join, axis=1)
    selected = tagged.loc[text.str.contains(SELECTION), "article_id"]
    unlabelled = sorted(set(selected) - set(labels["article_id"]))
    assert not unlabelled, unlabelled


def _scores(part: pd.DataFrame) -> str:
    truth, pred = part["true_smart_city"], part["pred_smart_city"]
    tp = int((truth & pred).sum())
    fp = int((~truth & pred).sum())
    fn = int((truth & ~pred).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    right = part["pred_region"] == part["region"]
    by_region = part.assign(right=right).groupby("region")["right"].agg(["sum", "count"])
    per_class = ", ".join(f"{r} {int(s)}/{int(c)}" for r, (s, c) in by_region.iterrows())
    return (
        f"{len(part)} rows: region accuracy {right.mean():.3f} ({per_class}); "
        f"smart_city precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
        f"(tp {tp}, fp {fp}, fn {fn})"
    )


def test_tagger_scores_are_reported(joined: pd.DataFrame, tagged: pd.DataFrame, show) -> None:
    """Prints the scores by part and every smart-city flag on the downloads; asserts only that
    each labelled row received a decision from both taggers."""
    assert joined["pred_region"].notna().all()
    assert joined["pred_smart_city"].notna().all()
    joined = joined.assign(pred_smart_city=joined["pred_smart_city"].astype(bool))
    lines = [
        f"real BigKinds labels, {part}: {_scores(joined[joined['split'] == part])}"
        for part in ("holdout", "dev")
    ]

    flagged = tagged.loc[tagged["pred_smart_city"], ["file_name", "article_id", "pred_topics"]]
    label_of = joined.set_index("article_id")
    unlabelled = [i for i in flagged["article_id"] if i not in label_of.index]
    wrong = [
        i
        for i in flagged["article_id"]
        if i not in unlabelled and label_of.at[i, "smart_city"] == "false"
    ]
    lines.append(
        f"real BigKinds downloads ({len(tagged)} loaded rows): {len(flagged)} smart_city flags, "
        f"{len(wrong)} wrong by the labels, {len(unlabelled)} on unlabelled rows"
    )
    for _, row in flagged.iterrows():
        if row.article_id in label_of.index:
            lab = label_of.loc[row.article_id]
            verdict = f"label {lab['smart_city']}/{lab['region']} ({lab['note']})"
        else:
            verdict = "unlabelled"
        lines.append(f"  flag {row.file_name} {row.article_id} [{'|'.join(row.pred_topics)}]: {verdict}")
    show("\n".join(lines))
