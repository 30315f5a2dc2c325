"""Topic-trend charts: each renders to PNG with Hangul, is titled, labels its axes with units,
shows n per bin and marks thin bins and significant cells."""

from __future__ import annotations

import io
import warnings

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lib.analysis import outlets as oc
from lib.analysis import topic_trends as tt
from lib.analysis import trends
from lib.present import plots
from lib.present import topic_plots as tp
from lib.vocabulary import region_color, region_label, topic_label
from tests.unit.test_topic_trends import make_tagged, random_rows
from tests.conftest import tagged_rows

PROBS = {"sejong": {"pilot_city": 0.7}, "daejeon": {"pilot_city": 0.1, "data_ai": 0.6}}


@pytest.fixture(scope="module")
def tagged() -> pd.DataFrame:
    """~700 articles 2020-2022; 'both' stays thin in every quarter."""
    rows = random_rows(760, seed=21, regions=("sejong", "daejeon", "sejong", "daejeon", "both",
                                              "neither"), probs=PROBS)
    return make_tagged(rows)


@pytest.fixture(autouse=True)
def no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)


def render(fig: Figure) -> bytes:
    """PNG bytes; a missing glyph (Hangul or a U+2212 minus drawn as a box) fails the test."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*Glyph .* missing", category=UserWarning)
        warnings.filterwarnings("error", message=r".*does not have a glyph", category=UserWarning)
        fig.savefig(buf, format="png")
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG")
    return data


def all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(mpl.text.Text))


def hatched(ax: mpl.axes.Axes) -> list:
    return [p for p in ax.patches if p.get_hatch()]


def note_of(fig: Figure) -> str:
    """The note of a chart with nothing to draw (``plots.note_figure``), its line breaks
    (wrapping) read as spaces."""
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts).replace("\n", " ")


def is_note(fig: Figure) -> bool:
    """Whether ``fig`` is a note rather than a chart: small, one axes without frame or ticks."""
    width, height = fig.get_size_inches()
    return (len(fig.axes) == 1 and not fig.axes[0].axison and width <= 8 and height <= 2.5
            and bool(fig.get_suptitle()))


def test_significant_trends_are_drawn_as_the_lines_they_fitted(tagged: pd.DataFrame) -> None:
    shares = tt.topic_shares(tagged, freq="QS", min_n=10, regions=["sejong", "daejeon"])
    trend = tt.trend_test(tagged, freq="QS", min_n=10, regions=["sejong", "daejeon"])
    trend.loc[0, "significant"] = True  # at least one, whatever the fixture's data say
    fig = tp.plot_topic_trends(shares, trend=trend)
    topics = list(dict.fromkeys(shares["topic"]))
    drawn = 0
    for ax, topic in zip(fig.axes, topics, strict=False):
        for line in ax.lines:
            if line.get_linestyle() != "--":
                continue
            drawn += 1
            region = next(r for r in ("sejong", "daejeon")
                          if mcolors.to_hex(line.get_color()) == region_color(r).lower())
            row = trend[(trend["region"] == region) & (trend["topic"] == topic)].iloc[0]
            assert row["significant"]
            y = line.get_ydata()
            assert y[0] == pytest.approx(row["share_start"] * 100)
            assert y[-1] == pytest.approx(row["share_end"] * 100)
    fitted = trend[trend["significant"] & trend["share_start"].between(0, 1, inclusive="neither")]
    assert drawn == len(fitted) >= 1
    assert "유의한 추세의 적합선" in all_text(fig)
    # Not on shares corrected for tagging error: the test fitted the shares as tagged.
    corrected = shares.copy()
    corrected.attrs["corrected"] = True
    assert not any(line.get_linestyle() == "--" for ax in
                   tp.plot_topic_trends(corrected, trend=trend).axes[:-1] for line in ax.lines)


def test_topic_trends_small_multiples(tagged: pd.DataFrame) -> None:
    shares = tt.topic_shares(tagged, freq="QS", min_n=10)
    fig = tp.plot_topic_trends(shares)
    topics = list(dict.fromkeys(shares["topic"]))
    assert isinstance(fig, Figure) and len(fig.axes) == len(topics) + 1
    assert "주제 비중" in fig.get_suptitle() and "95%" in fig.get_suptitle()
    text = all_text(fig)
    for topic in topics:
        assert topic_label(topic) in text
    panels, n_ax = fig.axes[:-1], fig.axes[-1]
    assert panels[0].get_ylabel() == "비중 (%)"
    assert n_ax.get_ylabel().startswith("n (") and n_ax.get_xlabel() == "기간 (분기)"
    # One line per city in each panel, in the city's colour; 'both' is not drawn.
    lines = {mcolors.to_hex(line.get_color()) for line in panels[0].lines}
    assert lines == {region_color("sejong").lower(), region_color("daejeon").lower()}
    # n per bin: the bars of the last panel are the denominators of each city and period.
    heights = sorted(int(p.get_height()) for p in n_ax.patches if not p.get_hatch())
    expected = sorted(shares[shares["region"].isin(["sejong", "daejeon"])]
                      .groupby(["period", "region"])["n_total"].first())
    assert heights == expected
    # Thin bins are hatched in every panel, and no point is drawn there.
    thin = shares[shares["region"].isin(["sejong", "daejeon"])].groupby("period")["too_few"].any()
    assert len(hatched(panels[0])) == int(thin.sum())
    assert "표본 부족 (한 도시 이상 n < 10)" in text
    render(fig)


def test_each_panel_says_whose_error_rates_it_shows(tagged: pd.DataFrame) -> None:
    shares = tt.topic_shares(tagged, freq="YS", min_n=10)
    table = pd.DataFrame({"value": ["pilot_city", "data_ai"], "precision": [0.72, 0.5],
                          "recall": [0.84, float("nan")]})
    shipped = all_text(tp.plot_topic_trends(shares, reliability=table))
    assert "태그 성능 (실제 뉴스 라벨 기준) 정밀도 72% · 재현율 84%" in shipped
    assert "태그 성능 (실제 뉴스 라벨 기준) 정밀도 50% · 재현율 –" in shipped
    own = table.copy()
    own.attrs["labels_file"] = "mine.tsv"  # rates from the corpus's own labels
    text = all_text(tp.plot_topic_trends(shares, reliability=own))
    assert "태그 성능 (직접 라벨 기준) 정밀도 72% · 재현율 84%" in text and "실제 뉴스 라벨" not in text


def test_corrected_shares_say_so_in_title_and_ribbon(tagged: pd.DataFrame) -> None:
    from lib.present import plots

    shares = tt.topic_shares(tagged, freq="YS", min_n=10)
    assert "95% 신뢰구간 (Wilson)" in all_text(tp.plot_topic_trends(shares))
    corrected = shares.copy()
    corrected.attrs["corrected"] = True  # as accuracy.as_corrected marks its tables
    fig = tp.plot_topic_trends(corrected)
    assert "태그 오류 보정, 부트스트랩" in all_text(fig) and "Wilson" not in all_text(fig)
    smart = trends.smart_city_share(tagged, freq="YS")
    smart.attrs["corrected"] = True
    fig = plots.plot_smart_city_share(smart)
    assert "태그 오류 보정" in fig.get_suptitle() and "Wilson" not in all_text(fig)
    render(fig)


def test_topic_trends_with_every_bin_thin_says_so() -> None:
    """Every month thin for both cities, though each has 10 articles over the span: a note
    with each city's whole-span n instead of nine hatched panels."""
    rows = random_rows(40, seed=2, regions=("sejong", "daejeon"), days=60)
    shares = tt.topic_shares(make_tagged(rows), freq="MS", min_n=10)
    fig = tp.plot_topic_trends(shares)
    assert shares["period"].nunique() == 2
    n = shares.groupby(["region", "period"])["n_total"].first().groupby(level=0).sum()
    assert n["sejong"] >= 10 and n["daejeon"] >= 10  # thin per month, not over the span
    assert note_of(fig) == (
        "어느 기간에도 스마트시티 기사가 10건 이상인 도시가 없어서 "
        f"(전체 기간 세종 {n['sejong']}건, 대전 {n['daejeon']}건) 그릴 것이 없습니다 "
        "(no period with 10 smart-city articles in any city: nothing to draw)")
    assert is_note(fig) and fig.get_suptitle() == "주제별 보도 비중의 변화"
    render(fig)


def test_topic_composition_stacks_to_100(tagged: pd.DataFrame) -> None:
    shares = tt.topic_shares(tagged, freq="6MS", min_n=10)
    fig = tp.plot_topic_composition(shares)
    assert len(fig.axes) == 2
    assert all(ax.get_ylabel() == "주제 태그 중 비중 (%)" for ax in fig.axes)
    assert fig.axes[-1].get_xlabel() == "기간 (반기)"
    ax = fig.axes[0]
    bars = [p for p in ax.patches if not p.get_hatch()]
    tops: dict[float, float] = {}
    for bar in bars:
        tops[bar.get_x()] = max(tops.get(bar.get_x(), 0), bar.get_y() + bar.get_height())
    assert np.allclose([t for t in tops.values() if t > 0], 100)
    text = all_text(fig)
    sejong_n = shares[shares["region"] == "sejong"].groupby("period")["n_total"].first()
    for n in sejong_n:
        assert str(n) in text.split()
    assert f"{region_label('sejong')} (n={sejong_n.sum():,}" in text
    render(fig)


def test_topic_composition_table_sums_to_one(tagged: pd.DataFrame) -> None:
    comp = tt.topic_composition(tt.topic_shares(tagged, freq="YS", min_n=10))
    assert tuple(comp.columns) == tt.COMPOSITION_COLUMNS
    sums = comp[~comp["too_few"]].groupby(["period", "region"])["share_of_labels"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert comp.loc[comp["too_few"], "share_of_labels"].isna().all()


def test_region_difference_marks_significant_cells(tagged: pd.DataFrame) -> None:
    compare = tt.compare_regions(tagged, freq="6MS", min_n=10)
    fig = tp.plot_region_difference(compare)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == compare["topic"].nunique()
    assert visible[0].get_ylabel() == "차이 (%p)"
    assert "세종 - 대전" in fig.get_suptitle()
    pilot = compare[compare["topic"] == "pilot_city"]
    assert pilot["significant"].sum() >= 3
    text = all_text(fig)
    assert f"{topic_label('pilot_city')} (유의 {pilot['significant'].sum()}/" in text
    assert "유의 (BH 보정 p값 < 0.05)" in text
    # The significant points are drawn filled in the highlight colour.
    filled = [line for line in visible[0].lines if line.get_marker() == "o"
              and mcolors.to_hex(line.get_markerfacecolor()) == plots.SIGNIFICANT_COLOR.lower()]
    assert sum(len(line.get_xdata()) for line in filled) == pilot["significant"].sum()
    render(fig)


def test_difference_overall_forest(tagged: pd.DataFrame) -> None:
    compare = tt.compare_regions(tagged, freq="all")
    fig = tp.plot_difference_overall(compare)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("차이 (%p)")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == topic_label(compare["topic"].iloc[0])
    row = compare[compare["topic"] == "pilot_city"].iloc[0]
    assert f"(n={row['n_a']:,}/{row['n_b']:,})" in all_text(fig)
    render(fig)


def test_topic_movers(tagged: pd.DataFrame) -> None:
    trend = tt.trend_test(tagged, freq="QS")
    fig = tp.plot_topic_movers(trend)
    assert len(fig.axes) == 2
    assert all(ax.get_xlabel().startswith("연간 오즈비") for ax in fig.axes)
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["세종", "대전"]
    assert "n=" in all_text(fig)
    render(fig)


def test_movers_say_why_nothing_was_tested() -> None:
    """No city tested: a note giving the trend test's reasons. One city tested: the chart,
    with the other city's panel saying why it has no trend."""
    rows = random_rows(30, seed=4, regions=("sejong", "daejeon"), days=60)
    trend = tt.trend_test(make_tagged(rows), freq="MS")
    fig = tp.plot_topic_movers(trend)
    reasons = "; ".join(sorted(set(trend["note"]) - {""}))
    assert "fewer than 3 periods" in reasons
    assert is_note(fig) and note_of(fig) == (
        "추세를 검정할 수 있는 주제가 없어서 그릴 것이 없습니다 "
        f"(no topic's trend could be tested: {reasons})")
    render(fig)
    one = make_tagged(random_rows(30, seed=4, regions=("sejong",), days=60)
                      + random_rows(300, seed=5, regions=("daejeon",)))
    fig = tp.plot_topic_movers(tt.trend_test(one, freq="QS"))
    assert len(fig.axes) == 2 and "검정한 주제 없음" in all_text(fig)
    render(fig)


@pytest.mark.parametrize("kind", ["trends", "composition", "difference", "overall", "movers",
                                  "shares_overall"])
def test_empty_tables_still_give_a_titled_figure(kind: str) -> None:
    empty = make_tagged([])
    fig = {
        "trends": lambda: tp.plot_topic_trends(tt.topic_shares(empty)),
        "composition": lambda: tp.plot_topic_composition(tt.topic_shares(empty)),
        "difference": lambda: tp.plot_region_difference(tt.compare_regions(empty)),
        "overall": lambda: tp.plot_difference_overall(tt.compare_regions(empty, freq="all")),
        "movers": lambda: tp.plot_topic_movers(tt.trend_test(empty)),
        "shares_overall": lambda: tp.plot_topic_shares_overall(tt.topic_shares(empty, freq="all")),
    }[kind]()
    assert fig.get_suptitle() or fig.axes[0].get_title()
    render(fig)


SEJONG_BUSAN = """
compare = ["sejong", "busan"]
[cities.sejong]
label = "세종"
label_en = "Sejong"
color = "#0072B2"
names = ["세종시"]
[cities.busan]
label = "부산"
label_en = "Busan"
color = "#CC79A7"
names = ["부산시"]
"""


def test_a_sejong_busan_regions_file_draws_busan_and_no_daejeon(tmp_path, monkeypatch) -> None:
    from lib import paths

    regions_file = tmp_path / "regions.toml"
    regions_file.write_text(SEJONG_BUSAN, encoding="utf-8")
    monkeypatch.setenv(paths.REGIONS_ENV, str(regions_file))
    rows = random_rows(600, seed=9, regions=("sejong", "busan", "both", "neither"),
                       probs={"busan": {"data_ai": 0.7}})
    tagged = make_tagged(rows)
    figures = [
        tp.plot_topic_trends(tt.topic_shares(tagged, freq="6MS")),
        tp.plot_topic_composition(tt.topic_shares(tagged, freq="6MS")),
        tp.plot_region_difference(tt.compare_regions(tagged, freq="6MS")),
        tp.plot_difference_overall(tt.compare_regions(tagged, freq="all")),
        tp.plot_topic_movers(tt.trend_test(tagged, freq="QS")),
    ]
    for fig in figures:
        text = all_text(fig) + fig.get_suptitle()
        assert "부산" in text and "대전" not in text
    colours = {mcolors.to_hex(line.get_color()) for line in figures[0].axes[0].lines}
    assert colours == {"#0072b2", "#cc79a7"}
    assert "세종 - 부산" in figures[2].get_suptitle()
    assert [ax.get_title(loc="left") for ax in figures[4].axes] == ["세종", "부산"]
    render(figures[0])


def test_topic_shares_overall_draws_each_citys_whole_span_share() -> None:
    rows = random_rows(60, seed=5, regions=("sejong", "daejeon", "daejeon"), days=3000,
                       probs={"daejeon": {"data_ai": 0.8}})
    tagged = make_tagged(rows)
    per_year = tt.topic_shares(tagged, freq="YS", min_n=10, regions=["sejong", "daejeon"])
    assert tt.periods_shown(per_year) < tt.MIN_TREND_PERIODS  # too thin for a trend
    whole = tt.topic_shares(tagged, freq="all", min_n=10, regions=["sejong", "daejeon"])
    fig = tp.plot_topic_shares_overall(whole)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("비중 (%")
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        topic_label(t) for t in dict.fromkeys(whole["topic"])]
    text = all_text(fig)
    assert "추세 대신 전체 기간" in fig.get_suptitle()
    for _, row in whole.iterrows():
        city = region_label(row["region"])
        if row["too_few"]:
            assert f"{city} n={row['n_total']} < 10" in text
        else:
            assert f"{city} {row['share'] * 100:.0f}% ({row['n_docs']}/{row['n_total']})" in text
    # One dot per city and topic with enough articles, in the city's colour, at its share.
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    drawn = whole[~whole["too_few"]]
    assert len(dots) == len(drawn)
    daejeon = {round(float(line.get_xdata()[0]), 6) for line in dots
               if mcolors.to_hex(line.get_color()) == region_color("daejeon").lower()}
    assert daejeon == {round(s * 100, 6) for s in drawn.loc[drawn["region"] == "daejeon", "share"]}
    render(fig)


def test_topic_shares_overall_with_reliability_and_too_few() -> None:
    rows = random_rows(24, seed=6, regions=("sejong", "daejeon", "daejeon", "daejeon"))
    whole = tt.topic_shares(make_tagged(rows), freq="all", min_n=10)
    reliability = pd.DataFrame({"value": ["pilot_city"], "precision": [0.5], "recall": [0.25]})
    fig = tp.plot_topic_shares_overall(whole, reliability=reliability)
    text = all_text(fig)
    assert "태그 성능 (실제 뉴스 라벨 기준) 정밀도 50% · 재현율 25%" in text
    assert "태그 성능 (실제 뉴스 라벨 기준): 측정 안 됨" in text  # the topics it has no rates for
    sejong = whole[whole["region"] == "sejong"].iloc[0]
    assert sejong["too_few"] and f"세종 n={sejong['n_total']} < 10" in text
    assert "비중을 표시하지 않음" not in text  # Daejeon has enough
    render(fig)
    # With no city at min_n, the chart is a note saying so with each city's n.
    thin = tt.topic_shares(make_tagged(rows), freq="all", min_n=1000)
    n = thin.drop_duplicates("region").set_index("region")["n_total"]
    fig = tp.plot_topic_shares_overall(thin)
    assert is_note(fig) and note_of(fig) == (
        "두 도시 모두 스마트시티 기사가 1000건 미만이어서 "
        f"(세종 {n['sejong']}건, 대전 {n['daejeon']}건) 그릴 것이 없습니다 "
        "(fewer than 1000 smart-city articles in either city: nothing to draw)")
    assert fig.get_suptitle() == "전체 기간 도시별 스마트시티 기사 중 주제 비중 (95% 신뢰구간)"


def test_many_periods_are_stacked_as_steps_with_labels_that_do_not_touch(tagged) -> None:
    """Weekly periods over three years (about 150): the stacked charts draw one shape per
    column instead of a bar per period and column, promise no numbers over bars they do not
    print, and the period labels on the axis stay apart. A yearly table keeps its bars."""
    from lib.analysis import outlets

    weekly = tt.topic_shares(tagged, freq="W-MON", min_n=1, regions=["sejong", "daejeon"])
    assert weekly["period"].nunique() > tp.MAX_STACKED_BARS
    fig = tp.plot_topic_composition(weekly)
    render(fig)
    for ax in fig.axes[:2]:
        bars = [p for p in ax.patches if not p.get_hatch()]
        assert len(bars) < 20 and len(ax.collections) >= 1
        assert "막대 위 숫자" not in ax.get_title(loc="left")
        boxes = [t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()]
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))
    with_outlets = tagged.assign(outlet=[f"합성일보{i % 9}" for i in range(len(tagged))])
    mix = outlets.outlet_mix(with_outlets, freq="W-MON", regions=["sejong", "daejeon"], min_n=1)
    mix_fig = tp.plot_outlet_mix(mix)
    render(mix_fig)
    assert all(len(ax.collections) >= 1 for ax in mix_fig.axes[:2])

    yearly = tp.plot_topic_composition(
        tt.topic_shares(tagged, freq="YS", min_n=1, regions=["sejong", "daejeon"]))
    assert len([p for p in yearly.axes[0].patches if not p.get_hatch()]) >= 3 * 2
    assert "막대 위 숫자" in yearly.axes[0].get_title(loc="left")


def test_the_legend_shows_the_hatch_only_where_a_panel_has_one(tagged: pd.DataFrame) -> None:
    """With every bin full no panel is hatched, and the legend has no hatch swatch; the
    ribbon's swatch is grey (each city's ribbon has its city's colour); panel headings say
    what their n counts."""
    full = tt.topic_shares(tagged, freq="YS", min_n=1)
    assert not full[full["region"].isin(["sejong", "daejeon"])]["too_few"].any()
    fig = tp.plot_topic_trends(full)
    legend = fig.legends[0]
    assert "표본 부족" not in " ".join(t.get_text() for t in legend.get_texts())
    ribbon = next(h for h in legend.legend_handles if "신뢰구간" in h.get_label())
    assert mcolors.to_hex(ribbon.get_facecolor()) not in {region_color(r).lower()
                                                           for r in ("sejong", "daejeon")}
    assert "이 주제 기사 n=" in all_text(fig)
    thin = tp.plot_topic_trends(tt.topic_shares(tagged, freq="QS", min_n=10))
    assert "표본 부족" in " ".join(t.get_text() for t in thin.legends[0].get_texts())


# --- Colours: a city's colour means that city and nothing else -----------------------------


def drawn_colours(artist) -> set[str]:
    """Every colour (lower-case hex) a figure or axes draws: lines and their markers,
    collections, patches (bars, ribbons, legend swatches) and texts; transparent ones left out."""
    found: set[str] = set()

    def add(colour) -> None:
        if colour is None or (isinstance(colour, str) and colour == "none"):
            return
        for rgba in np.atleast_2d(mcolors.to_rgba_array(colour)):
            if len(rgba) and rgba[3] > 0:
                found.add(mcolors.to_hex(rgba))

    for art in artist.findobj():
        if isinstance(art, mpl.lines.Line2D):
            add(art.get_color())
            add(art.get_markerfacecolor())
            add(art.get_markeredgecolor())
        elif isinstance(art, mpl.collections.Collection):
            add(art.get_facecolor())
            add(art.get_edgecolor())
        elif isinstance(art, mpl.patches.Patch):
            add(art.get_facecolor())
            add(art.get_edgecolor())
        elif isinstance(art, mpl.text.Text):
            add(art.get_color())
    return found


def city_colours() -> set[str]:
    return {region_color("sejong").lower(), region_color("daejeon").lower()}


def legend_labels(fig: Figure) -> list[str]:
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


def test_drawn_colours_sees_the_city_colours_where_they_are_drawn(tagged) -> None:
    """The check below can fail: on the city-trend chart it finds both cities' colours."""
    fig = tp.plot_topic_trends(tt.topic_shares(tagged, freq="QS", min_n=10))
    assert city_colours() <= drawn_colours(fig)
    assert city_colours() <= drawn_colours(fig.legends[0])  # legend swatches are seen too


def test_the_difference_charts_use_no_city_colour(tagged: pd.DataFrame) -> None:
    """Significance is near-black filled / grey hollow, not a city's colour (orange once meant
    'significant' here and Daejeon elsewhere)."""
    compare = tt.compare_regions(tagged, freq="6MS", min_n=10)
    assert compare["significant"].any() and not compare["significant"].all()
    fig = tp.plot_region_difference(compare)
    assert not drawn_colours(fig) & city_colours()
    # Significant cells filled with the named constant; the legend says what fill means.
    filled = {mcolors.to_hex(line.get_markerfacecolor()) for ax in fig.axes for line in ax.lines
              if line.get_marker() == "o" and line.get_markerfacecolor() != "white"}
    assert filled == {plots.SIGNIFICANT_COLOR.lower()}
    assert {"유의 (BH 보정 p값 < 0.05)", "유의하지 않음"} <= set(legend_labels(fig))
    overall = tp.plot_difference_overall(tt.compare_regions(tagged, freq="all"))
    assert not drawn_colours(overall) & city_colours()
    assert "채운 검은 점 = 유의" in overall.axes[0].get_title()
    assert "주황" not in all_text(overall)
    render(overall)


def test_the_corrected_difference_keeps_its_own_non_city_colour(tagged: pd.DataFrame) -> None:
    compare = tt.compare_regions(tagged, freq="all")
    corrected = compare.assign(diff_corrected=compare["diff"] * 0.8,
                               ci_low_corrected=compare["ci_low"] - 0.05,
                               ci_high_corrected=compare["ci_high"] + 0.05,
                               holds_corrected=True)
    fig = tp.plot_difference_overall(corrected)
    colours = drawn_colours(fig)
    assert plots.CORRECTED_COLOR.lower() in colours and not colours & city_colours()
    triangles = [line for line in fig.axes[0].lines if line.get_marker() == "^"]
    assert triangles and {mcolors.to_hex(t.get_color()) for t in triangles} == {
        plots.CORRECTED_COLOR.lower()}
    assert any(label.startswith("태그 오류 보정") for label in legend_labels(fig))


def test_a_sejong_falling_trend_is_not_drawn_in_daejeons_colour(tagged: pd.DataFrame) -> None:
    """Direction is a marker (▲ rising, ▼ falling), colour the panel's city: Sejong's falling
    topic used to be drawn in orange, Daejeon's colour."""
    trend = tt.trend_test(tagged, freq="QS").copy()
    forced = {("sejong", "pilot_city"): ("falling", 0.7), ("daejeon", "data_ai"): ("rising", 1.4)}
    for (region, topic), (direction, odds) in forced.items():
        row = (trend["region"] == region) & (trend["topic"] == topic)
        assert row.sum() == 1
        trend.loc[row, ["direction", "odds_ratio", "slope", "ci_low", "ci_high"]] = [
            direction, odds, np.log(odds), np.log(odds) - 0.1, np.log(odds) + 0.1]
    fig = tp.plot_topic_movers(trend)
    sejong_ax, daejeon_ax = fig.axes
    assert [sejong_ax.get_title(loc="left"), daejeon_ax.get_title(loc="left")] == ["세종", "대전"]
    down = [line for line in sejong_ax.lines if line.get_marker() == plots.FALLING_MARKER]
    assert down and {mcolors.to_hex(line.get_color()) for line in down} == {
        region_color("sejong").lower()}
    up = [line for line in daejeon_ax.lines if line.get_marker() == plots.RISING_MARKER]
    assert up and {mcolors.to_hex(line.get_color()) for line in up} == {
        region_color("daejeon").lower()}
    assert region_color("daejeon").lower() not in drawn_colours(sejong_ax)
    assert region_color("sejong").lower() not in drawn_colours(daejeon_ax)
    labels = legend_labels(fig)
    assert {"증가 (유의)", "감소 (유의)", "뚜렷한 추세 없음"} <= set(labels)
    assert any(label.startswith("세종") for label in labels)
    render(fig)


def test_the_outlet_checks_draw_their_intervals_in_no_city_colour() -> None:
    from lib.analysis import outlets as oc
    from tests.unit.test_outlet_trends import two_cities
    from tests.unit.test_outlets import simulated

    rng = np.random.default_rng(3)
    heavy = simulated(rng, n_outlets=12, per_outlet=(15, 25), p=(0.2, 0.2),
                      heavy=("sejong", 120, 0.7))
    fig = tp.plot_outlet_check(oc.outlet_check(heavy, a="sejong", b="daejeon"))
    colours = drawn_colours(fig)
    assert not colours & city_colours()
    assert {plots.CLUSTERED_COLOR.lower(), plots.LEAVE_ONE_OUT_COLOR.lower()} <= colours
    assert any(label.startswith("언론사 군집") for label in legend_labels(fig))
    table = oc.outlet_trend_check(two_cities(), freq="QS", topics=["mobility"])
    assert table["significant"].any()
    trends_fig = tp.plot_outlet_trend_check(table)
    assert not drawn_colours(trends_fig) & city_colours()
    render(trends_fig)


def test_outlets_and_eras_take_no_city_colour() -> None:
    from lib.analysis import accuracy
    from lib.analysis import outlets as oc
    from tests.unit.test_outlet_trends import two_cities

    mix = tp.plot_outlet_mix(oc.outlet_mix(two_cities(), freq="QS", top=6))
    assert not drawn_colours(mix) & city_colours()
    rates = accuracy.load_tagger_accuracy(by_era=True)
    eras = sorted(rates["era"].astype(str).unique())
    # Past four eras too (the default colour cycle would give blue and orange).
    many = pd.concat([rates.assign(era=rates["era"].astype(str) + suffix)
                      for suffix in ("", " (a)")], ignore_index=True)
    for table in (rates, many):
        fig = tp.plot_rates_by_era(table)
        assert not drawn_colours(fig) & (city_colours() | {"#1f77b4", "#ff7f0e"})
    assert len(eras) >= 2


# --- Nothing to draw: a small note saying why, not a grid of empty panels ------------------


def city_articles(**cities: tuple[int, str]) -> pd.DataFrame:
    """Smart-city articles per city (``sejong=(n, first day)``: one every three days from
    that day, topics alternating), 20 articles of each city that are not about smart cities
    (January 2021, so the periods exist with no smart-city article) and six outlets."""
    rows = []
    for city, (n, start) in cities.items():
        rows += [{"published": pd.Timestamp(start) + pd.Timedelta(days=3 * i), "region": city,
                  "smart_city": True, "topics": ("pilot_city",) if i % 2 else ("data_ai",)}
                 for i in range(n)]
        rows += [{"published": pd.Timestamp("2021-01-15"), "region": city, "smart_city": False,
                  "topics": ()}] * 20
    tagged = make_tagged(rows)
    return tagged.assign(outlet=[f"합성일보{i % 6}" for i in range(len(tagged))])


PAIR = ["sejong", "daejeon"]
#: Each chart notebook 02 draws from the tagged articles, by the notebook's calls (min_n 10).
CHARTS = {
    "trends": lambda t, f: tp.plot_topic_trends(tt.topic_shares(t, freq=f, regions=PAIR)),
    "composition": lambda t, f: tp.plot_topic_composition(tt.topic_shares(t, freq=f,
                                                                          regions=PAIR)),
    "shares_overall": lambda t, f: tp.plot_topic_shares_overall(
        tt.topic_shares(t, freq="all", regions=PAIR)),
    "difference": lambda t, f: tp.plot_region_difference(tt.compare_regions(t, freq=f)),
    "overall": lambda t, f: tp.plot_difference_overall(tt.compare_regions(t, freq="all")),
    "outlet_check": lambda t, f: tp.plot_outlet_check(oc.outlet_check(t, a="sejong",
                                                                      b="daejeon")),
    "movers": lambda t, f: tp.plot_topic_movers(tt.trend_test(t, freq=f, regions=PAIR)),
    "trend_check": lambda t, f: tp.plot_outlet_trend_check(oc.outlet_trend_check(
        t, freq=f, regions=PAIR)),
    "mix": lambda t, f: tp.plot_outlet_mix(oc.outlet_mix(t, freq=f, regions=PAIR)),
}


def too_few(sejong: int, daejeon: int, min_n: int = 10) -> str:
    return (f"두 도시 모두 스마트시티 기사가 {min_n}건 미만이어서 "
            f"(세종 {sejong}건, 대전 {daejeon}건) 그릴 것이 없습니다 "
            f"(fewer than {min_n} smart-city articles in either city: nothing to draw)")


@pytest.mark.parametrize("chart", list(CHARTS))
@pytest.mark.parametrize("counts", [(0, 0), (4, 6)])
def test_too_few_articles_in_both_cities_give_a_note_with_their_n(chart, counts) -> None:
    """The real general-news corpus (no smart-city article of either city) and a nearly
    empty one: every chart is one note with each city's n, under the chart's usual title."""
    tagged = city_articles(sejong=(counts[0], "2021-01-04"), daejeon=(counts[1], "2021-01-04"))
    fig = CHARTS[chart](tagged, "QS")
    assert is_note(fig), f"{chart}: {len(fig.axes)} axes, {fig.get_size_inches()} inches"
    if chart == "mix" and counts == (0, 0):  # an outlet mix with no article has no city row
        assert note_of(fig) == ("스마트시티 기사가 한 건도 없어서 그릴 것이 없습니다 "
                                "(no smart-city articles at all: nothing to draw)")
    else:
        assert note_of(fig) == too_few(*counts)
    assert note_of(fig) not in fig.get_suptitle()
    render(fig)


def test_a_comparison_with_one_thin_city_names_it_and_each_city_keeps_its_charts() -> None:
    """Sejong has 30 articles in 2021, Daejeon 3: the difference charts have no cell to test
    and say which city is short; the charts of each city's own shares still draw Sejong."""
    from lib.present.export import DRAWN_FROM

    tagged = city_articles(sejong=(30, "2021-01-04"), daejeon=(3, "2021-01-04"))
    note = ("대전의 스마트시티 기사가 10건 미만이어서 (세종 30건, 대전 3건) 그릴 것이 없습니다 "
            "(fewer than 10 smart-city articles in Daejeon: nothing to draw)")
    for chart in ("difference", "overall", "outlet_check"):
        fig = CHARTS[chart](tagged, "YS")
        assert is_note(fig) and note_of(fig) == note, chart
    compare = tt.compare_regions(tagged, freq="YS")
    fig = tp.plot_region_difference(compare, outlet_check=oc.outlet_check(
        tagged, freq="YS", a="sejong", b="daejeon"))
    assert is_note(fig) and "holds" in getattr(fig, DRAWN_FROM)  # its CSV has the verdicts
    assert fig.get_suptitle() == "세종 - 대전: 주제 비중 차이"
    shares = tt.topic_shares(tagged, freq="YS", regions=PAIR)
    assert len(tp.plot_topic_trends(shares).axes) == shares["topic"].nunique() + 1
    assert len(tp.plot_topic_composition(shares).axes) == 2
    assert len(CHARTS["mix"](tagged, "YS").axes) == 2
    whole = CHARTS["shares_overall"](tagged, "YS")
    assert len(whole.axes) == 1 and whole.axes[0].axison and "세종 50% (15/30)" in all_text(whole)


def test_no_period_where_both_cities_are_full_is_a_note_but_each_city_is_drawn() -> None:
    """Sejong's 12 articles are in 2021Q1, Daejeon's in 2021Q2: no quarter can compare them
    (a note with the whole-span n), while each city's quarter and the whole span still draw."""
    tagged = city_articles(sejong=(12, "2021-01-04"), daejeon=(12, "2021-04-05"))
    fig = CHARTS["difference"](tagged, "QS")
    assert is_note(fig) and note_of(fig) == (
        "두 도시가 동시에 스마트시티 기사 10건 이상인 기간이 없어서 (전체 기간 세종 12건, 대전 12건) "
        "그릴 것이 없습니다 (no period with 10 smart-city articles in both cities: "
        "nothing to draw)")
    render(fig)
    trends_fig = CHARTS["trends"](tagged, "QS")
    assert not is_note(trends_fig) and len(trends_fig.axes) > 2
    overall = CHARTS["overall"](tagged, "QS")
    assert overall.axes[0].get_xlabel().startswith("차이 (%p)") and not is_note(overall)


def test_rates_by_era_without_dated_labels_is_a_note() -> None:
    empty = pd.DataFrame(columns=["tag", "value", "era", "tp", "fn", "fp", "tn"])
    fig = tp.plot_rates_by_era(empty)
    assert is_note(fig) and note_of(fig) == (
        "날짜가 있는 라벨 기사가 없어서 시기별 오류율이 없습니다 "
        "(no labelled article with a date: no error rates per era)")
    assert fig.get_suptitle().startswith("시기별 태그 오류율")
    render(fig)


def test_a_trend_check_with_no_significant_trend_says_so(tagged: pd.DataFrame) -> None:
    """Cities with articles enough but no significant trend: the note says there is none to
    check, not that articles are missing; so does the check's table with its rows left out."""
    check = oc.outlet_trend_check(tagged, freq="QS", regions=PAIR)
    assert not check["significant"].any() and (check["n_total"] >= 10).all()
    for table in (check, check.iloc[:0]):
        fig = tp.plot_outlet_trend_check(table)
        assert is_note(fig) and note_of(fig) == ("유의한 추세가 없어 점검할 것이 없습니다 "
                                                 "(no significant trend to check)")
    render(fig)


def _thin_first_years() -> pd.DataFrame:
    """Topic shares of two cities with 2 smart-city articles a year in 2010-2011, then 12."""
    per_year = {2010: 2, 2011: 2, 2012: 12, 2013: 12, 2014: 12}
    rows = [{"published": f"{year}-05-0{i % 9 + 1}", "region": region, "smart_city": True}
            for year, n in per_year.items() for region in ("sejong", "daejeon") for i in range(n)]
    frame = tagged_rows(rows)
    frame["topics"] = [("mobility",) if i % 2 else ("data_ai",) for i in range(len(frame))]
    return tt.topic_shares(frame, freq="YS", min_n=10, topics=["mobility", "data_ai"])


def test_topic_panels_start_at_the_first_readable_period_and_count_every_article() -> None:
    shares = _thin_first_years()
    fig = tp.plot_topic_trends(shares, topics=["mobility", "data_ai"])
    n_axis = fig.axes[-1]
    assert "2010–2011 생략 (모든 도시 n < 10, 기사 8건)" in n_axis.get_xlabel()
    assert mdates.num2date(n_axis.get_xlim()[0]).year == 2011  # just before 2012's bars
    # The headings count the topic's articles of every period, those cut included.
    assert fig.axes[0].get_title(loc="left").startswith("모빌리티·교통 (이 주제 기사 n=40)")


def test_topic_composition_starts_at_the_first_readable_period_and_counts_every_article() -> None:
    shares = _thin_first_years()
    fig = tp.plot_topic_composition(shares, topics=["mobility", "data_ai"])
    assert "2010–2011 생략 (모든 도시 n < 10, 기사 8건)" in fig.axes[1].get_xlabel()
    assert mdates.num2date(fig.axes[1].get_xlim()[0]).year == 2011
    assert "40" in fig.axes[0].get_title(loc="left")  # Sejong's 40 articles, 2010-2011 too


def test_the_difference_chart_starts_where_both_cities_reach_min_n_and_says_what_it_cut() -> None:
    per_year = {2010: (2, 12), 2011: (12, 3), 2012: (12, 12), 2013: (12, 12), 2014: (12, 1)}
    rows = [{"published": f"{year}-05-0{i % 9 + 1}", "region": region, "smart_city": True}
            for year, ns in per_year.items() for region, n in zip(("sejong", "daejeon"), ns)
            for i in range(n)]
    frame = tagged_rows(rows)
    frame["topics"] = [("mobility",) if i % 2 else ("data_ai",) for i in range(len(frame))]
    compare = tt.compare_regions(frame, freq="YS", min_n=10, topics=["mobility", "data_ai"])
    fig = tp.plot_region_difference(compare, topics=["mobility", "data_ai"])
    texts = [t.get_text() for t in fig.texts]
    assert "2010–2011, 2014 생략 (한 도시 이상 n < 10, 기사 42건)" in texts
    left, right = fig.axes[0].get_xlim()
    assert mdates.num2date(left).year == 2011 and mdates.num2date(right).year == 2013
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert not any("검정 안 함" in t for t in legend)  # no hatch is left to name


def test_a_narrow_odds_axis_still_labels_three_ticks() -> None:
    for low, high, labels in ((0.75, 1.35, ["0.8", "0.9", "1", "1.1", "1.25"]),
                              (0.3, 3.0, ["0.5", "0.67", "1", "1.5", "2"])):
        fig = Figure()
        ax = fig.add_subplot()
        ax.plot([low, high], [0, 1])
        ax.set_xlim(low, high)
        tp._odds_axis(ax)
        fig.canvas.draw()
        shown = [t.get_text() for t in ax.get_xticklabels()
                 if low <= t.get_position()[0] <= high]
        assert shown == labels
