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
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from itertools import repeat
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from lib.corpus import columnar
from lib.corpus.columns import clean_markup
from lib.corpus.dates import parse_date
from lib.corpus.columnar import Chunk
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text, reject_identity

#: The start of the reason a row BigKinds itself excluded is rejected with
#: (``excluded by BigKinds: 중복``; 분석제외 여부 gives the rest).
EXCLUDED_PREFIX = "excluded by BigKinds: "

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
#: BigKinds headers any Korean news table may have; a trimmed export keeps another one too.
_COMMON_HEADERS = frozenset({"일자", "언론사", "기고자", "제목", "본문", "URL"})

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
_CATEGORY_HEADERS = ("통합 분류1", "통합 분류2", "통합 분류3")
_AFTER_TITLE = HEADERS[HEADERS.index("제목") + 1 : HEADERS.index("분석제외 여부")]
_FEATURES = "특성추출(가중치순 상위 50개)"
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
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
    제목, a text column (본문 or 키워드) and one header only BigKinds writes (키워드, 뉴스
    식별자, 통합 분류1, …): a user's own table headed 제목, 본문, 일자, 언론사 is a table of
    full texts, not a download whose 본문 is a 200-character lead.
    """
    present = {canonical_header(c) for c in columns}
    if all(h in present for h in REQUIRED):
        return True
    return (present <= set(HEADERS) and {"일자", "제목"} <= present
            and bool({"본문", "키워드"} & present) and bool(present - _COMMON_HEADERS))


def missing_headers(columns: list[str]) -> list[str]:
    present = {canonical_header(c) for c in columns}
    return [h for h in REQUIRED if h not in present]


def _cell(value: object) -> str:
    if value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number cell (일자 20210315) is text in the download
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


def parse_published(day: object, news_id: str) -> pd.Timestamp:
    """The publication time: 일자 (YYYYMMDD, an Excel date cell or serial), refined by the
    identifier's timestamp.

    The date goes through ``lib.corpus.dates`` (explicit formats, 1990 .. load day + 1). The
    identifier's 14 digits hold the wall-clock time; they are used only when their date agrees
    with 일자, so a malformed identifier can never move an article to another day.
    """
    stamp = parse_date(day)
    if stamp is None:
        raise RecordError("no date (일자 is empty)")
    match = _ID_PATTERN.match(news_id)
    if match and match.group(2)[:8] == stamp.strftime("%Y%m%d") and stamp == stamp.normalize():
        clock = match.group(2)[8:]
        try:
            return stamp.replace(hour=int(clock[:2]), minute=int(clock[2:4]), second=int(clock[4:]))
        except ValueError:
            return stamp
    return stamp


def record_from_cells(cells: Mapping[str, object]) -> dict[str, object] | RecordError:
    """One row as ``{header: cell}`` (stripped BigKinds headers, raw cells) → a record or error.

    Cells are read as text; 일자 keeps a real date cell as a date.
    """
    row = {h: "" for h in HEADERS}
    day: object = ""
    for name, value in cells.items():
        header = canonical_header(name)
        if header not in row:
            continue
        if header == "일자" and isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
            day = value  # a date cell, or a number: an Excel serial or YYYYMMDD
            row[header] = str(value)
        else:
            row[header] = _cell(value)
    return _record(row, row["일자"] if day == "" else day)


def _record(row: dict[str, str], day: object) -> dict[str, object] | RecordError:
    news_id = row["뉴스 식별자"]
    excluded = row["분석제외 여부"]
    identity = reject_identity(news_id, row["URL"], row["제목"])
    if excluded:
        return RecordError(f"{EXCLUDED_PREFIX}{excluded}").naming(identity)
    if not row["제목"]:
        return RecordError("no title").naming(identity)
    if not any(row[h] for h in _AFTER_TITLE):
        return RecordError(
            "row ends after 제목: no body, keywords or URL (the row was cut short)").naming(identity)
    try:
        published = parse_published(day, news_id)
    except RecordError as err:
        return err.naming(identity)
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
        # A download never holds a whole article: the ~200-character lead, or no 본문 at
        # all (a keyword-only export), whose text is its title and 키워드 list.
        lead_only=True,
    )
    return record


def records_from_chunk(rows: Sequence[Mapping[str, object]] | columnar.ColumnBlock) -> Chunk:
    """Rows as ``{header: cell}`` (or a ``columnar.ColumnBlock`` of them) → the same records
    and reasons as ``record_from_cells`` and the loader's shared checks (text repairs, visible
    title, identifier form) row by row, done
    column-wise: ``Chunk.reasons[i]`` is row i's reject reason or None, ``Chunk.frame`` holds
    the loaded rows in order (``source_file``/``source_format`` left for the caller; a mangled
    identifier is "" and counted as ``mangled identifiers`` in the row's tally).
    """
    n = len(rows)
    raw: dict[str, list[object]] = {h: [""] * n for h in HEADERS}
    if isinstance(rows, columnar.ColumnBlock):
        for name, values in rows.columns.items():
            header = canonical_header(name)
            if header in raw:
                keep = isinstance(values, list) or header in _AS_ARROW
                raw[header] = values if keep else values.to_pylist()  # type: ignore[assignment]
        return _records_from_raw(raw, n)
    groups: dict[tuple[str, ...], list[int]] = {}
    layouts = set(map(tuple, rows))
    if len(layouts) == 1:
        groups[layouts.pop()] = list(range(n))
    else:  # rows of sheets with different headers
        for i, cells in enumerate(rows):
            groups.setdefault(tuple(cells), []).append(i)
    for names, members in groups.items():
        chosen: dict[str, str] = {}
        for name in names:
            header = canonical_header(name)
            if header in raw:
                chosen[header] = name  # a later column of the same header wins, as in a dict
        if not chosen:
            continue
        wanted = list(chosen.values())
        source = rows if len(members) == n else [rows[i] for i in members]
        if len(wanted) == 1:
            picked: list[tuple[object, ...]] = [tuple(cells[wanted[0]] for cells in source)]
        else:
            picked = list(zip(*map(itemgetter(*wanted), source)))
        for header, values in zip(chosen, picked):
            if len(members) == n:
                raw[header] = list(values)
            else:
                column = raw[header]
                for i, value in zip(members, values):
                    column[i] = value
    return _records_from_raw(raw, n)


#: Headers whose cells may come as an Arrow array that cleaning leaves unchanged
#: (``columnar.ColumnBlock``): they go to the frame as they are, or only tell whether a row has
#: more than a title, so they never become Python strings.
_AS_ARROW = frozenset({"본문", "키워드", _FEATURES, "인물", "위치", "기관"})


def _is_arrow(values: object) -> bool:
    return not isinstance(values, list)


def _filled(values: object, n: int) -> np.ndarray:
    """Which of ``n`` cleaned cells (a list, or an Arrow array) are not empty."""
    if _is_arrow(values):
        import pyarrow.compute as pc

        return pc.greater(pc.binary_length(values), 0).to_numpy(zero_copy_only=False)
    return np.fromiter(map(bool, values), dtype=bool, count=n)  # type: ignore[call-overload]


def _rows_of(values: object, positions: list[int], n: int) -> object:
    """The cells at ``positions`` (ascending) of an Arrow array of ``n`` cells."""
    if len(positions) == n:
        return values
    import pyarrow as pa

    mask = np.zeros(n, dtype=bool)
    mask[positions] = True
    return values.filter(pa.array(mask))  # type: ignore[attr-defined]


def _records_from_raw(raw: dict[str, list[object]], n: int) -> Chunk:
    """``records_from_chunk`` on the cells of each of the 19 headers (``""`` where absent); the
    cells of ``_AS_ARROW`` headers may be Arrow arrays that cleaning leaves unchanged."""
    text = {
        h: raw[h] if _is_arrow(raw[h]) else columnar.cells_as_text(raw[h], _cell, _EMPTY_MARKERS)
        for h in HEADERS
        if h != "일자"
    }
    days: list[object]
    day_text: list[str]
    try:
        "".join(raw["일자"])  # type: ignore[arg-type]
    except TypeError:  # date cells or numbers among the text
        days, day_text = [], []
        plain = [v for v in raw["일자"] if isinstance(v, str)]
        plain_text = iter(columnar.cells_as_text(plain, _cell, _EMPTY_MARKERS))
        for value in raw["일자"]:
            if isinstance(value, str):
                shown = next(plain_text)
                days.append(shown)
            elif isinstance(value, (date, datetime, int, float)) and not isinstance(value, bool):
                shown = str(value)
                days.append(value)
            else:
                shown = _cell(value)
                days.append(shown)
            day_text.append(shown)
    else:
        day_text = columnar.cells_as_text(raw["일자"], _cell, _EMPTY_MARKERS)
        days = day_text  # type: ignore[assignment]
    text["일자"] = day_text

    reasons: list[str | None] = [None] * n
    excluded, titles = text["분석제외 여부"], text["제목"]
    has_rest = np.zeros(n, dtype=bool)
    for header in _AFTER_TITLE:
        has_rest |= _filled(text[header], n)
    stamps = columnar.map_distinct(days, _day)
    ids = text["뉴스 식별자"]
    flagged = np.fromiter(map(bool, excluded), dtype=bool, count=n)
    titled = np.fromiter(map(bool, titles), dtype=bool, count=n)
    undated = np.fromiter(map(isinstance, stamps, repeat(str)), dtype=bool, count=n)
    good = ~flagged & titled & has_rest & ~undated
    urls = text["URL"]
    identities: dict[int, tuple[str, str]] = {}
    for i in np.flatnonzero(~good).tolist():
        identities[i] = reject_identity(ids[i], urls[i], titles[i])
        if flagged[i]:
            reasons[i] = f"{EXCLUDED_PREFIX}{excluded[i]}"
        elif not titled[i]:
            reasons[i] = "no title"
        elif not has_rest[i]:
            reasons[i] = "row ends after 제목: no body, keywords or URL (the row was cut short)"
        else:
            reasons[i] = stamps[i]  # type: ignore[assignment]
    ok: list[int] = np.flatnonzero(good).tolist()
    published = np.array([_refined(stamps[i], ids[i]) for i in ok], dtype=np.int64)  # type: ignore[arg-type]

    def take(values: list[str]) -> list[object]:
        # Arrow arrays keep every row: they are cut once, to the rows loaded, at the end.
        return values if _is_arrow(values) else [values[i] for i in ok]

    contributors = columnar.map_distinct(take(text["기고자"]), split_contributor)
    categories = [
        "|".join(c for c in parts if c)
        for parts in zip(take(text["통합 분류1"]), take(text["통합 분류2"]), take(text["통합 분류3"]))
    ]
    record: dict[str, list[object]] = {canon: take(text[header]) for header, canon in _RENAME.items()}
    record["title"] = columnar.with_markup_cleaned(record["title"], clean_markup)  # type: ignore[arg-type]
    if not _is_arrow(record["body"]):
        record["body"] = columnar.with_markup_cleaned(record["body"], clean_markup)  # type: ignore[arg-type]
    record.update(
        article_id=take(ids),
        reporter=[c[0] for c in contributors],  # type: ignore[index]
        email=[c[1] for c in contributors],  # type: ignore[index]
        section=take(text["통합 분류1"]),
        categories=categories,  # type: ignore[dict-item]
    )
    tallies: dict[int, Counter[str]] = {}
    lists = {key: values for key, values in record.items() if not _is_arrow(values)}
    columnar.repair_columns(lists, range(len(ok)), tallies)
    invisible = set(columnar.invisible_titles(record["title"]))  # type: ignore[arg-type]
    kept: list[int] = []
    for pos, i in enumerate(ok):
        if pos in invisible:
            title = str(record["title"][pos])
            shown = " ".join(f"U+{ord(c):04X}" for c in title[:6])
            reasons[i] = f"no title (only invisible characters: {shown})" if title else "no title"
            identities[i] = reject_identity(record["article_id"][pos], record["url"][pos], "")
            continue
        kept.append(pos)
        news_id = str(record["article_id"][pos])
        if news_id and not is_valid_id(news_id):
            record["article_id"][pos] = ""
            tallies.setdefault(pos, Counter())["mangled identifiers"] += 1
    columns: dict[str, object] = {
        key: [values[p] for p in kept] if len(kept) != len(ok) else values
        for key, values in record.items()
        if not _is_arrow(values)
    }
    loaded = [ok[p] for p in kept]
    columns.update({key: _rows_of(values, loaded, n) for key, values in record.items() if _is_arrow(values)})
    columns["published"] = published[kept]
    columns["lead_only"] = np.ones(len(kept), dtype=bool)  # a lead, or no 본문 (see _record)
    row_tallies = {ok[p]: tallies[p] for p in kept if p in tallies}
    # Rejected rows' repairs count too (the per-record check repairs before it looks at titles).
    row_tallies.update({ok[p]: tallies[p] for p in invisible if p in tallies})
    frame = columnar.to_canonical_frame(columns, len(kept))
    return columnar.Chunk(reasons, frame, row_tallies, identities)


def _day(value: object) -> str | tuple[int, str, bool]:
    """A 일자 value → ``(nanoseconds, YYYYMMDD, at midnight)`` or the reject reason."""
    try:
        stamp = parse_date(value)
    except RecordError as err:
        return str(err)
    if stamp is None:
        return "no date (일자 is empty)"
    return stamp.value, stamp.strftime("%Y%m%d"), stamp == stamp.normalize()


def _refined(day: tuple[int, str, bool], news_id: str) -> int:
    """``parse_published`` on a parsed 일자: the identifier's clock when its date agrees.

    ``news_id`` is stripped. The identifier's form (``_ID_PATTERN``) is checked with string
    methods: 26-28 characters, a dot ninth, decimal digits elsewhere (what ``\\d`` matches);
    the same test without a regex call per row.
    """
    nanos, ymd, midnight = day
    if (
        midnight
        and 26 <= len(news_id) <= 28
        and news_id[8] == "."
        and news_id[9:17] == ymd
        and news_id[:8].isdecimal()
        and news_id[9:].isdecimal()
    ):
        hour, minute, second = int(news_id[17:19]), int(news_id[19:21]), int(news_id[21:23])
        if hour < 24 and minute < 60 and second < 60:
            return nanos + ((hour * 60 + minute) * 60 + second) * 1_000_000_000
    return nanos


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
