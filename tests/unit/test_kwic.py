"""KWIC: occurrences with context and their article, on full text and on keyword-only rows.

Articles are invented one-line stories in the canonical schema.
"""

from __future__ import annotations

import pandas as pd

from lib.analysis.kwic import KWIC_COLUMNS, SOURCES, kwic, term_forms
from lib.corpus.schema import to_frame
from lib.tagging import TaggedCorpus
from lib.tagging.tokens import keyword_terms

LEAD = "시는 3일 시청에서 스마트 교통 계획을 발표했다. 교통 신호와 주차 정보를 묶는다.."
KEYWORDS = "시청,스마트,교통,계획,발표,자율주행,셔틀,주차,정보"


def articles() -> pd.DataFrame:
    rows = [
        {"article_id": "full", "outlet": "가상일보", "published": "2021-05-03 09:00",
         "title": "자율주행 셔틀 달린다", "url": "https://example.kr/1",
         "body": "시가 다음 달부터 자율주행 셔틀을 운행한다. 시민 누구나 자율주행 셔틀을 탄다."},
        {"article_id": "lead_hit", "outlet": "가상신문", "published": "2020-01-02 08:00",
         "title": "교통 계획 발표", "body": "자율주행 셔틀이 시내를 달린다..", "lead_only": True,
         "keywords": KEYWORDS},
        {"article_id": "kw_only", "outlet": "가상신문", "published": "2022-07-01 08:00",
         "title": "스마트 교통 계획", "body": LEAD, "lead_only": True, "keywords": KEYWORDS},
        {"article_id": "copy", "outlet": "가상통신", "published": "2021-05-03 10:00",
         "title": "자율주행 셔틀 달린다", "body": "자율주행 셔틀 운행.", "is_duplicate": True},
        {"article_id": "uam", "outlet": "가상일보", "published": None,
         "title": "하늘길 연다", "body": "UAM 실증이 시작됐다. 도심항공모빌리티 정거장도 짓는다."},
    ]
    frame = to_frame(rows)
    frame["region"] = "neither"
    return frame


def test_kwic_rows_carry_article_date_outlet_and_context() -> None:
    out = kwic(articles(), "자율주행", width=5)
    assert list(out.columns) == list(KWIC_COLUMNS)
    # Sorted by date: the 2020 lead, the 2021 article (title, then body), the keyword-only row.
    assert out["article_id"].tolist() == ["lead_hit", "full", "full", "full", "kw_only"]
    first_full = out[out["article_id"] == "full"].iloc[1]
    assert first_full["source"] == SOURCES["body"]
    # 자율주행셔틀 is a lexicon form of 자율주행 (the token table counts it so): written with
    # a space, the match holds both words
    assert first_full["left"] == " 달부터 " and first_full["match"] == "자율주행 셔틀"
    assert first_full["right"] == "을 운행한" and first_full["outlet"] == "가상일보"
    assert first_full["url"] == "https://example.kr/1"
    assert out.iloc[0]["source"] == SOURCES["lead"]
    # The story copy flagged as duplicate is left out.
    assert "copy" not in set(out["article_id"])
    assert "copy" in set(kwic(articles(), "자율주행", dedup=False)["article_id"])


def test_keyword_only_rows_say_so() -> None:
    out = kwic(articles(), "자율주행")
    row = out[out["article_id"] == "kw_only"].iloc[0]
    assert row["source"] == SOURCES["keywords"]
    assert row["left"] == "" and row["right"] == "" and row["match"] == "자율주행"


def test_synonyms_of_a_lexicon_term_are_found() -> None:
    forms = term_forms("UAM")
    canon = set(forms.values())
    assert len(canon) == 1
    out = kwic(articles(), "UAM")
    assert set(out["match"]) == {"UAM", "도심항공모빌리티"}
    assert out["date"].isna().all()  # an undated article still lists, last


def test_no_hit_is_an_empty_table_and_limit_cuts() -> None:
    out = kwic(articles(), "드론")
    assert out.empty and list(out.columns) == list(KWIC_COLUMNS)
    assert len(kwic(articles(), "자율주행", limit=2)) == 2


def test_a_tagged_corpus_is_accepted() -> None:
    empty = pd.DataFrame()
    tags = TaggedCorpus(articles=articles(), article_topics=empty, topic_terms=empty,
                        region_evidence=empty)
    assert len(kwic(tags, "셔틀")) == len(kwic(articles(), "셔틀"))


def test_keyword_only_rows_are_the_lists_whose_terms_hold_the_term() -> None:
    # BigKinds splits compounds into neighbours (스마트,시티) and writes a synonym in any case
    # (Uam); a keyword row is listed exactly when its keyword_terms hold the term.
    lists = {
        "joined": "시청,스마트,시티,조성",
        "spaced": "시청, 스마트 ,시티 ,조성",
        "synonym_joined": "도심항공,모빌리티,실증",
        "synonym_case": "Uam,실증,시범",
        "near": "스마트,시티즌,교육",
        "apart": "스마트,교육,시티",
        "none": "시청,예산,의회",
    }
    rows = [{"article_id": key, "outlet": "가상신문", "published": "2023-03-01 08:00",
             "title": "계획 발표", "body": "시가 계획을 밝혔다..", "lead_only": True,
             "keywords": keywords} for key, keywords in lists.items()]
    frame = to_frame(rows)
    frame["region"] = "neither"
    for term in ("스마트시티", "UAM", "자율주행", "시티즌"):
        out = kwic(frame, term)
        canon = term_forms(term)[term]  # UAM's is 도심항공교통
        want = {key for key, keywords in lists.items() if canon in keyword_terms(keywords)}
        assert set(out["article_id"]) == want, term
        assert (out["source"] == SOURCES["keywords"]).all()
    assert set(kwic(frame, "스마트시티")["article_id"]) >= {"joined", "spaced"}
    assert set(kwic(frame, "UAM")["article_id"]) == {"synonym_joined", "synonym_case"}


def test_a_short_term_inside_a_longer_word_is_not_it_and_spaced_compounds_are() -> None:
    """전시 (exhibition) is not found in 대전시 or 공사 in 토지주택공사, but at a word's start
    it is (전시회를, 공사는); 자율주행 is found written 자율 주행, as the token table joins it."""
    frame = to_frame([{"article_id": "a", "outlet": "가상일보", "published": "2023-04-01",
                       "title": "대전시 과학 전시", "url": "https://example.kr/a",
                       "body": "대전시는 전시회를 연다. 토지주택공사 공사는 "
                               "자율 주행 버스를 시험한다."}])
    frame["region"] = "daejeon"
    shows = kwic(frame, "전시", width=4)
    assert shows["match"].tolist() == ["전시", "전시"]
    assert [r.strip() for r in shows["right"]] == ["", "회를 연"]
    assert kwic(frame, "공사", width=3)["left"].tolist() == ["공사 "]
    spaced = kwic(frame, "자율주행", width=3)
    assert spaced["match"].tolist() == ["자율 주행 버스"]  # 자율주행버스: a lexicon form


def test_lines_from_keyword_lists_only_say_they_have_no_context() -> None:
    from lib.analysis.kwic import SOURCES, context_note

    only = pd.DataFrame({"source": [SOURCES["keywords"]] * 2})
    assert "키워드 목록에서만 찾았습니다" in context_note(only)
    mixed = pd.DataFrame({"source": [SOURCES["keywords"], SOURCES["lead"]]})
    assert context_note(mixed) is None and context_note(only.iloc[:0]) is None
