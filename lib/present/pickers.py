"""Pickers that redraw the topic-trend chart in JupyterLab, and its default view everywhere else.

In a live notebook with ipywidgets, ``topic_explorer`` shows three dropdowns (topic, city pair,
period length) above the chart and redraws it when one changes. Where a widget cannot work (the
HTML reports and the committed notebooks, which ``lib.present.report`` runs with
``NOTEBOOK_STATIC=1``, or a kernel without ipywidgets) it returns the chart of the default
choices as a plain figure: a report never shows a broken widget.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
from matplotlib.figure import Figure

from lib.analysis import accuracy
from lib.analysis import topic_trends as tt
from lib.present import export, topic_plots
from lib.vocabulary import get_vocabulary

#: Set to 1 by ``lib.present.report`` (``make report``, ``make notebooks``): draw, do not pick.
STATIC_ENV = "NOTEBOOK_STATIC"
#: The topic choice that shows every topic's panel.
ALL_TOPICS = ""
#: The corrections the explorer offers: shares as tagged, corrected with the pooled error
#: rates, corrected with each city's own rates, corrected period by period with the rates of
#: each era of publication (notebook 02's ``CORRECT`` unset, ``1``, ``city``, ``era``).
AS_TAGGED, POOLED, PER_CITY, PER_ERA = "", "pooled", "city", "era"
CORRECTIONS: tuple[str, ...] = (AS_TAGGED, POOLED, PER_CITY, PER_ERA)


def interactive() -> bool:
    """True in a kernel that can show widgets: ipywidgets installed and not a static run."""
    if os.environ.get(STATIC_ENV, "").strip() in {"1", "true", "yes"}:
        return False
    return importlib.util.find_spec("ipywidgets") is not None


@dataclass
class TopicExplorer:
    """The topic-trend chart of one tagged table, for any topic, city pair, period length and
    correction for tagging error.

    ``draw(topic=…, pair=…, freq=…, correction=…)`` returns the Figure for one choice
    (``topic=ALL_TOPICS`` draws every topic's panel; ``correction`` one of :data:`CORRECTIONS`);
    the ``*_options`` lists are what the pickers offer, as ``(label, value)`` pairs. Shares are
    cached per (pair, period length, correction).
    """

    tagged: pd.DataFrame
    pair: tuple[str, str]
    freq: str
    topic: str = ALL_TOPICS
    min_n: int = 10
    #: The default correction: False or "" (shares as tagged), True or "pooled" (corrected with
    #: ``rates``), "city" (each city's shares with its own rates, ``rates_by_city``), "era"
    #: (each period with its era's rates, ``rates_by_era``).
    corrected: bool | str = False
    reliability: pd.DataFrame | None = None
    #: Error counts the correction uses (``accuracy.corpus_accuracy`` of your own labels);
    #: None: the shipped held-out rates on real news.
    rates: pd.DataFrame | None = None
    #: The same counts per city (``by_city=True``), for the "city" correction; None: not offered.
    rates_by_city: pd.DataFrame | None = None
    #: The same counts per era of publication (``by_era=True``), for the "era" correction;
    #: None: not offered.
    rates_by_era: pd.DataFrame | None = None
    _shares: dict[tuple[tuple[str, str], str, str], pd.DataFrame] = field(default_factory=dict)

    @property
    def correction(self) -> str:
        """The default correction as one of :data:`CORRECTIONS`."""
        return _as_correction(self.corrected)

    @property
    def correction_options(self) -> list[tuple[str, str]]:
        options = [("태그 그대로 (as tagged)", AS_TAGGED),
                   ("오류 보정 (corrected for tagging error)", POOLED)]
        if self.rates_by_city is not None:
            options.append(("도시별 오류 보정 (corrected, each city's rates)", PER_CITY))
        if self.rates_by_era is not None:
            options.append(("시기별 오류 보정 (corrected, each era's rates)", PER_ERA))
        return options

    @property
    def topic_options(self) -> list[tuple[str, str]]:
        vocab = get_vocabulary()
        return [("모든 주제 (all topics)", ALL_TOPICS)] + [
            (f"{vocab.topic_label(k)} ({vocab.topic_label(k, lang='en')})", k)
            for k in vocab.topic_keys
        ]

    @property
    def pair_options(self) -> list[tuple[str, tuple[str, str]]]:
        vocab = get_vocabulary()
        present = vocab.cities_in(self.tagged["region"].astype(str).unique())
        cities = [k for k in vocab.city_keys if k in present or k in self.pair]
        pairs = [(a, b) for a in cities for b in cities if a != b]
        pairs.sort(key=lambda p: p != tuple(self.pair))  # the default pair first
        return [(f"{vocab.region_label(a)} − {vocab.region_label(b)}", (a, b)) for a, b in pairs]

    @property
    def freq_options(self) -> list[tuple[str, str]]:
        options = [(f"{name_ko} ({name_en})", alias) for alias, name_ko, name_en in tt.FREQ_CANDIDATES]
        if self.freq not in {alias for _, alias in options}:
            options.insert(0, (self.freq, self.freq))
        return options

    def shares(self, pair: Sequence[str], freq: str, correction: str | None = None) -> pd.DataFrame:
        correction = self.correction if correction is None else _as_correction(correction)
        key = (tuple(pair), freq, correction)
        if key not in self._shares:
            rates = {PER_CITY: self.rates_by_city, PER_ERA: self.rates_by_era}.get(
                correction, self.rates)
            if correction in (PER_CITY, PER_ERA) and rates is None:
                raise ValueError(f"TopicExplorer: the {correction} correction needs "
                                 f"rates_by_{correction}")
            adjust = (functools.partial(accuracy.corrected_shares, accuracy=rates)
                      if correction else None)
            table = tt.topic_shares(self.tagged, freq=freq, min_n=self.min_n,
                                    regions=list(pair), adjust=adjust)
            self._shares[key] = accuracy.as_corrected(table) if correction else table
        return self._shares[key]

    def draw(self, *, topic: str | None = None, pair: Sequence[str] | None = None,
             freq: str | None = None, correction: str | None = None) -> Figure:
        topic = self.topic if topic is None else topic
        pair = tuple(pair or self.pair)
        freq = freq or self.freq
        shares = self.shares(pair, freq, correction)
        vocab = get_vocabulary()
        name = vocab.topic_label(topic) if topic else "모든 주제"
        title = f"{name}: {vocab.region_label(pair[0])} · {vocab.region_label(pair[1])}"
        return topic_plots.plot_topic_trends(
            shares, regions=list(pair), topics=[topic] if topic else None,
            ncols=1 if topic else 3, title=title, reliability=self.reliability,
            panel_width=9.0 if topic else 4.2,
        )


def topic_explorer(
    tagged: pd.DataFrame,
    *,
    pair: Sequence[str],
    freq: str,
    topic: str = ALL_TOPICS,
    min_n: int = 10,
    corrected: bool | str = False,
    reliability: pd.DataFrame | None = None,
    rates: pd.DataFrame | None = None,
    rates_by_city: pd.DataFrame | None = None,
    rates_by_era: pd.DataFrame | None = None,
    display: Callable[[object], None] | None = None,
) -> object:
    """The topic-trend chart with pickers (live notebook) or its default view (anywhere else).

    ``tagged`` is ``tag_articles(...).articles``; ``pair``, ``freq``, ``topic`` and
    ``corrected`` (see :class:`TopicExplorer`) the default choices; ``min_n``, ``reliability``,
    ``rates``, ``rates_by_city`` and ``rates_by_era`` (the error counts the correction uses,
    pooled, per city and per era; None: the shipped ones, and no per-city or per-era choice)
    as in notebook 02's section 1.
    Returns an ipywidgets ``VBox`` (dropdowns above an output area that holds the chart) when
    ``interactive()``, else the default choice's Figure. ``display`` (default :func:`show_figure`)
    puts a redrawn figure into the output area.
    """
    explorer = TopicExplorer(tagged, pair=(pair[0], pair[1]), freq=freq, topic=topic,
                             min_n=min_n, corrected=corrected, reliability=reliability,
                             rates=rates, rates_by_city=rates_by_city,
                             rates_by_era=rates_by_era)
    if not interactive():
        return explorer.draw()
    import ipywidgets as widgets

    if display is None:
        display = show_figure
    topic_box = widgets.Dropdown(options=explorer.topic_options, value=topic,
                                 description="주제 topic")
    pair_box = widgets.Dropdown(options=explorer.pair_options, value=tuple(explorer.pair),
                                description="도시 pair")
    freq_box = widgets.Dropdown(options=explorer.freq_options, value=freq,
                                description="기간 period")
    correction_box = widgets.Dropdown(options=explorer.correction_options,
                                      value=explorer.correction, description="보정 correction",
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="460px"))
    out = widgets.Output()

    def redraw(_change: object = None) -> None:
        # The first view is written as files when FIGURES_DIR is set; a picker's redraws not.
        with export.paused() if _change is not None else contextlib.nullcontext():
            fig = explorer.draw(topic=topic_box.value, pair=pair_box.value,
                                freq=freq_box.value, correction=correction_box.value)
        with out:
            out.clear_output(wait=True)
            display(fig)

    boxes = (topic_box, pair_box, freq_box, correction_box)
    for box in boxes:
        box.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(boxes[:3]), widgets.HBox(boxes[3:]), out])


def show_figure(fig: Figure) -> None:
    """Display ``fig`` as a PNG image: the same in any kernel, also one where no matplotlib
    backend has been set up for the notebook (no ``%matplotlib inline``, no pyplot import), where
    displaying a Figure shows only its text form."""
    from IPython.display import Image
    from IPython.display import display as ipython_display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    ipython_display(Image(data=buffer.getvalue(), format="png"))


def _as_correction(value: bool | str | None) -> str:
    if value is True:
        return POOLED
    if value in (False, None):
        return AS_TAGGED
    if value not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS} (or True/False), not {value!r}")
    return str(value)
