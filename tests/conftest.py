"""Shared test helpers: files in the exact formats users bring, written into tmp folders."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus.bigkinds import HEADERS, write_bigkinds_csv, write_bigkinds_xlsx
from lib.corpus.schema import to_frame

__all__ = [
    "bigkinds_row",
    "not_an_xlsx_zip",
    "sample_unique_articles",
    "tagged_rows",
    "write_bigkinds_csv",
    "write_bigkinds_xlsx",
    "write_canonical_csv",
]


def bigkinds_row(**overrides: str) -> dict[str, str]:
    """One BigKinds row with every header present (values are invented, synthetic text)."""
    row = {h: "" for h in HEADERS}
    row.update(
        {
            "뉴스 식별자": "01100401.20210315103012001",
            "일자": "20210315",
            "언론사": "충청일보",
            "기고자": "홍길동 기자  hong@example.kr",
            "제목": "대전시, 자율주행 셔틀 시범운행 구간 넓힌다",
            "통합 분류1": "사회>지역",
            "통합 분류2": " 지역>대전",
            "통합 분류3": "",
            "위치": "대전,유성구",
            "키워드": "대전시,자율주행,셔틀,시범,운행,구간,유성구,도룡동,자율주행,셔틀",
            "특성추출(가중치순 상위 50개)": "자율주행,셔틀,유성구",
            "본문": "대전시가 유성구 일대에서 운행하던 자율주행 셔틀의 시범 구간을 넓힌다..",
            "URL": "https://example.kr/news/1",
            "분석제외 여부": "",
        }
    )
    row.update(overrides)
    return row


@pytest.fixture(autouse=True)
def _nothing_loaded_yet():
    """Each test starts as a fresh process does: no corpus loaded, so charts and files are
    labelled by ``CORPUS`` until the test loads one (``paths.loaded_corpus``)."""
    paths.remember_loaded(None)
    yield
    paths.remember_loaded(None)


@pytest.fixture
def seed_page() -> Path:
    path = paths.SEEDS_DIR / "000_ad07596ca5b7a700.txt"
    if not path.exists():
        pytest.skip("the seed page (../shared/seeds) is not present on this machine")
    return path


@pytest.fixture
def real_bigkinds() -> list[Path]:
    files = sorted(paths.REAL_BIGKINDS_DIR.glob("*.xlsx")) if paths.REAL_BIGKINDS_DIR.exists() else []
    if not files:
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    return files


def mojibake(text: str, encoding: str = "utf-8", *, latin1: bool = False) -> str:
    """``encoding``'s bytes of ``text`` read as cp1252 (its five undefined bytes as Latin-1, as
    Windows reads them), or as Latin-1: what a wrong import leaves."""
    data = text.encode(encoding)
    if latin1:
        return data.decode("latin-1")
    undefined = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    return "".join(chr(b) if b in undefined else bytes([b]).decode("cp1252") for b in data)


def not_an_xlsx_zip() -> bytes:
    """A valid zip that is not a workbook."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


def sample_unique_articles(step: int):
    """Every ``step``-th article of the synthetic sample, one row per article_id, ids as
    strings (what the tagging stage's ``tag_unique`` takes)."""
    from lib.corpus import load_corpus

    articles = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles.iloc[::step]
    unique = articles.drop_duplicates("article_id").copy()
    unique["article_id"] = unique["article_id"].astype(str)
    return unique


def write_canonical_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """A tidy CSV in the canonical schema, as a user would export one."""
    columns = ["article_id", "outlet", "published", "title", "body", "lead_only"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    return path


#: The key under which :func:`show` keeps a test's printed figures on its report.
_SHOWN = "shown"


@pytest.fixture
def show(request: pytest.FixtureRequest):
    """``show(text)`` prints ``text`` in the test log: measured figures (tagging scores on labelled
    data, the bad-input tally, the simulation's coverage) that are read, not only asserted. The
    text rides on the test's report and :func:`pytest_terminal_summary` writes it at the end of
    the run, so it reaches the log also when the tests run in worker processes (pytest-xdist),
    whose own output pytest does not show."""

    def show(text: str) -> None:
        request.node.user_properties.append((_SHOWN, text))

    return show


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Every text the tests :func:`show`, under one heading: the held-out real pages' file first
    (the README's trust table begins with them), then by test file, each file's texts in the
    order its tests ran (a file runs whole in one process)."""
    reports = [report for outcome in ("passed", "failed")
               for report in terminalreporter.stats.get(outcome, []) if report.when == "call"]
    reports.sort(key=lambda report: report.start)
    shown = [(report.nodeid.split("::")[0], text) for report in reports
             for key, text in report.user_properties if key == _SHOWN]
    if not shown:
        return
    terminalreporter.section("figures the tests measured")
    for _, text in sorted(shown, key=lambda item: ("real_holdout" not in item[0], item[0])):
        terminalreporter.write_line(text.strip("\n") + "\n")


_SLOW_FOLDERS = ("integration", "eval")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests under tests/integration and tests/eval are slow by where they live: `make test-fast`
    runs the unit tests only, `make test` runs everything."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "tests" in parts and parts[parts.index("tests") + 1 : parts.index("tests") + 2] in [
            (folder,) for folder in _SLOW_FOLDERS
        ]:
            item.add_marker(pytest.mark.slow)


def tagged_rows(rows: list[dict]) -> pd.DataFrame:
    """Synthetic tagged articles in the canonical schema, one per row of ``published, region,
    smart_city`` (no topics, none a duplicate): the input of the share and trend functions."""
    frame = to_frame([{"article_id": f"t{i:05d}", "title": "합성 기사", "outlet": "합성일보",
                       "published": r["published"]} for i, r in enumerate(rows)])
    frame["region"] = [r["region"] for r in rows]
    frame["smart_city"] = [bool(r["smart_city"]) for r in rows]
    frame["topics"] = [()] * len(rows)
    frame["is_duplicate"] = False
    return frame

