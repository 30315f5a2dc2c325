"""The news page parser (lib.corpus.pages) on the seed page and on the layout fixtures.

Fixtures in tests/fixtures/pages/ are invented pages in the layouts of real outlets (see the
README there); each carries site chrome after its copyright line that mentions 대전, AI and
스마트시티, so a parser that lets chrome through is caught.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import paths
from lib.corpus import pages
from lib.corpus.errors import RecordError
from lib.corpus.schema import ARTICLE_COLUMNS, normalize_text, to_frame

FIXTURES = paths.FIXTURES_DIR / "pages"
SEED = paths.SEEDS_DIR / "000_ad07596ca5b7a700.txt"

# Words that occur only in the fixtures' (and the seed's) chrome, never in an article.
CHROME_WORDS = ("랭킹뉴스", "GPU", "송전", "양자", "기자의 다른기사", "많이 본", "주요뉴스", "포토뉴스")
# The copyright line each fixture's chrome follows (found here without the parser).
_COPYRIGHT = re.compile(r"무단\s?전재|All rights reserved")


def read_fixture(path: Path) -> str:
    """Decode like the loader does: UTF-8 (BOM or not) or CP949, then normalise."""
    try:
        from lib.corpus.textio import read_text
    except ImportError:  # the loader's reader is not there yet: decode here
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "cp949"):
            try:
                return normalize_text(data.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise
    return read_text(path)[0]


def fields_text(record: dict[str, object]) -> str:
    return "\n".join(str(v) for v in record.values() if v is not None)


def chrome_lines(text: str) -> list[str]:
    """Non-blank lines from the first copyright line on (the copyright line included)."""
    lines = [ln.strip() for ln in text.split("\n")]
    start = next(i for i, ln in enumerate(lines) if _COPYRIGHT.search(ln))
    return [ln for ln in lines[start:] if ln]


# ---------------------------------------------------------------------------------------------
# The seed page
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the seed page (../shared/seeds) is not present on this machine")
    return normalize_text(SEED.read_text(encoding="utf-8"))


def test_seed_page(seed_text: str) -> None:
    rec = pages.parse_page(seed_text, source_file="seed.txt")
    assert pages.detect_layout(seed_text) == "joongdo"
    assert rec["title"] == "세종형 스마트시티 사업 성공 디딤돌 놓는다"
    assert rec["subtitle"] == "23일 시청 간부급 대상 워크숍…사업 정의·협업 방안 등 논의"
    assert rec["section"] == "정치/행정"
    assert rec["region_bullet"] == "세종"
    assert rec["published"] == pd.Timestamp("2019-08-23 19:01")
    assert rec["reporter"] == "오희룡"
    assert rec["email"] == "huily@"
    assert rec["outlet"] == "중도일보"
    assert rec["dateline"] == "세종"
    assert rec["url"] == ""
    assert rec["captions"].startswith("세종시청 전경. ")
    assert "\n" not in rec["captions"]
    assert "1-세종시청사" not in fields_text(rec)
    body = str(rec["body"])
    assert body.startswith("세종형 스마트시티 사업의 성공을 위한")
    assert body.endswith("말했다.")
    assert "\n\n\n" not in body and "세종시청 전경" not in body
    assert "오희룡 기자" not in body and "huily@" not in body
    # nothing from the copyright line on reaches any field
    everything = fields_text(rec)
    for word in ("중도일보(www", "무단전재", "랭킹뉴스", "GPU", "송전", "헤드라인", "웹툰", "딸기"):
        assert word not in everything, word
    for line in chrome_lines(seed_text):
        if len(line) >= 8:
            assert line not in everything, line


def test_seed_page_fits_the_schema(seed_text: str) -> None:
    rec = pages.parse_page(seed_text)
    assert set(rec) <= set(ARTICLE_COLUMNS)
    frame = to_frame([rec])
    assert frame.loc[0, "published"] == pd.Timestamp("2019-08-23 19:01")


# ---------------------------------------------------------------------------------------------
# One fixture per layout, exact fields
# ---------------------------------------------------------------------------------------------

EXPECTED: dict[str, tuple[str, dict[str, object]]] = {
    "joongdo_daejeon_crlf.txt": (
        "joongdo",
        {
            "outlet": "중도일보",
            "section": "사회/교육",
            "region_bullet": "대전",
            "reporter": "김민준",
            "email": "mjkim@",
            "url": "",
            "published": pd.Timestamp("2022-03-14 16:45"),
            "title": "대전시, 스마트 횡단보도 50곳 추가 설치한다",
            "subtitle": "어린이보호구역 중심…보행자 감지 센서·바닥 신호등 도입",
            "body": "\n\n".join(
                [
                    "대전시가 어린이보호구역을 중심으로 스마트 횡단보도를 50곳 더 늘린다.",
                    "시는 올해 예산 12억 원을 들여 보행자 감지 센서와 바닥 신호등, 음성 안내 장치를 "
                    "갖춘 횡단보도를 5개 자치구에 고루 배치할 계획이라고 14일 밝혔다.",
                    "스마트 횡단보도는 차량 접근을 인식해 전광판으로 운전자에게 경고하고, 신호를 어긴 "
                    "차량을 자동으로 기록한다.",
                    '시 관계자는 "지난해 시범 운영한 구간에서 보행자 사고가 눈에 띄게 줄었다"며 '
                    '"설치 지점은 학부모 의견을 받아 정하겠다"고 말했다.',
                ]
            ),
            "captions": "대전 서구의 한 초등학교 앞에 설치된 스마트 횡단보도. "
            "보행자가 다가오면 바닥 신호등이 켜진다.",
            "dateline": "",
        },
    ),
    "news1_sejong_edit_before_input.txt": (
        "news1",
        {
            "outlet": "뉴스1",
            "section": "",
            "region_bullet": "",
            "reporter": "박서연",
            "email": "psy@news1.kr",
            "url": "",
            "published": pd.Timestamp("2023-06-01 14:05"),  # 입력, not the 수정 printed first
            "title": "세종시 자율주행 버스, 다음달부터 BRT 전 구간 달린다",
            "subtitle": "정류장 12곳 정차…평일 하루 8회 왕복",
            "body": "\n\n".join(
                [
                    "세종시가 간선급행버스(BRT) 전 구간에서 자율주행 버스를 정식 운행한다.",
                    "시는 다음달 3일부터 정류장 12곳에 서는 자율주행 버스 2대를 평일 하루 8회 왕복 "
                    "운행한다고 1일 밝혔다.",
                    "운전석에는 안전요원이 타고, 비나 눈이 많이 오는 날에는 수동 운전으로 바꾼다.",
                    "요금은 일반 시내버스와 같으며 교통카드로 낼 수 있다.",
                ]
            ),
            "captions": "세종시 BRT 구간을 시험 운행 중인 자율주행 버스.(세종시 제공)/뉴스1",
            "dateline": "세종",
        },
    ),
    "daejonilbo_daejeon_cp949.txt": (
        "daejonilbo",
        {
            "outlet": "대전일보",
            "section": "",
            "region_bullet": "",
            "reporter": "이도윤",
            "email": "dylee@daejonilbo.com",
            "url": "",
            "published": pd.Timestamp("2021-09-27 17:40"),
            "title": "대전 스마트시티 통합플랫폼, 5개 자치구 CCTV 한데 묶는다",
            "subtitle": "112·119 긴급 영상 연계 확대\n재난 상황 때 영상 즉시 공유",
            "body": "\n\n".join(
                [
                    "대전시가 5개 자치구의 방범용 CCTV 영상을 하나의 플랫폼으로 통합한다.",
                    "시는 국비와 시비 등 18억 원을 들여 연말까지 스마트시티 통합플랫폼을 고도화하고, "
                    "경찰과 소방에 영상을 제공하는 범위를 넓히기로 했다고 27일 밝혔다.",
                    "통합이 끝나면 화재나 실종 신고가 들어왔을 때 주변 영상이 곧바로 112와 119 "
                    "상황실로 전달된다.",
                ]
            ),
            "captions": "대전시 스마트시티 통합운영센터 상황실 모습. [사진=대전시 제공]",
            "dateline": "",
        },
    ),
    "cctoday_sejong_end_byline.txt": (
        "cctoday",
        {
            "outlet": "충청투데이",
            "section": "",
            "region_bullet": "",
            "reporter": "정하늘",
            "email": "sky@cctoday.co.kr",
            "url": "",
            "published": pd.Timestamp("2024-04-22 19:05"),
            "title": "세종시, 공공자전거 '어울링'에 AI 수요예측 도입",
            "subtitle": "대여소별 재배치 시간 절반으로",
            "body": "\n\n".join(
                [
                    "세종시가 공공자전거 어울링의 재배치 작업에 인공지능 수요예측을 적용한다.",
                    "시는 대여 기록과 날씨, 행사 일정을 학습한 모델로 대여소별 수요를 2시간 단위로 "
                    "예측해 운반 차량의 동선을 짠다고 22일 밝혔다.",
                    "시범 운영 기간 재배치에 걸린 시간은 하루 평균 6시간에서 3시간으로 줄었다.",
                ]
            ),
            "captions": "세종시 어진동 어울링 대여소에서 시민들이 자전거를 빌리고 있다. 세종시 제공\n"
            "어울링 재배치 차량 동선 예시. 세종시 제공",
            "dateline": "세종",
        },
    ),
    "cctoday_daejeon_start_byline_bom.txt": (
        "cctoday",
        {
            "outlet": "충청투데이",
            "section": "",
            "region_bullet": "",
            "reporter": "윤가람",
            "email": "",
            "url": "",
            "published": pd.Timestamp("2023-11-08 10:20"),
            "title": "대전 도시철도 2호선 트램 정류장에 스마트 쉘터 설치",
            "subtitle": "",
            "body": "\n\n".join(
                [
                    "대전시가 도시철도 2호선 트램 정류장 45곳에 냉난방과 공기정화 기능을 갖춘 스마트 "
                    "쉘터를 짓는다.",
                    "쉘터에는 버스와 트램 도착 정보를 함께 보여주는 안내판과 비상벨이 달린다.",
                    "시는 설계를 내년 상반기에 마무리하고 트램 개통 시기에 맞춰 설치를 끝낼 계획이다.",
                ]
            ),
            "captions": "",
            "dateline": "",
        },
    ),
    "ggilbo_sejong.txt": (
        "ggilbo",
        {
            "outlet": "금강일보",
            "section": "",
            "region_bullet": "",
            "reporter": "서하은",
            "email": "",
            "url": "",
            "published": pd.Timestamp("2023-03-02 18:30"),
            "title": "세종시 스마트 경로당 40곳으로 확대",
            "subtitle": "화상 체조·건강측정 기기 갖춰",
            "body": "\n\n".join(
                [
                    "세종시가 화상 프로그램과 건강측정 기기를 갖춘 스마트 경로당을 올해 40곳으로 늘린다.",
                    "어르신들은 경로당 화면으로 보건소 운동 강사와 함께 체조를 하고, 혈압과 혈당을 재 "
                    "기록으로 남긴다.",
                    "시는 읍면 지역부터 우선 설치할 계획이다.",
                ]
            ),
            "captions": "세종시 조치원읍의 한 스마트 경로당에서 어르신들이 화상 건강 체조를 하고 있다. "
            "세종시 제공",
            "dateline": "",
        },
    ),
    "newswire_daejeon.txt": (
        "newswire",
        {
            "outlet": "뉴스와이어",
            "section": "",
            "region_bullet": "",
            "reporter": "",
            "email": "",
            "url": "",
            "published": None,
            "title": "대전시, 스마트 가로등 관제 시스템 구축",
            "subtitle": "",
            "body": "\n\n".join(
                [
                    "대전시가 가로등과 보안등을 원격으로 켜고 끄는 관제 시스템을 구축한다.",
                    "시는 올해 5개 자치구의 가로등 2만여 개에 통신 장치를 달고, 고장이 나면 관제 센터에 "
                    "바로 알리도록 할 계획이다.",
                    "사업 개요",
                    "시스템은 내년 상반기에 가동한다.",
                ]
            ),
            "captions": "",
            "dateline": "대전",
        },
    ),
    "yonhap_sejong_ideographic_space.txt": (
        "yonhap",
        {
            "outlet": "연합뉴스",
            "section": "",
            "region_bullet": "",
            "reporter": "한지우",
            "email": "hjw@yna.co.kr",
            "url": "",
            "published": pd.Timestamp("2024-02-14 11:20"),
            "title": "세종 5-1생활권 스마트시티 첫 입주 단지 분양 일정 확정",
            "subtitle": "",
            "body": "\n\n".join(
                [
                    "세종 합강동(5-1생활권) 스마트시티 국가시범도시의 첫 입주 단지가 올해 하반기 "
                    "분양에 들어간다.",
                    "행정중심복합도시건설청은 14일 시범도시 주거지역 1개 단지의 분양 일정을 확정했다고 "
                    "밝혔다.",
                    "단지에는 자율주행 셔틀 승강장과 공유 모빌리티 거점, 에너지 관리 시스템이 들어선다.",
                ]
            ),
            "captions": "세종 합강동 스마트시티 조감도 [세종시 제공. 재판매 및 DB 금지]",
            "dateline": "세종",
        },
    ),
    "newsis_daejeon.txt": (
        "newsis",
        {
            "outlet": "뉴시스",
            "section": "",
            "region_bullet": "",
            "reporter": "조은별",
            "email": "star@newsis.com",
            "url": "",
            "published": pd.Timestamp("2022-09-20 10:12:33"),
            "title": "대전시, 대덕특구에 자율주행 실증 도로 6.7㎞ 추가 지정",
            "subtitle": "",
            "body": "\n\n".join(
                [
                    "대전시가 대덕연구개발특구 일대에 자율주행 실증 도로 6.7㎞를 추가로 지정했다.",
                    "시는 연구기관과 기업이 시험 차량을 일반 도로에서 운행할 수 있도록 관계기관 협의를 "
                    "마쳤다고 20일 밝혔다.",
                    "새 구간에는 차량과 신호등이 통신하는 장치가 깔린다.",
                ]
            ),
            "captions": "[대전=뉴시스] 대덕특구 자율주행 실증 구간을 달리는 시험 차량. "
            "(사진=대전시 제공) 2022.09.20. photo@newsis.com *재판매 및 DB 금지",
            "dateline": "대전",
        },
    ),
    "generic_unknown_outlet.txt": (
        "generic",
        {
            "outlet": "세종미래신문",
            "section": "",
            "region_bullet": "",
            "reporter": "최다온",
            "email": "",
            "url": "https://news.example.com/sejongmirae/20211108001",
            "published": pd.Timestamp("2021-11-08 09:30"),
            "title": "대전 유성구, 스마트 가로등으로 야간 보행길 밝힌다",
            "subtitle": "",
            "body": "\n\n".join(
                [
                    "대전 유성구가 움직임을 감지해 밝기를 조절하는 스마트 가로등 120개를 궁동과 "
                    "어은동 골목에 세운다.",
                    "가로등에는 비상벨과 CCTV가 함께 달려 위급 상황 때 구 관제센터로 바로 연결된다.",
                    "구는 설치를 다음달 마치고 전력 사용량과 민원 변화를 분석할 계획이다.",
                ]
            ),
            "captions": "",
            "dateline": "",
        },
    ),
    "generic_no_stamp.txt": (
        "generic",
        {
            "outlet": "한밭뉴스",
            "section": "",
            "region_bullet": "",
            "reporter": "강다인",
            "email": "dain@example.com",
            "url": "",
            "published": None,
            "title": "세종시 스마트 그늘막 30곳 추가…기온 따라 자동 개폐",
            "subtitle": "",
            "body": "\n\n".join(
                [
                    "세종시가 기온과 풍속에 따라 스스로 펴지고 접히는 스마트 그늘막을 횡단보도 30곳에 "
                    "추가로 설치한다.",
                    "그늘막은 태양광으로 충전돼 별도 전기 공사가 필요 없다.",
                    "시는 6월 말까지 설치를 마칠 예정이다.",
                ]
            ),
            "captions": "",
            "dateline": "",
        },
    ),
}

REJECTED = {
    "invalid_date.txt": "unparseable date '2019-02-30'",
    "no_title.txt": "no title",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_layout_fixture_fields(name: str) -> None:
    layout, expected = EXPECTED[name]
    text = read_fixture(FIXTURES / name)
    assert pages.detect_layout(text) == layout
    assert pages.parse_page(text, source_file=name) == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_chrome_leaks(name: str) -> None:
    text = read_fixture(FIXTURES / name)
    everything = fields_text(pages.parse_page(text))
    chrome = chrome_lines(text)
    for word in ("대전", "AI", "스마트시티"):  # the chrome could corrupt counts if it leaked
        assert any(word in line for line in chrome), word
    for line in chrome:
        if len(line) >= 8:
            assert line not in everything, line
    for word in CHROME_WORDS:
        assert word not in everything, word


@pytest.mark.parametrize("name, reason", sorted(REJECTED.items()))
def test_unusable_fixture_is_rejected_with_reason(name: str, reason: str) -> None:
    text = read_fixture(FIXTURES / name)
    assert pages.looks_like_page(text)
    with pytest.raises(RecordError) as info:
        pages.parse_page(text)
    assert str(info.value) == reason


def test_every_fixture_is_covered_and_every_layout_has_one() -> None:
    files = {p.name for p in FIXTURES.glob("*.txt")}
    assert files == set(EXPECTED) | set(REJECTED)
    assert {layout for layout, _ in EXPECTED.values()} == set(pages.load_layouts())


def test_fixture_encodings_and_odd_spaces_are_as_documented() -> None:
    def raw(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    assert raw("cctoday_daejeon_start_byline_bom.txt").startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw("daejonilbo_daejeon_cp949.txt").decode("utf-8")
    assert b"\r\n" in raw("joongdo_daejeon_crlf.txt")
    assert "\u00a0" in raw("joongdo_daejeon_crlf.txt").decode("utf-8")
    assert "\u3000" in raw("yonhap_sejong_ideographic_space.txt").decode("utf-8")


# ---------------------------------------------------------------------------------------------
# Stamps, rejects and smaller cases written inline
# ---------------------------------------------------------------------------------------------

_PAGE = """{title}

{stamps}

대전시가 스마트 정류장 10곳을 새로 짓는다.

시는 연말까지 공사를 마칠 계획이다.

홍길동 기자 hong@example.com

저작권자 © 예시일보 무단전재 및 재배포 금지

많이 본 뉴스
대전 AI 특구 지정
"""


def _page(stamps: str, title: str = "대전시, 스마트 정류장 10곳 신설") -> str:
    return normalize_text(_PAGE.format(title=title, stamps=stamps))


@pytest.mark.parametrize(
    "stamps, expected",
    [
        ("입력 2021.03.15 10:30  수정 2021.03.15 11:45", "2021-03-15 10:30"),
        ("수정 2021.03.15 11:45\n입력 2021.03.15 10:30", "2021-03-15 10:30"),
        ("입력2021.03.15. 오후 3:20 수정2021.03.15. 오후 4:10", "2021-03-15 15:20"),
        ("기사입력 2021.03.15. 오전 12:05", "2021-03-15 00:05"),
        ("등록 2021-03-15 10:30:12", "2021-03-15 10:30:12"),
        ("송고시간2021-03-15 07:00", "2021-03-15 07:00"),
        ("승인 2021년 03월 15일 09시 10분", "2021-03-15 09:10"),
        ("입력 : 2021/03/15", "2021-03-15 00:00"),
        ("2021.03.15. 오후 3:20", "2021-03-15 15:20"),
    ],
)
def test_published_comes_from_the_publication_stamp(stamps: str, expected: str) -> None:
    rec = pages.parse_page(_page(stamps))
    assert rec["published"] == pd.Timestamp(expected)
    assert rec["body"].startswith("대전시가 스마트 정류장")
    assert rec["reporter"] == "홍길동" and rec["outlet"] == "예시일보"


def test_only_an_edit_stamp_gives_no_published() -> None:
    assert pages.parse_page(_page("수정 2021.03.15 11:45"))["published"] is None


@pytest.mark.parametrize(
    "stamps, reason",
    [
        ("입력 2019-02-30 10:00", "unparseable date '2019-02-30'"),
        ("입력 2021.13.01 10:00", "unparseable date '2021.13.01'"),
        ("입력 2021.03.15 25:10", "unparseable date '2021.03.15 25:10'"),
    ],
)
def test_impossible_stamp_is_a_record_error(stamps: str, reason: str) -> None:
    with pytest.raises(RecordError, match=re.escape(reason)):
        pages.parse_page(_page(stamps))


def test_page_without_body_is_rejected() -> None:
    text = normalize_text(
        "대전시, 스마트 정류장 10곳 신설\n\n입력 2021.03.15 10:30\n\n"
        "저작권자 © 예시일보 무단전재 및 재배포 금지\n\n많이 본 뉴스\n대전 AI 특구 지정 추진한다.\n"
    )
    with pytest.raises(RecordError, match="^no body$"):
        pages.parse_page(text)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "본문 바로가기\n전체메뉴\n"])
def test_empty_page_has_no_title(text: str) -> None:
    with pytest.raises(RecordError, match="^no title$"):
        pages.parse_page(text)


def test_sentence_first_line_is_not_a_title() -> None:
    text = normalize_text(
        "대전시가 시내 주요 교차로와 환승 거점에 스마트 정류장 10곳을 새로 짓는다고 15일 밝혔다."
        "\n\n시는 연말까지 공사를 마친다.\n\n"
        "홍길동 기자 hong@example.com\n"
    )
    with pytest.raises(RecordError, match="^no title$"):
        pages.parse_page(text)


def test_dateline_alone_on_its_line_and_a_later_paragraph_keeps_its_brackets() -> None:
    text = normalize_text(
        "세종시 스마트 주차 안내 확대\n\n입력 2022.05.02 09:00\n\n(세종=뉴스1) 홍길동 기자 =\n\n"
        "세종시가 스마트 주차 안내판을 늘린다.\n\n(세종=뉴스1) 표기는 둘째 문단에서는 본문이다.\n\n"
        "© 뉴스1코리아(news1.kr), 무단 전재 및 재배포 금지\n"
    )
    rec = pages.parse_page(text)
    assert rec["dateline"] == "세종" and rec["reporter"] == "홍길동"
    assert rec["body"] == "세종시가 스마트 주차 안내판을 늘린다.\n\n(세종=뉴스1) 표기는 둘째 문단에서는 본문이다."


def test_outlet_alone_in_brackets_opens_the_body_only_when_it_is_the_pages_outlet() -> None:
    """`[뉴스스텝] 세종시가 …` is a dateline without a place; `[속보] …` or another name is text."""
    page = "세종시 스마트 가로등 확대\n\n홍길동 기자 / 기사승인 : 2025-07-29 08:00:27\n\n{}\n\n<저작권자 © 뉴스스텝 무단전재 및 재배포금지>\n"
    rec = pages.parse_page(normalize_text(page.format("[뉴스스텝] 세종시가 스마트 가로등을 늘린다.")))
    assert rec["body"] == "세종시가 스마트 가로등을 늘린다." and rec["outlet"] == "뉴스스텝"
    assert rec["reporter"] == "홍길동" and str(rec["published"]) == "2025-07-29 08:00:27"
    for kept in ("[속보] 세종시가 스마트 가로등을 늘린다.", "[세종시] 세종시가 스마트 가로등을 늘린다."):
        assert pages.parse_page(normalize_text(page.format(kept)))["body"] == kept
    # A copy cut before its copyright line: the listed outlet in brackets is the page's outlet.
    cut = page.split("<저작권자")[0]
    rec = pages.parse_page(normalize_text(cut.format("[뉴스스텝] 세종시가 스마트 가로등을 늘린다.")))
    assert rec["body"] == "세종시가 스마트 가로등을 늘린다." and rec["outlet"] == "뉴스스텝"
    rec = pages.parse_page(normalize_text(cut.format("[속보] 세종시가 스마트 가로등을 늘린다.")))
    assert rec["body"] == "[속보] 세종시가 스마트 가로등을 늘린다." and rec["outlet"] == ""


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("<저작권자 © 대전투데이 무단전재 및 재배포금지>", "대전투데이"),
        ("ⓒ 중도일보사 무단전재 및 재배포 금지", "중도일보"),
        ("Copyright ⓒ www.daejeontoday.com All rights reserved.", "대전투데이"),
        # a listed name inside a longer one is not that outlet
        ("ⓒ 세종충청뉴스 무단전재 및 재배포 금지", ""),
        ("ⓒ 대전타임뉴스 무단전재 및 재배포 금지", ""),
        ("저작권자 © 충청뉴스라인 무단전재 및 재배포 금지", ""),
    ],
)
def test_a_copyright_line_names_a_listed_outlet_as_a_whole_name(line: str, outlet: str) -> None:
    assert pages.known_outlet(line) == outlet


@pytest.mark.parametrize(
    ("stamp_line", "reporter"),
    [
        ("홍길동 | 기사입력 2021-04-02 23:22:06", "홍길동"),
        ("홍길동 / 기사승인 : 2021-04-02 23:22:06", "홍길동"),
        ("홍길동 기자 / 기사승인 : 2021-04-02 23:22:06", "홍길동"),
        ("입력 2021.04.02 (23:22) 수정 2021.04.03 (08:00) 뉴스9(대전)", ""),
        # a place is not a reporter; a name beside an unlabelled date is not a stamp line's
        ("세종시 | 기사입력 2021-04-02 23:22:06", None),
        ("홍길동 2021-04-02 23:22:06", None),
    ],
)
def test_stamp_lines_with_a_bare_name_or_a_programme(stamp_line: str, reporter: str | None) -> None:
    text = normalize_text(
        f"대전시 스마트 가로등 확대\n\n{stamp_line}\n\n대전시가 스마트 가로등을 늘린다.\n\n"
        "ⓒ 타임뉴스 무단전재 및 재배포 금지\n"
    )
    rec = pages.parse_page(text)
    if reporter is None:  # not read as a stamp line: no reporter taken from it
        assert rec["reporter"] == ""
        return
    assert pd.Timestamp(rec["published"]).strftime("%Y-%m-%d %H:%M") == "2021-04-02 23:22"
    assert rec["reporter"] == reporter and rec["subtitle"] == ""


def _page_of(*lines: str) -> dict[str, object]:
    return pages.parse_page(normalize_text("\n\n".join(lines) + "\n"))


def test_layouts_of_the_real_page_regression_check() -> None:
    """Layout lines that 83 real pages of 57 outlets printed and the extractor misread."""
    # `by홍길동 기자` (이데일리), and a caption without a mark above the dateline
    rec = _page_of("대전시, 데이터 행정 넓힌다", "by홍길동 기자", "2021.04.02 09:57:16",
                "1일 위원회가 열리고 있다.", "사진=대전시 제공",
                "[대전=이데일리 홍길동 기자] 대전시가 데이터 행정을 넓힌다.", "시는 올해 세 과제를 추진한다.",
                "ⓒ 이데일리 무단전재 및 재배포 금지")
    assert rec["reporter"] == "홍길동" and rec["dateline"] == "대전" and rec["subtitle"] == ""
    assert rec["captions"] == "사진=대전시 제공\n1일 위원회가 열리고 있다."
    assert rec["body"] == "대전시가 데이터 행정을 넓힌다.\n\n시는 올해 세 과제를 추진한다."
    # `[세종 TV = 홍길동 기자]` names an outlet of two words; `[파이낸셜뉴스 대전=…]` an outlet and a place
    rec = _page_of("세종시 자율주행 특구 지정", "2019-07-25 홍길동 기자", "[세종 TV = 홍길동 기자]",
                "세종시가 자율주행 특구로 지정됐다.")
    assert rec["outlet"] == "세종 TV" and rec["body"] == "세종시가 자율주행 특구로 지정됐다."
    rec = _page_of("대전시 스마트도시 계획", "입력 2022.07.27 12:00",
                "[파이낸셜뉴스 대전=홍길동 기자] 대전시가 스마트도시 계획을 세운다.")
    assert (rec["outlet"], rec["dateline"]) == ("파이낸셜뉴스", "대전")
    # the outlet printed beside the stamp; KBS's read-aloud notice; a `./기관` caption credit; 등록일
    rec = _page_of("대전시 스마트 챌린저 발대식", "에너지경제신문 입력 2021.07.19 16:17",
                "읽어주기 기능은 크롬기반의", "브라우저에서만 사용하실 수 있습니다.",
                "12일 구청에서 팀이 발표하고 있다./대전 유성구", "대전시가 시민 체험단을 꾸렸다.")
    assert rec["outlet"] == "에너지경제신문" and str(rec["published"]) == "2021-07-19 16:17:00"
    assert rec["captions"] == "12일 구청에서 팀이 발표하고 있다./대전 유성구"
    assert rec["body"] == "대전시가 시민 체험단을 꾸렸다." and rec["subtitle"] == ""
    rec = _page_of("대전 자율주행 버스 시범 운행", "등록일 : 2026.02.14 12:51", "대전에서 자율주행 버스가 달린다.")
    assert str(rec["published"]) == "2026-02-14 12:51:00"
    # a `/홍길동 기자` ending stays a byline, not a caption credit
    rec = _page_of("세종시 공공 와이파이 확대", "입력 2025.07.29 10:00", "세종시가 와이파이를 늘린다.",
                "시는 연말까지 설치를 마칠 예정이다. /홍길동 기자")
    assert rec["reporter"] == "홍길동" and rec["captions"] == ""
    assert rec["body"].endswith("마칠 예정이다.")
    # a programme's air time above the headline is not the headline (KTV)
    rec = _page_of("본문바로가기 메뉴바로가기", "KTV 대한뉴스 월~금요일 19시 30분", "도시가 똑똑해진다 [뉴스링크]",
                "방송일 : 2019.02.13 재생시간 : 02:49", "홍길동 앵커>", "도시 이야기를 전해드립니다.")
    assert rec["title"] == "도시가 똑똑해진다 [뉴스링크]" and str(rec["published"]) == "2019-02-13 00:00:00"
    assert rec["body"] == "도시 이야기를 전해드립니다."


WEATHER = ("2025.08.29 (금)", "• 구름많음동두천 29.3℃", "• 맑음강릉 33.1℃", "• 구름조금대전 30.6℃",
           "• 흐림제주 27.5℃", "기상청 제공")


def _assert_datelines(cases: tuple[tuple[str, str, str], ...]) -> None:
    """Each ``(opening, outlet, place)``: a first paragraph opening with that dateline is a mark
    of news, and the page reads the outlet, the place and the reporter 홍길동 from it."""
    body = "세종시가 수소 버스를 늘린다."
    for opening, outlet, place in cases:
        lines = ("세종시 수소 버스 늘린다", f"{opening} {body}")
        assert pages.looks_like_page("\n\n".join(lines)), opening
        rec = _page_of(*lines)
        assert (rec["outlet"], rec["dateline"], rec["reporter"], rec["body"]) == (outlet, place, "홍길동", body), opening


def test_layouts_of_a_third_real_page_check() -> None:
    """Layout lines of 32 real pages of 32 outlets the extractor had not seen (sentences invented)."""
    # a site's today-date and weather widget above the headline; a start byline set off by a bar,
    # the page's only mark of news (브릿지저널), also with the outlet's slogan and 기자 twice
    lines = (*WEATHER, "유성구, 데이터 행정 실증 보고회 열어",
             "브릿지저널 홍길동 기자 | 대전 유성구가 데이터 실증 결과를 발표했다.", "구는 네 과제를 시험했다.")
    assert pages.looks_like_page("\n\n".join(lines))
    rec = _page_of(*lines)
    assert rec["title"] == "유성구, 데이터 행정 실증 보고회 열어" and rec["published"] is None
    assert (rec["outlet"], rec["reporter"]) == ("브릿지저널", "홍길동")
    assert rec["body"] == "대전 유성구가 데이터 실증 결과를 발표했다.\n\n구는 네 과제를 시험했다."
    rec = _page_of("배너", *WEATHER, "서구, 빅데이터로 행정 바꾼다",
                   "데일리연합(월간, 한국뉴스신문) 홍길동기자 기자 | 대전 서구가 분석 과제를 늘린다.")
    assert (rec["title"], rec["outlet"], rec["reporter"]) == ("서구, 빅데이터로 행정 바꾼다", "데일리연합", "홍길동")
    assert rec["body"] == "대전 서구가 분석 과제를 늘린다."
    # bracketed datelines of other shapes are marks of news too: `ㅣ` as a bar, outlet and place
    # before `=`, outlet and reporter alone; the outlet-first `[굿모닝충청=세종 …]` is read so
    _assert_datelines((("[더팩트ㅣ대전=홍길동 기자]", "더팩트", "대전"),
                       ("[천지일보 세종=홍길동 기자]", "천지일보", "세종"),
                       ("[월간수소경제 홍길동 기자]", "월간수소경제", ""),
                       ("[굿모닝충청=세종 홍길동 기자]", "굿모닝충청", "세종")))
    # `입력일 … 수정일 … 발행일 … 21면` (브릿지경제) and a print button's label `인쇄아이콘`
    rec = _page_of("세종 순환 버스 다음 달 운행", "입력일 2018-01-28 14:49 수정일 2018-01-28 15:02 발행일 2018-01-29 21면",
                   "인쇄아이콘", "세종시 순환 버스가 다음 달 달린다.")
    assert str(rec["published"]) == "2018-01-28 14:49:00" and rec["subtitle"] == ""
    assert rec["body"] == "세종시 순환 버스가 다음 달 달린다."
    # the print edition's lines under the stamp (한국경제): the subtitle below them stays one
    rec = _page_of("세종에 제로에너지 마을", "입력 2016-09-12 18:25 수정 2016-09-12 22:53", "지면 지면정보",
                   "2016-09-13A9면", "2020년까지 국내 최대", "세종시에 제로에너지 마을이 생긴다.",
                   "ⓒ 한경닷컴, 무단전재 및 재배포 금지")
    assert rec["subtitle"] == "2020년까지 국내 최대" and rec["body"] == "세종시에 제로에너지 마을이 생긴다."
    # a photo's file name above the first paragraph's dateline: no caption under it (에너지경제신문);
    # the reporter's link and a comment box end the article (`… 기자 기사 더 보기`, `… 기자의 다른 기사 더보기`)
    rec = _page_of("대전시 스마트 챌린저 선발", "에너지경제신문 입력 2021.07.19 16:17", "ek-2021-07-19t161427_134.jpg",
                   "[에너지경제신문 홍길동 기자] 대전시가 체험단을 뽑았다.", "체험단은 서비스를 써 본다.",
                   "홍길동 기자 기사 더 보기", "0", "TOP")
    assert rec["captions"] == "" and rec["reporter"] == "홍길동"
    assert rec["body"] == "대전시가 체험단을 뽑았다.\n\n체험단은 서비스를 써 본다."
    rec = _page_of("대전 도시재생 공모 다섯 곳", "승인 2019.03.08 10:00", "대전시가 공모 결과를 밝혔다.",
                   "홍길동 기자의 다른 기사 더보기", "독자의견", "로그인 독자분들의 의견을 기다립니다", "0/ 300자")
    assert rec["reporter"] == "홍길동" and rec["body"] == "대전시가 공모 결과를 밝혔다."
    # a series' contents inside its first article do not end it; a photographer's credit `ⓒ홍길동 기자`
    # is a caption, not a copyright line naming an outlet
    rec = _page_of("세종청사 입주 한 달", "2012.10.18 19:45:12", "세종청사 입주가 한 달을 맞았다.", "◇글 싣는 순서",
                   "1.총리실 입주 한 달", "2.버스 운행 한 달", "3.남은 과제", "ⓒ홍길동 기자",
                   "오전 8시 승강장에는 승객 세 명이 있었다.")
    assert rec["outlet"] == "" and rec["captions"] == "ⓒ홍길동 기자"
    assert rec["body"].endswith("오전 8시 승강장에는 승객 세 명이 있었다.") and "3.남은 과제" in rec["body"]
    # a page that prints no outlet's name: the listed domain of the reporter's e-mail or of the
    # address it prints names it (an unlisted or a local-only e-mail names none)
    for byline, outlet in (("홍길동 기자 hong@viva100.com", "브릿지경제"), ("홍길동 기자 hong@mail.example", ""),
                           ("홍길동 기자 hong@", "")):
        rec = _page_of("세종 순환 버스 다음 달 운행", "입력 2018-01-28 14:49", "세종시 순환 버스가 다음 달 달린다.", byline)
        assert (rec["outlet"], rec["reporter"]) == (outlet, "홍길동"), byline
    rec = _page_of("세종 순환 버스 다음 달 운행", "입력 2018-01-28 14:49", "세종시 순환 버스가 다음 달 달린다.",
                   "기사원문 : https://m.ilyo.co.kr/?ac=article_view&entry_id=1")
    assert rec["outlet"] == "일요신문"
    # a listed outlet alone in brackets or parentheses opening the first paragraph is a dateline
    # without a place, a mark of news, and names the outlet; other words in parentheses are text
    for opening, outlet in (("(경기뉴스통신)", "경기뉴스통신"), ("(TGN 땡큐굿뉴스)", "TGN 땡큐굿뉴스"),
                            ("[세종타임즈]", "세종타임즈")):
        lines = (*WEATHER, "대전역 택시 승강장 바꾼다", f"{opening} 대전시가 대전역 택시 승강장을 고친다.")
        assert pages.looks_like_page("\n\n".join(lines)), opening
        rec = _page_of(*lines)
        assert (rec["outlet"], rec["body"]) == (outlet, "대전시가 대전역 택시 승강장을 고친다."), opening
    lines = ("대전역 택시 승강장 바꾼다", "(가칭) 대전역 승강장 개선안이 나왔다.")
    assert not pages.looks_like_page("\n\n".join(lines))
    rec = _page_of(lines[0], "입력 2021-03-02 10:00", lines[1])
    assert (rec["outlet"], rec["body"]) == ("", "(가칭) 대전역 승강장 개선안이 나왔다.")
    # a reposting site's `[뉴스출처 : …]` line ends the article
    rec = _page_of("유성구 데이터 로드맵 보고회", "등록 2025.04.20 10:00", "유성구가 로드맵을 정리했다.",
                   "[뉴스출처 : 대전시 유성구]", "오피니언", "대전시 교육청")
    assert rec["body"] == "유성구가 로드맵을 정리했다."


def test_layouts_of_a_fourth_real_page_check() -> None:
    """Layout lines of 32 real pages of 32 more outlets (sentences invented)."""
    body = "세종시가 자율주행 버스 노선을 늘린다."
    # skip links and a hidden test element above the headline; a stamp line with the reporter,
    # the print date with its weekday and page, and the approval time (`승인시간 :`)
    rec = _page_of("check 3d gpu", "바로가기", "메뉴로 이동", "본문으로 이동", "세종 자율주행 버스 노선 늘린다",
                   "홍길동 기자 hong@cctoday.co.kr 2019년 02월 11일 월요일 제3면     승인시간 : 2019년 02월 10일 17시 30분",
                   f"[충청투데이 홍길동 기자] {body}")
    assert (rec["title"], rec["body"], rec["reporter"]) == ("세종 자율주행 버스 노선 늘린다", body, "홍길동")
    assert str(rec["published"]) == "2019-02-10 17:30:00" and rec["subtitle"] == ""
    # a section's name glued to the stamp's label (지디넷코리아); a bare name before a dotted date
    # and time (Daum's copy of a wire story, whose layout takes an unlabelled stamp too)
    rec = _page_of("세종 자율주행 버스 노선 늘린다", "방송/통신입력 :2020/02/25 11:50", body)
    assert (str(rec["published"]), rec["section"], rec["subtitle"]) == ("2020-02-25 11:50:00", "방송/통신", "")
    rec = _page_of("세종 자율주행 버스 노선 늘린다", "홍길동 2023. 10. 6. 09:02", f"(세종=연합뉴스) 홍길동 기자 = {body}")
    assert (str(rec["published"]), rec["reporter"], rec["subtitle"]) == ("2023-10-06 09:02:00", "홍길동", "")
    assert rec["outlet"] == "연합뉴스"
    for not_a_name in ("세종시 2023. 10. 6. 09:02", "홍길동 2023. 10. 6."):
        rec = _page_of("세종 자율주행 버스 노선 늘린다", not_a_name, body)
        assert rec["published"] is None and rec["reporter"] == "", not_a_name
    # chrome under the article ends it once the body has begun (an app banner, a comment box, a
    # newsletter button, tags, a comment count) and is dropped above it; a view counter alone
    for tail in ("MBN APP 다운로드", "댓글삭제", "뉴스레터 구독신청", "태그(Tag)", "전체 댓글 (0)"):
        rec = _page_of("세종 자율주행 버스 노선 늘린다", "입력 2019.03.06 10:00", tail, body, "(85)", tail,
                       "삭제한 댓글은 다시 복구할 수 없습니다.")
        assert rec["body"] == body, tail
    # a bare photo credit is a caption, not a headline: a page with nothing else above its first
    # paragraph has no headline
    with pytest.raises(RecordError, match="no title"):
        pages.parse_page(normalize_text("사진제공=세종시\n\n[월드투데이=홍길동 기자] " + body))
    # bracketed datelines of other shapes are marks of news and name outlet, place and reporter:
    # the outlet alone in brackets before `홍길동 기자=`, outlet=place then the reporter, a Latin
    # `l` as the bar, outlet=place/name
    _assert_datelines((("[미래 세종일보]홍길동 기자=", "미래 세종일보", ""),
                       ("[sbn뉴스=대전] 홍길동 기자", "sbn뉴스", "대전"),
                       ("[일요서울l세종 홍길동 기자]", "일요서울", "세종"),
                       ("[대전인터넷신문=세종/홍길동 기자]", "대전인터넷신문", "세종")))
    # a place and name in angle brackets glued to the last sentence (동양일보), its video label
    rec = _page_of("세종 자율주행 버스 노선 늘린다", "입력 2013.05.01 10:00", body, "시는 다음 달부터 운행한다.<세종/홍길동>",
                   "동양일보TV")
    assert (rec["body"], rec["reporter"], rec["dateline"]) == (f"{body}\n\n시는 다음 달부터 운행한다.", "홍길동", "세종")
    # a bracketed dateline and reporter on a line of its own: the reporter, not a subtitle
    rec = _page_of("세종 자율주행 버스 노선 늘린다", "[sbn뉴스=대전] 홍길동 기자", body)
    assert (rec["reporter"], rec["dateline"], rec["subtitle"], rec["body"]) == ("홍길동", "대전", "", body)


def test_layouts_of_a_fifth_real_page_check() -> None:
    """Layout lines of 32 real pages of 32 more hosts: broadcasters' sites and blogs, portal and
    mirror copies, magazines, small outlets (sentences invented)."""
    title, body = "세종 자율주행 셔틀 새 노선 달린다", "세종시가 자율주행 셔틀 노선을 늘린다."
    # datelines in lenticular brackets and with two places, and the reporter's e-mail beside the
    # date, are marks of news; a bar after the reporter; an outlet and its place with spaces
    _assert_datelines((("【세종=코리아플러스】 홍길동 기자 =", "코리아플러스", "세종"),
                       ("(대전ㆍ충남=뉴스1) 홍길동 기자 =", "뉴스1", "대전ㆍ충남"),
                       ("[충남방송=세종] 홍길동 기자/", "충남방송", "세종"),
                       ("[MBS 세종 = 홍길동 기자]", "MBS", "세종"),
                       ("[세종 TV = 홍길동 기자]", "세종 TV", "")))
    assert pages.looks_like_page(f"{title}\n\nhong@naver.com | 2026-01-29 23:43:58\n\n{body}\n")
    # the outlet's name alone under the headline; a broadcaster and its station in brackets
    rec = _page_of(title, "눈카뉴스", "hong@naver.com | 2026-01-29 23:43:58", body)
    assert (rec["outlet"], rec["subtitle"], str(rec["published"])) == ("눈카뉴스", "", "2026-01-29 23:43:58")
    rec = _page_of(title, "입력 2020.10.29 19:14", "[KBS 대전]", body)
    assert (rec["outlet"], rec["dateline"], rec["subtitle"]) == ("KBS", "대전", "")
    for not_an_outlet in ("지역뉴스", "경제신문", "[세종 대전]"):
        assert _page_of(title, "입력 2020.10.29 19:14", not_an_outlet, body)["outlet"] == "", not_an_outlet
    # a link to the top of the page and a portal's record of numbers are not headlines
    for chrome in ("페이지상단으로이동", "63784171 1092020102963784171 08 6.2.0-RELEASE 109 KBS 0 true 1603966447000"):
        assert _page_of(chrome, title, "입력 2020.04.27 14:48", body)["title"] == title, chrome
    # between the stamps and the lead: a row of counters, a stamp's label over its date, the
    # portal's notices, a short photo label, a caption credited after its full stop, a photo's
    # file name or placeholder
    rec = _page_of(title, "입력", "2020.07.18 14:17", "0 0", "알림", "댓글 첫 댓글을 작성해보세요",
                   "주소복사가 완료되었습니다", "셔틀 정류장 사진", "clip20250112101306",
                   "시민이 셔틀을 타 보고 있다. 세종시 제공", "Photo Image", "게티이미지뱅크", body)
    assert (rec["body"], rec["subtitle"], str(rec["published"])) == (body, "", "2020-07-18 14:17:00")
    assert rec["captions"] == "셔틀 정류장 사진\n시민이 셔틀을 타 보고 있다. 세종시 제공\n게티이미지뱅크"
    # under the article: a tag box, and the headline printed again without its quotes
    rec = _page_of(f"“{title}”…시민 반겨", "입력 2025.12.30 10:00", body, "키워드", "#자율주행", "#세종")
    assert rec["body"] == body
    rec = _page_of(f"“{title}”…시민 반겨", "입력 2025.12.30 10:00", body, f"{title}…시민 반겨", "시는 노선을 더 늘린다.")
    assert rec["body"] == f"{body}\n\n시는 노선을 더 늘린다."
    # a copyright line with a slogan before the name, or `@` as the sign
    for line, outlet in (("저작권자 © 누구나 안심하는 세상을 만드는 언론 세이프타임즈 무단전재 및 재배포 금지", "세이프타임즈"),
                         ("Copyright @한방통신사 Corp. All rights reserved.", "한방통신사"),
                         ("저작권자 © 대전일보 무단전재 및 재배포 금지", "대전일보")):
        assert _page_of(title, "입력 2025.12.30 10:00", body, line)["outlet"] == outlet, line
    # a headline printed as the first of a list of bullets, over the reporter's and the stamp's;
    # the toolbar's bullets under them; a wire photo's credit after the caption's full stop
    rec = pages.parse_page(normalize_text(
        f"어린이 뉴스\n  • [오늘의 뉴스] {title}\n  • 홍길동 기자\n  • 2019-02-14 13:29:24\n  • 인쇄프린트\n"
        f"  • 글자 크기 키우기\n  • 글자 크기 줄이기\n  • 공유하기 공유하기\n\n\n셔틀을 타 보는 모습. 세종=뉴시스\n\n{body}\n"))
    assert (rec["title"], rec["reporter"], str(rec["published"])) == (f"[오늘의 뉴스] {title}", "홍길동", "2019-02-14 13:29:24")
    assert (rec["body"], rec["captions"], rec["section"], rec["region_bullet"]) == (body, "셔틀을 타 보는 모습. 세종=뉴시스", "", "")
    with pytest.raises(RecordError, match="no title"):  # a bullet over other bullets is no headline
        pages.parse_page(normalize_text(f"  • {title}\n  • 세종 자율주행 버스 노선 늘린다\n\n{body}\n"))
    # a broadcast reporter named in the anchor's lead as `홍길동 기자입니다.`
    rec = _page_of(title, "입력 2020.10.29 19:14", "[앵커]", f"{body} 홍길동 기자입니다.", "[리포트]",
                   "정류장 다섯 곳을 지나는 노선입니다.")
    assert rec["reporter"] == "홍길동"


def test_layouts_of_a_sixth_real_page_check() -> None:
    """Layout lines of 30 real pages of 30 more hosts: boards and blogs that repost news, AMP
    pages, mirrors, small outlets (sentences invented)."""
    title, body = "대전시 스마트 승강장 두 곳 문 열어", "대전시가 스마트 승강장 두 곳을 열었다."
    # a dateline in parentheses with the outlet and the reporter; a writer titled CP
    _assert_datelines((("(내외방송=홍길동 기자)", "내외방송", ""),))
    rec = _page_of(title, "입력 2025.06.20 10:00", f"[글로벌에픽 홍길동 CP] {body}")
    assert (rec["outlet"], rec["reporter"], rec["body"]) == ("글로벌에픽", "홍길동", body)
    # marks of news: a board's post date, a byline in lenticular brackets, a bracketed byline
    # glued to the last sentence, a sign-off with a bar as the text's last line
    for text in (f"{title}\n\n작성일 : 2020-05-21 09:47:22\n\n{body}\n",
                 f"{title}\n\n【세종파라미 홍길동 기자】\n\n{body}\n",
                 f"{title}\n\n{body} [비즈니스포스트 홍길동 기자]\n",
                 f"{title}\n\n{body}\n헬로티 홍길동 기자 |"):
        assert pages.looks_like_page(text), text
    assert not pages.looks_like_page(f"{title}\n\n{body}\n")
    rec = _page_of(title, "관리자 (board1) 작성일 : 2020-05-21 09:47:22 조회수 : 194", body)
    assert (str(rec["published"]), rec["subtitle"]) == ("2020-05-21 09:47:22", "")
    rec = _page_of(title, "【세종파라미 홍길동 기자】", body)
    assert (rec["reporter"], rec["subtitle"], rec["body"]) == ("홍길동", "", body)
    rec = _page_of(title, "입력 2021.03.04 10:00", f"{body} [비즈니스포스트 홍길동 기자]")
    assert (rec["reporter"], rec["body"]) == ("홍길동", body)
    # a sign-off in brackets with the e-mail, and links and a newsletter button under the article
    rec = _page_of(title, "입력 2025.06.20 10:00", body, "시는 더 늘린다.",
                   "[글로벌에픽 홍길동 CP / hong@naver.com]", "리스트바로가기", "상단으로 이동",
                   "로봇 시대를 여는 로봇기술 뉴스레터 받기", "전문보기")
    assert (rec["reporter"], rec["email"]) == ("홍길동", "hong@naver.com")
    assert rec["body"] == f"{body}\n\n시는 더 늘린다."
    # a first paragraph opening with a dateline is no subtitle however it ends; a stamp's label
    # printed without its date still marks the end of the header (no chrome line as headline)
    rec = _page_of("전체기사 최신뉴스 GAM", "속보", "더보기", title, "기사입력 :", "최종수정 :",
                   f"[대전=뉴스핌] 홍길동 기자 = {body[:-1]},", "시는 더 늘린다.")
    assert (rec["title"], rec["reporter"], rec["outlet"], rec["subtitle"]) == (title, "홍길동", "뉴스핌", "")
    # beside the stamp, a labelled writer (a name or an organisation), or a bare view count
    for stamp_line, reporter in (("기사승인 : 2018-12-10 15:04 기자 : 홍길동", "홍길동"),
                                 ("기사승인 : 2018-12-10 15:04 기자 : 대전재단 국제개발원", "")):
        rec = _page_of("HOME > News", title, stamp_line, body)
        assert (rec["title"], str(rec["published"]), rec["reporter"]) == (title, "2018-12-10 15:04:00", reporter)
    rec = _page_of(title, "2020-02-19 5", body)
    assert (str(rec["published"]), rec["subtitle"]) == ("2020-02-19 00:00:00", "")
    # a stamp glued to the end of the headline's line, after the reporter or before a view count;
    # a date alone there is the headline's own
    for line, printed, stamp in ((f"{title} 홍길동 기자입력 2022-07-29 15:57:36", title, "2022-07-29 15:57:36"),
                                 (f"{title}.. 2020-04-24 / 984", f"{title}..", "2020-04-24 00:00:00"),
                                 (f"{title} 2020-04-24", f"{title} 2020-04-24", "None")):
        rec = _page_of(line, body, "시는 더 늘린다.")
        assert (rec["title"], str(rec["published"])) == (printed, stamp), line


def test_layouts_of_a_seventh_real_page_check() -> None:
    """Layout lines of 25 real pages of 25 more hosts: wire copies on portals and mirrors, trade
    papers, a regional daily, video pages (sentences invented)."""
    title, body = "세종시 수요응답형 버스 읍면 전역으로", "세종시가 수요응답형 버스를 모든 읍면으로 넓힌다."
    # marks of news: the labels 송고시간 and 게재, also printed after the date and time
    for stamp, when in (("송고시간 2016-12-01 19:00", "2016-12-01 19:00:00"),
                        ("게재 2024-04-02 13:00", "2024-04-02 13:00:00"),
                        ("2024-04-02 13:00:09 게재", "2024-04-02 13:00:09")):
        assert pages.looks_like_page(f"{title}\n\n{stamp}\n\n{body}\n"), stamp
        assert str(_page_of(title, stamp, body)["published"]) == when, stamp
    # a page saved as one line with HTML line breaks
    one_line = f"{title}<br /><br />입력 2022.01.05 10:00<br /><br />{body}<br />시는 노선을 늘린다."
    assert pages.looks_like_page(one_line)
    rec = pages.parse_page(normalize_text(one_line))
    assert (rec["title"], rec["body"]) == (title, f"{body}\n\n시는 노선을 늘린다.")
    # above the headline, the day the page was saved and a breadcrumb; a font-size toolbar
    rec = _page_of("2024년 04월 24일 수요일", "뉴스홈 산업/경제/기업", title, "가+가-", "입력 2024.04.24 10:00", body)
    assert (rec["title"], rec["subtitle"], rec["body"]) == (title, "", body)
    # a dateline without the reporter's title; sign-offs with an e-mail under the article
    rec = _page_of(title, "입력 2024.04.24 10:00", f"[충청신문=대전] 홍길동 = {body}")
    assert (rec["outlet"], rec["dateline"], rec["reporter"], rec["body"]) == ("충청신문", "대전", "홍길동", body)
    for sign_off, email in (("[홍길동 기자] hong@naver.com", "hong@naver.com"),
                            ("ScienceNews webmaster@example.kr", "webmaster@example.kr")):
        rec = _page_of(title, "입력 2024.04.24 10:00", body, sign_off)
        assert (rec["body"], rec["email"]) == (body, email), sign_off
    # captions: a credit after a full stop or in parentheses, a labelled photo, a short label
    # ending in a full stop, a wire photo's resale notice (뉴시스); a payment box ends the article
    captions = ("시장이 브리핑하고 있다.(제공=뉴시스)", "시민들이 버스를 타고 있다./사진제공=세종시",
                "사진. 세종시", "세종 수요응답형 버스 노선도 전경.")
    rec = _page_of(title, "입력 2024.04.24 10:00", *captions, body, "무통장 입금 정보입력", "입금할 금액은 입니다.")
    assert (rec["captions"].split("\n"), rec["body"]) == (list(captions), body)
    rec = _page_of(title, "입력 2024.04.24 10:00", "버스가 달리고 있다. *재판매 및 DB 금지", f"[세종=뉴시스]홍길동 기자 = {body}")
    assert (rec["captions"], rec["body"]) == ("버스가 달리고 있다. *재판매 및 DB 금지", body)
    # a short label with no full stop may be a headline; a lead sentence is none
    assert _page_of("세종형 스마트시티 모델", "입력 2024.04.24 10:00", body)["title"] == "세종형 스마트시티 모델"
    with pytest.raises(RecordError, match="no title"):
        _page_of("세종시는 버스를 늘린다고 밝혔다.", "입력 2024.04.24 10:00", body)
    # a reporter named in the anchor's lead with a rarer surname
    rec = _page_of(title, "입력 2022.01.05 10:00", "[앵커]", f"{body} 팽재용 기자가 타 봤습니다.", "[리포트]",
                   "버스는 부르면 옵니다.")
    assert rec["reporter"] == "팽재용"


def test_layouts_of_an_eighth_real_page_check() -> None:
    """Layout lines of real pages the seventh check left unread (sentences invented)."""
    title, body = "세종시 도시통합정보센터 고도화", "세종시가 도시통합정보센터의 장비를 바꾼다."
    # a wire's place, outlet and reporter on the stamp's line (a place of three cities)
    rec = _page_of(title, "[대전세종충남=아시아뉴스통신] 홍길동기자 송고시간 2016-12-01 19:00", body)
    assert (rec["subtitle"], rec["outlet"], rec["dateline"], rec["reporter"], str(rec["published"])) == (
        "", "아시아뉴스통신", "대전세종충남", "홍길동", "2016-12-01 19:00:00")
    # a place and a name beside a stamp are not an outlet: `대전/홍길동기자`
    rec = _page_of(title, "대전/홍길동기자", "승인 2012.01.12 17:31", body)
    assert (rec["outlet"], rec["reporter"]) == ("", "홍길동")
    # stamps parted by commas, the reporter after them; a stray comma between the headline and
    # its subtitle; `Copyrights ⓒ` names the outlet
    lines = [title, ",", "장비 교체에 3년간 40억원", "입력시간 : 2018-04-20 07:27:38 , 최종수정 : 2018-04-20 07:27:38, 홍길동 기자",
             body, "Copyrights ⓒ 세종새뉴스. 무단전재 및 재배포금지"]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["subtitle"], rec["reporter"], str(rec["published"]), rec["outlet"], rec["body"]) == (
        "장비 교체에 3년간 40억원", "홍길동", "2018-04-20 07:27:38", "세종새뉴스", body)
    # a name alone a space before a labelled stamp, with a comment count; a section glued to the
    # label beside a second stamp
    rec = _page_of(title, "홍길동 승인 2022.07.29 17:51 의견 0", body)
    assert (rec["subtitle"], rec["reporter"], str(rec["published"])) == ("", "홍길동", "2022-07-29 17:51:00")
    rec = _page_of(title, "컴퓨팅입력 :2018/12/10 11:01    수정: 2018/12/10 17:57", body)
    assert (rec["subtitle"], rec["reporter"], rec["section"]) == ("", "", "컴퓨팅")
    # the header printed twice, a quoted subtitle among it
    subtitles = ["'27년까지 장비 교체", "교체 장비 3종 늘려", "예산도 증액(13억원→20억원)"]
    lines = [title, "", *subtitles, "", "홍길동 기자 | 기사입력 2022/06/30 [11:40]", "", title, "", *subtitles, "",
             "홍길동 기자 | 입력 : 2022/06/30 [11:40]", "", f"[세종의오늘=홍길동 기자] {body}"]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["subtitle"], rec["outlet"], rec["body"]) == ("\n".join(subtitles), "세종의오늘", body)
    # a region menu under the stamps, one word a line; `[대전/CTN]홍길동 기자ㅣ` as the dateline
    lines = [title, "", "• 입력 : 2023. 11.01(수) 14:58", "• 홍길동 기자", "대전", "동구", "중구", "서구", "",
             f"[대전/CTN]홍길동 기자ㅣ {body}"]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["subtitle"], rec["outlet"], rec["dateline"], rec["body"]) == ("", "CTN", "대전", body)
    # under the article: a captcha's label, the keyword box, a sign-off with an e-mail; a Latin
    # outlet of two words before `무단`
    for under in (["도배방지 이미지"], ["키워드 관련기사", "세종시 장비 교체 이어진다"],
                  ["홍길동 기자 hong@example.kr", "다른 기사의 첫 문장이 이어진다."]):
        rec = _page_of(title, "입력 2024.04.24 10:00", body, *under)
        assert rec["body"] == body, under
    rec = _page_of(title, "입력 2024.04.24 10:00", body, "저작권자 © Sejong Times 무단전재 및 재배포 금지")
    assert rec["outlet"] == "Sejong Times"
    # a broadcaster's video title printed twice, the report as one paragraph with its cue run into
    # the first words and its sign-off and credits into the last
    video = f"{title} / KBS 2021.04.13."
    text = f"{video}\n\n{video}\n\n[리포트] {body} 시는 내년에 장비를 더 바꿀 계획입니다 KBS 뉴스 홍길동입니다 촬영기자:김철수\n"
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["outlet"], rec["reporter"], str(rec["published"])[:10]) == (
        title, "KBS", "홍길동", "2021-04-13")
    assert rec["body"] == f"{body} 시는 내년에 장비를 더 바꿀 계획입니다"
    # a report cue glued to a headline is part of it
    assert _page_of("[리포트]\"세종은?\" 도시 청사진 공개", "입력 2024.04.24 10:00", body)["title"] == (
        "[리포트]\"세종은?\" 도시 청사진 공개")


def test_layouts_of_a_ninth_real_page_check() -> None:
    """Layout lines of 30 real pages of 30 more hosts (sentences invented)."""
    title, body = "세종시 스마트 농업 거점 연다", "세종시가 스마트 농업 거점을 연다."
    # marks of news: a date with `일` and the weekday before the time; `[place/outlet]name 기자ㅣ`
    for mark in ("2021년 09월 13일(월) 19:20", "[대전/세종농업]홍길동 기자ㅣ시는 센터를 연다."):
        assert pages.looks_like_page(f"{title}\n\n{mark}\n\n{body}\n"), mark
    # a top menu printed as rows of section names; a font-size toolbar and its notice; a CMS's
    # button; the reporter alone in brackets as the dateline (a kind of reporter is no name)
    lines = ["IT·과학 산업 경제", "정치 사회 문화·생활", "", title, "", "본문 글자 크기 설정",
             "글자크기 설정 시 다른 기사의 본문도 동일하게 적용됩니다.", "", "기사수정", "",
             "입력 2015.06.30 10:00", "", f"[홍길동기자] {body}"]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], rec["subtitle"], rec["reporter"], rec["body"]) == (title, "", "홍길동", body)
    rec = _page_of(title, "입력 2015.06.30 10:00", f"[시민기자] {body}")
    assert (rec["reporter"], rec["body"]) == ("", f"[시민기자] {body}")
    # a caption with a bracketed credit printed twice above the dateline is no headline; a credit
    # `출처=` and an image placeholder leave the body
    caption = "6일 센터 개소식에서 인사말을 하는 홍길동 대표 [ⓒ 세종농업]"
    lines = ["실시간", "뉴스", "", title, "", caption, caption, "", f"[세종농업 홍길동 기자] {body}",
             "", "센터 전경. 출처=세종농업", "", "시는 내년에 센터를 넓힌다.", "", "associate_pic",
             "센터 개념도.", "", "센터는 연중 문을 연다."]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], rec["captions"], rec["body"]) == (
        title, f"{caption}\n센터 전경. 출처=세종농업\n센터 개념도.",
        f"{body}\n\n시는 내년에 센터를 넓힌다.\n\n센터는 연중 문을 연다.")

def test_layouts_of_a_tenth_real_page_check() -> None:
    """Layout lines of 7 real pages of 7 more hosts (sentences invented)."""
    title, body = "대전시, 가로등 원격 제어 추진", "대전시가 가로등을 원격으로 제어한다."
    # a weather widget printed as bullets above an outlet's layout (a forecast point `(예)`)
    lines = ["• 맑음강릉 19.3℃", "  • 맑음홍성(예) 10.0℃", "기상청 제공", "", title, "", "입력 2022.08.30 10:00", "",
             body, "", "홍길동 기자 hong@daejonilbo.com"]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], rec["outlet"], rec["body"]) == (title, "대전일보", body)
    # a press-release wire: its dateline run into the lead, the issuer's profile after the release
    text = (f"{title}\n\n대전--(뉴스와이어)--{body}\n\n행사 개요\n시는 내년에 장비를 늘린다.\n\n"
            "대전광역시청 개요\n대전광역시청은 시민을 위해 일하는 기관입니다.\n\n웹사이트: http://www.daejeon.go.kr\n")
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["outlet"], rec["dateline"]) == (title, "뉴스와이어", "대전")
    assert rec["body"] == f"{body}\n\n행사 개요\n\n시는 내년에 장비를 늘린다."

def test_layouts_of_a_same_host_real_page_check() -> None:
    """Layout lines of 30 real pages of hosts the earlier checks covered, other articles of
    theirs (sentences invented)."""
    title, body = "세종시 스마트도시계획 중간보고회 열려", "세종시가 스마트도시계획 중간보고회를 열었다."
    # a stamp labelled `웹출고시간`, its date glued to the label, under three subtitles
    lines = ["최근기사", "", title, "", "세종시·행복청 26일 보고회", "가상세계 구축", "센서 활용", "",
             "  • 웹출고시간2024.03.26 16:04:01", "  • 최종수정2024.03.26 16:04:11", "", body]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], str(rec["published"])) == (title, "2024-03-26 16:04:01")
    # an unmarked caption above the outlet's name in brackets, which opens the article
    caption = "보고회가 26일 컨벤션센터에서 열리고 있다."
    rec = _page_of(title, "입력 2024.03.26 16:04", caption, f"[충북일보] {body}", "시는 연내 승인을 받는다.")
    assert (rec["outlet"], rec["captions"]) == ("충북일보", caption)
    assert rec["body"] == f"{body}\n\n시는 연내 승인을 받는다."
    # a photo's alt text and caption, the same short line twice, above the first paragraph
    rec = pages.parse_page(normalize_text("\n".join(
        [title, "", "기사승인 2024. 03. 26. 15:01", "비전·서비스 검토", "세종시청", "세종시청", body,
         "", "시는 연내 승인을 받는다."])))
    assert (rec["captions"], rec["body"].split("\n\n")[0]) == ("세종시청", body)
    # a dateline with the place before an outlet of two words: `[세종 뉴스밴드 = 홍길동 기자]`;
    # a Latin second word stays part of the name (`[세종 TV = …]`)
    for bracket, outlet, place in (("[세종 뉴스밴드 = 홍길동 기자]", "뉴스밴드", "세종"),
                                   ("[세종 TV = 홍길동 기자]", "세종 TV", "")):
        rec = _page_of(title, "  • 승인 2022.10.01 23:58", f"{bracket} {body}")
        assert (rec["outlet"], rec["dateline"], rec["reporter"]) == (outlet, place, "홍길동"), bracket
    # a listed outlet's name where the byline goes (a desk story)
    rec = _page_of(title, "  • 세종포커스", "  • 승인 2021.02.10 21:26", "  • 댓글 0", body)
    assert (rec["outlet"], rec["reporter"], rec["body"]) == ("세종포커스", "", body)
    # a section's path of provinces above the headline is chrome, not the headline
    rec = _page_of("전체기사 최신뉴스", "전국 대전·세종·충남", "", title, "기사입력 : 2022년07월25일 15:15",
                   f"[대전=뉴스핌] 홍길동 기자 = {body}")
    assert (rec["title"], rec["outlet"], rec["body"]) == (title, "뉴스핌", body)
    # a broadcast script saved without its headline: the anchor's first words are no headline
    with pytest.raises(RecordError, match="no title"):
        pages.parse_page(normalize_text("\n".join(
            ["◀앵커▶", "세종시에서는 드론이", "음식을 배달합니다.", "홍길동 기자입니다.", "◀리포트▶",
             "공원에서 커피를 주문하자", "드론이 날아옵니다.", "MBC뉴스 홍길동입니다."])))
    # a second round of such pages: an unlabelled date beside the reporter on 금강일보's pages
    rec = pages.parse_page(normalize_text("\n".join(
        [title, "2025-11-25 홍길동 기자", body, "홍길동 기자 hong@ggilbo.com"])))
    assert (str(rec["published"])[:10], rec["outlet"], rec["reporter"]) == ("2025-11-25", "금강일보", "홍길동")
    # a dateline of place, outlet and reporter without brackets
    rec = _page_of(title, "입력 2024.05.02 10:00", f"세종=에너지경제신문 홍길동 기자 {body}")
    assert (rec["body"], rec["dateline"], rec["outlet"], rec["reporter"]) == (
        body, "세종", "에너지경제신문", "홍길동")
    # a cut `주요기사 더보기` button and an outlet's box of popular stories end the article
    for chrome in ("주요기사더", "<한겨레 인기기사>"):
        rec = _page_of(title, "입력 2024.05.02 10:00", body, chrome, "세종시, 새 버스 노선 발표")
        assert rec["body"] == body, chrome
    # a photo's credit in the outlet's name under the lead opens nothing: the lead stays
    lead = "세종시가 이달 한 달 동안 재활용품을 가져오는 시민에게 포인트를 준다."
    rec = _page_of(title, lead, "[충북일보] 행사 포스터 © 홍길동 기자 |", body)
    assert rec["body"].split("\n\n")[0] == lead


def test_layouts_of_the_leftovers_real_page_check() -> None:
    """The four known leftovers (an outlet's tag on a repost's headline, 땡큐굿뉴스's dateline in
    parentheses, a subtitle printed twice, a headline glued to its subtitle) and the layout lines
    of 22 real pages read with them (sentences invented)."""
    title, body = "세종시, 스마트 쉼터 20곳 설치", "세종시가 버스정류장 20곳에 스마트 쉼터를 설치한다고 2일 밝혔다."
    more = "시는 연말까지 설치를 마친다."
    # a repost naming its source in brackets, a broadcaster's news brand glued to the headline:
    # the outlet, and a mark of news; the video's description saved without full stops is the body
    text = ('[대전MBC뉴스]세종시 "쉼터 늘려야"\n\n[대전MBC뉴스]세종시 "쉼터 늘려야"\n\n세종시가 버스정류장에 '
            "스마트 쉼터를 더 설치하기로 했습니다 시민들은 냉난방이 되는 쉼터를 반기고 있는데요 시는 읍면 지역에도 "
            "쉼터를 늘릴 계획이라고 밝혔습니다\n")
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["outlet"], rec["subtitle"]) == ('세종시 "쉼터 늘려야"', "대전MBC", "")
    assert rec["body"].endswith("계획이라고 밝혔습니다")
    # a section's or a kind's tag stays in the title and names no outlet
    for tag in ("[영상뉴스]", "[포토뉴스]", "[사설]"):
        rec = _page_of(f"{tag}{title}", "입력 2024.05.02 10:00", body)
        assert (rec["title"], rec["outlet"]) == (f"{tag}{title}", ""), tag
    # 땡큐굿뉴스's dateline: its outlet of two words and the reporter in parentheses
    for opening in ("(TGN 땡큐굿뉴스=홍길동 기자)", "( TGN 땡큐굿뉴스 = 홍길동기자 )"):
        rec = _page_of(title, "입력 2024.05.02 10:00", f"{opening} {body}")
        assert (rec["body"], rec["outlet"], rec["reporter"]) == (body, "TGN 땡큐굿뉴스", "홍길동"), opening
    # a subtitle of two lines printed twice, under the stamp or under the lead: one subtitle
    sub = "냉난방 기능 갖춰\n읍면 지역 먼저"
    for lines in ([title, sub, "입력 2024.05.02 10:00", sub, body, "", more],
                  [title, "입력 2024.05.02 10:00", sub, body, "", sub, "", more]):
        rec = pages.parse_page(normalize_text("\n".join(lines)))
        assert (rec["title"], rec["subtitle"], rec["body"]) == (title, sub, f"{body}\n\n{more}")
    # the header on one line: headline, subtitle, reporter and stamp; `(사진. …)` is a caption
    rec = _page_of("세종시, 쉼터로 정류장 바꾼다 냉난방 기능 갖춰, 읍면 먼저 홍길동 기자입력 2024-05-02 10:00:00",
                   "(사진. 세종시)", body)
    assert (rec["title"], rec["subtitle"], rec["captions"]) == (
        "세종시, 쉼터로 정류장 바꾼다", "냉난방 기능 갖춰, 읍면 먼저", "(사진. 세종시)")
    # `매일일보 = 홍길동 기자 | ` opening the text, a copyright line run into the last sentence
    rec = _page_of(title, f"매일일보 = 홍길동 기자 | {body}", f"{more}저작권자 © 매일일보 무단전재 및 재배포 금지")
    assert (rec["outlet"], rec["reporter"], rec["body"]) == ("매일일보", "홍길동", f"{body}\n\n{more}")
    # a photo's alt text and caption, the same line twice in a row, between two paragraphs; a
    # wire's credit `/연합뉴스` under its copy; a comment box's counter `0 / 300` is no body
    rec = pages.parse_page(normalize_text("\n".join(
        [title, "입력 2024.05.02 10:00", "", body, "", "쉼터 모습", "쉼터 모습", "", more, "", "/연합뉴스"])))
    assert (rec["captions"], rec["body"]) == ("쉼터 모습", f"{body}\n\n{more}")
    with pytest.raises(RecordError, match="no body"):
        pages.parse_page(normalize_text(f"{title}\n\n냉난방 기능 갖춰\n\n2025.04.17 10:07:20\n0 / 300\n"))


def test_layouts_of_a_mobile_older_and_press_page_real_page_check() -> None:
    """Layout lines of 27 real pages of hosts the earlier checks had not read: mobile and AMP
    pages, pages of 2017-2019, a ministry's and a city's boards, reposted press releases
    (sentences invented)."""
    title, body = "대전시, 스마트 가로등 100곳 설치", "대전시는 올해 스마트 가로등 100곳을 설치한다고 2일 밝혔다."
    more = "시는 연말까지 설치를 마친다."
    # a mobile page: a section heading with its provinces above the headline, the share and
    # font-size toolbar with its labels (`※ …`, `• 더 작게` … `• 보통`) under the stamp
    lines = ["제보", "주요뉴스 대전·세종·충남", "", title, "", "기사등록 : 2022-07-27 13:56", "", "※ 뉴스 공유하기",
             "", "URL 복사완료", "", "※ 본문 글자 크기 조정", "", "  • 더 작게", "  • 작게", "  • 보통", "  • 크게",
             "  • 더 크게", "", f"[대전=뉴스핌] 홍길동 기자 = {body}", "", more]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], rec["subtitle"], rec["section"], rec["reporter"]) == (title, "", "", "홍길동")
    assert rec["body"] == f"{body}\n\n{more}"
    # stamps' labels printed without their dates, a language menu's label, a credit alone in
    # brackets (`[자료=세종시]`) or bare (`자료=LH`) under the lead
    for credit in ("[자료=세종시]", "자료=LH"):
        rec = _page_of(title, "기사입력 :", "최종수정 :", "※ 번역할 언어 선택", "가로등 밝기 알아서 조절",
                       f"[세종=뉴스핌] 홍길동 기자 = {body}", credit, more)
        assert (rec["subtitle"], rec["captions"], rec["published"]) == ("가로등 밝기 알아서 조절", credit, None)
        assert rec["body"] == f"{body}\n\n{more}", credit
    # a ministry's 보도자료 board: a notice above the headline, the post's labelled fields as
    # bullets (its poster, who is no reporter, and its view count)
    lines = ["보도자료", "", "※ 보도자료 파일은 새 형식으로 올리오니, 뷰어를 내려받아 이용하시기 바랍니다. 뷰어 내려받기", "",
             f"[보도자료] {title}", "", "  • 작성자 : 보도자료관리자", "  • 등록일 : 2019.11.28", "  • 조회수 : 8640",
             "", body, "", more]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], rec["subtitle"], rec["section"], rec["reporter"]) == (f"[보도자료] {title}", "", "", "")
    assert (rec["published"], rec["body"]) == (pd.Timestamp("2019-11-28"), f"{body}\n\n{more}")
    # a city's blog: the table's caption, the fields labelled (`제목`, `등록일` with a database
    # timestamp's fraction of a second and the view count, `태그`); the labelled title may end
    # with a full stop
    english = "Sejong, a smart city that its citizens enjoy living in every day."
    lines = ["세종특별자치시 블로그 글의 상세내용", f"제목 {english}", "등록일 2019-06-01 11:54:38.0 조회 635",
             "태그 [English]", "", "", "We moved here two years ago.", "", "The buses come on time."]
    rec = pages.parse_page(normalize_text("\n".join(lines)))
    assert (rec["title"], rec["subtitle"], rec["published"]) == (english, "", pd.Timestamp("2019-06-01 11:54:38"))
    assert rec["body"] == "We moved here two years ago.\n\nThe buses come on time."
    # a listed outlet of two words alone in brackets opening the text: the outlet, a mark of news
    text = f"'{title}'\n국비 10억 원 들여\n\n[SNS 타임즈] {body}\n{more}\n"
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["outlet"], rec["subtitle"], rec["body"]) == ("SNS 타임즈", "국비 10억 원 들여", f"{body}\n\n{more}")
    # an older page: the reporter's name glued to the last sentence's full stop; a lead sentence
    # that opens with its subject and the day is no headline (the page prints none)
    rec = _page_of(title, f"{more}홍길동 기자", "<저작권자ⓒ대전일보사. 무단전재-재배포 금지>")
    assert (rec["reporter"], rec["body"]) == ("홍길동", more)
    with pytest.raises(RecordError, match="no title"):
        _page_of("세종시는 12일 시청에서 자율주행 협의회를 열었다.", body, "저작권자 © 대전일보 무단전재 및 재배포 금지")
    # a headline may end in `다.` (an AMP page: the stamp's `기사원문` link, the sign-off)
    rec = _page_of("세종시, 자율주행 지도 새로 그린다.", "2022.07.27 12:00 수정 : 2022.07.27 11:59기사원문",
                   f"[파이낸셜뉴스 대전=홍길동 기자] {body}", "hong@example.com 홍길동 기자", "Hot 포토")
    assert (rec["title"], rec["reporter"], rec["body"]) == ("세종시, 자율주행 지도 새로 그린다.", "홍길동", body)


def test_broadcast_transcripts_without_a_stamp_or_byline() -> None:
    """A broadcaster's transcript saved with a blank line after every few words, its cue lines
    its only mark of news, its reporter named in the anchor's lead (sentences invented)."""
    lines = ["본문 바로가기", "뉴스데스크", "", "세종 자율주행 버스 시범 운행/리포트", "", "◀앵커▶ ",
             "세종시가 자율주행 버스를", "", "시범 운행하고 있습니다.", "", "", "",
             "현장을 다녀온 홍길동 기자는 과제도", "", "있다고 말합니다.", "", "", "", "◀리포트▶ ", "", "",
             "정류장 다섯 곳을 지나는", "", "노선입니다.", "", "", "", "[김철수 세종시 과장] ",
             "\"내년에는 노선을 늘립니다.\"", "", "", "", "시는 안전 요원을 태웁니다.", ""]
    text = "\n".join(lines)
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["reporter"], rec["subtitle"], rec["published"]) == (
        "세종 자율주행 버스 시범 운행", "홍길동", "", None)
    assert rec["body"].split("\n\n") == [
        "세종시가 자율주행 버스를 시범 운행하고 있습니다.", "현장을 다녀온 홍길동 기자는 과제도 있다고 말합니다.",
        "정류장 다섯 곳을 지나는 노선입니다.", "[김철수 세종시 과장]", "\"내년에는 노선을 늘립니다.\"",
        "시는 안전 요원을 태웁니다."]
    # without the report cue the anchor's cue alone is no mark of news
    assert not pages.looks_like_page(text.replace("◀리포트▶", "리포트 끝"))
    # a page with a blank line between its paragraphs and more between its parts is not joined
    rec = _page_of("대전시 스마트 가로등 확대", "입력 2022.05.02 09:00", "대전시가 가로등을 늘린다.",
                   "\n\n대전시는 다음 달 착공한다.", "\n\n시민 의견도 듣는다.", "\n\n예산은 10억 원이다.")
    assert rec["body"].count("\n\n") == 3
    # the reporters of `[앵커]` / `[기자]` cues; a lead that names no person names no reporter
    for lead, reporter in (("자세한 소식 홍길동, 김철수 기자가 보도합니다.", "홍길동, 김철수"),
                           ("취재 기자가 전합니다.", ""), ("현장을 다녀온 기자는 과제를 짚습니다.", "")):
        rec = _page_of("세종 자율주행 버스 시범 운행", "입력 2012-07-02 07:49", "크게 작게 프린트 메일",
                       "URL 줄이기 페이스북 트위터", "[앵커]", f"세종시가 자율주행 버스를 운행합니다. {lead}", "[기자]",
                       "정류장 다섯 곳을 지나는 노선입니다.")
        assert (rec["reporter"], rec["subtitle"]) == (reporter, ""), lead


def test_a_related_stories_box_inside_the_article() -> None:
    """A `관련기사` heading whose links were lost in saving sits inside the article (지디넷코리아,
    중앙일보, 서울경제); with its headlines or quoted leads kept, it ends the article as before."""
    head = ("대전 자율주행 특구 지정 추진", "입력 2020.02.25 11:50", "대전 유성구가 자율주행 특구 지정을 추진한다.")
    later = "구는 연구단지 안에 자율주행 셔틀 노선을 만들고 시민이 타 볼 수 있는 시범 구간을 두겠다고 설명했다. 예산은 국비로 마련한다."
    rec = _page_of(*head, "관련기사", "유성구청 전경", later)
    assert (rec["body"], rec["captions"]) == (f"{head[2]}\n\n{later}", "유성구청 전경")
    rec = _page_of(*head, "관련 기사", "이렇게 되면 개인 차량은 연구단지 안으로 들어갈 수 없다. 시민은 입구에")
    assert rec["body"].endswith("시민은 입구에")
    for box in (("대전시, 자율주행 버스 노선 늘린다", "세종시 스마트 정류장 10곳 신설"),
                ("세종시, 자율주행 버스 노선 늘린다", f"{later[:70]}…"),
                ("<저작권자 © 대전일보 무단전재 및 재배포 금지>",)):
        rec = _page_of(*head, "관련기사", *box)
        assert rec["body"] == head[2], box


def test_a_related_box_with_dated_headlines_inside_the_article_is_skipped() -> None:
    """A `관련기사` box that kept its headlines, each with its date (`- 헤드라인2019.05.02`), in
    the middle of the article: the paragraphs after it are the article's, the items are dropped."""
    head = ("대전 자율주행 특구 지정 추진", "입력 2020.02.25 11:50",
            "대전 유성구가 자율주행 특구 지정을 추진한다고 25일 밝혔다. 연구단지 일대가 대상이다.")
    box = ("관련기사", "- 대전시, 자율주행 버스 노선 늘린다2020.02.25",
           "- 세종시 스마트 정류장 10곳 신설2020.02.24", "- 유성구 연구단지 셔틀 시범 운행2020.02.21")
    later = ("구는 연구단지 안에 자율주행 셔틀 노선을 만들고 시민이 타 볼 수 있는 시범 구간을 두겠다고 설명했다.",
             "구청장은 \u201c시민이 먼저 타 보는 특구를 만들겠다\u201d고 말했다.")
    for text in ("\n\n".join((*head, *box, *later)), "\n".join((*head, *box, *later))):
        rec = pages.parse_page(normalize_text(text + "\n"))
        assert rec["body"] == "\n\n".join((head[2], *later)), text
        assert rec["captions"] == ""
    # the box's items followed by chrome, not a paragraph: the article ends at the box as before
    rec = _page_of(*head, *box, "<저작권자 © 대전일보 무단전재 및 재배포 금지>")
    assert rec["body"] == head[2]


def test_a_related_box_run_on_after_the_paragraph_keeps_the_paragraph() -> None:
    """`… 설명하고 있다. 관련기사<headlines> #태그 좋아요0 ©… 무단전재`: one line holding the
    paragraph, the box and the copyright; the paragraph is kept, the rest ends the article."""
    lead = "[대전시 제공] 대전일보 홍길동 기자 = 2일 대전시청 대회의실에서 열린 회의에서 시장이 시의 입장을 설명하고 있다."
    run_on = "관련기사대전시, 자율주행 버스 노선 늘린다세종시 스마트 정류장 신설 #대전시 #회의 좋아요0 화나요0 ©대전일보. 무단전재·재배포 금지"
    rec = _page_of("대전시 스마트도시 회의 열어", lead + " " + run_on)
    assert rec["body"].endswith("시의 입장을 설명하고 있다.")
    assert "관련기사" not in rec["body"] and "좋아요" not in rec["body"]


def test_a_text_list_of_dated_teasers_is_refused_as_a_list() -> None:
    """A saved list page (a section, a reporter's stories) as text: short teasers, each with a
    date line or a date and byline line, is refused with the reason HTML lists get."""
    teasers = ("대전시가 올해 대표 축제 아홉 개를 확정하고 관광도시 도약에 나선다. 자치구 축제도 고루 지원한다는 전략",
               "세종시교육청 평생교육원이 오는 17일 문을 열고 시민과 함께하는 학습 축제를 연다고 밝혔다. 박람회와",
               "충남연구원이 권역별로 산업 기능을 나누는 입지 전략이 필요하다는 보고서를 냈다고 14일 밝혔다. 연구진은",
               "유성구가 연구단지 일대에 자율주행 셔틀 노선을 새로 만든다. 시민 시승 구간도 두겠다고..")
    dated = ["전체기사"]
    for teaser in teasers:
        dated += ["2025-12-07", teaser]
    bylined = []
    for k, teaser in enumerate(teasers[:3]):
        bylined += [f"\u2022 헤드라인 {k}번째 소식 전해", teaser, "2026-01-14 홍길동 기자"]
    for lines, n in ((dated, 4), (bylined, 3)):
        text = normalize_text("\n".join(lines) + "\n")
        assert pages.looks_like_page(text)
        [(label, rec)] = list(pages.iter_articles(text))
        assert isinstance(rec, RecordError) and str(rec) == pages.list_reason(n), lines
        assert str(rec).startswith(f"a list of several stories ({n} dated teasers), not one article")
    # an article with a box of three dated stories under its own paragraphs stays an article
    article = ["대전 자율주행 특구 지정 추진", "2020-02-25 홍길동 기자",
               *[f"대전 유성구가 자율주행 특구 지정을 추진한다고 밝혔다. 연구단지 일대가 {k}번째 대상이다." * 3
                 for k in range(4)], "많이 본 뉴스"]
    for teaser in teasers[:3]:
        article += [teaser[:30], "2020-02-24"]
    [(label, rec)] = list(pages.iter_articles(normalize_text("\n".join(article) + "\n")))
    assert not isinstance(rec, RecordError) and rec["title"] == "대전 자율주행 특구 지정 추진"


def test_daum_summary_without_its_first_line_is_left_out() -> None:
    rec = _page_of("세종시 주차장 빈자리 안내", "홍길동 기자 2018. 7. 17. 03:09",
                "전체 맥락을 이해하기 위해서는 본문 보기를 권장합니다.", "세종시가 주차장 빈자리를 알린다.",
                "음성재생 설정", "세종시가 주차장 빈자리를 알린다. 이달 말부터다.", "시민은 앱으로 본다.")
    assert rec["body"] == "세종시가 주차장 빈자리를 알린다. 이달 말부터다.\n\n시민은 앱으로 본다."


def test_chrome_heading_ends_the_article_without_a_copyright_line() -> None:
    text = normalize_text(
        "대전시 스마트 가로등 확대\n\n입력 2022.05.02 09:00\n\n대전시가 스마트 가로등을 늘린다.\n\n"
        "랭킹뉴스\n\n대전 AI 데이터센터 착공한다.\n"
    )
    rec = pages.parse_page(text)
    assert rec["body"] == "대전시가 스마트 가로등을 늘린다."


def test_layout_is_chosen_from_the_article_not_from_the_chrome() -> None:
    # The chrome below the copyright line quotes another outlet's dateline.
    text = normalize_text(
        "대전시 스마트 가로등 확대\n\n입력 2022.05.02 09:00\n\n대전시가 스마트 가로등을 늘린다.\n\n"
        "저작권자 © 충청투데이 무단전재 및 재배포 금지\n\n많이 본 뉴스\n(대전=뉴스1) 대전 AI 소식\n"
    )
    assert pages.detect_layout(text) == "cctoday"
    assert pages.detect_layout(text.replace("충청투데이", "예시일보")) == "generic"


# ---------------------------------------------------------------------------------------------
# Layouts are data
# ---------------------------------------------------------------------------------------------


def test_adding_an_outlet_is_adding_a_table(tmp_path: Path) -> None:
    extra = """
[layouts.examplenews]
outlet = "예시뉴스"
detect = ['저작권자\\s?©\\s?예시뉴스']
published = ["게재"]
dateline = ['^<(?P<place>{PLACE})=예시뉴스>\\s?']
caption = ['^\\(사진\\)']
end = ['^저작권자\\s?©\\s?예시뉴스']
"""
    toml = tmp_path / "layouts.toml"
    toml.write_text(pages.LAYOUTS_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    layouts = pages.load_layouts(toml)
    text = normalize_text(
        "세종시 스마트 쓰레기통 도입\n\n게재 2020-07-01 08:00  입력 2020-06-30 20:00\n\n"
        "(사진) 세종시청 앞 스마트 쓰레기통\n\n<세종=예시뉴스> 세종시가 스마트 쓰레기통을 놓는다.\n\n"
        "저작권자 © 예시뉴스 무단전재 및 재배포 금지\n\n랭킹뉴스\n대전 AI\n"
    )
    assert pages.detect_layout(text, layouts=layouts) == "examplenews"
    rec = pages.parse_page(text, layouts=layouts)
    assert rec["outlet"] == "예시뉴스"
    assert rec["published"] == pd.Timestamp("2020-07-01 08:00")
    assert rec["dateline"] == "세종"
    assert rec["captions"] == "(사진) 세종시청 앞 스마트 쓰레기통"
    assert rec["body"] == "세종시가 스마트 쓰레기통을 놓는다."
    # the default file does not know this outlet
    assert pages.detect_layout(text) == "generic"


def test_bad_layout_file_names_the_layout_and_key(tmp_path: Path) -> None:
    toml = tmp_path / "bad.toml"
    toml.write_text(
        "[layouts.generic]\ncaption = ['(']\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"layouts\.generic\] caption"):
        pages.load_layouts(toml)
    toml.write_text("[layouts.generic]\ncaptions = []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        pages.load_layouts(toml)


# ---------------------------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------------------------


def test_looks_like_page_for_every_layout_fixture() -> None:
    for name in EXPECTED:
        assert pages.looks_like_page(read_fixture(FIXTURES / name)), name


@pytest.mark.parametrize(
    "text",
    [
        "뉴스 식별자,일자,언론사,기고자,제목,본문\n01100401.20210315103012001,20210315,충청일보,"
        "홍길동 기자,대전시 스마트시티,입력 2021.03.15 10:30 대전시가...\n",
        "title\tbody\tpublished\n대전 스마트시티\t홍길동 기자 본문\t2021-03-15\n",
        '{"title": "대전 스마트시티", "body": "홍길동 기자 = 입력 2021.03.15"}\n{"title": "b"}\n',
        '[{"title": "대전 스마트시티", "body": "무단전재 및 재배포 금지"}]\n',
        "\x00\x01\x02PK\x03\x04 binary \x00 junk 입력 2021.03.15\n" * 20,
        "\ufffd\ufffd\ufffd\ufffd\ufffd\n\ufffd\ufffd 입력 2021.03.15 \ufffd\n",
        "대전 스마트시티 메모\n회의는 다음 주에 한다.\n",
        "",
        "한 줄짜리 글",
    ],
)
def test_looks_like_page_is_false_for_other_text(text: str) -> None:
    assert pages.looks_like_page(text) is False


def test_looks_like_page_for_the_seed(seed_text: str) -> None:
    assert pages.looks_like_page(seed_text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("대전세종시 기자=()[]•▲©입력수정승인0123456789.:-\n@ab"))))
def test_parse_page_fails_only_with_record_errors(text: str) -> None:
    try:
        rec = pages.parse_page(normalize_text(text))
    except RecordError as err:
        reason = str(err)
        assert reason in ("no title", "no body") or reason.startswith("unparseable date '")
        return
    assert set(rec) == set(pages.PAGE_FIELDS) <= set(ARTICLE_COLUMNS)
    assert rec["title"] and rec["body"]
    assert rec["published"] is None or isinstance(rec["published"], pd.Timestamp)
    assert isinstance(pages.looks_like_page(text), bool)


@pytest.mark.parametrize(
    "caption_line",
    [
        "세종시청 전경 /뉴스1 © News1 DB",
        "대전시청 전경.(대전시 제공) /뉴스1",
        "ⓒ News1 홍길동 기자",
        "▲ 대전시청 전경. 대전시 제공",
        "대전시청 전경. [사진=대전시 제공]",
        "대전시청 전경. (사진=대전시 제공)",
        "대전시청 전경 [대전시 제공. 재판매 및 DB 금지]",
    ],
)
def test_caption_forms_go_to_captions_not_body(caption_line: str) -> None:
    text = normalize_text(
        f"대전시 스마트 가로등 확대\n\n입력 2022.05.02 09:00\n\n{caption_line}\n\n"
        "(대전=뉴스1) 홍길동 기자 = 대전시가 스마트 가로등을 늘린다.\n\n"
        "© 뉴스1코리아(news1.kr), 무단 전재 및 재배포 금지\n"
    )
    rec = pages.parse_page(text)
    assert rec["captions"] == caption_line.removeprefix("▲ ")
    assert rec["body"] == "대전시가 스마트 가로등을 늘린다."


@pytest.mark.parametrize(
    "photo", ["20220502_streetlight.jpg", "IMG_1234", "2-대전시청사 (3)", "그림 2", "KakaoTalk_20241202_103112345"])
def test_photo_file_line_is_dropped_and_the_next_line_is_its_caption(photo: str) -> None:
    text = normalize_text(
        f"대전시 스마트 가로등 확대\n\n입력 2022.05.02 09:00\n{photo}\n"
        "대전 서구의 스마트 가로등이 켜져 있다.\n대전시가 스마트 가로등을 늘린다.\n\n"
        "저작권자 © 예시일보 무단전재 및 재배포 금지\n"
    )
    rec = pages.parse_page(text)
    assert rec["captions"] == "대전 서구의 스마트 가로등이 켜져 있다."
    assert rec["body"] == "대전시가 스마트 가로등을 늘린다."
    assert photo not in fields_text(rec)


_JOONGDO_ARTICLE = (
    "{title}\n\n  • 정치/행정\n  • {city}\n\n{title}\n\n  • 승인 {stamp}\n  • {name} 기자{name} 기자\n"
    "{city}시가 스마트 {thing} 20곳을 새로 설치한다.\n\n시는 내년 3월까지 설치를 마친다고 밝혔다.\n"
    "{city}={name} 기자 hong@\n\n중도일보(www.joongdo.co.kr), 무단전재 및 수집, 재배포 금지\n\n"
)


def test_two_pages_saved_into_one_file_are_two_articles() -> None:
    """Text after an article's copyright line that opens with another article (a headline, a
    dated stamp, a body, its own copyright line) is that article, not chrome."""
    first = _JOONGDO_ARTICLE.format(title="세종시, 스마트 횡단보도 20곳 새로 설치", city="세종",
                                    stamp="2024-12-02 10:31", name="한세종", thing="횡단보도")
    second = _JOONGDO_ARTICLE.format(title="대전시, 스마트 정류장 15곳 새로 설치", city="대전",
                                     stamp="2024-12-05 09:00", name="한대전", thing="정류장")
    chrome = "기자의 다른기사 보기\n\n랭킹뉴스\n\n  1. 대전 AI 교통신호 전면 도입 예정\n"
    found = list(pages.iter_articles(normalize_text(first + "=" * 40 + "\n\n" + second + chrome)))
    assert [label for label, _ in found] == ["article 1", "article 2"]
    records = [rec for _, rec in found]
    assert [r["title"] for r in records] == ["세종시, 스마트 횡단보도 20곳 새로 설치", "대전시, 스마트 정류장 15곳 새로 설치"]
    assert [r["published"] for r in records] == [pd.Timestamp("2024-12-02 10:31"), pd.Timestamp("2024-12-05 09:00")]
    assert [r["reporter"] for r in records] == ["한세종", "한대전"]
    assert records[1]["body"] == "대전시가 스마트 정류장 20곳을 새로 설치한다.\n\n시는 내년 3월까지 설치를 마친다고 밝혔다."
    assert "랭킹뉴스" not in fields_text(records[1])
    # one article and its chrome: one record, labelled as before
    assert [label for label, _ in pages.iter_articles(normalize_text(first + chrome))] == ["page"]
    # another article that cannot be read is a reject that says where it was
    cut = second.replace("대전시가 스마트 정류장 20곳을 새로 설치한다.\n\n시는 내년 3월까지 설치를 마친다고 밝혔다.\n", "")
    found = list(pages.iter_articles(normalize_text(first + cut)))
    assert found[0][1]["title"] == "세종시, 스마트 횡단보도 20곳 새로 설치"
    assert found[1][0] == "article 2" and isinstance(found[1][1], RecordError)
    assert str(found[1][1]).startswith("another article after the end of article 1: ")


@pytest.mark.parametrize("photo", ["2-스마트횡단보도", "1-세종시청사 (14)", "그림 2", "KakaoTalk_20241202_103112345"])
def test_joongdo_photo_placeholders_are_neither_subtitle_nor_body(photo: str) -> None:
    """중도일보 prints a photo's file name (with or without its `(n)`), a figure's number or a
    messenger's file name above the caption: none of them is the subtitle or the body."""
    page = _JOONGDO_ARTICLE.format(title="세종시, 스마트 횡단보도 20곳 새로 설치", city="세종",
                                   stamp="2024-12-02 10:31", name="한세종", thing="횡단보도")
    page = page.replace("  • 한세종 기자한세종 기자\n", "  • 한세종 기자한세종 기자\n"
                        f"{photo}\n세종시 도담동 초등학교 앞에 설치된 스마트 횡단보도. 사진=세종시 제공\n")
    rec = pages.parse_page(normalize_text(page))
    assert rec["subtitle"] == ""
    assert rec["captions"] == "세종시 도담동 초등학교 앞에 설치된 스마트 횡단보도. 사진=세종시 제공"
    assert rec["body"].startswith("세종시가 스마트 횡단보도 20곳을")
    assert photo not in fields_text(rec)
    # `5-1생활권` alone on a line is a place, not a file name
    assert not pages.load_layouts()["joongdo"].photo_file.search("5-1생활권")


def test_byline_at_the_end_of_the_last_paragraph_is_removed_from_the_body() -> None:
    text = normalize_text(
        "대전 스마트 정류장 첫선\n\n입력 2022.05.02 09:00\n\n"
        "[충청투데이 정하늘 기자] 대전시가 스마트 정류장을 열었다.\n\n"
        "시민들이 정류장을 둘러보고 있다. 세종=정하늘 기자 sky@cctoday.co.kr\n\n"
        "저작권자 © 충청투데이 무단전재 및 재배포 금지\n"
    )
    rec = pages.parse_page(text)
    assert rec["body"] == "대전시가 스마트 정류장을 열었다.\n\n시민들이 정류장을 둘러보고 있다."
    assert (rec["reporter"], rec["email"], rec["dateline"]) == ("정하늘", "sky@cctoday.co.kr", "세종")


def test_regional_page_running_wire_copy_keeps_its_publisher() -> None:
    """A 대전일보 page carrying a Yonhap story: outlet and layout come from the copyright line,
    the wire dateline still fills ``dateline`` and leaves the body."""
    text = read_fixture(FIXTURES / "daejonilbo_daejeon_cp949.txt")
    first_body = "대전시가 5개 자치구의 방범용 CCTV 영상을 하나의 플랫폼으로 통합한다."
    assert first_body in text
    wired = text.replace(first_body, "(세종=연합뉴스) 홍길동 기자 = " + first_body, 1)
    assert pages.detect_layout(wired) == "daejonilbo"
    rec = pages.parse_page(wired)
    assert rec["outlet"] == "대전일보"
    assert rec["dateline"] == "세종"
    assert rec["body"].startswith(first_body)


def test_layouts_of_a_headline_and_subtitle_real_page_check() -> None:
    """The header leftovers (a subtitle printed twice, a headline glued to its subtitle without a
    stamp, copies that open with `date …`, a subtitle between dashes with no headline above it)
    and the layout lines of 30 real pages, 20 of hosts no earlier check had read (sentences
    invented)."""
    title, body = "대전시, 스마트 가로등 100곳 설치", "대전시는 올해 스마트 가로등 100곳을 설치한다고 2일 밝혔다."
    more = "시는 연말까지 설치를 마친다."
    sub = "밝기 알아서 조절하는 가로등 연말까지 원도심부터 먼저 설치"
    # a subtitle printed twice under a headline printed once, with or without blank lines between
    for sep in ("\n\n", "\n"):
        rec = pages.parse_page(normalize_text(sep.join([title, sub, sub, "입력 2024.05.02 10:00", body, more])))
        assert (rec["title"], rec["subtitle"], rec["captions"]) == (title, sub, ""), repr(sep)
        assert rec["body"] == f"{body}\n\n{more}"
    # a site's name or slogan above a headline printed twice: the headline, no subtitle
    for site in ("대전의 오늘 소식", "[충청헤럴드]", "충청권 대표 인터넷 신문"):
        rec = _page_of(site, title, title, "입력 2024.05.02 10:00", body)
        assert (rec["title"], rec["subtitle"]) == (title, ""), site
    # a headline glued to its subtitle on a long line without the stamp: split after its verb
    rec = _page_of(f"대전시, 가로등 밝기 스스로 바꾼다 {sub}", "입력 2024.05.02 10:00", body)
    assert (rec["title"], rec["subtitle"]) == ("대전시, 가로등 밝기 스스로 바꾼다", sub)
    # a copy that opens with the day it was copied: the date, then the headline on the same line
    text = f" date 2025-10-20 {title}\n{body}\n{more}\n"
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["published"], rec["body"]) == (title, pd.Timestamp("2025-10-20"), f"{body}\n\n{more}")
    # the date, then a subtitle between dashes, or a caption: the page prints no headline
    for opening in (" date 2025-10-20 - 밝기 스스로 조절 - 원도심부터 먼저", " date 2025-10-20 \n\n가로등 모습. 대전시 제공"):
        with pytest.raises(RecordError, match="no title"):
            pages.parse_page(normalize_text(f"{opening}\n\n[대전=뉴스1] 홍길동 기자 = {body}\n\n{more}\n"))
    # saved from under the headline: subtitles, a photo's caption printed twice, the lead with its
    # dateline, a poster's caption printed twice; a line printed twice after the lead is no headline
    rec = _page_of("시, 5월까지 100곳 설치", "원도심부터 먼저", "가로등 모습. / 홍길동\n가로등 모습. / 홍길동",
                   f"[중부매일 홍길동 기자] {body}", "가로등 안내 포스터\n가로등 안내 포스터", more)
    assert (rec["title"], rec["reporter"], rec["outlet"]) == ("시, 5월까지 100곳 설치", "홍길동", "중부매일")
    assert rec["body"] == f"{body}\n\n{more}" and "가로등 안내 포스터" in rec["captions"]
    # a one-paragraph article signed `place=name 기자 e-mail` after its dateline is the body, not a
    # photo's caption with its credit
    lead = f"[매일일보 홍길동 기자] {body} {more}   대전=홍길동 기자 hong@example.com"
    rec = _page_of(title, sub, "2022-07-28     홍길동 기자", lead)
    assert (rec["body"], rec["reporter"], rec["outlet"]) == (f"{body} {more}", "홍길동", "매일일보")
    # a listed outlet's name alone in brackets above a repost's text: the outlet, a mark of news
    text = f"{title}\n\n[지디넷코리아]\n\n{body}\n\n{more}\n"
    assert pages.looks_like_page(text)
    assert pages.parse_page(normalize_text(text))["outlet"] == "지디넷코리아"
    # a paragraph listing items after `▲` marks is text; a line with one mark is a caption
    listed = "▲가로등 밝기 자동 조절 ▲고장 알림 ▲보행자 감지 등이다."
    rec = _page_of(title, "입력 2024.05.02 10:00", "▲ 가로등 모습", body, listed)
    assert (rec["captions"], rec["body"]) == ("가로등 모습", f"{body}\n\n{listed}")


def test_layouts_of_a_board_and_repost_real_page_check() -> None:
    """A reposting site's name before the headline, boards that print their fields as list items
    of two lines or with a short year, and the layout lines of 21 real pages (sentences
    invented)."""
    title, body = "세종시, 스마트 쉼터 20곳 설치 추진", "세종시가 버스정류장 20곳에 스마트 쉼터를 설치한다고 2일 밝혔다."
    more = "시는 연말까지 설치를 마친다."
    stamp = "입력 2024.05.02 10:00"
    # a reposting site's name before the headline: taken off when the page credits a listed outlet
    # or prints the headline again; the site names no outlet
    text = f"아이티랩 - {title}\n\n[지디넷코리아]\n\n{body}\n\n{more}\n\n의견 0 신규등록 목록\n"
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["outlet"], rec["body"]) == (title, "지디넷코리아", f"{body}\n\n{more}")
    rec = _page_of(f"아이티랩 | {title}", title, stamp, body)
    assert (rec["title"], rec["outlet"]) == (title, "")
    # an outlet's name there names the outlet; a place's name or an unconfirmed site's stays
    rec = _page_of(f"세종희망뉴스 - {title}", stamp, body)
    assert (rec["title"], rec["outlet"]) == (title, "세종희망뉴스")
    for line in (f"세종시 - {title}", f"아이티랩 - {title}"):
        assert _page_of(line, stamp, body)["title"] == line
    # a board's fields as list items of two lines each: the date is the publication date
    fields = "- 등록일자\n- 2025-09-30\n- 작성자\n- 홍길동\n- 조회수\n- 120"
    text = f"{title}\n{fields}\n내용\n{body}\n{more}\n"
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    published = pd.Timestamp("2025-09-30")
    assert (rec["title"], rec["published"], rec["reporter"]) == (title, published, "")
    assert (rec["subtitle"], rec["body"]) == ("", f"{body}\n\n{more}")
    # a board's page title `headline > board` above the headline run into its subtitle, the poster
    # (an outlet) beside a short-year date, a view count and the issue
    sub = "냉난방 기능 갖춘 쉼터 연말까지 읍면 지역 먼저 설치"
    text = (f"{title} > 생활/경제\n\n본문 바로가기\n사이트 내 전체검색\n\n생활/경제\n\n{title} {sub}\n\n"
            f"페이지 정보\n\n작성자 대전소식신문 조회 507회 작성일 22-01-11 [제1349호]\n\n본문\n\n{body}\n\n{more}\n")
    assert pages.looks_like_page(text)
    rec = pages.parse_page(normalize_text(text))
    assert (rec["title"], rec["subtitle"], rec["outlet"]) == (title, sub, "대전소식신문")
    published = pd.Timestamp("2022-01-11")
    assert (rec["published"], rec["reporter"], rec["body"]) == (published, "", f"{body}\n\n{more}")
    # a top menu with `ㆍ`, a bureau beside a short-year stamp: no reporter
    menu = "정치 사회 경제 스포츠ㆍ문화 라이프 오피니언 의료"
    rec = _page_of(menu, title, "세종지국 | 입력 24-12-02 23:46", body)
    published = pd.Timestamp("2024-12-02 23:46")
    assert (rec["title"], rec["reporter"], rec["published"]) == (title, "", published)
    # a site's slogan printed twice high above a board's post: the headline is over the post's line
    slogan = "함께하는 시민 행복한 세종"
    notice = "\n".join(f"• 게시판 이용 안내 {k}번째 항목입니다" for k in range(8))
    rec = _page_of(slogan, "시민과 함께 만드는 도시", slogan, notice, "민원신청 바로가기", title,
                   "작성자 홍*동 작성일 2005.12.27 조회수2262", body)
    published = pd.Timestamp("2005-12-27")
    assert (rec["title"], rec["published"], rec["reporter"]) == (title, published, "")
    # a wire's credit alone under its copy is a mark of news
    assert pages.looks_like_page(f"{title}\n\n{body}\n\n{more}\n\n/연합뉴스\n")


def test_bylines_credits_and_sign_offs_at_the_end_of_the_body() -> None:
    """End-of-article bylines that real pages printed and the parser left in the body (invented)."""
    head = ("세종시 자율주행 버스 노선 확대", "입력 2023.04.10 10:00", "세종시가 자율주행 버스 노선을 늘립니다.")
    last = "시는 내년까지 정류장을 두 배로 늘린다고 밝혔습니다."
    # the e-mail in parentheses, then a broadcaster's tip-off line (연합뉴스TV)
    rec = _page_of(*head, last, "홍길동 기자 (hong1@example.co.kr)", "가나다TV 기사문의 및 제보 : 카톡/라인 abc12", "(끝)")
    assert (rec["reporter"], rec["email"]) == ("홍길동", "hong1@example.co.kr")
    assert rec["body"].endswith(last) and "기사문의" not in rec["body"]
    # an e-mail printed with a space before `@` (뉴스1's older pages)
    rec = _page_of(*head, last, "hong @example.kr")
    assert rec["email"] == "hong@example.kr" and rec["body"].endswith(last)
    # a broadcast sign-off with the e-mail in brackets, then the camera credit (MBN)
    rec = _page_of(*head, last, "가나뉴스 홍길동입니다. [ hong@example.co.kr ]", "영상취재 : 김철수 기자")
    assert (rec["reporter"], rec["email"]) == ("홍길동", "hong@example.co.kr")
    assert rec["body"].endswith(last)
    # the name and the e-mail in one pair of brackets (MBN)
    rec = _page_of(*head, last, "[홍길동 기자 hong@example.co.kr]")
    assert (rec["reporter"], rec["email"]) == ("홍길동", "hong@example.co.kr")
    assert rec["body"].endswith(last)
    # a photo credit and the e-mail glued to the last sentence (뉴스핌): they leave, the sentence stays
    rec = _page_of(*head, "시는 노선을 늘린다고 말했다. [사진=세종시] hong@example.com")
    assert rec["email"] == "hong@example.com" and rec["body"].endswith("노선을 늘린다고 말했다.")
    # the outlet and the reporter in parentheses opening the body, the place and name closing it (동양일보)
    rec = _page_of("세종시 스마트시티 홍보단 모집", "입력 2023.04.10 10:00",
                   "(가나일보 홍길동 기자) 세종시가 스마트시티 홍보단을 모집한다.", "시는 다음 달 발대식을 연다.",
                   "세종 홍길동 기자")
    assert (rec["reporter"], rec["dateline"]) == ("홍길동", "세종")
    assert rec["body"] == "세종시가 스마트시티 홍보단을 모집한다.\n\n시는 다음 달 발대식을 연다."


def test_markdown_images_toolbars_and_portal_dates_are_no_title_subtitle_or_body() -> None:
    """Image leftovers, a toolbar's lone words, a portal's date and a site's last-edit time (invented)."""
    # `![]() |` and `![](…)` left by a page's converter
    rec = _page_of("세종시 스마트 가로등 설치", "입력 2023.04.10 10:00", "![]() |", "세종시가 스마트 가로등을 설치한다.",
                   "![](https://example.com/a.jpg)")
    assert rec["body"] == "세종시가 스마트 가로등을 설치한다." and rec["subtitle"] == ""
    # 한국경제's toolbar words as lone lines under the headline
    rec = _page_of("세종시 스마트 가로등 설치", "기사 스크랩", "공유", "댓글", "클린뷰", "프린트",
                   "입력 2023.04.10 10:00", "세종시가 스마트 가로등을 설치한다.")
    assert rec["subtitle"] == "" and rec["body"] == "세종시가 스마트 가로등을 설치한다."
    # a portal's date of the day (Zum) and a site's last-edit time are no headline
    for top in ("09.21 (토)", "최종편집 2024년 01월 02일 10시 30분"):
        rec = _page_of(top, "세종시 스마트 가로등 설치", "입력 2023.04.10 10:00", "세종시가 스마트 가로등을 설치한다.")
        assert rec["title"] == "세종시 스마트 가로등 설치", top


def test_hashtag_list_items_under_a_broadcast_report_are_dropped() -> None:
    """대전MBC prints the report's tags as list items `- # 태그` under it (invented)."""
    rec = _page_of("세종 자율주행 지구 조성", "입력 2023.04.10 10:00", "세종시가 자율주행 지구를 만듭니다.",
                   "- # 자율주행", "- # 세종")
    assert rec["body"] == "세종시가 자율주행 지구를 만듭니다."
