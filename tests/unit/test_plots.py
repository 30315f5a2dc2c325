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
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021Q1", "2021Q2", "2021Q3"]
    render(fig)


def test_plot_article_counts_draws_into_given_axes(tagged: pd.DataFrame) -> None:
    fig = Figure()
    ax = fig.add_subplot()
    out = plots.plot_article_counts(trends.count_articles(tagged), ax=ax)
    assert out is fig and len(ax.lines) == 4


def test_plot_smart_city_share_ribbons_n_and_too_few(tagged: pd.DataFrame) -> None:
    shares = trends.smart_city_share(tagged, min_n=10)
    fig = plots.plot_smart_city_share(shares)
    assert fig.get_suptitle()
    assert [ax.get_ylabel() for ax in fig.axes] == ["비율 (%)"] * 3
    text = all_text(fig)
    assert "n < 10" in text
    both = shares[shares["region"] == "both"]
    assert both["too_few"].all()
    # n of every bin is printed.
    for n_total in shares["n_total"]:
        assert f"{n_total}" in text.split()
    # A too-few bin is not drawn as 0: the share line has NaN there, and a hatched span marks it.
    both_ax = fig.axes[2]
    share_line = next(line for line in both_ax.lines if line.get_label() == "비율")
    assert np.isnan(np.asarray(share_line.get_ydata(), dtype=float)).all()
    hatched = [p for p in both_ax.patches if p.get_hatch()]
    assert len(hatched) == len(both)
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
    assert ax.get_xlabel().startswith("비율 (%")
    assert "추세 대신 전체 기간" in fig.get_suptitle()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["세종", "대전", "세종·대전 모두"]
    text = all_text(fig)
    for _, row in whole[whole["region"] != "neither"].iterrows():
        if row["too_few"]:
            assert f"n={row['n_total']} < 10: 표시하지 않음" in text
        else:
            assert (f"{row['share'] * 100:.0f}% [{row['ci_low'] * 100:.0f}–"
                    f"{row['ci_high'] * 100:.0f}] ({row['n_docs']}/{row['n_total']})") in text
    # One dot per region with enough articles, in its colour, at its share.
    dots = {mcolors.to_hex(line.get_color()): float(line.get_xdata()[0])
            for line in ax.lines if line.get_marker() == "o"}
    drawn = whole[~whole["too_few"] & (whole["region"] != "neither")]
    assert dots == {mcolors.to_hex(plots.region_color(r)): pytest.approx(s * 100)
                    for r, s in zip(drawn["region"], drawn["share"], strict=True)}
    assert "비율을 표시하지 않음" not in text
    render(fig)
    # With no region at min_n, the chart says so instead of looking empty.
    text = all_text(plots.plot_smart_city_share_overall(
        trends.smart_city_share(tagged, freq="all", min_n=1000)))
    assert "모든 지역의 기사가 1000건 미만: 비율을 표시하지 않음" in text


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
    assert plots.period_tick_label(quarters[1], quarters) == "2021Q2"
    assert plots.period_tick_label(months[1], months) == "2021-02"
    assert plots.period_tick_label(years[1], years) == "2021"


def test_a_single_quarter_is_labelled_as_a_quarter() -> None:
    """One period starting on 1 January is 2021Q1 when the table says it is quarterly."""
    tagged = to_frame([{"article_id": "a", "title": "t", "published": "2021-02-03"}]).assign(
        region="daejeon", smart_city=True, topics=[()], topic_evidence="", region_evidence="")
    counts = trends.count_articles(tagged, freq="QS")
    fig = plots.plot_article_counts(counts)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["2021Q1"]
