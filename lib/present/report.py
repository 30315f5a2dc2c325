"""``python -m lib.present.report``: run the notebooks on a corpus and write offline HTML reports.

For each ``notebooks/NN_*.ipynb`` (in order) the notebook is executed in a fresh kernel of the
current interpreter with ``CORPUS`` set, converted to ``reports/NN_*.html``, and listed in
``reports/index.html`` with the question it answers. The pages work with no network and no
fonts installed:

- nothing is fetched: JupyterLab's require.js, MathJax and mermaid CDN scripts are left out
  of the template, and ``find_remote_references`` checks the result before it is written;
- NanumGothic (from koreanize-matplotlib) is embedded as a base64 ``@font-face``, subset to
  the characters the page uses;
- charts are PNG data URIs (nbconvert inlines image outputs);
- code cells are hidden unless ``SHOW_CODE=1``;
- every page ends with a footer naming the corpus (fingerprint, counts), the versions of
  lib, kiwipiepy and pandas, and the generation time.

Exit status is non-zero, with a message naming the notebook and the error, when a notebook
fails.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import importlib.metadata
import io
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

import lib
from lib import paths
from lib.corpus import CorpusError, load_corpus
from lib.present.plots import korean_font_file

SHOW_CODE_ENV = "SHOW_CODE"
FONT_FACE_NAME = "SC Nanum Gothic"
TEMPLATE_FILE = "report.html.j2"
CSS_FILE = "report.css"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[\w-]+\.ipynb$")

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


def run_notebook(path: Path, *, corpus: Path, timeout: int = 900) -> nbformat.NotebookNode:
    """Execute ``path`` in a new kernel of this interpreter with ``CORPUS=corpus``.

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
    previous = os.environ.get(paths.CORPUS_ENV)
    os.environ[paths.CORPUS_ENV] = str(corpus)
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
        if previous is None:
            os.environ.pop(paths.CORPUS_ENV, None)
        else:
            os.environ[paths.CORPUS_ENV] = previous
    return nb


def report_css() -> str:
    """The report stylesheet (``lib/resources/report.css``)."""
    return (paths.RESOURCES_DIR / CSS_FILE).read_text(encoding="utf-8")


def font_face_css(text: str) -> str:
    """``@font-face`` rules embedding NanumGothic (regular and bold) as base64 WOFF.

    The fonts are subset to the characters of ``text`` plus printable ASCII, so a page
    carries a few hundred KB instead of the 4 MB full fonts.
    """
    chars = set(text) | {chr(c) for c in range(0x20, 0x7F)}
    rules = []
    for bold in (False, True):
        data = _subset_font(korean_font_file(bold=bold), chars)
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(
            "@font-face {\n"
            f'  font-family: "{FONT_FACE_NAME}";\n'
            f"  font-weight: {'bold' if bold else 'normal'};\n"
            "  font-style: normal;\n"
            f'  src: url("data:font/woff;base64,{encoded}") format("woff");\n'
            "}"
        )
    return "\n".join(rules)


def _subset_font(path: Path, chars: set[str]) -> bytes:
    options = ft_subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.hinting = False  # screens render NanumGothic fine unhinted; halves the size
    # VTT source tables (TSI*) cannot be subset; they only matter for re-hinting in VTT.
    options.drop_tables = [*options.drop_tables, "TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = TTFont(str(path))
    subsetter = ft_subset.Subsetter(options=options)
    subsetter.populate(text="".join(sorted(chars)))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    return buf.getvalue()


def embed_font(page: str) -> str:
    """Put the subset font in front of the page's stylesheet (marker ``/*SC-FONT-FACE*/``)."""
    marker = "/*SC-FONT-FACE*/"
    if marker not in page:
        raise ReportError("report template lost its font marker; cannot embed the Korean font")
    return page.replace(marker, font_face_css(_visible_text(page)), 1)


def find_remote_references(page: str) -> list[str]:
    """Everything in ``page`` a browser would fetch from the network (should be empty)."""
    hits: list[str] = []
    for pattern in _REMOTE_PATTERNS:
        hits.extend(m.group(0) for m in pattern.finditer(page))
    return hits


def footer_info(corpus: Path) -> dict[str, str]:
    """What every report page's footer says about the corpus and the software.

    Loads the corpus to compute its fingerprint (sha256 over file names and content
    hashes) and the counts read / loaded / rejected / duplicates.
    """
    loaded = load_corpus(corpus, progress=False, cache=True)
    counts = loaded.counts()
    info = {
        "corpus": paths.display_path(corpus),
        "fingerprint": loaded.fingerprint(),
        "articles": (
            f"읽음 {counts['read']:,} · 불러옴 {counts['loaded']:,} · 제외 {counts['rejected']:,}"
            f" · 중복 {counts['duplicates']:,}"
        ),
        "versions": (
            f"lib {lib.__version__} · kiwipiepy {_version('kiwipiepy')} · "
            f"pandas {_version('pandas')}"
        ),
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
        "fingerprint": "corpus fingerprint (sha256)",
        "articles": "articles",
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
    return _finish(page)


def index_html(entries: Sequence[ReportEntry], *, footer: str) -> str:
    """The landing page: each report with its title and the question it answers."""
    items = "\n".join(
        f'<li><a href="{html.escape(e.html_file)}"><strong>{html.escape(e.title)}</strong></a>'
        f'<br><span class="sc-question">{html.escape(e.question)}</span></li>'
        for e in entries
    )
    page = f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>스마트시티 보도 분석: 세종과 대전</title>
<style type="text/css">
/*SC-FONT-FACE*/
{report_css()}
</style>
</head>
<body>
<main>
<h1>스마트시티 보도 분석: 세종과 대전</h1>
<p>Korean news coverage of smart-city work in Sejong and Daejeon, topic by topic, over time.
Each report below answers one question.</p>
<ul class="sc-index">
{items}
</ul>
<footer class="sc-footer">
{footer}
</footer>
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
    """
    corpus_path = paths.resolve_corpus(corpus)
    if not corpus_path.exists():
        raise ReportError(f"corpus not found: {paths.display_path(corpus_path)} "
                          f"(set {paths.CORPUS_ENV} to a folder or file)")
    out_dir = output_dir or paths.REPORTS_DIR
    show = _env_flag(SHOW_CODE_ENV) if show_code is None else show_code
    selected = find_notebooks(notebooks)
    if not selected:
        raise ReportError(f"no notebooks to run in {paths.display_path(paths.NOTEBOOKS_DIR)}")
    log(f"corpus: {paths.display_path(corpus_path)}")
    footer = footer_html(footer_info(corpus_path))
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    entries: list[ReportEntry] = []
    for i, nb_path in enumerate(selected, 1):
        log(f"[{i}/{len(selected)}] running {paths.display_path(nb_path)} ...")
        start = time.perf_counter()
        nb = run_notebook(nb_path, corpus=corpus_path, timeout=timeout)
        title, question = notebook_title_and_question(nb)
        title = title or nb_path.stem
        page = notebook_to_html(nb, title=title, footer=footer, show_code=show)
        target = out_dir / f"{nb_path.stem}.html"
        _write_atomic(target, page)
        seconds = time.perf_counter() - start
        log(f"[{i}/{len(selected)}] wrote {paths.display_path(target)} "
            f"({len(page.encode('utf-8')) / 1e6:.1f} MB, {seconds:.1f} s)")
        entries.append(ReportEntry(nb_path.name, target.name, title, question, seconds))
        written.append(target)
    index = out_dir / "index.html"
    _write_atomic(index, index_html(entries, footer=footer))
    log(f"wrote {paths.display_path(index)}")
    written.append(index)
    return written


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
    parser.add_argument("--output-dir", type=Path, help="where to write (default: reports/)")
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
