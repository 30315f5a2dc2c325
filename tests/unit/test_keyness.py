"""Keyness (weighted log-odds with an informative Dirichlet prior) and term trends.

Token tables here are written by hand (invented terms), so the tests need no Kiwi.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import paths
from lib.analysis import keyness as kn
from lib.corpus.schema import to_frame
from lib.vocabulary import get_vocabulary

THREE_CITIES = '''version = "test"
compare = ["gamma", "alpha"]
[scoring]
min_points = 2.0
[cities.alpha]
label = "알파"
names = ["알파시", "알파"]
places = ["알파동", "알파 북구", "알파호수공원"]
ambiguous_places = ["행운동"]
datelines = ["알파"]
[cities.beta]
label = "베타"
names = ["베타시", "베타"]
places = ["베타읍"]
datelines = ["베타"]
[cities.gamma]
label = "감마"
names = ["감마광역시", "감마"]
places = ["감마해변"]
datelines = ["감마"]
'''


def tokens_of(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    """A token table from ``{article_id: {term: count}}``."""
    out = [(a, t, "NNG", n) for a, terms in rows.items() for t, n in terms.items()]
    return pd.DataFrame(out, columns=["article_id", "term", "tag", "count"])


def closed_form(y_a: float, y_b: float, n_a: float, n_b: float, a_w: float, a_0: float,
                size_a: float, size_b: float):
    """Monroe, Colaresi & Quinn (2008)'s log-odds with its prior, and the two-proportion
    score z of ``y_a`` of ``size_a`` against ``y_b`` of ``size_b``, written out for one term."""
    delta = (math.log((y_a + a_w) / (n_a + a_0 - y_a - a_w))
             - math.log((y_b + a_w) / (n_b + a_0 - y_b - a_w)))
    p = (y_a + y_b) / (size_a + size_b)
    z = (y_a / size_a - y_b / size_b) / math.sqrt(p * (1 - p) * (1 / size_a + 1 / size_b))
    return delta, z


def test_log_odds_matches_the_closed_form() -> None:
    a = pd.Series({"x": 10, "y": 2, "z": 5})
    b = pd.Series({"x": 3, "y": 8, "w": 4})
    pooled = {"x": 13, "y": 10, "z": 5, "w": 4}
    a_0 = 2.0 * len(pooled)  # prior_weight pseudo-counts per term
    for totals in (None, (30, 20)):
        got = kn.log_odds_dirichlet(a, b, prior_weight=2.0, totals=totals)
        size_a, size_b = totals or (17, 15)
        for term, y_w in pooled.items():
            delta, z = closed_form(a.get(term, 0), b.get(term, 0), 17, 15,
                                   a_0 * y_w / sum(pooled.values()), a_0, size_a, size_b)
            assert got.loc[term, "log_odds"] == pytest.approx(delta, rel=1e-12)
            assert got.loc[term, "z"] == pytest.approx(z, rel=1e-12)
    assert got.loc["w", "n_a"] == 0 and got.loc["w", "n_b"] == 4


def test_z_is_standard_normal_when_the_groups_do_not_differ() -> None:
    """400 against 400 articles drawn alike, 2,000 terms as rare as a news vocabulary's: the
    z of the terms kept (in at least 3 articles) spreads as a unit normal and 5% of them pass
    1.96 either way. (A prior of the pooled counts gave a spread of 0.56 and 0.01%.)"""
    rng = np.random.default_rng(11)
    rates = np.clip(rng.pareto(1.2, 2000) * 0.01, 0.005, 0.6)
    zs = []
    for _ in range(10):
        y_a, y_b = rng.binomial(400, rates), rng.binomial(400, rates)
        got = kn.log_odds_dirichlet(pd.Series(y_a), pd.Series(y_b), totals=(400, 400))
        zs.append(got.loc[(y_a + y_b) >= 3, "z"].to_numpy())
    z = np.concatenate(zs)
    assert 0.85 <= z.std() <= 1.15
    assert 0.02 <= np.mean(np.abs(z) > 1.96) <= 0.09


def test_a_term_in_one_group_only_gets_a_large_z() -> None:
    """8 articles of 400 against none: a clear difference (exact p 0.008), which a z of the
    shrunk log-odds over its standard error would read as below 1."""
    got = kn.log_odds_dirichlet(pd.Series({"new": 8, "common": 100}),
                                pd.Series({"new": 0, "common": 100}), totals=(400, 400))
    assert got.loc["new", "z"] > 2.5 and got.loc["new", "log_odds"] > 0
    assert got.loc["common", "z"] == pytest.approx(0.0)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(list("abcdefgh")), st.integers(0, 40), min_size=2),
       st.dictionaries(st.sampled_from(list("abcdefgh")), st.integers(0, 40), min_size=2),
       st.floats(0.1, 5.0))
def test_log_odds_is_antisymmetric(ca: dict, cb: dict, weight: float) -> None:
    a, b = pd.Series(ca, dtype=float), pd.Series(cb, dtype=float)
    if a.sum() == 0 or b.sum() == 0:
        return
    ab = kn.log_odds_dirichlet(a, b, prior_weight=weight)
    ba = kn.log_odds_dirichlet(b, a, prior_weight=weight).reindex(ab.index)
    ok = (ab["n_a"] + ab["n_b"]) > 0
    np.testing.assert_allclose(ab.loc[ok, "log_odds"], -ba.loc[ok, "log_odds"], atol=1e-12)
    np.testing.assert_allclose(ab.loc[ok, "z"], -ba.loc[ok, "z"], atol=1e-12)


def _two_group_tokens() -> tuple[pd.DataFrame, pd.Series]:
    rows, groups = {}, {}
    for i in range(20):
        rows[f"a{i}"] = {"자율주행": 2, "공통어": 1, **({"드론": 1} if i < 3 else {})}
        groups[f"a{i}"] = "g1"
        rows[f"b{i}"] = {"리빙랩": 2, "공통어": 1, **({"드론": 1} if i < 3 else {})}
        groups[f"b{i}"] = "g2"
    rows["c0"] = {"자율주행": 50}
    groups["c0"] = "elsewhere"
    return tokens_of(rows), pd.Series(groups)


def test_keyness_swaps_sign_when_the_groups_swap() -> None:
    tokens, groups = _two_group_tokens()
    terms = kn.analysis_terms(tokens, exclude=())
    ab = kn.keyness(terms, groups, ("g1", "g2"), min_count=1)
    ba = kn.keyness(terms, groups, ("g2", "g1"), min_count=1)
    assert list(ab.columns) == list(kn.KEYNESS_COLUMNS)
    assert len(ab) == 2 * ab["term"].nunique()
    merged = ab.merge(ba, on=["term", "group"], suffixes=("_ab", "_ba"))
    assert len(merged) == len(ab)
    np.testing.assert_allclose(merged["log_odds_ab"], merged["log_odds_ba"])
    # Within one result the two groups' rows are mirror images.
    wide = ab.pivot(index="term", columns="group", values="z")
    np.testing.assert_allclose(wide["g1"], -wide["g2"])
    top = ab.groupby("group").head(1).set_index("group")["term"]
    assert top["g1"] == "자율주행" and top["g2"] == "리빙랩"
    even = ab[ab["term"].isin(["공통어", "드론"])]
    assert np.allclose(even["log_odds"], 0.0) and np.allclose(even["z"], 0.0)
    # The article of a third group does not count.
    row = ab[(ab["term"] == "자율주행") & (ab["group"] == "g1")].iloc[0]
    assert (row["n_group"], row["n_other"], row["docs_group"], row["docs_other"]) == (40, 0, 20, 0)
    assert ab.attrs["n_articles"] == {"g1": 20, "g2": 20}
    # the effect size: the share of each group's articles using the term (20 of 20, 0 of 20)
    assert (row["share_group"], row["share_other"]) == (1.0, 0.0)
    mirrored = ab[(ab["term"] == "자율주행") & (ab["group"] == "g2")].iloc[0]
    assert (mirrored["share_group"], mirrored["share_other"]) == (0.0, 1.0)


def test_keyness_drops_rare_terms_and_refuses_one_group() -> None:
    tokens, groups = _two_group_tokens()
    terms = kn.analysis_terms(tokens, exclude=())
    out = kn.keyness(terms, groups, ("g1", "g2"), min_count=7)
    assert "드론" not in set(out["term"]) and "자율주행" in set(out["term"])
    with pytest.raises(ValueError):
        kn.keyness(terms, groups, ("g1", "g1"))


def test_excluded_terms_hold_every_city_of_the_regions_file(tmp_path: Path) -> None:
    file = tmp_path / "regions.toml"
    file.write_text(THREE_CITIES, encoding="utf-8")
    drop = kn.excluded_terms(regions_file=file)
    for term in ("알파", "알파시", "알파동", "알파호수공원", "북구", "행운동", "베타읍", "베타", "감마해변",
                 "감마광역시"):
        assert term in drop, term
    assert "기자" in drop  # news stopwords (stopwords.txt)
    assert "광역시" in drop  # analysis stopwords
    assert "자율주행" not in drop and "호수공원" not in drop


def test_analysis_terms_drops_places_and_fragments() -> None:
    tokens = tokens_of({"x": {"자율주행": 2, "동": 3, "AI": 1, "세종": 4, "U": 2, "7": 1}})
    tokens = pd.concat([tokens, tokens_of({"x": {"자율주행": 1}}).assign(tag="KW")])
    out = kn.analysis_terms(tokens, exclude={"세종"})
    got = dict(zip(out["term"], out["count"]))
    assert got == {"자율주행": 3, "AI": 1}


def _tagged(rows: list[tuple[str, str | None, str, bool, bool]]) -> pd.DataFrame:
    """Articles from ``(article_id, published, region, smart_city, is_duplicate)``."""
    frame = to_frame([{"article_id": a, "title": a, "published": p, "is_duplicate": d}
                      for a, p, _, _, d in rows])
    frame["region"] = [r[2] for r in rows]
    frame["smart_city"] = [r[3] for r in rows]
    frame["topics"] = [()] * len(rows)
    return frame


def test_city_keyness_compares_the_vocabulary_pair_and_leaves_places_out() -> None:
    a, b = get_vocabulary().compare
    other = [k for k in get_vocabulary().region_keys if k not in (a, b)][0]
    place_a = get_vocabulary().region_label(a)
    rows, tok = [], {}
    for i in range(10):
        rows += [(f"a{i}", "2021-03-01", a, True, False), (f"b{i}", "2021-03-01", b, True, False),
                 (f"o{i}", "2021-03-01", other, True, False)]
        tok[f"a{i}"] = {"자율주행": 1, place_a: 3}
        tok[f"b{i}"] = {"리빙랩": 1}
        tok[f"o{i}"] = {"리빙랩": 5}
    rows += [("dup", "2021-03-01", a, True, True), ("off", "2021-03-01", a, False, False)]
    tok["dup"] = {"리빙랩": 9}
    tok["off"] = {"리빙랩": 9}
    out = kn.city_keyness(_tagged(rows), tokens_of(tok), min_count=1)
    assert out.attrs["pair"] == (a, b)
    assert place_a not in set(out["term"])
    row = out[(out["term"] == "리빙랩") & (out["group"] == a)].iloc[0]
    assert row["n_group"] == 0 and row["n_other"] == 10  # duplicate, off-topic, other region out
    assert out.attrs["n_articles"] == {a: 10, b: 10}


def test_city_keyness_follows_a_three_city_file(tmp_path: Path, monkeypatch) -> None:
    file = tmp_path / "regions.toml"
    file.write_text(THREE_CITIES, encoding="utf-8")
    monkeypatch.setenv(paths.REGIONS_ENV, str(file))
    rows, tok = [], {}
    for i in range(6):
        for city, term in (("alpha", "셔틀"), ("beta", "수소"), ("gamma", "드론")):
            rows.append((f"{city}{i}", "2022-01-05", city, True, False))
            tok[f"{city}{i}"] = {term: 1, "감마해변": 2, "공통": 1}
    out = kn.city_keyness(_tagged(rows), tokens_of(tok), min_count=1)
    assert out.attrs["pair"] == ("gamma", "alpha")
    assert set(out["group"]) == {"gamma", "alpha"}
    assert "감마해변" not in set(out["term"]) and "수소" not in set(out["term"])
    assert out.iloc[0]["term"] == "드론" and out.iloc[0]["group"] == "gamma"


def test_period_keyness_names_its_groups_by_month() -> None:
    a = get_vocabulary().compare[0]
    rows, tok = [], {}
    for i in range(8):
        rows += [(f"e{i}", f"2019-0{1 + i % 6}-10", a, True, False),
                 (f"l{i}", f"2023-0{1 + i % 6}-10", a, True, False)]
        tok[f"e{i}"], tok[f"l{i}"] = {"시범도시": 2}, {"도심항공교통": 2}
    rows.append(("undated", None, a, True, False))
    tok["undated"] = {"시범도시": 50}
    out = kn.period_keyness(_tagged(rows), tokens_of(tok), split="2022-01-01", min_count=1)
    early, late = out.attrs["pair"]
    assert early == "2019-01~2019-06" and late == "2023-01~2023-06"
    first = out.groupby("group").head(1).set_index("group")["term"]
    assert first[early] == "시범도시" and first[late] == "도심항공교통"
    assert out[(out["term"] == "시범도시") & (out["group"] == early)]["n_group"].item() == 16


def test_term_trends_counts_documents_with_wilson_intervals() -> None:
    a, b = get_vocabulary().compare
    rows, tok = [], {}
    for i in range(12):
        rows.append((f"a{i}", "2021-02-01", a, True, False))
        tok[f"a{i}"] = {"드론": 3} if i < 3 else {"기타": 1}
    for i in range(4):
        rows.append((f"b{i}", "2023-05-01", b, True, False))
        tok[f"b{i}"] = {"드론": 1}
    out = kn.term_trends(_tagged(rows), tokens_of(tok), ["드론", "없는말"], freq="YS", min_n=5)
    assert list(out.columns) == list(kn.TERM_TREND_COLUMNS)
    # 3 years x 2 cities x 2 terms, every bin present.
    assert len(out) == 3 * 2 * 2
    assert (out["n_docs"] <= out["n_total"]).all()
    row = out[(out["region"] == a) & (out["term"] == "드론") & (out["period"] == "2021-01-01")]
    row = row.iloc[0]
    assert (row["n_docs"], row["n_total"], row["share"]) == (3, 12, 0.25)
    assert row["ci_low"] < 0.25 < row["ci_high"]
    small = out[(out["region"] == b) & (out["period"] == "2023-01-01")]
    assert small["too_few"].all() and small["share"].isna().all()
    empty = out[out["period"] == "2022-01-01"]
    assert (empty["n_total"] == 0).all() and empty["share"].isna().all()
    table = kn.term_trend_table(out)
    assert table.loc["2021"].iloc[0].endswith("3/12")


def test_term_trends_of_an_empty_selection_is_an_empty_table() -> None:
    rows = [("x", None, get_vocabulary().compare[0], True, False)]
    out = kn.term_trends(_tagged(rows), tokens_of({"x": {"드론": 1}}), "드론")
    assert out.empty and list(out.columns) == list(kn.TERM_TREND_COLUMNS)


def test_an_empty_term_trend_says_why() -> None:
    """No smart-city article in the cities (a general-news download) is not "no dated
    article", and no term picked is neither; the chart shows the reason."""
    from lib.present.discovery_plots import plot_term_trends

    a = get_vocabulary().compare[0]
    general = _tagged([("x", "2021-02-03", a, False, False)])
    out = kn.term_trends(general, tokens_of({"x": {"드론": 1}}), "드론")
    assert out.empty and "no dated smart-city article" in out.attrs["empty_reason"]
    assert not kn.term_trends(general, tokens_of({"x": {"드론": 1}}), "드론",
                              smart_city_only=False).empty
    none_picked = kn.term_trends(general, tokens_of({}), [])
    assert "no term picked" in none_picked.attrs["empty_reason"]
    shown = ["".join(t.get_text().split()) for ax in plot_term_trends(out).axes for t in ax.texts]
    assert "".join(out.attrs["empty_reason"].split()) in shown  # wrapped to the panel


def test_period_keyness_of_a_city_without_articles_names_no_date() -> None:
    """A city with no smart-city article: the groups say so, with no made-up split date."""
    a, b = get_vocabulary().compare[:2]
    rows = [("x", "2021-02-03", b, True, False)]
    out = kn.period_keyness(_tagged(rows), tokens_of({"x": {"드론": 1}}), region=a, min_count=1)
    assert out.empty and pd.isna(out.attrs["split"])
    assert out.attrs["pair"] == ("earlier (no dated smart-city article)",
                                 "later (no dated smart-city article)")
    assert not any("1970" in name for name in out.attrs["pair"])


def test_examples_name_the_articles_that_use_a_term_most() -> None:
    tokens = tokens_of({"a1": {"드론": 1}, "a2": {"드론": 5}, "a3": {"드론": 3}, "a4": {"드론": 2},
                        "b1": {"셔틀": 4}})
    groups = pd.Series({"a1": "g1", "a2": "g1", "a3": "g1", "a4": "g1", "b1": "g2"})
    out = kn.keyness(kn.analysis_terms(tokens, exclude=()), groups, ("g1", "g2"), min_count=1)
    row = out[(out["term"] == "드론") & (out["group"] == "g1")].iloc[0]
    assert row["examples"] == "a2, a3, a4"
    assert out[(out["term"] == "드론") & (out["group"] == "g2")].iloc[0]["examples"] == ""


def test_notice_says_when_groups_are_too_small() -> None:
    tokens, groups = _two_group_tokens()
    terms = kn.analysis_terms(tokens, exclude=())
    table = kn.keyness(terms, groups, ("g1", "g2"), min_count=1)
    assert kn.keyness_notice(table, min_articles=20) is None
    assert "g1: 20" in kn.keyness_notice(table, min_articles=21)


def test_period_keyness_splits_at_the_median_month_by_default() -> None:
    a = get_vocabulary().compare[0]
    rows = [(f"x{i}", f"2020-{1 + i:02d}-10", a, True, False) for i in range(9)]
    tok = {f"x{i}": {"드론": 1} for i in range(9)}
    out = kn.period_keyness(_tagged(rows), tokens_of(tok), min_count=1)
    assert out.attrs["split"] == pd.Timestamp("2020-05-01")
    assert out.attrs["pair"] == ("2020-01~2020-04", "2020-05~2020-09")


def test_new_term_candidates_are_rising_words_the_lexicon_lacks() -> None:
    a = get_vocabulary().compare[0]
    rows, tok = [], {}
    for i in range(8):
        rows += [(f"e{i}", f"2019-0{1 + i % 6}-10", a, True, False),
                 (f"l{i}", f"2023-0{1 + i % 6}-10", a, True, False)]
        tok[f"e{i}"] = {"공청회": 1, "자율주행": 1}
        # 퀀텀벤치 is an invented word no lexicon holds; 자율주행 is a lexicon term.
        tok[f"l{i}"] = {"퀀텀벤치": 2, "자율주행": 3}
    out = kn.new_term_candidates(_tagged(rows), tokens_of(tok), split="2022-01-01", min_z=0.5)
    assert list(out.columns) == list(kn.CANDIDATE_COLUMNS)
    assert out["term"].tolist() == ["퀀텀벤치"]
    row = out.iloc[0]
    assert row["source"] == "rising" and row["docs_late"] == 8 and row["docs_early"] == 0
    assert len(row["examples"].split(", ")) == 3


def test_terms_beginning_with_a_city_name_are_not_key_terms() -> None:
    """대전시민천문대 says "Daejeon" as much as 대전 does; 대전환 ("디지털 대전환") is another word."""
    shaped = pd.Series(["대전시민천문대", "세종시청", "세종시가", "대전 하나 시티즌", "정책과장",
                        "26일", "2021년", "대전환", "세종대", "스마트시티", "AI", "65세"])
    dropped = dict(zip(shaped, kn.is_excluded_shape(shaped)))
    assert [t for t, d in dropped.items() if d] == list(shaped[:7])
    rows, tok = [], {}
    for i in range(12):
        city = "daejeon" if i % 2 else "sejong"
        rows.append((f"a{i}", f"2022-0{1 + i % 9}-01", city, True, False))
        tok[f"a{i}"] = ({"대전시민천문대": 3, "대전환": 2, "데이터": 1} if city == "daejeon"
                        else {"세종시청": 3, "자율주행": 2})
    table = kn.city_keyness(_tagged(rows), tokens_of(tok), min_count=1)
    assert "대전시민천문대" not in set(table["term"]) and "세종시청" not in set(table["term"])
    assert {"대전환", "데이터", "자율주행"} <= set(table["term"])


def test_generic_time_and_administrative_words_are_stopwords() -> None:
    words = kn.load_analysis_stopwords()
    # Time words and administrative acts carry no subject in any corpus.
    assert {"상반기", "하반기", "계획", "추진", "방안", "안내", "종합"} <= words
    # Words about what a story is about stay, however plain they look.
    assert not {"공사", "착공", "기업", "불편", "제안"} & words
    assert "상반기" in kn.excluded_terms() and "~과장" not in kn.excluded_terms()


def test_no_candidate_is_a_generic_word(monkeypatch) -> None:
    """A generic word that rises in the late period (종합, a headline tag) is no candidate."""
    monkeypatch.setattr(kn, "extract_candidates", lambda *a, **k: pd.DataFrame())
    rows, tok = [], {}
    for i in range(40):
        late = i >= 20
        rows.append((f"a{i}", f"{2024 if late else 2019}-0{1 + i % 9}-01", "sejong", True, False))
        tok[f"a{i}"] = {"종합": 3, "상반기": 2, "도시": 1} if late else {"도시": 1, "공원": 1}
    found = kn.new_term_candidates(_tagged(rows), tokens_of(tok), split="2022-01-01", cache=False)
    assert found.empty


def _keyness_table(rows: list[tuple[str, str, float, int]], pair: tuple[str, str],
                   n_articles: int = 100) -> pd.DataFrame:
    """A keyness table of (term, group, z, articles using it) rows, groups ``pair``."""
    table = pd.DataFrame([{"term": t, "group": g, "log_odds": z / 10, "z": z,
                           "share_group": k / n_articles, "share_other": 1 / n_articles,
                           "n_group": k * 2,
                           "n_other": 1, "docs_group": k, "docs_other": 1, "examples": ""}
                          for t, g, z, k in rows], columns=list(kn.KEYNESS_COLUMNS))
    table.attrs.update(pair=pair, n_articles={g: n_articles for g in pair})
    return table


def test_keyness_findings_name_each_citys_words_and_what_rose_and_fell():
    from lib.analysis import topic_trends as tt

    cities = _keyness_table([("시범도시", "sejong", 5.7, 60), ("조성", "sejong", 3.4, 81),
                             ("잡음", "sejong", 1.2, 9), ("기업", "daejeon", 4.1, 149)],
                            ("sejong", "daejeon"))
    periods = _keyness_table([("교차로", "2022-01~2025-12", 2.7, 8),
                              ("시범도시", "2018-01~2021-12", 4.2, 41)],
                             ("2018-01~2021-12", "2022-01~2025-12"))
    found = kn.keyness_findings(cities, {"sejong": periods}, n=5)
    assert found.ko[0].startswith("세종 스마트시티 기사를 대전과 가르는 단어: "
                                  "시범도시 (기사 60건, 60% 대 1%, z 5.70)")
    assert "잡음" not in found.ko[0]  # below z 1.96: not typical
    assert found.ko[1].startswith("대전 스마트시티 기사를 세종과 가르는 단어: 기업")
    assert "늘어난 단어 교차로 (기사 8건, 1% → 8%, z 2.70); 줄어든 단어 시범도시 (기사 41건, 41% → 1%" in found.ko[2]
    assert found.en[2].startswith("Sejong, 2018-01~2021-12 against 2022-01~2025-12: "
                                  "words that rose: 교차로")
    assert list(found.facts["kind"]) == ["typical_term"] * 2 + ["typical_term", "rising_term",
                                                                  "falling_term"]
    assert all(k in tt.FACT_KINDS for k in found.facts["kind"])
    few = _keyness_table([("시범도시", "sejong", 5.7, 6)], ("sejong", "daejeon"), n_articles=5)
    assert "적거나" in kn.keyness_findings(few).ko[0]  # too few articles: no word named


def test_one_article_repeating_a_word_does_not_make_it_key() -> None:
    """Forty articles per group share their words; one article of g1 repeats 반복어 fifty
    times. Counted by articles (the default) it is one article against none, well under the
    chance bar; counted by uses it would top the table."""
    rows = {f"a{i}": {"공통어": 2, "드론": 1} for i in range(40)}
    rows.update({f"b{i}": {"공통어": 2, "드론": 1} for i in range(40)})
    rows["a0"] = {"공통어": 2, "반복어": 50}
    rows["b0"] = {"공통어": 2, "반복어": 1}
    groups = pd.Series({aid: ("g1" if aid.startswith("a") else "g2") for aid in rows})
    terms = kn.analysis_terms(tokens_of(rows), exclude=())
    by_articles = kn.keyness(terms, groups, ("g1", "g2"), min_count=1)
    by_uses = kn.keyness(terms, groups, ("g1", "g2"), min_count=1, unit="uses")
    z = by_articles.set_index(["group", "term"])["z"]
    assert abs(z[("g1", "반복어")]) < 0.5
    assert by_uses.iloc[0]["term"] == "반복어" and by_uses.iloc[0]["z"] > 3
    assert by_articles.attrs["unit"] == "articles"


def test_the_chance_bar_holds_random_splits_and_the_findings_use_it() -> None:
    """Two groups drawn at random from one set of articles: at most one term of 300 reaches
    the chance bar (the 95th percentile of the largest |z| of 200 shuffles); a planted word
    clears it."""
    rng = np.random.default_rng(3)
    words = [f"단어{i:03d}" for i in range(300)]
    rows = {f"x{i}": {w: 1 for w in rng.choice(words, size=12, replace=False)}
            for i in range(160)}
    groups = pd.Series({aid: rng.choice(["g1", "g2"]) for aid in rows})
    terms = kn.analysis_terms(tokens_of(rows), exclude=())
    table = kn.keyness(terms, groups, ("g1", "g2"), min_count=3)
    bar = table.attrs["chance_z"]
    assert 1.96 < bar < 5 and int((table["z"] > bar).sum()) <= 1
    for aid in [a for a, g in groups.items() if g == "g1"][:30]:
        rows[aid]["심은단어"] = 1
    planted = kn.keyness(kn.analysis_terms(tokens_of(rows), exclude=()), groups, ("g1", "g2"),
                         min_count=3)
    top = planted.iloc[0]
    assert top["term"] == "심은단어" and top["z"] > max(planted.attrs["chance_z"], 1.96)


def test_top_terms_say_which_reach_the_chance_bar_and_twins_are_one_row() -> None:
    """영상 and 위급 are used in exactly the same articles: one row, 영상·위급, with the uses of
    both; beyond_chance marks the rows whose z reaches the table's chance bar."""
    rows = {f"a{i}": {"영상": 2, "위급": 1, "공통": 1} for i in range(12)}
    rows.update({f"a{i}": {"공통": 1, "드론": 1} for i in range(12, 30)})
    rows.update({f"b{i}": {"공통": 1, "드론": 1} for i in range(30)})
    groups = pd.Series({aid: ("g1" if aid.startswith("a") else "g2") for aid in rows})
    table = kn.keyness(kn.analysis_terms(tokens_of(rows), exclude=()), groups, ("g1", "g2"),
                       min_count=1)
    assert table.attrs["twins"] == {"영상": ("영상", "위급"), "위급": ("영상", "위급")}
    merged = kn.merge_twins(table)
    row = merged[(merged["group"] == "g1")].iloc[0]
    assert row["term"] == "영상·위급" and row["n_terms"] == 2 and row["n_group"] == 36
    assert len(merged) == len(table) - 2 and merged.attrs["chance_z"] == table.attrs["chance_z"]
    table.attrs["chance_z"] = float(row["z"]) + 0.1
    top = kn.top_keyness(table, n=5, min_z=-10, merge=True)
    assert list(top.columns[:5]) == ["term", "group", "log_odds", "z", "beyond_chance"]
    assert not top["beyond_chance"].any()
    table.attrs["chance_z"] = float(row["z"]) - 0.1
    top = kn.top_keyness(table, n=5, merge=True)
    assert top.loc[top["term"] == "영상·위급", "beyond_chance"].tolist() == [True]
    table.attrs["chance_z"] = float("nan")  # no shuffles: the bar is 1.96
    assert kn.chance_bar(table) == 1.96


def _outlet_corpus(seed: int, *, templated: bool) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Two groups of 150 invented articles, each from one of ten outlets (synthetic). One
    word, 심은단어, is used in 24 of the first group's articles: by one outlet's templated
    series (``templated``: 24 articles of outlet o0, which writes nothing else) or spread over
    all ten outlets."""
    rng = np.random.default_rng(seed)
    words = [f"단어{i:03d}" for i in range(200)]
    rows, group, outlet = {}, {}, {}
    for i in range(300):
        aid = f"x{i:03d}"
        rows[aid] = {w: 1 for w in rng.choice(words, size=10, replace=False)}
        group[aid] = "g1" if i < 150 else "g2"
        outlet[aid] = f"o{i % 10}" if not templated or i >= 24 else "o0"
        if i < 24:
            rows[aid]["심은단어"] = 1
    if templated:  # the templated outlet writes only its series
        for i in range(24, 300):
            if outlet[f"x{i:03d}"] == "o0":
                outlet[f"x{i:03d}"] = "o1"
    terms = kn.analysis_terms(tokens_of(rows), exclude=())
    return terms, pd.Series(group), pd.Series(outlet)


@pytest.mark.parametrize("templated", [True, False])
def test_a_word_of_one_outlets_series_does_not_hold_without_it(templated: bool) -> None:
    """심은단어 clears the chance bar either way (the shuffles treat articles as exchangeable).
    Written by one outlet's series, it is that outlet's word: without o0 its z is 0 and it
    does not hold; spread over ten outlets it holds whichever one is left out."""
    terms, groups, outlets = _outlet_corpus(5, templated=templated)
    table = kn.keyness(terms, groups, ("g1", "g2"), min_count=3, outlets=outlets)
    top = kn.top_keyness(table, n=3)
    row = top[top["term"] == "심은단어"].iloc[0]
    assert row["beyond_chance"]
    assert bool(row["holds"]) is not templated
    if templated:
        assert row["swing_outlet"] == "o0" and row["z_without"] == pytest.approx(0.0)
    else:
        assert row["z_without"] > kn.OUTLET_Z and row["z_without"] < row["z"]
    # The same word from the other group's side: its z and z_without are the first's, negated.
    other = table[(table["term"] == "심은단어") & (table["group"] == "g2")].iloc[0]
    assert other["z"] == pytest.approx(-row["z"])
    # From the second group's side z_without is the lowest of the negated z's: at most the
    # first row's, negated, and far below 0 (no outlet carries the word for that group).
    assert other["z_without"] <= -row["z_without"] + 1e-9 and other["z_without"] < -kn.OUTLET_Z
    unchecked = kn.top_keyness(kn.keyness(terms, groups, ("g1", "g2"), min_count=3), n=3)
    assert "holds" not in unchecked.columns and "z_without" not in unchecked.columns


def test_keyness_findings_give_the_chance_bar_of_each_comparison() -> None:
    cities = _keyness_table([("시범도시", "sejong", 5.7, 60)], ("sejong", "daejeon"))
    cities.attrs["chance_z"] = 3.74
    periods = _keyness_table([("교차로", "2022-01~2025-12", 4.2, 8)],
                             ("2018-01~2021-12", "2022-01~2025-12"))
    periods.attrs["chance_z"] = 3.61
    said = kn.keyness_findings(cities, {"sejong": periods}).ko[-1]
    assert "(두 도시 비교 z 3.74, 세종 두 시기 z 3.61)" in said


def test_no_candidate_is_the_name_of_a_region(monkeypatch) -> None:
    """대구 rising in the late period is another city, no word for the lexicon."""
    monkeypatch.setattr(kn, "extract_candidates", lambda *a, **k: pd.DataFrame())
    assert kn.is_region_name(pd.Series(["대구", "대구시", "충남도", "수도권", "퀀텀벤치"])).tolist() \
        == [True, True, True, True, False]
    rows, tok = [], {}
    for i in range(16):
        late = i >= 8
        rows.append((f"a{i}", f"{2024 if late else 2019}-0{1 + i % 6}-10", "sejong", True, False))
        tok[f"a{i}"] = {"대구": 1, "퀀텀벤치": 1, "도시": 1} if late else {"도시": 1}
    found = kn.new_term_candidates(_tagged(rows), tokens_of(tok), split="2022-01-01",
                                   min_z=0.5, cache=False)
    assert found["term"].tolist() == ["퀀텀벤치"]
    assert found.attrs["region"] is None and found.attrs["chance_z"] >= 1.96
    assert found["beyond_chance"].tolist() == [found.iloc[0]["z"] >= found.attrs["chance_z"]]


def test_a_group_one_outlet_writes_alone_does_not_hold() -> None:
    """Every article of the first group comes from one outlet: leaving it out leaves nothing
    to compare, so every checked word rests on it (no z without it), while articles with no
    outlet are left out together under one name (synthetic)."""
    terms, groups, outlets = _outlet_corpus(5, templated=False)
    outlets = outlets.where(groups != "g1", "solo")
    outlets.iloc[200:210] = None
    table = kn.keyness(terms, groups, ("g1", "g2"), min_count=3, outlets=outlets)
    top = kn.top_keyness(table, n=3)
    row = top[top["term"] == "심은단어"].iloc[0]
    assert row["beyond_chance"] and not row["holds"]
    assert row["swing_outlet"] == "solo" and np.isnan(row["z_without"])
    assert not kn.outlet_holds(table[table["swing_outlet"] == "solo"]).any()
    unchecked = table[table["z"].abs() < kn.OUTLET_Z]
    assert (unchecked["swing_outlet"] == "").all() and kn.outlet_holds(unchecked).all()
    said = kn.keyness_findings(table, n=1).ko[-1]
    assert "심은단어 (solo 빼면 z –)" in said
    # Counted by uses z is no z: nothing is checked.
    uses = kn.keyness(terms, groups, ("g1", "g2"), min_count=3, outlets=outlets, unit="uses")
    assert not uses.attrs["outlet_checked"] and (uses["swing_outlet"] == "").all()


def test_keyness_findings_name_the_outlet_a_cited_word_rests_on() -> None:
    """The findings check every word they cite against its outlets: a templated series' word
    is marked † and its outlet named with the z without it; with the word spread over the
    outlets every word cited passes and none is marked."""
    said = {}
    for templated in (True, False):
        terms, groups, outlets = _outlet_corpus(5, templated=templated)
        table = kn.keyness(terms, groups, ("g1", "g2"), min_count=3, outlets=outlets)
        said[templated] = kn.keyness_findings(table, n=1)
    ko, en = said[True].ko[-1], said[True].en[-1]
    assert "심은단어†" in said[True].ko[0]
    assert "한 언론사에 기대는 단어(†): 심은단어 (o0 빼면 z 0.00)" in ko
    assert "Words one outlet carries (†): 심은단어 (without o0 z 0.00)" in en
    assert "†" not in " ".join(said[False].ko)
    cited = said[False].facts
    assert f"{len(cited)}개 가운데 {len(cited)}개는 어느 언론사를 빼도" in said[False].ko[-1]
