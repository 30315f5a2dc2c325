"""Column-wise cleaning of table rows: the same results as the per-record functions, in bulk.

A table's rows arrive from ``lib.corpus.streams`` in chunks; this module turns a chunk into
canonical columns at once instead of a dict per row:

* text normalisation (``schema.normalize_text``) runs once over a whole column joined into one
  string with a separator that cannot change under NFC, CR/LF folding or space folding, then
  split again: one regex pass and one NFC check per column instead of one per cell;
* only cells that may need more go through the per-cell Python: repairs (``textio.repair_text``:
  mojibake candidates, controls, surrogates) where the column scan finds a candidate, HTML
  markup where a cell holds ``<`` or ``&``, list printouts where a cell opens with ``[``;
* values that repeat (dates, reporters, outlets, URLs' hosts) are computed once per distinct
  value of the chunk.

Each function here is equal to its per-record counterpart cell for cell; the loader's
reference tests compare both on every fixture.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import pandas as pd

from lib.corpus import textio
from lib.corpus.schema import ARTICLE_COLUMNS, ODD_SPACES, TEXT_COLUMNS, ZERO_WIDTH, normalize_text

if TYPE_CHECKING:
    import pyarrow as pa

# A private-use character: a starter that composes with nothing (NFC leaves the cells on each
# side of it independent), is not a space, control or word character, and is not in real text
# (when a column holds it, that column is normalised cell by cell).
_SEP = "\ue000"

T = TypeVar("T")
#: Every space that ``normalize_text`` folds: a substring search for each is faster than one
#: regex scan of a long text.
_SPACES_TO_FOLD = tuple("\u200b\u200c\u200d\u2060\ufeff\u00a0\u202f\u205f\u3000") + tuple(
    chr(c) for c in range(0x2002, 0x200B)
)


def normalize_column(values: Sequence[str]) -> list[str]:
    """``[normalize_text(v) for v in values]`` for a column of ``str``, in one pass."""
    if not values:
        return []
    big = _normalized(_SEP.join(values), values)
    return [normalize_text(v) for v in values] if big is None else big.split(_SEP)


def _normalized(big: str, values: Sequence[str]) -> str | None:
    """``big`` (``values`` joined with ``_SEP``) with every value normalised; None when a value
    holds the separator itself."""
    if big.count(_SEP) != len(values) - 1:
        return None
    if "\r" in big:
        big = big.replace("\r\n", "\n").replace("\r", "\n")
    if not big.isascii():
        if any(space in big for space in _SPACES_TO_FOLD):
            big = ZERO_WIDTH.sub("", big)
            big = ODD_SPACES.sub(" ", big)
        if not unicodedata.is_normalized("NFC", big):
            big = unicodedata.normalize("NFC", big)
    return big


def cells_as_text(values: Sequence[object], cell: Callable[[object], str], empty: frozenset[str]) -> list[str]:
    """Cells normalised, stripped and emptied like ``cell`` does one at a time.

    ``cell`` is the per-value function (for values that are not text: numbers, dates, None);
    text values are normalised column-wise, stripped, and "" when in ``empty``.
    """
    try:
        big = _SEP.join(values)  # type: ignore[arg-type]
    except TypeError:  # not every value is text
        out: list[object] = list(values)
        text_at = [i for i, v in enumerate(out) if isinstance(v, str)]
        for i, v in enumerate(out):
            if not isinstance(v, str):
                out[i] = cell(v)
        texts = normalize_column([out[i] for i in text_at])  # type: ignore[misc]
        for i, t in zip(text_at, texts):
            t = t.strip()
            out[i] = "" if t in empty else t
        return out  # type: ignore[return-value]
    if not values:
        return []
    joined = _normalized(big, values)  # type: ignore[arg-type]
    if joined is None:
        return [cell(v) for v in values]
    big = joined
    stripped = list(map(str.strip, big.split(_SEP)))
    if any(marker and marker in big for marker in empty):
        return [("" if t in empty else t) for t in stripped]
    return stripped


#: Ranges searched for characters that text cleaning leaves alone in any context (see
#: ``_plain_pattern``): Latin, punctuation, symbols, CJK, Hangul syllables and letters,
#: full-width forms. Code points outside them make a column go through the Python cleaning.
_PLAIN_RANGES = (
    (0x20, 0x7E), (0xA1, 0x24F), (0x2010, 0x2027), (0x2030, 0x205E), (0x2070, 0x2BFF), (0x3001, 0x303F),
    (0x3131, 0x318E), (0x3200, 0x33FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xFF01, 0xFF5E),
)


# Characters that a cleaning step acts on: markup openers, repair candidates (``textio``),
# zero-width and odd spaces and carriage returns (``schema.normalize_text``).
_CLEANED_CHARS = re.compile(
    "[<&\r" + textio.REPAIR_CHARS + ZERO_WIDTH.pattern[1:-1] + ODD_SPACES.pattern[1:-1] + "]"
)


@lru_cache(maxsize=1)
def _plain_pattern() -> str:
    """An RE2 pattern matching a cell that text cleaning may change: a character other than tab,
    line feed, space and the plain characters, or a space of any kind (``str.isspace``) at
    either end.

    Plain characters are those of ``_PLAIN_RANGES`` that are unchanged by NFC on their own, are
    starters (combining class 0) and no space, and that no cleaning step looks at: not ``<``
    or ``&`` (markup), not a mojibake hint, control, odd or zero-width space (``textio``,
    ``schema.normalize_text``). A text of such characters is NFC (none composes with another:
    every second character of a composition is a combining mark or a Hangul vowel or final
    jamo, none of them plain), so normalisation, stripping and repairs return it unchanged.
    """
    plain = [ord("\t"), ord("\n"), ord(" ")]
    for low, high in _PLAIN_RANGES:
        chars = "".join(map(chr, range(low, high + 1)))
        # Characters no cleaning step looks at, then those that NFC keeps and that are starters.
        chars = _CLEANED_CHARS.sub("", chars)
        plain.extend(
            ord(ch)
            for ch in chars
            if unicodedata.combining(ch) == 0 and unicodedata.normalize("NFC", ch) == ch and not ch.isspace()
        )
    spans: list[tuple[int, int]] = []
    for code in plain:
        if spans and spans[-1][1] == code - 1:
            spans[-1] = (spans[-1][0], code)
        else:
            spans.append((code, code))
    allowed = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in spans)
    spaces = "".join(f"\\x{{{c:x}}}" for c in range(0x3001) if chr(c).isspace())
    return f"[^{allowed}]|^[{spaces}]|[{spaces}]$"


def unchanged_by_cleaning(values: "pa.Array", empty: frozenset[str]) -> bool:
    """True when text cleaning (``normalize_text``, strip, ``textio.repair_text``, markup
    removal) returns every cell of an Arrow string array unchanged, and no cell is one of the
    ``empty`` markers: the column can go to the frame as it is, without Python strings.

    Conservative: False may be said of a column that cleaning would leave alone.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(values) == 0:
        return True
    markers = sorted(m for m in empty if m)
    if markers:
        # Only cells as long as a marker can be one: the others are not hashed.
        lengths = pc.binary_length(values)
        sizes = sorted({len(m.encode("utf-8")) for m in markers})
        short = values.filter(pc.is_in(lengths, value_set=pa.array(sizes, type=lengths.type)))
        if len(short) and pc.any(pc.is_in(short, value_set=_marker_set(tuple(markers)))).as_py():
            return False
    return not pc.any(pc.match_substring_regex(values, _plain_pattern())).as_py()


@lru_cache(maxsize=8)
def _marker_set(markers: tuple[str, ...]) -> "pa.Array":
    import pyarrow as pa

    return pa.array(markers, type=pa.string())



def map_distinct(values: Sequence[T], func: Callable[[T], object]) -> list[object]:
    """``[func(v) for v in values]`` with ``func`` called once per distinct (hashable) value."""
    seen: dict[Hashable, object] = {}
    out = []
    for v in values:
        try:
            hit = seen[v]  # type: ignore[index]
        except KeyError:
            hit = seen[v] = func(v)  # type: ignore[index]
        except TypeError:  # unhashable (a list cell): computed each time
            hit = func(v)
        out.append(hit)
    return out


def with_markup_cleaned(values: list[str], clean: Callable[[str], str]) -> list[str]:
    """``clean`` (tags stripped, entities unescaped) on the cells that hold ``<`` or ``&``."""
    big = _SEP.join(values)
    if "<" not in big and "&" not in big:
        return values
    return [clean(v) if ("<" in v or "&" in v) else v for v in values]


def repair_columns(
    columns: dict[str, list[object]], rows: Sequence[int], tallies: dict[int, Counter[str]]
) -> None:
    """``textio.repair_text`` on every ``str`` cell of ``rows`` that may need it, in place.

    A repaired cell is stripped (as the per-record check does); what each row's repairs were is
    added to ``tallies[row]`` so the caller counts them only for rows it keeps.
    """
    if not rows:
        return
    every = len(rows) == min(len(v) for v in columns.values())
    for values in columns.values():
        try:
            probe = _SEP.join(values if every else [values[i] for i in rows])  # type: ignore[misc]
        except TypeError:  # not every value is text
            probe = _SEP.join(values[i] for i in rows if isinstance(values[i], str))  # type: ignore[misc]
        if not textio.needs_repair(probe):
            continue
        for i in rows:
            value = values[i]
            if isinstance(value, str) and textio.needs_repair(value):
                fixed, made = textio.repair_text(value)
                if made:
                    values[i] = fixed.strip()
                    tallies.setdefault(i, Counter()).update(made)


def invisible_titles(titles: Sequence[str]) -> list[int]:
    """Positions of titles that print nothing (``textio.is_invisible``); fast when all are plain."""
    return [i for i, t in enumerate(titles) if textio.is_invisible(t)]


def row_label(row: int, line: int) -> str:
    """A table row's record label: ``row N`` counting the header as row 1, with the first
    line of the row when it differs (``row 7 (line 12)``)."""
    return f"row {row}" if row == line else f"row {row} (line {line})"


#: Cell values that mean "empty" to one table reader or another: an Arrow column holding one
#: is given as a list (``ColumnBlock``).
EMPTY_MARKERS = frozenset({"nan", "None", "NaN"})


@dataclass
class ColumnBlock:
    """Rows of a table given column-wise (what a C parser or a workbook reader gives):
    ``columns`` maps each header to its cells (a later column of a repeated header wins, as in
    a row's dict), as a list (of ``str`` from delimited text; a workbook's cells as read:
    text, numbers, dates), or as an Arrow string array when ``unchanged_by_cleaning`` holds
    for the column (any empty marker: ``EMPTY_MARKERS``); ``rows`` and ``lines`` hold each
    row's number (the header is row 1) and first line."""

    columns: dict[str, "list[str] | pa.Array"]
    rows: np.ndarray
    lines: np.ndarray
    prefix: str = ""  # before each label (``sheet 'name' `` for a workbook's later sheets)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[str] | None:
        """The cells of column ``name`` as a list of ``str`` (None when there is no such column)."""
        values = self.columns.get(name)
        return values if values is None or isinstance(values, list) else values.to_pylist()

    def label(self, i: int) -> str:
        """Row ``i``'s record label, as the row-by-row reader gives it (``row N (line L)``)."""
        return self.prefix + row_label(int(self.rows[i]), int(self.lines[i]))


@dataclass
class Chunk:
    """What a chunk of rows became: per row, a reject reason or None (loaded, in order, as the
    rows of ``frame``); the text repairs and other counts of each row, for the manifest; and
    per rejected row, its ``(article_id, title)`` for ``rejects`` (``schema.reject_identity``;
    a row left out has neither)."""

    reasons: list[str | None]
    frame: pd.DataFrame
    tallies: dict[int, Counter[str]] = field(default_factory=dict)
    identities: dict[int, tuple[str, str]] = field(default_factory=dict)


def to_canonical_frame(columns: dict[str, object], n: int) -> pd.DataFrame:
    """The canonical ``articles`` layout from column lists (missing text columns are "").

    ``published`` is an int64 array of nanoseconds (``NaT`` as numpy's NaT value) or absent.
    Text columns are lists of ``str`` or Arrow string arrays. The dtypes equal those of
    ``schema.to_frame``.
    """
    data: dict[str, object] = {}
    for col in ARTICLE_COLUMNS:
        if col in TEXT_COLUMNS:
            values = columns.get(col)
            if values is not None and not isinstance(values, list):
                import pyarrow as pa

                values = values.cast(pa.large_string())  # an Arrow array: no Python strings
            data[col] = pd.array([""] * n if values is None else values, dtype="str")
        elif col == "published":
            stamps = columns.get(col)
            raw = np.full(n, np.iinfo(np.int64).min, dtype=np.int64) if stamps is None else stamps
            data[col] = np.asarray(raw, dtype=np.int64).view("datetime64[ns]")
        elif col in ("lead_only", "is_duplicate"):
            flags = columns.get(col)
            data[col] = np.zeros(n, dtype=bool) if flags is None else np.asarray(flags, dtype=bool)
        else:  # dup_group
            data[col] = np.full(n, -1, dtype=np.int64)
    return pd.DataFrame(data, columns=list(ARTICLE_COLUMNS))
