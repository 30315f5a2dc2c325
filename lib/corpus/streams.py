"""Row streams of delimited text, JSON lines and workbooks, with every flaw tied to its place.

The loader turns each row into a record; this module only splits files into rows, one at a
time, so memory stays bounded by one row, not by the file:

* ``find_header`` looks for the header row among a file's first lines and works out the
  delimiter (comma, tab, semicolon, bar) from which split gives known headers;
* ``iter_delimited`` yields rows with their line numbers; a quote that is never closed, or that
  swallows lines which are rows of their own, costs one reject for the line that opened it and
  the swallowed lines are read again as rows; rows cut short or too long are rejects too;
* ``iter_json_lines`` yields objects with line numbers; a first line without the article fields
  (export metadata) is a reject, not the end of the file; a file of saved API responses, one
  per line (Naver's search API: ``{"total": …, "items": [articles]}``), yields the articles of
  each (``line 2 item 5``), as ``response_items`` finds them;
* ``iter_workbook`` reads a workbook sheet by sheet: every sheet whose header row (in its first
  rows) is known is read, empty rows are not records, and the zip's inflated size is checked
  before anything is unpacked.

Every item is ``(label, cells)`` or ``(label, reason)``: ``cells`` maps header → raw value.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lib.corpus.columnar import ColumnBlock, row_label
from lib.corpus.columns import ColumnMap, clean_markup, map_columns
from lib.corpus.errors import CorpusError, RecordError
from lib.corpus.schema import reject_identity

#: Rows searched for a header at the top of a file or sheet.
HEADER_SEARCH_ROWS = 20
DELIMITERS = (",", "\t", ";", "|")
#: Inflated size above which a workbook is refused (a real 20,000-row BigKinds download is ~60 MB).
MAX_WORKBOOK_INFLATED = 512 << 20
#: Inflated/compressed ratio above which a workbook larger than ``MIN_RATIO_CHECKED`` is refused.
MAX_WORKBOOK_RATIO = 100
MIN_RATIO_CHECKED = 64 << 20

#: A record of a stream: its label and its cells, or the reason it is not one (a
#: ``RecordError`` when the record could still be named by its id and headline).
Item = tuple[str, "dict[str, object] | str | RecordError"]
IsHeader = Callable[[list[str]], bool]
MissingHeaders = Callable[[list[str]], list[str]]


@dataclass
class StreamNotes:
    """What a stream noticed that is not a row: shown in the manifest's note."""

    items: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    #: What the file is, for messages: "CSV file", "workbook", "JSON lines file", ...
    what: str = "table"
    #: The caller's ``{source column: field}`` mapping (``load_corpus(columns=)``), which names
    #: a row that does not fit its header as the loader would read it.
    columns: dict[str, str] | None = None

    def add(self, text: str) -> None:
        self.items.append(text)


# --------------------------------------------------------------------------------------------
# Delimited text
# --------------------------------------------------------------------------------------------


def find_header(lines: list[str], is_header: IsHeader) -> tuple[int, str, list[str]] | None:
    """``(line index, delimiter, stripped header fields)`` of the first known header line."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for sep in DELIMITERS:
            if sep not in line:
                continue
            fields = [f.strip().strip("\ufeff") for f in next(csv.reader([line], delimiter=sep))]
            if is_header(fields):
                return index, sep, fields
    return None


class _LineFeed:
    """The lines a csv.reader consumes, with their numbers and a way to put lines back."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._pending: list[str] = []
        self.number = 0
        self.span: list[str] = []

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        line = self._pending.pop() if self._pending else next(self._lines)
        self.number += 1
        self.span.append(line)
        return line

    def take_span(self) -> tuple[int, list[str]]:
        span, self.span = self.span, []
        return self.number - len(span) + 1, span

    def push_back(self, lines: list[str]) -> None:
        self._pending.extend(reversed(lines))
        self.number -= len(lines)


def _swallowed(span: list[str], fields: list[str], sep: str, n_fields: int) -> bool:
    """True when a record spanning several lines is a quote left open, not a multi-line field."""
    if len(fields) != n_fields:
        return True
    if n_fields < 4:
        return False
    # A line splits into at most one field more than it has delimiters: only lines with enough
    # delimiters are split again.
    return any(
        len(next(csv.reader([line], delimiter=sep))) >= n_fields
        for line in span[1:]
        if line.count(sep) >= n_fields - 1
    )


def _split_records(
    lines: Iterable[str], sep: str, n_fields: int, first_line: int = 1
) -> Iterator[tuple[int, list[str] | str]]:
    feed = _LineFeed(lines)
    feed.number = first_line - 1
    while True:
        reader = csv.reader(feed, delimiter=sep, strict=True)
        try:
            for fields in reader:
                start, span = feed.take_span()
                if len(span) > 1 and _swallowed(span, fields, sep, n_fields):
                    feed.push_back(span[1:])
                    yield start, (
                        f"unclosed quote: the field opened on line {start} runs into lines "
                        f"{start + 1}..{start + len(span) - 1}; line {start} is not a row, the lines after it are read again"
                    )
                    continue
                yield start, fields
            return
        except csv.Error as exc:
            start, span = feed.take_span()
            if not span:
                return
            feed.push_back(span[1:])
            yield start, _csv_flaw(exc, start)


def _csv_flaw(exc: csv.Error, line: int) -> str:
    """The reject reason of the record starting on ``line`` that the csv module refused."""
    if "field larger than field limit" in str(exc):
        # Not a broken line: one cell holds more than any article's text.
        return (
            f"a cell on line {line} is longer than {csv.field_size_limit():,} characters, more "
            "than one article's text (a quote left open, or a whole file pasted into one cell?)"
        )
    return f"malformed CSV line {line}: {exc}"


def iter_delimited(
    lines: Iterable[str],
    *,
    sep: str,
    header_index: int,
    header: list[str],
    notes: StreamNotes,
    first_line: int = 1,
    rows_before: int = 1,
) -> Iterator[Item]:
    """Rows of delimited text after its header line, as ``(label, {header: cell})``.

    ``lines`` are the file's lines with their line ends (a ``newline=''`` text stream).
    Labels are ``row N`` counting the header as row 1, with the line when it differs.
    ``first_line`` and ``rows_before`` continue the numbering when ``lines`` start further into
    the file, at a record's first line (``rows_before`` rows, the header included, before it).
    """
    n_fields = len(header)
    notes.header = header
    row = rows_before
    named = _row_naming(header, notes.columns)
    for line, fields in _split_records(lines, sep, n_fields, first_line):
        if line <= header_index + 1:
            if line <= header_index:
                notes.add(f"line {line} before the header row skipped")
            continue
        if isinstance(fields, str):
            row += 1
            yield row_label(row, line), fields
            continue
        if not any(f.strip() for f in fields):
            continue  # an empty row is not a record
        row += 1
        label = row_label(row, line)
        if len(fields) < n_fields:
            last = header[len(fields) - 1] if fields else ""
            yield label, named(f"row cut short: {len(fields)} of {n_fields} fields "
                               f"(ends after '{last}')", fields)
            continue
        if len(fields) > n_fields and any(f.strip() for f in fields[n_fields:]):
            yield label, named(f"expected {n_fields} fields, got {len(fields)} "
                               f"(delimiter {sep!r})", fields)
            continue
        yield label, dict(zip(header, fields))


def _row_naming(header: list[str], explicit: Mapping[str, str] | None = None
                ) -> Callable[[str, list[str]], RecordError]:
    """For a row of ``header``'s table whose fields do not fit it: a function making its
    ``RecordError`` named by the id, address and headline among its fields, read as the loader
    maps the header (``columns.map_columns`` with the caller's ``explicit`` mapping, and a
    field's further columns where its own is empty; a headline's markup dropped). A row with
    too many fields is named by its first ones, which are in place unless the extra delimiter
    comes before them; unnamed when the header maps none of them."""
    try:
        mapped = map_columns(header, explicit)
    except ValueError:
        mapped = ColumnMap()
    where = {src: i for i, src in enumerate(header)}

    def named(reason: str, fields: list[str]) -> RecordError:
        def cell(column: str) -> str:
            i = where.get(column)
            return fields[i] if i is not None and i < len(fields) else ""

        values = mapped.row_values(cell)
        return RecordError(reason).naming(reject_identity(
            values.get("article_id", ""), values.get("url", ""),
            clean_markup(str(values.get("title") or ""))))

    return named


# --------------------------------------------------------------------------------------------
# JSON lines
# --------------------------------------------------------------------------------------------


#: The reason a saved API response without items is listed in ``rejects``.
EMPTY_RESPONSE = "a saved API response without items (its query found nothing)"


def response_items(obj: object) -> list[dict] | None:
    """The articles of a saved API response: the one list of objects a JSON object holds under
    a key (Naver's search API: ``{"lastBuildDate": …, "total": …, "items": [articles]}``), also
    an empty ``items`` list (a query without results). None for any other value."""
    if not isinstance(obj, dict):
        return None
    items = obj.get("items")
    if isinstance(items, list) and all(isinstance(x, dict) for x in items):
        return items
    lists = [v for v in obj.values()
             if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    return lists[0] if len(lists) == 1 else None


def iter_json_lines(lines: Iterable[str], *, is_header: IsHeader, shown: str) -> Iterator[Item]:
    """Objects of a JSON-lines file as ``(line N, object)``; flaws as ``(line N, reason)``.

    Objects before the first one with the article fields are rejects (export metadata); when
    none of the first lines has them, the file is not a corpus (CorpusError). When the first
    line with article fields holds them in a response's list (``response_items``), every
    response line gives its articles as ``(line N item K, object)``.
    """
    found = False
    responses = False  # the lines are saved API responses
    seen = 0
    for number, line in enumerate(lines, start=1):
        text = line.strip().lstrip("\ufeff")
        if not text:
            continue
        seen += 1
        label = f"line {number}"
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield label, f"invalid JSON ({exc.msg} at column {exc.colno})"
        except RecursionError:
            yield label, "invalid JSON (nested too deeply)"
        else:
            items = None
            unread = not found and isinstance(obj, dict) and not is_header([str(k) for k in obj])
            if responses or unread:  # a response, or a line before the first article
                items = response_items(obj)
                if items and not responses:
                    keys = list(dict.fromkeys(str(k) for item in items[:50] for k in item))
                    responses = is_header(keys)
            if items == []:
                yield label, EMPTY_RESPONSE
            elif responses and items is not None:
                found = True
                for k, item in enumerate(items, start=1):
                    yield f"{label} item {k}", item
            elif not isinstance(obj, dict):
                yield label, "a JSON line must hold an object"
            elif not found and not is_header([str(k) for k in obj]):
                keys = ", ".join(str(k) for k in list(obj)[:6])
                yield label, f"not an article: a JSON object without title and body/keywords (keys: {keys})"
            else:
                found = True
                yield label, obj
        if not found and seen >= HEADER_SEARCH_ROWS:
            raise CorpusError(f"{shown}: none of the first {seen} JSON lines has the canonical fields (title, body)")
    if not found and seen:
        raise CorpusError(f"{shown}: JSON lines without the canonical fields (title, body)")


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------


def check_workbook_size(path: Path, shown: str) -> None:
    """CorpusError when an xlsx inflates beyond the limits (a shared-strings or sheet bomb)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CorpusError(f"{shown}: unreadable workbook ({exc})") from exc
    inflated = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    too_big = inflated > MAX_WORKBOOK_INFLATED
    too_dense = inflated > MIN_RATIO_CHECKED and inflated / packed > MAX_WORKBOOK_RATIO
    if biggest is not None and (too_big or too_dense):
        raise CorpusError(
            f"{shown}: the workbook inflates to {inflated >> 20} MB from {packed >> 20 or '<1'} MB "
            f"({biggest.filename} alone {biggest.file_size >> 20} MB); refused as a likely zip bomb. "
            "Open it in a spreadsheet program and save a copy, or export the sheet as CSV"
        )


#: A gap of more empty rows than this below a sheet's rows marks the rows after it as stray.
STRAY_ROW_GAP = 10_000
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
# The same for sheets without a namespace prefix on their row tags (no ":row" in the text): a
# pattern that opens with a literal is searched for, not tried at every "<".
_PLAIN_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+\d+)\"")


def _far_rows(archive: zipfile.ZipFile, name: str) -> list[int]:
    """Row numbers of a worksheet that lie beyond a gap of STRAY_ROW_GAP empty rows (streamed)."""
    numbers: list[int] = []
    tail = b""
    with archive.open(name) as handle:
        while chunk := handle.read(1 << 20):
            data = tail + chunk
            cut = data.rfind(b"<")
            pattern = _ROW_NUMBER if b":row" in data else _PLAIN_ROW_NUMBER
            numbers.extend(int(m.group(1)) for m in pattern.finditer(data, 0, cut if cut > 0 else len(data)))
            tail = data[cut:] if cut > 0 else b""
    numbers.extend(int(m.group(1)) for m in _ROW_NUMBER.finditer(tail))
    numbers.sort()
    previous = 0
    for index, number in enumerate(numbers):
        if number - previous > STRAY_ROW_GAP:
            return numbers[index:]
        previous = number
    return []


def trim_stray_rows(path: Path, scratch: Path) -> tuple[Path, list[tuple[str, str]]]:
    """A copy of the workbook without rows that lie far below the data (a stray cell at row
    1,048,576 makes a reader allocate every row in between), and a reject for each such row.

    Returns ``(path to read, [(label, reason)])``; the path is ``path`` itself when nothing is
    stray, else a trimmed copy written into the folder ``scratch``.
    """
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        far = {name: rows for name in sheets if (rows := _far_rows(archive, name))}
        if not far:
            return path, []
        rejects: list[tuple[str, str]] = []
        trimmed = scratch / "trimmed.xlsx"
        with zipfile.ZipFile(trimmed, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                data = archive.read(info.filename)
                if info.filename in far:
                    data, removed = _drop_rows(data, set(far[info.filename]))
                    where = "" if len(sheets) == 1 else f"{info.filename} "
                    for number, cells in removed:
                        rejects.append((
                            f"{where}row {number}",
                            (
                                f"stray cell(s) {', '.join(cells[:5])} more than {STRAY_ROW_GAP:,} empty rows "
                                "below the table: not read as an article (delete them in the spreadsheet if "
                                "they are debris)"
                            ),
                        ))
                out.writestr(info, data)
    return trimmed, rejects


def _drop_rows(data: bytes, numbers: set[int]) -> tuple[bytes, list[tuple[int, list[str]]]]:
    removed: list[tuple[int, list[str]]] = []

    def drop(m: re.Match[bytes]) -> bytes:
        found = _ROW_NUMBER.match(m.group(0))
        if found is None or int(found.group(1)) not in numbers:
            return m.group(0)
        cells = [c.decode("ascii") for c in _CELL_REF.findall(m.group(0))]
        removed.append((int(found.group(1)), cells))
        return b""

    pattern = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.DOTALL)
    data = pattern.sub(drop, data)
    data = re.sub(rb"<(?:\w+:)?dimension\b[^>]*/>", b"", data, count=1)
    return data, removed


def _sheet_blocks(
    rows: Iterator[list[object]], header: list[str], first: int, size: int, prefix: str
) -> Iterator[Item]:
    """The rest of a sheet's ``rows`` (the first numbered ``first``) as ``("", ColumnBlock)``
    items of up to ``size`` rows, empty rows left out, each column's cells as calamine gives
    them; a later column of a repeated header wins and a row shorter than the header has
    ``None`` in the columns it lacks, as in a row's ``dict(zip(header, cells))``."""
    width = len(header)
    while batch := list(itertools.islice(rows, size)):
        kept = [i for i, values in enumerate(batch) if not _is_empty_row(values)]
        numbers = np.asarray(kept, dtype=np.int64) + first
        first += len(batch)
        if not kept:
            continue
        chosen = [batch[i] for i in kept] if len(kept) < len(batch) else batch
        if any(len(values) != width for values in chosen):
            chosen = [list(values[:width]) + [None] * (width - len(values)) for values in chosen]
        columns = dict(zip(header, map(list, zip(*chosen))))
        yield "", ColumnBlock(columns, numbers, numbers, prefix=prefix)


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_empty_row(values: list[object]) -> bool:
    """True when every cell of a row reads as "" (``_cell_text``): text cells of spaces only;
    numbers, dates and other values always read as something."""
    try:
        return not "".join(values).strip()  # type: ignore[arg-type]
    except TypeError:  # a cell that is not text
        return not any(_cell_text(v) for v in values)


def iter_workbook(
    path: Path, *, is_header: IsHeader, missing_headers: MissingHeaders, shown: str, notes: StreamNotes,
    block_rows: int = 0,
) -> Iterator[Item]:
    """Rows of every sheet whose header row is known, as ``(label, {header: cell})``.

    Labels are ``row N`` on the first sheet read and ``sheet 'name' row N`` on later ones (N as
    the spreadsheet numbers rows). Sheets without a known header are named in ``notes``.
    With ``block_rows``, a sheet's rows after its header come instead as
    ``("", ColumnBlock)`` items of up to that many rows (:class:`lib.corpus.columnar.ColumnBlock`,
    whose labels are those above): the same cells, without a dict per row.
    """
    with tempfile.TemporaryDirectory(prefix="corpus-xlsx-") as scratch:
        stray: list[tuple[str, str]] = []
        readable = path
        if zipfile.is_zipfile(path):
            check_workbook_size(path, shown)
            try:
                readable, stray = trim_stray_rows(path, Path(scratch))
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise CorpusError(f"{shown}: unreadable workbook ({type(exc).__name__}: {exc})") from exc
        yield from _workbook_rows(readable, is_header=is_header, missing_headers=missing_headers, shown=shown,
                                  notes=notes, block_rows=block_rows)
        yield from stray


def _workbook_rows(
    path: Path, *, is_header: IsHeader, missing_headers: MissingHeaders, shown: str, notes: StreamNotes,
    block_rows: int = 0,
) -> Iterator[Item]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise CorpusError(f"{shown}: unreadable workbook ({type(exc).__name__}: {exc})") from exc
    read_any = False
    first_row: list[str] = []
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.iter_rows()
            top = sheet.start[0] if sheet.start else 0
        except Exception as exc:  # calamine raises its own error types for broken sheets
            raise CorpusError(f"{shown}: sheet '{name}' unreadable ({type(exc).__name__}: {exc})") from exc
        header: list[str] | None = None
        for offset, values in enumerate(rows):
            number = top + offset + 1
            if header is None:
                texts = [_cell_text(v) for v in values]
                if offset == 0 and not first_row:
                    first_row.extend(texts)
                if is_header(texts):
                    header = texts
                    notes.header = notes.header or texts
                    if offset:
                        notes.add(f"sheet '{name}': {offset} row(s) above the header skipped")
                    if block_rows:
                        prefix = "" if not read_any else f"sheet '{name}' "
                        yield from _sheet_blocks(rows, header, number + 1, block_rows, prefix)
                        break
                elif offset >= HEADER_SEARCH_ROWS:
                    break
                continue
            if _is_empty_row(values):
                continue  # an empty row is not a record
            prefix = "" if not read_any else f"sheet '{name}' "
            yield f"{prefix}row {number}", dict(zip(header, values))
        if header is None:
            notes.add(f"sheet '{name}' has no BigKinds or canonical header row: not read")
        else:
            read_any = True
    if not read_any:
        raise CorpusError(
            f"{shown}: no sheet of the workbook ({', '.join(repr(n) for n in names)}) has the BigKinds "
            f"headers (missing: {', '.join(missing_headers(first_row))}) or the canonical columns "
            "(title, body) in its first rows"
        )
