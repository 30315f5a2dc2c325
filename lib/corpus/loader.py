"""``load_corpus``: every supported file under the given paths → articles, rejects, manifest.

Formats are detected from content, not only from the extension:

* a zip workbook (xlsx) or an OLE workbook (xls) with the BigKinds headers → ``bigkinds``;
  with the canonical headers → ``table``;
* Parquet (``PAR1`` magic) in the canonical schema → ``table``;
* text: NewsML XML (also when saved as ``.txt``) → ``bigkinds``; an RSS or Atom feed → ``table``
  (:mod:`lib.corpus.feeds`, one row an item); a saved HTML/MHTML page → ``page``; JSON lines
  or a JSON array of articles, or search-API responses saved one or several to a file (a list
  of them, one a line, or by query) → ``table``; a CSV/TSV whose header is BigKinds' (full or
  trimmed) → ``bigkinds``; a CSV/TSV whose columns map onto the schema
  (``lib.corpus.columns``: Naver, AI-Hub, scraper names, or the caller's ``columns=``) →
  ``table``; a saved news page (text dump) → ``page``;
* an archive (zip, tar, gzip, bzip2, xz) → its members, each detected as above
  (:mod:`lib.corpus.archives`).

Nothing is dropped silently: each record ends in ``articles`` or in ``rejects`` with a reason,
and the manifest's ``rows_read == rows_loaded + rows_rejected`` for every file.

Hostile input is part of the job (tests/fixtures/bad_inputs lists the cases): tables are read as
streams of rows (``lib.corpus.streams``) so memory follows rows, not files, and cleaned a chunk of
rows at a time, column by column (``lib.corpus.columnar``, with the same results as cleaning
each record on its own); a big CSV is split by Arrow's C parser block by block wherever a scan
of the bytes shows that the careful row reader would give the same rows (``lib.corpus.fastcsv``),
and by the careful reader from the first block where it might not; files are read by worker processes when there are several; dates go through one
parser with a plausible range (``lib.corpus.dates``); text is repaired and the repairs counted
in the manifest's note (``lib.corpus.textio``); a record whose text is longer than any article
(``schema.MAX_ARTICLE_CHARS``) is a reject before it costs the duplicate check or the taggers
anything; unreadable files and folders, link loops and
special files are listed in the manifest with the reason instead of raising, and so is a file
whose reading raised a ``ValueError`` no check foresaw (refused, naming the file).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import multiprocessing
import os
import sys
import warnings
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from lib import paths
from lib.corpus import archives, bigkinds, fastcsv, feeds, newsml, pages, streams, tables, textio
from lib.corpus import cache as corpus_cache
from lib.corpus import columns as column_map
from lib.corpus import html as html_pages
from lib.corpus.columnar import Chunk, ColumnBlock
from lib.corpus.dates import check_range
from lib.corpus.dedup import find_duplicates, with_body_keys, without_body_keys
from lib.corpus.errors import CorpusError, RecordError
from lib.corpus.memory import release_free_memory
from lib.corpus.schema import (
    ARTICLE_TEXT_FIELDS,
    MANIFEST_COLUMNS,
    MAX_ARTICLE_CHARS,
    REJECT_COLUMNS,
    article_chars,
    normalize_text,
    reject_identity,
    stable_article_id,
    to_frame,
    too_long_reason,
)
from lib.corpus.spill import mapped_frame, spill_folder, spill_frame

#: Extensions read when walking a folder; other files are listed in the manifest as skipped.
#: Archives are unpacked before their extension is asked, so a ``.zip`` read as a file is a
#: workbook under another name (:func:`archives.is_archive`).
KNOWN_EXTENSIONS = frozenset(
    {".txt", ".text", ".xlsx", ".xlsm", ".xls", ".zip", ".csv", ".tsv", ".jsonl", ".ndjson", ".json",
     ".parquet", ".pq", ".xml", ".rss", ".atom"}
    | html_pages.HTML_EXTENSIONS
)
#: Environment variable that sets the default ``on_error`` policy (``raise`` for strict CI runs).
ON_ERROR_ENV = "CORPUS_ON_ERROR"
#: The environment variable that names a table's own columns when ``columns`` is not given
#: (the notebooks and ``make report``, which take no arguments): ``their name=field`` pairs
#: joined by commas, ``CORPUS_COLUMNS="헤드라인=title,기사내용=body"``.
COLUMNS_ENV = "CORPUS_COLUMNS"

Record = tuple[str, "dict[str, object] | RecordError"]

#: Manifest formats of files that were not read: unknown extensions and non-article JSON
#: (``skipped``), files refused as not a corpus under ``on_error="skip"`` (``refused``).
SKIPPED = "skipped"
REFUSED = "refused"
NOT_READ = frozenset({SKIPPED, REFUSED})


@dataclass(frozen=True)
class Corpus:
    """What ``load_corpus`` returns. See lib/corpus/schema.py for the columns."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    manifest: pd.DataFrame
    sources: tuple[str, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Records read, loaded, rejected; duplicates flagged; unique articles; files."""
        a, m = self.articles, self.manifest
        duplicates = int(a["is_duplicate"].astype(bool).sum())
        return {
            "read": int(m["rows_read"].sum()),
            "loaded": len(a),
            "rejected": len(self.rejects),
            "duplicates": duplicates,
            "unique": len(a) - duplicates,
            "files": int((~m["format"].isin(NOT_READ)).sum()),
            "files_skipped": int((m["format"] == SKIPPED).sum()),
            "files_refused": int((m["format"] == REFUSED).sum()),
        }

    @property
    def refused(self) -> pd.DataFrame:
        """Files refused as not a corpus (``on_error="skip"``): ``source_file, reason``."""
        m = self.manifest
        rows = m[m["format"] == REFUSED]
        return pd.DataFrame({"source_file": rows["source_file"], "reason": rows["note"]}).reset_index(drop=True)

    def fingerprint(self) -> str:
        """sha256 over the manifest (file names and content hashes): names this exact corpus."""
        return manifest_fingerprint(self.manifest)

    def content_fingerprint(self) -> str:
        """sha256 over the files' contents alone: the same for the same files in another folder
        or under other names (what a paper cites), different when a file is added or edited."""
        return manifest_fingerprint(self.manifest, names=False)

    @property
    def unique(self) -> pd.DataFrame:
        """Deduplicated articles: one row per story (analyses use these by default)."""
        return self.articles[~self.articles["is_duplicate"]]


def manifest_fingerprint(manifest: pd.DataFrame, *, names: bool = True) -> str:
    """sha256 over a manifest's file names and content hashes: names this exact corpus.

    Sorted ``name\tsha256`` lines, so the order files were read in does not matter but
    renaming, adding or editing a file does. With ``names=False`` only the sorted content
    hashes count: renaming a file or its folder leaves the fingerprint as it was.
    """
    digest = hashlib.sha256()
    shas = manifest["sha256"].astype(str)
    if not names:
        for sha in sorted(shas):
            digest.update(f"{sha}\n".encode())
        return digest.hexdigest()
    for name, sha in sorted(zip(manifest["source_file"].astype(str), shas)):
        digest.update(f"{name}\t{sha}\n".encode())
    return digest.hexdigest()


@dataclass
class _FileResult:
    source_file: str
    format: str
    encoding: str
    sha256: str
    records: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    #: ``(record label, reason, article_id, title)`` per rejected record (``REJECT_COLUMNS``).
    rejects: list[tuple[str, str, str, str]] = field(default_factory=list)
    note: str = ""
    #: Loaded records already turned into canonical frames (columnar text takes far less
    #: memory than record dicts: a big file never holds all its records as dicts at once).
    #: ``article_id`` is "" where the source gave none: ids are generated when the corpus is
    #: assembled, in file order, so that any number of workers gives the same ids.
    frames: list[pd.DataFrame] = field(default_factory=list)
    n_framed: int = 0
    #: Warnings raised while the file was read (shown again by the process that assembles).
    warned: list[str] = field(default_factory=list)
    #: Frames a reading process wrote to Arrow files (:mod:`lib.corpus.spill`) as soon as they
    #: were made, instead of holding them: per frame, its file and its number of rows. They
    #: come before ``frames`` in order; :meth:`unspill` maps them back.
    spilled: list[tuple[str, int]] = field(default_factory=list)
    #: Where to write each frame as it is made (set by a reading process; None: keep them).
    spill_to: Path | None = None

    @property
    def rows_loaded(self) -> int:
        return self.n_framed + len(self.records)

    @property
    def rows_read(self) -> int:
        return self.rows_loaded + len(self.rejects)

    def keep(self, label: str, record: dict[str, object]) -> None:
        self.records.append((label, record))
        if len(self.records) >= _FRAME_ROWS:
            self.flush()

    def add_frame(self, frame: pd.DataFrame) -> None:
        """Canonical rows of this file (source columns filled here)."""
        if not len(frame):
            return
        self.flush()
        frame["source_file"] = pd.array([self.source_file] * len(frame), dtype="str")
        frame["source_format"] = pd.array([self.format] * len(frame), dtype="str")
        self._hold(frame)
        self.n_framed += len(frame)

    def flush(self) -> None:
        """Turn the pending records into a canonical frame."""
        rows = self.take_rows()
        if rows:
            self._hold(to_frame(rows))

    def _hold(self, frame: pd.DataFrame) -> None:
        """Keep a finished frame: written to ``spill_to`` while every frame before it was;
        in memory otherwise (from the first frame that would not make the round trip on).
        A reading process (``spill_to`` set) adds its bodies' keys for the duplicates check
        (:func:`with_body_keys`) while the other files still load: the process that
        assembles the corpus need not make them after every file is read."""
        if self.spill_to is not None:
            frame = with_body_keys(frame)
        if self.spill_to is not None and not self.frames:
            path = spill_frame(frame, self.spill_to)
            if path is not None:
                self.spilled.append((path, len(frame)))
                return
        self.frames.append(frame)

    def take_rows(self) -> list[dict[str, object]]:
        """The pending records as article rows (source columns filled); none stay pending."""
        rows = self._pending_rows()
        self.n_framed += len(rows)
        self.records = []
        return rows

    def _pending_rows(self) -> list[dict[str, object]]:
        return [dict(rec, source_file=self.source_file, source_format=self.format) for _, rec in self.records]

    def unspill(self) -> list[tuple[str, int]]:
        """The spilled frames back in ``frames``, read through memory maps; the files of all
        the file's articles (path and rows per frame) when they are all there, else [] (a
        caller then uses the frames themselves)."""
        whole = [] if self.frames or self.records else list(self.spilled)
        if self.spilled:
            self.frames = [mapped_frame(path) for path, _ in self.spilled] + self.frames
            self.spilled = []
        self.spill_to = None
        return whole

    def loaded_articles(self) -> pd.DataFrame | None:
        """Every article this file loaded, in order, as one canonical frame (None when it
        loaded none). Nothing is taken: the corpus is assembled from the same frames and
        records."""
        parts = list(self.frames)
        if self.records:
            parts.append(to_frame(self._pending_rows()))
        if not parts:
            return None
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


#: Records turned into a frame at a time.
_FRAME_ROWS = 5_000


def load_corpus(
    sources: str | Path | Iterable[str | Path],
    *,
    limit: int | None = None,
    dedup: bool = True,
    on_error: str | None = None,
    columns: Mapping[str, str] | None = None,
    progress: bool | None = None,
    cache: bool = False,
    workers: int | None = None,
) -> Corpus:
    """Load news pages, BigKinds exports and tidy tables into one canonical corpus.

    ``sources``: a file or folder, or a list of them; folders are read recursively (hidden files
    skipped; files with unknown extensions listed in the manifest as ``skipped``).
    ``limit``: stop after this many loaded articles (a quick look at a big corpus); archives
    are unpacked only as far as the read goes.
    ``dedup``: flag syndicated copies and near-duplicates (``dup_group``, ``is_duplicate``).
    ``on_error``: ``"skip"`` lists a file that is not a corpus in the manifest as ``refused``,
    with the reason, and loads the rest (``Corpus.refused`` lists them); ``"raise"`` raises
    CorpusError for it. Not given: the environment variable ``CORPUS_ON_ERROR`` decides (set it
    to ``raise`` for strict runs such as CI), else ``"skip"``. A path where no file is a corpus
    raises either way.
    ``columns``: ``{source column: canonical field}`` for tables whose names the alias table
    (``lib/resources/column_aliases.tsv``) does not know, e.g. ``{"헤드라인": "title"}``.
    ``progress``: a progress bar over files (default: when there are more than 20).
    ``cache``: reuse the result of an earlier load of the same files with the same options
    (Parquet under ``lib.paths.CACHE_DIR``; any change to a file, option or the loader's code
    makes a new entry). Notebooks and reports rerun on one corpus many times.
    ``workers``: processes that read files at once; ``1`` reads in this process. By default
    every core this process may use on a machine of ``PARALLEL_MIN_CORES`` or more, once the
    files to read hold ``PARALLEL_MIN_BYTES`` together (below that, starting processes costs
    more than it saves). With ``limit`` files
    are read in this process. The result is the same for any number. Worker processes start a
    fresh interpreter: a script that loads with several workers needs the
    ``if __name__ == "__main__":`` guard (notebooks do not).
    """
    plan = plan_load(sources, limit=limit, dedup=dedup, on_error=on_error, columns=columns,
                     progress=progress, cache=cache, workers=workers)
    corpus = plan.cached()
    return corpus if corpus is not None else plan.run()


@dataclass
class LoadPlan:
    """What :func:`load_corpus` reads and how, checked and decided before any file is read
    (:func:`plan_load`); :meth:`cached` and :meth:`run` carry it out. ``key`` is the corpus
    cache key ("" without the cache), ``n_workers`` the processes that read the files."""

    roots: list[str | Path]
    files: list[tuple[Path, str, str]]
    limit: int | None
    dedup: bool
    on_error: str
    columns: Mapping[str, str] | None
    show: bool
    n_workers: int
    key: str
    #: Holds the folder the archives among the files were unpacked into: removed with the plan.
    unpacker: archives.Unpacker = field(default_factory=archives.Unpacker, repr=False)
    #: ``workers`` and ``progress`` as given to :func:`plan_load`.
    workers: int | None = None
    progress: bool | None = None

    @property
    def sources_shown(self) -> tuple[str, ...]:
        return tuple(shown for _, shown, _ in self.files)

    def cached(self) -> Corpus | None:
        """The corpus stored by an earlier load of the same files and options, if any."""
        if not self.key:
            return None
        stored = corpus_cache.read_cached(self.key)
        return None if stored is None else Corpus(**stored)

    def _unpack(self) -> None:
        """List the archives' members in their place, when the plan was made with the archives
        still packed (their corpus was in the cache then). Under ``limit`` they are unpacked
        as the read reaches them instead (:meth:`_entries`)."""
        if self.limit is not None or not (self.unpacker.list_only and self.unpacker.packed):
            return
        self.unpacker = archives.Unpacker(show=self.unpacker.show)
        self.files = list(_walk([Path(r) for r in self.roots], self.unpacker))
        if self.progress is None:
            self.show = len(self.files) > 20
        if self.limit is None:
            self.n_workers = _worker_count(self.workers, self.files)

    def _entries(self) -> Iterator[tuple[Path, str, str]]:
        """The files in order, each archive still packed in the listing unpacked only when the
        read reaches it, one member at a time."""
        packed = self.unpacker.list_only
        if packed:
            self.unpacker = archives.Unpacker(show=self.unpacker.show)
        for path, shown, skip in self.files:
            if packed and not skip and archives.is_archive(path):
                yield from archives.unpack(path, shown, self.unpacker, extension_skip)
            else:
                yield path, shown, skip

    def run(
        self,
        *,
        pool: Executor | None = None,
        on_file: OnFile | None = None,
        spill_dir: Path | None = None,
        read_done: Callable[[], None] | None = None,
    ) -> Corpus:
        """Read the files and assemble the corpus (stored in the cache when planned with it).

        ``pool``: processes to read the files in (made with :func:`reading_context`) instead of
        ones started here, for a caller that gives them more work (it is left running).
        ``on_file``: called in this process, in file order, with each file's loaded articles as
        soon as the file is read (before ids are generated and duplicates flagged; rows in
        corpus order), so a caller can start on them while other files still load; and with
        the Arrow files they were read from (``spilled``: path and rows per frame, in order),
        or an empty list when they were not spilled.
        ``spill_dir``: where reading processes write the files' frames for this one to map
        (:mod:`lib.corpus.spill`); a temporary folder for the read by default, which a caller
        whose processes still read the files afterwards gives and removes itself. Not used
        when the files are read in this process, nor on systems other than POSIX (a mapped
        file could not be removed there).
        ``read_done``: called once every file is read, before the corpus is assembled (a caller
        can let its processes finish first, so that they and the assembling do not hold
        memory at the same time).
        """
        self._unpack()
        files, limit = self.files, self.limit
        if (pool is not None or self.n_workers > 1) and limit is None:
            with contextlib.ExitStack() as stack:
                if spill_dir is None:
                    spill_dir = spill_folder(stack)
                results = _read_parallel(files, self.n_workers, columns=self.columns,
                                         on_error=self.on_error, show=self.show, pool=pool,
                                         on_file=on_file, spill_dir=spill_dir)
        else:
            results = []
            loaded = 0
            reached: list[tuple[Path, str, str]] = []
            entries = files if limit is None else self._entries() if limit > 0 else []
            for entry in tqdm(entries, desc="reading corpus", unit="file", disable=not self.show):
                reached.append(entry)
                path, shown_as, skip_reason = entry
                budget = None if limit is None else limit - loaded
                result = _read_one(path, shown_as, skip_reason, budget=budget, columns=self.columns,
                                   on_error=self.on_error)
                loaded += result.rows_loaded
                results.append(result)
                _hand_over(result, on_file)
                if limit is not None and loaded >= limit:
                    break
            # Under a limit the corpus was read from the files reached, and only those were unpacked.
            files = self.files = reached if limit is not None else files
        if limit != 0 and not any(r.format not in NOT_READ for r in results):
            skipped = "; ".join(f"{r.source_file} ({r.note})" for r in results[:5])
            where = ", ".join(str(r) for r in self.roots)
            raise CorpusError(
                f"{where}: no news pages, BigKinds exports or tables found"
                + (f"; skipped: {skipped}" if skipped else " (the folder is empty)")
            )
        if read_done is not None:
            read_done()
        corpus = _assemble(results, dedup=self.dedup, sources=self.sources_shown)
        del results
        # The files' cells and records are gone: their pages go back to the system before the
        # caller tags or analyses the articles.
        release_free_memory()
        if self.key and not any(skip == archives.DISK_FULL for _, _, skip in files):
            corpus_cache.write_cached(
                self.key,
                {"articles": corpus.articles, "rejects": corpus.rejects, "manifest": corpus.manifest},
                sources=corpus.sources,
            )
        return corpus


def plan_load(
    sources: str | Path | Iterable[str | Path],
    *,
    limit: int | None = None,
    dedup: bool = True,
    on_error: str | None = None,
    columns: Mapping[str, str] | None = None,
    progress: bool | None = None,
    cache: bool = False,
    workers: int | None = None,
) -> LoadPlan:
    """The :class:`LoadPlan` of ``load_corpus(sources, ...)`` (same arguments): the options
    checked, the files listed, the cache key made and the number of reading processes chosen."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if on_error is None:
        on_error = os.environ.get(ON_ERROR_ENV) or "skip"
    if on_error not in {"raise", "skip"}:
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    _check_resources()
    given = "columns="
    if columns is None and (columns := columns_from_env()):
        given = f"{COLUMNS_ENV}: "
    bad_targets = {src: dst for src, dst in (columns or {}).items() if dst not in column_map.MAPPABLE}
    if bad_targets:
        raise ValueError(
            f"{given}{bad_targets!r}: not fields of the article schema; use {', '.join(column_map.MAPPABLE)}"
        )
    roots = [sources] if isinstance(sources, (str, Path)) else list(sources)
    if not roots:
        raise CorpusError("no corpus paths given")
    paths.remember_loaded(roots)
    show = progress is not False
    files: list[tuple[Path, str, str]] | None = None
    key = ""
    if cache or limit is not None:
        # The key is made of the archives' own bytes, not their members': a rerun finds its
        # corpus without unpacking them (the plan unpacks them if it has to read after all). A
        # read under a limit unpacks an archive only when it reaches it.
        unpacker = archives.Unpacker(show=show, list_only=True)
        listed = list(_walk([Path(r) for r in roots], unpacker))
        if cache:
            options = {"limit": limit, "dedup": dedup, "on_error": on_error, "columns": dict(columns or {})}
            key = corpus_cache.cache_key(listed, options)
        if not unpacker.packed or limit is not None or corpus_cache.has_entry(key):
            files = listed
    if files is None:
        unpacker = archives.Unpacker(show=show)
        files = list(_walk([Path(r) for r in roots], unpacker))
    return LoadPlan(
        roots=roots,
        files=files,
        limit=limit,
        dedup=dedup,
        on_error=on_error,
        columns=columns,
        show=progress if progress is not None else len(files) > 20,
        n_workers=_worker_count(workers, files) if limit is None else 1,
        key=key,
        unpacker=unpacker,
        workers=workers,
        progress=progress,
    )


#: What :meth:`LoadPlan.run` calls with each file's articles as it is read, and the Arrow files
#: they were mapped from (path and rows per frame; empty when they were not spilled).
OnFile = Callable[[pd.DataFrame, list[tuple[str, int]]], None]


def _hand_over(result: _FileResult, on_file: OnFile | None,
               spilled: list[tuple[str, int]] | None = None) -> None:
    """Give ``on_file`` the articles ``result`` loaded, if any, and ``spilled``, the Arrow
    files they were mapped from."""
    if on_file is not None:
        articles = result.loaded_articles()
        if articles is not None:
            on_file(articles, spilled or [])


#: Files to read must hold at least this many bytes together before they are read by several
#: processes.
PARALLEL_MIN_BYTES = 16 << 20
#: ... and the machine must have this many cores: on 2 cores, 100,000 BigKinds xlsx rows in
#: 5 files took 10-11 s in two reading processes against 15-16 s in one (``workers=1`` reads
#: in this process, with less memory).
PARALLEL_MIN_CORES = 2


def _worker_count(workers: int | None, files: list[tuple[Path, str, str]]) -> int:
    """How many processes read ``files``: ``workers`` when given (at most one per file to read);
    by default every core on a machine of ``PARALLEL_MIN_CORES`` or more, once there are several
    files to read holding enough bytes to pay for starting processes, unless this process is
    itself a daemonic worker."""
    readable = [path for path, _, skip in files if not skip]
    if workers is None:
        if len(readable) < 2 or _total_size(readable) < PARALLEL_MIN_BYTES:
            return 1
        if multiprocessing.current_process().daemon:
            return 1  # a daemonic process (a pool's or a cluster's worker) may not start processes
        if not processes_can_start():
            return 1
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        if workers < PARALLEL_MIN_CORES:
            return 1
    return max(1, min(workers, len(readable)))


def _total_size(files: list[Path]) -> int:
    size = 0
    for path in files:
        try:
            size += path.stat().st_size
        except OSError:
            continue  # reading it will say why
    return size


def _read_one(
    path: Path,
    shown_as: str,
    skip_reason: str,
    *,
    budget: int | None,
    columns: Mapping[str, str] | None,
    on_error: str,
    spill_to: Path | None = None,
) -> _FileResult:
    """One file's result; a CorpusError escapes only under ``on_error="raise"``. With
    ``spill_to``, its frames are written there as they are made (:meth:`_FileResult._hold`)."""
    if skip_reason:
        return _FileResult(shown_as, SKIPPED, "", _sha256(path), note=skip_reason)
    try:
        return _read_file(path, shown_as, budget=budget, columns=columns, spill_to=spill_to)
    except CorpusError as err:
        if on_error == "raise":
            raise
        return _FileResult(shown_as, REFUSED, "", _sha256(path), note=str(err))
    except ValueError as err:
        # A parser's complaint about this file's contents that no check foresaw (a codec, a
        # value out of range): the file is refused with it, and the other files still load.
        refusal = CorpusError(f"{shown_as}: unreadable ({type(err).__name__}: {err})")
        if on_error == "raise":
            raise refusal from err
        return _FileResult(shown_as, REFUSED, "", _sha256(path), note=str(refusal))
    except OSError as err:
        # Unreadable (permissions, a vanished file): listed with the reason, never a traceback.
        reason = f"unreadable: {err.strerror or err}"
        warnings.warn(f"{shown_as}: {reason}", stacklevel=3)
        return _FileResult(shown_as, SKIPPED, "", "", note=reason)


def _read_in_worker(
    path: Path, shown_as: str, skip_reason: str, columns: Mapping[str, str] | None, on_error: str,
    spill_dir: Path | None = None,
) -> _FileResult:
    """``_read_one`` in a worker process: warnings are kept in the result and shown again by
    the process that assembles the corpus; with ``spill_dir``, the articles are left there in
    Arrow files for that process to map, each frame as soon as it is made."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _read_one(path, shown_as, skip_reason, budget=None, columns=columns, on_error=on_error,
                           spill_to=spill_dir)
    result.warned = [str(w.message) for w in caught]
    # The workbook's cells are gone: their pages go back to the system before the process
    # sends its result and takes the next file (or, in load_and_tag, articles to tag).
    release_free_memory()
    return result


def reading_context() -> multiprocessing.context.BaseContext:
    """How reading processes start: from a fork server that has imported the loader (a fresh
    interpreter per worker where there is none). Forking a process that runs threads (Arrow's,
    Kiwi's, a notebook's) can deadlock the child."""
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["lib.corpus.loader"])
    return context


def _check_resources() -> None:
    """Read the resource files the readers use (column aliases, outlet domains, Naver press
    ids, page layouts) before any corpus file: a malformed one stops the load with its own
    error, instead of every file that needs it being refused as unreadable (``_read_one``
    refuses a file whose reading raises ``ValueError``)."""
    column_map.load_aliases()
    column_map.load_domains()
    column_map.load_naver_press()
    pages.load_layouts()


def columns_from_env() -> dict[str, str]:
    """The column names :data:`COLUMNS_ENV` maps to fields (``{}`` when it is unset)."""
    raw = os.environ.get(COLUMNS_ENV, "").strip()
    pairs: dict[str, str] = {}
    for part in filter(str.strip, raw.split(",")):
        name, sep, target = (p.strip() for p in part.partition("="))
        if not sep or not name or not target:
            raise ValueError(f"{COLUMNS_ENV}={raw!r}: expected their_name=field pairs joined by "
                             f"commas, e.g. {COLUMNS_ENV}='헤드라인=title,기사내용=body'")
        pairs[name] = target
    return pairs


def _env_columns_or_none() -> dict[str, str] | None:
    """:func:`columns_from_env`, or None when it is unset or malformed (for messages only)."""
    try:
        return columns_from_env() or None
    except ValueError:
        return None


def processes_can_start() -> bool:
    """Whether worker processes can start from this program: a new process imports the
    program's main script again, which fails when that script is no file (``python -`` reading
    a script from standard input names it ``<stdin>``). Notebooks, ``python -c``, ``python -m``
    and script files can."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or os.path.isfile(path)


def stop_fork_server() -> None:
    """End the fork server :func:`reading_context` started, once the processes it made are
    done: alone it holds the loader's modules (about 90 MiB on the benchmark), and the next
    read with several processes starts a new one (about a second). Through CPython's
    ``ForkServer._stop`` (used by its own tests); nothing happens where there is none."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        try:
            stop()
        except OSError:
            pass  # already gone


def _read_parallel(
    files: list[tuple[Path, str, str]],
    n_workers: int,
    *,
    columns: Mapping[str, str] | None,
    on_error: str,
    show: bool,
    pool: Executor | None = None,
    on_file: OnFile | None = None,
    spill_dir: Path | None = None,
) -> list[_FileResult]:
    """Every file read in ``n_workers`` processes (or in ``pool``); results in file order, as a
    serial read gives them (a CorpusError under ``on_error="raise"`` is raised for the first
    such file). ``on_file`` and ``spill_dir`` as in :meth:`LoadPlan.run`."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from lib.corpus.errors import worker_start_error

    # Largest files first keeps every worker busy to the end; results come back in file order.
    sizes = []
    for path, _, skip in files:
        try:
            sizes.append(0 if skip else path.stat().st_size)
        except OSError:
            sizes.append(0)
    order = sorted(range(len(files)), key=lambda i: -sizes[i])
    results: list[_FileResult | None] = [None] * len(files)
    with contextlib.ExitStack() as stack:
        if pool is None:
            # Processes started here are done when the block ends: so is their fork server.
            stack.callback(stop_fork_server)
            pool = stack.enter_context(
                ProcessPoolExecutor(max_workers=n_workers, mp_context=reading_context()))
        futures = {
            i: pool.submit(_read_in_worker, files[i][0], files[i][1], files[i][2], columns, on_error, spill_dir)
            for i in order
        }
        for i in tqdm(range(len(files)), desc="reading corpus", unit="file", disable=not show):
            try:
                result = futures[i].result()
            except BrokenProcessPool as exc:
                pool.shutdown(cancel_futures=True)
                raise worker_start_error("reading files") from exc
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
            for message in result.warned:
                warnings.warn(message, stacklevel=4)
            result.warned = []
            spilled = result.unspill()
            results[i] = result
            _hand_over(result, on_file, spilled)
    return [r for r in results if r is not None]


def _walk(roots: list[Path], unpacker: archives.Unpacker) -> Iterator[tuple[Path, str, str]]:
    """Yield ``(path, shown_as, skip_reason)``; shown_as never holds a machine path.

    Folders are read recursively in name order, following symbolic links once: a folder or file
    reached a second time (a link loop, two links to one file) is listed as skipped with the
    first name it was read under. Unreadable folders, broken links and special files are listed
    as skipped with the reason; nothing under a root is left out of the manifest but hidden names.
    Archives (zip, tar, gzip, bzip2, xz) are unpacked by ``unpacker`` and their members yielded
    in their place, shown as ``<archive>/<member>`` (:mod:`lib.corpus.archives`).
    """
    repo = paths.ROOT.resolve()
    seen: dict[tuple[int, int], str] = {}
    for given in roots:
        if not given.exists():
            raise CorpusError(paths.missing_path(given))
        root = given.resolve()
        # Shown relative to the repository when inside it, else to the folder holding the input.
        base = repo if root == repo or repo in root.parents else root.parent
        shown = textio.readable_name(root.relative_to(base).as_posix())
        if not root.is_dir():
            skip = _seen_before(root, shown, seen)
            if not skip and archives.is_archive(root):
                yield from archives.unpack(root, shown, unpacker, extension_skip)
            else:
                yield root, shown, skip
            continue
        yield from _walk_folder(root, shown, seen, unpacker)


def _walk_folder(folder: Path, shown: str, seen: dict[tuple[int, int], str],
                 unpacker: archives.Unpacker) -> Iterator[tuple[Path, str, str]]:
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield folder, f"{shown}/", f"unreadable folder: {exc.strerror or exc}"
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        yield folder, f"{shown}/", f"symbolic link loop: the folder was already read as {seen[key]}/"
        return
    seen[key] = shown
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        entry_shown = f"{shown}/{textio.readable_name(entry.name)}"
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            yield path, entry_shown, f"unreadable: {exc.strerror or exc}"
            continue
        if is_dir:
            yield from _walk_folder(path, entry_shown, seen, unpacker)
        elif is_file:
            skip = _seen_before(path, entry_shown, seen)
            if not skip and archives.is_archive(path):
                yield from archives.unpack(path, entry_shown, unpacker, extension_skip)
            else:
                yield path, entry_shown, skip or extension_skip(path)
        elif entry.is_symlink():
            yield path, entry_shown, "broken symbolic link"
        else:
            yield path, entry_shown, "not a regular file (a pipe, socket or device)"


_UNPACK_FIRST = "unpack it first; zip, tar, gz, bz2 and xz archives are read"
#: What to do with files users often have beside a corpus, said in their skip reason.
EXTENSION_HINTS = {
    ".7z": f"a 7-Zip archive: {_UNPACK_FIRST}",
    ".rar": f"a RAR archive: {_UNPACK_FIRST}",
    ".alz": f"an ALZip archive: {_UNPACK_FIRST}",
    ".egg": f"an ALZip archive: {_UNPACK_FIRST}",
    ".zst": f"a Zstandard-packed file: {_UNPACK_FIRST}",
    ".lz4": f"an LZ4-packed file: {_UNPACK_FIRST}",
    ".pdf": "a PDF: save the article as a web page (.html) or as text to read it",
    ".hwp": "a Hangul word-processor document: save it as text to read it",
    ".hwpx": "a Hangul word-processor document: save it as text to read it",
    ".doc": "a Word document: save it as text to read it",
    ".docx": "a Word document: save it as text to read it",
    ".xlsb": "a binary workbook: save it as .xlsx or .csv to read it",
    ".ods": "an OpenDocument sheet: save it as .xlsx or .csv to read it",
}


def extension_skip(path: Path) -> str:
    """The skip reason of a file in a folder or an archive whose extension is not read, else "";
    for files users often have beside a corpus (other archives, PDFs, word-processor files) the
    reason says what to do."""
    ext = path.suffix.lower()
    if ext in KNOWN_EXTENSIONS:
        return ""
    hint = EXTENSION_HINTS.get(ext)
    return f"unknown extension '{ext or path.name}'" + (f" ({hint})" if hint else "")


def _seen_before(path: Path, shown: str, seen: dict[tuple[int, int], str]) -> str:
    """A skip reason when the file was already listed under another name (links), else ""."""
    try:
        info = path.stat()
    except OSError:
        return ""  # reading it will say why
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return f"the same file as {seen[key]} (a link): read once"
    seen[key] = shown
    return ""


def _sha256(path: Path) -> str:
    """The content hash, or "" for a folder or a file that cannot be read."""
    try:
        if not path.is_file():
            return ""  # a folder, pipe or socket: opening a pipe would wait forever
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


#: Text files larger than this are not read whole (news pages, HTML, NewsML, JSON documents).
MAX_WHOLE_TEXT_BYTES = 64 << 20


def _read_file(
    path: Path,
    shown: str,
    *,
    budget: int | None,
    columns: Mapping[str, str] | None = None,
    spill_to: Path | None = None,
) -> _FileResult:
    """Read one file into records and rejects; OSError when it cannot be read."""
    scan = textio.scan_file(path)
    if not scan.head.removeprefix(b"\xef\xbb\xbf").strip() and scan.size <= len(scan.head):
        raise CorpusError(f"{shown}: empty file, expected a news page, BigKinds export or table")
    textio.reset_replaced_bytes()
    notes = streams.StreamNotes(columns=dict(columns) if columns else None)
    fmt, encoding, items, note = _sniff(path, scan, shown, notes, columns, blocks=budget is None)
    if fmt == SKIPPED:
        return _FileResult(shown, SKIPPED, "", scan.sha256, note=note)
    result = _FileResult(shown, fmt, encoding, scan.sha256, spill_to=spill_to)
    tally: Counter[str] = Counter()
    chunker: Chunker | None = None
    pending: list[tuple[str, object]] = []
    waiting = 0  # rows (not flaws) in pending
    map_note = ""
    for label, item in items:
        if isinstance(item, ColumnBlock):
            # Rows a C parser split (``fastcsv``): cleaned as one chunk, after any pending rows.
            if chunker is None:
                result.format, chunker, map_note = _row_reader(notes.header, columns, shown, notes.what)
            if pending:
                _take_chunk(result, pending, chunker, tally, budget)
                waiting = 0
            _take_block(result, item, chunker, tally)
            continue
        if chunker is not None:
            pending.append((label, item))
            if not isinstance(item, (str, RecordError)):
                waiting += 1
                if waiting >= _CHUNK_ROWS or (budget is not None and result.rows_loaded + waiting >= budget):
                    reached = _take_chunk(result, pending, chunker, tally, budget)
                    waiting = 0
                    if reached:
                        break
            continue
        if isinstance(item, (str, RecordError)):
            result.rejects.append(_stream_reject(label, item))
            continue
        if fmt == ROWS:
            # The first row of a table: its header decides the format; rows go in chunks.
            header = notes.header or [str(k) for k in item]
            result.format, chunker, map_note = _row_reader(header, columns, shown, notes.what)
            pending.append((label, item))
            waiting = 1
            continue
        rec = _finish(item, "newsml" if note == NEWSML else result.format, tally)
        if isinstance(rec, RecordError):
            result.rejects.append((label, str(rec), rec.article_id, rec.title))
        else:
            result.keep(label, rec)
            if budget is not None and result.rows_loaded >= budget:
                break
    if pending:
        _take_chunk(result, pending, chunker, tally, budget)  # type: ignore[arg-type]
    items.close()
    if result.format == ROWS:
        result.format, _, map_note = _row_reader(notes.header, columns, shown, notes.what)
    tallied = _tally_notes(tally, textio.replaced_bytes(), encoding)
    result.note = "; ".join(filter(None, [note, map_note, *notes.items, *tallied]))
    if result.format == "bigkinds" and result.rows_read == bigkinds.ROW_CAP:
        cap = (
            f"exactly {bigkinds.ROW_CAP:,} rows: BigKinds cuts larger downloads at this size, "
            "so this slice is probably incomplete; download it in smaller date ranges"
        )
        warnings.warn(f"{shown}: {cap}", stacklevel=3)
        result.note = "; ".join(filter(None, [result.note, cap]))
    return result


def _stream_reject(label: str, item: str | RecordError) -> tuple[str, str, str, str]:
    """The ``rejects`` row of a stream's record that is not one: its reason, and its id and
    headline when the stream could read them (a ``RecordError``)."""
    if isinstance(item, RecordError):
        return label, str(item), item.article_id, item.title
    return label, item, "", ""


#: Rows of a table cleaned column-wise at a time (and so the rows of a frame). A 20,000-row
#: BigKinds workbook read with 8,192 at a time held about 150 MiB above the reading process's
#: own at its highest, with 4,096 about 110 MiB (the workbook's cells, 46 MiB, are held
#: throughout), in about 5% more time: two processes reading at once set the run's peak.
_CHUNK_ROWS = 4_096
#: Rows of a table (``{column: value}`` each, or a ``ColumnBlock``) → their records and
#: reasons (``columnar.Chunk``).
Chunker = Callable[["list[dict[str, object]] | ColumnBlock"], Chunk]


def _take_chunk(
    result: _FileResult,
    pending: list[tuple[str, object]],
    chunker: Chunker,
    tally: Counter[str],
    budget: int | None,
) -> bool:
    """Clean the pending rows column-wise and file them in stream order: flaws and rejects into
    ``result.rejects``, loaded rows into a frame, repairs into ``tally``. Empties ``pending``;
    True when ``budget`` loaded rows are reached (the rows after that one are not filed)."""
    chunk = chunker([item for _, item in pending  # type: ignore[misc]
                     if not isinstance(item, (str, RecordError))])
    loaded = 0
    row = 0
    reached = False
    for label, item in pending:
        if isinstance(item, (str, RecordError)):
            result.rejects.append(_stream_reject(label, item))
            continue
        reason = chunk.reasons[row]
        made = chunk.tallies.get(row)
        identity = chunk.identities.get(row, ("", ""))
        row += 1
        if made:
            tally.update(made)
        if reason is not None:
            result.rejects.append((label, reason, *identity))
            continue
        loaded += 1
        if budget is not None and result.rows_loaded + loaded >= budget:
            reached = True
            break
    pending.clear()
    result.add_frame(chunk.frame if loaded == len(chunk.frame) else chunk.frame.iloc[:loaded].copy())
    return reached


def _take_block(result: _FileResult, block: ColumnBlock, chunker: Chunker, tally: Counter[str]) -> None:
    """Clean a block of rows column-wise and file them: rejects with their rows' labels, loaded
    rows into a frame, repairs into ``tally``."""
    chunk = chunker(block)
    for i, reason in enumerate(chunk.reasons):
        if reason is not None:
            result.rejects.append((block.label(i), reason, *chunk.identities.get(i, ("", ""))))
    for made in chunk.tallies.values():
        tally.update(made)
    result.add_frame(chunk.frame)


#: The format ``_sniff`` gives a table whose header decides between ``bigkinds`` and ``table``.
ROWS = "rows"
#: ``_sniff``'s note for a NewsML document (whose format is ``bigkinds``).
NEWSML = "NewsML"


def _row_reader(
    header: list[str], columns: Mapping[str, str] | None, shown: str, what: str
) -> tuple[str, Chunker, str]:
    """``(format, rows → records, manifest note)`` for a table with this header; CorpusError
    when the header is neither BigKinds' nor mappable onto the schema."""
    if _explicit(header, columns) is None and bigkinds.is_bigkinds_header(header):
        return "bigkinds", lambda rows: _without_long_texts(bigkinds.records_from_chunk(rows)), ""
    mapped = _usable_map(header, columns, shown)
    if mapped is None:
        raise CorpusError(_refusal(shown, what, header, columns))
    lead = any(src in mapped.lead_columns for src in mapped.fields)

    def read(rows: list[dict[str, object]]) -> Chunk:
        return _without_long_texts(tables.records_from_chunk(rows, mapped, lead=lead))

    return "table", read, _map_note(mapped)


def _without_long_texts(chunk: Chunk) -> Chunk:
    """``chunk`` with the loaded rows whose running text is over ``MAX_ARTICLE_CHARS`` turned
    into rejects (:func:`too_long_reason`): the table side of the check :func:`_finish` makes
    of every other record, before the articles reach the duplicate check or a tagger."""
    frame = chunk.frame
    if not len(frame):
        return chunk
    lengths = np.zeros(len(frame), dtype=np.int64)
    for col in ARTICLE_TEXT_FIELDS:
        lengths += frame[col].str.len().to_numpy(dtype=np.int64)
    over = np.flatnonzero(lengths > MAX_ARTICLE_CHARS)
    if not len(over):
        return chunk
    # The frame's rows are the chunk's rows without a reason, in order.
    loaded = [i for i, reason in enumerate(chunk.reasons) if reason is None]
    reasons = list(chunk.reasons)
    identities = dict(chunk.identities)
    for k in over:
        reasons[loaded[k]] = too_long_reason(int(lengths[k]))
        row = frame.iloc[int(k)]
        identities[loaded[k]] = reject_identity(row["article_id"], row["url"], row["title"])
    keep = np.ones(len(frame), dtype=bool)
    keep[over] = False
    return Chunk(reasons, frame[keep].reset_index(drop=True), chunk.tallies, identities)


def _finish(
    rec: dict[str, object] | RecordError, kind: str, tally: Counter[str]
) -> dict[str, object] | RecordError:
    """Checks every format shares: text repaired and counted, running text no longer than
    ``MAX_ARTICLE_CHARS`` (tables get the same check in :func:`_without_long_texts`), a visible
    title, a plausible date, and for ``kind`` ``bigkinds`` a BigKinds identifier that is really
    one (else the row is matched by content). NewsML items come as ``kind`` ``newsml``: they
    keep their own identifier (a G2 ``guid``, a provider's ``NewsItemId``), which was never in
    a spreadsheet."""
    if isinstance(rec, RecordError):
        return rec
    for key, value in rec.items():
        if isinstance(value, str) and textio.needs_repair(value):
            fixed, made = textio.repair_text(value)
            if made:
                rec[key] = fixed.strip()
                tally.update(made)
    too_long = too_long_reason(article_chars(rec))
    if too_long is not None:
        return _named(RecordError(too_long), rec)  # before the duplicate check and the taggers see it
    title = str(rec.get("title", ""))
    if textio.is_invisible(title):
        shown = " ".join(f"U+{ord(c):04X}" for c in title[:6])
        reason = f"no title (only invisible characters: {shown})" if title else "no title"
        return _named(RecordError(reason), rec, titled=False)
    published = rec.get("published")
    if isinstance(published, pd.Timestamp) and not pd.isna(published):
        try:
            check_range(published, published.isoformat())
        except RecordError as err:
            return _named(err, rec)
    news_id = str(rec.get("article_id", ""))
    if kind == "bigkinds" and news_id and not bigkinds.is_valid_id(news_id):
        rec["article_id"] = ""
        tally["mangled identifiers"] += 1
    return rec


def _named(err: RecordError, rec: Mapping[str, object], *, titled: bool = True) -> RecordError:
    """``err`` naming the record ``rec`` (by its identifier or address, and unless ``titled`` is
    False, a no-title reject, by its title)."""
    title = rec.get("title") if titled else ""
    return err.naming(reject_identity(rec.get("article_id"), rec.get("url"), title))


def _tally_notes(tally: Counter[str], replaced: int, encoding: str) -> list[str]:
    notes = []
    mangled = tally.pop("mangled identifiers", 0)
    if mangled:
        notes.append(
            f"{mangled} 뉴스 식별자 values are not in BigKinds' 26-28-character form "
            "(a spreadsheet program may have turned them into numbers): those rows get a content "
            "hash as article_id and are matched to copies by title, date and body, never by identifier"
        )
    if tally:
        notes.append("text repairs: " + ", ".join(f"{n} {what}" for what, n in sorted(tally.items())))
    inner = encoding.removeprefix(textio.MOJIBAKE_CODEC.format(""))
    if inner != encoding:
        notes.append(
            f"mojibake of {inner.upper()} throughout (Korean text once read as Latin-1 or cp1252 and "
            f"saved again): read back as {inner.upper()}"
        )
    if replaced and encoding not in {"binary (xlsx)", "binary (parquet)"}:
        notes.append(f"{replaced} undecodable byte(s) replaced with U+FFFD (not {encoding})")
    return notes


def _sniff(
    path: Path,
    scan: textio.FileScan,
    shown: str,
    notes: streams.StreamNotes,
    columns: Mapping[str, str] | None,
    *,
    blocks: bool = False,
) -> tuple[str, str, Generator, str]:
    """Decide the format from content; return (format, encoding, items, note).

    Items are ``(label, cells)`` for rows of a table (format ``rows``: the header decides between
    ``bigkinds`` and ``table`` in ``_read_file``), ``(label, record or RecordError)`` for pages,
    NewsML and JSON documents, or ``(label, reason)`` for a flaw found while splitting.
    ``blocks``: delimited text whose header is its first line may also give ``ColumnBlock``
    items (blocks of rows split by ``fastcsv``'s C parser).
    """
    head = scan.head
    ext = path.suffix.lower()

    def is_header(fields: list[str]) -> bool:
        return bigkinds.is_bigkinds_header(fields) or _usable_map(fields, columns, shown) is not None

    if head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        notes.what = "workbook"
        items = streams.iter_workbook(
            path, is_header=is_header, missing_headers=bigkinds.missing_headers, shown=shown, notes=notes,
            block_rows=_CHUNK_ROWS if blocks else 0,
        )
        return ROWS, "binary (xlsx)", _primed(items), ""
    if head[:4] == b"PAR1":
        notes.what = "Parquet file"
        return ROWS, "binary (parquet)", _primed(_parquet_items(path, shown, notes)), ""
    if ext in WORKBOOK_EXTENSIONS and scan.encoding == "":
        raise CorpusError(f"{shown}: {_not_a_workbook(ext)}; this one is neither that nor text")
    textio.check_decodable(scan, shown)
    encoding = scan.encoding
    head_text = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace").lstrip("\ufeff")
    lines = head_text.splitlines()
    if scan.size > len(head) and lines:
        lines = lines[:-1]  # the last line of the head may be cut
    start = normalize_text(head_text).lstrip()
    whole = newsml.looks_like_newsml(start) or bool(feeds.feed_kind(start)) or html_pages.looks_like_html(start)
    whole = whole or start.startswith("[") or (ext == ".json" and start.startswith("{"))
    if whole:
        text = _whole_text(path, scan, shown)
        if newsml.looks_like_newsml(text.lstrip()):
            return "bigkinds", encoding, _primed(newsml.iter_records(text)), NEWSML
        kind = feeds.feed_kind(text)
        if kind:
            rows = feeds.feed_rows(text)
            if isinstance(rows, RecordError):
                return "table", encoding, _primed(iter([("document", rows)])), kind
            if not rows:
                return SKIPPED, encoding, _primed(iter(())), f"{kind} without items (not read)"
            records, note = _object_rows(list(enumerate(rows, start=1)), shown, columns, kind)
            return "table", encoding, _primed(records), f"{kind}; {note}"
        if html_pages.looks_like_html(text.lstrip()):
            return "page", encoding, _primed(iter([("page", _parse_html(text))])), "HTML page"
        found = _json_document(text, shown, columns)
        if found is not None:
            return "table", encoding, _primed(found[0]), found[1]
        if ext == ".json" and not _json_lines_in(text):
            return SKIPPED, encoding, _primed(iter(())), "JSON without a list of articles (not read)"
    if start.startswith("{"):
        notes.what = "JSON lines file"
        return ROWS, encoding, _primed(_json_items(path, encoding, shown, is_header, notes)), ""
    found_header = streams.find_header(lines, is_header)
    if found_header is not None:
        index, sep, header = found_header
        notes.what = "CSV file"
        if sep not in {",", "\t"}:
            notes.add(f"delimiter {sep!r}")
        if blocks and index == 0 and _block_encoding(scan):
            items = fastcsv.iter_delimited_blocks(path, encoding=encoding, sep=sep, header=header, notes=notes)
        else:
            items = _delimited_items(path, encoding, sep, index, header, notes)
        return ROWS, encoding, _primed(items), ""
    if scan.size <= MAX_WHOLE_TEXT_BYTES:
        text = _whole_text(path, scan, shown)
        if pages.looks_like_page(text):
            return "page", encoding, _primed(pages.iter_articles(text, source_file=shown)), ""
    line1 = lines[0] if lines else ""
    first = next(csv.reader([line1], delimiter=_likely_delimiter(line1)), [])
    foreign = textio.foreign_encoding_note(encoding)
    if ext in WORKBOOK_EXTENSIONS:
        # Text under a workbook's name, and no table the loader knows: say first that the file
        # is not what its name promises.
        said = f"{shown}: {_not_a_workbook(ext)}; this one is plain text (line 1: {line1[:80]!r})"
        if len(first) > 2:  # a table saved as text (sites' ".xls" exports): what it lacks, too
            said += "; read as " + _refusal(shown, "table", [f.strip() for f in first], columns
                                            ).removeprefix(f"{shown}: ")
        else:
            said += (": save it again from Excel as .xlsx, or if it is a table saved as text, "
                     "name it .csv")
        raise CorpusError(said + (f"; {foreign}" if foreign else ""))
    if ext in {".csv", ".tsv"} or (len(first) > 2 and ext not in {".txt", ".text"}):
        raise CorpusError(
            _refusal(shown, "table", [f.strip() for f in first], columns)
            + f" (header searched in the first {streams.HEADER_SEARCH_ROWS} lines; delimiters tried: "
            f"comma, tab, semicolon, bar; line 1: {line1[:80]!r})"
            + (f"; {foreign}" if foreign else "")
        )
    if foreign:
        raise CorpusError(f"{shown}: not a corpus file: {foreign}")
    if scan.size <= MAX_WHOLE_TEXT_BYTES and pages.lacks_headline(text):
        raise CorpusError(f"{shown}: {pages.NO_HEADLINE}")
    raise CorpusError(
        f"{shown}: not a corpus file: expected a saved news page, a BigKinds export "
        "(xlsx/csv with its 19 headers), NewsML, an RSS or Atom feed, HTML, or a table with title and body columns"
    )


#: Extensions of Excel workbooks: zip archives (.xlsx, .xlsm) or OLE files (.xls).
WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls"})


def _not_a_workbook(ext: str) -> str:
    """The start of the message for a file named as a workbook whose bytes are not one."""
    kind = "an OLE file (starting D0 CF 11 E0)" if ext == ".xls" else "a zip archive (starting PK)"
    return f"not an Excel workbook: an {ext} file is {kind}"


def _block_encoding(scan: textio.FileScan) -> bool:
    """True when ``fastcsv`` may split the file: UTF-8 without an undecodable byte, or CP949,
    in a file of at least ``fastcsv.MIN_BYTES``."""
    clean = scan.encoding == "cp949" or scan.stray_bytes == 0
    return scan.encoding in fastcsv.ENCODINGS and clean and scan.size >= fastcsv.MIN_BYTES


def _likely_delimiter(line: str) -> str:
    return max(streams.DELIMITERS, key=line.count)


def _whole_text(path: Path, scan: textio.FileScan, shown: str) -> str:
    """The normalised text of a file read whole (pages, HTML, NewsML, JSON documents)."""
    if scan.size > MAX_WHOLE_TEXT_BYTES:
        raise CorpusError(
            f"{shown}: {scan.size >> 20} MB is too large for a page or a JSON document "
            f"(at most {MAX_WHOLE_TEXT_BYTES >> 20} MB); split it, or save it as JSON lines"
        )
    return normalize_text(path.read_bytes().decode(scan.encoding, errors="corpus-count").lstrip("\ufeff"))


def _primed(items: Iterator) -> Generator:
    """Start ``items`` so that errors about the whole file (CorpusError) surface now; the
    returned generator can be closed, which closes the file behind ``items``."""
    first = next(items, None)

    def chain() -> Generator:
        try:
            if first is not None:
                yield first
                yield from items
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    return chain()


def _delimited_items(path: Path, encoding: str, sep: str, index: int, header: list[str], notes) -> Iterator:
    with textio.open_text(path, encoding) as stream:
        yield from streams.iter_delimited(stream, sep=sep, header_index=index, header=header, notes=notes)


def _json_items(path: Path, encoding: str, shown: str, is_header, notes: streams.StreamNotes) -> Iterator:
    responses: set[str] = set()  # lines that are saved API responses (``line 2 item 5``)
    items = 0
    with textio.open_text(path, encoding) as stream:
        for label, item in streams.iter_json_lines(stream, is_header=is_header, shown=shown):
            if isinstance(item, dict) and not notes.header:
                notes.header = [str(k) for k in item]
            line, _, within = label.partition(" item ")
            if within:
                responses.add(line)
                items += 1
            yield label, item
    if responses:
        notes.add(f"{len(responses)} saved API responses, {items} items in all")


def _parquet_items(path: Path, shown: str, notes: streams.StreamNotes) -> Iterator:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        names = [str(c) for c in parquet.schema_arrow.names]
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorpusError(f"{shown}: unreadable Parquet file ({exc})") from exc
    if bigkinds.is_bigkinds_header(names):
        raise CorpusError(f"{shown}: a Parquet file must be a table of articles, not a BigKinds export")
    notes.header = names
    row = 1
    try:
        for batch in parquet.iter_batches(batch_size=4096):
            for cells in batch.to_pylist():
                row += 1
                yield f"row {row}", cells
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorpusError(f"{shown}: unreadable Parquet file after row {row} ({exc})") from exc


def _explicit(header: list[str], columns: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """The caller's ``columns=`` when this file has every column it names; else None.

    A folder mixes files: the mapping applies to the tables it was written for, and a BigKinds
    export or a Naver dump beside them is read as usual.
    """
    if not columns:
        return None
    present = {str(h).strip() for h in header}
    return columns if all(str(src).strip() in present for src in columns) else None


def _usable_map(header: list[str], columns: Mapping[str, str] | None, shown: str) -> column_map.ColumnMap | None:
    """The column map of a header when it names a text column; None otherwise."""
    mapped = column_map.map_columns(header, _explicit(header, columns))
    return mapped if mapped.usable() else None


def _refusal(
    shown: str, what: str, found: list[str], columns: Mapping[str, str] | None = None,
    *, suggest_from: list[str] | None = None,
) -> str:
    """A refused table's message: what is missing, the columns found, the mapping to pass
    (made of ``suggest_from`` when given: the columns that hold text)."""
    likely = found if suggest_from is None else suggest_from
    missing = ", ".join(bigkinds.missing_headers(found))
    shown_cols = ", ".join(repr(c) for c in found[:30]) + (" …" if len(found) > 30 else "")
    unused = ""
    if columns and _explicit(found, columns) is None:
        absent = [src for src in columns if str(src).strip() not in {str(h).strip() for h in found}]
        given = f"{COLUMNS_ENV} names" if columns == _env_columns_or_none() else "columns= names"
        unused = f" ({given} {', '.join(repr(a) for a in absent)}, which this file does not have)"
    return (
        f"{shown}: a {what} without the BigKinds headers (missing: {missing}) or a recognised text "
        f"column (body, 본문, content, description, …); columns found: {shown_cols}{unused}. Name its "
        f"columns with {column_map.suggest_mapping(likely)} (in the notebooks and make report: "
        f"{COLUMNS_ENV}='{column_map.suggest_pairs(likely)}'), or add the names to "
        "lib/resources/column_aliases.tsv"
    )


def _parse_html(text: str) -> dict[str, object] | RecordError:
    try:
        return html_pages.parse_html(text)
    except RecordError as err:
        return err


def _map_note(mapped: column_map.ColumnMap) -> str:
    notes = [mapped.note()]
    if "title" not in mapped.targets:
        notes.append("no title column: each title is the first sentence of its body")
    return "; ".join(n for n in notes if n)


def _object_record(obj: dict[str, object], mapped: column_map.ColumnMap) -> dict[str, object] | RecordError:
    values = mapped.row_values(obj.get)
    lead = any(src in mapped.lead_columns for src in mapped.fields)
    return tables.record_from_values(values, lead=lead)


def _json_document(
    text: str, shown: str, columns: Mapping[str, str] | None
) -> tuple[Iterator[Record], str] | None:
    """A JSON array of article objects, an object holding one (``{"items": […]}``, Naver's API),
    or several saved API responses (:func:`_saved_responses`).

    None when the text is not one JSON document or holds no list of objects.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        raise CorpusError(f"{shown}: invalid JSON (nested too deeply to read)") from None
    saved = _saved_responses(doc, shown, columns)
    if saved is not None:
        return saved
    items = streams.response_items(doc) if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items or not all(isinstance(x, dict) for x in items):
        return None
    return _object_rows(list(enumerate(items, start=1)), shown, columns, "JSON file")


def _json_lines_in(text: str) -> bool:
    """True when ``text`` is JSON lines under a ``.json`` name: its first line one whole JSON
    object, with more after it (API responses appended to one file as they came)."""
    first, _, rest = text.lstrip().partition("\n")
    if not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def _saved_responses(
    doc: object, shown: str, columns: Mapping[str, str] | None
) -> tuple[Iterator[Record], str] | None:
    """The articles of several API responses saved in one JSON document: a list of responses
    (``[{"items": […]}, {"items": […]}]``, one page of results each) or an object of them by
    query (``{"세종 스마트시티": {"items": […]}, …}``, also a list of pages under each query).
    A response is an object holding its articles in one list (``streams.response_items``; the
    search API gives at most 100 a call). Records are labelled ``response 2 item 5`` or
    ``response '세종 스마트시티' item 5`` (``… 2 item 5`` for a query's second page); a response
    without items is a reject saying so. None when ``doc`` is not such a document."""
    responses: list[tuple[str, list[dict]]] = []
    if isinstance(doc, list) and doc:
        found = [streams.response_items(r) for r in doc]
        if any(items is None for items in found):
            return None
        keys = list(dict.fromkeys(str(k) for r in doc[:50] for k in r))
        if _usable_map(keys, columns, shown) is not None:
            return None  # a list of articles that each hold a list of objects
        responses = [(f"response {n}", items or []) for n, items in enumerate(found, start=1)]
    elif isinstance(doc, dict) and doc:
        for query, value in doc.items():
            replies = value if isinstance(value, list) else [value]  # a query's pages of results
            found = [streams.response_items(reply) for reply in replies]
            if not replies or any(items is None for items in found):
                return None
            for n, items in enumerate(found, start=1):
                page = f" {n}" if len(replies) > 1 else ""
                responses.append((f"response {query!r}{page}", items or []))
    if not responses:
        return None
    labelled: list[tuple[str, dict | RecordError]] = []
    for prefix, items in responses:
        if not items:
            labelled.append((prefix, RecordError(streams.EMPTY_RESPONSE)))
        labelled.extend((f"{prefix} item {k}", item) for k, item in enumerate(items, start=1))
    articles = sum(isinstance(obj, dict) for _, obj in labelled)
    if not articles:
        return None
    records, note = _object_rows(labelled, shown, columns, "JSON file of saved API responses")
    read = f"{len(responses)} saved API responses, {articles} items in all"
    return records, f"{read}; {note}" if note else read


def _object_rows(
    items: list[tuple[object, dict | RecordError]],
    shown: str,
    columns: Mapping[str, str] | None,
    what: str,
) -> tuple[Iterator[Record], str]:
    """The records of a list of objects read as a table's rows (a JSON document's, a feed's
    items), each with its place (``item 3``, or a number for ``item 3``; a RecordError in the
    list is that place's reject), and the note on how their keys were mapped; CorpusError when
    no title and text can be found among the keys."""
    objects = [obj for _, obj in items if isinstance(obj, dict)][:50]
    keys = list(dict.fromkeys(k for item in objects for k in item))
    mapped = _usable_map(keys, columns, shown)
    if mapped is None:
        texts = [k for k in keys if any(isinstance(obj.get(k), str) and obj[k] for obj in objects)]
        if not texts:
            listed = ", ".join(repr(k) for k in keys[:30])
            raise CorpusError(
                f"{shown}: a {what} whose objects hold no text (keys: {listed}): "
                "expected a list of articles with a title and a body, or saved API responses "
                "(objects holding their articles in one list, as Naver's search API's items)"
            )
        raise CorpusError(_refusal(shown, what, keys, columns, suggest_from=texts))
    records = (
        (f"item {place}" if isinstance(place, int) else str(place),
         obj if isinstance(obj, RecordError) else _object_record(obj, mapped))
        for place, obj in items
    )
    return records, _map_note(mapped)


def _fill_generated_ids(articles: pd.DataFrame) -> None:
    """Give every row without an ``article_id`` one made from outlet, title and time, in order.

    The body joins the key when an earlier row already holds that id with a different body
    (undated rows under one column title).
    """
    ids = articles["article_id"]
    missing = np.flatnonzero((ids == "").to_numpy())
    if not len(missing):
        return
    bodies_by_id: dict[str, str] = {}
    made = []
    rows = articles.iloc[missing]
    for outlet, title, published, body in zip(rows["outlet"], rows["title"], rows["published"], rows["body"]):
        made.append(_generated_id(outlet, title, published, body, bodies_by_id))
    values = ids.to_numpy(dtype=object, copy=True)
    values[missing] = made
    articles["article_id"] = pd.array(values, dtype="str")


def _generated_id(outlet: str, title: str, published: object, body: str, bodies_by_id: dict[str, str]) -> str:
    news_id = stable_article_id(outlet, title, published)
    first = bodies_by_id.setdefault(news_id, body)
    if first != body:
        news_id = stable_article_id(outlet, f"{title}\x1f{hashlib.sha256(body.encode('utf-8')).hexdigest()}", published)
        bodies_by_id.setdefault(news_id, body)
    return news_id


def _assemble(results: list[_FileResult], *, dedup: bool, sources: tuple[str, ...]) -> Corpus:
    frames: list[pd.DataFrame] = []
    reject_rows: list[dict[str, str]] = []
    manifest_rows: list[dict[str, object]] = []
    pending: list[dict[str, object]] = []  # small files' records, framed together, in file order
    for res in results:
        if res.frames and pending:
            frames.append(to_frame(pending))
            pending = []
        frames.extend(res.frames)
        res.frames = []
        pending.extend(res.take_rows())
        if len(pending) >= _FRAME_ROWS:
            frames.append(to_frame(pending))
            pending = []
        for label, reason, article_id, title in res.rejects:
            reject_rows.append({"source_file": res.source_file, "record": label,
                                "article_id": article_id, "title": title, "reason": reason})
        manifest_rows.append(
            {
                "source_file": res.source_file,
                "format": res.format,
                "encoding": res.encoding,
                "sha256": res.sha256,
                "rows_read": res.rows_read,
                "rows_loaded": res.rows_loaded,
                "rows_rejected": len(res.rejects),
                "note": res.note,
            }
        )
    if pending or not frames:
        frames.append(to_frame(pending))
    articles = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    del frames
    _fill_generated_ids(articles)
    if dedup:
        articles = find_duplicates(articles)
    else:
        articles = without_body_keys(articles)
        articles["dup_group"] = range(len(articles))
    rejects = pd.DataFrame(reject_rows, columns=list(REJECT_COLUMNS)).astype(str)
    manifest = pd.DataFrame(manifest_rows, columns=list(MANIFEST_COLUMNS))
    manifest[["rows_read", "rows_loaded", "rows_rejected"]] = manifest[
        ["rows_read", "rows_loaded", "rows_rejected"]
    ].astype("int64")
    return Corpus(articles=articles, rejects=rejects, manifest=manifest, sources=sources)
