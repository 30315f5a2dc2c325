"""Saved HTML pages (.html, .htm, .mhtml) through load_corpus: exact fields, no chrome.

The fixtures in tests/fixtures/html are synthetic pages: the markup of a regional newsroom CMS
(desktop), a wire service's mobile page, a browser's MHTML archive and a portal's copy of an
outlet's article (Naver news markup), with invented sentences; and pages whose time or charset
is found only the hard way (JSON-LD in UTC, a printed stamp, an MHTML part without a charset).
Each carries navigation, share buttons, a ranking list and a footer that mention 대전, AI and
스마트시티, so chrome that leaks into a field is caught. Three more are saved lists of stories in
outlets' list layouts (a section's page, a section's article list, an MHTML of a mobile section
list), with invented teasers: each is refused with the reason, not loaded as an article.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.corpus import html as html_pages
from lib.corpus.errors import RecordError

HTML = paths.FIXTURES_DIR / "html"

#: The 중도일보 page of the EUC-KR fixtures, saved as HTML and as MHTML.
_JOONGDO_EUCKR = {
    "outlet": "중도일보",
    "title": "대전시, 하천 수위 센서 120곳으로 늘린다",
    "subtitle": "집중호우 대비 실시간 경보망 구축…구청 상황실과 연동",
    "published": pd.Timestamp("2024-12-03 16:45"),
    "reporter": "박대전",
    "email": "djpark@",
    "url": "https://www.joongdo.co.kr/web/view.php?key=20241203010000555",
    "captions": "대전 갑천변에 설치된 수위 센서. 사진=대전시 제공",
    "body_start": "대전시가 갑천과 유등천",
    "body_end": "말했다.",
    "dateline": "",
}

EXPECTED = {
    "ndsoft_sejongpost_synthetic.html": {
        "outlet": "세종포스트",
        "title": "세종시, 공동주택 단지에 스마트 택배함 확대",
        "subtitle": "올해 25곳 추가…경비실 택배 보관 부담 줄어",
        "published": pd.Timestamp("2024-03-18 10:42"),
        "reporter": "한지민",
        "email": "jimin@example.com",
        "url": "https://www.sejongpost.co.kr/news/articleView.html?idxno=900101",
        "captions": "세종시 새롬동의 한 아파트 단지에 설치된 스마트 택배함. 세종시 제공",
        "body_start": "세종시가 공동주택 단지 25곳에",
        "body_end": "절반씩 나눠 낸다.",
        "dateline": "",
    },
    "mobile_yonhap_synthetic.htm": {
        "outlet": "연합뉴스",  # no og:site_name: from the domain m.yna.co.kr
        "title": "대전시, 하수처리장 악취 센서 실시간 공개",
        "subtitle": "",
        "published": pd.Timestamp("2024-06-10 15:27"),
        "reporter": "윤서진",
        "email": "yoon@yna.co.kr",
        "url": "https://m.yna.co.kr/view/AKR20240610000000063",
        "captions": "대전 유성구 하수처리장에 설치된 악취 측정 센서 [대전시 제공. 재판매 및 DB 금지]",
        "body_start": "대전시는 하수처리장 주변",
        "body_end": "문자가 간다.",
        "dateline": "대전",
    },
    "news1_saved_synthetic.mhtml": {
        "outlet": "뉴스1",
        "title": "세종시 읍면 공공 와이파이 180곳 늘린다",
        "subtitle": "마을회관·버스정류장 중심…연말까지 설치",
        "published": pd.Timestamp("2023-09-05 08:10"),
        "reporter": "오하늘",
        "email": "sky@news1.kr",
        "url": "https://www.news1.kr/local/sejong-chungbuk/9000001",
        "captions": "세종시 연서면 마을회관에 설치된 공공 와이파이 중계기.(세종시 제공)/뉴스1",
        "body_start": "세종시가 읍면 지역 공공 와이파이를",
        "body_end": "400곳을 넘는다.",
        "dateline": "세종",
    },
    "naver_news_synthetic.html": {
        "outlet": "뉴스1",  # a portal's page: the outlet from og:article:author, not "네이버 뉴스"
        "title": "대전시, 공공자전거 대여소 50곳 태양광 충전 설비 설치",
        "subtitle": "",
        "published": pd.Timestamp("2024-04-08 09:31"),  # data-date-time, not the 수정 time
        "reporter": "하소율",
        "email": "sy@news1.example",
        "url": "https://n.news.naver.com/mnews/article/421/0009000001",
        "captions": "대전 서구 둔산동의 한 공공자전거 대여소에 태양광 충전 설비가 설치돼 있다.(대전시 제공)/뉴스1",
        "body_start": "대전시가 공공자전거 대여소 50곳에",
        "body_end": "8일 밝혔다.",
        "dateline": "대전",
    },
    # JSON-LD's datePublished in UTC, no meta time: 16:20Z is 01:20 the next day in Korea
    "jsonld_utc_synthetic.html": {
        "outlet": "뉴스1",
        "title": "세종 BRT 구간서 자율주행 버스 유상운송 시작",
        "subtitle": "",
        "published": pd.Timestamp("2024-12-04 01:20"),
        "reporter": "이세종",
        "email": "sejong1@news1.kr",
        "url": "https://www.news1.kr/local/sejong-chungbuk/5600001",
        "captions": "4일 세종 정부청사 정류장에 정차한 자율주행 버스. 2024.12.4/뉴스1 © News1 이세종 기자",
        "body_start": "세종 간선급행버스(BRT) 구간에서",
        "body_end": "검토하기로 했다.",
        "dateline": "세종",
    },
    # EUC-KR, no time in any meta tag: the time of the page's printed `승인 2024-12-03 16:45`
    "joongdo_euckr_synthetic.html": _JOONGDO_EUCKR,
    # the same page saved by Chrome as MHTML: the HTML part's header names no charset, the
    # page's <meta> says euc-kr
    "joongdo_euckr_nocharset_synthetic.mhtml": _JOONGDO_EUCKR,
    # no meta at all; `입력 2024년 12월 2일 19:05 … 수정 2024.12.03. 08:10` printed on one line:
    # the publication stamp, not the edit
    "daejonilbo_nometa_kdate_synthetic.html": {
        "outlet": "대전일보",
        "title": "대전 스마트 버스정류장 30곳 추가… 냉난방·공기청정 갖춰",
        "subtitle": "",
        "published": pd.Timestamp("2024-12-02 19:05"),
        "reporter": "최대전",
        "email": "choi@daejonilbo.com",
        "url": "",
        "captions": "",
        "body_start": "대전시는 내년까지",
        "body_end": "설치할 계획이다.",
        "dateline": "",
    },
    # no og:url, no canonical link, no site name: the address Chrome noted when saving the page
    # (`<!-- saved from url=(0062)https://… -->`) is the url, and its domain names the outlet
    "daejonilbo_savedfrom_synthetic.html": {
        "outlet": "대전일보",
        "title": "대전 스마트 버스정류장 30곳 추가… 냉난방·공기청정 갖춰",
        "subtitle": "",
        "published": pd.Timestamp("2024-12-02 19:05"),
        "reporter": "최대전",
        "email": "choi@example.kr",
        "url": "https://www.daejonilbo.com/news/articleView.html?idxno=2170001",
        "captions": "",
        "body_start": "대전시는 내년까지",
        "body_end": "설치할 계획이다.",
        "dateline": "",
    },
}
#: Saved lists of stories, each refused, with the number of dated teasers it names.
LISTS = {
    # 중도일보's section page: the extractor's text is the five teasers, each with its date (the
    # page used to load as one article titled "세종", dated by a teaser)
    "joongdo_section_list_synthetic.html": 5,
    # an articleList.html page of the ndsoft CMS: the extractor finds no text; the address and
    # the dated items tell it
    "ndsoft_articlelist_synthetic.html": 4,
    # a mobile section list saved as MHTML: the extractor keeps only the site's update time; the
    # address is the archive's Snapshot-Content-Location
    "pressian_nation_list_synthetic.mhtml": 4,
}
LIST_REASON = ("a list of several stories ({} dated teasers), not one article: "
               "save the article pages themselves")
CHROME = (
    "많이 본",
    "AI 반도체",
    "AI 데이터센터",
    "AI 영재",
    "스마트시티",
    "Copyright",
    "저작권",
    "페이스북",
    "본문 바로가기",
    "전체메뉴",
    "글자크기",
    "댓글",
    "무단",
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(HTML)


def test_manifest(corpus) -> None:
    m = corpus.manifest
    names = m["source_file"].map(lambda s: Path(s).name)
    listed = names.isin(list(LISTS))
    assert (m["format"] == "page").all()
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all()
    assert set(names[~listed]) == set(EXPECTED) and set(names[listed]) == set(LISTS)
    assert (m.loc[~listed, "rows_loaded"] == 1).all()
    assert (m.loc[listed, "rows_loaded"] == 0).all() and (m.loc[listed, "rows_rejected"] == 1).all()


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_pages_are_refused(corpus, name: str) -> None:
    """A saved list of stories is a reject saying what it is and what to save instead."""
    assert not corpus.articles["source_file"].str.endswith(name).any()
    rejects = corpus.rejects[corpus.rejects["source_file"].str.endswith(name)]
    assert list(rejects["reason"]) == [LIST_REASON.format(LISTS[name])]


def test_a_list_that_calls_itself_an_article_is_refused() -> None:
    """Metadata saying ``article`` does not save a page whose address names a list."""
    page = (HTML / "ndsoft_articlelist_synthetic.html").read_text(encoding="utf-8").replace(
        '<meta property="og:type" content="website">',
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-12-05T16:20:00+09:00">',
    )
    with pytest.raises(RecordError, match=r"^a list of several stories \(4 dated teasers\)"):
        html_pages.parse_html(page)


_TEASERS = [
    ("/news/articleView.html?idxno=9101", "대전 원도심 골목 가로등 300개 밝기 자동 조절",
     "대전시가 원도심 골목 가로등 300개를 밝기를 스스로 바꾸는 등으로 교체한다. 시는 주민 "
     "의견을 받아 설치 구간을 정하기로..", "2024-12-05"),
    ("/news/articleView.html?idxno=9102", "세종 BRT 정류장 쉼터 12곳 이달 문 연다",
     "세종시 간선급행버스 정류장 쉼터 공사가 마무리 단계다. 시는 시범 운영을 거쳐 이달 말 "
     "정식으로 문을 열 예정이라고..", "2024.12.04 11:20"),
    ("/news/articleView.html?idxno=9103", "유성구 산책로 비상벨 30개 더 단다",
     "유성구가 갑천 산책로에 비상벨을 더 단다. 버튼을 누르면 관제센터와 통화가 연결되고 가까운 "
     "CCTV가 그 자리를..", "2024-12-03"),
    ("/news/articleView.html?idxno=9104", "충남 마을회관 200곳에 공공 와이파이",
     "충남도가 마을회관과 경로당 200곳에 무료 와이파이를 놓는다. 도는 통신사와 협약을 맺고 "
     "설치비 절반을 대기로..", "2024-12-02"),
]
_ARTICLE = [
    "세종시가 읍면 지역 버스정류장 40곳에 온열 의자를 설치한다고 5일 밝혔다.",
    "온열 의자는 기온이 영상 5도 아래로 내려가면 스스로 켜진다.",
    "시는 이용객이 많은 조치원읍과 금남면 정류장부터 이달 안에 공사를 마칠 계획이다.",
]


def _related_box() -> str:
    return '<div class="relation"><h4>관련기사</h4><ul>' + "".join(
        f'<li><a href="{href}"><strong>{title}</strong></a><p>{teaser}</p>'
        f'<span class="date">{date}</span></li>' for href, title, teaser, date in _TEASERS
    ) + "</ul></div>"


def _article_page() -> str:
    """A short article saved with no metadata, no address and no stamp, followed by a box of
    dated teasers of related stories and a column of dated latest stories."""
    latest = "".join(f'<li><a href="{href}">{title}</a><em>{date}</em></li>'
                     for href, title, _, date in _TEASERS)
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">'
        "<title>세종시, 읍면 버스정류장 40곳에 온열 의자</title></head><body>"
        '<div id="nav"><a href="/">홈</a> <a href="/news/articleList.html">세종</a></div>'
        '<div id="article"><h1>세종시, 읍면 버스정류장 40곳에 온열 의자</h1><div class="body">'
        + "".join(f"<p>{p}</p>" for p in _ARTICLE) + "</div></div>"
        + _related_box() + f"<aside><h3>최신뉴스</h3><ul>{latest}</ul></aside>"
        "<footer>Copyright © 무단전재 및 재배포 금지</footer></body></html>"
    )


def test_an_article_with_dated_related_stories_loads() -> None:
    """Boxes of dated related and latest stories do not make an article a list, even on a page
    saved with no metadata, no address and no printed stamp."""
    record = html_pages.parse_html(_article_page())
    assert record["title"] == "세종시, 읍면 버스정류장 40곳에 온열 의자"
    assert _ARTICLE[1] in str(record["body"])


def test_list_teasers_reads_items_and_own_paragraphs() -> None:
    """The rule itself: the same dated items make a list of the text that is theirs alone, not
    of an article's text that holds them too."""
    page = _article_page()
    teasers = "\n".join(f"{teaser}\n{date}" for _, _, teaser, date in _TEASERS)
    assert html_pages.list_teasers(page, teasers, {}) == 4
    assert html_pages.list_teasers(page, "\n".join(_ARTICLE) + "\n" + teasers, {}) == 0
    # a page that shows itself an article, at an article's address, is never a list
    article, listing = ("https://example.kr/news/articleView.html?idxno=1",
                        "https://example.kr/news/articleList.html?sc_section_code=S1N3")
    assert html_pages.list_teasers(page, teasers, {"og:type": "article"}, article) == 0
    assert html_pages.list_teasers(page, teasers, {"og:type": "article"}, listing) == 4


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fields(corpus, name: str) -> None:
    row = corpus.articles[corpus.articles["source_file"].str.endswith(name)].iloc[0]
    want = dict(EXPECTED[name])
    start, end = want.pop("body_start"), want.pop("body_end")
    assert {k: row[k] for k in want} == want
    assert row["body"].startswith(start) and row["body"].endswith(end)
    assert not want["captions"] or want["captions"] not in row["body"]
    everything = "\n".join(
        str(row[c]) for c in ("title", "subtitle", "body", "captions", "reporter", "outlet")
    )
    for word in CHROME:
        assert word not in everything, word


def test_an_mhtml_part_without_a_charset_is_read_in_its_own_encoding() -> None:
    """A part whose MIME header names no charset and whose bytes are not UTF-8 is read in the
    encoding its bytes are (and its <meta> names): Latin-1 and Shift_JIS pages come out as
    written, not as CP949 hanja or replacement marks."""
    for charset, text in (("iso-8859-1", "Crème brûlée à Sejong: économie, énergie, été."),
                          ("shift_jis", "世宗市のスマートシティ事業が始まりました。自動運転バスが走ります。")):
        page = (f'<html><head><meta charset="{charset}"><title>t</title></head>'
                f"<body><p>{text}</p></body></html>")
        archive = ("From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
                   'Content-Type: multipart/related; type="text/html"; boundary="b"\r\n\r\n'
                   "--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                   + base64.b64encode(page.encode(charset)).decode("ascii") + "\r\n--b--\r\n")
        assert text in html_pages.html_from_mhtml(archive), charset
