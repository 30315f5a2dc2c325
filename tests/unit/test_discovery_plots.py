"""Discovery charts: every one returns a Figure with Korean text that renders, labelled axes,
the n behind its numbers, and a figure that says why when there is nothing to draw."""

from __future__ import annotations

import io
import warnings

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from lib.analysis import bursts, keyness
from lib.analysis.topicmodel import TopicModel
from lib.present import discovery_plots as dp
from lib.present import plots
from lib.vocabulary import get_vocabulary, region_color, region_label
from tests.unit.test_bursts import tagged_months
from tests.unit.test_topicmodel import corpus


def rendered(fig: Figure) -> list[str]:
    """Draw ``fig`` to PNG with missing glyphs as errors; return every text on it."""
    assert isinstance(fig, Figure)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing")
        fig.savefig(io.BytesIO(), format="png")
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


@pytest.fixture(scope="module")
def model_and_data():
    tagged, tokens = corpus()
    model = TopicModel(k_range=range(2, 5), min_df=3, random_state=0).fit(tagged, tokens)
    return model, tagged, tokens


def test_keyness_chart_names_groups_and_counts(model_and_data) -> None:
    _, tagged, tokens = model_and_data
    table = keyness.city_keyness(tagged, tokens, min_count=1)
    texts = " ".join(rendered(dp.plot_keyness(table, n=5)))
    a, b = table.attrs["pair"]
    assert f"n={table.attrs['n_articles'][a]}" in texts and "z (" in texts
    assert "z=1.96" not in texts


def _hatched_bars(fig: Figure) -> tuple[list[float], list[float]]:
    """The widths of the solid and of the hatched bars of a bar chart."""
    bars = [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle)]
    return ([p.get_width() for p in bars if not p.get_hatch()],
            [p.get_width() for p in bars if p.get_hatch()])


def test_keyness_chart_draws_the_chance_bar_and_pales_the_terms_below_it() -> None:
    """The reference line is the chance bar the findings use, labelled; bars below it are
    pale and hatched (legend), bars above it solid; words of the same articles are one bar."""
    rows = [("가", "g1", 5.0), ("나", "g1", 3.0), ("다", "g1", 2.5), ("라", "g2", 2.2)]
    table = pd.DataFrame([{"term": t, "group": g, "log_odds": z / 10, "z": z,
                           "share_group": 0.2, "share_other": 0.1, "n_group": 4, "n_other": 1,
                           "docs_group": 4, "docs_other": 1, "examples": ""} for t, g, z in rows]
                         + [{"term": "마", "group": "g1", "log_odds": 0.3, "z": 3.0,
                             "share_group": 0.2, "share_other": 0.1, "n_group": 2, "n_other": 1,
                             "docs_group": 4, "docs_other": 1, "examples": ""}],
                         columns=list(keyness.KEYNESS_COLUMNS))
    table.attrs.update(pair=("g1", "g2"), n_articles={"g1": 20, "g2": 20}, chance_z=3.7,
                       twins={"나": ("나", "마"), "마": ("나", "마")})
    fig = dp.plot_keyness(table, n=5)
    texts = " ".join(rendered(fig))
    assert "우연 기준 z 3.7" in texts and "미만" in texts and "나·마" in texts
    lines = [ln.get_xdata()[0] for ax in fig.axes for ln in ax.lines]
    assert lines and all(x == pytest.approx(3.7) for x in lines)
    solid, hatched = _hatched_bars(fig)
    assert solid == [5.0] and sorted(hatched) == [2.2, 2.5, 3.0]


def test_term_trend_chart_has_units_and_n(model_and_data) -> None:
    _, tagged, tokens = model_and_data
    table = keyness.term_trends(tagged, tokens, ["정류장", "축전지"], min_n=3)
    fig = dp.plot_term_trends(table)
    texts = " ".join(rendered(fig))
    assert "기사 비중 (%)" in texts and "Wilson" in texts
    # Each panel's title gives its term's articles per city: using it / all.
    for (term, region), part in table.groupby(["term", "region"]):
        k, n = int(part["n_docs"].sum()), int(part["n_total"].sum())
        assert term in texts and f"{region_label(region)} {k}/{n}" in texts


def test_term_trend_chart_of_a_thin_corpus_keeps_its_period_axis_and_says_why(
        model_and_data) -> None:
    _, tagged, tokens = model_and_data
    table = keyness.term_trends(tagged, tokens, ["정류장"], freq="YS", min_n=10_000)
    assert table["too_few"].all() and table["period"].nunique() >= 2
    fig = dp.plot_term_trends(table)
    ax = fig.axes[0]
    assert "모든 기간 n < 10000: 비중을 표시하지 않음" in rendered(fig)
    # Every period is hatched, and the x axis spans the corpus's periods (not the epoch).
    assert len([p for p in ax.patches if p.get_hatch()]) == table["period"].nunique()
    low, high = (pd.Timestamp(mdates.num2date(x)).tz_localize(None) for x in ax.get_xlim())
    assert low < table["period"].min() and high > table["period"].max()
    assert high - low < pd.Timedelta(days=366 * (table["period"].nunique() + 1))
    assert ax.get_ylim() == (0.0, 100.0)


def test_topic_charts(model_and_data) -> None:
    model, _, _ = model_and_data
    labels = model.labels()
    texts = " ".join(rendered(dp.plot_topic_terms(model.top_terms(5), labels)))
    assert "NMF 가중치" in texts and "NPMI" in texts
    prev = model.prevalence(freq="YS", n_boot=50, min_n=3)
    texts = " ".join(rendered(dp.plot_topic_prevalence(prev, labels)))
    assert "평균 주제 비중 (%)" in texts and "부트스트랩" in texts and "n=" in texts
    texts = " ".join(rendered(dp.plot_topic_crosstab(model.crosstab(), labels)))
    assert "분류표 주제 없음 (n=30)" in texts and "행 기사 중 비중 (%)" in texts


def test_topic_prevalence_hatches_thin_periods_and_marks_lone_points(model_and_data) -> None:
    model, _, _ = model_and_data
    labels = model.labels()
    prev = model.prevalence(freq="YS", n_boot=50, min_n=3)
    assert prev["period"].nunique() >= 3
    # Keep one period shown for one topic and city, next to thin ones: a lone point.
    topic, region = labels["topic"].iloc[0], prev["region"].iloc[0]
    periods = sorted(prev["period"].unique())
    keep = ((prev["topic"] == topic) & (prev["region"] == region)
            & (prev["period"] == periods[0]) & ~prev["too_few"])
    assert keep.sum() == 1
    # And the last period shown for the second topic, so that no period is cut from the ends.
    last = ((prev["topic"] == labels["topic"].iloc[1]) & (prev["region"] == region)
            & (prev["period"] == periods[-1]) & ~prev["too_few"])
    assert last.sum() == 1
    thin = prev.copy()
    thin.loc[~(keep | last), "too_few"] = True
    thin.loc[~(keep | last), ["prevalence", "ci_low", "ci_high"]] = float("nan")
    fig = dp.plot_topic_prevalence(thin, labels)
    texts = rendered(fig)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert texts.count("모든 기간 n < 3: 비중을 표시하지 않음") == len(labels) - 2
    assert all(len([p for p in ax.patches if p.get_hatch()]) == len(periods) for ax in panels)
    # The lone point gets a whisker from its interval (a ribbon needs two points).
    whiskers = [c for c in panels[0].collections
                if isinstance(c, LineCollection) and c.get_segments()]
    row = thin[keep].iloc[0]
    assert [[(100 * row["ci_low"]), (100 * row["ci_high"])]] == [
        [seg[0][1], seg[1][1]] for c in whiskers for seg in c.get_segments()]
    # Every column's lowest panel labels the periods, even above an empty slot.
    cols = min(3, len(labels))
    for ax in panels[-cols:]:
        assert ax.get_xlabel() == "기간"
        assert any(t.get_text() for t in ax.get_xticklabels())


def test_burst_charts_draw_bursts_and_events() -> None:
    counts = bursts.monthly_counts(tagged_months())
    found = bursts.detect_bursts(counts)
    series = found.iloc[0]["series"]
    events = pd.DataFrame({"date": [pd.Timestamp("2021-04-02")], "region": ["all"],
                           "label": ["시험 사건"]})
    texts = " ".join(rendered(dp.plot_burst_timeline(counts, found, series, events=events)))
    assert "E1" in texts and "시험 사건" in texts and "기사 수 (건/월)" in texts
    assert "2021-04~2021-06" in texts
    # The line counts the articles monthly_counts counted: the smart-city ones by default.
    assert "스마트시티 기사 전체 (n=" in texts and " 전체 기사 (n=" not in texts
    every = bursts.monthly_counts(tagged_months(), smart_city_only=False)
    assert "전체 기사 (n=" in " ".join(rendered(dp.plot_burst_timeline(every, found, series)))
    texts = " ".join(rendered(dp.plot_burst_overview(found, events=events)))
    assert "15/24" in texts and "E1" in texts


def test_burst_overview_shades_by_chance_not_by_strength() -> None:
    """A burst of large strength but an excess under its city's bar is pale and hatched; one
    above the bar solid, whatever its strength; the legend gives each city's bar."""
    rows = [{"kind": "term", "series": s, "region": r, "start": pd.Timestamp("2021-04-01"),
             "end": pd.Timestamp("2021-06-01"), "n_months": 3, "strength": st, "n_docs": 9,
             "n_total": 20, "share_burst": 0.45, "share_base": 0.1, "excess": x}
            for s, r, st, x in (("강한", "daejeon", 12.0, 14.0), ("약한", "sejong", 3.0, 9.0))]
    table = pd.DataFrame(rows, columns=list(bursts.BURST_COLUMNS))
    table.attrs["chance"] = {"sejong": 8.0, "daejeon": 15.0}
    fig = dp.plot_burst_overview(table)
    texts = " ".join(rendered(fig))
    assert "우연 이상 (추세 대비 강도 > 15.0)" in texts and "우연 수준 (≤ 8.0)" in texts
    assert "9/20 · 14.0" in texts
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    hatched = {round(p.get_y() + p.get_height() / 2) for p in bars if p.get_hatch()}
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert [names[i] for i in hatched] == [f"강한 · {region_label('daejeon')}"]


@pytest.mark.parametrize("draw", [
    lambda: dp.plot_keyness(pd.DataFrame(columns=list(keyness.KEYNESS_COLUMNS))),
    lambda: dp.plot_term_trends(pd.DataFrame(columns=list(keyness.TERM_TREND_COLUMNS))),
    lambda: dp.plot_burst_overview(pd.DataFrame(columns=list(bursts.BURST_COLUMNS))),
    lambda: dp.plot_burst_timeline(pd.DataFrame(columns=list(bursts.COUNT_COLUMNS)),
                                   pd.DataFrame(columns=list(bursts.BURST_COLUMNS)), "x"),
])
def test_nothing_to_draw_says_so(draw) -> None:
    texts = " ".join(rendered(draw()))
    assert "없" in texts  # 없습니다 / 없음: the figure says there is nothing, not an empty frame


def test_no_burst_in_flat_full_series_is_not_blamed_on_thin_counts() -> None:
    """Three years of 40 articles a month with a steady share of a topic: nothing bursts,
    and the chart says what was asked (a share of 3 times the usual) rather than that the
    months were too thin or the span too short."""
    import numpy as np

    rng = np.random.default_rng(2)
    months = pd.date_range("2020-01-01", periods=36, freq="MS")
    published = [month + pd.Timedelta(days=int(rng.integers(0, 28)))
                 for month in months for _ in range(40)]
    tagged = pd.DataFrame({
        "article_id": [f"f{i:05d}" for i in range(len(published))],
        "published": published, "region": "sejong", "smart_city": True,
        "topics": [("mobility",) if rng.random() < 0.3 else () for _ in published],
        "is_duplicate": False})
    found = bursts.detect_bursts(bursts.monthly_counts(tagged))
    assert found.empty
    text = " ".join(rendered(dp.plot_burst_overview(found)))
    assert "평소의 3배" in text and "없습니다" in text


def _drawn(fig: Figure):
    """Lay ``fig`` out and draw it on an Agg canvas; return the renderer for window extents."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    rendered(fig)
    canvas.draw()
    return canvas.get_renderer()


@pytest.mark.parametrize("n_terms", [2, 3, 4, 6])
def test_term_trend_legend_lies_outside_every_panel_and_no_slot_is_empty(
        model_and_data, n_terms: int) -> None:
    _, tagged, tokens = model_and_data
    terms = ["정류장", "축전지", "워크숍", "전력망", "교차로", "공모전"][:n_terms]
    fig = dp.plot_term_trends(keyness.term_trends(tagged, tokens, terms, min_n=3))
    renderer = _drawn(fig)
    assert len(fig.legends) == 1 and not any(ax.get_legend() for ax in fig.axes)
    box = fig.legends[0].get_window_extent(renderer)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == len(fig.axes) == n_terms  # a grid without empty slots
    for ax in shown:
        assert not box.overlaps(ax.get_window_extent(renderer)), ax.get_title()
        assert box.y0 >= ax.get_tightbbox(renderer).y1 - 1  # above the panels and their titles
    assert fig.get_figwidth() <= dp.REPORT_WIDTH  # shown at full size in the report
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
             if t.get_text().strip() and t.get_visible()
             and "synthetic" not in t.get_text()]  # the export stamp is lib.present.export's
    assert min(t.get_fontsize() for t in texts) >= dp.MIN_FONT


def test_grid_shape_leaves_no_empty_slot_when_it_can() -> None:
    assert dp.grid_shape(4) == (2, 2) and dp.grid_shape(6) == (2, 3)
    assert dp.grid_shape(3) == (1, 3) and dp.grid_shape(8, max_cols=4) == (2, 4)
    for n in range(1, 13):
        rows, cols = dp.grid_shape(n)
        assert rows * cols >= n and rows * cols - n < cols
        if any(n % c == 0 for c in (2, 3)) or n <= 3:
            assert rows * cols == n


def test_topic_panels_are_named_and_ordered_by_the_counts_they_show(model_and_data) -> None:
    import re
    model, _, _ = model_and_data
    labels = model.labels()
    fig = dp.plot_topic_terms(model.top_terms(5), labels)
    rendered(fig)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    counts = [int(re.search(r"주 주제 기사 (\d+)건", t).group(1)) for t in titles]
    assert counts == sorted(counts, reverse=True) == list(labels["n_main"])
    for title, (topic, label) in zip(titles, zip(labels["topic"], labels["label"])):
        assert title.startswith(f"{topic} {dp.topic_short_name(label)}")
        assert len(dp.topic_short_name(label).split("·")) <= 3


def test_crosstab_cells_print_the_share_the_colour_shows(model_and_data) -> None:
    model, _, _ = model_and_data
    cross = model.crosstab()
    fig = dp.plot_topic_crosstab(cross, model.labels())
    texts = rendered(fig)
    shown = cross[cross["n_docs"] > 0]
    for share, k in zip(shown["share"], shown["n_docs"]):
        assert f"{share:.0%}" in texts and f"({k})" in texts
    image = fig.axes[0].images[0]
    np.testing.assert_allclose(
        np.sort(image.get_array().ravel()), np.sort(100 * cross["share"].to_numpy()))
    assert "비중 (%)" in fig.axes[1].get_ylabel()  # the colour bar says what the colour is


# --- Colours: a city's colour means that city and nothing else -----------------------------


def _bar_colours(fig: Figure) -> set[str]:
    return {mcolors.to_hex(p.get_facecolor()) for ax in fig.axes if ax.get_visible()
            for p in ax.patches if isinstance(p, Rectangle)}


def _city_colours() -> set[str]:
    vocab = get_vocabulary()
    return {mcolors.to_hex(region_color(c)) for c in vocab.city_keys}


def test_nmf_term_bars_are_one_neutral_colour_not_a_citys(model_and_data) -> None:
    """The topic panels used to cycle blue, orange, green, pink: blue and orange are Sejong and
    Daejeon everywhere else."""
    model, _, _ = model_and_data
    labels = model.labels()
    assert len(labels) >= 2
    fig = dp.plot_topic_terms(model.top_terms(5), labels)
    colours = _bar_colours(fig)
    assert colours == {mcolors.to_hex(plots.NEUTRAL_COLOR)}
    assert not colours & _city_colours()


def test_keyness_colours_are_cities_only_for_cities(model_and_data) -> None:
    _, tagged, tokens = model_and_data
    cities = keyness.city_keyness(tagged, tokens, min_count=1)
    a, b = cities.attrs["pair"]
    assert _bar_colours(dp.plot_keyness(cities, n=5)) == {mcolors.to_hex(region_color(a)),
                                                        mcolors.to_hex(region_color(b))}
    # Two periods of one city: that city's colour, never the other city's.
    periods = keyness.period_keyness(tagged, tokens, region=a, min_count=1)
    assert not periods.empty and periods.attrs["region"] == a
    assert _bar_colours(dp.plot_keyness(periods, n=5)) == {mcolors.to_hex(region_color(a))}
    # Two groups that are no region and of no one city: greys.
    plain = cities.assign(group=cities["group"].map({a: "앞", b: "뒤"}))
    plain.attrs = {**cities.attrs, "pair": ("앞", "뒤"), "n_articles": {"앞": 1, "뒤": 1}}
    colours = _bar_colours(dp.plot_keyness(plain, n=5))
    assert colours and not colours & _city_colours()
    assert colours <= {mcolors.to_hex(plots.NEUTRAL_COLOR),
                       mcolors.to_hex(plots.NEUTRAL_LIGHT_COLOR)}


def test_term_trend_panels_start_at_the_first_readable_period_and_count_every_article() -> None:
    """A corpus whose first years hold a few articles: those years are cut from the panels and
    named under them, and the panel titles still count them."""
    rows = []
    for year, n in {2008: 2, 2009: 3, 2015: 12, 2016: 12, 2017: 12}.items():
        for region in ("sejong", "daejeon"):
            k = n // 2
            rows.append({"period": pd.Timestamp(f"{year}-01-01"), "region": region,
                         "term": "정류장", "n_docs": k, "n_total": n, "share": k / n,
                         "ci_low": 0.1, "ci_high": 0.9, "too_few": n < 10})
    table = pd.DataFrame(rows)
    table.attrs.update(freq="YS", min_n=10)
    fig = dp.plot_term_trends(table)
    texts = rendered(fig)
    assert "2008–2009 생략 (모든 도시 n < 10, 기사 10건)" in texts
    low = pd.Timestamp(mdates.num2date(fig.axes[0].get_xlim()[0])).tz_localize(None)
    assert pd.Timestamp("2014-01-01") < low < pd.Timestamp("2015-01-01")
    assert "세종 20/41" in " ".join(texts)  # 1 + 1 + 6 + 6 + 6 of 2 + 3 + 12 + 12 + 12


def test_topic_prevalence_panels_start_at_the_first_readable_period(model_and_data) -> None:
    model, _, _ = model_and_data
    prev = model.prevalence(freq="YS", n_boot=50, min_n=3)
    early = prev[prev["period"] == prev["period"].min()].copy()
    early["period"] = pd.Timestamp("2001-01-01")
    early["n_articles"], early["too_few"] = 1, True
    longer = pd.concat([early, prev]).reset_index(drop=True)
    longer.attrs = dict(prev.attrs)
    fig = dp.plot_topic_prevalence(longer, model.labels())
    texts = rendered(fig)
    assert any(t.startswith("2001 생략 (모든 도시 n < 3, 기사 ") for t in texts)
    low = pd.Timestamp(mdates.num2date(fig.axes[0].get_xlim()[0])).tz_localize(None)
    assert low > pd.Timestamp("2001-12-31")
