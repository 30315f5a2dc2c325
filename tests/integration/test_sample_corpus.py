"""load_corpus on the bundled synthetic sample, scored against data/sample/truth.json."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import pytest

from lib import paths
from lib.corpus import load_corpus

TRUTH = paths.SAMPLE_DIR / "truth.json"


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.SAMPLE_DIR)


def _key(source_file: str, article_id: str) -> str:
    rel = Path(source_file).relative_to(paths.display_path(paths.SAMPLE_DIR)).as_posix()
    return f"{rel}#{article_id}"


def _pairs(groups: dict[object, list[str]]) -> set[tuple[str, str]]:
    return {
        tuple(sorted(pair))
        for members in groups.values()
        for pair in itertools.combinations(members, 2)
    }


def test_manifest_sums_hold_for_every_file(corpus) -> None:
    m = corpus.manifest
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all()
    read = m[m["format"] != "skipped"]
    assert read["rows_loaded"].sum() == len(corpus.articles)
    assert read["rows_rejected"].sum() == len(corpus.rejects)
    assert set(read["format"]) == {"page", "bigkinds"}
    assert {"utf-8", "utf-8-sig", "cp949"} <= set(read["encoding"])
    # the README and truth.json are not corpus files and are listed as skipped
    assert set(m.loc[m["format"] == "skipped", "source_file"].map(lambda s: Path(s).suffix)) <= {".md", ".json"}


def test_every_loaded_record_is_in_truth_and_back(corpus, truth) -> None:
    loaded = {_key(s, a) for s, a in zip(corpus.articles["source_file"], corpus.articles["article_id"])}
    assert len(loaded) == len(corpus.articles), "a (file, article_id) pair appears twice"
    expected = set(truth["articles"])
    assert loaded - expected == set(), f"loaded but not in truth: {sorted(loaded - expected)[:5]}"
    assert expected - loaded == set(), f"in truth but not loaded: {sorted(expected - loaded)[:5]}"


def test_rejects_match_truth(corpus, truth) -> None:
    got = sorted(
        (Path(s).relative_to(paths.display_path(paths.SAMPLE_DIR)).as_posix(), r)
        for s, r in zip(corpus.rejects["source_file"], corpus.rejects["reason"])
    )
    want = sorted((r["source_file"], r["reason"]) for r in truth["rejects"])
    assert got == want


def test_duplicate_detection_against_truth(corpus, truth) -> None:
    keys = [_key(s, a) for s, a in zip(corpus.articles["source_file"], corpus.articles["article_id"])]
    predicted: dict[object, list[str]] = defaultdict(list)
    for key, group in zip(keys, corpus.articles["dup_group"]):
        predicted[group].append(key)
    expected: dict[object, list[str]] = defaultdict(list)
    for key in keys:
        expected[truth["articles"][key]["dup_group"]].append(key)
    pred_pairs, true_pairs = _pairs(predicted), _pairs(expected)
    hits = len(pred_pairs & true_pairs)
    precision = hits / len(pred_pairs) if pred_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    # One keeper per true group: the flags count matches the truth.
    n_flagged = int(corpus.articles["is_duplicate"].sum())
    n_expected = sum(len(m) - 1 for m in expected.values())
    print(
        f"\nduplicate pairs: precision {precision:.3f}, recall {recall:.3f} "
        f"({hits} of {len(pred_pairs)} predicted, {len(true_pairs)} true); "
        f"flagged {n_flagged}, expected {n_expected}"
    )
    assert len(true_pairs) >= 20, "the sample should plant duplicates"
    assert precision >= 0.95 and recall >= 0.95
    flagged_groups = corpus.articles.groupby("dup_group")["is_duplicate"].agg(["sum", "size"])
    assert (flagged_groups["sum"] == flagged_groups["size"] - 1).all()


def test_no_synthetic_article_points_at_a_real_site(corpus) -> None:
    """The invented BigKinds rows name their outlet's site under the reserved .invalid domain:
    a reader who follows one reaches nothing, not an unrelated real article."""
    from urllib.parse import urlsplit

    urls = corpus.articles.loc[corpus.articles["source_format"] == "bigkinds", "url"].dropna()
    assert len(urls) > 500
    hosts = {urlsplit(u).hostname or "" for u in urls}
    assert all(h.endswith(".invalid") for h in hosts), sorted(h for h in hosts
                                                            if not h.endswith(".invalid"))[:5]
