"""How far to trust the tags, and shares corrected for tagging error.

- :func:`score_tags` scores tagged articles against any labelled table (the project's real
  labelled news, or a sample of their own corpus a user labels): per region value, for
  ``smart_city`` and per topic, the confusion counts and precision, recall (= sensitivity),
  specificity and F1, with Wilson intervals.
- :func:`corpus_accuracy` does that for a sheet of a user's own corpus labelled by hand
  (``python -m lib.analysis.labelling`` draws it): the rates notebook 02 uses with ``LABELS``.
- :func:`measure_tagger_accuracy` tags the project's real labelled news and counts the errors by
  split; ``python -m lib.analysis.accuracy`` (``make accuracy``) writes the counts to
  ``lib/resources/tagger_accuracy.tsv`` and :func:`load_tagger_accuracy` reads them back;
  :func:`tag_reliability` is the per-topic (or per-region) table to show beside a chart.
- :func:`label_agreement` measures how far two labellers agree on the same articles (region
  accuracy and kappa, smart-city kappa and F1, topic micro-F1 and per-topic agreement, with
  bootstrap intervals): the ceiling against which the taggers' scores are read.
- :func:`corrected_shares` turns observed shares (``share = n_docs / n_total`` of articles the
  tagger gave a tag) into estimates of the true shares with the Rogan–Gladen estimator, and an
  interval that carries the sampling error of the share and the uncertainty of the error rates.

The shipped error rates are measured on **real** news. On the bundled synthetic sample they
describe the taggers on real text, not on the sample (whose own scores are far better): a
correction applied there shows what the real error rates would do to such shares.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import re
import sys
import warnings
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from lib import paths
from lib.analysis.labelling import check_labels, read_label_cells
from lib.analysis.trends import ALL_PERIODS, wilson_interval
from lib.tagging import ensure_tags, tag_articles
from lib.tagging import labelled as labelled_data
from lib.vocabulary import get_vocabulary

#: How the smart-city flag's one value (``true``) is named in reliability tables.
SMART_CITY_LABEL = {"ko": "스마트시티 기사", "en": "smart-city article"}

#: Columns of :func:`score_tags`.
SCORE_COLUMNS: tuple[str, ...] = (
    "tag",
    "value",
    "n_true",
    "n_pred",
    "tp",
    "fp",
    "fn",
    "tn",
    "precision",
    "precision_low",
    "precision_high",
    "recall",
    "recall_low",
    "recall_high",
    "sensitivity",
    "specificity",
    "f1",
)
#: Columns of ``lib/resources/tagger_accuracy.tsv``.
ACCURACY_COLUMNS: tuple[str, ...] = ("tag", "value", "tp", "fp", "fn", "tn", "source", "date")
#: Columns :func:`corrected_shares` adds.
CORRECTED_COLUMNS: tuple[str, ...] = (
    "sensitivity",
    "specificity",
    "share_corrected",
    "ci_low_corrected",
    "ci_high_corrected",
    "correction_note",
)
ACCURACY_FILE: Path = paths.RESOURCES_DIR / "tagger_accuracy.tsv"
#: The same counts per city: the articles the tagger attributes to each city of the vocabulary
#: (``region`` column), so a city comparison can see whether the tags err alike in both.
BY_CITY_FILE: Path = paths.RESOURCES_DIR / "tagger_accuracy_by_city.tsv"
BY_CITY_COLUMNS: tuple[str, ...] = ("region", *ACCURACY_COLUMNS)
#: The same counts per era of publication (``era`` column: ``2015-2020``): the years the
#: held-out articles were published, cut into :data:`N_ERAS` spans of about equal numbers of
#: articles (:func:`era_spans`), so a trend can be checked against tags that err differently
#: in later years (:func:`corrected_trends`).
BY_ERA_FILE: Path = paths.RESOURCES_DIR / "tagger_accuracy_by_era.tsv"
BY_ERA_COLUMNS: tuple[str, ...] = ("era", *ACCURACY_COLUMNS)
N_ERAS = 3
#: Two readers' agreement per tag value (``make accuracy``, from the blind second labels of
#: ``tests/fixtures/second_labels.tsv``): the ceiling beside each tag's reliability.
READERS_FILE: Path = paths.RESOURCES_DIR / "label_agreement.tsv"
READERS_COLUMNS: tuple[str, ...] = ("tag", "value", "n", "n_first", "n_second", "n_both",
                                    "source", "date")
SECOND_LABELS = "second_labels.tsv"
BIGKINDS_LABELS = labelled_data.BIGKINDS_LABELS
#: The split whose error rates :func:`load_tagger_accuracy` returns by default: the held-out
#: part, because the taggers' lexicons and thresholds are set on the development part and its
#: error rates are optimistic.
DEFAULT_SPLIT = "holdout"
#: The splits in the order they are reported: held-out first.
SPLITS: tuple[str, ...] = ("holdout", "dev")

TopicRows = Literal["predicted_smart_city", "all"]

#: Why a corrected share is missing or wide (the ``correction_note`` column).
NOTE_NO_SHARE = "no observed share (no articles, or too few)"
NOTE_NO_RATES = "no error rates for this tag"
NOTE_NO_POSITIVES = "no labelled articles with this tag: sensitivity unknown"
NOTE_NO_NEGATIVES = "no labelled articles without this tag: specificity unknown"
NOTE_CHANCE = "tag no better than chance on the labelled data (sensitivity + specificity <= 1)"
NOTE_RATES_UNCERTAIN = "error rates too uncertain: a tag no better than chance is plausible"
NOTE_NO_ERAS = "no labelled article with a date: no error rates per era"
NOTE_UNCERTAIN = f"{NOTE_RATES_UNCERTAIN}, interval spans 0-1"
#: A difference whose rates are too uncertain: no corrected point, the interval -1 to 1.
NOTE_DIFF_UNCERTAIN = f"{NOTE_RATES_UNCERTAIN}, interval spans -1 to 1"


# --- scoring -------------------------------------------------------------------------------


def score_tags(
    predicted: pd.DataFrame,
    labelled: pd.DataFrame,
    *,
    alpha: float = 0.05,
    topic_rows: TopicRows = "predicted_smart_city",
) -> pd.DataFrame:
    """Score the tags of ``predicted`` against the labels of ``labelled``.

    ``predicted``: tagged articles (``lib.tagging.tag_articles(...).articles``, or any table
    with ``article_id`` and the tag columns ``region``, ``smart_city``, ``topics`` as tuples).
    ``labelled``: ``article_id`` plus any of ``region`` (a city key, ``both`` or ``neither``),
    ``smart_city`` (bool, or ``true``/``false``) and ``topics`` (a tuple of topic keys; read a
    label file with :func:`read_labels`). Every labelled id must be in ``predicted``; a label
    that is missing (NaN, ``""``, None) leaves that row out of that tag's scores.

    Returns one row per ``(tag, value)``: ``tag`` is ``region`` (one row per region value,
    scored one value against the rest), ``smart_city`` (value ``true``) or ``topic`` (one row
    per topic key), with the columns of :data:`SCORE_COLUMNS`: ``n_true = tp + fn`` labelled
    articles with the value, ``n_pred = tp + fp`` tagged with it, ``precision = tp / n_pred``
    and ``recall = sensitivity = tp / n_true`` with Wilson intervals at level ``1 - alpha``,
    ``specificity = tn / (tn + fp)``, ``f1 = 2 tp / (2 tp + fp + fn)``; NaN where a
    denominator is 0.

    Topics are scored over the rows the tagger calls smart-city (``topic_rows=
    "predicted_smart_city"``): that is the population topic shares are computed over
    (``topic_counts`` with ``smart_city_only=True``), so these are the error rates that
    :func:`corrected_shares` needs. A labelled non-smart-city row has no true topics, so a
    topic the tagger gives it is a false positive; a smart-city row the tagger missed is left
    out. ``topic_rows="all"`` scores topics over every labelled row instead (the missed row's
    topics count as false negatives), for shares over all articles.
    """
    if topic_rows not in ("predicted_smart_city", "all"):
        raise ValueError(f"topic_rows must be 'predicted_smart_city' or 'all', got {topic_rows!r}")
    joined = join_labels(predicted, labelled)
    vocab = get_vocabulary()
    rows: list[dict[str, object]] = []

    if "region" in joined.columns:
        scored = joined[joined["region"].notna()]
        truth, pred = scored["region"].astype(str), scored["pred_region"].astype(str)
        for value in vocab.region_order([*truth, *pred]):
            rows.append(_counts("region", value, truth == value, pred == value))

    if "smart_city" in joined.columns:
        scored = joined[joined["smart_city"].notna()]
        truth = scored["smart_city"].astype(bool)
        rows.append(_counts("smart_city", "true", truth, scored["pred_smart_city"]))

    if "topics" in joined.columns:
        scored = joined[joined["topics"].notna()]
        if topic_rows == "predicted_smart_city":
            scored = scored[scored["pred_smart_city"]]
        seen = {t for ts in (*joined["topics"].dropna(), *joined["pred_topics"]) for t in ts}
        keys = [*vocab.topic_keys, *sorted(seen - set(vocab.topic_keys))]
        for key in keys:
            truth = scored["topics"].map(lambda ts, k=key: k in ts).astype(bool)
            pred = scored["pred_topics"].map(lambda ts, k=key: k in ts).astype(bool)
            rows.append(_counts("topic", key, truth, pred))

    counts = pd.DataFrame(rows, columns=["tag", "value", "tp", "fp", "fn", "tn"])
    out = score_counts(counts, alpha=alpha)
    out.attrs.update({"alpha": alpha, "topic_rows": topic_rows, "n_labelled": len(joined)})
    return out


def score_tags_by_city(
    predicted: pd.DataFrame,
    labelled: pd.DataFrame,
    *,
    alpha: float = 0.05,
    topic_rows: TopicRows = "predicted_smart_city",
) -> pd.DataFrame:
    """:func:`score_tags` once per city of the vocabulary, over the labelled articles the
    tagger attributes to that city (its ``region``): the population a city's shares are
    computed over. Returns the same columns with ``region`` first; a city with no such labelled
    article has no rows. The cities' counts add up to those of all labelled articles the tagger
    gives a city; ``both`` and ``neither`` are left out."""
    given = join_labels(predicted, labelled)["pred_region"].astype(str).to_numpy()
    tables = []
    for city in get_vocabulary().city_keys:
        mine = given == city
        if mine.any():
            scores = score_tags(predicted, labelled[mine], alpha=alpha, topic_rows=topic_rows)
            tables.append(scores.assign(region=city))
    columns = ["region", *SCORE_COLUMNS]
    if not tables:
        return pd.DataFrame(columns=columns)
    return pd.concat(tables, ignore_index=True)[columns]


def era_spans(years: Iterable[float], n_eras: int = N_ERAS) -> list[tuple[int, int]]:
    """Consecutive spans of whole years, ``(first, last)``, that cut the years given (one per
    article; NaN left out) into at most ``n_eras`` groups of about equal size: the eras whose
    error rates :func:`score_tags_by_era` counts. A year with many articles is never split."""
    values = pd.Series(list(years), dtype=float).dropna().astype(int)
    if values.empty:
        raise ValueError("era_spans: no dated article")
    counts = values.value_counts().sort_index()
    distinct, cumulative = counts.index.to_numpy(), np.cumsum(counts.to_numpy())
    n_eras = max(1, min(int(n_eras), len(distinct)))
    ends: list[int] = []
    for k in range(1, n_eras):
        end = int(np.argmin(np.abs(cumulative - len(values) * k / n_eras)))
        if end < len(distinct) - 1 and (not ends or end > ends[-1]):
            ends.append(end)
    starts = [0, *(e + 1 for e in ends)]
    ends.append(len(distinct) - 1)
    return [(int(distinct[a]), int(distinct[b])) for a, b in zip(starts, ends, strict=True)]


def era_name(span: tuple[int, int]) -> str:
    """``2015-2020`` (or ``2021`` for a span of one year)."""
    return str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"


def era_of(years: Iterable[float], spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """The era (:func:`era_name`) of each year; a year before the first span is in the first,
    one after the last in the last, one between two spans in the earlier; NaN: ``""``."""
    values = pd.Series(list(years), dtype=float).to_numpy()
    if not spans:
        return np.full(len(values), "", dtype=object)
    starts = np.array([first for first, _ in spans], dtype=float)
    at = np.clip(np.searchsorted(starts, values, side="right") - 1, 0, len(spans) - 1)
    names = np.array([era_name(span) for span in spans], dtype=object)
    return np.where(np.isfinite(values), names[at], "")


def score_tags_by_era(
    predicted: pd.DataFrame,
    labelled: pd.DataFrame,
    *,
    spans: Sequence[tuple[int, int]] | None = None,
    alpha: float = 0.05,
    topic_rows: TopicRows = "predicted_smart_city",
) -> pd.DataFrame:
    """:func:`score_tags` once per era of publication: the labelled articles published in each
    span of ``spans`` (default: :func:`era_spans` of their own years). The year is
    ``predicted``'s ``published``; labelled articles without a date are in no era (with none
    dated, the table has no rows). Returns the same columns with ``era`` first
    (:func:`era_name`); ``attrs["spans"]`` holds the spans."""
    years = _labelled_years(predicted, labelled)
    if spans is None:
        spans = era_spans(years) if np.isfinite(years).any() else []
    spans = list(spans)
    eras = era_of(years, spans)
    tables = []
    for span in spans:
        mine = eras == era_name(span)
        if mine.any():
            scores = score_tags(predicted, labelled[mine], alpha=alpha, topic_rows=topic_rows)
            tables.append(scores.assign(era=era_name(span)))
    columns = ["era", *SCORE_COLUMNS]
    out = pd.concat(tables, ignore_index=True)[columns] if tables else pd.DataFrame(
        columns=columns)
    out.attrs["spans"] = spans
    return out


def _labelled_years(predicted: pd.DataFrame, labelled: pd.DataFrame) -> np.ndarray:
    """The year each labelled article was published (``predicted``'s ``published``; NaN where
    it has no date)."""
    if "published" not in predicted.columns:
        raise KeyError("score_tags_by_era: the predicted table has no published column")
    dates = (predicted.drop_duplicates("article_id")
             .assign(article_id=lambda f: f["article_id"].astype(str))
             .set_index("article_id")["published"])
    return pd.to_datetime(labelled["article_id"].astype(str).map(dates).to_numpy(),
                          errors="coerce").year.to_numpy(dtype=float)


def score_counts(counts: pd.DataFrame, *, alpha: float = 0.05) -> pd.DataFrame:
    """The :data:`SCORE_COLUMNS` table from confusion counts (``tag, value, tp, fp, fn, tn``,
    e.g. :func:`load_tagger_accuracy`); other columns of ``counts`` are kept after them."""
    missing = [c for c in ("tag", "value", "tp", "fp", "fn", "tn") if c not in counts.columns]
    if missing:
        raise KeyError(f"score_counts: no column(s) {missing}")
    out = counts.copy()
    for col in ("tp", "fp", "fn", "tn"):
        out[col] = out[col].astype("int64")
    tp, fp, fn, tn = (out[c].to_numpy(dtype=float) for c in ("tp", "fp", "fn", "tn"))
    out["n_true"] = (out["tp"] + out["fn"]).astype("int64")
    out["n_pred"] = (out["tp"] + out["fp"]).astype("int64")
    out["precision"] = _ratio(tp, tp + fp)
    out["precision_low"], out["precision_high"] = wilson_interval(tp, tp + fp, alpha=alpha)
    out["recall"] = _ratio(tp, tp + fn)
    out["recall_low"], out["recall_high"] = wilson_interval(tp, tp + fn, alpha=alpha)
    out["sensitivity"] = out["recall"]
    out["specificity"] = _ratio(tn, tn + fp)
    out["f1"] = _ratio(2 * tp, 2 * tp + fp + fn)
    extra = [c for c in out.columns if c not in SCORE_COLUMNS]
    return out[[*SCORE_COLUMNS, *extra]].reset_index(drop=True)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _counts(tag: str, value: str, truth: pd.Series, pred: pd.Series) -> dict[str, object]:
    t = truth.to_numpy(dtype=bool)
    p = pred.to_numpy(dtype=bool)
    return {
        "tag": tag,
        "value": value,
        "tp": int((t & p).sum()),
        "fp": int((~t & p).sum()),
        "fn": int((t & ~p).sum()),
        "tn": int((~t & ~p).sum()),
    }


def join_labels(predicted: pd.DataFrame, labelled: pd.DataFrame) -> pd.DataFrame:
    """The labelled rows with the tagger's decisions as ``pred_region``, ``pred_smart_city``,
    ``pred_topics``; labels normalised (region str, smart_city bool, topics tuples; missing
    labels NaN)."""
    for name, frame in (("predicted", predicted), ("labelled", labelled)):
        if "article_id" not in frame.columns:
            raise KeyError(f"score_tags: the {name} table has no article_id column")
    tags = [c for c in ("region", "smart_city", "topics") if c in labelled.columns]
    if not tags:
        raise KeyError("score_tags: the labelled table has none of region, smart_city, topics")
    labels = labelled[["article_id", *tags]].copy()
    labels["article_id"] = labels["article_id"].astype(str)
    dup = labels["article_id"][labels["article_id"].duplicated()]
    if len(dup):
        raise ValueError(f"score_tags: labelled article_id repeated: {sorted(set(dup))[:5]}")

    pred = ensure_tags(predicted)[["article_id", "region", "smart_city", "topics"]].copy()
    pred["article_id"] = pred["article_id"].astype(str)
    pred = pred.drop_duplicates(subset="article_id", keep="first").set_index("article_id")
    unknown = sorted(set(labels["article_id"]) - set(pred.index))
    if unknown:
        numbers = sum(bool(_AS_NUMBER.fullmatch(str(u))) and not _BIGKINDS_ID.fullmatch(str(u))
                      for u in unknown)
        hint = ("; they read as numbers: a spreadsheet program may have turned the article_id "
                "column into numbers (BigKinds ids such as 01100901.20210330153759001 lose "
                "their leading zero and digits). Format the column as text before pasting, or "
                "fill the sheet with lib.present.label_form"
                if numbers * 2 > len(unknown) else "")
        if not hint and len(unknown) == labels["article_id"].nunique():
            hint = ("; none of the sheet's ids is an article of this corpus: was the sheet drawn "
                    "from another corpus, or were its ids made by hand? Draw the sheet from this "
                    "corpus (make labels CORPUS=…, or python -m lib.analysis.labelling), which "
                    "writes the ids the loader gives its articles")
        raise ValueError(
            f"score_tags: {len(unknown)} labelled article_id(s) not among the tagged articles, "
            f"e.g. {unknown[:5]}{hint}"
        )
    if "region" in tags:
        region = labels["region"].astype(object)
        labels["region"] = region.where(region.notna() & (region.astype(str) != ""), None)
    if "smart_city" in tags:
        labels["smart_city"] = [
            _as_bool(v, aid) for v, aid in zip(labels["smart_city"], labels["article_id"])
        ]
    if "topics" in tags:
        labels["topics"] = [
            _as_label_topics(v, aid) for v, aid in zip(labels["topics"], labels["article_id"])
        ]
    ids = labels["article_id"]
    labels["pred_region"] = ids.map(pred["region"]).to_numpy()
    labels["pred_smart_city"] = ids.map(pred["smart_city"]).astype(bool).to_numpy()
    labels["pred_topics"] = ids.map(pred["topics"]).to_numpy()
    return labels


def _as_bool(value: object, article_id: str, caller: str = "score_tags") -> object:
    """A smart_city label as True/False; None when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    if text == "":
        return None
    raise ValueError(
        f"{caller}: smart_city label {value!r} of article {article_id} is not true/false"
    )


def _as_label_topics(
    value: object, article_id: str, caller: str = "score_tags"
) -> tuple[str, ...] | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str):
        raise TypeError(
            f"{caller}: topics label of article {article_id} is the string {value!r}; topics "
            "are tuples of topic keys (read a label file with lib.analysis.accuracy.read_labels)"
        )
    return tuple(str(v) for v in value)


#: An id as a spreadsheet program shows a number: 1100901.2021033, 1.1009E+15.
_AS_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[Ee][+-]?\d+)?")
#: A BigKinds 뉴스 식별자 as BigKinds writes it (outlet code, ".", timestamp and serial).
_BIGKINDS_ID = re.compile(r"\d{8}\.\d{17}")


def read_labels(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A label file (TSV, CSV or an ``.xlsx`` workbook, in the encodings a spreadsheet program
    saves: :func:`lib.analysis.labelling.read_label_cells`) as a labelled table for
    :func:`score_tags`: ``article_id`` as text, ``region`` as given, ``smart_city`` as
    bool (``true``/``false``; an empty cell: not labelled), ``topics`` as tuples split on
    ``|`` (an empty cell: no topics; missing when the row's ``smart_city`` is empty too, as in
    a sheet not yet filled in). Other columns are kept. A missing ``article_id`` column
    or a ``smart_city`` cell that is not true/false is an error naming the file and record."""
    path = Path(path)
    frame = read_label_cells(path)
    if "article_id" not in frame.columns:
        raise KeyError(f"{paths.display_path(path)}: no article_id column")
    if "smart_city" in frame.columns:
        smart = frame["smart_city"].str.strip().str.lower()
        bad = ~smart.isin(["true", "false", ""])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(
                f"{paths.display_path(path)}: record {row + 1} "
                f"({frame['article_id'].iloc[row]}): smart_city must be true or false, "
                f"got {frame['smart_city'].iloc[row]!r}"
            )
        frame["smart_city"] = [None if v == "" else v == "true" for v in smart]
    if "topics" in frame.columns:
        # A label file writes topics `|`-joined: that is its file format. A row whose
        # smart_city and topics cells are both empty is not labelled yet (a sheet being filled
        # in, lib.analysis.labelling): its topics are missing, not "none".
        unlabelled = (frame["smart_city"].isna().to_numpy() if "smart_city" in frame.columns
                      else np.zeros(len(frame), dtype=bool))
        frame["topics"] = [
            None if skip and not v.strip() else tuple(t.strip() for t in v.split("|") if t.strip())
            for v, skip in zip(frame["topics"], unlabelled, strict=True)
        ]
    return frame


def corpus_accuracy(
    tagged: pd.DataFrame,
    labels: str | os.PathLike[str],
    *,
    alpha: float = 0.05,
    topic_rows: TopicRows = "predicted_smart_city",
    by_city: bool = False,
    by_era: bool = False,
) -> pd.DataFrame:
    """The taggers' error rates on a user's own labelled articles, ready for
    :func:`corrected_shares` (``accuracy=``) and :func:`tag_reliability`.

    ``labels`` is a sheet written by ``python -m lib.analysis.labelling`` and filled in by hand
    (or any label file :func:`read_labels` reads; a relative path is taken from the repository
    root, as for ``CORPUS``) whose ``article_id`` values are articles of
    ``tagged`` (``tag_articles(...).articles`` or ``load_and_tag(...)`` of the same corpus).
    Returns :func:`score_tags` of the labelled rows; ``attrs`` name the file and how many of its
    articles are labelled (``source``, ``labels_file``, ``n_labelled``) and the file's date.

    Rows not filled in yet are left out. A region outside the vocabulary's, a topic that is no
    topic key, an id not among the tagged articles, or a sheet with nothing labelled is an
    error naming the file (and the record). When every labelled article is one the tagger calls
    smart-city (a sheet drawn with the default ``--population smart_city``), the sheet cannot
    tell how many smart-city articles the tagger misses, so it gives no ``smart_city`` rates:
    a smart-city share corrected with them then says so (``correction_note``) instead of
    taking the sensitivity to be 1. Topic rates are measured over the articles the tagger calls
    smart-city, the population topic shares are computed over. With ``by_city`` the rates per
    city (:func:`score_tags_by_city`); with ``by_era`` per era of the labelled articles' years
    (:func:`score_tags_by_era`).
    """
    if by_city and by_era:
        raise ValueError("corpus_accuracy: by city or by era, not both")
    path = paths.from_root(labels)
    shown = paths.display_path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"{shown}: no such label file (write one with python -m lib.analysis.labelling)")
    frame = read_labels(path)
    check_labels(frame, shown)
    filled = np.zeros(len(frame), dtype=bool)
    if "smart_city" in frame.columns:
        filled |= frame["smart_city"].notna().to_numpy()
    if "region" in frame.columns:
        filled |= frame["region"].fillna("").astype(str).str.strip().ne("").to_numpy()
    if not filled.any():
        raise ValueError(
            f"{shown}: none of its {len(frame)} articles is labelled yet: fill in region, "
            "smart_city (true/false) and topics by the rules of tests/fixtures/real_pages.md")
    labelled = frame[filled].reset_index(drop=True)
    if "region" in labelled.columns:
        labelled["region"] = labelled["region"].fillna("").astype(str).str.strip()
    try:
        score = (score_tags_by_city if by_city else score_tags_by_era if by_era
                 else score_tags)
        scores = score(tagged, labelled, alpha=alpha, topic_rows=topic_rows)
    except (KeyError, ValueError) as err:
        raise type(err)(f"{shown}: {err}") from None
    joined = join_labels(tagged, labelled)
    judged = (joined.loc[joined["smart_city"].notna(), "pred_smart_city"]
              if "smart_city" in joined.columns else pd.Series([], dtype=bool))
    if judged.all():
        # No labelled article the tagger rejects: its misses cannot be counted.
        kept = dict(scores.attrs)
        scores = scores[scores["tag"] != "smart_city"].reset_index(drop=True)
        scores.attrs.update(kept)
    n = int(filled.sum())
    date = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    scores.attrs.update({"source": f"{shown}: {n} articles of this corpus labelled by hand",
                         "labels_file": shown, "n_labelled": n, "date": date})
    return scores


def error_rates(tagged: pd.DataFrame, labels: str | os.PathLike[str] | None = None, *,
                by_city: bool = False, by_era: bool = False) -> pd.DataFrame:
    """The error rates a report uses: of ``labels`` (a filled sheet of this corpus,
    :func:`corpus_accuracy`) when given, else the shipped ones on held-out real news
    (:func:`load_tagger_accuracy`); per city with ``by_city``, per era with ``by_era``."""
    if labels:
        return corpus_accuracy(tagged, labels, by_city=by_city, by_era=by_era)
    return load_tagger_accuracy(by_city=by_city, by_era=by_era)


def smart_city_correction_note(rates: pd.DataFrame | None) -> str:
    """Why the smart-city share of a corpus cannot be corrected with ``rates``; ``""`` when it
    can (rates of the corpus's own labels, :func:`corpus_accuracy`, that count the tag's
    misses and false flags: a sheet drawn with ``--population all``).

    The shipped rates are refused here. Their labelled sets were enriched with hard cases
    (economy stories, near misses), so the tag's specificity there (about 0.96) is far below
    its specificity on a general corpus (one flag in 1,226 rows of real BigKinds downloads of
    general news). Corrected with them, a general corpus's smart-city share would be pushed
    toward 0. Topic shares are another matter: they are shares of the articles the tagger calls
    smart-city, the population the shipped topic rates are measured on."""
    if rates is None or not rates.attrs.get("labels_file"):
        return ("The smart-city share is not corrected with the shipped error rates: they are "
                "measured on labelled sets enriched with hard cases, whose specificity is far "
                "below a general corpus's. Label a sheet of this corpus drawn with "
                "`python -m lib.analysis.labelling --population all` and pass it as LABELS.")
    counts = rates[rates["tag"] == "smart_city"]
    if counts.empty or not (counts["tp"] + counts["fn"]).sum() or not (
            counts["tn"] + counts["fp"]).sum():
        return (f"{rates.attrs['labels_file']} gives no smart-city error rates (it needs "
                "labelled articles the tagger rejects as well as ones it flags): draw a sheet "
                "with `python -m lib.analysis.labelling --population all`.")
    return ""


def page_labels(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of a labelled-pages file (``real_pages*.tsv``, ``second_labels.tsv``: text cells)
    as a labelled table: ``article_id`` = the url, ``region``, ``smart_city`` bool, ``topics``
    tuples."""
    return pd.DataFrame({
        "article_id": rows["url"].to_numpy(),
        "region": rows["region"].to_numpy(),
        "smart_city": rows["smart_city"].eq("true").to_numpy(),
        "topics": [tuple(filter(None, t.split("|"))) for t in rows["topics"]],
    })


# --- agreement between two labellers ------------------------------------------------------

#: Columns of :func:`label_agreement`.
AGREEMENT_COLUMNS: tuple[str, ...] = (
    "tag",
    "value",
    "measure",
    "n",
    "n_first",
    "n_second",
    "n_both",
    "estimate",
    "ci_low",
    "ci_high",
)


def label_agreement(
    first: pd.DataFrame,
    second: pd.DataFrame,
    *,
    n_boot: int = 2000,
    random_state: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """How far two labellers agree on the same articles: the ceiling for a tagger's scores.

    ``first``, ``second``: labelled tables with ``article_id``, ``region``, ``smart_city``
    (bool or ``true``/``false``) and ``topics`` (tuples of topic keys), e.g. two files read
    with :func:`read_labels`. Rows are matched on ``article_id``; every id of ``second`` must be
    in ``first`` (ids only in ``first`` are left out), no id may repeat, no label may be empty.

    Returns one row per ``(tag, value, measure)`` with the columns of
    :data:`AGREEMENT_COLUMNS`, in this order:

    - ``region, all``: ``accuracy`` (share of articles given the same region) and ``kappa``
      (Cohen's, over the region values); ``n`` articles, ``n_first = n_second = n``, ``n_both``
      articles with the same region;
    - ``smart_city, true``: ``kappa`` and ``f1`` (one labeller scored against the other; F1 is
      the same either way round); ``n_first`` / ``n_second`` articles each calls smart-city,
      ``n_both`` both;
    - ``topic, all``: ``micro_f1`` over the ``n`` articles both call smart-city; ``n_first`` /
      ``n_second`` topic labels each gave there, ``n_both`` given by both;
    - ``topic, <key>`` for every topic of the vocabulary (and any other seen): ``f1`` and
      ``kappa`` on those articles, counted as for ``smart_city``.

    ``estimate`` is the figure on all matched articles; ``ci_low``, ``ci_high`` a percentile
    bootstrap interval at level ``1 - alpha`` over articles (``n_boot`` resamples seeded by
    ``random_state``). NaN where a figure is undefined: ``kappa`` when chance agreement is 1
    (both labellers gave one value to every article), ``f1`` when neither gave the tag.
    """
    pairs = _label_pairs(first, second)
    vocab = get_vocabulary()
    rng = np.random.default_rng(random_state)
    rows: list[dict[str, object]] = []

    def add(tag: str, value: str, measure: str, stat: Callable[[np.ndarray], np.ndarray],
            n: int, counts: tuple[int, int, int]) -> None:
        estimate, low, high = _bootstrap(stat, n, rng, n_boot=n_boot, alpha=alpha)
        rows.append({"tag": tag, "value": value, "measure": measure, "n": n,
                     "n_first": counts[0], "n_second": counts[1], "n_both": counts[2],
                     "estimate": estimate, "ci_low": low, "ci_high": high})

    n = len(pairs)
    r1 = pairs["region_first"].astype(str).to_numpy()
    r2 = pairs["region_second"].astype(str).to_numpy()
    same = r1 == r2
    values = vocab.region_order([*r1, *r2])
    hot1 = np.stack([r1 == v for v in values], axis=1)
    hot2 = np.stack([r2 == v for v in values], axis=1)
    region_counts = (n, n, int(same.sum()))
    add("region", "all", "accuracy", lambda i: same[i].mean(axis=-1), n, region_counts)
    add("region", "all", "kappa", lambda i: _kappa(same[i], hot1[i], hot2[i]), n, region_counts)

    s1 = pairs["smart_city_first"].to_numpy(dtype=bool)
    s2 = pairs["smart_city_second"].to_numpy(dtype=bool)
    smart_counts = (int(s1.sum()), int(s2.sum()), int((s1 & s2).sum()))
    add("smart_city", "true", "kappa", lambda i: _binary_kappa(s1[i], s2[i]), n, smart_counts)
    add("smart_city", "true", "f1", lambda i: _f1(s1[i], s2[i]), n, smart_counts)

    both = pairs[s1 & s2]
    t1, t2 = list(both["topics_first"]), list(both["topics_second"])
    seen = {t for ts in (*t1, *t2) for t in ts}
    keys = [*vocab.topic_keys, *sorted(seen - set(vocab.topic_keys))]
    m = len(both)
    shared = np.array([len(set(a) & set(b)) for a, b in zip(t1, t2)], dtype=float)
    given = np.array([len(set(a)) + len(set(b)) for a, b in zip(t1, t2)], dtype=float)
    add("topic", "all", "micro_f1",
        lambda i: _ratio(2 * shared[i].sum(axis=-1), given[i].sum(axis=-1)), m,
        (sum(len(set(a)) for a in t1), sum(len(set(b)) for b in t2), int(shared.sum())))
    for key in keys:
        a = np.array([key in ts for ts in t1], dtype=bool)
        b = np.array([key in ts for ts in t2], dtype=bool)
        counts = (int(a.sum()), int(b.sum()), int((a & b).sum()))
        add("topic", key, "f1", lambda i, a=a, b=b: _f1(a[i], b[i]), m, counts)
        add("topic", key, "kappa", lambda i, a=a, b=b: _binary_kappa(a[i], b[i]), m, counts)

    out = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    out.attrs.update({"alpha": alpha, "n_boot": n_boot, "n_matched": n})
    return out


def _label_pairs(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """``second``'s articles with both labellers' ``region``, ``smart_city`` (bool) and
    ``topics`` (tuples) as ``<label>_first`` and ``<label>_second``."""
    tags = ("region", "smart_city", "topics")
    frames = []
    for name, frame in (("first", first), ("second", second)):
        missing = [c for c in ("article_id", *tags) if c not in frame.columns]
        if missing:
            raise KeyError(f"label_agreement: the {name} table has no column(s) {missing}")
        labels = frame[["article_id", *tags]].copy()
        labels["article_id"] = labels["article_id"].astype(str)
        dup = labels["article_id"][labels["article_id"].duplicated()]
        if len(dup):
            raise ValueError(
                f"label_agreement: article_id repeated in the {name} table: {sorted(set(dup))[:5]}"
            )
        ids = labels["article_id"]
        labels["smart_city"] = [
            _as_bool(v, a, "label_agreement") for v, a in zip(labels["smart_city"], ids)
        ]
        labels["topics"] = [
            _as_label_topics(v, a, "label_agreement") for v, a in zip(labels["topics"], ids)
        ]
        for tag in tags:
            empty = labels[tag].isna() | (labels[tag].astype(str) == "")
            if empty.any():
                raise ValueError(
                    f"label_agreement: the {name} table has no {tag} label for article "
                    f"{labels.loc[empty, 'article_id'].iloc[0]}"
                )
        frames.append(labels.set_index("article_id").add_suffix(f"_{name}"))
    first_labels, second_labels = frames
    unknown = sorted(set(second_labels.index) - set(first_labels.index))
    if unknown:
        raise ValueError(
            f"label_agreement: {len(unknown)} article_id(s) of the second table are not in the "
            f"first, e.g. {unknown[:5]}"
        )
    return second_labels.join(first_labels, how="left").reset_index()


def _bootstrap(
    stat: Callable[[np.ndarray], np.ndarray], n: int, rng: np.random.Generator, *,
    n_boot: int, alpha: float,
) -> tuple[float, float, float]:
    """``stat`` on all ``n`` rows, and the percentile interval of ``stat`` over ``n_boot``
    resamples of the rows (``stat`` takes an index array and reduces its last axis)."""
    if n == 0:
        return np.nan, np.nan, np.nan
    estimate = float(stat(np.arange(n)))
    draws = np.asarray(stat(rng.integers(0, n, size=(n_boot, n))), dtype=float)
    draws = draws[np.isfinite(draws)]
    if not np.isfinite(estimate) or not len(draws):
        return estimate, np.nan, np.nan
    low, high = np.percentile(draws, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return estimate, float(low), float(high)


def _f1(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    tp = (a & b).sum(axis=-1)
    return _ratio(2.0 * tp, a.sum(axis=-1) + b.sum(axis=-1))


def _binary_kappa(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    hot_a = np.stack([a, ~a], axis=-1)
    hot_b = np.stack([b, ~b], axis=-1)
    return _kappa(a == b, hot_a, hot_b)


def _kappa(same: np.ndarray, hot_a: np.ndarray, hot_b: np.ndarray) -> np.ndarray:
    """Cohen's kappa from the agreement flags (``..., n``) and the one-hot labels of the two
    raters (``..., n, k``); NaN where chance agreement is 1."""
    observed = same.mean(axis=-1)
    chance = (hot_a.mean(axis=-2) * hot_b.mean(axis=-2)).sum(axis=-1)
    return _ratio(observed - chance, 1.0 - np.where(np.isclose(chance, 1.0), 1.0, chance))


# --- the project's real labelled news ------------------------------------------------------


@dataclass
class LabelledSet:
    """Labelled real news ready to tag: ``articles`` (canonical article rows; keyword-only for
    the pages) and ``labels`` (``lib.tagging.labelled.LABEL_COLUMNS``, ``label_file`` among them), row
    for row."""

    articles: pd.DataFrame
    labels: pd.DataFrame


def load_labelled_real() -> LabelledSet:
    """All of the project's real labelled news (:mod:`lib.tagging.labelled`): the pages of
    ``real_pages*.tsv`` (or the older ``real_eval.tsv`` / ``real_holdout.tsv``) and the
    BigKinds rows of ``real_bigkinds_labels.tsv`` when the downloads are on this machine.

    An article listed in more than one label file is scored once, with the labels of the first
    file that lists it (files in name order, pages before BigKinds rows); a warning names them.
    """
    articles, labels = labelled_data.load_labelled()
    if labels.empty:
        raise ValueError(
            f"no labelled real news in {paths.display_path(paths.FIXTURES_DIR)} "
            f"(real_pages*.tsv, real_eval.tsv, real_holdout.tsv, {BIGKINDS_LABELS})"
        )
    if not (articles["article_id"].to_numpy() == labels["article_id"].to_numpy()).all():
        raise ValueError("labelled real news: articles and labels are not row for row")
    repeated = labels["article_id"].duplicated()
    if repeated.any():
        files = sorted(set(labels.loc[repeated, "label_file"]))
        warnings.warn(
            f"{int(repeated.sum())} labelled article(s) appear again in {files}; each is scored "
            f"once, with the first file's labels: {labels.loc[repeated, 'article_id'].head(3).tolist()}",
            stacklevel=2,
        )
        articles = articles[~repeated.to_numpy()].reset_index(drop=True)
        labels = labels[~repeated].reset_index(drop=True)
    return LabelledSet(articles, labels)


def measure_tagger_accuracy(
    labelled: LabelledSet | None = None, *, date: str | None = None, by_city: bool = False,
    by_era: bool = False, tagged: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tag the labelled real news and count the taggers' errors per split.

    Returns the :data:`ACCURACY_COLUMNS` table: for each split (held-out first, then
    development) the ``tp, fp, fn, tn`` of every :func:`score_tags` row, ``source`` naming the
    split and the label files with their row counts (``holdout: real_pages.tsv 162,
    real_bigkinds_labels.tsv 138``) and ``date`` (ISO, UTC today unless given). With
    ``by_city`` the :data:`BY_CITY_COLUMNS` table of :func:`score_tags_by_city` instead; with
    ``by_era`` the :data:`BY_ERA_COLUMNS` table of :func:`score_tags_by_era`, both splits cut
    into the eras of the held-out articles' years. ``tagged``: ``labelled``'s articles already
    tagged (``tag_articles(labelled.articles).articles``), to measure several ways with one
    tagging.
    """
    if by_city and by_era:
        raise ValueError("measure_tagger_accuracy: by city or by era, not both")
    labelled = labelled if labelled is not None else load_labelled_real()
    tagged = tagged if tagged is not None else tag_articles(labelled.articles).articles
    date = date or dt.datetime.now(dt.UTC).date().isoformat()
    score: Callable[..., pd.DataFrame] = score_tags_by_city if by_city else score_tags
    if by_era:
        held = labelled.labels[labelled.labels["split"] == DEFAULT_SPLIT]
        spans = era_spans(_labelled_years(tagged, held if len(held) else labelled.labels))
        score = functools.partial(score_tags_by_era, spans=spans)
    tables = []
    for split in SPLITS:
        part = labelled.labels[labelled.labels["split"] == split]
        if part.empty:
            continue
        sizes = part.groupby("label_file", sort=False).size()
        source = f"{split}: " + ", ".join(f"{name} {n}" for name, n in sizes.items())
        tables.append(score(tagged, part).assign(source=source, date=date))
    columns = BY_CITY_COLUMNS if by_city else BY_ERA_COLUMNS if by_era else ACCURACY_COLUMNS
    return pd.concat(tables, ignore_index=True)[list(columns)]


def write_tagger_accuracy(table: pd.DataFrame, path: str | os.PathLike[str] | None = None, *,
                          columns: Sequence[str] = ACCURACY_COLUMNS) -> Path:
    """Write the counts of :func:`measure_tagger_accuracy` (or, with ``columns``, another
    counts table such as :func:`measure_label_agreement`'s) as a TSV (atomically). When the
    file already holds the same counts from the same sources, it is left as it is, so its
    ``date`` stays the day the counts last changed."""
    path = Path(path) if path else ACCURACY_FILE
    columns = list(columns)
    if path.exists():
        old = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")
        new = table[columns].astype(str).reset_index(drop=True)
        same = [c for c in columns if c != "date"]
        if list(old.columns) == columns and old[same].equals(new[same]):
            return path
    tmp = path.with_name(f".{path.name}.tmp")
    table[columns].to_csv(
        tmp, sep="\t", index=False, encoding="utf-8", lineterminator="\n"
    )
    os.replace(tmp, path)
    return path


def load_tagger_accuracy(
    *, split: str = DEFAULT_SPLIT, path: str | os.PathLike[str] | None = None,
    alpha: float = 0.05, by_city: bool = False, by_era: bool = False,
) -> pd.DataFrame:
    """The shipped error counts of one split (``holdout`` by default, or ``dev``) with their
    scores (:func:`score_counts`): ``tag, value, …, source, date``; with ``by_city`` the
    counts per city (:data:`BY_CITY_FILE`, a ``region`` column), which
    :func:`corrected_shares` then applies city by city; with ``by_era`` the counts per era of
    publication (:data:`BY_ERA_FILE`, an ``era`` column), which :func:`corrected_trends`
    applies period by period.

    These are counts on real labelled news; on another kind of text (the synthetic sample, a
    corpus of another domain) the taggers err at other rates.
    """
    path = Path(path) if path else (BY_CITY_FILE if by_city else BY_ERA_FILE if by_era
                                    else ACCURACY_FILE)
    table = pd.read_csv(
        path,
        sep="\t",
        dtype={"value": str, "source": str, "date": str},
        keep_default_na=False,
        encoding="utf-8",
    )
    missing = [c for c in (BY_CITY_COLUMNS if by_city else BY_ERA_COLUMNS if by_era
                           else ACCURACY_COLUMNS) if c not in table.columns]
    if missing:
        raise KeyError(f"{paths.display_path(path)}: no column(s) {missing}")
    table = table[table["source"].str.split(":").str[0] == split]
    if table.empty:
        raise ValueError(f"{paths.display_path(path)}: no rows for split {split!r}")
    out = score_counts(table.reset_index(drop=True), alpha=alpha)
    out.attrs["source"] = str(table["source"].iloc[0]) + (", by city" if by_city else
                                                          ", by era" if by_era else "")
    out.attrs["date"] = str(table["date"].iloc[0])
    return out


def tag_reliability(
    accuracy: pd.DataFrame | None = None, *, tag: str = "topic", lang: str = "ko",
    readers_file: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """How reliable each value of one tag is, for a table beside a chart: ``value, label,
    n_true, n_pred, precision, precision_low, precision_high, recall, recall_low, recall_high,
    f1, readers_f1`` in display order (``label`` from the vocabulary, in ``lang``).
    ``accuracy``: scores or counts (default: :func:`load_tagger_accuracy`, the held-out real
    news); its ``source`` is kept in ``attrs``. ``readers_f1`` is how far two readers agree on
    the value (:func:`load_readers_f1`, from ``readers_file`` or :data:`READERS_FILE`; NaN
    where unmeasured): a tag cannot be read more surely than its readers agree."""
    acc = accuracy if accuracy is not None else load_tagger_accuracy()
    scores = acc if "precision" in acc.columns else score_counts(acc)
    part = scores[scores["tag"] == tag].copy()
    vocab = get_vocabulary()
    known: tuple[str, ...] = ()
    name: Callable[[str], str] = str
    if tag == "topic":
        known, name = vocab.topic_keys, functools.partial(vocab.topic_label, lang=lang)
    elif tag == "region":
        known, name = vocab.region_keys, functools.partial(vocab.region_label, lang=lang)
    elif tag == "smart_city":
        known, name = ("true",), (lambda v: SMART_CITY_LABEL[lang] if v == "true" else str(v))
    values = set(part["value"])
    order = [v for v in known if v in values] + sorted(values - set(known))
    part = part.set_index("value").loc[order].reset_index()
    part.insert(1, "label", [name(v) for v in part["value"]])
    readers = load_readers_f1(readers_file, tag=tag)
    part["readers_f1"] = [readers.get(v, float("nan")) for v in part["value"]]
    columns = [
        "value",
        "label",
        "n_true",
        "n_pred",
        "precision",
        "precision_low",
        "precision_high",
        "recall",
        "recall_low",
        "recall_high",
        "f1",
        "readers_f1",
    ]
    out = part[columns].reset_index(drop=True)
    out.attrs.update(acc.attrs)
    return out


def reliability_by_city(
    accuracy: pd.DataFrame | None = None, *, cities: Sequence[str] | None = None,
    lang: str = "ko", tag: str = "topic",
) -> pd.DataFrame:
    """Per topic (or the one row of the smart-city flag, ``tag="smart_city"``), how reliable
    the tag is in each city, side by side: ``value, label`` and per city ``<city> n``,
    ``<city> precision``, ``<city> recall``, ``<city> F1``. ``accuracy``: counts or scores with
    a ``region`` column (default: ``load_tagger_accuracy(by_city=True)``, the held-out real
    news). A topic that errs differently in the two cities can make a difference between them
    that the topic's coverage does not have; a flag that misses more of one city's smart-city
    stories undercounts that city's smart-city share more."""
    acc = accuracy if accuracy is not None else load_tagger_accuracy(by_city=True)
    if "region" not in acc.columns:
        raise KeyError("reliability_by_city: the accuracy table has no region column "
                       "(load_tagger_accuracy(by_city=True) or corpus_accuracy(..., by_city=True))")
    scores = acc if "precision" in acc.columns else score_counts(acc)
    cities = list(cities or get_vocabulary().compare)
    out = None
    for city in cities:
        part = scores[(scores["region"] == city)].drop(columns="region")
        table = tag_reliability(part, lang=lang, tag=tag)[["value", "label", "n_true",
                                                            "precision", "recall", "f1"]]
        name = get_vocabulary().region_label(city, lang=lang)
        table = table.rename(columns={"n_true": f"{name} n", "precision": f"{name} precision",
                                      "recall": f"{name} recall", "f1": f"{name} F1"})
        out = table if out is None else out.merge(table, on=["value", "label"], how="outer")
    out = out if out is not None else pd.DataFrame(columns=["value", "label"])
    keys = get_vocabulary().topic_keys
    out = out.sort_values("value", key=lambda s: s.map(
        {k: i for i, k in enumerate(keys)}).fillna(len(keys))).reset_index(drop=True)
    out.attrs.update(acc.attrs)
    return out


def measure_label_agreement(folder: str | os.PathLike[str] | None = None, *,
                            date: str | None = None) -> pd.DataFrame | None:
    """Two readers' agreement on the doubly labelled real pages: the first labels of
    ``real_pages*.tsv`` against the blind second labels of ``second_labels.tsv`` (both in
    ``folder``, default the fixtures), as counts per tag value (:data:`READERS_COLUMNS`:
    ``smart_city`` and every topic; ``n_first``/``n_second`` articles each reader gave the
    value, ``n_both`` both; topics over the pages both call smart-city). None without a second
    labels file."""
    root = Path(folder) if folder else paths.FIXTURES_DIR
    second_file = root / SECOND_LABELS
    if not second_file.exists():
        return None
    second = pd.read_csv(second_file, sep="\t", dtype=str, keep_default_na=False)
    first = pd.concat([pd.read_csv(f, sep="\t", dtype=str, keep_default_na=False)
                       for f, _ in labelled_data.page_label_files(root)], ignore_index=True)
    first = first.drop_duplicates("url").set_index("url").loc[second["url"]].reset_index()
    table = label_agreement(page_labels(first), page_labels(second), n_boot=1)
    keep = table[(table["tag"] == "smart_city") & (table["measure"] == "f1")
                 | (table["tag"] == "topic") & (table["measure"] == "f1")]
    date = date or dt.datetime.now(dt.UTC).date().isoformat()
    source = f"{SECOND_LABELS} {len(second)} pages against their first labels"
    return keep[["tag", "value", "n", "n_first", "n_second", "n_both"]].assign(
        source=source, date=date).reset_index(drop=True)[list(READERS_COLUMNS)]


def load_readers_f1(path: str | os.PathLike[str] | None = None, *,
                    tag: str = "topic") -> dict[str, float]:
    """``{value: F1 of one reader against the other}`` for ``tag`` from
    :data:`READERS_FILE` (``{}`` when it is absent): ``2 n_both / (n_first + n_second)``."""
    path = Path(path) if path else READERS_FILE
    if not path.exists():
        return {}
    table = pd.read_csv(path, sep="\t", dtype={"value": str}, keep_default_na=False)
    part = table[table["tag"] == tag]
    given = part["n_first"] + part["n_second"]
    return {v: (2 * b / g if g else float("nan"))
            for v, b, g in zip(part["value"], part["n_both"], given, strict=True)}


def describe_accuracy(accuracy: pd.DataFrame, *, sample: bool = False) -> str:
    """One sentence saying where the error rates of ``accuracy`` come from, for a notebook or
    report; with ``sample=True`` it adds that they describe real text, not the synthetic
    sample (unless they are rates on labels of the corpus itself, :func:`corpus_accuracy`)."""
    source = accuracy.attrs.get("source") or (
        str(accuracy["source"].iloc[0]) if "source" in accuracy.columns and len(accuracy) else ""
    )
    date = accuracy.attrs.get("date") or (
        str(accuracy["date"].iloc[0]) if "date" in accuracy.columns and len(accuracy) else ""
    )
    text = "Tagger error rates measured on labelled articles"
    if accuracy.attrs.get("labels_file"):
        # A user's own labels (corpus_accuracy): rates of this corpus, sample or not.
        return f"Tagger error rates measured on {source}" + (f" ({date})." if date else ".")
    if source:
        text = f"Tagger error rates measured on real labelled news ({source}"
        text += f"; {date})" if date else ")"
    text += "."
    if sample:
        text += (
            " The corpus is the synthetic sample: these rates describe the taggers on real text, "
            "not on the sample, so corrected shares here show what real error rates would do."
        )
    return text


# --- corrected shares ----------------------------------------------------------------------


def corrected_shares(
    shares: pd.DataFrame,
    *,
    accuracy: pd.DataFrame | None = None,
    n_boot: int = 2000,
    random_state: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Shares corrected for tagging error (Rogan–Gladen), with intervals.

    ``shares``: a tidy share table with ``n_docs``, ``n_total`` and ``share`` per row
    (``topic_counts`` / ``topic_shares`` with a ``topic`` column; ``smart_city_share`` without
    one, which is then corrected with the ``smart_city`` error rates). ``accuracy``: error
    counts ``tag, value, tp, fp, fn, tn`` with one row per (tag, value), e.g.
    :func:`load_tagger_accuracy` (the default: the shipped held-out counts on real news) or
    :func:`score_tags` on a user's own labels.

    Returns ``shares`` with :data:`CORRECTED_COLUMNS` added. With sensitivity ``se = tp /
    (tp + fn)`` and specificity ``sp = tn / (tn + fp)``, the observed share ``q`` estimates
    ``p·se + (1 − p)(1 − sp)``, so ``share_corrected = (q + sp − 1) / (se + sp − 1)`` clipped
    to [0, 1]. For topic shares over smart-city-tagged articles it estimates the share of those
    articles that truly carry the topic (a wrongly flagged article carries none); the shipped
    counts are of that population, so for topic shares over all articles
    (``smart_city_only=False``) pass ``score_tags(..., topic_rows="all")`` of your own labels.
    Region tags are taken as given: an article filed under the wrong city is not corrected.
    ``accuracy`` with a ``region`` column (``load_tagger_accuracy(by_city=True)``,
    ``corpus_accuracy(..., by_city=True)``) corrects each row with its own city's rates
    instead of the pooled ones: no assumption that the tags err alike in both cities, at the
    price of wider intervals (fewer labelled articles per city). ``accuracy`` with an ``era``
    column (``load_tagger_accuracy(by_era=True)``, ``corpus_accuracy(..., by_era=True)``)
    corrects each period's row with the rates of its era of publication (:func:`era_of` of the
    period's first day), and a row over the whole span with the eras' counts summed: no
    assumption that the tags err alike in every year.

    The interval (level ``1 − alpha``) is a parametric bootstrap of ``n_boot`` draws: ``se``
    and ``sp`` from their Beta posteriors (``Beta(tp + ½, fn + ½)``, ``Beta(tn + ½, fp + ½)``;
    independent, as they come from disjoint labelled rows; one set of draws per tag, shared
    by its rows and seeded by ``random_state`` and the tag, not by the table's other rows) and ``q`` from ``Beta(n_docs + ½, n_total − n_docs + ½)``, which, unlike a
    binomial redraw, still varies when ``n_docs`` is 0 or ``n_total``. Each draw is corrected
    and clipped; the interval is the percentiles, widened to hold the point estimate. The
    counts suffice, so a user's ``score_tags`` output works as well as the shipped file; a
    bootstrap over the labelled rows would need them and breaks down on a topic with a handful
    of positives.

    NaN with a ``correction_note``: no share (empty or too-few bins), no counts for the tag,
    no labelled positives or negatives, or ``se + sp − 1 <= 0`` (a tag no better than chance).
    When more than ``alpha`` of the draws have ``se + sp <= 1`` the interval is [0, 1] and there
    is no corrected point (a point between chance-level rates says nothing), as in
    :func:`corrected_difference`.
    """
    for col in ("n_docs", "n_total", "share"):
        if col not in shares.columns:
            raise KeyError(f"corrected_shares: the share table has no {col} column")
    acc, counts, by_city = _rate_counts(accuracy, "corrected_shares")
    if by_city and "region" not in shares.columns:
        raise KeyError("corrected_shares: rates per city need a share table with a region column")

    out = shares.copy()
    n = len(out)
    if "topic" in out.columns:
        keys = [("topic", str(t)) for t in out["topic"]]
    else:
        keys = [("smart_city", "true")] * n
    if by_city:  # each row with the rates of its own city ("both" and "neither" have none)
        keys = [(*key, str(r)) for key, r in zip(keys, out["region"], strict=True)]
    elif "era" in counts.index.names:  # each period with the rates of its era
        keys = [(*key, era) for key, era in zip(keys, _row_eras(out, counts), strict=True)]
    share_corr = np.full(n, np.nan)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    se_col = np.full(n, np.nan)
    sp_col = np.full(n, np.nan)
    notes = np.full(n, "", dtype=object)

    n_docs = pd.to_numeric(out["n_docs"], errors="coerce").to_numpy(dtype=float)
    n_total = pd.to_numeric(out["n_total"], errors="coerce").to_numpy(dtype=float)
    share = pd.to_numeric(out["share"], errors="coerce").to_numpy(dtype=float)
    has_share = np.isfinite(share) & (n_total > 0) & np.isfinite(n_docs)
    lo_q, hi_q = 100 * alpha / 2, 100 * (1 - alpha / 2)

    positions: dict[tuple[str, ...], list[int]] = {}
    for i, key in enumerate(keys):
        positions.setdefault(key, []).append(i)
    for key, rows_of_key in positions.items():
        idx = np.asarray(rows_of_key)
        rates = _rate_draws(counts, key, random_state=random_state, n_boot=n_boot)
        if isinstance(rates, str):
            notes[idx] = rates
            continue
        se_col[idx], sp_col[idx] = rates.se, rates.sp
        if rates.se + rates.sp - 1 <= 0:
            notes[idx] = NOTE_CHANCE
            continue
        ok = idx[has_share[idx]]
        notes[idx[~has_share[idx]]] = NOTE_NO_SHARE
        if not len(ok):
            continue
        if (~rates.valid).mean() > alpha:  # no corrected point, as corrected_difference gives
            low[ok], high[ok] = 0.0, 1.0
            notes[ok] = NOTE_UNCERTAIN
            continue
        share_corr[ok] = rates.correct(share[ok])
        k, m = n_docs[ok][:, None], n_total[ok][:, None]
        q_draw = rates.rng.beta(k + 0.5, m - k + 0.5, size=(len(ok), n_boot))
        p_draw = rates.correct_draws(q_draw)[:, rates.valid]
        lo, hi = np.percentile(p_draw, [lo_q, hi_q], axis=1)
        low[ok] = np.minimum(lo, share_corr[ok])
        high[ok] = np.maximum(hi, share_corr[ok])

    out["sensitivity"] = se_col
    out["specificity"] = sp_col
    out["share_corrected"] = share_corr
    out["ci_low_corrected"] = low
    out["ci_high_corrected"] = high
    out["correction_note"] = notes.astype(str)
    out.attrs.update(shares.attrs)
    out.attrs["accuracy_source"] = acc.attrs.get("source", "")
    out.attrs["rates"] = ("by era" if "era" in counts.index.names else "by city" if by_city
                          else "pooled")
    return out


def _row_eras(shares: pd.DataFrame, counts: pd.DataFrame) -> list[str]:
    """The era of each row of a share table (:func:`era_of` its period's first day), or
    :data:`EVERY_ERA` for a row over the whole span (a period that is no date)."""
    if "period" not in shares.columns:
        return [EVERY_ERA] * len(shares)
    periods = pd.to_datetime(shares["period"].where(shares["period"].astype(str) != ALL_PERIODS),
                             errors="coerce")
    eras = era_of(periods.dt.year.to_numpy(dtype=float), _count_spans(counts))
    return [e if e else EVERY_ERA for e in eras]


# --- command line --------------------------------------------------------------------------


def _format_scores(scores: pd.DataFrame) -> str:
    lines = []
    for row in scores.itertuples():
        if row.n_true == 0 and row.n_pred == 0:
            continue
        lines.append(
            f"  {row.tag:<10} {row.value:<22} n_true {row.n_true:>3}  n_pred {row.n_pred:>3}  "
            f"P {_pct(row.precision)} [{_pct(row.precision_low)}, {_pct(row.precision_high)}]  "
            f"R {_pct(row.recall)} [{_pct(row.recall_low)}, {_pct(row.recall_high)}]  "
            f"spec {_pct(row.specificity)}"
        )
    return "\n".join(lines)


def _pct(x: float) -> str:
    return "  – " if not np.isfinite(x) else f"{x:.2f}"


#: Columns :func:`corrected_difference` adds to a ``compare_regions`` table.
DIFFERENCE_CORRECTED_COLUMNS: tuple[str, ...] = (
    "diff_corrected", "ci_low_corrected", "ci_high_corrected", "holds_corrected",
    "correction_note",
)


def corrected_difference(
    compare: pd.DataFrame,
    *,
    accuracy: pd.DataFrame | None = None,
    n_boot: int = 2000,
    random_state: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The city differences of ``compare_regions`` with both cities' shares corrected for
    tagging error: does a difference survive the tags' error rates?

    Each tested row's shares are corrected as :func:`corrected_shares` corrects them
    (Rogan–Gladen), ``diff_corrected = corrected a − corrected b``, and the interval (level
    ``1 − alpha``) comes from the same parametric bootstrap, drawn jointly for the two cities:
    each city's observed share from its Beta posterior, and the rates from theirs. With
    pooled ``accuracy`` (default: the shipped held-out counts) both cities share each draw of
    the rates, so the correction scales the difference and its interval together; with
    ``accuracy`` per city (a ``region`` column: ``load_tagger_accuracy(by_city=True)`` or
    ``corpus_accuracy(..., by_city=True)``) each city is corrected with its own rates, and a
    difference the tag makes (it errs more in one city) shrinks towards zero.

    Returns ``compare`` with :data:`DIFFERENCE_CORRECTED_COLUMNS`: ``holds_corrected`` is
    True for a significant row whose corrected interval excludes zero on its side; a row that
    cannot be corrected has NaN and a ``correction_note`` (the notes of ``corrected_shares``),
    and a row whose rates are too uncertain (more than ``alpha`` of their draws no better than
    chance) has no corrected difference, the interval -1 to 1 and :data:`NOTE_DIFF_UNCERTAIN`.
    ``attrs["rates"]`` is ``"by city"`` or ``"pooled"``.
    """
    for col in ("topic", "a", "b", "n_a", "n_b", "n_docs_a", "n_docs_b", "too_few"):
        if col not in compare.columns:
            raise KeyError(f"corrected_difference: the table has no {col} column "
                           "(pass a compare_regions table)")
    _, counts, by_city = _rate_counts(accuracy, "corrected_difference")
    if "era" in counts.index.names:
        raise ValueError("corrected_difference: rates per era correct shares period by period "
                         "(corrected_shares, corrected_trends); pass pooled or per-city rates")
    out = compare.copy()
    n = len(out)
    point, low, high = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    notes = np.full(n, "", dtype=object)
    drawn: dict[tuple[str, ...], _Rates | str] = {}
    lo_q, hi_q = 100 * alpha / 2, 100 * (1 - alpha / 2)
    for i, row in enumerate(out.itertuples(index=False)):
        if bool(row.too_few) or not (row.n_a > 0 and row.n_b > 0):
            notes[i] = NOTE_NO_SHARE
            continue
        keys = [("topic", str(row.topic), *([str(city)] if by_city else []))
                for city in (row.a, row.b)]
        rates = [drawn.setdefault(key, _rate_draws(counts, key, random_state=random_state,
                                                   n_boot=n_boot)) for key in keys]
        failed = [r for r in rates if isinstance(r, str)]
        if failed:
            notes[i] = failed[0]
            continue
        if any(r.se + r.sp - 1 <= 0 for r in rates):
            notes[i] = NOTE_CHANCE
            continue
        observed = [(row.n_docs_a, row.n_a), (row.n_docs_b, row.n_b)]
        corrected = [r.correct(np.array([k / m]))[0] for r, (k, m) in zip(rates, observed,
                                                                          strict=True)]
        valid = rates[0].valid & rates[1].valid
        if (~valid).mean() > alpha:  # no point: (q + sp - 1) / (se + sp - 1) near 0 / 0
            low[i], high[i] = -1.0, 1.0
            notes[i] = NOTE_DIFF_UNCERTAIN
            continue
        point[i] = corrected[0] - corrected[1]
        # The shares' draws: a stream per row, apart from the rates' streams.
        rng = np.random.default_rng([random_state, zlib.crc32(repr((keys, i)).encode("utf-8"))])
        draws = [r.correct_draws(rng.beta(k + 0.5, m - k + 0.5, size=n_boot))
                 for r, (k, m) in zip(rates, observed, strict=True)]
        lo, hi = np.percentile((draws[0] - draws[1])[valid], [lo_q, hi_q])
        low[i], high[i] = min(lo, point[i]), max(hi, point[i])
    out["diff_corrected"] = point
    out["ci_low_corrected"] = low
    out["ci_high_corrected"] = high
    significant = out["significant"] if "significant" in out.columns else True
    out["holds_corrected"] = (significant & (((out["diff_corrected"] > 0) & (low > 0))
                                             | ((out["diff_corrected"] < 0) & (high < 0))))
    out["holds_corrected"] = out["holds_corrected"].astype(bool)
    out["correction_note"] = notes.astype(str)
    out.attrs.update(compare.attrs)
    out.attrs["rates"] = "by city" if by_city else "pooled"
    out.attrs["alpha"] = alpha  # the corrected interval's (the findings say its level)
    return out


#: Columns :func:`corrected_trends` adds to a ``trend_test`` table.
TREND_CORRECTED_COLUMNS: tuple[str, ...] = (
    "slope_share", "slope_corrected", "ci_low_corrected", "ci_high_corrected",
    "holds_corrected", "eras", "correction_note",
)


def corrected_trends(
    tagged: pd.DataFrame,
    *,
    freq: str = "QS",
    accuracy: pd.DataFrame | None = None,
    n_boot: int = 2000,
    random_state: int = 0,
    **options: object,
) -> pd.DataFrame:
    """Each city's topic trends (``trend_test``, whose options ``base, min_n, regions, topics,
    both, dedup, alpha, start, end`` pass through), checked against a tag whose error rates
    change over the years.

    Error rates fixed over time only rescale a share, so they cannot make a trend; but a tag
    that finds more of a topic's stories in later years (newer words it knows, older wording it
    misses) makes a rising share out of a flat one. ``accuracy`` holds error counts per era of
    publication (an ``era`` column such as ``2020-2022``: ``load_tagger_accuracy(by_era=True)``,
    the default, or ``corpus_accuracy(..., by_era=True)``). Each period's topic share is
    corrected (Rogan–Gladen, as :func:`corrected_shares`) with the rates of the era its first
    day falls in (a period before the first era takes the first era's, one after the last the
    last's), and a straight line is fitted to the shares over the years, each period weighted
    by its n over its variance factor f below, as the trend test weighs it (the corrected
    shares unclipped: a share clipped to 0 or 1 would bend the line):

    - ``slope_share``: that line's slope for the tagged shares, in share a year (0.02: two
      points a year);
    - ``slope_corrected``: the same for the corrected shares, with ``ci_low_corrected,
      ci_high_corrected`` (level ``1 − alpha``) from ``n_boot`` parametric draws: each era's
      rates from their Beta posteriors, drawn independently era by era, and each period's share
      from ``Beta(k/f + ½, (n − k)/f + ½)``, where f is the period's variance factor in the
      trend test's fit (``topic_trends.period_variance_factors``: Williams' extra-binomial
      variance, which grows with the period's n), so periods scatter as much as the trend
      test lets them;
    - ``holds_corrected``: a significant trend whose corrected interval excludes zero on the
      trend's side;
    - ``eras``: the eras the series' periods fall in; ``correction_note`` why a row has no
      corrected slope (the notes of :func:`corrected_shares`).

    The topic counts are of the articles the tagger calls smart-city, as the shipped ones are,
    so ``base="all"`` needs ``score_tags(..., topic_rows="all")`` per era of your own labels.
    Few labelled articles per era make the corrected intervals wide.
    """
    from lib.analysis import topic_trends as tt

    if accuracy is not None and "era" not in accuracy.columns:
        raise KeyError("corrected_trends: the accuracy table has no column(s) ['era'] "
                       "(load_tagger_accuracy(by_era=True) or corpus_accuracy(..., by_era=True): "
                       "rates fixed over time only rescale a trend)")
    acc, counts, _ = _rate_counts(accuracy if accuracy is not None
                                  else load_tagger_accuracy(by_era=True), "corrected_trends")
    spans = _count_spans(counts)
    alpha = float(options.get("alpha", 0.05))
    trend = tt.trend_test(tagged, freq=freq, **options)
    share_options = {k: v for k, v in options.items() if k not in ("start", "end", "regions")}
    shares = tt.topic_shares(tagged, freq=freq, regions=list(dict.fromkeys(trend["region"])),
                             **share_options)
    if options.get("start") is not None:
        shares = shares[shares["period"] >= pd.Timestamp(options["start"])]
    if options.get("end") is not None:
        shares = shares[shares["period"] <= pd.Timestamp(options["end"])]
    series = {key: part for key, part in shares.groupby(["region", "topic"], sort=False)}
    columns: dict[str, list[object]] = {c: [] for c in TREND_CORRECTED_COLUMNS}
    for row in trend.itertuples(index=False):
        values = dict.fromkeys(TREND_CORRECTED_COLUMNS, np.nan)
        values.update(holds_corrected=False, eras="", correction_note="")
        part = series.get((row.region, row.topic))
        part = (part[part["n_total"] > 0].sort_values("period") if part is not None
                else shares.iloc[:0])
        if not spans:
            values["correction_note"] = NOTE_NO_ERAS
        elif not np.isfinite(row.slope) or part.empty:
            values["correction_note"] = NOTE_NO_SHARE
        else:
            values.update(_corrected_slope(part, row, counts, spans, random_state=random_state,
                                           n_boot=n_boot, alpha=alpha,
                                           days_per_year=tt.DAYS_PER_YEAR))
        for c in TREND_CORRECTED_COLUMNS:
            columns[c].append(values[c])
    out = trend.copy()
    for c in TREND_CORRECTED_COLUMNS:
        out[c] = columns[c]
    out["holds_corrected"] = out["holds_corrected"].astype(bool)
    out["correction_note"] = out["correction_note"].astype(str)
    out.attrs.update(trend.attrs)
    out.attrs.update(rates="by era", eras=[era_name(span) for span in spans],
                     accuracy_source=acc.attrs.get("source", ""))
    return out


def _count_spans(counts: pd.DataFrame) -> list[tuple[int, int]]:
    """The eras of error counts indexed by era (:func:`_rate_counts`), as year spans in order."""
    names = dict.fromkeys(counts.index.get_level_values("era"))
    return sorted(_era_span(str(e)) for e in names if e != EVERY_ERA)


def _era_span(name: str) -> tuple[int, int]:
    """The ``(first, last)`` years of an era named by :func:`era_name`."""
    try:
        first, _, last = name.partition("-")
        return int(first), int(last or first)
    except ValueError:
        raise ValueError(f"error counts per era: era {name!r} is not a span of years such as "
                         "2015-2020") from None


def _corrected_slope(part: pd.DataFrame, row: object, counts: pd.DataFrame,
                     spans: Sequence[tuple[int, int]], *, random_state: int, n_boot: int,
                     alpha: float, days_per_year: float) -> dict[str, object]:
    """The tagged and corrected slopes of one series (rows of ``topic_shares``) and the
    corrected slope's interval: :func:`corrected_trends`' columns for one trend row."""
    from lib.analysis import topic_trends as tt

    periods = pd.to_datetime(part["period"])
    years = ((periods - periods.iloc[0]).dt.days / days_per_year).to_numpy(dtype=float)
    eras = era_of(periods.dt.year.to_numpy(dtype=float), spans)
    k = part["n_docs"].to_numpy(dtype=float)
    m = part["n_total"].to_numpy(dtype=float)
    # Each period as the trend test weighs it: its n over the scatter beyond a binomial's.
    factor = tt.period_variance_factors(k, m, years)
    weight = m / factor
    out: dict[str, object] = {"slope_share": _weighted_slope(years, k / m, weight),
                              "eras": ", ".join(dict.fromkeys(eras))}
    rates: dict[str, _Rates] = {}
    for era in dict.fromkeys(eras):
        drawn = _rate_draws(counts, ("topic", str(row.topic), era), random_state=random_state,
                            n_boot=n_boot)
        if isinstance(drawn, str):
            return {**out, "correction_note": f"{era}: {drawn}"}
        if drawn.se + drawn.sp - 1 <= 0:
            return {**out, "correction_note": f"{era}: {NOTE_CHANCE}"}
        rates[era] = drawn
    # The line goes through the corrected shares unclipped: a clipped one (a period's share
    # under the tag's false-positive rate is 0) bends it, the more so the nearer 0 or 1 the
    # shares run, and its draws would bend it otherwise than its point. Unclipped, the
    # correction is linear in each share, and the slope is that of the true shares.
    point = np.array([rates[e].correct(np.array([q]), clip=False)[0]
                      for e, q in zip(eras, k / m, strict=True)])
    out["slope_corrected"] = _weighted_slope(years, point, weight)
    se_draw = np.stack([rates[e].se_draw for e in eras])
    sp_draw = np.stack([rates[e].sp_draw for e in eras])
    valid = ((se_draw + sp_draw - 1) > 0).all(axis=0)
    if (~valid).mean() > alpha:
        return {**out, "correction_note": NOTE_RATES_UNCERTAIN}
    rng = np.random.default_rng([random_state, zlib.crc32(
        repr((str(row.region), str(row.topic))).encode("utf-8"))])
    q_draw = rng.beta(k[:, None] / factor[:, None] + 0.5, (m - k)[:, None] / factor[:, None] + 0.5,
                      size=(len(k), n_boot))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_draw = (q_draw + sp_draw - 1) / (se_draw + sp_draw - 1)
    slopes = _weighted_slope(years, p_draw[:, valid], weight)
    lo, hi = np.percentile(slopes, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    low, high = min(lo, out["slope_corrected"]), max(hi, out["slope_corrected"])
    rising = row.slope > 0
    holds = bool(row.significant) and (low > 0 if rising else high < 0)
    return {**out, "ci_low_corrected": low, "ci_high_corrected": high, "holds_corrected": holds}


def _weighted_slope(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray | float:
    """The weighted least-squares slope of ``y`` (one series, or one per column) on ``x``."""
    dx = x - np.average(x, weights=w)
    denominator = float(np.sum(w * dx * dx))
    if denominator == 0:
        return np.nan
    slope = np.tensordot(w * dx, y, axes=(0, 0)) / denominator
    return float(slope) if np.ndim(slope) == 0 else slope


@dataclass(frozen=True)
class _Rates:
    """A tag's sensitivity and specificity, their bootstrap draws (Beta posteriors) and the
    random stream the draws came from (so a caller's next draws follow them)."""

    se: float
    sp: float
    se_draw: np.ndarray
    sp_draw: np.ndarray
    rng: np.random.Generator

    @property
    def valid(self) -> np.ndarray:
        """Draws in which the tag is better than chance (``se + sp > 1``)."""
        return self.se_draw + self.sp_draw - 1 > 0

    def correct(self, share: np.ndarray, *, clip: bool = True) -> np.ndarray:
        """Rogan–Gladen at the point estimates, clipped to [0, 1] (``clip``)."""
        corrected = (share + self.sp - 1) / (self.se + self.sp - 1)
        return np.clip(corrected, 0.0, 1.0) if clip else corrected

    def correct_draws(self, q_draw: np.ndarray) -> np.ndarray:
        """Rogan–Gladen of observed-share draws (last axis: the bootstrap draws), each with
        its own draw of the rates; NaN where that draw is no better than chance."""
        j_draw = self.se_draw + self.sp_draw - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            corrected = np.clip((q_draw + self.sp_draw - 1) / j_draw, 0.0, 1.0)
        return np.where(self.valid, corrected, np.nan)


#: The era key of a share over the whole span in counts per era: the eras' counts summed.
EVERY_ERA = "all"


def _rate_counts(accuracy: pd.DataFrame | None, caller: str
                 ) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The error counts to correct with (the shipped held-out ones by default), checked, and
    indexed by ``(tag, value)``, per city ``(tag, value, region)`` or per era ``(tag, value,
    era)`` (with :data:`EVERY_ERA` rows, the eras summed, for a share over the whole span)."""
    acc = accuracy if accuracy is not None else load_tagger_accuracy()
    missing = [c for c in ("tag", "value", "tp", "fp", "fn", "tn") if c not in acc.columns]
    if missing:
        raise KeyError(f"{caller}: the accuracy table has no column(s) {missing}")
    by_city = "region" in acc.columns
    index = (["tag", "value", "region"] if by_city else ["tag", "value", "era"]
             if "era" in acc.columns else ["tag", "value"])
    repeated = acc[acc.duplicated(index, keep=False)]
    if len(repeated):
        first = repeated.iloc[0]
        raise ValueError(
            f"{caller}: the accuracy table has several rows for {first['tag']}="
            f"{first['value']} (pick one split: load_tagger_accuracy(split=...))"
        )
    counts = acc.assign(value=acc["value"].astype(str))
    if "era" in index:
        counts = counts.assign(era=counts["era"].astype(str))
        summed = (counts.groupby(["tag", "value"], as_index=False)[["tp", "fp", "fn", "tn"]]
                  .sum().assign(era=EVERY_ERA))
        counts = pd.concat([counts, summed], ignore_index=True)
    return acc, counts.set_index(index), by_city


def _rate_draws(counts: pd.DataFrame, key: tuple[str, ...], *, random_state: int,
                n_boot: int) -> _Rates | str:
    """The rates of one tag (``key`` into ``counts``) with ``n_boot`` draws from their Beta
    posteriors, from a stream seeded by ``random_state`` and the key alone; or the note saying
    why there are none."""
    if key not in counts.index:
        return NOTE_NO_RATES
    tp, fp, fn, tn = (float(counts.at[key, c]) for c in ("tp", "fp", "fn", "tn"))
    if tp + fn == 0:
        return NOTE_NO_POSITIVES
    if tn + fp == 0:
        return NOTE_NO_NEGATIVES
    # One stream per tag, so a row's interval does not depend on the other tags in the table.
    rng = np.random.default_rng([random_state, zlib.crc32("\t".join(key).encode("utf-8"))])
    se_draw = rng.beta(tp + 0.5, fn + 0.5, size=n_boot)
    sp_draw = rng.beta(tn + 0.5, fp + 0.5, size=n_boot)
    return _Rates(tp / (tp + fn), tn / (tn + fp), se_draw, sp_draw, rng)


def as_corrected(shares: pd.DataFrame) -> pd.DataFrame:
    """A table from ``corrected_shares`` with ``share, ci_low, ci_high`` replaced by the
    corrected estimates, so charts and tables of shares show them (``attrs["corrected"]`` says
    so); the observed values stay in ``share_observed, ci_low_observed, ci_high_observed``."""
    missing = [c for c in ("share_corrected", "ci_low_corrected", "ci_high_corrected")
               if c not in shares.columns]
    if missing:
        raise ValueError(f"as_corrected: run corrected_shares first (no {missing})")
    out = shares.copy()
    for col in ("share", "ci_low", "ci_high"):
        out[f"{col}_observed"] = out[col]
        out[col] = out[f"{col}_corrected"]
    # A cell with no corrected estimate (a tag no better than chance) is not shown.
    out.loc[out["share"].isna(), "too_few"] = True
    out.attrs = {**shares.attrs, "corrected": True}
    return out


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m lib.analysis.accuracy``: tag the labelled real news, print the scores per
    split and write the counts to ``lib/resources/tagger_accuracy.tsv`` (or ``--out``)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", type=Path, default=ACCURACY_FILE, help="where to write the counts")
    parser.add_argument("--dry-run", action="store_true", help="print the scores, write nothing")
    args = parser.parse_args(list(argv) if argv is not None else None)
    labelled = load_labelled_real()
    once = dict(labelled=labelled, tagged=tag_articles(labelled.articles).articles)
    table = measure_tagger_accuracy(**once)
    for source, part in table.groupby("source", sort=False):
        print(f"{source}\n{_format_scores(score_counts(part))}")
    readers = measure_label_agreement()
    by_city = measure_tagger_accuracy(by_city=True, **once)
    by_era = measure_tagger_accuracy(by_era=True, **once)
    if not args.dry_run:
        path = write_tagger_accuracy(table, args.out)
        stored = load_tagger_accuracy(path=path).attrs["date"]
        print(f"{paths.display_path(path)}: {len(table)} rows, counts as of {stored}")
        out = write_tagger_accuracy(by_city, args.out.with_name(BY_CITY_FILE.name),
                                    columns=BY_CITY_COLUMNS)
        print(f"{paths.display_path(out)}: {len(by_city)} rows, per city")
        out = write_tagger_accuracy(by_era, args.out.with_name(BY_ERA_FILE.name),
                                    columns=BY_ERA_COLUMNS)
        print(f"{paths.display_path(out)}: {len(by_era)} rows, per era "
              f"({', '.join(dict.fromkeys(by_era['era']))})")
        if readers is not None:
            out = write_tagger_accuracy(readers, READERS_FILE, columns=READERS_COLUMNS)
            print(f"{paths.display_path(out)}: two readers' agreement, {len(readers)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

