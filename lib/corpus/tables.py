"""News tables of any schema: CSV/TSV, JSON lines, JSON arrays, Parquet.

A table's columns are mapped onto the canonical article schema by ``lib.corpus.columns`` (the
alias table, or the user's ``columns=`` mapping). A table needs at least one text column (body
or keywords); a title column is expected, and when a table has none (AI-Hub's summarisation
data) the title is the body's first sentence and the manifest says so. Columns the mapping does
not use are listed in the manifest's note, so a user sees that they were not read.

Every text value is cleaned once here: lists of sentences joined, HTML tags stripped and
entities unescaped, empty brackets dropped from reporter names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from email.utils import parsedate_to_datetime

import pandas as pd

from lib.corpus.columns import (
    ColumnMap,
    clean_markup,
    clean_reporter,
    flatten_text,
    map_columns,
    outlet_from_url,
)
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text

_TRUE = {"true", "1", "yes", "y", "t"}
#: Fields whose values are free text that may carry markup or arrive as lists.
_MARKUP_FIELDS = frozenset(
    {"title", "subtitle", "body", "captions", "outlet", "section", "reporter", "keywords"}
)
_RFC822 = re.compile(r"^[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")
_COMPACT_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")
_KOREAN_DATE = re.compile(
    r"^(\d{4})\s?[.\-/년]\s?(\d{1,2})\s?[.\-/월]\s?(\d{1,2})\s?[.일]?"
    r"(?:\s*(오전|오후|AM|PM|am|pm)?\s*(\d{1,2})\s?[:시]\s?(\d{1,2})(?:\s?[:분]\s?(\d{1,2})?\s?초?)?)?\s*$"
)
_FIRST_SENTENCE = re.compile(r"^(.{8,120}?[.!?。])(?:\s|$)")
TITLE_FROM_BODY_CHARS = 80


def iter_records(
    frame: pd.DataFrame, colmap: ColumnMap | None = None, *, first_row: int = 2
) -> Iterator[tuple[str, dict[str, object] | RecordError]]:
    """Yield ``(record_label, record_or_error)`` per row of ``frame``.

    ``colmap`` says which column fills which field (default: ``map_columns`` on the frame's
    header). Labels count the header as row 1 unless ``first_row`` says otherwise.
    """
    colmap = colmap if colmap is not None else map_columns(list(frame.columns))
    sources = colmap.source_columns()
    lead = any(s in colmap.lead_columns for s in colmap.fields)
    for offset, values in enumerate(frame[sources].itertuples(index=False, name=None)):
        row = dict(zip(sources, values))
        yield f"row {offset + first_row}", record_from_values(colmap.row_values(row.get), lead=lead)


def record_from_values(
    row: Mapping[str, object], *, lead: bool = False
) -> dict[str, object] | RecordError:
    """One record from ``{field: raw value}``: cleaned text, parsed date, derived title/outlet.

    ``lead``: the body column holds a snippet (Naver's description), so ``lead_only`` is True
    unless the row says otherwise. A row from a table without a title column gets its body's
    first sentence as title; an empty title in a title column is ``no title``.
    """
    record: dict[str, object] = {}
    for col, value in row.items():
        if col == "published":
            continue
        if col == "lead_only":
            record[col] = _as_bool(value)
            continue
        record[col] = _as_text(col, value)
    if "title" not in row and record.get("body"):
        record["title"] = title_from_body(str(record["body"]))
    if not record.get("title"):
        return RecordError("no title")
    if not record.get("outlet") and record.get("url"):
        record["outlet"] = outlet_from_url(str(record["url"]))
    if lead and "lead_only" not in row:
        record["lead_only"] = True
    if "published" in row:
        try:
            record["published"] = as_timestamp(row["published"])
        except RecordError as err:
            return err
    return record


def title_from_body(body: str) -> str:
    """A title for a row that has none: the body's first sentence, at most 80 characters."""
    first = body.strip().split("\n", 1)[0]
    m = _FIRST_SENTENCE.match(first)
    text = m.group(1) if m else first
    return (
        text
        if len(text) <= TITLE_FROM_BODY_CHARS
        else text[: TITLE_FROM_BODY_CHARS - 1].rstrip() + "…"
    )


def _as_text(col: str, value: object) -> str:
    joined = flatten_text(value) if col in _MARKUP_FIELDS else None
    if joined is not None:
        value = joined
    elif isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    text = normalize_text(value).strip()
    if text in {"nan", "None", "NaN"}:
        return ""
    if col in _MARKUP_FIELDS:
        text = clean_markup(text).strip()
    if col == "reporter":
        text = clean_reporter(text)
    return text


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return normalize_text(value).strip().lower() in _TRUE


def as_timestamp(value: object) -> pd.Timestamp | None:
    """A table's date value → Korean wall-clock ``Timestamp`` (tz-naive); ``None`` when empty.

    Reads ISO forms, ``YYYYMMDD`` (BigKinds 일자), RFC 822 (``Mon, 01 Dec 2025 09:30:00 +0900``,
    Naver), dotted Korean forms (``2021.03.15. 오후 3:20``), epoch seconds/milliseconds and
    ``datetime`` values. Zoned times are converted to Asia/Seoul. Raises ``RecordError``
    (``unparseable date '…'``) for anything else.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return _seoul(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(value)
    text = normalize_text(value).strip()
    if not text:
        return None
    stamp = _parse_text(text)
    if stamp is None or pd.isna(stamp):
        raise RecordError(f"unparseable date '{text}'")
    return _seoul(stamp)


def _parse_text(text: str) -> pd.Timestamp | None:
    if _RFC822.match(text):
        try:
            return pd.Timestamp(parsedate_to_datetime(text))
        except (TypeError, ValueError):
            return None
    m = _COMPACT_DAY.match(text)
    if m:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        return _build(y, mo, d, h, mi, s)
    m = _KOREAN_DATE.match(text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        h = int(m.group(5)) if m.group(5) else 0
        mi = int(m.group(6)) if m.group(6) else 0
        s = int(m.group(7)) if m.group(7) else 0
        ampm = (m.group(4) or "").lower()
        if ampm in ("오후", "pm") and h < 12:
            h += 12
        elif ampm in ("오전", "am") and h == 12:
            h = 0
        return _build(y, mo, d, h, mi, s)
    if text.isdigit() and len(text) in (10, 13):
        return _from_number(int(text))
    try:
        return pd.Timestamp(text)
    except (ValueError, OverflowError):
        return None


def _build(y: int, mo: int, d: int, h: int, mi: int, s: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=y, month=mo, day=d, hour=h, minute=mi, second=s)
    except ValueError:
        return None


def _from_number(value: float) -> pd.Timestamp:
    unit = "ms" if value > 1e11 else "s"
    try:
        return pd.Timestamp(value, unit=unit, tz="UTC").tz_convert("Asia/Seoul").tz_localize(None)
    except (ValueError, OverflowError) as exc:
        raise RecordError(f"unparseable date '{value}'") from exc


def _seoul(stamp: pd.Timestamp) -> pd.Timestamp:
    if stamp.tzinfo is not None:
        # Korean wall-clock time is the schema's convention.
        return stamp.tz_convert("Asia/Seoul").tz_localize(None)
    return stamp
