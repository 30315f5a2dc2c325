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
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from lib.corpus import columnar
from lib.corpus.columnar import Chunk
from lib.corpus.columns import (
    ColumnMap,
    clean_markup,
    clean_reporter,
    flatten_text,
    is_empty,
    map_columns,
    outlet_from_url,
)
from lib.corpus.dates import parse_date
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text, reject_identity

_TRUE = {"true", "1", "yes", "y", "t"}
#: Fields whose values are free text that may carry markup or arrive as lists.
_MARKUP_FIELDS = frozenset(
    {"title", "subtitle", "body", "captions", "outlet", "section", "reporter", "keywords"}
)
# repr() of bytes (b'...', b"...") or of a list/tuple of strings (['x', 'y'], ("x",)).
_PRINTOUT = re.compile(r"""b'.*'|b".*"|\[\s*(['"]).*\1\s*\]|\(\s*(['"]).*\2\s*,?\s*\)""", re.DOTALL)
# How a printed list, tuple or bytes value opens (``_PRINTOUT``, ``columns._LIST_PRINTOUT``).
_PRINTED_STARTS = ("[", "(", "b'", 'b"')
_EMPTY_TEXT = frozenset({"nan", "None", "NaN"})
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
            return err.naming(_identity_of(row))
    if "title" not in row and record.get("body"):
        record["title"] = title_from_body(str(record["body"]))
    if not record.get("title"):
        untitled = reject_identity(record.get("article_id"), record.get("url"), "")
        return RecordError("no title").naming(untitled)
    if not record.get("outlet") and record.get("url"):
        record["outlet"] = outlet_from_url(str(record["url"]))
    if lead and "lead_only" not in row:
        record["lead_only"] = True
    if "published" in row:
        try:
            record["published"] = as_timestamp(row["published"])
        except RecordError as err:
            return err.naming(reject_identity(record.get("article_id"), record.get("url"),
                                              record["title"]))
    return record


def _identity_of(row: Mapping[str, object]) -> tuple[str, str]:
    """``schema.reject_identity`` of a row one of whose values is not text: its identifier,
    address and title read where they are text ("" where not, or absent)."""
    texts = []
    for col in ("article_id", "url", "title"):
        try:
            texts.append(_as_text(col, row[col]) if col in row else "")
        except RecordError:
            texts.append("")
    return reject_identity(*texts)


def _column(rows: Sequence[Mapping[str, object]] | columnar.ColumnBlock, name: str) -> list[object]:
    """A new list of the cells of column ``name`` (None where a row has no such column)."""
    if isinstance(rows, columnar.ColumnBlock):
        found = rows.column(name)
        return [None] * len(rows) if found is None else list(found)
    return [cells.get(name) for cells in rows]


def records_from_chunk(
    rows: Sequence[Mapping[str, object]] | columnar.ColumnBlock, colmap: ColumnMap, *, lead: bool = False
) -> Chunk:
    """Rows as ``{column: value}`` (or a ``columnar.ColumnBlock`` of them) → the records and reasons that ``record_from_values`` on
    ``colmap.row_values`` and the loader's shared checks (text repairs, visible title) give
    row by row, done column-wise (see ``lib.corpus.columnar.Chunk``)."""
    n = len(rows)
    fields = list(colmap.fields.values())
    values: dict[str, list[object]] = {}
    for src, dst in colmap.fields.items():
        column = _column(rows, src)
        for other in colmap.fallbacks.get(dst, ()):
            others: list[object] | None = None
            for i, value in enumerate(column):
                if is_empty(value):
                    others = _column(rows, other) if others is None else others
                    column[i] = others[i]
        values[dst] = column
    reasons: list[str | None] = [None] * n
    record: dict[str, list[object]] = {}
    for col in fields:
        if col == "published":
            continue
        if col == "lead_only":
            record[col] = columnar.map_distinct(values[col], _as_bool)
            continue
        texts, errors = _texts(col, values[col])
        record[col] = texts  # type: ignore[assignment]
        for i, message in errors.items():
            if reasons[i] is None:
                reasons[i] = message
    ok = [i for i in range(n) if reasons[i] is None]
    empty = [""] * n
    ids, addresses = record.get("article_id", empty), record.get("url", empty)
    # Rows with a value that is not text: a title column's titles, none derived from a body.
    identities = {i: reject_identity(ids[i], addresses[i], record.get("title", empty)[i])
                  for i in range(n) if reasons[i] is not None}
    if "title" not in fields:
        bodies = record.get("body", [""] * n)
        derived = [""] * n
        for i in ok:
            if bodies[i]:
                derived[i] = title_from_body(str(bodies[i]))
        record["title"] = derived  # type: ignore[assignment]
    titles = record["title"]
    urls = record.get("url")
    if urls is not None:
        outlets = record.setdefault("outlet", [""] * n)
        for i in ok:
            if not outlets[i] and urls[i]:
                outlets[i] = outlet_from_url(str(urls[i]))
    if lead and "lead_only" not in fields:
        record["lead_only"] = [True] * n
    published = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    stamps = columnar.map_distinct(values["published"], _stamp) if "published" in fields else None
    kept: list[int] = []
    for i in ok:
        if not titles[i]:
            reasons[i] = "no title"
            identities[i] = reject_identity(ids[i], addresses[i], "")
            continue
        if stamps is not None:
            stamp = stamps[i]
            if isinstance(stamp, str):
                reasons[i] = stamp
                identities[i] = reject_identity(ids[i], addresses[i], titles[i])
                continue
            published[i] = stamp  # type: ignore[assignment]
        kept.append(i)
    tallies: dict[int, Counter[str]] = {}
    text_columns = {k: v for k, v in record.items() if k != "lead_only"}
    columnar.repair_columns(text_columns, kept, tallies)
    for position in columnar.invisible_titles([str(titles[i]) for i in kept]):
        i = kept[position]
        title = str(titles[i])
        shown = " ".join(f"U+{ord(c):04X}" for c in title[:6])
        reasons[i] = f"no title (only invisible characters: {shown})" if title else "no title"
        identities[i] = reject_identity(ids[i], addresses[i], "")
    loaded = [i for i in kept if reasons[i] is None]
    columns: dict[str, object] = {k: [v[i] for i in loaded] for k, v in record.items()}
    columns["published"] = published[loaded]
    frame = columnar.to_canonical_frame(columns, len(loaded))
    return columnar.Chunk(reasons, frame, tallies, identities)


def _texts(col: str, values: list[object]) -> tuple[list[str], dict[int, str]]:
    """``_as_text`` over a column: the texts, and the reason for each value that is not text.

    Plain strings (not a printed list, bytes or tuple) are cleaned column-wise; other values
    one by one.
    """
    out: list[str] = [""] * len(values)
    errors: dict[int, str] = {}
    plain = [i for i, v in enumerate(values) if type(v) is str and not v.lstrip().startswith(_PRINTED_STARTS)]
    texts = columnar.normalize_column([values[i] for i in plain])  # type: ignore[misc]
    markup = col in _MARKUP_FIELDS
    for i, text in zip(plain, texts):
        text = text.strip()
        if text in _EMPTY_TEXT:
            text = ""
        elif markup and ("<" in text or "&" in text):
            text = clean_markup(text).strip()
        out[i] = text
    if col == "reporter":
        cleaned = columnar.map_distinct([out[i] for i in plain], clean_reporter)
        for i, text in zip(plain, cleaned):
            out[i] = text  # type: ignore[assignment]
    if len(plain) != len(values):
        done = set(plain)
        for i, value in enumerate(values):
            if i in done:
                continue
            try:
                out[i] = _as_text(col, value)
            except RecordError as err:
                errors[i] = str(err)
    return out, errors


def _stamp(value: object) -> int | str:
    """A date value → nanoseconds (NaT's value when empty), or the reason it is not a date."""
    try:
        stamp = as_timestamp(value)
    except RecordError as err:
        return str(err)
    return np.iinfo(np.int64).min if stamp is None else stamp.value


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
