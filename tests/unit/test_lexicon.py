"""Tests of lib.tagging.resources: resource files, the term matcher, new-word candidates."""

from __future__ import annotations

import json
import random
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.tagging import resources as lexicon
from lib.corpus.schema import to_frame
from lib.tagging.candidates import extract_candidates
from lib.tagging.resources import TermMatcher
from lib.vocabulary import get_vocabulary


def test_resource_files_load():
    words = lexicon.load_user_dict()
    assert ("스마트시티", "NNG", 0.0) in words
    assert {"기자", "무단전재", "재배포", "제공"} <= lexicon.load_stopwords()
    fold = lexicon.synonym_map()
    assert fold[lexicon.term_key("UAM")] == fold[lexicon.term_key("도심항공모빌리티")] == "도심항공교통"
    assert fold[lexicon.term_key("인공지능")] == "AI"
    assert fold[lexicon.term_key("디지털 트윈")] == "디지털트윈"


def test_fingerprint_changes_with_content(tmp_path):
    res = tmp_path / "res"
    shutil.copytree(paths.RESOURCES_DIR, res)
    before = lexicon.resource_fingerprint(res)
    assert set(before) == {
        "user_dict.tsv",
        "stopwords.txt",
        "topic_lexicon.tsv",
        "topic_thresholds.tsv",
        "regions.toml",
    }
    with open(res / "stopwords.txt", "a", encoding="utf-8") as fh:
        fh.write("추가\n")
    after = lexicon.resource_fingerprint(res)
    assert after["stopwords.txt"] != before["stopwords.txt"]
    assert after["user_dict.tsv"] == before["user_dict.tsv"]


def test_topic_thresholds_cover_known_labels():
    thresholds = lexicon.load_topic_thresholds()
    assert set(thresholds) == set(get_vocabulary().topic_keys)
    assert all(v > 0 for v in thresholds.values())


def test_bad_lexicon_rows_are_reported(tmp_path):
    res = tmp_path / "res"
    res.mkdir()
    (res / "topic_lexicon.tsv").write_text(
        "label\tterm\tsynonyms\tweight\nweather\t비\t\t1\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="unknown label 'weather'"):
        lexicon.load_topic_lexicon(res)
    (res / "topic_lexicon.tsv").write_text(
        "label\tterm\tsynonyms\tweight\nmobility\tBRT\t\t1\ndata_ai\tAI\tBRT\t1\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="listed for both"):
        lexicon.load_topic_lexicon(res)


def _terms(matcher: TermMatcher, text: str) -> list[str]:
    return [h.term for h in matcher.finditer(text)]


def test_matcher_longest_form_and_optional_spaces():
    m = TermMatcher(
        {"스마트시티": "스마트시티", "스마트시티 챌린지": "챌린지", "자율주행": "자율주행"}
    )
    assert _terms(m, "스마트시티 챌린지와 스마트 시티, 자율 주행") == [
        "챌린지",
        "스마트시티",
        "자율주행",
    ]


def test_matcher_keyword_commas_must_align_with_keywords():
    m = TermMatcher({"대전환": "대전환", "국가시범도시": "국가시범도시"})
    assert _terms(m, "대전,환경,국가,시범,도시") == ["국가시범도시"]
    assert _terms(m, "디지털,대전환,추진") == ["대전환"]


def test_matcher_short_hangul_terms_do_not_span_words():
    m = TermMatcher({"수소": "수소"})
    assert _terms(m, "할 수 소비가 늘었다") == []
    assert _terms(m, "수소 버스") == ["수소"]


def test_matcher_latin_boundaries_and_case():
    m = TermMatcher({"AI": "AI", "IoT": "IoT"})
    assert _terms(m, "MAIN AI와 iot, 인공지능AI") == ["AI", "IoT", "AI"]


def _novel_word_corpus(word: str, n: int = 60) -> pd.DataFrame:
    rnd = random.Random(7)
    left = [
        "올해 ",
        "시는 ‘",
        "새로운 (",
        '주민과 함께 "',
        "내년에는 ",
        "구청이 [",
        "대전·",
        "첫 번째 <",
    ]
    right = [
        "을 조성한다.",
        "에서 행사가 열렸다.",
        "의 성과를 알렸다.",
        "과 협력한다.",
        "이 문을 열었다.",
        "은 인기가 많다.",
        "까지 버스가 다닌다.",
        "도 늘어난다.",
    ]
    filler = [
        "교통 문제를 논의했다.",
        "예산을 편성했다.",
        "주민 의견을 들었다.",
        "스마트시티를 만든다.",
    ]
    records = []
    for i in range(n):
        body = " ".join(
            f"{rnd.choice(left)}{word}{rnd.choice(right)} {rnd.choice(filler)}" for _ in range(3)
        )
        records.append({"article_id": f"n{i:03d}", "title": "지역 소식", "body": body})
    return to_frame(records)


def test_extract_candidates_finds_new_words_and_writes_tsv(tmp_path):
    arts = _novel_word_corpus("모빌톡존")
    out = tmp_path / "review" / "candidates.tsv"
    table = extract_candidates(arts, min_count=5, out=out)
    assert list(table.columns) == [
        "term",
        "count",
        "score",
        "pos_score",
        "n_articles",
        "example_ids",
    ]
    row = table[table["term"] == "모빌톡존"]
    assert len(row) == 1
    assert row["count"].iloc[0] >= 100 and row["n_articles"].iloc[0] == 60
    assert row["example_ids"].iloc[0].split("|") == ["n000", "n001", "n002"]
    assert "스마트시티" not in set(table["term"])  # known words are not candidates
    back = pd.read_csv(out, sep="\t", dtype={"example_ids": str})
    assert list(back["term"]) == list(table["term"])


def test_extract_candidates_on_nothing():
    table = extract_candidates(to_frame([]), min_count=5)
    assert table.empty


def test_amounts_years_and_glued_lists_are_not_candidates():
    from lib.tagging.candidates import _NOT_A_TERM

    for junk in ("억원", "2021년", "대전·세종", "5-1생활권"):
        assert _NOT_A_TERM.search(junk), junk
    for term in ("도심항공교통", "과기정통부", "스마트쉼터"):
        assert not _NOT_A_TERM.search(term), term


def _cached_words(root: Path) -> list[Path]:
    return sorted((root / "candidates").glob("*/words.json"))


def test_the_word_extraction_is_cached_and_keyed_by_the_texts(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    arts = _novel_word_corpus("모빌톡존")
    first = extract_candidates(arts, min_count=5)
    (entry,) = _cached_words(paths.CACHE_DIR)
    # Prove that a rerun reads the entry: plant a word in it.
    rows = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps([*rows, ["표식어", 0.9, 999, 0.8]], ensure_ascii=False),
                     encoding="utf-8")
    again = extract_candidates(arts, min_count=5)
    assert again.loc[again["term"] == "표식어", "count"].tolist() == [999]
    pd.testing.assert_frame_equal(again[again["term"] != "표식어"].reset_index(drop=True), first)
    # Other texts or other options: another key, the extraction runs again.
    changed = arts.copy()
    changed.loc[0, "body"] = "주민 의견을 들었다."
    assert "표식어" not in set(extract_candidates(changed, min_count=5)["term"])
    assert "표식어" not in set(extract_candidates(arts, min_count=6)["term"])
    assert len(_cached_words(paths.CACHE_DIR)) == 3
    # Without the cache nothing is read or written.
    pd.testing.assert_frame_equal(extract_candidates(arts, min_count=5, cache=False), first)
    assert len(_cached_words(paths.CACHE_DIR)) == 3


def test_a_damaged_word_cache_is_reported_once_and_made_again(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    arts = _novel_word_corpus("모빌톡존")
    first = extract_candidates(arts, min_count=5)
    (entry,) = _cached_words(paths.CACHE_DIR)
    entry.write_text('[["모빌톡존", 0.5]]', encoding="utf-8")  # rows of the wrong shape
    with pytest.warns(UserWarning, match="damaged"):
        rebuilt = extract_candidates(arts, min_count=5)
    pd.testing.assert_frame_equal(rebuilt, first)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pd.testing.assert_frame_equal(extract_candidates(arts, min_count=5), first)
