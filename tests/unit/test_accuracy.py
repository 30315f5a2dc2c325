"""Tests of lib.analysis.accuracy: scoring tags against labels, the shipped error counts, and
shares corrected for tagging error (with the simulation of issue 15: known true shares and
error rates, 200 draws, coverage of the corrected and the uncorrected interval)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from lib import paths
from lib.analysis import accuracy
from lib.analysis.accuracy import (
    NOTE_CHANCE,
    NOTE_NO_POSITIVES,
    NOTE_NO_RATES,
    NOTE_NO_SHARE,
    NOTE_UNCERTAIN,
    SCORE_COLUMNS,
    corrected_shares,
    load_tagger_accuracy,
    read_labels,
    reliability_by_city,
    score_counts,
    score_tags,
    score_tags_by_city,
    tag_reliability,
)
from lib.analysis.trends import wilson_interval
from lib.vocabulary import BOTH, NEITHER, get_vocabulary

VOCAB = get_vocabulary()
CITY_A, CITY_B = VOCAB.city_keys[:2]
T1, T2, T3 = VOCAB.topic_keys[:3]


def _row(table: pd.DataFrame, tag: str, value: str) -> pd.Series:
    hit = table[(table["tag"] == tag) & (table["value"] == value)]
    assert len(hit) == 1, (tag, value, table[["tag", "value"]].to_string())
    return hit.iloc[0]


def _counts(row: pd.Series) -> tuple[int, int, int, int]:
    return int(row.tp), int(row.fp), int(row.fn), int(row.tn)


@pytest.fixture
def hand_built() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six articles: what the tagger said, and what a reader labelled."""
    predicted = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d", "e", "f"],
            "region": [CITY_A, CITY_A, CITY_B, BOTH, NEITHER, NEITHER],
            "smart_city": [True, True, True, False, True, False],
            "topics": [(T1,), (T1, T2), (T2,), (), (T1,), ()],
        }
    )
    labelled = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d", "e", "f"],
            "region": [CITY_A, CITY_B, CITY_B, BOTH, NEITHER, CITY_A],
            "smart_city": [True, True, False, True, False, False],
            "topics": [(T1, T3), (T2,), (), (T1,), (), ()],
        }
    )
    return predicted, labelled


def test_score_tags_counts_by_hand(hand_built):
    predicted, labelled = hand_built
    scores = score_tags(predicted, labelled)
    assert list(scores.columns) == list(SCORE_COLUMNS)
    # region, one value against the rest
    assert _counts(_row(scores, "region", CITY_A)) == (1, 1, 1, 3)
    assert _counts(_row(scores, "region", CITY_B)) == (1, 0, 1, 4)
    assert _counts(_row(scores, "region", BOTH)) == (1, 0, 0, 5)
    assert _counts(_row(scores, "region", NEITHER)) == (1, 1, 0, 4)
    # smart_city: a, b right; c, e false alarms; d missed; f right negative
    sc = _row(scores, "smart_city", "true")
    assert _counts(sc) == (2, 2, 1, 1)
    assert sc.precision == pytest.approx(0.5)
    assert sc.recall == pytest.approx(2 / 3) and sc.sensitivity == sc.recall
    assert sc.specificity == pytest.approx(1 / 3)
    assert sc.f1 == pytest.approx(4 / 7)
    assert (sc.n_true, sc.n_pred) == (3, 4)
    # topics over the smart-city-tagged rows a, b, c, e (d, missed, is left out)
    assert _counts(_row(scores, "topic", T1)) == (1, 2, 0, 1)
    assert _counts(_row(scores, "topic", T2)) == (1, 1, 0, 2)
    assert _counts(_row(scores, "topic", T3)) == (0, 0, 1, 3)
    # every vocabulary topic has a row, even the ones nobody used
    assert set(VOCAB.topic_keys) <= set(scores.loc[scores["tag"] == "topic", "value"])
    empty = _row(scores, "topic", VOCAB.topic_keys[-1])
    assert np.isnan(empty.precision) and np.isnan(empty.recall) and np.isnan(empty.f1)


_ARTICLE = st.tuples(
    st.sampled_from(VOCAB.region_keys),
    st.booleans(),
    st.frozensets(st.sampled_from(VOCAB.topic_keys), max_size=3),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_ARTICLE, _ARTICLE), min_size=1, max_size=30))
def test_score_tags_invariants(pairs):
    """On any tables: each row counts every scored article once; the region rows add up to
    the accuracy; topic rows over all articles add up to the micro counts of the sets."""
    ids = [f"id{i}" for i in range(len(pairs))]

    def frame(side: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "article_id": ids,
                "region": [p[side][0] for p in pairs],
                "smart_city": [p[side][1] for p in pairs],
                "topics": [tuple(sorted(p[side][2])) if p[side][1] else () for p in pairs],
            }
        )

    predicted, labelled = frame(0), frame(1)
    scores = score_tags(predicted, labelled, topic_rows="all")
    cells = scores[["tp", "fp", "fn", "tn"]].sum(axis=1)
    assert (cells == len(pairs)).all()
    region = scores[scores["tag"] == "region"]
    assert region["tp"].sum() == (predicted["region"] == labelled["region"]).sum()
    assert region["n_true"].sum() == region["n_pred"].sum() == len(pairs)
    topic = scores[scores["tag"] == "topic"]
    truth, pred = [set(t) for t in labelled["topics"]], [set(t) for t in predicted["topics"]]
    assert topic["tp"].sum() == sum(len(t & p) for t, p in zip(truth, pred))
    assert topic["fp"].sum() == sum(len(p - t) for t, p in zip(truth, pred))
    assert topic["fn"].sum() == sum(len(t - p) for t, p in zip(truth, pred))
    on_flagged = score_tags(predicted, labelled)
    flagged = on_flagged[on_flagged["tag"] == "topic"][["tp", "fp", "fn", "tn"]].sum(axis=1)
    assert (flagged == int(predicted["smart_city"].sum())).all()


def test_score_tags_topics_over_all_rows(hand_built):
    predicted, labelled = hand_built
    scores = score_tags(predicted, labelled, topic_rows="all")
    # d (labelled T1, missed as smart-city) is now a false negative of T1
    assert _counts(_row(scores, "topic", T1)) == (1, 2, 1, 2)
    assert _counts(_row(scores, "topic", T2)) == (1, 1, 0, 4)


def test_score_tags_intervals(hand_built):
    predicted, labelled = hand_built
    scores = score_tags(predicted, labelled)
    for kind in ("precision", "recall"):
        ok = scores[kind].notna()
        low, mid, high = (scores.loc[ok, c] for c in (kind + "_low", kind, kind + "_high"))
        assert ((0 <= low) & (low <= mid) & (mid <= high) & (high <= 1)).all()
        assert scores.loc[~ok, [kind + "_low", kind + "_high"]].isna().all().all()
    sc = _row(scores, "smart_city", "true")
    low, high = proportion_confint(2, 4, alpha=0.05, method="wilson")
    assert (sc.precision_low, sc.precision_high) == pytest.approx((low, high))
    narrow = _row(score_tags(predicted, labelled, alpha=0.5), "smart_city", "true")
    assert sc.precision_low < narrow.precision_low < narrow.precision_high < sc.precision_high


def test_score_tags_missing_labels_and_bad_input(hand_built):
    predicted, labelled = hand_built
    partial = labelled.assign(
        smart_city=[True, None, False, True, False, False],
        region=[CITY_A, "", *labelled.region[2:]],
    )
    scores = score_tags(predicted, partial)
    # b is left out of smart_city and region scores
    assert sum(_counts(_row(scores, "smart_city", "true"))) == 5
    assert sum(_counts(_row(scores, "region", CITY_A))) == 5
    with pytest.raises(ValueError, match="zz"):
        score_tags(predicted, pd.concat([labelled, labelled.head(1).assign(article_id="zz")]))
    with pytest.raises(TypeError, match="read_labels"):
        score_tags(predicted, labelled.assign(topics=[f"{T1}|{T2}"] * 6))
    with pytest.raises(ValueError, match="repeated"):
        score_tags(predicted, pd.concat([labelled, labelled.head(1)]))
    only_smart = score_tags(predicted, labelled[["article_id", "smart_city"]])
    assert set(only_smart["tag"]) == {"smart_city"}


def test_read_labels(tmp_path, hand_built):
    predicted, _ = hand_built
    path = tmp_path / "my_labels.tsv"
    path.write_text(
        "article_id\tregion\tsmart_city\ttopics\tnote\n"
        f"a\t{CITY_A}\ttrue\t{T1}|{T3}\tsynthetic\n"
        f"b\t{CITY_B}\tTRUE\t{T2}\t\n"
        f"c\t{CITY_B}\tfalse\t\t\n"
        f"f\t\t\t\t\n",
        encoding="utf-8",
    )
    labels = read_labels(path)
    # Row f is not labelled at all (smart_city and topics empty): its topics are missing, not
    # "none", so it adds no topic error; row c (not smart-city) has none.
    assert labels["topics"].tolist() == [(T1, T3), (T2,), (), None]
    assert labels["smart_city"].tolist() == [True, True, False, None]
    scores = score_tags(predicted, labels)
    assert sum(_counts(_row(scores, "smart_city", "true"))) == 3
    bad = tmp_path / "bad.tsv"
    bad.write_text("article_id\tsmart_city\nx\tmaybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv: record 1 \(x\)"):
        read_labels(bad)


def test_read_labels_as_spreadsheet_programs_save_them(tmp_path, hand_built):
    """The sheet filled in a spreadsheet and saved as a Korean Windows CSV (CP949), as
    "Unicode text" (UTF-16, tabs), as UTF-8 CSV with BOM or as a workbook: the same labels."""
    import openpyxl

    predicted, _ = hand_built
    rows = [["article_id", "region", "smart_city", "topics", "note"],
            ["a", CITY_A, "TRUE", f"{T1}|{T3}", "세종시 실증 (synthetic)"],
            ["c", CITY_B, "FALSE", "", ""]]
    text = "".join(",".join(r) + "\r\n" for r in rows)
    (tmp_path / "cp949.csv").write_bytes(text.encode("cp949"))
    (tmp_path / "bom.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "unicode.txt").write_bytes(
        "".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16"))
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append([True if c == "TRUE" else False if c == "FALSE" else c for c in r])
    book.save(tmp_path / "sheet.xlsx")
    for name in ("cp949.csv", "bom.csv", "unicode.txt", "sheet.xlsx"):
        labels = read_labels(tmp_path / name)
        assert labels["article_id"].tolist() == ["a", "c"], name
        assert labels["smart_city"].tolist() == [True, False], name
        assert labels["topics"].tolist() == [(T1, T3), ()], name
        assert labels["note"].iloc[0] == "세종시 실증 (synthetic)", name
        assert sum(_counts(_row(score_tags(predicted, labels), "smart_city", "true"))) == 2
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(ValueError, match=r"broken\.xlsx: not a readable workbook"):
        read_labels(tmp_path / "broken.xlsx")


def test_ids_a_spreadsheet_turned_into_numbers_are_named_as_such(hand_built):
    predicted, labelled = hand_built
    bigkinds = predicted.assign(article_id=[f"0110090{i}.2021033015375900{i}" for i in range(6)])
    mangled = labelled.assign(article_id=[f"110090{i}.2021033" for i in range(6)])
    with pytest.raises(ValueError, match="turned the article_id column into numbers"):
        score_tags(bigkinds, mangled)
    # Ids of another corpus, in BigKinds' own form, are not taken for mangled ones.
    other = labelled.assign(article_id=[f"0220090{i}.2021033015375900{i}" for i in range(6)])
    with pytest.raises(ValueError, match="not among the tagged articles") as err:
        score_tags(bigkinds, other)
    assert "numbers" not in str(err.value)
    assert "none of the sheet's ids is an article of this corpus" in str(err.value)
    # One id of the corpus among them: a typo or a deleted row, not a sheet of another corpus.
    ids = [bigkinds["article_id"].iloc[0], *other["article_id"][1:]]
    mixed = other.assign(article_id=ids)
    with pytest.raises(ValueError, match="5 labelled article_id") as err:
        score_tags(bigkinds, mixed)
    assert "another corpus" not in str(err.value)


# --- corrected shares ----------------------------------------------------------------------


def _accuracy(tag: str, value: str, tp: int, fp: int, fn: int, tn: int) -> pd.DataFrame:
    return pd.DataFrame([{"tag": tag, "value": value, "tp": tp, "fp": fp, "fn": fn, "tn": tn}])


def _shares(topics, n_docs, n_total) -> pd.DataFrame:
    n_docs = np.asarray(n_docs)
    n_total = np.asarray(n_total)
    return pd.DataFrame(
        {
            "period": pd.Timestamp("2021-01-01"),
            "region": CITY_A,
            "topic": list(topics),
            "n_docs": n_docs,
            "n_total": n_total,
            "share": np.where(n_total > 0, n_docs / np.maximum(n_total, 1), np.nan),
        }
    )


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(*[st.integers(0, 60)] * 4).filter(lambda c: c[0] + c[2] > 0 and c[1] + c[3] > 0),
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_corrected_interval_holds_its_estimate(rates, observed):
    tp, fp, fn, tn = rates
    n_docs, n_total = observed
    out = corrected_shares(
        _shares([T1], [n_docs], [n_total]), accuracy=_accuracy("topic", T1, *rates), n_boot=200
    ).iloc[0]
    if tp / (tp + fn) + tn / (tn + fp) <= 1:
        assert out.correction_note == NOTE_CHANCE and np.isnan(out.share_corrected)
    elif out.correction_note == NOTE_UNCERTAIN:
        assert np.isnan(out.share_corrected)
        assert (out.ci_low_corrected, out.ci_high_corrected) == (0.0, 1.0)
    else:
        assert 0 <= out.ci_low_corrected <= out.share_corrected <= out.ci_high_corrected <= 1


def test_rogan_gladen_point_estimate():
    # se 0.8, sp 0.9 measured on a huge labelled set: the correction is the formula
    acc = _accuracy("topic", T1, 800_000, 100_000, 200_000, 900_000)
    shares = _shares([T1, T1, T1], [300, 50, 950], [1000, 1000, 1000])
    out = corrected_shares(shares, accuracy=acc, n_boot=500)
    expected = np.clip((shares["share"] + 0.9 - 1) / (0.8 + 0.9 - 1), 0, 1)
    assert out["share_corrected"].to_numpy() == pytest.approx(expected.to_numpy())
    assert out["share_corrected"].tolist()[1:] == [0.0, 1.0]
    assert (out["ci_low_corrected"] <= out["share_corrected"]).all()
    assert (out["share_corrected"] <= out["ci_high_corrected"]).all()
    assert (
        out["ci_low_corrected"].between(0, 1).all() and out["ci_high_corrected"].between(0, 1).all()
    )
    assert out["correction_note"].eq("").all()
    assert out[["sensitivity", "specificity"]].iloc[0].tolist() == pytest.approx([0.8, 0.9])
    # the input columns are kept as they were
    pd.testing.assert_frame_equal(out[shares.columns], shares)


def width(table: pd.DataFrame) -> float:
    return float(table["ci_high_corrected"].iloc[0] - table["ci_low_corrected"].iloc[0])


def test_corrected_interval_grows_with_uncertain_error_rates():
    shares = _shares([T1], [300], [1000])
    precise = corrected_shares(shares, accuracy=_accuracy("topic", T1, 8000, 1000, 2000, 9000))
    rough = corrected_shares(shares, accuracy=_accuracy("topic", T1, 16, 2, 4, 18))
    sampling = np.subtract(*wilson_interval(300, 1000)[::-1]) / (0.8 + 0.9 - 1)
    assert width(precise) == pytest.approx(float(sampling), rel=0.2)
    assert width(rough) > 2 * width(precise)


def test_corrected_shares_notes():
    acc = pd.concat(
        [
            _accuracy("topic", T1, 5, 5, 5, 5),  # se 0.5, sp 0.5: chance
            _accuracy("topic", T2, 0, 3, 0, 10),  # no labelled positives
            _accuracy("topic", T3, 2, 1, 1, 2),  # se = sp = 2/3, but on six rows
        ]
    )
    unknown = VOCAB.topic_keys[3]
    shares = pd.concat(
        [_shares([T1, T2, T3, unknown], [5, 5, 5, 5], [20, 20, 20, 20]), _shares([T3], [0], [0])]
    )
    out = corrected_shares(shares, accuracy=acc).reset_index(drop=True)
    assert out["correction_note"].tolist() == [
        NOTE_CHANCE,
        NOTE_NO_POSITIVES,
        NOTE_UNCERTAIN,
        NOTE_NO_RATES,
        NOTE_NO_SHARE,
    ]
    assert out["share_corrected"].isna().all()  # too uncertain (row 2): no point either
    assert out.loc[[0, 1, 3, 4], ["ci_low_corrected", "ci_high_corrected"]].isna().all().all()
    assert out.loc[2, ["ci_low_corrected", "ci_high_corrected"]].tolist() == [0.0, 1.0]
    with pytest.raises(ValueError, match="several rows"):
        corrected_shares(shares, accuracy=pd.concat([acc, acc]))


def test_a_rows_interval_does_not_depend_on_other_tags():
    acc = pd.concat(
        [_accuracy("topic", T1, 40, 10, 10, 140), _accuracy("topic", T2, 30, 5, 20, 150)]
    )
    both = corrected_shares(_shares([T2, T1], [20, 30], [100, 100]), accuracy=acc)
    alone = corrected_shares(_shares([T1], [30], [100]), accuracy=acc)
    columns = ["share_corrected", "ci_low_corrected", "ci_high_corrected"]
    assert both[columns].iloc[1].tolist() == alone[columns].iloc[0].tolist()


def test_smart_city_share_is_corrected_with_smart_city_rates():
    shares = _shares([T1], [40], [200]).drop(columns="topic")
    acc = pd.concat(
        [_accuracy("smart_city", "true", 900, 50, 100, 950), _accuracy("topic", T1, 1, 1, 1, 1)]
    )
    out = corrected_shares(shares, accuracy=acc, n_boot=500)
    assert out["share_corrected"].iloc[0] == pytest.approx((0.2 + 0.95 - 1) / (0.9 + 0.95 - 1))
    same = corrected_shares(shares, accuracy=acc, n_boot=500)
    pd.testing.assert_frame_equal(out, same)  # seeded: reruns agree
    other = corrected_shares(shares, accuracy=acc, n_boot=500, random_state=1)
    assert other["ci_low_corrected"].iloc[0] != out["ci_low_corrected"].iloc[0]


def test_simulation_corrected_interval_covers_the_true_share(show):
    """Issue 15's check: true shares and error rates are known; each of 200 draws measures
    the error rates on its own labelled set (60 positives, 200 negatives) and observes a
    tagged share of 100-600 articles. The corrected interval must cover the true share in
    >= 90% of the draws; the uncorrected Wilson interval of the tagged share much less."""
    draws = 200
    rng = np.random.default_rng(15)
    truth = rng.uniform(0.05, 0.6, draws)
    se = rng.uniform(0.6, 0.95, draws)
    sp = rng.uniform(0.8, 0.98, draws)
    n_pos, n_neg = 60, 200
    tp = rng.binomial(n_pos, se)
    tn = rng.binomial(n_neg, sp)
    n_total = rng.integers(100, 600, draws)
    n_docs = rng.binomial(n_total, truth * se + (1 - truth) * (1 - sp))
    keys = [f"simulated_topic_{i:03d}" for i in range(draws)]
    acc = pd.DataFrame(
        {"tag": "topic", "value": keys, "tp": tp, "fp": n_neg - tn, "fn": n_pos - tp, "tn": tn}
    )
    shares = _shares(keys, n_docs, n_total)
    shares["ci_low"], shares["ci_high"] = wilson_interval(n_docs, n_total)
    out = corrected_shares(shares, accuracy=acc, random_state=0)
    assert out["correction_note"].eq("").all()
    corrected = ((out["ci_low_corrected"] <= truth) & (truth <= out["ci_high_corrected"])).mean()
    uncorrected = ((out["ci_low"] <= truth) & (truth <= out["ci_high"])).mean()
    show(f"corrected-share simulation ({draws} draws): corrected interval covers the true "
         f"share in {corrected:.1%}, the uncorrected one in {uncorrected:.1%}")
    assert corrected >= 0.90
    assert uncorrected <= corrected - 0.25


# --- the shipped error counts --------------------------------------------------------------


def test_shipped_accuracy_file_is_complete():
    for split in accuracy.SPLITS:
        table = load_tagger_accuracy(split=split)
        assert table.attrs["source"].startswith(f"{split}: ")
        assert set(VOCAB.topic_keys) <= set(table.loc[table["tag"] == "topic", "value"])
        assert set(VOCAB.region_keys) <= set(table.loc[table["tag"] == "region", "value"])
        assert (table["tag"] == "smart_city").sum() == 1
        # one-against-the-rest region rows all count the same labelled rows
        totals = table.loc[table["tag"] == "region", ["tp", "fp", "fn", "tn"]].sum(axis=1)
        assert totals.nunique() == 1
        assert int((table.loc[table["tag"] == "region", "tp"]).sum()) <= int(totals.iloc[0])
    assert "synthetic sample" in accuracy.describe_accuracy(load_tagger_accuracy(), sample=True)


def test_tag_reliability_in_display_order(hand_built):
    predicted, labelled = hand_built
    scores = score_tags(predicted, labelled)
    topics = tag_reliability(scores)
    assert topics["value"].tolist() == list(VOCAB.topic_keys)
    assert topics["label"].tolist() == [VOCAB.topic_label(k) for k in VOCAB.topic_keys]
    first = topics.iloc[0]
    assert (first.n_true, first.n_pred) == (1, 3)
    assert first.precision == pytest.approx(1 / 3) and first.recall == pytest.approx(1.0)
    regions = tag_reliability(scores.drop(columns="precision"), tag="region", lang="en")
    assert regions["value"].tolist() == list(VOCAB.region_keys)
    assert regions["label"].iloc[0] == VOCAB.region_label(CITY_A, lang="en")
    assert regions["precision"].iloc[0] == pytest.approx(0.5)
    shipped = tag_reliability()
    assert shipped.attrs["source"].startswith("holdout: ")


def test_write_keeps_the_date_while_counts_stay(tmp_path):
    counts = pd.DataFrame(
        {"tag": "smart_city", "value": "true", "tp": [5], "fp": [1], "fn": [2], "tn": [30]}
    ).assign(source="holdout: synthetic.tsv 38", date="2026-01-01")
    path = accuracy.write_tagger_accuracy(counts, tmp_path / "acc.tsv")
    accuracy.write_tagger_accuracy(counts.assign(date="2026-02-01"), path)
    assert load_tagger_accuracy(path=path).attrs["date"] == "2026-01-01"
    accuracy.write_tagger_accuracy(counts.assign(date="2026-03-01", tp=6), path)
    again = load_tagger_accuracy(path=path)
    assert again.attrs["date"] == "2026-03-01" and int(again["tp"].iloc[0]) == 6
    with pytest.raises(ValueError, match="no rows for split 'dev'"):
        load_tagger_accuracy(path=path, split="dev")


@pytest.mark.slow
@pytest.mark.parametrize("split_by", ["", "region", "era"])
def test_shipped_accuracy_matches_the_taggers(show, split_by):
    """The shipped counts (pooled, per city and per era) are what the taggers score today on
    the labelled real news: after a change to a tagger, a lexicon or the labels, `make
    accuracy` rewrites them."""
    if not paths.REAL_BIGKINDS_DIR.is_dir():
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    fresh = accuracy.measure_tagger_accuracy(by_city=split_by == "region",
                                             by_era=split_by == "era")
    shipped = pd.read_csv(
        {"": accuracy.ACCURACY_FILE, "region": accuracy.BY_CITY_FILE,
         "era": accuracy.BY_ERA_FILE}[split_by], sep="\t",
        dtype={"value": str, "era": str}, keep_default_na=False
    )
    cols = [split_by] * bool(split_by) + ["tag", "value", "tp", "fp", "fn", "tn", "source"]
    for source, part in fresh.groupby("source", sort=False) if not split_by else ():
        sc = _row(score_counts(part), "smart_city", "true")
        show(f"tagger accuracy on real labelled news, {source}: smart_city "
             f"P {sc.precision:.2f} R {sc.recall:.2f} specificity {sc.specificity:.2f}")
    now = fresh[cols].astype(str).reset_index(drop=True)
    stored = shipped[cols].astype(str).reset_index(drop=True)
    diff = now.merge(stored, how="outer", indicator=True).query("_merge != 'both'")
    assert diff.empty, (
        "lib/resources/tagger_accuracy*.tsv is out of date; run `make accuracy` and commit it:\n"
        + diff.assign(
            _merge=diff["_merge"].map({"left_only": "now", "right_only": "shipped"})
        ).to_string()
    )


def test_two_readers_agreement_is_counted_per_value_and_shown_beside_reliability(tmp_path):
    """``make accuracy`` counts how far the blind second labels agree with the first per tag
    value; ``tag_reliability`` shows the readers' F1 beside each topic (NaN where unmeasured)."""
    topic_a, topic_b = VOCAB.topic_keys[0], VOCAB.topic_keys[1]
    header = "url\toutlet\tdate\tsplit\tregion\tsmart_city\ttopics\tconfidence\ttrap\tnouns\tnote\n"
    first = [("u1", "true", f"{topic_a}|{topic_b}"), ("u2", "true", topic_a),
             ("u3", "false", ""), ("u4", "true", topic_b)]
    (tmp_path / "real_pages.tsv").write_text(header + "".join(
        f"{u}\to\t\tdev\tneither\t{s}\t{t}\thigh\t\t버스:1\tn\n" for u, s, t in first),
        encoding="utf-8")
    second = [("u1", "true", topic_a), ("u2", "true", topic_a), ("u3", "true", topic_b),
              ("u4", "false", "")]
    (tmp_path / "second_labels.tsv").write_text(
        "url\tregion\tsmart_city\ttopics\tconfidence\ttrap\tnote\n" + "".join(
            f"{u}\tneither\t{s}\t{t}\thigh\t\tn\n" for u, s, t in second), encoding="utf-8")
    table = accuracy.measure_label_agreement(tmp_path, date="2026-01-01")
    rows = table.set_index(["tag", "value"])
    # smart-city: first 3 (u1 u2 u4), second 3 (u1 u2 u3), both 2; topics on u1 and u2.
    assert tuple(rows.loc[("smart_city", "true"), ["n_first", "n_second", "n_both"]]) == (3, 3, 2)
    assert tuple(rows.loc[("topic", topic_a), ["n", "n_first", "n_second", "n_both"]]) == (
        2, 2, 2, 2)
    assert tuple(rows.loc[("topic", topic_b), ["n_first", "n_second", "n_both"]]) == (1, 0, 0)
    path = accuracy.write_tagger_accuracy(table, tmp_path / "agree.tsv",
                                          columns=accuracy.READERS_COLUMNS)
    readers = accuracy.load_readers_f1(path)
    assert readers[topic_a] == pytest.approx(1.0) and readers[topic_b] == 0.0
    shown = tag_reliability(readers_file=path).set_index("value")["readers_f1"]
    assert shown[topic_a] == pytest.approx(1.0) and shown[topic_b] == 0.0
    assert shown.drop([topic_a, topic_b]).isna().all()
    assert accuracy.measure_label_agreement(tmp_path / "none") is None
    assert accuracy.load_readers_f1(tmp_path / "missing.tsv") == {}


def test_scores_by_city_add_up_to_the_articles_given_a_city(hand_built):
    predicted, labelled = hand_built
    by_city = score_tags_by_city(predicted, labelled)
    assert list(by_city.columns[:1]) == ["region"] and set(by_city["region"]) == {CITY_A, CITY_B}
    # Each city's rows score only the articles the tagger gives that city.
    given = predicted["region"].isin([CITY_A, CITY_B]).to_numpy()
    pooled = score_tags(predicted[given], labelled[given]).set_index(["tag", "value"])
    summed = by_city.groupby(["tag", "value"])[["tp", "fp", "fn", "tn"]].sum()
    for key in [("smart_city", "true"), ("topic", T1), ("topic", T2)]:
        assert tuple(summed.loc[key]) == tuple(pooled.loc[key, ["tp", "fp", "fn", "tn"]])
    a = by_city[(by_city["region"] == CITY_A) & (by_city["tag"] == "smart_city")].iloc[0]
    assert (a.tp, a.fp, a.fn, a.tn) == (2, 0, 0, 0)  # articles a and b, both smart-city
    with pytest.raises(ValueError, match="not among the tagged"):
        score_tags_by_city(predicted.head(2), labelled)


def test_rates_per_city_correct_each_city_with_its_own():
    counts = pd.DataFrame({"region": [CITY_A, CITY_B], "tag": "topic", "value": T1,
                           "tp": [45, 20], "fp": [5, 5], "fn": [5, 30], "tn": [45, 45]})
    shares = pd.DataFrame({"region": [CITY_A, CITY_B, BOTH], "topic": T1,
                           "n_docs": [40, 40, 40], "n_total": [100, 100, 100],
                           "share": [0.4, 0.4, 0.4]})
    out = corrected_shares(shares, accuracy=counts).set_index("region")
    se_a, sp_a, se_b, sp_b = 45 / 50, 45 / 50, 20 / 50, 45 / 50
    assert out.at[CITY_A, "share_corrected"] == pytest.approx((0.4 + sp_a - 1) / (se_a + sp_a - 1))
    assert out.at[CITY_B, "share_corrected"] == pytest.approx((0.4 + sp_b - 1) / (se_b + sp_b - 1))
    assert out.at[CITY_A, "share_corrected"] < out.at[CITY_B, "share_corrected"]
    assert out.at[BOTH, "correction_note"] == NOTE_NO_RATES
    with pytest.raises(KeyError, match="region column"):
        corrected_shares(shares.drop(columns="region"), accuracy=counts)


def test_reliability_by_city_puts_the_cities_side_by_side():
    shipped = load_tagger_accuracy(by_city=True)
    assert shipped.attrs["source"].endswith("by city")
    table = reliability_by_city(shipped, cities=[CITY_A, CITY_B])
    assert list(table["value"]) == [k for k in VOCAB.topic_keys if k in set(table["value"])]
    name_a = VOCAB.region_label(CITY_A)
    row = shipped[(shipped["region"] == CITY_A) & (shipped["tag"] == "topic")
                  & (shipped["value"] == T1)].iloc[0]
    mine = table.set_index("value").loc[T1]
    assert mine[f"{name_a} n"] == row["n_true"]
    assert mine[f"{name_a} precision"] == pytest.approx(row["precision"])
    with pytest.raises(KeyError, match="region column"):
        reliability_by_city(load_tagger_accuracy())


def test_reliability_by_city_of_the_smart_city_flag():
    counts = pd.DataFrame([
        {"region": city, "tag": tag, "value": value, "tp": tp, "fp": fp, "fn": fn, "tn": 50}
        for city, tag, value, tp, fp, fn in (
            (CITY_A, "smart_city", "true", 90, 10, 10), (CITY_B, "smart_city", "true", 60, 0, 40),
            (CITY_A, "topic", T1, 5, 5, 5), (CITY_B, "topic", T1, 5, 5, 5))])
    table = reliability_by_city(counts, cities=[CITY_A, CITY_B], tag="smart_city", lang="en")
    assert list(table["value"]) == ["true"] and list(table["label"]) == ["smart-city article"]
    row = table.iloc[0]
    name_a, name_b = (VOCAB.region_label(c, lang="en") for c in (CITY_A, CITY_B))
    assert (row[f"{name_a} n"], row[f"{name_b} n"]) == (100, 100)
    assert row[f"{name_a} recall"] == pytest.approx(0.9)
    assert row[f"{name_b} recall"] == pytest.approx(0.6)
    assert row[f"{name_b} precision"] == pytest.approx(1.0)
    assert row[f"{name_a} F1"] == pytest.approx(0.9)
    # The topics' table of the same counts holds no smart-city row.
    assert "true" not in set(reliability_by_city(counts, cities=[CITY_A, CITY_B])["value"])
