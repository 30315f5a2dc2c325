"""``python -m lib.present.report``: run the notebooks on a corpus and write offline HTML reports.

For each ``notebooks/NN_*.ipynb`` (in order) the notebook is executed in a fresh kernel of the
current interpreter with ``CORPUS`` set, converted to ``NN_*.html``, and listed in ``index.html``
with the question it answers. The index opens with the findings paragraph and the main chart
(the outputs of the notebook cells tagged ``sc-findings`` and ``sc-main-chart``) and says whether
the corpus is the bundled synthetic sample. The sample's pages go to ``reports/``; another
corpus's to ``reports/<corpus name>/`` (``lib.paths.report_dir_for``), so they never overwrite each other.
Notebooks write their downloads (CSV of the articles behind every point) to ``$REPORT_DIR``,
the same folder, and every chart as PNG, SVG and CSV to ``$FIGURES_DIR``,
``figures/<notebook>/`` there (:mod:`lib.present.export`), shown by ``figures/index.html``.
The pages work with no network and no fonts installed:

- nothing is fetched: JupyterLab's require.js, MathJax and mermaid CDN scripts are left out
  of the template, and ``find_remote_references`` checks the result before it is written;
- NanumGothic (from koreanize-matplotlib) is embedded as a base64 ``@font-face``, subset to
  the characters the page uses; so are DejaVu Sans and DejaVu Sans Mono (from matplotlib),
  subset to Latin characters, for numbers in tables and for code and printed output: their
  period is unmistakable (NanumGothic's reads as a comma at 12 px), Hangul falls through to
  NanumGothic;
- each notebook page opens with a table of contents of its ``##`` headings and links to the
  overview (``index.html``) and to the previous and next report written in the folder
  (:func:`set_pager`); tables of numbers scroll sideways inside their output box, their cells
  classed by content (:func:`annotate_tables`);
- charts are PNG data URIs (nbconvert inlines image outputs);
- code cells are hidden unless ``SHOW_CODE=1``;
- every page ends with a footer naming the corpus (a fingerprint of its files' contents, and
  counts), the settings, the code (commit and taggers' fingerprint), the versions of Python and
  of the packages the numbers depend on, and the generation time; ``.report.json`` in the
  folder keeps the same for each run.

Exit status is non-zero, with a message naming the notebook and the error, when a notebook
fails.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import importlib.metadata
import io
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import nbformat
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

import lib
from lib import paths
from lib.corpus import CorpusError, load_corpus
from lib.present import codebook, export
from lib.present.pickers import STATIC_ENV
from lib.present.plots import korean_font_file

SHOW_CODE_ENV = "SHOW_CODE"
FONT_FACE_NAME = "SC Nanum Gothic"
#: Latin faces (matplotlib's DejaVu fonts, subset) for numbers, ids and code: a clear period.
LATIN_FACE_NAME = "SC DejaVu Sans"
LATIN_MONO_FACE_NAME = "SC DejaVu Sans Mono"
#: Characters the Latin faces carry (when the page uses them): ASCII, Latin-1, punctuation such
#: as dashes, quotes, arrows, minus, ≤ ≥ and the check marks. Never Hangul.
_LATIN_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203A),
                 (0x2190, 0x2193), (0x2212, 0x2212), (0x2264, 0x2265), (0x2713, 0x2717))
#: Where the template puts the page's table of contents, and the regions (top and bottom of a
#: notebook page) holding the links to the overview and the neighbouring reports.
NAV_MARKER = "<!--SC-NAV-->"
_PAGER_REGION = re.compile(r"<!--SC-PAGER-->.*?<!--/SC-PAGER-->", re.S)
OVERVIEW_FILE = "index.html"
TEMPLATE_FILE = "report.html.j2"
CSS_FILE = "report.css"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[\w-]+\.ipynb$")
#: The environment variable telling a notebook where the report (and its downloads) is written.
REPORT_DIR_ENV = "REPORT_DIR"
#: Cell tags whose outputs the index page shows first: the findings and the main chart, then
#: the charts tagged ``sc-index-chart`` (the city difference with its interval).
FINDINGS_TAG = "sc-findings"
MAIN_CHART_TAG = "sc-main-chart"
INDEX_CHART_TAG = "sc-index-chart"
#: Cells a report folds under one line (the settings a notebook opens with: what the reader of
#: a report needs only when rerunning it) and cells it leaves out (widgets with no kernel).
SETUP_TAG = "sc-setup"
LIVE_ONLY_TAG = "sc-live-only"
SETUP_SUMMARY = ("설정: 코퍼스, 기간 단위, 옵션 (settings: corpus, period length, options; "
                 "click to open)")
CELLS_END = "<!--SC-CELLS-END-->"
_MARKDOWN_BLOCK = re.compile(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"')
_CELL_START = re.compile(r'<div class="jp-Cell jp-(?:Markdown|Code|Raw)Cell\b[^"]*"')
#: Files next to the pages that the index links to as downloads.
DOWNLOAD_SUFFIXES = (".csv",)
#: The folder beside the pages holding every chart as files, one folder per notebook, and
#: the page showing them (:func:`lib.present.export.gallery_html`).
FIGURES_DIR_NAME = "figures"
GALLERY_FILE = "index.html"
#: What each run wrote in a report folder, per notebook (page, title, downloads, highlights),
#: so that a run of some notebooks keeps the others' pages on the index (:func:`build_reports`).
MANIFEST_FILE = ".report.json"

# Anything a browser would fetch: src= on any element, href= on <link>, CSS url()/@import,
# and JavaScript module imports. Plain <a href> links are not fetched and are allowed.
_REMOTE_PATTERNS = (
    re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", re.IGNORECASE),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?\s*(?:https?:)?//[^)"']*""", re.IGNORECASE),
    re.compile(r"""@import\s+["']?\s*(?:url\()?\s*["']?(?:https?:)?//[^;]*""", re.IGNORECASE),
    re.compile(r"""\bimport\s*\(\s*["'](?:https?:)?//[^"']*""", re.IGNORECASE),
)


class ReportError(RuntimeError):
    """A notebook failed to run or its page could not be written offline."""


@dataclass(frozen=True)
class ReportEntry:
    """One written report page, as listed on the landing page."""

    notebook: str
    html_file: str
    title: str
    question: str
    seconds: float
    #: When the page was written by an earlier run (``YYYY-MM-DD HH:MM``, local time), for a
    #: page the latest run did not remake; empty for this run's pages.
    earlier: str = ""


def find_notebooks(names: Sequence[str] = ()) -> list[Path]:
    """The numbered notebooks to run (``NN_name.ipynb`` in ``notebooks/``), in order.

    ``names`` restricts the run (``01_corpus_overview`` or ``01_corpus_overview.ipynb``).
    """
    found = sorted(p for p in paths.NOTEBOOKS_DIR.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not names:
        return found
    wanted = {n if n.endswith(".ipynb") else f"{n}.ipynb" for n in names}
    missing = wanted - {p.name for p in found}
    if missing:
        raise ReportError(f"no such notebook in {paths.display_path(paths.NOTEBOOKS_DIR)}: "
                          f"{', '.join(sorted(missing))}")
    return [p for p in found if p.name in wanted]


def notebook_title_and_question(nb: nbformat.NotebookNode) -> tuple[str, str]:
    """The first markdown cell's ``# heading`` and its ``**Question:** …`` line."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        title, question = "", ""
        for line in cell.source.splitlines():
            stripped = line.strip()
            if not title and stripped.startswith("# "):
                title = stripped[2:].strip()
            match = re.match(r"\*\*(?:Question|질문)\s*[:：]?\s*\*\*\s*[:：]?\s*(.+)", stripped)
            if match and not question:
                question = match.group(1).strip()
        return title, question
    return "", ""


def run_notebook(path: Path, *, corpus: Path, timeout: int = 900,
                 report_dir: Path | None = None) -> nbformat.NotebookNode:
    """Execute ``path`` in a new kernel of this interpreter with ``CORPUS=corpus``,
    ``NOTEBOOK_STATIC=1`` (pickers draw their default view) and, when ``report_dir`` is given,
    ``REPORT_DIR=report_dir`` (where the notebook writes its downloads) and
    ``FIGURES_DIR=report_dir/figures/<notebook>`` (where its charts are written as files:
    :mod:`lib.present.export`; emptied of an earlier run's first).

    The kernel is ipykernel's built-in spec, which starts ``sys.executable``: the report runs
    in the same environment as the command, whatever kernels are registered elsewhere.
    Raises ``ReportError`` naming the notebook and the failing cell.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        record_timing=False,  # no per-cell timestamps: committed notebooks stay diff-clean
        # The kernel talks to this process over loopback only; its warning about unencrypted
        # TCP is noise in every report run. Cell errors still arrive as outputs.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    )
    # STATIC_ENV: pickers draw their default view (a report has no live kernel for a widget)
    settings = {paths.CORPUS_ENV: str(corpus), STATIC_ENV: "1"}
    if report_dir is not None:
        settings[REPORT_DIR_ENV] = str(report_dir)
        figures = report_dir / FIGURES_DIR_NAME / path.stem
        export.start_folder(figures)
        settings[export.FIGURES_ENV] = str(figures)
    previous = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        raise ReportError(f"{paths.display_path(path)} failed:\n{_short_error(err)}") from err
    except RuntimeError as err:  # jupyter_client: the kernel did not start or answer
        raise ReportError(f"{paths.display_path(path)}: kernel problem: {err}") from err
    finally:
        # nbclient leaves a kernel it did not create running: stop it here.
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return nb


def report_css() -> str:
    """The report stylesheet (``lib/resources/report.css``)."""
    return (paths.RESOURCES_DIR / CSS_FILE).read_text(encoding="utf-8")


def font_face_css(text: str) -> str:
    """``@font-face`` rules embedding NanumGothic (regular and bold) as base64 WOFF, and the
    Latin faces (:data:`LATIN_FACE_NAME`, :data:`LATIN_MONO_FACE_NAME`) as base64 TrueType.

    The fonts are subset to the characters of ``text`` plus printable ASCII, so a page
    carries a few hundred KB instead of the 4 MB full fonts; the Latin faces to the Latin
    characters among those (:data:`_LATIN_RANGES`), so Hangul always comes from NanumGothic.
    """
    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    rules = []
    for bold in (False, True):
        data = _subset_font(korean_font_file(bold=bold), chars)
        rules.append(_face_rule(FONT_FACE_NAME, bold, data, "font/woff", "woff"))
    latin = frozenset(ch for ch in chars if any(lo <= ord(ch) <= hi for lo, hi in _LATIN_RANGES))
    for family, path, bold in _latin_font_files():
        data = _latin_subset(path, latin)
        rules.append(_face_rule(family, bold, data, "font/ttf", "truetype"))
    return "\n".join(rules)


def _face_rule(family: str, bold: bool, data: bytes, mime: str, fmt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return ("@font-face {\n"
            f'  font-family: "{family}";\n'
            f"  font-weight: {'bold' if bold else 'normal'};\n"
            "  font-style: normal;\n"
            f'  src: url("data:{mime};base64,{encoded}") format("{fmt}");\n'
            "}")


def _latin_font_files() -> list[tuple[str, Path, bool]]:
    """(family, file, bold) of the DejaVu fonts matplotlib ships; none when they are missing
    (the stylesheet's font stacks then fall through to generic families)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    wanted = [(LATIN_FACE_NAME, "DejaVuSans.ttf", False),
              (LATIN_FACE_NAME, "DejaVuSans-Bold.ttf", True),
              (LATIN_MONO_FACE_NAME, "DejaVuSansMono.ttf", False)]
    return [(family, folder / name, bold) for family, name, bold in wanted
            if (folder / name).is_file()]


@functools.lru_cache(maxsize=16)
def _latin_subset(path: Path, chars: frozenset[str]) -> bytes:
    """A Latin face subset to ``chars`` as TrueType, made once per process and character set:
    the pages of a run mostly share their Latin characters."""
    return _subset_font(path, set(chars), flavor=None)


def _subset_font(path: Path, chars: set[str], *, flavor: str | None = "woff") -> bytes:
    options = ft_subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False  # screens render NanumGothic fine unhinted; halves the size
    # VTT source tables (TSI*) cannot be subset; they only matter for re-hinting in VTT.
    options.drop_tables = [*options.drop_tables, "TSI0", "TSI1", "TSI2", "TSI3", "TSI5",
                           "FFTM"]  # FontForge's timestamps (DejaVu): nothing to render
    font = TTFont(str(path))
    subsetter = ft_subset.Subsetter(options=options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = flavor
    font.save(buf)
    return buf.getvalue()


def embed_font(page: str) -> str:
    """Put the subset font in front of the page's stylesheet (marker ``/*SC-FONT-FACE*/``)."""
    marker = "/*SC-FONT-FACE*/"
    if marker not in page:
        raise ReportError("report template lost its font marker; cannot embed the Korean font")
    return page.replace(marker, font_face_css(_visible_text(page)), 1)


def find_remote_references(page: str) -> list[str]:
    """Everything in ``page`` a browser would fetch from the network (should be empty).

    Only markup is scanned: tags with their attributes, and the contents of ``<style>`` and
    ``<script>``. Text a reader sees (an article title that mentions ``src=//…``) is never a
    fetch, so it is never reported.
    """
    finder = _MarkupOnly()
    finder.feed(page)
    finder.close()
    hits: list[str] = []
    for piece in finder.pieces:
        for pattern in _REMOTE_PATTERNS:
            hits.extend(m.group(0) for m in pattern.finditer(piece))
    return hits


class _MarkupOnly(HTMLParser):
    """Collects a page's markup (start tags as written, style and script contents), not its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._raw_text = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.append(self.get_starttag_text() or "")
        if tag in {"style", "script"}:
            self._raw_text += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script"} and self._raw_text:
            self._raw_text -= 1

    def handle_data(self, data: str) -> None:
        if self._raw_text:
            self.pieces.append(data)


#: The environment variables that change what a report shows; the footer names those set, so
#: a page says how it was made (file settings by name, never a machine path).
REPORT_SETTINGS: tuple[str, ...] = ("FREQ", "TOPIC_FREQ", "TERM_FREQ", "MIN_N", "CORRECT",
                                    "LABELS", "EVENTS", paths.REGIONS_ENV, "CORPUS_COLUMNS",
                                    "CORPUS_ON_ERROR")
_FILE_SETTINGS = frozenset({"LABELS", "EVENTS", paths.REGIONS_ENV})


def report_settings() -> str:
    """The :data:`REPORT_SETTINGS` set in the environment, ``NAME=value`` joined by `` · ``
    (files shown as :func:`paths.display_path` shows them); ``"defaults"`` when none is set."""
    given = []
    for name in REPORT_SETTINGS:
        value = (os.environ.get(name) or "").strip()
        if value:
            shown = paths.display_path(paths.from_root(value)) if name in _FILE_SETTINGS else value
            given.append(f"{name}={shown}")
    return " · ".join(given) or "defaults"


#: The installed packages whose versions the footer names: those the numbers depend on.
VERSIONED_PACKAGES: tuple[str, ...] = ("kiwipiepy", "kiwipiepy_model", "pandas", "numpy", "scipy",
                                       "statsmodels", "scikit-learn", "matplotlib")


def code_revision(root: Path | None = None) -> str:
    """The commit the code was run from (``git rev-parse --short=12 HEAD``), with
    ``+ modified files`` when tracked files differ from it; ``not a git checkout`` when the
    project is not one (or git is missing). Cited beside the numbers, it names the code that
    made them: the package version alone does not change between commits."""
    import subprocess

    root = root or paths.ROOT
    if not (root / ".git").exists():
        return "not a git checkout"
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, timeout=20, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                  "--untracked-files=no"],
                                 capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"{head} + modified files" if changed.strip() else head


def software_versions() -> str:
    """``lib 0.1.0 (commit …) · taggers … · Python 3.11.9 · kiwipiepy 0.24.1 · …``: what the
    numbers of a report depend on besides the corpus and the settings. ``taggers`` is the first
    12 characters of :func:`lib.tagging.stage.tagger_fingerprint` (the taggers' code, lexicon,
    rules and model files)."""
    from lib.tagging.stage import tagger_fingerprint

    python = ".".join(str(v) for v in sys.version_info[:3])
    packages = " · ".join(f"{name} {_version(name)}" for name in VERSIONED_PACKAGES)
    return (f"lib {lib.__version__} (commit {code_revision()}) · taggers "
            f"{tagger_fingerprint()[:12]} · Python {python} · {packages}")


def footer_info(corpus: Path) -> dict[str, str]:
    """What every report page's footer says about the corpus, the settings and the software.

    Loads the corpus to compute its fingerprint (sha256 over the files' contents, whatever
    their names: :meth:`lib.corpus.Corpus.content_fingerprint`) and the counts read / loaded /
    rejected / duplicates; the versions are :func:`software_versions`.
    """
    loaded = load_corpus(corpus, progress=False, cache=True)
    counts = loaded.counts()
    info = {
        "corpus": paths.display_path(corpus),
        "fingerprint": loaded.content_fingerprint(),
        "articles": (
            f"읽은 레코드 {counts['read']:,} · 불러온 기사 {counts['loaded']:,} · "
            f"제외된 레코드 {counts['rejected']:,} · 중복 {counts['duplicates']:,}"
        ),
        "settings": report_settings(),
        "versions": software_versions(),
        "generated": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    if paths.is_sample(corpus):
        info["sample"] = "synthetic sample (합성 표본 코퍼스: 실제 기사가 아님)"
    return info


def footer_html(info: dict[str, str]) -> str:
    """The footer as escaped HTML: a definition list of ``footer_info``."""
    labels = {
        "sample": "corpus kind",
        "corpus": "corpus",
        "fingerprint": "corpus fingerprint (sha256 of the files' contents)",
        "articles": "articles",
        "settings": "settings",
        "versions": "versions",
        "generated": "generated",
    }
    rows = []
    for key, label in labels.items():
        if key in info:
            cls = ' class="sc-sample"' if key == "sample" else ""
            rows.append(f"<dt>{html.escape(label)}</dt><dd{cls}>{html.escape(info[key])}</dd>")
    return "<dl>" + "".join(rows) + "</dl>"


def notebook_to_html(
    nb: nbformat.NotebookNode, *, title: str, footer: str, show_code: bool = False
) -> str:
    """An executed notebook as one offline HTML page (see the module docstring)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(paths.RESOURCES_DIR)],
        template_file=TEMPLATE_FILE,
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    resources = {
        "metadata": {"name": title},
        "sc_css": "/*SC-FONT-FACE*/\n" + report_css(),
        "sc_footer": footer,
    }
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = title
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    if NAV_MARKER not in page:
        raise ReportError("report template lost its navigation marker")
    page = page.replace(NAV_MARKER, contents_html(page_contents(page)), 1)
    return _finish(annotate_tables(fold_cells(label_images(page))))


#: The alt text nbconvert gives every chart.
_NO_ALT = 'alt="No description has been provided for this image"'
_HEADING_OR_IMAGE = re.compile(r"<h[23]\b[^>]*>(.*?)</h[23]>|" + re.escape(_NO_ALT), re.S)


def label_images(page: str) -> str:
    """``page`` with each chart's alt text naming the section it is drawn in (``Chart:`` and
    the nearest heading above it) instead of nbconvert's "No description has been provided
    for this image", so that a screen reader says what the picture is of. (The page's fonts
    hold only the Hangul of its visible text, which the headings are.)"""
    out, last, heading = [], 0, ""
    for match in _HEADING_OR_IMAGE.finditer(page):
        if match.group(1) is not None:
            heading = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip().rstrip("¶")
            continue
        alt = f"Chart: {heading.strip()}" if heading.strip() else "Chart"
        out.append(page[last:match.start()] + f'alt="{html.escape(alt)}"')
        last = match.end()
    return "".join(out) + page[last:]


def fold_cells(page: str) -> str:
    """``page`` with each run of cells tagged :data:`SETUP_TAG` folded into one
    ``<details>`` (closed, under :data:`SETUP_SUMMARY`) and the cells tagged
    :data:`LIVE_ONLY_TAG` left out: a report opens with its question and findings, and the
    settings stay one click away. The cells are siblings, so a run of them is cut at the start
    of the next cell."""
    starts = [(m.start(), m.group(0)) for m in _CELL_START.finditer(page)]
    bounds = [*(start for start, _ in starts[1:]), _cells_end(page, starts)]
    out, last, run_start = [], 0, None
    for (start, opening), end in zip(starts, bounds, strict=True):
        tags = _cell_tags(opening, page, start, end)
        tagged_setup = SETUP_TAG in tags
        if run_start is not None and not tagged_setup:
            out.append(page[last:run_start] + f'<details class="sc-setup"><summary>'
                       f"{html.escape(SETUP_SUMMARY)}</summary>" + page[run_start:start]
                       + "</details>\n")
            last, run_start = start, None
        if tagged_setup and run_start is None:
            run_start = start
        if LIVE_ONLY_TAG in tags:
            out.append(page[last:start])
            last = end
    if run_start is not None:
        raise ReportError(f"cells tagged {SETUP_TAG} end the notebook: nothing left to show")
    return "".join(out) + page[last:]


def _cell_tags(opening: str, page: str, start: int, end: int) -> set[str]:
    """The tags of the cell at ``page[start:end]``: a code cell's div carries them as
    ``celltag_<tag>`` classes, a markdown cell's rendered block inside it does."""
    classes = opening
    rendered = _MARKDOWN_BLOCK.search(page, start, end)
    if "jp-MarkdownCell" in opening and rendered is not None:
        classes = rendered.group(0)
    return set(re.findall(r"\bcelltag_(\S+?)(?=[\s\"])", classes))


def _cells_end(page: str, starts: list[tuple[int, str]]) -> int:
    """Where the last cell of ``page`` ends: at the template's :data:`CELLS_END` marker."""
    end = page.find(CELLS_END, starts[-1][0] if starts else 0)
    if end < 0:
        raise ReportError("report template lost its end-of-cells marker")
    return end


def page_contents(page: str) -> list[tuple[str, str]]:
    """The page's ``<h2>`` headings that have an id, as (link, heading text): the link is the
    heading's own anchor (``#id``, as nbconvert wrote it), the text without the ``¶``."""
    contents = []
    for match in re.finditer(r"<h2\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h2>", page, re.S):
        anchor = re.search(r'<a class="anchor-link" href="(#[^"]+)"', match.group(2))
        href = html.unescape(anchor.group(1)) if anchor else "#" + html.unescape(match.group(1))
        text = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip().rstrip("¶").strip()
        if text:
            contents.append((href, text))
    return contents


def contents_html(contents: Sequence[tuple[str, str]]) -> str:
    """The navigation box of a notebook page: the pager region (filled in by
    :func:`set_pager`) and the table of contents, a list of links to ``contents``."""
    items = "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>'
                    for href, text in contents)
    toc = (f'<p class="sc-nav-title">목차 (contents)</p><ol class="sc-toc">{items}</ol>'
           if items else "")
    return (f'<nav class="sc-nav" id="sc-contents" aria-label="목차 (contents)">'
            f'<div class="sc-pager"><!--SC-PAGER--><!--/SC-PAGER--></div>{toc}</nav>')


def set_pager(page: str, *, current: str, pages: Sequence[tuple[str, str]],
              overview: bool = True) -> str:
    """Fill the page's pager regions: a link to the overview (``index.html``, when
    ``overview``) and to the reports before and after ``current`` in ``pages`` ((file, title) in
    notebook order; only pages that exist belong there). A page without the regions (written
    by an older version) is returned unchanged."""
    files = [name for name, _ in pages]
    links = []
    if overview:
        links.append(f'<a class="sc-nav-index" href="{OVERVIEW_FILE}">한눈에 보기 (overview)</a>')
    if current in files:
        at = files.index(current)
        if at > 0:
            links.append(_pager_link(*pages[at - 1], "prev", "← {}"))
        if at + 1 < len(pages):
            links.append(_pager_link(*pages[at + 1], "next", "{} →"))
    region = "<!--SC-PAGER-->" + "".join(links) + "<!--/SC-PAGER-->"
    return _PAGER_REGION.sub(lambda _m: region, page)


def _short_title(html_file: str, title: str) -> str:
    """A report's title before its colon (``02 · 도시별 주제 추이 (Topic trends per city)``), else its file."""
    return title.split(":")[0].strip() or html_file


def _pager_link(html_file: str, title: str, rel: str, label: str) -> str:
    short = _short_title(html_file, title)
    return (f'<a class="sc-nav-{rel}" rel="{rel}" href="{html.escape(html_file)}" '
            f'title="{html.escape(title)}">{html.escape(label.format(short))}</a>')


# pandas' DataFrame HTML: <table border="1" class="dataframe"> (what _repr_html_ writes).
_DATAFRAME_TABLE = re.compile(r'<table border="1" class="dataframe">.*?</table>', re.S)
_NUMBER = re.compile(r"[+\-−]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[+\-]?\d+)?%?p?")
_NUMBERISH = re.compile(r"<?[\d\s.,%\[\]()–\-−+/×p]*\d[\d\s.,%\[\]()–\-−+/×p]*")
_DATE = re.compile(r"\d{4}-\d\d(?:-\d\d)?(?:[ T]\d\d:\d\d(?::\d\d)?)?")
#: Columns of a keyword-in-context table: the text before the match, the match, the text after
#: (as ``lib.analysis.kwic`` names them, and as ``lib.present.tables.readable`` heads them).
KWIC_COLUMNS = {"left": "sc-kwic-left", "match": "sc-kwic-match", "right": "sc-kwic-right"}
KWIC_HEADERS = ({"left": "left", "match": "match", "right": "right"},
                {"앞 문맥": "left", "찾은 단어": "match", "뒤 문맥": "right"})


def annotate_tables(page: str) -> str:
    """Class the cells of pandas tables by what they hold, for the stylesheet: ``sc-num``
    (numbers, percentages, intervals: right-aligned in the Latin face, never wrapped),
    ``sc-nowrap`` (dates, ids, short words), ``sc-url``, ``sc-text`` (sentences: a minimum
    width, wrapped between words) and, in a keyword-in-context table (columns ``left``,
    ``match``, ``right``), ``sc-kwic-left`` / ``-match`` / ``-right``. A table with such
    columns gets the class ``sc-kwic``."""
    return _DATAFRAME_TABLE.sub(lambda m: _annotate_table(m.group(0)), page)


def _annotate_table(table: str) -> str:
    head_end = table.find("</thead>")
    head, body = (table[:head_end], table[head_end:]) if head_end >= 0 else ("", table)
    first_row = re.search(r"<tr[^>]*>(.*?)</tr>", head, re.S)
    names: list[str] = []
    if first_row and "colspan" not in head:
        names = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                 for cell in re.findall(r"<th[^>]*>(.*?)</th>", first_row.group(1), re.S)]
    kwic = next((headers for headers in KWIC_HEADERS if set(headers) <= set(names)), {})

    def cells_of(row: str) -> list[str]:
        return re.findall(r"<td>(.*?)</td>", row, re.S)

    def columns_of(cells: list[str]) -> list[str]:
        return names[-len(cells):] if cells and len(names) >= len(cells) else [""] * len(cells)

    # Cells line up from the right (row headings are <th>): classify each, then read a column
    # with fewer numbers than other values as text, aligned left whatever its cells' length.
    classes = []
    for row in re.findall(r"<tr>.*?</tr>", body, re.S):
        cells = cells_of(row)
        classes.append([_cell_class(_cell_text(inner), column, kwic)
                        for inner, column in zip(cells, columns_of(cells))])
    votes: dict[int, list[int]] = {}
    for row_classes in classes:
        for back, cls in enumerate(reversed(row_classes)):
            tally = votes.setdefault(back, [0, 0])
            tally[0] += cls == "sc-num"
            tally[1] += bool(cls) and cls != "sc-num"
    text_columns = {back for back, (numbers, others) in votes.items() if others > numbers}
    for row_classes in classes:
        for i, cls in enumerate(row_classes):
            if len(row_classes) - 1 - i in text_columns and cls in ("sc-nowrap", ""):
                row_classes[i] = f"{cls} sc-left".strip()

    rows = iter(classes)

    def classed(match: re.Match) -> str:
        cells = iter(next(rows))
        return re.sub(r"<td>(.*?)</td>", lambda c: _td(c.group(1), next(cells)), match.group(0),
                      flags=re.S)

    body = re.sub(r"<tr>.*?</tr>", classed, body, flags=re.S)
    if first_row and names:
        # The headings over columns read as their cells do: row headings and words from the
        # left (pandas sets the whole header row to the right).
        n_cells = max((len(c) for c in classes), default=0)
        heads = re.findall(r"<th[^>]*>.*?</th>", first_row.group(1), re.S)
        left = {j for j in range(len(heads)) if j < len(heads) - n_cells
                or (len(heads) - 1 - j in text_columns and names[j] not in kwic)}
        it = iter(range(len(heads)))
        row_html = re.sub(r"<th([^>]*)>", lambda m: (f'<th{m.group(1)} style="text-align: left;">'
                                                     if next(it) in left else m.group(0)),
                          first_row.group(1))
        head = head.replace(first_row.group(1), row_html, 1)
    if kwic:
        head = head.replace('class="dataframe"', 'class="dataframe sc-kwic"', 1)
    return head + body


def _td(inner: str, cls: str) -> str:
    """A table cell holding ``inner``, with ``cls`` as its class when there is one."""
    return f'<td class="{cls}">{inner}</td>' if cls else f"<td>{inner}</td>"


def _cell_text(inner: str) -> str:
    """A table cell's text: its HTML without tags, unescaped, stripped."""
    return html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()


def _cell_class(text: str, column: str, kwic: dict[str, str]) -> str:
    """The class of a cell of ``column`` holding ``text``; ``kwic``: the header -> KWIC part of
    a keyword-in-context table (empty for another table)."""
    if column in kwic:
        return KWIC_COLUMNS[kwic[column]]
    if not text:
        return ""
    if _DATE.fullmatch(text):
        return "sc-nowrap"
    digits = sum(ch.isdigit() for ch in text)
    if (_NUMBER.fullmatch(text) or _NUMBERISH.fullmatch(text)) and digits <= 15 and len(text) <= 40:
        return "sc-num"  # more digits than a float shows: an id (BigKinds' 01500401.2018…)
    if re.match(r"https?://", text):
        return "sc-url"
    if len(text) <= 14 or (not re.search(r"\s", text) and len(text) <= 40):
        return "sc-nowrap"
    return "sc-text"


@dataclass(frozen=True)
class Highlights:
    """What the index page shows first: the findings (HTML the notebook rendered, already
    escaped) and the main chart (base64 PNG), each with the report page it comes from."""

    findings_html: str = ""
    chart_png: str = ""
    source: str = ""
    #: Further charts shown under the main one (base64 PNGs of cells tagged ``sc-index-chart``).
    more_png: list[str] = dataclasses.field(default_factory=list)


def notebook_highlights(nb: nbformat.NotebookNode, *, html_file: str = "") -> Highlights:
    """The outputs of the cells tagged ``sc-findings`` (first ``text/html``),
    ``sc-main-chart`` (first ``image/png``) and ``sc-index-chart`` (the first ``image/png`` of
    each) of an executed notebook; empty when untagged."""
    findings, chart, more = "", "", []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        pictures = ["".join(o.get("data", {})["image/png"]).strip()
                    for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if FINDINGS_TAG in tags and not findings and "text/html" in data:
                findings = "".join(data["text/html"])
        if MAIN_CHART_TAG in tags and not chart and pictures:
            chart = pictures[0]
        if INDEX_CHART_TAG in tags and pictures:
            more.append(pictures[0])
    return Highlights(findings, chart, html_file if (findings or chart) else "", more)


#: The narrowest an index chart is drawn (CSS px): in a narrower window it scrolls sideways
#: rather than shrink its panel titles and tick labels below reading size.
INDEX_CHART_MIN_WIDTH = 1000


def _index_chart(png: str, cls: str, alt: str) -> str:
    """An index chart (base64 PNG) that fits the page, but in a narrow window keeps its own
    width up to :data:`INDEX_CHART_MIN_WIDTH` and scrolls sideways instead of shrinking."""
    head = base64.b64decode(png[:44])  # a PNG's width: bytes 16-19 of its IHDR chunk
    width = int.from_bytes(head[16:20], "big") if head[:8] == b"\x89PNG\r\n\x1a\n" else 0
    least = f" min-width: {min(width, INDEX_CHART_MIN_WIDTH)}px;" if width else ""
    return (f'<p class="sc-chart-scroll" style="overflow-x: auto;"><img class="{cls}" '
            f'alt="{html.escape(alt)}" style="max-width: 100%;{least} height: auto;" '
            f'src="data:image/png;base64,{png}"></p>')


def index_html(
    entries: Sequence[ReportEntry],
    *,
    footer: str,
    highlights: Highlights | None = None,
    corpus: str = "",
    is_sample: bool | None = None,
    downloads: Sequence[str] = (),
    gallery: str = "",
) -> str:
    """The landing page: which corpus this is (the synthetic sample or the user's own), the
    findings and the main chart when a notebook provides them, then each report with its title
    and the question it answers, the downloads written beside the pages and ``gallery``, the
    page of every chart as files (relative path; none when empty)."""
    items = "\n".join(
        f'<li><a href="{html.escape(e.html_file)}"><strong>{html.escape(e.title)}</strong></a>'
        + (f' <span class="sc-earlier">(이전 실행 / earlier run, {html.escape(e.earlier)})</span>'
           if e.earlier else "")
        + f'<br><span class="sc-question">{html.escape(e.question)}</span></li>'
        for e in entries
    )
    kind = ""
    if is_sample is not None:
        what = ("합성 표본 코퍼스 (synthetic sample: invented articles for demonstration, not real "
                "news)" if is_sample else "사용자 코퍼스 (your own corpus)")
        cls = ' class="sc-sample"' if is_sample else ""
        kind = (f'<p class="sc-corpus">코퍼스 (corpus): <code>{html.escape(corpus)}</code> · '
                f"<span{cls}>{html.escape(what)}</span></p>")
    top = ""
    if highlights is not None and (highlights.findings_html or highlights.chart_png):
        link = (f' <a href="{html.escape(highlights.source)}">(전체 보고서 / full report)</a>'
                if highlights.source else "")
        chart = (_index_chart(highlights.chart_png, "sc-main-chart",
                              "주제별 보도 비중의 변화 (main chart)")
                 if highlights.chart_png else "")
        chart += "".join(_index_chart(png, "sc-index-chart", "도시 간 차이 (difference chart)")
                         for png in highlights.more_png)
        top = f"<section class=\"sc-highlights\"><h2>한눈에 보기 (at a glance){link}</h2>" \
              f"{highlights.findings_html}{chart}</section>"
    files = ""
    if downloads:
        links = "".join(f'<li><a href="{html.escape(name)}">{html.escape(name)}</a></li>'
                        for name in downloads)
        files = f"<h2>내려받기 (downloads)</h2><ul class=\"sc-downloads\">{links}</ul>"
    if gallery:
        files += (f'<p class="sc-figures"><a href="{html.escape(gallery)}">그림과 표 (figures and '
                  "tables)</a>: 모든 그림의 PNG·SVG와 그 그림을 그린 표의 CSV (every chart as "
                  "PNG and SVG, with the table it was drawn from as CSV)</p>")
    # The reports are listed under the findings, which run long: a line of links above them.
    jump = " ".join(f'<a href="{html.escape(e.html_file)}" title="{html.escape(e.title)}">'
                    f'{html.escape(_short_title(e.html_file, e.title))}</a>'
                    for e in entries)
    jump = (f'<nav class="sc-nav sc-index-nav" aria-label="보고서 (reports)"><strong>보고서 '
            f"(reports):</strong> {jump}</nav>" if entries else "")
    return _standalone_page("스마트시티 보도 분석: 세종과 대전", f"""
<p>세종과 대전의 스마트시티 사업을 한국 언론이 주제별로, 기간에 따라 어떻게 보도했는지 보여 줍니다.
아래 보고서는 저마다 질문 하나에 답합니다. (Korean news coverage of smart-city work in Sejong and
Daejeon, topic by topic, over time. Each report below answers one question.)</p>
{kind}
{jump}
{top}
<h2>보고서 (reports)</h2>
<ul class="sc-index">
{items}
</ul>
{files}
<footer class="sc-footer">
{footer}
</footer>""")


def _standalone_page(title: str, body: str) -> str:
    """A page of the report's own (the index, the figures' page) around ``body``: the report
    style, the ``title`` as heading, the Korean font embedded, checked to fetch nothing."""
    page = f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<style type="text/css">
/*SC-FONT-FACE*/
{report_css()}
</style>
</head>
<body>
<main>
<h1>{html.escape(title)}</h1>
{body}
</main>
</body>
</html>
"""
    return _finish(page)


def build_reports(
    corpus: str | os.PathLike[str] | None = None,
    *,
    notebooks: Sequence[str] = (),
    output_dir: Path | None = None,
    show_code: bool | None = None,
    timeout: int = 900,
    log: object = print,
) -> list[Path]:
    """Run the notebooks on ``corpus`` and write their pages and ``index.html``.

    ``corpus`` defaults to ``CORPUS`` / the bundled sample (``lib.paths.resolve_corpus``);
    ``show_code`` to the ``SHOW_CODE`` environment variable. Returns the written paths
    (index last). Raises ``ReportError`` when a notebook fails.

    With ``notebooks`` some of them, the index still lists the pages an earlier run wrote in
    the folder for the same corpus, marked with when they were written (:data:`MANIFEST_FILE`
    records each run). Its downloads are the files the listed notebooks wrote, not whatever
    else lies in the folder.
    """
    corpus_path = paths.resolve_corpus(corpus)
    if not corpus_path.exists():
        raise ReportError(f"corpus not found: {paths.display_path(corpus_path)} "
                          f"(set {paths.CORPUS_ENV} to a folder or file)")
    out_dir = output_dir or paths.report_dir_for(corpus_path)
    show = _env_flag(SHOW_CODE_ENV) if show_code is None else show_code
    selected = find_notebooks(notebooks)
    if not selected:
        raise ReportError(f"no notebooks to run in {paths.display_path(paths.NOTEBOOKS_DIR)}")
    log(f"corpus: {paths.display_path(corpus_path)}")
    about = footer_info(corpus_path)
    footer = footer_html(about)
    settings = report_settings()
    out_dir.mkdir(parents=True, exist_ok=True)
    shown_corpus = paths.display_path(corpus_path)
    key = corpus_key(corpus_path)
    manifest = _read_manifest(out_dir, shown_corpus, key, log=log)
    order = [p.stem for p in find_notebooks()]
    # The pages a page may link to as previous / next: those in the folder (an earlier run's,
    # listed in the manifest) and this run's as they are written; settled once the run is done.
    present = {stem: (item["entry"]["html_file"], item["entry"]["title"])
               for stem, item in manifest.items()
               if (out_dir / item["entry"]["html_file"]).is_file()}
    written: list[Path] = []
    for i, nb_path in enumerate(selected, 1):
        log(f"[{i}/{len(selected)}] running {paths.display_path(nb_path)} ...")
        start = time.perf_counter()
        before = _downloads_in(out_dir)
        nb = run_notebook(nb_path, corpus=corpus_path, timeout=timeout, report_dir=out_dir)
        title, question = notebook_title_and_question(nb)
        title = title or nb_path.stem
        page = notebook_to_html(nb, title=title, footer=footer, show_code=show)
        target = out_dir / f"{nb_path.stem}.html"
        present[nb_path.stem] = (target.name, title)
        page = set_pager(page, current=target.name,
                         pages=[present[stem] for stem in order if stem in present],
                         overview=(out_dir / OVERVIEW_FILE).is_file())
        _write_atomic(target, page)
        seconds = time.perf_counter() - start
        log(f"[{i}/{len(selected)}] wrote {paths.display_path(target)} "
            f"({len(page.encode('utf-8')) / 1e6:.1f} MB, {seconds:.1f} s)")
        after = _downloads_in(out_dir)
        manifest[nb_path.stem] = {
            "entry": dataclasses.asdict(ReportEntry(nb_path.name, target.name, title, question,
                                                    round(seconds, 1))),
            "written": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "settings": settings,
            "downloads": sorted(name for name, stamp in after.items() if before.get(name) != stamp),
            "highlights": dataclasses.asdict(notebook_highlights(nb, html_file=target.name)),
        }
        written.append(target)
    ran = {p.stem for p in selected}
    # Pages of notebooks not run this time stay listed, marked as an earlier run's, while their
    # page is there; a download is listed when a listed notebook wrote it, so a file left by an
    # older run (or put there by hand) is not offered as this corpus's.
    listed = [(stem, manifest[stem]) for stem in (p.stem for p in find_notebooks())
              if stem in manifest and (out_dir / manifest[stem]["entry"]["html_file"]).is_file()]
    entries = [ReportEntry(**{**item["entry"],
                              "earlier": "" if stem in ran else _earlier(item, settings)})
               for stem, item in listed]
    highlights = next((Highlights(**item["highlights"]) for _, item in listed
                       if item["highlights"]["source"]), Highlights())
    downloads = sorted({name for _, item in listed for name in item["downloads"]
                        if (out_dir / name).is_file()})
    _write_atomic(out_dir / MANIFEST_FILE, json.dumps(
        {"corpus": shown_corpus, "corpus_key": key,
         "provenance": {name: about[name] for name in ("fingerprint", "articles", "settings",
                                                       "versions", "generated") if name in about},
         "notebooks": dict(listed)},
        ensure_ascii=False, indent=1))
    index = out_dir / "index.html"
    sample = paths.is_sample(corpus_path)
    gallery = write_gallery(out_dir / FIGURES_DIR_NAME, synthetic=sample)
    if gallery is not None:
        log(f"wrote {paths.display_path(gallery)}")
    # The codebook describes the files the index offers: the downloads and the listed
    # notebooks' chart tables, not whatever else lies in the folder.
    offered = [out_dir / name for name in downloads] + [
        path for stem, _item in listed
        for path in (out_dir / FIGURES_DIR_NAME / stem).glob("*.csv")]
    book = codebook.write_codebook(out_dir, export.file_name(codebook.CODEBOOK_FILE,
                                                             synthetic=sample), offered)
    if book is not None:
        downloads.append(book.name)
    _write_atomic(index, index_html(entries, footer=footer, highlights=highlights,
                                    corpus=shown_corpus,
                                    is_sample=sample, downloads=downloads,
                                    gallery=gallery.relative_to(out_dir).as_posix() if gallery
                                    else ""))
    log(f"wrote {paths.display_path(index)}")
    written.append(index)
    _settle_pagers(out_dir, [(item["entry"]["html_file"], item["entry"]["title"])
                             for _, item in listed])
    return written


def _earlier(item: dict, settings: str) -> str:
    """How the index marks a page an earlier run wrote: when, and its settings when they are
    not this run's (a bundle may mix a yearly notebook 02 with half-yearly others)."""
    then = item.get("settings")
    if isinstance(then, str) and then != settings:
        return f"{item['written']}, settings {then}"
    return item["written"]


def _settle_pagers(out_dir: Path, pages: Sequence[tuple[str, str]]) -> None:
    """Point every listed page's previous / next links at the pages the index lists (all of
    them in the folder) and at the overview, rewriting a page only when its links change."""
    for html_file, _title in pages:
        target = out_dir / html_file
        page = target.read_text(encoding="utf-8")
        settled = set_pager(page, current=html_file, pages=pages, overview=True)
        if settled != page:
            _write_atomic(target, settled)


def corpus_key(corpus: Path) -> str:
    """A corpus's identity in :data:`MANIFEST_FILE`: a hash of its resolved path, which tells
    two folders of the same name apart (their shown names are alike outside the project)
    without writing the machine's path into the report folder."""
    return hashlib.sha256(str(Path(corpus).resolve()).encode("utf-8")).hexdigest()[:16]


def _read_manifest(out_dir: Path, corpus: str, key: str = "", *,
                   log: object = None) -> dict[str, dict]:
    """The notebooks an earlier run wrote in ``out_dir`` for ``corpus`` (:data:`MANIFEST_FILE`);
    empty when there is none, it is unreadable, or it was written for another corpus: another
    shown name, or another ``key`` (:func:`corpus_key`; none in a run before keys were kept)
    under the same name, which ``log`` is told of: this run's pages replace that corpus's."""
    try:
        stored = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
        if stored.get("corpus") != corpus:
            return {}
        if stored.get("corpus_key", "") not in ("", key):
            if log is not None:
                log(f"note: {paths.display_path(out_dir)} held the reports of another corpus "
                    f"also called {corpus}; this run's pages replace them (rename one folder "
                    "to keep both)")
            return {}
        notebooks = stored["notebooks"]
        for item in notebooks.values():
            # An entry of another shape (an older or edited file) raises here and is not used.
            ReportEntry(**item["entry"])
            Highlights(**item["highlights"])
            if not isinstance(item["written"], str) or not isinstance(item["downloads"], list):
                raise TypeError("written/downloads")
        return dict(notebooks)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def _downloads_in(folder: Path) -> dict[str, int]:
    """The download files in ``folder`` (:data:`DOWNLOAD_SUFFIXES`, not hidden) and when each
    was last written (ns)."""
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()
            if p.suffix in DOWNLOAD_SUFFIXES and not p.name.startswith(".") and p.is_file()}


def write_gallery(folder: Path, *, synthetic: bool = False) -> Path | None:
    """Write the page of the charts exported under ``folder`` (``index.html`` there; saying so
    when they are the ``synthetic`` sample's), or remove a stale one when there are none.
    Returns its path, or None."""
    target = folder / GALLERY_FILE
    sections = export.gallery_sections(folder)
    if sections is None:
        target.unlink(missing_ok=True)
        return None
    notice = (f'<p class="sc-sample">{html.escape(export.SYNTHETIC_CAPTION)}</p>' if synthetic
              else "")
    body = f"""<p>Every chart of the reports as PNG (200 dpi) and SVG, and the table it was drawn
from as CSV, numbered in the order each notebook draws them.</p>
{notice}
{sections}"""
    _write_atomic(target, _standalone_page("그림과 표 (figures and tables)", body))
    return target


#: The kernel `make setup` registers (name as in the Makefile's KERNEL).
PROJECT_KERNELSPEC = {
    "name": "smartcity-news",
    "display_name": "Python (smartcity-news)",
    "language": "python",
}


def refresh_notebooks(*, notebooks: Sequence[str] = (), timeout: int = 900,
                      log: object = print) -> list[Path]:
    """Re-execute the notebooks on the bundled sample and save them with their outputs.

    The committed notebooks carry the sample run's outputs, which nbval compares on every
    test run; after a change to the lexicon, the taggers or the sample, run this (``python -m
    lib.present.report --refresh-notebooks``) and commit the notebooks.
    """
    written = []
    for nb_path in find_notebooks(notebooks):
        log(f"refreshing {paths.display_path(nb_path)} "
            f"on {paths.display_path(paths.SAMPLE_DIR)} ...")
        nb = run_notebook(nb_path, corpus=paths.SAMPLE_DIR, timeout=timeout)
        # Opened in JupyterLab (`make lab`), the notebook asks for the project's kernel.
        nb.metadata["kernelspec"] = dict(PROJECT_KERNELSPEC)
        nbformat.validate(nb)
        tmp = nb_path.with_name(f".{nb_path.name}.tmp")
        nbformat.write(nb, tmp)
        tmp.replace(nb_path)
        log(f"wrote {paths.display_path(nb_path)} ({nb_path.stat().st_size / 1e6:.2f} MB)")
        written.append(nb_path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m lib.present.report [NOTEBOOK ...] [--corpus PATH] [--show-code]``."""
    parser = argparse.ArgumentParser(prog="python -m lib.present.report",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebook names to run (default: all)")
    parser.add_argument("--corpus", help=f"corpus folder or file (default: ${paths.CORPUS_ENV} "
                        "or the bundled sample)")
    parser.add_argument("--output-dir", type=Path, help="where to write (default: reports/ for "
                        "the sample, reports/<corpus name>/ for another corpus)")
    parser.add_argument("--show-code", action="store_true", default=None,
                        help=f"show code cells (default: ${SHOW_CODE_ENV}=1)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--refresh-notebooks", action="store_true",
                        help="re-run the notebooks on the sample and save their outputs in place "
                        "(what nbval compares); writes no HTML")
    args = parser.parse_args(argv)
    try:
        if args.refresh_notebooks:
            refresh_notebooks(notebooks=args.notebooks, timeout=args.timeout)
            return 0
        build_reports(args.corpus, notebooks=args.notebooks, output_dir=args.output_dir,
                      show_code=args.show_code, timeout=args.timeout)
    except ReportError as err:
        print(f"report failed: {err}", file=sys.stderr)
        return 1
    except CorpusError as err:
        print(f"report failed: cannot read the corpus: {err}", file=sys.stderr)
        return 1
    return 0


def _finish(page: str) -> str:
    """Embed the font and refuse a page that would fetch anything."""
    page = embed_font(page)
    remote = find_remote_references(page)
    if remote:
        raise ReportError("report page would load from the network: " + "; ".join(remote[:5]))
    return page


def _visible_text(page: str) -> str:
    """The page minus data URIs and tags: the characters the font must cover."""
    text = re.sub(r"data:[^\"')\s]+", "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _short_error(err: Exception) -> str:
    """The failing cell's source (first lines) and the end of its traceback, without colours."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(err)).strip()
    parts = text.split("------------------")
    if len(parts) >= 3:
        source = parts[1].strip().splitlines()
        shown = source[:8] + (["..."] if len(source) > 8 else [])
        tail = parts[-1].strip().splitlines()[-8:]
        return "cell:\n    " + "\n    ".join(shown) + "\nerror:\n" + "\n".join(tail)
    return "\n".join(text.splitlines()[-12:])


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _write_atomic(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


if __name__ == "__main__":
    sys.exit(main())
