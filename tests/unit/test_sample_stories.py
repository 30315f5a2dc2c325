"""A few stories of the sample generator, written and rendered without building the corpus.

The whole corpus is regenerated (slowly) by tests/integration/test_sample.py; here single
stories of every kind are checked against what the truth will say about them, and a page of
every layout is read back by the real page parser.
"""

from __future__ import annotations

import random
from datetime import datetime

import pandas as pd
import pytest

from lib.corpus.pages import parse_page
from lib.corpus.schema import normalize_text
from lib.sample import material
from lib.sample.bigkinds import lead_of
from lib.sample.pages import encode_page, render_page
from lib.sample.records import Record, near_duplicate
from lib.sample.stories import (
    NEAR_DUP_MIN_JACCARD,
    SMART_KINDS,
    Distinctness,
    is_conventional_work,
    jaccard,
    shingles,
    write_story,
)
from lib.sample.writing import Writer

WHEN = datetime(2023, 5, 9, 14, 25)
KINDS = [
    ("sejong", "smart"), ("daejeon", "smart"), ("both", "smart"),
    ("sejong", "offtopic"), ("daejeon", "offtopic"), ("both", "offtopic"),
    ("neither", "national_smart"), ("neither", "national_plain"),
    ("neither", "other_smart"), ("neither", "decoy"),
]


def _story(region: str, kind: str, seed: int = 11, number: int = 1):
    return write_story(Writer(random.Random(seed)), number, WHEN, region, kind)


def _text(story) -> str:
    return "\n".join([story.title, *story.paragraphs])


@pytest.mark.parametrize(("region", "kind"), KINDS)
def test_a_story_is_deterministic_per_seed(region, kind) -> None:
    assert _story(region, kind) == _story(region, kind)
    assert _story(region, kind).paragraphs != _story(region, kind, seed=12).paragraphs


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("region", "kind"), KINDS)
def test_a_story_says_what_its_truth_says(region, kind, seed) -> None:
    story = _story(region, kind, seed)
    text = _text(story)
    assert story.region == region and story.kind == kind and story.story_id == "s0001"
    if kind not in SMART_KINDS:
        assert not story.smart_city
    elif not story.smart_city:
        # Drawn as smart-city news but conventional work by the labelling rules.
        assert is_conventional_work(("regeneration_housing",), text), text
    assert len(story.paragraphs) >= 3 and all(p.strip() for p in story.paragraphs)
    assert "{" not in text and "<" not in text and "|" not in text
    if story.smart_city:
        assert 1 <= len(story.topics) <= 3 and set(story.topics) <= set(material.TOPICS)
        primary = material.TOPIC_TEXT[story.topics[0]]
        assert any(term in story.title for term in primary.terms), story.title
    else:
        assert story.topics == ()
    names = {c: material.CITY_NAME[c] for c in material.CITIES}
    if region in names:
        assert names[region] in text
    if region == "both":
        assert all(name in text for name in names.values())
    if kind.startswith("national"):
        assert story.dateline == names["sejong"]
    if kind == "national_plain":
        assert any(cities in text for cities in material.REGION_LISTS)
    if kind == "decoy":
        assert any(word in story.title for word in material.DECOYS), story.title


def test_conventional_regeneration_is_not_smart_city_news() -> None:
    """The labelling rules of real news (tests/fixtures/real_pages.md): conventional urban
    regeneration is not smart-city work, a passing 스마트시티 does not make it so, and a smart
    regeneration or housing project, or a second smart-city topic, does."""
    housing = ("세종 도시재생 뉴딜 공모 선정\n낡은 주택과 빈 점포가 늘던 반곡동에 도시재생 뉴딜 바람이 "
               "불고 있다.\n이번 사업은 스마트시티 정책의 하나로 추진된다.")
    assert is_conventional_work(("regeneration_housing",), housing)
    smart_housing = housing + "\n빈 점포를 고쳐 주민 공유 공간으로 바꾸는 스마트 주거단지 사업도 병행된다."
    assert not is_conventional_work(("regeneration_housing",), smart_housing)
    assert not is_conventional_work(("regeneration_housing", "data_ai"), housing)
    assert not is_conventional_work(("regeneration_housing", "governance_budget"), housing)
    assert not is_conventional_work(("mobility",), housing)
    assert not is_conventional_work((), housing)


def test_written_regeneration_stories_get_the_truth_of_their_text() -> None:
    """Over many drafts of Sejong smart-city news: stories whose truth is not smart-city are all
    conventional regeneration or housing with no smart term in the text; regeneration stories
    that stay smart-city news name smart regeneration or housing work."""
    regen = material.TOPIC_TEXT["regeneration_housing"].terms
    smart_terms = material.CONVENTIONAL_TOPICS["regeneration_housing"]
    demoted = kept = 0
    for seed in range(300):
        story = _story("sejong", "smart", seed)
        text = "\n".join([story.title, story.subtitle, *story.paragraphs, story.caption])
        if not story.smart_city:
            demoted += 1
            assert story.kind == "smart" and story.topics == ()
            assert any(term in story.title for term in regen), story.title
            assert not any(term in text for term in smart_terms), text
        elif story.topics == ("regeneration_housing",):
            kept += 1
            assert any(term in text for term in smart_terms), text
    assert demoted and kept


def test_stories_name_places_as_bigkinds_entities() -> None:
    story = _story("daejeon", "smart", seed=3)
    assert story.places and story.places[0] in _text(story)
    assert all(p in _text(story) for p in story.places)


@pytest.mark.parametrize("layout", material.PAGE_LAYOUTS)
@pytest.mark.parametrize(("region", "kind"), [("sejong", "smart"), ("daejeon", "offtopic"),
                                              ("neither", "national_plain")])
def test_a_rendered_page_parses_back_to_the_story(layout, region, kind) -> None:
    story = _story(region, kind, seed=21)
    spec = material.PAGE_OUTLETS[layout]
    rec = Record(story, "page", spec.outlet, WHEN, story.title, story.paragraphs, "original",
                 layout=layout, reporter=("홍길동", "hong"), nbsp=True, crlf=True)
    data = encode_page(render_page(rec, random.Random(4)), rec)
    parsed = parse_page(normalize_text(data.decode(rec.encoding)))
    assert parsed["title"] == story.title
    assert parsed["outlet"] == spec.outlet
    assert parsed["published"] == pd.Timestamp(WHEN)
    body = parsed["body"]
    assert normalize_text(story.paragraphs[-1]) in body
    assert not any(h in body for h in material.CHROME_HEADLINES)
    assert "무단" not in body


def test_near_duplicates_stay_close_and_distinct_stories_apart() -> None:
    writer = Writer(random.Random(8))
    story = write_story(writer, 1, WHEN, "sejong", "smart")
    copy = near_duplicate(random.Random(2), writer, story)
    assert copy is not None and copy != story.paragraphs
    assert jaccard(shingles("\n".join(story.paragraphs)), shingles("\n".join(copy))) >= NEAR_DUP_MIN_JACCARD
    distinct = Distinctness()
    distinct.add(1, story.title, story.paragraphs)
    assert not distinct.accepts(story.title, story.paragraphs)
    assert not distinct.accepts("다른 제목", copy)
    other = write_story(writer, 2, WHEN, "daejeon", "offtopic")
    assert distinct.accepts(other.title, other.paragraphs)


def test_lead_is_at_most_200_characters() -> None:
    story = _story("sejong", "smart")
    lead = lead_of(story.paragraphs)
    assert len(lead) <= 200 and lead.endswith("..")
    assert lead_of(["짧은 문단."]) == "짧은 문단."
