"""Runs of region names are found with the list regex's body and its look-behind checked
apart (``regions.list_runs``): the same matches as the whole list regex."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.tagging import regions

PIECES = ["세종", "대전", "세종시", "대전광역시", "충남", "서울", "부산", "·", ", ", "/", " 및 ", "와 ",
          "과 ", "시", "도", "총력", "가", "A", " ", "\n", "\n\x00\n", "등"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_list_runs_equal_the_list_regex(pieces: list[str]) -> None:
    rules = regions.load_region_rules()
    text = "".join(pieces)
    expected = [(m.span(), m.group()) for m in rules.list_re.finditer(text)]
    assert [(m.span(), m.group()) for m in regions.list_runs(rules, text)] == expected


def test_a_list_glued_to_a_word_is_skipped_and_the_next_one_found() -> None:
    rules = regions.load_region_rules()
    text = "가세종·대전·충남 그리고 서울·부산·대전"
    runs = [m.group() for m in regions.list_runs(rules, text)]
    assert runs == [m.group() for m in rules.list_re.finditer(text)]
    assert runs[-1] == "서울·부산·대전"
