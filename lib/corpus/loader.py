"""``load_corpus``: every supported file under the given paths → articles, rejects, manifest.

Formats are detected from content, not only from the extension:

* a zip workbook (xlsx) or an OLE workbook (xls) with the BigKinds headers → ``bigkinds``;
  with the canonical headers → ``table``;
* Parquet (``PAR1`` magic) in the canonical schema → ``table``;
* text: NewsML XML (also when saved as ``.txt``) → ``bigkinds``; a saved HTML/MHTML page →
  ``page``; JSON lines or a JSON array of articles → ``table``; a CSV/TSV whose header is
  BigKinds' (full or trimmed) → ``bigkinds``; a CSV/TSV whose columns map onto the schema
  (``lib.corpus.columns``: Naver, AI-Hub, scraper names, or the caller's ``columns=``) →
  ``table``; a saved news page (text dump) → ``page``.

Nothing is dropped silently: each record ends in ``articles`` or in ``rejects`` with a reason,
and the manifest's ``rows_read == rows_loaded + rows_rejected`` for every file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from lib import paths
from lib.corpus import bigkinds, newsml, pages, tables
from lib.corpus import cache as corpus_cache
from lib.corpus import columns as column_map
from lib.corpus import html as html_pages
from lib.corpus.dedup import find_duplicates
from lib.corpus.errors import CorpusError, RecordError
from lib.corpus.schema import (
    MANIFEST_COLUMNS,
    REJECT_COLUMNS,
    normalize_text,
    stable_article_id,
    to_frame,
)
from lib.corpus.textio import decode_bytes

#: Extensions read when walking a folder; other files are listed in the manifest as skipped.
KNOWN_EXTENSIONS = frozenset(
    {".txt", ".text", ".xlsx", ".xlsm", ".xls", ".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq", ".xml"}
    | html_pages.HTML_EXTENSIONS
)
#: Environment variable that sets the default ``on_error`` policy (``raise`` for strict CI runs).
ON_ERROR_ENV = "CORPUS_ON_ERROR"

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
        digest.update(f"{name}\t{sha}\n".encode("utf-8"))
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

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.rejects)


def load_corpus(
    sources: str | Path | Iterable[str | Path],
    *,
    limit: int | None = None,
    dedup: bool = True,
    on_error: str | None = None,
    columns: Mapping[str, str] | None = None,
    progress: bool | None = None,
    cache: bool = False,
) -> Corpus:
    """Load news pages, BigKinds exports and tidy tables into one canonical corpus.

    ``sources``: a file or folder, or a list of them; folders are read recursively (hidden files
    skipped; files with unknown extensions listed in the manifest as ``skipped``).
    ``limit``: stop after this many loaded articles (a quick look at a big corpus).
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
    """
    if on_error is None:
        on_error = os.environ.get(ON_ERROR_ENV) or "skip"
    if on_error not in {"raise", "skip"}:
        raise ValueError(f"on_error must be 'raise' or 'skip', not {on_error!r}")
    bad_targets = {src: dst for src, dst in (columns or {}).items() if dst not in column_map.MAPPABLE}
    if bad_targets:
        raise ValueError(
            f"columns={bad_targets!r}: not fields of the article schema; use {', '.join(column_map.MAPPABLE)}"
        )
    roots = [sources] if isinstance(sources, (str, Path)) else list(sources)
    if not roots:
        raise CorpusError("no corpus paths given")
    files = list(_walk([Path(r) for r in roots]))
    sources_shown = tuple(shown for _, shown, _ in files)
    key = ""
    if cache:
        options = {"limit": limit, "dedup": dedup, "on_error": on_error, "columns": dict(columns or {})}
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
            results.append(_FileResult(shown_as, SKIPPED, "", _sha256(path), note=skip_reason))
            continue
        try:
            result = _read_file(path, shown_as, budget=None if limit is None else limit - loaded, columns=columns)
        except CorpusError as err:
            if on_error == "raise":
                raise
            result = _FileResult(shown_as, REFUSED, "", _sha256(path), note=str(err))
        loaded += len(result.records)
        results.append(result)
    if limit != 0 and not any(r.format not in NOT_READ for r in results):
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
    """Yield ``(path, shown_as, skip_reason)``; shown_as never holds a machine path."""
    repo = paths.ROOT.resolve()
    for given in roots:
        if not given.exists():
            raise CorpusError(f"{given}: no such file or folder")
        root = given.resolve()
        # Shown relative to the repository when inside it, else to the folder holding the input.
        base = repo if root == repo or repo in root.parents else root.parent
        if root.is_file():
            yield root, root.relative_to(base).as_posix(), ""
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            ext = path.suffix.lower()
            skip = "" if ext in KNOWN_EXTENSIONS else f"unknown extension '{ext or path.name}'"
            yield path, path.relative_to(base).as_posix(), skip


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_file(
    path: Path, shown: str, *, budget: int | None, columns: Mapping[str, str] | None = None
) -> _FileResult:
    data = path.read_bytes()
    if not data.strip():
        raise CorpusError(f"{shown}: empty file, expected a news page, BigKinds export or table")
    sha = hashlib.sha256(data).hexdigest()
    fmt, encoding, records, note = _sniff(data, shown, path.suffix.lower(), columns)
    if fmt == SKIPPED:
        return _FileResult(shown, SKIPPED, "", sha, note=note)
    result = _FileResult(shown, fmt, encoding, sha, note=note)
    for label, rec in records:
        if isinstance(rec, RecordError):
            result.rejects.append((label, str(rec)))
        else:
            result.records.append((label, rec))
            if budget is not None and len(result.records) >= budget:
                break
    if fmt == "bigkinds":
        ids = [str(rec.get("article_id", "")) for _, rec in result.records]
        mangled = sum(bool(i) and not bigkinds.is_valid_id(i) for i in ids)
        if mangled:
            result.note = "; ".join(filter(None, [result.note, (
                f"{mangled} 뉴스 식별자 values are not in BigKinds' 26-28-character form "
                "(a spreadsheet program may have turned them into numbers): "
                "duplicates across files cannot be matched by identifier for those rows"
            )]))
    if fmt == "bigkinds" and result.rows_read == bigkinds.ROW_CAP:
        cap = (
            f"exactly {bigkinds.ROW_CAP:,} rows: BigKinds cuts larger downloads at this size, "
            "so this slice is probably incomplete; download it in smaller date ranges"
        )
        warnings.warn(f"{shown}: {cap}", stacklevel=3)
        result.note = "; ".join(filter(None, [result.note, cap]))
    return result


def _sniff(
    data: bytes, shown: str, ext: str, columns: Mapping[str, str] | None = None
) -> tuple[str, str, Iterator[Record], str]:
    """Decide the format from content; return (format, encoding, records, note)."""
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        frame = _read_workbook(data, shown)
        fmt, records, note = _frame_records(frame, shown, "workbook", columns)
        return fmt, "binary (xlsx)", records, note
    if data[:4] == b"PAR1":
        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except (OSError, ValueError) as exc:
            raise CorpusError(f"{shown}: unreadable Parquet file ({exc})") from exc
        fmt, records, note = _frame_records(frame, shown, "Parquet file", columns)
        if fmt != "table":
            raise CorpusError(f"{shown}: a Parquet file must be a table of articles, not a BigKinds export")
        return fmt, "binary (parquet)", records, note
    raw, encoding = decode_bytes(data, source=shown)
    text = normalize_text(raw)
    head = text.lstrip()
    if newsml.looks_like_newsml(head):
        return "bigkinds", encoding, newsml.iter_records(text), "NewsML"
    if html_pages.looks_like_html(head):
        return "page", encoding, iter([("page", _parse_html(text))]), "HTML page"
    if head.startswith("[") or (ext == ".json" and head.startswith("{")):
        found = _json_document(text, shown, columns)
        if found is not None:
            return "table", encoding, found[0], found[1]
        if ext == ".json":
            return SKIPPED, encoding, iter(()), "JSON without a list of articles (not read)"
    if head.startswith("{"):
        records, note = _jsonl_records(text, shown, columns)
        return "table", encoding, records, note
    first_line = head.split("\n", 1)[0]
    sep = "\t" if first_line.count("\t") > first_line.count(",") else ","
    header = [h.strip().strip('"') for h in next(csv.reader([first_line], delimiter=sep), [])]
    mapped = _usable_map(header, columns, shown) if len(header) > 1 else None
    if bigkinds.is_bigkinds_header(header) or mapped is not None:
        frame, bad = _read_csv(text, sep, shown)
        fmt, records, note = _frame_records(frame, shown, "CSV file", columns)
        return fmt, encoding, _chain_bad_lines(records, bad), note
    if pages.looks_like_page(text):
        return "page", encoding, iter([("page", _parse_page(text, shown))]), ""
    if ext in {".csv", ".tsv", ".xlsx", ".xls"} or (len(header) > 2 and ext not in {".txt", ".text"}):
        raise CorpusError(_refusal(shown, "table", header, columns))
    raise CorpusError(
        f"{shown}: not a corpus file: expected a saved news page, a BigKinds export "
        "(xlsx/csv with its 19 headers), NewsML, HTML, or a table with title and body columns"
    )


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


def _refusal(shown: str, what: str, found: list[str], columns: Mapping[str, str] | None = None) -> str:
    """A refused table's message: what is missing, the columns found, the mapping to pass."""
    missing = ", ".join(bigkinds.missing_headers(found))
    shown_cols = ", ".join(repr(c) for c in found[:30]) + (" …" if len(found) > 30 else "")
    unused = ""
    if columns and _explicit(found, columns) is None:
        absent = [src for src in columns if str(src).strip() not in {str(h).strip() for h in found}]
        unused = f" (columns= names {', '.join(repr(a) for a in absent)}, which this file does not have)"
    return (
        f"{shown}: a {what} without the BigKinds headers (missing: {missing}) or a recognised text "
        f"column (body, 본문, content, description, …); columns found: {shown_cols}{unused}. Name its "
        f"columns with {column_map.suggest_mapping(found)}, or add the names to "
        "lib/resources/column_aliases.tsv"
    )


def _parse_html(text: str) -> dict[str, object] | RecordError:
    try:
        return html_pages.parse_html(text)
    except RecordError as err:
        return err


def _parse_page(text: str, shown: str) -> dict[str, object] | RecordError:
    try:
        return pages.parse_page(text, source_file=shown)
    except RecordError as err:
        return err


def _read_workbook(data: bytes, shown: str) -> pd.DataFrame:
    try:
        return pd.read_excel(io.BytesIO(data), engine="calamine", dtype=str, header=0)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise CorpusError(f"{shown}: unreadable workbook ({type(exc).__name__}: {exc})") from exc


def _frame_records(
    frame: pd.DataFrame, shown: str, what: str, columns: Mapping[str, str] | None = None
) -> tuple[str, Iterator[Record], str]:
    names = [str(c) for c in frame.columns]
    if _explicit(names, columns) is None and bigkinds.is_bigkinds_header(names):
        return "bigkinds", bigkinds.iter_records(frame), ""
    mapped = _usable_map(names, columns, shown)
    if mapped is None:
        raise CorpusError(_refusal(shown, what, names, columns))
    return "table", tables.iter_records(frame, mapped), _map_note(mapped)


def _map_note(mapped: column_map.ColumnMap) -> str:
    notes = [mapped.note()]
    if "title" not in mapped.targets:
        notes.append("no title column: each title is the first sentence of its body")
    return "; ".join(n for n in notes if n)


def _read_csv(text: str, sep: str, shown: str) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Read CSV text as strings; malformed lines become (label, reason) pairs, not failures."""
    options = dict(sep=sep, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    try:
        return pd.read_csv(io.StringIO(text), **options), []
    except pd.errors.ParserError:
        pass
    bad: list[tuple[str, str]] = []
    n_fields = len(next(csv.reader(io.StringIO(text), delimiter=sep)))

    def keep(fields: list[str]) -> None:
        bad.append(("line", f"malformed CSV line: expected {n_fields} fields, got {len(fields)}"))
        return None

    try:
        frame = pd.read_csv(io.StringIO(text), engine="python", on_bad_lines=keep, **options)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise CorpusError(f"{shown}: malformed CSV ({exc})") from exc
    return frame, bad


def _chain_bad_lines(records: Iterator[Record], bad: list[tuple[str, str]]) -> Iterator[Record]:
    yield from records
    for label, reason in bad:
        yield label, RecordError(reason)


def _jsonl_records(
    text: str, shown: str, columns: Mapping[str, str] | None = None
) -> tuple[Iterator[Record], str]:
    """JSON lines: the column map comes from the first object line; returns (records, note)."""
    mapped: column_map.ColumnMap | None = None
    for line in text.split("\n"):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            mapped = _usable_map(list(obj), columns, shown)
            if mapped is None:
                raise CorpusError(_refusal(shown, "JSON lines file", list(obj), columns))
            break
    if mapped is None:
        raise CorpusError(f"{shown}: JSON lines without a single object")
    return _jsonl_rows(text, mapped), _map_note(mapped)


def _jsonl_rows(text: str, mapped: column_map.ColumnMap) -> Iterator[Record]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield label, RecordError(f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield label, RecordError("a JSON line must hold an object")
            continue
        yield label, _object_record(obj, mapped)


def _object_record(obj: dict[str, object], mapped: column_map.ColumnMap) -> dict[str, object] | RecordError:
    values = mapped.row_values(obj.get)
    lead = any(src in mapped.lead_columns for src in mapped.fields)
    return tables.record_from_values(values, lead=lead)


def _json_document(
    text: str, shown: str, columns: Mapping[str, str] | None
) -> tuple[Iterator[Record], str] | None:
    """A JSON array of article objects, or an object holding one (``{"items": […]}``, Naver's API).

    None when the text is not one JSON document or holds no list of objects.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return None
    items = doc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) != 1:
            return None
        items = lists[0]
    if not isinstance(items, list) or not items or not all(isinstance(x, dict) for x in items):
        return None
    keys = list(dict.fromkeys(k for item in items[:50] for k in item))
    mapped = _usable_map(keys, columns, shown)
    if mapped is None:
        raise CorpusError(_refusal(shown, "JSON file", keys, columns))
    records = ((f"item {n}", _object_record(obj, mapped)) for n, obj in enumerate(items, start=1))
    return records, _map_note(mapped)


def _generated_id(rec: dict[str, object], bodies_by_id: dict[str, str]) -> str:
    """A stable id from outlet, title and time; the body joins the key when another record
    already holds that id with a different body (undated rows under one column title)."""
    outlet, title, published = str(rec.get("outlet", "")), str(rec.get("title", "")), rec.get("published")
    news_id = stable_article_id(outlet, title, published)
    body = str(rec.get("body", ""))
    first = bodies_by_id.setdefault(news_id, body)
    if first != body:
        news_id = stable_article_id(outlet, f"{title}\x1f{hashlib.sha256(body.encode('utf-8')).hexdigest()}", published)
        bodies_by_id.setdefault(news_id, body)
    return news_id


def _assemble(results: list[_FileResult], *, dedup: bool, sources: tuple[str, ...]) -> Corpus:
    records: list[dict[str, object]] = []
    bodies_by_id: dict[str, str] = {}
    reject_rows: list[dict[str, str]] = []
    manifest_rows: list[dict[str, object]] = []
    for res in results:
        for _, rec in res.records:
            rec = dict(rec)
            rec["source_file"] = res.source_file
            rec["source_format"] = res.format
            if not rec.get("article_id"):
                rec["article_id"] = _generated_id(rec, bodies_by_id)
            records.append(rec)
        for label, reason in res.rejects:
            reject_rows.append({"source_file": res.source_file, "record": label, "reason": reason})
        manifest_rows.append(
            {
                "source_file": res.source_file,
                "format": res.format,
                "encoding": res.encoding,
                "sha256": res.sha256,
                "rows_read": res.rows_read,
                "rows_loaded": len(res.records),
                "rows_rejected": len(res.rejects),
                "note": res.note,
            }
        )
    articles = to_frame(records)
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
