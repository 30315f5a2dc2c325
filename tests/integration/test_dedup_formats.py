"""Duplicates across outlets and formats, scored on a fixture set with traps.

tests/fixtures/dedup holds synthetic stories (invented sentences) in real layouts: wire copy and
the regional paper that ran it under its own headline, a rewrite with an added sentence, pages
and the BigKinds rows (200-character leads, one with its dateline) of the same stories, a NewsML
file with a BigKinds identifier, Naver search-API snippets (one under a headline that two pages
share: its text decides which page it belongs to); and traps: two outlets' different stories under one headline on
one day (as pages and as BigKinds rows), undated table rows that share a title but not a
body, and one press-release template told of two cities with two amounts on one day (Sejong's
and Daejeon's stories must stay apart; Daejeon's rerun with an edited sentence joins its own). ``dedup_expected.json`` names each record's story. Pairs of records in one ``dup_group``
are scored against pairs of records of one story.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.corpus import load_corpus

FOLDER = paths.FIXTURES_DIR / "dedup"
EXPECTED = json.loads((paths.FIXTURES_DIR / "dedup_expected.json").read_text(encoding="utf-8"))


def _stories(articles) -> list[str]:
    """The expected story of every loaded article, matched by file and title (in file order)."""
    pending: dict[tuple[str, str], list[str]] = {}
    for case in EXPECTED:
        pending.setdefault((case["file"], case["title"].split("#")[0]), []).append(case["story"])
    stories = []
    for _, row in articles.iterrows():
        key = (Path(row["source_file"]).name, row["title"])
        stories.append(pending[key].pop(0))
    return stories


def test_duplicate_pairs_precision_and_recall() -> None:
    corpus = load_corpus(FOLDER)
    articles = corpus.articles
    assert len(articles) == len(EXPECTED) and corpus.rejects.empty
    stories = _stories(articles)
    groups = articles["dup_group"].tolist()
    truth = {(i, j) for i, j in combinations(range(len(stories)), 2) if stories[i] == stories[j]}
    found = {(i, j) for i, j in combinations(range(len(groups)), 2) if groups[i] == groups[j]}
    precision = len(truth & found) / max(1, len(found))
    recall = len(truth & found) / max(1, len(truth))
    print(
        f"duplicate pairs: precision {precision:.3f}, recall {recall:.3f} ({len(truth)} true pairs)"
    )
    assert precision >= 0.95 and recall >= 0.95, (sorted(found - truth), sorted(truth - found))
    # one keeper per story, and the keeper of a page/BigKinds pair is the full page
    assert articles["is_duplicate"].sum() == len(articles) - len(set(stories))
    kept = articles[~articles["is_duplicate"]]
    assert not kept[kept["title"].isin(["대전 스마트시티 통합운영센터에 영상 분석 기능 추가"])][
        "lead_only"
    ].any()


def test_undated_rows_with_one_title_and_different_bodies_get_their_own_ids() -> None:
    corpus = load_corpus(FOLDER / "undated_table.csv")
    columns = corpus.articles[corpus.articles["title"] == "스마트시티 칼럼"]
    assert columns["article_id"].nunique() == 2 and columns["dup_group"].nunique() == 2


def test_body_keys_made_where_a_file_is_read_give_the_same_groups_and_leave_no_column() -> None:
    from lib.corpus.dedup import BODY_KEY_COLUMNS, find_duplicates, with_body_keys

    articles = load_corpus(FOLDER).articles
    assert not set(BODY_KEY_COLUMNS) & set(articles.columns)
    plain = articles.drop(columns=["dup_group", "is_duplicate"])
    # Keys made in find_duplicates, keys carried by every row, keys carried by only some rows.
    made_here = find_duplicates(plain.copy())
    carried = find_duplicates(with_body_keys(plain.copy()))
    half = pd.concat([with_body_keys(plain.iloc[:5].copy()), plain.iloc[5:]], ignore_index=True)
    partly = find_duplicates(half)
    for other in (carried, partly):
        assert list(other.columns) == list(made_here.columns)
        pd.testing.assert_frame_equal(other, made_here)
    pd.testing.assert_series_equal(made_here["dup_group"], articles["dup_group"])
    # A changed key is used as given: two different bodies with one key are one story.
    forged = with_body_keys(plain.copy())
    full = ~forged["lead_only"].to_numpy(dtype=bool) & (forged[BODY_KEY_COLUMNS[0]].to_numpy() >= 30)
    single = ~made_here["dup_group"].duplicated(keep=False).to_numpy()
    first_single = int(np.flatnonzero(single & full)[0])
    other = int(next(i for i in np.flatnonzero(full)
                     if made_here["dup_group"].iat[i] != made_here["dup_group"].iat[first_single]))
    for column in BODY_KEY_COLUMNS:
        forged.loc[first_single, column] = forged[column].iat[other]
    merged = find_duplicates(forged)
    assert merged["dup_group"].iat[first_single] == merged["dup_group"].iat[other]
