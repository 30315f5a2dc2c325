"""Delimited text split by Arrow's C parser where that gives what the careful reader gives.

``streams.iter_delimited`` splits a file line by line in Python so that every flaw (an unclosed
quote, a stray quote, a row cut short or too long) costs one reject naming its line. That is
exact but slow on big files. ``iter_delimited_blocks`` reads the same rows in blocks of about
``BLOCK_BYTES`` (cut where a record ends) and hands a block to ``pyarrow.csv`` when a scan of
its bytes finds nothing the two readers could treat differently:

* every quote in a regular place: opening a field (after a delimiter or a line end), closing
  one (before a delimiter or a line end), or doubled inside one, so the quotes pair up the same
  way for both readers and none is left open;
* no NUL byte and no carriage return other than in CR LF;
* no line inside a quoted field holding as many delimiters as a row has (the careful reader
  takes such a record for a quote left open: ``streams.iter_delimited``);
* every record with exactly the header's number of fields (Arrow refuses others), none blank
  (the careful reader skips blank rows) and no field longer than ``csv.field_size_limit()``
  (the careful reader rejects such a line);
* text in the file's encoding: UTF-8 that the file scan found clean, or CP949 decoding
  strictly.

From the first block that fails a check to the end of the file, the careful reader takes over
with its line and row numbers continuing, so a flaw gets the careful reader's reject and
message. Blocks that pass come out as ``columnar.ColumnBlock`` (column lists and each row's
number and first line); the careful reader's items come out as they are.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from lib.corpus.columnar import EMPTY_MARKERS, ColumnBlock, unchanged_by_cleaning
from lib.corpus.streams import Item, StreamNotes, iter_delimited

if TYPE_CHECKING:
    import pyarrow as pa

#: Bytes read and parsed at a time (a block ends where a record ends, so it may be longer).
BLOCK_BYTES = 8 << 20
#: Files smaller than this go through the careful reader: below it, starting the C parser's
#: thread and checks costs about what it saves.
MIN_BYTES = 4 << 20
#: Encodings read by the C parser (others go through the careful reader).
ENCODINGS = frozenset({"utf-8", "utf-8-sig", "cp949"})

_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")


def iter_delimited_blocks(
    path: Path, *, encoding: str, sep: str, header: list[str], notes: StreamNotes, block_bytes: int = BLOCK_BYTES
) -> Iterator[Item | tuple[str, ColumnBlock]]:
    """The rows of a delimited file whose header is its first line, after that line.

    ``encoding`` is one of ``ENCODINGS`` (UTF-8 only when the file holds no undecodable byte);
    ``header`` is the header line's fields as ``streams.find_header`` gives them. Yields
    ``(first row's label, ColumnBlock)`` for blocks the C parser read and ``(label, cells or
    reason)`` items, as ``streams.iter_delimited`` gives them, from the first block it did not.
    While a block is cleaned by the caller, the next one is read and parsed in a thread (Arrow
    and file reads release the GIL), so at most two blocks are in memory.
    """
    notes.header = header
    n_fields = len(header)
    sep_byte = sep.encode("ascii")[0]
    with path.open("rb") as handle:
        offset = 3 if encoding == "utf-8-sig" else 0
        handle.seek(offset)
        first = handle.readline()
        if not _header_line_plain(first, sep_byte):
            yield from _careful(path, encoding, sep, header, notes, offset=0, line=1, rows_before=1, header_index=0)
            return
        offset += len(first)
        line, row = 2, 1
        reader = _BlockReader(handle, block_bytes)

        def parse_next() -> tuple[int, _Parsed | None] | None:
            found = reader.next()
            if found is None:
                return None
            block, quotes, ends = found
            return len(block), _parse_block(block, quotes, ends, encoding, sep, sep_byte, n_fields)

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-blocks") as pool:
            future = pool.submit(parse_next)
            while (done := future.result()) is not None:
                size, parsed = done
                future = pool.submit(parse_next)
                columns = None if parsed is None else _columns(parsed.table, header)
                if parsed is None or columns is None:
                    future.cancel()
                    yield from _careful(path, encoding, sep, header, notes, offset=offset, line=line, rows_before=row)
                    return
                n = len(parsed.first_lines)
                if n:
                    block = ColumnBlock(columns, np.arange(row + 1, row + 1 + n), parsed.first_lines + line)
                    yield block.label(0), block
                row += n
                line += parsed.n_lines
                offset += size
                del parsed
                _release_parser_memory()


def _release_parser_memory() -> None:
    """Give the memory Arrow's allocator kept from parsed blocks back to the system (it keeps
    freed pages of the parsing thread's heap otherwise: about 80 MB more on a 300 MB file)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


class _BlockReader:
    """Blocks of whole records from a binary stream positioned at a record's start."""

    def __init__(self, handle: BinaryIO, block_bytes: int) -> None:
        self.handle = handle
        self.block_bytes = block_bytes
        self.pending = b""
        self.at_end = False

    def next(self) -> tuple[bytes, np.ndarray, np.ndarray] | None:
        """``(block, positions of its quotes, positions of its line feeds)``; None at the end.

        A block ends after the last line feed outside quotes of the bytes read (at the end of
        the file: with them); a record longer than a block makes the block longer.
        """
        while True:
            if not self.at_end:
                data = self.handle.read(self.block_bytes)
                self.at_end = len(data) < self.block_bytes
                self.pending += data
            if not self.pending:
                return None
            a = np.frombuffer(self.pending, dtype=np.uint8)
            quotes = np.flatnonzero(a == _QUOTE)
            ends = np.flatnonzero(a == _LF)
            if self.at_end:
                cut = len(self.pending)
            else:
                outside = ends[(np.searchsorted(quotes, ends) & 1) == 0]
                if not len(outside):
                    continue  # one record longer than the bytes read: read on
                cut = int(outside[-1]) + 1
            block, self.pending = self.pending[:cut], self.pending[cut:]
            return block, quotes[quotes < cut], ends[ends < cut]


def _careful(
    path: Path,
    encoding: str,
    sep: str,
    header: list[str],
    notes: StreamNotes,
    *,
    offset: int,
    line: int,
    rows_before: int,
    header_index: int = -1,
) -> Iterator[Item]:
    """``streams.iter_delimited`` over the file from byte ``offset`` (a record's start)."""
    codec = "utf-8" if encoding == "utf-8-sig" and offset else encoding
    with path.open("rb") as raw:
        raw.seek(offset)
        with io.TextIOWrapper(raw, encoding=codec, errors="corpus-count", newline="") as stream:
            yield from iter_delimited(
                stream,
                sep=sep,
                header_index=header_index,
                header=header,
                notes=notes,
                first_line=line,
                rows_before=rows_before,
            )


def _header_line_plain(line: bytes, sep: int) -> bool:
    """True when the header line is one record on one line with regular quotes."""
    if not line.endswith(b"\n") or b"\r" in line[:-2] or b"\x00" in line:
        return False
    a = np.frombuffer(line, dtype=np.uint8)
    return _quotes_regular(a, np.flatnonzero(a == _QUOTE), sep)


def _quotes_regular(a: np.ndarray, quotes: np.ndarray, sep: int) -> bool:
    """True when the quotes of ``a`` (at ``quotes``; ``a`` starts at a record's start) pair up:
    each opening quote after a delimiter, a line end, the start or a closing quote (a doubled
    quote), each closing quote before a delimiter, a line end, the end or an opening quote,
    and none left open."""
    if len(quotes) % 2:
        return False
    if not len(quotes):
        return True
    allowed = np.zeros(256, dtype=bool)
    allowed[[sep, _LF, _CR, _QUOTE]] = True
    opening, closing = quotes[0::2], quotes[1::2]
    before = opening[opening > 0] - 1
    after = closing[closing < len(a) - 1] + 1
    return bool(allowed[a[before]].all() and allowed[a[after]].all())


@dataclass
class _Parsed:
    """A block split by Arrow: its table, each record's first line counted from 0 in the
    block, and the lines the block holds."""

    table: "pa.Table"
    first_lines: np.ndarray
    n_lines: int


def _parse_block(
    block: bytes, quotes: np.ndarray, ends: np.ndarray, encoding: str, sep: str, sep_byte: int, n_fields: int
) -> _Parsed | None:
    """A block of whole records split by Arrow, or None when it needs the careful reader (see
    the module's doc). ``quotes`` and ``ends`` are the positions of its quotes and line feeds."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    if encoding == "cp949":
        try:
            block = codecs.decode(block, "cp949").encode("utf-8")
        except UnicodeDecodeError:
            return None
        a = np.frombuffer(block, dtype=np.uint8)
        quotes, ends = np.flatnonzero(a == _QUOTE), np.flatnonzero(a == _LF)
    else:
        a = np.frombuffer(block, dtype=np.uint8)
    if b"\x00" in block:
        return None
    n_cr = block.count(b"\r")
    if n_cr and n_cr != int((a[ends[ends > 0] - 1] == _CR).sum()):
        return None  # a carriage return that does not end a line with a line feed
    if not _quotes_regular(a, quotes, sep_byte):
        return None
    inside = (np.searchsorted(quotes, ends) & 1).astype(bool)
    if n_fields >= 4 and inside.any() and _swallows(a, ends, inside, sep_byte, n_fields):
        return None
    # A record starts at the block's start and after each line end outside quotes.
    first_lines = np.concatenate(([0], np.flatnonzero(~inside) + 1))
    n_lines = len(ends)
    if len(block) and a[-1] == _LF:
        first_lines = first_lines[:-1]
    else:
        n_lines += 1  # a last line without its line end
    names = [f"f{i}" for i in range(n_fields)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(block),
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=max(1 << 20, len(block) + 1), use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                newlines_in_values=True, ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None  # a row with another number of fields, or text that is not UTF-8
    if table.num_rows != len(first_lines):
        return None
    # Bytes are at least as many as characters: a field under the limit in bytes is under it.
    limit = csv.field_size_limit()
    if any((pc.max(pc.binary_length(column)).as_py() or 0) > limit for column in table.columns):
        return None
    return _Parsed(table, first_lines, n_lines)


def _columns(table: "pa.Table", header: list[str]) -> dict[str, "list[str] | pa.Array"] | None:
    """The table's cells as ``{header: cells}`` (a later column of a repeated header wins):
    Arrow arrays where cleaning leaves every cell alone (``columnar.unchanged_by_cleaning``),
    else lists of ``str``; None when a row is blank (the careful reader skips it)."""
    cells: list[list[str] | pa.Array] = []
    for column in table.columns:
        values = column.combine_chunks()
        cells.append(values if unchanged_by_cleaning(values, EMPTY_MARKERS) else values.to_pylist())
    blank = _blank_rows(cells[0]) if cells else set()
    for values in cells[1:]:
        if not blank:
            break
        blank &= _blank_rows(values)
    if blank:
        return None
    return dict(zip(header, cells))


def _blank_rows(values: "list[str] | pa.Array") -> set[int]:
    """Positions of the cells that hold only spaces or nothing."""
    if isinstance(values, list):
        if all(map(str.strip, values)):
            return set()
        return {i for i, v in enumerate(values) if not v.strip()}
    # Cells unchanged by cleaning hold no space at either end: blank means empty.
    import pyarrow.compute as pc

    return set(np.flatnonzero(pc.equal(pc.binary_length(values), 0).to_numpy(zero_copy_only=False)).tolist())


def _swallows(a: np.ndarray, ends: np.ndarray, inside: np.ndarray, sep: int, n_fields: int) -> bool:
    """True when a line that starts inside a quoted field holds ``n_fields - 1`` delimiters or
    more (the careful reader may take its record for a quote left open)."""
    seps = np.flatnonzero(a == sep)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(a)]))
    counts = np.searchsorted(seps, stops) - np.searchsorted(seps, starts)
    continued = np.concatenate(([False], inside))
    return bool((counts[continued] >= n_fields - 1).any())
