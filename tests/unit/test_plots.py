"""Charts: Korean font registration, titles/labels/n, fixed region colours, too-few bins."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from lib.present import plots
from lib.vocabulary import get_vocabulary
from lib.analysis import trends
from lib.corpus.schema import to_frame
from tests.conftest import tagged_rows


@pytest.fixture
def tagged() -> pd.DataFrame:
    """60 dated articles over three quarters; the 'both' region stays under 10 per quarter."""
    rng = np.random.default_rng(7)
    dates = pd.date_range("2021-01-03", periods=60, freq="4D")
    frame = to_frame([{"article_id": f"a{i}", "title": f"세종 스마트시티 {i}",
                       "published": d, "is_duplicate": i % 9 == 0} for i, d in enumerate(dates)])
    frame["region"] = ["both" if i % 10 == 0 else ("sejong" if i % 2 else "daejeon")
                       for i in range(60)]
    frame["smart_city"] = rng.random(60) < 0.5
    frame["topics"] = [("mobility", "data_ai") if s else () for s in frame["smart_city"]]
    return frame


@pytest.fixture(autouse=True)
def no_show(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plot function must never call plt.show(): make it fail loudly if one does."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("plot functions must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)


def render(fig: Figure) -> bytes:
    """Draw to PNG with missing-glyph warnings as errors (Hangul must render)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*Glyph .* missing", category=UserWarning)
        fig.savefig(buf, format="png")
    return buf.getvalue()


def all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(mpl.text.Text))


def test_use_korean_font_is_idempotent_and_finds_nanumgothic() -> None:
    first = plots.use_korean_font()
    n_fonts = len(font_manager.fontManager.ttflist)
    assert plots.use_korean_font() == first == "NanumGothic"
    assert len(font_manager.fontManager.ttflist) == n_fonts
    assert mpl.rcParams["font.family"] == ["NanumGothic"]
    assert mpl.rcParams["axes.unicode_minus"] is False
    found = font_manager.findfont(font_manager.FontProperties(family="NanumGothic"),
                                  fallback_to_default=False)
    # the bundled file, or a system copy of the same font (Debian's fonts-nanum) when one is
    # installed: matplotlib may prefer either
    assert font_manager.get_font(found).family_name == "NanumGothic"
    assert any(p.name == Path(found).name for p in plots.korean_font_files())


def test_hangul_renders_without_missing_glyphs() -> None:
    plots.use_korean_font()
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("세종·대전 스마트시티 기사 수 (건)")
    # Negative tick labels: with axes.unicode_minus off they use "-", which NanumGothic has.
    ax.plot([0, 1], [-1, 1])
    assert render(fig).startswith(b"\x89PNG")


def test_region_colours_fixed_distinct_and_reused(tagged: pd.DataFrame) -> None:
    vocabulary = get_vocabulary()
    colours = [vocabulary.region(r).color for r in vocabulary.region_keys]
    assert len(set(colours)) == len(colours) == 4
    counts = trends.count_articles(tagged)
    fig = plots.plot_article_counts(counts)
    by_label = {line.get_label(): mcolors.to_hex(line.get_color()) for line in fig.axes[0].lines}
    for region, colour in zip(vocabulary.region_keys, colours, strict=True):
        label = next(
            lbl for lbl in by_label if lbl.startswith(vocabulary.region_label(region) + " (")
        )
        assert by_label[label] == colour.lower()


def test_plot_article_counts_titles_labels_and_n(tagged: pd.DataFrame) -> None:
    counts = trends.count_articles(tagged)
    raw = trends.count_articles(tagged, dedup=False)
    fig = plots.plot_article_counts(counts, raw=raw)
    ax = fig.axes[0]
    assert isinstance(fig, Figure)
    assert ax.get_ylabel() == "기사 수 (건)"
    assert ax.get_xlabel()
    assert f"n={counts['n_articles'].sum():,}" in ax.get_title()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    sejong_n = counts.loc[counts["region"] == "sejong", "n_articles"].sum()
    assert f"세종 (n={sejong_n:,})" in legend
    assert any("중복 포함" in t for t in legend)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021 1분기", "2021 2분기", "2021 3분기"]
    render(fig)


def test_plot_article_counts_draws_into_given_axes(tagged: pd.DataFrame) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    out = plots.plot_article_counts(trends.count_articles(tagged), ax=ax)
    assert out is fig and len(ax.lines) == 4


def test_general_news_about_neither_city_gets_its_own_panel() -> None:
    """A download of general news: 600 articles a week about neither city against a handful
    about each. The cities keep the upper panel's scale; "neither" is drawn below on its own,
    and a corpus without such a gap keeps one panel."""
    weeks = pd.date_range("2021-02-01", periods=4, freq="W-MON")
    counts = pd.DataFrame([{"period": w, "region": r, "n_articles": n}
                           for w in weeks for r, n in (("sejong", 1), ("daejeon", 3),
                                                        ("neither", 600))])
    fig = plots.plot_article_counts(counts)
    top, bottom = fig.axes
    assert [ln.get_label().split(" (")[0] for ln in top.lines] == ["세종", "대전"]
    assert [ln.get_label() for ln in bottom.lines] == ["해당 없음 (n=2,400)"]
    assert top.get_ylim()[1] < 10 and bottom.get_ylim()[1] > 600
    assert bottom.get_xlabel() and all(ax.get_ylabel() == "기사 수 (건)" for ax in fig.axes)
    assert "n=2,416" in top.get_title() and "축 눈금이 다릅니다" in bottom.get_title(loc="left")
    render(fig)
    close = counts.assign(n_articles=counts["n_articles"].clip(upper=12))
    assert len(plots.plot_article_counts(close).axes) == 1


def test_plot_smart_city_share_ribbons_n_and_too_few(tagged: pd.DataFrame) -> None:
    shares = trends.smart_city_share(tagged, min_n=10)
    fig = plots.plot_smart_city_share(shares)
    assert fig.get_suptitle()
    # The both-city series is too few in every bin: no panel, and the title names it.
    assert shares.loc[shares["region"] == "both", "too_few"].all()
    assert [ax.get_ylabel() for ax in fig.axes] == ["비중 (%)"] * 2
    assert "그리지 않음: 세종·대전 동시 언급 기사" in fig.get_suptitle()
    # Panels of two colours share one legend, drawn in grey, that says the colour is the city's.
    legend = fig.legends[0]
    assert "비중 (색: 패널마다 그 도시)" in [t.get_text() for t in legend.get_texts()]
    assert all(mcolors.to_hex(h.get_color()) == plots.NEUTRAL_COLOR.lower()
               for h in legend.legend_handles if hasattr(h, "get_marker"))
    text = all_text(fig)
    assert "n < 10" in text
    # The last quarter, where no drawn city has 10 articles, is cut and said to be.
    assert "2021 3분기 생략 (모든 도시 n < 10, 기사 12건)" in fig.axes[1].get_xlabel()
    drawn = shares[shares["period"] < pd.Timestamp("2021-07-01")]
    thin = drawn[(drawn["region"] == "daejeon") & drawn["too_few"]]
    assert len(thin)
    # n of every drawn bin is printed.
    for n_total in drawn.loc[drawn["region"] != "both", "n_total"]:
        assert f"{n_total}" in text.split()
    # A too-few bin is not drawn as 0: the share line has NaN there, and a hatched span marks it.
    daejeon_ax = fig.axes[1]
    share_line = next(line for line in daejeon_ax.lines if line.get_label() == "비중")
    assert np.isnan(np.asarray(share_line.get_ydata(), dtype=float)).sum() >= len(thin)
    hatched = [p for p in daejeon_ax.patches if p.get_hatch()]
    assert len(hatched) == len(thin)
    # Ribbons (PolyCollections from fill_between) exist for a city with enough articles.
    sejong_ax = fig.axes[0]
    assert any(isinstance(c, mpl.collections.PolyCollection) for c in sejong_ax.collections)
    render(fig)


def test_a_region_with_no_article_has_no_share_panel(tagged: pd.DataFrame) -> None:
    no_both = tagged[tagged["region"] != "both"]
    fig = plots.plot_smart_city_share(trends.smart_city_share(no_both, min_n=10))
    assert [ax.get_title(loc="left").split(":")[0] for ax in fig.axes] == ["세종", "대전"]
    render(fig)


def test_whole_span_share_draws_each_region_with_its_interval_and_n(tagged: pd.DataFrame) -> None:
    whole = trends.smart_city_share(tagged, freq="all", min_n=10)
    fig = plots.plot_smart_city_share_overall(whole)
    ax = fig.axes[0]
    assert ax.get_xlabel().startswith("비중 (%")
    assert "추세 대신 전체 기간" in fig.get_suptitle()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["세종", "대전", "세종·대전 동시 언급 기사"]
    text = all_text(fig)
    for _, row in whole[whole["region"] != "neither"].iterrows():
        if row["too_few"]:
            assert f"n={row['n_total']} < 10: 표시하지 않음" in text
        else:
            assert (f"{row['share'] * 100:.0f}% ({row['ci_low'] * 100:.0f}~"
                    f"{row['ci_high'] * 100:.0f}%, {row['n_docs']}/{row['n_total']})") in text
    # One dot per region with enough articles, in its colour, at its share.
    dots = {mcolors.to_hex(line.get_color()): float(line.get_xdata()[0])
            for line in ax.lines if line.get_marker() == "o"}
    drawn = whole[~whole["too_few"] & (whole["region"] != "neither")]
    assert dots == {mcolors.to_hex(plots.region_color(r)): pytest.approx(s * 100)
                    for r, s in zip(drawn["region"], drawn["share"], strict=True)}
    assert "비중을 표시하지 않음" not in text
    render(fig)
    # With no region at min_n, the chart says so instead of looking empty.
    text = all_text(plots.plot_smart_city_share_overall(
        trends.smart_city_share(tagged, freq="all", min_n=1000)))
    assert "모든 지역의 기사가 1000건 미만: 비중을 표시하지 않음" in text


@pytest.mark.parametrize("kind", ["counts", "share"])
def test_empty_tables_give_a_titled_figure_saying_so(kind: str) -> None:
    empty = to_frame([])
    fig = {
        "counts": lambda: plots.plot_article_counts(trends.count_articles(empty)),
        "share": lambda: plots.plot_smart_city_share(trends.smart_city_share(empty)),
    }[kind]()
    assert "표시할 기사가 없습니다" in all_text(fig)
    render(fig)


def test_period_tick_labels() -> None:
    quarters = pd.DatetimeIndex(["2021-01-01", "2021-04-01"])
    months = pd.DatetimeIndex(["2021-01-01", "2021-02-01"])
    years = pd.DatetimeIndex(["2020-01-01", "2021-01-01"])
    assert plots.period_tick_label(quarters[1], quarters) == "2021 2분기"
    assert plots.period_tick_label(months[1], months) == "2021-02"
    assert plots.period_tick_label(years[1], years) == "2021"
    # The tables' quarter and half-year codes, written out on a chart's axis.
    assert plots.period_tick_text("2021Q4") == "2021 4분기"
    assert [plots.period_tick_text(h) for h in ("2021H1", "2021H2")] == ["2021 상반기", "2021 하반기"]
    assert plots.period_tick_text("2021-03") == "2021-03" and plots.period_tick_text("all") == "all"


def test_a_single_quarter_is_labelled_as_a_quarter() -> None:
    """One period starting on 1 January is 2021 1분기 (2021Q1) when the table says it is
    quarterly."""
    tagged = to_frame([{"article_id": "a", "title": "t", "published": "2021-02-03"}]).assign(
        region="daejeon", smart_city=True, topics=[()], topic_evidence="", region_evidence="")
    counts = trends.count_articles(tagged, freq="QS")
    fig = plots.plot_article_counts(counts)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["2021 1분기"]


THREE_CITIES = """
compare = ["sejong", "daejeon"]
[cities.sejong]
label = "세종"
color = "#0072B2"
names = ["세종시"]
[cities.daejeon]
label = "대전"
color = "#D55E00"
names = ["대전시"]
[cities.busan]
label = "부산"
names = ["부산시"]
"""

NON_CITY_COLOURS = ("SIGNIFICANT_COLOR", "QUIET_COLOR", "NEUTRAL_COLOR", "NEUTRAL_LIGHT_COLOR",
                    "CLUSTERED_COLOR", "LEAVE_ONE_OUT_COLOR", "CORRECTED_COLOR", "TOO_FEW_COLOR")


def test_the_non_city_colours_are_named_here_and_are_no_citys(tmp_path, monkeypatch) -> None:
    """Significance, direction, interval kinds and neutral bars have named colours in plots.py,
    none of them a city's, also a third city's (a spare colour from the vocabulary)."""
    from lib import paths

    regions_file = tmp_path / "regions.toml"
    regions_file.write_text(THREE_CITIES, encoding="utf-8")
    monkeypatch.setenv(paths.REGIONS_ENV, str(regions_file))
    cities = plots.city_colors()
    assert len(cities) == 3 and {"#0072b2", "#d55e00"} <= cities
    third = mcolors.to_hex(plots.region_color("busan"))
    assert third in cities
    for name in NON_CITY_COLOURS:
        colour = mcolors.to_hex(getattr(plots, name))
        assert colour not in cities, name
    assert plots.RISING_MARKER != plots.FALLING_MARKER
    # A palette for other things (outlets) loses every city's colour, the third's included.
    palette = ("#0072B2", "#009E73", third, "#D55E00", "#882255")
    assert plots.without_city_colors(palette) == ("#009E73", "#882255")


def test_city_colours_follow_the_default_vocabulary() -> None:
    vocabulary = get_vocabulary()
    assert plots.city_colors() == {mcolors.to_hex(vocabulary.region(c).color)
                                   for c in vocabulary.city_keys}
    assert mcolors.to_hex(plots.SIGNIFICANT_COLOR) not in plots.city_colors()


def test_a_region_with_no_full_bin_gets_no_panel_and_the_title_says_so() -> None:
    """Both-city articles too few in every bin: their panel would be all hatching, so it is
    left out and named in the title; a city thin in every bin keeps its panel."""
    from lib.analysis import trends

    rows = []
    for year in range(2019, 2024):
        for region, n in (("sejong", 30), ("daejeon", 30), ("both", 3)):
            rows += [{"published": pd.Timestamp(f"{year}-03-01"), "region": region,
                      "smart_city": i % 2 == 0} for i in range(n)]
    frame = tagged_rows(rows)
    shares = trends.smart_city_share(frame, freq="YS", min_n=10)
    fig = plots.plot_smart_city_share(shares)
    assert len(fig.axes) == 2
    assert "그리지 않음: 세종·대전 동시 언급 기사 (모든 기간 n < 10)" in fig.get_suptitle()
    thin = plots.plot_smart_city_share(trends.smart_city_share(frame, freq="YS", min_n=100))
    assert len(thin.axes) == 2  # the cities, thin in every bin too, keep their panels
    full = plots.plot_smart_city_share(trends.smart_city_share(frame, freq="YS", min_n=3))
    assert len(full.axes) == 3 and "그리지 않음" not in full.get_suptitle()


def test_note_figure_is_small_titled_and_keeps_its_note_inside() -> None:
    """A chart with nothing to draw is a small figure: the title on top, the note centred
    under it in the one frameless axes, every line inside the figure and apart from the
    title, the English on lines of its own when the note needs two."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    title = "전체 기간 세종 - 대전 주제 비중 차이 (95% 신뢰구간, Newcombe)"
    note = ("두 도시 모두 스마트시티 기사가 10건 미만이어서 (세종 0건, 대전 0건) "
            "그릴 것이 없습니다 (fewer than 10 smart-city articles in either city: "
            "nothing to draw)")
    fig = plots.note_figure(title, note)
    assert tuple(fig.get_size_inches()) == plots.NOTE_FIGSIZE
    assert fig.get_suptitle() == title
    assert len(fig.axes) == 1 and not fig.axes[0].axison
    [text] = fig.axes[0].texts
    assert text.get_text() == note.replace(" (fewer", "\n(fewer")
    render(fig)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    whole = fig.bbox
    heading = next(t for t in fig.findobj(mpl.text.Text) if t.get_text() == title)
    boxes = [t.get_window_extent(renderer) for t in (heading, text)]
    assert all(whole.x0 <= b.x0 and b.x1 <= whole.x1 and whole.y0 <= b.y0 and b.y1 <= whole.y1
               for b in boxes)
    assert boxes[0].y0 > boxes[1].y1  # the title above the note, not over it


def test_a_long_note_wraps_and_the_figure_grows_taller_not_wider() -> None:
    note = (" ".join(["스마트시티 기사가 없습니다"] * 12)
            + " (no smart-city articles: nothing to draw)")
    fig = plots.note_figure("제목", note)
    width, height = fig.get_size_inches()
    assert width == plots.NOTE_FIGSIZE[0] and height > plots.NOTE_FIGSIZE[1]
    assert fig.axes[0].texts[0].get_text().replace("\n", " ") == note
    render(fig)


def test_wrap_to_width_breaks_at_spaces_by_measured_width() -> None:
    text = "가나다라 마바사 아자차카 타파하 abc defg hijk lmnop qrs tuv wxyz"
    wrapped = plots.wrap_to_width(text, 80, fontsize=10)
    lines = wrapped.split("\n")
    assert len(lines) > 2 and wrapped.replace("\n", " ") == text
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    font = FontProperties(family=plots.FONT_FAMILY, size=10)
    widths = [TextToPath().get_text_width_height_descent(line, font, ismath=False)[0]
              for line in lines]
    assert all(w <= 80 for w in widths)
    # Hangul is wider than Latin: a line of it holds fewer characters.
    korean = plots.wrap_to_width(" ".join(["가나"] * 30), 80, fontsize=10).split("\n")
    latin = plots.wrap_to_width(" ".join(["ab"] * 30), 80, fontsize=10).split("\n")
    assert len(korean[0]) < len(latin[0]) and len(korean) > len(latin)
    assert plots.wrap_to_width("한 줄\n두 줄", 500, fontsize=10) == "한 줄\n두 줄"
    assert plots.wrap_to_width("아주긴낱말하나", 10, fontsize=10) == "아주긴낱말하나"


def test_a_long_axis_of_half_years_names_the_years() -> None:
    """Sixteen half-years on a narrow chart: not every half-year can be named, so each year is
    (at its first half), and every half-year keeps a minor tick; one label in several half-years
    (`2018 상반기`, `2022 상반기`) left the points between them undated."""
    periods = pd.date_range("2018-01-01", periods=16, freq="6MS")
    table = pd.DataFrame({"period": periods, "share": 0.5})
    table.attrs["freq"] = "6MS"
    fig = Figure(figsize=(3.2, 2.4))
    ax = fig.add_subplot()
    ax.plot(table["period"], table["share"])
    plots.format_period_axis(ax, table)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels and all(text.isdigit() for text in labels)
    assert int(labels[1]) - int(labels[0]) <= 2
    marked = set(ax.get_xticks()) | set(ax.get_xticks(minor=True))  # minor ones under majors go
    assert len(marked) == 16
