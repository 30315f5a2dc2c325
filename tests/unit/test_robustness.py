"""The findings at a glance: each significant difference and trend with the checks it passes.
Simulated articles (synthetic) where it is known which check a finding should fail."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lib.analysis import accuracy, outlets, robustness
from lib.analysis import topic_trends as tt
from tests.unit.test_corrected_difference import labelled_counts, tagged_cities
from tests.unit.test_outlet_trends import simulated


def cities_and_both(rng: np.random.Generator, *, n_both: int) -> pd.DataFrame:
    """Sejong 200 articles at 45% mobility, Daejeon 200 at 20%, from 10 outlets each, dated
    over four years, and ``n_both`` articles about both cities at 20% (synthetic)."""
    parts = []
    for region, share, count in (("sejong", 0.45, 200), ("daejeon", 0.2, 200),
                                 ("both", 0.2, n_both)):
        hits = rng.random(count) < share
        parts.append(pd.DataFrame({
            "region": region, "outlet": [f"합성일보{i % 10:02d}" for i in range(count)],
            "published": pd.Timestamp("2020-01-01") + pd.to_timedelta(
                rng.integers(0, 4 * 365, count), unit="D"),
            "topics": [("mobility",) if h else () for h in hits]}))
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(article_id=[f"r{i}" for i in range(len(frame))], smart_city=True,
                        is_duplicate=False)


def test_a_difference_the_both_city_articles_dilute_fails_that_check():
    rng = np.random.default_rng(1)
    few = robustness.robustness(cities_and_both(rng, n_both=10), freq="YS")
    many = robustness.robustness(cities_and_both(rng, n_both=8000), freq="YS")
    def row(table: pd.DataFrame) -> pd.Series:
        return table[(table["kind"] == "difference") & (table["topic"] == "mobility")].iloc[0]

    assert bool(row(few)["other_both_rule"])
    assert not bool(row(many)["other_both_rule"])
    for table in (few, many):
        first = row(table)
        assert pd.isna(first["within_outlets"]) and pd.isna(first["other_period"])
        assert pd.isna(first["outlets"]) and pd.isna(first["tag_error"])  # no tables given
        assert first["checked"] == 1 and first["passed"] == int(bool(first["other_both_rule"]))


def test_the_checks_read_the_outlet_and_correction_tables():
    rng = np.random.default_rng(5)
    sejong = simulated(rng, extra=(0, 25, 0.08, 1.6))           # a trend one outlet makes
    daejeon = simulated(rng, n_outlets=20, slope=0.45, beat=0.4).assign(region="daejeon")
    tagged = pd.concat([sejong, daejeon], ignore_index=True)
    tagged["article_id"] = [f"c{i}" for i in range(len(tagged))]
    trends = outlets.outlet_trend_check(tagged, freq="QS", topics=["mobility"])
    table = robustness.robustness(tagged, freq="QS", outlet_trends=trends)
    got = table[table["kind"] == "trend"].set_index("region")
    assert not bool(got.loc["sejong", "outlets"]) and bool(got.loc["daejeon", "outlets"])
    assert bool(got.loc["daejeon", "within_outlets"])
    assert bool(got.loc["daejeon", "other_period"])  # a steady trend holds by half-years too
    assert pd.isna(got.loc["daejeon", "tag_error"])
    assert table.attrs["other_freq"] == "6MS"
    assert got.loc["daejeon", "estimate"] == pytest.approx(
        tt.trend_test(tagged, freq="QS", regions=["sejong", "daejeon"]).set_index(
            ["region", "topic"]).loc[("daejeon", "mobility"), "slope"])

    made = tagged_cities(np.random.default_rng(2), truth=(0.3, 0.3))
    corrected = accuracy.corrected_difference(
        tt.compare_regions(made, freq="all", topics=["mobility"]),
        accuracy=labelled_counts(np.random.default_rng(3), per_city=300))
    checked = robustness.robustness(made, freq="YS", corrected_differences=corrected)
    difference = checked[checked["kind"] == "difference"].iloc[0]
    assert not bool(difference["tag_error"]) and difference["checked"] == 2


def test_a_correction_that_cannot_be_made_is_marked_cannot_tell_not_failed():
    made = tagged_cities(np.random.default_rng(2), truth=(0.3, 0.3))
    corrected = accuracy.corrected_difference(
        tt.compare_regions(made, freq="all", topics=["mobility"]),
        accuracy=labelled_counts(np.random.default_rng(3), per_city=300))
    # rates too uncertain: no corrected point, the interval -1 to 1 (accuracy.NOTE_DIFF_UNCERTAIN)
    unsure = corrected.assign(diff_corrected=np.nan, ci_low_corrected=-1.0,
                              ci_high_corrected=1.0, holds_corrected=False)
    for table, mark in ((corrected, "✗"), (unsure, "?")):
        checked = robustness.robustness(made, freq="YS", corrected_differences=table)
        row = checked[checked["kind"] == "difference"].iloc[0]
        assert not bool(row["tag_error"]) and row["checked"] == 2  # not passed, either way
        assert row["undecided"] == ("tag_error" if mark == "?" else "")
        view = robustness.robustness_view(checked).iloc[0]
        assert view["태그 오류 보정"] == mark
        other_fails = int(row["passed"]) == 0  # the both-city rule: the one other check
        expected = {("?", False): "점검 1개 판단 불가", ("?", True): "점검 1개 실패, 1개 판단 불가",
                    ("✗", False): "점검 1개 실패", ("✗", True): "점검 2개 실패"}
        assert view["판정"] == expected[(mark, other_fails)]
    english = robustness.robustness_view(checked, lang="en").iloc[0]
    assert "cannot tell" in english["verdict"]


def test_the_view_marks_each_check_and_counts_them():
    rng = np.random.default_rng(1)
    table = robustness.robustness(cities_and_both(rng, n_both=3000), freq="YS")
    view = robustness.robustness_view(table)
    # only the checks asked of some finding are columns: here the both-city rule alone
    assert list(view.columns) == ["발견", "판정", "통과", "동시 언급 기사 재분류"]
    first = view.iloc[0]
    assert first["발견"].startswith("세종 − 대전 모빌리티·교통 +") and first["발견"].endswith("%p)")
    assert "(95% 신뢰구간 " in first["발견"]
    assert first["동시 언급 기사 재분류"] == "✗"
    assert first["통과"] == "0/1" and first["판정"] == "점검 1개 실패"
    english = robustness.robustness_view(table, lang="en")
    assert english.iloc[0]["finding"].endswith("]") and " points [" in english.iloc[0]["finding"]
    assert english.iloc[0]["passed"] == "0/1" and english.iloc[0]["verdict"] == "fails 1 check"


def test_the_view_puts_the_findings_that_pass_every_check_first():
    """Three findings (hand-made rows of ``robustness``'s table): the trend that passes all it
    was asked comes first, then the one passing 2 of 3, then 0 of 1; its line gives the
    fitted shares, the odds ratio and its interval."""
    rows = [
        {"kind": "difference", "region": "sejong-daejeon", "topic": "mobility",
         "estimate": 0.12, "ci_low": 0.05, "ci_high": 0.19, "outlets": False},
        {"kind": "difference", "region": "sejong-daejeon", "topic": "data_ai",
         "estimate": -0.2, "ci_low": -0.3, "ci_high": -0.1, "outlets": True,
         "tag_error": False, "other_both_rule": True},
        {"kind": "trend", "region": "daejeon", "topic": "data_ai", "estimate": math.log(1.4),
         "ci_low": math.log(1.17), "ci_high": math.log(1.67), "share_start": 0.12,
         "share_end": 0.62, "outlets": True, "tag_error": True},
    ]
    table = pd.DataFrame(rows, columns=list(robustness.ROBUSTNESS_COLUMNS))
    for check in robustness.CHECKS:
        table[check] = table[check].astype("boolean")
    table["passed"] = table[list(robustness.CHECKS)].sum(axis=1).astype(int)
    table["checked"] = table[list(robustness.CHECKS)].notna().sum(axis=1).astype(int)
    view = robustness.robustness_view(table)
    assert view["통과"].tolist() == ["2/2", "2/3", "0/1"]
    assert view["판정"].tolist() == ["모든 점검 통과", "점검 1개 실패", "점검 1개 실패"]
    assert view["발견"].iloc[0] == ("대전 데이터·AI 증가 (12% → 62%, 연간 오즈비 1.40, "
                                    "95% 신뢰구간 1.17~1.67)")
    assert view["발견"].iloc[1] == "세종 − 대전 데이터·AI −20%p (95% 신뢰구간 −30~−10%p)"
    assert "다른 기간 단위" not in view.columns and "태그 오류 보정" in view.columns


def test_the_other_period_length():
    assert robustness.other_freq("QS") == "6MS" and robustness.other_freq("MS") == "QS"
    assert robustness.other_freq("YS") == "6MS" and robustness.other_freq("2QS") is None
    with pytest.raises(ValueError, match="period length"):
        robustness.robustness(cities_and_both(np.random.default_rng(1), n_both=0), freq="all")


def test_the_findings_show_the_glance_table_under_the_sentences():
    tagged = cities_and_both(np.random.default_rng(1), n_both=0)
    found = tt.findings(tagged, freq="YS")
    view = robustness.robustness_view(robustness.robustness(tagged, freq="YS"))
    shown = found.with_glance(view)
    assert found.glance is None and "한눈에" not in found._repr_html_()
    html = shown._repr_html_()
    assert "At a glance" in html and "세종 − 대전 모빌리티·교통" in html and "<table" in html
    assert "(✓ 통과, ✗ 실패, ? 판단 불가, – 점검 안 함)" in html  # the marks, in Korean first
    assert shown.ko == found.ko and "한눈에 보기" in str(shown)


def test_a_difference_the_editorials_make_fails_on_news_stories_alone():
    """Sejong's news and Daejeon's write 20% on the topic; 80 Sejong editorials write 90%:
    the difference is significant with them and not without (synthetic)."""
    rng = np.random.default_rng(3)
    tagged = cities_and_both(rng, n_both=0)
    tagged["topics"] = [("mobility",) if h else () for h in rng.random(len(tagged)) < 0.2]
    tagged["title"] = "합성 기사"
    editorials = tagged[tagged["region"] == "sejong"].head(80).assign(
        title="[사설] 합성 사설", topics=[("mobility",) if h else () for h in
                                       rng.random(80) < 0.9])
    editorials["article_id"] = [f"e{i}" for i in range(80)]
    table = robustness.robustness(pd.concat([tagged, editorials], ignore_index=True),
                                  freq="YS")
    row = table[table["kind"] == "difference"].iloc[0]
    assert row["topic"] == "mobility" and row["estimate"] > 0
    assert not bool(row["news_only"]) and table.attrs["not_news"] == 80
    plain = robustness.robustness(tagged, freq="YS")
    assert plain["news_only"].isna().all() and plain.attrs["not_news"] == 0


def test_with_no_finding_the_glance_says_so():
    tagged = cities_and_both(np.random.default_rng(1), n_both=0)
    tagged["topics"] = [()] * len(tagged)
    table = robustness.robustness(tagged, freq="YS")
    assert table.empty and list(table.columns) == list(robustness.ROBUSTNESS_COLUMNS)
    shown = tt.findings(tagged, freq="YS").with_glance(robustness.robustness_view(table))
    assert tt.NO_FINDINGS in str(shown) and "<table" not in shown._repr_html_()
    assert "점검할 발견이 없습니다" in shown._repr_html_()


def test_too_few_outlets_to_cluster_cannot_tell_for_a_difference_and_a_trend_alike():
    """With three outlets neither outlet check can be made: a difference and a trend are both
    marked ? (asked, cannot tell), neither passed, rather than ✗ for one and – for the other."""
    rng = np.random.default_rng(7)
    sejong = simulated(rng, n_outlets=3, per_quarter=30, p=0.2, slope=0.5)
    daejeon = simulated(rng, n_outlets=3, per_quarter=30, p=0.5).assign(region="daejeon")
    tagged = pd.concat([sejong, daejeon], ignore_index=True)
    tagged["article_id"] = [f"f{i}" for i in range(len(tagged))]
    table = robustness.robustness(
        tagged, freq="QS", outlet_check=outlets.outlet_check(tagged, freq="all"),
        outlet_trends=outlets.outlet_trend_check(tagged, freq="QS", topics=["mobility"]))
    difference = table[table["kind"] == "difference"].iloc[0]
    trend = table[(table["kind"] == "trend") & (table["region"] == "sejong")].iloc[0]
    for row in (difference, trend):
        assert row["undecided"] == "outlets"
        assert not bool(row["outlets"])  # not passed
    assert bool(trend["within_outlets"])  # the within-outlet slope needs no clusters
    view = robustness.robustness_view(table)
    assert set(view["언론사 1곳 제외·군집"]) == {"?"}
