"""Column mapping for news tables of any schema, and the cleaning of their text values.

Tables come with the names their source gave them: BigKinds' Korean headers, Naver's search API
(``pubDate, title, description, link, originallink``), AI-Hub's JSON lines (``media, id,
article_original``), scrapers' ``headline``/``content``/``press``. ``lib/resources/
column_aliases.tsv`` lists those names and the canonical field each fills; ``map_columns`` reads a
table's header through it (or through a user's explicit ``columns=`` mapping) and says which
columns it used and which it ignored.

Values are cleaned here too, once, for every mapped table: lists of sentences are joined, HTML
tags are stripped and entities unescaped (Naver wraps matches in ``<b>`` and escapes quotes as
``&quot;``), empty brackets are dropped from reporter fields (``박상익( )``), and the outlet is
named from the URL's domain when the table has no outlet column (``outlet_domains.tsv``), or
for a Naver News address from the press id in it (``naver_press_ids.tsv``).
"""

from __future__ import annotations

import ast
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from lib import paths
from lib.corpus.schema import ARTICLE_COLUMNS
from lib.corpus.textio import read_data_file

ALIASES_FILE: Path = paths.RESOURCES_DIR / "column_aliases.tsv"
DOMAINS_FILE: Path = paths.RESOURCES_DIR / "outlet_domains.tsv"
NAVER_PRESS_FILE: Path = paths.RESOURCES_DIR / "naver_press_ids.tsv"
#: Hosts of Naver News, whose addresses carry the press id of the outlet
#: (``/mnews/article/001/…``, ``read.naver?oid=001&aid=…``).
_NAVER_NEWS_HOSTS = frozenset({"n.news.naver.com", "news.naver.com", "m.news.naver.com"})
_NAVER_PRESS_ID = re.compile(r"/article/(?:comment/)?(\d{3})/\d+|[?&]oid=(\d{3})(?:&|$)")

#: Fields a table may fill (the rest are derived by the loader).
MAPPABLE: tuple[str, ...] = tuple(
    c
    for c in ARTICLE_COLUMNS
    if c not in {"source_file", "source_format", "dup_group", "is_duplicate"}
)
#: A table is usable when it fills the title and one text field.
TEXT_ANY: tuple[str, ...] = ("body", "keywords")

_FOLD = re.compile(r"[\s_\-.()\[\]/]+")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|\[\s*\]|<\s*>|（\s*）)")
_LIST_PRINTOUT = re.compile(r"^\s*\[\s*(['\"]).*\1\s*\]\s*$", re.S)


def fold(name: str) -> str:
    """A column name compared without case, spaces, ``_ - . / ( ) [ ]``: ``Pub_Date`` → ``pubdate``."""
    return _FOLD.sub("", str(name)).lower()


@dataclass(frozen=True)
class Alias:
    field: str
    lead: bool
    rank: int


@lru_cache(maxsize=4)
def load_aliases(path: str | None = None) -> dict[str, Alias]:
    """``{folded alias: Alias}`` from the alias file (default ``lib/resources/column_aliases.tsv``).

    A line naming a field that is not in the schema raises ``ValueError`` with the line number.
    """
    source = Path(path) if path else ALIASES_FILE
    aliases: dict[str, Alias] = {}
    for number, line in enumerate(read_data_file(source).split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if parts[:2] == ["alias", "field"]:
            continue
        if len(parts) < 2:
            raise ValueError(f"{source}:{number}: expected 'alias<TAB>field[<TAB>note]'")
        alias, target = parts[0].strip(), parts[1].strip()
        if target not in MAPPABLE:
            raise ValueError(
                f"{source}:{number}: '{target}' is not a field of the article schema"
            )
        note = parts[2].strip() if len(parts) > 2 else ""
        aliases.setdefault(fold(alias), Alias(target, note.startswith("lead"), len(aliases)))
    return aliases


def _pairs(source: Path, header: str, *, lower: bool = False) -> dict[str, str]:
    """``{key: value}`` of a two-column tab-separated resource file (comments ``#``, the
    header line whose first column is ``header`` and lines without a value left out)."""
    pairs: dict[str, str] = {}
    for line in read_data_file(source).split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        if key != header and value:
            pairs[key.strip().lower() if lower else key.strip()] = value.strip()
    return pairs


@lru_cache(maxsize=4)
def load_domains(path: str | None = None) -> dict[str, str]:
    """``{domain: outlet}`` from ``lib/resources/outlet_domains.tsv`` (or ``path``)."""
    return _pairs(Path(path) if path else DOMAINS_FILE, "domain", lower=True)


@lru_cache(maxsize=4)
def load_naver_press(path: str | None = None) -> dict[str, str]:
    """``{press id: outlet}`` from ``lib/resources/naver_press_ids.tsv`` (or ``path``)."""
    return _pairs(Path(path) if path else NAVER_PRESS_FILE, "press_id")


def outlet_from_url(url: str) -> str:
    """The outlet whose domain hosts ``url`` (``https://m.yna.co.kr/…`` → ``연합뉴스``), or whose
    press id a Naver News address carries (``https://n.news.naver.com/mnews/article/421/…`` →
    ``뉴스1``); "" if unknown."""
    try:
        parts_of = urlsplit(url.strip())
        host = (parts_of.hostname or "").lower()
    except ValueError:
        return ""
    if host in _NAVER_NEWS_HOSTS:
        m = _NAVER_PRESS_ID.search(f"{parts_of.path}?{parts_of.query}")
        return load_naver_press().get(m.group(1) or m.group(2), "") if m else ""
    domains = load_domains()
    parts = host.split(".")
    for k in range(len(parts) - 1):
        outlet = domains.get(".".join(parts[k:]))
        if outlet:
            return outlet
    return ""


#: How the manifest names a column whose header is empty: what pandas writes for a row index.
_UNNAMED = "a column without a name (pandas writes its row index so)"


@dataclass
class ColumnMap:
    """How a table's columns fill the schema: ``{source column: field}`` plus what was left out."""

    fields: dict[str, str] = field(default_factory=dict)
    lead_columns: frozenset[str] = frozenset()
    ignored: list[str] = field(default_factory=list)
    #: field -> further source columns for it, read when the chosen column is empty in a row
    #: (Naver leaves originallink empty for some outlets: its link is used then).
    fallbacks: dict[str, list[str]] = field(default_factory=dict)

    @property
    def targets(self) -> set[str]:
        return set(self.fields.values())

    def usable(self) -> bool:
        """True when the table fills a text field (body or keywords); a title may be derived."""
        return any(t in self.targets for t in TEXT_ANY)

    def row_values(self, get: Callable[[str], object]) -> dict[str, object]:
        """``{field: value}`` of one row; ``get(column)`` reads a source column's value."""
        values: dict[str, object] = {}
        for src, dst in self.fields.items():
            value = get(src)
            for other in self.fallbacks.get(dst, ()):
                if not is_empty(value):
                    break
                value = get(other)
            values[dst] = value
        return values

    def source_columns(self) -> list[str]:
        """Every column a row is read from: the mapped ones, then their fallbacks."""
        extra = [c for cols in self.fallbacks.values() for c in cols]
        return list(dict.fromkeys([*self.fields, *extra]))

    def note(self) -> str:
        """What the manifest says about the mapping: renamed and ignored columns."""
        renamed = [f"{src}→{dst}" for src, dst in self.fields.items() if src != dst]
        spare = [f"{c} (when {dst} is empty)" for dst, cols in self.fallbacks.items() for c in cols]
        used = self.source_columns()
        ignored = [c if c.strip() else _UNNAMED for c in self.ignored if c not in used]
        parts = []
        if renamed:
            parts.append("columns mapped: " + ", ".join(renamed))
        if spare:
            parts.append("also read: " + ", ".join(spare))
        if ignored:
            parts.append("ignored columns: " + ", ".join(ignored))
        return "; ".join(parts)


def map_columns(columns: list[str], explicit: Mapping[str, str] | None = None) -> ColumnMap:
    """Map a table's ``columns`` onto schema fields.

    ``explicit`` is the user's ``{source column: field}`` mapping and wins over everything; then a
    column named like a field; then the alias table, where the alias listed first wins when
    several columns fill one field. Raises ``ValueError`` for an explicit target that is not a
    field or a source column the table does not have.
    """
    names = [str(c) for c in columns]
    stripped = {n.strip(): n for n in names}
    chosen: dict[str, tuple[int, str]] = {}  # field -> (rank, source column)
    losers: dict[str, list[tuple[int, str]]] = {}
    leads: set[str] = set()
    if explicit:
        for src, dst in explicit.items():
            if dst not in MAPPABLE:
                raise ValueError(
                    f"columns={{{src!r}: {dst!r}}}: {dst!r} is not a field; use one of {', '.join(MAPPABLE)}"
                )
            if str(src).strip() not in stripped:
                raise ValueError(
                    f"columns={{{src!r}: {dst!r}}}: the table has no column {src!r} (it has {', '.join(names)})"
                )
            chosen[dst] = (-1, stripped[str(src).strip()])
    aliases = load_aliases()
    taken = {src for _, src in chosen.values()}
    for name in names:
        if name in taken:
            continue
        key = name.strip()
        if key in MAPPABLE:
            alias: Alias | None = Alias(key, False, -1)
        else:
            alias = aliases.get(fold(key))
        if alias is None:
            continue
        current = chosen.get(alias.field)
        if current is None or alias.rank < current[0]:
            chosen[alias.field] = (alias.rank, name)
            if current is not None:
                losers.setdefault(alias.field, []).append(current)
        else:
            losers.setdefault(alias.field, []).append((alias.rank, name))
        if alias.lead:
            leads.add(name)
    fields = {src: dst for dst, (_, src) in chosen.items()}
    ordered = {n: fields[n] for n in names if n in fields}
    ignored = [n for n in names if n not in ordered]
    fallbacks = {
        dst: [src for _, src in sorted(found)] for dst, found in losers.items() if dst in chosen
    }
    return ColumnMap(ordered, frozenset(leads & set(ordered)), ignored, fallbacks)


def is_empty(value: object) -> bool:
    """True for a cell that holds nothing: None, NaN, or text of spaces only."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return isinstance(value, str) and not value.strip()


def suggest_mapping(columns: list[str]) -> str:
    """The ``columns=`` argument a user could pass for a refused table, as Python text."""
    title, text = _likely_title_and_text(columns)
    return f"load_corpus(..., columns={{{title!r}: 'title', {text!r}: 'body'}})"


def suggest_pairs(columns: list[str]) -> str:
    """The same mapping as :func:`suggest_mapping` in the ``name=field,…`` form of the
    ``CORPUS_COLUMNS`` environment variable."""
    title, text = _likely_title_and_text(columns)
    return f"{title}=title,{text}=body"


def _likely_title_and_text(columns: list[str]) -> tuple[str, str]:
    """The columns of a refused table most likely to hold the title and the text."""
    names = [str(c) for c in columns]
    title = next(
        (n for n in names if any(w in fold(n) for w in ("title", "제목", "headline"))), None
    )
    title = title or (names[0] if names else "<title column>")
    rest = [n for n in names if n != title]
    text = next(
        (
            n
            for n in rest
            if any(w in fold(n) for w in ("body", "본문", "text", "content", "내용", "article"))
        ),
        rest[0] if rest else "<text column>",
    )
    return title, text


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def flatten_text(value: object) -> str | None:
    """Join a list-valued text field into sentences; ``None`` when ``value`` is not a list.

    Accepts a list of strings (AI-Hub's ``article_original``), nested lists, dicts holding a
    ``sentence``/``text`` value (AI-Hub's newer ``text: [[{"sentence": …}]]``), and the printed form
    of a Python list (``"['…', '…']"``, what a CSV export of such a column holds).
    """
    if isinstance(value, str):
        if not _LIST_PRINTOUT.match(value):
            return None
        try:
            value = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            return None
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()  # numpy arrays from Parquet list columns
    if not isinstance(value, (list, tuple)):
        return None
    pieces: list[str] = []
    _collect(value, pieces)
    return " ".join(p for p in pieces if p)


def _collect(value: object, out: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, str):
        out.append(value.strip())
    elif isinstance(value, Mapping):
        for key in ("sentence", "text", "content", "value"):
            if key in value:
                _collect(value[key], out)
                return
    elif isinstance(value, (list, tuple)):
        for item in value:
            _collect(item, out)
    else:
        out.append(str(value).strip())


def clean_markup(text: str) -> str:
    """Strip HTML tags and unescape entities: ``<b>세종</b> &quot;AI&quot;`` → ``세종 "AI"``.

    Only tags that start with an ASCII letter are tags; Korean brackets such as ``<사진=…>`` or
    ``<저작권자 …>`` are text and stay.
    """
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


_BLOCK_TAG = re.compile(r"<\s*(?:br\s*/?|/p|/div|/h\d|/li)\s*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]+>")


def markup_paragraphs(raw: str) -> str:
    """Text that may hold HTML (escaped, or in CDATA) → paragraphs separated by blank lines:
    each ``<p>``, ``<br>``, ``<div>``, heading or list item ends one, tags are dropped and
    entities unescaped (a NewsML body kept as HTML, a feed's ``content:encoded``)."""
    if "<" in raw:
        raw = _ANY_TAG.sub("", _BLOCK_TAG.sub("\n", raw))
    raw = html.unescape(raw)
    lines = [re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in raw.split("\n")]
    return "\n\n".join(ln for ln in lines if ln)


def clean_reporter(text: str) -> str:
    """A reporter field without empty brackets: ``박상익( )`` → ``박상익``."""
    return _EMPTY_BRACKETS.sub("", text).strip(" ,")


_BYLINE_WORDS = re.compile(r"\s*(?:기자|특파원|선임기자|객원기자)\s*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
_WRAPPED = re.compile(r"\(\s*([^()]+?)\s*\)")


def split_byline(byline: str) -> tuple[str, list[str]]:
    """A byline element's reporter and e-mail addresses: ``홍길동 기자 hong@example.kr`` →
    ``("홍길동", ["hong@example.kr"])`` (NewsML's ``ByLine``, a feed's ``author``)."""
    emails = _EMAIL.findall(byline)
    name = clean_reporter(_EMAIL.sub("", byline).strip())
    wrapped = _WRAPPED.fullmatch(name)  # RSS's `hong@example.kr (홍길동)`
    name = wrapped.group(1) if wrapped and emails else name
    return clean_reporter(_BYLINE_WORDS.sub("", name).strip()), emails
