"""Trends checked against a tag whose error rates change over the years: a tag that finds more
of a topic's stories in later years makes a rising share out of a flat one, and correcting
each period with the error rates of its era (measured on labelled articles of that era) takes
it away. Simulated articles and labelled samples (synthetic) where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import accuracy
from lib.analysis import topic_trends as tt

YEARS = range(2016, 2025)
SPANS = [(2016, 2018), (2019, 2021), (2022, 2024)]
SPECIFICITY = 0.92


def tagged_years(rng: np.random.Generator, *, share: tuple[float, float],
                 sensitivity: tuple[float, ...], n: int = 250) -> pd.DataFrame:
    """Sejong smart-city articles, ``n`` a year over :data:`YEARS`; the share that truly
    carries ``mobility`` moves in a straight line from ``share[0]`` to ``share[1]``, and the tag
    finds it with the sensitivity of the year's era (one per span of :data:`SPANS`)."""
    frames = []
    for i, year in enumerate(YEARS):
        truth = share[0] + (share[1] - share[0]) * i / (len(YEARS) - 1)
        se = sensitivity[next(k for k, (a, b) in enumerate(SPANS) if a <= year <= b)]
        real = rng.random(n) < truth
        hit = np.where(real, rng.random(n) < se, rng.random(n) > SPECIFICITY)
        frames.append(pd.DataFrame({"published": pd.Timestamp(f"{year}-05-01"), "hit": hit}))
    frame = pd.concat(frames, ignore_index=True)
    return pd.DataFrame({
        "article_id": [f"y{i:05d}" for i in range(len(frame))],
        "published": frame["published"], "region": "sejong", "smart_city": True,
        "topics": [("mobility",) if h else () for h in frame["hit"]], "is_duplicate": False,
    })


def labelled_by_era(rng: np.random.Generator, *, sensitivity: tuple[float, ...],
                    per_era: int = 200, share: float = 0.3) -> pd.DataFrame:
    """Error counts of the ``mobility`` tag on ``per_era`` labelled articles of each era."""
    rows = []
    for span, se in zip(SPANS, sensitivity, strict=True):
        positives = rng.binomial(per_era, share)
        tp, tn = rng.binomial(positives, se), rng.binomial(per_era - positives, SPECIFICITY)
        rows.append({"era": accuracy.era_name(span), "tag": "topic", "value": "mobility",
                     "tp": tp, "fn": positives - tp, "tn": tn, "fp": per_era - positives - tn})
    return pd.DataFrame(rows)


def checked(tagged: pd.DataFrame, counts: pd.DataFrame, **options) -> pd.Series:
    return accuracy.corrected_trends(tagged, freq="YS", regions=["sejong"], topics=["mobility"],
                                     accuracy=counts, n_boot=500, **options).iloc[0]


def test_a_trend_made_by_a_tag_that_learns_does_not_hold():
    """The true share is flat at 30%, but the tag finds 55%, 75% and then 92% of the stories in
    the three eras: the tagged share rises about 11 points and the trend test calls it
    significant. Corrected era by era, the slope's interval covers the true 0."""
    rng = np.random.default_rng(11)
    drift = (0.55, 0.75, 0.92)
    draws, significant, covers, held = 100, 0, 0, 0
    for _ in range(draws):
        row = checked(tagged_years(rng, share=(0.3, 0.3), sensitivity=drift),
                      labelled_by_era(rng, sensitivity=drift),
                      random_state=int(rng.integers(1 << 30)))
        significant += bool(row["significant"])
        covers += row["ci_low_corrected"] <= 0 <= row["ci_high_corrected"]
        held += bool(row["holds_corrected"])
        assert row["slope_share"] > 0 and row["eras"] == "2016-2018, 2019-2021, 2022-2024"
    assert significant / draws >= 0.8
    assert covers / draws >= 0.9
    assert held / draws <= 0.1


def test_a_real_trend_holds_and_fixed_rates_only_rescale_it():
    """The true share rises from 20% to 45% and the tag errs alike in every era: the corrected
    trend keeps its side, and its slope is the tagged one divided by Youden's J."""
    rng = np.random.default_rng(12)
    fixed = (0.8, 0.8, 0.8)
    rows = [checked(tagged_years(rng, share=(0.2, 0.45), sensitivity=fixed),
                    labelled_by_era(rng, sensitivity=fixed), random_state=s) for s in range(30)]
    assert sum(bool(r["holds_corrected"]) for r in rows) >= 27
    same = labelled_by_era(rng, sensitivity=fixed).assign(tp=48, fn=12, tn=129, fp=11)
    row = checked(tagged_years(rng, share=(0.2, 0.45), sensitivity=fixed), same)
    youden = 48 / 60 + 129 / 140 - 1
    assert row["slope_corrected"] == pytest.approx(row["slope_share"] / youden, rel=1e-9)
    assert np.mean([r["slope_corrected"] for r in rows]) == pytest.approx(0.25 / 8, abs=0.006)


def test_rows_that_cannot_be_corrected_say_why():
    rng = np.random.default_rng(13)
    tagged = tagged_years(rng, share=(0.3, 0.3), sensitivity=(0.8, 0.8, 0.8))
    counts = labelled_by_era(rng, sensitivity=(0.8, 0.8, 0.8))
    gone = counts.assign(value=np.where(counts["era"] == "2019-2021", "data_ai", "mobility"))
    row = checked(tagged, gone)
    assert row["correction_note"] == f"2019-2021: {accuracy.NOTE_NO_RATES}"
    assert np.isnan(row["slope_corrected"]) and not row["holds_corrected"]
    no_positives = counts.assign(tp=np.where(counts["era"] == "2016-2018", 0, counts["tp"]),
                                 fn=np.where(counts["era"] == "2016-2018", 0, counts["fn"]))
    assert checked(tagged, no_positives)["correction_note"] == (
        f"2016-2018: {accuracy.NOTE_NO_POSITIVES}")
    chance = counts.assign(tp=5, fn=5, tn=5, fp=5)
    assert accuracy.NOTE_CHANCE in checked(tagged, chance)["correction_note"]
    with pytest.raises(KeyError, match="by_era"):
        checked(tagged, counts.drop(columns="era"))
    with pytest.raises(ValueError, match="span of years"):
        checked(tagged, counts.assign(era=["early", "middle", "late"]))


def test_eras_cut_the_years_into_groups_of_about_equal_size():
    years = [2015] * 10 + [2016] * 10 + [2017] * 40 + [2018] * 20 + [2019] * 20
    assert accuracy.era_spans(years, 3) == [(2015, 2016), (2017, 2017), (2018, 2019)]
    assert accuracy.era_spans([2020, 2020, 2021, np.nan], 3) == [(2020, 2020), (2021, 2021)]
    assert accuracy.era_spans([2020] * 5, 3) == [(2020, 2020)]
    names = accuracy.era_of([2010, 2016, 2017, 2019, 2030, np.nan],
                            [(2015, 2016), (2017, 2017), (2018, 2019)])
    assert list(names) == ["2015-2016", "2015-2016", "2017", "2018-2019", "2018-2019", ""]
    with pytest.raises(ValueError, match="no dated"):
        accuracy.era_spans([np.nan])


def test_the_eras_counts_add_up_to_the_pooled_ones():
    """``score_tags_by_era`` splits the labelled articles by their year of publication: the
    eras' counts add up to ``score_tags``' over every dated article."""
    rng = np.random.default_rng(14)
    tagged = tagged_years(rng, share=(0.3, 0.3), sensitivity=(0.6, 0.7, 0.9), n=40)
    labels = tagged[["article_id"]].assign(
        region="sejong", smart_city=True,
        topics=[("mobility",) if rng.random() < 0.3 else () for _ in range(len(tagged))])
    by_era = accuracy.score_tags_by_era(tagged, labels)
    assert by_era.attrs["spans"] == accuracy.era_spans(tagged["published"].dt.year)
    pooled = accuracy.score_tags(tagged, labels).set_index(["tag", "value"])
    summed = by_era.groupby(["tag", "value"])[["tp", "fp", "fn", "tn"]].sum()
    assert (summed == pooled.loc[summed.index, ["tp", "fp", "fn", "tn"]]).all().all()
    assert by_era["era"].nunique() == 3


def test_the_shipped_rates_by_era_load():
    shipped = accuracy.load_tagger_accuracy(by_era=True)
    assert shipped.attrs["source"].startswith("holdout") and shipped.attrs["source"].endswith(
        "by era")
    spans = sorted({tuple(int(y) for y in (e.split("-") * 2)[:2]) for e in shipped["era"]})
    assert len(spans) == accuracy.N_ERAS and all(a <= b for a, b in spans)
    assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))


def test_the_findings_and_the_glance_table_say_which_trends_keep_their_direction():
    """A trend made by a tag that learns and a real one, side by side in two cities: the
    findings name the one that keeps its direction and the one that does not, with their
    facts rows, the reliability sentence says the trends were tested corrected, and the glance
    table's tagging-error column holds each trend's verdict."""
    from lib.analysis import robustness

    rng = np.random.default_rng(15)
    drift, fixed = (0.5, 0.75, 0.95), (0.85, 0.85, 0.85)
    learnt = tagged_years(rng, share=(0.3, 0.3), sensitivity=drift, n=400)
    real = tagged_years(rng, share=(0.15, 0.5), sensitivity=fixed, n=400).assign(
        region="daejeon", article_id=lambda f: "r" + f["article_id"])
    tagged = pd.concat([learnt, real], ignore_index=True)
    counts = labelled_by_era(rng, sensitivity=drift, per_era=400)
    table = accuracy.corrected_trends(tagged, freq="YS", topics=["mobility"], accuracy=counts,
                                      n_boot=800).set_index("region")
    assert table["significant"].all()
    assert not table.at["sejong", "holds_corrected"] and table.at["daejeon", "holds_corrected"]

    table = table.reset_index()
    rates = accuracy.score_counts(counts.groupby(["tag", "value"], as_index=False)[
        ["tp", "fp", "fn", "tn"]].sum())
    found = tt.findings(tagged, freq="YS", rates=rates, corrected_trends=table)
    line = next(s for s in found.en if s.startswith("Corrected for tagging error that changes"))
    assert "1 of 2 significant trends keep an interval that excludes 0 on the same side" in line
    assert line.index("Daejeon Mobility") < line.index("not: Sejong Mobility")
    assert "2016-2018, 2019-2021, 2022-2024" in line
    assert any(s.startswith("태그 오류 보정 (추세): 유의한 추세 2개 중 1개") for s in found.ko)
    assert any("the trends are also tested corrected" in s for s in found.en)
    kinds = found.facts.set_index("region")["kind"]
    assert "corrected_trend_holds" in set(kinds.loc[["daejeon"]])
    assert "corrected_trend_rests" in set(kinds.loc[["sejong"]])
    assert set(found.facts["kind"]) <= set(tt.FACT_KINDS)

    checks = robustness.robustness(tagged, freq="YS", corrected_trends=table)
    trends = checks[checks["kind"] == "trend"].set_index("region")
    assert trends.at["daejeon", "tag_error"] and not trends.at["sejong", "tag_error"]
    with pytest.raises(ValueError, match="corrected_trends is by 'YS'"):
        robustness.robustness(tagged, freq="6MS", corrected_trends=table)
    with pytest.raises(ValueError, match="corrected_trends is by 'YS'"):
        tt.findings(tagged, freq="6MS", corrected_trends=table)


def test_shares_corrected_era_by_era_cover_the_flat_truth():
    """``corrected_shares`` with error counts per era corrects each year with its era's rates:
    where a tag that learns makes a flat 30% share rise, the yearly corrected intervals cover
    30% in most years and draws, the tagged ones in the first era almost never; a share over
    the whole span is corrected with the eras' counts summed."""
    rng = np.random.default_rng(16)
    drift = (0.55, 0.75, 0.92)
    covered, tagged_early, cells, early = 0, 0, 0, 0
    for _ in range(30):
        tagged = tagged_years(rng, share=(0.3, 0.3), sensitivity=drift)
        counts = labelled_by_era(rng, sensitivity=drift)
        shares = tt.topic_shares(tagged, freq="YS", regions=["sejong"], topics=["mobility"])
        out = accuracy.corrected_shares(shares, accuracy=counts, n_boot=500,
                                        random_state=int(rng.integers(1 << 30)))
        assert out.attrs["rates"] == "by era"
        covered += int(((out["ci_low_corrected"] <= 0.3) & (0.3 <= out["ci_high_corrected"])).sum())
        cells += len(out)
        first = out["period"].dt.year <= 2018
        tagged_early += int(((out["ci_low"] <= 0.3) & (0.3 <= out["ci_high"]))[first].sum())
        early += int(first.sum())
    assert covered / cells >= 0.9
    assert tagged_early / early <= 0.3

    whole = tt.topic_shares(tagged, freq="all", regions=["sejong"], topics=["mobility"])
    summed = counts.groupby(["tag", "value"], as_index=False)[["tp", "fp", "fn", "tn"]].sum()
    by_era = accuracy.corrected_shares(whole, accuracy=counts)
    pooled = accuracy.corrected_shares(whole, accuracy=summed)
    assert by_era["share_corrected"].iloc[0] == pytest.approx(pooled["share_corrected"].iloc[0])
    compare = tt.compare_regions(tagged.assign(region=np.where(
        np.arange(len(tagged)) % 2, "sejong", "daejeon")), freq="all", topics=["mobility"])
    with pytest.raises(ValueError, match="rates per era"):
        accuracy.corrected_difference(compare, accuracy=counts)


def test_the_rates_by_era_chart_draws_each_era_of_each_topic():
    """``plot_rates_by_era``: a row per topic with a dot per era in both panels, the labelled
    stories behind each sensitivity beside it, and the specificity panel starting at its lowest
    bound; a table without eras is refused."""
    from lib.present import topic_plots
    from lib.vocabulary import get_vocabulary, topic_label

    rng = np.random.default_rng(17)
    counts = pd.concat([labelled_by_era(rng, sensitivity=(0.55, 0.75, 0.92)),
                        labelled_by_era(rng, sensitivity=(0.8, 0.8, 0.8)).assign(value="data_ai")],
                       ignore_index=True)
    fig = topic_plots.plot_rates_by_era(counts)
    left, right = fig.axes[:2]
    keys = [k for k in get_vocabulary().topic_keys if k in {"data_ai", "mobility"}]
    assert [t.get_text() for t in left.get_yticklabels()] == [topic_label(k) for k in keys]
    assert len(left.lines) >= 6 and len(right.lines) >= 6  # three eras of two topics each
    shown = {t.get_text() for t in left.texts}
    mobility = counts[counts["value"] == "mobility"]
    assert {f"{r.tp}/{r.tp + r.fn}" for r in mobility.itertuples()} <= shown
    assert right.get_xlim()[0] >= 50 and left.get_xlim() == (0.0, 100.0)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "2016-2018", "2019-2021", "2022-2024"]
    with pytest.raises(KeyError, match="era column"):
        topic_plots.plot_rates_by_era(counts.drop(columns="era"))


def test_labels_without_dates_give_no_eras_and_say_so():
    """A sheet whose labelled articles have no date gives no error rates per era: the trends
    are not checked (each row says why, and so do the findings), shares by period get no
    correction, and the chart says there is nothing to draw."""
    from lib.present import topic_plots

    rng = np.random.default_rng(18)
    tagged = tagged_years(rng, share=(0.2, 0.5), sensitivity=(0.8, 0.8, 0.8), n=60)
    labels = tagged[["article_id"]].iloc[:40].assign(
        region="sejong", smart_city=True, topics=[("mobility",)] * 20 + [()] * 20)
    by_era = accuracy.score_tags_by_era(tagged.assign(published=pd.NaT), labels)
    assert by_era.empty and by_era.attrs["spans"] == []
    table = accuracy.corrected_trends(tagged, freq="YS", regions=["sejong"],
                                      topics=["mobility"], accuracy=by_era)
    assert table["significant"].all() and set(table["correction_note"]) == {accuracy.NOTE_NO_ERAS}
    found = tt.findings(tagged, freq="YS", corrected_trends=table)
    assert any("not checked, no labelled article has a date" in s for s in found.en)
    shares = tt.topic_shares(tagged, freq="YS", regions=["sejong"], topics=["mobility"])
    assert accuracy.corrected_shares(shares, accuracy=by_era)["share_corrected"].isna().all()
    assert topic_plots.plot_rates_by_era(by_era).axes[0].texts  # says there is nothing to draw


def test_a_trend_rising_from_nothing_is_not_flattened_by_clipping():
    """The true share rises from 0 to 16% (two points a year) and the tag misses 40% of the
    stories and flags 8% of the rest: early years' corrected shares scatter around 0. Fitted
    through them unclipped, the corrected slope averages the true one within 5% over 60 draws
    (clipped at 0, as before, it averaged 12% less) and its interval covers it in at least
    90%."""
    rng = np.random.default_rng(21)
    steady, true = (0.6, 0.6, 0.6), 0.16 / (len(YEARS) - 1)
    slopes, covers = [], 0
    for _ in range(60):
        row = checked(tagged_years(rng, share=(0.0, 0.16), sensitivity=steady),
                      labelled_by_era(rng, sensitivity=steady, per_era=400),
                      random_state=int(rng.integers(1 << 30)))
        slopes.append(row["slope_corrected"])
        covers += row["ci_low_corrected"] <= true <= row["ci_high_corrected"]
    assert np.mean(slopes) == pytest.approx(true, rel=0.05)
    assert covers >= 54


def test_the_corrected_slope_allows_the_scatter_the_trend_test_allows():
    """A flat true share whose years scatter (logit sd 0.3, as news does) and grow from 30 to
    1,500 articles, a tag with the same rates in every era: the corrected slope's interval
    excludes the true 0 about as rarely as the trend test rejects. Drawn with the plain
    dispersion and weighted by n, it excluded 0 in 19% of such series: the large late years
    pinned the line."""
    rng = np.random.default_rng(23)
    sizes = np.round(np.geomspace(30, 1500, len(YEARS))).astype(int)
    counts = labelled_by_era(rng, sensitivity=(0.9, 0.9, 0.9), per_era=600)
    excluded = 0
    draws = 60
    for _ in range(draws):
        truth = 1 / (1 + np.exp(-(np.log(0.3 / 0.7) + rng.normal(0, 0.3, len(YEARS)))))
        hits, days = [], []
        for year, size, share in zip(YEARS, sizes, truth, strict=True):
            real = rng.random(size) < share
            hits.append(np.where(real, rng.random(size) < 0.9, rng.random(size) > SPECIFICITY))
            days += [pd.Timestamp(f"{year}-05-01")] * size
        hit = np.concatenate(hits)
        tagged = pd.DataFrame({
            "article_id": [f"z{i:06d}" for i in range(len(hit))], "published": days,
            "region": "sejong", "smart_city": True,
            "topics": [("mobility",) if h else () for h in hit], "is_duplicate": False})
        row = checked(tagged, counts)
        excluded += bool(row["ci_low_corrected"] > 0 or row["ci_high_corrected"] < 0)
    assert excluded / draws <= 0.12
