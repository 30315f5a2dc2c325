"""Duplicates among templated reports: one template told with other numbers is other stories.

A family of templated reports (a daily air-quality or case-count story) is compared pair by pair
through the numbers it changes (``_numbers_swapped``), not by aligning words; these tests hold
that shortcut to the word alignment it stands for (``_facts_differ``). All texts are synthetic.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.corpus.dedup import (
    _facts_differ,
    _numbers_swapped,
    _template_signature,
    find_duplicates,
)
from lib.corpus.schema import to_frame

WORDS = ["세종시는", "대기질", "측정소", "자료를", "종합해", "발표했다.", "시민들에게", "마스크",
         "착용을", "권고했다.", "농도가", "보통", "수준이다.", "오후에는", "오를", "전망이다."]
UNITS = ["", "일", "㎍/㎥로", "곳의", "%", "명"]
#: A template: words, and number slots (their unit) where a number goes.
template_strategy = st.lists(st.one_of(st.sampled_from(WORDS).map(lambda w: ("word", w)),
                                       st.sampled_from(UNITS).map(lambda u: ("number", u))),
                             min_size=4, max_size=40)


@st.composite
def template_pair(draw: st.DrawFn) -> tuple[str, str]:
    """Two bodies of one template: the same words, each number slot filled twice (often alike).

    Each slot draws from numbers of its own, so no number word recurs elsewhere in the bodies
    and aligning words can only pair a slot with itself."""
    first, second = [], []
    for slot, (kind, text) in enumerate(draw(template_strategy)):
        if kind == "word":
            first.append(text)
            second.append(text)
            continue
        number = st.integers(1000 * (slot + 1), 1000 * (slot + 1) + 9)
        a = draw(number)
        first.append(f"{a}{text}")
        second.append(f"{a if draw(st.booleans()) else draw(number)}{text}")
    return " ".join(first), " ".join(second)


@settings(max_examples=300, deadline=None)
@given(pair=template_pair())
def test_number_swaps_are_judged_as_the_word_alignment_judges_them(pair: tuple[str, str]) -> None:
    a, b = pair
    swapped = _numbers_swapped(_template_signature(a), _template_signature(b))
    assert swapped is not None  # one template: settled without aligning words
    assert swapped == _facts_differ(a, b)


def test_bodies_that_differ_in_other_words_are_left_to_the_alignment() -> None:
    sign = _template_signature
    assert _numbers_swapped(sign("세종시는 3곳에 설치"), sign("대전시는 3곳에 설치")) is None
    assert _numbers_swapped(sign("세종시는 3곳에 설치"), sign("세종시는 3명에 설치")) is None
    assert _numbers_swapped(sign("세종시는 3곳에 설치"), sign("세종시는 3곳에 설치 완료")) is None
    assert _numbers_swapped(sign("세종시는 3곳에 설치"), sign("세종시는  3곳에\n설치")) is False


def test_a_number_word_that_recurs_is_compared_in_place() -> None:
    """Where a number recurs, aligning words may pair it with its other occurrence and read a
    deletion and an insertion; compared in place, the first number changed: a fact."""
    a, b = "세종시는 오늘 0 0", "세종시는 오늘 1 0"
    assert _numbers_swapped(_template_signature(a), _template_signature(b)) is True
    many = " ".join(f"{k}곳" for k in range(12))
    changed = " ".join(f"{k + 100}곳" for k in range(12))  # twelve numbers at once: a rewrite
    assert _numbers_swapped(_template_signature(many), _template_signature(changed)) is False
    assert _facts_differ(many, changed) is False



def test_changes_inside_runs_of_numbers_count_as_separate_swaps() -> None:
    """Eight runs of three number words: changing the outer two of each makes sixteen swaps,
    a rewrite rather than a template told with other numbers; changing the middle one of
    each, eight swaps: other facts."""
    def body(numbers: list[int]) -> str:
        runs = [" ".join(f"{n}명" for n in numbers[3 * r: 3 * r + 3]) for r in range(8)]
        return " 그리고 ".join(runs)

    base = [100 * k for k in range(24)]
    outer = [n + 1 if k % 3 != 1 else n for k, n in enumerate(base)]
    middle = [n + 1 if k % 3 == 1 else n for k, n in enumerate(base)]
    for other, expected in ((outer, False), (middle, True)):
        a, b = body(base), body(other)
        assert _numbers_swapped(_template_signature(a), _template_signature(b)) is expected
        assert _facts_differ(a, b) is expected


_FIXED = ("시는 측정소 자료를 종합해 매일 발표하고 있으며 시민들에게 외출 시 마스크 착용을 권고했다. "
          "노약자와 어린이는 실외 활동을 줄이고 귀가 후에는 손을 씻어야 한다고 당부했다. "
          "관계자는 대기질 정보를 신속하게 알리고 취약계층 보호 대책을 강화하겠다고 말했다. ") * 3


def _report(day: int, morning: int, evening: int) -> str:
    return (f"세종시는 {day}일 오전 관내 미세먼지 농도가 {morning}㎍/㎥로 보통 수준이라고 밝혔다. "
            f"{_FIXED}오후에는 농도가 {evening}㎍/㎥까지 오를 것으로 예상된다.")


def test_a_family_of_daily_reports_stays_apart_and_its_copies_join() -> None:
    """SYNTHETIC: 120 daily reports of one template with other numbers are 120 stories; a copy of
    one report printed under a dateline joins its original."""
    rows = [{"article_id": f"r{d}", "title": f"세종 대기질 {d}일", "body": _report(d, 20 + d % 50, 30 + d % 40),
             "published": pd.Timestamp("2024-01-01") + pd.Timedelta(days=d)} for d in range(120)]
    rows.append({"article_id": "copy", "title": "세종 대기질 소식", "published": rows[7]["published"],
                 "body": "(세종=뉴스1) 홍길동 기자 = " + rows[7]["body"]})
    out = find_duplicates(to_frame(rows))
    groups = out.set_index("article_id")["dup_group"]
    assert groups.loc[[f"r{d}" for d in range(120)]].is_unique
    assert groups["copy"] == groups["r7"]
    assert int(out["is_duplicate"].sum()) == 1
