"""The smart-city model weighs articles in blocks (bounded memory); blocks never change a tag."""

from __future__ import annotations

import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.tagging import topics


def test_block_size_does_not_change_any_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles
    whole = [(r.smart_city, r.topics, r.model_evidence) for r in topics.score_topics(articles)]
    monkeypatch.setattr(topics, "MODEL_BLOCK", 97)
    blocks = [(r.smart_city, r.topics, r.model_evidence) for r in topics.score_topics(articles)]
    assert sum(smart for smart, _, _ in whole) > 100
    assert blocks == whole
