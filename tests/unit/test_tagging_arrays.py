"""The column-wise matching paths of the taggers against the per-match ones they replace."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.tagging import resources
from lib.tagging.resources import TermMatcher
from tests.unit.test_tagging_fast import _PIECES, FORMS, TEXTS


def _located_per_text(matcher: TermMatcher, texts: list[str]) -> list[list[tuple[int, str]]]:
    """``TermMatcher.located`` on each batch of ``texts`` joined, as ``(offset in its own
    text, matched text)`` per text."""
    out: list[list[tuple[int, str]]] = [[] for _ in texts]
    for first, joined, starts in resources.joined_batches(texts):
        for s, found in zip(*matcher.located(joined)):
            i = max(k for k, start in enumerate(starts) if start <= s)
            out[first + i].append((s - starts[i], found))
    return out


def test_located_gives_the_matches_of_scan():
    matcher = TermMatcher(FORMS)
    expected = [[(s, found) for s, _e, found, _term in hits] for hits in matcher.scan(TEXTS)]
    assert _located_per_text(matcher, TEXTS) == expected
    # Matches a boundary rule turns down are left out (AI in MAIN, 대전환 across a comma).
    assert (1, "AI") not in _located_per_text(matcher, ["MAIN"])[0]
    assert _located_per_text(matcher, ["대전,환경"]) == [[]]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=6))
def test_located_equals_scan_on_random_texts(texts):
    matcher = TermMatcher(FORMS, auto_split=False)
    expected = [[(s, found) for s, _e, found, _term in hits] for hits in matcher.scan(texts)]
    assert _located_per_text(matcher, texts) == expected



@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*_PIECES, ",", "A", "\udcff"]), max_size=12)
                .map("".join), max_size=6),
       st.sampled_from([12, 40, resources.BATCH_CHARS]))
def test_term_counts_on_joined_batches_are_the_counted_terms_of_scan(texts, batch_chars):
    from collections import Counter

    matcher = TermMatcher(FORMS, auto_split=True)
    scanned = matcher.scan(texts)
    expected = [Counter(term for *_, term in hits) for hits in scanned]
    old = resources.BATCH_CHARS
    resources.BATCH_CHARS = batch_chars
    try:
        counts = matcher.term_counts(texts)
        located = _located_per_text(matcher, texts)
    finally:
        resources.BATCH_CHARS = old
    assert counts == expected
    assert [list(c) for c in counts] == [list(c) for c in expected]
    assert located == [[(s, found) for s, _e, found, _term in hits] for hits in scanned]

def test_regions_of_texts_with_lone_surrogates_are_those_of_the_texts_without():
    # Text read with errors="surrogateescape" keeps undecodable bytes as lone surrogates; the
    # region tagger reads characters as code points and must take them like any other.
    import pandas as pd

    from lib.tagging.regions import tag_regions

    def frame(noise: str) -> pd.DataFrame:
        return pd.DataFrame({
            "title": pd.Series([f"대전시 스마트시티 {noise}", "세종 소식"], dtype=object),
            "body": pd.Series([f"세계대전 {noise} 대전시는", f"{noise}세종시가 발표"], dtype=object),
        })

    with_noise = tag_regions(frame("\udc80\ud800"))
    assert with_noise.equals(tag_regions(frame("~~")))
    assert with_noise["region"].tolist() == ["daejeon", "sejong"]
