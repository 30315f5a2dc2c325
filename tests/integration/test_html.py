"""Saved HTML pages (.html, .htm, .mhtml) through load_corpus: exact fields, no chrome.

The fixtures in tests/fixtures/html are synthetic pages: the markup of a regional newsroom CMS
(desktop), a wire service's mobile page, a browser's MHTML archive and a portal's copy of an
outlet's article (Naver news markup), with invented sentences.
Each carries navigation, share buttons, a ranking list and a footer that mention 대전, AI and
스마트시티, so chrome that leaks into a field is caught.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus

HTML = paths.FIXTURES_DIR / "html"

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
}
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
    assert (m["format"] == "page").all() and (m["rows_loaded"] == 1).all()
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fields(corpus, name: str) -> None:
    row = corpus.articles[corpus.articles["source_file"].str.endswith(name)].iloc[0]
    want = dict(EXPECTED[name])
    start, end = want.pop("body_start"), want.pop("body_end")
    assert {k: row[k] for k in want} == want
    assert row["body"].startswith(start) and row["body"].endswith(end)
    assert want["captions"] not in row["body"]
    everything = "\n".join(
        str(row[c]) for c in ("title", "subtitle", "body", "captions", "reporter", "outlet")
    )
    for word in CHROME:
        assert word not in everything, word
