"""Saved news pages: one renderer per layout (the layouts of lib/resources/page_layouts.toml).

Each page has the article (headline, bullets, stamps, reporter, photo caption, body, byline,
copyright line) followed by site chrome that names 대전, 세종, AI and smart cities, which the page
parser must cut off. A few pages are written in CP949 or UTF-8 with BOM, with CRLF line ends or
no-break spaces, as saved pages come.
"""

from __future__ import annotations

import random
from datetime import timedelta

from lib.sample.material import CHROME_HEADLINES, CHROME_PHOTOS, CHROME_TEASER, PAGE_OUTLETS
from lib.sample.records import Record
from lib.sample.text import fill


def _chrome(rng: random.Random, layout: str) -> list[str]:
    """Site chrome after the copyright line: ranking lists, headline news, photo news."""
    heads = rng.sample(CHROME_HEADLINES, 12)
    out: list[str] = []
    if layout == "joongdo":
        out += ["기자의 다른기사 보기", "", "랭킹뉴스", ""]
        out += [f"  {i}. {h}" for i, h in enumerate(heads[:5], 1)]
        out += [f"  {i}. {h}" for i, h in enumerate(heads[5:10], 1)]
        out += ["", "헤드라인 뉴스", "", ""]
        for h in heads[10:12]:
            out += [h, "", h, "", fill(CHROME_TEASER, {"headline": h.split("…")[0]}), ""]
        out += ["실시간 뉴스", "", "포토뉴스", ""]
        out += [f"  • {p} {p}" for p in rng.sample(CHROME_PHOTOS, 3)]
        return out
    spec = PAGE_OUTLETS[layout]
    out += [spec.chrome_ranking, ""] + [f"{i}. {h}" for i, h in enumerate(heads[:6], 1)]
    out += ["", spec.chrome_more, ""] + heads[6:10]
    if spec.chrome_photos:
        out += ["", spec.chrome_photos, ""] + [f"· {p}" for p in rng.sample(CHROME_PHOTOS, 2)]
    return out


def render_page(rec: Record, rng: random.Random, *, bad_date: str = "", no_title: bool = False) -> str:
    """The text of a saved page for ``rec`` in its layout (LF line ends; encoding applied later).

    ``bad_date`` prints that stamp instead of the real one; ``no_title`` leaves the headline out
    (the two pages the loader must reject).
    """
    s = rec.story
    name, email = rec.reporter
    pub = rec.published
    upd = pub + timedelta(minutes=rng.randint(5, 300))
    spec = PAGE_OUTLETS.get(rec.layout)
    if spec is None:
        raise ValueError(f"unknown page layout {rec.layout!r} (lib/sample/templates/outlets.toml)")
    copyright = fill(spec.copyright, {"copy": "ⓒ" if rec.encoding == "cp949" else "©"})
    address = f"{email}@{spec.email_domain}"
    paras = list(rec.paragraphs)
    place = s.dateline or "서울"
    if rec.wire and paras:
        paras[0] = f"({place}={rec.wire}) {name} 기자 = {paras[0]}"
    lines: list[str] = []
    layout = rec.layout

    if layout == "joongdo":
        stamp = bad_date or f"{pub:%Y-%m-%d %H:%M}"
        if not no_title:
            lines += [rec.title, ""]
        lines += [f"  • {s.section}"] + ([f"  • {s.region_bullet}"] if s.region_bullet else []) + [""]
        if not no_title:
            lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"  • 승인 {stamp}", f"  • {name} 기자{name} 기자"]
        if rng.random() < 0.5:
            lines.append(f"{rng.randint(1, 9)}-{s.caption.split(' ')[0]} ({rng.randint(1, 30)})")
        else:
            lines.append(f"{pub:%Y%m%d}0100{rng.randint(1000, 9999)}{rng.randint(10, 99)}.jpg")
        lines.append(s.caption)
        for p in paras:
            lines += [p, "" if rng.random() < 0.8 else "\n\n"]
        lines.append(f"{s.dateline}={name} 기자 {address}" if s.dateline else f"{name} 기자 {address}")
        lines += ["", copyright, ""]
    elif layout == "news1":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        if rng.random() < 0.5:
            lines += [f"입력 {pub:%Y.%m.%d %H:%M}  수정 {upd:%Y.%m.%d %H:%M}"]
        else:
            lines += [f"입력 {pub:%Y.%m.%d %H:%M}", f"수정 {upd:%Y.%m.%d %H:%M}"]
        lines += [f"{s.caption} ({s.caption_credit}) /뉴스1", ""]
        for i, p in enumerate(paras):
            lines += [(f"({place}=뉴스1) {name} 기자 = " if i == 0 else "") + p, ""]
        lines += [address, "", copyright, ""]
    elif layout == "daejonilbo":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"기자명 {name} 기자", f"입력 {pub:%Y.%m.%d %H:%M}", f"수정 {upd:%Y.%m.%d %H:%M}", "댓글 0", ""]
        lines += [f"{s.caption} [사진={s.caption_credit}]"]
        for p in paras:
            lines += [p, ""]
        lines += [f"{name} 기자 {address}", "", copyright, ""]
    elif layout == "cctoday":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"입력 {pub:%Y.%m.%d %H:%M}", f"수정 {upd:%Y.%m.%d %H:%M}", "댓글 0", ""]
        lines += [f"▲ {s.caption} {s.caption_credit}"]
        own_prefix = f"[충청투데이 {name} 기자] " if rng.random() < 0.5 and not rec.wire else ""
        for i, p in enumerate(paras):
            lines += [(own_prefix if i == 0 else "") + p, ""]
        lines += [f"{name} 기자 {address}", "", copyright, ""]
    elif layout == "yna":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"송고{pub:%Y-%m-%d %H:%M}", f"{s.caption} [{s.caption_credit}. 재판매 및 DB 금지]", ""]
        for i, p in enumerate(paras):
            lines += [(f"({place}=연합뉴스) {name} 기자 = " if i == 0 else "") + p, ""]
        lines += [address, "", copyright, ""]
    else:
        raise ValueError(f"no renderer for page layout {layout!r}")
    lines += _chrome(rng, layout)
    text = "\n".join(lines) + "\n"
    if rec.nbsp:
        # Saved pages carry no-break spaces: in the stamp and between words of some paragraphs.
        text = text.replace("승인 ", "승인\u00a0", 1).replace("입력 ", "입력\u00a0", 1)
        for p in paras[1:3]:
            text = text.replace(p, p.replace(" ", "\u00a0", 3), 1)
    return text


def name_pages(records: list[Record]) -> None:
    """Give every page record its file name, ``pages/synthetic_NNNN_<layout>.txt``, in order."""
    n = 0
    for rec in records:
        if rec.fmt == "page":
            n += 1
            rec.source_file = f"pages/synthetic_{n:04d}_{rec.layout}.txt"


def choose_page_variants(rng: random.Random, pages: list[Record]) -> None:
    """A few pages in CP949 or UTF-8 with BOM, some with CRLF line ends or no-break spaces."""
    cp949_ok = [p for p in pages if p.layout in ("yna", "cctoday", "daejonilbo")]
    for p in rng.sample(cp949_ok, min(6, len(cp949_ok))):
        p.encoding = "cp949"
    rest = [p for p in pages if p.encoding == "utf-8"]
    for p in rng.sample(rest, min(6, len(rest))):
        p.encoding = "utf-8-sig"
    for p in rng.sample(pages, min(16, len(pages))):
        p.crlf = True
    for p in rng.sample([p for p in pages if p.encoding != "cp949"], min(20, len(pages))):
        p.nbsp = True


def encode_page(text: str, rec: Record) -> bytes:
    """The page's bytes in ``rec.encoding`` (UTF-8 when CP949 cannot hold it; ``rec`` then says so)."""
    if rec.crlf:
        text = text.replace("\n", "\r\n")
    if rec.encoding == "cp949":
        try:
            return text.encode("cp949")
        except UnicodeEncodeError:
            rec.encoding = "utf-8"
    return text.encode(rec.encoding)
