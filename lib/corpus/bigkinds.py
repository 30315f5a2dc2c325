"""BigKinds news-analysis downloads ("엑셀 다운로드"), as xlsx or as a user's CSV conversion.

The Korean headers are renamed to the canonical columns here, once. Every cell is read as text:
뉴스 식별자 (``01100101.20210228211022001``) would become a float and lose digits otherwise.
Rows that BigKinds itself marks in 분석제외 여부 (중복, 예외) are counted and sent to ``rejects``
with the marker as the reason, so they stay out of analyses without being lost.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

from lib.corpus.columns import clean_markup
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text

#: The 19 headers of a download, in order.
HEADERS: tuple[str, ...] = (
    "뉴스 식별자",
    "일자",
    "언론사",
    "기고자",
    "제목",
    "통합 분류1",
    "통합 분류2",
    "통합 분류3",
    "사건/사고 분류1",
    "사건/사고 분류2",
    "사건/사고 분류3",
    "인물",
    "위치",
    "기관",
    "키워드",
    "특성추출(가중치순 상위 50개)",
    "본문",
    "URL",
    "분석제외 여부",
)

#: Headers a file must have to be read as a BigKinds export (the rest are filled with "").
REQUIRED: tuple[str, ...] = ("뉴스 식별자", "일자", "언론사", "제목", "본문")

#: BigKinds caps one download at this many rows and silently cuts larger result sets.
ROW_CAP = 20_000

_RENAME = {
    "언론사": "outlet",
    "제목": "title",
    "본문": "body",
    "키워드": "keywords",
    "특성추출(가중치순 상위 50개)": "features",
    "위치": "places",
    "URL": "url",
}
_FEATURES = "특성추출(가중치순 상위 50개)"
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_CATEGORY_HEADERS = ("통합 분류1", "통합 분류2", "통합 분류3")
# 2015-era downloads carry 27-28 characters: a sequence number of 4-5 digits.
_ID_PATTERN = re.compile(r"^(\d{8})\.(\d{14})(\d{3,5})$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
_REPORTER_WORDS = re.compile(r"\s*(기자|특파원|객원기자|논설위원|위원|선임기자|인턴기자)\s*$")
_EMPTY_MARKERS = {"", "nan", "None"}


def is_valid_id(news_id: str) -> bool:
    """True for a 26-28-character 뉴스 식별자: 8-digit outlet code, dot, 14-digit time, 3-5-digit seq."""
    return bool(_ID_PATTERN.match(news_id))


def canonical_header(name: object) -> str:
    """A header as this module names it: stripped; older downloads' ``특성추출`` → the full name."""
    text = str(name).strip()
    return _FEATURES if text.startswith("특성추출") else text


def is_bigkinds_header(columns: list[str]) -> bool:
    """True for a BigKinds export's header: every required header, or a trimmed export.

    A trimmed export (the user kept some columns) has only BigKinds headers, among them 일자,
    제목 and a text column (본문 or 키워드).
    """
    present = {canonical_header(c) for c in columns}
    if all(h in present for h in REQUIRED):
        return True
    return present <= set(HEADERS) and {"일자", "제목"} <= present and bool({"본문", "키워드"} & present)


def missing_headers(columns: list[str]) -> list[str]:
    present = {canonical_header(c) for c in columns}
    return [h for h in REQUIRED if h not in present]


def _cell(value: object) -> str:
    text = normalize_text(value).strip()
    return "" if text in _EMPTY_MARKERS else text


def split_contributor(text: str) -> tuple[str, str]:
    """``'노도현 기자  hyunee@kyunghyang.com'`` → ``('노도현', 'hyunee@kyunghyang.com')``.

    Several contributors come comma- or space-separated; names and emails are comma-joined.
    """
    emails = _EMAIL.findall(text)
    rest = _EMPTY_BRACKETS.sub(" ", _EMAIL.sub(" ", text))
    names = []
    for part in re.split(r"[,/·]", rest):
        name = _REPORTER_WORDS.sub("", part.strip()).strip()
        if name:
            names.append(name)
    return ", ".join(names), ", ".join(emails)


def parse_published(day: str, news_id: str) -> pd.Timestamp:
    """The publication time: 일자 (YYYYMMDD), refined by the identifier's timestamp.

    The identifier's 14 digits hold the wall-clock time; they are used only when their date
    agrees with 일자, so a malformed identifier can never move an article to another day.
    """
    if not re.fullmatch(r"\d{8}", day):
        raise RecordError(f"unparseable date '{day}'" if day else "no date (일자 is empty)")
    try:
        date = datetime(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError as exc:
        raise RecordError(f"unparseable date '{day}'") from exc
    match = _ID_PATTERN.match(news_id)
    if match and match.group(2)[:8] == day:
        stamp = match.group(2)
        try:
            return pd.Timestamp(date.replace(hour=int(stamp[8:10]), minute=int(stamp[10:12]), second=int(stamp[12:])))
        except ValueError:
            return pd.Timestamp(date)
    return pd.Timestamp(date)


def iter_records(frame: pd.DataFrame) -> Iterator[tuple[str, dict[str, object] | RecordError]]:
    """Yield ``(record_label, record_or_error)`` for each row of a BigKinds table.

    ``frame`` holds the raw cells (any dtype); labels are spreadsheet row numbers (header = row 1).
    """
    frame = frame.rename(columns=canonical_header)
    columns = [h for h in HEADERS if h in frame.columns]
    for offset, values in enumerate(frame[columns].itertuples(index=False, name=None)):
        label = f"row {offset + 2}"
        row = {h: "" for h in HEADERS}
        row.update({h: _cell(v) for h, v in zip(columns, values)})
        yield label, _record(row)


def _record(row: dict[str, str]) -> dict[str, object] | RecordError:
    news_id = row["뉴스 식별자"]
    excluded = row["분석제외 여부"]
    if excluded:
        return RecordError(f"excluded by BigKinds: {excluded}")
    if not row["제목"]:
        return RecordError("no title")
    try:
        published = parse_published(row["일자"], news_id)
    except RecordError as err:
        return err
    reporter, email = split_contributor(row["기고자"])
    record: dict[str, object] = {canon: row[header] for header, canon in _RENAME.items()}
    # Exports carry the outlets' HTML entities (&quot;, &amp;) in some headlines and leads.
    record["title"] = clean_markup(str(record["title"]))
    record["body"] = clean_markup(str(record["body"]))
    categories = [row[h] for h in _CATEGORY_HEADERS if row[h]]
    record.update(
        article_id=news_id,
        reporter=reporter,
        email=email,
        published=published,
        section=row["통합 분류1"],
        categories="|".join(categories),
        lead_only=bool(row["본문"]),
    )
    return record


def to_bigkinds_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Rows keyed by BigKinds headers → a frame with all 19 headers in order, every cell text."""
    return pd.DataFrame(rows, columns=list(HEADERS)).fillna("").astype(str)


#: Zip entry times and document dates of written workbooks: fixed, so bytes depend on content only.
XLSX_FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def write_bigkinds_xlsx(path: str | Path, rows: list[dict[str, str]], *, creator: str = "lib") -> Path:
    """Write rows the way BigKinds does: one sheet named ``sheet``, header row, text cells.

    Empty values are left as no cell, as in real downloads. The file's bytes depend only on
    ``rows`` (zip entry times and document dates are fixed), so generated corpora are
    reproducible. Used by the synthetic sample, tests and benchmarks.
    """
    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    # openpyxl compares sheet titles without case: renaming "Sheet" straight to "sheet" gives "sheet1".
    ws.title = "export"
    ws.title = "sheet"
    ws.append(list(HEADERS))
    for row in rows:
        ws.append([str(row.get(h, "")) or None for h in HEADERS])
    wb.properties.creator = creator
    wb.properties.created = wb.properties.modified = datetime(*XLSX_FIXED_TIME)
    wb.save(path)
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """Rewrite an xlsx with fixed zip entry times and document dates."""
    iso = datetime(*XLSX_FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rb"\g<1>" + iso + rb"\g<3>", data
                )
            info = zipfile.ZipInfo(name, date_time=XLSX_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())


def write_bigkinds_csv(path: str | Path, rows: list[dict[str, str]], *, encoding: str = "utf-8-sig") -> Path:
    """A user's CSV conversion of a download (``utf-8-sig`` or ``cp949``, CRLF line ends)."""
    path = Path(path)
    text = to_bigkinds_frame(rows).to_csv(index=False, lineterminator="\r\n")
    path.write_bytes(text.encode(encoding))
    return path
