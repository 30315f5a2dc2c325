"""Four faults of the text-page parser found on real pages, on synthetic pages in their layouts.

Every sentence here is invented; only the layouts (line order, chrome, credits) follow what
the real pages print: a 연합뉴스TV page, a story as the Zum portal prints it, photo captions
without a mark, and a page saved without its headline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.corpus import pages
from lib.corpus.columns import outlet_from_url
from lib.corpus.errors import CorpusError
from lib.corpus.loader import load_corpus
from lib.corpus.schema import normalize_text


def parse(text: str) -> dict[str, object]:
    return pages.parse_page(normalize_text(text), source_file="synthetic.txt")


def paragraphs(record: dict[str, object]) -> list[str]:
    return [p for p in str(record["body"]).split("\n") if p]


# -- 1. 연합뉴스TV is not 연합뉴스 -------------------------------------------------------------

YONHAPNEWSTV_SYNTHETIC = """\
세종 시내버스에 인공지능 배차 시범 도입
송고시간 2024-03-11 18:20
[앵커]
세종시가 시내버스 배차에 인공지능을 시험합니다.
출퇴근 시간 대기 시간을 얼마나 줄일지 관심이 모입니다.
[기자]
세종시는 다음 달부터 간선 노선 두 곳에서 승객 수요를 예측해 배차 간격을 바꾸는 시험 운행을 시작합니다.
시는 석 달 동안 정류장별 대기 시간을 모아 효과를 따져볼 계획입니다.
홍길동 기자 (gildong@yna.co.kr)
연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23
(끝)
대전 스마트시티 AI 많이 본 뉴스
"""

YONHAP_WIRE_SYNTHETIC = """\
세종시, 인공지능 배차 시범 운행 시작
송고2024-03-11 09:00
(세종=연합뉴스) 홍길동 기자 = 세종시는 다음 달부터 간선 노선 두 곳에서 인공지능 배차를 시험한다고 11일 밝혔다.
시는 석 달 동안 정류장별 대기 시간을 모아 효과를 따질 계획이다.
gildong@yna.co.kr
<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>
"""


def test_a_yonhapnewstv_page_is_named_for_the_channel_not_the_wire() -> None:
    record = parse(YONHAPNEWSTV_SYNTHETIC)
    assert record["outlet"] == "연합뉴스TV"
    assert record["email"] == "gildong@yna.co.kr"
    assert "제보" not in str(record["body"])


def test_the_wire_keeps_its_name() -> None:
    assert pages.detect_layout(normalize_text(YONHAP_WIRE_SYNTHETIC)) == "yonhap"
    assert parse(YONHAP_WIRE_SYNTHETIC)["outlet"] == "연합뉴스"


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.yonhapnewstv.co.kr/news/MYH20240311000100641", "연합뉴스TV"),
        ("https://m.yna.co.kr/view/AKR20240311000100063", "연합뉴스"),
        ("http://mbnmoney.mbn.co.kr/news/view?news_no=MM1000000001", "매일경제TV"),
        ("https://www.mbn.co.kr/news/society/4000001", "MBN"),
        ("https://www.news1.kr/local/sejong-chungbuk/1", "뉴스1"),
        ("https://www.newsis.com/view/NISX20240311_0000000001", "뉴시스"),
    ],
)
def test_a_broadcasters_sub_brand_has_its_own_name(url: str, outlet: str) -> None:
    assert outlet_from_url(url) == outlet


# -- 2. Zum's issue tag is not the headline ------------------------------------------------

ZUM_SYNTHETIC = """\
컨텐츠 바로가기

03.12 (화)

이슈 스마트시티 교통

대전 유성구, 공유 주차장 빈자리 앱으로 안내한다

댓글 첫 댓글을 작성해보세요
주소복사가 완료되었습니다

대전 유성구가 공유 주차장의 빈자리를 실시간으로 알려주는 서비스를 시작한다.

구는 12일 관내 공영 주차장 열두 곳에 감지 장치를 달고 휴대전화 앱으로 빈자리를 안내한다고 밝혔다.

구 관계자는 "주차장을 찾아 도는 차량이 줄어들 것"이라고 말했다.

홍길동 기자 gildong@example.co.kr
저작권자 © 대전가상일보 무단전재 및 재배포 금지
"""


def test_zums_issue_tag_is_not_taken_for_the_headline() -> None:
    record = parse(ZUM_SYNTHETIC)
    assert record["title"] == "대전 유성구, 공유 주차장 빈자리 앱으로 안내한다"
    assert "이슈" not in str(record["title"]) + str(record["subtitle"]) + str(record["body"])


def test_a_headline_opening_with_the_word_issue_stays_the_headline() -> None:
    text = ZUM_SYNTHETIC.replace("이슈 스마트시티 교통\n\n", "").replace(
        "대전 유성구, 공유 주차장 빈자리 앱으로 안내한다", "이슈 점검: 대전 유성구 공유 주차장, 빈자리 앱으로 찾는다"
    )
    assert parse(text)["title"] == "이슈 점검: 대전 유성구 공유 주차장, 빈자리 앱으로 찾는다"


# -- 3. photo captions without a mark leave the body ----------------------------------------

CAPTIONS_SYNTHETIC = """\
세종시, 스마트 가로등 시범 구역 넓힌다
  • 홍길동 기자
  • 승인 2024.03.12 10:30

보행자 감지해 밝기 바꾸는 가로등 200개 추가
스마트 가로등 배치도, 세종시 스마트도시과 제공
스마트 가로등 배치도. (자료=세종시 스마트도시과 제공)

세종시가 보행자를 감지해 밝기를 바꾸는 스마트 가로등을 200개 더 설치한다.

시는 올해 안에 나성동과 어진동 보행로에 가로등을 설치하고 전력 사용량을 비교할 계획이다.

시범 가로등 점등 행사-시민 참여 부문(사진=세종시 제공)

최민수(가운데) 세종시 스마트도시과장이 12일 시범 구역에서 가로등 작동 방식을 설명하고 있다.
세종시 제공

시 관계자는 "야간 보행 안전과 전기 요금 절감을 함께 살피겠다"고 말했다.

시는 설치 뒤 석 달 동안 시민 의견을 받아 설치 지역을 정하고 있다.

저작권자 © 세종가상뉴스 무단전재 및 재배포 금지
"""


def test_captions_without_a_mark_leave_the_body() -> None:
    record = parse(CAPTIONS_SYNTHETIC)
    body, captions = paragraphs(record), str(record["captions"]).split("\n")
    assert body == [
        "세종시가 보행자를 감지해 밝기를 바꾸는 스마트 가로등을 200개 더 설치한다.",
        "시는 올해 안에 나성동과 어진동 보행로에 가로등을 설치하고 전력 사용량을 비교할 계획이다.",
        '시 관계자는 "야간 보행 안전과 전기 요금 절감을 함께 살피겠다"고 말했다.',
        "시는 설치 뒤 석 달 동안 시민 의견을 받아 설치 지역을 정하고 있다.",
    ]
    # the image's alt text over its caption, a label with its credit, a caption over a bare credit
    assert "스마트 가로등 배치도, 세종시 스마트도시과 제공" in captions
    assert "스마트 가로등 배치도. (자료=세종시 스마트도시과 제공)" in captions
    assert "시범 가로등 점등 행사-시민 참여 부문(사진=세종시 제공)" in captions
    assert any(c.startswith("최민수(가운데) 세종시 스마트도시과장이") for c in captions)
    assert record["subtitle"] == "보행자 감지해 밝기 바꾸는 가로등 200개 추가"


def test_a_body_sentence_is_never_taken_for_a_caption() -> None:
    # a sentence that describes what is going on, with no credit under it, and a sentence that
    # ends with a source in parentheses, stay in the body
    text = CAPTIONS_SYNTHETIC.replace("\n세종시 제공\n", "\n").replace(
        "시 관계자는 \"야간 보행 안전과 전기 요금 절감을 함께 살피겠다\"고 말했다.",
        "시는 가로등 200개의 밝기 기록을 매일 모으고 있다.(자료=세종시 제공)",
    )
    body = paragraphs(parse(text))
    assert any(p.startswith("최민수(가운데) 세종시 스마트도시과장이") for p in body)
    assert "시는 가로등 200개의 밝기 기록을 매일 모으고 있다.(자료=세종시 제공)" in body


# -- 4. a page without its headline is refused for what it lacks -----------------------------

HEADLESS_SYNTHETIC = """\
대전시는 12일 시청 대회의실에서 스마트시티 실증 사업 성과 보고회를 열고 공유 주차와 전기 화재 예방 센서, 드론 순찰 등 지난 2년 동안 시험한 기술을 시민들에게 선보였으며, 보고회에 참석한 기업과 연구기관 관계자들과 함께 실증 결과를 검토한 뒤 내년부터 자치구 다섯 곳으로 넓히기로 했다.
시 관계자는 "실증에서 효과가 확인된 기술부터 차례로 확대하겠다"고 말했다.
대전=홍길동 기자 gildong@example.co.kr
저작권자 © 대전가상일보 무단전재 및 재배포 금지
"""


def test_a_page_without_its_headline_is_refused_for_that(tmp_path: Path) -> None:
    assert pages.lacks_headline(HEADLESS_SYNTHETIC)
    assert not pages.looks_like_page(HEADLESS_SYNTHETIC)
    page = tmp_path / "headless_synthetic.txt"
    page.write_text(HEADLESS_SYNTHETIC, encoding="utf-8")
    with pytest.raises(CorpusError) as refused:
        load_corpus(page, progress=False)
    assert pages.NO_HEADLINE in str(refused.value)
    assert "not a corpus file" not in str(refused.value)


def test_text_that_is_no_page_is_still_not_a_corpus_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes_synthetic.txt"
    notes.write_text("회의 메모\n다음 주 화요일에 자료를 다시 정리하기로 함\n", encoding="utf-8")
    assert not pages.lacks_headline(notes.read_text(encoding="utf-8"))
    with pytest.raises(CorpusError, match="not a corpus file"):
        load_corpus(notes, progress=False)
