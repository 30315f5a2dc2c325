"""The codebook of a report folder: every column of every CSV file it holds, what it means and
in what unit.

The CSV files keep the analysis's own columns and raw values (shares as fractions 0–1, trend
slopes and their intervals in log odds a year), which is right for code but says nothing to a
reader who opens one in a spreadsheet. ``make report`` therefore writes ``codebook.csv`` beside
the pages: one row per file and column, with the header the reports show for it
(:func:`lib.present.tables.column_headers`, which also says how the report formats it) and the
unit of the value in the file. A column no table of the reports names is listed with an empty
meaning, so a reader sees what is undocumented instead of missing it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from lib.present import tables

CODEBOOK_FILE = "codebook.csv"
CODEBOOK_COLUMNS: tuple[str, ...] = ("file", "column", "meaning", "unit_in_file")

#: The unit of a value in the CSV files, by how the reports format it.
UNITS: dict[str, str] = {
    tables.PERCENT: "share, a fraction 0-1 (the reports show it in %)",
    tables.POINTS: "difference of two shares, a fraction -1..1 (the reports show percentage points)",
    tables.RATIO: "ratio (odds ratio, precision, recall, F1, strength)",
    tables.P: "p-value",
    tables.FLAG: "True / False (the reports show ✓ / ✗)",
    tables.COUNT: "count",
    tables.FIXED: "number",
    tables.MARK: "True when chosen",
}
#: Columns whose unit is not the one their format implies.
_TREND_LOG_ODDS = "log odds a year (the reports show exp(value): an odds ratio a year)"
_SPECIAL_UNITS: dict[str, str] = {
    "period": "the period's first day (YYYY-MM-DD), or a label such as 2018H1 or all",
    "published": "publication date and time, Korea Standard Time",
    "slope": "log odds a year",
}


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def codebook(folder: Path) -> pd.DataFrame:
    """One row per CSV file under ``folder`` (recursively, sorted) and per column of it:
    ``file`` (relative to ``folder``), ``column``, ``meaning`` (the header the reports show,
    empty when no report table names the column; A and B are the first and second city of the
    compared pair) and ``unit_in_file``."""
    rows = []
    for path in sorted(folder.rglob("*.csv")):
        if path.name.endswith(CODEBOOK_FILE) or path.name.startswith("."):
            continue
        header = [h for h in _csv_header(path) if h]
        known = tables.column_headers(header)
        trend = "slope" in header and "odds_ratio" in header
        for name in header:
            meaning, kind = known.get(name, ("", ""))
            # ``*_a``/``*_b`` columns are the first and second city of the compared pair.
            meaning = meaning.replace("{a}", "A").replace("{b}", "B")
            unit = _SPECIAL_UNITS.get(name) or UNITS.get(kind, "")
            if trend and name in ("ci_low", "ci_high"):
                unit = _TREND_LOG_ODDS
            rows.append({"file": path.relative_to(folder).as_posix(), "column": name,
                         "meaning": meaning, "unit_in_file": unit})
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS))


def write_codebook(folder: Path, name: str = CODEBOOK_FILE) -> Path | None:
    """Write :func:`codebook` of ``folder`` to ``name`` there (``codebook.csv``; the sample's
    reports prefix it ``synthetic_`` as their other files), UTF-8 with a BOM as the other CSV
    files, so Excel keeps the Korean; remove a stale one when there is no CSV.
    Returns its path, or None."""
    target = folder / name
    book = codebook(folder)
    if book.empty:
        target.unlink(missing_ok=True)
        return None
    book.to_csv(target, index=False, encoding="utf-8-sig")
    return target
