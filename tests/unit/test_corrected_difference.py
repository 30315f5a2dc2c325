"""The city difference corrected for tagging error: where the tag errs more in one city it
makes a difference the coverage does not have, and correcting each city with its own error
rates (measured on a labelled sample of that city) takes it away. Simulated articles and
labelled samples (synthetic) where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import accuracy
from lib.analysis import topic_trends as tt
from lib.vocabulary import topic_label

RATES = {"sejong": (0.80, 0.85), "daejeon": (0.80, 0.97)}  # (sensitivity, specificity)


def tagged_cities(rng: np.random.Generator, *, truth: tuple[float, float], n: int = 1000
                  ) -> pd.DataFrame:
    """Smart-city articles of both cities; each truly carries ``mobility`` with the city's
    ``truth`` share, and the tag finds it with the city's rates in :data:`RATES`."""
    rows = []
    for city, share in zip(RATES, truth, strict=True):
        se, sp = RATES[city]
        real = rng.random(n) < share
        tag = np.where(real, rng.random(n) < se, rng.random(n) > sp)
        rows.append(pd.DataFrame({"region": city, "hit": tag}))
    frame = pd.concat(rows, ignore_index=True)
    return pd.DataFrame({
        "article_id": [f"d{i:05d}" for i in range(len(frame))],
        "published": pd.Timestamp("2024-03-01"), "region": frame["region"], "smart_city": True,
        "topics": [("mobility",) if h else () for h in frame["hit"]], "is_duplicate": False,
    })


def labelled_counts(rng: np.random.Generator, *, per_city: int = 150, share: float = 0.3,
                    by_city: bool = True) -> pd.DataFrame:
    """Error counts of the ``mobility`` tag on a labelled sample of ``per_city`` articles per
    city (``share`` truly carry it), per city or pooled."""
    rows = []
    for city, (se, sp) in RATES.items():
        positives = rng.binomial(per_city, share)
        tp = rng.binomial(positives, se)
        tn = rng.binomial(per_city - positives, sp)
        rows.append({"region": city, "tag": "topic", "value": "mobility", "tp": tp,
                     "fn": positives - tp, "tn": tn, "fp": per_city - positives - tn})
    table = pd.DataFrame(rows)
    if by_city:
        return table
    return table.groupby(["tag", "value"], as_index=False)[["tp", "fp", "fn", "tn"]].sum()


def compared(tagged: pd.DataFrame) -> pd.DataFrame:
    return tt.compare_regions(tagged, freq="all", a="sejong", b="daejeon", topics=["mobility"])


def corrected(tagged: pd.DataFrame, counts: pd.DataFrame, **options) -> pd.Series:
    """The corrected difference of ``mobility``: of articles ``tagged``, or of their
    ``compared`` table."""
    compare = tagged if "n_docs_a" in tagged.columns else compared(tagged)
    return accuracy.corrected_difference(compare, accuracy=counts, **options).iloc[0]


def test_correcting_each_city_with_its_own_rates_takes_away_a_difference_the_tag_makes():
    """Both cities truly write 30% on the topic, but the tag's false alarms are 15% in one city
    and 3% in the other: the tagged shares differ by about 8 points (significant at n=1,000
    each). Over 200 draws the interval of the difference corrected per city covers the true 0
    in at least 90%; the tagged one almost never does, nor does a pooled correction."""
    rng = np.random.default_rng(2)
    draws, tagged_covers, city_covers, pooled_covers, significant = 200, 0, 0, 0, 0
    for _ in range(draws):
        compare = compared(tagged_cities(rng, truth=(0.3, 0.3)))
        seed = int(rng.integers(1 << 30))
        by_city = corrected(compare, labelled_counts(rng), n_boot=800, random_state=seed)
        pooled = corrected(compare, labelled_counts(rng, by_city=False), n_boot=800,
                           random_state=seed)
        significant += bool(by_city["significant"])
        tagged_covers += by_city["ci_low"] <= 0 <= by_city["ci_high"]
        city_covers += by_city["ci_low_corrected"] <= 0 <= by_city["ci_high_corrected"]
        pooled_covers += pooled["ci_low_corrected"] <= 0 <= pooled["ci_high_corrected"]
    assert city_covers / draws >= 0.90
    assert tagged_covers / draws <= 0.25 and pooled_covers / draws <= 0.25
    assert significant / draws >= 0.75


def test_a_real_difference_survives_the_correction():
    rng = np.random.default_rng(4)
    held = [corrected(tagged_cities(rng, truth=(0.45, 0.2)), labelled_counts(rng, per_city=300),
                      n_boot=800, random_state=s) for s in range(20)]
    assert sum(bool(row["holds_corrected"]) for row in held) >= 17
    assert np.mean([row["diff_corrected"] for row in held]) == pytest.approx(0.25, abs=0.04)


def test_pooled_rates_scale_the_difference_and_keep_its_sign():
    rng = np.random.default_rng(6)
    tagged = tagged_cities(rng, truth=(0.4, 0.25))
    counts = labelled_counts(rng, by_city=False)
    row = corrected(tagged, counts)
    tp, fp, fn, tn = (float(counts[c].iloc[0]) for c in ("tp", "fp", "fn", "tn"))
    youden = tp / (tp + fn) + tn / (tn + fp) - 1
    assert row["diff_corrected"] == pytest.approx(row["diff"] / youden, rel=1e-9)
    assert row["ci_low_corrected"] <= row["diff_corrected"] <= row["ci_high_corrected"]
    first, again = corrected(tagged, counts, random_state=3), corrected(tagged, counts,
                                                                         random_state=3)
    assert first["ci_low_corrected"] == again["ci_low_corrected"]


def test_rows_that_cannot_be_corrected_say_why():
    rng = np.random.default_rng(8)
    tagged = tagged_cities(rng, truth=(0.3, 0.3), n=5)
    compare = tt.compare_regions(tagged, freq="all", a="sejong", b="daejeon",
                                 topics=["mobility"])
    out = accuracy.corrected_difference(compare, accuracy=labelled_counts(rng))
    assert out["correction_note"].iloc[0] == accuracy.NOTE_NO_SHARE
    assert not out["holds_corrected"].iloc[0] and out.attrs["rates"] == "by city"
    chance = labelled_counts(rng).assign(tp=5, fn=5, tn=5, fp=5)
    row = corrected(tagged_cities(rng, truth=(0.3, 0.3)), chance)
    assert row["correction_note"] == accuracy.NOTE_CHANCE and np.isnan(row["diff_corrected"])
    other = labelled_counts(rng).assign(value="data_ai")
    row = corrected(tagged_cities(rng, truth=(0.3, 0.3)), other)
    assert row["correction_note"] == accuracy.NOTE_NO_RATES
    with pytest.raises(KeyError, match="compare_regions"):
        accuracy.corrected_difference(pd.DataFrame({"topic": ["mobility"]}))


def test_the_findings_say_which_difference_the_tags_errors_could_make():
    rng = np.random.default_rng(10)
    made = tagged_cities(rng, truth=(0.3, 0.3))
    real = tagged_cities(rng, truth=(0.45, 0.2))
    counts = labelled_counts(rng, per_city=300)
    for tagged, kind, count, said in (
            (made, "corrected_rests", "0 of 1", "보정하면 유지되지 않습니다; 오류 보정 후 신뢰구간이 "
                                                 "0을 포함하는 차이: "),
            (real, "corrected_holds", "1 of 1", "보정해도 신뢰구간이 0을 벗어납니다 (")):
        table = accuracy.corrected_difference(
            tt.compare_regions(tagged, freq="all", topics=["mobility"]), accuracy=counts)
        found = tt.findings(tagged, freq="YS", corrected_differences=table)
        line = [s for s in found.en if s.startswith("Corrected for tagging error")]
        assert len(line) == 1 and f"{count} significant whole-span differences" in line[0]
        assert "each city's own error rates" in line[0]
        assert found.facts["kind"].eq(kind).sum() == 1
        assert sum(s.startswith("태그 오류 보정") for s in found.ko) == 1
        ko_line = next(s for s in found.ko if s.startswith("태그 오류 보정"))
        assert "유의한 차이 1개는 " in ko_line and said in ko_line and "0개" not in ko_line
    assert not any(s.startswith("Corrected") for s in tt.findings(made, freq="YS").en)
    per_year = accuracy.corrected_difference(tt.compare_regions(made, freq="YS"), accuracy=counts)
    with pytest.raises(ValueError, match="whole-span"):
        tt.findings(made, freq="YS", corrected_differences=per_year)


def test_the_difference_chart_draws_the_corrected_interval():
    from lib.present import topic_plots as tp

    rng = np.random.default_rng(12)
    tagged = tagged_cities(rng, truth=(0.45, 0.2))
    compare = tt.compare_regions(tagged, freq="all", topics=["mobility"])
    table = accuracy.corrected_difference(compare, accuracy=labelled_counts(rng, per_city=300))
    ax = tp.plot_difference_overall(table).axes[0]
    assert "%p" in ax.get_xlabel()
    assert any("오류 보정 후 유지" in t.get_text() for t in ax.texts)
    assert [h.get_label() for h in ax.get_legend().legend_handles][1].startswith("태그 오류 보정")
    plain = tp.plot_difference_overall(compare).axes[0]
    assert plain.get_legend() is None and not any("보정" in t.get_text() for t in plain.texts)


def real_difference_checked(rng: np.random.Generator
                            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Articles with a real difference (45% against 20%), pooled rates of the tag, and the
    whole-span difference corrected with per-city rates."""
    tagged = tagged_cities(rng, truth=(0.45, 0.2))
    rates = accuracy.score_counts(labelled_counts(rng, by_city=False))
    table = accuracy.corrected_difference(
        tt.compare_regions(tagged, freq="all", topics=["mobility"]),
        accuracy=labelled_counts(rng, per_city=300))
    return tagged, rates, table


def test_the_reliability_sentence_says_the_differences_were_also_tested_corrected():
    tagged, rates, table = real_difference_checked(np.random.default_rng(14))
    plain = tt.findings(tagged, freq="YS", rates=rates)
    checked = tt.findings(tagged, freq="YS", rates=rates, corrected_differences=table)
    assert any("count the tags as given (notebook 02, section 1, shows the shares corrected" in s
               for s in plain.en)
    assert any("also tested corrected" in s for s in checked.en)
    assert any("오류 보정 뒤에도 검정" in s for s in checked.ko)


def test_the_findings_count_the_period_cells_the_tags_errors_could_make():
    """Two years: in 2023 both cities truly write 30% on the topic and the tag's false alarms
    make a difference; in 2024 the difference is real. Of the two significant yearly cells
    the findings say one keeps its side corrected city by city, and why the other does not."""
    rng = np.random.default_rng(16)
    years = [tagged_cities(rng, truth=truth).assign(published=pd.Timestamp(f"{year}-05-01"))
             for year, truth in ((2023, (0.3, 0.3)), (2024, (0.45, 0.2)))]
    tagged = pd.concat(years, ignore_index=True)
    tagged["article_id"] = [f"c{i:05d}" for i in range(len(tagged))]
    compare = tt.compare_regions(tagged, freq="YS", topics=["mobility"])
    table = accuracy.corrected_difference(compare, accuracy=labelled_counts(rng, per_city=300))
    assert table["significant"].all()
    assert table["holds_corrected"].tolist() == [False, True]
    found = tt.findings(tagged, freq="YS", corrected_cells=table)
    line = [s for s in found.en if s.startswith("Tagging-error check of the")]
    assert len(line) == 1 and "1 of 2 significant cells keep their side" in line[0]
    assert "each city's own error rates" in line[0]
    assert "not: 1 whose corrected interval includes 0" in line[0]
    line_ko = next(s for s in found.ko if s.startswith("연도별 주제·기간 조합의 태그 오류 보정"))
    assert line_ko.startswith("연도별 주제·기간 조합의 태그 오류 보정: 유의한 조합 2개 중 1개는 ")
    assert line_ko.endswith("유지되지 않는 이유: 오류 보정 후 신뢰구간이 0을 포함 1개.")
    fact = found.facts[found.facts["kind"] == "corrected_cells"].iloc[0]
    assert (fact["value"], fact["n"]) == (1, 2)
    assert "corrected_cells" in tt.FACT_KINDS
    with pytest.raises(ValueError, match="corrected_cells"):
        tt.findings(tagged, freq="QS", corrected_cells=table)


def test_the_findings_html_shows_the_findings_first_and_folds_their_checks():
    """The sentences stating findings come first, in Korean; the checks' sentences (here the
    tagging-error check and the tags' reliability) and the English text are folded under them."""
    tagged, rates, table = real_difference_checked(np.random.default_rng(18))
    found = tt.findings(tagged, freq="YS", rates=rates, corrected_differences=table)
    stated, checks = found.split("en")
    assert stated + checks != [] and sorted(stated + checks) == sorted(found.en)
    assert any(s.startswith("Corrected for tagging error") for s in checks)
    assert any(s.startswith("Topics whose share differs") for s in stated)
    assert not any(s.startswith("Corrected for tagging error") for s in stated)
    assert len(found.ko_checks) == len(found.en_checks) == len(checks)
    page = found._repr_html_()
    first_list = page[page.index("<ul"):page.index("</ul>")]
    assert "전체 기간에서 두 도시가 유의하게 다른 주제" in first_list
    assert "태그 오류 보정" not in first_list and "Topics whose share" not in first_list
    folded = page[page.index("<details"):]
    assert "태그 오류 보정" in folded and "In English" in folded
    assert "Corrected for tagging error" in folded
    assert "Corrected for tagging error" in str(found)  # the plain text keeps every sentence


def test_a_difference_whose_rates_are_too_uncertain_has_no_corrected_point_and_says_so():
    """Rates measured on a handful of labelled articles, where a tag no better than chance is
    plausible: no corrected difference is given (Rogan–Gladen divides by nearly 0), the
    interval spans -1 to 1, the chart writes why in place of a triangle, and the findings say
    so in words rather than as an interval."""
    from lib.present import topic_plots as tp

    rng = np.random.default_rng(16)
    tagged = tagged_cities(rng, truth=(0.45, 0.2))
    few = labelled_counts(rng).assign(tp=2, fn=1, tn=2, fp=1)  # se = sp = 2/3 on six articles
    table = accuracy.corrected_difference(
        tt.compare_regions(tagged, freq="all", topics=["mobility"]), accuracy=few)
    row = table.iloc[0]
    assert row["correction_note"] == accuracy.NOTE_DIFF_UNCERTAIN
    assert np.isnan(row["diff_corrected"]) and not row["holds_corrected"]
    assert (row["ci_low_corrected"], row["ci_high_corrected"]) == (-1.0, 1.0)
    ax = tp.plot_difference_overall(table).axes[0]
    assert any("오류 보정 불가 (오류율이 너무 불확실함)" in t.get_text() for t in ax.texts)
    # Beside the row: that it could not be corrected, not that a corrected interval includes 0.
    assert any("· 오류 보정 불가" in t.get_text() for t in ax.texts)
    assert not any("0 포함" in t.get_text() for t in ax.texts)
    found = tt.findings(tagged, freq="YS", corrected_differences=table)
    line = next(s for s in found.ko if s.startswith("태그 오류 보정"))
    assert f"오류율이 너무 불확실해 보정하지 못한 차이: {topic_label('mobility')}" in line
    assert "0을 포함하는 차이" not in line and "100" not in line
    # nor that, corrected, it does not hold: no correction was made
    assert "유지되지 않습니다" not in line and "보정할 수 없어 판단할 수 없습니다" in line


def test_a_corrected_interval_past_the_axis_ends_in_an_arrowhead():
    from lib.present import topic_plots as tp

    rng = np.random.default_rng(12)
    tagged = tagged_cities(rng, truth=(0.45, 0.2))
    compare = tt.compare_regions(tagged, freq="all", topics=["mobility"])
    table = accuracy.corrected_difference(compare, accuracy=labelled_counts(rng, per_city=300))
    table["ci_high_corrected"] = 0.99  # far past the axis the tagged interval sets
    ax = tp.plot_difference_overall(table).axes[0]
    heads = [line for line in ax.lines if line.get_marker() == ">"]
    assert len(heads) == 1 and heads[0].get_xdata()[0] == ax.get_xlim()[1]
    # The bound the interval reaches is written beside its arrowhead.
    assert "+99.0" in [t.get_text() for t in ax.texts]
