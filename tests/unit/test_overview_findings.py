"""Notebook 01's findings on small and odd corpora: no city difference tested on a handful of
articles, what the loader dropped said on the first screen, and reject groups that name their
rows (synthetic)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.analysis import overview
from lib.corpus import Corpus, load_corpus
from tests.conftest import tagged_rows, write_canonical_csv


def _thin_and_full(n_a: int, n_b: int, *, smart: bool = False) -> pd.DataFrame:
    """``n_a`` Sejong and ``n_b`` Daejeon articles in two months of 2021, smart-city or not."""
    rows = [{"published": pd.Timestamp(f"2021-0{1 + i % 2}-10"), "region": city,
             "smart_city": smart}
            for city, n in (("sejong", n_a), ("daejeon", n_b)) for i in range(n)]
    return tagged_rows(rows)


def test_cities_are_not_compared_when_one_has_fewer_than_min_n_articles() -> None:
    """Two articles against ten (the BigKinds downloads) give no test of the difference: the
    findings say why, with each city's n, and record no share_difference fact."""
    found = overview.coverage_findings(_thin_and_full(2, 10), freq="MS", min_n=10)
    assert "share_difference" not in set(found.facts["kind"])
    assert not any("%p" in s for s in found.ko) and not any("p = " in s for s in found.en)
    last_ko, last_en = found.ko[-1], found.en[-1]
    assert "세종(n=2)·대전(n=10)" in last_ko and "비교하지 않았습니다" in last_ko
    assert "Sejong (n=2) or Daejeon (n=10) has fewer than 10 articles" in last_en
    assert "not compared" in last_en
    # and no share of two articles, as the charts draw none: counts only
    sejong_ko = next(s for s in found.ko if s.startswith("세종: "))
    assert "n < 10이라 비중은 내지 않습니다" in sejong_ko and "신뢰구간" not in sejong_ko
    assert next(s for s in found.en if s.startswith("Daejeon: ")).count("CI") == 1
    # with both cities at min_n the difference is tested as before
    both = overview.coverage_findings(_thin_and_full(10, 10), freq="MS", min_n=10)
    assert "share_difference" in set(both.facts["kind"])
    assert both.en[-1].startswith("Smart-city share, Sejong minus Daejeon:")


def test_share_trend_is_not_tested_through_periods_below_min_n() -> None:
    """Nineteen articles over six years: no year reaches min_n, so no trend is claimed."""
    rows = [{"published": pd.Timestamp(f"{2019 + i % 6}-05-01"), "region": city,
             "smart_city": i % 5 != 0}
            for city in ("sejong", "daejeon") for i in range(19)]
    found = overview.coverage_findings(tagged_rows(rows), freq="YS", min_n=10)
    assert "share_trend" not in set(found.facts["kind"])
    assert all("fewer than 2 periods with n >= 10" in s for s in found.en[1:3])
    # the Korean sentences give the reason in Korean
    assert all("n ≥ 10인 기간이 2개 미만" in s and "fewer" not in s for s in found.ko[1:3])


def test_every_note_of_a_trend_not_fitted_reads_in_korean() -> None:
    from lib.analysis import topic_trends as tt

    for note, korean in [("n < 10", "기사가 10건 미만"),
                         ("fewer than 3 periods with articles", "기사가 있는 기간이 3개 미만"),
                         ("fewer than 2 periods with n >= 5", "n ≥ 5인 기간이 2개 미만"),
                         ("topic on every article", "모든 기사에 주제가 붙음"),
                         ("not estimable", "추정 불가"),
                         ("something new", "something new")]:
        assert tt.note_ko(note) == korean


def _corpus_with_drops(folder: Path) -> Corpus:
    folder.mkdir()
    good = [{"article_id": f"a{i}", "outlet": "합성일보", "published": f"2021-01-0{i + 1}",
             "title": f"[합성] 세종시 스마트시티 {i}", "body": "[합성] 세종시 스마트시티 본문."}
            for i in range(3)]
    bad = [{"article_id": "b1", "outlet": "합성일보", "published": "2021-13-45",
            "title": "[합성] 날짜가 틀린 기사", "body": "본문"},
           {"article_id": "b2", "outlet": "합성일보", "published": "2021-01-05", "title": "",
            "body": "제목이 없는 기사"}]
    write_canonical_csv(folder / "mixed.csv", good + bad)
    (folder / "broken.csv").write_text("이것은,표가,아닙니다\n1\n", encoding="utf-8")
    return load_corpus(folder, progress=False, on_error="skip")


def test_findings_say_what_the_loader_dropped(tmp_path: Path) -> None:
    """Refused files and rejected records get one sentence, second, so the index page (which
    shows these findings) mentions them; old calls without the corpus are unchanged."""
    corpus = _corpus_with_drops(tmp_path / "corpus")
    assert len(corpus.refused) == 1 and len(corpus.rejects) == 2
    tagged = _thin_and_full(12, 12, smart=True)
    plain = overview.coverage_findings(tagged, freq="MS", min_n=10)
    found = overview.coverage_findings(tagged, freq="MS", min_n=10, corpus=corpus)
    assert found.ko[1] == ("파일 1개를 읽지 못했고 레코드 2건(읽은 레코드의 40%)을 제외했습니다 "
                           "(사유는 아래 1절의 파일 표와 제외 사유 표).")
    assert found.en[1].startswith("1 file could not be read and 2 records were left out")
    assert found.ko[:1] + found.ko[2:] == plain.ko and found.en[:1] + found.en[2:] == plain.en
    # nothing dropped: nothing said
    clean = tmp_path / "clean"
    clean.mkdir()
    write_canonical_csv(clean / "good.csv", [
        {"article_id": "c", "outlet": "합성일보", "published": "2021-01-02",
         "title": "[합성] 제목", "body": "[합성] 본문."}])
    corpus = load_corpus(clean, progress=False)
    assert overview.coverage_findings(tagged, freq="MS", min_n=10, corpus=corpus).ko == plain.ko


def test_reject_reasons_name_the_rows_of_each_group(tmp_path: Path) -> None:
    rejects = pd.DataFrame({
        "source_file": ["a.xlsx"] * 12 + ["b.json"],
        "record": [f"row {n}" for n in (52, 36, 41, 44, 45, 83, 102, 113, 135, 159, 170, 171)]
        + ["item 3"],
        "reason": ["excluded by BigKinds: 예외"] * 12 + ["no title"],
    })
    table = overview.reject_reasons(rejects).set_index("source_file")
    assert list(table.columns) == ["reason", "n_records", "records"]
    assert table.at["a.xlsx", "records"] == "row 36, 41, 44, 45, 52, 83, 102, 113, 135, 159, …"
    assert table.at["b.json", "records"] == "item 3"
    # the loader's own labels, read from a file
    corpus = _corpus_with_drops(tmp_path / "corpus")
    table = overview.reject_reasons(corpus.rejects)
    assert table["records"].str.match(r"row \d+$").all()
    assert overview.reject_reasons(corpus.rejects.iloc[:0]).columns[-1] == "records"


def test_findings_say_how_many_articles_count_for_neither_city() -> None:
    rows = [{"published": "2021-03-02", "region": region, "smart_city": i % 2 == 0}
            for region, n in (("sejong", 12), ("daejeon", 12), ("neither", 6), ("both", 2))
            for i in range(n)]
    found = overview.coverage_findings(tagged_rows(rows), freq="YS", min_n=10)
    assert ("어느 한 도시로 세지 않은 기사: 8건 / 32건 (25%; 스마트시티 기사 4건 / 16건), "
            "그중 '해당 없음' 6건.") in " ".join(found.ko)
    assert "Articles counted for neither city alone: 8 of 32 (25%" in " ".join(found.en)
    only_cities = [r for r in rows if r["region"] in ("sejong", "daejeon")]
    found = overview.coverage_findings(tagged_rows(only_cities), freq="YS", min_n=10)
    assert not any("어느 한 도시로" in s for s in found.ko)
