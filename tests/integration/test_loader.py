"""load_corpus on BigKinds exports (xlsx, CSV conversions), tidy tables, and bad input."""

from __future__ import annotations

import codecs
import json
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.corpus import ARTICLE_COLUMNS, CorpusError, RecordError, load_corpus
from lib.corpus.bigkinds import HEADERS as BIGKINDS_HEADERS
from lib.corpus.dates import parse_date
from lib.corpus.schema import normalize_text
from lib.corpus.textio import mangled_encoding, needs_repair, repair_text
from tests.conftest import (
    bigkinds_row,
    mojibake,
    not_an_xlsx_zip,
    write_bigkinds_csv,
    write_bigkinds_xlsx,
    write_canonical_csv,
)


def _rows() -> list[dict[str, str]]:
    return [
        bigkinds_row(),
        bigkinds_row(
            **{
                "뉴스 식별자": "01500701.20190822190100002",
                "일자": "20190822",
                "제목": "세종시 스마트시티 시민참여단 출범",
                "통합 분류2": " 지역>충남",
                "통합 분류3": " 사회>교육_시험 ",
                "본문": "세종시가 5-1생활권 스마트시티 시민참여단을 꾸렸다.",
            }
        ),
        bigkinds_row(**{"뉴스 식별자": "01100401.20210316090000003", "일자": "20210316", "분석제외 여부": "중복"}),
        bigkinds_row(**{"뉴스 식별자": "01100401.20210316090000004", "일자": "20210316", "분석제외 여부": "중복, 예외"}),
        bigkinds_row(**{"뉴스 식별자": "01100401.20190230090000005", "일자": "20190230"}),
        bigkinds_row(**{"뉴스 식별자": "01100401.20210317090000006", "일자": "20210317", "제목": ""}),
    ]


def _assert_manifest_sums(corpus) -> None:
    m = corpus.manifest
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all(), m
    files = m[~m["format"].isin(["skipped", "refused"])]
    assert files["rows_loaded"].sum() == len(corpus.articles)
    assert files["rows_rejected"].sum() == len(corpus.rejects)


def test_bigkinds_xlsx_renames_parses_and_rejects(tmp_path: Path) -> None:
    write_bigkinds_xlsx(tmp_path / "NewsResult_20190101-20211231.xlsx", _rows())
    corpus = load_corpus(tmp_path)
    a = corpus.articles
    assert list(a.columns) == list(ARTICLE_COLUMNS)
    assert len(a) == 2 and len(corpus.rejects) == 4
    first = a.set_index("article_id").loc["01100401.20210315103012001"]
    assert first["outlet"] == "충청일보"
    assert first["reporter"] == "홍길동" and first["email"] == "hong@example.kr"
    assert first["published"] == pd.Timestamp("2021-03-15 10:30:12")
    assert first["categories"] == "사회>지역|지역>대전"
    assert first["lead_only"] and first["source_format"] == "bigkinds"
    second = a.set_index("article_id").loc["01500701.20190822190100002"]
    assert second["categories"] == "사회>지역|지역>충남|사회>교육_시험"
    reasons = sorted(corpus.rejects["reason"])
    assert reasons == sorted(
        [
            "excluded by BigKinds: 중복",
            "excluded by BigKinds: 중복, 예외",
            "unparseable date '20190230'",
            "no title",
        ]
    )
    assert set(corpus.rejects["record"]) == {"row 4", "row 5", "row 6", "row 7"}
    row = corpus.manifest.iloc[0]
    assert row["format"] == "bigkinds" and row["rows_read"] == 6
    _assert_manifest_sums(corpus)


@pytest.mark.parametrize("encoding, expected", [("utf-8-sig", "utf-8-sig"), ("cp949", "cp949")])
def test_bigkinds_csv_conversions_match_the_xlsx(tmp_path: Path, encoding: str, expected: str) -> None:
    xlsx = load_corpus(write_bigkinds_xlsx(tmp_path / "a.xlsx", _rows()))
    csv = load_corpus(write_bigkinds_csv(tmp_path / "a.csv", _rows(), encoding=encoding))
    assert csv.manifest.iloc[0]["encoding"] == expected
    assert csv.manifest.iloc[0]["format"] == "bigkinds"
    cols = [c for c in ARTICLE_COLUMNS if c != "source_file"]
    pd.testing.assert_frame_equal(
        xlsx.articles[cols].reset_index(drop=True), csv.articles[cols].reset_index(drop=True)
    )
    assert sorted(csv.rejects["reason"]) == sorted(xlsx.rejects["reason"])


def test_overlapping_date_slices_are_flagged_not_added(tmp_path: Path) -> None:
    rows = _rows()[:2]
    write_bigkinds_xlsx(tmp_path / "NewsResult_20190101-20210315.xlsx", rows)
    write_bigkinds_xlsx(tmp_path / "NewsResult_20210315-20211231.xlsx", rows[:1])
    corpus = load_corpus(tmp_path)
    a = corpus.articles
    assert len(a) == 3
    copies = a[a["article_id"] == "01100401.20210315103012001"]
    assert copies["dup_group"].nunique() == 1
    assert copies["is_duplicate"].sum() == 1
    assert len(corpus.unique) == 2


def test_canonical_tables_csv_jsonl_parquet(tmp_path: Path) -> None:
    records = [
        {"title": "대전 도심항공교통 실증 착수", "body": "대전시는 UAM 실증을 시작했다.", "outlet": "예시일보",
         "published": "2023-05-02 09:00", "extra": "x"},
        {"title": "세종 리빙랩 성과 공유", "body": "세종시 리빙랩 참여 시민이 늘었다.", "outlet": "예시일보",
         "published": "2023-02-30"},
        {"title": "", "body": "제목 없는 기사", "outlet": "예시일보", "published": "2023-06-01"},
    ]
    frame = pd.DataFrame(records)
    frame.to_csv(tmp_path / "t.csv", index=False)
    (tmp_path / "t.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n{broken\n", encoding="utf-8"
    )
    frame.drop(columns=["extra"]).to_parquet(tmp_path / "t.parquet")
    corpus = load_corpus(tmp_path)
    m = corpus.manifest.set_index("source_file")
    assert set(m["format"]) == {"table"}
    assert (m["rows_loaded"] == 1).all()
    assert m.filter(like="t.jsonl", axis=0)["rows_rejected"].item() == 3
    assert "ignored columns: extra" in m.filter(like="t.csv", axis=0)["note"].item()
    assert set(corpus.rejects["reason"]) >= {"unparseable date '2023-02-30'", "no title"}
    assert any(r.startswith("invalid JSON") for r in corpus.rejects["reason"])
    # the same story in three files is one story
    assert corpus.articles["dup_group"].nunique() == 1
    assert corpus.articles["is_duplicate"].sum() == 2
    assert (corpus.articles["published"] == pd.Timestamp("2023-05-02 09:00")).all()
    _assert_manifest_sums(corpus)


def test_text_is_normalised_at_the_door(tmp_path: Path) -> None:
    title = unicodedata.normalize("NFD", "세종시\u00a0스마트시티\u3000계획")
    pd.DataFrame([{"title": title, "body": "본문\r\n둘째 줄"}]).to_csv(tmp_path / "t.csv", index=False)
    a = load_corpus(tmp_path / "t.csv").articles
    assert a["title"].item() == "세종시 스마트시티 계획"
    assert a["body"].item() == "본문\n둘째 줄"
    assert unicodedata.is_normalized("NFC", a["title"].item())


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty file"),
        ("blob.txt", bytes(range(256)) * 4, "binary content"),
        ("fake.xlsx", not_an_xlsx_zip(), "unreadable workbook"),
        ("notes.csv", b"a,b,c\n1,2,3\n", "without the BigKinds headers"),
    ],
)
def test_files_that_are_not_a_corpus_raise_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as info:
        load_corpus(path)
    assert name in str(info.value)


def test_xlsx_without_bigkinds_headers_names_missing_ones(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    pd.DataFrame({"이름": ["a"], "값": ["b"]}).to_excel(path, index=False)
    with pytest.raises(CorpusError, match="missing: 뉴스 식별자, 일자, 언론사, 제목, 본문"):
        load_corpus(path)


def test_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder$"):
        load_corpus(tmp_path / "nope")


def test_relative_path_from_notebooks_folder_says_how_to_reach_it(monkeypatch) -> None:
    """A notebook runs in notebooks/: ``"data/sample"`` written in its parameters cell names
    nothing there, and the error says where it is and how to reach it."""
    from lib import engine, paths

    monkeypatch.chdir(paths.NOTEBOOKS_DIR)
    hint = "paths.resolve_corpus('data/sample') (relative to the project folder)"
    with pytest.raises(CorpusError, match="data/sample: no such file or folder in the current") as info:
        load_corpus("data/sample")
    assert hint in str(info.value)
    with pytest.raises(CorpusError) as info:
        list(engine.walk_inputs("data/sample"))
    assert hint in str(info.value)
    with pytest.raises(CorpusError, match="no such file or folder$"):
        load_corpus("data/no_such_corpus")  # not in the project folder either: no hint
    assert len(load_corpus(paths.resolve_corpus("data/sample"), limit=3).articles) == 3


def test_folder_lists_skipped_files_and_can_skip_bad_ones(tmp_path: Path) -> None:
    write_bigkinds_xlsx(tmp_path / "a.xlsx", _rows()[:1])
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / ".hidden.csv").write_text("junk", encoding="utf-8")
    (tmp_path / "broken.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="broken.csv"):
        load_corpus(tmp_path, on_error="raise")
    corpus = load_corpus(tmp_path)  # the default loads the rest and lists the refused file
    skipped = corpus.manifest[corpus.manifest["format"] == "skipped"].set_index("source_file")
    assert {Path(s).name for s in skipped.index} == {"notes.md"}
    assert "unknown extension '.md'" in skipped.filter(like="notes.md", axis=0)["note"].item()
    refused = corpus.refused
    assert [Path(s).name for s in refused["source_file"]] == ["broken.csv"]
    assert "columns found: 'a', 'b'" in refused["reason"].item()
    assert corpus.counts()["files_refused"] == 1
    assert len(corpus.articles) == 1
    assert not any(s.startswith("/") for s in corpus.manifest["source_file"])


def test_limit_stops_early(tmp_path: Path) -> None:
    rows = [bigkinds_row(**{"뉴스 식별자": f"01100401.20210315103012{i:03d}", "제목": f"기사 {i}"}) for i in range(30)]
    write_bigkinds_xlsx(tmp_path / "a.xlsx", rows)
    corpus = load_corpus(tmp_path, limit=7)
    assert len(corpus.articles) == 7
    _assert_manifest_sums(corpus)


def test_twenty_thousand_rows_warns_about_the_cap(tmp_path: Path) -> None:
    row = bigkinds_row()
    rows = [dict(row, **{"뉴스 식별자": f"01100401.20210315{i:06d}001", "제목": f"기사 {i}"}) for i in range(20_000)]
    path = write_bigkinds_csv(tmp_path / "big.csv", rows, encoding="utf-8-sig")
    with pytest.warns(UserWarning, match="20,000 rows"):
        corpus = load_corpus(path, dedup=False)
    assert "probably incomplete" in corpus.manifest.iloc[0]["note"]


_cell = st.text(alphabet=st.sampled_from(list("세종대전 스마트시티,\"\n가나다abc1")), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(_cell, st.sampled_from(["20210315", "20190230", "", "2021031"]), st.sampled_from(["", "중복", "예외"])),
        min_size=1,
        max_size=25,
    )
)
def test_every_row_is_loaded_or_rejected(tmp_path_factory, rows) -> None:
    tmp = tmp_path_factory.mktemp("prop")
    data = [
        bigkinds_row(**{"뉴스 식별자": f"01100401.20210315103012{i:03d}", "제목": t, "일자": d, "분석제외 여부": x})
        for i, (t, d, x) in enumerate(rows)
    ]
    corpus = load_corpus(write_bigkinds_csv(tmp / "p.csv", data, encoding="cp949"))
    assert len(corpus.articles) + len(corpus.rejects) == len(rows)
    _assert_manifest_sums(corpus)
    assert set(corpus.articles["article_id"]) | {r for r in corpus.rejects["record"]} != set()


def test_real_bigkinds_downloads(real_bigkinds: list[Path]) -> None:
    corpus = load_corpus(real_bigkinds)
    _assert_manifest_sums(corpus)
    a = corpus.articles
    assert (a["article_id"].str.len() == 26).all()
    assert (a["article_id"].str.slice(9, 17) == a["published"].dt.strftime("%Y%m%d")).all()
    assert a["lead_only"].all() and (a["body"].str.len() <= 202).all()
    assert not a["categories"].str.contains(r"(?:^|\|)\s", regex=True).any()
    assert a["title"].str.len().gt(0).all()
    by_file = corpus.manifest.set_index(corpus.manifest["source_file"].map(lambda s: Path(s).name))
    feb = by_file.loc["NewsResult_20210201-20210228.xlsx"]
    assert (feb["rows_read"], feb["rows_loaded"], feb["rows_rejected"]) == (602, 559, 43)
    reasons = corpus.rejects["reason"].value_counts()
    assert reasons["excluded by BigKinds: 예외"] == 34
    assert reasons["excluded by BigKinds: 중복"] == 5
    assert reasons["excluded by BigKinds: 중복, 예외"] == 4
    assert by_file.loc["NewsResult_20210330-20210330.xlsx", "rows_loaded"] == 667
    assert a["categories"].str.contains("지역>대전").any()
    assert not a["categories"].str.contains("지역>세종").any()


def test_seed_page_through_load_corpus(seed_page: Path) -> None:
    corpus = load_corpus(seed_page)
    assert corpus.manifest.iloc[0]["format"] == "page"
    assert corpus.manifest.iloc[0]["encoding"] == "utf-8"
    art = corpus.articles.iloc[0]
    assert art["title"] == "세종형 스마트시티 사업 성공 디딤돌 놓는다"
    assert art["published"] == pd.Timestamp("2019-08-23 19:01")
    assert (art["reporter"], art["email"], art["dateline"]) == ("오희룡", "huily@", "세종")
    assert art["article_id"].startswith("h") and not art["lead_only"]
    chrome = seed_page.read_text(encoding="utf-8").split("무단전재 및 수집")[1]
    chrome_lines = [line.strip() for line in chrome.splitlines() if len(line.strip()) > 8]
    for col in ARTICLE_COLUMNS:
        value = str(art[col])
        assert not any(line in value for line in chrome_lines), col


def test_two_pages_saved_into_one_text_file_load_as_two_articles(tmp_path: Path) -> None:
    """A text dump of two pages one after another: the second article is read too, with its
    own stamp and byline, and the manifest counts two records."""
    page = ("{title}\n\n  • 정치/행정\n  • {city}\n\n{title}\n\n  • 승인 {stamp}\n  • {name} 기자{name} 기자\n"
            "{city}시가 스마트 정류장 20곳을 새로 설치한다.\n\n시는 내년 3월까지 설치를 마친다고 밝혔다.\n"
            "{city}={name} 기자 hong@\n\n중도일보(www.joongdo.co.kr), 무단전재 및 수집, 재배포 금지\n\n")
    text = (page.format(title="세종시, 스마트 정류장 20곳 새로 설치", city="세종", stamp="2024-12-02 10:31", name="한세종")
            + "=" * 40 + "\n\n"
            + page.format(title="대전시, 스마트 정류장 20곳 새로 설치", city="대전", stamp="2024-12-05 09:00", name="한대전")
            + "랭킹뉴스\n\n  1. 대전 AI 교통신호 전면 도입 예정\n")
    path = tmp_path / "two_pages_synthetic.txt"
    path.write_text(text, encoding="utf-8")
    corpus = load_corpus(path, dedup=False, workers=1)
    m = corpus.manifest.iloc[0]
    assert (m["format"], m["rows_read"], m["rows_loaded"]) == ("page", 2, 2)
    a = corpus.articles
    assert list(a["title"]) == ["세종시, 스마트 정류장 20곳 새로 설치", "대전시, 스마트 정류장 20곳 새로 설치"]
    assert list(a["published"]) == [pd.Timestamp("2024-12-02 10:31"), pd.Timestamp("2024-12-05 09:00")]
    assert list(a["dateline"]) == ["세종", "대전"] and a["outlet"].eq("중도일보").all()


def test_identifiers_mangled_by_a_spreadsheet_are_noted(tmp_path: Path) -> None:
    rows = [bigkinds_row(), bigkinds_row(**{"뉴스 식별자": "1100401.20210315", "제목": "다른 기사"})]
    corpus = load_corpus(write_bigkinds_csv(tmp_path / "excel.csv", rows, encoding="cp949"))
    assert len(corpus.articles) == 2
    assert corpus.manifest.iloc[0]["note"].startswith("1 뉴스 식별자 values are not")


def test_a_folder_without_any_corpus_file_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="the folder is empty"):
        load_corpus(tmp_path)
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"skipped: .*notes.md \(unknown extension '.md'\)"):
        load_corpus(tmp_path)


def test_bom_followed_by_invalid_utf8_is_a_corpus_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "제목".encode("cp949") + b",body\n")
    with pytest.raises(CorpusError, match="byte-order mark but is not UTF-8"):
        load_corpus(path)


_PREFIXES = [
    b"",
    b"\xef\xbb\xbf",
    b"PK\x03\x04",
    b"PAR1",
    b'{"title": "t", "body": "b"}\n',
    "뉴스 식별자,일자,언론사,제목,본문\n".encode(),
    b"title,body\n",
    "제목\n\n입력 2021.01.01 10:00\n본문.\n저작권자 © 대전일보 무단전재 및 재배포 금지\n".encode(),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(_PREFIXES),
    rest=st.one_of(
        st.binary(max_size=300),
        st.text(alphabet=st.sampled_from(list('가나다 세종대전,\n"{}:[]=()-.0123456789abc')), max_size=300)
        .map(lambda t: t.encode("utf-8")),
    ),
    ext=st.sampled_from([".txt", ".csv", ".tsv", ".jsonl", ".xlsx", ".parquet", ""]),
)
def test_any_bytes_give_a_corpus_or_a_corpus_error(tmp_path_factory, prefix, rest, ext) -> None:
    """Whatever a file holds, load_corpus either accounts for every record or names the file."""
    path = tmp_path_factory.mktemp("fuzz") / f"input{ext}"
    path.write_bytes(prefix + rest)
    try:
        corpus = load_corpus(path, progress=False)
    except CorpusError as err:
        assert path.name in str(err)
        return
    _assert_manifest_sums(corpus)


# --- Properties under hostile input: only CorpusError escapes, sums hold, nothing is lost ---

_HOSTILE_CHARS = list('세종대전 스마트,;\t|"\'\n\r{}[]:=\\/.-0123456789abcÃ©ì\u3164\u200b\u00a0\x00\x07\x85\ufffd')
_hostile_text = st.text(alphabet=st.sampled_from(_HOSTILE_CHARS), max_size=40)
_any_text = st.text(max_size=40)  # every code point, lone surrogates included


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.sampled_from([list(BIGKINDS_HEADERS), ["title", "body", "published", "keywords"], ["title", "body"]]),
    rows=st.lists(st.lists(_hostile_text, max_size=22), max_size=12),
    sep=st.sampled_from([",", "\t", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16"]),
)
def test_random_csv_rows_only_raise_corpus_errors(tmp_path_factory, header, rows, sep, encoding) -> None:
    """Hand-made CSV lines (stray quotes, short and long rows, controls) never crash the loader."""
    lines = [sep.join(header)] + [sep.join(cells) for cells in rows]
    data = "\r\n".join(lines).encode(encoding, errors="replace")
    path = tmp_path_factory.mktemp("csvfuzz") / "random_synthetic.csv"
    path.write_bytes(data)
    try:
        corpus = load_corpus(path, progress=False)
    except CorpusError as err:
        assert path.name in str(err)
        return
    _assert_manifest_sums(corpus)


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_any_text, inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    objects=st.lists(
        st.fixed_dictionaries(
            {"title": _json_value, "body": _json_value},
            optional={"published": _json_value, "keywords": _json_value, "outlet": _json_value},
        )
        | _json_value,
        min_size=1,
        max_size=10,
    )
)
def test_random_json_lines_are_each_loaded_or_rejected(tmp_path_factory, objects) -> None:
    """Every non-blank JSON line ends in articles or rejects; lone surrogates included."""
    lines = [json.dumps(o, ensure_ascii=True) for o in objects]
    path = tmp_path_factory.mktemp("jsonfuzz") / "random_synthetic.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        corpus = load_corpus(path, progress=False)
    except CorpusError as err:
        assert path.name in str(err)
        return
    _assert_manifest_sums(corpus)
    assert int(corpus.manifest["rows_read"].sum()) == len(lines)
    for column in ("title", "body", "outlet", "keywords"):
        for value in corpus.articles[column]:
            value.encode("utf-8")  # no lone surrogate reaches the articles


_PAGE_HEAD = "세종시 스마트 경로당 확대 (합성 기사)\n\n입력 {stamp}\n\n"
_PAGE_TAIL = "\n\n저작권자 © 금강일보 무단전재 및 재배포 금지\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    stamp=st.one_of(
        st.from_regex(r"\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}", fullmatch=True),
        st.sampled_from(["2021.03.15 10:30", "1066.04.11 10:00", "2099.01.01 00:00", "0000.00.00 99:99"]),
    ),
    body=st.text(alphabet=st.sampled_from(_HOSTILE_CHARS + list("기자입력수정▲[]()=@")), max_size=200),
    encoding=st.sampled_from(["utf-8", "cp949", "utf-16"]),
)
def test_random_page_text_is_one_article_or_one_reject(tmp_path_factory, stamp, body, encoding) -> None:
    text = _PAGE_HEAD.format(stamp=stamp) + body + _PAGE_TAIL
    path = tmp_path_factory.mktemp("pagefuzz") / "page_synthetic.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        corpus = load_corpus(path, progress=False)
    except CorpusError as err:
        assert path.name in str(err)
        return
    _assert_manifest_sums(corpus)
    assert int(corpus.manifest["rows_read"].sum()) == 1
    published = corpus.articles["published"].dropna()
    assert ((published >= "1990-01-01") & (published < pd.Timestamp.today() + pd.Timedelta(days=2))).all()


@settings(max_examples=300, deadline=None)
@given(st.one_of(_any_text, _hostile_text, _any_text.map(lambda t: t.encode("utf-8", "surrogatepass").decode("latin-1"))))
def test_text_repair_is_idempotent(text) -> None:
    """Cleaning text twice changes nothing the second time, and reports no second repair."""
    once, _ = repair_text(text)
    twice, made = repair_text(once)
    assert twice == once
    assert made == ()
    once.encode("utf-8")
    assert normalize_text(once) == once


# Korean as news prints it: common and extended (UHC) syllables, Hanja, ASCII, punctuation.
_korean_text = st.text(
    alphabet=st.sampled_from(list("세종대전시 스마트똠뷁쀍똭갂漢字 abcXYZ0129.,·‘’“”…ⓒ()[]=\n")), min_size=6, max_size=120,
).filter(lambda t: (h := sum("\uac00" <= c <= "\ud7a3" for c in t)) >= 6
          and 2 * h >= sum(not c.isascii() and not c.isspace() for c in t))  # mostly Hangul, as Korean prose is


@settings(max_examples=300, deadline=None)
@given(_korean_text, st.sampled_from(["latin-1", "cp1252"]))
def test_cp949_mojibake_is_read_back_exactly(text, read_as) -> None:
    """Korean text whose CP949 bytes were read as Latin-1 or cp1252 is given back exactly, as a
    field (repair) and as a file (its codec); the Korean text itself is left alone."""
    mangled = mojibake(text, "cp949", latin1=read_as == "latin-1")
    assert mangled_encoding(mangled, minimum=4) == "cp949"
    # A field is looked at when it holds a letter a UTF-8 lead byte becomes (0xC2-0xF4, the scan
    # every cell passes): all but one field in about 250 of five syllables.
    if needs_repair(mangled):
        assert repair_text(mangled)[0] == repair_text(text)[0]
    assert mangled_encoding(text, minimum=4) is None
    stream = codecs.getincrementaldecoder("mojibake-cp949")()
    raw = mangled.encode("utf-8")
    # Fed a byte at a time: every cut through a character, UTF-8's and CP949's.
    assert "".join(stream.decode(raw[i:i + 1]) for i in range(len(raw))) + stream.decode(b"", True) == text


def test_a_large_mojibake_table_loads_whole(tmp_path: Path) -> None:
    """A search-API table of 3 MiB whose Korean is CP949 read as cp1252 loads every row in Korean
    (the codec reads it in chunks: no character is lost at a chunk's edge)."""
    rows = [{"title": f"대전 스마트 횡단보도 {i}곳 똠방 (합성)", "description": f"합성 요약 {i}. 뷁 대전시가 설치를 늘린다.",
             "link": f"https://n.news.naver.com/mnews/article/001/{i:010d}", "pubDate": "Mon, 15 Mar 2021 10:30:00 +0900"}
            for i in range(24_000)]
    text = pd.DataFrame(rows).to_csv(index=False, lineterminator="\n")
    (tmp_path / "naver_synthetic.csv").write_text(mojibake(text, "cp949"), encoding="utf-8")
    assert (tmp_path / "naver_synthetic.csv").stat().st_size > 3 << 20
    corpus = load_corpus(tmp_path)
    assert corpus.manifest["encoding"].tolist() == ["mojibake-cp949"]
    assert len(corpus.articles) == len(rows) and corpus.rejects.empty
    assert corpus.articles["title"].tolist() == [r["title"] for r in rows]
    assert not corpus.articles["body"].str.contains("\ufffd").any()


@settings(max_examples=300, deadline=None)
@given(st.one_of(_any_text, _hostile_text, st.integers(), st.floats(), st.datetimes(), st.dates()))
def test_the_date_parser_gives_a_plausible_date_or_a_reason(value) -> None:
    try:
        stamp = parse_date(value)
    except RecordError as err:
        assert str(err)
        return
    if stamp is not None:
        assert pd.Timestamp("1990-01-01") <= stamp < pd.Timestamp.today().normalize() + pd.Timedelta(days=2)


def _mixed_folder(folder: Path) -> Path:
    """Several files of several formats whose results meet: overlapping BigKinds slices, tables
    without ids (generated ids shared across files), a refused file, a skipped file, rejects."""
    rows = [
        bigkinds_row(**{"뉴스 식별자": f"01100401.20210315{i:06d}001", "제목": f"세종 스마트시티 합성 기사 {i}"})
        for i in range(40)
    ]
    rows[3]["일자"] = "20190230"
    rows[5]["뉴스 식별자"] = "1.10061E+16"
    write_bigkinds_csv(folder / "slice_a_synthetic.csv", rows[:30], encoding="utf-8-sig")
    write_bigkinds_xlsx(folder / "slice_b_synthetic.xlsx", rows[20:])
    write_bigkinds_csv(folder / "slice_c_synthetic.csv", rows[10:15], encoding="cp949")
    same = {"outlet": "합성일보", "published": "2021-03-15", "title": "대전 자율주행 합성 기사"}
    write_canonical_csv(folder / "table_a_synthetic.csv", [dict(same, body="첫 번째 합성 본문입니다.")])
    write_canonical_csv(folder / "table_b_synthetic.csv", [dict(same, body="두 번째 합성 본문입니다."), dict(same, body="")])
    (folder / "not_a_corpus_synthetic.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "notes_synthetic.md").write_text("not read\n", encoding="utf-8")
    return folder


def test_any_number_of_workers_gives_the_same_corpus(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _mixed_folder(folder)
    outcomes = []
    for workers in (1, 2, 3):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            corpus = load_corpus(folder, workers=workers, on_error="skip")
        outcomes.append((corpus, sorted(str(w.message) for w in caught)))
    serial, _ = outcomes[0]
    assert len(serial.refused) == 1 and len(serial.rejects) > 0
    assert serial.articles["is_duplicate"].sum() > 0
    assert serial.articles["article_id"].str.startswith("h").sum() >= 3
    for corpus, shown in outcomes[1:]:
        pd.testing.assert_frame_equal(corpus.articles, serial.articles)
        pd.testing.assert_frame_equal(corpus.rejects, serial.rejects)
        pd.testing.assert_frame_equal(corpus.manifest, serial.manifest)
        assert shown == outcomes[0][1]


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers"):
        load_corpus(write_bigkinds_csv(tmp_path / "one.csv", [bigkinds_row()]), workers=0)


def test_workbook_rows_read_in_blocks_match_rows_read_one_by_one(tmp_path: Path) -> None:
    """A workbook is read column-wise in blocks of rows, except under ``limit``, where it is
    read row by row to stop at the limit: both give the same articles, and the same rejects
    with the same labels (``row N``, ``sheet 'name' row N`` on later sheets), over title rows,
    empty rows, typed cells, a repeated header and a second sheet."""
    from openpyxl import Workbook

    rows = [bigkinds_row(**{"뉴스 식별자": f"01100101.2021030{i}000000001", "일자": f"2021030{i}",
                            "제목": f"세종시 스마트시티 소식 {i} (합성)"}) for i in range(1, 8)]
    rows[1]["제목"] = ""  # no title: a reject
    rows[2]["일자"] = "언젠가"  # no date: a reject
    rows[5]["제목"] = "   "  # a blank title: a reject, on the second sheet
    book = Workbook()
    first = book.active
    first.title = "3월"
    first.append(["합성 검색 결과"])  # a title row above the header
    first.append(list(BIGKINDS_HEADERS) + ["제목"])  # a repeated header: the later column wins
    for row in rows[:4]:
        first.append([row[h] or None for h in BIGKINDS_HEADERS] + [row["제목"] or None])
    first.append([None] * (len(BIGKINDS_HEADERS) + 1))  # an empty row: no record
    first.append([rows[4][h] or None for h in BIGKINDS_HEADERS] + [rows[4]["제목"]])
    first.cell(row=first.max_row, column=BIGKINDS_HEADERS.index("일자") + 1, value=20210305)
    second = book.create_sheet("4월")
    second.append(list(BIGKINDS_HEADERS))
    for row in rows[5:]:
        second.append([row[h] or None for h in BIGKINDS_HEADERS])
    path = tmp_path / "blocks_synthetic.xlsx"
    book.save(path)

    blocks = load_corpus(path, cache=False, progress=False, workers=1)
    one_by_one = load_corpus(path, cache=False, progress=False, workers=1, limit=1_000)
    pd.testing.assert_frame_equal(blocks.articles, one_by_one.articles)
    pd.testing.assert_frame_equal(blocks.rejects, one_by_one.rejects)
    assert len(blocks.articles) == 4
    assert blocks.rejects["record"].tolist() == ["row 4", "row 5", "sheet '4월' row 2"]
    assert (blocks.articles["published"].dt.strftime("%Y%m%d") == "20210305").sum() == 1


@pytest.mark.parametrize(("written", "expected"), [
    ("2021-03-15 14시 5분", "2021-03-15 14:05"),
    ("2021년 3월 15일 오후 2시 5분", "2021-03-15 14:05"),
    ("2021.03.15 14:05", "2021-03-15 14:05"),
])
def test_a_one_digit_minute_before_bun_is_read(written: str, expected: str) -> None:
    assert parse_date(written) == pd.Timestamp(expected)
