"""Kleinberg burst detection: equal to an exhaustive search, planted bursts found, empty months,
monthly counts from tagged articles and tokens, the events file."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib import paths
from lib.analysis import bursts
from lib.corpus.schema import to_frame
from lib.vocabulary import get_vocabulary


def brute_force(r: np.ndarray, d: np.ndarray, s: float, gamma: float) -> np.ndarray:
    """The cheapest state sequence by trying all of them (Kleinberg 2003, batched documents)."""
    p0 = r.sum() / d.sum()
    p1 = min(s * p0, 0.9999)
    up = gamma * np.log(len(r))

    def cost(p: float, t: int) -> float:
        return -(r[t] * np.log(p) + (d[t] - r[t]) * np.log1p(-p))

    best, best_seq = np.inf, None
    for seq in itertools.product((0, 1), repeat=len(r)):
        total, prev = 0.0, 0
        for t, q in enumerate(seq):
            total += cost(p1 if q else p0, t) + (up if q > prev else 0.0)
            prev = q
        if total < best - 1e-12:
            best, best_seq = total, seq
    return np.asarray(best_seq)


@pytest.mark.parametrize("seed", range(12))
def test_viterbi_equals_exhaustive_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = rng.integers(0, 12, size=9)
    d[0] = max(d[0], 1)
    r = rng.binomial(d, rng.uniform(0.05, 0.4, size=9))
    r[rng.integers(0, 9)] = 0
    if r.sum() == 0:
        r[0] = 1
    for s, gamma in ((2.0, 0.5), (3.0, 1.0)):
        states, _ = bursts.kleinberg_states(r, d, s=s, gamma=gamma)
        np.testing.assert_array_equal(states[0], brute_force(r.astype(float), d.astype(float),
                                                             s, gamma))


def test_many_series_at_once_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(3)
    d = rng.integers(0, 20, size=(5, 40))
    r = rng.binomial(d, 0.2)
    r[2, 10:14] = d[2, 10:14]
    together, saving = bursts.kleinberg_states(r, d)
    for i in range(5):
        alone, alone_saving = bursts.kleinberg_states(r[i], d[i])
        np.testing.assert_array_equal(together[i], alone[0])
        np.testing.assert_allclose(saving[i], alone_saving[0])
    assert together[2, 10:14].all()


def test_flat_and_empty_series_have_no_burst() -> None:
    d = np.array([10, 0, 10, 10, 0, 0, 10, 10, 10, 10])
    flat, _ = bursts.kleinberg_states(d // 5, d)
    assert not flat.any()
    none, _ = bursts.kleinberg_states(np.zeros(10), d)
    assert not none.any()
    with pytest.raises(ValueError):
        bursts.kleinberg_states(np.array([3]), np.array([2]))
    with pytest.raises(ValueError):
        bursts.kleinberg_states(np.array([1]), np.array([2]), s=1.0)


def tagged_months() -> pd.DataFrame:
    """Two years of a city's smart-city articles: 6 a month, one on the first topic, except
    2021-04..06 when 5 of 8 are; one empty month; the other city quiet."""
    a, b = get_vocabulary().compare
    first, second = get_vocabulary().topic_keys[:2]
    rows = []
    for month in pd.date_range("2020-01-01", "2021-12-01", freq="MS"):
        if month == pd.Timestamp("2020-08-01"):
            continue
        burst = pd.Timestamp("2021-04-01") <= month <= pd.Timestamp("2021-06-01")
        n, k = (8, 5) if burst else (6, 1)
        for i in range(n):
            rows.append((f"{month:%Y%m}-{i}", month + pd.Timedelta(days=i), a,
                         (first,) if i < k else (second,)))
            rows.append((f"{month:%Y%m}-{i}b", month + pd.Timedelta(days=i), b, (second,)))
    frame = to_frame([{"article_id": r[0], "title": r[0], "published": f"{r[1]:%Y-%m-%d} 09:00"}
                      for r in rows])
    frame["region"] = [r[2] for r in rows]
    frame["smart_city"] = True
    frame["topics"] = [r[3] for r in rows]
    return frame


def test_planted_burst_is_found_with_its_months() -> None:
    a, _ = get_vocabulary().compare
    first = get_vocabulary().topic_keys[0]
    counts = bursts.monthly_counts(tagged_months())
    assert list(counts.columns) == list(bursts.COUNT_COLUMNS)
    assert counts["period"].nunique() == 24  # the empty month is a row with zeros
    empty = counts[counts["period"] == "2020-08-01"]
    assert (empty["n_total"] == 0).all()
    found = bursts.detect_bursts(counts)
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["series"], row["region"]) == (first, a)
    assert row["start"] == pd.Timestamp("2021-04-01") and row["end"] == pd.Timestamp("2021-06-01")
    assert (row["n_docs"], row["n_total"], row["n_months"]) == (15, 24, 3)
    assert row["strength"] > 0 and row["share_burst"] > row["share_base"]


def test_term_counts_come_from_the_token_table() -> None:
    tagged = tagged_months()
    tokens = pd.DataFrame({"article_id": tagged["article_id"], "term": "드론", "tag": "NNG",
                           "count": 1})
    tokens = tokens[tagged["topics"].map(len).astype(bool).to_numpy()
                    & tagged["topics"].map(lambda t: t == (get_vocabulary().topic_keys[0],))
                    .to_numpy()]
    rare = pd.DataFrame({"article_id": tagged["article_id"].iloc[:4], "term": "희귀어",
                         "tag": "NNG", "count": 1})
    counts = bursts.monthly_counts(tagged, kind="term", tokens=pd.concat([tokens, rare]))
    assert set(counts["series"]) == {"드론"}  # 희귀어: in 4 articles, under min_articles=5
    found = bursts.detect_bursts(counts)
    assert found.iloc[0]["start"] == pd.Timestamp("2021-04-01")
    with pytest.raises(ValueError):
        bursts.monthly_counts(tagged, kind="term")


def test_events_file_is_read_and_checked(tmp_path: Path) -> None:
    a = get_vocabulary().compare[0]
    good = tmp_path / "events.tsv"
    good.write_text(f"# comment\ndate\tregion\tlabel\n2021-05-01\t{a}\t행사 B\n"
                    "2020-01\tall\t행사 A\n", encoding="utf-8")
    events = bursts.load_events(good)
    assert events["label"].tolist() == ["행사 A", "행사 B"]
    assert events["date"].iloc[0] == pd.Timestamp("2020-01-01")
    bad = tmp_path / "bad.tsv"
    bad.write_text("date\tregion\tlabel\n2021-05-01\tatlantis\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv line 2: region 'atlantis'"):
        bursts.load_events(bad)
    bad.write_text("date\tregion\tlabel\n2021-13-45\tall\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: unreadable date"):
        bursts.load_events(bad)
    # Saved by a spreadsheet program: a Korean Windows CSV (CP949, CRLF) or UTF-16 text.
    saved = tmp_path / "events.csv"
    saved.write_bytes(f"date,region,label\r\n2021-05-01,{a},\"행사 B, 개막\"\r\n".encode("cp949"))
    assert bursts.load_events(saved)["label"].tolist() == ["행사 B, 개막"]
    saved.write_bytes(f"date\tregion\tlabel\r\n2021-05-01\t{a}\t행사 C\r\n".encode("utf-16"))
    assert bursts.load_events(saved)["label"].tolist() == ["행사 C"]
    saved.write_bytes(b"date,region\r\n2021-05-01,all\r\n")
    with pytest.raises(ValueError, match="events.csv line 1: header must be"):
        bursts.load_events(saved)


def test_the_sample_events_file_says_it_is_synthetic(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(bursts.EVENTS_ENV, raising=False)
    path = bursts.events_file(paths.SAMPLE_DIR)
    assert path == bursts.SAMPLE_EVENTS
    assert bursts.events_file(tmp_path) is None
    monkeypatch.setenv(bursts.EVENTS_ENV, str(tmp_path / "mine.tsv"))
    assert bursts.events_file(paths.SAMPLE_DIR) == tmp_path / "mine.tsv"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# SYNTHETIC")
    events = bursts.load_events(path)
    assert len(events) >= 1 and events["label"].str.contains("SYNTHETIC").all()


def test_counts_follow_a_three_city_regions_file(tmp_path: Path, monkeypatch) -> None:
    from tests.unit.test_keyness import THREE_CITIES

    file = tmp_path / "regions.toml"
    file.write_text(THREE_CITIES, encoding="utf-8")
    monkeypatch.setenv(paths.REGIONS_ENV, str(file))
    topic = get_vocabulary().topic_keys[0]
    rows = [(f"{city}{i}", city) for city in ("alpha", "beta", "gamma") for i in range(4)]
    frame = to_frame([{"article_id": a, "title": a, "published": "2022-03-05 09:00"}
                      for a, _ in rows])
    frame["region"] = [c for _, c in rows]
    frame["smart_city"] = True
    frame["topics"] = [(topic,)] * len(rows)
    counts = bursts.monthly_counts(frame)
    assert list(dict.fromkeys(counts["region"])) == ["alpha", "beta", "gamma"]
    assert (counts[counts["series"] == topic]["n_docs"] == 4).all()


def _term_tokens(tagged: pd.DataFrame, terms: dict[str, pd.Series]) -> pd.DataFrame:
    """Token rows: each term in the articles its mask selects."""
    return pd.concat([pd.DataFrame({"article_id": tagged["article_id"][mask.to_numpy()],
                                    "term": term, "tag": "NNG", "count": 1})
                      for term, mask in terms.items()], ignore_index=True)


def test_bursts_of_the_same_articles_are_merged_into_one_naming_its_words() -> None:
    tagged = tagged_months()
    first = get_vocabulary().topic_keys[0]
    on_topic = tagged["topics"].map(lambda t: t == (first,)).reset_index(drop=True)
    every_third = on_topic & (on_topic.cumsum() % 3 == 0)  # a third of the topic's articles
    tokens = _term_tokens(tagged, {"착공": on_topic, "공사": on_topic, "드론": every_third})
    hits = bursts.monthly_hits(tagged, kind="term", tokens=tokens)
    counts = bursts.monthly_counts(tagged, hits=hits)
    pd.testing.assert_frame_equal(counts, bursts.monthly_counts(tagged, kind="term",
                                                               tokens=tokens))
    found = bursts.detect_bursts(counts)
    assert {"착공", "공사"} <= set(found["series"])
    merged = bursts.merge_bursts(found, hits)
    same = merged[merged["series"].str.contains("착공")]
    assert len(same) == 1 and set(same.iloc[0]["series"].split("·")) == {"착공", "공사"}
    assert same.iloc[0]["n_series"] == 2 and same.iloc[0]["n_docs"] == 15
    # judged by the largest excess of its words: beyond chance when either word is
    members = found[found["series"].isin(["착공", "공사"])]
    assert same.iloc[0]["excess"] == members["excess"].max()
    # its usual share is that of the articles using either word, over all months
    a = get_vocabulary().compare[0]
    usual = on_topic.sum() / (tagged["region"] == a).sum()
    assert same.iloc[0]["share_base"] == pytest.approx(usual)
    # 드론 runs through a third of those articles only: a burst of its own if it has one.
    if "드론" in set(found["series"]):
        assert "드론" in set(merged["series"])
    assert len(merged) == len(found) - 1
    assert list(merged.columns) == [*bursts.BURST_COLUMNS, "n_series"]


def test_bursts_in_other_months_or_regions_are_not_merged() -> None:
    row = dict(kind="term", region="sejong", n_months=3, strength=5.0, n_docs=10, n_total=20,
               share_burst=0.5, share_base=0.1, excess=5.0)
    found = pd.DataFrame([
        {**row, "series": "a", "start": pd.Timestamp("2021-01-01"),
         "end": pd.Timestamp("2021-03-01")},
        {**row, "series": "b", "start": pd.Timestamp("2023-01-01"),
         "end": pd.Timestamp("2023-03-01"), "strength": 4.0},
        {**row, "series": "c", "region": "daejeon", "start": pd.Timestamp("2021-01-01"),
         "end": pd.Timestamp("2021-03-01"), "strength": 3.0},
    ])[list(bursts.BURST_COLUMNS)]
    ids = [f"x{i}" for i in range(10)]
    hits = pd.DataFrame([(i, pd.Timestamp(f"{y}-02-01"), reg, s) for s, y, reg in
                         (("a", 2021, "sejong"), ("b", 2023, "sejong"), ("c", 2021, "daejeon"))
                         for i in ids], columns=list(bursts.HIT_COLUMNS))
    merged = bursts.merge_bursts(found, hits)
    assert list(merged["series"]) == ["a", "b", "c"]


def test_a_series_in_most_articles_cannot_burst() -> None:
    """A word already in half the articles cannot reach s = 3 times its share: its "burst"
    would only be months where every article uses it."""
    tagged = tagged_months()
    mostly = pd.Series(np.arange(len(tagged)) % 4 != 0)  # 3 of 4 articles
    tokens = _term_tokens(tagged, {"스마트시티": mostly})
    counts = bursts.monthly_counts(tagged, kind="term", tokens=tokens)
    assert bursts.detect_bursts(counts).empty


def test_burst_findings_give_each_citys_strongest_bursts_with_their_counts():
    from lib.analysis import topic_trends as tt
    from lib.vocabulary import topic_label

    def burst(series: str, region: str, strength: float, kind: str = "topic") -> dict:
        return {"kind": kind, "series": series, "region": region,
                "start": pd.Timestamp("2023-04-01"), "end": pd.Timestamp("2023-06-01"),
                "n_months": 3, "strength": strength, "n_docs": 14, "n_total": 15,
                "share_burst": 14 / 15, "share_base": 0.2, "excess": strength}

    topics = pd.DataFrame([burst("mobility", "daejeon", 4.0), burst("data_ai", "daejeon", 9.0),
                           burst("pilot_city", "sejong", 2.0)], columns=list(bursts.BURST_COLUMNS))
    found = bursts.burst_findings(topics, topics.iloc[:0], n=1)
    sejong = next(s for s in found.ko if s.startswith("세종"))
    daejeon = next(s for s in found.ko if s.startswith("대전"))
    # 급증 is named with its usual name (버스트) the first time only.
    assert sejong.startswith("세종의 가장 강한 주제 급증(버스트): ")
    assert daejeon == (f"대전의 가장 강한 주제 급증: {topic_label('data_ai')} 2023-04~2023-06 "
                       "(15건 중 14건, 평소 20%) 외 1개.")
    assert topic_label("pilot_city") in sejong and "단어 급증이 없습니다." in found.ko
    assert found.ko[-1].endswith("사건 목록과 겹치는지는 4절(주제)과 5절(단어)의 그림에서 보십시오.")
    assert found.facts["kind"].eq("burst").all() and len(found.facts) == 2
    assert all(k in tt.FACT_KINDS for k in found.facts["kind"])
    assert bursts.burst_findings(topics.iloc[:0]).ko == ["주제 급증(버스트)이 없습니다."]
    # A burst no stronger than chance is left out of the findings, and the sentence says the
    # chart and the table still show it.
    weak = topics.copy()
    weak.attrs["chance"] = {"sejong": 3.0, "daejeon": 3.0}  # Sejong's 2.0 is as strong as chance
    said = bursts.burst_findings(weak, n=1).ko
    # The city without a burst beyond chance is named, with the bar its bursts missed.
    assert said[0] == "세종: 우연 이상의 주제 급증(버스트) 없음 (추세 대비 강도의 우연 기준 3.0)."
    assert said[1].startswith("대전의 가장 강한 주제 급증: ")
    assert said[2] == ("주제 급증 1개는 실제 급증이 없어도 우연히 나올 만한 강도라 주요 결과에서는 "
                       "뺐습니다 (계열마다 제 추세와 흩어짐을 따르되 급증은 없는 모의실험의 "
                       "95백분위수 이하: 추세 대비 강도의 우연 기준 세종 3.0, 대전 3.0; "
                       "아래 그림과 표에는 남아 있음).")


def test_a_burst_table_marks_each_row_against_its_citys_bar() -> None:
    """The tables show what the findings judge: each burst's city bar and whether its excess
    over the trend beats it (a larger excess in a city with a higher bar may not)."""
    rows = [{"kind": "term", "series": s, "region": r, "start": pd.Timestamp("2023-04-01"),
             "end": pd.Timestamp("2023-06-01"), "n_months": 3, "strength": 5.0, "n_docs": 9,
             "n_total": 20, "share_burst": 0.45, "share_base": 0.1, "excess": x}
            for s, r, x in (("가", "sejong", 9.0), ("나", "daejeon", 12.0), ("다", "daejeon", 20.0))]
    table = pd.DataFrame(rows, columns=list(bursts.BURST_COLUMNS))
    table.attrs["chance"] = {"sejong": 8.0, "daejeon": 15.0}
    marked = bursts.mark_beyond_chance(table)
    assert marked["chance"].tolist() == [8.0, 15.0, 15.0]
    assert marked["beyond_chance"].tolist() == [True, False, True]
    assert marked.attrs["chance"] == table.attrs["chance"]
    assert bursts.mark_beyond_chance(table.iloc[:0]).empty


def flat_counts(rng: np.random.Generator, *, series: int = 300, months: int = 48,
                per_month: int = 12, share: float = 0.1) -> pd.DataFrame:
    """A :func:`bursts.monthly_counts` table of one city's ``series`` words without any burst:
    each month's on-word articles drawn binomially at ``share`` of ``per_month`` (synthetic)."""
    periods = pd.date_range("2020-01-01", periods=months, freq="MS")
    rows = [{"period": p, "region": "sejong", "series": f"단어{i:03d}",
             "n_docs": int(rng.binomial(per_month, share)), "n_total": per_month}
            for i in range(series) for p in periods]
    out = pd.DataFrame(rows, columns=list(bursts.COUNT_COLUMNS))
    out.attrs["kind"] = "term"
    return out


def test_bursts_no_stronger_than_chance_are_not_findings() -> None:
    """300 words over four years without any burst: Kleinberg's method still finds bursts in
    them, but in at most 2 of 10 such corpora is one stronger than chance (the 95th
    percentile of simulations without bursts), and then the findings leave it out. The
    planted burst of tagged_months is stronger than chance."""
    rng = np.random.default_rng(5)
    found_any = beyond = 0
    for seed in range(10):
        found = bursts.detect_bursts(flat_counts(rng), null_draws=40, seed=seed)
        found_any += len(found) > 0
        beyond += bool(bursts.beyond_chance(found).any())
    assert found_any >= 8 and beyond <= 2
    planted = bursts.detect_bursts(bursts.monthly_counts(tagged_months()))
    assert bursts.beyond_chance(planted).all()
    chance_only = bursts.detect_bursts(flat_counts(np.random.default_rng(1)), null_draws=40)
    chance_only = chance_only[~bursts.beyond_chance(chance_only)]
    assert len(chance_only) > 0
    said = bursts.burst_findings(chance_only.iloc[:0], chance_only).ko
    bar = chance_only.attrs["chance"]["sejong"]
    assert said[-1] == (f"단어 급증이 없습니다 (찾은 {len(chance_only)}개 모두 실제 급증이 없어도 "
                        f"우연히 나올 만한 강도: 추세 대비 강도가 도시별 우연 기준 세종 {bar:.1f} 이하).")


def test_no_articles_is_not_called_no_burst() -> None:
    empty = bursts.detect_bursts(bursts.monthly_counts(tagged_months().iloc[:0]))
    found = bursts.burst_findings(empty, empty)
    assert found.ko[0] == "날짜가 있는 스마트시티 기사가 없어 주제 급증(버스트)을 찾지 않았습니다."


def cities_counts(seed: int, *, cities: int = 40, months: int = 96, per_month: int = 20,
                  share: float = 0.1, odds_per_year: float = 1.0, scatter: float = 0.0,
                  drift: float = 0.0, memory: float = 0.0,
                  burst: slice | None = None) -> pd.DataFrame:
    """A :func:`bursts.monthly_counts` table of one topic in each of ``cities`` cities (each
    city its own chance bar, so each is one seeded trial): the share's odds grow by
    ``odds_per_year`` a year around ``share``, each month's log-odds scatter with SD
    ``scatter`` and drift with SD ``drift``, each month's drift ``memory`` times the previous
    month's plus a fresh step (a stationary first-order autoregression: a topic hot for a
    season, then cooling), and in the months ``burst`` the share is tripled (synthetic)."""
    rng = np.random.default_rng(seed)
    periods = pd.date_range("2017-01-01", periods=months, freq="MS")
    years = (np.arange(months) - months / 2) / 12
    frames = []
    for city in range(cities):
        total = rng.poisson(per_month, months)
        logit = (np.log(share / (1 - share)) + np.log(odds_per_year) * years
                 + rng.normal(0, scatter, months))
        if drift:
            steps = rng.normal(0, drift * np.sqrt(1 - memory ** 2), months)
            steps[0] = rng.normal(0, drift)
            for t in range(1, months):
                steps[t] += memory * steps[t - 1]
            logit = logit + steps
        p = 1 / (1 + np.exp(-logit))
        if burst is not None:
            p[burst] = np.minimum(3 * p[burst], 0.99)
        frames.append(pd.DataFrame({"period": periods, "region": f"city{city:02d}",
                                    "series": "topic", "n_docs": rng.binomial(total, p),
                                    "n_total": total}))
    out = pd.concat(frames, ignore_index=True)
    out.attrs["kind"] = "topic"
    return out


def cities_beyond_chance(counts: pd.DataFrame, burst: slice | None = None) -> int:
    """How many cities have a burst stronger than chance (within the months ``burst``)."""
    found = bursts.detect_bursts(counts, null_draws=99)
    strong = found[bursts.beyond_chance(found)]
    if burst is not None:
        months = counts["period"].drop_duplicates().sort_values().iloc[burst]
        strong = strong[(strong["start"] <= months.iloc[-1]) & (strong["end"] >= months.iloc[0])]
    return strong["region"].nunique()


@pytest.mark.parametrize(("odds_per_year", "scatter"), [(1.3, 0.0), (1.0, 0.5)])
def test_a_trend_or_scatter_without_burst_is_not_beyond_chance(odds_per_year: float,
                                                               scatter: float) -> None:
    """A steady trend (odds ×1.3 a year) or months that scatter more than binomially (log-odds
    SD 0.5) over eight years makes Kleinberg's bursts against the flat usual share, but the
    chance bar follows each series' own trend and scatter: in at most 6 of 40 cities is a
    burst stronger than chance (a bar of flat binomial draws passes most of them)."""
    counts = cities_counts(3, odds_per_year=odds_per_year, scatter=scatter)
    found = bursts.detect_bursts(counts, null_draws=0)
    assert found["region"].nunique() >= 20
    assert cities_beyond_chance(counts) <= 6


def test_a_drift_over_seasons_without_burst_is_not_beyond_chance() -> None:
    """A share that drifts from season to season (log-odds SD 0.5, each month 0.9 times the
    previous month's departure plus a fresh step) makes runs of high months that Kleinberg's
    search calls bursts in most cities, and a bar of independent months passes them in 6 to 12
    of 40 cities (12 in this corpus); the chance bar carries each series' own month-to-month
    memory: in at most 4 of 40 cities is a burst stronger than chance."""
    counts = cities_counts(12, drift=0.5, memory=0.9)
    found = bursts.detect_bursts(counts, null_draws=0)
    assert found["region"].nunique() >= 20
    assert cities_beyond_chance(counts) <= 4


def test_the_memory_of_drifting_months_is_measured() -> None:
    """scatter_memory: about the drift's month-to-month correlation for a drifting share, much
    less for months that scatter independently, 0 for binomial months."""
    def memory(counts: pd.DataFrame) -> np.ndarray:
        r = counts["n_docs"].to_numpy(dtype=float).reshape(30, 96)
        d = counts["n_total"].to_numpy(dtype=float).reshape(30, 96)
        share, rho = bursts.no_burst_baseline(r, d)
        return bursts.scatter_memory(r, d, share, rho)

    drifting = memory(cities_counts(6, cities=30, per_month=200, drift=0.5, memory=0.9))
    assert 0.7 < np.median(drifting) <= bursts.MEMORY_MAX
    assert np.median(memory(cities_counts(6, cities=30, per_month=200, scatter=0.5))) < 0.2
    assert np.median(memory(cities_counts(6, cities=30, per_month=200))) == 0


def test_a_planted_burst_on_a_trend_is_beyond_chance() -> None:
    """The share tripled for three months on top of the same trend: the burst stays stronger
    than chance in most of 40 cities."""
    planted = slice(50, 53)
    counts = cities_counts(4, per_month=40, odds_per_year=1.3, burst=planted)
    assert cities_beyond_chance(counts, planted) >= 30


def test_the_baseline_follows_a_trend_and_measures_scatter() -> None:
    """no_burst_baseline: the fitted share follows a steady trend, ``rho`` is about 0 for
    binomial months and clearly above 0 for months that scatter more."""
    counts = cities_counts(5, cities=30, per_month=200, odds_per_year=1.3)
    r = counts["n_docs"].to_numpy(dtype=float).reshape(30, 96)
    d = counts["n_total"].to_numpy(dtype=float).reshape(30, 96)
    share, rho = bursts.no_burst_baseline(r, d)
    assert share[:, 0].mean() == pytest.approx(0.1 / 0.9 * 1.3 ** -4 / (1 + 0.1 / 0.9 * 1.3 ** -4),
                                               rel=0.1)
    assert share[:, -1].mean() > 4 * share[:, 0].mean()
    assert np.median(rho) < 0.002
    scattered = cities_counts(5, cities=30, per_month=200, scatter=0.5)
    r = scattered["n_docs"].to_numpy(dtype=float).reshape(30, 96)
    assert np.median(bursts.no_burst_baseline(r, d)[1]) > 0.01


def test_a_burst_of_a_series_with_nothing_outside_it_saves_over_its_baseline() -> None:
    """A new word: every one of its articles falls in three months. Fitted without those
    months its usual share would be exactly 0, and against 0 no burst saves anything (its
    excess was 0, never beyond chance); the baseline keeps half an article over the rest."""
    d = np.full((1, 48), 20.0)
    r = np.zeros((1, 48))
    r[0, 20:23] = 16
    months = np.zeros((1, 48), dtype=bool)
    months[0, 20:23] = True
    share, _ = bursts.no_burst_baseline(r, d, exclude=months)
    assert 0 < share[0, 0] < 0.01
    saving = bursts.baseline_saving(r, d, share, s=3.0)
    assert saving[0, 20:23].sum() > 10


def test_the_no_burst_chain_keeps_its_trend_scatter_and_memory() -> None:
    """The null's month shares (``_share_chains``): on a flat share their lag-1 correlation is
    about the memory asked and their spread the beta-binomial scatter; on a steep fall with
    strong memory their mean stays on the trend (a chain shifted past its room ran up to twice
    the trend)."""
    rng = np.random.default_rng(0)
    months = np.arange(96)
    flat = np.full((1, 96), 0.2)
    chains = bursts._share_chains(flat, np.array([0.05]), np.array([0.8]), 2000, rng)[:, 0]
    lag1 = np.corrcoef(chains[:, 40:95].ravel(), chains[:, 41:96].ravel())[0, 1]
    assert lag1 == pytest.approx(0.8, abs=0.03)
    assert chains.var() == pytest.approx(0.05 * 0.2 * 0.8, rel=0.1)
    assert chains.mean() == pytest.approx(0.2, rel=0.02)
    falling = 1 / (1 + np.exp(-(np.log(0.1 / 0.9) - 0.06 * months)))[None, :]
    chains = bursts._share_chains(falling, np.array([0.02]), np.array([0.95]), 4000, rng)[:, 0]
    seen = falling[0] > 0.01
    assert np.abs(chains.mean(axis=0)[seen] / falling[0][seen] - 1).max() < 0.08


def test_a_burst_is_said_from_its_first_to_its_last_month_with_an_article() -> None:
    """Kleinberg's state costs nothing in a month without articles: a sparse series' burst
    must not be said to open months before its first article (or before the corpus has one)."""
    from lib.analysis.bursts import _burst_runs

    r = np.array([[0, 0, 0, 4, 5, 0, 0]], dtype=float)
    d = np.array([[0, 0, 0, 5, 6, 0, 3]], dtype=float)
    states = np.array([[1, 1, 1, 1, 1, 1, 0]])
    saving = np.array([[0.0, 0.0, 0.0, 2.0, 2.5, 0.0, 0.0]])
    series, first, length, strength, k, n = _burst_runs(states, saving, r, d)
    assert (series.tolist(), first.tolist(), length.tolist()) == ([0], [3], [2])
    assert (strength.tolist(), k.tolist(), n.tolist()) == ([4.5], [9.0], [11.0])
