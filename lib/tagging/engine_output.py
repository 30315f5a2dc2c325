"""The folder the distributed engine writes (:mod:`lib.engine`), read back as the tables
:func:`lib.tagging.load_and_tag` gives, so the notebooks can be pointed at it (``CORPUS=``).

A run of ``python -m lib.engine SOURCES --out OUT`` writes ``OUT/articles/``,
``OUT/article_topics/``, ``OUT/topic_terms/``, ``OUT/region_evidence/`` and ``OUT/tokens/`` as
``part-00000.parquet`` … in reading order, with ``OUT/manifest.parquet`` and
``OUT/rejects.parquet``. :func:`is_engine_output` recognises such a folder; :func:`read_table`
reads one of its tables whole (``topics`` as tuples again, the evidence tables' categorical
columns joined); :func:`read_tagged` gives the corpus and its tags as ``load_and_tag`` would
have computed them, with the engine's token table (``tokens``, which
:func:`lib.tagging.tokens.tokens_of` then reads instead of tokenizing again);
:func:`load_and_tag` (exported as ``lib.tagging.load_and_tag``) reads such a folder that way
and any other input through :func:`lib.tagging.stage.load_and_tag`. The tables
were tagged by the engine's workers: a folder written by another version of the taggers keeps
that version's tags.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from lib import paths
from lib.corpus.loader import Corpus
from lib.tagging import stage
from lib.tagging.stage import TAG_DEFAULTS, TaggedCorpus, concat_tables, with_categories

#: The partitioned tables of an engine folder, each a folder of ``part-*.parquet`` files.
PARTITIONED = ("articles", "article_topics", "topic_terms", "region_evidence", "tokens")
#: The single-file tables beside them.
SINGLE = ("manifest", "rejects")


def _missing(root: Path) -> list[str]:
    """The files of an engine folder that ``root`` lacks: the manifest, the rejects, and at
    least one part file of articles."""
    missing = [f"{name}.parquet" for name in SINGLE if not (root / f"{name}.parquet").is_file()]
    if not any((root / "articles").glob("part-*.parquet")):
        missing.append("articles/part-*.parquet")
    return missing


def is_engine_output(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder the engine wrote: its manifest, its rejects and at least
    one part file of articles."""
    root = Path(path)
    return root.is_dir() and not _missing(root)


def looks_like_engine_output(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder with part files of articles or an engine manifest: one the
    engine wrote, or began to write (:func:`read_tagged` then says what is missing)."""
    root = Path(path)
    return root.is_dir() and ((root / "manifest.parquet").is_file()
                              or any((root / "articles").glob("part-*.parquet")))


def read_table(folder: str | os.PathLike[str], name: str) -> pd.DataFrame:
    """The table ``name`` of an engine folder: its part files in name order, joined (the
    manifest and rejects from their single files)."""
    root = Path(folder)
    if name in SINGLE:
        return pq.read_table(root / f"{name}.parquet").to_pandas()
    files = sorted((root / name).glob("part-*.parquet"))
    if not files:
        raise FileNotFoundError(
            f"{paths.display_path(root)}/{name}: no part files (not an engine output folder?)")
    frames = [with_categories(name, pq.read_table(f).to_pandas()) for f in files]
    kept = [f for f in frames if len(f)] or frames[:1]
    table = concat_tables(kept)
    if "topics" in table.columns:
        table["topics"] = [tuple(t) for t in table["topics"]]
    return table


def read_tagged(folder: str | os.PathLike[str]) -> tuple[Corpus, TaggedCorpus]:
    """The corpus and its tags from an engine folder, as ``load_and_tag`` returns them: the
    corpus's articles are the tagged articles without the tag columns. An error names the
    folder when it is not one the engine wrote."""
    root = Path(folder)
    missing = _missing(root) if root.is_dir() else ["the folder itself"]
    if missing:
        raise FileNotFoundError(
            f"{paths.display_path(root)}: not a whole engine output folder (missing "
            f"{', '.join(missing)}; an interrupted run? write it again with python -m lib.engine)")
    articles = read_table(root, "articles")
    corpus = Corpus(
        articles=articles.drop(columns=[c for c in TAG_DEFAULTS if c in articles.columns]),
        rejects=read_table(root, "rejects"),
        manifest=read_table(root, "manifest"),
        sources=(paths.display_path(root),),
    )
    tagged = TaggedCorpus(
        articles=articles,
        article_topics=read_table(root, "article_topics"),
        topic_terms=read_table(root, "topic_terms"),
        region_evidence=read_table(root, "region_evidence"),
        from_cache=True,
        tokens=read_table(root, "tokens"),
    )
    return corpus, tagged


def load_and_tag(sources: Any, **options: Any) -> tuple[Corpus, TaggedCorpus]:
    """:func:`lib.tagging.stage.load_and_tag` (load a corpus and tag it, both cached), except
    that a folder the distributed engine wrote (``python -m lib.engine … --out FOLDER``) is read
    back (:func:`read_tagged`) instead of read as a folder of corpus files. A folder the engine
    began but did not finish writing is an error saying what is missing."""
    if isinstance(sources, (str, os.PathLike)) and looks_like_engine_output(sources):
        return read_tagged(sources)
    return stage.load_and_tag(sources, **options)
