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
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from lib.analysis.robustness import CHECK_NAMES
from lib.corpus.schema import REJECT_TITLE_CHARS
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
    "period_start": "the period's first day (YYYY-MM-DD)",
    "period_end": "the period's first day (YYYY-MM-DD)",
}
_CHECK_UNIT = "True passed, False not passed, empty not asked (see undecided)"
#: Columns of the CSV files that no report table shows: (meaning, unit in the file).
_OTHER_COLUMNS: dict[str, tuple[str, str]] = {
    "a": ("the first city of the compared pair (its key)", "text"),
    "b": ("the second city of the compared pair (its key)", "text"),
    "n_docs_a": ("articles of city A with the topic", UNITS[tables.COUNT]),
    "n_docs_b": ("articles of city B with the topic", UNITS[tables.COUNT]),
    "too_few": ("True when the cell has fewer than MIN_N articles: no share is given", "True / False"),
    "era": ("the era of publication the error rates were measured in", "text"),
    "tag": ("the tag the error rates are of", "text"),
    "tp": ("labelled articles the tag finds (true positives)", UNITS[tables.COUNT]),
    "fp": ("articles the tag gives wrongly (false positives)", UNITS[tables.COUNT]),
    "fn": ("labelled articles the tag misses (false negatives)", UNITS[tables.COUNT]),
    "tn": ("articles rightly without the tag (true negatives)", UNITS[tables.COUNT]),
    "n_outlets": ("outlets with articles in the table", UNITS[tables.COUNT]),
    "loo_significant": ("still significant whichever one outlet is left out", "True / False"),
    "holds_outlets": ("the trend holds with each outlet left out and outlets as clusters",
                      _CHECK_UNIT),
    "holds_within": ("the trend holds within outlets (one intercept per outlet)", _CHECK_UNIT),
    "swing_slope": ("the slope without the outlet that moves it most", "log odds a year"),
    "within_slope": ("the slope within outlets (one intercept per outlet)", "log odds a year"),
    "region_evidence": ("why the article was given its city", "text"),
    "meaning": ("what the row's value, interval and n are, with their units", "text"),
    "freq": ("the period length of the table (pandas alias: W-MON week, MS month, QS quarter, "
             "6MS half-year, YS year; all: the whole span)", "text"),
    "estimate": ("the finding: a difference of two cities' shares (kind difference) or a trend "
                 "(kind trend)", "a fraction -1..1 for a difference; log odds a year for a trend"),
    "passed": ("checks the finding passes", UNITS[tables.COUNT]),
    "checked": ("checks asked of the finding", UNITS[tables.COUNT]),
    "undecided": ("checks asked but not made (too few outlets, error rates too uncertain), "
                  "comma-joined", "text"),
    **{check: (f"check: {english}", _CHECK_UNIT) for check, (_ko, english) in CHECK_NAMES.items()},
}
#: Columns of the file of rejected records and refused files (``01_rejects.csv``, a file with
#: ``record`` and ``reason`` columns), where they name the record left out.
_REJECTS_FILE_COLUMNS: dict[str, tuple[str, str]] = {
    "record": ("where the rejected record is in its file (row 36, row 7 (line 12), item 3, page); "
               "(file) for a file refused whole", "text"),
    "article_id": ("which story was rejected: its own identifier (BigKinds 뉴스 식별자, a "
                   "table's id column, a NewsML id), else its address (a Naver item's link); "
                   "empty when it has none, and for a refused file", "text"),
    "title": (f"the rejected record's headline as read, spaces folded (cut at "
              f"{REJECT_TITLE_CHARS} characters); empty when it has none (a no-title reject), "
              "and for a refused file", "text"),
}
#: In a table of findings of both kinds (``kind`` difference or trend) the interval has the
#: estimate's unit; in one with a ``meaning`` column, each row says its own.
_MIXED_UNIT = "as estimate: a fraction -1..1 for a difference; log odds a year for a trend"
_PER_ROW_UNIT = "as the row's meaning column says"


def _csv_header(path: Path) -> list[str] | None:
    """The header of a CSV file the reports wrote (UTF-8, with or without a BOM); None when
    the file is no such text."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeError, csv.Error):
        return None


def codebook(folder: Path, files: Iterable[Path] | None = None) -> pd.DataFrame:
    """One row per CSV file and per column of it: ``file`` (relative to ``folder``),
    ``column``, ``meaning`` (the header the reports show, or what the column holds; empty when
    nothing names the column; A and B are the first and second city of the compared pair) and
    ``unit_in_file``. ``files`` are the CSV files to describe (those a report run offers);
    by default every one under ``folder``. A file that is not UTF-8 text gets one row saying
    it was not read."""
    rows = []
    chosen = sorted(folder.rglob("*.csv")) if files is None else sorted(set(files))
    for path in chosen:
        if path.name.endswith(CODEBOOK_FILE) or path.name.startswith("."):
            continue
        found = _csv_header(path)
        if found is None:
            rows.append({"file": path.relative_to(folder).as_posix(), "column": "",
                         "meaning": "not read: not a UTF-8 CSV file", "unit_in_file": ""})
            continue
        header = [h for h in found if h]
        known = tables.column_headers(header)
        trend = "slope" in header and "odds_ratio" in header
        rejects = "record" in header and "reason" in header
        for name in header:
            meaning, kind = known.get(name, ("", ""))
            # ``*_a``/``*_b`` columns are the first and second city of the compared pair.
            meaning = meaning.replace("{a}", "A").replace("{b}", "B")
            unit = _SPECIAL_UNITS.get(name) or UNITS.get(kind, "")
            if not meaning and name in _OTHER_COLUMNS:
                meaning, unit = _OTHER_COLUMNS[name]
            if rejects and name in _REJECTS_FILE_COLUMNS:
                meaning, unit = _REJECTS_FILE_COLUMNS[name]
            if name in ("value", "ci_low", "ci_high") and "meaning" in header:
                unit = _PER_ROW_UNIT
            elif name in ("ci_low", "ci_high") and "estimate" in header:
                meaning = f"95% interval of the estimate, {name.removeprefix('ci_')} end"
                unit = _MIXED_UNIT
            elif trend and name in ("ci_low", "ci_high"):
                unit = _TREND_LOG_ODDS
            rows.append({"file": path.relative_to(folder).as_posix(), "column": name,
                         "meaning": meaning, "unit_in_file": unit})
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS))


def write_codebook(folder: Path, name: str = CODEBOOK_FILE,
                   files: Iterable[Path] | None = None) -> Path | None:
    """Write :func:`codebook` of ``folder`` to ``name`` there (``codebook.csv``; the sample's
    reports prefix it ``synthetic_`` as their other files), UTF-8 with a BOM as the other CSV
    files, so Excel keeps the Korean; remove a stale one when there is no CSV. ``files`` as
    :func:`codebook` takes them. Returns its path, or None."""
    target = folder / name
    book = codebook(folder, files)
    if book.empty:
        target.unlink(missing_ok=True)
        return None
    book.to_csv(target, index=False, encoding="utf-8-sig")
    return target
