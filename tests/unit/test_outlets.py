"""The outlet check of the city difference: the outlet-clustered interval keeps its coverage
when outlets differ, and when one outlet writes most of the articles, where the article-level
one does not; one outlet's weight is found, and the
table's invariants hold. Simulated articles (synthetic) where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import outlets as oc
from lib.analysis import topic_trends as tt


def simulated(rng: np.random.Generator, *, n_outlets: int, per_outlet: tuple[int, int],
              p: tuple[float, float], spread: float = 0.0,
              heavy: tuple[str, int, float] | None = None, lopsided: bool = False
              ) -> pd.DataFrame:
    """Smart-city articles of two cities, ``mobility`` or not, written by ``n_outlets``
    outlets with ``per_outlet`` articles of each city. Each outlet's share of mobility is the
    city's ``p`` moved by an outlet effect of standard deviation ``spread`` on the logit scale,
    the same for both cities (an outlet's beat). ``heavy = (city, n, share)`` adds one outlet
    with ``n`` articles of that city alone at that share. ``lopsided``: every other outlet
    swaps the two counts, so each outlet writes mostly of one city."""
    rows = []
    for g in range(n_outlets):
        effect = rng.normal(0, spread) if spread else 0.0
        counts = per_outlet[::-1] if lopsided and g % 2 else per_outlet
        for city, share, count in (("sejong", p[0], counts[0]),
                                   ("daejeon", p[1], counts[1])):
            q = 1 / (1 + np.exp(-(np.log(share / (1 - share)) + effect)))
            hits = rng.random(count) < q
            rows += [(f"합성일보{g:02d}", city, bool(h)) for h in hits]
    if heavy is not None:
        city, count, share = heavy
        hits = rng.random(count) < share
        rows += [("합성큰신문", city, bool(h)) for h in hits]
    frame = pd.DataFrame(rows, columns=["outlet", "region", "hit"])
    return pd.DataFrame({
        "article_id": [f"s{i:06d}" for i in range(len(frame))],
        "outlet": frame["outlet"],
        "published": pd.Timestamp("2024-01-01"),
        "region": frame["region"],
        "smart_city": True,
        "topics": [("mobility",) if h else () for h in frame["hit"]],
        "is_duplicate": False,
    })


def check(tagged: pd.DataFrame, **options) -> pd.Series:
    table = oc.outlet_check(tagged, a="sejong", b="daejeon", topics=["mobility"], **options)
    return table.iloc[0]


def test_with_as_few_as_six_outlets_the_interval_still_covers_a_true_zero():
    """Six outlets, each writing mostly of one city, differing in their beat (logit sd 0.6),
    the true difference 0: the outlet-clustered interval (CR2, t on Bell–McCaffrey's degrees of
    freedom) covers it in at least 112 of 120 draws (here 117; CR1 on t with 5, used before,
    116). Resampling six outlets, as before that, covered it in 109."""
    rng = np.random.default_rng(31)
    covered = 0
    for _ in range(120):
        row = check(simulated(rng, n_outlets=6, per_outlet=(40, 6), p=(0.3, 0.3), spread=0.6,
                              lopsided=True))
        covered += row["cluster_low"] <= 0 <= row["cluster_high"]
    assert covered >= 112


def test_the_outlet_clustered_interval_keeps_its_coverage_where_the_article_one_does_not():
    """Outlets differ in how much they write on the topic (logit sd 0.8) and each writes
    mostly of one city (36 articles of it, 4 of the other), the same share in both cities
    otherwise, so the true difference is 0. The article-level interval treats the 960
    articles as independent and covers 0 far less often than 95%; with outlets as clusters
    the interval keeps close to it. (Were every outlet to write as much of both cities, its effect would cancel
    in the difference and the article-level interval would be conservative.)"""
    rng = np.random.default_rng(7)
    covered_articles = covered_outlets = 0
    draws = 120
    for _ in range(draws):
        row = check(simulated(rng, n_outlets=24, per_outlet=(36, 4), p=(0.3, 0.3), spread=0.8,
                              lopsided=True))
        covered_articles += row["ci_low"] <= 0 <= row["ci_high"]
        covered_outlets += row["cluster_low"] <= 0 <= row["cluster_high"]
    assert covered_outlets / draws >= 0.88
    assert covered_articles / draws <= covered_outlets / draws - 0.10


def monthly(rng: np.random.Generator, *, sizes: list[float], per_month: int, months: int,
            p: float, spread: float) -> pd.DataFrame:
    """Smart-city articles of two cities, ``mobility`` or not, month by month: each month
    ``per_month`` articles are shared out among the outlets in proportion to ``sizes``, each
    outlet splits its articles between the cities in a proportion drawn afresh (Beta(½, ½):
    most outlets write mostly of one city) and has a beat (logit sd ``spread`` around ``p``,
    the same in both cities) drawn afresh. So each month is an independent draw with a true
    difference of 0."""
    weights = np.asarray(sizes, dtype=float) / sum(sizes)
    logit = np.log(p / (1 - p))
    outlet, region, published, hit = [], [], [], []
    for month in pd.date_range("2000-01-01", periods=months, freq="MS"):
        counts = rng.multinomial(per_month, weights)
        split = rng.beta(0.5, 0.5, len(weights))
        share = 1 / (1 + np.exp(-(logit + rng.normal(0, spread, len(weights)))))
        for g, count in enumerate(counts):
            outlet += [f"합성일보{g:02d}"] * count
            region += list(np.where(rng.random(count) < split[g], "sejong", "daejeon"))
            published += [month + pd.Timedelta(days=9)] * count
            hit += list(rng.random(count) < share[g])
    return pd.DataFrame({
        "article_id": [f"m{i:06d}" for i in range(len(outlet))],
        "outlet": outlet,
        "published": published,
        "region": region,
        "smart_city": True,
        "topics": [("mobility",) if h else () for h in hit],
        "is_duplicate": False,
    })


def test_the_interval_keeps_its_coverage_when_one_outlet_writes_most_of_the_articles():
    """Ten outlets, one writing 60% of the 300 articles (logit sd 0.6 between their beats),
    the true difference 0, 400 independent month cells in one check. The CR2 interval on t
    with Bell–McCaffrey's degrees of freedom covers 0 in at least 92% of cells (here 95.0%).
    CR1 on t with G − 1 = 9 degrees of freedom, used before, covered it in 88.5% (84–86.5% of
    2,000 draws of this setting): it does not undo the large outlet's residuals being shrunk
    by its own weight in the shares, and that outlet leaves about four outlets' worth of
    degrees of freedom, not nine."""
    rng = np.random.default_rng(41)
    tagged = monthly(rng, sizes=[13.5] + [1] * 9, per_month=300, months=400, p=0.3, spread=0.6)
    table = oc.outlet_check(tagged, freq="MS", a="sejong", b="daejeon", topics=["mobility"])
    cells = table[table["cluster_low"].notna()]
    assert len(cells) == 400
    covered = (cells["cluster_low"] <= 0) & (0 <= cells["cluster_high"])
    assert covered.mean() >= 0.92


def test_without_outlet_effects_the_two_intervals_agree():
    rng = np.random.default_rng(11)
    widths = []
    for _ in range(20):
        row = check(simulated(rng, n_outlets=40, per_outlet=(15, 15), p=(0.35, 0.2)))
        widths.append((row["cluster_high"] - row["cluster_low"]) / (row["ci_high"] - row["ci_low"]))
    assert 0.85 <= float(np.median(widths)) <= 1.15


def test_a_difference_one_outlet_makes_does_not_hold_and_names_it():
    """Both cities' outlets share mobility at 20%; one more outlet writes 120 Sejong articles
    at 70%. The article-level test finds a difference; without that outlet there is none."""
    rng = np.random.default_rng(3)
    tagged = simulated(rng, n_outlets=12, per_outlet=(15, 25), p=(0.2, 0.2),
                       heavy=("sejong", 120, 0.7))
    row = check(tagged)
    assert row["significant"]
    assert row["swing_outlet"] == "합성큰신문"
    assert abs(row["swing_diff"]) < abs(row["diff"]) / 2
    assert not row["loo_significant"]
    assert not row["holds"]
    assert row["loo_min"] <= row["swing_diff"] <= row["loo_max"]


def test_a_difference_spread_over_outlets_holds():
    rng = np.random.default_rng(5)
    row = check(simulated(rng, n_outlets=20, per_outlet=(20, 20), p=(0.45, 0.15)))
    assert row["significant"] and row["loo_significant"] and row["holds"]
    assert row["cluster_low"] > 0
    assert row["loo_min"] <= row["diff"] <= row["loo_max"]
    assert row["n_outlets"] == 20


def test_the_table_is_reproducible_and_antisymmetric():
    rng = np.random.default_rng(9)
    tagged = simulated(rng, n_outlets=15, per_outlet=(10, 12), p=(0.3, 0.2), spread=0.5)
    first = oc.outlet_check(tagged, a="sejong", b="daejeon")
    pd.testing.assert_frame_equal(first, oc.outlet_check(tagged, a="sejong", b="daejeon"))
    swapped = oc.outlet_check(tagged, a="daejeon", b="sejong")
    assert np.allclose(first["diff"], -swapped["diff"], equal_nan=True)
    assert np.allclose(first["loo_min"], -swapped["loo_max"], equal_nan=True)
    # the first columns are compare_regions' over the whole span
    overall = tt.compare_regions(tagged, freq="YS", a="sejong", b="daejeon")
    assert list(first["topic"]) == list(overall["topic"])
    assert np.allclose(first["diff"], overall["diff"], equal_nan=True)
    assert first["significant"].tolist() == overall["significant"].tolist()
    assert list(first.columns) == list(oc.OUTLET_CHECK_COLUMNS)


def test_too_few_outlets_are_not_clustered_and_say_so():
    rng = np.random.default_rng(1)
    row = check(simulated(rng, n_outlets=3, per_outlet=(30, 30), p=(0.5, 0.1)))
    assert row["significant"]
    assert np.isnan(row["cluster_low"]) and np.isnan(row["loo_min"])
    assert not row["holds"]
    assert "3 outlets" in row["note"]


def test_an_outlet_that_writes_nearly_all_of_a_city_is_named():
    rng = np.random.default_rng(2)
    tagged = simulated(rng, n_outlets=8, per_outlet=(1, 20), p=(0.5, 0.2),
                       heavy=("sejong", 80, 0.6))
    row = check(tagged)
    assert not row["holds"]
    assert "합성큰신문" in row["note"]


def test_articles_without_an_outlet_form_one_group_and_duplicates_do_not_count():
    rng = np.random.default_rng(4)
    tagged = simulated(rng, n_outlets=6, per_outlet=(12, 12), p=(0.4, 0.2))
    tagged.loc[tagged.index[:5], "outlet"] = ""
    tagged.loc[tagged.index[5:8], "outlet"] = None
    tagged.loc[tagged.index[-4:], "is_duplicate"] = True
    shares = oc.outlet_shares(tagged, a="sejong", b="daejeon")
    assert oc.NO_OUTLET in set(shares["outlet"])
    assert shares.loc[shares["outlet"] == oc.NO_OUTLET, "n"].sum() == 8
    assert shares["n"].sum() == len(tagged) - 4
    assert np.allclose(shares.groupby("region")["share"].sum(), 1.0)
    assert shares.groupby("region")["rank"].min().eq(1).all()
    assert check(tagged)["n_outlets"] == 7


@pytest.mark.parametrize("base", ["smart_city", "all"])
def test_base_all_counts_every_article_of_the_city(base):
    rng = np.random.default_rng(6)
    tagged = simulated(rng, n_outlets=8, per_outlet=(10, 10), p=(0.4, 0.2))
    tagged.loc[tagged.index[::4], "smart_city"] = False
    row = check(tagged, base=base)
    expected = (tagged["region"] == "sejong") & (tagged["smart_city"] | (base == "all"))
    assert row["n_a"] == int(expected.sum())


def test_the_findings_say_which_difference_rests_on_an_outlet():
    rng = np.random.default_rng(3)
    spread = simulated(rng, n_outlets=12, per_outlet=(15, 25), p=(0.45, 0.15))
    heavy = simulated(rng, n_outlets=12, per_outlet=(15, 25), p=(0.2, 0.2),
                      heavy=("sejong", 120, 0.7))
    for frame, kind, n_outlets in ((spread, "outlet_holds", 12), (heavy, "outlet_rests", 13)):
        found = tt.findings(frame, freq="YS", a="sejong", b="daejeon",
                            outlet_check=oc.outlet_check(frame, a="sejong", b="daejeon"))
        line = [s for s in found.en if s.startswith("Outlet check")]
        said = f"({n_outlets} outlets with smart-city articles of the two cities)"
        assert len(line) == 1 and said in line[0]
        assert found.facts["kind"].eq(kind).sum() == 1
        assert sum(s.startswith("언론사 점검") for s in found.ko) == 1
    table = oc.outlet_check(heavy, a="sejong", b="daejeon")
    rests = [s for s in tt.findings(heavy, freq="YS", a="sejong", b="daejeon",
                                    outlet_check=table).en if s.startswith("Outlet check")][0]
    assert "0 of 1 significant differences hold" in rests
    assert "without 합성큰신문" in rests
    quiet = tt.findings(heavy, freq="YS", a="sejong", b="daejeon")
    assert not any(s.startswith("Outlet check") for s in quiet.en)
    assert "outlet_rests" not in set(quiet.facts["kind"])
    with pytest.raises(ValueError, match="compares daejeon and sejong"):
        tt.findings(heavy, freq="YS", a="sejong", b="daejeon",
                    outlet_check=oc.outlet_check(heavy, a="daejeon", b="sejong"))


def test_the_outlet_check_chart_labels_its_axes_and_names_the_outlet():
    from lib.present import topic_plots as tp

    rng = np.random.default_rng(3)
    heavy = simulated(rng, n_outlets=12, per_outlet=(15, 25), p=(0.2, 0.2),
                      heavy=("sejong", 120, 0.7))
    fig = tp.plot_outlet_check(oc.outlet_check(heavy, a="sejong", b="daejeon"))
    ax = fig.axes[0]
    assert "%p" in ax.get_xlabel() and ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    # The outlet it rests on, what happens without it and by how much.
    assert any(t.startswith("합성큰신문 빼면 유의하지 않음 (") and t.endswith("%p)") for t in texts)
    empty = heavy.iloc[:0]
    tp.plot_outlet_check(oc.outlet_check(empty, a="sejong", b="daejeon"))


def test_a_city_written_by_one_outlet_keeps_its_sampling_error():
    """All of Sejong's articles from one outlet: its share has no residual to cluster, and the
    sandwich alone would take it as known. The outlet-clustered interval is never narrower
    than the article-level one."""
    rng = np.random.default_rng(5)
    frame = simulated(rng, n_outlets=6, per_outlet=(0, 60), p=(0.3, 0.3), spread=0.3,
                      heavy=("sejong", 300, 0.3))
    row = check(frame)
    assert np.isfinite(row["cluster_low"])
    assert row["cluster_low"] <= row["ci_low"] and row["cluster_high"] >= row["ci_high"]
