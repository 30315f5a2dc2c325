"""Tidy tables already in the canonical article schema: CSV/TSV, JSON lines, Parquet.

A table needs a ``title`` column and at least one text column (body or keywords); every other
canonical column is optional. Columns the schema does not know are ignored and listed in the
manifest's note, so a user sees that they were not used.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from lib.corpus.errors import RecordError
from lib.corpus.schema import ARTICLE_COLUMNS, normalize_text

#: Columns a loader derives itself; a table may carry them but they are recomputed.
DERIVED = ("source_file", "source_format", "dup_group", "is_duplicate")
TEXT_ANY = ("body", "keywords")
_TRUE = {"true", "1", "yes", "y", "t"}


def is_canonical_header(columns: list[str]) -> bool:
    """True when ``columns`` look like the canonical schema (title plus body or keywords)."""
    present = {str(c).strip() for c in columns}
    return "title" in present and any(c in present for c in TEXT_ANY)


def unknown_columns(columns: list[str]) -> list[str]:
    return [str(c) for c in columns if str(c).strip() not in ARTICLE_COLUMNS]


def iter_records(frame: pd.DataFrame) -> Iterator[tuple[str, dict[str, object] | RecordError]]:
    """Yield ``(record_label, record_or_error)`` per row; labels count the header as row 1."""
    frame = frame.rename(columns=lambda c: str(c).strip())
    columns = [c for c in ARTICLE_COLUMNS if c in frame.columns and c not in DERIVED]
    for offset, values in enumerate(frame[columns].itertuples(index=False, name=None)):
        yield f"row {offset + 2}", _record(dict(zip(columns, values)))


def _record(row: dict[str, object]) -> dict[str, object] | RecordError:
    record: dict[str, object] = {}
    for col, value in row.items():
        if col == "published":
            continue
        if col == "lead_only":
            record[col] = _as_bool(value)
        else:
            record[col] = normalize_text(value).strip()
    if not record.get("title"):
        return RecordError("no title")
    if "published" in row:
        try:
            record["published"] = _as_timestamp(row["published"])
        except RecordError as err:
            return err
    return record


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return normalize_text(value).strip().lower() in _TRUE


def _as_timestamp(value: object) -> pd.Timestamp | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None) if value.tzinfo else value
    text = normalize_text(value).strip()
    if not text:
        return None
    try:
        stamp = pd.Timestamp(text)
    except (ValueError, OverflowError) as exc:
        raise RecordError(f"unparseable date '{text}'") from exc
    if pd.isna(stamp):
        raise RecordError(f"unparseable date '{text}'")
    if stamp.tzinfo is not None:
        # Korean wall-clock time is the schema's convention.
        stamp = stamp.tz_convert("Asia/Seoul").tz_localize(None)
    return stamp
