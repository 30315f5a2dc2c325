"""News feeds saved as files (RSS 2.0, RSS 1.0/RDF, Atom) → the rows of a table.

Outlets publish their stories as feeds (``/rss/allArticle.xml`` of most regional newsroom
systems), and a Google News search can be saved as one (``news.google.com/rss/search?q=…``).
Each item becomes a row whose columns are the feed's own element names (``title``, ``link``,
``description``, ``content``, ``pubDate``, ``author``, ``source``, ``category``), which the
loader then reads as any table: through the column aliases (``lib/resources/column_aliases.tsv``),
so ``description`` and ``summary`` are a lead (``lead_only``), ``content`` (``content:encoded``)
is the full text, and the outlet comes from ``source`` or else from the link's domain.

Google News items name their outlet in ``<source>`` and again after the headline
(``헤드라인 - 중도일보``); their description only repeats the two. The suffix is taken off the
headline and such a description is not read as text, so the row keeps its headline alone.

The format is recognised from the content (the document's first element is ``rss``, ``feed``
or ``rdf:RDF``), so a feed saved as ``.txt`` or ``.rss`` reads the same. The XML is parsed by
the standard library, which neither fetches external entities nor lets entities expand
without limit: a hostile feed is a reject with the parser's reason. The declaration's encoding
is left out (:func:`lib.corpus.newsml.parse_xml`): the loader has decoded the bytes already, so
an ``euc-kr`` feed reads as a UTF-8 one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from lib.corpus.columns import clean_markup, markup_paragraphs, split_byline
from lib.corpus.errors import RecordError
from lib.corpus.newsml import local_name, parse_xml
from lib.corpus.schema import normalize_text

_ROOT = re.compile(
    r"^(?:<\?[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
    r"<\s*(?:[\w-]+:)?(?P<root>rss|feed|RDF)\b",
    re.IGNORECASE | re.DOTALL,
)
_KINDS = {"rss": "RSS feed", "feed": "Atom feed", "rdf": "RSS 1.0 feed"}
#: Item elements (lower case, no namespace) → the column each becomes, first found wins;
#: ``encoded`` is RSS's ``content:encoded``, the full text where a feed gives it.
_COLUMNS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "summary": "summary",
    "encoded": "content",
    "content": "content",
    "pubdate": "pubDate",
    "date": "pubDate",
    "published": "pubDate",
    "updated": "updated",
    "creator": "author",
    "author": "author",
    "source": "source",
    "category": "category",
}
_GOOGLE_LINK = re.compile(r"https?://news\.google\.[a-z.]+/")
#: Columns whose text may be HTML: read as paragraphs.
_TEXT = frozenset({"description", "summary", "content"})


def feed_kind(text: str) -> str:
    """What feed ``text`` (decoded) is: ``RSS feed``, ``Atom feed`` or ``RSS 1.0 feed`` when its
    first element is ``rss``, an Atom ``feed`` or ``rdf:RDF``; "" when it is not a feed."""
    m = _ROOT.match(text.lstrip()[:4000])
    return _KINDS[m.group("root").lower()] if m else ""


def feed_rows(text: str) -> list[dict[str, str]] | RecordError:
    """The feed's items as rows of ``{column: text}``; a ``RecordError`` when the XML does not
    parse (the reason named)."""
    try:
        root = parse_xml(text)
    except ET.ParseError as exc:
        return RecordError(f"malformed XML ({exc})")
    return [_row(el) for el in root.iter() if local_name(el.tag) in {"item", "entry"}]


def _row(item: ET.Element) -> dict[str, str]:
    row: dict[str, str] = {}
    for el in item:
        column = _COLUMNS.get(local_name(el.tag))
        if column is None or row.get(column):
            continue
        if column == "link":
            # Atom: <link rel="alternate" href="…"/>; RSS: the address as text
            if el.get("rel", "alternate") != "alternate":
                continue
            value = el.get("href") or "".join(el.itertext())
        elif column == "author":
            # Atom: <author><name>…</name><email>…</email></author>
            parts = {local_name(n.tag): "".join(n.itertext()) for n in el.iter()}
            value = " ".join(v for v in (parts.get("name"), parts.get("email")) if v) or "".join(el.itertext())
        else:
            value = "".join(el.itertext())
        value = normalize_text(value).strip()
        row[column] = markup_paragraphs(value) if column in _TEXT else value
    if row.get("author"):  # `홍길동 기자`, or RSS's `hong@example.kr (홍길동)`
        reporter, emails = split_byline(row["author"])
        row["author"] = reporter
        if emails:
            row["email"] = ", ".join(emails)
    updated = row.pop("updated", "")
    if updated and not row.get("pubDate"):  # Atom: the entry's last change when it gives no other
        row["pubDate"] = updated
    _drop_headline_echo(row)
    # Every row has a text column, empty for an item that gives a headline only, and says
    # whether its text is the whole story (content) or a lead (description, summary).
    row.setdefault("content", "")
    row["lead_only"] = "" if row["content"] else "true"
    return row


def _drop_headline_echo(row: dict[str, str]) -> None:
    """Google News: ``헤드라인 - 중도일보`` with ``<source>중도일보</source>`` loses the suffix,
    and its description, Google's own block of links (the headline and the outlet again, or a
    list of other outlets' headlines on the same story), is dropped. In any feed, a description
    that only repeats the headline is dropped."""
    source = row.get("source", "")
    title = row.get("title", "")
    if source and title.endswith(f" - {source}"):
        title = row["title"] = title[: -len(source) - 3].rstrip()
    google = _GOOGLE_LINK.match(row.get("link", "")) is not None
    for column in ("description", "summary"):
        text = _plain(row.get(column, ""))
        if text and (google or text.replace(_plain(source), "").strip() in {_plain(title), ""}):
            del row[column]


def _plain(value: str) -> str:
    return re.sub(r"\s+", " ", clean_markup(value)).strip()
