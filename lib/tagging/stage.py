"""The tagging stage: articles in, one tagged layer out, cached like the corpus.

``tag_articles(corpus.articles)`` runs the region tagger and the topic tagger once per unique
``article_id`` and returns a :class:`TaggedCorpus`: the wide table every analysis reads (the
article columns plus ``region``, ``smart_city``, ``smart_city_score``, ``topics`` as a tuple of
topic keys, and readable ``region_evidence`` / ``topic_evidence``) and the same evidence as long
tables, so no caller has to split a joined string.

The result is stored as Parquet under ``data/cache/tagged/<key>/``. The key covers the articles
(their ids and every column the taggers read), the resource files (lexicon, thresholds, user
dictionary, stopwords, the regions file in use, the topics file) and the tagging code, so an edit
to any of them tags again; a rerun of a notebook on the same corpus reads the tags back.

In one process the unique articles are tagged :data:`BLOCK_ARTICLES` at a time: what the
taggers build (texts, matches, per-article results, nouns, features) is held for one block, and
only the blocks' small tables are kept and joined.

``load_and_tag(sources)`` is ``load_corpus`` followed by ``tag_articles``, with the same
results and caches; when the files are read by several processes, those processes tag each
file's articles as soon as it is read, while the other files still load.

Large corpora can be tagged in chunks across processes (``workers=``; by default on every core
from :data:`PARALLEL_MIN_ARTICLES` unique articles on machines of :data:`PARALLEL_MIN_CORES`
cores or more). Every article is tagged on its own, so the chunks' tables joined in order are
the tables of one pass: the result, and its cache key, do not depend on the number of workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm.auto import tqdm

from lib import paths
from lib.corpus.cache import COMPRESSION, discard_entry, mark_used, write_entry
from lib.corpus.loader import (
    Corpus,
    plan_load,
    processes_can_start,
    reading_context,
    stop_fork_server,
)
from lib.corpus.errors import worker_start_error
from lib.corpus.memory import release_free_memory
from lib.corpus.spill import mapped_frame, spill_folder
from lib.tagging import model as tag_model
from lib.tagging import regions as region_tagger
from lib.tagging import resources as wordlists
from lib.tagging import tokens
from lib.tagging import topics as topic_tagger
from lib.vocabulary import NEITHER, as_topic_keys

#: The columns tagging adds to the articles, with the value an untagged article gets.
TAG_DEFAULTS: dict[str, object] = {
    "region": NEITHER,
    "region_evidence": "",
    "smart_city": False,
    "smart_city_score": 0.0,
    "topics": (),
    "topic_evidence": "",
}
#: Bump when the stored layout or the key changes, so old cache entries are not read.
CACHE_VERSION = "4"
_READ_COLUMNS = (
    "article_id", "title", "subtitle", "body", "captions", "keywords", "lead_only", "dateline",
    "region_bullet", "section", "categories", "places", "outlet",
)
#: Rows hashed at a time for the cache key (the same key for any number).
_HASH_ROWS = 5_000
_TABLES = ("tags", "article_topics", "topic_terms", "region_evidence")
#: Unique articles from which ``workers=None`` tags across all cores: below it, starting the
#: processes (imports, one Kiwi model each, about 4 s) costs more than the chunks save.
PARALLEL_MIN_ARTICLES = 10_000
#: Cores from which ``workers=None`` tags across processes at all. Tagging BigKinds rows is
#: Python work (no Kiwi), which processes divide: on 2 cores, 100,000 rows took 12-13 s in
#: 2 processes against 19-21 s in one (the run holds 740-810 MiB summed over its processes;
#: ``workers=1`` keeps a run in one process, about 540 MiB). Full text is tokenized by Kiwi's own threads over every core, so
#: there processes divide only the rest.
PARALLEL_MIN_CORES = 2
#: Unique articles per chunk handed to a worker process.
CHUNK_ARTICLES = 2_000
#: Unique articles tagged at a time in one process: the texts, matches, per-article results
#: and nouns the taggers build are held for one block only, and only its small tables are kept.
#: On 100,000 BigKinds rows a block of 10,000 held about 60 MB while it was tagged, one of
#: 2,500 about 15 MB, in the same time.
BLOCK_ARTICLES = 2_500
#: The string columns of the long evidence tables held as pandas categoricals: each distinct
#: id, label or term is stored once and each row holds a code. On 100,000 BigKinds rows (930,000
#: evidence rows) the two tables take about 20 MB instead of 76 MB. Categories are sorted, so
#: a table's dtype depends only on its values (not on how the articles were chunked), and
#: sorting by such a column sorts by the text, as it did for strings.
CATEGORICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "topic_terms": ("article_id", "label", "term"),
    "region_evidence": ("article_id", "region", "source", "term"),
}


@dataclass
class TaggedCorpus:
    """The tagged layer.

    - ``articles``: the input articles (same index, same order) plus the :data:`TAG_DEFAULTS`
      columns;
    - ``article_topics``: ``article_id, topic, score, terms``, one row per topic an article carries;
    - ``topic_terms``: ``article_id, label, term, count``, every lexicon term that fired;
    - ``region_evidence``: ``article_id, region, source, term, count``, every region signal.

    The long tables hold one article per ``article_id`` (copies of a story share its id). In the
    two evidence tables the string columns are categoricals (:data:`CATEGORICAL_COLUMNS`).
    ``tokens`` is the token table (:func:`lib.tagging.tokens.token_table`) when it was made with
    the tags (the distributed engine's folder holds one), else None:
    :func:`lib.tagging.tokens.tokens_of` reads it or makes it.
    """

    articles: pd.DataFrame
    article_topics: pd.DataFrame
    topic_terms: pd.DataFrame
    region_evidence: pd.DataFrame
    cache_key: str = ""
    from_cache: bool = False
    tokens: pd.DataFrame | None = None


def tag_articles(
    articles: pd.DataFrame, *, cache: bool = True, workers: int | None = None
) -> TaggedCorpus:
    """Tag ``articles`` (the loader's table, or any table with ``title`` and ``body`` or
    ``keywords``): regions, smart-city relevance and topics, with their evidence.

    ``cache=True`` reads an earlier result for the same articles, resources and code from
    ``data/cache/tagged/`` and stores a new one there; ``cache=False`` always tags. Either way
    Kiwi's tokens of full texts are read from and added to the token store
    (``data/cache/tokens/texts.sqlite``): it is keyed by each text, the word lists and the Kiwi
    version, so it cannot give a stale token, and ``make clean`` empties it.
    ``workers``: processes that tag chunks of the articles; ``None`` uses every core when there
    are at least :data:`PARALLEL_MIN_ARTICLES` unique articles and :data:`PARALLEL_MIN_CORES`
    cores (else one), ``1`` tags in this process. The result is the same for any number.
    Worker processes are spawned, so they import the caller's script: a script (not a notebook)
    that tags with more than one worker needs the usual ``if __name__ == "__main__":`` guard.
    """
    return _tag_articles(articles, cache=cache, workers=workers)


def _tag_articles(articles: pd.DataFrame, *, cache: bool, workers: int | None,
                  fingerprint: str | None = None) -> TaggedCorpus:
    """:func:`tag_articles`, with the :func:`tagger_fingerprint` when the caller has it."""
    unique = unique_articles(articles)
    key = cache_key(unique, fingerprint)
    stored = read_cached(key) if cache else None
    if stored is None:
        stored = tag_unique(unique, workers=workers)
        if cache:
            write_cached(key, stored)
    return _tagged(articles, stored, key)


def unique_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`tag_articles` tags: the first of each ``article_id`` (as a string;
    ``row<i>`` where the table has no ids)."""
    frame = articles.copy()
    if "article_id" not in frame.columns:
        frame["article_id"] = [f"row{i}" for i in range(len(frame))]
    frame["article_id"] = frame["article_id"].astype(str)
    return frame.drop_duplicates(subset="article_id", keep="first")


def _tagged(articles: pd.DataFrame, stored: dict[str, pd.DataFrame], key: str) -> TaggedCorpus:
    """The :class:`TaggedCorpus` of ``articles`` from their stored or freshly made tables."""
    tagged = TaggedCorpus(
        articles=attach_tags(articles, stored["tags"]),
        article_topics=stored["article_topics"],
        topic_terms=stored["topic_terms"],
        region_evidence=stored["region_evidence"],
        cache_key=key,
        from_cache="_fresh" not in stored,
    )
    # What tagging and joining freed goes back to the system before the notebook goes on
    # (about 40 MiB at 100,000 BigKinds rows).
    release_free_memory()
    return tagged


def load_and_tag(
    sources: str | Path | Iterable[str | Path],
    *,
    cache: bool = True,
    workers: int | None = None,
    **load_options: Any,
) -> tuple[Corpus, TaggedCorpus]:
    """``load_corpus(sources, cache=cache, workers=workers, **load_options)`` and
    ``tag_articles(corpus.articles, cache=cache, workers=workers)``: the same corpus and the
    same tags, in less time on a corpus that is read by several processes. There each file's
    articles are cut into chunks of :data:`CHUNK_ARTICLES` and tagged by the reading processes
    as soon as the file is read, while the other files still load; no core waits for the last
    file, and no second set of processes is started to tag.

    ``lib.tagging.load_and_tag`` (what the notebooks call) is this, except that it reads a
    folder the distributed engine wrote back instead (:mod:`lib.tagging.engine_output`).

    ``cache`` covers both steps, as in each function; ``load_options`` are the other keywords
    of ``load_corpus`` (``limit``, ``dedup``, ``on_error``, ``columns``, ``progress``). A corpus
    read in one process (small, a single file, ``workers=1``, ``limit``) or found in the cache
    takes the two steps one after the other; on a rerun whose tags were stored too, the tag
    key noted under the corpus key (:func:`remembered_key`) lets both be read at once, without
    hashing the articles. As with either function, a script (not a
    notebook) that reads with several processes needs the ``if __name__ == "__main__":`` guard.
    """
    plan = plan_load(sources, cache=cache, workers=workers, **load_options)
    fingerprint = tagger_fingerprint() if plan.key else ""
    known = remembered_key(plan.key, fingerprint) if plan.key else None
    if known is not None and (cache_dir() / known).is_dir():
        # A rerun: the corpus and its tags are read side by side (Arrow decodes without
        # holding the interpreter lock).
        with ThreadPoolExecutor(max_workers=1) as reader:
            corpus_read = reader.submit(plan.cached)
            stored = read_cached(known)
            corpus = corpus_read.result()
        if corpus is not None and stored is not None:
            return corpus, _tagged(corpus.articles, stored, known)
    else:
        corpus = plan.cached()
    if corpus is not None or plan.n_workers <= 1 or plan.limit is not None:
        corpus = corpus if corpus is not None else plan.run()
        tagged = _tag_articles(corpus.articles, cache=cache, workers=workers,
                               fingerprint=fingerprint or None)
        if plan.key:
            remember_key(plan.key, fingerprint, tagged.cache_key)
        return corpus, tagged
    threads = max(1, tokens.default_workers() // plan.n_workers)
    with contextlib.ExitStack() as stack:
        stack.callback(stop_fork_server)  # runs once the workers are gone
        # The files' articles, written by the reading processes for this one to map and for
        # the tagging processes to read their chunks from (lib.corpus.spill); removed once
        # the workers are done (this process's maps stay readable).
        spill_dir = spill_folder(stack)
        pool = stack.enter_context(ProcessPoolExecutor(
            max_workers=plan.n_workers,
            mp_context=reading_context(),
            initializer=_start_worker,
            initargs=(threads, paths.CACHE_DIR, paths.RESOURCES_DIR),
        ))
        early = _TagAsRead(pool, show=plan.show)
        corpus = plan.run(pool=pool, on_file=early.add, spill_dir=spill_dir, read_done=early.finish)
        unique = unique_articles(corpus.articles)
        key = cache_key(unique, fingerprint or None)
        if plan.key:
            remember_key(plan.key, fingerprint, key)
        stored = read_cached(key) if cache else None
        if stored is None:
            # The corpus rows of the unique articles (drop_duplicates keeps the first of each id).
            first_rows = np.flatnonzero(~corpus.articles["article_id"].astype(str).duplicated().to_numpy())
            stored = early.tables(unique, first_rows)
            if cache:
                write_cached(key, stored)
        else:
            pool.shutdown(cancel_futures=True)
    return corpus, _tagged(corpus.articles, stored, key)


class _TagAsRead:
    """The tagging :func:`load_and_tag` starts on each file as it is read.

    An article is tagged from the file that holds the first row of its ``article_id``, so the
    chunks' tables, joined in order, are those :func:`tag_unique` makes of the whole corpus.
    Rows without an id of their own (the loader makes one once the corpus is assembled) and
    any article whose first row turns out not to be the one tagged are tagged at the end.
    """

    def __init__(self, pool: ProcessPoolExecutor, *, show: bool = False) -> None:
        self.pool = pool
        self.show = show  # a progress bar over the chunks still tagged once loading is done
        self.next_row = 0  # the corpus row of the next file's first article
        self.seen: set[str] = set()
        self.futures: list[Future] = []
        self.rows: list[np.ndarray] = []  # per chunk, the corpus row of each article
        # Every row of every file so far went to a chunk (its id given and new): the chunks
        # then tag exactly the corpus's unique articles, and nothing is left to tag at the end.
        self.whole = True
        self.parts: list[dict[str, pd.DataFrame]] | None = None
        self.finished = False  # the workers were let go once every file was read

    def add(self, articles: pd.DataFrame, spilled: list[tuple[str, int]]) -> None:
        """Submit the chunks of one file's articles (rows in corpus order); ``spilled``, the
        Arrow files they were mapped from (path and rows per frame), lets a worker read its
        chunk there instead of receiving a copy from this process."""
        ids = articles["article_id"].astype(str).tolist()
        seen = self.seen
        rows = []
        for row, article_id in enumerate(ids):
            if article_id and article_id not in seen:
                seen.add(article_id)
                rows.append(row)
        first_row, self.next_row = self.next_row, self.next_row + len(articles)
        self.whole &= len(rows) == len(articles)
        if not rows:
            return
        columns = [c for c in _READ_COLUMNS if c in articles.columns]
        id_column = articles["article_id"]
        if len(rows) == len(articles) and id_column.dtype == wordlists.STR_DTYPE and not id_column.hasnans:
            if spilled:
                # Every row is tagged and the articles are in Arrow files: each worker maps its
                # chunk's rows (a chunk may span frames); this process neither copies nor reads
                # their text.
                for pieces, n_rows in _mapped_chunks(spilled, CHUNK_ARTICLES):
                    self.futures.append(self.pool.submit(_tag_mapped, pieces, columns))
                    self.rows.append(np.arange(first_row, first_row + n_rows, dtype=np.int64))
                    first_row += n_rows
                return
            # Every row is tagged and the ids are strings already: the chunks are slices of the
            # file's own columns, not a copy of its text held until the last chunk is sent.
            read = articles[columns]
        else:
            read = articles.iloc[rows][columns].assign(article_id=[ids[row] for row in rows])
        rows = np.asarray(rows, dtype=np.int64)
        for start in range(0, len(read), CHUNK_ARTICLES):
            self.futures.append(self.pool.submit(_tag_unique, read.iloc[start : start + CHUNK_ARTICLES]))
            self.rows.append(rows[start : start + CHUNK_ARTICLES] + first_row)

    def finish(self) -> None:
        """Once every file is read: when the chunks cover every row (nothing can be left to
        tag at the end), wait for them and let the workers go, before the corpus is assembled.
        The assembling process then never holds the corpus while the workers hold their share
        (summed over the processes, that was the run's peak); it costs the time the assembly
        overlapped with the last chunks."""
        if self.whole:
            self.parts = self._results()
            self.pool.shutdown()
            # The fork server (idle, about 90 MiB) ends in the background while the assembly
            # starts (its interpreter takes about 0.2 s to exit; the assembling process holds
            # little then, the run's peak comes at its end); load_and_tag's own
            # stop_fork_server, on the way out, waits for it.
            threading.Thread(target=stop_fork_server, daemon=True).start()
            self.finished = True

    def _results(self) -> list[dict[str, pd.DataFrame]]:
        try:
            parts = [future.result() for future in tqdm(
                self.futures, desc="tagging", unit="chunk", disable=not self.show)]
        except BrokenProcessPool as exc:
            raise worker_start_error("tagging articles") from exc
        self.futures = []  # the parts are held once, by the caller
        return parts

    def tables(self, unique: pd.DataFrame, corpus_rows: np.ndarray) -> dict[str, pd.DataFrame]:
        """The tables of ``unique`` (the assembled corpus's :func:`unique_articles`, which
        are its rows ``corpus_rows``): the chunks' where they tagged an article's first row,
        the rest tagged now."""
        parts = self.parts if self.parts is not None else self._results()
        self.parts = None
        wanted = pd.Series(np.arange(len(unique)), index=unique["article_id"].to_numpy())
        tagged_ids = (np.concatenate([p["tags"]["article_id"].to_numpy(dtype=object) for p in parts])
                      if parts else np.zeros(0, dtype=object))
        tagged_rows = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
        position = wanted.reindex(tagged_ids).to_numpy()
        found = ~np.isnan(position)
        good = np.zeros(len(tagged_ids), dtype=bool)
        good[found] = corpus_rows[position[found].astype(np.int64)] == tagged_rows[found]
        good &= ~pd.Index(tagged_ids).duplicated()
        if good.all() and len(tagged_ids) == len(unique):
            # Every article, in corpus order (the usual case). The workers have nothing left
            # to do: they exit before the join, which is when this process holds the most.
            self.pool.shutdown()
            return join_parts(parts)
        # Each chunk keeps its good articles: a chunk all good as it is (the usual case when
        # only rows without ids of their own are left to the end), the others cut to their
        # own good ids (a set per chunk: filtering every chunk by one set of all the kept ids
        # cost 50 s at 120,000 articles).
        kept_parts = []
        end = 0
        for part in parts:
            start, end = end, end + len(part["tags"])
            mine = good[start:end]
            kept_parts.append(part if mine.all()
                              else _only(part, set(tagged_ids[start:end][mine].tolist())))
        parts = kept_parts
        rest = unique[~unique["article_id"].isin(set(tagged_ids[good].tolist())).to_numpy()]
        if len(rest):
            read = rest[[c for c in _READ_COLUMNS if c in rest.columns]]
            if self.finished:  # the workers are gone (not expected: every row was tagged)
                parts.append(_tag_blocks(read))
            else:
                parts += list(self.pool.map(_tag_unique, [read.iloc[i : i + CHUNK_ARTICLES]
                                                          for i in range(0, len(read), CHUNK_ARTICLES)]))
        order = pd.Index(unique["article_id"].to_numpy())
        joined = join_parts(parts)
        return {name: table if name.startswith("_") else _in_order(table, order)
                for name, table in joined.items()}


def _only(part: dict[str, pd.DataFrame], ids: set[str]) -> dict[str, pd.DataFrame]:
    """A chunk's tables cut to the articles ``ids``."""
    return {name: table if name.startswith("_")
            else table[table["article_id"].isin(ids).to_numpy()].reset_index(drop=True)
            for name, table in part.items()}


def _in_order(table: pd.DataFrame, order: pd.Index) -> pd.DataFrame:
    """``table``'s rows by the position of their ``article_id`` in ``order`` (rows of one
    article keep their order)."""
    position = order.get_indexer(table["article_id"])
    sort = np.argsort(position, kind="stable")
    return table.iloc[sort].reset_index(drop=True)


def attach_tags(articles: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """``articles`` (same index and order) plus the :data:`TAG_DEFAULTS` columns, taken from
    ``tags`` (one row per ``article_id``, as :func:`tag_unique` makes) by ``article_id``; every
    copy of an article gets its tags, an article missing from ``tags`` the defaults."""
    if "article_id" in articles.columns:
        ids = articles["article_id"].astype(str)
    else:
        ids = pd.Series([f"row{i}" for i in range(len(articles))], index=articles.index)
    out = articles.copy()
    rows = pd.Index(tags["article_id"]).get_indexer(ids)
    if len(rows) and rows.min() >= 0:
        # Every article has its row (the usual case): the columns are taken as they are, so
        # strings stay in their compact column type instead of becoming Python objects.
        # In the order of the tags (no copies of an article): the columns themselves.
        same_order = len(rows) == len(tags) and bool((rows == np.arange(len(rows))).all())
        for column in TAG_DEFAULTS:
            values = tags[column] if same_order else tags[column].iloc[rows]
            out[column] = values.set_axis(out.index)
        return ensure_tags(out)
    by_id = tags.set_index("article_id")
    for column in TAG_DEFAULTS:
        out[column] = ids.map(by_id[column]).to_numpy()
    return ensure_tags(out)


def tag_unique(unique: pd.DataFrame, *, workers: int | None = None) -> dict[str, pd.DataFrame]:
    """The tagged tables of ``unique`` (one row per ``article_id``, as a string): ``tags`` (one
    row per article, in order) and the long ``article_topics``, ``topic_terms`` and
    ``region_evidence``. Not cached; ``workers`` as in :func:`tag_articles`.

    With more than one worker the articles are cut into chunks of :data:`CHUNK_ARTICLES`, tagged
    in separate processes (each builds its own taggers and Kiwi: neither can be pickled) and the
    chunks' tables are joined in chunk order.
    """
    n_workers = resolve_workers(workers, len(unique))
    if n_workers <= 1 or len(unique) <= CHUNK_ARTICLES:
        return _tag_blocks(unique)
    # Only the columns the taggers read travel to the workers (the others, such as the long
    # 특성추출 lists, would only be pickled and sent).
    read = unique[[c for c in _READ_COLUMNS if c in unique.columns]]
    chunks = [read.iloc[i : i + CHUNK_ARTICLES] for i in range(0, len(read), CHUNK_ARTICLES)]
    n_workers = min(n_workers, len(chunks))
    # Kiwi starts a thread per core in every process unless told otherwise: the workers share
    # the cores instead.
    threads = max(1, tokens.default_workers() // n_workers)
    with ProcessPoolExecutor(
        max_workers=n_workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(threads, paths.CACHE_DIR, paths.RESOURCES_DIR),
    ) as pool:
        try:
            parts = list(pool.map(_tag_unique, chunks))
        except BrokenProcessPool as exc:
            raise worker_start_error("tagging articles") from exc
    return join_parts(parts)


def resolve_workers(workers: int | None, n_articles: int) -> int:
    """The number of processes to tag ``n_articles`` with: ``workers`` when given (at least 1),
    else every core on a machine of :data:`PARALLEL_MIN_CORES` or more from
    :data:`PARALLEL_MIN_ARTICLES` articles on, else 1 (and 1 where no process can start:
    :func:`~lib.corpus.loader.processes_can_start`)."""
    if workers is not None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        return workers
    cores = os.cpu_count() or 1
    if cores < PARALLEL_MIN_CORES or n_articles < PARALLEL_MIN_ARTICLES:
        return 1
    return cores if processes_can_start() else 1


def _start_worker(threads: int, cache_dir: Path, resources_dir: Path) -> None:
    """Set up a worker process like its parent: the same cache and resource folders (which a
    caller may have pointed elsewhere), and Kiwi limited to its share of the cores."""
    os.environ[tokens.THREADS_ENV] = str(threads)
    paths.CACHE_DIR = Path(cache_dir)
    paths.RESOURCES_DIR = Path(resources_dir)


def join_parts(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """The tables of consecutive chunks joined in order, as one :func:`tag_unique` would give.

    Empty tables are left out of the join (an empty long table has no rows to set the column
    types), unless every chunk's is empty.
    """
    joined: dict[str, pd.DataFrame] = {}
    for name in _TABLES:
        tables = [p[name] for p in parts if len(p[name])] or [parts[0][name]]
        joined[name] = concat_tables(tables)
    joined["_fresh"] = pd.DataFrame()
    release_free_memory()  # the joins' working arrays
    return joined


def concat_tables(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(tables, ignore_index=True)``, except that a categorical column stays one:
    its categories are those of all the tables, sorted, and only the ones in use (as
    :func:`categorical` makes them), where pandas would fall back to strings."""
    first = tables[0]
    names = [c for c in first.columns if isinstance(first[c].dtype, pd.CategoricalDtype)]
    if not names:
        return pd.concat(tables, ignore_index=True) if len(tables) > 1 else first
    joined = pd.concat([t.drop(columns=names) for t in tables], ignore_index=True)
    for name in names:
        joined[name] = _joined_categorical([t[name].array for t in tables])
    return joined[list(first.columns)]


def categorical(values: Iterable[str] | pd.Series) -> pd.Categorical:
    """``values`` (strings, none missing) as a categorical of pandas' string type with sorted
    categories, all in use: the form of the :data:`CATEGORICAL_COLUMNS`."""
    strings = pa.array(pd.Series(values, dtype=wordlists.STR_DTYPE).array)
    return _joined_categorical([pc.dictionary_encode(strings)])


def _canonical(values: pd.Categorical) -> bool:
    """Whether ``values`` is in the form :func:`categorical` gives: categories of pandas'
    string type, sorted, every one in use, no value missing."""
    categories = values.categories
    if categories.dtype != wordlists.STR_DTYPE or not categories.is_monotonic_increasing:
        return False
    codes = values.codes
    if len(codes) and codes.min() < 0:
        return False
    return bool((np.bincount(codes, minlength=len(categories)) > 0).all())


def _joined_categorical(parts: list[pd.Categorical | pa.DictionaryArray]) -> pd.Categorical:
    """The categoricals (or Arrow dictionary arrays) ``parts`` one after the other, with sorted
    categories, all in use. Arrow unifies the dictionaries and sorts the strings (by code
    point, as Python does), so no Python string object is made: joining the region evidence of
    100,000 articles took 0.05 s this way against 1.1 s through ``union_categoricals``."""
    arrays = [p if isinstance(p, pa.DictionaryArray) else pa.DictionaryArray.from_arrays(
        pa.array(p.codes, type=pa.int32()), pa.array(p.categories.array)) for p in parts]
    chunks = pa.chunked_array(arrays).unify_dictionaries().chunks
    dictionary = chunks[0].dictionary
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
    if len(codes) and codes.min() < 0:
        raise ValueError("a missing value in a categorical evidence column")
    used = np.zeros(len(dictionary), dtype=bool)
    used[codes] = True
    order = pc.sort_indices(dictionary).to_numpy()
    order = order[used[order]]
    rank = np.full(len(dictionary), -1, dtype=np.int32)
    rank[order] = np.arange(len(order))
    categories = pd.Index(pd.array(dictionary.take(pa.array(order)), dtype=wordlists.STR_DTYPE))
    return pd.Categorical.from_codes(rank[codes], dtype=pd.CategoricalDtype(categories))


def with_categories(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (the long table ``name``) with its :data:`CATEGORICAL_COLUMNS` as
    :func:`categorical` makes them; a categorical column already in that form is kept as it
    is, another (a stored table may come back with unsorted or unused categories) keeps its
    values with its categories sorted and cut to those in use."""
    out = table
    for column in CATEGORICAL_COLUMNS.get(name, ()):
        if column not in table.columns:
            continue
        values = table[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            if _canonical(values.array):
                continue
            new = _joined_categorical([values.array])
        else:
            new = categorical(values)
        if out is table:
            out = table.copy(deep=False)
        out[column] = new
    return out


def _tag_blocks(unique: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """:func:`_tag_unique` on :data:`BLOCK_ARTICLES` articles at a time, the tables joined in
    order (every article is tagged on its own, so they are the tables of one pass)."""
    if len(unique) <= BLOCK_ARTICLES:
        return _tag_unique(unique)
    return join_parts([_tag_unique(unique.iloc[i : i + BLOCK_ARTICLES])
                       for i in range(0, len(unique), BLOCK_ARTICLES)])


def _mapped_chunks(spilled: list[tuple[str, int]], size: int) -> list[tuple[list[tuple[str, int, int]], int]]:
    """A file's frames (Arrow file and rows each, in order) cut into chunks of ``size`` rows,
    the last one shorter: each chunk as its pieces ``(path, start, stop)`` and its rows."""
    chunks: list[tuple[list[tuple[str, int, int]], int]] = []
    pieces: list[tuple[str, int, int]] = []
    held = 0
    for path, n_rows in spilled:
        at = 0
        while at < n_rows:
            stop = min(n_rows, at + size - held)
            pieces.append((path, at, stop))
            held += stop - at
            at = stop
            if held == size:
                chunks.append((pieces, held))
                pieces, held = [], 0
    if pieces:
        chunks.append((pieces, held))
    return chunks


def _tag_mapped(pieces: list[tuple[str, int, int]], columns: list[str]) -> dict[str, pd.DataFrame]:
    """:func:`_tag_unique` of rows of the Arrow files a reading process wrote
    (:mod:`lib.corpus.spill`), read through memory maps: ``pieces`` are ``(path, start, stop)``
    in order."""
    frames = [mapped_frame(path, columns, start, stop) for path, start, stop in pieces]
    return _tag_unique(frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True))


def _tag_unique(unique: pd.DataFrame) -> dict[str, pd.DataFrame]:
    # Tagging makes many small acyclic objects (matches, counts, feature dicts), which the
    # cycle collector would walk again and again.
    with wordlists.no_cycle_collection():
        tables = _tag_block(unique)
    # What the block built and dropped goes back to the system, so the next block's working
    # memory does not sit on top of it.
    release_free_memory()
    return tables


def _tag_block(unique: pd.DataFrame) -> dict[str, pd.DataFrame]:
    ids = unique["article_id"].tolist()
    texts = wordlists.ArticleTexts(unique)
    regions, evidence = region_tagger.attribute_regions(unique, texts=texts)
    results = topic_tagger.score_topics(unique, texts=texts)
    wide = topic_tagger.wide_topic_columns(results, unique.index)
    tags = pd.DataFrame(
        {
            "article_id": ids,
            "region": regions,
            "region_evidence": [region_tagger.format_evidence(e) for e in evidence],
            "smart_city": wide["smart_city"].to_numpy(),
            "smart_city_score": wide["smart_city_score"].to_numpy(),
            "topics": wide["topics"].tolist(),
            "topic_evidence": wide["topic_evidence"].to_numpy(),
        }
    )
    article_topics, topic_terms = topic_tagger.topic_tables(ids, results)
    # The topic tagger lists an article's labels and terms in set order, which differs from one
    # process to the next: sorted, the table is the same whichever process tagged the article.
    position = pd.Series(range(len(ids)), index=ids)
    topic_terms = (
        topic_terms.assign(_position=topic_terms["article_id"].map(position).to_numpy())
        .sort_values(["_position", "label", "term"], kind="stable")
        .drop(columns="_position")
        .reset_index(drop=True)
    )
    return {
        "tags": tags,
        "article_topics": article_topics,
        "topic_terms": with_categories("topic_terms", topic_terms),
        "region_evidence": with_categories(
            "region_evidence", region_tagger.region_evidence_table(ids, evidence)),
        "_fresh": pd.DataFrame(),
    }




def ensure_tags(tagged: pd.DataFrame) -> pd.DataFrame:
    """``tagged`` with every tag column present and no missing values (defaults filled in):
    an article no tagger saw is ``neither``, not smart-city, with no topics."""
    out = tagged.copy()
    for col, default in TAG_DEFAULTS.items():
        if col not in out.columns:
            out[col] = [default] * len(out) if isinstance(default, tuple) else default
        elif isinstance(default, bool):
            out[col] = out[col].astype("boolean").fillna(default).astype(bool)
        elif isinstance(default, float):
            out[col] = pd.to_numeric(out[col], errors="coerce").fillna(default)
        elif isinstance(default, tuple):
            out[col] = _topic_tuples(out[col].tolist())
        else:
            # A string column of pandas' string type without missing values is left as it is.
            if out[col].dtype != wordlists.STR_DTYPE or out[col].isna().any():
                out[col] = out[col].astype(object).where(out[col].notna(), default).astype(str)
            if default:
                out[col] = out[col].replace("", default)
    return out



def _topic_tuples(values: list[object]) -> list[tuple[str, ...]]:
    """``values`` as tuples of topic keys (:func:`lib.vocabulary.as_topic_keys`). A tuple of
    strings (what tagging and its cache give) is already what as_topic_keys makes of it; one
    tuple object shared by many rows (as the cache gives them) is looked at once."""
    good: set[int] = set()
    out = []
    for v in values:
        if id(v) not in good:
            if type(v) is tuple and all(type(t) is str for t in v):
                good.add(id(v))
            else:
                v = as_topic_keys(v)
        out.append(v)
    return out


# --- cache ---------------------------------------------------------------------------------


def _code_files() -> list[Path]:
    return [
        *sorted((paths.LIB_DIR / "tagging").glob("*.py")),
        paths.LIB_DIR / "vocabulary.py",
        paths.LIB_DIR / "corpus" / "schema.py",
    ]


def tagger_fingerprint() -> str:
    """sha256 over what the tags depend on besides the articles: every resource the taggers
    read and their code."""
    digest = hashlib.sha256(f"tagged v{CACHE_VERSION}\n".encode())
    for path in _code_files():
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    folder = wordlists.resources_dir()
    for name, value in sorted(wordlists.resource_fingerprint(folder).items()):
        digest.update(f"{name}={value}\n".encode())
    for path in (paths.regions_file(), paths.topics_file()):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in tag_model.model_files():
        if path.exists():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(unique: pd.DataFrame, fingerprint: str | None = None) -> str:
    """sha256 over the articles' tagged columns and :func:`tagger_fingerprint` (given, or
    worked out here)."""
    digest = hashlib.sha256((fingerprint or tagger_fingerprint()).encode())
    columns = [c for c in _READ_COLUMNS if c in unique.columns]
    digest.update("\t".join(columns).encode())
    # The columns are hashed in threads: hashlib lets go of the interpreter lock on long
    # inputs, so the hashing (most of the time, on 100,000 articles) uses every core.
    with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1) or 1) as pool:
        for column_digest in pool.map(_column_digest, (unique[c] for c in columns)):
            digest.update(column_digest)
    return digest.hexdigest()


def _column_digest(values: pd.Series) -> bytes:
    """sha256 of a column's values as text: of their UTF-8 bytes one after another, of each
    value's length in bytes and of where values are missing, read from the column's Arrow
    buffers slice by slice (no Python string per value). The digest depends on the values
    only, not on how the column is cut into chunks or :data:`_HASH_ROWS` slices."""
    text = pa.array(values.astype(str))
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    data, lengths, missing = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    for chunk in chunks:
        for start in range(0, len(chunk), _HASH_ROWS):
            part = chunk.slice(start, _HASH_ROWS)
            if not pa.types.is_large_string(part.type):
                part = part.cast(pa.large_string())
            offsets = np.frombuffer(part.buffers()[1], dtype=np.int64)[
                part.offset : part.offset + len(part) + 1]
            body = part.buffers()[2]
            if body is not None and offsets[-1] > offsets[0]:
                data.update(memoryview(body)[int(offsets[0]) : int(offsets[-1])])
            lengths.update(np.diff(offsets).astype("<i8").tobytes())
            missing.update(part.is_null().to_numpy(zero_copy_only=False).tobytes())
    return data.digest() + lengths.digest() + missing.digest()


def cache_dir() -> Path:
    return paths.CACHE_DIR / "tagged"


def _key_note(corpus_key: str, fingerprint: str) -> Path:
    return cache_dir() / "of_corpus" / f"{corpus_key}-{fingerprint}"


def remembered_key(corpus_key: str, fingerprint: str) -> str | None:
    """The tag cache key of the corpus stored under ``corpus_key`` (lib.corpus.cache), as
    :func:`remember_key` noted it for taggers of ``fingerprint``; None when not noted.

    The corpus key covers the input files, the load options and the loader's code, so the
    corpus, and with it the key of its tags, follows from it: a warm rerun can read the
    tags without hashing the articles first, and at the same time as the corpus."""
    try:
        key = _key_note(corpus_key, fingerprint).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return key if len(key) == 64 and all(c in "0123456789abcdef" for c in key) else None


def remember_key(corpus_key: str, fingerprint: str, key: str) -> None:
    """Note ``key`` as the tag cache key of the corpus stored under ``corpus_key`` (written
    atomically; a failure to write only costs the next rerun the hashing)."""
    note = _key_note(corpus_key, fingerprint)
    written = None
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="ascii", dir=note.parent,
                                         delete=False) as handle:
            written = Path(handle.name)
            handle.write(key)
        os.replace(written, note)
    except OSError:
        if written is not None:
            written.unlink(missing_ok=True)


#: Joins an article's topic keys in the stored ``topics`` column (no key holds it).
_TOPICS_SEP = "\x1f"


def read_cached(key: str) -> dict[str, pd.DataFrame] | None:
    """The tables stored under ``key``; None when there is no entry or it cannot be read (a
    damaged entry is removed, so the next run stores a fresh one)."""
    folder = cache_dir() / key
    if not folder.is_dir():
        return None
    try:
        tables = {name: with_categories(name, pq.read_table(folder / f"{name}.parquet").to_pandas())
                  for name in _TABLES if name != "tags"}
        tags = pq.read_table(folder / "tags.parquet", read_dictionary=["topics"])
        topics = tags.column("topics")
        tables["tags"] = tags.drop_columns(["topics"]).to_pandas()
        tables["tags"]["topics"] = _stored_topics(topics)
        tables = {name: tables[name] for name in _TABLES}
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        discard_entry(folder, f"tag cache entry {key[:12]}", exc, "the articles are tagged again")
        return None
    mark_used(folder)
    return tables


def write_cached(key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store the tables under ``key`` atomically (a temporary folder renamed into place)."""
    write_entry(cache_dir(), key, {
        f"{name}.parquet": (lambda path, t=_arrow(name, tables[name]): pq.write_table(
            t, path, compression=COMPRESSION))
        for name in _TABLES
    })


def _arrow(name: str, table: pd.DataFrame) -> pa.Table:
    """An Arrow table; ``topics`` (last) as the keys joined by :data:`_TOPICS_SEP`: a few
    distinct values, stored once each in the Parquet dictionary."""
    if name != "tags":
        return pa.Table.from_pandas(table, preserve_index=False)
    topics = pa.array([_TOPICS_SEP.join(t) for t in table["topics"]], type=pa.string())
    return (pa.Table.from_pandas(table.drop(columns="topics"), preserve_index=False)
            .append_column("topics", topics))


def _stored_topics(column: pa.ChunkedArray) -> np.ndarray:
    """The stored ``topics`` (dictionary-encoded joined keys) as tuples of keys, one tuple
    object per distinct value."""
    out = np.empty(len(column), dtype=object)
    start = 0
    for chunk in column.chunks:
        distinct = np.empty(len(chunk.dictionary), dtype=object)
        for k, joined in enumerate(chunk.dictionary.to_pylist()):
            distinct[k] = tuple(joined.split(_TOPICS_SEP)) if joined else ()
        out[start : start + len(chunk)] = distinct[chunk.indices.to_numpy(zero_copy_only=False)]
        start += len(chunk)
    return out
