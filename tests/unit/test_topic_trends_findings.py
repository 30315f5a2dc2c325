"""Notebook 02's findings on small and odd corpora: no trend through periods too thin to show,
no "0 of 0 cells", a plain sentence for a city with too little smart-city coverage, Korean
particles after a city's name, and where the smart-city flag's accuracy was measured
(synthetic articles; the shipped error rates)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.analysis import accuracy
from lib.analysis import topic_trends as tt
from tests.unit.test_topic_trends import make_tagged

TOPICS = ("mobility", "data_ai", "pilot_city")


def per_year(counts: dict[str, dict[int, int]], *, seed: int = 0) -> pd.DataFrame:
    """``counts[city][year]`` smart-city articles, each topic on about a third of them."""
    rng = np.random.default_rng(seed)
    rows = []
    for city, years in counts.items():
        for year, n in years.items():
            for i in range(n):
                topics = tuple(t for t in TOPICS if rng.random() < 0.35) or (TOPICS[i % 3],)
                rows.append({"published": pd.Timestamp(f"{year}-0{1 + i % 9}-15"),
                             "region": city, "smart_city": True, "topics": topics})
    return make_tagged(rows)


def test_no_trend_is_tested_when_no_period_reaches_min_n() -> None:
    """Sixteen and nineteen articles over six years (the hostile table): no year has n >= 10,
    so the trend table tests nothing, the findings claim no trend nor its reach, and say so
    once, with the periods; no sentence counts 0 of 0 cells."""
    tagged = per_year({"sejong": {y: 3 for y in range(2019, 2025)},
                       "daejeon": {y: 4 for y in range(2019, 2025)}})
    trend = tt.trend_test(tagged, freq="YS", min_n=10)
    assert trend["p_value"].isna().all()
    assert set(trend["note"]) <= {"fewer than 2 periods with n >= 10", "topic on no article"}
    found = tt.findings(tagged, freq="YS", min_n=10)
    assert not found.facts["kind"].str.contains("trend").any()
    assert "0 of 6 periods give either city n >= 10" in found.en[1]
    assert "No topic trend is tested" in found.en[1] and "추세도 검정하지" in found.ko[1]
    assert not any("cannot be tested" in s or "rose or fell" in s for s in found.en)
    assert not any("0 of 0" in s for s in found.en) and not any("0칸 중" in s for s in found.ko)
    assert not any("cells" in s for s in found.en)  # the periods sentence said why, once
    # the whole span is still compared (both cities have n >= 10 in all)
    assert any("Over the whole span" in s for s in found.en)


def test_trends_still_tested_when_two_periods_reach_min_n() -> None:
    tagged = per_year({"sejong": {2019: 12, 2020: 3, 2021: 11},
                       "daejeon": {2019: 12, 2020: 12, 2021: 12}})
    trend = tt.trend_test(tagged, freq="YS", min_n=10, topics=list(TOPICS))
    assert trend["p_value"].notna().all() and (trend["note"] == "").all()


def test_no_cell_where_both_cities_reach_min_n_is_said_once_not_counted() -> None:
    """Sejong's articles in 2019-2020, Daejeon's in 2021-2022: shares over time can be drawn
    and the whole span compared, but no year holds both: one sentence says why no cell was
    tested, none counts "0 of 0"."""
    tagged = per_year({"sejong": {2019: 12, 2020: 12}, "daejeon": {2021: 12, 2022: 12}})
    found = tt.findings(tagged, freq="YS", min_n=10)
    said = [s for s in found.en if s.startswith("Per year")]
    assert said == ["Per year, no cell has n >= 10 in both cities: no per-period difference "
                    "is tested."]
    assert any(s.startswith("연도별로는 두 도시가 동시에 n ≥ 10인 기간이 없어") for s in found.ko)
    assert not any("0 of 0" in s for s in found.en)


def test_a_city_with_too_little_smart_city_coverage_is_said_plainly_near_the_top() -> None:
    """The BigKinds downloads: no smart-city article in either city. One sentence, right after
    the cities' counts, says the corpus covers them too little for topic shares (with the n);
    no per-city trend sentence and no second 'not compared' repeat it."""
    rows = ([{"published": "2021-02-10", "region": "sejong", "smart_city": False, "topics": ()}]
            * 2 + [{"published": "2021-03-10", "region": "daejeon", "smart_city": False,
                    "topics": ()}] * 10)
    found = tt.findings(make_tagged(rows), freq="MS", min_n=10)
    thin = [i for i, s in enumerate(found.en) if "too little smart-city coverage" in s]
    assert len(thin) == 1 and thin[0] <= 4
    assert found.en[thin[0]] == ("This corpus has too little smart-city coverage of Sejong (n=0) "
                                 "and Daejeon (n=0) for topic shares (fewer than 10 smart-city "
                                 "articles): the cities are not compared.")
    assert "세종(n=0)·대전(n=0)의 스마트시티 보도가 너무 적어" in found.ko[thin[0]]
    assert sum("not compared" in s for s in found.en) == 1
    assert not any("cannot be tested" in s or "periods give" in s for s in found.en)
    # one thin city: named alone, the other city's trends still said
    tagged = per_year({"sejong": {2019: 2, 2020: 1}, "daejeon": {y: 12 for y in range(2019, 2023)}})
    found = tt.findings(tagged, freq="YS", min_n=10)
    assert any("too little smart-city coverage of Sejong (n=3) for topic shares" in s
               for s in found.en)
    assert not any(s.startswith("Sejong:") and "topic" in s for s in found.en)
    assert any(s.startswith(("Daejeon: no topic", "Daejeon: topics")) for s in found.en)


def test_city_names_take_the_right_korean_particle() -> None:
    tagged = per_year({"sejong": {y: 12 for y in range(2019, 2022)},
                       "daejeon": {y: 12 for y in range(2019, 2022)}})
    found = tt.findings(tagged, freq="YS", min_n=10)
    text = " ".join(found.ko)
    assert "세종과 대전의 주제 비중은 유의하게 다르지 않습니다" in text
    assert "개 모두 BH 보정 p값 ≥ 0.05" in text  # the threshold none passed, not a p below it
    assert "세종와" not in text


def test_the_flag_accuracy_says_it_was_measured_on_labelled_real_news_not_this_corpus() -> None:
    tagged = per_year({"sejong": {y: 12 for y in range(2019, 2022)},
                       "daejeon": {y: 12 for y in range(2019, 2022)}})
    shipped = accuracy.load_tagger_accuracy(by_city=True)
    found = tt.findings(tagged, freq="YS", min_n=10, rates_by_city=shipped)
    flag_en = next(s for s in found.en if s.startswith("How far the smart-city flag holds"))
    flag_ko = next(s for s in found.ko if s.startswith("도시별 스마트시티 태그 성능"))
    assert "on the project's held-out labelled real news, not on this corpus" in flag_en
    assert "labelled smart-city stories" in flag_en
    assert "이 코퍼스가 아니라 프로젝트의 실제 뉴스 라벨 기준" in flag_ko
    assert "라벨된 세종 스마트시티 기사" in flag_ko
    # Recall with its interval written out, then precision: no "포착" or "플래그".
    import re

    assert re.search(r"세종 스마트시티 기사 \d+건 기준 재현율 \d+% \(95% 신뢰구간 \d+~\d+%\), "
                     r"정밀도 \d+%", flag_ko)
    assert "포착" not in flag_ko and "플래그" not in flag_ko
    own = shipped.copy()
    own.attrs = {"labels_file": "my_labels.csv", "n_labelled": 40}
    found = tt.findings(tagged, freq="YS", min_n=10, rates_by_city=own)
    flag_en = next(s for s in found.en if s.startswith("How far the smart-city flag holds"))
    flag_ko = next(s for s in found.ko if s.startswith("도시별 스마트시티 태그 성능"))
    assert "your own labels of 40 articles, my_labels.csv" in flag_en
    assert "smart-city stories you labelled" in flag_en and "not on this corpus" not in flag_en
    assert "직접 라벨한 세종 스마트시티 기사" in flag_ko


def test_notebook_02_findings_say_what_the_loader_dropped(tmp_path) -> None:
    """The index page shows notebook 02's findings: with the corpus, they say second how many
    files were refused and records rejected, and point to notebook 01 for the reasons."""
    from lib.corpus import load_corpus
    from tests.conftest import write_canonical_csv

    folder = tmp_path / "corpus"
    folder.mkdir()
    write_canonical_csv(folder / "mixed.csv", [
        {"article_id": "a", "outlet": "합성일보", "published": "2021-01-02",
         "title": "[합성] 세종시 스마트시티", "body": "[합성] 본문."},
        {"article_id": "b", "outlet": "합성일보", "published": "2021-02-30",
         "title": "[합성] 날짜가 틀린 기사", "body": "[합성] 본문."}])
    (folder / "broken.csv").write_text("이것은,표가,아닙니다\n1\n", encoding="utf-8")
    corpus = load_corpus(folder, progress=False, on_error="skip")
    tagged = per_year({"sejong": {y: 12 for y in range(2019, 2022)},
                       "daejeon": {y: 12 for y in range(2019, 2022)}})
    plain = tt.findings(tagged, freq="YS", min_n=10)
    found = tt.findings(tagged, freq="YS", min_n=10, corpus=corpus)
    assert found.en[1] == ("1 file could not be read and 1 record was left out (50% of the "
                           "records read) (the reasons are in the tables of report 01, corpus "
                           "overview, section 1).")
    assert found.ko[1] == ("파일 1개를 읽지 못했고 레코드 1건(읽은 레코드의 50%)을 제외했습니다 "
                           "(사유는 01 코퍼스 개요 보고서 1절의 표).")
    assert found.en[:1] + found.en[2:] == plain.en
    assert found.facts.equals(plain.facts)


def test_the_findings_open_with_how_many_pass_their_checks() -> None:
    """Before the findings themselves, a reader learns how many of them pass every check they
    were asked (the glance table's 통과 column), in the HTML, the text and the English part."""
    glance = pd.DataFrame({"발견": ["a", "b", "c"], "판정": ["", "", ""],
                           "통과": ["5/5", "2/3", "3/4"]})
    found = tt.Findings(ko=["첫 발견"], en=["first finding"]).with_glance(glance)
    assert found.glance_summary("ko").startswith(
        "아래 유의한 발견 3개 가운데 점검을 모두 통과한 것은 1개")
    assert "Of the 3 significant findings below, 1 pass" in found.glance_summary("en")
    html = found._repr_html_()
    assert html.index("점검을 모두 통과한 것은 1개") < html.index("첫 발견")
    assert html.index("Of the 3 significant") < html.index("first finding")
    assert str(found).splitlines()[1].startswith("아래 유의한 발견 3개")
    held = tt.Findings(ko=["x"], en=["x"]).with_glance(glance.assign(통과=["5/5", "3/3", "4/4"]))
    assert held.glance_summary("ko").startswith(
        "아래 유의한 발견 3개 모두 받은 점검을 전부 통과했습니다 (표 참고).")
    # "significant" is per table: the list is not one family of tests.
    for lang in ("ko", "en"):
        assert found.glance_summary(lang).endswith(tt.FAMILIES_NOTE[lang])
        assert held.glance_summary(lang).endswith(tt.FAMILIES_NOTE[lang])
    assert tt.Findings(ko=["x"], en=["x"]).glance_summary("ko") == ""
    assert tt.Findings(ko=["x"], en=["x"]).with_glance(glance.head(0)).glance_summary("ko") == ""


def test_a_city_under_min_n_gets_counts_but_no_share() -> None:
    rows = [{"published": pd.Timestamp("2021-03-01"), "region": city, "smart_city": True,
             "topics": ("mobility",)} for city, n in (("sejong", 2), ("daejeon", 12))
            for _ in range(n)]
    found = tt.findings(make_tagged(rows), freq="YS", min_n=10)
    sejong = next(s for s in found.ko if s.startswith("세종: 스마트시티 기사"))
    assert sejong == "세종: 스마트시티 기사 2건 / 전체 2건 (n < 10이라 비중은 내지 않습니다)."
    daejeon = next(s for s in found.en if s.startswith("Daejeon: smart-city articles"))
    assert "95% CI" in daejeon


def test_every_reason_a_correction_is_missing_is_said_in_korean() -> None:
    """The Korean findings say why a share, a difference or a trend was not corrected for
    tagging error in Korean (they quoted the English note), keeping an era's name."""
    from lib.analysis import accuracy

    notes = [value for name, value in vars(accuracy).items() if name.startswith("NOTE_")]
    assert len(notes) >= 8
    for note in notes:
        korean = tt.correction_note_ko(note)
        assert re.search("[가-힣]", korean) and not re.search("[A-Za-z]{3,}", korean), note
    assert tt.correction_note_ko(f"2020-2022: {accuracy.NOTE_CHANCE}").startswith("2020-2022: 라벨")


def test_the_commonest_reject_reason_is_named_when_records_share_it(tmp_path) -> None:
    from lib.corpus import load_corpus
    from tests.conftest import write_canonical_csv

    folder = tmp_path / "corpus"
    folder.mkdir()
    write_canonical_csv(folder / "mixed.csv", [
        {"article_id": "a", "outlet": "합성일보", "published": "2021-01-02",
         "title": "[합성] 세종시 스마트시티", "body": "[합성] 본문."},
        *({"article_id": f"n{i}", "outlet": "합성일보", "published": "2021-01-03",
           "title": "", "body": "[합성] 제목이 없는 본문."} for i in range(3))])
    corpus = load_corpus(folder, progress=False, on_error="skip")
    ko, en = tt.dropped_sentences(corpus, where=("표", "the table"))
    reason = corpus.rejects["reason"].iloc[0]
    assert ko == f"레코드 3건(읽은 레코드의 75%; 가장 많은 사유: {reason} 3건)을 제외했습니다 (사유는 표)."
    assert en.startswith(f"3 records were left out (75% of the records read; the commonest "
                         f"reason: {reason} (3))")


def test_a_cited_difference_is_flagged_by_the_stated_f1_gap_or_few_labels() -> None:
    """The rule is said with the flagged topics: F1 apart by CITY_F1_GAP or more, or fewer
    than FEW_CITY_LABELS labelled stories in a city; a gap just under it is not flagged."""
    def counts(region: str, topic: str, tp: int, fp: int, fn: int) -> dict[str, object]:
        return {"region": region, "tag": "topic", "value": topic, "tp": tp, "fp": fp, "fn": fn,
                "tn": 100}

    rates = pd.DataFrame([
        counts("sejong", "data_ai", 30, 10, 10), counts("daejeon", "data_ai", 12, 12, 12),
        counts("sejong", "mobility", 30, 10, 10), counts("daejeon", "mobility", 17, 10, 10),
        counts("sejong", "pilot_city", 30, 10, 10), counts("daejeon", "pilot_city", 4, 1, 1),
    ])  # F1: data_ai 0.75 vs 0.50; mobility 0.75 vs 0.63; pilot_city n=5 in Daejeon
    ko: list[str] = []
    en: list[str] = []
    tt._city_reliability_sentences(ko, en, rates, ["data_ai", "mobility", "pilot_city"],
                                   a="sejong", b="daejeon")
    assert en[0].startswith("City differences whose topic tag's F1 differs by 0.20 or more "
                            "between the two cities, or was measured on fewer than 10")
    assert "Data & AI (Sejong F1 0.75, n=40; Daejeon 0.50, n=24)" in en[0]
    assert "Pilot city" in en[0] and "Mobility" not in en[0]
    assert ko[0].startswith("두 도시 차이 중 태그 F1이 도시마다 0.20 이상 다르거나")
