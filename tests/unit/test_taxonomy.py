"""Tests of lib.tagging.topics: smart-city relevance, topic labels, evidence, keyword-only rows."""

from __future__ import annotations

import shutil

import pandas as pd

from lib import paths
from lib.tagging import resources as lexicon
from lib.corpus.schema import to_frame
from lib.tagging.topics import TAG_COLUMNS, tag_topics
from lib.vocabulary import get_vocabulary

TOPIC_LABELS = get_vocabulary().topic_keys
from tests.unit.test_regions import _hard_cases, hard_case_articles


def _one(**fields) -> pd.Series:
    fields.setdefault("article_id", "x")
    # The lexicon rules themselves: the learned layer on top is tested in test_tag_model.py.
    return tag_topics(to_frame([fields]), use_model=False).iloc[0]


def test_pilot_city_story_is_smart_city_with_topics():
    row = _one(
        title="세종 국가시범도시 실시계획 확정",
        body="세종시 5-1생활권 국가시범도시에 자율주행 셔틀과 수요응답형 버스가 다닌다. "
        "디지털 트윈으로 도시를 관리하고 스마트시티 통합운영센터를 둔다. 스마트시티 사업비는 "
        "국비로 충당한다.",
    )
    assert row.smart_city
    topics = list(row.topics)
    assert "pilot_city" in topics and "mobility" in topics
    assert set(topics) <= set(TOPIC_LABELS)
    assert "pilot_city:" in row.topic_evidence and "국가시범도시" in row.topic_evidence


def test_evidence_counts_repeats_and_folds_synonyms():
    row = _one(
        title="도심항공교통 실증",
        body="UAM 실증이 시작된다. 도심항공모빌리티 기체가 자율주행 차량과 함께 시험된다. "
        "자율주행 구간도 넓힌다. 자율 주행 관제는 시가 맡는다.",
    )
    assert "도심항공교통×3" in row.topic_evidence  # title, UAM and 도심항공모빌리티 fold together
    assert "자율주행×3" in row.topic_evidence
    assert "UAM" not in row.topic_evidence


def test_generic_relevance_words_give_no_topic():
    row = _one(
        title="스마트시티 포럼 열려",
        body="스마트시티 전문가들이 스마트도시의 미래를 토론했다. 4차 산업혁명과 스마트시티.",
    )
    assert row.smart_city
    assert row.topics == ()
    assert row.topic_evidence.startswith("relevance:")


def test_off_topic_uses_of_smart_city_words():
    phone = _one(title="신형 스마트폰 공개", body="스마트폰과 스마트워치 신제품. 데이터 요금제도.")
    assert not phone.smart_city and phone.topics == ()
    sports = _one(
        title="데이터 야구의 승리",
        body="데이터 분석팀의 데이터가 투수 교체를 이끌었다. 데이터 야구는 계속된다. 데이터!",
    )
    assert not sports.smart_city
    budget = _one(
        title="시 예산 편성",
        body="시는 예산을 편성했다. 국비와 사업비, 협약, 조례, 기업 지원 예산이 늘었다. 예산 협약.",
    )
    assert not budget.smart_city


def test_keyword_only_rows_with_split_compounds():
    row = _one(
        title="대전 스마트시티 챌린지 선정",
        body="대전시는..",
        keywords="대전,스마트,시티,챌린지,선정,대전시,리빙,랩,주차,공유,디지털,트윈,디지털,트윈",
        lead_only=True,
    )
    assert row.smart_city
    assert "challenge_livinglab" in row.topics
    assert "디지털트윈×2" in row.topic_evidence


def test_noun_frequency_lists_find_compounds_whose_parts_are_apart():
    # A frequency table (repeats grouped) loses text order: 자율 and 주행 are not neighbours.
    freq = _one(
        title="",
        body="",
        keywords="자율,자율,자율,버스,버스,주행,주행,주행,노선,행정",
        lead_only=True,
    )
    assert "자율주행×3" in freq.topic_evidence
    # In text order (repeats scattered) only neighbours make a compound: 시범 … 도시 is not
    # 시범도시 when the words stand apart.
    ordered = _one(
        title="",
        body="",
        keywords="시범,운영,도시,문제,시범,서비스,도시,계획,시범,도시,교통",
        lead_only=True,
    )
    assert "시범도시×2" not in ordered.topic_evidence
    assert "시범도시" in ordered.topic_evidence  # the one real neighbour pair


def test_latin_terms_need_word_boundaries():
    row = _one(title="MAIN 행사", body="DRAIN 공사와 PAID 서비스. BRTS 아님.")
    assert row.topic_evidence == ""


def test_columns_types_and_index():
    arts = to_frame(
        [
            {
                "article_id": "a",
                "title": "스마트시티 리빙랩",
                "body": "리빙랩과 스마트시티 챌린지.",
            },
            {"article_id": "b", "title": "날씨", "body": "맑음."},
        ]
    )
    arts.index = pd.Index(["p", "q"])
    out = tag_topics(arts, use_model=False)
    assert list(out.columns) == list(TAG_COLUMNS)
    assert list(out.index) == ["p", "q"]
    assert out["smart_city"].dtype == bool
    assert out["smart_city_score"].dtype == "float64"
    assert list(out["smart_city"]) == [True, False]
    assert out.loc["q", "topics"] == () and out.loc["q", "smart_city_score"] == 0.0


def test_hard_cases_smart_city_flags():
    cases = _hard_cases()
    got = tag_topics(hard_case_articles(cases), use_model=False)
    labelled = cases["expected_smart_city"] != ""
    assert labelled.sum() >= 30
    expected = cases.loc[labelled, "expected_smart_city"].eq("true").to_numpy()
    wrong = cases.loc[labelled, "case"][got.loc[labelled, "smart_city"].to_numpy() != expected]
    assert wrong.empty, list(wrong)


def test_lexicon_edit_changes_tagging(tmp_path, monkeypatch):
    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    arts = to_frame(
        [{"article_id": "a", "title": "한빛누리 조성", "body": "구청은 한빛누리 조성을 시작했다."}]
    )
    assert not tag_topics(arts, use_model=False)["smart_city"].iloc[0]
    with open(res / lexicon.TOPIC_LEXICON_FILE, "a", encoding="utf-8") as fh:
        fh.write("pilot_city\t한빛누리\t\t3\n")
    row = tag_topics(arts, use_model=False).iloc[0]
    assert row.smart_city and row.topics == ("pilot_city",)


def test_every_lexicon_label_is_known_and_every_topic_has_terms():
    lex = lexicon.load_topic_lexicon()
    assert set(lex["label"]) == set(TOPIC_LABELS) | {lexicon.RELEVANCE_LABEL, lexicon.CONTEXT_LABEL}
    scored = lex["label"] != lexicon.CONTEXT_LABEL
    assert (lex.loc[scored, "weight"] > 0).all()
    assert (lex.loc[~scored, "weight"] == 0).all()
    assert lex["term"].is_unique


def test_technology_news_without_a_city_is_not_smart_city():
    fund = _one(
        title="혁신기업 펀드 수익률 100%",
        body="사물인터넷(IoT)과 자율주행, 클라우드 기업에 투자하는 펀드가 수익을 냈다. "
        "자율주행 반도체와 IoT 기업 비중이 높다.",
    )
    assert not fund.smart_city and fund.smart_city_score >= 4
    civic = _one(
        title="구청, 사물인터넷 안전망",
        body="구청은 사물인터넷(IoT) 센서로 골목 안전을 살핀다. 주민들은 자율주행 순찰차도 "
        "시험한다. IoT 센서는 100곳에 둔다.",
    )
    assert civic.smart_city


def test_saturated_service_vocabulary_without_anchor_counts():
    row = _one(
        title="세종시, 공공데이터 거점 조성",
        body="세종시는 공공데이터와 데이터센터, 클라우드를 묶은 거점을 만든다. 공공데이터 개방을 "
        "늘리고 데이터센터는 내년 문을 연다. 시민들은 클라우드 서비스로 빅데이터를 본다.",
    )
    assert row.smart_city and row.smart_city_score >= 6
    assert "data_ai" in row.topics
    economy = _one(
        title="시, 예산과 기업 지원",
        body="시는 국비와 사업비로 기업유치와 투자유치, 창업기업 지원을 늘린다. 벤처기업과 "
        "스타트업 예산도 늘었다. 시민들은 환영했다.",
    )
    assert not economy.smart_city
