"""Saved HTML pages (``.html``, ``.htm``, ``.mhtml`` as browsers save them) → article records.

The main text, title, date and byline come from trafilatura (with htmldate for dates), a
maintained extractor that removes navigation, ranking lists and other page chrome. Its text is
then read by the page-dump parser (``lib.corpus.pages``), which splits off captions, bylines and
datelines the same way as for a text dump. The page's own metadata wins where it exists:
``og:title`` / ``<title>`` for the headline, ``og:url`` or the canonical link for the address
(else the one a browser notes when saving: ``<!-- saved from url=(0071)https://… -->``), and
``og:site_name`` or the URL's domain (``outlet_domains.tsv``) for the outlet.

The time is the first of: a structured date (``article:published_time`` and the like, a portal's
``data-date-time``, JSON-LD's ``datePublished``), read with its zone and given as Korean
wall-clock time as every date of the corpus is; the stamp the article's text prints; the
labelled stamp the page prints by its headline (``입력 2024년 12월 2일 19:05``, ``승인 …``: the
publication stamp, not ``수정``, as for text dumps); htmldate's guess.

A saved list of stories (a section's page, a reporter's articles, search results: several
headlines or teasers, each with its date) is no article and is refused, with the reason ``a list
of several stories (N dated teasers), not one article: save the article pages themselves``. It
is told by its markup and its text together (``list_teasers``): small items that each link to a
story and print a date of their own make up the extracted text, which reads as a list (dates,
bylines or cut teasers line after line) and holds no paragraph of its own; or, when the
extractor finds next to nothing, the page's address names a list (``list_news.php``,
``articleList.html``). A page that shows itself an article (``og:type`` article, a published
time, a labelled 입력/승인 stamp, which marks an article as in a text dump, or an article's
address) is refused only when its address names a list; an article's boxes of related or
latest stories, dated as they are, never make it one.

MHTML (a page saved as one file) is a MIME message: its first ``text/html`` part is read, in
the charset its MIME header names; a part whose header names none (Chrome writes
``Content-Type: text/html`` alone) is read as a file's bytes are (``textio.decode_bytes``):
UTF-8 when the bytes are, else CP949, else whatever charset-normalizer finds. EUC-KR is read
as CP949, the superset Korean pages are written in.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import html as html_text
import json
import re
from email.message import Message
from typing import Any

import pandas as pd

from lib.corpus import pages, textio
from lib.corpus.columns import clean_markup, load_domains, outlet_from_url
from lib.corpus.errors import CorpusError, RecordError
from lib.corpus.newsml import without_declaration
from lib.corpus.schema import normalize_text, reject_identity
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
#: The address a browser notes when it saves a page: ``<!-- saved from url=(0071)https://… -->``.
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
_JSON_LD = re.compile(
    r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)
#: What a browser shows as a line break: block elements' tags. Other tags join their text.
_BLOCK_TAG = re.compile(
    r"<(?:br|/?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|section|article|header|footer"
    r"|aside|nav|main|figure|figcaption|blockquote))\b[^>]*>", re.I)
_HIDDEN = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_ANY_TAG = re.compile(r"<[^>]*>")


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
                return _decoded_part(payload, part.get_content_charset())
    return ""




def _decoded_part(payload: bytes, declared: str | None) -> str:
    """An MHTML part's text: in the charset its header declares, else as
    :func:`textio.decode_bytes` reads a file's bytes (UTF-8, CP949, then charset detection,
    which also reads the page's own ``<meta charset>`` encodings: Latin-1, Shift_JIS …)."""
    codec = _codec(declared)
    if codec:
        return payload.decode(codec, errors="replace")
    try:
        return textio.decode_bytes(payload)[0]
    except CorpusError:
        return payload.decode("utf-8", errors="replace")


def _codec(name: str | None) -> str:
    """Python's codec for a charset's name ("" when unknown); CP949 for the EUC-KR family."""
    if not name:
        return ""
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return "cp949" if name.strip().lower() in {"x-windows-949", "windows-949", "uhc"} else ""
    return "cp949" if codec in {"euc_kr", "cp949"} else codec


def parse_html(text: str) -> dict[str, object]:
    """Parse one saved page (HTML or MHTML text) into article fields (``pages.PAGE_FIELDS``).

    Raises ``RecordError`` (``no title``, ``no body``, ``unparseable date …``) for pages the
    extractor finds no article in, and (``a list of several stories …``) for a list of stories
    (``list_teasers``).
    """
    markup = html_from_mhtml(text) if not _HTML_START.match(text[:4000]) else text
    if not markup.strip():
        raise RecordError("no HTML part in the MHTML archive")
    meta = _meta(markup)
    address = _address(text, markup, meta)
    doc = _extract(markup)
    if doc is None or not (doc.text or "").strip():
        try:
            doc = _extract_deep(markup)
        except RecordError as err:
            _refuse_list(markup, "", meta, address)
            # A page without an article still names itself in its head: rejects list it so.
            raise err.naming(reject_identity("", address, _title(meta, ""))) from None
    saved = _SAVED_FROM.search(markup[:4000])
    url = (meta.get("og:url") or meta.get("canonical") or (saved.group(1) if saved else "")
           or (doc.url or ""))
    title = _title(meta, doc.title or "")
    if not title:
        raise RecordError("no title")
    text_body = normalize_text(doc.text)
    _refuse_list(markup, text_body, meta, address or url)
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
    published = _published(meta, markup)
    if published is None and record.get("published") is None:
        published = pages.printed_published(_visible_text(markup)) or _as_timestamp(doc.date or "")
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
        raise RecordError("no body").naming(reject_identity("", url, title))
    return record


#: A date a list prints by each story: ``2024-12-05``, ``2024.12.05 10:31``, ``2025.11.13
#: 23:47:08``, this year's ``12-05 10:31``; not a range's (``2024.12.01~12.31``).
_LIST_DATE = re.compile(
    r"(?<![\d.\-/])(?:(?:19|20)\d{2}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{1,2}\.?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\d{2}-\d{2}\s\d{1,2}:\d{2})(?![\d.\-/~])"
)
#: The label of an article's own stamp (``입력 2024-12-05 09:00``, ``승인 : …``), as text dumps
#: print it: a date after one is the article's, not a list's.
_STAMP_LABEL = re.compile(
    r"(?:입력|수정|승인|등록|송고|게재|발행|작성|업데이트)(?:일자|일시|일|시간)?\s?[:：]?\s?$"
)
#: A teaser cut short: ``… 시는 새 대여소를..``, ``…``; or a long line cut mid-sentence (``…
#: 조형물 시선(``), which a paragraph is not: it ends a sentence (``…했다.``, ``…요``, a quote).
_CUT = re.compile(r"(?:\.\.|…)\s*$")
_MID_SENTENCE = re.compile(r"[^\s.!?。…\"'”’)\]>다요음함임됨]$")
#: A story's byline printed alone on a line (``홍길동 기자``, ``문상윤 기자(=대전)``): a list
#: prints one by each story, an article one.
_BYLINE = re.compile(r"^[가-힣]{2,4}\s?기자(?:\s?\(=[가-힣]{1,6}\))?(?:\s+\S+@\S*)?$")
#: The bullet the extractor prints before a list item's text.
_LIST_BULLET = re.compile(r"^[-•*·▪◦]\s+")
_NOT_A_STORY = re.compile(r"^(?:#|javascript:\s*(?:void|;|$)|mailto:|tel:)", re.I)
_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
#: The address of a list of stories (a section's, a reporter's, search results) and of an
#: article, by the words outlets' sites use: ``list_news.php``, ``reporter_list.php``,
#: ``articleList.html``, ``nation-sc-list``, ``search``; ``view.php?key=``, ``articleView``,
#: ``newsitem.asp``, ``/articles/…``.
_LIST_ADDRESS = re.compile(
    r"list|section|search|reporter|author|writer|/tags?/|[?&](?:sc_word|query|q|kwd|keyword)=",
    re.I,
)
_ARTICLE_ADDRESS = re.compile(
    r"(?:article|news)view|view\.(?:php|html?|aspx?|jsp)|/view/|newsitem|/articles?/|read\."
    r"|detail|[?&](?:idxno|key|news_id|nid|aid|arcid|pk_no)=",
    re.I,
)
_MHTML_ADDRESS = re.compile(r"^Snapshot-Content-Location:\s*(\S+)", re.M)
_JSON_LD_ARTICLE = re.compile(r'"@type"\s*:\s*(?:\[[^\]]*)?"\w*Article"')
#: A list's item is small: a headline, a teaser, a date, a byline (characters without spaces).
_ITEM_MAX_CHARS = 1500
#: The fewest stories that make a list, and the least share of the extracted text their items
#: make up.
LIST_MIN_TEASERS = pages.LIST_MIN_TEASERS
LIST_MIN_SHARE = 0.6
#: A line of the extracted text in no item is the page's own paragraph, an article's, when it is
#: this long (characters without spaces), or a sentence (``…고 밝혔다.``) or a photo's caption
#: (``사진=대전시 제공``) of 15 or more: a list's own lines are headings, paging, a reporter's
#: name, the time the site was last updated.
_OWN_LINE_CHARS = 40
_OWN_SENTENCE = re.compile(r"(?:[.!?。]|[다요]\.?)[\"'”’)\]]*$|사진[=:]|제공[)\]]?\.?$")
#: Extracted text shorter than this (characters without spaces) is no article's body.
_SCRAP_CHARS = 200


def list_teasers(markup: str, text: str, meta: dict[str, str], address: str = "") -> int:
    """How many dated teasers of other stories the saved page is, when it is a list of stories
    (a section's page, a reporter's articles, search results) rather than one article; else 0.

    The markup's dated items: for each date the page prints (``2024-12-05``, ``2024.12.05
    10:31``; not one after a label, ``입력 …``, ``승인 …``, which is an article's stamp as in
    text dumps, nor a range's ``~``) the smallest element around it that links to a story,
    when it is small (at most 1,500 characters) and links to at most four addresses. A page
    is a list when its items for ``LIST_MIN_TEASERS`` (3) or more different stories

    - make up ``LIST_MIN_SHARE`` (60%) of the extracted text, which itself reads as a list
      (three lines or more that are an unlabelled date or open with one, or a byline alone;
      or two teasers or more cut short: ``..``, ``…``, mid-sentence), and no line of it in no
      item is a paragraph of the page's own (40 characters or more, or a sentence or a
      caption of 15 or more). A page that shows itself an article (``og:type`` article,
      ``article:published_time``, JSON-LD ``NewsArticle``, a labelled 입력/승인 stamp, an
      article's address such as ``view.php?key=``) is a list only when its address names one;
    - or are the page while the extractor found next to nothing (under 200 characters) and its
      address names a list (``list_news.php``, ``reporter_list.php``, ``articleList.html``,
      ``nation-sc-list``, ``search``); or, on a page with no address that shows itself no
      article and gives no text at all, make up 60% of its visible text.

    An article with a box of dated related stories stays one: its own paragraphs are in no
    item.
    """
    lines = [_LIST_BULLET.sub("", ln.strip()) for ln in text.split("\n") if ln.strip()]
    squashed_lines = [_squashed(ln) for ln in lines]
    total = sum(len(s) for s in squashed_lines)
    if total >= _SCRAP_CHARS and not _reads_as_list(lines):
        return 0
    items = _dated_items(markup)
    stories = {links for item_text, links in items if len(item_text) >= 20}
    if len(stories) < LIST_MIN_TEASERS:
        return 0
    if total >= _SCRAP_CHARS:
        covered = 0
        teased: set[tuple[str, ...]] = set()
        for squashed in squashed_lines:
            owner = next((links for item_text, links in items if squashed in item_text), None)
            if owner is None:
                if _own_paragraph(squashed):
                    return 0  # an article's text
                continue
            covered += len(squashed)
            if len(squashed) >= 20:
                teased.add(owner)
        if len(teased) < LIST_MIN_TEASERS or covered / total < LIST_MIN_SHARE:
            return 0
        if _shows_article(markup, meta, address) and not _names_list(address):
            return 0
        return len(teased)
    if _names_list(address):
        return len(stories)
    if address or total or _shows_article(markup, meta, address):
        return 0
    visible = _squashed(_visible_text(markup))
    in_items = sum(len(item_text) for item_text, _ in items)
    return len(stories) if visible and in_items / len(visible) >= LIST_MIN_SHARE else 0


def _refuse_list(markup: str, text: str, meta: dict[str, str], address: str) -> None:
    """Raise the RecordError of a list of stories (``list_teasers``); nothing for an article."""
    teasers = list_teasers(markup, text, meta, address)
    if teasers:
        raise RecordError(pages.list_reason(teasers))


def _address(text: str, markup: str, meta: dict[str, str]) -> str:
    """The page's own address: ``og:url``, the canonical link, the browser's saved-from
    comment or an MHTML archive's ``Snapshot-Content-Location`` ("" when none)."""
    saved = _SAVED_FROM.search(markup[:4000])
    snapshot = _MHTML_ADDRESS.search(text[:4000]) if markup is not text else None
    return (meta.get("og:url") or meta.get("canonical") or (saved.group(1) if saved else "")
            or (snapshot.group(1) if snapshot else ""))


def _shows_article(markup: str, meta: dict[str, str], address: str) -> bool:
    """The page shows itself an article: ``og:type`` article, an ``article:published_time``,
    a JSON-LD ``Article`` / ``NewsArticle``, an article's address (``articleView.html``,
    ``view.php?key=``), or a labelled stamp by its headline (``입력 …``, ``승인 …``)."""
    if "article" in meta.get("og:type", "").lower():
        return True
    if meta.get("article:published_time") or meta.get("og:article:published_time"):
        return True
    if _names_article(address):
        return True
    if any(_JSON_LD_ARTICLE.search(block) for block in _JSON_LD.findall(markup[:2_000_000])):
        return True
    return pages.printed_published(_visible_text(markup)) is not None


def _own_paragraph(squashed: str) -> bool:
    """A line (without spaces) in no list item that is an article's paragraph or caption."""
    return len(squashed) >= _OWN_LINE_CHARS or (len(squashed) >= 15
                                                 and bool(_OWN_SENTENCE.search(squashed)))


def _reads_as_list(lines: list[str]) -> bool:
    """The extracted text reads as a list of stories: three lines or more that are an
    unlabelled date or open with one, or a byline alone, or two teasers or more cut short."""
    dated = sum(1 for ln in lines if _opens_or_is_date(ln))
    bylines = sum(1 for ln in lines if _BYLINE.match(ln))
    cut = sum(1 for ln in lines if (len(ln) >= 30 and _CUT.search(ln))
              or (len(ln) >= 60 and _MID_SENTENCE.search(ln)))
    return dated >= LIST_MIN_TEASERS or bylines >= LIST_MIN_TEASERS or cut >= 2


def _names_list(address: str) -> bool:
    return bool(_LIST_ADDRESS.search(address)) and not _ARTICLE_ADDRESS.search(address)


def _names_article(address: str) -> bool:
    return bool(_ARTICLE_ADDRESS.search(address)) and not _LIST_ADDRESS.search(address)


def _unlabelled_dates(text: str) -> list[re.Match[str]]:
    return [m for m in _LIST_DATE.finditer(text)
            if not _STAMP_LABEL.search(text[max(0, m.start() - 12) : m.start()])]


def _opens_or_is_date(line: str) -> bool:
    """A line that opens with an unlabelled date (``2024-12-05 헤드라인 …``) or is one with a few
    words beside it (``홍길동 기자 2024.12.05 10:31``)."""
    return any(m.start() == 0 or len(line) - len(m.group()) <= 30
               for m in _unlabelled_dates(line))


def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _dated_items(markup: str) -> list[tuple[str, tuple[str, ...]]]:
    """The page's dated story items (``list_teasers``), each as its text without spaces and
    the addresses it links to."""
    import lxml.etree
    import lxml.html

    try:  # (lxml refuses text that still declares its bytes' encoding)
        tree = lxml.html.document_fromstring(without_declaration(markup))
    except (lxml.etree.ParserError, ValueError):
        return []
    # keyed by the elements themselves: holding them keeps lxml's proxies (and their ids) alive
    found: dict[Any, tuple[str, tuple[str, ...]]] = {}
    seen: set[Any] = set()
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _NO_TEXT_TAGS:
            continue
        own = [el.text or ""] + [child.tail or "" for child in el]
        if not any(_LIST_DATE.search(t) and _unlabelled_dates(t) for t in own):
            continue
        node = el
        while node is not None and node not in seen:
            seen.add(node)
            if not isinstance(node.tag, str) or node.tag in _NO_TEXT_TAGS | {"body", "html"}:
                break
            node_text = _squashed(normalize_text("".join(node.itertext())))
            if len(node_text) > _ITEM_MAX_CHARS:
                break
            links = sorted({href for a in node.iter("a")
                            if (href := (a.get("href") or "").strip())
                            and not _NOT_A_STORY.match(href)})
            if links:
                if len(links) <= 4:
                    found[node] = (node_text, tuple(links))
                break
            node = node.getparent()
    return list(found.values())


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


def _published(meta: dict[str, str], markup: str) -> pd.Timestamp | None:
    """The page's structured publication time: its meta tags, a portal's ``data-date-time``,
    JSON-LD's ``datePublished``; None when it gives none."""
    for key in _TIME_KEYS:
        if meta.get(key):
            found = _as_timestamp(meta[key])
            if found is not None:
                return found
    m = _DATA_TIME.search(markup)
    if m:
        return as_timestamp(m.group(1))
    for value in _json_ld_dates(markup):
        found = _as_timestamp(value)
        if found is not None:
            return found
    return None


def _as_timestamp(value: str) -> pd.Timestamp | None:
    if not value:
        return None
    try:
        return as_timestamp(value)
    except RecordError:
        return None


def _json_ld_dates(markup: str) -> list[str]:
    """The ``datePublished`` values of the page's JSON-LD blocks, articles' first."""
    found: list[tuple[bool, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str) and value.strip():
                kind = node.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                article = any(isinstance(k, str) and k.endswith("Article") for k in kinds)
                found.append((not article, value.strip()))
            for key in ("@graph", "mainEntity", "mainEntityOfPage"):
                walk(node.get(key))

    for block in _JSON_LD.findall(markup[:2_000_000]):
        try:
            walk(json.loads(block.strip(), strict=False))
        except (ValueError, RecursionError):
            continue
    return [value for _, value in sorted(found, key=lambda x: x[0])]


def _visible_text(markup: str) -> str:
    """The page's text as a browser shows it, a line for each block element (scripts, styles
    and comments left out)."""
    text = _BLOCK_TAG.sub("\n", _HIDDEN.sub(" ", markup))
    return normalize_text(html_text.unescape(_ANY_TAG.sub(" ", text)))
