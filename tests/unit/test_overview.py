"""The overview notebook's tables: loaded/rejected/duplicates, lead-only warning, escaping."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.analysis import overview
from lib.analysis import topic_trends as tt
from lib.tagging import ensure_tags, tag_articles
from lib.analysis import trends
from lib.corpus import load_corpus, manifest_fingerprint
from lib.corpus.schema import to_frame
from tests.conftest import tagged_rows, write_canonical_csv

HOSTILE_TITLE = '<script>alert("x")</script> 세종 스마트시티'
HOSTILE_OUTLET = '<img src=x onerror=alert(1)>일보'


@pytest.fixture
def small_corpus(tmp_path: Path):
    rows = [
        {"article_id": "a1", "outlet": "세종일보", "published": "2021-01-05",
         "title": "세종시 자율주행 버스 시범 운행", "body": "세종시가 자율주행 버스를 운행한다."},
        # entity-escaped in the file: the loader unescapes tables' text (and strips real tags)
        {"article_id": "a2", "outlet": html.escape(HOSTILE_OUTLET), "published": "2021-02-05",
         "title": html.escape(HOSTILE_TITLE), "body": "대전시 데이터 플랫폼 구축 사업이 시작됐다.",
         "lead_only": "true"},
        {"article_id": "a3", "outlet": "세종일보", "published": "2021-13-45",
         "title": "날짜가 틀린 기사", "body": "본문"},
        {"article_id": "a4", "outlet": "", "published": "", "title": "",
         "body": "제목이 없는 기사"},
    ]
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_canonical_csv(folder / "mini.csv", rows)
    return load_corpus(folder)


def test_load_summary_and_files_table_account_for_every_record(small_corpus) -> None:
    summary = overview.load_summary(small_corpus).set_index("what")["n"]
    assert summary["read"] == 4
    assert summary["loaded"] + summary["rejected"] == summary["read"]
    assert summary["rejected"] == 2
    assert summary["lead_only"] == 1
    files = overview.files_table(small_corpus)
    assert files["rows_read"].sum() == 4
    assert (files["rows_read"] == files["rows_loaded"] + files["rows_rejected"]).all()
    assert not any(name.startswith("/") for name in files["source_file"])
    reasons = overview.reject_reasons(small_corpus.rejects)
    assert reasons["n_records"].sum() == 2
    assert reasons["reason"].str.contains("no title").any()
    assert reasons["reason"].str.contains("unparseable date").any()


def test_outlets_table_counts(small_corpus) -> None:
    table = overview.outlets_table(small_corpus.articles).set_index("outlet")
    assert table.loc["세종일보", "n_articles"] == 1
    assert table.loc[HOSTILE_OUTLET, "n_lead_only"] == 1
    assert table.loc["세종일보", "first"] == "2021-01-05"
    assert (table["n_unique"] == table["n_articles"] - table["n_duplicates"]).all()


def test_displayed_tables_escape_hostile_titles_and_outlets(small_corpus) -> None:
    tagged = tag_articles(small_corpus.articles, cache=False).articles
    tagged["smart_city"] = True
    tagged["region"] = "sejong"
    tagged["topics"] = [("mobility",)] * len(tagged)
    tables = [
        overview.outlets_table(small_corpus.articles),
        tagged[["article_id", "outlet", "title"]],
    ]
    for table in tables:
        rendered = table._repr_html_()  # what Jupyter and nbconvert show
        assert "<script>" not in rendered and "<img src=x" not in rendered
        assert "&lt;script&gt;" in rendered or "&lt;img src=x onerror=alert(1)&gt;" in rendered


def test_lead_only_notice_is_escaped_and_says_what_it_limits() -> None:
    articles = to_frame([{"article_id": "a", "title": "t", "lead_only": True},
                         {"article_id": "b", "title": "u", "lead_only": False}])
    notice = overview.lead_only_notice(articles)
    assert notice is not None
    assert "1건 / 2건" in notice.title
    assert any("키워드" in line for line in notice.lines)
    hostile = overview.Notice(title="<b>x</b>", lines=["<script>y</script>"])
    assert "<script>" not in hostile._repr_html_() and "&lt;script&gt;" in hostile._repr_html_()
    assert overview.lead_only_notice(articles.assign(lead_only=False)) is None


def test_missing_or_empty_tags_still_give_tables() -> None:
    articles = to_frame([{"article_id": f"a{i}", "title": "기사", "published": "2021-03-01"}
                         for i in range(3)])
    tagged = ensure_tags(articles)
    assert (tagged["region"] == "neither").all() and not tagged["smart_city"].any()
    half = articles.assign(region=["sejong", None, ""], smart_city=[True, None, False])
    filled = ensure_tags(half)
    assert filled["region"].tolist() == ["sejong", "neither", "neither"]
    assert filled["smart_city"].tolist() == [True, False, False]
    notice = overview.tag_notice(tagged)
    assert notice is not None and len(notice.lines) == 2
    assert (trends.topic_counts(tagged)["n_docs"] == 0).all()
    counts = overview.counts_table(tagged)
    assert counts.loc["합계", ("해당 없음", "전체")] == 3


def test_counts_table_totals_match_count_articles() -> None:
    articles = to_frame([
        {"article_id": "a", "title": "t", "published": "2021-01-02"},
        {"article_id": "b", "title": "t", "published": "2021-01-03", "is_duplicate": True},
        {"article_id": "c", "title": "t", "published": "2021-07-03"},
    ])
    tagged = ensure_tags(articles.assign(region=["sejong", "sejong", "daejeon"]))
    table = overview.counts_table(tagged, freq="QS")
    assert list(table.index) == ["2021Q1", "2021Q2", "2021Q3", "합계"]
    assert table.loc["2021Q1", ("세종", "중복 제거")] == 1
    assert table.loc["2021Q1", ("세종", "전체")] == 2
    assert table.loc["2021Q2"].sum() == 0
    assert table.loc["합계", ("대전", "중복 제거")] == 1


def test_share_table_text() -> None:
    rows = [{"article_id": f"a{i}", "title": "t", "published": "2021-01-05"} for i in range(12)]
    tagged = ensure_tags(to_frame(rows).assign(
        region=["sejong"] * 10 + ["daejeon"] * 2, smart_city=[True] * 5 + [False] * 7))
    table = overview.share_table(trends.smart_city_share(tagged, min_n=10))
    assert re.fullmatch(r"50% \[\d+–\d+\] 5/10", table.loc["2021Q1", "세종"])
    assert table.loc["2021Q1", "대전"] == "n < 10 (n=2)"


def test_corpus_fingerprint_depends_on_names_and_hashes_not_order() -> None:
    manifest = pd.DataFrame({"source_file": ["a.csv", "b.csv"], "sha256": ["11", "22"]})
    same = manifest_fingerprint(manifest.iloc[::-1])
    assert manifest_fingerprint(manifest) == same
    assert len(same) == 64
    renamed = manifest.assign(source_file=["a.csv", "c.csv"])
    edited = manifest.assign(sha256=["11", "23"])
    assert manifest_fingerprint(renamed) != same
    assert manifest_fingerprint(edited) != same
    # by content alone: renaming leaves it, editing changes it
    content = manifest_fingerprint(manifest, names=False)
    assert manifest_fingerprint(renamed, names=False) == content != same
    assert manifest_fingerprint(edited, names=False) != content


def test_period_labels() -> None:
    periods = pd.Series(pd.to_datetime(["2021-01-01", "2021-04-01"]))
    assert trends.period_labels(periods, freq="QS").tolist() == ["2021Q1", "2021Q2"]
    assert trends.period_labels(periods, freq="MS").tolist() == ["2021-01", "2021-04"]
    assert trends.period_labels(periods, freq="YS").tolist() == ["2021", "2021"]


def _overview_tables(corpus) -> dict[str, pd.DataFrame]:
    """Every table the overview notebook shows, computed the way the notebook does."""
    tagged = tag_articles(corpus.articles, cache=False).articles
    return {
        "summary": overview.load_summary(corpus),
        "folders": overview.files_by_folder(corpus),
        "files": overview.files_table(corpus, notable_only=True),
        "rejects": overview.reject_reasons(corpus.rejects),
        "outlets": overview.outlets_table(corpus.articles),
        "counts": overview.counts_table(tagged),
        "shares": overview.share_table(trends.smart_city_share(tagged)),
    }


def test_bigkinds_only_corpus_gives_every_table_and_the_lead_only_warning(tmp_path: Path) -> None:
    from tests.conftest import bigkinds_row, write_bigkinds_xlsx

    rows = [
        bigkinds_row(**{"뉴스 식별자": f"01100401.2021031510301200{i}", "일자": "20210315"})
        for i in range(3)
    ]
    rows.append(bigkinds_row(**{"뉴스 식별자": "01100401.20210316103012009", "일자": "20210316",
                                "제목": HOSTILE_TITLE, "분석제외 여부": "중복"}))
    folder = tmp_path / "bk"
    folder.mkdir()
    write_bigkinds_xlsx(folder / "NewsResult_20210315-20210316.xlsx", rows)
    corpus = load_corpus(folder)
    assert corpus.articles["lead_only"].all()
    tables = _overview_tables(corpus)
    assert tables["summary"].set_index("what").loc["rejected", "n"] == 1
    assert "중복" in tables["rejects"]["reason"].iloc[0]
    notice = overview.lead_only_notice(corpus.articles)
    assert notice is not None and "3건 / 3건" in notice.title
    assert "BigKinds" in notice.title and "피드" not in notice.title


def test_the_lead_only_warning_names_feeds_and_headline_only_items() -> None:
    corpus = load_corpus(paths.FIXTURES_DIR / "feeds", dedup=False)
    notice = overview.lead_only_notice(corpus.articles)
    assert notice is not None
    assert "5건 / 7건" in notice.title and "BigKinds" not in notice.title
    assert "뉴스 피드는 요약만" in notice.title and "3건은 제목뿐" in notice.title


def test_real_bigkinds_downloads_give_every_table(real_bigkinds: list[Path]) -> None:
    corpus = load_corpus(real_bigkinds)
    tables = _overview_tables(corpus)
    summary = tables["summary"].set_index("what")["n"]
    assert summary["read"] == summary["loaded"] + summary["rejected"]
    assert tables["folders"].iloc[-1]["rows_read"] == summary["read"]
    assert overview.lead_only_notice(corpus.articles) is not None
    assert tables["outlets"]["n_articles"].sum() == summary["loaded"]


def test_refused_files_are_listed_at_the_top(tmp_path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_canonical_csv(folder / "good.csv", [
        {"article_id": "a", "outlet": "o", "published": "2021-01-02", "title": "[합성] 제목",
         "body": "[합성] 세종시 스마트시티 본문입니다." * 5}])
    (folder / "broken.csv").write_text("이것은,표가,아닙니다\n1\n", encoding="utf-8")
    corpus = load_corpus(folder, progress=False, on_error="skip")
    notice = overview.refused_notice(corpus)
    assert notice is not None and "1개" in notice.title
    assert len(notice.lines) == 1 and notice.lines[0].count("broken.csv") == 1  # named once, then why
    assert overview.refused_notice(load_corpus(folder / "good.csv", progress=False)) is None
    # files refused for the same reason share one line: the reason, how many, the first few
    for k in range(4):
        (folder / f"memo{k}.txt").write_text(f"메모 {k}\n회의 자료를 정리한다.\n", encoding="utf-8")
    corpus = load_corpus(folder, progress=False, on_error="skip")
    lines = overview.refused_notice(corpus, files_per_reason=2).lines
    assert len(lines) == 2 and sum("broken.csv" in line for line in lines) == 1
    memo = next(line for line in lines if "memo" in line)
    assert memo.startswith("4개 파일 — not a corpus file") and memo.count("memo") == 2 and memo.endswith("외 2개")


def test_kinds_table_counts_each_kind_per_region_all_and_smart_city() -> None:
    import pandas as pd

    from lib.analysis import overview

    tagged = pd.DataFrame({
        "article_id": ["a", "b", "c", "d", "e"],
        "title": ["[사설] 합성 사설", "합성 기사", "합성 기사 둘", "[간추린 소식] 합성", "합성 복사본"],
        "section": ["", "", "오피니언", "", ""],
        "region": ["sejong", "sejong", "daejeon", "daejeon", "sejong"],
        "smart_city": [True, False, True, True, True],
        "topics": [()] * 5,
        "published": pd.Timestamp("2024-01-01"),
        "is_duplicate": [False, False, False, False, True],
    })
    table = overview.kinds_table(tagged)
    assert table.loc["사설·칼럼 (opinion)", ("세종", "전체")] == 1
    assert table.loc["사설·칼럼 (opinion)", ("대전", "스마트시티")] == 1  # from its section
    assert table.loc["단신 (brief)", ("대전", "전체")] == 1
    assert table.loc["합계", ("세종", "전체")] == 2  # the duplicate counts once
    assert table.loc["보도 (news)", ("세종", "스마트시티")] == 0
    assert overview.kinds_table(tagged.iloc[:0]).empty


def _cities(rng, *, rising: float, flat: float, years: int = 8, per_year: int = 120
            ) -> pd.DataFrame:
    """Synthetic tagged articles: Sejong's smart-city share rises by ``rising`` a year from
    30%, Daejeon's stays at ``flat``; ``per_year`` articles per city and year."""
    rows = []
    for year in range(years):
        for city, share in (("sejong", 0.3 + rising * year), ("daejeon", flat)):
            for hit in rng.random(per_year) < share:
                rows.append({"published": pd.Timestamp(f"{2016 + year}-06-01"), "region": city,
                             "smart_city": bool(hit)})
    return tagged_rows(rows)


def test_coverage_findings_answer_notebook_01_at_a_glance() -> None:
    """A rising Sejong share is called rising with its fitted first and last shares, a flat
    Daejeon one is not, and the whole-span difference is given with its interval; the facts
    carry every number (synthetic)."""
    import numpy as np

    found = overview.coverage_findings(_cities(np.random.default_rng(3), rising=0.06,
                                               flat=0.45), freq="YS")
    span, sejong, daejeon, gap = found.en
    assert span.startswith("Span 2016-06 to 2023-06; period: year")
    assert sejong.startswith("Sejong: ") and "its share rose significantly" in sejong
    assert "no significant trend in its yearly shares" in daejeon
    assert gap.startswith("Smart-city share, Sejong minus Daejeon:")
    kinds = found.facts.set_index(["kind", "region"])
    assert kinds.loc[("share_trend", "sejong"), "value"] > 0
    assert kinds.loc[("share_trend", "sejong"), "p_adjusted"] < 0.05
    assert kinds.loc[("share_trend", "daejeon"), "p_adjusted"] > 0.05
    volume = kinds.loc[("volume", "sejong")]
    assert volume["ci_low"] < volume["value"] < volume["ci_high"] and volume["n"] == 960
    difference = kinds.loc[("share_difference", "sejong-daejeon")]
    assert difference["ci_low"] <= difference["value"] <= difference["ci_high"]
    assert len(found.ko) == 4 and "유의하게 늘었습니다" in found.ko[1]
    assert found.ko[0].startswith("기간 2016-06~2023-06; 기간 단위: 연도")
    assert "(연도별 적합값; 연간 오즈비 " in found.ko[1] and "BH 보정 p값 " in found.ko[1]
    assert "95% 신뢰구간 " in found.ko[1] and "[" not in found.ko[1] and "오즈 연" not in found.ko[1]
    assert found.ko[3].startswith("스마트시티 기사 비중의 도시 차이 (세종 − 대전): ")
    assert "%p (95% 신뢰구간 " in found.ko[3] and "[" not in found.ko[3]
    assert all(k in tt.FACT_KINDS for k in found.facts["kind"])
    empty = overview.coverage_findings(_cities(np.random.default_rng(3), rising=0.0,
                                               flat=0.45, years=2), freq="YS")
    assert "cannot be tested (fewer than 3 periods with articles)" in empty.en[1]
    # at another level the sentences name it: 90% intervals are not called 95%
    ninety = overview.coverage_findings(_cities(np.random.default_rng(3), rising=0.06,
                                                flat=0.45), freq="YS", alpha=0.1)
    assert all("95% 신뢰구간" not in line for line in ninety.ko)
    assert "연간 오즈비 " in ninety.ko[1] and "90% 신뢰구간 " in ninety.ko[1]


def test_what_is_left_out_is_written_record_by_record(tmp_path: Path) -> None:
    """The rejects file lists each rejected record and refused file with its reason; the
    duplicates file lists every copy of a story, the counted one first and named in each row."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    body = "세종시가 스마트시티 국가시범도시 5-1생활권에 자율주행 셔틀을 들인다고 밝혔다. " * 3
    write_canonical_csv(folder / "a.csv", [
        {"article_id": "s1", "outlet": "세종일보", "published": "2021-01-05",
         "title": "세종 자율주행 셔틀", "body": body},
        {"article_id": "bad", "outlet": "세종일보", "published": "2021-13-45",
         "title": "날짜가 틀린 기사", "body": "본문"}])
    write_canonical_csv(folder / "b.csv", [
        {"article_id": "s2", "outlet": "대전일보", "published": "2021-01-05",
         "title": "세종 자율주행 셔틀", "body": body}])
    (folder / "empty.csv").write_bytes(b"")
    corpus = load_corpus(folder, progress=False)
    rejects_csv, duplicates_csv = overview.export_left_out(
        corpus, tmp_path / "out" / "01_rejects.csv", tmp_path / "out" / "01_duplicates.csv")
    rejects = pd.read_csv(rejects_csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(rejects.columns) == list(overview.REJECT_EXPORT_COLUMNS)
    assert len(rejects) == len(corpus.rejects) + len(corpus.refused) == 2
    assert rejects["reason"].str.contains("date").any()
    assert "(file)" in set(rejects["record"])
    duplicates = pd.read_csv(duplicates_csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(duplicates.columns) == list(overview.DUPLICATE_EXPORT_COLUMNS)
    assert sorted(duplicates["article_id"]) == ["s1", "s2"]
    assert list(duplicates["kept"]) == [True, False]  # the counted copy first
    kept = corpus.articles.loc[~corpus.articles["is_duplicate"].astype(bool)
                               & corpus.articles["article_id"].isin(["s1", "s2"]), "article_id"]
    assert set(duplicates["kept_id"]) == set(kept)
