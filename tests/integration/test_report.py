"""The offline HTML report: no network references, embedded font, escaping, footer, failures."""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from matplotlib.figure import Figure

from lib import paths
from lib.present import report
from lib.corpus import load_corpus, manifest_fingerprint
from tests.conftest import write_canonical_csv

HOSTILE_TITLE = '<script>alert("x")</script> 세종 스마트시티'
HOSTILE_OUTLET = "<img src=x onerror=alert(1)>일보"

QUESTION = ("What is in this corpus, and how much smart-city coverage does each city get over "
            "time?")


def tiny_png() -> str:
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def executed_notebook() -> nbformat.NotebookNode:
    """A notebook as nbclient leaves it: markdown, code, and the kinds of outputs we emit."""
    hostile = pd.DataFrame({"article_id": ["a1"], "outlet": [HOSTILE_OUTLET],
                            "title": [HOSTILE_TITLE]})
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# 01 · 시험 보고서\n\n**Question:** {QUESTION}"),
        nbformat.v4.new_code_cell(
            "secret_code_marker = 1\nhostile",
            outputs=[nbformat.v4.new_output(
                "execute_result",
                data={"text/html": hostile._repr_html_(), "text/plain": repr(hostile)},
                execution_count=1,
            )],
        ),
        nbformat.v4.new_code_cell(
            "fig",
            outputs=[nbformat.v4.new_output(
                "display_data",
                data={"image/png": tiny_png(), "text/plain": "<Figure size 100x100 with 1 Axes>"},
            )],
        ),
    ]
    return nb


def embedded_fonts(page: str) -> list[TTFont]:
    fonts = []
    for encoded in re.findall(r'url\("data:font/woff;base64,([A-Za-z0-9+/=]+)"\)', page):
        fonts.append(TTFont(io.BytesIO(base64.b64decode(encoded))))
    return fonts


def test_find_remote_references() -> None:
    bad = [
        '<script src="https://cdn.example.org/require.js"></script>',
        "<img src=http://example.org/x.png>",
        '<link rel="stylesheet" href="//fonts.example.org/css">',
        "<style>@font-face { src: url('https://example.org/f.woff') }</style>",
        '<style>@import "https://example.org/x.css";</style>',
        '<script type="module">await import("https://cdn.example.org/m.mjs")</script>',
    ]
    for snippet in bad:
        assert report.find_remote_references(snippet), snippet
    good = ('<img src="data:image/png;base64,AAAA"><a href="https://example.org">link</a>'
            "<style>/* see https://example.org */ "
            ".x { background: url(data:image/svg+xml;base64,AA) }</style>")
    assert report.find_remote_references(good) == []


def test_page_is_offline_with_embedded_font_and_escaped_titles() -> None:
    page = report.notebook_to_html(executed_notebook(), title="시험", footer="<p>footer</p>")
    assert report.find_remote_references(page) == []
    assert "<script src" not in page
    # Hostile text is shown, never run.
    assert "<script>alert" not in page and "<img src=x onerror" not in page
    assert "&lt;script&gt;alert" in page
    # Charts are inline PNGs.
    assert re.search(r'<img[^>]+src="data:image/png;base64,', page)
    # Code hidden by default.
    assert "secret_code_marker" not in page
    # The embedded fonts cover every Hangul syllable on the page.
    fonts = embedded_fonts(page)
    assert len(fonts) == 2
    hangul = {ch for ch in page if "\uac00" <= ch <= "\ud7a3"}
    assert hangul
    for font in fonts:
        cmap = font.getBestCmap()
        assert {ch for ch in hangul if ord(ch) not in cmap} == set()
    assert "<footer" in page and "<p>footer</p>" in page


def test_show_code_shows_code_cells() -> None:
    page = report.notebook_to_html(executed_notebook(), title="시험", footer="", show_code=True)
    assert "secret_code_marker" in page


def test_footer_escapes_and_marks_the_sample() -> None:
    info = {"corpus": "data/<x>", "fingerprint": "ab" * 32, "articles": "읽은 레코드 3",
            "versions": "lib 0.1.0", "generated": "2021-01-01T00:00:00+09:00",
            "sample": "synthetic sample"}
    html = report.footer_html(info)
    assert "data/&lt;x&gt;" in html and "synthetic sample" in html and "ab" * 32 in html


def test_footer_info_names_the_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    write_canonical_csv(folder / "a.csv", [
        {"article_id": "1", "title": "세종 기사", "body": "본문", "published": "2021-01-01"},
        {"article_id": "2", "title": "", "body": "본문"},
    ])
    info = report.footer_info(folder)
    assert info["fingerprint"] == manifest_fingerprint(load_corpus(folder).manifest, names=False)
    assert "읽은 레코드 2" in info["articles"] and "불러온 기사 1" in info["articles"]
    assert "제외된 레코드 1" in info["articles"] and "중복 0" in info["articles"]
    for name in ("lib", "commit", "taggers", "Python", "kiwipiepy", "pandas", "numpy",
                 "scikit-learn", "statsmodels"):
        assert name in info["versions"]
    # The fingerprint names the files' contents: the same files renamed in another folder
    # give the same one, an edited file another.
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (moved / "renamed.csv").write_bytes((folder / "a.csv").read_bytes())
    assert report.footer_info(moved)["fingerprint"] == info["fingerprint"]
    (moved / "renamed.csv").write_bytes((folder / "a.csv").read_bytes().replace("본문".encode(), "글".encode()))
    assert report.footer_info(moved)["fingerprint"] != info["fingerprint"]
    assert "sample" not in info
    assert not info["corpus"].startswith("/")


def test_footer_names_the_settings_a_report_was_made_with(tmp_path: Path, monkeypatch) -> None:
    for name in report.REPORT_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    assert report.report_settings() == "defaults"
    monkeypatch.setenv("CORRECT", "1")
    monkeypatch.setenv("LABELS", str(tmp_path / "labels" / "mine.tsv"))
    monkeypatch.setenv("FREQ", "YS")
    settings = report.report_settings()
    assert settings == "FREQ=YS · CORRECT=1 · LABELS=mine.tsv"  # no machine path
    monkeypatch.setenv("LABELS", "data/labels/mine.tsv")  # relative: from the repository root
    assert "LABELS=data/labels/mine.tsv" in report.report_settings()
    assert "<dt>settings</dt><dd>FREQ=YS" in report.footer_html({"settings": settings})


def test_footer_info_marks_the_bundled_sample() -> None:
    if not any(paths.SAMPLE_DIR.glob("**/*.*")):
        pytest.skip("the synthetic sample (data/sample) has not been generated")
    info = report.footer_info(paths.SAMPLE_DIR)
    assert "synthetic sample" in info["sample"]
    assert info["corpus"] == "data/sample"


def test_committed_notebook_states_its_question() -> None:
    nb = nbformat.read(paths.NOTEBOOKS_DIR / "01_corpus_overview.ipynb", as_version=4)
    title, question = report.notebook_title_and_question(nb)
    assert title.startswith("01 · 코퍼스 개요") and QUESTION in question


def test_index_lists_reports_with_questions() -> None:
    entries = [report.ReportEntry("01_x.ipynb", "01_x.html", "01 · 개요", "<b>왜?</b>", 1.0)]
    page = report.index_html(entries, footer="<p>f</p>")
    assert 'href="01_x.html"' in page and "&lt;b&gt;왜?&lt;/b&gt;" in page
    assert report.find_remote_references(page) == []
    assert embedded_fonts(page)


def test_main_fails_clearly_on_a_missing_corpus(tmp_path: Path, capsys) -> None:
    code = report.main(["--corpus", str(tmp_path / "nope"), "--output-dir", str(tmp_path)])
    assert code == 1
    assert "corpus not found" in capsys.readouterr().err


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real overview notebook run on a small corpus with hostile titles and outlets."""
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    corpus.mkdir()
    topics = ["자율주행 셔틀", "데이터 플랫폼", "수소 버스", "스마트 횡단보도", "도시재생 뉴딜",
              "리빙랩 시민 참여", "통합관제센터 CCTV"]
    places = ["세종시 보람동", "대전 유성구", "세종 5-1생활권", "대전 대덕특구"]
    rows = []
    for i in range(14):
        rows.append({
            # Entity-escaped, as search APIs deliver text: the loader unescapes it at the door
            # (and strips real tags), so the report must escape what arrives.
            "article_id": f"h{i}", "outlet": html.escape(HOSTILE_OUTLET) if i % 2 else "세종일보",
            "published": f"2021-0{1 + i % 6}-1{i % 9}",
            "title": html.escape(HOSTILE_TITLE) if i % 3 == 0 else f"세종시 스마트시티 자율주행 실증 {i}",
            # Bodies differ enough that near-duplicate detection keeps every row; the rows with
            # hostile headlines say plainly that they are smart-city work, so 02 lists them
            # whatever the smart-city model makes of a headline without a word of the story.
            "body": f"{places[i % 4]}에서 "
                    + ("스마트시티 국가시범도시 사업의 하나로 " if i % 3 == 0 else "")
                    + f"{topics[i % 7]} 사업이 {2015 + i}년 시작됐다. "
                    f"관계자 {i}명이 참석했고 예산 {i * 37 + 11}억 원이 들어갔다. "
                    + " ".join(f"단어{i}{j}" for j in range(12)),
        })
    write_canonical_csv(corpus / "hostile.csv", rows)
    out = base / "reports"
    report.build_reports(corpus, notebooks=["01_corpus_overview", "02_topic_trends"], output_dir=out,
                         show_code=False, log=lambda _msg: None)
    return out


@pytest.mark.slow
def test_report_of_hostile_corpus_shows_titles_escaped(hostile_report: Path) -> None:
    page = (hostile_report / "01_corpus_overview.html").read_text(encoding="utf-8")
    trends_page = (hostile_report / "02_topic_trends.html").read_text(encoding="utf-8")
    for shown in (page, trends_page):
        assert "<script>alert" not in shown
        assert "<img src=x onerror" not in shown
    # Outlets are listed in 01; headlines in 02's table of the articles behind a number.
    assert "&lt;script&gt;alert" in trends_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert report.find_remote_references(page) == []
    assert "data:image/png;base64," in page
    # Every chart's alt text names its section, for a screen reader.
    assert "No description has been provided" not in page + trends_page
    assert re.search(r'<img alt="Chart: [^"]+"', trends_page)
    assert "corpus fingerprint" in page and "불러온 기사 14" in page
    # Six months, a few articles a city: no period length gives both cities 10 articles in most
    # periods, so notebook 01 draws the coarsest with two points or more (quarters), not one dot.
    assert "period: quarter (QS), chosen from the corpus" in page
    assert 'class="sc-sample"' not in page  # not the bundled sample: no sample mark
    assert not re.search(r"/(?:work|tmp|home)/", page)
    index = (hostile_report / "index.html").read_text(encoding="utf-8")
    assert 'href="01_corpus_overview.html"' in index and QUESTION in index


@pytest.mark.slow
def test_report_writes_every_chart_as_files_with_a_page_of_them(hostile_report: Path) -> None:
    """Beside the pages: figures/<notebook>/NN_<chart>.png, .svg and .csv for each chart the
    notebook drew, and figures/index.html showing them, linked from the index."""
    figures = hostile_report / report.FIGURES_DIR_NAME
    for notebook in ("01_corpus_overview", "02_topic_trends"):
        pictures = sorted((figures / notebook).glob("*.png"))
        assert pictures, notebook
        assert pictures[0].name.startswith("01_")  # not the sample: no synthetic_ prefix
        for png in pictures:
            assert png.with_suffix(".svg").stat().st_size > 1000
    # Notebook 02's first chart is the topic shares: this corpus of 14 articles over six months
    # is too thin for shares over time, so it shows the whole span; its table names the topics.
    trends_table = (figures / "02_topic_trends" / "01_topic_shares_overall.csv").read_text(
        encoding="utf-8-sig")
    assert trends_table.startswith("period,") and "topic" in trends_table.splitlines()[0]
    assert {line.split(",")[0] for line in trends_table.splitlines()[1:]} == {"all"}
    # So is notebook 01's smart-city share: each region's share over the whole span.
    share_table = pd.read_csv(figures / "01_corpus_overview" / "02_smart_city_share_overall.csv",
                              encoding="utf-8-sig")
    assert set(share_table["period"]) == {"all"}
    assert share_table["n_total"].sum() == 14
    gallery = (figures / report.GALLERY_FILE).read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]+)"', gallery)
    assert len(sources) == len(list(figures.glob("*/*.png")))
    assert all((figures / s).is_file() for s in sources)
    assert report.find_remote_references(gallery) == [] and "synthetic" not in gallery
    index = (hostile_report / "index.html").read_text(encoding="utf-8")
    assert 'href="figures/index.html"' in index
    # The codebook names every column of every CSV the run wrote, and the index offers it.
    assert 'href="codebook.csv"' in index
    book = pd.read_csv(hostile_report / "codebook.csv", encoding="utf-8-sig")
    written = {p.relative_to(hostile_report).as_posix() for p in hostile_report.rglob("*.csv")}
    assert set(book["file"]) == written - {"codebook.csv"}
    row = book[(book["file"] == "figures/01_corpus_overview/02_smart_city_share_overall.csv")
               & (book["column"] == "n_total")]
    assert list(row["unit_in_file"]) == ["count"]


@pytest.mark.slow
def test_rerunning_one_notebook_keeps_the_others_on_the_index(hostile_report: Path,
                                                              tmp_path: Path, monkeypatch) -> None:
    """`python -m lib.present.report 02_topic_trends` after a full run: the index still lists
    01's page (marked as an earlier run's) and the findings, and offers only the downloads the
    listed notebooks wrote, not a CSV left in the folder by something else."""
    out = tmp_path / "reports"
    shutil.copytree(hostile_report, out)
    first = (out / "index.html").read_text(encoding="utf-8")
    (out / "left_over.csv").write_text("a\n1\n", encoding="utf-8")
    monkeypatch.setenv("FREQ", "YS")  # the rerun's settings differ from the first run's
    report.build_reports(hostile_report.parent / "corpus", notebooks=["02_topic_trends"],
                         output_dir=out, show_code=False, log=lambda _msg: None)
    index = (out / "index.html").read_text(encoding="utf-8")
    items = re.findall(r"<li><a href=\"(\d\d_\w+\.html)\">(.*?)</li>", index, flags=re.S)
    assert [name for name, _ in items] == ["01_corpus_overview.html", "02_topic_trends.html"]
    assert "earlier run" in items[0][1] and "earlier run" not in items[1][1]
    # a bundle mixing settings says so: 01 was made with the defaults, this run with FREQ=YS
    assert "settings defaults" in items[0][1]
    stored = json.loads((out / report.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert stored["provenance"]["settings"] == "FREQ=YS"
    assert "commit" in stored["provenance"]["versions"]
    assert stored["notebooks"]["01_corpus_overview"]["settings"] == "defaults"
    assert QUESTION in index
    assert "02_topic_trends_articles.csv" in index and "left_over.csv" not in index
    book = pd.read_csv(out / "codebook.csv", encoding="utf-8-sig")
    assert "left_over.csv" not in set(book["file"])  # the codebook describes what is offered
    assert "02_topic_trends_articles.csv" in set(book["file"])
    # The findings and main chart come from notebook 02 in both runs.
    for page in (first, index):
        assert 'class="sc-highlights"' in page and 'href="02_topic_trends.html">(전체 보고서' in page


def test_report_manifest_of_another_corpus_or_unreadable_is_not_used(tmp_path: Path) -> None:
    entry = report.ReportEntry("01_x.ipynb", "01_x.html", "01", "q", 1.0)
    item = {"entry": dataclasses.asdict(entry), "written": "2026-01-01 10:00", "downloads": [],
            "highlights": dataclasses.asdict(report.Highlights())}
    target = tmp_path / report.MANIFEST_FILE
    target.write_text(json.dumps({"corpus": "data/raw", "notebooks": {"01_x": item}}), encoding="utf-8")
    assert report._read_manifest(tmp_path, "data/raw") == {"01_x": item}
    assert report._read_manifest(tmp_path, "data/other") == {}
    # two corpora of the same folder name (outside the project both show as their name) are
    # told apart by their keys; a manifest without a key is taken as this corpus's
    keyed = {"corpus": "bigkinds", "corpus_key": report.corpus_key(tmp_path / "a" / "bigkinds"),
             "notebooks": {"01_x": item}}
    target.write_text(json.dumps(keyed), encoding="utf-8")
    assert report._read_manifest(tmp_path, "bigkinds",
                                 report.corpus_key(tmp_path / "a" / "bigkinds")) == {"01_x": item}
    assert report._read_manifest(tmp_path, "bigkinds",
                                 report.corpus_key(tmp_path / "b" / "bigkinds")) == {}
    assert report.corpus_key(tmp_path / "a" / "bigkinds") != report.corpus_key(
        tmp_path / "b" / "bigkinds")
    for broken in ("{", '{"corpus": "data/raw", "notebooks": {"01_x": {"entry": {}}}}', "[]"):
        target.write_text(broken, encoding="utf-8")
        assert report._read_manifest(tmp_path, "data/raw") == {}


@pytest.mark.slow
def test_failing_notebook_exits_non_zero_naming_it(tmp_path: Path, monkeypatch, capsys) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# broken\n\n**Question:** does it fail?"),
                nbformat.v4.new_code_cell("raise ValueError('deliberate failure 4711')")]
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "01_broken.ipynb")
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_canonical_csv(corpus / "a.csv", [{"article_id": "1", "title": "t", "body": "b"}])
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", folder)
    code = report.main(["--corpus", str(corpus), "--output-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "01_broken.ipynb failed" in err and "deliberate failure 4711" in err
    assert not (tmp_path / "out" / "01_broken.html").exists()


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.slow
def test_report_renders_in_chromium(hostile_report: Path, tmp_path: Path) -> None:
    """Open the pages in headless Chromium with networking disabled and screenshot them."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no chromium binary (apt-get install -y chromium)")
    from matplotlib.image import imread

    for name, height in (("01_corpus_overview.html", 2400), ("index.html", 700)):
        shot = tmp_path / f"{Path(name).stem}.png"
        subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             # No network: every host unresolvable, every request through a dead proxy.
             "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
             "--disable-background-networking", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}",
             f"--window-size=1200,{height}", f"--screenshot={shot}",
             (hostile_report / name).as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        assert shot.exists() and shot.stat().st_size > 10_000
        pixels = imread(shot)
        # Not a blank page: plenty of non-white pixels (text, tables, charts).
        ink = np.mean(pixels[..., :3].min(axis=-1) < 0.8)
        assert ink > 0.01, f"{name} rendered (almost) blank"


def test_committed_notebook_is_thin_clean_and_small() -> None:
    """The committed notebook: under 2 MB, thin cells, no errors, no machine paths."""
    path = paths.NOTEBOOKS_DIR / "01_corpus_overview.ipynb"
    assert path.stat().st_size < 2_000_000
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert any("parameters" in c.metadata.get("tags", []) for c in code_cells)
    # Chart cells are nbval-ignore-output: only an error stops a missing glyph there.
    assert any('filterwarnings("error", message=r"Glyph .* missing")' in c.source for c in code_cells)
    for cell in code_cells:
        assert len(cell.source.splitlines()) <= 15, cell.source
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            if output.output_type == "stream":
                assert output.name != "stderr", output.text
            text = output.get("text", "") + "".join(
                v for k, v in output.get("data", {}).items() if k.startswith("text/"))
            assert not re.search(r"/(?:work|tmp|home|Users)/|[A-Z]:\\\\", text), text[:200]
    assert nb.metadata["kernelspec"] == report.PROJECT_KERNELSPEC  # the kernel `make setup` registers


# ---- Navigation, tables that scroll, numbers in a face with a clear period ----------------------

def navigable_notebook() -> nbformat.NotebookNode:
    """``executed_notebook`` with ``##`` sections (one with a quote and a colon in its heading)
    and a keyword-in-context table with numbers, dates and long text."""
    nb = executed_notebook()
    kwic = pd.DataFrame({
        "article_id": ["01500401.20180116092610001"], "date": ["2018-01-16 09:26:10"],
        "outlet": ["충청일보"], "left": ["가 기대된다. 모인 정보는 개인정보를 가린 뒤 시민과"],
        "match": ["기업"], "right": ["에 개방될 예정이다. 대평동 일대에 설치된 센서 600"],
        "url": ["https://www.example.org/news/a?idxno=2263195"],
        "source": ["lead (BigKinds: the body is a lead)"], "z": [0.359], "n": [1000]})
    nb.cells[1:1] = [nbformat.v4.new_markdown_cell("## 1. 첫 절: city's share\n\n본문"),
                     nbformat.v4.new_markdown_cell("### a sub-heading, not listed")]
    nb.cells.append(nbformat.v4.new_markdown_cell("## 2. 문맥 (keyword in context)"))
    nb.cells.append(nbformat.v4.new_code_cell("kwic", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/html": kwic._repr_html_(), "text/plain": repr(kwic)},
        execution_count=3)]))
    return nb


def nav_links(page: str) -> list[str]:
    """The table of contents' links (the navigation box at the top of a notebook page)."""
    nav = re.search(r'<nav class="sc-nav".*?</nav>', page, flags=re.S)
    assert nav, "no navigation box"
    toc = re.search(r'<ol class="sc-toc">.*?</ol>', nav.group(0), flags=re.S)
    assert toc, "no table of contents"
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', toc.group(0))]


def pager_links(page: str) -> list[str]:
    regions = re.findall(r"<!--SC-PAGER-->(.*?)<!--/SC-PAGER-->", page, flags=re.S)
    assert len(regions) == 2  # top of the page and bottom
    assert regions[0] == regions[1]
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', regions[0])]


def heading_ids(page: str, level: int = 2) -> list[str]:
    return [html.unescape(i) for i in re.findall(rf'<h{level}\b[^>]*\bid="([^"]+)"', page)]


def test_page_has_contents_linking_every_section_heading() -> None:
    page = report.notebook_to_html(navigable_notebook(), title="시험", footer="")
    ids = heading_ids(page)
    assert len(ids) == 2
    links = nav_links(page)
    # One link per h2, in order, each to the heading's own anchor; h1 and h3 are not listed.
    assert links == [f"#{i}" for i in ids]
    all_ids = {html.unescape(i) for i in re.findall(r'\bid="([^"]+)"', page)}
    assert all(link[1:] in all_ids for link in links)
    toc = re.search(r'<ol class="sc-toc">(.*?)</ol>', page, re.S).group(1)
    assert "1. 첫 절: city&#x27;s share" in toc and "¶" not in toc and "sub-heading" not in toc
    # The bottom of the page links back to the contents, which carry that id.
    assert 'href="#sc-contents"' in page and 'id="sc-contents"' in page
    assert report.find_remote_references(page) == []


def test_set_pager_links_the_overview_and_the_neighbours_only() -> None:
    page = report.notebook_to_html(navigable_notebook(), title="시험", footer="")
    pages = [("01_a.html", "01 · A: long"), ("02_b.html", "02 · B"), ("04_d.html", "04 · D")]
    middle = report.set_pager(page, current="02_b.html", pages=pages)
    assert pager_links(middle) == ["index.html", "01_a.html", "04_d.html"]
    assert 'rel="prev"' in middle and 'rel="next"' in middle and "← 01 · A<" in middle
    first = report.set_pager(page, current="01_a.html", pages=pages, overview=False)
    assert pager_links(first) == ["02_b.html"]
    alone = report.set_pager(page, current="03_c.html", pages=[("03_c.html", "03")])
    assert pager_links(alone) == ["index.html"]
    # Filling again replaces, never appends.
    assert pager_links(report.set_pager(middle, current="01_a.html", pages=pages)) == [
        "index.html", "02_b.html"]


def test_tables_scroll_and_numbers_use_a_face_with_a_clear_period() -> None:
    page = report.notebook_to_html(navigable_notebook(), title="시험", footer="")
    table = re.search(r'<table border="1" class="dataframe sc-kwic">.*?</table>', page, re.S)
    assert table, "the keyword-in-context table is not marked"
    cells = dict((re.sub(r"<[^>]+>", "", text).strip(), cls) for cls, text in
                 re.findall(r'<td class="([^"]+)">(.*?)</td>', table.group(0), re.S))
    # ids and dates: one line; their columns hold no numbers, so they read from the left
    assert cells["01500401.20180116092610001"] == "sc-nowrap sc-left"
    assert cells["2018-01-16 09:26:10"] == "sc-nowrap sc-left"
    assert cells["가 기대된다. 모인 정보는 개인정보를 가린 뒤 시민과"] == "sc-kwic-left"
    assert cells["기업"] == "sc-kwic-match"
    assert cells["lead (BigKinds: the body is a lead)"] == "sc-text"
    assert cells["0.359"] == "sc-num" and cells["1000"] == "sc-num"
    assert cells["https://www.example.org/news/a?idxno=2263195"] == "sc-url"
    css = re.sub(r"\s+", " ", page)
    # Output boxes scroll sideways instead of clipping (JupyterLab: overflow hidden) a table.
    assert ".jp-OutputArea-output { display: block; width: auto; max-width: 100%; overflow-x: auto; }" in css
    assert re.search(r"td\.sc-kwic-left \{ text-align: right; white-space: nowrap; \}", css)
    assert "font-variant-numeric: tabular-nums" in css
    # Numbers: the embedded Latin face first, Korean after it, generic families last.
    stack = re.search(r"--sc-number-font-family: ([^;]+);", css).group(1)
    assert stack.startswith(f'"{report.LATIN_FACE_NAME}", "{report.FONT_FACE_NAME}"')
    assert re.search(r"td\.sc-num, [^{]*\{ font-family: var\(--sc-number-font-family\)", css)
    code_stack = re.findall(r"--jp-code-font-family: ([^;]+);", css)[-1]  # ours: after JupyterLab's
    assert code_stack.startswith(f'"{report.LATIN_MONO_FACE_NAME}", "{report.FONT_FACE_NAME}"')
    # Both Latin faces are embedded (nothing fetched), have a period and no Hangul, so Hangul
    # in a number cell falls through to NanumGothic.
    faces = dict(re.findall(r'font-family: "([^"]+)";\s*font-weight: normal;\s*font-style: normal;\s*'
                            r'src: url\("data:font/ttf;base64,([A-Za-z0-9+/=]+)"\)', page))
    assert set(faces) == {report.LATIN_FACE_NAME, report.LATIN_MONO_FACE_NAME}
    for encoded in faces.values():
        cmap = TTFont(io.BytesIO(base64.b64decode(encoded))).getBestCmap()
        assert ord(".") in cmap and ord("0") in cmap
        assert not any(0xAC00 <= c <= 0xD7A3 for c in cmap)


def test_build_links_pages_only_to_reports_in_the_folder(tmp_path: Path, monkeypatch) -> None:
    """A run of one notebook links to no page that is not there; a later run of another links
    both ways, skipping the notebooks never run, and the index lists every page."""
    monkeypatch.setattr(report, "run_notebook", lambda path, **_kw: navigable_notebook())
    monkeypatch.setattr(report, "footer_info", lambda _corpus: {"corpus": "tiny"})
    corpus = tmp_path / "c"
    corpus.mkdir()
    write_canonical_csv(corpus / "a.csv", [{"article_id": "1", "title": "t", "body": "b"}])
    out = tmp_path / "out"
    quiet = {"output_dir": out, "show_code": False, "log": lambda _msg: None}
    report.build_reports(corpus, notebooks=["02_topic_trends"], **quiet)
    assert pager_links((out / "02_topic_trends.html").read_text(encoding="utf-8")) == ["index.html"]
    report.build_reports(corpus, notebooks=["04_discovered_topics_and_events"], **quiet)
    second = (out / "02_topic_trends.html").read_text(encoding="utf-8")
    fourth = (out / "04_discovered_topics_and_events.html").read_text(encoding="utf-8")
    assert pager_links(second) == ["index.html", "04_discovered_topics_and_events.html"]
    assert pager_links(fourth) == ["index.html", "02_topic_trends.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("02_topic_trends.html", "04_discovered_topics_and_events.html"):
        assert f'href="{name}"' in index
    for page in (second, fourth):
        assert all((out / link).is_file() for link in pager_links(page))


@pytest.mark.slow
def test_built_report_pages_navigate(hostile_report: Path) -> None:
    """The real notebooks' pages: contents for every section, each link to an anchor there;
    the overview and neighbours linked; links only to files in the folder."""
    for name, neighbours in (("01_corpus_overview.html", ["02_topic_trends.html"]),
                             ("02_topic_trends.html", ["01_corpus_overview.html"])):
        page = (hostile_report / name).read_text(encoding="utf-8")
        ids = heading_ids(page)
        assert len(ids) >= 4, name
        links = nav_links(page)
        assert links == [f"#{i}" for i in ids]
        all_ids = {html.unescape(i) for i in re.findall(r'\bid="([^"]+)"', page)}
        assert all(link[1:] in all_ids for link in links)
        assert pager_links(page) == ["index.html", *neighbours]
        assert all((hostile_report / link).is_file() for link in pager_links(page))
        assert report.find_remote_references(page) == []
    trends = (hostile_report / "02_topic_trends.html").read_text(encoding="utf-8")
    # Section 5's articles: dates and ids on one line, headlines with room to be read.
    assert re.search(r'<td class="sc-nowrap sc-left">2021-0\d-1\d</td>', trends)
    # (the headlines stay escaped when their cells are classed)
    assert '<td class="sc-text">&lt;script&gt;alert("x")&lt;/script&gt; 세종 스마트시티</td>' in trends


def test_index_links_every_report_above_the_findings() -> None:
    entries = [report.ReportEntry(f"0{i}_x.ipynb", f"0{i}_x.html", f"0{i} · 보고서: 긴 제목", "q", 1.0)
               for i in (1, 2)]
    page = report.index_html(entries, footer="", highlights=report.Highlights("<p>찾음</p>", "", "02_x.html"))
    jump = re.search(r'<nav class="sc-nav sc-index-nav".*?</nav>', page, re.S)
    assert jump and page.index(jump.group(0)) < page.index('class="sc-highlights"')
    assert re.findall(r'href="([^"]+)"', jump.group(0)) == ["01_x.html", "02_x.html"]
    assert ">01 · 보고서</a>" in jump.group(0)


def test_charts_are_named_by_the_section_above_them() -> None:
    page = ('<h2 id="a">1. 비중 (Shares)<a class="anchor-link" href="#a">¶</a></h2>'
            '<img alt="No description has been provided for this image" src="data:image/png;base64,A">'
            "<h3>3b &amp; more</h3><p>text</p>"
            '<img alt="No description has been provided for this image" src="data:image/png;base64,B">')
    labelled = report.label_images(page)
    assert 'alt="Chart: 1. 비중 (Shares)" src="data:image/png;base64,A"' in labelled
    assert 'alt="Chart: 3b &amp; more" src="data:image/png;base64,B"' in labelled
    assert report.label_images('<img alt="No description has been provided for this image">') == (
        '<img alt="Chart">')


def test_setup_cells_fold_and_live_only_cells_leave_the_report() -> None:
    """The settings cells (tagged sc-setup) fold under one closed line, in order and whole; a
    cell tagged sc-live-only (a widget's chart) is not in the report; untagged cells are shown
    as before, and the committed notebooks tag their settings."""
    def cell(kind: str, text: str, tags: list[str]) -> nbformat.NotebookNode:
        made = (nbformat.v4.new_markdown_cell(text) if kind == "md" else
                nbformat.v4.new_code_cell(text, outputs=[nbformat.v4.new_output(
                    "stream", name="stdout", text=f"{text}_printed\n")]))
        made.metadata["tags"] = tags
        return made

    nb = nbformat.v4.new_notebook()
    nb.cells = [cell("md", "# 01 · 시험\n\n**Question:** 무엇?", []),
                cell("md", "## Parameters\n\nsettings_text", [report.SETUP_TAG]),
                cell("code", "setup_code", ["parameters", report.SETUP_TAG]),
                cell("md", "## Findings\n\nfindings_text", []),
                cell("code", "picker_code", [report.LIVE_ONLY_TAG]),
                cell("md", "## Last\n\nlast_text", [])]
    page = report.notebook_to_html(nb, title="시험", footer="")
    folded = re.findall(r'<details class="sc-setup">(.*?)</details>', page, re.S)
    assert len(folded) == 1
    assert "settings_text" in folded[0] and "setup_code_printed" in folded[0]
    assert "findings_text" not in folded[0] and html.escape(report.SETUP_SUMMARY) in folded[0]
    assert page.index("settings_text") < page.index("setup_code_printed") < page.index(
        "findings_text") < page.index("last_text")
    assert "picker_code_printed" not in page and "last_text" in page
    assert page.count("<details") == page.count("</details>") == 1
    for path in report.find_notebooks():
        cells = nbformat.read(path, as_version=4).cells
        tags = [c.get("metadata", {}).get("tags", []) for c in cells]
        assert any(report.SETUP_TAG in t and "parameters" in t for t in tags), path.name


def test_index_charts_keep_a_legible_width_in_a_narrow_window() -> None:
    """A wide chart is drawn at least INDEX_CHART_MIN_WIDTH px wide inside a box that scrolls
    sideways; a chart narrower than that keeps its own width (never blown up)."""
    def png(width: int) -> str:
        buf = io.BytesIO()
        Figure(figsize=(width / 100, 0.4), dpi=100).savefig(buf, format="png", dpi=100)
        return base64.b64encode(buf.getvalue()).decode()

    shown = report.Highlights("<p>찾음</p>", png(1310), "02_x.html", more_png=[png(820)])
    page = report.index_html([], footer="", highlights=shown)
    styles = re.findall(r'<p class="sc-chart-scroll" style="overflow-x: auto;"><img class="'
                        r'sc-(?:main|index)-chart"[^>]*style="([^"]+)"', page)
    least = report.INDEX_CHART_MIN_WIDTH
    assert styles == [f"max-width: 100%; min-width: {least}px; height: auto;",
                      "max-width: 100%; min-width: 820px; height: auto;"]
    assert ".sc-chart-scroll img { min-width: 0 !important; }" in page  # paper: fit the page


def test_a_column_of_words_reads_from_the_left_and_a_column_of_numbers_from_the_right() -> None:
    table = pd.DataFrame({"사유": ["no title", "unparseable date '2021-02-30' in a long line"],
                          "n": [1, 12], "위치": ["row 44", "page"]}).to_html()
    cells = dict((text, cls) for cls, text in
                 re.findall(r'<td class="([^"]+)">(.*?)</td>', report.annotate_tables(table)))
    assert cells["no title"] == "sc-nowrap sc-left"  # short, but in a column of words
    assert cells["unparseable date '2021-02-30' in a long line"] == "sc-text"
    assert cells["1"] == cells["12"] == "sc-num"
    assert cells["row 44"] == cells["page"] == "sc-nowrap sc-left"
    heads = re.findall(r"<th([^>]*)>([^<]*)</th>",
                       report.annotate_tables(table).split("</thead>")[0])
    assert [(name, 'text-align: left' in attrs) for attrs, name in heads] == [
        ("", True), ("사유", True), ("n", False), ("위치", True)]  # headings align as their cells


def test_code_revision_names_the_commit_and_says_when_files_differ(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    assert report.code_revision(tmp_path) == "not a git checkout"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.py").write_text("x = 1\n", encoding="utf-8")

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                               *args], capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    git("add", "a.py")
    git("commit", "-qm", "first")
    head = git("rev-parse", "--short=12", "HEAD")
    assert report.code_revision(repo) == head
    (repo / "untracked.txt").write_text("not code\n", encoding="utf-8")
    assert report.code_revision(repo) == head  # a file git does not track changes nothing
    (repo / "a.py").write_text("x = 2\n", encoding="utf-8")
    assert report.code_revision(repo) == f"{head} + modified files"
