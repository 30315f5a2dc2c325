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

import pandas as pd

from lib.corpus.columns import (
    ColumnMap,
    clean_markup,
    clean_reporter,
    flatten_text,
    map_columns,
    outlet_from_url,
)
from lib.corpus.dates import parse_date
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text

_TRUE = {"true", "1", "yes", "y", "t"}
#: Fields whose values are free text that may carry markup or arrive as lists.
_MARKUP_FIELDS = frozenset(
    {"title", "subtitle", "body", "captions", "outlet", "section", "reporter", "keywords"}
)
# repr() of bytes (b'...', b"...") or of a list/tuple of strings (['x', 'y'], ("x",)).
_PRINTOUT = re.compile(r"""b'.*'|b".*"|\[\s*(['"]).*\1\s*\]|\(\s*(['"]).*\2\s*,?\s*\)""", re.DOTALL)
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
        try:
            record[col] = _as_text(col, value)
        except RecordError as err:
            return err
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
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError(f"{col}: bytes that are not UTF-8 text") from None
    joined = flatten_text(value) if col in _MARKUP_FIELDS else None
    if joined is None and isinstance(value, str) and _PRINTOUT.fullmatch(value.strip()):
        # A list printout in a text field was read as its list above; anything else printed
        # (bytes, a list in a field that takes none, a broken printout) is not text.
        raise RecordError(
            f"{col} holds a printed Python value ({value.strip()[:30]!r}): the table was written "
            "from bytes or lists, not text; write the text itself"
        )
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

    The one date parser of the loader (``lib.corpus.dates``): ISO forms, ``YYYYMMDD`` (BigKinds
    일자), RFC 822 (Naver), dotted Korean forms (``2021.03.15. 오후 3:20``), epoch seconds or
    milliseconds, Excel serials and ``datetime`` values, within 1990-01-01 .. load day + 1.
    Raises ``RecordError`` for anything else (``unparseable date '…'``, ``… outside the
    plausible range …``).
    """
    return parse_date(value)
