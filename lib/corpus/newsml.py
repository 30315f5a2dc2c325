"""NewsML documents (one article per file, as BigKinds and news agencies deliver them).

Reads NewsML 1.2 (``NewsML/NewsItem/NewsComponent``: ``NewsItemId``, ``FirstCreated``,
``HeadLine``, ``SubHeadLine``, ``ByLine``, ``Provider/Party@FormalName``, ``DataContent``) and the
same fields of NewsML-G2 (``newsItem``: ``guid``, ``firstCreated``, ``headline``, ``by``,
``provider``, ``inlineXML``/``inlineData``). Element names are matched without namespaces and
without case, so a provider's variant of either form reads too.

The text is the item's paragraphs; in NewsML-G2 with NITF, those of ``body.content`` alone (its
``abstract`` repeats the lead, ``body.end`` holds the copyright tagline), its photos' captions
(``media-caption``) as captions. The paragraphs are cleaned as a saved page's body is
(``pages.clean_paragraphs``): the dateline opening the lead (``(대전=연합뉴스) 홍길동 기자 =``)
becomes ``dateline``, e-mail and byline lines and a copyright line leave the body. The item's
identifier is its ``article_id``, made unique beyond its provider (:func:`_identifier`): a
BigKinds 뉴스 식별자, a ``PublicIdentifier`` without its revision, a G2 ``guid``, or
``ProviderId:DateId:NewsItemId``.

The format is recognised from the content, so a NewsML file saved as ``.txt`` is read as NewsML
and not as a page titled ``<?xml …?>``.

The loader hands over text it has already decoded (from the bytes, whatever the declaration
says): the XML declaration's ``encoding`` is left out when the text is parsed
(:func:`parse_xml`), so an ``EUC-KR`` or ``ks_c_5601-1987`` file reads as any other and a file
of UTF-8 bytes declared ``ISO-8859-1`` is not read twice into mojibake.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from lib.corpus import pages
from lib.corpus.bigkinds import is_valid_id
from lib.corpus.columns import clean_markup, markup_paragraphs, split_byline
from lib.corpus.errors import RecordError
from lib.corpus.schema import normalize_text, reject_identity
from lib.corpus.tables import as_timestamp

#: The XML declaration at the top of a document (``<?xml version="1.0" encoding="EUC-KR"?>``).
_DECLARATION = re.compile(r"<\?xml\b[^>]*?\?>")
_ROOTS = re.compile(r"<\s*(?:[\w-]+:)?(?:NewsML|newsMessage|newsItem|NewsItem)\b", re.I)

#: Element names (lower case, no namespace) for each field, best first.
#: A NewsML 1.2 ``PublicIdentifier`` (``urn:newsml:<provider>:<date>:<item id>:<revision>``)
#: ends in the revision: left out, so an item's revisions are one story.
_REVISION = re.compile(r"^(urn:newsml:[^:]+:[^:]+:[^:]+):[^:]*$", re.I)
_DATE = (
    "firstcreated",
    "versioncreated",
    "thisrevisioncreated",
    "contentcreated",
    "dateandtime",
    "dateid",
)
_TITLE = ("headline", "hl1", "title")
_SUBTITLE = ("subheadline", "hl2", "subtitle")
_BYLINE = ("byline", "by", "creator")
_OUTLET = ("provider", "source", "copyrightholder", "sentfrom")
_BODY = ("datacontent", "inlinexml", "inlinedata", "body.content", "body")
_CAPTION = ("media-caption",)
_DATELINE = ("dateline",)
#: A dateline element that names a place alone (``<dateline>대전</dateline>``).
_PLACE = re.compile(r"[가-힣]{2,5}")
_URL = ("link", "url")


def looks_like_newsml(text: str) -> bool:
    """True when ``text`` (decoded) is a NewsML document: XML whose root is a NewsML element."""
    head = text.lstrip()[:2000]
    return head.startswith("<") and bool(_ROOTS.search(head))


def without_declaration(text: str) -> str:
    """Decoded XML or HTML ``text`` without its leading ``<?xml …?>`` declaration, which names
    the encoding of bytes the text is no longer in (parsers refuse or misread it)."""
    text = text.lstrip()
    declared = _DECLARATION.match(text)
    return text[declared.end() :] if declared is not None else text


def parse_xml(text: str) -> ET.Element:
    """The root element of decoded XML ``text`` (:func:`without_declaration`). Raises
    ``ET.ParseError`` for XML that is not well-formed."""
    return ET.fromstring(without_declaration(text).encode("utf-8"))


def iter_records(text: str) -> Iterator[tuple[str, dict[str, object] | RecordError]]:
    """Yield ``(label, record_or_error)`` for every news item of one NewsML document.

    A document that is not well-formed XML gives one ``RecordError`` (``malformed XML: …``);
    an item without a headline or text gives ``no title`` / ``no body``.
    """
    try:
        root = parse_xml(text)
    except ET.ParseError as exc:
        yield "document", RecordError(f"malformed XML ({exc})")
        return
    items = [el for el in root.iter() if local_name(el.tag) == "newsitem"] or [root]
    for number, item in enumerate(items, start=1):
        yield f"item {number}", _record(item)


def _identifier(item: ET.Element) -> str:
    """The item's identifier, unique beyond its provider: a BigKinds 뉴스 식별자 given as its
    ``NewsItemId``; else the ``PublicIdentifier`` URN without its revision; else a G2 ``guid``;
    else ``ProviderId:DateId:NewsItemId`` (a bare ``NewsItemId`` such as ``1`` is unique only
    within one provider and day). Empty when none is given: the loader then matches the item
    by its content."""
    item_id = _first_text(item, ("newsitemid",))
    if item_id and is_valid_id(item_id):
        return item_id
    public = _first_text(item, ("publicidentifier",))
    if public:
        return _REVISION.sub(r"\1", public)
    guid = _first_text(item, ("guid",)) or item.get("guid", "")
    if guid:
        return guid
    if not item_id:
        return ""
    parts = (_first_text(item, ("providerid",)), _first_text(item, ("dateid",)), item_id)
    return ":".join(p for p in parts if p)


def _record(item: ET.Element) -> dict[str, object] | RecordError:
    title = _first_text(item, _TITLE)
    identity = reject_identity(_identifier(item), _first_text(item, _URL), title)
    if not title:
        return RecordError("no title").naming(identity)
    text = pages.clean_paragraphs(_paragraphs(item))
    body = text["body"]
    if not body:
        return RecordError("no body").naming(identity)
    raw_date = _first_text(item, _DATE) or item.get("versionCreated") or ""
    try:
        published = as_timestamp(_iso_basic(raw_date)) if raw_date else None
    except RecordError as err:
        return err.naming(identity)
    byline = _first_text(item, _BYLINE)
    reporter, emails = split_byline(byline)
    place = _first_text(item, _DATELINE)
    captions = [_text(el) for el in _find_all(item, _CAPTION)]
    return {
        "article_id": _identifier(item),
        "outlet": _outlet(item),
        "title": title,
        "subtitle": _first_text(item, _SUBTITLE),
        "reporter": reporter or text["reporter"],
        "email": ", ".join(emails) or text["email"],
        "published": published,
        "url": _first_text(item, _URL),
        "body": body,
        "captions": "\n".join(dict.fromkeys(c for c in captions if c)),
        "dateline": text["dateline"] or (place if _PLACE.fullmatch(place) else ""),
        "lead_only": False,
    }


def local_name(tag: object) -> str:
    """An XML element's name without its namespace, in lower case (``{…}ByLine`` → ``byline``)."""
    return str(tag).rsplit("}", 1)[-1].lower()


def _find_all(item: ET.Element, names: tuple[str, ...]) -> list[ET.Element]:
    found: dict[str, list[ET.Element]] = {n: [] for n in names}
    for el in item.iter():
        local = local_name(el.tag)
        if local in found:
            found[local].append(el)
    return [el for n in names for el in found[n]]


def _first_text(item: ET.Element, names: tuple[str, ...]) -> str:
    for el in _find_all(item, names):
        text = _text(el)
        if text:
            return text
        for attr in ("FormalName", "literal", "Value", "href"):
            if el.get(attr):
                return normalize_text(el.get(attr)).strip()
    return ""


def _text(el: ET.Element) -> str:
    return re.sub(r"\s+", " ", clean_markup(normalize_text("".join(el.itertext())))).strip()


def _outlet(item: ET.Element) -> str:
    for el in _find_all(item, _OUTLET):
        for party in [el, *el.iter()]:
            for attr in ("FormalName", "literal"):
                value = party.get(attr)
                if value and not value.startswith(("http", "nprov:")):
                    return normalize_text(value).strip()
        text = _text(el)
        if text:
            return text
    return ""


def _paragraphs(item: ET.Element) -> list[str]:
    """The item's text as paragraphs: NITF's ``body.content`` when the item has one (not its
    ``abstract`` or ``body.end``), else the first text element that holds any."""
    content = [el for el in item.iter() if local_name(el.tag) == "body.content"]
    for el in content or _find_all(item, _BODY):
        paragraphs = [_text(p) for p in el.iter() if local_name(p.tag) == "p"]
        if any(paragraphs):
            return [p for p in paragraphs if p]
        text = markup_paragraphs(normalize_text("".join(el.itertext())))
        if text:
            return [p for p in text.split("\n\n") if p.strip()]
    return []


def _iso_basic(value: str) -> str:
    """NewsML 1.2 writes ISO 8601 basic form (``20210301T101500+0900``); make it extended."""
    m = re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?([+-]\d{2}:?\d{2}|Z)?", value.strip()
    )
    if not m:
        return value
    y, mo, d, h, mi, s, zone = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s or '00'}{zone or ''}"
