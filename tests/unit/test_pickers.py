"""The topic explorer of notebook 02: pickers in a live kernel, the default view in reports."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from lib.present import pickers
from lib.vocabulary import region_label, topic_label
from tests.unit.test_topic_plots import render
from tests.unit.test_topic_trends import make_tagged, random_rows

PROBS = {"sejong": {"pilot_city": 0.7}, "daejeon": {"pilot_city": 0.1, "data_ai": 0.6}}


@pytest.fixture(scope="module")
def tagged() -> pd.DataFrame:
    rows = random_rows(500, seed=5, regions=("sejong", "daejeon", "both", "neither"), probs=PROBS)
    return make_tagged(rows)


def _panel_titles(fig: Figure) -> list[str]:
    titles = [ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return [t for t in titles if t]


def test_a_static_run_returns_the_default_view_as_a_figure(
    tagged: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pickers.STATIC_ENV, "1")
    assert not pickers.interactive()
    fig = pickers.topic_explorer(tagged, pair=("sejong", "daejeon"), freq="YS", topic="data_ai")
    assert isinstance(fig, Figure)
    titles = _panel_titles(fig)
    assert any(topic_label("data_ai") in t for t in titles)
    assert not any(topic_label("pilot_city") in t for t in titles)
    render(fig)


def test_every_topic_when_no_topic_is_picked(tagged: pd.DataFrame) -> None:
    explorer = pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS")
    titles = " ".join(_panel_titles(explorer.draw()))
    assert topic_label("data_ai") in titles and topic_label("pilot_city") in titles


def test_the_options_offer_the_default_pair_first_and_every_period_length(tagged: pd.DataFrame) -> None:
    explorer = pickers.TopicExplorer(tagged, pair=("daejeon", "sejong"), freq="QS")
    assert explorer.pair_options[0][1] == ("daejeon", "sejong")
    assert ("sejong", "daejeon") in [v for _, v in explorer.pair_options]
    assert {"MS", "QS", "YS"} <= {v for _, v in explorer.freq_options}
    assert explorer.topic_options[0][1] == pickers.ALL_TOPICS


def test_changing_a_picker_redraws_the_chart(tagged: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ipywidgets")  # pinned in requirements.txt; the import is what is tested
    monkeypatch.delenv(pickers.STATIC_ENV, raising=False)
    assert pickers.interactive()
    shown: list[Figure] = []
    box = pickers.topic_explorer(tagged, pair=("sejong", "daejeon"), freq="YS",
                                 topic="pilot_city", display=shown.append)
    topic_box, pair_box, freq_box = box.children[0].children
    assert len(shown) == 1 and any(topic_label("pilot_city") in t for t in _panel_titles(shown[0]))
    topic_box.value = "data_ai"
    assert len(shown) == 2 and any(topic_label("data_ai") in t for t in _panel_titles(shown[1]))
    pair_box.value = ("daejeon", "sejong")
    freq_box.value = "6MS"
    assert len(shown) == 4
    # the figure follows the picked pair: its legend lists Daejeon first
    fig = shown[-1]
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    labels = [text.get_text() for legend in legends for text in legend.get_texts()]
    assert labels and labels[0].startswith(region_label("daejeon")), labels


def test_only_the_first_view_is_written_as_files(tagged: pd.DataFrame, tmp_path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """With FIGURES_DIR set in a live kernel, the explorer's first chart is written; a picker's
    redraws are views of it and write nothing."""
    pytest.importorskip("ipywidgets")
    from lib.present import export

    monkeypatch.delenv(pickers.STATIC_ENV, raising=False)
    monkeypatch.setenv(export.FIGURES_ENV, str(tmp_path))
    export.start_folder(tmp_path)
    shown: list[Figure] = []
    box = pickers.topic_explorer(tagged, pair=("sejong", "daejeon"), freq="YS",
                                 topic="pilot_city", display=shown.append)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert len(written) == 3 and written[-1].endswith("01_topic_trends.svg")
    topic_box = box.children[0].children[0]
    topic_box.value = "data_ai"
    assert len(shown) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == written
    # Outside the explorer, charts are written again.
    pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS").draw()
    assert len(list(tmp_path.iterdir())) == 6


def test_the_correction_picker_redraws_corrected_shares(
    tagged: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("ipywidgets")
    monkeypatch.delenv(pickers.STATIC_ENV, raising=False)
    from lib.analysis.accuracy import load_tagger_accuracy

    shown: list[Figure] = []
    box = pickers.topic_explorer(tagged, pair=("sejong", "daejeon"), freq="YS", topic="data_ai",
                                 rates_by_city=load_tagger_accuracy(by_city=True),
                                 rates_by_era=load_tagger_accuracy(by_era=True),
                                 display=shown.append)
    (correction_box,) = box.children[1].children
    assert [v for _, v in correction_box.options] == list(pickers.CORRECTIONS)
    assert "보정" not in shown[-1]._suptitle.get_text()  # as tagged by default
    correction_box.value = pickers.POOLED
    assert "태그 오류 보정" in shown[-1]._suptitle.get_text()
    correction_box.value = pickers.PER_CITY
    assert len(shown) == 3 and "태그 오류 보정 (도시별 오류율)" in shown[-1]._suptitle.get_text()
    correction_box.value = pickers.PER_ERA
    assert len(shown) == 4 and "태그 오류 보정 (시기별 오류율)" in shown[-1]._suptitle.get_text()


def test_the_corrections_differ_and_need_their_rates(tagged: pd.DataFrame) -> None:
    from lib.analysis.accuracy import load_tagger_accuracy

    explorer = pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS",
                                     corrected="city",
                                     rates_by_city=load_tagger_accuracy(by_city=True),
                                     rates_by_era=load_tagger_accuracy(by_era=True))
    raw, pooled, city, era = (explorer.shares(("sejong", "daejeon"), "YS", c)
                              for c in pickers.CORRECTIONS)
    cell = (raw["topic"] == "data_ai") & (raw["region"] == "daejeon") & ~raw["too_few"]
    assert cell.any()
    assert not raw["share"][cell].equals(pooled["share"][cell])
    assert not pooled["share"][cell].equals(city["share"][cell])  # each city's own rates
    assert not pooled["share"][cell].equals(era["share"][cell])  # each era's own rates
    assert era.attrs["rates"] == "by era" and city.attrs["rates"] == "by city"
    assert explorer.correction == pickers.PER_CITY
    assert [v for _, v in pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"),
                                                freq="YS").correction_options] == ["", "pooled"]
    with pytest.raises(ValueError, match="needs rates_by_city"):
        pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS").shares(
            ("sejong", "daejeon"), "YS", "city")
    with pytest.raises(ValueError, match="needs rates_by_era"):
        pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS").shares(
            ("sejong", "daejeon"), "YS", "era")
    with pytest.raises(ValueError, match="correction must be one of"):
        pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS", corrected="yes").shares(
            ("sejong", "daejeon"), "YS")


def test_a_redrawn_chart_is_shown_as_a_png_in_any_kernel(
    tagged: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``%matplotlib inline`` a displayed Figure is only its text form; the explorer
    hands IPython a PNG image instead."""
    import IPython.display

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    fig = pickers.TopicExplorer(tagged, pair=("sejong", "daejeon"), freq="YS",
                                topic="data_ai").draw()
    pickers.show_figure(fig)
    (image,) = shown
    assert isinstance(image, IPython.display.Image)
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n" and len(image.data) > 10_000
