"""Rejects say which story was left out: the record's own identifier and its headline, beside
the file, the record's place in it and the reason (every text here is invented)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.analysis import overview
from lib.corpus import REJECT_COLUMNS, load_corpus
from lib.corpus import cache as corpus_cache
from lib.corpus import bigkinds, tables
from lib.corpus.columns import map_columns
from lib.corpus.errors import RecordError
from lib.corpus.loader import _finish
from lib.corpus.schema import REJECT_TITLE_CHARS, normalize_text, reject_identity
from lib.present import codebook
from tests.conftest import bigkinds_row, write_bigkinds_csv, write_bigkinds_xlsx

EXCLUDED_ID = "01100401.20210316090000001"
UNDATED_ID = "01100401.20210317090000001"


def _by_record(corpus) -> dict[str, dict[str, str]]:
    return {r["record"]: r for r in corpus.rejects.to_dict("records")}


def _assert_counts_add_up(corpus) -> None:
    m = corpus.manifest
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all()
    assert int(m["rows_rejected"].sum()) == len(corpus.rejects)


def test_reject_columns_name_the_story_between_record_and_reason() -> None:
    assert REJECT_COLUMNS == ("source_file", "record", "article_id", "title", "reason")


@pytest.mark.parametrize("writer", [write_bigkinds_xlsx, write_bigkinds_csv])
def test_bigkinds_rejects_give_the_rows_identifier_and_title(tmp_path: Path, writer) -> None:
    rows = [
        bigkinds_row(),
        bigkinds_row(**{"뉴스 식별자": EXCLUDED_ID, "제목": "세종시 스마트 버스정류장 열 곳 더 만든다",
                        "분석제외 여부": "예외"}),
        bigkinds_row(**{"뉴스 식별자": UNDATED_ID, "일자": "20190230",
                        "제목": "대전  도시데이터 허브\n 시범 개방"}),
        bigkinds_row(**{"뉴스 식별자": "01100401.20210318090000001", "제목": ""}),
    ]
    path = writer(tmp_path / f"NewsResult{'.xlsx' if writer is write_bigkinds_xlsx else '.csv'}", rows)
    corpus = load_corpus(path, progress=False)
    assert list(corpus.rejects.columns) == list(REJECT_COLUMNS)
    rejects = corpus.rejects.assign(record=corpus.rejects["record"].str.replace(r" \(line \d+\)", "", regex=True))
    assert rejects[["record", "article_id", "title", "reason"]].values.tolist() == [
        ["row 3", EXCLUDED_ID, "세종시 스마트 버스정류장 열 곳 더 만든다", "excluded by BigKinds: 예외"],
        ["row 4", UNDATED_ID, "대전 도시데이터 허브 시범 개방", "unparseable date '20190230'"],
        ["row 5", "01100401.20210318090000001", "", "no title"],
    ]
    assert len(corpus.articles) == 1
    _assert_counts_add_up(corpus)


def test_a_csv_row_with_too_few_or_too_many_fields_is_named_by_its_id_and_title(tmp_path: Path
                                                                              ) -> None:
    """A row cut short after its headline, or split by a stray comma after it: the reject gives
    the row's id and headline as the header places them (synthetic rows)."""
    path = tmp_path / "scraped.csv"
    path.write_text(
        "id,title,body,published\n"
        "art-001,세종시 자율주행 셔틀 노선 늘린다,세종시가 셔틀 노선을 늘린다.,2021-03-15\n"
        "art-002,대전시 스마트 가로등 시범 설치\n"
        "art-003,세종 데이터 허브 개방,본문, 쉼표가 따옴표 없이,2021-03-17\n",
        encoding="utf-8")
    corpus = load_corpus(path, progress=False)
    rejects = _by_record(corpus)
    assert (rejects["row 3"]["article_id"], rejects["row 3"]["title"]) == (
        "art-002", "대전시 스마트 가로등 시범 설치")
    assert rejects["row 3"]["reason"].startswith("row cut short: 2 of 4 fields")
    assert (rejects["row 4"]["article_id"], rejects["row 4"]["title"]) == (
        "art-003", "세종 데이터 허브 개방")
    assert rejects["row 4"]["reason"].startswith("expected 4 fields, got 5")
    assert len(corpus.articles) == 1
    _assert_counts_add_up(corpus)


def test_a_short_row_is_named_as_the_loader_maps_the_columns(tmp_path: Path) -> None:
    """A Naver-style row cut short: its headline's markup is dropped, its empty originallink
    falls back to link, and a caller's ``columns=`` mapping names the headline column
    (synthetic rows)."""
    path = tmp_path / "naver.csv"
    path.write_text(
        "headline,originallink,link,description,pubDate\n"
        "<b>세종</b> 자율주행 셔틀 노선 확대,https://example.kr/1,https://n.example.kr/1,"
        "세종시가 셔틀 노선을 늘린다.,\"Mon, 15 Mar 2021 10:30:00 +0900\"\n"
        "<b>대전</b> 스마트 가로등 &quot;시범&quot;,,https://n.example.kr/2\n",
        encoding="utf-8")
    corpus = load_corpus(path, progress=False, columns={"headline": "title"})
    (reject,) = corpus.rejects.to_dict("records")
    assert (reject["article_id"], reject["title"]) == ("https://n.example.kr/2",
                                                       '대전 스마트 가로등 "시범"')
    assert reject["reason"].startswith("row cut short: 3 of 5 fields")
    assert len(corpus.articles) == 1


def test_a_table_row_without_a_title_gives_its_id_and_an_empty_title(tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    pd.DataFrame({
        "id": ["art-001", "art-002", "art-003"],
        "title": ["세종시 자율주행 셔틀 노선 늘린다", "", "대전시 스마트 가로등 시범 설치"],
        "body": ["세종시가 자율주행 셔틀 노선을 늘린다.", "제목 없이 저장된 본문이다.",
                 "대전시가 스마트 가로등을 시범 설치한다."],
        "published": ["2021-03-15", "2021-03-16", "2021-02-30"],
    }).to_csv(path, index=False, encoding="utf-8")
    corpus = load_corpus(path, progress=False)
    rejects = _by_record(corpus)
    assert (rejects["row 3"]["article_id"], rejects["row 3"]["title"]) == ("art-002", "")
    assert rejects["row 3"]["reason"] == "no title"
    assert (rejects["row 4"]["article_id"], rejects["row 4"]["title"]) == ("art-003", "대전시 스마트 가로등 시범 설치")
    assert rejects["row 4"]["reason"].startswith("unparseable date")
    _assert_counts_add_up(corpus)


def test_a_naver_item_is_named_by_its_link(tmp_path: Path) -> None:
    path = tmp_path / "naver.json"
    items = [
        {"title": "세종시 &quot;데이터 행정&quot; 넓힌다", "originallink": "https://news.example.kr/a/1",
         "link": "https://n.news.example.com/1", "description": "세종시가 데이터 행정을 넓힌다.",
         "pubDate": "Mon, 15 Mar 2021 10:30:00 +0900"},
        {"title": "", "originallink": "", "link": "https://n.news.example.com/2",
         "description": "제목이 빠진 항목이다.", "pubDate": "Mon, 15 Mar 2021 11:30:00 +0900"},
    ]
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    corpus = load_corpus(path, progress=False)
    (reject,) = corpus.rejects.to_dict("records")
    assert (reject["record"], reject["article_id"], reject["title"]) == ("item 2", "https://n.news.example.com/2", "")


_PAGE = """세종시, 스마트 쉼터 스무 곳 새로 연다

  • 사회
  • 세종

세종시, 스마트 쉼터 스무 곳 새로 연다

  • 승인 2020-02-30 10:00
  • 가나다 기자

세종시가 버스 정류장 옆에 냉난방과 공기 측정 장치를 갖춘 스마트 쉼터 스무 곳을 새로 연다.

시는 올해 상반기 안에 설치를 마치고 이용 현황을 분석해 더 늘릴 계획이다.

세종=가나다 기자 abc@example.kr

<저작권자 © 예시일보 무단전재 및 재배포금지>
"""


def test_a_saved_page_with_a_bad_date_gives_its_title(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(_PAGE, encoding="utf-8")
    corpus = load_corpus(path, progress=False)
    (reject,) = corpus.rejects.to_dict("records")
    assert reject["reason"] == "unparseable date '2020-02-30'"
    assert reject["title"] == "세종시, 스마트 쉼터 스무 곳 새로 연다"
    assert reject["article_id"] == ""
    _assert_counts_add_up(corpus)


def test_a_newsml_item_with_a_bad_date_gives_its_id_and_headline(tmp_path: Path) -> None:
    path = tmp_path / "item.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        '<newsItem guid="urn:newsml:example.kr:20210315:A0001" standard="NewsML-G2">'
        "<itemMeta><versionCreated>2021-02-30T10:00:00+09:00</versionCreated></itemMeta>"
        "<contentMeta><headline>대전시, 스마트 횡단보도 여덟 곳 설치</headline></contentMeta>"
        '<contentSet><inlineXML><nitf><body><body.content><p>대전시가 스마트 횡단보도를 설치한다.</p>'
        "</body.content></body></nitf></inlineXML></contentSet></newsItem></itemSet></newsMessage>\n",
        encoding="utf-8")
    corpus = load_corpus(path, progress=False)
    (reject,) = corpus.rejects.to_dict("records")
    assert reject["article_id"] == "urn:newsml:example.kr:20210315:A0001"
    assert reject["title"] == "대전시, 스마트 횡단보도 여덟 곳 설치"


def test_a_refused_file_and_a_record_never_read_have_no_id_or_title(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_bigkinds_xlsx(folder / "a.xlsx", [bigkinds_row(**{"분석제외 여부": "중복"})])
    (folder / "notes.csv").write_text("가,나,다\n1,2,3\n", encoding="utf-8")
    (folder / "feed.rss").write_text('<?xml version="1.0"?><rss version="2.0"><channel><item>', encoding="utf-8")
    corpus = load_corpus(folder, progress=False, on_error="skip")
    assert list(corpus.refused["source_file"].map(lambda s: Path(s).name)) == ["notes.csv"]
    rejects = corpus.rejects.set_index(corpus.rejects["source_file"].map(lambda s: Path(s).name))
    assert rejects.loc["feed.rss", ["record", "article_id", "title"]].tolist() == ["document", "", ""]
    assert rejects.loc["a.xlsx", "article_id"] == bigkinds_row()["뉴스 식별자"]
    written, _ = overview.export_left_out(corpus, tmp_path / "01_rejects.csv", tmp_path / "01_duplicates.csv")
    out = pd.read_csv(written, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(out.columns) == list(REJECT_COLUMNS)
    refused = out[out["record"] == "(file)"]
    assert len(refused) == 1 and (refused[["article_id", "title"]] == "").all(axis=None)
    assert out.loc[out["record"] == "row 2", "title"].item() == bigkinds_row()["제목"]


def test_the_codebook_says_what_the_rejects_files_columns_hold(tmp_path: Path) -> None:
    corpus = load_corpus(write_bigkinds_xlsx(tmp_path / "a.xlsx", [bigkinds_row(**{"분석제외 여부": "예외"})]),
                         progress=False)
    overview.export_left_out(corpus, tmp_path / "out" / "01_rejects.csv", tmp_path / "out" / "01_duplicates.csv")
    book = codebook.codebook(tmp_path / "out").set_index(["file", "column"])
    for column in ("record", "article_id", "title"):
        assert book.loc[("01_rejects.csv", column), "meaning"], column
    assert "뉴스 식별자" in book.loc[("01_rejects.csv", "article_id"), "meaning"]
    assert "refused" in book.loc[("01_rejects.csv", "title"), "meaning"]


def test_a_cached_corpus_with_the_old_reject_columns_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    corpus = load_corpus(write_bigkinds_xlsx(tmp_path / "a.xlsx", [bigkinds_row()]), progress=False)
    old = pd.DataFrame({"source_file": ["a.xlsx"], "record": ["row 3"], "reason": ["no title"]})
    corpus_cache.write_cached("k" * 64, {"articles": corpus.articles, "rejects": old,
                                         "manifest": corpus.manifest}, sources=corpus.sources)
    with pytest.warns(UserWarning, match="damaged"):
        assert corpus_cache.read_cached("k" * 64) is None


def test_reject_identity_folds_spaces_falls_back_to_the_address_and_cuts_long_titles() -> None:
    assert reject_identity("", " https://example.kr/1 ", " 세종\u3000스마트\n시티 ") == ("https://example.kr/1", "세종 스마트 시티")
    assert reject_identity("id-1", "https://example.kr/1", None) == ("id-1", "")
    ident, title = reject_identity("", "", "가" * (REJECT_TITLE_CHARS + 50))
    assert ident == "" and len(title) == REJECT_TITLE_CHARS and title.endswith("…")


def _identities(records) -> list[tuple[str, str] | None]:
    """Per record: None when loaded, else the rejected record's ``(article_id, title)``."""
    out: list[tuple[str, str] | None] = []
    for rec in records:
        if isinstance(rec, RecordError):
            out.append((rec.article_id, rec.title))
        else:
            out.append(None)
    return out


def test_column_wise_and_row_at_a_time_readers_name_rejects_alike() -> None:
    rows = [
        bigkinds_row(),
        bigkinds_row(**{"뉴스 식별자": EXCLUDED_ID, "분석제외 여부": "중복, 예외"}),
        bigkinds_row(**{"뉴스 식별자": UNDATED_ID, "일자": "", "제목": " 세종시  리빙랩 "}),
        bigkinds_row(**{"제목": "\u3164"}),
        bigkinds_row(**{"뉴스 식별자": "", "제목": "", "URL": "https://example.kr/news/9"}),
        bigkinds_row(**{"본문": "", "키워드": "", "특성추출(가중치순 상위 50개)": "", "URL": "",
                        "제목": "끝이 잘린 행"}),
    ]
    chunk = bigkinds.records_from_chunk(rows)
    expected = _identities(_finish(bigkinds.record_from_cells(r), "bigkinds", Counter())
                           for r in rows)
    got = [None if reason is None else chunk.identities[i] for i, reason in enumerate(chunk.reasons)]
    assert got == expected
    assert expected[2] == (UNDATED_ID, "세종시 리빙랩")
    assert expected[3] == (bigkinds_row()["뉴스 식별자"], "")
    assert expected[4] == ("https://example.kr/news/9", "")

    header = ["id", "title", "body", "published", "url"]
    cells = [
        {"id": "t-1", "title": "대전 스마트 쉼터", "body": "본문이다.", "published": "2021-03-15", "url": ""},
        {"id": "t-2", "title": "", "body": "본문이다.", "published": "2021-03-15", "url": ""},
        {"id": "", "title": "세종 데이터 허브", "body": "본문이다.", "published": "어제", "url": "https://example.kr/3"},
        {"id": "t-4", "title": "대전 리빙랩", "body": b"\xff", "published": "2021-03-15", "url": ""},
    ]
    colmap = map_columns(header)
    chunk = tables.records_from_chunk(cells, colmap)
    expected = _identities(_finish(tables.record_from_values(colmap.row_values(c.get)), "table", Counter())
                           for c in cells)
    got = [None if reason is None else chunk.identities[i] for i, reason in enumerate(chunk.reasons)]
    assert got == expected == [None, ("t-2", ""), ("https://example.kr/3", "세종 데이터 허브"),
                               ("t-4", normalize_text("대전 리빙랩"))]


def test_a_saved_page_without_an_article_is_named_by_its_head(tmp_path: Path) -> None:
    """A page nesting its text deeper than the HTML parser reads has no body, but its head
    still names it: the reject gives the page's <title> (synthetic page)."""
    from tests.fixtures.bad_inputs.cases import deep_html

    corpus = load_corpus(deep_html(2100)(tmp_path), progress=False)
    (reject,) = corpus.rejects.to_dict("records")
    assert reject["reason"].startswith("no body: the page nests its elements more than")
    assert reject["title"] == "합성 기사: 깊이 묻힌 본문"
    assert corpus.articles.empty
