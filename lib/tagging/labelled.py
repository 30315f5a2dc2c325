"""Hand-labelled real articles, as tables the taggers and their scores can read.

Two kinds of labelled data ship with the project (``tests/fixtures``, documented beside them):

- **real pages** (``real_pages*.tsv``; older copies ``real_eval.tsv`` = dev and
  ``real_holdout.tsv`` = holdout): address, outlet, date, labels and the Kiwi noun counts of
  the article — no sentence of it. Each becomes a keyword-only article whose 키워드 list is the
  nouns repeated by count, the way a BigKinds row is read.
- **real BigKinds rows** (``real_bigkinds_labels.tsv``): the download's file name, the 뉴스 식별자
  and labels; the rows themselves are read in place from ``../shared/real/bigkinds`` when that
  folder exists, never copied.

Every row has a ``split``: ``dev`` rows may be used to fit and set anything; ``holdout`` rows
only to report how well the taggers do on text nobody fitted them to.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from lib import paths
from lib.corpus.schema import to_frame

#: The label columns every labelled table has after loading.
LABEL_COLUMNS = (
    "article_id", "region", "smart_city", "topics", "split", "trap", "confidence", "label_file",
)
SPLITS = ("dev", "holdout")
CONFIDENCES = frozenset({"high", "medium", "low"})
#: The trap vocabulary the label files' READMEs document ("" = no trap).
TRAPS = frozenset({
    "", "homograph", "ministry_dateline", "list_mention", "other_city", "economy_mention", "venue",
    "slogan", "same_name_place", "endpoint", "org_name", "near_miss",
})
BIGKINDS_LABELS = "real_bigkinds_labels.tsv"


def page_label_files(folder: str | Path | None = None) -> list[tuple[Path, str | None]]:
    """The labelled page files and the split each holds (None: the file's ``split`` column)."""
    root = Path(folder) if folder else paths.FIXTURES_DIR
    files = sorted(root.glob("real_pages*.tsv"))
    if files:
        return [(f, None) for f in files]
    return [(f, split) for f, split in ((root / "real_eval.tsv", "dev"),
                                         (root / "real_holdout.tsv", "holdout")) if f.exists()]


def _topics(value: str) -> tuple[str, ...]:
    # The label files write topics `|`-joined: that is their file format.
    return tuple(t.strip() for t in str(value).split("|") if t.strip())


def _labels(rows: pd.DataFrame, ids: list[str], label_file: str | pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ids,
            "region": rows["region"].str.strip().to_numpy(),
            "smart_city": rows["smart_city"].str.strip().str.lower().eq("true").to_numpy(),
            "topics": [_topics(v) for v in rows["topics"]],
            "split": rows["split"].str.strip().to_numpy(),
            "trap": rows.get("trap", pd.Series("", index=rows.index)).fillna("").to_numpy(),
            "confidence": rows.get("confidence", pd.Series("", index=rows.index))
            .fillna("").to_numpy(),
            "label_file": label_file if isinstance(label_file, str) else label_file.to_numpy(),
        }
    )


def noun_bag(nouns: str) -> dict[str, int]:
    """The noun counts of one ``term:count|…`` string (the label files' ``nouns`` column), in
    the file's order."""
    bag: dict[str, int] = {}
    for item in filter(None, nouns.split("|")):
        term, _, count = item.rpartition(":")
        bag[term] = int(count)
    return bag


def articles_from_nouns(nouns: list[str], ids: list[str], **columns: list[object]) -> pd.DataFrame:
    """Keyword-only articles from noun counts (``term:count|…``): each noun repeated ``count``
    times, in the file's order, as a BigKinds-style 키워드 list; ``columns`` adds other fields
    (``outlet=[…]``, ``published=[…]``) row for row."""
    records = []
    for i, (art_id, bag) in enumerate(zip(ids, nouns, strict=True)):
        keywords = [term for term, count in noun_bag(bag).items() for _ in range(count)]
        record = {"article_id": art_id, "keywords": ",".join(keywords), "lead_only": True}
        record.update({name: values[i] for name, values in columns.items()})
        records.append(record)
    return to_frame(records)


def page_id(url: str) -> str:
    """The article id of a labelled page: ``page-`` and the start of its url's sha256."""
    return "page-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def load_labelled_pages(folder: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, labels)`` for every labelled real page: keyword-only articles built from
    the noun counts (ids ``page-<sha of url>``), and their labels (:data:`LABEL_COLUMNS`)."""
    frames = []
    for file, split in page_label_files(folder):
        rows = pd.read_csv(file, sep="\t", dtype=str, keep_default_na=False)
        if split is not None:
            rows["split"] = split
        rows["label_file"] = file.name
        frames.append(rows)
    if not frames:
        return to_frame([]), pd.DataFrame(columns=list(LABEL_COLUMNS))
    rows = pd.concat(frames, ignore_index=True)
    ids = [page_id(u) for u in rows["url"]]
    articles = articles_from_nouns(
        rows["nouns"].tolist(), ids, outlet=rows["outlet"].tolist(),
        published=[d or None for d in rows["date"]],
    )
    return articles, _labels(rows, ids, rows["label_file"])


def load_labelled_bigkinds(
    labels_file: str | Path | None = None, downloads: str | Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, labels)`` for the labelled real BigKinds rows; both empty when the
    downloads are not on this machine."""
    from lib.corpus import load_corpus

    file = Path(labels_file) if labels_file else paths.FIXTURES_DIR / BIGKINDS_LABELS
    folder = Path(downloads) if downloads else paths.REAL_BIGKINDS_DIR
    if not file.exists() or not folder.exists() or not any(folder.glob("*.xlsx")):
        return to_frame([]), pd.DataFrame(columns=list(LABEL_COLUMNS))
    rows = pd.read_csv(file, sep="\t", dtype=str, keep_default_na=False)
    articles = load_corpus(folder, progress=False).articles
    articles = articles.assign(file_name=articles["source_file"].map(lambda s: Path(s).name))
    keyed = articles.drop_duplicates(["file_name", "article_id"]).set_index(
        ["file_name", "article_id"])
    keys = list(zip(rows["source_file"], rows["article_id"], strict=True))
    missing = [k for k in keys if k not in keyed.index]
    if missing:
        raise ValueError(f"{file.name}: {len(missing)} labelled rows not in the downloads, "
                         f"e.g. {missing[0]}")
    chosen = keyed.loc[keys].reset_index().drop(columns="file_name")
    return chosen, _labels(rows, chosen["article_id"].tolist(), file.name)


def load_labelled() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every labelled real set, pages first, then BigKinds rows: ``(articles, labels)`` row for
    row; ``labels["label_file"]`` names the file each label comes from."""
    parts = [load_labelled_pages(), load_labelled_bigkinds()]
    articles = pd.concat([a for a, _ in parts], ignore_index=True)
    labels = pd.concat([lab for _, lab in parts], ignore_index=True)
    return articles, labels
