"""The distributed engine: load -> tag -> token table over many files, on a Dask cluster.

For corpora past one machine (a national study: hundreds of BigKinds downloads, millions of
articles). The default engine is a notebook calling ``load_corpus``, ``tag_articles`` and
``token_table`` in one process; this one runs the same three functions on partitions of the
input files across the workers of a ``dask.distributed`` cluster and writes the same tables as
partitioned Parquet::

    OUT/articles/part-00000.parquet …   the articles with their tags (the wide tagged table)
    OUT/article_topics/part-….parquet    article_id, topic, score, terms
    OUT/topic_terms/part-….parquet       article_id, label, term, count
    OUT/region_evidence/part-….parquet   article_id, region, source, term, count
    OUT/tokens/part-….parquet            article_id, term, tag, count
    OUT/manifest.parquet, OUT/rejects.parquet

Reading the part files in name order gives the default engine's tables row for row
(:func:`read_output`). Two steps need the whole corpus and run once, on the client: the ids
generated for records without a BigKinds 뉴스 식별자 (a second record with the same outlet, title
and time but another body gets a body-qualified id, in reading order) and duplicate detection
(``find_duplicates``; only the columns it reads travel to the client). Tags and tokens are made
once per ``article_id``, in the partition where the id is first read, as the default engine does.

Needs the extra requirements (``pip install -r requirements-distributed.txt``). Without a
scheduler address it starts a ``LocalCluster`` of worker processes on this machine. Input and
output folders must be reachable under the same path from every worker (a shared file system).

    python -m lib.engine data/raw --out data/cache/engine [--scheduler tcp://host:8786]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lib import paths
from lib.corpus import CorpusError, archives, load_corpus
from lib.corpus.dedup import find_duplicates
from lib.corpus.loader import ON_ERROR_ENV, extension_skip
from lib.corpus.schema import stable_article_id
from lib.corpus.textio import readable_name
from lib.tagging import engine_output, tag_articles
from lib.tagging.stage import TAG_DEFAULTS, attach_tags
from lib.tagging.tokens import THREADS_ENV, token_table

#: Input bytes per partition: files are grouped in reading order up to this size (a file
#: larger than it is a partition of its own).
PARTITION_BYTES = 32 << 20
#: The long tables written per partition, besides ``articles``.
LONG_TABLES = ("article_topics", "topic_terms", "region_evidence", "tokens")
#: The columns duplicate detection and id generation read: all that travels to the client.
_GLOBAL_COLUMNS = ("article_id", "outlet", "title", "body", "published", "lead_only")
_GENERATED_ID = re.compile(r"h[0-9a-f]{20}")
_INSTALL_HINT = "the distributed engine needs Dask: pip install -r requirements-distributed.txt"


@dataclass(frozen=True)
class _Entry:
    """One file of the input in reading order: where it is, how it is shown, why it is skipped."""

    path: Path
    shown: str
    skip: str = ""


@dataclass
class EngineOutput:
    """The tables of one run, as :func:`read_output` reads them back from ``folder``."""

    articles: pd.DataFrame
    article_topics: pd.DataFrame
    topic_terms: pd.DataFrame
    region_evidence: pd.DataFrame
    tokens: pd.DataFrame
    manifest: pd.DataFrame
    rejects: pd.DataFrame


def run_engine(
    sources: str | Path | Iterable[str | Path],
    out: str | Path,
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    partition_bytes: int = PARTITION_BYTES,
    on_error: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> Path:
    """Load, tag and tokenize ``sources`` (files and folders, read as ``load_corpus`` reads
    them) on a Dask cluster and write the tables under ``out``; returns ``out``. ``out`` must be
    new, empty or the output of an earlier run (which is replaced).

    ``scheduler``: the address of a running Dask scheduler (``tcp://host:8786``); ``None``
    starts a local cluster of ``n_workers`` processes (default: every core), one thread each.
    ``partition_bytes``: input bytes per partition. ``on_error`` and ``columns`` as in
    ``load_corpus``.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc

    entries = list(walk_inputs(sources))
    groups = partition_entries(entries, partition_bytes)
    if not groups:
        raise CorpusError(f"{', '.join(str(s) for s in _as_list(sources))}: no corpus files found")
    target = Path(out)
    _clear_output(target)
    # Decided here, not by each worker's environment.
    on_error = on_error or os.environ.get(ON_ERROR_ENV) or "skip"
    if scheduler:
        cluster = None
        client = Client(scheduler)
    else:
        workers = n_workers or os.cpu_count() or 1
        # One thread per worker process, and one Kiwi thread each: the processes share the cores.
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address=None, env={THREADS_ENV: "1"},
        )
        client = Client(cluster)
    # Workers on this machine keep Kiwi's token cache where this process does.
    cache_dir = None if scheduler else str(paths.CACHE_DIR)
    try:
        _run(client, groups, entries, target,
             on_error=on_error, columns=columns, cache_dir=cache_dir)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if all(paths.is_sample(source) for source in _as_list(sources)):
        # Reports made from these tables say they are synthetic, as the sample's own do.
        (target / paths.SYNTHETIC_MARKER).write_text(
            "SYNTHETIC: these tables were made from the bundled synthetic sample (data/sample): "
            "invented articles for demonstration and tests, not real news.\n", encoding="utf-8")
    return target


def _clear_output(target: Path) -> None:
    """Make ``target`` an empty folder; a folder that holds anything but an earlier run's output
    (a corpus, a repository given by mistake) is left alone with an error."""
    if target.exists():
        known = {*LONG_TABLES, "articles", "manifest.parquet", "rejects.parquet",
                 paths.SYNTHETIC_MARKER}
        found = {p.name for p in target.iterdir()}
        if not target.is_dir() or not found <= known:
            raise FileExistsError(
                f"{target}: exists and is not an output folder of lib.engine (holds "
                f"{', '.join(sorted(found - known)[:5]) or 'a file'}); give a new or empty folder"
            )
        shutil.rmtree(target)
    target.mkdir(parents=True)


def _run(client, groups: list[list[_Entry]], entries: list[_Entry], out: Path, *,
         on_error: str | None, columns: Mapping[str, str] | None, cache_dir: str | None) -> None:
    options = {"on_error": on_error, "columns": dict(columns) if columns else None}
    loaded = _load_groups(client, groups, options)
    parts = [part for part, _ in loaded]
    views = client.gather([client.submit(_global_view, part, pure=False) for part in parts])
    fixes = global_fixes(views)
    processed = [
        client.submit(_tag_and_tokenize, part, fix, str(out), index, cache_dir, pure=False)
        for index, (part, fix) in enumerate(zip(parts, fixes, strict=True))
    ]
    repeated = _ids_in_several_partitions(fixes)
    found = [client.submit(_repeated_tags, done, repeated, pure=False) for done in processed]
    shared = client.submit(_concat, found, pure=False)
    written = [
        client.submit(_write_articles, done, shared, str(out), index, pure=False)
        for index, done in enumerate(processed)
    ]
    client.gather(written)
    manifests = [manifest for _, manifest in loaded]
    rejects = client.gather([client.submit(_rejects, part, pure=False) for part in parts])
    _write(out / "manifest.parquet", _manifest_in_reading_order(entries, manifests))
    _write(out / "rejects.parquet", pd.concat(rejects, ignore_index=True))


# --- input --------------------------------------------------------------------------------


def _as_list(sources: str | Path | Iterable[str | Path]) -> list[Path]:
    return [Path(sources)] if isinstance(sources, (str, Path)) else [Path(s) for s in sources]


def walk_inputs(sources: str | Path | Iterable[str | Path]) -> Iterable[_Entry]:
    """Every file under ``sources`` in ``load_corpus``'s reading order (folders recursively,
    names sorted, hidden names left out), shown as ``load_corpus`` shows it; files of an unknown
    extension carry the reason they are skipped. An archive is one entry: the worker that reads
    it unpacks it (``load_corpus``), and its members are shown as ``<archive>/<member>``."""
    repo = paths.ROOT.resolve()
    for given in _as_list(sources):
        if not given.exists():
            raise CorpusError(paths.missing_path(given))
        root = given.resolve()
        base = repo if root == repo or repo in root.parents else root.parent
        shown = readable_name(root.relative_to(base).as_posix())
        if root.is_dir():
            yield from _walk_folder(root, shown, set())
        else:
            yield _Entry(root, shown, "")


def _walk_folder(folder: Path, shown: str, seen: set[Path]) -> Iterable[_Entry]:
    if folder in seen:  # a link back to a folder already read
        return
    seen.add(folder)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        path, entry_shown = Path(entry.path), f"{shown}/{readable_name(entry.name)}"
        if entry.is_dir():
            yield from _walk_folder(path.resolve(), entry_shown, seen)
        elif entry.is_file():
            yield _Entry(path, entry_shown, "" if archives.is_archive(path) else extension_skip(path))


def partition_entries(
    entries: Sequence[_Entry], partition_bytes: int = PARTITION_BYTES
) -> list[list[_Entry]]:
    """The files to read, cut in reading order into partitions of about ``partition_bytes``.

    Files skipped for their extension are in no partition. A partition never holds two files of
    one name: ``load_corpus`` shows a file given on its own by its name, which must name one file.
    """
    groups: list[list[_Entry]] = []
    current: list[_Entry] = []
    size = 0
    for entry in entries:
        if entry.skip:
            continue
        length = entry.path.stat().st_size
        clash = any(e.path.name == entry.path.name for e in current)
        if current and (clash or size + length > partition_bytes):
            groups.append(current)
            current, size = [], 0
        current.append(entry)
        size += length
    if current:
        groups.append(current)
    return groups


# --- load (on the workers) -----------------------------------------------------------------


@dataclass
class _Part:
    """One partition's corpus while it is processed."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    manifest: pd.DataFrame


def _load_groups(
    client, groups: list[list[_Entry]], options: dict[str, Any]
) -> list[tuple[Any, pd.DataFrame]]:
    """``(part future, manifest)`` per partition, the parts left on the workers.

    ``load_corpus`` raises when no file it is given is a corpus (a partition holding only a
    JSON file of something else): such a partition is read again together with the next one
    (the previous one, for the last), so its files are listed in the manifest like any other.
    """
    groups = [list(g) for g in groups]
    futures = [client.submit(_load_part, group, options, pure=False) for group in groups]
    errors = client.gather([client.submit(_error, f, pure=False) for f in futures])
    index = 0
    while index < len(futures):
        error = errors[index]
        if error is None:
            index += 1
            continue
        if len(groups) == 1:
            raise error
        low, high = sorted((index, index + 1 if index + 1 < len(groups) else index - 1))
        merged = groups[low] + groups[high]
        if len({e.path.name for e in merged}) < len(merged):
            raise error  # two files of one name cannot share a partition
        groups[low : high + 1] = [merged]
        futures[low : high + 1] = [client.submit(_load_part, merged, options, pure=False)]
        errors[low : high + 1] = [client.submit(_error, futures[low], pure=False).result()]
        index = low
    manifests = client.gather([client.submit(_manifest, f, pure=False) for f in futures])
    return list(zip(futures, manifests, strict=True))


def _load_part(group: list[_Entry], options: dict[str, Any]) -> _Part | CorpusError:
    """The partition's corpus, or the loader's error when none of its files is a corpus (or,
    with ``on_error="raise"``, one is not)."""
    try:
        corpus = load_corpus(
            [e.path for e in group], dedup=False, progress=False,
            on_error=options["on_error"], columns=options["columns"],
        )
    except CorpusError as error:
        return error
    names = {readable_name(e.path.name): e.shown for e in group}
    return _Part(
        articles=_renamed(corpus.articles, names),
        rejects=_renamed(corpus.rejects, names),
        manifest=_renamed(corpus.manifest, names, note=True),
    )


def _renamed(frame: pd.DataFrame, names: Mapping[str, str], *, note: bool = False) -> pd.DataFrame:
    """``frame`` with a file shown by its bare name (outside the repository, ``load_corpus``
    shows a file given on its own so), or an archive's member shown under the archive's bare
    name, shown as under its input folder instead."""
    short = frame["source_file"].astype(str)
    owner = short.str.split("/", n=1).str[0]
    if not owner.isin(list(names)).any():
        return frame
    out = frame.copy()
    out["source_file"] = [names[o] + s[len(o):] if o in names else s for s, o in zip(short, owner, strict=True)]
    if note:
        out["note"] = [
            names[o] + n[len(o):] if o in names and n.startswith(f"{s}:") else n
            for s, o, n in zip(short, owner, out["note"].astype(str), strict=True)
        ]
    return out


def _error(part: _Part | CorpusError) -> CorpusError | None:
    return part if isinstance(part, CorpusError) else None


def _manifest(part: _Part) -> pd.DataFrame:
    return part.manifest


def _rejects(part: _Part) -> pd.DataFrame:
    return part.rejects


def _global_view(part: _Part) -> pd.DataFrame:
    return part.articles[list(_GLOBAL_COLUMNS)]


# --- the global step (on the client) -------------------------------------------------------


@dataclass(frozen=True)
class PartFix:
    """What the global step decides for one partition's rows, in row order."""

    article_id: list[str]
    dup_group: list[int]
    is_duplicate: list[bool]
    first: list[bool]  # the first row of its article_id in the whole corpus


def global_fixes(views: Sequence[pd.DataFrame]) -> list[PartFix]:
    """Ids and duplicate groups of the whole corpus from every partition's rows (in reading
    order), cut back into one :class:`PartFix` per partition."""
    whole = pd.concat(list(views), ignore_index=True)
    whole["article_id"] = global_article_ids(whole)
    marked = find_duplicates(whole)
    first = ~marked["article_id"].duplicated(keep="first")
    fixes, start = [], 0
    for view in views:
        stop = start + len(view)
        rows = slice(start, stop)
        fixes.append(PartFix(
            article_id=marked["article_id"].iloc[rows].tolist(),
            dup_group=marked["dup_group"].iloc[rows].tolist(),
            is_duplicate=marked["is_duplicate"].iloc[rows].tolist(),
            first=first.iloc[rows].tolist(),
        ))
        start = stop
    return fixes


def global_article_ids(articles: pd.DataFrame) -> list[str]:
    """The ids ``load_corpus`` gives when it reads all these rows in one pass.

    A record without a BigKinds 뉴스 식별자 gets ``stable_article_id(outlet, title, published)``;
    when an earlier record holds that id with another body, the body joins the key. Read in
    partitions, each partition only knew its own earlier records: the ids are made again here
    in reading order. Given ids (BigKinds, a table's own) are kept.
    """
    bodies: dict[str, str] = {}
    out = []
    for art_id, outlet, title, body, published in zip(
        articles["article_id"].astype(str), articles["outlet"], articles["title"],
        articles["body"], articles["published"], strict=True,
    ):
        published = None if pd.isna(published) else published
        if not _GENERATED_ID.fullmatch(art_id):
            out.append(art_id)
            continue
        plain = stable_article_id(outlet, title, published)
        qualified = stable_article_id(outlet, f"{title}\x1f{_digest(body)}", published)
        if art_id not in (plain, qualified):
            out.append(art_id)  # a table's own id that only looks generated
            continue
        first = bodies.setdefault(plain, body)
        if first == body:
            out.append(plain)
        else:
            bodies.setdefault(qualified, body)
            out.append(qualified)
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ids_in_several_partitions(fixes: Sequence[PartFix]) -> frozenset[str]:
    """Article ids read in more than one partition (overlapping BigKinds date slices)."""
    seen: dict[str, int] = {}
    repeated = set()
    for index, fix in enumerate(fixes):
        for art_id in set(fix.article_id):
            if seen.setdefault(art_id, index) != index:
                repeated.add(art_id)
    return frozenset(repeated)


# --- tag, tokenize, write (on the workers) -------------------------------------------------


@dataclass
class _Tagged:
    articles: pd.DataFrame  # the partition's rows with the global ids and duplicate groups
    tags: pd.DataFrame  # article_id + TAG_DEFAULTS, one row per article first read here


def _tag_and_tokenize(
    part: _Part, fix: PartFix, out: str, index: int, cache_dir: str | None
) -> _Tagged:
    """Apply the global step's ids and duplicate groups to one partition, tag and tokenize the
    articles first read in it, and write its long tables as part ``index``."""
    if cache_dir is not None:
        paths.CACHE_DIR = Path(cache_dir)
    rows = part.articles.index
    articles = part.articles.assign(
        article_id=pd.Series(fix.article_id, index=rows, dtype=part.articles["article_id"].dtype),
        dup_group=pd.Series(fix.dup_group, index=rows, dtype="int64"),
        is_duplicate=pd.Series(fix.is_duplicate, index=rows, dtype=bool),
    )
    first = articles[fix.first]
    tagged = tag_articles(first, cache=False, workers=1)
    tables = {
        "article_topics": tagged.article_topics,
        "topic_terms": tagged.topic_terms,
        "region_evidence": tagged.region_evidence,
        "tokens": token_table(first, cache=False, progress=False),
    }
    for name, table in tables.items():
        _write(Path(out) / name / _part_name(index), table)
    tags = tagged.articles[["article_id", *TAG_DEFAULTS]].reset_index(drop=True)
    tags["article_id"] = tags["article_id"].astype(str)
    return _Tagged(articles, tags)


def _repeated_tags(done: _Tagged, repeated: frozenset[str]) -> pd.DataFrame:
    """The tags this partition made for articles that other partitions read too."""
    return done.tags[done.tags["article_id"].isin(repeated)]


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def _write_articles(done: _Tagged, shared: pd.DataFrame, out: str, index: int) -> int:
    """Write the partition's articles with their tags (their own, or the partition's that
    tagged a copy first) as part ``index``; returns the number of rows."""
    tags = pd.concat([done.tags, shared], ignore_index=True).drop_duplicates("article_id")
    wide = attach_tags(done.articles, tags)
    _write(Path(out) / "articles" / _part_name(index), wide)
    return len(wide)


def _part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _write(path: Path, table: pd.DataFrame) -> None:
    """One Parquet file; ``topics`` (tuples of topic keys) as a list of strings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if "topics" in table.columns:
        fields = pa.Schema.from_pandas(table.drop(columns="topics"), preserve_index=False)
        position = list(table.columns).index("topics")
        schema = fields.insert(position, pa.field("topics", pa.list_(pa.string())))
        arrow = pa.Table.from_pandas(
            table.assign(topics=[list(t) for t in table["topics"]]),
            schema=schema, preserve_index=False,
        )
    else:
        arrow = pa.Table.from_pandas(table, preserve_index=False)
    pq.write_table(arrow, path)


def _manifest_in_reading_order(
    entries: Sequence[_Entry], manifests: Sequence[pd.DataFrame]
) -> pd.DataFrame:
    """The partitions' manifests and the files skipped for their extension, in reading order
    (an archive's members where the archive is)."""
    read = pd.concat(list(manifests), ignore_index=True)
    shown = {entry.shown for entry in entries if not entry.skip}
    by_name: dict[str, list[int]] = {}
    for i, name in enumerate(read["source_file"]):
        owner = name
        while owner not in shown and "/" in owner:  # a member: under its archive's entry
            owner = owner.rsplit("/", 1)[0]
        by_name.setdefault(owner, []).append(i)
    rows = []
    for entry in entries:
        if entry.skip:
            rows.append({
                "source_file": entry.shown, "format": "skipped", "encoding": "",
                "sha256": _file_sha256(entry.path), "rows_read": 0, "rows_loaded": 0,
                "rows_rejected": 0, "note": entry.skip,
            })
        else:
            rows.extend(read.iloc[i].to_dict() for i in by_name.get(entry.shown, []))
    manifest = pd.DataFrame(rows, columns=list(read.columns))
    counts = ["rows_read", "rows_loaded", "rows_rejected"]
    manifest[counts] = manifest[counts].astype("int64")
    return manifest


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- reading the output --------------------------------------------------------------------


def read_output(folder: str | Path) -> EngineOutput:
    """The tables a run wrote under ``folder``, each part file in name order, ``topics`` as
    tuples again and the evidence tables' categorical columns joined (as ``tag_articles`` gives
    them). ``load_and_tag(folder)`` reads the same folder as a corpus and its tags."""
    return EngineOutput(**{name: engine_output.read_table(folder, name)
                           for name in (*engine_output.PARTITIONED, *engine_output.SINGLE)})


# --- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lib.engine",
        description="Load, tag and tokenize a corpus on a Dask cluster; write partitioned Parquet.",
    )
    parser.add_argument("sources", nargs="+",
                        help="corpus files or folders (as load_corpus reads them)")
    parser.add_argument("--out", required=True,
                        help="output folder: new, empty or an earlier run's (replaced)")
    parser.add_argument("--scheduler",
                        help="address of a running Dask scheduler, e.g. tcp://HOST:8786; "
                        "without it a local cluster is started")
    parser.add_argument("--workers", type=int,
                        help="worker processes of the local cluster (default: every core)")
    parser.add_argument("--partition-mb", type=float, default=PARTITION_BYTES / (1 << 20),
                        help="input megabytes per partition (default: %(default)s)")
    args = parser.parse_args(argv)
    out = run_engine(args.sources, args.out, scheduler=args.scheduler, n_workers=args.workers,
                     partition_bytes=int(args.partition_mb * (1 << 20)))
    tables = read_output(out)
    print(f"{len(tables.articles):,} articles, {len(tables.tokens):,} token rows, "
          f"{len(tables.manifest):,} files -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
