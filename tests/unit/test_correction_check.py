"""Tests of lib.analysis.correction_check: shares corrected with the other half's error rates,
beside the shares the labels give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis.correction_check import (
    CELL_COLUMNS,
    SMART_CITY,
    correction_check,
    correction_check_text,
    describe_correction_check,
    summarise_correction_check,
)
from lib.vocabulary import get_vocabulary

VOCAB = get_vocabulary()
CITY_A, CITY_B = VOCAB.compare
T1 = VOCAB.topic_keys[0]
#: The true share of T1 among each city's smart-city articles, and the tag's error rates.
TRUE_SHARE = {CITY_A: 0.1, CITY_B: 0.4}
SENSITIVITY, SPECIFICITY = 0.6, 0.9


def _labelled(n_per_city: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tagged and labelled articles of two cities: a fifth not smart-city (the flag never errs),
    and T1 on the smart-city ones at the cities' true shares, tagged with the rates above."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for city in (CITY_A, CITY_B):
        for i in range(n_per_city):
            smart = rng.random() >= 0.2
            has = smart and rng.random() < TRUE_SHARE[city]
            tagged = smart and (rng.random() < SENSITIVITY if has else rng.random() >= SPECIFICITY)
            article_id = f"{city}{i:05d}"
            rows.append((article_id, city, smart, (T1,) if tagged else ()))
            labels.append((article_id, smart, (T1,) if has else ()))
    tagged = pd.DataFrame(rows, columns=["article_id", "region", "smart_city", "topics"])
    return tagged, pd.DataFrame(labels, columns=["article_id", "smart_city", "topics"])


def test_the_correction_takes_away_a_bias_the_tagged_share_carries():
    """Large cells, a tag that errs one way in one city and the other way in the other: the
    tagged share misses the labelled one beyond its interval, the corrected share does not."""
    tagged, labels = _labelled(2500)
    cells = correction_check(tagged, labels, repeats=4, n_boot=500)
    assert list(cells.columns) == list(CELL_COLUMNS)
    t1 = cells[(cells["tag"] == "topic") & (cells["value"] == T1)]
    assert len(t1) == 4 * 2 * 2  # repeats x halves x cities
    summary = summarise_correction_check(t1).set_index("shares")
    raw, fixed = summary.loc["as tagged"], summary.loc["corrected"]
    # The tagged share runs 0.05 high in one city and 0.10 low in the other.
    assert raw["mean_abs_error"] > 0.06 and raw["coverage"] < 0.3
    assert fixed["mean_abs_error"] < raw["mean_abs_error"] / 2
    assert fixed["coverage"] >= 0.85
    # The flag never errs: its corrected share is the tagged one, and both are the labels'.
    flag = cells[cells["tag"] == SMART_CITY]
    assert np.allclose(flag["share_corrected"], flag["labelled_share"])
    assert np.allclose(flag["share"], flag["labelled_share"])


def test_each_labelled_article_is_in_one_half_of_each_split():
    tagged, labels = _labelled(300)
    cells = correction_check(tagged, labels, repeats=3, n_boot=200)
    flag = cells[cells["tag"] == SMART_CITY]
    per_city = flag.groupby(["repeat", "region"])["n_total"].sum()
    assert (per_city == 300).all()
    assert set(flag["half"]) == {0, 1}
    # The splits differ from repeat to repeat, and the same seed gives the same table.
    halves = flag[flag["half"] == 0].groupby("repeat")["n_total"].apply(tuple)
    assert halves.nunique() > 1
    pd.testing.assert_frame_equal(cells, correction_check(tagged, labels, repeats=3, n_boot=200))


def test_small_cells_are_left_out_and_bad_labels_are_named():
    tagged, labels = _labelled(30)
    cells = correction_check(tagged, labels, repeats=1, min_n=12, n_boot=200)
    assert (cells["n_total"] >= 12).all()
    with pytest.raises(KeyError, match="topics"):
        correction_check(tagged, labels.drop(columns="topics"))
    stranger = pd.concat([labels, labels.head(1).assign(article_id="not-tagged")])
    with pytest.raises(ValueError, match="not-tagged"):
        correction_check(tagged, stranger)
    with pytest.raises(ValueError, match="two halves"):
        correction_check(tagged, labels.head(3))


def test_rows_of_a_sheet_left_blank_are_not_read_as_smart_city():
    tagged, labels = _labelled(200)
    blank = labels.astype({"smart_city": object})
    blank.loc[blank.index[::3], "smart_city"] = None
    blank.loc[blank.index[::3], "topics"] = None
    cells = correction_check(tagged, blank, repeats=2, n_boot=200)
    flag = cells[cells["tag"] == SMART_CITY]
    assert (flag.groupby(["repeat", "region"])["n_total"].sum() < 200).all()
    # The flag never errs, so on the labelled rows the two shares agree exactly.
    assert np.allclose(flag["share"], flag["labelled_share"])


def test_the_description_says_which_way_the_correction_went():
    tagged, labels = _labelled(2500)
    large = summarise_correction_check(correction_check(tagged, labels, repeats=2, n_boot=300))
    assert "The corrected shares lay nearer the labelled ones." in describe_correction_check(large)
    noisy = large.copy()
    noisy.loc[noisy["shares"] == "corrected", "mean_abs_error"] = 0.5
    text = describe_correction_check(noisy, own_labels=True)
    assert "Checked on your own labels" in text and "not its point" in text
    assert text.startswith("보정 점검:")
    assert "no check of the correction" in describe_correction_check(None)


def test_the_notebook_text_reads_a_sheet_or_the_shipped_check(tmp_path):
    tagged, labels = _labelled(200)
    sheet = tmp_path / "labels.tsv"
    labels.assign(smart_city=labels["smart_city"].map({True: "true", False: "false"}),
                  topics=labels["topics"].map("|".join)).to_csv(sheet, sep="\t", index=False)
    assert "Checked on your own labels" in correction_check_text(tagged, sheet)
    assert "Checked on held-out real news" in correction_check_text(tagged, None)
    labels.head(3).to_csv(sheet, sep="\t", index=False)
    assert "no check of the correction" in correction_check_text(tagged, sheet)
    labels.drop(columns="topics").to_csv(sheet, sep="\t", index=False)
    assert "smart_city와 topics 열" in correction_check_text(tagged, sheet)
