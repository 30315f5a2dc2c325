"""The short cuts of the taggers and the tag cache against their plain definitions.

Term counts taken straight from the regex pass, the frequency-list test, text columns read as
they are, and topics stored as joined keys: each must give what the plain version gives.
"""

from __future__ import annotations

import operator
from collections import Counter

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.tagging import resources, stage
from lib.tagging.resources import TermMatcher, _text_column
from lib.tagging.topics import _is_frequency_list
from tests.unit.test_tagging_fast import FORMS, TEXTS


def test_term_counts_are_the_counted_terms_of_the_matches(monkeypatch):
    matcher = TermMatcher(FORMS)
    expected = [Counter(term for *_, term in hits) for hits in matcher.scan(TEXTS)]
    counts = matcher.term_counts(TEXTS)
    assert counts == expected
    # In the order first found, as Counter keeps them.
    assert [list(c) for c in counts] == [list(c) for c in expected]
    assert sum(map(len, counts)) >= 14
    monkeypatch.setattr(resources, "BATCH_CHARS", 12)
    assert matcher.term_counts(TEXTS) == expected
    assert matcher.count(TEXTS) == [sum(c.values()) for c in expected]


def _frequency_list_by_definition(tokens: list[str]) -> bool:
    n_distinct = len(set(tokens))
    if len(tokens) == n_distinct:
        return False
    return 1 + sum(map(operator.ne, tokens, tokens[1:])) == n_distinct


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["자율", "주행", "도시", "세종"]), max_size=9))
def test_frequency_list_test_equals_its_definition(tokens):
    assert _is_frequency_list(tokens) == _frequency_list_by_definition(tokens)


def test_frequency_list_examples():
    assert _is_frequency_list(["자율", "자율", "주행", "주행", "도시"])
    assert not _is_frequency_list(["자율", "주행", "자율", "주행"])
    assert not _is_frequency_list(["자율", "주행"])
    assert not _is_frequency_list([])


def test_text_columns_read_as_they_are_equal_the_general_reading():
    frame = pd.DataFrame({"a": ["x", "", "세종"], "b": ["x", None, ""], "c": [1, 0, "y"]})
    for name in ("a", "b", "c"):
        general = [str(v) if v else "" for v in frame[name].tolist()]
        assert _text_column(frame, name) == general
    assert _text_column(frame, "missing") == ["", "", ""]


def test_stored_topics_come_back_as_the_same_tuples():
    topics = [(), ("pilot_city",), ("pilot_city", "mobility"), (), ("data_ai", "mobility"),
              ("pilot_city", "mobility")]
    tags = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(topics))],
                         "region": "neither", "topics": topics})
    table = stage._arrow("tags", tags)
    assert table.column_names[-1] == "topics"
    # Two chunks with dictionaries of their own, as Parquet may give them.
    encoded = pa.chunked_array([table.column("topics").slice(0, 4).combine_chunks()
                                .dictionary_encode(),
                                table.column("topics").slice(4).combine_chunks()
                                .dictionary_encode()])
    back = stage._stored_topics(encoded)
    assert back.tolist() == topics
    assert all(type(t) is tuple for t in back)
    one_chunk = stage._stored_topics(pa.chunked_array([table.column("topics").combine_chunks()
                                                       .dictionary_encode()]))
    assert one_chunk.tolist() == topics
    assert one_chunk[2] is one_chunk[5]  # one tuple per distinct value


def test_topic_tuples_are_checked_once_and_others_converted():
    shared = ("pilot_city", "mobility")
    out = stage._topic_tuples([shared, shared, (), ["pilot_city", "mobility"], None])
    assert out == [shared, shared, (), ("pilot_city", "mobility"), ()]
    assert out[0] is shared and all(type(t) is tuple for t in out)
