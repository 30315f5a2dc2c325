"""The outlet check of each period cell of the city difference (``outlet_check(freq=…)``):
its leave-one-out equals recomputing the city comparison without each outlet, its clustered
interval keeps its coverage where the article-level one does not, a cell one outlet makes is
found, and every reader of the whole-span check refuses a table per period. Simulated
articles (synthetic) where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import outlets as oc
from lib.analysis import robustness
from lib.analysis import topic_trends as tt
from lib.present import topic_plots as tp

YEARS = (2021, 2022, 2023, 2024)
OPTIONS = {"freq": "YS", "a": "sejong", "b": "daejeon"}


def simulated(rng: np.random.Generator, *, n_outlets: int, per_outlet: tuple[int, int],
              p: tuple[float, float], spread: float = 0.0, lopsided: bool = False,
              heavy: tuple[str, int, int, float] | None = None) -> pd.DataFrame:
    """Smart-city articles of two cities over four years, ``mobility`` or not: each of
    ``n_outlets`` outlets writes ``per_outlet`` articles of each city a year, at the city's
    share ``p`` moved by the outlet's beat (logit sd ``spread``, the same in both cities and
    every year). ``lopsided``: every other outlet swaps the two counts. ``heavy = (city, year,
    n, share)`` adds one outlet writing ``n`` articles of that city in that year alone."""
    rows = []
    for g in range(n_outlets):
        effect = rng.normal(0, spread) if spread else 0.0
        counts = per_outlet[::-1] if lopsided and g % 2 else per_outlet
        for year in YEARS:
            for city, share, count in (("sejong", p[0], counts[0]),
                                       ("daejeon", p[1], counts[1])):
                q = 1 / (1 + np.exp(-(np.log(share / (1 - share)) + effect)))
                rows += [(f"합성일보{g:02d}", city, year, bool(h))
                         for h in rng.random(count) < q]
    if heavy is not None:
        city, year, count, share = heavy
        rows += [("합성큰신문", city, year, bool(h)) for h in rng.random(count) < share]
    frame = pd.DataFrame(rows, columns=["outlet", "region", "year", "hit"])
    return pd.DataFrame({
        "article_id": [f"c{i:06d}" for i in range(len(frame))],
        "outlet": frame["outlet"],
        "published": pd.to_datetime(frame["year"].astype(str) + "-06-15"),
        "region": frame["region"],
        "smart_city": True,
        "topics": [("mobility",) if h else ("energy",) for h in frame["hit"]],
        "is_duplicate": False,
    })


def test_leaving_each_outlet_out_equals_comparing_the_cities_without_it():
    """The vectorised leave-one-out (score test and Benjamini–Hochberg over every cell) gives
    what ``compare_regions`` gives on the corpus without each outlet, cell by cell."""
    rng = np.random.default_rng(2)
    tagged = simulated(rng, n_outlets=8, per_outlet=(14, 11), p=(0.45, 0.25), spread=0.6)
    table = oc.outlet_check(tagged, **OPTIONS)
    assert table["period"].nunique() == len(YEARS) and not table["too_few"].any()
    without = [tt.compare_regions(tagged[tagged["outlet"] != outlet], **OPTIONS)
               for outlet in sorted(tagged["outlet"].unique())]
    diffs = np.column_stack([w["diff"].to_numpy() for w in without])
    significant = np.column_stack([w["significant"].to_numpy() for w in without])
    assert np.allclose(table["loo_min"], diffs.min(axis=1))
    assert np.allclose(table["loo_max"], diffs.max(axis=1))
    assert table["loo_significant"].tolist() == significant.all(axis=1).tolist()
    assert significant.any() and not significant.all()  # the comparison is not trivial
    swing = diffs[np.arange(len(table)), [sorted(tagged["outlet"].unique()).index(o)
                                          for o in table["swing_outlet"]]]
    assert np.allclose(table["swing_diff"], swing)
    # the first columns are compare_regions' per period
    cells = tt.compare_regions(tagged, **OPTIONS)
    assert (table["period"] == cells["period"]).all()
    assert np.allclose(table["diff"], cells["diff"])
    assert table["significant"].tolist() == cells["significant"].tolist()
    assert table.attrs["freq"] == "YS"


def test_the_clustered_interval_keeps_its_coverage_in_each_cell():
    """Outlets differ in how much they write on the topic (logit sd 0.8) and each writes
    mostly of one city; the true difference is 0 in every year. Counted over cells and
    draws, the outlet-clustered interval covers 0 near 95%, the article-level one far less."""
    rng = np.random.default_rng(17)
    covered_articles = covered_outlets = cells = 0
    for _ in range(40):
        table = oc.outlet_check(
            simulated(rng, n_outlets=24, per_outlet=(36, 4), p=(0.3, 0.3), spread=0.8,
                      lopsided=True), **OPTIONS, topics=["mobility"])
        tested = table[table["cluster_low"].notna()]
        cells += len(tested)
        covered_articles += int(((tested["ci_low"] <= 0) & (0 <= tested["ci_high"])).sum())
        covered_outlets += int(((tested["cluster_low"] <= 0) & (0 <= tested["cluster_high"])).sum())
    assert cells == 40 * len(YEARS)
    assert covered_outlets / cells >= 0.86
    assert covered_articles / cells <= covered_outlets / cells - 0.10


def test_a_cell_one_outlet_makes_does_not_hold_and_names_it():
    """Every outlet writes mobility at 25% in both cities; in 2023 one more outlet writes 80
    Sejong articles at 80%. That cell differs at article level, rests on the outlet, and the
    other years are untouched."""
    rng = np.random.default_rng(4)
    tagged = simulated(rng, n_outlets=10, per_outlet=(8, 8), p=(0.25, 0.25),
                       heavy=("sejong", 2023, 80, 0.8))
    table = oc.outlet_check(tagged, **OPTIONS, topics=["mobility"])
    cell = table[table["period"] == pd.Timestamp("2023-01-01")].iloc[0]
    assert cell["significant"] and not cell["holds"]
    assert cell["swing_outlet"] == "합성큰신문"
    assert not cell["loo_significant"]
    assert abs(cell["swing_diff"]) < abs(cell["diff"]) / 2
    others = table[table["period"] != pd.Timestamp("2023-01-01")]
    assert not others["significant"].any()

    found = tt.findings(tagged, **OPTIONS, outlet_cells=table)
    line = [s for s in found.en if s.startswith("Outlet check of the year cells")]
    assert line and "0 of 1 significant cells hold" in line[0]
    assert "1 not significant without one outlet" in line[0]
    line_ko = next(s for s in found.ko
                   if s.startswith(f"{tt.freq_name('YS')}별 주제·기간 조합의 언론사 점검"))
    # One cell, and it does not hold: said as such, never "1개 중 0개".
    assert "유의한 조합 1개는 어느 언론사 하나를 빼거나 언론사를 군집으로 보면 유지되지 않습니다" in line_ko
    assert " 0개" not in line_ko and "유지되지 않는 이유: 한 언론사를 빼면 유의하지 않음 1개" in line_ko
    fact = found.facts[found.facts["kind"] == "outlet_cells"].iloc[0]
    assert (fact["value"], fact["n"]) == (0, 1)
    assert not any("cells hold" in s for s in tt.findings(tagged, **OPTIONS).en)

    compare = tt.compare_regions(tagged, **OPTIONS, topics=["mobility"])
    fig = tp.plot_region_difference(compare, outlet_check=table)
    assert "언론사 점검 유지 0" in fig.axes[0].get_title(loc="left")
    hollow = [line for line in fig.axes[0].lines
              if line.get_markerfacecolor() == "white" and line.get_color() != "#999999"]
    assert hollow, "the significant cell that does not hold is drawn hollow"
    # ... as a diamond, not a circle like the cells that are not significant.
    assert {line.get_marker() for line in hollow} == {"D"}
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "유의하지만 언론사 점검에서 유지되지 않음" in labels


def test_a_cell_where_one_outlet_writes_nearly_all_of_a_city_says_so():
    rng = np.random.default_rng(6)
    tagged = simulated(rng, n_outlets=10, per_outlet=(0, 8), p=(0.2, 0.2),
                       heavy=("sejong", 2022, 60, 0.8))
    table = oc.outlet_check(tagged, **OPTIONS, topics=["mobility"], min_n=10)
    cell = table[table["period"] == pd.Timestamp("2022-01-01")].iloc[0]
    assert cell["significant"] and not cell["holds"] and np.isnan(cell["loo_min"])
    assert "합성큰신문 writes all but fewer than 10" in cell["note"]
    line = [s for s in tt.findings(tagged, **OPTIONS, outlet_cells=table).en
            if s.startswith("Outlet check of the year")][0]
    assert "1 where one outlet writes nearly all of a city's articles" in line


def test_the_readers_of_the_whole_span_check_refuse_a_table_per_period():
    rng = np.random.default_rng(8)
    tagged = simulated(rng, n_outlets=8, per_outlet=(10, 10), p=(0.4, 0.2))
    per_year = oc.outlet_check(tagged, **OPTIONS)
    with pytest.raises(ValueError, match="outlet_cells"):
        tt.findings(tagged, **OPTIONS, outlet_check=per_year)
    with pytest.raises(ValueError, match="whole-span"):
        robustness.robustness(tagged, **OPTIONS, outlet_check=per_year)
    with pytest.raises(ValueError, match="whole-span"):
        tp.plot_outlet_check(per_year)
    with pytest.raises(ValueError, match="per 'YS'"):
        tt.findings(tagged, freq="6MS", a="sejong", b="daejeon", outlet_cells=per_year)
    with pytest.raises(ValueError, match="period length"):
        tp.plot_region_difference(tt.compare_regions(tagged, freq="6MS", a="sejong",
                                                     b="daejeon"), outlet_check=per_year)


def test_the_exported_table_of_the_cell_chart_carries_the_outlet_verdicts(tmp_path, monkeypatch):
    """With ``FIGURES_DIR`` set the chart's CSV is the table it drew: each cell with its
    outlet-clustered interval, the outlet it rests on and whether it holds."""
    rng = np.random.default_rng(4)
    tagged = simulated(rng, n_outlets=10, per_outlet=(8, 8), p=(0.25, 0.25),
                       heavy=("sejong", 2023, 80, 0.8))
    table = oc.outlet_check(tagged, **OPTIONS, topics=["mobility"])
    compare = tt.compare_regions(tagged, **OPTIONS, topics=["mobility"])
    monkeypatch.setenv("FIGURES_DIR", str(tmp_path))
    tp.plot_region_difference(compare, outlet_check=table)
    tp.plot_region_difference(compare)
    with_check, without = sorted(tmp_path.glob("*region_difference.csv"))
    drawn = pd.read_csv(with_check, encoding="utf-8-sig", parse_dates=["period"])
    cell = drawn[drawn["period"] == pd.Timestamp("2023-01-01")].iloc[0]
    assert not cell["holds"] and cell["swing_outlet"] == "합성큰신문"
    assert cell["cluster_low"] == pytest.approx(table.loc[table["period"] == "2023-01-01",
                                                       "cluster_low"].iloc[0])
    assert "holds" not in pd.read_csv(without, encoding="utf-8-sig").columns
