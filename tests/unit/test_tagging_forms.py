"""The taggers' counting short cuts against the Counter arithmetic they stand for.

The region tagger keeps what a text says about a city as the surface forms found and counts
them only for evidence; the topic tagger takes an article's terms as (term, title mentions,
text mentions) without building the merged Counters; the term matcher counts matched texts
from ``findall``; the region tagger works out section and place hits once per distinct value.
Each must give exactly what the plain version gives, order included.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.corpus.schema import to_frame
from lib.tagging import regions
from lib.tagging.regions import _add, _minus, _plus, _split_values
from lib.tagging.resources import ArticleTexts, TermMatcher
from lib.tagging.topics import _title_and_keywords, _title_and_text
from tests.unit.test_tagging_fast import _PIECES, FORMS, plain_matches

_FORMS = st.lists(st.sampled_from(["세종", "세종시", "대전", "대전시", "조치원"]), max_size=7)
_COUNTS = st.dictionaries(st.sampled_from(["자율주행", "스마트시티", "AI", "데이터", "BRT"]),
                          st.integers(1, 4), max_size=4).map(Counter)


@settings(max_examples=300, deadline=None)
@given(_FORMS, _FORMS)
def test_forms_less_taken_are_the_counter_difference(forms, taken):
    expected = Counter(forms) - Counter(taken)
    got = Counter(_minus(forms, taken))
    assert got == expected
    assert list(got) == list(expected)


@settings(max_examples=300, deadline=None)
@given(_FORMS, _FORMS, _FORMS)
def test_forms_in_turn_are_the_counter_sum(a, b, c):
    expected = Counter(a) + Counter(b) + Counter(c)
    got = Counter(_plus(a, b, c))
    assert got == expected
    assert list(got) == list(expected)


@settings(max_examples=300, deadline=None)
@given(_FORMS)
def test_evidence_counts_forms_most_frequent_first(forms):
    ev: list[tuple[str, str, int]] = []
    _add(ev, "title", forms)
    assert ev == [("title", form, n) for form, n in Counter(forms).most_common()]


def test_evidence_of_one_form_repeated_and_of_mixed_forms():
    ev: list[tuple[str, str, int]] = []
    _add(ev, "keywords", ["세종", "세종", "세종"])
    _add(ev, "list", ["대전", "세종시", "세종시"])
    _add(ev, "weak", ())
    assert ev == [("keywords", "세종", 3), ("list", "세종시", 2), ("list", "대전", 1)]


def _terms_by_counters(title: Counter, text: Counter) -> dict[str, tuple[int, int]]:
    return {t: (title.get(t, 0), text.get(t, 0)) for t in set(title) | set(text)}


@settings(max_examples=300, deadline=None)
@given(_COUNTS, _COUNTS, _COUNTS)
def test_title_and_keyword_terms_are_the_merged_counters(title, keywords, bag):
    got = _title_and_keywords(title, keywords, bag)
    assert len({t for t, *_ in got}) == len(got)
    assert {t: (a, b) for t, a, b in got} == _terms_by_counters(title, (keywords | bag) - title)


@settings(max_examples=300, deadline=None)
@given(_COUNTS, _COUNTS)
def test_title_and_text_terms_are_both_counters(title, text):
    got = _title_and_text(title, text)
    assert len({t for t, *_ in got}) == len(got)
    assert {t: (a, b) for t, a, b in got} == _terms_by_counters(title, text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=6))
def test_term_counts_and_counts_equal_the_plain_regex_on_random_texts(texts):
    matcher = TermMatcher(FORMS)
    expected = [Counter(t for *_, t in plain_matches(FORMS, text)) for text in texts]
    got = matcher.term_counts(texts)
    assert got == expected
    assert [list(c) for c in got] == [list(c) for c in expected]
    assert matcher.count(texts) == [sum(c.values()) for c in expected]


def test_a_matched_text_inside_an_earlier_match_is_placed_after_it():
    # "AI" is matched inside "MAIN" (and refused there: a Latin letter before it), then on
    # its own: the second must be placed after the first, not found again inside MAIN.
    matcher = TermMatcher(FORMS)
    texts = ["MAIN AI", "AI반도체 MAIN, AI", "xAI AI"]
    assert matcher.term_counts(texts) == [Counter({"AI": 1}),
                                          Counter({"AI 반도체": 1, "AI": 1}), Counter({"AI": 1})]
    assert matcher.count(texts) == [1, 2, 1]


def _plain_signals(rules, row) -> tuple[str, tuple, tuple]:
    """Section and place hits per city as the region tagger defined them article by article."""
    bullets = {row["region_bullet"].strip(), row["section"].strip()} - {""}
    categories = _split_values(row["categories"], "|") | bullets
    places = _split_values(row["places"], ",")
    section_hits, place_hits = [], []
    for city in rules.cities:
        b, c = sorted(bullets & city.bullets), sorted(categories & city.categories)
        section_hits.append((b[0] if b else None, c[0] if c else None))
        place_hits.append(tuple(sorted(places & frozenset(city.names + city.places))))
    return row["dateline"].strip(), tuple(section_hits), tuple(place_hits)


def test_section_and_place_hits_equal_the_plain_computation():
    rules = regions.load_region_rules()
    sejong, daejeon = rules.cities[0], rules.cities[1]
    category = sorted(daejeon.categories)[0]
    bullet = sorted(sejong.bullets)[0] if sejong.bullets else "세종"
    rows = [
        {"title": "a", "categories": f"사회>사건_사고|{category}", "places": "대전,유성구, 서울"},
        {"title": "b", "categories": f"{category}| 경제>취업_창업 ", "places": " 세종 ,조치원"},
        {"title": "c", "region_bullet": bullet, "section": "지역", "dateline": " 세종= "},
        {"title": "d", "categories": f"사회>사건_사고|{category}", "places": "대전,유성구, 서울"},
        {"title": "e", "section": category, "places": ""},
        {"title": "f"},
    ]
    articles = to_frame([{"article_id": r["title"], **r} for r in rows])
    texts = ArticleTexts(articles)
    signals = regions._Signals(rules)
    frame = pd.DataFrame({c: getattr(texts, c) for c in ArticleTexts.COLUMNS})
    got = [signals.of(texts, i) for i in range(texts.n)]
    assert got == [_plain_signals(rules, row) for _, row in frame.iterrows()]
    # The cases do hit: a category, places of both cities, a bullet or section.
    assert got[0][1][1][1] == category and "유성구" in got[0][2][1] and "조치원" in got[1][2][0]
    assert got[3] == got[0]


def _blanked_char_by_char(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="세종대왕 ,·x", max_size=20).flatmap(
    lambda text: st.tuples(st.just(text), st.lists(
        st.tuples(st.integers(0, len(text)), st.integers(0, len(text)))
        .map(sorted).map(tuple), max_size=4))))
def test_blanked_spans_are_the_characters_replaced_one_by_one(case):
    text, spans = case
    assert regions._blanked(text, spans) == _blanked_char_by_char(text, spans)
