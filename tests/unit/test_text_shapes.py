"""``text_shapes`` (sizes read from code points) and the topic thresholds against the plain
rules they stand for.

The topic tagger takes an article's length from it and, for a keyword list, whether the list
must be split at all: a list of known size has no keyword next to a copy of itself.
"""

from __future__ import annotations

import operator

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.tagging.resources import keyword_tokens, text_shapes

_ITEMS = st.sampled_from(["자율", "주행", "율자", "자자", "AI", "IA", "a", "", " ", "\u3000",
                          "세 종", "\x1c", "\udcff", "가나다", "가다나"])
_LISTS = st.lists(_ITEMS, max_size=8).map(",".join)


def _check(texts: list[str]) -> None:
    n_chars, n_items = text_shapes(texts)
    assert len(n_chars) == len(n_items) == len(texts)
    for text, chars, items in zip(texts, n_chars, n_items, strict=True):
        assert chars == len("".join(text.split()))
        tokens = keyword_tokens(text)
        if items >= 0:
            assert items == len(tokens)
            assert not any(map(operator.eq, tokens, tokens[1:]))
        else:
            # Left to be split only with white space, an empty item or neighbours alike.
            items_ = text.split(",")
            assert (any(c.isspace() for c in text) or "" in items_
                    or any(len(a) == len(b) and a[0] == b[0] and a[-1] == b[-1]
                           and a[len(a) // 2] == b[len(b) // 2]
                           for a, b in zip(items_, items_[1:])))


@settings(max_examples=400, deadline=None)
@given(st.lists(_LISTS, max_size=6))
def test_shapes_are_the_sizes_of_the_split_texts(texts):
    _check(texts)


def test_shapes_of_plain_lists_are_known_and_of_the_others_left_to_split():
    texts = ["자율,주행,도시", "자율,자율,주행", "자율, 주행", "", ",", "자율,,주행", "자율,주행,",
             "도시", "도시"]
    n_chars, n_items = text_shapes(texts)
    assert n_items == [3, -1, -1, -1, -1, -1, -1, 1, 1]
    assert n_chars == [8, 8, 5, 0, 1, 6, 6, 2, 2]
    assert text_shapes([]) == ([], [])


_TOPICS = ("pilot_city", "mobility", "data_ai", "energy_environment")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*_TOPICS, "relevance"]),
                       st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5]), max_size=5),
       st.dictionaries(st.sampled_from(_TOPICS), st.sampled_from([-1.0, 0.0, 1.0, 2.0]),
                       max_size=4))
def test_topics_reaching_their_thresholds_are_those_of_the_plain_rule(scores, thresholds):
    from lib.tagging.topics import _Thresholds

    plain = tuple(k for k in _TOPICS if scores.get(k, 0.0) >= thresholds.get(k, 2.0))
    assert _Thresholds(_TOPICS, thresholds, 2.0).reached(scores) == plain
