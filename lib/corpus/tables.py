"""Tidy tables already in the canonical article schema: CSV/TSV, JSON lines, Parquet.

A table needs a ``title`` column and at least one text column (body or keywords); every other
canonical column is optional. Columns the schema does not know are ignored and listed in the
manifest's note, so a user sees that they were not used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from lib.corpus.dates import parse_date
from lib.corpus.errors import RecordError
from lib.corpus.schema import ARTICLE_COLUMNS, normalize_text

#: Columns a loader derives itself; a table may carry them but they are recomputed.
DERIVED = ("source_file", "source_format", "dup_group", "is_duplicate")
TEXT_ANY = ("body", "keywords")
_TRUE = {"true", "1", "yes", "y", "t"}
#: List-like columns and the separator a list value is joined with.
_JOINED = {"keywords": ",", "features": ",", "places": ",", "categories": "|", "captions": "\n"}
# repr() of bytes (b'...', b"...") or of a list/tuple of strings (['x', 'y'], ("x",)).
_PRINTOUT = re.compile(r"""b'.*'|b".*"|\[\s*(['"]).*\1\s*\]|\(\s*(['"]).*\2\s*,?\s*\)""", re.DOTALL)


def is_canonical_header(columns: list[str]) -> bool:
    """True when ``columns`` look like the canonical schema (title plus body or keywords)."""
    present = {str(c).strip() for c in columns}
    return "title" in present and any(c in present for c in TEXT_ANY)


def unknown_columns(columns: list[str]) -> list[str]:
    return [str(c) for c in columns if str(c).strip() not in ARTICLE_COLUMNS]


def record_from_cells(cells: Mapping[str, object]) -> dict[str, object] | RecordError:
    """One row as ``{column: value}`` (any columns) → a record or error; unknown columns ignored."""
    row = {}
    for key, value in cells.items():
        name = str(key).strip()
        if name in ARTICLE_COLUMNS and name not in DERIVED:
            row[name] = value
    return _record(row)


def _record(row: dict[str, object]) -> dict[str, object] | RecordError:
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
    if not record.get("title"):
        return RecordError("no title")
    if "published" in row:
        try:
            record["published"] = parse_date(row["published"])
        except RecordError as err:
            return err
    return record


def _as_text(col: str, value: object) -> str:
    """A cell as text. Lists (Parquet list columns) are joined for the list-like columns;
    bytes must be UTF-8; a printed Python value (``b'…'``, ``['…']``) is refused."""
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise RecordError(f"{col}: bytes that are not UTF-8 text") from None
    elif isinstance(value, (list, tuple, np.ndarray)):
        if col not in _JOINED:
            raise RecordError(f"{col}: a list where text was expected")
        value = _JOINED[col].join(normalize_text(v).strip() for v in value)
    text = normalize_text(value).strip()
    if _PRINTOUT.fullmatch(text):
        raise RecordError(
            f"{col} holds a printed Python value ({text[:30]!r}): the table was written from "
            "bytes or lists, not text; write the text itself"
        )
    return text


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return normalize_text(value).strip().lower() in _TRUE
