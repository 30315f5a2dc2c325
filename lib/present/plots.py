"""Charts for the notebooks and reports, with Korean labels that render everywhere.

Every plot function takes a tidy table from ``lib.analysis.trends`` and returns a matplotlib
``Figure`` (or draws into ``ax=``); none calls ``plt.show()``. Figures carry a title, axis
labels with units (``기사 수 (건)``, ``비중 (%)``) and the n behind each number. Each region has
one fixed colour and each topic one fixed colour, read from ``lib.vocabulary`` (the regions and
topics files), used in every chart.

Call ``use_korean_font()`` once before drawing; it registers NanumGothic from the
koreanize-matplotlib package so Hangul never falls back to empty boxes.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath

from lib.analysis import trends
from lib.present.export import exported
from lib.vocabulary import BOTH, NEITHER, get_vocabulary, region_color, region_label


FONT_FAMILY = "NanumGothic"
_FONT_PACKAGE = "koreanize_matplotlib"
#: The hatching colour of bins with too few articles, in every chart.
TOO_FEW_COLOR = "#BBBBBB"

# Colours of what is not a city. The cities' colours (``region_color``: Sejong blue, Daejeon
# vermillion, a further city a spare Okabe–Ito hue) mean the city in every chart, so nothing
# else is drawn in them: significance, trend direction and the kinds of interval are shown with
# greys and marker shape or fill, which also survive colour-blindness and grey-scale printing.
#: A significant result: filled near-black.
SIGNIFICANT_COLOR = "#222222"
#: A result that is not significant: hollow light grey.
QUIET_COLOR = "#999999"
#: Bars and marks that stand for no category (NMF term weights, groups that are not cities).
NEUTRAL_COLOR = "#666666"
#: A second neutral shade, next to :data:`NEUTRAL_COLOR` (the other of two non-city groups).
NEUTRAL_LIGHT_COLOR = "#A6A6A6"
#: An interval with outlets as clusters (square marks), beside the article-level one.
CLUSTERED_COLOR = "#666666"
#: The range with each outlet left out: a light grey band behind the intervals.
LEAVE_ONE_OUT_COLOR = "#D4D4D4"
#: Estimates corrected for tagging error (triangles): Okabe–Ito bluish green, no city's colour
#: (the "both cities" group has it in the corpus charts, which draw no corrected estimate).
CORRECTED_COLOR = "#009E73"
#: The colour map of heat maps of shares (a grey ramp: blue would read as Sejong).
SHARE_CMAP = "Greys"
#: Markers of a significant trend's direction (matplotlib marker codes: ▲ rising, ▼ falling).
RISING_MARKER = "^"
FALLING_MARKER = "v"
#: The size (inches) of a chart that has nothing to draw and says why (:func:`note_figure`);
#: it grows taller, never wider, when its title or note needs more lines.
NOTE_FIGSIZE = (8.0, 1.6)


def city_colors() -> set[str]:
    """The chart colours of every city of the vocabulary (lower-case hex), which nothing but
    a city may be drawn in."""
    return {mpl.colors.to_hex(region_color(c)) for c in get_vocabulary().city_keys}


def without_city_colors(palette: Sequence[str]) -> tuple[str, ...]:
    """``palette`` without the colours of the vocabulary's cities (e.g. for outlets)."""
    taken = city_colors()
    return tuple(c for c in palette if mpl.colors.to_hex(c) not in taken)


def korean_font_files() -> list[Path]:
    """The NanumGothic TTF files shipped by the koreanize-matplotlib pip package.

    Found through the package's import spec, without importing it: importing the package
    re-runs its own font setup and pulls in the deprecated ``distutils``.
    """
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "koreanize-matplotlib is not installed: it ships the NanumGothic font that "
            "Korean chart labels need (pip install -r requirements.txt)"
        )
    font_dir = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    files = sorted(font_dir.glob("NanumGothic*.ttf"))
    if not files:
        raise RuntimeError(f"no NanumGothic*.ttf in the koreanize-matplotlib package ({font_dir})")
    return files


def korean_font_file(*, bold: bool = False) -> Path:
    """The regular (or bold) NanumGothic TTF, e.g. to embed in an HTML report."""
    name = "NanumGothicBold.ttf" if bold else "NanumGothic.ttf"
    for path in korean_font_files():
        if path.name == name:
            return path
    raise RuntimeError(f"koreanize-matplotlib ships no {name}")


def use_korean_font() -> str:
    """Register NanumGothic with matplotlib and make it the default family. Idempotent.

    Sets ``font.family`` and ``axes.unicode_minus=False`` (NanumGothic has no U+2212 minus
    sign). Returns the family name. Safe to call in every notebook and test.
    """
    registered = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    for path in korean_font_files():
        if path.resolve() not in registered:
            font_manager.fontManager.addfont(str(path))
    mpl.rcParams["font.family"] = [FONT_FAMILY]
    mpl.rcParams["axes.unicode_minus"] = False
    return FONT_FAMILY




#: A region whose busiest period has more than this many times the articles of the cities'
#: busiest gets its own axes under theirs: a download of general news, most of it about
#: neither city, would otherwise press the cities' lines flat against zero.
SEPARATE_AXIS_RATIO = 4


@exported
def plot_article_counts(
    counts: pd.DataFrame,
    *,
    raw: pd.DataFrame | None = None,
    regions: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str = "기간별 기사 수",
) -> Figure:
    """Articles per period and region as lines (``count_articles`` output).

    ``counts`` are drawn solid (normally deduplicated); ``raw``, when given, dashed in the
    same colour, so the cost of syndication is visible. The legend gives each region's total
    n. A region outside the cities (most often "neither") whose busiest period holds more than
    :data:`SEPARATE_AXIS_RATIO` times the cities' busiest is drawn in a panel of its own below
    them, on its own scale (unless the caller passed ``ax``). Returns the Figure.
    """
    use_korean_font()
    regions = _regions_present(counts, regions)
    cities = [r for r in regions if r in (*get_vocabulary().city_keys, BOTH)]
    peak = counts.groupby("region")["n_articles"].max() if not counts.empty else pd.Series()
    city_peak = max([int(peak.get(r, 0)) for r in cities], default=0)
    apart = [r for r in regions if r not in cities and city_peak > 0
             and peak.get(r, 0) > SEPARATE_AXIS_RATIO * city_peak] if ax is None else []
    if apart:
        fig = Figure(figsize=(9, 5.6), dpi=100)
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
        panels = [(top, [r for r in regions if r not in apart]), (bottom, apart)]
    else:
        fig, ax = _figure_and_axes(ax, figsize=(9, 4.2))
        panels = [(ax, regions)]
    for panel, shown in panels:
        _count_lines(panel, counts, raw, shown)
        panel.set_ylabel("기사 수 (건)")
        panel.set_ylim(bottom=0)
        panel.yaxis.get_major_locator().set_params(integer=True)
        panel.grid(axis="y", alpha=0.3)
        if not counts.empty:
            panel.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    first, last = panels[0][0], panels[-1][0]
    n_all = int(counts["n_articles"].sum()) if not counts.empty else 0
    kind = "중복 제거" if raw is not None else ""
    first.set_title(f"{title} ({kind + ', ' if kind else ''}n={n_all:,})")
    if apart:
        last.set_title("따로 그린 기사 (축 눈금이 다릅니다: 위 도시들보다 훨씬 많음)", fontsize=9,
                       loc="left")
        first.tick_params(labelbottom=False)
    partial = trends.partial_periods(counts)
    for panel, shown in panels:
        _mark_partial(panel, counts, shown, partial)
    last.set_xlabel("기간 (시작일)" + partial_note(counts, partial))
    # The legend takes the right third of the figure: fewer, yearly-spaced labels fit.
    format_period_axis(last, counts, max_labels=8)
    if counts.empty:
        say_empty(first)
    fig.tight_layout()
    return fig


def partial_note(counts: pd.DataFrame, partial: dict[str, tuple[pd.Timestamp, pd.Timestamp]]
                 ) -> str:
    """`` · 속 빈 점: 일부만 담긴 기간 (2026: 2026-03-13까지)`` for the partial edge periods of
    :func:`lib.analysis.trends.partial_periods`, or ``""``."""
    if not partial:
        return ""
    freq = counts.attrs.get("freq")
    parts = []
    for edge, (period, date) in partial.items():
        name = (period_tick_text(trends.period_labels(pd.Series([period]), freq=freq).iloc[0])
                if freq else f"{period:%Y-%m-%d}")
        parts.append(f"{name}: {date:%Y-%m-%d}{'부터' if edge == 'first' else '까지'}")
    return " · 속 빈 점: 일부만 담긴 기간 (" + ", ".join(parts) + ")"


def _mark_partial(ax: Axes, counts: pd.DataFrame, regions: Sequence[str],
                  partial: dict[str, tuple[pd.Timestamp, pd.Timestamp]]) -> None:
    """Each partial period's points drawn hollow over the lines: its count is of part of it."""
    for period, _ in partial.values():
        for region in regions:
            row = counts[(counts["region"] == region) & (counts["period"] == period)]
            ax.scatter(row["period"], row["n_articles"], s=36, facecolors="white",
                       edgecolors=region_color(region), zorder=3)


def _count_lines(ax: Axes, counts: pd.DataFrame, raw: pd.DataFrame | None,
                 regions: Sequence[str]) -> None:
    """The lines of :func:`plot_article_counts` for ``regions`` in ``ax``."""
    for region in regions:
        part = counts[counts["region"] == region].sort_values("period")
        total = int(part["n_articles"].sum())
        ax.plot(part["period"], part["n_articles"], marker="o", markersize=4,
                color=region_color(region), label=f"{region_label(region)} (n={total:,})")
        if raw is not None:
            raw_part = raw[raw["region"] == region].sort_values("period")
            raw_total = int(raw_part["n_articles"].sum())
            ax.plot(raw_part["period"], raw_part["n_articles"], linestyle="--", linewidth=1,
                    color=region_color(region), alpha=0.7,
                    label=f"{region_label(region)} 중복 포함 (n={raw_total:,})")


@exported
def plot_smart_city_share(
    shares: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    min_n: int | None = None,
    title: str = "스마트시티 기사 비중",
) -> Figure:
    """Smart-city share per period, one panel per region (``smart_city_share`` output).

    The share is a line with its 95% Wilson interval as a ribbon; every bin is labelled with
    its n; bins with ``too_few`` articles are hatched grey and labelled ``n < min_n`` rather
    than drawn as 0. The series of articles about both cities (or neither) gets no panel when
    none of its bins holds ``min_n`` articles (it would be all hatching); the title names it.
    A city always gets its panel. Returns the Figure.
    """
    use_korean_font()
    min_n = int(min_n if min_n is not None else shares.attrs.get("min_n", 10))
    regions = share_regions(shares) if regions is None else _regions_present(shares, regions)
    thin = [r for r in regions if r in (BOTH, NEITHER)
            and shares.loc[shares["region"] == r, "too_few"].all()]
    if len(thin) < len(regions):
        regions = [r for r in regions if r not in thin]
    else:
        thin = []
    # The panel titles count every period; the panels draw from the first readable one.
    totals = shares.groupby("region")[["n_docs", "n_total"]].sum()
    shares = trends.trim_thin_edges(shares, regions=regions)
    n_panels = max(len(regions), 1)
    height = 2.6 * n_panels + 0.6 + (0.25 if thin else 0)
    fig = Figure(figsize=(9, height), dpi=100)
    # A second title line (the series left out) pushes the legend and the panels down.
    drop = 0.25 / height if thin else 0.0
    axes = fig.subplots(n_panels, 1, sharex=True, squeeze=False)
    axes = axes[:, 0]
    width = bar_width(shares)
    # With many periods a label in every hatched bin is clutter; the legend names the hatching.
    label_bins = shares["period"].nunique() <= 16 if len(shares) else False
    for ax, region in zip(axes, regions, strict=False):
        part = shares[shares["region"] == region].sort_values("period")
        color = region_color(region)
        pct = part["share"] * 100
        ax.fill_between(
            part["period"],
            part["ci_low"] * 100,
            part["ci_high"] * 100,
            color=color,
            alpha=0.2,
            linewidth=0,
            label=ribbon_label(shares),
        )
        ax.plot(part["period"], pct, marker="o", markersize=4, color=color, label="비중")
        valid = part[~part["too_few"]]
        # Whiskers as well as the ribbon: a lone bin between too-few bins has no ribbon.
        ax.vlines(valid["period"], valid["ci_low"] * 100, valid["ci_high"] * 100,
                  color=color, linewidth=1, alpha=0.6)
        hatch_thin(ax, part.loc[part["too_few"], "period"], width)
        for _, row in part.iterrows():
            if row["too_few"]:
                if label_bins:
                    ax.text(row["period"], 55, f"n < {min_n}", ha="center", va="center",
                            fontsize=7, color="#555555", rotation=90,
                            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
            # The n of every bin sits on one row under the data, so none hides a line.
            ax.text(row["period"], 104, f"{row['n_total']}", ha="center", va="bottom",
                    fontsize=7, color="#333333")
        n_region = int(totals.loc[region, "n_total"]) if region in totals.index else 0
        k_region = int(totals.loc[region, "n_docs"]) if region in totals.index else 0
        ax.set_title(f"{region_label(region)}: 스마트시티 {k_region:,}건 / 전체 {n_region:,}건"
                     f" (숫자: 기간별 n, 빗금: n < {min_n})", fontsize=10, loc="left", pad=16)
        ax.set_ylim(0, 100)
        ax.set_ylabel("비중 (%)")
        ax.grid(axis="y", alpha=0.3)
    if regions:
        handles, labels = axes[0].get_legend_handles_labels()
        if len(regions) > 1:  # one legend for panels of several colours: drawn in grey
            handles = [Patch(facecolor=NEUTRAL_COLOR, alpha=0.2, edgecolor="none"),
                       Line2D([], [], color=NEUTRAL_COLOR, marker="o", markersize=4)]
            labels = [ribbon_label(shares), "비중 (색: 패널마다 그 도시)"]
        if shares.loc[shares["region"].isin(regions), "too_few"].any():  # only a drawn hatch
            handles.append(Patch(facecolor="none", edgecolor=TOO_FEW_COLOR, hatch="///"))
            labels.append(f"표본 부족 (n < {min_n})")
        fig.legend(handles, labels, fontsize=8, ncol=3, frameon=False, loc="upper center",
                   bbox_to_anchor=(0.5, 0.965 - drop))
    who = region_label(regions[0]) if len(regions) == 1 else "모든 도시"
    axes[-1].set_xlabel("기간 (시작일)" + thin_edges_note(shares, who=who))
    format_period_axis(axes[-1], shares)
    if shares.empty or not regions:
        say_empty(axes[0])
    corrected = correction_note(shares, ", ")
    left_out = (f"\n그리지 않음: {', '.join(region_label(r) for r in thin)} (모든 기간 n < {min_n})"
                if thin else "")
    fig.suptitle(f"{title} (95% 신뢰구간{corrected}, 기간별 n 표시){left_out}")
    fig.tight_layout(rect=(0, 0, 1, (0.96 if n_panels > 1 else 0.9) - drop))
    return fig


@exported
def plot_smart_city_share_overall(
    shares: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """Each region's smart-city share over the whole span (``smart_city_share(freq="all")``):
    one row per region, a dot with its 95% interval, labelled with its count and n.

    The chart to show when no two periods give a region ``min_n`` articles: a trend chart
    would be all hatching. A region with fewer than ``min_n`` articles is written as too
    few, not drawn; a region with none has no row. Returns the Figure."""
    use_korean_font()
    min_n = int(shares.attrs.get("min_n", 10))
    regions = share_regions(shares, regions)
    fig = Figure(figsize=(9, 0.7 * max(len(regions), 1) + 1.9), dpi=100)
    ax = fig.add_subplot()
    y = np.arange(len(regions))[::-1]
    for yi, region in zip(y, regions, strict=True):
        row = shares[shares["region"] == region].iloc[0]
        color = region_color(region)
        n, k = int(row["n_total"]), int(row["n_docs"])
        if row["too_few"] or not np.isfinite(row["share"]):
            note = f"n={n:,} < {min_n}: 표시하지 않음"
        else:
            share = row["share"] * 100
            ax.errorbar([share], [yi], xerr=[[share - row["ci_low"] * 100],
                                             [row["ci_high"] * 100 - share]],
                        fmt="o", color=color, ecolor=color, capsize=4, markersize=7)
            note = (f"{share:.0f}% ({row['ci_low'] * 100:.0f}~{row['ci_high'] * 100:.0f}%,"
                    f" {k:,}/{n:,})")
        ax.annotate(note, xy=(1.01, yi), xycoords=ax.get_yaxis_transform(), va="center",
                    fontsize=9)
    ax.set_yticks(y, [region_label(r) for r in regions], fontsize=10)
    ax.set_ylim(-0.6, max(len(regions), 1) - 0.4)
    ax.set_xlim(-2, 102)  # a share of 0% or 100% keeps its whole dot
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("비중 (%, 지역별 기사 중 스마트시티 기사)")
    ax.grid(axis="x", alpha=0.3)
    if not regions:
        say_empty(ax)
    elif shares[shares["region"].isin(regions)]["too_few"].astype(bool).all():
        say_thin(ax, f"모든 지역의 기사가 {min_n}건 미만: 비중을 표시하지 않음")
    corrected = correction_note(shares, ", ")
    title = title or (f"전체 기간 스마트시티 기사 비중 (95% 신뢰구간{corrected})\n"
                      f"기간별로는 n ≥ {min_n}인 기간이 부족해 추세 대신 전체 기간을 보임")
    fig.suptitle(title, fontsize=11, linespacing=1.4)
    fig.tight_layout(rect=(0, 0, 0.8, 1))
    return fig


def share_regions(shares: pd.DataFrame, regions: Sequence[str] | None = None) -> list[str]:
    """The regions of ``regions`` (default: the cities, then articles of both) that have an
    article in ``shares`` (``smart_city_share`` output), in order: a region with none has no
    panel or row in a smart-city share chart."""
    if regions is None:
        regions = [*get_vocabulary().cities_in(shares["region"]), BOTH] if len(shares) else []
    return [r for r in _regions_present(shares, regions)
            if shares.loc[shares["region"] == r, "n_total"].sum() > 0]


def ribbon_label(shares: pd.DataFrame) -> str:
    """The legend entry of a share's interval ribbon: Wilson's for observed shares; for shares
    corrected for tagging error (``accuracy.as_corrected``), the bootstrap interval that also
    carries the error rates' uncertainty."""
    if shares.attrs.get("corrected"):
        return "95% 신뢰구간 (태그 오류 보정, 부트스트랩)"
    return "95% 신뢰구간 (Wilson)"


def _figure_and_axes(ax: Axes | None, *, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, dpi=100)
    return fig, fig.add_subplot()


def _regions_present(table: pd.DataFrame, regions: Sequence[str] | None) -> list[str]:
    """``regions`` in the given order (all regions of the table when None)."""
    if regions is None:
        present = list(pd.unique(table["region"])) if "region" in table.columns else []
        return [r for r in get_vocabulary().region_order(present) if r in present]
    present = set(table["region"]) if "region" in table.columns else set()
    return [r for r in regions if r in present]


def bar_width(table: pd.DataFrame) -> pd.Timedelta:
    """90% of the shortest gap between periods (60 days with one period)."""
    periods = pd.Series(pd.unique(table["period"])).sort_values() if len(table) else []
    if len(periods) >= 2:
        return periods.diff().min() * 0.9
    return pd.Timedelta(days=60)


def format_period_axis(ax: Axes, table: pd.DataFrame, *, max_labels: int = 12) -> None:
    """Ticks on period starts, labelled as the tables label them, quarters and half-years
    written out in Korean (``2021 1분기``, ``2021 상반기``, ``2021-03``: :func:`period_tick_text`).

    At most ``max_labels`` labels (fewer for narrow axes, so labels never touch: their widths
    are measured in the tick font); matplotlib's date formatter would print English month
    names.
    """
    if table.empty:
        return
    periods = pd.DatetimeIndex(sorted(pd.unique(table["period"])))
    freq = table.attrs.get("freq")

    def label(ticks: pd.DatetimeIndex) -> list[str]:
        if freq:  # the table says its period length: label periods as the tables do
            return [period_tick_text(text)
                    for text in trends.period_labels(pd.Series(ticks), freq=freq)]
        return [period_tick_label(p, periods) for p in ticks]

    fits = tick_room(ax, label(periods[:1].append(periods[-1:])))
    step = max(1, int(np.ceil(len(periods) / min(max_labels, fits))))
    # The first period of each year (the first period shown only when it opens its year: a
    # week starting on 30 December is no year's mark).
    firsts = periods[np.r_[periods[0].day_of_year <= 7, periods.year[1:] != periods.year[:-1]]]
    if step > 1 and len(firsts) < len(periods) and len(firsts) > 1:
        # Not every half-year or quarter can be named: name the years (every one that fits,
        # at its first period) and mark each period with a minor tick, rather than one period
        # in several (`2018 상반기` … `2022 상반기` over sixteen half-years).
        year_step = max(1, int(np.ceil(len(firsts) / min(max_labels, tick_room(
            ax, [str(firsts[-1].year)])))))
        ticks = firsts[::year_step]
        ax.set_xticks(ticks, [str(t.year) for t in ticks])
        ax.set_xticks(periods, minor=True)
    else:
        ticks = periods[::step]
        ax.set_xticks(ticks, label(ticks))
    if len(periods) == 1:
        ax.set_xlim(periods[0] - pd.Timedelta(days=60), periods[0] + pd.Timedelta(days=60))


def tick_room(ax: Axes, texts: Sequence[str], *, size: float | None = None) -> int:
    """How many labels as wide as the widest of ``texts`` fit side by side (with a gap) on
    ``ax``'s x axis, measured in the Korean font at ``size`` points (default: the tick font's
    size): a Hangul syllable is about twice as wide as a digit."""
    if size is None:
        size = font_manager.FontProperties(
            size=mpl.rcParams["xtick.labelsize"]).get_size_in_points()
    font = font_manager.FontProperties(family=FONT_FAMILY, size=size)
    measure = TextToPath()
    widest = max((measure.get_text_width_height_descent(text, font, ismath=False)[0]
                  for text in texts), default=0.0)
    width = ax.get_position().width * ax.figure.get_figwidth() * 72  # points
    return max(1, int(width // (widest * 1.1 + 14)))


#: Quarter and half-year labels as the tables write them (``2021Q1``, ``2021H1``).
_QUARTER_LABEL = re.compile(r"(\d{4})Q([1-4])")
_HALF_LABEL = re.compile(r"(\d{4})H([12])")


def period_tick_text(label: str) -> str:
    """A period's label on a chart's axis: ``2021 1분기`` for the tables' ``2021Q1``, ``2021
    상반기`` / ``2021 하반기`` for ``2021H1`` / ``2021H2``; any other label as it is."""
    if found := _QUARTER_LABEL.fullmatch(label):
        return f"{found[1]} {found[2]}분기"
    if found := _HALF_LABEL.fullmatch(label):
        return f"{found[1]} {'상' if found[2] == '1' else '하'}반기"
    return label


def thin_edges_note(table: pd.DataFrame, *, who: str = "모든 도시") -> str:
    """What :func:`lib.analysis.trends.trim_thin_edges` cut from ``table``, for a chart's x
    label: ``" · 2002–2011 생략 (모든 도시 n < 10, 기사 29건)"``, or ``""`` when nothing was
    cut."""
    edges = table.attrs.get("thin_edges") or []
    if not edges:
        return ""
    freq = table.attrs.get("freq")

    def name(period: pd.Timestamp) -> str:
        if not freq:
            return period_tick_label(period, pd.DatetimeIndex([period]))
        return period_tick_text(trends.period_labels(pd.Series([period]), freq=freq).iloc[0])

    runs = ", ".join(name(first) if first == last else f"{name(first)}–{name(last)}"
                     for first, last, _ in edges)
    articles = sum(n for _, _, n in edges)
    return (f" · {runs} 생략 ({who} n < {table.attrs.get('min_n', 10)}, "
            f"기사 {articles:,}건)")


def note_under_panels(fig: Figure, table: pd.DataFrame, *, who: str = "모든 도시") -> float:
    """Write :func:`thin_edges_note` of ``table`` centred under ``fig``'s panels (a grid of
    panels, where no one panel's x label has room for it); returns the height, as a share of
    the figure, that ``tight_layout`` must leave free at the bottom (0 when nothing was cut)."""
    note = thin_edges_note(table, who=who).removeprefix(" · ")
    if not note:
        return 0.0
    fig.text(0.5, 0.005, note, ha="center", va="bottom", fontsize=9)
    return 0.03


def period_tick_label(period: pd.Timestamp, periods: pd.DatetimeIndex) -> str:
    """``2021 1분기`` / ``2021-03`` / ``2021`` / ``2021-03-15`` depending on the period
    length."""
    gaps = periods.to_series().diff().dropna()
    days = gaps.min().days if len(gaps) else None
    starts_quarter = all(p.day == 1 and p.month in (1, 4, 7, 10) for p in periods)
    starts_month = all(p.day == 1 for p in periods)
    if starts_month and all(p.month == 1 for p in periods) and (days is None or days >= 365):
        return f"{period.year}"
    if starts_quarter and (days is None or days >= 89):
        return period_tick_text(f"{period.year}Q{period.quarter}")
    if starts_month:
        return period.strftime("%Y-%m")
    return period.strftime("%Y-%m-%d")


def say_thin(ax: Axes, text: str) -> None:
    """A panel whose every bin is too small says so, in the middle, instead of looking empty."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=9,
            color="#333333", bbox={"facecolor": "white", "edgecolor": TOO_FEW_COLOR, "pad": 3})


def hatch_thin(ax: Axes, periods: pd.Series, width: pd.Timedelta) -> None:
    """Hatch the bins of ``periods`` (too few articles to show a share), each ``width`` wide."""
    for period in periods:
        ax.axvspan(period - width / 2, period + width / 2, facecolor="none",
                   edgecolor=TOO_FEW_COLOR, hatch="///", linewidth=0)


def correction_note(shares: pd.DataFrame, sep: str) -> str:
    """``태그 오류 보정`` after ``sep`` for a title when ``shares`` are corrected for tagging error
    (``accuracy.as_corrected``), naming per-city or per-era rates; else ``""``."""
    if not shares.attrs.get("corrected"):
        return ""
    rates = {"by city": " (도시별 오류율)", "by era": " (시기별 오류율)"}.get(
        str(shares.attrs.get("rates", "")), "")
    return f"{sep}태그 오류 보정{rates}"


def say_empty(ax: Axes) -> None:
    """Write in the middle of ``ax`` that there is nothing to show."""
    ax.text(0.5, 0.5, "표시할 기사가 없습니다", transform=ax.transAxes, ha="center",
            va="center", fontsize=11, color="#555555")


def note_figure(title: str, text: str) -> Figure:
    """A small figure (:data:`NOTE_FIGSIZE`) with ``title`` on top and ``text`` centred under
    it, both wrapped to the figure's width: what a chart returns when it has nothing at all to
    draw, instead of a grid of empty panels that reads like a broken report.

    ``text`` says what is missing and why, in Korean with the English in parentheses. It sits
    in the figure's one axes (drawn without frame or ticks), where ``fig.axes[0].texts`` finds
    it; the title is the figure's suptitle. A note too long for one line puts its last
    parenthesis (the English) on lines of its own. Returns the Figure."""
    use_korean_font()
    width, least_height = NOTE_FIGSIZE
    room = (width - 0.7) * 72  # points between margins of 0.35 inch
    title = wrap_to_width(title, room, fontsize=12)
    korean, opens, english = text.rpartition(" (")
    text = wrap_to_width(text, room, fontsize=10)
    if "\n" in text and korean:
        text = (wrap_to_width(korean, room, fontsize=10) + "\n"
                + wrap_to_width(opens.strip() + english, room, fontsize=10))
    title_height = (title.count("\n") + 1) * 12 * 1.3 / 72  # inches, at linespacing 1.3
    text_height = (text.count("\n") + 1) * 10 * 1.4 / 72
    height = max(least_height, 0.15 + title_height + 0.5 + text_height)
    fig = Figure(figsize=(width, height), dpi=100)
    fig.suptitle(title, fontsize=12, linespacing=1.3, y=1 - 0.15 / height, va="top")
    # The note is centred in what the title leaves, so the two never touch.
    ax = fig.add_axes((0.0, 0.0, 1.0, 1 - (0.15 + title_height) / height))
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=10,
            linespacing=1.4, color="#333333")
    return fig


def wrap_to_width(text: str, width: float, *, fontsize: float) -> str:
    """``text`` with line breaks at spaces so no line is wider than ``width`` points in the
    Korean font at ``fontsize``, measured rather than counted: a Hangul syllable is about
    twice as wide as a Latin letter. Existing line breaks are kept; a word wider than
    ``width`` gets a line of its own."""
    font = font_manager.FontProperties(family=FONT_FAMILY, size=fontsize)
    measure = TextToPath()

    def fits(line: str) -> bool:
        return measure.get_text_width_height_descent(line, font, ismath=False)[0] <= width

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            longer = f"{line} {word}" if line else word
            if line and not fits(longer):
                lines.append(line)
                longer = word
            line = longer
        lines.append(line)
    return "\n".join(lines)
