"""``load_corpus``: every supported file under the given paths → articles, rejects, manifest.

Formats are detected from content, not only from the extension:

* a zip workbook (xlsx) or an OLE workbook (xls) with the BigKinds headers → ``bigkinds``;
  with the canonical headers → ``table``;
* Parquet (``PAR1`` magic) in the canonical schema → ``table``;
* text: JSON lines → ``table``; a CSV/TSV whose header is BigKinds' → ``bigkinds``, the canonical
  schema's → ``table``; a saved news page → ``page``.

Nothing is dropped silently: each record ends in ``articles`` or in ``rejects`` with a reason,
and the manifest's ``rows_read == rows_loaded + rows_rejected`` for every file.

Hostile input is part of the job (tests/fixtures/bad_inputs lists the cases): files are read as
streams of rows (``lib.corpus.streams``) so memory follows rows, not files; dates go through one
parser with a plausible range (``lib.corpus.dates``); text is repaired and the repairs counted
in the manifest's note (``lib.corpus.textio``); unreadable files and folders, link loops and
special files are listed in the manifest with the reason instead of raising.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from lib import paths
from lib.corpus import bigkinds, pages, streams, tables, textio
from lib.corpus import cache as corpus_cache
from lib.corpus.dates import check_range
from lib.corpus.dedup import find_duplicates
from lib.corpus.errors import CorpusError, RecordError
from lib.corpus.schema import (
    MANIFEST_COLUMNS,
    REJECT_COLUMNS,
    normalize_text,
    stable_article_id,
    to_frame,
)

#: Extensions read when walking a folder; other files are listed in the manifest as skipped.
KNOWN_EXTENSIONS = frozenset(
    {".txt", ".text", ".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".jsonl", ".ndjson", ".parquet", ".pq"}
)

Record = tuple[str, "dict[str, object] | RecordError"]


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
            "files": int((m["format"] != "skipped").sum()),
            "files_skipped": int((m["format"] == "skipped").sum()),
        }

    def fingerprint(self) -> str:
        """sha256 over the manifest (file names and content hashes): names this exact corpus."""
        return manifest_fingerprint(self.manifest)

    @property
    def unique(self) -> pd.DataFrame:
        """Deduplicated articles: one row per story (analyses use these by default)."""
        return self.articles[~self.articles["is_duplicate"]]


def manifest_fingerprint(manifest: pd.DataFrame) -> str:
    """sha256 over a manifest's file names and content hashes: names this exact corpus.

    Sorted ``name\tsha256`` lines, so the order files were read in does not matter but
    renaming, adding or editing a file does.
    """
    digest = hashlib.sha256()
    pairs = zip(manifest["source_file"].astype(str), manifest["sha256"].astype(str))
    for name, sha in sorted(pairs):
        digest.update(f"{name}\t{sha}\n".encode())
    return digest.hexdigest()


@dataclass
class _FileResult:
    source_file: str
    format: str
    encoding: str
    sha256: str
    records: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    rejects: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""
    #: Loaded records already turned into canonical frames (columnar text takes far less
    #: memory than record dicts: a big file never holds all its records as dicts at once).
    frames: list[pd.DataFrame] = field(default_factory=list)
    n_framed: int = 0

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

    def flush(self) -> None:
        """Turn the pending records into a canonical frame."""
        rows = self.take_rows()
        if rows:
            self.frames.append(to_frame(rows))

    def take_rows(self) -> list[dict[str, object]]:
        """The pending records as article rows (source and id columns filled); none stay pending."""
        rows = []
        for _, rec in self.records:
            rec = dict(rec, source_file=self.source_file, source_format=self.format)
            if not rec.get("article_id"):
                rec["article_id"] = stable_article_id(
                    str(rec.get("outlet", "")), str(rec.get("title", "")), rec.get("published")
                )
            rows.append(rec)
        self.n_framed += len(rows)
        self.records = []
        return rows


#: Records turned into a frame at a time.
_FRAME_ROWS = 5_000


def load_corpus(
    sources: str | Path | Iterable[str | Path],
    *,
    limit: int | None = None,
    dedup: bool = True,
    on_error: str = "raise",
    progress: bool | None = None,
    cache: bool = False,
) -> Corpus:
    """Load news pages, BigKinds exports and tidy tables into one canonical corpus.

    ``sources``: a file or folder, or a list of them; folders are read recursively (hidden files
    skipped; files with unknown extensions listed in the manifest as ``skipped``).
    ``limit``: stop after this many loaded articles (a quick look at a big corpus).
    ``dedup``: flag syndicated copies and near-duplicates (``dup_group``, ``is_duplicate``).
    ``on_error``: ``"raise"`` (default) raises CorpusError for a file that is not a corpus;
    ``"skip"`` lists it in the manifest with the reason and goes on.
    ``progress``: a progress bar over files (default: when there are more than 20).
    ``cache``: reuse the result of an earlier load of the same files with the same options
    (Parquet under ``lib.paths.CACHE_DIR``; any change to a file, option or the loader's code
    makes a new entry). Notebooks and reports rerun on one corpus many times.
    """
    if on_error not in {"raise", "skip"}:
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    roots = [sources] if isinstance(sources, (str, Path)) else list(sources)
    if not roots:
        raise CorpusError("no corpus paths given")
    files = list(_walk([Path(r) for r in roots]))
    sources_shown = tuple(shown for _, shown, _ in files)
    key = ""
    if cache:
        options = {"limit": limit, "dedup": dedup, "on_error": on_error}
        key = corpus_cache.cache_key(files, options)
        cached = corpus_cache.read_cached(key)
        if cached is not None:
            return Corpus(**cached, sources=sources_shown)
    show = progress if progress is not None else len(files) > 20
    results: list[_FileResult] = []
    loaded = 0
    for path, shown_as, skip_reason in tqdm(files, desc="reading corpus", unit="file", disable=not show):
        if limit is not None and loaded >= limit:
            break
        if skip_reason:
            results.append(_FileResult(shown_as, "skipped", "", _sha256(path), note=skip_reason))
            continue
        try:
            result = _read_file(path, shown_as, budget=None if limit is None else limit - loaded)
        except CorpusError as err:
            if on_error == "raise":
                raise
            result = _FileResult(shown_as, "skipped", "", _sha256(path), note=str(err))
        except OSError as err:
            # Unreadable (permissions, a vanished file): listed with the reason, never a traceback.
            reason = f"unreadable: {err.strerror or err}"
            warnings.warn(f"{shown_as}: {reason}", stacklevel=2)
            result = _FileResult(shown_as, "skipped", "", "", note=reason)
        loaded += result.rows_loaded
        results.append(result)
    if limit != 0 and not any(r.format != "skipped" for r in results):
        skipped = "; ".join(f"{r.source_file} ({r.note})" for r in results[:5])
        where = ", ".join(str(r) for r in roots)
        raise CorpusError(
            f"{where}: no news pages, BigKinds exports or tables found"
            + (f"; skipped: {skipped}" if skipped else " (the folder is empty)")
        )
    corpus = _assemble(results, dedup=dedup, sources=sources_shown)
    if cache:
        corpus_cache.write_cached(
            key, {"articles": corpus.articles, "rejects": corpus.rejects, "manifest": corpus.manifest}
        )
    return corpus


def _walk(roots: list[Path]) -> Iterator[tuple[Path, str, str]]:
    """Yield ``(path, shown_as, skip_reason)``; shown_as never holds a machine path.

    Folders are read recursively in name order, following symbolic links once: a folder or file
    reached a second time (a link loop, two links to one file) is listed as skipped with the
    first name it was read under. Unreadable folders, broken links and special files are listed
    as skipped with the reason; nothing under a root is left out of the manifest but hidden names.
    """
    repo = paths.ROOT.resolve()
    seen: dict[tuple[int, int], str] = {}
    for given in roots:
        if not given.exists():
            broken = " (a broken symbolic link)" if given.is_symlink() else ""
            raise CorpusError(f"{given}: no such file or folder{broken}")
        root = given.resolve()
        # Shown relative to the repository when inside it, else to the folder holding the input.
        base = repo if root == repo or repo in root.parents else root.parent
        if not root.is_dir():
            yield root, root.relative_to(base).as_posix(), _seen_before(root, root.relative_to(base).as_posix(), seen)
            continue
        yield from _walk_folder(root, root.relative_to(base).as_posix(), seen)


def _walk_folder(folder: Path, shown: str, seen: dict[tuple[int, int], str]) -> Iterator[tuple[Path, str, str]]:
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
        entry_shown = f"{shown}/{entry.name}"
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            yield path, entry_shown, f"unreadable: {exc.strerror or exc}"
            continue
        if is_dir:
            yield from _walk_folder(path, entry_shown, seen)
        elif is_file:
            skip = _seen_before(path, entry_shown, seen)
            ext = path.suffix.lower()
            if not skip and ext not in KNOWN_EXTENSIONS:
                skip = f"unknown extension '{ext or path.name}'"
            yield path, entry_shown, skip
        elif entry.is_symlink():
            yield path, entry_shown, "broken symbolic link"
        else:
            yield path, entry_shown, "not a regular file (a pipe, socket or device)"


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


#: Text files larger than this are not news pages (pages are read whole).
MAX_PAGE_BYTES = 8 << 20


def _read_file(path: Path, shown: str, *, budget: int | None) -> _FileResult:
    """Read one file into records and rejects; OSError when it cannot be read."""
    scan = textio.scan_file(path)
    if not scan.head.strip() and scan.size <= len(scan.head):
        raise CorpusError(f"{shown}: empty file, expected a news page, BigKinds export or table")
    textio.reset_replaced_bytes()
    notes = streams.StreamNotes()
    fmt, encoding, items = _sniff(path, scan, shown, notes)
    result = _FileResult(shown, fmt, encoding, scan.sha256)
    tally: Counter[str] = Counter()
    for label, item in items:
        if isinstance(item, str):
            result.rejects.append((label, item))
            continue
        if fmt == "page":
            rec: dict[str, object] | RecordError = item
        else:
            if not notes.header:
                notes.header = [str(k) for k in item]
            if result.format == "rows":
                result.format = "bigkinds" if bigkinds.is_bigkinds_header(list(item)) else "table"
            reader = bigkinds.record_from_cells if result.format == "bigkinds" else tables.record_from_cells
            rec = reader(item)
        rec = _finish(rec, result.format, tally)
        if isinstance(rec, RecordError):
            result.rejects.append((label, str(rec)))
        else:
            result.keep(label, rec)
            if budget is not None and result.rows_loaded >= budget:
                break
    items.close()
    if result.format == "rows":
        result.format = "bigkinds" if bigkinds.is_bigkinds_header(notes.header) else "table"
    if result.format == "table":
        extra = tables.unknown_columns(notes.header)
        if extra:
            notes.items.insert(0, f"ignored columns: {', '.join(extra)}")
    result.note = "; ".join(filter(None, [*notes.items, *_tally_notes(tally, textio.replaced_bytes(), encoding)]))
    if result.format == "bigkinds" and result.rows_read == bigkinds.ROW_CAP:
        cap = (
            f"exactly {bigkinds.ROW_CAP:,} rows: BigKinds cuts larger downloads at this size, "
            "so this slice is probably incomplete; download it in smaller date ranges"
        )
        warnings.warn(f"{shown}: {cap}", stacklevel=3)
        result.note = "; ".join(filter(None, [result.note, cap]))
    return result


def _finish(rec: dict[str, object] | RecordError, kind: str, tally: Counter[str]) -> dict[str, object] | RecordError:
    """Checks every format shares: text repaired and counted, a visible title, a plausible date,
    and a BigKinds identifier that is really one (else the row is matched by content)."""
    if isinstance(rec, RecordError):
        return rec
    for key, value in rec.items():
        if isinstance(value, str) and textio.needs_repair(value):
            fixed, made = textio.repair_text(value)
            if made:
                rec[key] = fixed.strip()
                tally.update(made)
    title = str(rec.get("title", ""))
    if textio.is_invisible(title):
        shown = " ".join(f"U+{ord(c):04X}" for c in title[:6])
        return RecordError(f"no title (only invisible characters: {shown})" if title else "no title")
    published = rec.get("published")
    if isinstance(published, pd.Timestamp) and not pd.isna(published):
        try:
            check_range(published, published.isoformat())
        except RecordError as err:
            return err
    if kind == "bigkinds" and not bigkinds.is_valid_id(str(rec.get("article_id", ""))):
        rec["article_id"] = ""
        tally["mangled identifiers"] += 1
    return rec


def _tally_notes(tally: Counter[str], replaced: int, encoding: str) -> list[str]:
    notes = []
    mangled = tally.pop("mangled identifiers", 0)
    if mangled:
        notes.append(
            f"{mangled} 뉴스 식별자 values are not in BigKinds' 26-character form "
            "(a spreadsheet program may have turned them into numbers): those rows get a content "
            "hash as article_id and are matched to copies by title, date and body, never by identifier"
        )
    if tally:
        notes.append("text repairs: " + ", ".join(f"{n} {what}" for what, n in sorted(tally.items())))
    if replaced and encoding not in {"binary (xlsx)", "binary (parquet)"}:
        notes.append(f"{replaced} undecodable byte(s) replaced with U+FFFD (not {encoding})")
    return notes


def _sniff(path: Path, scan: textio.FileScan, shown: str, notes: streams.StreamNotes) -> tuple[str, str, Iterator]:
    """Decide the format from content; return (format, encoding, items).

    Items are ``(label, cells)`` for rows of a table, ``(label, record or RecordError)`` for a
    page, or ``(label, reason)`` for a flaw found while splitting. The format is ``"rows"`` when
    the header decides it (BigKinds or canonical), which ``_read_file`` settles on the first row.
    """
    head = scan.head
    ext = path.suffix.lower()
    if head[:4] == b"PK\x03\x04" or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if head[:4] == b"PK\x03\x04":
            streams.check_workbook_size(path, shown)
        items = streams.iter_workbook(
            path, is_header=_is_header, missing_headers=bigkinds.missing_headers, shown=shown, notes=notes
        )
        return "rows", "binary (xlsx)", _primed(items)
    if head[:4] == b"PAR1":
        return "table", "binary (parquet)", _primed(_parquet_items(path, shown))
    textio.check_decodable(scan, shown)
    encoding = scan.encoding
    head_text = head.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace").lstrip("\ufeff")
    lines = head_text.splitlines()
    if scan.size > len(head) and lines:
        lines = lines[:-1]  # the last line of the head may be cut
    if head_text.lstrip().startswith("{"):
        return "table", encoding, _primed(_json_items(path, encoding, shown))
    found = streams.find_header(lines, _is_header)
    if found is not None:
        index, sep, header = found
        if sep not in {",", "\t"}:
            notes.add(f"delimiter {sep!r}")
        return "rows", encoding, _primed(_delimited_items(path, encoding, sep, index, header, notes))
    if scan.size <= MAX_PAGE_BYTES:
        text = normalize_text(path.read_bytes().decode(encoding, errors="corpus-count").lstrip("\ufeff"))
        if pages.looks_like_page(text):
            return "page", encoding, _primed(iter([("page", _parse_page(text, shown))]))
    first = lines[0][:80] if lines else ""
    if ext in {".csv", ".tsv", ".xlsx", ".xls"}:
        raise CorpusError(
            f"{shown}: a table without the BigKinds headers ({', '.join(bigkinds.REQUIRED)}) "
            f"or the canonical columns (title, body) in its first {streams.HEADER_SEARCH_ROWS} lines "
            f"(delimiters tried: comma, tab, semicolon, bar; line 1: {first!r})"
        )
    raise CorpusError(
        f"{shown}: not a corpus file: expected a saved news page, a BigKinds export "
        "(xlsx/csv with its 19 headers) or a table with title and body columns"
    )


def _is_header(columns: list[str]) -> bool:
    return bigkinds.is_bigkinds_header(columns) or tables.is_canonical_header(columns)


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


def _json_items(path: Path, encoding: str, shown: str) -> Iterator:
    with textio.open_text(path, encoding) as stream:
        yield from streams.iter_json_lines(stream, is_header=tables.is_canonical_header, shown=shown)


def _parquet_items(path: Path, shown: str) -> Iterator:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
        columns = [str(c) for c in parquet.schema_arrow.names]
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorpusError(f"{shown}: unreadable Parquet file ({exc})") from exc
    if not tables.is_canonical_header(columns):
        raise CorpusError(
            f"{shown}: a Parquet file must be in the canonical schema (title plus body or keywords); "
            f"its columns: {', '.join(columns[:10])}"
        )
    row = 1
    try:
        for batch in parquet.iter_batches(batch_size=4096):
            for cells in batch.to_pylist():
                row += 1
                yield f"row {row}", cells
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise CorpusError(f"{shown}: unreadable Parquet file after row {row} ({exc})") from exc


def _parse_page(text: str, shown: str) -> dict[str, object] | RecordError:
    try:
        return pages.parse_page(text, source_file=shown)
    except RecordError as err:
        return err


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
        for label, reason in res.rejects:
            reject_rows.append({"source_file": res.source_file, "record": label, "reason": reason})
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
    if dedup:
        articles = find_duplicates(articles)
    else:
        articles["dup_group"] = range(len(articles))
    rejects = pd.DataFrame(reject_rows, columns=list(REJECT_COLUMNS)).astype(str)
    manifest = pd.DataFrame(manifest_rows, columns=list(MANIFEST_COLUMNS))
    manifest[["rows_read", "rows_loaded", "rows_rejected"]] = manifest[
        ["rows_read", "rows_loaded", "rows_rejected"]
    ].astype("int64")
    return Corpus(articles=articles, rejects=rejects, manifest=manifest, sources=sources)
