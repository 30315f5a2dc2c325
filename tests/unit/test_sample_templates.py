"""The sample generator's template files (lib/sample/templates/) and the text filling of lib.sample.

These check the data, not the generated corpus: a typo in a slot name, an unbalanced
``<a|b>`` or a topic without templates fails here in milliseconds instead of halfway through
``make sample``.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections import Counter
from datetime import datetime

import pytest

from lib.sample import material
from lib.sample.material import TemplateError, per_topic, read_template, required
from lib.sample.text import attach, fill, vary
from lib.sample.writing import Writer
from lib.vocabulary import get_vocabulary

TEMPLATE_FILES = sorted(material.TEMPLATES_DIR.iterdir())
WHEN = datetime(2022, 5, 17, 10, 30)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _toml(name: str) -> dict:
    return tomllib.loads((material.TEMPLATES_DIR / name).read_text(encoding="utf-8"))


def _slots(region: str, *, topic: str | None = None, **extra: str) -> dict[str, str]:
    """The slots a writer fills for a story of ``region`` (plus the extras a story kind adds)."""
    return {**Writer(random.Random(5)).slots(region, WHEN, topic=topic), **extra}


# --- the files ----------------------------------------------------------------------------------


def test_every_template_file_says_it_is_synthetic() -> None:
    assert {p.name for p in TEMPLATE_FILES} >= {"smart_city.toml", "plan.toml", "sample_readme.md.tmpl"}
    for path in TEMPLATE_FILES:
        head = path.read_text(encoding="utf-8")[:200]
        assert "SYNTHETIC" in head.upper(), path.name


def test_topic_templates_cover_the_vocabulary() -> None:
    assert material.TOPICS == get_vocabulary().topic_keys
    assert tuple(material.TOPIC_TEXT) == material.TOPICS
    for topic, text in material.TOPIC_TEXT.items():
        # A story takes two different terms; titles and leads name one; a second topic needs a
        # detail sentence that names its term.
        assert len(set(text.terms)) >= 2, topic
        assert all("{term" in t for t in (*text.titles, *text.leads)), topic
        assert any("{term" in t for t in text.details), topic
        assert text.quotes and text.closers, topic


def test_a_missing_topic_is_an_error_naming_the_file() -> None:
    table = {t: 1.0 for t in material.TOPICS[1:]} | {"teleportation": 1.0}
    with pytest.raises(TemplateError, match=r"plan\.toml.*missing \['pilot_city'\].*teleportation"):
        per_topic("plan.toml", table, "[base_weights.sejong]")


def test_a_missing_entry_or_file_is_an_error_naming_the_file() -> None:
    places = read_template("places.toml")
    with pytest.raises(TemplateError, match=r"templates/places\.toml.*'stadiums'"), required("places.toml"):
        places["sejong"]["stadiums"]
    with pytest.raises(TemplateError, match=r"templates/nowhere\.toml"):
        read_template("nowhere.toml")


@pytest.mark.parametrize("name", ["smart_city.toml", "offtopic.toml", "national.toml", "decoys.toml"])
def test_alternatives_and_particles_are_well_formed(name) -> None:
    for text in _strings(_toml(name)):
        assert text.count("<") == text.count(">"), text
        for choice in re.findall(r"<([^<>]*)>", text):
            assert "|" in choice and "" not in choice.split("|"), text
        for _slot, particle in re.findall(r"\{(\w+)(?:\|(\w+))?\}", text):
            assert particle in ("", "은", "는", "이", "가", "을", "를", "과", "와", "으로", "로", "이라"), text
        assert not _misplaced_particles(text), text


_LITERAL_PARTICLE = re.compile(r"(\}|<([^<>]*)>)(은|는|이|가|을|를|과|와|으로|로)(?=[\s,.…]|$)")


def _misplaced_particles(text: str) -> list[str]:
    """Particles written after a slot (right for some fillings only: "{place}는" gives 용문동는;
    slots take ``{slot|는}``) or after a choice one of whose alternatives takes the other form."""
    return [m.group(0) for m in _LITERAL_PARTICLE.finditer(text)
            if m.group(1) == "}" or any(attach(alt, m.group(3)) != alt + m.group(3)
                                        for alt in m.group(2).split("|"))]


def test_a_particle_that_fits_only_some_fillings_is_caught() -> None:
    for text in ("대학과 연구기관이 밀집한 {place}는 기술", "<지난달|지난 분기>와 비교하면",
                 "{place}, {term}로 다시 뛴다"):
        assert _misplaced_particles(text), text
    for text in ("{place|는} 기술", "<지난달과|지난 분기와> 비교하면", "{place}에 설치",
                 "{term}들은", "{n}일 열렸다", "{city}, {term|로} 재난", "<세부 지침|후속 대책>을 내놓을"):
        assert not _misplaced_particles(text), text


def test_smart_city_templates_fill_from_a_writers_slots() -> None:
    for topic, text in material.TOPIC_TEXT.items():
        slots = _slots("sejong", topic=topic, region_list="대전·세종·충남 등 17개 시도")
        for template in (*text.titles, *text.leads, *text.details, *text.closers,
                         *material.SMART_SUBTITLES, *material.CONTEXT_SENTENCES,
                         *material.SMART_CAPTIONS, material.OTHER_CITY_SIMILAR):
            assert "{" not in fill(template, slots), template
    frame_slots = {"person": "김민준", "role": "세종시 교통과장", "quote": "a", "quote2": "b"}
    for frame in material.QUOTE_FRAMES:
        assert "{" not in fill(frame, frame_slots)


def test_other_story_templates_fill_without_topic_terms() -> None:
    local = _slots("daejeon", team="대전하나시티즌")
    for kind, text in material.OFFTOPIC.items():
        for template in (*text.titles, *text.sentences, *text.smartish):
            assert "{" not in fill(template, local), (kind, template)
    for template in (*material.PLAIN_CONTEXT, material.OFFTOPIC_CAPTION, material.CITY_OPENER,
                     material.BOTH_OPENER):
        assert "{" not in fill(template, local), template
    decoy = _slots("neither", other="부산", team="FC서울")
    for word, spec in material.DECOYS.items():
        assert spec.kind in material.OFFTOPIC, word
        assert all(word in t for t in spec.titles), word
        for template in (*spec.titles, *spec.sentences):
            assert "{" not in fill(template, decoy), template
    national = _slots("neither", topic="data_ai", ministry="국토교통부", ministry_short="국토부",
                      region_list="부산, 대구, 대전, 세종, 광주 등 전국 8개 도시")
    for template in (*material.NATIONAL_SMART_TITLES, *material.NATIONAL_SMART_LEADS,
                     *material.NATIONAL_SMART_DETAILS, *material.NATIONAL_PLAIN_TITLES,
                     *material.NATIONAL_PLAIN_SENTENCES, *material.NATIONAL_EXTRA):
        assert "{" not in fill(template, national), template


def test_outlets_and_plan_are_consistent() -> None:
    assert set(material.PAGE_OUTLETS) == set(_toml("outlets.toml")["pages"])
    assert material.REGIONAL_LAYOUTS and len(material.REGIONAL_LAYOUTS) < len(material.PAGE_LAYOUTS)
    for kind in ("smart", *material.OFFTOPIC_KINDS, "national", "decoy"):
        assert material.SECTIONS[kind] and material.CATEGORIES[kind], kind
    for region in material.REGIONS:
        assert sum(p for _, p in material.REGION_CATEGORY_P[region]) < 1
        assert all(c != "지역>세종" for c, _ in material.REGION_CATEGORY_P[region])
    codes = [code for code, _ in material.BIGKINDS_OUTLETS.values()]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"\d{8}", c) for c in codes)
    plan = _toml("plan.toml")
    assert {row["region"] for row in plan["quarter_plan"]} == set(material.REGIONS)


# --- filling --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "particle", "expected"),
    [
        ("세종시", "은", "세종시는"),
        ("유성구", "이", "유성구가"),
        ("조치원읍", "은", "조치원읍은"),
        ("도심항공교통(UAM)", "을", "도심항공교통(UAM)을"),
        ("BRT", "은", "BRT는"),
        ("서울", "으로", "서울로"),
        ("보람동", "으로", "보람동으로"),
        ("스마트 주차", "과", "스마트 주차와"),
        ("2023", "이", "2023이"),
        ("2025", "를", "2025를"),
    ],
)
def test_particles_follow_the_last_sound(word, particle, expected) -> None:
    assert attach(word, particle) == expected


def test_fill_and_vary() -> None:
    assert fill("{subj|은} {n}곳에 {term|을} 둔다", {"subj": "대전시", "n": "3", "term": "BRT"}) == (
        "대전시는 3곳에 BRT를 둔다"
    )
    with pytest.raises(KeyError):
        fill("{nowhere}", {})
    rng = random.Random(0)
    seen = Counter(vary("<가|나|다> 그리고 <라|마>", rng) for _ in range(300))
    assert set(seen) == {f"{a} 그리고 {b}" for a in "가나다" for b in "라마"}
