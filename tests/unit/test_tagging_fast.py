"""The fast matching path of the taggers against plain, obviously-correct references.

``TermMatcher.scan`` matches a whole column in one pass over the joined texts, with a regex
compiled without the global ignore-case flag; the reference here runs the plain
case-insensitive trie regex on each text alone and applies the boundary rules as written in
``TermMatcher``'s docstring. The taggers must give each article the same result in a batch as
alone, however its neighbours end and begin (texts are joined for scanning).
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.corpus.schema import to_frame
from lib.tagging import resources
from lib.tagging import regions as region_tagger
from lib.tagging import topics as topic_tagger
from lib.tagging.regions import tag_regions
from lib.tagging.resources import TermMatcher, keyword_tokens, term_key
from lib.tagging.topics import score_topics, tag_topics
from tests.unit.test_regions import _hard_cases, hard_case_articles

# Invented terms that overlap: prefixes of each other, sharing syllables, Latin with case.
FORMS = {
    "스마트": "스마트",
    "스마트시티": "스마트시티",
    "스마트시티 챌린지": "챌린지",
    "시티": "시티",
    "시범도시": "시범도시",
    "국가시범도시": "국가시범도시",
    "데이터": "데이터",
    "데이터센터": "데이터센터",
    "대전환": "대전환",
    "자율주행": "자율주행",
    "자율주행 셔틀": "셔틀",
    "AI": "AI",
    "AI 반도체": "AI 반도체",
    "IoT": "IoT",
    "sk": "sk",
    "C-ITS": "C-ITS",
}

TEXTS = [
    "스마트시티 챌린지와 스마트 시티, 스마트시티챌린지 그리고 시티",
    "국가시범도시는 국가,시범,도시이고 시범 도시는 아니다",
    "데이터센터 데이터 센터 데이터,센터 데이터센터센터",
    "대전,환경 디지털,대전환,추진 대전환기",
    "MAIN AI와 iot, 인공지능AI ai반도체 AI 반도체 Ai,반도체",
    "ＡＩ ſk SK Sk \u212a ık İoT IOT",
    "C-ITS c-its C-ITSX XC-ITS",
    "자율주행 셔틀 자율 주행 셔틀 자율,주행,셔틀 자율주행셔틀",
    "",
    "스마",
    "트시티",
    "AI",
    ",스마트,",
]


def plain_matches(forms: dict[str, str], text: str, *, auto_split: bool = True) -> list[tuple]:
    """The reference: from the left, at each place the longest form found there (each form's
    own case-insensitive regex tried alone), the search going on after it; then the boundary
    rules checked one by one."""
    canon = {term_key(f): c for f, c in forms.items()}
    singles = [re.compile("".join(atoms), re.IGNORECASE)
               for atoms in (resources._atoms(f, auto_split=auto_split) for f in forms) if atoms]
    ascii_alnum = re.compile("[A-Za-z0-9]")
    out = []
    s = 0
    while s < len(text):
        ends = [m.end() for rx in singles if (m := rx.match(text, s))]
        if not ends:
            s += 1
            continue
        e = max(ends)
        found, start = text[s:e], s
        s = e
        if ascii_alnum.match(found[0]) and start > 0 and ascii_alnum.match(text[start - 1]):
            continue
        if ascii_alnum.match(found[-1]) and e < len(text) and ascii_alnum.match(text[e]):
            continue
        if "," in found and ((start > 0 and text[start - 1] not in ", \n")
                             or (e < len(text) and text[e] not in ", \n")):
            continue
        term = canon.get(term_key(found))
        if term is not None:
            out.append((start, e, found, term))
    return out


@pytest.mark.parametrize("auto_split", [True, False])
def test_scan_of_a_column_equals_the_plain_regex_on_each_text(auto_split):
    matcher = TermMatcher(FORMS, auto_split=auto_split)
    scanned = matcher.scan(TEXTS)
    expected = [plain_matches(FORMS, t, auto_split=auto_split) for t in TEXTS]
    assert [list(hits) for hits in scanned] == expected
    assert matcher.count(TEXTS) == [len(hits) for hits in expected]
    assert [[(h.start, h.end, h.text, h.term) for h in matcher.finditer(t)] for t in TEXTS] \
        == expected
    # The cases above do exercise the rules: overlaps, case variants, boundaries.
    found = Counter(term for hits in expected for *_, term in hits)
    assert len(found) >= 12 and found["AI 반도체"] == 3 and found["sk"] == 3
    assert found["IoT"] == 2 and found["대전환"] == 2 and found["C-ITS"] == 2
    # The longest form wins, also where a shorter one could end on a separator first.
    # (자율 주행 셔틀, 자율,주행,셔틀: 자율주행 splits only with auto_split.)
    assert found["셔틀"] == (4 if auto_split else 2)


def _matchers(monkeypatch, auto_split: bool = True) -> tuple[TermMatcher, TermMatcher]:
    """The same forms searched by the automaton and by the regex."""
    monkeypatch.setattr(resources, "AUTOMATON_MIN_FORMS", 1)
    automaton = TermMatcher(FORMS, auto_split=auto_split)
    monkeypatch.setattr(resources, "AUTOMATON_MIN_FORMS", 10**9)
    regex = TermMatcher(FORMS, auto_split=auto_split)
    assert automaton._automaton is not None and regex._automaton is None
    return automaton, regex


@pytest.mark.parametrize("auto_split", [True, False])
def test_the_automaton_finds_what_the_regex_finds(monkeypatch, auto_split):
    automaton, regex = _matchers(monkeypatch, auto_split)
    joined = resources.JOIN.join(TEXTS)
    assert automaton.located(joined) == regex.located(joined)
    assert automaton.term_counts(TEXTS) == regex.term_counts(TEXTS)
    expected = [plain_matches(FORMS, t, auto_split=auto_split) for t in TEXTS]
    assert automaton.term_counts(TEXTS) == [Counter(m[3] for m in hits) for hits in expected]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["스마트", "시티", "국가", "시범", "도시", "데이터",
                                          "센터", " ", ",", "AI", "ai", "ſk", "\u212a", "İ",
                                          "İoT", "oT", "C-", "ITS", "X", "자율", "주행", "셔틀"]),
                         max_size=12).map("".join), max_size=6))
def test_the_automaton_equals_the_reference_on_random_texts(texts):
    # (İ lower-cases to two characters: the automaton must still report the text's places.)
    resources_min = resources.AUTOMATON_MIN_FORMS
    resources.AUTOMATON_MIN_FORMS = 1
    try:
        automaton = TermMatcher(FORMS)
    finally:
        resources.AUTOMATON_MIN_FORMS = resources_min
    expected = [plain_matches(FORMS, t) for t in texts]
    assert automaton.term_counts(texts) == [Counter(m[3] for m in hits) for hits in expected]
    joined = resources.JOIN.join(texts)
    starts, found = automaton.located(joined)
    assert all(joined[s:s + len(f)] == f for s, f in zip(starts, found, strict=True))


def test_the_topic_lexicon_is_searched_by_the_automaton():
    lexicon = topic_tagger._lexicon(None)
    assert lexicon.matcher._automaton is not None  # thousands of written forms
    assert lexicon.context._automaton is None  # a short word list: the regex is as fast


def test_scan_in_small_batches_equals_one_batch(monkeypatch):
    matcher = TermMatcher(FORMS)
    whole = matcher.scan(TEXTS)
    monkeypatch.setattr(resources, "BATCH_CHARS", 12)
    assert len(list(resources.joined_batches(TEXTS))) > 5
    assert matcher.scan(TEXTS) == whole
    assert matcher.count(TEXTS) == [len(hits) for hits in whole]


def test_taggers_in_small_batches_and_blocks_equal_one_pass(monkeypatch):
    articles = pd.concat([hard_case_articles(_hard_cases()), _EDGES], ignore_index=True)
    regions_whole = tag_regions(articles)
    topics_whole = tag_topics(articles, use_model=False)
    monkeypatch.setattr(resources, "BATCH_CHARS", 40)
    monkeypatch.setattr(region_tagger, "ROWS_PER_PASS", 3)
    monkeypatch.setattr(topic_tagger, "ROWS_PER_PASS", 3)
    assert tag_regions(articles).equals(regions_whole)
    assert tag_topics(articles, use_model=False).equals(topics_whole)


def test_a_term_never_spans_two_texts_of_a_column():
    matcher = TermMatcher(FORMS)
    assert matcher.scan(["공공 스마", "트시티 조성", "데이터", "센터"]) == [
        (), [(1, 3, "시티", "시티")], [(0, 3, "데이터", "데이터")], ()]


_PIECES = ["스마트", "시티", "시범", "도시", "국가", "데이터", "센터", "대전", "환", " ", ",",
           "AI", "ai", "ſk", "\u212a", "İ", "oT", "C-", "ITS", "X", "\n", "자율", "주행", "셔틀"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=6))
def test_scan_equals_the_plain_regex_on_random_texts(texts):
    matcher = TermMatcher(FORMS)
    assert [list(h) for h in matcher.scan(texts)] == [plain_matches(FORMS, t) for t in texts]


def test_case_variants_are_what_ignore_case_matches():
    for ch in "aAkKsSiI가1-":
        plain = re.compile(re.escape(ch), re.IGNORECASE)
        variants = set(resources.case_variants(ch))
        assert all(plain.fullmatch(v) for v in variants)
        probes = [chr(c) for c in range(0x250)] + ["\u212a", "\u1e9e", "가"]
        assert {p for p in probes if plain.fullmatch(p)} <= variants


def test_topic_term_counts_equal_plain_counting():
    """Term counts of full-text articles: the title's and the text's matches by the plain
    regex, mapped to the lexicon's terms."""
    articles = to_frame([
        {"article_id": "a", "title": "스마트시티 챌린지 선정",
         "body": "스마트 시티 챌린지에 자율주행 셔틀과 데이터센터를 넣는다. AI 반도체와 IoT도."},
        {"article_id": "b", "title": "자율주행", "subtitle": "국가시범도시 자율 주행",
         "body": "국가 시범도시의 자율주행 버스와 디지털 트윈", "captions": "스마트시티 전경"},
        {"article_id": "c", "title": "날씨", "body": "맑음"},
    ])
    lexicon = resources.load_topic_lexicon()
    forms = {form: term for term, syns, label in
             zip(lexicon["term"], lexicon["synonyms"], lexicon["label"])
             if label != resources.CONTEXT_LABEL for form in [term, *syns]}
    results = score_topics(articles, use_model=False)
    for (_, row), result in zip(articles.iterrows(), results, strict=True):
        rest = "\n".join([row["subtitle"], row["body"], row["captions"]])
        expected = Counter(t for *_, t in plain_matches(forms, row["title"]))
        expected.update(t for *_, t in plain_matches(forms, rest))
        got = Counter({term: n for terms in result.label_terms.values()
                       for term, n in terms.items()})
        assert got == expected
    assert results[0].label_terms and not results[2].label_terms


@pytest.mark.parametrize("keywords", [
    "", "스마트,시티", "스마트,,시티,", " 스마트 , 시티 ,", "a,\u3000,b", "세종시", ",", "스마트 시티,AI"])
def test_keyword_tokens_are_the_stripped_non_blank_items(keywords):
    assert keyword_tokens(keywords) == [t.strip() for t in keywords.split(",") if t.strip()]


def _one_by_one(tagger, articles: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([tagger(articles.iloc[[i]]) for i in range(len(articles))])


# Neighbours whose edges would make a match if texts leaked into each other when joined.
_EDGES = to_frame([
    {"article_id": "e1", "title": "시민 의견을 듣는 대전·세종·", "body": "행사는 ‘조국"},
    {"article_id": "e2", "title": "충남 등 지역 행사", "body": "대전’ 이라는 말이 돌았다. 세계"},
    {"article_id": "e3", "title": "대전 시민 축제", "body": "대전에서 스마트시티 공청회를 열었다 스마"},
    {"article_id": "e4", "title": "트시티 자율주행", "keywords": "세종,대왕,동상,세종시,스마트,시티",
     "lead_only": True},
    {"article_id": "e5", "title": "", "body": "", "keywords": "대왕,세종시,세종시,세종시",
     "lead_only": True},
])


def test_regions_in_a_batch_equal_each_article_alone():
    articles = pd.concat([hard_case_articles(_hard_cases()), _EDGES], ignore_index=True)
    assert tag_regions(articles).equals(_one_by_one(tag_regions, articles))


def test_topics_in_a_batch_equal_each_article_alone():
    articles = pd.concat([hard_case_articles(_hard_cases()), _EDGES], ignore_index=True)
    batch = score_topics(articles, use_model=False)
    alone = [score_topics(articles.iloc[[i]], use_model=False)[0] for i in range(len(articles))]
    assert [(r.smart_city, r.score, r.topics, r.label_scores, dict(r.label_terms), r.signals)
            for r in batch] == [
        (r.smart_city, r.score, r.topics, r.label_scores, dict(r.label_terms), r.signals)
        for r in alone]
