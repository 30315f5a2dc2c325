"""Every chart of a report as files a paper or a slide can use, with the table it was drawn from.

``make report`` sets ``FIGURES_DIR`` for each notebook it runs
(``reports/<corpus>/figures/<notebook>/``). Each plot function of :mod:`lib.present` (marked
:func:`exported`) then also writes the figure it returns there, numbered in the order the notebook
draws them:

- ``01_smart_city_share.png``: 200 dpi, for documents;
- ``01_smart_city_share.svg``: vector, its text drawn as outlines, so the Korean labels render
  without the font;
- ``01_smart_city_share.csv``: the table the chart was drawn from (UTF-8 with a BOM, which
  Excel opens with its Korean intact).

Without ``FIGURES_DIR`` (a notebook opened in JupyterLab, the tests) nothing is written.

Files made from the synthetic sample say so wherever they go: their names start with
``synthetic_`` (:func:`file_name`, also for the reports' CSV downloads) and each picture, the
one a notebook shows and the exported files alike, carries a line naming it synthetic, so a
chart copied out of a report keeps its warning.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text

from lib import paths

FIGURES_ENV = "FIGURES_DIR"
SYNTHETIC_PREFIX = "synthetic_"
SYNTHETIC_CAPTION = "합성 표본: 시연용으로 지어낸 기사이며 실제 보도가 아닙니다 " \
                    "(synthetic sample: invented articles, not real news)"
PNG_DPI = 200
SUFFIXES = (".png", ".svg", ".csv")

#: Per folder, how many figures this process has written there (the next file's number).
_written: dict[Path, int] = {}
#: Set inside :func:`paused`: figures are drawn but not written.
_paused = False

Plot = TypeVar("Plot", bound=Callable[..., object])
#: A plot function that draws from a table it built (its input joined with another, such as
#: the outlet check's verdicts) sets that table on the figure under this name; the exported
#: CSV is then that table rather than the first one it was given.
DRAWN_FROM = "drawn_from"


def figures_dir() -> Path | None:
    """The folder ``FIGURES_DIR`` names (from the repository root when relative), or None
    (also inside :func:`paused`)."""
    value = os.environ.get(FIGURES_ENV, "").strip()
    return paths.from_root(value) if value and not _paused else None


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Draw without writing files: a picker's redraws in a live notebook are views of one
    chart, written once, not a new file per click."""
    global _paused
    before, _paused = _paused, True
    try:
        yield
    finally:
        _paused = before


def corpus_is_sample(corpus: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``corpus`` is the synthetic sample; by default the corpus this process loaded
    last (:func:`lib.paths.loaded_corpus`: every one of its roots the sample), else ``CORPUS``,
    else the bundled sample. Asked once per path and process: a copy of the sample is known by
    reading its files, which every chart of a notebook need not do again."""
    if corpus is None and (loaded := paths.loaded_corpus()):
        return all(_is_sample(root) for root in loaded)
    return _is_sample(paths.resolve_corpus(corpus).resolve())


@functools.lru_cache(maxsize=8)
def _is_sample(corpus: Path) -> bool:
    return paths.is_sample(corpus)


def file_name(name: str, *, synthetic: bool | None = None) -> str:
    """``name`` as a file made from the corpus is called: ``synthetic_<name>`` when the corpus
    is the synthetic sample (``synthetic`` None: :func:`corpus_is_sample`)."""
    synthetic = corpus_is_sample() if synthetic is None else synthetic
    return f"{SYNTHETIC_PREFIX}{name}" if synthetic else name


def exported(plot: Plot) -> Plot:
    """Mark a plot function whose figure :func:`save_figure` writes to :func:`figures_dir` when
    that is set, under the function's name without ``plot_``, with the table it was drawn from
    (the figure's :data:`DRAWN_FROM`, else the first table it was given). A figure drawn into an
    axes the caller passed (``ax=``) is the caller's to save."""
    name = plot.__name__.removeprefix("plot_")

    @functools.wraps(plot)
    def draw(*args, **kwargs):
        fig = plot(*args, **kwargs)
        if not isinstance(fig, Figure) or kwargs.get("ax") is not None:
            return fig
        synthetic = corpus_is_sample()
        if synthetic:
            mark_synthetic(fig)
        folder = figures_dir()
        if folder is not None:
            data = getattr(fig, DRAWN_FROM, None)
            if data is None:
                data = next((a for a in args if isinstance(a, pd.DataFrame)), None)
            save_figure(fig, name, data=data, folder=folder, synthetic=synthetic)
        return fig

    return draw  # type: ignore[return-value]


#: The attribute a figure that carries :data:`SYNTHETIC_CAPTION` keeps it under.
_CAPTION = "synthetic_caption"


def mark_synthetic(fig: Figure) -> Text:
    """Write :data:`SYNTHETIC_CAPTION` under ``fig`` (once: a figure that has it keeps its
    one). Returns the caption."""
    caption = getattr(fig, _CAPTION, None)
    if caption is None:
        caption = fig.text(0.5, 0.0, SYNTHETIC_CAPTION, ha="center", va="top", fontsize=8,
                           color="#882255")
        setattr(fig, _CAPTION, caption)
    return caption


def save_figure(fig: Figure, name: str, *, data: pd.DataFrame | None = None,
                folder: Path, synthetic: bool | None = None) -> list[Path]:
    """Write ``fig`` to ``folder`` as ``NN_<name>.png`` and ``.svg`` and ``data`` (when given)
    as ``NN_<name>.csv``, ``NN`` counting the figures this process wrote there; a figure of the
    synthetic sample (``synthetic`` None: :func:`corpus_is_sample`) gets the ``synthetic_``
    prefix and a caption saying so (:func:`mark_synthetic`; a figure that did not have it
    before is left without it). Returns the written paths."""
    synthetic = corpus_is_sample() if synthetic is None else synthetic
    folder.mkdir(parents=True, exist_ok=True)
    number = _written.get(folder, 0) + 1
    _written[folder] = number
    stem = file_name(f"{number:02d}_{name}", synthetic=synthetic)
    title = _title(fig) or name
    description = SYNTHETIC_CAPTION if synthetic else "smart-city news coverage, Sejong and Daejeon"
    had_caption = getattr(fig, _CAPTION, None) is not None
    caption = mark_synthetic(fig) if synthetic and not had_caption else None
    written = [folder / f"{stem}.png", folder / f"{stem}.svg"]
    try:
        # A fixed salt: the SVG's element ids, and so its bytes, are the same on every run.
        with mpl.rc_context({"svg.hashsalt": "smartcity-news", "svg.fonttype": "path"}):
            fig.savefig(written[0], dpi=PNG_DPI, bbox_inches="tight",
                        metadata={"Title": title, "Description": description})
            fig.savefig(written[1], bbox_inches="tight",
                        metadata={"Title": title, "Description": description, "Date": None})
    finally:
        if caption is not None:
            caption.remove()
            setattr(fig, _CAPTION, None)
    if data is not None:
        table = folder / f"{stem}.csv"
        named_index = not isinstance(data.index, pd.RangeIndex) or data.index.name is not None
        data.to_csv(table, index=named_index, encoding="utf-8-sig")
        written.append(table)
    return written


def start_folder(folder: Path) -> None:
    """Empty ``folder`` of the files an earlier run exported there (nothing else), and number
    this run's figures from 01."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and path.suffix in SUFFIXES:
                path.unlink()
    _written.pop(folder, None)


def gallery_sections(root: Path) -> str | None:
    """The figures exported under ``root`` as HTML, one ``<h2>`` section per notebook folder,
    each picture with links to its SVG and CSV, or None when there are none. Paths are
    relative to ``root``: a page there opens offline wherever the folder is copied
    (:func:`lib.present.report.write_gallery` makes the page)."""
    sections = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        items = []
        for png in sorted(folder.glob("*.png")):
            links = " · ".join(
                f'<a href="{html.escape(f"{folder.name}/{png.stem}{s}")}">{s[1:].upper()}</a>'
                for s in SUFFIXES if png.with_suffix(s).exists())
            src = html.escape(f"{folder.name}/{png.name}")
            items.append(f'<figure class="sc-figure"><img src="{src}" '
                         f'alt="{html.escape(png.stem)}" loading="lazy"><figcaption>'
                         f"<code>{html.escape(png.stem)}</code> · {links}</figcaption></figure>")
        if items:
            sections.append(f"<h2>{html.escape(folder.name)}</h2>\n" + "\n".join(items))
    return "\n".join(sections) if sections else None


def _title(fig: Figure) -> str:
    """The figure's title: its suptitle, else its first axes' title."""
    if fig.get_suptitle():
        return fig.get_suptitle()
    for ax in fig.axes:
        for loc in ("center", "left"):
            if ax.get_title(loc):
                return ax.get_title(loc)
    return ""
