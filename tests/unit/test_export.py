"""Charts written as files (lib.present.export): PNG, SVG and the table behind each, numbered,
labelled synthetic when the corpus is the sample, nothing written unless FIGURES_DIR is set."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd
import pytest
from matplotlib.figure import Figure

from lib import paths
from lib.corpus import load_corpus
from lib.present import export, plots
from lib.present.report import find_remote_references, write_gallery


def shares() -> pd.DataFrame:
    """A small table in the shape of ``trends.smart_city_share``."""
    periods = pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01"])
    rows = []
    for region, base in (("sejong", 0.4), ("daejeon", 0.6)):
        for i, period in enumerate(periods):
            n = 40 + i
            rows.append({"period": period, "region": region, "n_docs": int(n * base),
                         "n_total": n, "share": int(n * base) / n, "ci_low": base - 0.15,
                         "ci_high": base + 0.15, "too_few": False})
    return pd.DataFrame(rows)


@pytest.fixture
def own_corpus(tmp_path: Path, monkeypatch) -> Path:
    """CORPUS set to a folder that is not the sample."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.csv").write_text("title,body\nt,b\n", encoding="utf-8")
    monkeypatch.setenv(paths.CORPUS_ENV, str(corpus))
    return corpus


def test_nothing_is_written_without_figures_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(export.FIGURES_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    fig = plots.plot_smart_city_share(shares())
    assert isinstance(fig, Figure)
    assert list(tmp_path.iterdir()) == []


def test_each_chart_is_written_as_png_svg_and_its_table(tmp_path: Path, monkeypatch,
                                                        own_corpus: Path) -> None:
    folder = tmp_path / "figures" / "01_overview"
    monkeypatch.setenv(export.FIGURES_ENV, str(folder))
    export.start_folder(folder)
    table = shares()
    first = plots.plot_smart_city_share(table)
    texts_shown = len(first.texts)
    plots.plot_smart_city_share(table, title="연도별")
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"{n:02d}_smart_city_share.{s}" for n in (1, 2) for s in ("csv", "png", "svg")]
    image = mpimg.imread(folder / "01_smart_city_share.png")
    # 200 dpi: the 9-inch-wide chart is some 1,800 pixels wide.
    assert image.shape[1] > 1500
    svg = (folder / "01_smart_city_share.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    # Text is drawn as outlines: the Korean title is no <text> element a viewer needs a font for.
    assert "<text" not in svg
    back = pd.read_csv(folder / "01_smart_city_share.csv", encoding="utf-8-sig",
                       parse_dates=["period"])
    pd.testing.assert_frame_equal(back, table, check_dtype=False)
    assert (folder / "01_smart_city_share.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # The user's corpus: no synthetic mark, and the chart shown is left as drawn.
    assert not any(name.startswith(export.SYNTHETIC_PREFIX) for name in names)
    assert len(first.texts) == texts_shown


def test_a_rerun_numbers_from_one_and_keeps_other_files(tmp_path: Path, monkeypatch,
                                                        own_corpus: Path) -> None:
    folder = tmp_path / "figs"
    monkeypatch.setenv(export.FIGURES_ENV, str(folder))
    export.start_folder(folder)
    plots.plot_smart_city_share(shares())
    plots.plot_smart_city_share(shares())
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    export.start_folder(folder)
    plots.plot_smart_city_share(shares())
    assert sorted(p.name for p in folder.iterdir()) == [
        "01_smart_city_share.csv", "01_smart_city_share.png", "01_smart_city_share.svg",
        "notes.txt"]


def test_a_chart_drawn_into_the_callers_axes_is_not_written(tmp_path: Path, monkeypatch,
                                                            own_corpus: Path) -> None:
    folder = tmp_path / "figs"
    monkeypatch.setenv(export.FIGURES_ENV, str(folder))
    export.start_folder(folder)
    fig = Figure()
    plots.plot_article_counts(shares().rename(columns={"n_docs": "n_articles"}),
                              ax=fig.add_subplot())
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_samples_charts_say_they_are_synthetic(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(paths.CORPUS_ENV, raising=False)  # the default corpus: the sample
    assert export.file_name("02_topic_trends_articles.csv") == \
        "synthetic_02_topic_trends_articles.csv"
    fig = plots.plot_smart_city_share(shares())
    # the chart the notebook shows says so too, once, and keeps saying so after it is saved
    assert [t.get_text() for t in fig.texts].count(export.SYNTHETIC_CAPTION) == 1
    before = len(fig.texts)
    written = export.save_figure(fig, "smart_city_share", data=shares(), folder=tmp_path)
    assert [p.name for p in written] == [f"synthetic_01_smart_city_share.{s}"
                                         for s in ("png", "svg", "csv")]
    assert len(fig.texts) == before
    png = written[0].read_bytes()
    # PNG text chunks carry the title and the synthetic notice; the picture carries a caption.
    assert b"synthetic sample" in png and "스마트시티 기사 비중".encode() in png
    svg = written[1].read_text(encoding="utf-8")
    assert "synthetic sample" in svg  # the SVG's <dc:description>
    corpus = tmp_path / "own"
    corpus.mkdir()
    (corpus / "a.csv").write_text("title,body\nt,b\n", encoding="utf-8")
    monkeypatch.setenv(paths.CORPUS_ENV, str(corpus))
    own = plots.plot_smart_city_share(shares())
    assert export.SYNTHETIC_CAPTION not in [t.get_text() for t in own.texts]
    plain = export.save_figure(own, "smart_city_share", folder=tmp_path / "b", synthetic=False)
    caption_rows = mpimg.imread(written[0]).shape[0] - mpimg.imread(plain[0]).shape[0]
    assert caption_rows > 10  # the caption line below the chart
    bare = plots.plot_smart_city_share(shares())  # a figure saved as synthetic by hand ...
    export.save_figure(bare, "smart_city_share", folder=tmp_path / "c", synthetic=True)
    assert export.SYNTHETIC_CAPTION not in [t.get_text() for t in bare.texts]  # ... is left bare


def test_gallery_shows_every_chart_with_relative_links(tmp_path: Path, own_corpus: Path) -> None:
    assert export.gallery_sections(tmp_path / "missing") is None
    assert export.gallery_sections(tmp_path) is None
    assert write_gallery(tmp_path) is None
    fig = plots.plot_smart_city_share(shares())
    for notebook in ("01_overview", "02_trends"):
        export.save_figure(fig, "smart_city_share", data=shares(), folder=tmp_path / notebook)
    page = write_gallery(tmp_path).read_text(encoding="utf-8")
    assert find_remote_references(page) == []
    assert "@font-face" in page  # Korean headings render with no font installed
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources == ["01_overview/01_smart_city_share.png", "02_trends/01_smart_city_share.png"]
    assert all((tmp_path / s).exists() for s in sources)
    assert 'href="02_trends/01_smart_city_share.svg"' in page
    assert 'href="02_trends/01_smart_city_share.csv"' in page
    assert "synthetic" not in page
    synthetic = write_gallery(tmp_path, synthetic=True).read_text(encoding="utf-8")
    assert export.SYNTHETIC_CAPTION in synthetic


def test_charts_follow_the_corpus_that_was_loaded_not_the_environment(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """A notebook pointed at another corpus in its parameter cell, with ``CORPUS`` still naming
    the sample (``make lab``), labels its charts and files by what it loaded: and the sample
    loaded while ``CORPUS`` names another folder is still called synthetic."""
    own = tmp_path / "own"
    own.mkdir()
    (own / "a.csv").write_text("title,body,date\n세종 소식,본문 하나,2024-01-02\n",
                               encoding="utf-8")
    monkeypatch.setenv(paths.CORPUS_ENV, str(paths.SAMPLE_DIR))
    assert export.corpus_is_sample()
    load_corpus(own, cache=False, progress=False)
    assert not export.corpus_is_sample()
    assert export.file_name("02_findings.csv") == "02_findings.csv"
    fig = plots.plot_smart_city_share(shares())
    assert export.SYNTHETIC_CAPTION not in [t.get_text() for t in fig.texts]
    monkeypatch.setenv(paths.CORPUS_ENV, str(own))
    load_corpus(paths.SAMPLE_DIR / "pages", cache=False, progress=False, limit=3)
    assert export.corpus_is_sample()
    assert export.SYNTHETIC_CAPTION in [t.get_text() for t in
                                        plots.plot_smart_city_share(shares()).texts]


def test_a_chart_of_one_topic_exports_that_topics_rows_only(tmp_path: Path, monkeypatch,
                                                            own_corpus: Path) -> None:
    """Notebook 02's drill-down draws one topic of the shares table: its CSV holds that topic's
    rows, not the whole table the overview chart exported."""
    from lib.present import topic_plots

    folder = tmp_path / "figures" / "02_topic_trends"
    monkeypatch.setenv(export.FIGURES_ENV, str(folder))
    export.start_folder(folder)
    table = pd.concat([shares().assign(topic=t, n_docs=lambda f: f["n_docs"] // (i + 1))
                       for i, t in enumerate(("mobility", "data_ai"))], ignore_index=True)
    topic_plots.plot_topic_trends(table)
    topic_plots.plot_topic_trends(table, topics=["data_ai"], regions=["sejong"])
    whole = pd.read_csv(folder / "01_topic_trends.csv", encoding="utf-8-sig")
    one = pd.read_csv(folder / "02_topic_trends.csv", encoding="utf-8-sig")
    assert len(whole) == 12 and set(whole["topic"]) == {"mobility", "data_ai"}
    assert len(one) == 3 and set(one["topic"]) == {"data_ai"} and set(one["region"]) == {"sejong"}
