"""A sheet of one's own articles to label by hand, so the taggers are scored on one's own corpus.

The shipped error rates (``lib/resources/tagger_accuracy.tsv``) are measured on the project's
labelled real news. A corpus of other outlets, years or cities can differ; the rates that
correct its shares (:func:`lib.analysis.accuracy.corrected_shares`) are best measured on it.
:func:`labelling_sheet` draws a simple random sample of the deduplicated tagged articles and
lays it out for labelling; :func:`lib.analysis.accuracy.corpus_accuracy` reads the filled sheet
and scores the taggers against it (notebook 02 does so with ``LABELS=<sheet>``).

- The sheet is **blind**: it shows what a reader needs to judge the article (date, outlet,
  title, address, file and a short lead) and leaves ``region``, ``smart_city``, ``topics`` and
  ``note`` empty. The tagger's own tags are not shown, so they cannot pull the labels toward
  them.
- ``population="smart_city"`` (the default) draws from the articles the tagger calls
  smart-city: topic shares are computed over them, so a random sample of them gives the topic
  error rates that :func:`~lib.analysis.accuracy.corrected_shares` needs (score with the
  default ``topic_rows="predicted_smart_city"``). Its smart-city row measures precision only.
- ``population="all"`` draws from every article: region and smart-city error rates too, but a
  corpus with few smart-city articles gives few topic examples.
- Rows come in the order drawn (a random permutation of the population, cut at ``n``), not by
  date: every first k rows are a random sample of their own, so a labeller can stop anywhere
  and the labelled rows still measure the corpus, not its earliest months. The same seed with a
  larger ``n`` gives the same rows first.

``python -m lib.analysis.labelling`` writes a sheet for ``$CORPUS`` (see ``--help``); it never
overwrites a file, since a filled sheet is hours of work. The sheet can be filled in a
spreadsheet, or in JupyterLab with :func:`lib.present.label_form.label_form`, which edits it
through :func:`read_sheet`, :func:`fill_label` and :func:`save_sheet` here.

:func:`check_labels` holds the labelling rules every label file is checked against: region and
topic keys the vocabulary knows, one to five topics for a smart-city article, none otherwise.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from lib import paths
from lib.corpus.errors import CorpusError
from lib.corpus.textio import read_data_file
from lib.vocabulary import get_vocabulary

Population = Literal["smart_city", "all"]

#: The columns of a sheet: what the labeller reads, then the label columns they fill in.
SHEET_COLUMNS: tuple[str, ...] = (
    "article_id", "published", "outlet", "title", "url", "source_file", "lead",
    "region", "smart_city", "topics", "note",
)
LABEL_COLUMNS: tuple[str, ...] = ("region", "smart_city", "topics", "note")
#: Characters of the body shown as ``lead`` (the labeller opens the article for the rest).
LEAD_CHARS = 200
#: The labelling rules allow one to this many topics on a smart-city article.
MAX_TOPICS = 5


def labelling_sheet(
    tagged: pd.DataFrame,
    *,
    n: int = 200,
    population: Population = "smart_city",
    seed: int = 0,
) -> pd.DataFrame:
    """``n`` articles drawn at random (without replacement, ``seed``) from the deduplicated
    articles of ``tagged`` (``tag_articles(...).articles``) in ``population``, in
    :data:`SHEET_COLUMNS` with the label columns empty, in the order drawn (a random
    permutation, so any first rows are a random sample too). Fewer than ``n`` when
    the population is smaller (then all of it). ``attrs`` records the population, its size,
    the draw and the seed, so a score can say what it was measured on."""
    if n < 1:
        raise ValueError(f"labelling_sheet: n must be at least 1, not {n}")
    if population not in ("smart_city", "all"):
        raise ValueError(f"labelling_sheet: population must be 'smart_city' or 'all', "
                         f"not {population!r}")
    missing = [c for c in ("article_id", "title") if c not in tagged.columns]
    if population == "smart_city" and "smart_city" not in tagged.columns:
        missing.append("smart_city")
    if missing:
        raise KeyError(f"labelling_sheet: the tagged table has no column(s) {missing}")
    frame = tagged
    if "is_duplicate" in frame.columns:
        frame = frame[~frame["is_duplicate"].fillna(False).astype(bool)]
    frame = frame.drop_duplicates(subset="article_id", keep="first")
    if population == "smart_city":
        frame = frame[frame["smart_city"].fillna(False).astype(bool)]
    size = len(frame)
    rng = np.random.default_rng(seed)
    chosen = rng.permutation(size)[:n] if size else []
    drawn = frame.iloc[chosen]
    sheet = pd.DataFrame({"article_id": drawn["article_id"].astype(str).to_numpy()})
    sheet["published"] = _column(drawn, "published").map(_day).to_numpy()
    for column in ("outlet", "title", "url", "source_file"):
        sheet[column] = _column(drawn, column).map(text_cell).to_numpy()
    body = _column(drawn, "body").map(text_cell)
    keywords = _column(drawn, "keywords").map(text_cell)
    lead = body.where(body != "", keywords).map(lambda s: " ".join(s.split())[:LEAD_CHARS])
    sheet["lead"] = lead.to_numpy()
    for column in LABEL_COLUMNS:
        sheet[column] = ""
    sheet.attrs.update({"population": population, "population_size": size,
                        "drawn": len(sheet), "seed": seed})
    return sheet[list(SHEET_COLUMNS)]


def write_labelling_sheet(sheet: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``sheet`` as a UTF-8 TSV that :func:`lib.analysis.accuracy.read_labels` reads
    back. Refuses to overwrite an existing file (it may hold labels); tabs and line breaks
    inside a cell become spaces, so every article stays one line."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(
            f"{paths.display_path(path)} exists: a labelling sheet is never overwritten "
            "(it may hold your labels); choose another name or move it away")
    path.parent.mkdir(parents=True, exist_ok=True)
    return save_sheet(sheet, path)


def check_labels(frame: pd.DataFrame, shown: str, *, first: int = 1) -> None:
    """Refuse a region or topic label the vocabulary does not know, and topics that break the
    labelling rules (one to :data:`MAX_TOPICS` for a smart-city article, none otherwise), naming
    ``shown`` (the file) and the record (``first`` is the record number of the frame's first
    row). ``frame`` is a labelled table as :func:`lib.analysis.accuracy.read_labels` gives it:
    ``smart_city`` True, False or None (not labelled), ``topics`` tuples or None."""
    vocab = get_vocabulary()
    checks = []
    if "region" in frame.columns:
        checks.append(("region", vocab.region_keys,
                       [[v] if str(v).strip() else [] for v in frame["region"].fillna("")]))
    if "topics" in frame.columns:
        checks.append(("topics", vocab.topic_keys,
                       [list(v) if v is not None else [] for v in frame["topics"]]))
    for column, allowed, values in checks:
        for row, given in enumerate(values):
            bad = [v for v in given if str(v).strip() not in allowed]
            if bad:
                raise ValueError(
                    f"{shown}: record {row + first} ({frame['article_id'].iloc[row]}): {column} "
                    f"{bad[0]!r} is not one of {', '.join(allowed)}")
    if "smart_city" in frame.columns and "topics" in frame.columns:
        for row, (smart, topics) in enumerate(zip(frame["smart_city"], frame["topics"],
                                                  strict=True)):
            n = len(topics) if topics is not None else 0
            why = ("smart_city is false but topics are given" if smart is False and n else
                   f"smart_city is true but no topic is given (one to {MAX_TOPICS})"
                   if smart and not n
                   else f"{n} topics (at most {MAX_TOPICS})" if n > MAX_TOPICS else "")
            if why:
                raise ValueError(
                    f"{shown}: record {row + first} ({frame['article_id'].iloc[row]}): {why}")


#: Label files read as workbooks (the first sheet); any other name is read as delimited text.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def read_label_cells(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Every cell of a label file as text, as a spreadsheet program may have saved the sheet:
    tab-separated (as written here), comma-separated when the name ends in ``.csv`` or the
    header line has commas and no tab; UTF-8 with or without BOM, CP949 (a Korean Windows
    "CSV") or UTF-16 ("Unicode text"); or the first sheet of an ``.xlsx`` workbook. Empty cells
    are "". A file none of these reads is an error naming it."""
    path = Path(path)
    shown = paths.display_path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        try:
            frame = pd.read_excel(path, dtype=str, engine="calamine", keep_default_na=False)
        except Exception as err:  # noqa: BLE001 (calamine raises its own error types)
            raise ValueError(f"{shown}: not a readable workbook: {err}") from None
        return frame.fillna("")
    text = read_data_file(path)
    header = text.split("\n", 1)[0]
    comma = path.suffix.lower() == ".csv" or ("\t" not in header and "," in header)
    try:
        return pd.read_csv(io.StringIO(text), sep="," if comma else "\t", dtype=str,
                           keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ValueError(f"{shown}: not a label table: {err}") from None


def read_sheet(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A labelling sheet as text cells, every column kept in its order (the label columns
    added, empty, when the file lacks them), for :func:`fill_label` and :func:`save_sheet`.
    A file without an ``article_id`` column is an error naming it."""
    path = Path(path)
    sheet = read_label_cells(path)
    if "article_id" not in sheet.columns:
        raise KeyError(f"{paths.display_path(path)}: no article_id column (is it a labelling "
                       "sheet? write one with python -m lib.analysis.labelling)")
    for column in LABEL_COLUMNS:
        if column not in sheet.columns:
            sheet[column] = ""
    return sheet


def labelled_rows(sheet: pd.DataFrame) -> np.ndarray:
    """True for the rows of a sheet (:func:`read_sheet`) whose ``smart_city`` cell is filled:
    the rows :func:`lib.analysis.accuracy.corpus_accuracy` scores."""
    return sheet["smart_city"].astype(str).str.strip().ne("").to_numpy()


def fill_label(
    sheet: pd.DataFrame,
    row: int,
    *,
    region: str,
    smart_city: bool,
    topics: Sequence[str] = (),
    note: str = "",
    shown: str = "sheet",
) -> pd.DataFrame:
    """``sheet`` with the labels of its ``row``-th record (0-based) set, after checking them by
    the labelling rules (:func:`check_labels`; an error names ``shown`` and the record). Topics
    are written in the vocabulary's order, ``|``-joined; tabs and line breaks in the note
    become spaces. The sheet passed in is not changed."""
    if not 0 <= row < len(sheet):
        raise IndexError(f"{shown}: no record {row + 1} (the sheet has {len(sheet)})")
    if smart_city not in (True, False) or isinstance(smart_city, str):
        raise ValueError(f"{shown}: record {row + 1} ({sheet['article_id'].iloc[row]}): "
                         "choose whether it is a smart-city article: smart_city must be true "
                         f"or false, got {smart_city!r}")
    region = str(region or "").strip()
    if not region:
        raise ValueError(f"{shown}: record {row + 1} ({sheet['article_id'].iloc[row]}): "
                         "no region given")
    order = {key: i for i, key in enumerate(get_vocabulary().topic_keys)}
    chosen = sorted({str(t).strip() for t in topics if str(t).strip()},
                    key=lambda t: (order.get(t, len(order)), t))
    one = pd.DataFrame({"article_id": [sheet["article_id"].iloc[row]], "region": [region],
                        "smart_city": [bool(smart_city)], "topics": [tuple(chosen)]})
    check_labels(one, shown, first=row + 1)
    filled = sheet.copy()
    filled.iloc[row, filled.columns.get_loc("region")] = region
    filled.iloc[row, filled.columns.get_loc("smart_city")] = "true" if smart_city else "false"
    filled.iloc[row, filled.columns.get_loc("topics")] = "|".join(chosen)
    filled.iloc[row, filled.columns.get_loc("note")] = " ".join(str(note or "").split())
    return filled


def save_sheet(sheet: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a sheet being labelled back over its file, whole or not at all: it is written to
    a temporary file beside it, then moved into place, so an interrupted save never leaves half
    a sheet of hours of labels. Tabs and line breaks inside a cell become spaces.

    The file keeps the kind its name says, so a sheet saved from a spreadsheet program and
    then edited here still opens there: an ``.xlsx`` workbook (every cell text), a ``.csv``
    (comma-separated, UTF-8 with BOM, which spreadsheet programs read as UTF-8), else a
    UTF-8 TSV."""
    path = Path(path)
    flat = sheet.map(lambda v: " ".join(str(v).split()) if isinstance(v, str) else v)
    partial = path.with_name(f".{path.stem}.saving{path.suffix}")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        flat.map(text_cell).to_excel(partial, index=False, engine="openpyxl")
    elif suffix == ".csv":
        flat.to_csv(partial, index=False, encoding="utf-8-sig")
    else:
        flat.to_csv(partial, sep="\t", index=False, encoding="utf-8")
    os.replace(partial, path)
    return path


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series([""] * len(frame),
                                                               index=frame.index)


def text_cell(value: object) -> str:
    """A cell of the article table as text: empty for None and NaN, lists comma-joined."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)


def _day(value: object) -> str:
    if value is None or value == "" or pd.isna(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a blind sheet of randomly drawn articles of a corpus to label by hand.")
    parser.add_argument("--corpus", default=None,
                        help="corpus folder or file (default: $CORPUS, else the synthetic sample)")
    parser.add_argument("--n", type=int, default=200, help="articles to draw (default %(default)s)")
    parser.add_argument("--population", choices=("smart_city", "all"), default="smart_city",
                        help="draw from the articles tagged smart-city (default) or from all")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    parser.add_argument("--out", default=None,
                        help="the TSV to write (default data/labels/<corpus>_<population>.tsv)")
    args = parser.parse_args(argv)

    from lib.tagging import load_and_tag

    corpus = paths.resolve_corpus(args.corpus)
    name = "synthetic_sample" if paths.is_sample(corpus) else corpus.stem
    out = Path(args.out) if args.out else (
        paths.DATA_DIR / "labels" / f"{name}_{args.population}.tsv")
    try:
        # As the notebooks read it (same ids; a corpus they have read comes from the cache).
        _, tags = load_and_tag(corpus)
        sheet = labelling_sheet(tags.articles, n=args.n, population=args.population,
                                seed=args.seed)
        if sheet.empty:
            raise ValueError(
                f"{paths.display_path(corpus)}: none of its {len(tags.articles)} articles is "
                + ("tagged smart-city; draw from every article instead with --population all "
                   "(make labels POPULATION=all)" if args.population == "smart_city"
                   else "left once duplicates are set aside"))
        written = write_labelling_sheet(sheet, out)
    except (CorpusError, OSError, ValueError) as err:
        print(f"no labelling sheet written: {err}", file=sys.stderr)
        return 1
    what = "tagged smart-city" if args.population == "smart_city" else "deduplicated"
    print(f"wrote {paths.display_path(written)}: {len(sheet)} of {sheet.attrs['population_size']}"
          f" {what} articles of {paths.display_path(corpus)}, seed {args.seed}"
          + (" (synthetic sample)" if paths.is_sample(corpus) else ""))
    regions = ", ".join(get_vocabulary().region_keys)
    print(f"Fill in region ({regions}), smart_city (true/false) and topics (|-joined topic "
          "keys) by the rules of tests/fixtures/real_pages.md (in a spreadsheet, or in "
          "JupyterLab with lib.present.label_form.label_form; see docs/labelling.md), then run "
          f"LABELS={args.out or paths.display_path(written)} CORRECT=1 "
          f"CORPUS={args.corpus or os.environ.get(paths.CORPUS_ENV) or paths.display_path(corpus)} "
          "make report (or lib.analysis.accuracy.corpus_accuracy(tagged, path) in code).")
    if args.population == "smart_city":
        print("This sheet holds flagged articles only: it corrects the topic shares (notebook "
              "02), not the smart-city share (notebook 01), whose misses are among the articles "
              "not flagged. For that, draw with --population all (make labels POPULATION=all).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
