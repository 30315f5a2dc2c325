"""Article kinds (news, opinion, photo, brief) from the tags at the head of a title and the
section. Invented titles (synthetic), and the real BigKinds downloads read where they are."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.tagging import kinds

REAL = paths.ROOT.parent / "shared" / "real" / "bigkinds"


def kind_of(title: str, section: str = "") -> str:
    return str(kinds.article_kinds(pd.DataFrame({"title": [title], "section": [section]})).iloc[0])


@pytest.mark.parametrize(("title", "section", "expected"), [
    ("[사설] 스마트도시 예산, 더 늦출 수 없다", "", "opinion"),
    ("[김 아무개 칼럼] 도시가 데이터를 말할 때", "", "opinion"),
    ("【기고】 시민이 만드는 리빙랩", "", "opinion"),
    ("[단독][사설] 시범도시의 다음 단계", "", "opinion"),
    ("[여적] 자율주행 버스의 첫 승객", "", "opinion"),
    ("<합성포토> 세종 자율주행 셔틀 시승", "", "photo"),
    ("[간추린 소식] 대전시 데이터 공모", "", "brief"),
    ("[인사] 세종시", "", "brief"),
    ("[마켓인사이트] 스마트시티 펀드 조성", "", "news"),
    ("[뉴스데스크] 대전 스마트 횡단보도 확대", "", "news"),
    ("[단독] 세종 5-1생활권 착공", "", "news"),
    ("세종시, 사설 주차장 공유 확대", "", "news"),
    ("도시 데이터 허브의 과제", "오피니언", "opinion"),
    ("도시 데이터 허브의 과제", "사회>지역", "news"),
])
def test_kinds_from_title_tags_and_section(title: str, section: str, expected: str) -> None:
    assert kind_of(title, section) == expected


def test_a_table_without_title_or_section_is_news_and_the_series_is_categorical() -> None:
    table = pd.DataFrame({"body": ["본문"]}, index=[7])
    out = kinds.article_kinds(table)
    assert list(out.index) == [7] and out.iloc[0] == "news"
    assert list(out.cat.categories) == list(kinds.KINDS)


def test_a_bad_cue_line_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / kinds.KINDS_FILE).write_text("kind\tcue\tmatch\nopinion\t사설\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"article_kinds.tsv line 2"):
        kinds.load_kind_cues(tmp_path)
    (tmp_path / kinds.KINDS_FILE).write_text("kind\tcue\tmatch\nopinion\t세종시론\tpart\n",
                                             encoding="utf-8")
    table = pd.DataFrame({"title": ["[세종시론] 도시의 내일", "[사설] 도시의 내일"]})
    assert list(kinds.article_kinds(table, directory=tmp_path)) == ["opinion", "news"]


#: The leading tags of the real downloads' loaded rows that are not news, by kind, as read by
#: hand (column names, not article text). BigKinds itself excludes its photo rows (예외), so
#: the loader rejects them before kinds are read.
REAL_NOT_NEWS = {
    "opinion": {"사설", "기고", "여적", "태평로", "기자의 시각", "편집국에서", "기자메모", "동서남북",
                "만물상", "아침을 열며", "한경에세이", "아침햇발", "한겨레 프리즘",
                "朝鮮칼럼 The Column", "김호기 칼럼", "글로벌 아이"},
    "photo": {"금주의 B컷", "만리재사진첩"},
    "brief": {"간추린 경남", "간추린 소식", "간추린 단신", "단신브리핑"},
}


@pytest.mark.skipif(not REAL.is_dir(), reason="the real BigKinds downloads are not here")
def test_real_bigkinds_rows_get_the_kinds_read_by_hand() -> None:
    from lib.corpus import load_corpus

    articles = load_corpus(REAL, progress=False).articles
    found = kinds.article_kinds(articles)
    tags = articles["title"].map(lambda t: " | ".join(kinds.leading_tags(t)))
    for kind, expected in REAL_NOT_NEWS.items():
        assert set(tags[found == kind]) == expected, kind
    assert int((found == "opinion").sum()) >= 30 and int((found == "news").sum()) >= 1180
    assert (found[tags == ""] == "news").all()  # no tag, no section cue: news
