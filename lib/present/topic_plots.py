"""Charts of topic trends per city (``lib.analysis.topic_trends`` tables), with Korean labels.

- ``plot_topic_trends``: small multiples, one panel per topic, a line per city with its 95%
  Wilson ribbon, thin bins hatched, and a panel of n per bin under them (the main chart);
- ``plot_topic_composition``: what each city's topic labels are made of, per period (stacked);
- ``plot_region_difference``: city a minus city b per topic and period, with Newcombe intervals
  and the significant cells marked;
- ``plot_difference_overall``: the same difference over the whole span, one row per topic;
- ``plot_outlet_check``: the same difference checked against the outlets: the interval with
  outlets as clusters and the range with each outlet left out (``lib.analysis.outlets``);
- ``plot_topic_shares_overall``: each city's topic shares over the whole span, for a corpus too
  thin for shares over time;
- ``plot_topic_movers``: the trend test per city: odds ratio per year with its interval;
- ``plot_outlet_trend_check``: the significant trends checked against the outlets: outlets
  as clusters, one outlet left out, and within outlets (``lib.analysis.outlets.outlet_trend_check``);
- ``plot_outlet_mix``: which outlets write each city's articles, period by period
  (``lib.analysis.outlets.outlet_mix``);
- ``plot_rates_by_era``: how often each topic's tag finds its stories (sensitivity) and leaves
  the others alone (specificity), era by era of publication (``accuracy.load_tagger_accuracy(
  by_era=True)``), the drift ``accuracy.corrected_trends`` checks the trends against.

Every function returns a matplotlib ``Figure`` (never calls ``plt.show()``), titles it, labels
its axes with units and shows the n behind the numbers; a chart with nothing at all to draw (no
city, period or cell with ``min_n`` articles) is a small note under its title saying why, with
each city's n (``lib.present.plots.note_figure``), not a grid of empty panels. Region and
topic colours come from ``lib.vocabulary``; a city's colour means that city and nothing else:
significance, trend direction and the kinds of interval are greys and marker shapes (the
constants of ``lib.present.plots``).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

from lib.analysis import topic_trends as tt
from lib.analysis.trends import trim_thin_edges, wilson_interval
from lib.present.export import DRAWN_FROM, exported
from lib.present.plots import (
    CORRECTED_COLOR,
    FALLING_MARKER,
    LEAVE_ONE_OUT_COLOR,
    NEUTRAL_COLOR,
    QUIET_COLOR,
    CLUSTERED_COLOR,
    RISING_MARKER,
    SIGNIFICANT_COLOR,
    TOO_FEW_COLOR,
    bar_width,
    correction_note,
    format_period_axis,
    hatch_thin,
    note_figure,
    note_under_panels,
    ribbon_label,
    say_thin,
    thin_edges_note,
    use_korean_font,
    without_city_colors,
)
from lib.vocabulary import (
    BOTH,
    get_vocabulary,
    region_color,
    region_label,
    topic_color,
    topic_label,
)

def _freq_axis_label(table: pd.DataFrame) -> str:
    freq = table.attrs.get("freq")
    return f"기간 ({tt.freq_name(freq)})" if freq else "기간 (시작일)"


def _cities(table: pd.DataFrame, regions: Sequence[str] | None) -> list[str]:
    if regions is None:
        return get_vocabulary().cities_in(table["region"]) if len(table) else []
    present = set(table["region"]) if len(table) else set()
    return [r for r in regions if r in present]


def _topics(table: pd.DataFrame, topics: Sequence[str] | None) -> list[str]:
    if topics is not None:
        return list(topics)
    return list(dict.fromkeys(table["topic"])) if len(table) else []


def _share_setup(shares: pd.DataFrame, regions: Sequence[str] | None,
                 topics: Sequence[str] | None) -> tuple[list[str], list[str], int, str]:
    """The cities and topics a ``topic_shares`` table draws, its ``min_n`` and its ``base``."""
    return (_cities(shares, regions), _topics(shares, topics),
            int(shares.attrs.get("min_n", 10)), shares.attrs.get("base", "smart_city"))


def _drawable(table: pd.DataFrame, **within: Sequence[str]) -> bool:
    """Whether ``table`` has a row that is not ``too_few`` among those whose columns hold the
    given values (``region=cities, topic=topics``). A chart without one has nothing at all to
    draw: it returns a :func:`note_figure` saying why instead of a grid of empty panels."""
    rows = table
    for column, values in within.items():
        rows = rows[rows[column].isin(list(values))]
    return bool(len(rows)) and not rows["too_few"].astype(bool).all()


def _city_totals(table: pd.DataFrame, cities: Sequence[str]) -> dict[str, int]:
    """The articles over the whole span of each of ``cities`` that has rows in a table with
    ``region, n_total``: per period (``topic_shares``, ``outlet_mix``: each period's n counted
    once), else per topic over the whole span (``trend_test``: the same n on every topic). A
    city without rows is left out: its n is unknown, not zero."""
    if not len(table):
        return {}
    if "period" in table.columns:
        totals = table.groupby(["region", "period"])["n_total"].first().groupby(level=0).sum()
    else:
        totals = table.groupby("region")["n_total"].max()
    return {c: int(totals[c]) for c in cities if c in totals.index}


def _pair_totals(compare: pd.DataFrame, a: str, b: str) -> dict[str, int]:
    """The articles of cities ``a`` and ``b`` over the whole span, from a ``compare_regions``
    or ``outlet_check`` table (``n_a, n_b`` per period and topic: each period counted once)."""
    if not len(compare):
        return {a: 0, b: 0}
    per_period = compare.groupby("period")[["n_a", "n_b"]].first()
    return {a: int(per_period["n_a"].sum()), b: int(per_period["n_b"].sum())}


def _nothing_note(totals: dict[str, int], min_n: int, *, base: str = "smart_city",
                  pair: bool = False, otherwise: str | None = None) -> str:
    """Why a chart has nothing to draw, in Korean with the English in parentheses, from each
    city's articles over the whole span (``totals``, city key to n) and the smallest n shown:
    every city below ``min_n``; for a comparison (``pair``), one city below it or no period
    where both reach it; else no period where a city reaches it, or ``otherwise`` (a reason
    that is not the n of the periods, such as a trend that could not be fitted). With no city
    in ``totals``: ``otherwise``, else that there is no article at all."""
    what, what_en = (("스마트시티 기사", "smart-city articles") if base == "smart_city"
                     else ("기사", "articles"))
    if not totals:
        return otherwise or (f"{what}가 한 건도 없어서 그릴 것이 없습니다 "
                             f"(no {what_en} at all: nothing to draw)")
    counts = ", ".join(f"{region_label(c)} {n:,}건" for c, n in totals.items())
    thin = [c for c, n in totals.items() if n < min_n]
    if thin and (pair or len(thin) == len(totals)):
        who, who_en = _which_cities(thin, every=len(thin) == len(totals))
        return (f"{who} {what}가 {min_n}건 미만이어서 ({counts}) 그릴 것이 없습니다 "
                f"(fewer than {min_n} {what_en} in {who_en}: nothing to draw)")
    if otherwise is not None:
        return otherwise
    if pair:
        return (f"두 도시가 동시에 {what} {min_n}건 이상인 기간이 없어서 (전체 기간 {counts}) "
                f"그릴 것이 없습니다 (no period with {min_n} {what_en} in both cities: "
                "nothing to draw)")
    return (f"어느 기간에도 {what}가 {min_n}건 이상인 도시가 없어서 (전체 기간 {counts}) "
            f"그릴 것이 없습니다 (no period with {min_n} {what_en} in any city: nothing to draw)")


def _which_cities(cities: Sequence[str], *, every: bool) -> tuple[str, str]:
    """The subject of a sentence about ``cities`` in Korean and English: ``두 도시 모두`` /
    ``either city`` when they are ``every`` city of two, else their names."""
    if every and len(cities) == 2:
        return "두 도시 모두", "either city"
    if every and len(cities) > 2:
        return "모든 도시의", "any city"
    return ("·".join(region_label(c) for c in cities) + "의",
            " and ".join(region_label(c, lang="en") for c in cities))


@exported
def plot_topic_trends(
    shares: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    ncols: int = 3,
    title: str = "주제별 보도 비중의 변화",
    reliability: pd.DataFrame | None = None,
    panel_width: float = 4.2,
    trend: pd.DataFrame | None = None,
) -> Figure:
    """Small multiples of a ``topic_shares`` table: one panel per topic, one line per city.

    ``trend`` (``trend_test`` of the same shares) draws each significant trend as the dashed
    line it fitted, in its city's colour, so the fitted start and end shares the findings quote
    can be seen; not on shares corrected for tagging error, which the test did not fit.

    ``reliability`` (``lib.analysis.accuracy.tag_reliability()``: ``value, precision,
    recall`` per topic) adds, under each panel's title, how often that topic's tag is right on
    real labelled news, so a reader weighs each trend by its tag. A table whose shares were
    corrected for tagger error (``attrs["corrected"]``) says so in the title.

    Each city's share (in % of its smart-city articles, or of all its articles with
    ``base="all"``) is a line with its 95% Wilson interval as a ribbon. Periods where a shown
    city has fewer than ``min_n`` articles are hatched; that city has no point there (too few,
    not zero). A last panel gives each city's n per period, the denominators of every panel,
    with ``min_n`` as a dashed line. ``regions`` defaults to the table's cities; ``topics`` to
    its topics in order; ``panel_width`` is each panel's width in inches (a single topic drawn
    alone reads better wide). With no city and period at ``min_n`` the Figure is only a note
    saying so (:func:`note_figure`). Returns the Figure.
    """
    use_korean_font()
    regions, topics, min_n, base = _share_setup(shares, regions, topics)
    if not _drawable(shares, region=regions, topic=topics):
        return note_figure(title, _nothing_note(_city_totals(shares, regions), min_n, base=base))
    n_panels = max(len(topics), 1)
    ncols = max(1, min(ncols, n_panels))
    nrows = int(np.ceil(n_panels / ncols))
    row_height = 2.6 if reliability is None else 2.9  # room for the reliability line
    fig = Figure(figsize=(panel_width * ncols + 0.6, row_height * nrows + 3.0), dpi=100)
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[*([1.0] * nrows), 0.9])
    width = bar_width(shares) if len(shares) else pd.Timedelta(days=60)
    # Panel headings count every period; the panels draw from the first readable one.
    n_topics = (shares[shares["region"].isin(regions)].groupby("topic")["n_docs"].sum()
                if len(shares) else pd.Series(dtype="int64"))
    shares = trim_thin_edges(shares, regions=regions)
    plotted = shares[shares["region"].isin(regions)] if len(shares) else shares
    # The exported table is what the panels draw: the shown cities and topics only.
    setattr(fig, DRAWN_FROM, plotted[plotted["topic"].isin(topics)] if len(plotted) else plotted)
    thin_periods = (plotted.groupby("period")["too_few"].any() if len(plotted)
                    else pd.Series(dtype=bool))
    thin = pd.Series(thin_periods[thin_periods].index)
    fits = ({} if trend is None or shares.attrs.get("corrected") else
            {(r.region, r.topic): r for r in trend[trend["significant"].astype(bool)].itertuples()})
    first_ax: Axes | None = None
    axes: list[Axes] = []
    for i, topic in enumerate(topics):
        ax = fig.add_subplot(grid[i // ncols, i % ncols], sharex=first_ax, sharey=first_ax)
        first_ax = first_ax or ax
        axes.append(ax)
        hatch_thin(ax, thin, width)
        for region in regions:
            part = shares[(shares["region"] == region) & (shares["topic"] == topic)]
            part = part.sort_values("period")
            color = region_color(region)
            ax.fill_between(part["period"], part["ci_low"] * 100, part["ci_high"] * 100,
                            color=color, alpha=0.18, linewidth=0)
            ax.plot(part["period"], part["share"] * 100, marker="o", markersize=3.5,
                    linewidth=1.6, color=color)
            shown = part[~part["too_few"]]
            # Whiskers too: a lone bin between thin bins has no ribbon to show.
            ax.vlines(shown["period"], shown["ci_low"] * 100, shown["ci_high"] * 100,
                      color=color, linewidth=0.8, alpha=0.5)
            fitted = _fitted_trend(part, fits.get((region, topic)))
            if fitted is not None:
                ax.plot(fitted.index, fitted.to_numpy() * 100, linestyle="--", linewidth=1.3,
                        color=color)
        panel = shares[(shares["topic"] == topic) & shares["region"].isin(regions)]
        if len(panel) and panel["too_few"].all():
            say_thin(ax, f"모든 기간 n < {min_n}: 비중을 표시하지 않음")
        n_topic = int(n_topics.get(topic, 0))
        heading = f"{topic_label(topic)} (이 주제 기사 n={n_topic:,})"
        if reliability is not None:
            heading += "\n" + _reliability_line(reliability, topic)
        ax.set_title(heading, fontsize=10 if reliability is None else 9, loc="left", pad=6,
                     linespacing=1.3)
        ax.set_ylim(0, 100)
        ax.grid(axis="y", alpha=0.3)
        if i % ncols == 0:
            ax.set_ylabel("비중 (%)")
        ax.tick_params(labelsize=8)
        if i < len(topics) - ncols:
            ax.tick_params(labelbottom=False)
    n_ax = fig.add_subplot(grid[nrows, :], sharex=first_ax)
    _draw_n_panel(n_ax, shares, regions, min_n=min_n, base=base, width=width)
    # The panels share one x axis (and so one set of ticks): few enough labels for a panel,
    # measured on the first panel's width.
    format_period_axis(axes[0] if axes else n_ax, shares,
                       max_labels=2 * ncols + 1 if ncols > 1 else 8)
    n_ax.set_xlabel(_freq_axis_label(shares) + thin_edges_note(shares))
    handles = [Line2D([], [], color=region_color(r), marker="o", markersize=4,
                      label=f"{region_label(r)}") for r in regions]
    # The ribbon's swatch is grey: each city's ribbon has its city's colour.
    handles.append(Patch(facecolor=QUIET_COLOR, alpha=0.3, label=ribbon_label(shares)))
    shown = shares[shares["region"].isin(regions)] if len(shares) else shares
    if len(shown) and shown["too_few"].any():  # a hatch in the legend only where one is drawn
        handles.append(Patch(facecolor="none", edgecolor=TOO_FEW_COLOR, hatch="///",
                             label=f"표본 부족 (한 도시 이상 n < {min_n})"))
    if fits:
        handles.append(Line2D([], [], color=QUIET_COLOR, linestyle="--",
                              label="유의한 추세의 적합선"))
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=9,
               frameon=False, bbox_to_anchor=(0.5, 0.955))
    denominator = "스마트시티 기사" if base == "smart_city" else "전체 기사"
    corrected = correction_note(shares, " · ")
    fig.suptitle(f"{title}: 도시별 {denominator} 중 주제 비중 (95% 신뢰구간{corrected})",
                 fontsize=13)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig


def _fitted_trend(part: pd.DataFrame, row: object | None) -> pd.Series | None:
    """A ``trend_test`` row's fitted share from its ``period_start`` to its ``period_end`` (the
    city's first and last period with ``min_n`` articles), over the periods of ``part`` (one
    city's topic shares) between them with articles: logit-linear in years, through its
    ``share_start`` and ``share_end``. None without a row or its shares."""
    if row is None:
        return None
    start, end = float(row.share_start), float(row.share_end)
    fit = part[(part["n_total"] > 0) & (part["period"] >= row.period_start)
               & (part["period"] <= row.period_end)].sort_values("period")
    if not (0 < start < 1 and 0 < end < 1) or len(fit) < 2:
        return None
    periods = pd.to_datetime(fit["period"])
    years = ((periods - periods.iloc[0]).dt.days / tt.DAYS_PER_YEAR).to_numpy(dtype=float)
    logit = np.log([start / (1 - start), end / (1 - end)])
    eta = logit[0] + (logit[1] - logit[0]) * years / years[-1]
    return pd.Series(1 / (1 + np.exp(-eta)), index=fit["period"].to_numpy())


def _reliability_line(reliability: pd.DataFrame, topic: str) -> str:
    """``태그 성능 (실제 뉴스 라벨 기준) 정밀도 72% · 재현율 84%`` for one topic: how well the
    tag does on labelled real news, not a property of the data drawn (``…: 측정 안 됨`` when
    absent); ``(직접 라벨 기준)`` when the rates come from the corpus's own labels
    (``accuracy.corpus_accuracy``)."""
    basis = ("태그 성능 (직접 라벨 기준)" if reliability.attrs.get("labels_file")
             else "태그 성능 (실제 뉴스 라벨 기준)")
    row = reliability[reliability["value"] == topic]
    if row.empty or not np.isfinite(row["precision"].iloc[0]):
        return f"{basis}: 측정 안 됨"
    prec, rec = float(row["precision"].iloc[0]), float(row["recall"].iloc[0])
    rec_text = f"{rec * 100:.0f}%" if np.isfinite(rec) else "–"
    return f"{basis} 정밀도 {prec * 100:.0f}% · 재현율 {rec_text}"


def _draw_n_panel(ax: Axes, shares: pd.DataFrame, regions: Sequence[str], *, min_n: int,
                  base: str, width: pd.Timedelta) -> None:
    """Grouped bars of each city's n per period (the denominators), min_n as a dashed line."""
    totals = (shares[shares["region"].isin(regions)].groupby(["period", "region"])["n_total"]
              .first().unstack("region") if len(shares) else pd.DataFrame())
    k = max(len(regions), 1)
    bar = width / k
    for j, region in enumerate(regions):
        if region not in totals.columns:
            continue
        offset = (j - (k - 1) / 2) * bar
        ax.bar(totals.index + offset, totals[region], width=bar * 0.95,
               color=region_color(region), alpha=0.8, label=region_label(region))
    ax.axhline(min_n, color="#555555", linestyle="--", linewidth=0.9)
    ax.text(1.0, min_n, f" 최소 n = {min_n}", transform=ax.get_yaxis_transform(), fontsize=8,
            va="center", ha="left", color="#555555")
    what = "스마트시티 기사" if base == "smart_city" else "기사"
    ax.set_ylabel(f"n ({what}, 건)")
    ax.set_title("기간별 n: 각 패널 비중의 분모", fontsize=10, loc="left")
    ax.grid(axis="y", alpha=0.3)
    ax.set_ylim(bottom=0)


def _stacked_figure(table: pd.DataFrame, n_regions: int, *, extra_height: float
                    ) -> tuple[Figure, np.ndarray, pd.Timedelta, bool]:
    """A figure of one stacked-bar panel per city over shared periods: ``(fig, axes, bar
    width, whether there are too many periods to print each n)``."""
    n_panels = max(n_regions, 1)
    fig = Figure(figsize=(11, 2.9 * n_panels + extra_height), dpi=100)
    axes = fig.subplots(n_panels, 1, sharex=True, squeeze=False)[:, 0]
    width = bar_width(table) if len(table) else pd.Timedelta(days=60)
    many = table["period"].nunique() > 24 if len(table) else False
    return fig, axes, width, many


#: Past this many periods a stacked panel is drawn as stacked steps, one shape per column,
#: instead of a bar per period and column: the same picture, and thousands of bars (weeks over
#: ten years) took seconds to draw.
MAX_STACKED_BARS = 60


def _stack(ax: Axes, wide: pd.DataFrame, width: pd.Timedelta, colors: dict[str, str],
           labels: dict[str, str]) -> list[Patch]:
    """Stack ``wide``'s columns (fractions, one row per period) in percent, each period's bar
    ``width`` wide and centred on its start (as stacked steps past :data:`MAX_STACKED_BARS`
    periods); returns a legend patch per column."""
    handles = [Patch(color=colors[c], label=labels[c]) for c in wide.columns]
    values = [wide[c].fillna(0).to_numpy() * 100 for c in wide.columns]
    if len(wide) > MAX_STACKED_BARS:
        edges = [*(wide.index - width / 2), wide.index[-1] + width / 2]
        ax.stackplot(edges, *[np.append(v, v[-1]) for v in values], step="post",
                     colors=[colors[c] for c in wide.columns], linewidth=0)
        return handles
    bottom = np.zeros(len(wide))
    for column, height in zip(wide.columns, values, strict=True):
        ax.bar(wide.index, height, bottom=bottom, width=width, color=colors[column],
               label=labels[column], linewidth=0)
        bottom += height
    return handles


def _period_totals(ax: Axes, part: pd.DataFrame, width: pd.Timedelta, many: bool
                   ) -> pd.DataFrame:
    """Hatch a panel's too-thin periods and print each period's n above its bar (unless there
    are ``many``); returns ``n_total, too_few`` per period."""
    totals = part.groupby("period")[["n_total", "too_few"]].first().sort_index()
    hatch_thin(ax, pd.Series(totals.index[totals["too_few"]]), width)
    if not many:
        for period, row in totals.iterrows():
            ax.text(period, 101, f"{int(row['n_total'])}", ha="center", va="bottom",
                    fontsize=7, color="#333333")
    return totals


def _stacked_title(ax: Axes, region: str, n: int, *, min_n: int, many: bool) -> None:
    """A stacked panel's title: the city, its n, and how to read the numbers over the bars
    (printed only when the periods are not ``many``) and the hatching."""
    over = "" if many else "막대 위 숫자: 기간별 n, "
    ax.set_title(f"{region_label(region)} (n={n:,}; {over}빗금: n < {min_n})", fontsize=10,
                 loc="left", pad=14)


@exported
def plot_topic_composition(
    shares: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    title: str = "도시별 주제 구성의 변화",
) -> Figure:
    """Stacked bars per period, one panel per city: what the city's topic labels are made of.

    Built from a ``topic_shares`` table through ``topic_composition``: each bar adds up to 100%
    of the topic labels the city's articles carry in the period (an article with two topics
    counts in both). Periods with fewer than ``min_n`` articles are hatched and carry no bar;
    the number above each bar is the period's n (articles). With no city and period at
    ``min_n`` the Figure is only a note saying so (:func:`note_figure`). Returns the Figure.
    """
    use_korean_font()
    regions, topics, min_n, base = _share_setup(shares, regions, topics)
    if not _drawable(shares, region=regions, topic=topics):
        return note_figure(title, _nothing_note(_city_totals(shares, regions), min_n, base=base))
    # Panel titles count every period; the bars start at the first readable one.
    n_regions = shares.drop_duplicates(["period", "region"]).groupby("region")["n_total"].sum()
    shares = trim_thin_edges(shares, regions=regions)
    comp = tt.topic_composition(shares)
    fig, axes, width, many = _stacked_figure(shares, len(regions), extra_height=1.2)
    for ax, region in zip(axes, regions, strict=False):
        part = comp[comp["region"] == region]
        wide = part.pivot(index="period", columns="topic", values="share_of_labels")
        wide = wide.reindex(columns=[t for t in topics if t in wide.columns]).sort_index()
        _stack(ax, wide, width, {t: topic_color(t) for t in wide.columns},
               {t: topic_label(t) for t in wide.columns})
        totals = _period_totals(ax, part, width, many)
        if len(totals) and totals["too_few"].all():
            say_thin(ax, f"모든 기간 n < {min_n}: 구성을 표시하지 않음")
        _stacked_title(ax, region, int(n_regions.get(region, 0)), min_n=min_n, many=many)
        ax.set_ylim(0, 100)
        ax.set_ylabel("주제 태그 중 비중 (%)")
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xlabel(_freq_axis_label(shares) + thin_edges_note(shares))
    format_period_axis(axes[-1], shares)
    handles = [Patch(color=topic_color(t), label=topic_label(t)) for t in topics]
    handles.append(Patch(facecolor="none", edgecolor=TOO_FEW_COLOR, hatch="///",
                         label=f"표본 부족 (n < {min_n})"))
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.80, 0.5),
               fontsize=8, frameon=False)
    fig.suptitle(f"{title} (기사 하나에 주제 여러 개 가능: 주제 태그 합계 = 100%)", fontsize=12)
    fig.tight_layout(rect=(0, 0, 0.80, 0.96))
    return fig


@exported
def plot_region_difference(
    compare: pd.DataFrame,
    *,
    topics: Sequence[str] | None = None,
    ncols: int = 3,
    title: str | None = None,
    outlet_check: pd.DataFrame | None = None,
) -> Figure:
    """City ``a`` minus city ``b`` per topic and period (a ``compare_regions`` table).

    One panel per topic: the difference in percentage points with its 95% Newcombe interval;
    cells significant after Benjamini–Hochberg are filled near-black, the others hollow grey;
    periods where a city has fewer than ``min_n`` articles are hatched (not tested). With
    ``outlet_check`` (``lib.analysis.outlets.outlet_check`` of the same cities and period
    length), a significant cell that does not hold against the outlets is drawn hollow
    near-black, and each panel's title counts the cells that hold. No city's colour is used: the
    sign of the difference says which city's share is larger. With no cell tested (no period
    where both cities have ``min_n`` articles) the Figure is only a note saying so
    (:func:`note_figure`). Returns the Figure.
    """
    use_korean_font()
    topics = _topics(compare, topics)
    a = compare.attrs.get("a") or (compare["a"].iloc[0] if len(compare) else "a")
    b = compare.attrs.get("b") or (compare["b"].iloc[0] if len(compare) else "b")
    min_n = int(compare.attrs.get("min_n", 10))
    title = title or f"{region_label(a)} - {region_label(b)}: 주제 비중 차이"
    compare = _with_outlet_verdicts(compare, outlet_check)
    if not _drawable(compare, topic=topics):
        fig = note_figure(title, _nothing_note(_pair_totals(compare, a, b), min_n, pair=True,
                                               base=compare.attrs.get("base", "smart_city")))
        if outlet_check is not None:
            setattr(fig, DRAWN_FROM, compare)
        return fig
    n_panels = max(len(topics), 1)
    ncols = max(1, min(ncols, n_panels))
    nrows = int(np.ceil(n_panels / ncols))
    fig = Figure(figsize=(4.2 * ncols + 0.6, 2.5 * nrows + 1.4), dpi=100)
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    width = bar_width(compare) if len(compare) else pd.Timedelta(days=60)
    full = compare  # the exported table keeps every period
    compare = trim_thin_edges(compare)
    for ax, topic in zip(axes, topics, strict=False):
        part = compare[compare["topic"] == topic].sort_values("period")
        hatch_thin(ax, part.loc[part["too_few"], "period"], width)
        ax.axhline(0, color="#333333", linewidth=0.8)
        tested = part[~part["too_few"]]
        for (significant, holds), group in tested.groupby(["significant", "holds"]):
            color = SIGNIFICANT_COLOR if significant else QUIET_COLOR
            diff = group["diff"].to_numpy() * 100
            err = np.vstack([diff - group["ci_low"].to_numpy() * 100,
                             group["ci_high"].to_numpy() * 100 - diff])
            # Significant but resting on one outlet: a larger hollow diamond, not to be taken
            # for the hollow grey circles of the cells that are not significant.
            fails = significant and not holds
            ax.errorbar(group["period"], diff, yerr=err, fmt="D" if fails else "o",
                        markersize=7 if fails else 5 if significant else 4, color=color,
                        ecolor=color, elinewidth=1.5 if significant else 1, capsize=2,
                        markeredgewidth=1.6 if fails else 1.0,
                        markerfacecolor=color if significant and holds else "white")
        if len(part) and tested.empty:
            say_thin(ax, f"검정한 기간 없음 (모든 기간에서 한 도시 이상 n < {min_n})")
        n_sig = int(part["significant"].sum())
        held = (f", 언론사 점검 유지 {int((part['significant'] & part['holds']).sum())}"
                if outlet_check is not None else "")
        ax.set_title(f"{topic_label(topic)} (유의 {n_sig}/{len(tested)}개 기간{held})", fontsize=10,
                     loc="left")
        ax.grid(axis="y", alpha=0.3)
        ax.tick_params(labelsize=8)
    for ax in axes[len(topics):]:
        ax.set_visible(False)
    for i, ax in enumerate(axes[:len(topics)]):
        if i % ncols == 0:
            ax.set_ylabel("차이 (%p)")
        if i >= len(topics) - ncols:
            ax.set_xlabel(_freq_axis_label(compare))
            ax.tick_params(labelbottom=True)
        format_period_axis(ax, compare, max_labels=6)
    axes[0].set_ylim(-100, 100)
    significant = "유의 (BH 보정 p값 < 0.05)" + (", 언론사 점검 유지" if outlet_check is not None
                                              else "")
    handles = [
        Line2D([], [], color=SIGNIFICANT_COLOR, marker="o", linestyle="",
               label=significant),
        *([Line2D([], [], color=SIGNIFICANT_COLOR, marker="D", markerfacecolor="white",
                  markersize=7, markeredgewidth=1.6, linestyle="",
                  label="유의하지만 언론사 점검에서 유지되지 않음")]
          if outlet_check is not None else []),
        Line2D([], [], color=QUIET_COLOR, marker="o", markerfacecolor="white", linestyle="",
               label="유의하지 않음"),
        *([Patch(facecolor="none", edgecolor=TOO_FEW_COLOR, hatch="///",
                 label=f"검정 안 함 (한 도시 n < {min_n})")]
          if compare["too_few"].any() else []),  # only where a hatch is drawn
    ]
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=9,
               frameon=False, bbox_to_anchor=(0.5, 0.95))
    fig.suptitle(f"{title} (%p, 위쪽 = {region_label(a)} 비중이 큼; 95% 신뢰구간, Newcombe)",
                 fontsize=12)
    bottom = note_under_panels(fig, compare, who="한 도시 이상")
    fig.tight_layout(rect=(0, bottom, 1, 0.93))
    if outlet_check is not None:
        setattr(fig, DRAWN_FROM, full)  # the exported table carries the outlet verdicts
    return fig


def _with_outlet_verdicts(compare: pd.DataFrame, check: pd.DataFrame | None) -> pd.DataFrame:
    """``compare`` with the outlet check's ``cluster_low, cluster_high, swing_outlet`` and verdict
    ``holds`` per (period, topic), or ``holds`` True throughout without a check. A check of
    other cities or periods is refused."""
    if check is None:
        return compare.assign(holds=True)
    tt.require_same_comparison(check, **{k: compare.attrs.get(k) for k in ("freq", "a", "b")},
                               what="plot_region_difference: the outlet check")
    columns = ["cluster_low", "cluster_high", "swing_outlet", "holds"]
    keys = pd.MultiIndex.from_arrays([compare["period"], compare["topic"]])
    verdicts = check.set_index(["period", "topic"])[columns].reindex(keys)
    out = compare.assign(**{c: verdicts[c].to_numpy() for c in columns[:-1]},
                         holds=verdicts["holds"].fillna(False).astype(bool).to_numpy())
    out.attrs = dict(compare.attrs)
    return out


def _untested_note(table: pd.DataFrame, title: str | None, default: str) -> Figure:
    """The note a whole-span difference chart returns when it tested no row: titled ``title``
    or ``default`` (``{a}`` and ``{b}`` filled with the cities' names), saying each city's n."""
    a, b = (table.attrs.get(k) or (table[k].iloc[0] if len(table) else k) for k in ("a", "b"))
    title = title or default.format(a=region_label(a), b=region_label(b))
    return note_figure(title, _nothing_note(_pair_totals(table, a, b),
                                            int(table.attrs.get("min_n", 10)), pair=True,
                                            base=table.attrs.get("base", "smart_city")))


def _difference_figure(table: pd.DataFrame, *, row_height: float, extra_height: float,
                       width: float = 10) -> tuple[Figure, Axes, str, str, pd.DataFrame]:
    """A figure with one row per topic of a whole-span difference table (first topic on top)
    and the zero line: ``(fig, ax, a, b, rows)``."""
    use_korean_font()
    a = table.attrs.get("a") or (table["a"].iloc[0] if len(table) else "a")
    b = table.attrs.get("b") or (table["b"].iloc[0] if len(table) else "b")
    rows = table.iloc[::-1]
    fig = Figure(figsize=(width, row_height * max(len(rows), 1) + extra_height), dpi=100)
    ax = fig.add_subplot()
    ax.axvline(0, color="#333333", linewidth=0.8)
    return fig, ax, a, b, rows


def _tested_rows(ax: Axes, rows: pd.DataFrame):
    """``(y, row, colour, difference in points)`` of each tested row; a row not tested is
    marked on the axis with its n."""
    for yi, (_, row) in enumerate(rows.iterrows()):
        if row["too_few"]:
            ax.text(0, yi, f"검정 안 함 (n={row['n_a']}/{row['n_b']})", va="center",
                    ha="center", fontsize=8, color="#555555")
            continue
        yield yi, row, SIGNIFICANT_COLOR if row["significant"] else QUIET_COLOR, \
            row["diff"] * 100


def _difference_axis(ax: Axes, rows: pd.DataFrame, *, a: str, b: str,
                     ends: Sequence[str]) -> None:
    """Topic names on y; x symmetric around zero, wide enough for the ``ends`` columns of the
    tested rows, labelled with the unit and which side is which city."""
    ax.set_yticks(np.arange(len(rows)), [topic_label(t) for t in rows["topic"]])
    values = rows.loc[~rows["too_few"], list(ends)].to_numpy(dtype=float)
    reach = float(np.nanmax(np.abs(values))) * 100 if np.isfinite(values).any() else 50.0
    reach = min(max(reach * 1.15, 10.0), 100.0)
    ax.set_xlim(-reach, reach)
    ax.set_xlabel(f"차이 (%p): 오른쪽 = {region_label(a)} 비중이 큼, 왼쪽 = {region_label(b)}")
    ax.grid(axis="x", alpha=0.3)


def _mark_beyond(ax: Axes, intervals: Sequence[tuple[float, float, float]], *,
                 color: str) -> None:
    """An arrowhead at the edge of the x axis where an interval (y, low, high) runs past it,
    so a clipped bar is not read as ending there, with the bound it reaches written beside it
    (just inside the axis)."""
    left, right = ax.get_xlim()
    for y, low, high in intervals:
        for bound, edge, marker, align in ((low, left, "<", "left"), (high, right, ">", "right")):
            if (bound < edge) if marker == "<" else (bound > edge):
                ax.plot([edge], [y], marker=marker, color=color, markersize=7, clip_on=False)
                ax.text(edge, y - 0.2, f"{bound:+.1f}", ha=align, va="center", fontsize=7,
                        color=color)


@exported
def plot_difference_overall(
    compare: pd.DataFrame,
    *,
    title: str | None = None,
) -> Figure:
    """The city difference over the whole span (``compare_regions(freq="all")``): one row per
    topic, the difference in percentage points with its 95% Newcombe interval, significant
    rows filled near-black (the others hollow grey; the title says which is which), each
    labelled with both shares and n. A table from
    ``accuracy.corrected_difference`` also gets, under each row, the difference corrected for
    tagging error with its interval (triangle), and on the right whether a significant one
    keeps its side. With no row tested (a city under ``min_n`` articles) the Figure is only a
    note saying so (:func:`note_figure`). Returns the Figure."""
    if not _drawable(compare):
        return _untested_note(compare, title, "전체 기간 {a} - {b} 주제 비중 차이 "
                                              "(95% 신뢰구간, Newcombe)")
    corrected = "diff_corrected" in compare.columns
    reaching: list[tuple[float, float, float]] = []  # corrected intervals: y, low, high (%p)
    fig, ax, a, b, rows = _difference_figure(compare, row_height=0.6 if corrected else 0.45,
                                             extra_height=2.2 if corrected else 1.8,
                                             width=12 if corrected else 10)
    for yi, row, color, diff in _tested_rows(ax, rows):
        ax.errorbar([diff], [yi + (0.14 if corrected else 0)],
                    xerr=[[diff - row["ci_low"] * 100], [row["ci_high"] * 100 - diff]],
                    fmt="o", color=color, ecolor=color, capsize=3,
                    markerfacecolor=color if row["significant"] else "white")
        label = (f"{row['share_a'] * 100:.0f}% 대 {row['share_b'] * 100:.0f}%  "
                 f"(n={row['n_a']:,}/{row['n_b']:,})")
        if corrected and np.isfinite(row["diff_corrected"]):
            mid = row["diff_corrected"] * 100
            ax.errorbar([mid], [yi - 0.14], xerr=[[max(mid - row["ci_low_corrected"] * 100, 0)],
                                                  [max(row["ci_high_corrected"] * 100 - mid, 0)]],
                        fmt="^", color=CORRECTED_COLOR, ecolor=CORRECTED_COLOR, capsize=3,
                        markersize=5)
            reaching.append((yi - 0.14, row["ci_low_corrected"] * 100,
                             row["ci_high_corrected"] * 100))
        elif corrected:  # no corrected estimate: say why instead of drawing one
            unsure = row["ci_low_corrected"] <= -1 and row["ci_high_corrected"] >= 1
            ax.text(0, yi - 0.14, "오류 보정 불가 (오류율이 너무 불확실함)" if unsure
                    else "오류 보정 불가",
                    ha="center", va="center", fontsize=7.5, color=CORRECTED_COLOR,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        if corrected and row["significant"]:
            if row["holds_corrected"]:
                label += "  · 오류 보정 후 유지"
            elif np.isfinite(row["diff_corrected"]):
                label += "  · 오류 보정 후 0 포함"
            else:  # no corrected estimate: it could not be corrected, not found to include 0
                label += "  · 오류 보정 불가"
        # Clear of the arrowheads that mark an interval running past the axis.
        ax.text(1.025, yi, label, transform=ax.get_yaxis_transform(), va="center", fontsize=8)
    ends = ("ci_low", "ci_high", *(("diff_corrected",) if corrected else ()))
    _difference_axis(ax, rows, a=a, b=b, ends=ends)
    _mark_beyond(ax, reaching, color=CORRECTED_COLOR)
    title = title or (f"전체 기간 {region_label(a)} - {region_label(b)} 주제 비중 차이 "
                      "(95% 신뢰구간, Newcombe)\n채운 검은 점 = 유의 (BH 보정 p값 < 0.05), "
                      "빈 회색 점 = 유의하지 않음")
    ax.set_title(title, fontsize=11)
    if corrected:  # the title says what fill means; the legend adds the corrected marks
        rates = "도시별 오류율" if compare.attrs.get("rates") == "by city" else "공통 오류율"
        ax.legend(handles=[
            Line2D([], [], color=SIGNIFICANT_COLOR, marker="o",
                   label="태그 그대로, 유의 (BH 보정 p값 < 0.05, 95% 신뢰구간)"),
            Line2D([], [], color=CORRECTED_COLOR, marker="^",
                   label=f"태그 오류 보정 ({rates}, 95% 신뢰구간)"),
            Line2D([], [], color=QUIET_COLOR, marker="o", markerfacecolor="white",
                   label="태그 그대로, 유의하지 않음"),
        ], loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0, 0.8 if corrected else 0.82, 1))
    return fig


@exported
def plot_outlet_check(
    check: pd.DataFrame,
    *,
    title: str | None = None,
) -> Figure:
    """The outlet check (``lib.analysis.outlets.outlet_check``): per topic, the whole-span
    difference with its article-level Newcombe interval (upper line) and the interval with
    outlets as clusters (lower line, grey squares), the range of the difference with each outlet
    left out (light grey bar) and, on the right, whether it holds or the outlet it rests on
    (bold when it does not hold). The article-level point is filled near-black when significant,
    hollow grey when not; no city's colour is used. With no row tested the Figure is only a
    note saying why (:func:`note_figure`). Returns the Figure. A check per period is drawn by
    ``plot_region_difference(compare, outlet_check=…)``."""
    tt.require_whole_span(check, "plot_outlet_check")
    if not _drawable(check):
        return _untested_note(check, title, "언론사 점검: {a} - {b} 차이가 한 언론사에 기대는가 "
                                            "(전체 기간)")
    fig, ax, a, b, rows = _difference_figure(check, row_height=0.6, extra_height=2.0)
    for yi, row, color, diff in _tested_rows(ax, rows):
        if not np.isnan(row["loo_min"]):
            ax.barh(yi - 0.15, (row["loo_max"] - row["loo_min"]) * 100, left=row["loo_min"] * 100,
                    height=0.22, color=LEAVE_ONE_OUT_COLOR, linewidth=0)
        ax.errorbar([diff], [yi + 0.15], xerr=[[diff - row["ci_low"] * 100],
                                              [row["ci_high"] * 100 - diff]],
                    fmt="o", color=color, ecolor=color, capsize=3, markersize=5,
                    markerfacecolor=color if row["significant"] else "white")
        if not np.isnan(row["cluster_low"]):
            ax.errorbar([diff], [yi - 0.15], xerr=[[max(diff - row["cluster_low"] * 100, 0)],
                                                  [max(row["cluster_high"] * 100 - diff, 0)]],
                        fmt="s", color=CLUSTERED_COLOR, ecolor=CLUSTERED_COLOR, capsize=3,
                        markersize=4, elinewidth=1, linestyle="none")
        if not row["significant"]:
            verdict = "유의하지 않음"
        elif row["holds"]:
            verdict = "유지됨"
        elif not row["loo_significant"] and row["swing_outlet"]:  # say what failed, and by how
            verdict = (f"{row['swing_outlet']} 빼면 유의하지 않음 "
                       f"({row['swing_diff'] * 100:+.0f}%p)")
        elif row["cluster_low"] <= 0 <= row["cluster_high"]:
            verdict = "언론사 군집 신뢰구간이 0 포함"
        else:
            verdict = "점검 못 함"
        ax.text(1.01, yi, verdict, transform=ax.get_yaxis_transform(), va="center", fontsize=8,
                color="#000000" if row["significant"] and not row["holds"] else "#333333",
                fontweight="bold" if row["significant"] and not row["holds"] else "normal")
    _difference_axis(ax, rows, a=a, b=b, ends=("ci_low", "ci_high", "cluster_low", "cluster_high",
                                                "loo_min", "loo_max"))
    n_outlets = int(check["n_outlets"].max()) if len(check) else 0
    ax.legend(handles=[
        Line2D([], [], color=SIGNIFICANT_COLOR, marker="o",
               label="기사 단위 95% 신뢰구간 (Newcombe), 유의 (BH 보정 p값 < 0.05)"),
        Line2D([], [], color=QUIET_COLOR, marker="o", markerfacecolor="white",
               label="기사 단위 95% 신뢰구간, 유의하지 않음"),
        Line2D([], [], color=CLUSTERED_COLOR, marker="s", markersize=4,
               label=f"언론사 군집 95% 신뢰구간 ({n_outlets}곳)"),
        Patch(color=LEAVE_ONE_OUT_COLOR, label="언론사 하나씩 뺀 차이의 범위"),
    ], loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8, frameon=False)
    title = title or (f"언론사 점검: {region_label(a)} - {region_label(b)} 차이가 한 언론사에 "
                      "기대는가 (전체 기간)")
    ax.set_title(title, fontsize=11)
    fig.tight_layout(rect=(0, 0, 0.84, 1))
    return fig


@exported
def plot_topic_shares_overall(
    shares: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    reliability: pd.DataFrame | None = None,
    title: str | None = None,
) -> Figure:
    """Each city's share of every topic over the whole span (``topic_shares(freq="all")``): one
    row per topic, a dot per city with its 95% interval, each labelled with its count and n.

    The chart to show when the corpus is too thin for shares over time (``tt.periods_shown``
    below ``tt.MIN_TREND_PERIODS``). A city whose whole span has fewer than ``min_n`` articles
    is written as too few, not drawn; with no city at ``min_n`` the Figure is only a note
    saying so (:func:`note_figure`). ``reliability`` adds each topic's tag precision and
    recall on real labelled news under its numbers; shares corrected for tagger error
    (``accuracy.as_corrected``) say so in the title and legend. Returns the Figure."""
    use_korean_font()
    regions, topics, min_n, base = _share_setup(shares, regions, topics)
    denominator = "스마트시티 기사" if base == "smart_city" else "전체 기사"
    corrected = correction_note(shares, " · ")
    title = title or (f"전체 기간 도시별 {denominator} 중 주제 비중 (95% 신뢰구간{corrected})\n"
                      f"기간별로는 n ≥ {min_n}인 기간이 부족해 추세 대신 전체 기간을 보임")
    if not _drawable(shares, region=regions, topic=topics):
        return note_figure(title.partition("\n")[0],
                           _nothing_note(_city_totals(shares, regions), min_n, base=base))
    k = max(len(regions), 1)
    step = 0.7 / k
    fig = Figure(figsize=(11, 0.62 * max(len(topics), 1) + 2.2), dpi=100)
    ax = fig.add_subplot()
    y = np.arange(len(topics))[::-1]
    for yi, topic in zip(y, topics, strict=True):
        notes = []
        for j, region in enumerate(regions):
            row = shares[(shares["region"] == region) & (shares["topic"] == topic)]
            yj = yi + (k - 1) / 2 * step - j * step
            color = region_color(region)
            if row.empty:
                continue
            row = row.iloc[0]
            if row["too_few"] or not np.isfinite(row["share"]):
                notes.append(f"{region_label(region)} n={int(row['n_total'])} < {min_n}")
                continue
            share = row["share"] * 100
            ax.errorbar([share], [yj], xerr=[[share - row["ci_low"] * 100],
                                             [row["ci_high"] * 100 - share]],
                        fmt="o", color=color, ecolor=color, capsize=3, markersize=5)
            notes.append(f"{region_label(region)} {share:.0f}% "
                         f"({int(row['n_docs']):,}/{int(row['n_total']):,})")
        where = {"xy": (1.01, yi), "xycoords": ax.get_yaxis_transform(),
                 "textcoords": "offset points"}
        if reliability is None:
            ax.annotate(" · ".join(notes), xytext=(0, 0), va="center", fontsize=8, **where)
        else:
            ax.annotate(" · ".join(notes), xytext=(0, 1.5), va="bottom", fontsize=8, **where)
            ax.annotate(_reliability_line(reliability, topic), xytext=(0, -1.5), va="top",
                        fontsize=7.5, color="#555555", **where)
    ax.set_yticks(y, [topic_label(t) for t in topics], fontsize=9)
    ax.set_ylim(-0.6, len(topics) - 0.4)
    ax.set_xlim(-2, 102)  # a share of 0% or 100% keeps its whole dot
    ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
    ax.set_xlabel(f"비중 (%, 도시별 {denominator} 중 주제가 붙은 기사)")
    ax.grid(axis="x", alpha=0.3)
    handles = [Line2D([], [], color=region_color(r), marker="o", linestyle="none",
                      label=region_label(r)) for r in regions]
    handles.append(Line2D([], [], color=QUIET_COLOR, marker="|", linestyle="-",
                          label=ribbon_label(shares)))
    height = fig.get_figheight()
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=9,
               frameon=False, bbox_to_anchor=(0.4, 1 - 0.72 / height))
    fig.subplots_adjust(left=0.15, right=0.68, top=1 - 1.15 / height, bottom=0.75 / height)
    fig.suptitle(title, fontsize=12, linespacing=1.4, x=0.4, y=1 - 0.1 / height, va="top")
    return fig


@exported
def plot_topic_movers(
    trend: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    title: str = "주제별 추세: 비중이 늘었나 줄었나",
) -> Figure:
    """The ``trend_test`` table, one panel per city: each topic's odds ratio per year (log
    scale) with its interval; a significant trend is drawn filled in the panel's city colour, ▲
    rising and ▼ falling, the rest hollow grey circles (direction is never a colour, so a city's
    falling topic is not drawn in the other city's colour); each row labelled with the fitted
    share at the first and last period with ``min_n`` articles and n. Rows that could not be tested say why; with no
    row tested in any city the Figure is only a note saying why (:func:`note_figure`). Returns
    the Figure."""
    use_korean_font()
    if regions is None:
        regions = get_vocabulary().cities_in(trend["region"]) if len(trend) else []
    regions = [r for r in regions if r != BOTH]
    shown = trend[trend["region"].isin(regions)]
    if not shown["slope"].notna().any():
        reasons = "; ".join(sorted(set(shown["note"].dropna()) - {""}))
        return note_figure(title, _trend_note(
            trend, regions, otherwise="추세를 검정할 수 있는 주제가 없어서 그릴 것이 없습니다 "
                                      f"(no topic's trend could be tested: {reasons})"
                                      if reasons else None))
    n_panels = max(len(regions), 1)
    topics = list(dict.fromkeys(trend["topic"])) if len(trend) else []
    fig = Figure(figsize=(6.2 * n_panels + 0.4, 0.42 * max(len(topics), 1) + 2.0), dpi=100)
    # One odds scale for the cities, so their intervals compare by eye.
    axes = fig.subplots(1, n_panels, sharey=True, sharex=True, squeeze=False)[0]
    markers = {"rising": RISING_MARKER, "falling": FALLING_MARKER, "none": "o"}
    for ax, region in zip(axes, regions, strict=False):
        part = trend[trend["region"] == region].set_index("topic").reindex(topics[::-1])
        y = np.arange(len(part))
        ax.axvline(1.0, color="#333333", linewidth=0.8)
        untested = part["slope"].isna()
        if len(part) and untested.all():
            reasons = ", ".join(tt.note_ko(r) for r in sorted(set(part["note"].dropna()) - {""}))
            say_thin(ax, f"검정한 주제 없음 ({reasons})")
        for yi, (topic, row) in zip(y, part.iterrows(), strict=True):
            if pd.isna(row["slope"]):
                if not untested.all():
                    ax.text(1.0, yi, f"검정 안 함: {tt.note_ko(row['note'])}", va="center",
                            ha="center",
                            fontsize=7, color="#555555",
                            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
                continue
            moving = row["direction"] in ("rising", "falling")
            color = region_color(region) if moving else QUIET_COLOR
            odds, low, high = row["odds_ratio"], np.exp(row["ci_low"]), np.exp(row["ci_high"])
            ax.errorbar([odds], [yi], xerr=[[odds - low], [high - odds]],
                        fmt=markers.get(row["direction"], "o"), color=color, ecolor=color,
                        capsize=2, markersize=7 if moving else 6,
                        markerfacecolor=color if moving else "white")
            ax.text(1.02, yi, f"{row['share_start'] * 100:.0f}% ▶ {row['share_end'] * 100:.0f}%"
                    f" (n={int(row['n_total']):,})", transform=ax.get_yaxis_transform(),
                    va="center", fontsize=8)
        ax.set_ylim(-0.6, len(part) - 0.4)
        _odds_axis(ax)
        if untested.all():
            ax.set_xlim(0.25, 4)
        ax.set_yticks(y, [topic_label(t) for t in part.index])
        ax.set_title(f"{region_label(region)}", fontsize=11, loc="left")
        ax.grid(axis="x", alpha=0.3, which="both")
    # Colour = the panel's city; shape = the direction (the shapes drawn in a neutral grey).
    handles = [Patch(color=region_color(r), label=f"{region_label(r)} (유의한 추세)")
               for r in regions]
    handles += [Line2D([], [], color=NEUTRAL_COLOR, marker=markers["rising"], markersize=7,
                       linestyle="", label="증가 (유의)"),
                Line2D([], [], color=NEUTRAL_COLOR, marker=markers["falling"], markersize=7,
                       linestyle="", label="감소 (유의)"),
                Line2D([], [], color=QUIET_COLOR, marker="o", markerfacecolor="white",
                       linestyle="", label="뚜렷한 추세 없음")]
    fig.legend(handles=handles, loc="upper center", ncol=len(handles), fontsize=9,
               frameon=False, bbox_to_anchor=(0.5, 0.93))
    fig.suptitle(f"{title} (과산포 보정 이항 GLM, 95% 신뢰구간, BH 보정; 오른쪽: 처음 ▶ 끝 기간의 적합 비중)",
                 fontsize=12)
    fig.tight_layout(rect=(0, 0, 0.9, 0.88))
    return fig


def _trend_note(table: pd.DataFrame, cities: Sequence[str], *, otherwise: str | None) -> str:
    """Why a chart of trends (a ``trend_test`` or ``outlet_trend_check`` table, ``n_total`` per
    city and topic) draws none: the cities' n when every one is under ``min_n``, else
    ``otherwise`` (see :func:`_nothing_note`)."""
    return _nothing_note(_city_totals(table[table["region"].isin(cities)], cities),
                         int(table.attrs.get("min_n", 10)),
                         base=table.attrs.get("base", "smart_city"), otherwise=otherwise)


#: The odds ratios an odds axis labels; :data:`ODDS_TICKS_FINE` when fewer than three of them
#: fall in the axis's range (a narrow axis, 0.73 to 1.4, showed only "1").
ODDS_TICKS = (0.25, 0.5, 0.67, 1, 1.5, 2, 4)
ODDS_TICKS_FINE = (0.25, 0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 4)


def _odds_axis(ax: Axes) -> None:
    """A log x axis of odds ratios per year, with plain tick numbers and its label (call it
    once the data are drawn: the ticks depend on the range)."""
    ax.set_xscale("log")
    low, high = ax.get_xlim()
    ticks = ODDS_TICKS if sum(low <= t <= high for t in ODDS_TICKS) >= 3 else ODDS_TICKS_FINE
    # Plain numbers (0.5, 1, 2): the default log labels are mathtext with a U+2212 minus,
    # which NanumGothic lacks.
    ax.xaxis.set_major_locator(FixedLocator(list(ticks)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("연간 오즈비 (로그 축, 1 = 변화 없음)")


@exported
def plot_outlet_trend_check(
    check: pd.DataFrame,
    *,
    title: str | None = None,
) -> Figure:
    """The outlet check of the trends (``lib.analysis.outlets.outlet_trend_check``): one row
    per significant trend (city and topic), the odds ratio per year with its article-level
    interval (black circle), the interval with outlets as clusters (grey square) and the slope
    within outlets with its interval (hollow diamond), the range with each outlet left out
    (light grey bar) and, on the right, whether it holds or what it rests on (bold when it
    does not hold). Greys only: the row label names the city. With no significant trend the
    Figure is only a note saying so, and why when the cities have too few articles
    (:func:`note_figure`). Returns the Figure."""
    use_korean_font()
    title = title or "언론사 점검: 유의한 추세가 한 언론사나 언론사 구성 변화에 기대는가"
    rows = check[check["significant"]].iloc[::-1] if len(check) else check
    if rows.empty:
        cities = [r for r in check.attrs.get("regions") or dict.fromkeys(check["region"])
                  if r != BOTH]
        return note_figure(title, _trend_note(
            check, cities,
            otherwise="유의한 추세가 없어 점검할 것이 없습니다 (no significant trend to check)"))
    fig = Figure(figsize=(10, 0.75 * max(len(rows), 1) + 2.2), dpi=100)
    ax = fig.add_subplot()
    ax.axvline(1.0, color="#333333", linewidth=0.8)
    marks = (("slope", "ci_low", "ci_high", 0.2, "o", SIGNIFICANT_COLOR, SIGNIFICANT_COLOR),
             ("slope", "cluster_low", "cluster_high", 0.0, "s", CLUSTERED_COLOR, CLUSTERED_COLOR),
             ("within_slope", "within_low", "within_high", -0.2, "D", SIGNIFICANT_COLOR,
              "white"))
    for yi, (_, row) in enumerate(rows.iterrows()):
        if np.isfinite(row["loo_min"]):
            low, high = np.exp(row["loo_min"]), np.exp(row["loo_max"])
            ax.barh(yi, high - low, left=low, height=0.55, color=LEAVE_ONE_OUT_COLOR,
                    linewidth=0)
        for centre, low, high, dy, marker, color, face in marks:
            if not (np.isfinite(row[low]) and np.isfinite(row[high])):
                continue
            mid = np.exp(row[centre])
            ax.errorbar([mid], [yi + dy], xerr=[[max(mid - np.exp(row[low]), 0)],
                                                [max(np.exp(row[high]) - mid, 0)]],
                        fmt=marker, color=color, ecolor=color, capsize=3, markersize=5,
                        markerfacecolor=face)
        if row["holds"]:
            verdict = "유지됨"
        elif row["n_outlets"] < check.attrs.get("min_outlets", 5):
            verdict = "언론사가 적어 점검 못 함"
        elif not row["loo_significant"] and row["swing_outlet"]:
            verdict = f"{row['swing_outlet']}에 기댐"
        elif pd.notna(row["holds_within"]) and not row["holds_within"]:
            verdict = "언론사 구성 변화"
        else:
            verdict = "언론사 군집 신뢰구간에서 흔들림"
        ax.text(1.01, yi, verdict, transform=ax.get_yaxis_transform(), va="center", fontsize=8,
                color="#333333" if row["holds"] else "#000000",
                fontweight="normal" if row["holds"] else "bold")
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
    _odds_axis(ax)
    ax.set_yticks(np.arange(len(rows)), [f"{region_label(r)} · {topic_label(t)}"
                                         for r, t in zip(rows["region"], rows["topic"],
                                                         strict=True)])
    ax.grid(axis="x", alpha=0.3, which="both")
    ax.legend(handles=[
        Line2D([], [], color=SIGNIFICANT_COLOR, marker="o", label="기사 단위 95% 신뢰구간"),
        Line2D([], [], color=CLUSTERED_COLOR, marker="s", label="언론사 군집 95% 신뢰구간"),
        Line2D([], [], color=SIGNIFICANT_COLOR, marker="D", markerfacecolor="white",
               label="언론사 내 연간 오즈비 95% 신뢰구간"),
        Patch(color=LEAVE_ONE_OUT_COLOR, label="언론사를 하나씩 뺀 연간 오즈비의 범위"),
    ], loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)
    ax.set_title(title, fontsize=11)
    fig.tight_layout(rect=(0, 0, 0.84, 1))
    return fig


#: Colours of the outlets in ``plot_outlet_mix`` (Okabe–Ito and Tol's muted), the pooled rest
#: grey; an outlet has the same colour in every city's panel. The cities' own colours are left
#: out when drawing (``without_city_colors``): an outlet is not a city; the orange and sky blue
#: that resemble the cities' vermillion and blue come last, used only past nine outlets.
_OUTLET_COLORS = ("#009E73", "#CC79A7", "#F0E442", "#332288", "#882255", "#44AA99", "#999933",
                  "#AA4499", "#000000", "#E69F00", "#56B4E9", "#0072B2", "#D55E00")


@exported
def plot_outlet_mix(
    mix: pd.DataFrame,
    *,
    title: str = "도시별 기사를 쓴 언론사의 구성",
) -> Figure:
    """The ``outlets.outlet_mix`` table: one panel per city, stacked bars per period of the
    share of the city's articles each of its largest outlets wrote (the rest pooled, grey);
    hatched periods have too few articles, the number above a bar is its n. With no city and
    period at ``min_n`` the Figure is only a note saying so (:func:`note_figure`). Returns the
    Figure."""
    from lib.analysis.outlets import OTHER_OUTLETS

    use_korean_font()
    regions = list(dict.fromkeys(mix["region"])) if len(mix) else []
    min_n = int(mix.attrs.get("min_n", 10))
    if not _drawable(mix, region=regions):
        return note_figure(title, _nothing_note(_city_totals(mix, regions), min_n,
                                                base=mix.attrs.get("base", "smart_city")))
    fig, axes, width, many = _stacked_figure(mix, len(regions), extra_height=1.0)
    named = [o for o in dict.fromkeys(mix["outlet"]) if o != OTHER_OUTLETS] if len(mix) else []
    palette = without_city_colors(_OUTLET_COLORS)
    colors = {o: palette[i % len(palette)] for i, o in enumerate(named)}
    colors[OTHER_OUTLETS] = "#BBBBBB"
    for ax, region in zip(axes, regions, strict=False):
        part = mix[mix["region"] == region]
        wide = part.pivot(index="period", columns="outlet", values="share").sort_index()
        wide = wide[list(dict.fromkeys(part["outlet"]))]
        handles = _stack(ax, wide, width, colors, {o: o for o in wide.columns})
        totals = _period_totals(ax, part, width, many)
        _stacked_title(ax, region, int(totals["n_total"].sum()), min_n=min_n, many=many)
        ax.set_ylim(0, 100)
        ax.set_ylabel("기사 중 비중 (%)")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8,
                  frameon=False)
    axes[-1].set_xlabel(_freq_axis_label(mix))
    format_period_axis(axes[-1], mix)
    fig.suptitle(f"{title} (언론사별 기사 비중; 큰 언론사 {mix.attrs.get('top', 6)}곳, 나머지는 "
                 "회색)", fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig


#: Era colours, earliest lightest (a sequential grey, legible on white: no city's blue), and
#: a marker per era so eras stay apart without colour.
_ERA_COLORS = ("#AAAAAA", "#777777", "#444444", "#000000")
_ERA_MARKERS = ("o", "s", "D", "^", "v", "P", "X")


@exported
def plot_rates_by_era(
    rates: pd.DataFrame,
    *,
    tag: str = "topic",
    title: str | None = None,
) -> Figure:
    """Error rates per era of publication (an ``era`` column: ``load_tagger_accuracy(
    by_era=True)`` or ``corpus_accuracy(..., by_era=True)``): for each value of ``tag`` (rows),
    its sensitivity (left: of the labelled stories with the topic, the share the tag finds) and
    specificity (right: of those without it, the share the tag leaves alone), a dot per era
    with its 95% Wilson interval and, beside the left one, the labelled stories it rests on. A
    tag whose dots move from era to era errs differently in older and newer text: the drift a
    trend is checked against. With no rates of ``tag`` (no labelled article has a date) the
    Figure is only a note saying so (:func:`note_figure`). Returns the Figure."""
    use_korean_font()
    if "era" not in rates.columns:
        raise KeyError("plot_rates_by_era: the table has no era column "
                       "(load_tagger_accuracy(by_era=True))")
    part = rates[rates["tag"] == tag].copy()
    part["value"] = part["value"].astype(str)
    eras = sorted(dict.fromkeys(part["era"].astype(str)))
    keys = [k for k in get_vocabulary().topic_keys if k in set(part["value"])] if tag == "topic" \
        else list(dict.fromkeys(part["value"]))
    title = title or ("시기별 태그 오류율: 주제 태그가 오래된 기사와 최근 기사에서 똑같이 맞는가 "
                      "(95% 신뢰구간, Wilson)")
    if not keys:
        return note_figure(title, "날짜가 있는 라벨 기사가 없어서 시기별 오류율이 없습니다 "
                                  "(no labelled article with a date: no error rates per era)"
                           if rates.empty else f"{tag} 태그의 시기별 오류율이 없습니다 "
                           f"(no error rates per era of the tag {tag!r})")
    step = 0.7 / max(len(eras), 1)
    fig = Figure(figsize=(12, 0.62 * max(len(keys), 1) + 2.0), dpi=100)
    axes = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(keys))[::-1]
    for side, (ax, hits, misses, name) in enumerate(zip(
            axes, ("tp", "tn"), ("fn", "fp"),
            ("재현율: 그 주제 기사 중 태그가 찾은 비율 (%)",
             "특이도: 다른 기사 중 태그가 건드리지 않은 비율 (%)"), strict=True)):
        lowest = 100.0
        for j, era in enumerate(eras):
            rows = part[part["era"].astype(str) == era].set_index("value").reindex(keys)
            k = rows[hits].fillna(0).to_numpy(dtype=float)
            n = k + rows[misses].fillna(0).to_numpy(dtype=float)
            low, high = wilson_interval(k, n)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan) * 100
            yj = y + (len(eras) - 1) / 2 * step - j * step
            shown = n > 0
            color = (_ERA_COLORS[j] if len(eras) <= len(_ERA_COLORS)
                     else mpl.colors.to_hex(mpl.cm.Greys(0.35 + 0.65 * j / (len(eras) - 1))))
            ax.errorbar(rate[shown], yj[shown],
                        xerr=[rate[shown] - np.asarray(low)[shown] * 100,
                              np.asarray(high)[shown] * 100 - rate[shown]],
                        fmt=_ERA_MARKERS[j % len(_ERA_MARKERS)], markersize=4, capsize=2,
                        color=color, ecolor=color,
                        label=f"{era}" if side == 0 else None)
            if side == 0:
                for yv, kv, nv in zip(yj[shown], k[shown], n[shown], strict=True):
                    ax.text(1.01, yv, f"{int(kv)}/{int(nv)}", transform=ax.get_yaxis_transform(),
                            va="center", fontsize=7, color="#333333")
            lowest = min(lowest, float(np.nanmin(np.asarray(low)[shown], initial=1.0)) * 100)
        # Specificities sit high: their panel starts at the lowest bound, rounded down.
        ax.set_xlim(0 if side == 0 else min(50.0, np.floor(lowest / 10) * 10), 100)
        ax.set_xlabel(name)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(y, [topic_label(k) if tag == "topic" else k for k in keys])
    axes[0].set_ylim(-0.6, len(keys) - 0.4)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncol=len(eras) or 1,
               fontsize=9, frameon=False, bbox_to_anchor=(0.5, 0.95), title="발행 시기 (era)",
               title_fontsize=9)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0, 1, 0.88))
    return fig

