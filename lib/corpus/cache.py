"""A Parquet cache of loaded corpora, so reruns of notebooks and reports skip parsing.

The key covers everything the result depends on: every input file's path as shown and its
content hash, the load options, and the loader's own code and the resource files it reads
(page layouts, column aliases, outlets' domains and Naver press ids: editing any invalidates
old entries). An archive counts as one file, its own bytes: what it unpacks to
follows from them and the loader's code, so a rerun finds its corpus without unpacking it.
Entries are written into a temporary folder and renamed into place, so a reader never sees half
an entry.

Every cache folder under ``lib.paths.CACHE_DIR`` (parsed corpora, tags, token tables, new
words) keeps to a budget, :data:`DEFAULT_BUDGET_GB` gigabytes each unless ``SMARTCITY_CACHE_GB``
says otherwise: after an entry is written, the entries used longest ago are removed until the
rest fit (:func:`prune`). Reading an entry counts as using it (:func:`mark_used`). Entries whose
key no rerun can make again (the loader's code or a resource file changed) are then the first
to go, so the cache does not grow without bound as the project and its corpora change.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

from lib import paths
from lib.corpus.schema import ARTICLE_COLUMNS, MANIFEST_COLUMNS, REJECT_COLUMNS

#: Files whose content decides how files are read: any edit makes a new key.
_CODE_FILES = (
    *sorted((paths.LIB_DIR / "corpus").glob("*.py")),
    paths.RESOURCES_DIR / "page_layouts.toml",
    paths.RESOURCES_DIR / "column_aliases.tsv",
    paths.RESOURCES_DIR / "outlet_domains.tsv",
    paths.RESOURCES_DIR / "naver_press_ids.tsv",
)
_TABLES = ("articles", "rejects", "manifest")
#: Parquet compression of cache entries: zstd stores the text in about 40% of the bytes
#: snappy needs and reads back as fast, so a warm rerun reads less from disk.
COMPRESSION = "zstd"
_COLUMNS = {"articles": ARTICLE_COLUMNS, "rejects": REJECT_COLUMNS, "manifest": MANIFEST_COLUMNS}


def cache_dir() -> Path:
    return paths.CACHE_DIR / "corpus"


def cache_key(files: list[tuple[Path, str, str]], options: dict[str, object]) -> str:
    """sha256 over the inputs (shown path, skip reason, content hash), options and loader code.

    A file that cannot be read counts as its name and the reason, so the key is still defined.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True, default=str).encode("utf-8"))
    for code in _CODE_FILES:
        digest.update(hashlib.sha256(code.read_bytes()).digest())
    for path, shown, skip in files:
        try:
            if not path.is_file():
                raise OSError("not a regular file")  # opening a pipe would wait forever
            with path.open("rb") as handle:
                content = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            content = f"unreadable: {exc.strerror or exc}"
        digest.update(f"{shown}\t{skip}\t{content}\n".encode())
    return digest.hexdigest()


#: The shown names of the files a corpus was read from (``Corpus.sources``), as a JSON list.
_SOURCES = "sources.json"


def has_entry(key: str) -> bool:
    """Whether a complete entry is stored under ``key`` (not whether it reads back soundly)."""
    folder = cache_dir() / key
    return all((folder / name).exists() for name in (*(f"{t}.parquet" for t in _TABLES), _SOURCES))


def read_cached(key: str) -> dict[str, object] | None:
    """The three tables stored under ``key`` and the ``sources`` they were read from, or None
    when there is no complete, sound entry.

    A damaged entry (truncated or empty Parquet, other columns, unreadable) is reported once with
    a warning naming it and removed, so the caller rebuilds and stores it again.
    """
    folder = cache_dir() / key
    if not has_entry(key):
        return None
    try:
        tables: dict[str, object] = {
            name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
        for name, frame in tables.items():
            expected = list(_COLUMNS[name])
            if [str(c) for c in frame.columns] != expected:
                raise ValueError(f"{name}.parquet has columns {list(frame.columns)[:5]}…, expected {expected[:5]}…")
        articles = tables["articles"]
        articles["published"] = articles["published"].astype("datetime64[ns]")
        manifest = tables["manifest"]
        sums = manifest["rows_read"] == manifest["rows_loaded"] + manifest["rows_rejected"]
        if not bool(sums.all()) or int(manifest["rows_loaded"].sum()) != len(articles):
            raise ValueError("row counts do not add up")
        sources = json.loads((folder / _SOURCES).read_text(encoding="utf-8"))
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise ValueError(f"{_SOURCES} is not a list of names")
        tables["sources"] = tuple(sources)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
        discard_entry(folder, f"corpus cache entry {key[:12]}", exc, "the corpus is read again")
        return None
    mark_used(folder)
    return tables


def write_cached(key: str, tables: dict[str, pd.DataFrame], *, sources: tuple[str, ...]) -> None:
    """Store the tables and the ``sources`` they were read from under ``key`` atomically; a
    concurrent writer's entry is kept as is."""
    writers: dict[str, Callable[[Path], object]] = {
        f"{name}.parquet": (lambda path, t=tables[name]: t.to_parquet(
            path, index=False, compression=COMPRESSION))
        for name in _TABLES
    }
    writers[_SOURCES] = lambda path: path.write_text(
        json.dumps(list(sources), ensure_ascii=False), encoding="utf-8")
    write_entry(cache_dir(), key, writers)


def discard_entry(folder: Path, what: str, exc: BaseException, redo: str, *,
                  stacklevel: int = 3) -> None:
    """Report a damaged cache entry once (``what`` names it, ``exc`` says what failed, ``redo``
    what happens instead) and remove its folder, so the caller makes and stores it again.
    ``stacklevel`` is counted as if the caller warned itself."""
    warnings.warn(f"{what} is damaged ({type(exc).__name__}: {str(exc)[:120]}); removed, {redo}",
                  stacklevel=stacklevel + 1)
    shutil.rmtree(folder, ignore_errors=True)


#: The environment variable that sets each cache folder's budget, in gigabytes.
BUDGET_ENV = "SMARTCITY_CACHE_GB"
DEFAULT_BUDGET_GB = 5.0
#: Files in a cache folder that :func:`prune` leaves alone: the token store is one file that
#: many corpora share (``make clean`` removes it).
_NOT_PRUNED = frozenset({"texts.sqlite", "texts.sqlite-journal", "texts.sqlite-wal"})


def cache_budget() -> int:
    """Each cache folder's budget in bytes: ``SMARTCITY_CACHE_GB`` gigabytes (a positive
    number), else :data:`DEFAULT_BUDGET_GB`."""
    raw = os.environ.get(BUDGET_ENV, "").strip()
    if not raw:
        return int(DEFAULT_BUDGET_GB * 1024**3)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ValueError(f"{BUDGET_ENV}={raw!r}: give the cache budget as a positive number of "
                         "gigabytes per cache folder, e.g. 5 or 0.5")
    return int(value * 1024**3)


def mark_used(path: Path) -> None:
    """Record that a cache entry (a folder or a file) was just read: :func:`prune` removes the
    entries used longest ago first."""
    try:
        os.utime(path)
    except OSError:
        pass  # a read-only cache still reads


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prune(root: Path, *, keep: Path | None = None, budget: int | None = None) -> list[Path]:
    """Remove the entries of ``root`` used longest ago until the rest take at most ``budget``
    bytes (default :func:`cache_budget`); ``keep`` (the entry just written) stays whatever its
    size. Entries being written (hidden names, ``*.tmp``), lock files and the token store are
    never touched. Returns
    the removed paths."""
    budget = cache_budget() if budget is None else budget
    entries = []
    try:
        children = list(root.iterdir())
    except OSError:
        return []
    for child in children:
        if (child.name.startswith(".") or child.name in _NOT_PRUNED
                or child.name.endswith((".tmp", ".lock"))):
            continue
        try:
            entries.append((child.stat().st_mtime, _size(child), child))
        except OSError:
            continue  # removed meanwhile by another process
    total = sum(size for _, size, _ in entries)
    removed = []
    for _, size, child in sorted(entries, key=lambda e: e[0]):
        if total <= budget:
            break
        if keep is not None and child == keep:
            continue
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
        total -= size
        removed.append(child)
    return removed


def write_entry(root: Path, key: str, files: dict[str, Callable[[Path], object]]) -> None:
    """Write a cache entry ``root/key`` atomically: each ``files`` writer fills its file in a
    temporary folder, which is then renamed into place, so a reader never sees half an entry.
    An incomplete entry already there is replaced; a complete one a concurrent writer stored
    first is kept."""
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=root))
    target = root / key
    try:
        for name, write in files.items():
            write(tmp / name)
        if target.exists() and not all((target / name).exists() for name in files):
            shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    except OSError:
        # Another process stored the same key first (the target folder is not empty).
        shutil.rmtree(tmp, ignore_errors=True)
    prune(root, keep=target)
