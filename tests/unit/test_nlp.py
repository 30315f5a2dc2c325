"""Tests of lib.tagging.tokens: user dictionary, synonym folding, stopwords, batch tokenize, token cache."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from lib import paths
from lib.tagging import resources as lexicon
from lib.tagging import tokens as nlp
from lib.corpus.schema import to_frame


def _has_batchim(word: str) -> bool:
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return False  # Latin letters read as vowels here (AI = 에이아이)


def _sentences(word: str) -> list[str]:
    """Five contexts: different particles, positions and neighbours."""
    b = _has_batchim(word)
    eun, eul, wa, i_ = ("은", "을", "과", "이") if b else ("는", "를", "와", "가")
    return [
        f"{word}{eun} 올해 가장 큰 관심사다.",
        f"시는 내년까지 {word}{eul} 추진한다고 밝혔다.",
        f"주민들은 {word}에서 열린 설명회에 참석했다.",
        f"전문가들은 {word}{wa} 도시 정책의 관계를 짚었다.",
        f"새로 발표된 계획에 따르면 {word}{i_} 핵심이 될 전망이다.",
    ]


def test_import_is_light():
    """Importing lib.tagging.tokens must not load Kiwi or its model."""
    code = "import sys, lib.tagging.tokens, lib.tagging.regions, lib.tagging.topics; print('kiwipiepy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_get_kiwi_is_shared():
    assert nlp.get_kiwi() is nlp.get_kiwi()


def test_every_user_word_is_one_token_in_five_contexts():
    words = [form for form, _, _ in lexicon.load_user_dict()]
    assert len(words) >= 50
    fold = lexicon.synonym_map()
    sentences, forms = [], []
    for w in words:
        for s in _sentences(w):
            sentences.append(s)
            forms.append(w)
    # Kiwi's own analysis: the word is one morpheme, exactly as written.
    analysed = nlp.get_kiwi().tokenize(sentences)
    split = [
        (s, [t.form for t in toks])
        for s, w, toks in zip(sentences, forms, analysed)
        if w not in [t.form for t in toks]
    ]
    assert not split, f"{len(split)} contexts split a user word, e.g. {split[:3]}"
    # Through lib.tagging.tokens.tokenize: the word survives as its canonical term.
    results = nlp.tokenize(sentences, progress=False)
    lost = [
        (s, toks)
        for s, w, toks in zip(sentences, forms, results)
        if fold.get(lexicon.term_key(w), w) not in [t for t, _ in toks]
    ]
    assert not lost, f"{len(lost)} contexts lost a user word, e.g. {lost[:3]}"


def test_synonyms_fold_onto_one_canonical_term():
    texts = [
        "UAM 실증이 시작됐다.",
        "도심항공모빌리티 실증이 시작됐다.",
        "도심 항공 교통 실증이 시작됐다.",
        "도심항공교통 실증이 시작됐다.",
    ]
    results = nlp.tokenize(texts, progress=False)
    for toks in results:
        assert "도심항공교통" in [t for t, _ in toks], toks
    ai = nlp.tokenize(["인공지능 기술을 도입한다.", "AI 기술을 도입한다."], progress=False)
    assert all("AI" in [t for t, _ in toks] for toks in ai)
    twin = nlp.tokenize(["디지털 트윈을 만든다.", "디지털트윈을 만든다."], progress=False)
    assert all("디지털트윈" in [t for t, _ in toks] for toks in twin)


def test_stopwords_and_function_words_are_dropped():
    (toks,) = nlp.tokenize(
        ["홍길동 기자 = 시는 스마트시티 계획을 발표했다. 무단전재 및 재배포 금지"], progress=False
    )
    terms = [t for t, _ in toks]
    assert "스마트시티" in terms and "계획" in terms
    for stop in ("기자", "무단전재", "재배포", "금지"):
        assert stop not in terms
    assert all(tag in nlp.KEEP_TAGS for _, tag in toks)


def test_tokenize_keeps_order_with_one_or_many_workers():
    texts = [f"{i}번째 문장에서 자율주행 버스와 리빙랩을 다룬다." for i in range(30)]
    texts[7] = "세종시 보람동에서 통합운영센터를 열었다."
    one = nlp.tokenize(texts, workers=1, progress=False)
    many = nlp.tokenize(texts, workers=2, progress=False)
    assert one == many
    assert "통합운영센터" in [t for t, _ in one[7]]


def test_keyword_terms_join_split_compounds():
    terms = nlp.keyword_terms("스마트,시티,국가,시범,도시,자율,주행,18:00~19,기자,버스,UAM")
    assert terms == ["스마트시티", "국가시범도시", "자율주행", "버스", "도심항공교통"]


def _articles():
    return to_frame(
        [
            {
                "article_id": "a1",
                "title": "세종 자율주행 버스",
                "body": "세종시는 자율주행 버스를 "
                "BRT 구간에 투입한다. 자율주행 버스는 보람동까지 간다.",
            },
            {
                "article_id": "a2",
                "title": "대전 디지털 트윈",
                "body": "대전시는 디지털 트윈 플랫폼을 만든다.",
                "captions": "대전시청 전경",
            },
            # the same id again (overlapping BigKinds slices): tokenized once
            {
                "article_id": "a1",
                "title": "세종 자율주행 버스",
                "body": "세종시는 자율주행 버스를 "
                "BRT 구간에 투입한다. 자율주행 버스는 보람동까지 간다.",
            },
            {
                "article_id": "k1",
                "title": "스마트시티 챌린지",
                "body": "대전시는..",
                "keywords": "스마트,시티,챌린지,대전시,리빙,랩,스마트,시티",
                "lead_only": True,
            },
        ]
    )


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Resource copies and an empty cache folder, so tests never touch the real files."""
    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    return res


def test_token_table_counts_terms_per_article(sandbox):
    table = nlp.token_table(_articles(), progress=False)
    assert list(table.columns) == list(nlp.TOKEN_COLUMNS)
    assert table["count"].dtype == "int64"
    assert list(dict.fromkeys(table["article_id"])) == ["a1", "a2", "k1"]
    a1 = table[table.article_id == "a1"].set_index("term")["count"]
    assert a1["자율주행"] == 3 and a1["버스"] == 3
    a2 = table[table.article_id == "a2"].set_index("term")["count"]
    assert a2["디지털트윈"] == 2  # "디지털 트윈" in title and body, joined and counted
    k1 = table[table.article_id == "k1"]
    assert set(k1["tag"]) == {nlp.KEYWORD_TAG}
    k1_counts = k1.set_index("term")["count"]
    # 스마트,시티,챌린지 joins into the longest known form (스마트시티 챌린지 -> 스마트챌린지)
    assert k1_counts["스마트챌린지"] == 1 and k1_counts["스마트시티"] == 1
    assert "리빙랩" in set(k1["term"])
    assert not table.duplicated(["article_id", "term", "tag"]).any()


def test_term_counts_equal_the_token_table_summed_over_tags(sandbox):
    """The keyword rows counted directly give what the table gives, in the same term order."""
    table = nlp.token_table(_articles(), progress=False, cache=False)
    counts = nlp.term_counts(_articles())
    assert set(counts) == {"a1", "a2", "k1"}
    for art_id, part in table.groupby("article_id", sort=False):
        summed = part.groupby("term", sort=False)["count"].sum()
        assert list(counts[art_id].items()) == [(t, int(n)) for t, n in summed.items()], art_id


def test_tokens_of_a_tagged_corpus_reads_its_own_table_or_makes_one(sandbox):
    """Tags made here carry no token table, so ``tokens_of`` tokenizes their articles; tags read
    from the engine's folder carry the one it wrote, which is returned as it is."""
    from lib.tagging.stage import tag_articles

    tags = tag_articles(_articles(), cache=False, workers=1)
    assert tags.tokens is None
    made = nlp.tokens_of(tags, progress=False, cache=False)
    pd.testing.assert_frame_equal(made, nlp.token_table(_articles(), progress=False, cache=False))
    stored = made[made["article_id"] == "a1"]
    tags.tokens = stored
    assert nlp.tokens_of(tags) is stored


def test_token_cache_is_read_back_and_invalidated_by_resource_edits(sandbox):
    arts = _articles()
    first = nlp.token_table(arts, progress=False)
    files = list((paths.CACHE_DIR / "tokens").glob("*.parquet"))
    assert len(files) == 1
    assert not list((paths.CACHE_DIR / "tokens").glob("*.tmp"))

    second = nlp.token_table(arts, progress=False)
    pd.testing.assert_frame_equal(first, second)

    # Prove the second call reads the file: plant a marker row in it.
    planted = pd.concat(
        [
            first,
            pd.DataFrame({"article_id": ["zz"], "term": ["표식"], "tag": ["NNG"], "count": [1]}),
        ],
        ignore_index=True,
    )
    planted.to_parquet(files[0], index=False)
    assert "표식" in set(nlp.token_table(arts, progress=False)["term"])

    # Changed text -> different key -> no marker.
    changed = arts.copy()
    changed.loc[1, "body"] = "대전시는 디지털 트윈 플랫폼을 두 개 만든다."
    assert "표식" not in set(nlp.token_table(changed, progress=False)["term"])

    # Editing a resource file (a new stopword) -> recomputed, and the stopword is gone.
    with open(sandbox / lexicon.STOPWORDS_FILE, "a", encoding="utf-8") as fh:
        fh.write("버스\n")
    third = nlp.token_table(arts, progress=False)
    assert "표식" not in set(third["term"])
    assert "버스" not in set(third["term"])
    assert len(list((paths.CACHE_DIR / "tokens").glob("*.parquet"))) == 3


def test_editing_the_user_dictionary_changes_tokenization(sandbox):
    arts = to_frame([{"article_id": "x", "title": "", "body": "시는 한빛누리다리를 놓는다."}])
    before = set(nlp.token_table(arts, progress=False)["term"])
    assert "한빛누리다리" not in before
    with open(sandbox / lexicon.USER_DICT_FILE, "a", encoding="utf-8") as fh:
        fh.write("한빛누리다리\tNNP\t0\n")
    after = set(nlp.token_table(arts, progress=False)["term"])
    assert "한빛누리다리" in after


def test_token_table_without_cache_writes_nothing(sandbox):
    nlp.token_table(_articles(), cache=False, progress=False)
    assert not (paths.CACHE_DIR / "tokens").exists()


def test_empty_input_gives_empty_table(sandbox):
    table = nlp.token_table(to_frame([]), progress=False)
    assert table.empty and list(table.columns) == list(nlp.TOKEN_COLUMNS)


def _stored_pairs(text_store) -> dict[bytes, list]:
    import json
    import sqlite3

    with sqlite3.connect(text_store) as con:
        return {bytes(k): json.loads(v) for k, v in con.execute("SELECT key, pairs FROM texts")}


def test_a_table_of_other_articles_reads_the_texts_already_read_from_the_store(sandbox):
    arts = _articles()
    nlp.token_table(arts[arts["article_id"] == "a1"], progress=False)
    store = nlp.text_store_path()
    (entry,) = _stored_pairs(store)  # one full text read so far: a1's
    # Prove that the next table, of another set of articles (another table key), reads a1's
    # tokens from the store: plant a marker in its entry.
    import sqlite3

    with sqlite3.connect(store) as con:
        con.execute("UPDATE texts SET pairs = ? WHERE key = ?",
                    ('[["표식", "NNG", 7]]', entry))
    table = nlp.token_table(arts, progress=False)
    a1 = table[table["article_id"] == "a1"]
    assert a1[["term", "tag", "count"]].values.tolist() == [["표식", "NNG", 7]]
    assert len(_stored_pairs(store)) == 2  # a2's text added; k1 is read from its 키워드 list
    # Without the cache the store is neither read nor written.
    fresh = nlp.token_table(arts, progress=False, cache=False)
    assert "표식" not in set(fresh["term"])
    a2 = table["article_id"] == "a2"
    pd.testing.assert_frame_equal(table[a2].reset_index(drop=True),
                                  fresh[fresh["article_id"] == "a2"].reset_index(drop=True))


def test_term_counts_fill_the_store_and_write_no_table(sandbox):
    arts = _articles()
    counts = nlp.term_counts(arts)
    assert not list((paths.CACHE_DIR / "tokens").glob("*.parquet"))
    assert len(_stored_pairs(nlp.text_store_path())) == 2  # a1 and a2, each once
    table = nlp.token_table(arts, progress=False)
    pd.testing.assert_frame_equal(table, nlp.token_table(arts, progress=False, cache=False))
    assert sum(counts["a1"].values()) == table.loc[table["article_id"] == "a1", "count"].sum()


def test_the_store_is_keyed_by_the_resources_too(sandbox):
    arts = _articles()
    nlp.token_table(arts, progress=False)
    with open(sandbox / lexicon.STOPWORDS_FILE, "a", encoding="utf-8") as fh:
        fh.write("플랫폼\n")
    for table in (paths.CACHE_DIR / "tokens").glob("*.parquet"):
        table.unlink()  # the table file is keyed by the resources already; read the store
    assert "플랫폼" not in set(nlp.token_table(arts, progress=False)["term"])
    assert len(_stored_pairs(nlp.text_store_path())) == 4  # both texts, under both versions
