"""Charts of what the coverage is made of: keyness, term trends, discovered topics, bursts.

Each function takes the tidy tables of ``lib.analysis.keyness``, ``topicmodel`` and ``bursts``
and returns a matplotlib ``Figure`` (no ``plt.show()``). Axes say their units, titles and
legends the n behind the numbers; regions and topics keep the colours of ``lib.vocabulary``,
and a city's colour means that city only: anything else (NMF term bars, groups that are not
cities) is drawn in the neutral greys of ``lib.present.plots``.
A table with nothing to draw gives a figure that says so instead of an error.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from lib.analysis.bursts import ALL_REGIONS, beyond_chance
from lib.analysis.keyness import OUTLET_Z, chance_bar, merge_twins, outlet_holds
from lib.analysis.topicmodel import NO_LABEL
from lib.analysis.trends import period_labels, trim_thin_edges
from lib.present.export import exported
from lib.present.plots import (
    NEUTRAL_COLOR,
    NEUTRAL_LIGHT_COLOR,
    SHARE_CMAP,
    TOO_FEW_COLOR,
    bar_width,
    hatch_thin,
    note_figure,
    note_under_panels,
    period_tick_text,
    say_thin,
    thin_edges_note,
    tick_room,
    use_korean_font,
)
from lib.vocabulary import get_vocabulary, region_color, region_label, topic_label

#: Two groups that are not regions (e.g. two periods): a dark and a light grey.
_GROUP_COLORS = (NEUTRAL_COLOR, NEUTRAL_LIGHT_COLOR)
_EVENT_COLOR = "#444444"
_MUTED = "#777777"


def _say(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, textwrap.fill(text, 40), transform=ax.transAxes, ha="center",
            va="center", fontsize=11, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


#: The widest figure, in inches at 100 dpi: the report's text column is about 1,060 px, so a
#: figure no wider is shown at full size and its font sizes are the sizes a reader sees.
REPORT_WIDTH = 10.5
#: The smallest font size (pt at 100 dpi) of text a reader must read in a chart.
MIN_FONT = 9.0


def grid_shape(n: int, *, max_cols: int = 3) -> tuple[int, int]:
    """``(rows, cols)`` for ``n`` panels with at most ``max_cols`` a row and as few empty slots
    as can be (none when some number of columns up to ``max_cols`` divides ``n``), then the
    fewest rows: 4 panels give 2 x 2, 6 give 2 x 3, 5 give 2 x 3 (one slot left, unavoidable)."""
    if n <= 0:
        return 1, 1
    if n <= max_cols:
        return 1, n
    best = min(range(2, max_cols + 1), key=lambda c: (-(-n // c) * c - n, -(-n // c)))
    return -(-n // best), best


def _group_name(group: str) -> str:
    vocab = get_vocabulary()
    return vocab.region_label(group) if group in vocab.region_keys else str(group)


def _group_color(group: str, i: int, region: str | None = None) -> str:
    """A keyness group's colour: a region's own; for groups within one city (two periods of
    ``region``) that city's; otherwise a neutral grey, never a city's colour."""
    vocab = get_vocabulary()
    if group in vocab.region_keys:
        return region_color(group)
    if region is not None and str(region) in vocab.city_keys:
        return region_color(str(region))
    return _GROUP_COLORS[i % len(_GROUP_COLORS)]


def _mark_thin(ax: Axes, part: pd.DataFrame, width: pd.Timedelta, nothing: str) -> None:
    """Hatch the periods of ``part`` (rows ``period, too_few``) where a region has too few
    articles (no point there: too few, not 0); say ``nothing`` when no period can be drawn."""
    too_few = part["too_few"].astype(bool)
    thin = too_few.groupby(part["period"]).any()
    hatch_thin(ax, pd.Series(thin[thin].index), width)
    if too_few.all():
        say_thin(ax, nothing)


def _period_ticks(ax: Axes, periods: Sequence[pd.Timestamp], freq: str, max_labels: int = 9,
                  size: float | None = None) -> None:
    """Period labels on ``ax``'s x axis (quarters and half-years written out in Korean), at most
    ``max_labels`` and no more than fit at the tick font's ``size``."""
    periods = pd.DatetimeIndex(sorted(set(periods)))
    if len(periods) == 0:
        return
    texts = [period_tick_text(text) for text in period_labels(pd.Series(periods), freq=freq)]
    fits = tick_room(ax, [texts[0], texts[-1]], size=size)
    step = max(1, math.ceil(len(periods) / min(max_labels, fits)))
    ax.set_xticks(periods[::step], texts[::step])


def _year_ticks(ax: Axes, periods: Sequence[pd.Timestamp]) -> None:
    """Ticks on each January of a monthly axis, labelled with the year."""
    periods = pd.DatetimeIndex(sorted(set(periods)))
    if len(periods) == 0:
        return
    years = pd.date_range(f"{periods.min().year}-01-01", periods.max(), freq="YS")
    step = max(1, math.ceil(len(years) / 12))
    ax.set_xticks(years[::step], [f"{y.year}" for y in years[::step]])


@exported
def plot_keyness(table: pd.DataFrame, *, n: int = 15, title: str | None = None) -> Figure:
    """The ``n`` most typical terms of each group of a ``keyness`` table as bars of ``z``.

    One panel per group; terms used in exactly the same articles are one bar
    (:func:`lib.analysis.keyness.merge_twins`); each bar is labelled with the term's uses in
    the group / in the other group. The dashed line is the table's chance bar
    (:func:`lib.analysis.keyness.chance_bar`: the largest z 95% of random splits of the
    articles stay under), the bar the findings cite terms by: terms above it are solid, terms
    below it pale with a hatched outline; a term above it that one outlet carries
    (:func:`lib.analysis.keyness.outlet_holds`) is marked †. The title names the groups and
    their article counts.
    """
    use_korean_font()
    pair = table.attrs.get("pair") or tuple(pd.unique(table["group"]))[:2]
    counts = table.attrs.get("n_articles", {})
    names = [_group_name(g) for g in pair]
    if title is None:
        title = (f"{names[0]} 대 {names[1]}: 상대적으로 많이 쓰인 단어" if len(names) == 2
                 else "상대적으로 많이 쓰인 단어")
    if table.empty or len(pair) < 2:
        return note_figure(title, "비교할 단어가 없습니다 (두 집단 중 하나에 기사가 없거나 너무 적음)")
    bar = chance_bar(table)
    chance = table.attrs.get("chance_z", float("nan"))
    line = (f"우연 기준 z {bar:.2f}" if np.isfinite(chance) and chance >= bar
            else f"z {bar:.2f} (한 단어만 볼 때의 5% 수준)")
    table = merge_twins(table)
    fig = Figure(figsize=(10, 0.32 * n + 2.6), dpi=100, layout="constrained")
    axes = fig.subplots(1, 2, sharex=True)
    top = max(float(table["z"].max()), bar * 1.1, 2.5)
    colors = []
    marked = False
    for i, (ax, group) in enumerate(zip(axes, pair)):
        part = table[(table["group"] == group) & (table["z"] > 0)].head(n)
        ax.set_title(f"{_group_name(group)} 쪽 (기사 n={counts.get(group, '?')})", fontsize=11,
                     pad=16)
        color = _group_color(group, i, table.attrs.get("region"))
        colors.append(color)
        ax.axvline(bar, color=_EVENT_COLOR, linestyle="--", linewidth=1.0)
        ax.text(bar, 1.0, f" {line}", transform=ax.get_xaxis_transform(), ha="left",
                va="bottom", fontsize=MIN_FONT, color=_EVENT_COLOR)
        ax.set_xlim(0, top * 1.18)
        ax.set_xlabel("z (두 비율 점수검정)")
        if part.empty:
            _say(ax, "두드러진 단어 없음")
            continue
        y = np.arange(len(part))[::-1]
        above = (part["z"] >= bar).to_numpy()
        ax.barh(y[above], part["z"][above], color=color, alpha=0.9)
        ax.barh(y[~above], part["z"][~above], facecolor=color, alpha=0.25, edgecolor=color,
                hatch="///", linewidth=0.8)
        # A word beyond chance that one outlet carries is marked † (the legend says so).
        leans = (above & ~outlet_holds(part).to_numpy())
        marked |= bool(leans.any())
        ax.set_yticks(y, [f"{t}†" if lean else t for t, lean in zip(part["term"], leans)],
                      fontsize=9)
        for yy, (_, row) in zip(y, part.iterrows()):
            ax.text(row["z"] + top * 0.01, yy, f"{row['n_group']}/{row['n_other']}",
                    va="center", fontsize=7.5, color=_MUTED)
        ax.grid(axis="x", alpha=0.3)
    first = colors[0] if len(set(colors)) == 1 else _MUTED
    handles = [Patch(facecolor=first, alpha=0.9, label=f"{line} 이상: 우연으로 보기 어려움"),
               Patch(facecolor=first, alpha=0.25, edgecolor=first, hatch="///",
                     label=f"{line} 미만: 우연으로도 나올 만함"),
               Line2D([], [], color=_EVENT_COLOR, linestyle="--",
                      label=f"점선: {line} (기사를 무작위로 나눈 200번의 95%에서 "
                            "어느 단어도 넘지 못한 z)" if np.isfinite(chance) and chance >= bar
                      else f"점선: {line}")]
    if marked:
        handles.append(Line2D([], [], linestyle="none",
                              label=f"†: 한 언론사를 빼면 z {OUTLET_Z:.2f} 미만 (그 언론사에 기댐)"))
    # The chart's title is the legend's title: constrained layout puts an outside legend and
    # a suptitle at the same height.
    fig.legend(handles=handles, loc="outside upper center", ncols=2, fontsize=MIN_FONT,
               frameon=False, title_fontsize=11,
               title=f"{title}\n막대 옆 숫자: 이 집단에서 쓰인 횟수 / 다른 집단에서 쓰인 횟수; "
                     "·로 이은 단어: 늘 같은 기사에 함께 쓰임")
    return fig


@exported
def plot_term_trends(table: pd.DataFrame, *, title: str = "단어를 쓴 기사의 비중") -> Figure:
    """A ``term_trends`` table: one panel per term, one line per region with its 95% Wilson
    interval; bins with too few articles are left out (the table lists them).

    Panels fill a grid without empty slots where the count allows (:func:`grid_shape`); one
    legend above the panels names the regions, the ribbon and the hatching, so no legend lies
    on a line; each panel's title gives its term's articles per region (using it / all)."""
    use_korean_font()
    if table.empty:
        return note_figure(title, table.attrs.get("empty_reason", "날짜가 있는 기사가 없습니다"))
    freq = table.attrs.get("freq", "YS")
    terms = list(pd.unique(table["term"]))
    rows, cols = grid_shape(len(terms), max_cols=3)
    fig = Figure(figsize=(min(REPORT_WIDTH, 3.6 * cols + 1.4), 3.1 * rows + 1.3), dpi=100,
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, squeeze=False)).ravel()
    regions = get_vocabulary().region_order(pd.unique(table["region"]))
    regions = [r for r in regions if r in set(table["region"])]
    min_n = table.attrs.get("min_n")
    width = bar_width(table)
    # Panel titles count every period; the panels draw from the first readable one.
    full, table = table, trim_thin_edges(table, regions=regions)
    periods = pd.DatetimeIndex(sorted(set(table["period"])))
    for ax, term in zip(axes, terms):
        part = table[table["term"] == term]
        _mark_thin(ax, part, width, f"모든 기간 n < {min_n or '?'}: 비중을 표시하지 않음")
        ax.set_xlim(periods.min() - width * 0.6, periods.max() + width * 0.6)
        used = []
        for region in regions:
            line = part[part["region"] == region].sort_values("period")
            shown = line[~line["too_few"].astype(bool)]
            every = full[(full["term"] == term) & (full["region"] == region)]
            k, n = int(every["n_docs"].sum()), int(every["n_total"].sum())
            used.append(f"{region_label(region)} {k}/{n}")
            color = region_color(region)
            ax.plot(shown["period"], 100 * shown["share"], marker="o", markersize=4,
                    color=color)
            ax.fill_between(shown["period"], 100 * shown["ci_low"], 100 * shown["ci_high"],
                            color=color, alpha=0.15, linewidth=0)
        ax.set_title(f"{term}\n{' · '.join(used)}건", fontsize=11, linespacing=1.4)
        ax.set_xlabel("기간", fontsize=10)
        _period_ticks(ax, part["period"], freq, max_labels=5, size=9.5)
        ax.tick_params(labelsize=9.5)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes[len(terms):]:
        ax.set_visible(False)
    for ax in axes[::cols]:
        ax.set_ylabel("기사 비중 (%)", fontsize=10)
    if cut := thin_edges_note(table):  # under the panels: a panel's own label has no room
        fig.supxlabel(cut.removeprefix(" · "), fontsize=9)
    high = table["ci_high"].max()
    axes[0].set_ylim(0, min(100.0, 100 * float(high) * 1.25) if pd.notna(high) and high > 0
                     else 100.0)
    handles = [Line2D([], [], color=region_color(r), marker="o", markersize=4,
                      label=region_label(r)) for r in regions]
    handles.append(Patch(facecolor=_MUTED, alpha=0.25, label="95% 신뢰구간 (Wilson)"))
    if min_n and table["too_few"].astype(bool).any():
        handles.append(Patch(facecolor="none", edgecolor=TOO_FEW_COLOR, hatch="///",
                             label=f"기사 {min_n}건 미만 기간 (생략)"))
    # The chart's title is the legend's title: constrained layout puts an outside legend and
    # a suptitle at the same height.
    fig.legend(handles=handles, loc="outside upper center", ncols=len(handles), fontsize=10,
               frameon=False, title=f"{title} (패널 제목 아래: 단어를 쓴 기사/전체 기사)",
               title_fontsize=12)
    return fig


def topic_short_name(label: str, n: int = 3) -> str:
    """A topic's short name: the first ``n`` of its ``·``-joined top terms."""
    return "·".join(str(label).split("·")[:n])


@exported
def plot_topic_terms(top_terms: pd.DataFrame, labels: pd.DataFrame, *, n: int = 8,
                     title: str = "발견된 주제와 주요 단어") -> Figure:
    """Top terms of each discovered topic (``TopicModel.top_terms`` and ``labels``), one small
    panel per topic in the order of ``labels``; each panel is titled with the topic's short
    name (top three terms), the articles whose main topic it is, its NPMI coherence and its
    stability under refits (``TopicModel.stability_``). Every
    bar is one neutral grey: the panels are topics, not cities."""
    use_korean_font()
    if top_terms.empty:
        return note_figure(title, "발견된 주제가 없습니다")
    topics = list(labels["topic"])
    rows, cols = grid_shape(len(topics), max_cols=4)
    fig = Figure(figsize=(min(REPORT_WIDTH, 2.7 * cols + 0.5),
                          0.27 * n * rows + 1.25 * rows + 0.6), dpi=100, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    info = labels.set_index("topic")
    for ax, topic in zip(axes, topics):
        part = top_terms[top_terms["topic"] == topic].head(n)
        y = np.arange(len(part))[::-1]
        ax.barh(y, part["weight"], color=NEUTRAL_COLOR, alpha=0.8)  # a topic is no city
        ax.set_yticks(y, part["term"].tolist(), fontsize=9.5)
        row = info.loc[topic]
        ax.set_title(f"{topic} {topic_short_name(row['label'])}\n"
                     f"주 주제 기사 {int(row['n_main'])}건\nNPMI {row['coherence']:.2f}"
                     + (f" · 안정도 {row['stability']:.2f}" if pd.notna(row.get("stability"))
                        else ""),
                     fontsize=10, linespacing=1.4)
        ax.set_xlabel("NMF 가중치", fontsize=9)
        ax.tick_params(axis="x", labelsize=9)
        ax.locator_params(axis="x", nbins=3)
    for ax in axes[len(topics):]:
        ax.set_visible(False)
    fig.suptitle(f"{title} (번호: 주 주제 기사가 많은 순)", fontsize=12)
    return fig


@exported
def plot_topic_prevalence(prevalence: pd.DataFrame, labels: pd.DataFrame, *,
                          title: str = "도시별 발견된 주제의 비중") -> Figure:
    """``TopicModel.prevalence``: one panel per discovered topic, one line per region with its
    bootstrap interval; bins with too few articles are left out."""
    use_korean_font()
    if prevalence.empty:
        return note_figure(title, "날짜가 있는 기사가 없습니다")
    freq = prevalence.attrs.get("freq", "YS")
    topics = list(labels["topic"])
    cols = min(3, len(topics))
    rows = math.ceil(len(topics) / cols)
    fig = Figure(figsize=(4.2 * cols, 2.7 * rows + 0.9), dpi=100)
    axes = np.atleast_1d(fig.subplots(rows, cols, sharex=True, sharey=True,
                                      squeeze=False)).ravel()
    name = labels.set_index("topic")["label"]
    regions = [r for r in get_vocabulary().region_order(pd.unique(prevalence["region"]))
               if r in set(prevalence["region"])]
    totals = (prevalence.drop_duplicates(["period", "region"])
              .groupby("region")["n_articles"].sum())
    min_n = prevalence.attrs.get("min_n", "?")
    width = bar_width(prevalence)
    prevalence = trim_thin_edges(prevalence, regions=regions)  # the legend's n count every period
    periods = pd.DatetimeIndex(sorted(set(prevalence["period"])))
    for ax, topic in zip(axes, topics):
        full = prevalence[prevalence["topic"] == topic]
        _mark_thin(ax, full, width, f"모든 기간 n < {min_n}: 비중을 표시하지 않음")
        part = full[~full["too_few"].astype(bool)]
        for region in regions:
            line = part[part["region"] == region].sort_values("period")
            color = region_color(region)
            ax.plot(line["period"], 100 * line["prevalence"], marker="o", markersize=3,
                    color=color, label=f"{region_label(region)} (n={int(totals.get(region, 0))})")
            ax.fill_between(line["period"], 100 * line["ci_low"], 100 * line["ci_high"],
                            color=color, alpha=0.15, linewidth=0)
            # A lone period (no shown neighbour) has no ribbon to show: a whisker instead.
            at = periods.get_indexer(line["period"])
            lone = line[~np.isin(at - 1, at) & ~np.isin(at + 1, at)]
            ax.vlines(lone["period"], 100 * lone["ci_low"], 100 * lone["ci_high"], color=color,
                      linewidth=1.0, alpha=0.6)
        ax.set_title(f"{topic} {name[topic]}", fontsize=9.5)
        ax.grid(axis="y", alpha=0.3)
        _period_ticks(ax, prevalence["period"], freq, max_labels=4)
    axes[0].set_xlim(periods.min() - width * 0.6, periods.max() + width * 0.6)  # shared x
    for ax in axes[len(topics):]:
        ax.set_visible(False)
    for ax in axes[::cols]:
        ax.set_ylabel("평균 주제 비중 (%)")
    for ax in axes[max(len(topics) - cols, 0):len(topics)]:
        # The lowest panel of each column carries the period labels, also above an empty slot.
        ax.set_xlabel("기간")
        ax.tick_params(labelbottom=True)
    axes[0].legend(fontsize=8, frameon=False, loc="upper left")
    boot = prevalence.attrs.get("n_boot", "")
    fig.suptitle(f"{title} (음영: 기사 부트스트랩 {boot}회 95% 신뢰구간; n: 모형에 든 기사 수; "
                 f"빗금: 기사 {min_n}건 미만 기간)",
                 fontsize=11)
    fig.tight_layout(rect=(0, note_under_panels(fig, prevalence), 1, 1))
    return fig


@exported
def plot_topic_crosstab(crosstab: pd.DataFrame, labels: pd.DataFrame | None = None, *,
                        title: str = "고정 주제(분류표)와 발견된 주제") -> Figure:
    """``TopicModel.crosstab`` as a heat map: rows are the taxonomy's labels (with the articles
    carrying each), columns the discovered topics. A cell's colour and its large number are
    the share of the row's articles whose main discovered topic is the column (%); the small
    number in brackets is those articles."""
    use_korean_font()
    if crosstab.empty:
        return note_figure(title, "비교할 기사가 없습니다")
    rows = list(dict.fromkeys(crosstab["label"]))
    cols = list(dict.fromkeys(crosstab["topic"]))
    share = crosstab.pivot(index="label", columns="topic", values="share").loc[rows, cols]
    count = crosstab.pivot(index="label", columns="topic", values="n_docs").loc[rows, cols]
    n_label = crosstab.drop_duplicates("label").set_index("label")["n_label"]
    fig = Figure(figsize=(min(REPORT_WIDTH, 0.85 * len(cols) + 4.4), 0.55 * len(rows) + 2.4),
                 dpi=100, layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(share.to_numpy(dtype=float) * 100, cmap=SHARE_CMAP, vmin=0, vmax=100,
                      aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            k = int(count.iat[i, j])
            if k:
                color = "white" if share.iat[i, j] > 0.55 else "#222222"
                ax.text(j, i - 0.12, f"{share.iat[i, j]:.0%}", ha="center", va="center",
                        fontsize=10, color=color)
                ax.text(j, i + 0.24, f"({k})", ha="center", va="center", fontsize=8,
                        color=color)
    vocab = get_vocabulary()
    names = {NO_LABEL: "분류표 주제 없음"}
    ylabels = [f"{names.get(r) or vocab.topic_label(r)} (n={int(n_label[r])})" for r in rows]
    ax.set_yticks(range(len(rows)), ylabels, fontsize=9.5)
    if labels is not None:
        short = labels.set_index("topic")["label"].map(lambda s: "\n".join(s.split("·")[:2]))
        xlabels = [f"{c}\n{short.get(c, '')}" for c in cols]
    else:
        xlabels = cols
    ax.set_xticks(range(len(cols)), xlabels, fontsize=9)
    for tick in ax.get_xticklabels():
        tick.set_linespacing(1.5)  # Hangul lines touch at the default spacing
    ax.set_xlabel("발견된 주제 (기사의 주 주제)", fontsize=10)
    ax.set_ylabel("분류표 주제 (기사 수)", fontsize=10)
    bar = fig.colorbar(image, ax=ax, fraction=0.04)
    bar.set_label("칸 색: 행 기사 중 이 주제가 주 주제인 비중 (%)", fontsize=9.5)
    bar.ax.tick_params(labelsize=9)
    ax.set_title(f"{title}\n칸: 행 기사 중 비중 (%)과 기사 수 (괄호); "
                 "한 기사가 여러 분류표 주제에 들 수 있음", fontsize=11)
    return fig


@exported
def plot_burst_timeline(
    counts: pd.DataFrame,
    bursts: pd.DataFrame,
    series: str,
    *,
    events: pd.DataFrame | None = None,
    title: str | None = None,
) -> Figure:
    """One topic's or term's articles per month (``monthly_counts``), one panel per region:
    bars of articles on the series, a line of all the articles counted (the smart-city ones
    unless ``monthly_counts(smart_city_only=False)``), detected bursts shaded (with their
    strength) and events as vertical lines with their labels."""
    use_korean_font()
    kind = counts.attrs.get("kind", "topic")
    shown = topic_label(series) if kind == "topic" else series
    title = title or f"'{shown}' 기사 수와 급증(버스트)"
    part = counts[counts["series"] == series]
    if part.empty or int(part["n_total"].sum()) == 0:
        return note_figure(title, "이 주제·단어의 월별 기사가 없습니다")
    regions = [r for r in get_vocabulary().region_order(pd.unique(part["region"]))
               if r in set(part["region"])]
    n_events = 0 if events is None else len(events)
    fig = Figure(figsize=(11.5, 2.4 * len(regions) + 1.0 + (0.2 * n_events + 0.4)), dpi=100)
    axes = np.atleast_1d(fig.subplots(len(regions), 1, sharex=True, squeeze=False)).ravel()
    width = pd.Timedelta(days=25)
    only_smart = counts.attrs.get("smart_city_only", True)
    everything = "스마트시티 기사 전체" if only_smart else "전체 기사"
    for ax, region in zip(axes, regions):
        line = part[part["region"] == region].sort_values("period")
        color = region_color(region)
        ax.bar(line["period"], line["n_docs"], width=width, color=color, alpha=0.85,
               label=f"'{shown}' 기사 (n={int(line['n_docs'].sum())})")
        ax.plot(line["period"], line["n_total"], color=_MUTED, linewidth=0.8,
                label=f"{everything} (n={int(line['n_total'].sum())})")
        here = bursts[(bursts["series"] == series) & (bursts["region"] == region)]
        for (_, b), strong in zip(here.iterrows(), beyond_chance(bursts)[here.index]):
            bar = (bursts.attrs.get("chance") or {}).get(region)
            judged = ("" if bar is None else
                      f"; 우연 기준 {bar:.1f} {'넘음' if strong else '못 넘음'}")
            ax.axvspan(b["start"] - pd.Timedelta(days=14), b["end"] + pd.Timedelta(days=14),
                       facecolor=color, alpha=0.2 if strong else 0.08, edgecolor=color,
                       hatch=None if strong else "///", linewidth=0,
                       label=f"급증 {b['start']:%Y-%m}~{b['end']:%Y-%m}\n"
                             f"(추세 대비 강도 {b['excess']:.1f}{judged})")
        _draw_events(ax, events, region)
        ax.set_ylabel(f"{region_label(region)} 기사 수 (건/월)")
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=7.5, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _year_ticks(axes[-1], part["period"])
    axes[-1].set_xlabel("월 (눈금: 1월)")
    bottom = _event_legend(fig, events)
    fig.suptitle(f"{title} (음영: 감지된 급증, 빗금은 우연 기준을 못 넘은 급증; 세로선: 사건)",
                 fontsize=11)
    fig.tight_layout(rect=(0, bottom, 1, 1))
    return fig


@exported
def plot_burst_overview(
    bursts: pd.DataFrame,
    *,
    events: pd.DataFrame | None = None,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    title: str = "감지된 급증(버스트)",
) -> Figure:
    """Every burst of a ``detect_bursts`` table as a bar from start to end month, one row per
    series and region; events as vertical lines. A burst whose ``excess`` over its series'
    trend beats its region's chance bar (:func:`lib.analysis.bursts.beyond_chance`, as the
    findings judge) is solid, the others pale and hatched; the legend gives each region's bar
    and each bar's label its articles and ``excess``."""
    use_korean_font()
    if bursts.empty:
        # A flat series has none as much as a thin or short one: say what was asked.
        times = float(bursts.attrs.get("s", 3.0))
        why = (f"감지된 급증이 없습니다: 어느 계열의 월별 비중도 평소의 {times:g}배로 "
               "뛰지 않았습니다 (월별 기사가 적거나 기간이 짧아도 그렇습니다)")
        return note_figure(title, why)
    kind = bursts.attrs.get("kind", "topic")
    keys = bursts[["series", "region"]].drop_duplicates()
    keys = keys.sort_values(["region", "series"]).reset_index(drop=True)
    n_events = 0 if events is None else len(events)
    regions = [r for r in get_vocabulary().region_order(pd.unique(keys["region"]))
               if r in set(keys["region"])]
    fig = Figure(figsize=(10, 0.38 * len(keys) + 1.8 + max(0.2 * n_events + 0.4,
                                                             0.25 * 2 * len(regions) + 0.4)),
                 dpi=100)
    ax = fig.add_subplot()
    strong = beyond_chance(bursts)
    for i, (series, region) in enumerate(keys.itertuples(index=False)):
        rows = bursts[(bursts["series"] == series) & (bursts["region"] == region)]
        color = region_color(region)
        for (_, b), solid in zip(rows.iterrows(), strong[rows.index]):
            start = b["start"]
            end = b["end"] + pd.offsets.MonthEnd(0)
            ax.barh(i, (end - start).days, left=start, height=0.6, facecolor=color,
                    alpha=0.9 if solid else 0.25, edgecolor=color, linewidth=0.8,
                    hatch=None if solid else "///")
            ax.text(end + pd.Timedelta(days=10), i,
                    f"{b['n_docs']}/{b['n_total']} · {b['excess']:.1f}", va="center",
                    fontsize=8.5, color=_MUTED)
    names = [f"{topic_label(s) if kind == 'topic' else _series_name(s)} · {region_label(r)}"
             for s, r in keys.itertuples(index=False)]
    ax.set_yticks(range(len(keys)), names, fontsize=9.5)
    ax.invert_yaxis()
    if span is not None:
        ax.set_xlim(span[0], span[1])
    _draw_events(ax, events, None)
    bottom = max(_event_legend(fig, events), _chance_legend(fig, bursts, regions))
    ax.set_xlabel("기간 (월)")
    ax.set_ylabel("주제·단어 · 도시")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"{title} (막대: 시작~끝 월; 숫자: 급증 기간 중 해당 기사/전체 기사 · 추세 대비 강도)",
                 fontsize=10.5, pad=14)
    fig.tight_layout(rect=(0, bottom, 1, 1))
    return fig


def _chance_legend(fig: Figure, bursts: pd.DataFrame, regions: Sequence[str]) -> float:
    """A legend at the bottom right of ``fig`` saying which bars of
    :func:`plot_burst_overview` beat their region's chance bar (solid) and which do not (pale,
    hatched), with each region's bar. Returns the share of the figure's height it takes."""
    chance = bursts.attrs.get("chance") or {}
    handles = []
    for region in regions:
        color, name = region_color(region), region_label(region)
        if region not in chance:
            handles.append(Patch(facecolor=color, alpha=0.9,
                                 label=f"{name}: 급증 (우연 기준 없음)"))
            continue
        handles += [Patch(facecolor=color, alpha=0.9,
                          label=f"{name}: 우연 이상 (추세 대비 강도 > {chance[region]:.1f})"),
                    Patch(facecolor=color, alpha=0.25, edgecolor=color, hatch="///",
                          label=f"{name}: 우연 수준 (≤ {chance[region]:.1f})")]
    fig.legend(handles=handles, fontsize=9, frameon=False, loc="lower right",
               bbox_to_anchor=(0.98, 0.0), title="급증 막대 (추세 대비 강도와 도시별 우연 기준)",
               title_fontsize=9.5, alignment="left")
    return min(0.6, (0.22 * len(handles) + 0.45) / fig.get_figheight())


def _series_name(series: str, most: int = 4) -> str:
    """A burst's series for an axis label: merged bursts (``merge_bursts``) name their words
    joined by ``·``; past ``most`` words the rest are counted (공사·착공·… 외 2)."""
    words = str(series).split("·")
    return series if len(words) <= most else f"{'·'.join(words[:most])} 외 {len(words) - most}"


def _draw_events(ax: Axes, events: pd.DataFrame | None, region: str | None) -> None:
    """Events as dotted vertical lines tagged E1, E2 … at the top of ``ax``: those of
    ``region`` and of every region (all events when ``region`` is None)."""
    if events is None or events.empty:
        return
    for i, e in enumerate(events.itertuples(index=False), 1):
        if region is not None and e.region not in (region, ALL_REGIONS):
            continue
        ax.axvline(e.date, color=_EVENT_COLOR, linestyle=":", linewidth=1)
        ax.text(e.date, 1.0, f"E{i}", transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=8.5, color=_EVENT_COLOR)


def _event_legend(fig: Figure, events: pd.DataFrame | None) -> float:
    """A legend at the bottom of ``fig`` spelling out each event tag (date, region, label).
    Returns the share of the figure's height it takes, for ``tight_layout(rect=...)``."""
    if events is None or events.empty:
        return 0.0
    handles = []
    for i, e in enumerate(events.itertuples(index=False), 1):
        where = "전체" if e.region == ALL_REGIONS else region_label(e.region)
        text = textwrap.shorten(str(e.label), 48, placeholder="…")
        handles.append(Line2D([], [], color=_EVENT_COLOR, linestyle=":",
                              label=f"E{i} {e.date:%Y-%m-%d} ({where}) {text}"))
    fig.legend(handles=handles, fontsize=9, frameon=False, loc="lower left",
               bbox_to_anchor=(0.02, 0.0), title="사건 (events file)", title_fontsize=9.5,
               alignment="left")
    return min(0.6, (0.2 * len(handles) + 0.4) / fig.get_figheight())
