"""Saved HTML pages (``.html``, ``.htm``, ``.mhtml`` as browsers save them) → article records.

The main text, title, date and byline come from trafilatura (with htmldate for dates), a
maintained extractor that removes navigation, ranking lists and other page chrome. Its text is
then read by the page-dump parser (``lib.corpus.pages``), which splits off captions, bylines and
datelines the same way as for a text dump. The page's own metadata wins where it exists:
``og:title`` / ``<title>`` for the headline, ``article:published_time`` for the time, and
``og:site_name`` or the URL's domain (``outlet_domains.tsv``) for the outlet.

MHTML (a page saved as one file) is a MIME message: its first ``text/html`` part is read.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message
from typing import Any

import pandas as pd

from lib.corpus import pages
from lib.corpus.columns import clean_markup, load_domains, outlet_from_url
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text
from lib.corpus.tables import as_timestamp

HTML_EXTENSIONS = frozenset({".html", ".htm", ".mhtml", ".mht", ".xhtml"})

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.I | re.S
)
_MHTML_HEAD = re.compile(r"^(?:From|Snapshot-Content-Location|Subject|Date|MIME-Version):", re.M)
_META = re.compile(r"<meta\s[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_CANONICAL = re.compile(r"<link\s[^>]*rel=[\"']canonical[\"'][^>]*>", re.I)
#: Site names appended to titles: "헤드라인 - 중도일보", "헤드라인 | 연합뉴스".
_TITLE_SUFFIX = re.compile(r"\s+[-|:·]\s+[^-|:·]{2,30}$")
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.I | re.S)
_SUBTITLE = re.compile(
    r"<(h[1-6]|p|div|strong|span)\b[^>]*class=[\"'][^\"']*\b(?:subheading|sub-title|subtitle|sub_title|article-subtitle)\b"
    r"[^\"']*[\"'][^>]*>(.*?)</\1>",
    re.I | re.S,
)
#: Portals that print other outlets' articles: their site name is not the outlet.
_PORTALS = frozenset(
    {
        "네이버 뉴스",
        "네이버뉴스",
        "NAVER 뉴스",
        "Naver News",
        "다음뉴스",
        "다음 뉴스",
        "Daum 뉴스",
        "v.daum.net",
    }
)
_AUTHOR_KEYS = ("og:article:author", "twitter:creator", "article:publisher", "dable:author")
# Portals print the first publication time in an attribute: data-date-time="2024-04-08 09:31:00".
_DATA_TIME = re.compile(r"data-date-time=[\"'](\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)[\"']")
_TIME_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "pubdate",
    "publish-date",
    "date",
    "dc.date",
)


def looks_like_html(text: str) -> bool:
    """True for an HTML document (doctype or ``<html>``/``<head>`` first) or an MHTML archive."""
    head = text[:4000]
    if _HTML_START.match(head):
        return True
    return bool(_MHTML_HEAD.search(head[:1000])) and "multipart/related" in head.lower()


def html_from_mhtml(text: str) -> str:
    """The HTML of an MHTML archive's first ``text/html`` part ("" when it has none)."""
    message: Message = email.message_from_string(text, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                return payload.decode(charset, errors="replace")
    return ""


def parse_html(text: str) -> dict[str, object]:
    """Parse one saved page (HTML or MHTML text) into article fields (``pages.PAGE_FIELDS``).

    Raises ``RecordError`` (``no title``, ``no body``, ``unparseable date …``) for pages the
    extractor finds no article in.
    """
    markup = html_from_mhtml(text) if not _HTML_START.match(text[:4000]) else text
    if not markup.strip():
        raise RecordError("no HTML part in the MHTML archive")
    meta = _meta(markup)
    doc = _extract(markup)
    if doc is None or not (doc.text or "").strip():
        doc = _extract_deep(markup)
    url = meta.get("og:url") or meta.get("canonical") or (doc.url or "")
    title = _title(meta, doc.title or "")
    if not title:
        raise RecordError("no title")
    text_body = normalize_text(doc.text)
    try:
        record = pages.parse_page(f"{title}\n\n{text_body}")
    except RecordError:
        record = {f: "" for f in pages.PAGE_FIELDS}
        record.update(title=title, body=text_body.strip(), published=None)
    record["title"] = title
    captions = _captions(markup)
    if captions:
        record["captions"] = "\n".join(captions)
        record["body"] = _without_lines(str(record["body"]), captions)
    if not record.get("subtitle"):
        m = _SUBTITLE.search(markup)
        if m:
            record["subtitle"] = _inline_text(m.group(2))
    published = _published(meta, markup, doc.date or "")
    if published is not None:
        record["published"] = published
    if not record.get("reporter") and doc.author:
        record["reporter"] = re.sub(r"\s*기자$", "", normalize_text(doc.author).strip())
    record["url"] = url
    record["outlet"] = (
        _outlet_from_meta(meta)
        or outlet_from_url(url)
        or str(record.get("outlet") or "")
        or normalize_text(doc.sitename or "").strip()
    )
    if not str(record.get("body", "")).strip():
        raise RecordError("no body")
    return record


def _extract(markup: object) -> Any:
    """trafilatura's reading of a page (markup, or a parsed tree); None when it finds nothing."""
    import trafilatura  # imported here: it takes a while, and most corpora hold no HTML

    return trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "outputformat": "%Y-%m-%d %H:%M",
        },
    )


#: libxml2's HTML parser stops reading at this nesting depth; with ``huge_tree`` at HUGE_DEPTH.
PARSER_DEPTH, HUGE_DEPTH = 255, 2047


def _extract_deep(markup: str) -> Any:
    """The reading of a page whose elements nest deeper than the parser reads by default (its
    article text then lies past the cut): parsed again with lxml's ``huge_tree``. RecordError
    ``no body`` when there is still no text, saying so when the page nests too deep."""
    import lxml.etree
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(markup, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError):
        raise RecordError("no body") from None
    depth = _depth(tree)
    if depth < PARSER_DEPTH:
        raise RecordError("no body")
    doc = _extract(tree)
    if doc is not None and (doc.text or "").strip():
        return doc
    if depth >= HUGE_DEPTH:
        raise RecordError(f"no body: the page nests its elements more than {HUGE_DEPTH:,} deep, "
                          "past what the HTML parser reads")
    raise RecordError("no body")


def _depth(tree: Any) -> int:
    """How deep the elements of a parsed page nest."""
    import lxml.etree

    deepest = level = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        level += 1 if event == "start" else -1
        deepest = max(deepest, level)
    return deepest


def _inline_text(fragment: str) -> str:
    return re.sub(r"\s+", " ", clean_markup(normalize_text(fragment))).strip()


def _captions(markup: str) -> list[str]:
    """Photo captions as the page marks them (``<figcaption>``), in page order."""
    found = [_inline_text(c) for c in _FIGCAPTION.findall(markup)]
    return list(dict.fromkeys(c for c in found if c))


def _without_lines(body: str, captions: list[str]) -> str:
    """The body without paragraphs that are a caption (extractors sometimes keep them)."""
    drop = set(captions)
    return "\n\n".join(p for p in body.split("\n\n") if p.strip() not in drop)


def _meta(markup: str) -> dict[str, str]:
    """``<meta property|name=… content=…>`` values, ``<title>`` and the canonical link."""
    found: dict[str, str] = {}
    head = markup[:200_000]
    for tag in _META.findall(head):
        attrs = {k.lower(): (a or b or c) for k, a, b, c in _ATTR.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and "content" in attrs:
            found.setdefault(key, clean_markup(normalize_text(attrs["content"])).strip())
    m = _TITLE_TAG.search(head)
    if m:
        found.setdefault("title", clean_markup(normalize_text(m.group(1))).strip())
    m = _CANONICAL.search(head)
    if m:
        href = {k.lower(): a or b or c for k, a, b, c in _ATTR.findall(m.group(0))}.get("href", "")
        if href.startswith("http"):
            found["canonical"] = href
    return found


def _title(meta: dict[str, str], extracted: str) -> str:
    for candidate in (meta.get("og:title", ""), extracted, meta.get("title", "")):
        text = re.sub(r"\s+", " ", candidate).strip()
        if text:
            site = meta.get("og:site_name", "")
            if site and text.endswith(site):
                text = text[: -len(site)].rstrip(" -|:·")
            elif _TITLE_SUFFIX.search(text) and len(text) > 20:
                stripped = _TITLE_SUFFIX.sub("", text)
                suffix = text[len(stripped) :]
                if (
                    outlet_from_url("https://" + suffix.strip(" -|:·"))
                    or suffix.strip(" -|:·") in _known_outlets()
                ):
                    text = stripped
            return text
    return ""


def _known_outlets() -> set[str]:
    return set(load_domains().values())


def _outlet_from_meta(meta: dict[str, str]) -> str:
    """``og:site_name``; on a portal's page, the article's outlet (``og:article:author``)."""
    site = normalize_text(meta.get("og:site_name", "")).strip()
    if site and site not in _PORTALS:
        return site
    for key in _AUTHOR_KEYS:
        value = normalize_text(meta.get(key, "")).split("|")[0].strip()
        if value and not value.startswith("http") and value not in _PORTALS:
            return value
    return ""


def _published(meta: dict[str, str], markup: str, extracted: str) -> pd.Timestamp | None:
    for key in _TIME_KEYS:
        if meta.get(key):
            try:
                return as_timestamp(meta[key])
            except RecordError:
                continue
    m = _DATA_TIME.search(markup)
    if m:
        return as_timestamp(m.group(1))
    if extracted:
        try:
            return as_timestamp(extracted)
        except RecordError:
            return None
    return None
