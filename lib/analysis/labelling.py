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
overwrites a file, since a filled sheet is hours of work.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from lib import paths

Population = Literal["smart_city", "all"]

#: The columns of a sheet: what the labeller reads, then the label columns they fill in.
SHEET_COLUMNS: tuple[str, ...] = (
    "article_id", "published", "outlet", "title", "url", "source_file", "lead",
    "region", "smart_city", "topics", "note",
)
LABEL_COLUMNS: tuple[str, ...] = ("region", "smart_city", "topics", "note")
#: Characters of the body shown as ``lead`` (the labeller opens the article for the rest).
LEAD_CHARS = 200


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
        sheet[column] = _column(drawn, column).map(_text).to_numpy()
    body = _column(drawn, "body").map(_text)
    keywords = _column(drawn, "keywords").map(_text)
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
    flat = sheet.map(lambda v: " ".join(str(v).split()) if isinstance(v, str) else v)
    flat.to_csv(path, sep="\t", index=False, encoding="utf-8")
    return path


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame.columns else pd.Series([""] * len(frame),
                                                               index=frame.index)


def _text(value: object) -> str:
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
    # As the notebooks read it (same ids; a corpus they have read comes from the cache).
    _, tags = load_and_tag(corpus)
    sheet = labelling_sheet(tags.articles, n=args.n, population=args.population, seed=args.seed)
    name = "synthetic_sample" if paths.is_sample(corpus) else corpus.stem
    out = Path(args.out) if args.out else (
        paths.DATA_DIR / "labels" / f"{name}_{args.population}.tsv")
    written = write_labelling_sheet(sheet, out)
    what = "tagged smart-city" if args.population == "smart_city" else "deduplicated"
    print(f"wrote {paths.display_path(written)}: {len(sheet)} of {sheet.attrs['population_size']}"
          f" {what} articles of {paths.display_path(corpus)}, seed {args.seed}"
          + (" (synthetic sample)" if paths.is_sample(corpus) else ""))
    from lib.vocabulary import get_vocabulary

    regions = ", ".join(get_vocabulary().region_keys)
    print(f"Fill in region ({regions}), smart_city (true/false) and topics (|-joined topic "
          "keys) by the rules of tests/fixtures/real_pages.md, then run "
          f"LABELS={args.out or paths.display_path(written)} CORRECT=1 "
          f"CORPUS={args.corpus or os.environ.get(paths.CORPUS_ENV) or paths.display_path(corpus)} "
          "make report (or lib.analysis.accuracy.corpus_accuracy(tagged, path) in code).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
