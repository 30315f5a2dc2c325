"""The synthetic sample corpus: invented Korean news about smart-city work in Sejong and Daejeon.

``python -m lib.sample [--seed 20260101] [--out data/sample]`` (or ``make sample``) writes

* ``pages/synthetic_NNNN_<layout>.txt``: saved news pages in five outlet layouts, with site chrome
  after the copyright line, a few in CP949 or UTF-8 with BOM, some with CRLF and U+00A0 spaces;
* ``bigkinds/synthetic_NewsResult_*.xlsx`` and ``*.csv``: BigKinds news-analysis downloads in the
  exact export layout (19 text columns, newest first), two with overlapping date slices, one
  converted to CP949 CSV and one to UTF-8-with-BOM CSV;
* ``truth.json``: for every record the loader should load, the true region, smart-city flag,
  topics, story and duplicate group; the records it should reject and why; the planted topic
  probabilities p(topic | region, quarter);
* ``README.md``: what the sample is and how to read the truth.

Every sentence is produced from the templates below; no text of real articles is used. The
output is byte-identical for the same seed (fixed zip timestamps and document properties in the
xlsx files, sorted JSON, no clock or environment reads), so the committed sample can be checked
by regenerating it.

The vocabularies here belong to the generator: they decide what the invented articles say. The
tagger's lexicon (``lib/resources``) is built separately and is tested against ``truth.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from lib.corpus.bigkinds import write_bigkinds_xlsx
from lib.corpus.dedup import text_key
from lib.corpus.schema import stable_article_id
from lib.vocabulary import get_vocabulary
from lib.paths import SAMPLE_DIR

#: Bump when the output for a given seed changes on purpose.
GENERATOR_VERSION = "1.0.0"
DEFAULT_SEED = 20260101

FIRST_YEAR, LAST_YEAR = 2018, 2025

#: The taxonomy's nine topic labels (one definition, in lib.tagging.resources).
TOPICS: tuple[str, ...] = get_vocabulary().topic_keys
REGIONS: tuple[str, ...] = ("sejong", "daejeon", "both", "neither")

#: How many topic labels a smart-city story carries, and how often.
N_LABELS_P: dict[int, float] = {1: 0.45, 2: 0.40, 3: 0.15}

#: The planted quarter burst: challenge_livinglab in Daejeon.
BURST_TOPIC, BURST_REGION, BURST_QUARTER = "challenge_livinglab", "daejeon", "2023Q2"

#: Tags kept for BigKinds-style 키워드 (nouns, foreign words, hanja, numerals).
KEYWORD_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "NR"})



# ---------------------------------------------------------------------------------------------
# Korean particles: the templates write {slot|은} and get 은 or 는 after the slot's last sound.
# ---------------------------------------------------------------------------------------------

_PARTICLES = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이라": ("이라", "라"),
}
# Latin letters read with a final consonant when spelled out (엘, 엠, 엔, 알) - "BRT" ends in 티.
_LATIN_FINAL = set("LMNR")


def _final_consonant(word: str) -> int | None:
    """Index of the final consonant (jongseong) of ``word``'s last sound; 0 when it ends in a vowel."""
    text = re.sub(r"\([^)]*\)$", "", word.strip()).rstrip("'\"’”")
    for ch in reversed(text):
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            return (code - 0xAC00) % 28
        if ch.isdigit():
            # 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
            return {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}.get(ch, 0)
        if ch.isalpha():
            return 8 if ch.upper() in _LATIN_FINAL else 0
    return None


def attach(word: str, particle: str) -> str:
    """``word`` followed by the right form of ``particle`` (은/는, 이/가, 을/를, 과/와, 으로/로)."""
    with_final, without = _PARTICLES[particle]
    final = _final_consonant(word)
    if particle in ("으로", "로"):
        # ㄹ-final words take 로 (서울로), like vowel-final ones.
        form = without if final in (0, 8, None) else with_final
    else:
        form = without if final in (0, None) else with_final
    return word + form


_SLOT = re.compile(r"\{(\w+)(?:\|(\w+))?\}")


def fill(template: str, slots: dict[str, str]) -> str:
    """Fill ``{slot}`` and ``{slot|particle}`` placeholders from ``slots``."""

    def repl(match: re.Match[str]) -> str:
        value = slots[match.group(1)]
        return attach(value, match.group(2)) if match.group(2) else value

    return _SLOT.sub(repl, template)


# ---------------------------------------------------------------------------------------------
# Places. Real district and neighbourhood names are region cues; the decoys are not the cities.
# ---------------------------------------------------------------------------------------------

SEJONG_SUBJECTS = ("세종시", "세종시", "세종시", "세종특별자치시", "세종시교육청", "행정중심복합도시건설청")
SEJONG_PLACES = (
    "조치원읍", "보람동", "나성동", "어진동", "합강동", "도담동", "고운동", "아름동", "반곡동",
    "한솔동", "종촌동", "새롬동", "다정동", "소담동", "대평동", "연기면", "부강면", "금남면",
    "연서면", "장군면", "세종호수공원", "세종시청", "세종테크밸리", "행복도시", "세종중앙공원",
    "집현동", "해밀동", "산울동",
)
SEJONG_VENUES = (
    "시청 여민실", "시청 집현실", "세종시민회관", "세종컨벤션센터", "조치원 세종시민회관",
    "나성동 복합커뮤니티센터", "보람동 시청 대회의실", "세종호수공원 수상무대섬", "세종테크밸리 지원센터",
    "어진동 지역 사무실", "도담동 복합커뮤니티센터", "세종시립도서관",
)
DAEJEON_SUBJECTS = ("대전시", "대전시", "대전시", "대전광역시", "유성구", "서구", "대덕구", "중구", "동구")
DAEJEON_PLACES = (
    "유성구", "서구", "대덕구", "중구", "동구", "둔산동", "대덕특구", "도안신도시", "노은동", "관평동",
    "신탄진", "은행동", "대흥동", "대전역", "엑스포과학공원", "한밭수목원", "갑천", "월평동", "탄방동",
    "가수원동", "원신흥동", "봉명동", "용문동", "판암동", "가양동", "신성동", "탑립동", "관저동",
)
DAEJEON_VENUES = (
    "시청 대강당", "시청 세미나실", "대전컨벤션센터", "유성구청 대회의실", "대덕구청 중회의실",
    "서구청 구봉산홀", "대전테크노파크", "대전창조경제혁신센터", "중구 으능정이 거리", "KAIST 학술문화관",
    "한밭대 산학협력관", "대전시민천문대", "동구청 대회의실", "대전정보문화산업진흥원",
)
#: Neither-city places for stories elsewhere.
OTHER_PLACES = (
    "서울", "부산", "인천", "광주", "대구", "울산", "수원", "고양", "창원", "전주", "청주", "천안",
    "춘천", "제주", "포항", "김해", "안양", "성남",
)
OTHER_CITY_SMART = (
    ("부산시", "부산 에코델타시티"),
    ("인천시", "인천 송도국제도시"),
    ("서울시", "서울 상암동"),
    ("고양시", "고양 일산동구"),
    ("성남시", "성남 판교"),
    ("수원시", "수원 영통구"),
    ("광주시", "광주 첨단지구"),
    ("창원시", "창원 성산구"),
)
#: Regional lists that name the cities without making them the subject.
REGION_LISTS = (
    "서울·부산·대구·인천·광주·대전·울산·세종 등 17개 시도",
    "대전·세종·충남 등 17개 시도",
    "부산, 대구, 대전, 세종, 광주 등 전국 8개 도시",
    "경기·강원·충북·충남·대전·세종 등 전국 각지",
    "수도권과 부산·대전·세종·광주 등 대도시",
)
MINISTRIES = (
    ("국토교통부", "국토부"),
    ("과학기술정보통신부", "과기정통부"),
    ("행정안전부", "행안부"),
    ("기획재정부", "기재부"),
    ("산업통상자원부", "산업부"),
    ("환경부", "환경부"),
    ("교육부", "교육부"),
    ("고용노동부", "노동부"),
)

# ---------------------------------------------------------------------------------------------
# People and organisations: invented names, built from syllables.
# ---------------------------------------------------------------------------------------------

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모남궁"
GIVEN_SYLLABLES = (
    "민서준지현우수영진호성재원혜은하윤동철상미정경태희연승용석주선범규한나유아세종대"
)
# 세 and 대 are left out of the first syllable of given names below, so no invented person is called
# "세종" or "대전"; they stay in the pool only as second syllables.
_GIVEN_FIRST = tuple(ch for ch in GIVEN_SYLLABLES if ch not in "세대종")
_GIVEN_SECOND = tuple(ch for ch in GIVEN_SYLLABLES if ch not in "종전")

OFFICIAL_ROLES_SEJONG = (
    "세종시 스마트도시과장", "세종시 미래전략본부장", "세종시 교통과장", "세종시 도시재생과장",
    "세종시 정보통신과장", "세종시 경제산업국장", "세종시 기획조정실장", "세종시 행정부시장",
    "행복청 도시계획국장", "세종시 환경정책과장", "세종시 안전정책과장",
)
OFFICIAL_ROLES_DAEJEON = (
    "대전시 스마트시티과장", "대전시 과학산업국장", "대전시 교통국장", "대전시 도시주택국장",
    "대전시 기획조정실장", "대전시 행정부시장", "유성구 스마트정보과장", "대덕구 도시재생과장",
    "대전시 환경녹지국장", "대전시 시민안전실장", "서구 정보통신과장",
)
OFFICIAL_ROLES_OTHER = (
    "국토부 도시경제과장", "국토부 도시정책관", "과기정통부 정보통신정책실장", "행안부 디지털정부국장",
    "기재부 예산총괄심의관", "산업부 지역경제정책관", "환경부 기후탄소정책실장",
)
EXPERT_ROLES = (
    "KAIST 교수", "충남대 교수", "한밭대 교수", "고려대 세종캠퍼스 교수", "홍익대 세종캠퍼스 교수",
    "국토연구원 연구위원", "대전세종연구원 연구위원", "ETRI 책임연구원", "한국교통연구원 연구위원",
    "스마트시티 총괄계획가", "LH 세종특별본부 부장",
)

# ---------------------------------------------------------------------------------------------
# Topic vocabularies and sentence templates (the generator's own, not the tagger's lexicon).
# Slots: {subj} acting body, {place} neighbourhood, {venue}, {term}/{term2} topic terms,
# {n} small count, {amt} money in 억원, {month}, {day}, {year}, {city} city name for titles.
# ---------------------------------------------------------------------------------------------

TOPIC_TERMS: dict[str, tuple[str, ...]] = {
    "pilot_city": (
        "국가시범도시", "스마트시티 국가시범도시", "스마트시티 시범도시", "시범도시 시행계획",
        "스마트도시계획", "스마트시티 기본구상", "시범도시 조성사업", "스마트도시 인증",
        "스마트시티 종합계획", "시범도시 기본계획",
    ),
    "mobility": (
        "자율주행 버스", "간선급행버스체계(BRT)", "BRT", "도심항공교통(UAM)", "수요응답형 교통(DRT)",
        "스마트 주차", "주차공유 서비스", "자율주행 셔틀", "지능형교통체계(ITS)", "스마트 교차로",
        "공영자전거", "개인형 이동장치", "자율주행 실증", "모빌리티 허브", "통합 교통 플랫폼",
    ),
    "data_ai": (
        "데이터 플랫폼", "인공지능(AI)", "디지털트윈", "사물인터넷(IoT)", "클라우드", "데이터센터",
        "빅데이터 분석", "도시데이터 허브", "공공데이터 개방", "AI 반도체", "생성형 AI", "데이터 댐",
        "AI 융합", "초거대 AI", "데이터 거래소",
    ),
    "challenge_livinglab": (
        "스마트시티 챌린지", "리빙랩", "시민참여단", "스마트챌린지 본사업", "챌린지 예비사업",
        "시민 리빙랩", "주민 아이디어 공모", "시민 체험단", "스마트 솔루션 확산사업", "리빙랩 워크숍",
        "시민 참여형 실증", "지역 문제 해결형 챌린지",
    ),
    "safety_operations": (
        "스마트도시 통합운영센터", "지능형 CCTV", "스마트 안전", "재난 대응 시스템", "스마트 횡단보도",
        "비상벨", "112·119 연계 서비스", "화재 감지 센서", "침수 감지 시스템", "스마트 가로등",
        "통합관제센터", "안전 취약계층 돌봄",
    ),
    "energy_environment": (
        "에너지 자립", "수소 충전소", "탄소중립", "태양광 발전", "제로에너지 건축", "미세먼지 측정망",
        "스마트그리드", "에너지 관리 시스템", "수소 버스", "온실가스 감축", "신재생에너지",
        "탄소중립 실천", "도시 열섬 모니터링",
    ),
    "regeneration_housing": (
        "도시재생", "도시재생 뉴딜", "스마트 도시재생", "공공임대주택", "주거환경 개선", "생활권 개발",
        "노후 주거지 정비", "원도심 활성화", "스마트 주거단지", "청년 주택", "마을 공동체 거점",
    ),
    "governance_budget": (
        "국비", "사업비", "조례", "업무협약(MOU)", "스마트도시 위원회", "거버넌스", "추가경정예산",
        "본예산", "협의체", "조례 개정", "예산 편성", "협약",
    ),
    "industry_startup": (
        "스타트업", "연구개발특구", "투자 유치", "산업단지", "규제자유특구", "창업 지원", "벤처기업",
        "기술 이전", "앵커기업", "기업 유치", "창업보육센터", "혁신 기업",
    ),
}

#: Title templates per topic ({city} is the short city name or the pair for 'both').
TOPIC_TITLES: dict[str, tuple[str, ...]] = {
    "pilot_city": (
        "{city}, {term} 밑그림 나왔다",
        "{city} {term} 속도…{year}년 입주 목표",
        "'{term}' {city}, 첫 단추 끼웠다",
        "{city} {place} {term} 본궤도",
        "{term} {city}, 계획 수정 불가피",
        "{city} {term} 추진단 출범",
    ),
    "mobility": (
        "{city} {term} 본격 운행",
        "{city}, {term} 도입 '속도'",
        "{place} 달리는 {term}…{city} 교통 바뀐다",
        "{city} {term} 시범 서비스 시작",
        "{term} 확대하는 {city}, 시민 반응은",
        "{city} {place}에 {term} 들어선다",
    ),
    "data_ai": (
        "{city}, {term} 구축 나선다",
        "{city} 행정에 {term} 입힌다",
        "{term}로 도시 문제 푼다…{city} 실험",
        "{city} {term} 사업 첫 성과",
        "{city}, {term} 기반 행정 서비스 확대",
        "{place}에 {term} 거점…{city} 구상",
    ),
    "challenge_livinglab": (
        "{city} {term} 참여자 모집",
        "시민이 해법 찾는 {city} {term}",
        "{city}, {term} 선정…실증 착수",
        "{term} 현장서 나온 {city} 시민 아이디어",
        "{city} {place} {term} 성과 공유",
        "{city} '{term}' 2년 차 돌입",
    ),
    "safety_operations": (
        "{city} {term} 가동…사각지대 줄인다",
        "{city}, {place}에 {term} 설치",
        "{term}이 지키는 {city} 밤길",
        "{city} {term} 고도화 착수",
        "{city}, {term}로 재난 대응 빨라진다",
        "{place} {term} 확대…{city} 안전망 강화",
    ),
    "energy_environment": (
        "{city}, {term} 도시로 간다",
        "{city} {place} {term} 시범단지 조성",
        "{term} 앞당기는 {city}",
        "{city} {term} 사업 확대",
        "{city}, {term} 실증 나서",
        "{place} {term} 눈길…{city} 녹색 전환",
    ),
    "regeneration_housing": (
        "{city} {place} {term} 본격화",
        "{place}, {term}로 다시 뛴다",
        "{city} {term} 공모 선정",
        "{city}, {term} 사업지 {n}곳 확정",
        "{term} 속도 내는 {city} {place}",
        "{city} {place} {term} 주민설명회",
    ),
    "governance_budget": (
        "{city} 스마트시티 {term} 확정",
        "{city}, 스마트도시 {term} 손질",
        "{city} 스마트시티 {term} 체결",
        "{city} 스마트도시 {term} {amt}억 반영",
        "{city}, 스마트시티 {term} 첫 회의",
        "{city} 스마트도시 {term} 논란",
    ),
    "industry_startup": (
        "{city}, {term} 육성 팔 걷었다",
        "{city} 스마트시티 {term} {n}곳 선정",
        "{place} {term} 몰린다…{city} 산업 지형 변화",
        "{city} {term} 성과 가시화",
        "{city}, 스마트시티 {term} 박차",
        "{term} 키우는 {city}, 지원 확대",
    ),
}

#: Lead sentences: who did what, when, where. Primary topic only.
TOPIC_LEADS: dict[str, tuple[str, ...]] = {
    "pilot_city": (
        "{subj|은} {day}일 {venue}에서 {term} 조성 방향을 논의하는 설명회를 열었다고 밝혔다.",
        "{subj|이} {term} 사업의 세부 시행계획을 확정하고 {year}년까지 단계별 조성에 나선다.",
        "{place} 일대에 들어설 {term}의 윤곽이 드러났다.",
        "{subj|은} {day}일 {term} 추진 현황을 점검하는 보고회를 개최했다.",
        "{term} 조성 사업이 설계 단계를 마치고 부지 조성 공사에 들어간다.",
    ),
    "mobility": (
        "{subj|은} {day}일부터 {place} 일대에서 {term} 시범 운행을 시작한다고 밝혔다.",
        "{place}에서 {term|이} 시민을 태우고 달리기 시작했다.",
        "{subj|이} {term} 노선을 늘리고 배차 간격을 줄이는 개편안을 {day}일 내놨다.",
        "{subj|은} {day}일 {venue}에서 {term} 도입을 위한 실증 착수식을 열었다.",
        "출퇴근길 교통 혼잡을 줄이기 위한 {term} 사업이 {place}에서 본격화한다.",
    ),
    "data_ai": (
        "{subj|은} {day}일 도시 문제를 데이터로 풀기 위한 {term} 구축 계획을 발표했다.",
        "{subj|이} {term|을} 행정 전반에 도입하는 사업에 착수했다고 {day}일 밝혔다.",
        "{place} 일대의 교통량과 유동인구를 한눈에 보여주는 {term|이} 문을 열었다.",
        "{subj|은} {day}일 {venue}에서 {term} 활용 방안을 주제로 포럼을 열었다.",
        "행정 업무에 {term|을} 접목하려는 {subj}의 실험이 첫 결과물을 내놨다.",
    ),
    "challenge_livinglab": (
        "{subj|은} {day}일 {term}에 참여할 시민 {n}0명을 모집한다고 밝혔다.",
        "시민이 직접 도시 문제를 찾고 해법을 실험하는 {term|이} {place}에서 닻을 올렸다.",
        "{subj|이} 정부 공모 {term}에 최종 선정됐다고 {day}일 밝혔다.",
        "{subj|은} {day}일 {venue}에서 {term} 성과 공유회를 열었다.",
        "주민이 설계하고 기업이 실증하는 {term} 방식이 {place}에서 첫선을 보였다.",
    ),
    "safety_operations": (
        "{subj|은} {day}일 {place} 일대에 {term|을} 새로 설치했다고 밝혔다.",
        "{subj|이} 범죄와 사고 사각지대를 줄이기 위해 {term} 고도화 사업에 들어간다.",
        "{place}의 밤길이 {term} 덕분에 한층 안전해졌다.",
        "{subj|은} {day}일 {venue}에서 {term} 운영 점검 회의를 열었다.",
        "집중호우와 폭염에 대비한 {term|이} {place}에서 시범 가동에 들어갔다.",
    ),
    "energy_environment": (
        "{subj|은} {day}일 {place}에 {term} 시범단지를 조성한다고 밝혔다.",
        "{subj|이} {year}년까지 {term|을} 목표로 하는 로드맵을 {day}일 공개했다.",
        "{place}의 공공건물 옥상에 {term} 설비가 들어섰다.",
        "{subj|은} {day}일 {venue}에서 {term} 추진 전략 토론회를 열었다.",
        "{term|을} 앞당기기 위한 {subj}의 도시 실험이 {place}에서 시작됐다.",
    ),
    "regeneration_housing": (
        "{subj|은} {day}일 {place}의 {term} 사업 계획을 확정했다고 밝혔다.",
        "낡은 주택과 빈 점포가 늘던 {place}에 {term} 바람이 불고 있다.",
        "{subj|이} {place} 일대 {term} 사업에 속도를 낸다.",
        "{subj|은} {day}일 {venue}에서 {term} 주민설명회를 열었다.",
        "{place}의 {term} 사업이 정부 공모에 선정돼 탄력을 받게 됐다.",
    ),
    "governance_budget": (
        "{subj|은} {day}일 스마트도시 분야 {term} {amt}억원을 확보했다고 밝혔다.",
        "{subj|이} 스마트도시 사업을 뒷받침할 {term|을} 손질한다.",
        "{subj|은} {day}일 {venue}에서 스마트시티 {term} 첫 회의를 열었다.",
        "{subj|와} 지역 기관들이 {day}일 스마트도시 협력을 위한 {term|을} 맺었다.",
        "스마트도시 사업 {term|을} 둘러싸고 의회와 집행부가 맞서고 있다.",
    ),
    "industry_startup": (
        "{subj|은} {day}일 스마트시티 분야 {term} {n}곳을 새로 선정했다고 밝혔다.",
        "{place}에 스마트시티 관련 {term|이} 잇따라 둥지를 틀고 있다.",
        "{subj|이} 스마트도시 산업 생태계를 키우기 위한 {term} 계획을 {day}일 내놨다.",
        "{subj|은} {day}일 {venue}에서 스마트시티 {term} 설명회를 열었다.",
        "도시 문제를 기술로 푸는 {term|이} {place}를 중심으로 늘고 있다.",
    ),
}

#: Detail sentences, any position after the lead.
TOPIC_DETAILS: dict[str, tuple[str, ...]] = {
    "pilot_city": (
        "{term|은} 도시 계획 단계부터 첨단 기술을 적용해 새로 짓는 도시로, 정부가 전국에서 두 곳을 골랐다.",
        "사업 부지는 {place} 일대로, 주거와 업무 시설이 함께 들어서는 복합 생활권으로 계획됐다.",
        "{term}에는 입주민이 참여하는 도시 설계 방식이 도입돼 서비스 구성이 달라질 전망이다.",
        "당초 계획보다 일정이 늦어지면서 첫 입주 시기는 {year}년으로 조정됐다.",
        "총괄계획가와 전문가 자문단이 참여해 {term} 세부 계획을 다듬고 있다.",
        "시범도시에는 입주 전부터 시민 의견을 반영한 특화 서비스가 설계된다.",
        "{term} 부지 조성 공사는 {year}년 상반기 착공을 목표로 하고 있다.",
    ),
    "mobility": (
        "{term|은} {place}에서 출발해 주요 정류장 {n}곳을 거쳐 순환하는 노선으로 운영된다.",
        "이용객은 전용 앱으로 호출하면 가까운 정류장에서 {term|을} 탈 수 있다.",
        "안전요원이 탑승해 돌발 상황에 대비하며, 운행 속도는 시속 {n}0㎞로 제한된다.",
        "{term} 도입 이후 출퇴근 시간대 평균 통행 시간이 {n}분가량 줄어든 것으로 나타났다.",
        "{term|과} 연계한 환승 할인도 함께 적용돼 이용객 부담을 덜게 됐다.",
        "{place}의 교차로 {n}곳에는 차량 흐름에 따라 신호를 바꾸는 {term2|이} 설치됐다.",
        "운행 구간은 {place}부터 주요 공공기관 밀집 지역까지 약 {n}㎞다.",
        "{term2|은} 하루 평균 {n}00여 명이 이용하고 있다.",
    ),
    "data_ai": (
        "{term|은} 교통, 환경, 안전 등 흩어진 도시 정보를 한곳에 모아 분석하는 역할을 한다.",
        "{place} 일대에 설치된 센서 {n}00여 개가 실시간으로 정보를 수집한다.",
        "{term2|을} 활용하면 도시 변화를 가상 공간에서 미리 시험해 볼 수 있다.",
        "모인 정보는 개인정보를 가린 뒤 시민과 기업에 개방될 예정이다.",
        "{term|을} 통해 민원 처리 시간이 평균 {n}일 단축되는 효과가 기대된다.",
        "지역 대학과 연구기관이 참여해 {term2} 분석 모델을 함께 개발한다.",
        "{term} 구축에는 지역 정보통신 기업 {n}곳이 참여한다.",
        "수집한 정보로 {term2} 기반 예측 모델을 만들어 행정 판단에 활용한다는 구상이다.",
    ),
    "challenge_livinglab": (
        "참여자들은 {place} 주민들과 함께 생활 속 불편을 찾아내고 해결 방안을 제안하게 된다.",
        "{term|은} 시민과 기업, 지자체가 함께 도시 문제를 풀어가는 참여형 사업이다.",
        "선정된 아이디어는 기업과 연계해 {place}에서 {n}개월간 실증을 거친다.",
        "지난해 {term}에서는 주차와 보행 안전 관련 제안이 가장 많았다.",
        "{term2}에 참여한 주민들은 서비스 개선점을 직접 평가해 다음 단계 설계에 반영한다.",
        "시민들이 제안한 과제 가운데 {n}건이 실제 서비스로 이어졌다.",
        "{term|은} 예비사업을 거쳐 본사업 단계로 넘어가며 규모가 커진다.",
    ),
    "safety_operations": (
        "{term|은} 경찰과 소방, 지자체 영상을 연계해 위급 상황에 즉시 대응하도록 돕는다.",
        "{place}의 어린이보호구역과 공원 등 {n}0여 곳이 우선 대상이다.",
        "비상 상황이 감지되면 {term2|이} 관제 요원에게 자동으로 알림을 보낸다.",
        "{term} 설치 이후 해당 구역의 112 신고 처리 시간이 눈에 띄게 줄었다.",
        "야간 보행자가 많은 {place} 골목길에는 {term2|이} 추가로 설치된다.",
        "관제 요원 {n}0여 명이 24시간 교대로 {term|을} 운영한다.",
        "하천 수위와 강우량 정보가 {term|과} 연동돼 침수 위험을 미리 알린다.",
    ),
    "energy_environment": (
        "{term} 설비가 갖춰지면 공공건물 전력 사용량의 {n}0%가량을 자체 생산하게 된다.",
        "{place}에는 {term2} 시설이 함께 조성돼 주민 이용이 늘 것으로 보인다.",
        "{term|은} 건물별 에너지 사용량을 실시간으로 확인하고 조절하는 방식이다.",
        "대기질 정보를 측정하는 {term2} 장비가 {place} 곳곳에 설치됐다.",
        "온실가스를 줄이기 위해 노선버스 일부가 {term2|로} 바뀐다.",
        "사업이 완료되면 연간 온실가스 배출량이 {n}천t가량 줄어들 것으로 기대된다.",
        "{term|과} 연계한 녹지 확충 사업도 함께 추진된다.",
    ),
    "regeneration_housing": (
        "사업 대상지인 {place|은} 건축된 지 30년이 넘은 주택이 절반을 넘는다.",
        "{term} 사업으로 주민 공동이용시설과 청년 창업 공간이 함께 들어선다.",
        "{place} 일대에는 공공임대주택 {n}00가구가 공급될 예정이다.",
        "빈 점포를 고쳐 주민 공유 공간으로 바꾸는 {term2} 사업도 병행된다.",
        "{term|은} 주민협의체가 계획 단계부터 참여하는 방식으로 진행된다.",
        "노후 골목길 정비와 함께 주차장과 쉼터를 늘리는 사업이 포함됐다.",
        "{place} 생활권에는 학교와 공원, 복합커뮤니티센터가 차례로 들어선다.",
    ),
    "governance_budget": (
        "확보한 {term|은} 스마트도시 서비스 구축과 운영에 나눠 쓰인다.",
        "스마트도시 위원회는 공무원과 전문가, 시민 대표 {n}0여 명으로 꾸려졌다.",
        "개정 조례안에는 스마트도시 서비스 운영 재원과 위원회 구성 근거가 담겼다.",
        "이번 {term}에 따라 참여 기관들은 정보 공유와 공동 사업 발굴에 힘을 모은다.",
        "의회는 사업 효과가 검증되지 않았다며 {term} 일부를 삭감했다.",
        "관련 예산은 내년 본예산에 {amt}억원 규모로 반영될 예정이다.",
        "{term} 체결 기관은 정기 협의회를 열어 추진 상황을 점검하기로 했다.",
    ),
    "industry_startup": (
        "{place}에 자리 잡은 {term|은} 도시 문제를 푸는 기술을 실증할 기회를 얻는다.",
        "선정된 {term}에는 기업당 최대 {n}억원의 사업화 자금이 지원된다.",
        "지역 {term}들은 연구기관의 기술을 이전받아 제품화에 나서고 있다.",
        "{term2}를 통해 최근 3년간 {n}0여 개 기업이 새로 문을 열었다.",
        "대학과 연구기관이 밀집한 {place}는 기술 창업의 요람으로 꼽힌다.",
        "입주 기업들은 공공 실증 공간을 활용해 제품의 신뢰성을 높이고 있다.",
        "{term} 유치를 위해 세제 감면과 부지 제공 등 인센티브가 마련됐다.",
    ),
}

#: What officials and experts say, per topic (the quote frame is added separately).
TOPIC_QUOTES: dict[str, tuple[str, ...]] = {
    "pilot_city": (
        "시범도시가 미래 도시의 표준이 될 수 있도록 계획을 꼼꼼히 다듬겠다",
        "입주민이 체감할 수 있는 서비스를 중심으로 시범도시를 완성하겠다",
        "시범도시 조성이 늦어지지 않도록 관계 기관과 긴밀히 협력하겠다",
    ),
    "mobility": (
        "시민 누구나 편리하게 이동할 수 있는 교통 환경을 만들겠다",
        "안전을 최우선으로 운행 구간을 단계적으로 넓혀 가겠다",
        "대중교통 중심의 도시 구조를 완성하는 데 힘을 쏟겠다",
    ),
    "data_ai": (
        "쌓인 정보를 행정에 제대로 활용해 시민 불편을 먼저 찾아 해결하겠다",
        "기술 자체보다 시민이 느끼는 변화에 초점을 맞추겠다",
        "지역 기업이 성장할 수 있도록 정보를 폭넓게 개방하겠다",
    ),
    "challenge_livinglab": (
        "시민의 목소리가 곧 가장 좋은 해법이라는 생각으로 사업을 이끌겠다",
        "주민이 직접 만든 해법이 도시 전체로 확산되도록 지원하겠다",
        "참여한 시민들의 제안을 하나라도 더 현실로 만들겠다",
    ),
    "safety_operations": (
        "시민이 안심하고 다닐 수 있는 도시를 만드는 것이 가장 중요하다",
        "사고가 나기 전에 위험을 먼저 알아차리는 체계를 갖추겠다",
        "관계 기관과 협력해 안전 사각지대를 계속 줄여 나가겠다",
    ),
    "energy_environment": (
        "도시 전체가 에너지를 아끼고 만드는 구조로 바뀌어야 한다",
        "시민 생활과 밀접한 분야부터 녹색 전환을 앞당기겠다",
        "환경과 경제가 함께 가는 도시 모델을 보여주겠다",
    ),
    "regeneration_housing": (
        "주민이 떠나지 않고 함께 살 수 있는 동네를 만드는 것이 목표다",
        "오래된 동네에 새로운 활력을 불어넣는 계기가 될 것",
        "주거 환경 개선과 일자리 창출을 함께 이루겠다",
    ),
    "governance_budget": (
        "확보한 재원을 꼭 필요한 곳에 쓰도록 집행을 꼼꼼히 챙기겠다",
        "여러 기관이 힘을 모으는 협력 구조를 제도로 뒷받침하겠다",
        "의회와 충분히 소통하며 사업의 타당성을 설명하겠다",
    ),
    "industry_startup": (
        "지역 기업이 도시를 시험대로 삼아 성장하도록 돕겠다",
        "좋은 기술이 지역에 머물 수 있는 환경을 만들겠다",
        "기업 유치와 일자리 창출이라는 두 마리 토끼를 잡겠다",
    ),
}

#: Closing sentences: plans and schedules.
TOPIC_CLOSERS: dict[str, tuple[str, ...]] = {
    "pilot_city": (
        "시는 올해 안에 실시설계를 마무리하고 관계 부처 협의를 거쳐 사업을 확정할 계획이다.",
        "세부 계획은 주민 공청회를 거쳐 {month}월 중 최종 확정된다.",
    ),
    "mobility": (
        "시는 시범 운행 결과를 분석해 {year}년부터 운행 구간을 넓힐 방침이다.",
        "정식 운행은 {month}월부터이며, 첫 달은 요금을 받지 않는다.",
    ),
    "data_ai": (
        "시는 {month}월까지 시스템을 완성하고 하반기부터 시범 운영에 들어갈 예정이다.",
        "분석 결과는 정기적으로 공개해 정책 수립에 활용할 계획이다.",
    ),
    "challenge_livinglab": (
        "참여 신청은 {month}월 말까지 누리집에서 받는다.",
        "시는 실증 결과를 바탕으로 우수 서비스를 다른 지역에도 확산할 계획이다.",
    ),
    "safety_operations": (
        "시는 {month}월까지 설치를 마치고 운영 효과를 분석해 대상 지역을 늘릴 방침이다.",
        "관련 정보는 시민 안전 앱을 통해서도 확인할 수 있다.",
    ),
    "energy_environment": (
        "시는 {year}년까지 대상 건물을 단계적으로 늘려 나갈 계획이다.",
        "사업 효과는 {month}월부터 매달 공개된다.",
    ),
    "regeneration_housing": (
        "사업은 {year}년 완공을 목표로 올해 하반기 착공한다.",
        "주민 의견은 {month}월까지 행정복지센터에서 받는다.",
    ),
    "governance_budget": (
        "관련 안건은 {month}월 열리는 임시회에서 다뤄진다.",
        "협의회는 분기마다 회의를 열어 사업 진행 상황을 점검할 예정이다.",
    ),
    "industry_startup": (
        "지원 신청은 {month}월까지 받으며, 서류와 발표 평가를 거쳐 대상 기업을 확정한다.",
        "시는 {year}년까지 관련 기업 {n}0곳을 추가로 유치한다는 목표를 세웠다.",
    ),
}

#: Generic smart-city framing, topic-neutral (no topic terms).
#: Topics whose vocabulary (주택, 예산, 기업, 에너지 …) is common in news that is not about smart
#: cities: their smart-city stories always carry a sentence naming the smart-city work.
PLAIN_VOCABULARY_TOPICS = frozenset(
    {"regeneration_housing", "governance_budget", "industry_startup", "energy_environment"}
)

SMART_GENERIC = (
    "스마트시티는 첨단 정보통신 기술로 도시 문제를 해결하고 삶의 질을 높이는 도시를 말한다.",
    "이번 사업은 스마트시티 정책의 하나로 추진된다.",
    "지역에서는 스마트시티 사업이 시민 생활을 실제로 바꿀 수 있을지 관심이 쏠린다.",
    "전문가들은 스마트시티 사업이 일회성 시범에 그치지 않도록 운영 계획을 갖춰야 한다고 지적한다.",
)

QUOTE_FRAMES = (
    '{person} {role|은} "{quote}"라고 말했다.',
    '{person} {role|은} "{quote}"며 "{quote2}"고 강조했다.',
    '{role} {person|은} "{quote}"고 밝혔다.',
    '{person} {role|은} "{quote}"고 설명했다.',
    '이날 {role} {person|은} "{quote}"라고 했다.',
)

# ---------------------------------------------------------------------------------------------
# Not smart-city: local politics, culture, sports, weather, education, economy. Some use
# smart-ish words off-topic (스마트폰, 데이터, 앱, AI in a sports story) and stay smart_city False.
# ---------------------------------------------------------------------------------------------

OFFTOPIC_KINDS = ("politics", "culture", "sports", "weather", "education", "economy")

OFFTOPIC_TITLES: dict[str, tuple[str, ...]] = {
    "politics": (
        "{city}의회 임시회 개회…현안 질의 '공방'",
        "{city} 구청장 후보 {n}명 등록 마쳐",
        "{city}의회, 행정사무감사 일정 확정",
        "{city} {place} 주민자치회 출범",
    ),
    "culture": (
        "{place}서 가을 음악축제 열린다",
        "{city} 작가 {n}인 기획전 개막",
        "{city}시립미술관, 지역 청년작가 조명",
        "{place} 골목 축제에 시민 발길",
    ),
    "sports": (
        "{team}, 홈 경기서 {n}-{n2} 역전승",
        "{team} 새 시즌 출정식…'상위권 도약'",
        "{city} 생활체육대회 {place}서 개막",
        "{team} 주축 선수 부상에 비상",
    ),
    "weather": (
        "{city} 올여름 첫 폭염특보",
        "{city}·충남 밤사이 {n}0㎜ 비…출근길 주의",
        "{city} 첫 한파주의보…체감온도 영하 {n}도",
        "{city} 벚꽃 개화 작년보다 {n}일 빨라",
    ),
    "education": (
        "{city} 고교 신입생 배정 결과 발표",
        "{city}교육청, 학교 급식 개선안 마련",
        "{city} 과밀학급 해소 '발등의 불'",
        "{place} 새 초등학교 개교 앞둬",
    ),
    "economy": (
        "{city} 전통시장 매출 회복세",
        "{city} 아파트값 {n}주 연속 하락",
        "{city} 소상공인 특별자금 {amt}억 푼다",
        "{place} 상권 공실률 고공행진",
    ),
}

OFFTOPIC_SENTENCES: dict[str, tuple[str, ...]] = {
    "politics": (
        "{subj}의회는 {day}일 본회의를 열고 {n}개 안건을 처리했다.",
        "이날 의원들은 도로 정비 지연과 청사 주차난 문제를 두고 집행부를 강하게 질타했다.",
        "{place} 지역구 의원은 주민 숙원 사업의 예산 반영이 늦어지고 있다고 지적했다.",
        "여야는 원 구성 문제를 놓고 이틀째 협상을 이어갔으나 접점을 찾지 못했다.",
        "후보들은 {place} 일대에서 출마 기자회견을 열고 지지를 호소했다.",
        "주민자치회 위원 {n}0명은 앞으로 마을 의제를 발굴하고 주민총회를 운영한다.",
    ),
    "culture": (
        "이번 행사에는 지역 예술인 {n}0여 명이 참여해 공연과 전시를 선보인다.",
        "{place} 일대에서 열리는 축제는 {month}월 {day}일까지 이어진다.",
        "전시는 지역의 풍경을 담은 회화와 사진 작품 {n}0여 점으로 꾸며졌다.",
        "주최 측은 올해 관람객이 지난해보다 크게 늘 것으로 내다봤다.",
        "관람은 무료이며 사전 예약 없이 누구나 참여할 수 있다.",
        "개막 공연에서는 지역 청소년 오케스트라가 무대에 올랐다.",
    ),
    "sports": (
        "{team|은} {day}일 홈 경기에서 후반 막판 결승골을 앞세워 승리를 거뒀다.",
        "감독은 경기 뒤 선수들의 집중력이 끝까지 살아 있었다고 평가했다.",
        "이날 경기장에는 시즌 최다인 {n}천여 명의 관중이 찾았다.",
        "{team|은} 이번 승리로 리그 순위를 {n}위로 끌어올렸다.",
        "생활체육대회에는 {n}0개 종목에 선수와 임원 {n}천여 명이 참가한다.",
        "주전 공격수의 부상 공백을 메우는 것이 당면 과제로 꼽힌다.",
    ),
    "weather": (
        "기상청은 {day}일 낮 최고기온이 {n}{n2}도까지 오를 것으로 예보했다.",
        "밤사이 내린 비로 {place} 일부 도로가 통제됐다가 오전에 풀렸다.",
        "시는 무더위 쉼터 {n}00여 곳을 운영하고 취약계층 안부 확인에 나섰다.",
        "기상청은 출근길 빙판길 교통안전에 각별히 유의해 달라고 당부했다.",
        "올해 벚꽃은 평년보다 일찍 피어 이번 주말 절정을 이룰 전망이다.",
        "이번 비는 내일 오후 충남 북부부터 차차 그치겠다.",
    ),
    "education": (
        "올해 고교 신입생 배정 결과는 {day}일 오전 각 중학교를 통해 발표된다.",
        "교육청은 학교 급식 식재료 가운데 지역 농산물 비율을 {n}0%까지 늘리기로 했다.",
        "{place} 일대는 입주가 몰리면서 학급당 학생 수가 {n}0명을 넘는 학교가 나왔다.",
        "학부모들은 통학 안전 대책이 먼저 마련돼야 한다고 목소리를 높였다.",
        "새 학교는 {month}월 개교해 {n}0학급 규모로 운영된다.",
        "교육청 관계자는 학생 수요를 다시 조사해 배치 계획을 보완하겠다고 밝혔다.",
    ),
    "economy": (
        "{place} 전통시장의 올해 상반기 매출은 지난해 같은 기간보다 {n}% 늘었다.",
        "한국부동산원 조사에서 지역 아파트 매매가격은 {n}주째 내림세를 이어갔다.",
        "시는 소상공인 경영안정자금 {amt}억원을 저금리로 지원한다고 밝혔다.",
        "{place} 중심 상권의 1층 점포 공실률은 {n}0%를 웃돈다.",
        "상인회는 주차 공간 확충과 야간 행사 지원을 요청했다.",
        "전문가들은 금리 흐름에 따라 하반기 시장 분위기가 달라질 수 있다고 내다봤다.",
    ),
}

#: Off-topic smart-ish sentences: they use 스마트폰, 데이터, 앱, AI without being about smart cities.
OFFTOPIC_SMARTISH: dict[str, tuple[str, ...]] = {
    "politics": (
        "회의 장면은 의회 누리집과 스마트폰으로도 생중계됐다.",
        "한 의원은 여론조사 데이터를 근거로 들며 집행부의 설명을 반박했다.",
    ),
    "culture": (
        "관람객은 스마트폰으로 작품 옆 QR코드를 찍으면 작가의 설명을 들을 수 있다.",
        "주최 측은 예매 앱 접속이 몰려 한때 오류가 났다고 밝혔다.",
    ),
    "sports": (
        "구단은 선수들의 경기 데이터를 분석해 전술 훈련에 반영하고 있다.",
        "팬들은 구단 공식 앱과 스마트폰 중계로 경기를 지켜봤다.",
        "코칭스태프는 AI 영상 분석 프로그램으로 상대 팀의 패턴을 연구했다.",
    ),
    "weather": (
        "자세한 날씨 정보는 기상청 날씨 앱에서 확인할 수 있다.",
        "기상 관측 데이터에 따르면 올해 폭염일수는 평년보다 많았다.",
    ),
    "education": (
        "학생들은 스마트폰 사용 시간을 줄이는 생활 습관 교육도 받는다.",
        "교육청은 학력 진단 데이터를 학교별로 분석해 지원할 계획이다.",
    ),
    "economy": (
        "상인들은 스마트폰 간편결제 도입으로 젊은 손님이 늘었다고 전했다.",
        "카드 매출 데이터를 보면 주말 방문객 증가가 두드러졌다.",
    ),
}

TEAMS_DAEJEON = ("대전하나시티즌", "한화이글스", "대전 하나은행 여자배구단", "대전 삼성화재")
TEAMS_SEJONG = ("세종시청 하키팀", "세종 스포츠토토 하키단", "세종시체육회 선수단")
TEAMS_OTHER = ("수원 삼성", "FC서울", "전북 현대", "울산 HD", "부산 아이파크", "광주FC")

# ---------------------------------------------------------------------------------------------
# Homograph decoys: 세종 and 대전 that are not the cities. Each entry: (decoy word, titles,
# sentences). They appear in 'neither' stories and, now and then, in a city story.
# ---------------------------------------------------------------------------------------------

DECOYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "세종대왕": (
        ("한글날 앞두고 세종대왕 업적 재조명 학술대회", "세종대왕 동상 앞 한복 행진…외국인 관광객 몰려"),
        (
            "한글을 만든 세종대왕의 업적을 기리는 행사가 {day}일 {other}에서 열렸다.",
            "참가자들은 세종대왕 동상 앞에서 훈민정음 서문을 함께 낭독했다.",
            "학술대회에서는 세종대왕 시대의 과학 기구와 음악 정리 작업이 소개됐다.",
            "주최 측은 한글날을 맞아 어린이 대상 한글 쓰기 대회도 함께 열었다.",
        ),
    ),
    "세종문화회관": (
        ("세종문화회관 연말 공연 라인업 공개", "세종문화회관, 시민 합창단 단원 모집"),
        (
            "서울 종로구 세종문화회관은 {day}일 올해 하반기 기획 공연 일정을 발표했다.",
            "공연은 세종문화회관 대극장에서 {month}월 한 달간 이어진다.",
            "세종문화회관 측은 관객층을 넓히기 위해 가족 관객 할인 좌석을 늘렸다.",
            "공연 예매는 {day}일 오후 2시부터 시작된다.",
        ),
    ),
    "세종대로": (
        ("주말 세종대로 일대 집회…도심 교통 통제", "세종대로 보행길 넓힌다…차로 줄이고 광장 연결"),
        (
            "주말 서울 세종대로 일대에서 대규모 집회가 예정돼 교통 혼잡이 예상된다.",
            "경찰은 세종대로 일부 차로를 통제하고 우회 도로를 안내하기로 했다.",
            "서울시는 세종대로 보행 공간을 넓히는 공사를 {month}월까지 마칠 계획이다.",
            "광화문에서 숭례문까지 이어지는 세종대로 구간이 보행 중심 거리로 바뀐다.",
        ),
    ),
    "세종대학교": (
        ("세종대학교 연구팀, 차세대 배터리 소재 개발", "세종대학교 신입생 입학식 열려"),
        (
            "서울 광진구 세종대학교 연구팀이 새로운 배터리 소재를 개발했다고 {day}일 밝혔다.",
            "연구 결과는 국제 학술지에 실렸으며 세종대학교는 후속 연구를 이어갈 계획이다.",
            "세종대학교는 {day}일 교내 대양홀에서 신입생 입학식을 열었다.",
            "이번 연구에는 세종대학교 대학원생 {n}명이 참여했다.",
        ),
    ),
    "세종학당": (
        ("해외 세종학당 한국어 수강생 역대 최다", "세종학당재단, 현지 한국어 교원 연수"),
        (
            "해외에서 한국어와 한국 문화를 가르치는 세종학당 수강생이 올해 역대 최다를 기록했다.",
            "세종학당재단에 따르면 현재 {n}0여 개국에서 세종학당이 운영되고 있다.",
            "현지 교원들은 국내 연수에서 한국어 교수법과 문화 수업 자료를 익힌다.",
            "세종학당은 케이팝과 드라마 인기에 힘입어 수강 신청이 빠르게 마감되고 있다.",
        ),
    ),
    "할인 대전": (
        ("유통가 연말 할인 대전 돌입", "가전 업계 봄맞이 할인 대전…최대 {n}0% 할인"),
        (
            "주요 백화점과 대형마트가 {day}일부터 일제히 할인 대전에 들어갔다.",
            "이번 할인 대전에서는 가전과 의류 등 {n}00여 개 품목이 최대 {n}0% 싸게 팔린다.",
            "업계는 소비 심리를 되살리기 위해 할인 대전 기간을 예년보다 늘렸다.",
            "온라인 쇼핑몰들도 같은 기간 자체 할인 대전을 열어 경쟁에 가세했다.",
        ),
    ),
    "세계대전": (
        ("2차 세계대전 참전 용사 유해 {n}0년 만에 고국으로", "세계대전 다룬 다큐멘터리 국내 첫 상영"),
        (
            "2차 세계대전 당시 전사한 참전 용사의 유해가 {n}0여 년 만에 고국으로 돌아왔다.",
            "유해는 유전자 분석을 거쳐 신원이 확인됐으며 유족에게 전달됐다.",
            "다큐멘터리는 1차 세계대전과 2차 세계대전 사이의 유럽 사회를 조명한다.",
            "상영관은 {other}의 독립영화관 {n}곳이다.",
        ),
    ),
    "대전환": (
        ("정부, 에너지 대전환 로드맵 발표", "'경제 대전환' 내건 업계 신년 하례회"),
        (
            "정부는 {day}일 산업 구조를 바꾸기 위한 대전환 로드맵을 발표했다.",
            "참석자들은 경제 대전환의 시기에 규제 개선이 가장 시급하다고 입을 모았다.",
            "업계는 이번 대전환 계획이 중소기업에 부담이 되지 않도록 지원책을 요구했다.",
            "정부는 {year}년까지 관련 법령을 정비해 대전환을 뒷받침한다는 방침이다.",
        ),
    ),
    "대전료": (
        ("세계 타이틀전 대전료 {n}0억 원대…역대 최고", "복싱 대전료 협상 결렬로 경기 무산"),
        (
            "세계 타이틀전에 나서는 두 선수의 대전료가 역대 최고 수준으로 알려졌다.",
            "양측은 대전료 배분을 놓고 이견을 좁히지 못해 협상이 길어졌다.",
            "프로모터 측은 중계권 수익을 고려해 대전료를 책정했다고 설명했다.",
            "경기는 {other}의 실내 체육관에서 열릴 예정이었다.",
        ),
    ),
    "바둑 대전": (
        ("한중 바둑 대전 개막…정상급 기사 총출동", "바둑 대전 결승서 신예 기사 우승"),
        (
            "한국과 중국 정상급 기사들이 맞붙는 바둑 대전이 {day}일 {other}에서 개막했다.",
            "이번 바둑 대전은 {n}판 다승제로 진행되며 우승 상금은 {n}억원이다.",
            "신예 기사는 결승에서 중반 이후 형세를 뒤집으며 첫 우승을 차지했다.",
            "대국은 온라인으로도 생중계돼 많은 바둑 팬이 지켜봤다.",
        ),
    ),
}

#: Decoys that fit inside a city story without changing its region (a Sejong story citing the
#: king, a Daejeon market's sale event).
CITY_DECOY_SENTENCES = {
    "sejong": (
        "한글날에는 세종호수공원에서 세종대왕의 업적을 기리는 문화행사도 함께 열린다.",
        "시 관계자는 서울 세종문화회관과 같은 대형 공연장이 지역에도 필요하다고 말했다.",
    ),
    "daejeon": (
        "이 기간 지역 전통시장에서는 '가을맞이 할인 대전'도 열린다.",
        "행사장에서는 어린이 바둑 대전과 체험 부스가 함께 운영된다.",
    ),
}

#: National policy stories with a (세종=…) dateline: the ministry sits in Sejong, the story is
#: nationwide. Smart-city ones carry topics; the rest are plain national news.
NATIONAL_SMART_LEADS = (
    "{ministry|은} {day}일 {term} 관련 공모 결과를 발표하고 {region_list} 가운데 {n}곳을 선정했다.",
    "{ministry|이} 전국 지자체를 대상으로 한 {term} 지원 계획을 {day}일 확정했다.",
    "정부가 {term} 확산을 위해 내년 관련 예산을 늘리기로 했다.",
    "{ministry|은} {day}일 정부세종청사에서 {term} 추진 전략 회의를 열었다.",
)
NATIONAL_SMART_DETAILS = (
    "지원 대상은 {region_list}에서 신청한 사업 가운데 평가를 거쳐 확정됐다.",
    "{ministry_short|은} 선정된 지자체에 사업비의 절반을 국비로 지원한다.",
    "정부는 지자체별 성과를 평가해 우수 모델을 전국으로 확산할 계획이다.",
    "이번 계획은 관계 부처 합동으로 마련됐으며 {year}년까지 단계적으로 시행된다.",
    "{ministry_short} 관계자는 지역 여건에 맞는 사업을 지자체가 직접 설계하도록 했다고 설명했다.",
)
NATIONAL_PLAIN_TITLES = (
    "{month}월 취업자 {n}0만명 증가…고용률 역대 최고",
    "정부, 내년 예산안 {n}00조 편성",
    "올해 세수 {n}조 덜 걷혀…재정 운용 '빨간불'",
    "{month}월 소비자물가 {n}.{n2}% 상승",
    "수능 응시자 {n}0만명…전년보다 소폭 감소",
    "공공기관 경영평가 결과 발표…{n}곳 '미흡'",
    "전국 아파트 공시가격 평균 {n}% 하락",
)
NATIONAL_PLAIN_SENTENCES = (
    "{ministry|은} {day}일 이런 내용을 담은 자료를 발표했다.",
    "지역별로는 {region_list}에서 모두 증가세를 보였다.",
    "{ministry_short|은} 하반기 경기 흐름을 지켜보며 추가 대책을 검토하겠다고 밝혔다.",
    "전문가들은 대외 불확실성이 여전히 크다고 진단했다.",
    "이번 결과는 지난해 같은 기간과 비교한 수치다.",
    "정부는 관계 부처 회의를 열어 후속 조치를 논의할 예정이다.",
    "{ministry_short} 관계자는 정부세종청사에서 열린 브리핑에서 취약 계층 지원을 강화하겠다고 말했다.",
)

# ---------------------------------------------------------------------------------------------
# Outlets: pages carry one of five layouts; BigKinds rows carry an outlet and its 8-digit code.
# The codes of the regional papers are invented for this sample.
# ---------------------------------------------------------------------------------------------

PAGE_LAYOUTS = ("joongdo", "news1", "daejonilbo", "cctoday", "yna")

#: layout -> (outlet as printed, domain, email domain)
PAGE_OUTLETS: dict[str, tuple[str, str, str]] = {
    "joongdo": ("중도일보", "www.joongdo.co.kr", ""),
    "news1": ("뉴스1", "www.news1.kr", "news1.kr"),
    "daejonilbo": ("대전일보", "www.daejonilbo.com", "daejonilbo.com"),
    "cctoday": ("충청투데이", "www.cctoday.co.kr", "cctoday.co.kr"),
    "yna": ("연합뉴스", "www.yna.co.kr", "yna.co.kr"),
}

#: BigKinds outlets: name -> (8-digit code, domain)
BIGKINDS_OUTLETS: dict[str, tuple[str, str]] = {
    "경향신문": ("01100101", "www.khan.co.kr"),
    "문화일보": ("01100501", "www.munhwa.com"),
    "한겨레": ("01101001", "www.hani.co.kr"),
    "대전일보": ("01500051", "www.daejonilbo.com"),
    "중도일보": ("01500151", "www.joongdo.co.kr"),
    "충청투데이": ("01500301", "www.cctoday.co.kr"),
    "금강일보": ("01500701", "www.ggilbo.com"),
    "충청일보": ("01500401", "www.ccdailynews.com"),
}
REGIONAL_BIGKINDS = ("대전일보", "중도일보", "충청투데이", "금강일보", "충청일보")
NATIONAL_BIGKINDS = ("경향신문", "문화일보", "한겨레")

SECTIONS = {
    "smart": ("정치/행정", "경제", "사회", "IT/과학", "지역"),
    "politics": ("정치/행정",),
    "culture": ("문화",),
    "sports": ("스포츠",),
    "weather": ("사회",),
    "education": ("교육",),
    "economy": ("경제",),
    "national": ("경제", "정치/행정", "사회"),
    "decoy": ("문화", "사회", "경제", "스포츠"),
}

#: BigKinds 통합 분류 per story kind (the region category is added separately, noisily).
CATEGORIES = {
    "smart": ("사회>사회일반", "IT_과학>IT_과학일반", "경제>산업_기업", "정치>행정_자치", "경제>경제일반"),
    "politics": ("정치>행정_자치", "정치>국회_정당", "정치>선거"),
    "culture": ("문화>전시_공연", "문화>문화일반", "문화>생활"),
    "sports": ("스포츠>축구", "스포츠>야구", "스포츠>올림픽_아시안게임", "스포츠>스포츠일반"),
    "weather": ("사회>날씨", "사회>사회일반"),
    "education": ("사회>교육_시험",),
    "economy": ("경제>유통", "경제>부동산", "경제>경제일반"),
    "national": ("경제>경제일반", "정치>행정_자치", "경제>취업_창업", "사회>교육_시험"),
    "decoy": ("문화>전시_공연", "문화>출판", "경제>유통", "스포츠>스포츠일반", "국제>유럽_EU", "IT_과학>과학"),
}

# ---------------------------------------------------------------------------------------------
# Site chrome after the copyright line: invented headlines that name Daejeon, Sejong, AI and
# smart cities. The parser must cut the page before it; it never changes the truth.
# ---------------------------------------------------------------------------------------------

CHROME_HEADLINES = (
    "대전에 AI 반도체 실증센터 문 연다…지역 기업 기대감",
    "세종 스마트시티 입주 앞두고 주민설명회 잇따라",
    "대전 도시철도 2호선 트램 공정률 절반 넘어",
    "대전시, 자율주행 셔틀 노선 확대 검토",
    "세종시 BRT 정류장 냉난방 쉼터 설치",
    "충청권 메가시티 논의 재점화…대전·세종·충남·충북 한자리에",
    "대덕특구 출연연 예산 삭감 여파 장기화",
    "세종 조치원 전통시장 주차장 증축 완료",
    "유성온천 축제 주말 인파 몰려",
    "대전 스마트도시 통합센터, 실종 아동 찾기 공 세워",
    "세종시의회 예산안 처리 진통",
    "대전 원도심 빈 점포 청년 창업 공간으로",
    "생성형 AI 활용한 민원 안내 서비스 도입",
    "대전 하나시티즌 홈 개막전 매진",
    "세종호수공원 야간 경관 조명 새 단장",
    "대전 둔산동 상권 회복 더뎌",
    "데이터센터 유치전 충청권 지자체 각축",
    "스마트시티 챌린지 성과 공유회 열려",
    "대전역세권 개발 사업 본궤도",
    "세종 집현동 공동캠퍼스 개교 준비 한창",
    "대전 갑천 호수공원 연말 개장",
    "수소 트럭 충전소 대덕구에 들어선다",
    "세종 나성동 도시상징광장 주말 공연",
    "대전 시내버스 노선 전면 개편안 공개",
    "AI 융합 인재 양성 사업 대전권 대학 선정",
    "세종시 어린이 전문병원 설립 추진",
)
CHROME_PHOTOS = (
    "성금으로 잇는 나눔의 손길", "가을 하늘 아래 열린 음악회", "첫눈 내린 도심 공원",
    "딸기 수확 체험 인기", "어린이 교통안전 캠페인", "전통시장 장보기 행사", "야간 경관 조명 점등",
    "시민 마라톤 대회 출발", "벚꽃길 걷는 시민들", "헌혈 캠페인에 동참한 직원들",
)


# ---------------------------------------------------------------------------------------------
# The story model
# ---------------------------------------------------------------------------------------------


@dataclass
class Story:
    """One invented news story: its truth (region, smart_city, topics) and its text."""

    number: int
    kind: str
    region: str
    smart_city: bool
    topics: tuple[str, ...]
    published: datetime
    title: str
    subtitle: str
    paragraphs: list[str]
    caption: str
    dateline: str
    reporter: str
    section: str
    region_bullet: str
    category_kind: str
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    caption_credit: str = ""

    @property
    def story_id(self) -> str:
        return f"s{self.number:04d}"

    @property
    def quarter(self) -> str:
        return quarter_label(self.published)

    def full_text(self) -> str:
        """Title and body as one text: what BigKinds computes 키워드 from."""
        return "\n".join([self.title, *self.paragraphs])


def quarter_label(when: datetime) -> str:
    return f"{when.year}Q{(when.month - 1) // 3 + 1}"


def all_quarters() -> list[str]:
    return [f"{y}Q{q}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]


# ---------------------------------------------------------------------------------------------
# Planted trends: p(topic | region, quarter)
# ---------------------------------------------------------------------------------------------

_BASE_WEIGHTS: dict[str, dict[str, float]] = {
    "sejong": {
        "pilot_city": 1.2, "mobility": 1.0, "data_ai": 0.8, "challenge_livinglab": 0.6,
        "safety_operations": 0.7, "energy_environment": 0.9, "regeneration_housing": 1.1,
        "governance_budget": 0.8, "industry_startup": 0.6,
    },
    "daejeon": {
        "pilot_city": 0.25, "mobility": 1.0, "data_ai": 1.0, "challenge_livinglab": 0.9,
        "safety_operations": 1.1, "energy_environment": 0.7, "regeneration_housing": 0.9,
        "governance_budget": 0.8, "industry_startup": 1.3,
    },
    "both": {
        "pilot_city": 0.5, "mobility": 1.5, "data_ai": 0.8, "challenge_livinglab": 0.5,
        "safety_operations": 0.5, "energy_environment": 0.7, "regeneration_housing": 0.5,
        "governance_budget": 1.3, "industry_startup": 1.0,
    },
    "neither": {
        "pilot_city": 1.2, "mobility": 1.0, "data_ai": 1.2, "challenge_livinglab": 1.0,
        "safety_operations": 0.8, "energy_environment": 0.8, "regeneration_housing": 0.6,
        "governance_budget": 1.0, "industry_startup": 0.8,
    },
}

#: Human-readable list of the planted trends (also written to truth.json meta and README).
PLANTED_TRENDS: tuple[dict[str, str], ...] = (
    {"topic": "pilot_city", "region": "sejong", "kind": "peak", "period": "2018Q1-2019Q4",
     "note": "weight x5 in 2018-2019, x0.8 from 2020"},
    {"topic": "mobility", "region": "sejong", "kind": "rise", "period": "2021Q1-2025Q4",
     "note": "weight grows by 0.25 per quarter from 2021Q1 (1.25 → 6.0)"},
    {"topic": "data_ai", "region": "daejeon", "kind": "rise", "period": "2022Q1-2025Q4",
     "note": "weight grows by 0.3 per quarter from 2022Q1 (1.3 → 5.8)"},
    {"topic": BURST_TOPIC, "region": BURST_REGION, "kind": "burst", "period": BURST_QUARTER,
     "note": "weight x10 and 9 extra Daejeon smart-city stories in that one quarter"},
)


def topic_weights(region: str, quarter: str) -> dict[str, float]:
    """Unnormalised weights of the topic draw for smart-city stories of ``region`` in ``quarter``."""
    quarters = all_quarters()
    qi = quarters.index(quarter)
    w = dict(_BASE_WEIGHTS[region])
    year = int(quarter[:4])
    if region == "sejong":
        w["pilot_city"] *= 5.0 if year <= 2019 else 0.8
        start = quarters.index("2021Q1")
        if qi >= start:
            w["mobility"] = 1.0 + 0.25 * (qi - start + 1)
    if region == "daejeon":
        start = quarters.index("2022Q1")
        if qi >= start:
            w["data_ai"] = 1.0 + 0.3 * (qi - start + 1)
        if quarter == BURST_QUARTER:
            w[BURST_TOPIC] *= 10.0
    return w


def label_shares(weights: dict[str, float]) -> dict[str, float]:
    """Exact probability that a smart-city story carries each topic label.

    A story draws 1-3 labels (``N_LABELS_P``) one after another without replacement, each with
    probability proportional to its weight; this sums over every ordered draw.
    """
    topics = list(weights)
    w = [weights[t] for t in topics]
    shares = [0.0] * len(topics)
    for k, pk in N_LABELS_P.items():
        for seq in itertools.permutations(range(len(topics)), k):
            p, remaining = 1.0, sum(w)
            for i in seq:
                p *= w[i] / remaining
                remaining -= w[i]
            for i in seq:
                shares[i] += pk * p
    return dict(zip(topics, shares))


def planted_table() -> list[dict[str, object]]:
    """Every (topic, region, quarter) with its planted share of smart-city stories."""
    rows: list[dict[str, object]] = []
    for region in REGIONS:
        for quarter in all_quarters():
            shares = label_shares(topic_weights(region, quarter))
            for topic in TOPICS:
                rows.append(
                    {"topic": topic, "region": region, "quarter": quarter,
                     "share": round(shares[topic], 6)}
                )
    return rows


def draw_topics(rng: random.Random, weights: dict[str, float]) -> tuple[str, ...]:
    """Draw 1-3 labels as ``label_shares`` describes; the first is the story's main topic."""
    k = _weighted_choice(rng, list(N_LABELS_P), list(N_LABELS_P.values()))
    pool = dict(weights)
    chosen: list[str] = []
    for _ in range(k):
        t = _weighted_choice(rng, list(pool), list(pool.values()))
        chosen.append(t)
        del pool[t]
    return tuple(chosen)


def _weighted_choice(rng: random.Random, items: Sequence, weights: Sequence[float]):
    total = sum(weights)
    x = rng.random() * total
    acc = 0.0
    for item, w in zip(items, weights):
        acc += w
        if x < acc:
            return item
    return items[-1]


#: Mean stories per quarter for each (region, kind); the fraction is drawn as a coin.
QUARTER_PLAN: tuple[tuple[str, str, float], ...] = (
    ("sejong", "smart", 8.4),
    ("sejong", "offtopic", 4.2),
    ("daejeon", "smart", 8.6),
    ("daejeon", "offtopic", 4.6),
    ("both", "smart", 1.2),
    ("both", "offtopic", 0.5),
    ("neither", "national_smart", 1.5),
    ("neither", "other_smart", 0.8),
    ("neither", "decoy", 2.0),
    ("neither", "national_plain", 1.6),
)
BURST_EXTRA_STORIES = 9

# ---------------------------------------------------------------------------------------------
# Writing stories
# ---------------------------------------------------------------------------------------------

_CHOICE = re.compile(r"<([^<>]*\|[^<>]*)>")

#: Topic-neutral context sentences that make two stories of one topic read differently.
CONTEXT_SENTENCES = (
    "{short|은} 지난해부터 관련 부서와 전문가 회의를 {n}차례 <열어|거쳐> 세부 내용을 다듬어 왔다.",
    "이날 행사에는 관계 기관 직원과 주민 등 {n}0여 명이 <참석했다|자리를 함께했다>.",
    "{short|은} 추진 과정에서 나온 주민 의견을 <최대한|적극> 반영하겠다는 입장이다.",
    "<현장에서는|참석자들 사이에서는> 일정이 빠듯하다는 우려도 나왔다.",
    "{place} 주민들은 <생활 불편이 줄어들 것이라며|일상이 달라질 것이라며> 기대감을 나타냈다.",
    "{short|은} {month}월 중 중간 점검을 거쳐 보완할 점을 찾기로 했다.",
    "지역 시민단체는 사업의 효과를 <꼼꼼히 따져봐야|객관적으로 검증해야> 한다는 의견을 냈다.",
    "<이 사업은|사업은> {year}년까지 {n}단계로 나눠 진행된다.",
    "{short|은} 올해 초 전담 조직을 꾸리고 인력 {n}명을 배치했다.",
    "관련 내용은 {month}월 {day}일 열리는 <설명회|공개 토론회>에서 자세히 소개된다.",
    "<그동안|앞서> {short|은} 비슷한 사업을 {n}곳에서 시범 운영한 바 있다.",
    "{place} 일대 주민 {n}00여 명을 대상으로 한 설문에서는 응답자 절반 이상이 사업에 찬성했다.",
)

#: Off-topic context, for stories that are not about smart cities at all.
PLAIN_CONTEXT = (
    "<행사와|일정과> 관련한 자세한 내용은 {short} 누리집에서 확인할 수 있다.",
    "{place} 주민 {n}0여 명이 이날 현장을 찾았다.",
    "관계자는 <시민들의 많은 관심을 부탁한다|안전에 각별히 유의해 달라>고 말했다.",
    "지난해에는 비슷한 시기에 {n}천여 명이 <다녀갔다|참여했다>.",
    "<현장 분위기는|분위기는> 예년보다 한층 <차분했다|활기찼다>.",
    "{month}월에는 <후속 일정이|관련 행사가> 이어질 예정이다.",
)


def _vary(text: str, rng: random.Random) -> str:
    """Resolve ``<a|b|c>`` alternatives with ``rng`` (the templates' small rewordings)."""
    while True:
        m = _CHOICE.search(text)
        if m is None:
            return text
        text = text[: m.start()] + rng.choice(m.group(1).split("|")) + text[m.end() :]


class _Writer:
    """Turns a story plan (region, kind, topics, date) into text with one ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.reporters: dict[str, list[tuple[str, str]]] = {}

    # -- small draws ---------------------------------------------------------------------------

    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES[:40]) + r.choice(_GIVEN_FIRST) + r.choice(_GIVEN_SECOND)

    def email_local(self) -> str:
        r = self.rng
        letters = "abcdefghijklmnoprstuwy"
        local = "".join(r.choice(letters) for _ in range(r.randint(4, 7)))
        return local + (str(r.randint(1, 99)) if r.random() < 0.4 else "")

    def reporter_for(self, outlet: str) -> tuple[str, str]:
        """A reporter (name, e-mail local part) of ``outlet``; each outlet has a small staff."""
        staff = self.reporters.setdefault(outlet, [])
        if len(staff) < 6 and (not staff or self.rng.random() < 0.3):
            staff.append((self.person(), self.email_local()))
        return self.rng.choice(staff)

    def slots(self, region: str, when: datetime, *, topic: str | None = None) -> dict[str, str]:
        """Fresh slot values for one story: subject, places, numbers, dates."""
        r = self.rng
        year = when.year
        s: dict[str, str] = {
            "n": str(r.randint(2, 9)),
            "n2": str(r.randint(1, 9)),
            "amt": str(r.choice((3, 5, 8, 12, 15, 20, 25, 30, 45, 60, 80, 120, 150, 240))),
            "month": str(r.randint(max(when.month, 2), 12)),
            "day": str(when.day),
            "year": str(year + r.randint(1, 3)),
        }
        if region == "sejong":
            subj = r.choice(SEJONG_SUBJECTS)
            if subj == "세종시교육청" and topic not in (None, "data_ai", "safety_operations"):
                subj = "세종시"
            s.update(
                subj=subj,
                short={"세종시교육청": "교육청", "행정중심복합도시건설청": "행복청"}.get(subj, "시"),
                city="세종",
                place=r.choice(SEJONG_PLACES),
                venue=r.choice(SEJONG_VENUES),
                role=r.choice(OFFICIAL_ROLES_SEJONG),
            )
        elif region == "daejeon":
            subj = r.choice(DAEJEON_SUBJECTS)
            if subj in ("유성구", "서구", "대덕구", "중구", "동구"):
                s.update(subj=f"대전 {subj}", short="구", city=f"대전 {subj}")
            else:
                s.update(subj=subj, short="시", city="대전")
            s.update(
                place=r.choice(DAEJEON_PLACES),
                venue=r.choice(DAEJEON_VENUES),
                role=r.choice(OFFICIAL_ROLES_DAEJEON),
            )
        elif region == "both":
            s.update(
                subj=r.choice(("대전시와 세종시", "세종시와 대전시")),
                short="두 시",
                city=r.choice(("대전·세종", "세종·대전")),
                place=f"{attach(r.choice(DAEJEON_PLACES), '과')} {r.choice(SEJONG_PLACES)}"
                if r.random() < 0.5
                else r.choice(("대전~세종 구간", "세종~대전 연결도로", "대전 유성구와 세종 사이")),
                venue=r.choice(DAEJEON_VENUES + SEJONG_VENUES),
                role=r.choice(OFFICIAL_ROLES_DAEJEON + OFFICIAL_ROLES_SEJONG),
            )
        else:
            city, place = r.choice(OTHER_CITY_SMART)
            s.update(
                subj=city,
                short="시",
                city=city[:-1] if city.endswith("시") else city,
                place=place,
                venue=f"{city[:2]} 시청 회의실",
                role=r.choice(OFFICIAL_ROLES_OTHER),
            )
        if topic is not None:
            terms = list(TOPIC_TERMS[topic])
            r.shuffle(terms)
            s["term"], s["term2"] = terms[0], terms[1]
        return s

    def sentence(self, template: str, slots: dict[str, str]) -> str:
        """Fill one template; small counts ({n}, {n2}) are drawn afresh for every sentence."""
        local = dict(slots, n=str(self.rng.randint(2, 9)), n2=str(self.rng.randint(1, 9)))
        return fill(_vary(template, self.rng), local)

    def quote(self, topics: Sequence[str], slots: dict[str, str], *, role: str) -> tuple[str, str]:
        """A quote paragraph and the speaker's name."""
        r = self.rng
        name = self.person()
        pool = [q for t in topics for q in TOPIC_QUOTES[t]]
        q1, q2 = r.sample(pool, 2) if len(pool) > 1 else (pool[0], pool[0])
        frame = r.choice(QUOTE_FRAMES)
        return fill(frame, {"person": name, "role": role, "quote": q1, "quote2": q2}), name

    @staticmethod
    def paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
        """Group sentences into paragraphs of one or two sentences (news style)."""
        out: list[str] = []
        i = 0
        while i < len(sentences):
            take = 2 if (i > 0 and rng.random() < 0.45 and i + 1 < len(sentences)) else 1
            out.append(" ".join(sentences[i : i + take]))
            i += take
        return out

SMART_SUBTITLES = (
    "{place} 일대 {n}단계 추진…{year}년 완료 목표",
    "관계 기관 협의 거쳐 {month}월 세부 계획 확정",
    "주민 의견 수렴 뒤 <사업 범위|대상 지역> 넓히기로",
    "{term2}까지 연계…<시민 체감도|생활 편의> 높인다",
    "<전문가|주민> {n}0여 명 참여한 <토론회|간담회> 열려",
)
NATIONAL_SMART_TITLES = (
    "{ministry_short}, {term} 대상지 {n}곳 선정",
    "정부 '{term}' 전국 확산…내년 예산 {amt}억",
    "{term} 공모에 지자체 {n}0곳 몰려",
    "{ministry_short} '{term}' 제도 개선 추진",
    "{term} 성과 평가…우수 지자체 {n}곳 발표",
    "{ministry_short}, 지자체 {term} 지원 기준 손본다",
)
OTHER_CITY_PASSING = {
    "sejong": "인근 대전과 청주에서도 비슷한 사업을 검토하고 있는 것으로 알려졌다.",
    "daejeon": "세종과 청주 등 인근 도시에서도 이번 사업에 관심을 보이고 있다.",
}
NATIONAL_PLAIN_EXTRA = (
    "<업종별로는|분야별로는> 서비스업과 건설업의 <변화가 두드러졌다|흐름이 엇갈렸다>.",
    "{ministry_short|은} {month}월 중 <세부 지침|후속 대책>을 내놓을 예정이다.",
    "<시장에서는|업계에서는> 이번 발표가 <예상 수준이라는|다소 보수적이라는> 평가가 나왔다.",
    "<지난달|지난 분기>와 비교하면 <증가 폭이 다소 줄었다|감소 폭이 커졌다>.",
    "정부는 {year}년까지 관련 <제도를 정비할|법령을 손볼> 계획이다.",
)


def _sample(rng: random.Random, pool: Sequence[str], k: int) -> list[str]:
    return rng.sample(list(pool), min(k, len(pool)))


def _with_term(pool: Sequence[str]) -> list[str]:
    return [t for t in pool if "{term" in t]


def _closer(template: str) -> str:
    # Closers are written for a city ("시는 ..."); a district, an agency or a ministry says it too.
    return "{short|은} " + template[3:] if template.startswith("시는 ") else template


def write_smart_city_story(w: _Writer, region: str, when: datetime, topics: tuple[str, ...]) -> dict:
    """Text of a smart-city story about Sejong, Daejeon or both (the cities are the subject)."""
    r = w.rng
    primary = topics[0]
    slots = w.slots(region, when, topic=primary)
    title = w.sentence(r.choice(TOPIC_TITLES[primary]), slots)
    subtitle = w.sentence(r.choice(SMART_SUBTITLES), slots) if r.random() < 0.55 else ""
    body = [w.sentence(r.choice(TOPIC_LEADS[primary]), slots)]
    body += [w.sentence(t, slots) for t in _sample(r, TOPIC_DETAILS[primary], r.randint(3, 5))]
    # Housing, budget, company and energy words fill ordinary local news too: a smart-city
    # story on those topics says what makes it smart-city work, as real coverage does.
    if r.random() < 0.4 or primary in PLAIN_VOCABULARY_TOPICS:
        body.append(r.choice(SMART_GENERIC))
    for extra in topics[1:]:
        xs = dict(slots)
        terms = list(TOPIC_TERMS[extra])
        r.shuffle(terms)
        xs["term"], xs["term2"] = terms[0], terms[1]
        first = r.choice(_with_term(TOPIC_DETAILS[extra]))
        rest = [t for t in TOPIC_DETAILS[extra] if t != first]
        body += [w.sentence(first, xs), w.sentence(r.choice(rest), xs)]
    body += [w.sentence(t, slots) for t in _sample(r, CONTEXT_SENTENCES, r.randint(2, 4))]
    if region in CITY_DECOY_SENTENCES and r.random() < 0.08:
        body.append(r.choice(CITY_DECOY_SENTENCES[region]))
    if region in OTHER_CITY_PASSING and r.random() < 0.06:
        body.append(OTHER_CITY_PASSING[region])
    quote, speaker = w.quote(topics, slots, role=slots["role"])
    closer = w.sentence(_closer(r.choice(TOPIC_CLOSERS[primary])), slots)
    paragraphs = _Writer.paragraphs(body, r) + [quote, closer]
    caption = w.sentence(
        r.choice(("{place} 일대 전경.", "{venue}에서 열린 설명회 모습.", "{term} 관련 현장 모습.")), slots
    )
    return dict(
        title=title, subtitle=subtitle, paragraphs=paragraphs, caption=caption,
        credit=f"{slots['subj'].split('와 ')[0]} 제공", persons=[speaker],
        places=_places_in(region, paragraphs, title), orgs=[slots["subj"]],
        dateline={"sejong": "세종", "daejeon": "대전"}.get(region, r.choice(("대전", "세종"))),
        section=r.choice(SECTIONS["smart"]), category_kind="smart",
    )


def write_offtopic_story(w: _Writer, region: str, when: datetime, kind: str) -> dict:
    """A local story that is not about smart cities (politics, culture, sports, ...)."""
    r = w.rng
    slots = w.slots(region, when)
    if region == "sejong":
        # 의회, 구청장 and 누리집 sentences need the city government as the subject.
        slots.update(subj="세종시", short="시")
    teams = {"sejong": TEAMS_SEJONG, "daejeon": TEAMS_DAEJEON}.get(region, TEAMS_DAEJEON)
    slots["team"] = r.choice(teams)
    titles = [t for t in OFFTOPIC_TITLES[kind] if not (region == "both" and "·충남" in t)]
    title = w.sentence(r.choice(titles), slots)
    chosen = _sample(r, OFFTOPIC_SENTENCES[kind], r.randint(4, 5))
    # A sentence that says who did what on which day opens the story.
    chosen.sort(key=lambda t: 0 if ("{day}" in t or "{subj" in t or "{team" in t) else 1)
    body = [w.sentence(t, slots) for t in chosen]
    body += [w.sentence(t, slots) for t in _sample(r, PLAIN_CONTEXT, r.randint(2, 3))]
    if r.random() < 0.35:
        body.insert(r.randint(1, len(body)), r.choice(OFFTOPIC_SMARTISH[kind]))
    if region in CITY_DECOY_SENTENCES and r.random() < 0.08:
        body.append(r.choice(CITY_DECOY_SENTENCES[region]))
    text = " ".join(body) + title
    city_word = {"sejong": "세종", "daejeon": "대전"}.get(region)
    if city_word and city_word not in text:
        body.insert(0, w.sentence("{subj}의 {place} 일대에서 <나온|전해진> 소식이다.", slots))
    if region == "both" and not ("대전" in text and "세종" in text):
        body.insert(0, w.sentence("대전과 세종 <모두|두 도시 모두> 같은 흐름을 보였다.", slots))
    paragraphs = _Writer.paragraphs(body, r)
    return dict(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence("{place} <일대|현장> 모습.", slots), credit=f"{slots['subj']} 제공",
        persons=[], places=_places_in(region, paragraphs, title), orgs=[slots["subj"]],
        dateline={"sejong": "세종", "daejeon": "대전"}.get(region, "대전"),
        section=r.choice(SECTIONS[kind]), category_kind=kind,
    )


def write_national_story(w: _Writer, when: datetime, topics: tuple[str, ...]) -> dict:
    """A nationwide story datelined 세종 (the ministries sit there); smart-city when topics given."""
    r = w.rng
    ministry, short = r.choice(MINISTRIES)
    region_list = r.choice(REGION_LISTS)
    if topics:
        slots = w.slots("neither", when, topic=topics[0])
    else:
        slots = w.slots("neither", when)
    slots.update(
        ministry=ministry, ministry_short=short, subj=ministry, short=short,
        region_list=region_list, place=r.choice(OTHER_PLACES), role=r.choice(OFFICIAL_ROLES_OTHER),
    )
    if topics:
        primary = topics[0]
        title = w.sentence(r.choice(NATIONAL_SMART_TITLES), slots)
        body = [w.sentence(r.choice(NATIONAL_SMART_LEADS), slots)]
        body += [w.sentence(t, slots) for t in _sample(r, NATIONAL_SMART_DETAILS, 2)]
        body += [w.sentence(t, slots) for t in _sample(r, _with_term(TOPIC_DETAILS[primary]), 3)]
        body += [w.sentence(t, slots) for t in _sample(r, NATIONAL_PLAIN_EXTRA, 1)]
        for extra in topics[1:]:
            xs = dict(slots)
            terms = list(TOPIC_TERMS[extra])
            r.shuffle(terms)
            xs["term"], xs["term2"] = terms[0], terms[1]
            body.append(w.sentence(r.choice(_with_term(TOPIC_DETAILS[extra])), xs))
        quote, speaker = w.quote(topics, slots, role=slots["role"])
        paragraphs = _Writer.paragraphs(body, r) + [quote]
        kind = "national"
        persons = [speaker]
    else:
        title = w.sentence(r.choice(NATIONAL_PLAIN_TITLES), slots)
        body = [w.sentence(NATIONAL_PLAIN_SENTENCES[0], slots)]
        body += [w.sentence(t, slots) for t in _sample(r, NATIONAL_PLAIN_SENTENCES[1:], 3)]
        body += [w.sentence(t, slots) for t in _sample(r, NATIONAL_PLAIN_EXTRA, 2)]
        if region_list not in " ".join(body):
            body.insert(1, w.sentence(NATIONAL_PLAIN_SENTENCES[1], slots))
        paragraphs = _Writer.paragraphs(body, r)
        kind = "national"
        persons = []
    places = ["세종"] + [p for p in re.split(r"[·, ]", region_list) if p in ("대전", "세종", "충남", "부산", "서울")]
    return dict(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence("정부세종청사 <전경|모습>.", slots), credit=f"{short} 제공",
        persons=persons, places=list(dict.fromkeys(places)), orgs=[ministry],
        dateline="세종", section=r.choice(SECTIONS["national"]), category_kind=kind,
    )


def write_other_city_story(w: _Writer, when: datetime, topics: tuple[str, ...]) -> dict:
    """A smart-city story about another city (some at Seoul's 세종대로: a decoy with topics)."""
    r = w.rng
    primary = topics[0]
    slots = w.slots("neither", when, topic=primary)
    title = w.sentence(r.choice(TOPIC_TITLES[primary]), slots)
    body = [w.sentence(r.choice(TOPIC_LEADS[primary]), slots)]
    body += [w.sentence(t, slots) for t in _sample(r, TOPIC_DETAILS[primary], 3)]
    for extra in topics[1:]:
        xs = dict(slots)
        terms = list(TOPIC_TERMS[extra])
        r.shuffle(terms)
        xs["term"], xs["term2"] = terms[0], terms[1]
        body.append(w.sentence(r.choice(_with_term(TOPIC_DETAILS[extra])), xs))
    body += [w.sentence(t, slots) for t in _sample(r, CONTEXT_SENTENCES, 2)]
    if r.random() < 0.3:
        body.append(w.sentence("비슷한 사업은 {region_list}에서도 추진되고 있다.",
                               {"region_list": r.choice(REGION_LISTS)}))
    quote, speaker = w.quote(topics, slots, role=slots["role"].split(" ", 1)[-1])
    paragraphs = _Writer.paragraphs(body, r) + [quote]
    return dict(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence("{place} 일대 전경.", slots), credit=f"{slots['subj']} 제공",
        persons=[speaker], places=[slots["city"], slots["place"]], orgs=[slots["subj"]],
        dateline=slots["place"].split(" ")[0][:2], section=r.choice(SECTIONS["smart"]),
        category_kind="smart",
    )


def write_decoy_story(w: _Writer, when: datetime) -> dict:
    """A story whose 세종 or 대전 is not the city: 세종대왕, 세종대로, 할인 대전, 세계대전 ..."""
    r = w.rng
    key = r.choice(sorted(DECOYS))
    titles, sentences = DECOYS[key]
    slots = w.slots("neither", when)
    other = r.choice(OTHER_PLACES)
    slots.update(other=other, place=other, short="주최 측", team=r.choice(TEAMS_OTHER))
    kind = {"할인 대전": "economy", "대전환": "economy", "대전료": "sports", "바둑 대전": "sports"}.get(key, "culture")
    title = w.sentence(r.choice(titles), slots)
    body = [w.sentence(t, slots) for t in _sample(r, sentences, r.randint(2, 3))]
    body += [w.sentence(t, slots) for t in _sample(r, OFFTOPIC_SENTENCES[kind], 3)]
    body += [w.sentence(t, slots) for t in _sample(r, PLAIN_CONTEXT, 2)]
    paragraphs = _Writer.paragraphs(body, r)
    return dict(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence("행사 <현장|모습>.", slots), credit="주최 측 제공",
        persons=[], places=[other, key.split(" ")[0]] if key.startswith("세종") else [other],
        orgs=[], dateline=r.choice(("서울", "")), section=r.choice(SECTIONS["decoy"]),
        category_kind="decoy",
    )


def _places_in(region: str, paragraphs: list[str], title: str) -> list[str]:
    """BigKinds-style 위치 entities: the city and every known place named in the text."""
    text = title + " " + " ".join(paragraphs)
    names = [("세종", SEJONG_PLACES), ("대전", DAEJEON_PLACES)]
    found: list[str] = []
    for city, places in names:
        if city in text:
            found.append(city)
        found += [p for p in places if p in text]
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------------------------
# Planning the corpus: stories per quarter, with checks that distinct stories stay distinct
# ---------------------------------------------------------------------------------------------

#: Two distinct stories must share less than this Jaccard similarity of 5-character shingles
#: (the loader calls 0.7 a near-duplicate; planted near-duplicates are kept above 0.8).
DISTINCT_MAX_JACCARD = 0.45
NEAR_DUP_MIN_JACCARD = 0.8
def shingles(text: str, k: int = 5) -> set[str]:
    key = text_key(text)
    return {key[i : i + k] for i in range(max(1, len(key) - k + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


class _Distinctness:
    """Keeps generated stories apart: unique titles, lead openings and bodies not alike."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH  # only needed while generating

        self._minhash = MinHash
        self.lsh = MinHashLSH(threshold=0.3, num_perm=64)
        self.sets: dict[int, set[str]] = {}
        self.titles: set[str] = set()
        self.leads: set[str] = set()

    def _hash(self, sh: set[str]):
        m = self._minhash(num_perm=64, seed=7)
        for s in sorted(sh):
            m.update(s.encode("utf-8"))
        return m

    def accepts(self, title: str, paragraphs: list[str]) -> bool:
        body = "\n".join(paragraphs)
        if text_key(title) in self.titles or text_key(body)[:60] in self.leads:
            return False
        sh = shingles(body)
        for other in self.lsh.query(self._hash(sh)):
            if jaccard(sh, self.sets[other]) >= DISTINCT_MAX_JACCARD:
                return False
        return True

    def add(self, number: int, title: str, paragraphs: list[str]) -> None:
        body = "\n".join(paragraphs)
        sh = shingles(body)
        self.titles.add(text_key(title))
        self.leads.add(text_key(body)[:60])
        self.sets[number] = sh
        self.lsh.insert(number, self._hash(sh))


def _random_moment(rng: random.Random, quarter: str) -> datetime:
    year, q = int(quarter[:4]), int(quarter[-1])
    start = datetime(year, 3 * (q - 1) + 1, 1)
    end = datetime(year + (q == 4), (3 * q) % 12 + 1, 1)
    day = start + timedelta(days=rng.randrange((end - start).days))
    return day.replace(hour=rng.randint(6, 20), minute=rng.randrange(60), second=rng.randrange(60))


def plan_stories(rng: random.Random, writer: _Writer) -> list[Story]:
    """Every story of the corpus, in time order, with its truth and text."""
    specs: list[tuple[datetime, str, str]] = []
    for quarter in all_quarters():
        for region, kind, mean in QUARTER_PLAN:
            n = int(mean) + (rng.random() < mean - int(mean)) + rng.choice((-1, 0, 0, 1))
            if region == BURST_REGION and kind == "smart" and quarter == BURST_QUARTER:
                n += BURST_EXTRA_STORIES
            for _ in range(max(0, n)):
                specs.append((_random_moment(rng, quarter), region, kind))
    specs.sort(key=lambda s: s[0])

    distinct = _Distinctness()
    stories: list[Story] = []
    dropped = 0
    for when, region, kind in specs:
        for _attempt in range(12):
            story = _write_story(writer, len(stories) + 1, when, region, kind)
            if distinct.accepts(story.title, story.paragraphs):
                distinct.add(story.number, story.title, story.paragraphs)
                stories.append(story)
                break
        else:
            # No wording far enough from the stories already written: leave this slot empty
            # rather than plant an accidental near-duplicate.
            dropped += 1
    plan_stories.dropped = dropped  # type: ignore[attr-defined]
    return stories


def _write_story(w: _Writer, number: int, when: datetime, region: str, kind: str) -> Story:
    r = w.rng
    quarter = quarter_label(when)
    topics: tuple[str, ...] = ()
    if kind == "smart":
        topics = draw_topics(r, topic_weights(region, quarter))
        parts = write_smart_city_story(w, region, when, topics)
    elif kind == "offtopic":
        kinds = ("weather", "economy") if region == "both" else OFFTOPIC_KINDS
        parts = write_offtopic_story(w, region, when, r.choice(kinds))
    elif kind == "national_smart":
        topics = draw_topics(r, topic_weights("neither", quarter))
        parts = write_national_story(w, when, topics)
    elif kind == "national_plain":
        parts = write_national_story(w, when, ())
    elif kind == "other_smart":
        topics = draw_topics(r, topic_weights("neither", quarter))
        parts = write_other_city_story(w, when, topics)
    elif kind == "decoy":
        parts = write_decoy_story(w, when)
    else:
        raise ValueError(f"unknown story kind {kind!r}")
    bullet = {"sejong": "세종", "daejeon": "대전"}.get(region, "")
    if region == "both":
        bullet = parts["dateline"]
    return Story(
        number=number, kind=kind, region=region, smart_city=bool(topics), topics=topics,
        published=when, title=parts["title"], subtitle=parts["subtitle"],
        paragraphs=parts["paragraphs"], caption=parts["caption"], dateline=parts["dateline"],
        reporter="", section=parts["section"], region_bullet=bullet,
        category_kind=parts["category_kind"], persons=parts["persons"], places=parts["places"],
        orgs=parts["orgs"], caption_credit=parts["credit"],
    )


# ---------------------------------------------------------------------------------------------
# Records: the copies of the stories that end up in files
# ---------------------------------------------------------------------------------------------


@dataclass
class Record:
    """One article as it appears in one file (a page, or a BigKinds row)."""

    story: Story
    fmt: str  # "page" or "bigkinds"
    outlet: str
    published: datetime
    title: str
    paragraphs: list[str]
    copy: str  # original, syndicated, near_duplicate, page_bigkinds, overlap_slice
    layout: str = ""
    reporter: tuple[str, str] = ("", "")
    encoding: str = "utf-8"
    crlf: bool = False
    nbsp: bool = False
    source_file: str = ""
    article_id: str = ""
    news_id: str = ""
    wire: str = ""  # a regional page running wire copy prints the agency's dateline


REGIONAL_LAYOUTS = ("joongdo", "daejonilbo", "cctoday")
_LAYOUT_OUTLET = {k: v[0] for k, v in PAGE_OUTLETS.items()}


def _page_layout(rng: random.Random, story: Story) -> str:
    if story.kind in ("national_smart", "national_plain", "other_smart"):
        return rng.choice(("yna", "yna", "news1"))
    if story.kind == "decoy":
        return rng.choice(("yna", "news1", "joongdo", "cctoday"))
    return _weighted_choice(rng, PAGE_LAYOUTS, (0.3, 0.18, 0.24, 0.22, 0.06))


def _bigkinds_outlet(rng: random.Random, story: Story) -> str:
    if story.region == "neither":
        return rng.choice(NATIONAL_BIGKINDS + REGIONAL_BIGKINDS[:2]) if rng.random() < 0.3 else rng.choice(NATIONAL_BIGKINDS)
    return rng.choice(NATIONAL_BIGKINDS) if rng.random() < 0.08 else rng.choice(REGIONAL_BIGKINDS)


def _later_same_day(rng: random.Random, when: datetime) -> datetime:
    later = when + timedelta(minutes=rng.randint(20, 240))
    return later if later.date() == when.date() else when.replace(hour=23, minute=rng.randint(0, 58))


def near_duplicate(rng: random.Random, writer: _Writer, story: Story) -> list[str] | None:
    """The story's paragraphs with one short paragraph rewritten or one sentence added.

    Returns None when no such edit keeps the 5-gram Jaccard similarity at or above
    ``NEAR_DUP_MIN_JACCARD`` (the copy must be unmistakably the same story).
    """
    original = shingles("\n".join(story.paragraphs))
    region = story.region if story.region in ("sejong", "daejeon", "both") else "neither"
    for _attempt in range(6):
        slots = writer.slots(region, story.published)
        slots.setdefault("region_list", rng.choice(REGION_LISTS))
        extra = writer.sentence(rng.choice(CONTEXT_SENTENCES if story.smart_city else PLAIN_CONTEXT), slots)
        paras = list(story.paragraphs)
        if rng.random() < 0.5 and len(paras) > 3:
            i = rng.randrange(1, len(paras) - 1)
            if len(paras[i]) > 90:
                continue
            paras[i] = extra
        else:
            paras.insert(rng.randrange(1, len(paras)), extra)
        if jaccard(original, shingles("\n".join(paras))) >= NEAR_DUP_MIN_JACCARD:
            return paras
    return None


def plan_records(rng: random.Random, writer: _Writer, stories: list[Story]) -> list[Record]:
    """Decide where each story appears: a page or a BigKinds row, plus planted copies."""
    records: list[Record] = []
    for story in stories:
        as_page = rng.random() < 0.42
        if as_page:
            layout = _page_layout(rng, story)
            outlet = _LAYOUT_OUTLET[layout]
            first = Record(story, "page", outlet, story.published, story.title, story.paragraphs,
                           "original", layout=layout, reporter=writer.reporter_for(outlet))
        else:
            outlet = _bigkinds_outlet(rng, story)
            first = Record(story, "bigkinds", outlet, story.published, story.title, story.paragraphs,
                           "original", reporter=writer.reporter_for(outlet))
        records.append(first)

        # Syndication: a regional paper runs the wire story word for word.
        if as_page and first.layout in ("yna", "news1") and rng.random() < 0.45:
            layout = rng.choice(REGIONAL_LAYOUTS)
            # The copy keeps the agency's dateline, `(세종=연합뉴스) 홍길동 기자 =`, as real pages do.
            records.append(Record(
                story, "page", _LAYOUT_OUTLET[layout], _later_same_day(rng, story.published),
                story.title, story.paragraphs, "syndicated", layout=layout, reporter=first.reporter,
                wire=_LAYOUT_OUTLET[first.layout],
            ))
        # Near-duplicate: another outlet's version with a paragraph changed or a sentence added.
        elif len(text_key("".join(story.paragraphs))) >= 260 and rng.random() < 0.13:
            paras = near_duplicate(rng, writer, story)
            if paras is not None:
                when = _later_same_day(rng, story.published)
                if rng.random() < 0.6:
                    layout = rng.choice([lo for lo in PAGE_LAYOUTS if lo != first.layout])
                    outlet = _LAYOUT_OUTLET[layout]
                    records.append(Record(story, "page", outlet, when, story.title, paras,
                                          "near_duplicate", layout=layout,
                                          reporter=writer.reporter_for(outlet)))
                else:
                    outlet = rng.choice([o for o in REGIONAL_BIGKINDS if o != first.outlet])
                    records.append(Record(story, "bigkinds", outlet, when, story.title, paras,
                                          "near_duplicate", reporter=writer.reporter_for(outlet)))
        # The same story saved as a page and found again in a BigKinds download.
        elif as_page and first.layout in REGIONAL_LAYOUTS and rng.random() < 0.2:
            records.append(Record(story, "bigkinds", first.outlet, story.published, story.title,
                                  story.paragraphs, "page_bigkinds", reporter=first.reporter))
    return records


# ---------------------------------------------------------------------------------------------
# Page dumps, one renderer per layout (the layouts of lib/resources/page_layouts.toml)
# ---------------------------------------------------------------------------------------------


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
            out += [h, "", h, "", f"{h.split('…')[0]} 소식이 전해지면서 지역의 관심이 쏠리고 있다. 관계자는..", ""]
        out += ["실시간 뉴스", "", "포토뉴스", ""]
        out += [f"  • {p} {p}" for p in rng.sample(CHROME_PHOTOS, 3)]
        return out
    title = {"news1": "많이 본 뉴스", "daejonilbo": "많이 본 뉴스", "cctoday": "인기기사", "yna": "많이 본 뉴스"}[layout]
    out += [title, ""] + [f"{i}. {h}" for i, h in enumerate(heads[:6], 1)]
    second = {"news1": "주요뉴스", "daejonilbo": "관련기사", "cctoday": "최신기사", "yna": "이 시각 주요뉴스"}[layout]
    out += ["", second, ""] + heads[6:10]
    if layout in ("cctoday", "daejonilbo"):
        out += ["", "포토뉴스", ""] + [f"· {p}" for p in rng.sample(CHROME_PHOTOS, 2)]
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
    cp949 = rec.encoding == "cp949"
    copy_sign = "ⓒ" if cp949 else "©"
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
        for i, p in enumerate(paras):
            lines += [p, "" if rng.random() < 0.8 else "\n\n"]
        lines.append(f"{s.dateline}={name} 기자 {email}@" if s.dateline else f"{name} 기자 {email}@")
        lines += ["", "중도일보(www.joongdo.co.kr), 무단전재 및 수집, 재배포 금지", ""]
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
        lines += [f"{email}@news1.kr", "", f"{copy_sign} 뉴스1코리아(news1.kr), 무단 전재 및 재배포, AI학습 이용 금지", ""]
    elif layout == "daejonilbo":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"기자명 {name} 기자", f"입력 {pub:%Y.%m.%d %H:%M}", f"수정 {upd:%Y.%m.%d %H:%M}", "댓글 0", ""]
        lines += [f"{s.caption} [사진={s.caption_credit}]"]
        for p in paras:
            lines += [p, ""]
        lines += [f"{name} 기자 {email}@daejonilbo.com", "", f"저작권자 {copy_sign} 대전일보 무단전재 및 재배포 금지", ""]
    elif layout == "cctoday":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"입력 {pub:%Y.%m.%d %H:%M}", f"수정 {upd:%Y.%m.%d %H:%M}", "댓글 0", ""]
        lines += [f"▲ {s.caption} {s.caption_credit}"]
        own_prefix = f"[충청투데이 {name} 기자] " if rng.random() < 0.5 and not rec.wire else ""
        for i, p in enumerate(paras):
            lines += [(own_prefix if i == 0 else "") + p, ""]
        lines += [f"{name} 기자 {email}@cctoday.co.kr"]
        lines += ["", f"저작권자 {copy_sign} 충청투데이 무단전재 및 재배포 금지", ""]
    elif layout == "yna":
        lines += [rec.title, ""]
        if s.subtitle:
            lines += [s.subtitle, ""]
        lines += [f"송고{pub:%Y-%m-%d %H:%M}", f"{s.caption} [{s.caption_credit}. 재판매 및 DB 금지]", ""]
        for i, p in enumerate(paras):
            lines += [(f"({place}=연합뉴스) {name} 기자 = " if i == 0 else "") + p, ""]
        lines += [f"{email}@yna.co.kr", "", "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>", ""]
    else:
        raise ValueError(f"unknown page layout {layout!r}")
    lines += _chrome(rng, layout)
    text = "\n".join(lines) + "\n"
    if rec.nbsp:
        # Saved pages carry no-break spaces: in the stamp and between words of some paragraphs.
        text = text.replace("승인 ", "승인\u00a0", 1).replace("입력 ", "입력\u00a0", 1)
        for p in paras[1:3]:
            text = text.replace(p, p.replace(" ", "\u00a0", 3), 1)
    return text


# ---------------------------------------------------------------------------------------------
# BigKinds rows
# ---------------------------------------------------------------------------------------------

_REGION_CATEGORY_P = {
    # region -> ((category, probability), ...): BigKinds' classifier guesses; no 지역>세종 exists.
    "sejong": (("지역>충남", 0.4), ("지역>대전", 0.2)),
    "daejeon": (("지역>대전", 0.65), ("지역>충남", 0.05)),
    "both": (("지역>대전", 0.5), ("지역>충남", 0.25)),
    "neither": (("지역>대전", 0.04), ("지역>서울", 0.12), ("지역>경기", 0.05)),
}


def _categories(rng: random.Random, story: Story) -> list[str]:
    if rng.random() < 0.05:
        return ["미분류", "", ""]
    cats = rng.sample(CATEGORIES[story.category_kind], min(2, len(CATEGORIES[story.category_kind])))
    x, acc = rng.random(), 0.0
    for cat, p in _REGION_CATEGORY_P[story.region]:
        acc += p
        if x < acc:
            cats.insert(rng.randint(0, len(cats)), cat)
            break
    cats = cats[:3] + [""] * (3 - len(cats[:3]))
    return [cats[0]] + [(" " + c) if c else "" for c in cats[1:]]


def lead_of(paragraphs: Sequence[str]) -> str:
    """BigKinds 본문: the first 200 characters of the story; a cut lead ends in ``..``."""
    text = "\n".join(paragraphs)
    return text if len(text) <= 200 else text[:198].rstrip() + ".."


class _Keywords:
    """BigKinds-style 키워드 and 특성추출 from Kiwi nouns (one Kiwi instance, texts cached)."""

    def __init__(self) -> None:
        from kiwipiepy import Kiwi  # loaded once, only when generating

        self.kiwi = Kiwi()
        self.cache: dict[str, list[str]] = {}

    def nouns(self, text: str) -> list[str]:
        if text not in self.cache:
            # Kiwi knows a few multi-word names ("대전 하나 시티즌"); BigKinds keywords hold no spaces.
            self.cache[text] = [
                t.form.replace(" ", "") for t in self.kiwi.tokenize(text) if t.tag in KEYWORD_TAGS
            ]
        return self.cache[text]

    def features(self, text: str, df: Counter, n_docs: int, *, top: int = 25) -> list[str]:
        """Top-weighted terms: term frequency times inverse document frequency, ties by position."""
        import math

        counts = Counter(t for t in self.nouns(text) if len(t) >= 2)
        first = {}
        for i, t in enumerate(self.nouns(text)):
            first.setdefault(t, i)
        scored = sorted(counts, key=lambda t: (-counts[t] * math.log((1 + n_docs) / (1 + df[t])), first[t]))
        return scored[:top]


def bigkinds_row(rec: Record, rng: random.Random, kw: _Keywords, df: Counter, n_docs: int) -> dict[str, str]:
    """The 19 cells of ``rec`` as BigKinds exports them (every value a string)."""
    s = rec.story
    code, domain = BIGKINDS_OUTLETS[rec.outlet]
    name, email = rec.reporter
    text = "\n".join([rec.title, *rec.paragraphs])
    contributor = rng.choice((f"{name} 기자", name, f"{name} 기자 {email}@{domain.removeprefix('www.')}"))
    cats = _categories(rng, s)
    incident = ["", "", ""]
    if s.category_kind == "weather" and rng.random() < 0.5:
        incident[0] = "재해>자연재해>폭염" if "폭염" in text else "재해>자연재해>호우"
    return {
        "뉴스 식별자": rec.news_id,
        "일자": f"{rec.published:%Y%m%d}",
        "언론사": rec.outlet,
        "기고자": contributor,
        "제목": rec.title,
        "통합 분류1": cats[0],
        "통합 분류2": cats[1],
        "통합 분류3": cats[2],
        "사건/사고 분류1": incident[0],
        "사건/사고 분류2": incident[1],
        "사건/사고 분류3": incident[2],
        "인물": ",".join(s.persons),
        "위치": ",".join(s.places),
        "기관": ",".join(s.orgs),
        "키워드": ",".join(kw.nouns(text)),
        "특성추출(가중치순 상위 50개)": ",".join(kw.features(text, df, n_docs)),
        "본문": lead_of(rec.paragraphs),
        "URL": f"https://{domain}/news/articleView.html?idxno={rng.randint(1_000_000, 2_999_999)}",
        "분석제외 여부": "",
    }


# ---------------------------------------------------------------------------------------------
# Writing the sample folder
# ---------------------------------------------------------------------------------------------

#: BigKinds files: (relative path, first day, last day, format). The first two overlap in
#: 2019-04..12, as when a user downloads the same slice twice.
BIGKINDS_SLICES: tuple[tuple[str, str, str, str], ...] = (
    ("bigkinds/synthetic_NewsResult_20180101-20191231.xlsx", "20180101", "20191231", "xlsx"),
    ("bigkinds/synthetic_NewsResult_20190401-20211231.xlsx", "20190401", "20211231", "xlsx"),
    ("bigkinds/synthetic_NewsResult_20220101-20231231_cp949.csv", "20220101", "20231231", "cp949"),
    ("bigkinds/synthetic_NewsResult_20240101-20251231_utf8bom.csv", "20240101", "20251231", "utf-8-sig"),
)

#: Reasons the loader gives for the planted bad records (lib.corpus: pages.py, bigkinds.py).
REASON_NO_TITLE = "no title"
REASON_BAD_PAGE_DATE = "unparseable date '2019-02-30'"
REASON_BAD_BIGKINDS_DATE = "unparseable date '20190230'"


def _excluded_reason(marker: str) -> str:
    return f"excluded by BigKinds: {marker}"


def _page_names(records: list[Record]) -> None:
    n = 0
    for rec in records:
        if rec.fmt == "page":
            n += 1
            rec.source_file = f"pages/synthetic_{n:04d}_{rec.layout}.txt"


def _choose_page_variants(rng: random.Random, pages: list[Record]) -> None:
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


def _encode_page(text: str, rec: Record) -> bytes:
    if rec.crlf:
        text = text.replace("\n", "\r\n")
    if rec.encoding == "cp949":
        try:
            return text.encode("cp949")
        except UnicodeEncodeError:
            rec.encoding = "utf-8"
    return text.encode(rec.encoding)


def _assign_news_ids(records: list[Record]) -> None:
    used: set[str] = set()
    for rec in records:
        if rec.fmt != "bigkinds":
            continue
        code = BIGKINDS_OUTLETS[rec.outlet][0]
        seq = 1
        while True:
            news_id = f"{code}.{rec.published:%Y%m%d%H%M%S}{seq:03d}"
            if news_id not in used:
                break
            seq += 1
        used.add(news_id)
        rec.news_id = rec.article_id = news_id


def _reject_rows(rng: random.Random, writer: _Writer, kw: _Keywords, df: Counter, n_docs: int,
                 rows_by_file: dict[str, list[dict[str, str]]]) -> list[dict[str, str]]:
    """Plant BigKinds rows the loader must reject; returns (file, id, reason) for each."""
    planted: list[dict[str, str]] = []

    def make(when: datetime, region: str, outlet: str) -> tuple[Record, dict[str, str]]:
        story = _write_story(writer, 0, when, region, "smart" if rng.random() < 0.5 else "offtopic")
        rec = Record(story, "bigkinds", outlet, when, story.title, story.paragraphs, "rejected",
                     reporter=writer.reporter_for(outlet))
        code = BIGKINDS_OUTLETS[outlet][0]
        rec.news_id = f"{code}.{when:%Y%m%d%H%M%S}{rng.randint(5, 9):03d}"
        return rec, bigkinds_row(rec, rng, kw, df, n_docs)

    def add(path: str, row: dict[str, str], reason: str) -> None:
        rows_by_file[path].append(row)
        planted.append({"source_file": path, "news_id": row["뉴스 식별자"], "reason": reason})

    a, b, c, d = (s[0] for s in BIGKINDS_SLICES)
    # 제목 empty.
    _, row = make(datetime(2018, 5, 14, 9, 12, 5), "daejeon", "대전일보")
    row["제목"] = ""
    add(a, row, REASON_NO_TITLE)
    # 일자 that is no date (the identifier keeps a real time).
    _, row = make(datetime(2019, 2, 28, 16, 40, 11), "sejong", "중도일보")
    row["일자"] = "20190230"
    add(a, row, REASON_BAD_BIGKINDS_DATE)
    # 분석제외: photo, personnel and digest items (예외), repeats (중복), both.
    specs = (
        (a, datetime(2018, 9, 3, 11, 5, 44), "sejong", "충청투데이", "예외", "[포토] "),
        (a, datetime(2018, 11, 20, 14, 30, 2), "daejeon", "금강일보", "중복", ""),
        (b, datetime(2020, 4, 7, 8, 15, 30), "daejeon", "충청일보", "중복, 예외", "[인사] "),
        (b, datetime(2021, 6, 2, 17, 45, 9), "sejong", "대전일보", "예외", "[포토] "),
        (c, datetime(2022, 8, 16, 10, 20, 51), "daejeon", "중도일보", "예외", "[인사] "),
        (c, datetime(2023, 3, 9, 13, 2, 17), "sejong", "금강일보", "중복", ""),
        (d, datetime(2024, 10, 11, 9, 55, 40), "daejeon", "대전일보", "예외", "[포토] "),
    )
    for path, when, region, outlet, marker, prefix in specs:
        _, row = make(when, region, outlet)
        row["제목"] = prefix + row["제목"]
        row["분석제외 여부"] = marker
        add(path, row, _excluded_reason(marker))
    return planted


def _truth_entry(rec: Record, copy: str) -> dict[str, object]:
    s = rec.story
    return {
        "region": s.region,
        "smart_city": s.smart_city,
        "topics": [t for t in TOPICS if t in s.topics],
        "story_id": s.story_id,
        "dup_group": s.number,
        "copy": copy,
        "format": rec.fmt,
        "outlet": rec.outlet,
        "published": rec.published.isoformat(),
        "quarter": quarter_label(rec.published),
        "title": rec.title,
        "kind": s.kind,
    }


def generate_sample(out_dir: str | Path = SAMPLE_DIR, *, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write the synthetic sample corpus into ``out_dir`` and return a summary (truth's ``meta``).

    Files written: ``pages/*.txt``, ``bigkinds/*.xlsx|csv``, ``truth.json``, ``README.md``.
    Files of an earlier run under ``pages/`` and ``bigkinds/`` are removed first, so the folder
    holds exactly this seed's corpus. The same ``seed`` always gives the same bytes.
    """
    from lib.corpus.bigkinds import write_bigkinds_csv

    out = Path(out_dir)
    rng = random.Random(seed)
    writer = _Writer(random.Random(rng.randrange(2**32)))
    stories = plan_stories(writer.rng, writer)
    dropped = getattr(plan_stories, "dropped", 0)
    records = plan_records(random.Random(rng.randrange(2**32)), writer, stories)

    # Pages -----------------------------------------------------------------------------------
    page_rng = random.Random(rng.randrange(2**32))
    _page_names(records)
    pages = [r for r in records if r.fmt == "page"]
    _choose_page_variants(page_rng, pages)
    for folder in ("pages", "bigkinds"):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for old in (out / folder).iterdir():
            if old.is_file() and old.name.startswith("synthetic_"):
                old.unlink()
    truth_articles: dict[str, dict[str, object]] = {}
    for rec in pages:
        rec.published = rec.published.replace(second=0)
        rec.article_id = stable_article_id(rec.outlet, rec.title, rec.published)
        data = _encode_page(render_page(rec, page_rng), rec)
        (out / rec.source_file).write_bytes(data)
        truth_articles[f"{rec.source_file}#{rec.article_id}"] = _truth_entry(rec, rec.copy)

    rejects: list[dict[str, str]] = []
    bad_pages = (
        ("no_title", datetime(2020, 9, 14, 15, 20), REASON_NO_TITLE),
        ("bad_date", datetime(2019, 2, 27, 10, 0), REASON_BAD_PAGE_DATE),
    )
    for i, (what, when, reason) in enumerate(bad_pages, start=len(pages) + 1):
        story = _write_story(writer, 0, when, "sejong", "smart")
        rec = Record(story, "page", "중도일보", when, story.title, story.paragraphs, "rejected",
                     layout="joongdo", reporter=writer.reporter_for("중도일보"))
        rec.source_file = f"pages/synthetic_{i:04d}_joongdo_{what}.txt"
        text = render_page(rec, page_rng, no_title=what == "no_title",
                           bad_date="2019-02-30 10:00" if what == "bad_date" else "")
        (out / rec.source_file).write_bytes(text.encode("utf-8"))
        rejects.append({"source_file": rec.source_file, "record": "page", "reason": reason})

    # BigKinds ----------------------------------------------------------------------------------
    bk_rng = random.Random(rng.randrange(2**32))
    bk_records = [r for r in records if r.fmt == "bigkinds"]
    _assign_news_ids(bk_records)
    kw = _Keywords()
    texts = {"\n".join([r.title, *r.paragraphs]) for r in bk_records}
    df: Counter = Counter()
    for text in sorted(texts):
        df.update(set(kw.nouns(text)))
    n_docs = len(texts)
    rows_by_file: dict[str, list[dict[str, str]]] = {s[0]: [] for s in BIGKINDS_SLICES}
    for rec in bk_records:
        row = bigkinds_row(rec, bk_rng, kw, df, n_docs)
        day = f"{rec.published:%Y%m%d}"
        copy = rec.copy
        for path, first, last, _fmt in BIGKINDS_SLICES:
            if first <= day <= last:
                rows_by_file[path].append(row)
                truth_articles[f"{path}#{rec.news_id}"] = _truth_entry(rec, copy)
                copy = "overlap_slice"
    planted_rejects = _reject_rows(bk_rng, writer, kw, df, n_docs, rows_by_file)
    for path, _first, _last, fmt in BIGKINDS_SLICES:
        rows = sorted(rows_by_file[path], key=lambda r: (r["뉴스 식별자"][9:], r["뉴스 식별자"]), reverse=True)
        labels = {row["뉴스 식별자"]: f"row {i + 2}" for i, row in enumerate(rows)}
        for rej in planted_rejects:
            if rej["source_file"] == path:
                rejects.append({"source_file": path, "record": labels[rej["news_id"]], "reason": rej["reason"]})
        target = out / path
        if fmt == "xlsx":
            write_bigkinds_xlsx(target, rows, creator="lib.sample (synthetic)")
        else:
            write_bigkinds_csv(target, rows, encoding=fmt)

    # Truth and README ----------------------------------------------------------------------------
    meta = _meta(seed, stories, records, truth_articles, rejects, pages, dropped)
    truth = {
        "articles": truth_articles,
        "rejects": sorted(rejects, key=lambda r: (r["source_file"], r["record"])),
        "planted": planted_table(),
        "meta": meta,
    }
    (out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    (out / "README.md").write_text(_readme(meta), encoding="utf-8")
    return meta


def _meta(seed: int, stories: list[Story], records: list[Record], articles: dict, rejects: list,
          pages: list[Record], dropped: int) -> dict[str, object]:
    entries = list(articles.values())
    story_regions = Counter(s.region for s in stories)
    return {
        "seed": seed,
        "generator": "lib.sample",
        "generator_version": GENERATOR_VERSION,
        "synthetic": True,
        "period": f"{FIRST_YEAR}-01-01/{LAST_YEAR}-12-31",
        "counts": {
            "stories": len(stories),
            "stories_smart_city": sum(s.smart_city for s in stories),
            "stories_by_region": {r: story_regions[r] for r in REGIONS},
            "stories_by_kind": dict(sorted(Counter(s.kind for s in stories).items())),
            "story_slots_dropped_as_too_similar": dropped,
            "articles": len(entries),
            "articles_by_format": dict(sorted(Counter(e["format"] for e in entries).items())),
            "articles_by_copy": dict(sorted(Counter(e["copy"] for e in entries).items())),
            "duplicate_groups": sum(1 for n in Counter(e["dup_group"] for e in entries).values() if n > 1),
            "rejects": len(rejects),
            "page_files": len(pages) + 2,
            "pages_by_layout": dict(sorted(Counter(p.layout for p in pages).items())),
            "pages_by_encoding": dict(sorted(Counter(p.encoding for p in pages).items())),
            "pages_crlf": sum(p.crlf for p in pages),
            "pages_nbsp": sum(p.nbsp for p in pages),
        },
        "trends": list(PLANTED_TRENDS),
        "bigkinds_files": [
            {"source_file": path, "first_day": first, "last_day": last, "format": fmt}
            for path, first, last, fmt in BIGKINDS_SLICES
        ],
    }


def _readme(meta: dict) -> str:
    c = meta["counts"]
    files = "\n".join(
        f"| `{f['source_file']}` | {f['first_day']}–{f['last_day']} | {f['format']} |"
        for f in meta["bigkinds_files"]
    )
    trends = "\n".join(
        f"| {t['topic']} | {t['region']} | {t['kind']} | {t['period']} | {t['note']} |" for t in meta["trends"]
    )
    by_region = ", ".join(f"{k} {v}" for k, v in c["stories_by_region"].items())
    by_copy = ", ".join(f"{k} {v}" for k, v in c["articles_by_copy"].items())
    layouts = ", ".join(f"{k} {v}" for k, v in c["pages_by_layout"].items())
    encodings = ", ".join(f"{k} {v}" for k, v in c["pages_by_encoding"].items())
    return f"""# Synthetic sample corpus (SYNTHETIC: invented text, not real news)

Everything in this folder is **synthetic**. Every headline, sentence, name, e-mail, URL and
BigKinds identifier was invented by `lib/sample.py` from its own templates; no text of real
articles is used. Place names (세종 조치원읍, 보람동, 대전 유성구, 둔산동 …) are real, because
region attribution has to work on them. The folder is regenerated, byte for byte, by

    make sample            # = python -m lib.sample --seed {meta['seed']} --out data/sample

(generator version {meta['generator_version']}). Do not edit files here by hand: change the
generator and regenerate; `tests/test_sample.py` checks that the committed files equal a fresh run.

## What is in it

{c['stories']} stories dated 2018-01 … 2025-12 ({by_region}; {c['stories_smart_city']} about smart
cities), stored as {c['articles']} loadable records plus {c['rejects']} records the loader must reject.

* `pages/synthetic_NNNN_<layout>.txt`: {c['page_files']} saved news pages in the layouts of
  `lib/resources/page_layouts.toml` ({layouts}). Each has site chrome after the copyright line
  (ranking lists, headline and photo news naming 대전, 세종, AI and 스마트시티) that is not article
  text. Encodings: {encodings}; {c['pages_crlf']} use CRLF line ends and {c['pages_nbsp']} carry
  U+00A0 no-break spaces. Two pages are broken on purpose (`*_no_title.txt`, `*_bad_date.txt`).
* `bigkinds/`: BigKinds news-analysis downloads in the export layout (one sheet named `sheet`, the
  19 headers, every cell text, newest first, 본문 a lead of at most 200 characters ending `..`
  when cut, 키워드 the Kiwi nouns of the whole story in text order with repeats):

| file | dates | format |
|---|---|---|
{files}

  The first two overlap (2019-04 … 2019-12): those rows are in both files with the same 뉴스 식별자.
  The outlet codes of regional papers in the identifiers are invented.

Copies of one story ({by_copy}): wire stories run word for word by a regional paper, with
the agency's dateline kept (`syndicated`), another outlet's version with a paragraph changed or a sentence added
(`near_duplicate`, 5-gram Jaccard ≥ {NEAR_DUP_MIN_JACCARD}), a page also found as a BigKinds row
(`page_bigkinds`, same title and day) and the overlapping slices (`overlap_slice`). Distinct
stories share a 5-gram Jaccard below {DISTINCT_MAX_JACCARD}.

Traps for region and topic tagging: `(세종=연합뉴스)` datelines on nationwide ministry stories
(truth `neither`), lists such as `대전·세종·충남 등 17개 시도`, homographs (세종대왕, 세종문화회관,
세종대로, 세종대학교, 세종학당; 할인 대전, 세계대전, 대전환, 대전료, 바둑 대전), off-topic uses of
스마트폰, 데이터, 앱 and AI in stories that are not about smart cities, and noisy BigKinds region
categories (`지역>대전` or `지역>충남` on Sejong stories; there is no `지역>세종`).

## Planted trends

Topic labels of smart-city stories are drawn from p(topic | region, quarter): 1–3 labels per
story (1: 45 %, 2: 40 %, 3: 15 %), drawn one after another without replacement with
probability proportional to a weight. The weights carry these trends:

| topic | region | kind | period | how |
|---|---|---|---|---|
{trends}

`truth.json` → `planted` lists, for every topic, region and quarter, the exact probability
(`share`) that a smart-city story of that region and quarter carries the label.

## truth.json

Compact JSON with sorted keys:

* `articles`: one entry per record the loader should load, keyed
  `<file relative to this folder>#<article_id>` (BigKinds: 뉴스 식별자; pages:
  `lib.corpus.schema.stable_article_id(outlet, title, published)`), with `region`
  (`sejong`, `daejeon`, `both`, `neither`), `smart_city`, `topics` (labels of the taxonomy),
  `story_id`, `dup_group` (records sharing it are copies of one story), `copy` (`original`,
  `syndicated`, `near_duplicate`, `page_bigkinds`, `overlap_slice`), `format`, `outlet`,
  `published`, `quarter`, `title` and `kind` (the generator's story kind).
* `rejects`: records the loader must reject: `source_file`, `record` (`page`, or `row N` with
  the header as row 1) and `reason`, exactly as the loader words it
  (`{REASON_NO_TITLE}`, `{REASON_BAD_PAGE_DATE}`, `{REASON_BAD_BIGKINDS_DATE}`,
  `excluded by BigKinds: 예외|중복|중복, 예외`).
* `planted`: `{{topic, region, quarter, share}}` for every combination.
* `meta`: seed, generator version, counts, the trends above and the BigKinds files.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.sample", description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="output folder (default data/sample)")
    args = parser.parse_args(argv)
    meta = generate_sample(args.out, seed=args.seed)
    c = meta["counts"]
    print(
        f"wrote {c['stories']} stories as {c['articles']} records (+{c['rejects']} to reject) "
        f"to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
