"""The canonical article schema: column names, order, kinds, and the helpers that enforce them.

Every loader (pages, BigKinds, tidy tables) produces records with these keys; ``to_frame``
turns them into the one ``articles`` table that every later stage reads.

| column         | kind      | meaning                                                              |
|----------------|-----------|----------------------------------------------------------------------|
| article_id     | str       | BigKinds 뉴스 식별자, a NewsML item's id or a table's id column when given, else a stable hash of outlet+title+published |
| source_file    | str       | the file the record came from (relative to the repo when inside it)  |
| source_format  | str       | ``page``, ``bigkinds`` or ``table``                                  |
| outlet         | str       | as printed; "" when absent                                           |
| section        | str       | section as printed (page bullets; BigKinds 통합 분류1)                |
| reporter       | str       | byline name(s), without 기자                                          |
| email          | str       | as printed (may be truncated, e.g. ``huily@``)                       |
| url            | str       |                                                                      |
| published      | datetime  | Korean wall-clock time, tz-naive; NaT when the source has none      |
| title          | str       | headline                                                             |
| subtitle       | str       |                                                                      |
| body           | str       | article text only: no bylines, captions, copyright or page chrome    |
| captions       | str       | photo captions, newline-joined                                       |
| keywords       | str       | BigKinds 키워드, comma-joined, order and repeats kept                 |
| features       | str       | BigKinds 특성추출, comma-joined                                       |
| places         | str       | BigKinds 위치, comma-joined                                           |
| categories     | str       | BigKinds 통합 분류 1-3, ``|``-joined                                  |
| lead_only      | bool      | True when body is a truncated lead (BigKinds: at most 200 characters) |
| dup_group      | int       | articles sharing a group are copies of one story                     |
| is_duplicate   | bool      | all but one member of each group                                     |
| dateline       | str       | the place of a dateline (``세종=``, ``(대전=뉴스1)``) as printed; ""     |
| region_bullet  | str       | a page's region bullet (``세종``), evidence for region attribution     |

The last two columns extend the design's table: region attribution needs the dateline and the
region bullet, and the page parser removes both from ``body``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id",
    "source_file",
    "source_format",
    "outlet",
    "section",
    "reporter",
    "email",
    "url",
    "published",
    "title",
    "subtitle",
    "body",
    "captions",
    "keywords",
    "features",
    "places",
    "categories",
    "lead_only",
    "dup_group",
    "is_duplicate",
    "dateline",
    "region_bullet",
)

TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in ARTICLE_COLUMNS if c not in {"published", "lead_only", "dup_group", "is_duplicate"}
)

#: The fields that make an article's running text: what the taggers tokenize and the duplicate
#: check shingles, so what :data:`MAX_ARTICLE_CHARS` measures.
ARTICLE_TEXT_FIELDS: tuple[str, ...] = ("title", "subtitle", "body", "captions")

#: Characters of running text (:data:`ARTICLE_TEXT_FIELDS` together) above which a record is
#: rejected as no news article: a page or cell of that size holds a whole site, a file pasted
#: into one cell or a quote left open, and tokenizing it stalls a run (a 10.5-million-character
#: page took 205 s in Kiwi, then counted as one ordinary article). Chosen far above any real
#: article: the two real BigKinds downloads (../shared/real/bigkinds, 1,269 rows) hold 본문
#: leads of at most 200 characters (their 키워드 lists, made from the full texts, at most
#: 6,637), the real seed page's body is 794 and no page, HTML, NewsML, feed or table under
#: tests/fixtures exceeds 486 with its title. The limit stays under the CSV reader's cell limit
#: (``csv.field_size_limit()``, 131,072: a longer cell is already its row's reject), so a
#: body of 100,001 characters is refused alike from a CSV, a workbook, a page or JSON.
MAX_ARTICLE_CHARS = 100_000

#: ``rejects``: the file, the record's place in it (``row 36``, ``item 3``, ``page``), the
#: record's identifier and headline when it was read far enough to have them
#: (:func:`reject_identity`; "" otherwise), and the reason.
REJECT_COLUMNS: tuple[str, ...] = ("source_file", "record", "article_id", "title", "reason")
#: The longest title ``rejects`` lists (a longer one is cut, ending in "…"): a rejected
#: record's title cell may hold a whole text.
REJECT_TITLE_CHARS = 300

MANIFEST_COLUMNS: tuple[str, ...] = (
    "source_file",
    "format",
    "encoding",
    "sha256",
    "rows_read",
    "rows_loaded",
    "rows_rejected",
    "note",
)

# U+00A0 (no-break space), U+3000 (ideographic space), U+2002-U+200A, U+202F, U+205F: all
# arrive in saved Korean pages and must behave like a plain space.
ODD_SPACES = re.compile("[\u00a0\u2002-\u200a\u202f\u205f\u3000]")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def normalize_text(text: object) -> str:
    """NFC-normalise ``text``, turn odd spaces into plain spaces and CRLF/CR into LF.

    Applied once, at the door, to every string a loader reads. ``None``/NaN become "".
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = str(text)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if s.isascii():
        return s
    s = ZERO_WIDTH.sub("", s)
    s = ODD_SPACES.sub(" ", s)
    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def article_chars(record: Mapping[str, object]) -> int:
    """Characters of a record's running text (:data:`ARTICLE_TEXT_FIELDS`; absent fields 0)."""
    values = (record.get(key) for key in ARTICLE_TEXT_FIELDS)
    return sum(len(value) for value in values if isinstance(value, str))


def too_long_reason(n_chars: int) -> str | None:
    """The reject reason of a record whose running text is ``n_chars`` characters long, or None
    when that is within :data:`MAX_ARTICLE_CHARS`."""
    if n_chars <= MAX_ARTICLE_CHARS:
        return None
    return (
        f"text too long for one news article: {n_chars:,} characters of title, subtitle, body and "
        f"captions, over the limit of {MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS, far above any real "
        "article): several articles, or a whole site, in one record?"
    )


def reject_identity(article_id: object, url: object, title: object) -> tuple[str, str]:
    """A rejected record's ``(article_id, title)`` for ``rejects``: its own identifier as read
    (BigKinds 뉴스 식별자, a table's id column, a NewsML id), else its address (a Naver item's
    link); its headline as read with runs of whitespace folded to one space, cut at
    :data:`REJECT_TITLE_CHARS`. "" for what the record does not have (pass "" as ``title`` for
    a record rejected for having no title)."""
    ident = " ".join(normalize_text(article_id).split()) or " ".join(normalize_text(url).split())
    headline = " ".join(normalize_text(title).split())
    if len(headline) > REJECT_TITLE_CHARS:
        headline = headline[: REJECT_TITLE_CHARS - 1].rstrip() + "…"
    return ident, headline


def stable_article_id(outlet: str, title: str, published: object) -> str:
    """A stable id for records without a BigKinds 뉴스 식별자: hash of outlet + title + published."""
    stamp = "" if published is None or pd.isna(published) else pd.Timestamp(published).isoformat()
    key = "\x1f".join((outlet.strip(), title.strip(), stamp))
    return "h" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def to_frame(records: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Build the canonical ``articles`` table from record dicts.

    Missing text fields become "", ``published`` becomes datetime64 (NaT when absent),
    ``lead_only``/``is_duplicate`` bool, ``dup_group`` int. Unknown keys are an error, so a
    loader typo cannot silently drop a field.
    """
    rows = []
    for rec in records:
        unknown = set(rec) - set(ARTICLE_COLUMNS)
        if unknown:
            raise KeyError(f"unknown article fields: {sorted(unknown)}")
        rows.append(rec)
    frame = pd.DataFrame.from_records(rows, columns=list(ARTICLE_COLUMNS))
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype(object).fillna("").astype(str)
    frame["published"] = pd.to_datetime(frame["published"], errors="coerce")
    if frame["published"].dt.tz is not None:
        frame["published"] = frame["published"].dt.tz_localize(None)
    frame["published"] = frame["published"].astype("datetime64[ns]")
    for col in ("lead_only", "is_duplicate"):
        frame[col] = frame[col].astype(object).fillna(False).astype(bool)
    frame["dup_group"] = frame["dup_group"].fillna(-1).astype("int64")
    return frame


def uses_keywords(body: str, keywords: str, lead_only: bool) -> bool:
    """Whether an article is read from its 키워드 list rather than its text.

    True for BigKinds-style rows: a keyword list and a truncated (or missing) body; the list
    covers the whole story, the lead only its first lines.
    """
    return bool(keywords.strip()) and (bool(lead_only) or len(body.strip()) < 300)
