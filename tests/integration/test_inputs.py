"""load_corpus on tables of other schemas (Naver API, trimmed and older BigKinds exports, AI-Hub
JSON lines, scraper CSVs) and on NewsML, with no hand step.

Fixtures in tests/fixtures/tables and tests/fixtures/newsml are synthetic: invented sentences in
the column layouts and XML structure those sources use.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.analysis import overview
from lib.corpus import CorpusError, load_corpus
from lib.corpus.columns import map_columns

TABLES = paths.FIXTURES_DIR / "tables"
NEWSML = paths.FIXTURES_DIR / "newsml"
FEEDS = paths.FIXTURES_DIR / "feeds"

_ENTITY = re.compile(r"&(?:[a-z]+|#\d+);")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_TEXT_FIELDS = ("title", "subtitle", "body", "captions", "outlet", "reporter", "keywords")


def _assert_clean(corpus) -> None:
    m = corpus.manifest
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all(), m
    for col in _TEXT_FIELDS:
        for value in corpus.articles[col]:
            assert not _ENTITY.search(value), (col, value)
            assert not _TAG.search(value), (col, value)
            assert not value.startswith("['"), (col, value)


def _by_title(corpus) -> dict[str, pd.Series]:
    return {row["title"]: row for _, row in corpus.articles.iterrows()}


def test_naver_api_csv() -> None:
    corpus = load_corpus(TABLES / "naver_api_synthetic.csv")
    _assert_clean(corpus)
    rows = _by_title(corpus)
    first = rows['세종시, 자율주행 셔틀 "야간 운행" 시작']
    assert first["published"] == pd.Timestamp("2025-12-01 09:30")
    assert first["url"].startswith("https://www.sjsori.com/")  # originallink wins over link
    assert first["outlet"] == "세종의소리"  # from the domain
    assert first["body"].startswith("세종시가 합강동") and "<안전요원 동승>" in first["body"]
    assert bool(first["lead_only"])  # description is a snippet
    assert rows["대전시 & KAIST, 도시 데이터 플랫폼 공동 구축"]["outlet"] == "연합뉴스"
    # GMT converted to Korean wall-clock time; no originallink: the portal link is kept
    third = rows["세종 스마트 그늘막 '겨울 보관' 들어가"]
    assert third["published"] == pd.Timestamp("2025-12-03 15:00")
    assert third["url"].startswith("https://n.news.naver.com/")
    assert third["outlet"] == "뉴시스"  # Naver's press id 003 in the portal link
    note = corpus.manifest.iloc[0]["note"]
    assert "originallink→url" in note and "also read: link (when url is empty)" in note


def test_naver_api_json_response() -> None:
    corpus = load_corpus(TABLES / "naver_api_response_synthetic.json")
    _assert_clean(corpus)
    assert len(corpus.articles) == 2
    rows = _by_title(corpus)
    assert rows["대전 유성구, 스마트 버스정류장 20곳 추가"]["outlet"] == "대전일보"
    assert '"이용객 의견을 반영했다"' in rows["대전 유성구, 스마트 버스정류장 20곳 추가"]["body"]


@pytest.mark.parametrize("name, labels", [
    ("naver_api_pages_synthetic.json", ["response 2 item 2"]),
    ("naver_api_responses_synthetic.jsonl", ["line 2 item 2"]),
    ("naver_api_by_query_synthetic.json", ["response '대전 스마트도시' 1 item 2", "response '대전 스마트도시' 2"]),
])
def test_naver_api_results_saved_as_several_responses(tmp_path: Path, name: str, labels: list[str]) -> None:
    """The search API gives at most 100 items a call: a list of responses, one response a line,
    or responses by query are read item by item, each reject named by its response and item."""
    corpus = load_corpus(TABLES / name, dedup=False, workers=1)
    _assert_clean(corpus)
    a = corpus.articles
    assert list(a["title"]) == ["세종시, 스마트 가로등 100곳 교체", '대전시 "AI 민원 상담" 시범 운영', "세종 스마트 주차장 3곳 개장"]
    assert list(a["outlet"]) == ["중도일보", "대전일보", "뉴스1"]
    assert a["lead_only"].all()
    assert a["published"].iloc[2] == pd.Timestamp("2025-12-03 14:00")
    assert list(corpus.rejects["record"]) == labels
    note = corpus.manifest.iloc[0]["note"]
    assert "saved API responses, 4 items in all" in note and "originallink→url" in note
    if name.endswith(".jsonl"):  # one response a line, also under a .json name
        shutil.copy(TABLES / name, tmp_path / "responses.json")
        again = load_corpus(tmp_path / "responses.json", dedup=False, workers=1)
        assert list(again.articles["title"]) == list(a["title"])


def test_json_without_articles_is_refused_with_what_it_holds(tmp_path: Path) -> None:
    """A list of objects that hold no text is refused saying so, not with a mapping of its
    number-valued keys; items of unknown keys inside responses are named by their own keys."""
    (tmp_path / "counts.json").write_text('[{"total": 3, "start": 1}, {"total": 2}]', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"counts.json: a JSON file whose objects hold no text \(keys: 'total', 'start'\)"):
        load_corpus(tmp_path / "counts.json", on_error="raise")
    (tmp_path / "other.json").write_text(
        '[{"total": 1, "items": [{"foo": "a", "bar": "b"}]}, {"total": 1, "items": [{"foo": "c", "bar": "d"}]}]',
        encoding="utf-8")
    with pytest.raises(CorpusError, match=r"columns found: 'foo', 'bar'\. Name its columns with "
                                          r"load_corpus\(\.\.\., columns=\{'foo': 'title', 'bar': 'body'\}\)"):
        load_corpus(tmp_path / "other.json", on_error="raise")


def test_a_row_index_column_is_named_in_the_note(tmp_path: Path) -> None:
    """A table pandas wrote with its row index (an empty first header) says so in its note,
    instead of an empty list of ignored columns."""
    rows = pd.read_csv(TABLES / "naver_api_synthetic.csv")
    path = tmp_path / "naver_with_index_synthetic.csv"
    rows.to_csv(path)  # index=True: the header starts with an empty name
    corpus = load_corpus(path, dedup=False)
    assert len(corpus.articles) == len(rows)
    note = corpus.manifest.iloc[0]["note"]
    assert note.endswith("ignored columns: a column without a name (pandas writes its row index so)"), note


def test_naver_rows_of_regional_outlets_are_named_by_their_domain(tmp_path: Path) -> None:
    """Naver search results carry no outlet: the link's host names it, a regional edition's
    host before its parent site's."""
    hosts = {
        "www.daejeontoday.com": "대전투데이", "dj.breaknews.com": "브레이크뉴스 대전",
        "www.breaknews.com": "브레이크뉴스", "cc.newdaily.co.kr": "뉴데일리 충청",
        "www.newdaily.co.kr": "뉴데일리", "m.ccnnews.co.kr": "충청뉴스", "www.gocj.net": "시티저널",
        "unknown-outlet.example": "",
    }
    rows = [
        {"title": f"대전 스마트시티 소식 {i}", "originallink": f"https://{host}/news/{i}",
         "link": f"https://n.news.naver.com/article/{i}", "description": "대전시가 스마트 정류장을 늘린다.",
         "pubDate": "Mon, 01 Dec 2025 09:30:00 +0900"}
        for i, host in enumerate(hosts)
    ]
    path = tmp_path / "naver_regional_synthetic.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    corpus = load_corpus(path, dedup=False)
    assert list(corpus.articles["outlet"]) == list(hosts.values())


@pytest.mark.parametrize("link, outlet", [
    ("https://n.news.naver.com/mnews/article/421/0000000001?sid=102", "뉴스1"),
    ("https://n.news.naver.com/article/656/0000000002", "대전일보"),
    ("https://news.naver.com/main/read.naver?mode=LSD&mid=sec&sid1=102&oid=001&aid=0000000003", "연합뉴스"),
    ("https://m.news.naver.com/read.nhn?oid=003&aid=0000000004", "뉴시스"),
    ("https://n.news.naver.com/mnews/article/999/0000000005", ""),  # an id not listed: no guess
])
def test_naver_links_name_the_outlet_by_press_id(tmp_path: Path, link: str, outlet: str) -> None:
    """A Naver row without originallink is given its outlet from the press id in its link."""
    path = tmp_path / "naver_link_only_synthetic.csv"
    pd.DataFrame([{"title": "세종시 스마트 그늘막 확대", "originallink": "", "link": link,
                   "description": "세종시가 스마트 그늘막을 늘린다.", "pubDate": "Mon, 01 Dec 2025 10:00:00 +0900"}]
                 ).to_csv(path, index=False)
    corpus = load_corpus(path, dedup=False)
    assert corpus.articles["outlet"].tolist() == [outlet]
    assert corpus.articles["url"].tolist() == [link]


def test_rss_feed_of_a_regional_outlet() -> None:
    corpus = load_corpus(FEEDS / "regional_rss_synthetic.xml", dedup=False)
    _assert_clean(corpus)
    rows = _by_title(corpus)
    lead = rows["대전시, 스마트 횡단보도 40곳 더 놓는다"]
    assert (lead["outlet"], lead["reporter"], lead["section"]) == ("충청투데이", "홍길동", "대전")
    assert lead["published"] == pd.Timestamp("2025-12-01 09:30") and bool(lead["lead_only"])
    assert lead["url"].endswith("idxno=900001")
    full = rows['세종시 자율주행 버스, "밤에도 달린다"']  # content:encoded: the whole story, in paragraphs
    assert full["body"].split("\n\n") == [
        "세종시 자율주행 버스가 밤에도 달린다.", "시는 다음 달부터 운행 시간을 밤 10시까지 늘린다고 2일 밝혔다.", "이용 요금은 그대로다.",
    ]
    assert not bool(full["lead_only"]) and full["reporter"] == "김영희"
    assert full["published"] == pd.Timestamp("2025-12-02 10:15")
    assert corpus.rejects[["record", "reason"]].values.tolist() == [["item 3", "no title"]]
    assert corpus.manifest.iloc[0]["note"].startswith("RSS feed; columns mapped:")


def test_google_news_search_feed() -> None:
    """Google News names the outlet in <source> and after the headline; its description only
    repeats the two: the row keeps the headline alone, marked as not the whole story."""
    corpus = load_corpus(FEEDS / "google_news_synthetic.xml", dedup=False)
    _assert_clean(corpus)
    a = corpus.articles
    assert list(a["title"]) == [
        "세종 5-1생활권 스마트시티, 첫 입주 앞두고 점검", "대전·세종 '스마트 교통' 협약", "세종시 '스마트 그늘막' 겨울 보관",
    ]
    assert list(a["outlet"]) == ["중도일보", "대전투데이", "세종의소리"]
    # the third item's description lists another outlet's headline on the same story: not its text
    assert list(a["body"]) == ["", "", ""] and a["lead_only"].all()
    # GMT, as Google writes it, to Korean wall-clock time
    assert list(a["published"][:2]) == [pd.Timestamp("2025-12-02 08:40"), pd.Timestamp("2025-12-02 11:05")]


def test_atom_feed() -> None:
    corpus = load_corpus(FEEDS / "atom_synthetic.xml", dedup=False)
    _assert_clean(corpus)
    rows = _by_title(corpus)
    first = rows["세종시, 공공 와이파이 200곳 늘린다"]
    assert first["url"].endswith("idxno=900010")  # the alternate link, not the enclosure
    assert first["published"] == pd.Timestamp("2025-12-01 14:00")  # published, not updated
    assert (first["reporter"], first["email"], first["outlet"]) == ("이철수", "lee@example.kr", "세종의소리")
    assert first["body"] == "세종시가 공공 와이파이를 200곳 늘린다." and bool(first["lead_only"])
    second = rows["세종시 스마트 가로등 시범 설치"]
    assert second["published"] == pd.Timestamp("2025-12-02 07:30")  # updated: the only date
    assert second["body"] == "세종시가 스마트 가로등을 시범 설치한다.\n\n사람이 지나가면 밝아진다."
    assert not bool(second["lead_only"])


def test_rss_1_0_feed(tmp_path: Path) -> None:
    path = tmp_path / "rdf_synthetic.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        '<channel rdf:about="https://www.joongdo.co.kr/"><title>합성 (synthetic)</title></channel>\n'
        '<item rdf:about="https://www.joongdo.co.kr/web/view.php?key=1"><title>대전시 스마트 가로등</title>'
        "<link>https://www.joongdo.co.kr/web/view.php?key=1</link>"
        "<description>대전시가 스마트 가로등을 늘린다.</description>"
        "<dc:date>2025-12-01T09:30:00+09:00</dc:date><dc:creator>홍길동 기자</dc:creator></item>\n"
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    corpus = load_corpus(path, dedup=False)
    row = corpus.articles.iloc[0]
    assert (row["title"], row["outlet"], row["reporter"]) == ("대전시 스마트 가로등", "중도일보", "홍길동")
    assert row["published"] == pd.Timestamp("2025-12-01 09:30") and bool(row["lead_only"])
    assert corpus.manifest.iloc[0]["note"].startswith("RSS 1.0 feed")


_FEED = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}<rss version="2.0"><channel><title>합성 피드 (synthetic)</title>
{items}</channel></rss>
"""
_ITEM = "<item><title>{title}</title><link>https://www.cctoday.co.kr/news/{n}</link><description>대전시가 스마트 정류장을 늘린다.</description><pubDate>2025-12-01 09:30:00</pubDate></item>"


def test_hostile_broken_and_empty_feeds(tmp_path: Path) -> None:
    bomb = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE rss [<!ENTITY e0 "스마트">{bomb}]>\n'
    files = {
        # entities that would expand to a billion words, and one that would read a local file
        "bomb_synthetic.xml": _FEED.format(doctype=doctype, items=_ITEM.format(title="&e9;", n=1)),
        "xxe_synthetic.xml": _FEED.format(doctype='<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
                                          items=_ITEM.format(title="대전 &x;", n=2)),
        "broken_synthetic.xml": _FEED.format(doctype="", items=_ITEM.format(title="대전 <b>열린 태그", n=3)),
        "empty_synthetic.xml": _FEED.format(doctype="", items=""),
        # a feed saved under another name is still a feed
        "saved_feed_synthetic.txt": _FEED.format(doctype="", items=_ITEM.format(title="대전시 스마트 정류장", n=4)),
        "outlet_feed_synthetic.rss": _FEED.format(doctype="", items=_ITEM.format(title="세종시 스마트 정류장", n=5)),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path, dedup=False)
    assert list(corpus.articles["title"]) == ["세종시 스마트 정류장", "대전시 스마트 정류장"]
    assert set(corpus.articles["outlet"]) == {"충청투데이"}
    reasons = dict(zip(corpus.rejects["source_file"].map(lambda s: Path(s).name), corpus.rejects["reason"]))
    assert reasons["bomb_synthetic.xml"].startswith("malformed XML (limit on input amplification")
    assert reasons["xxe_synthetic.xml"].startswith("malformed XML (undefined entity &x;")
    assert reasons["broken_synthetic.xml"].startswith("malformed XML (mismatched tag")
    manifest = corpus.manifest.set_index(corpus.manifest["source_file"].map(lambda s: Path(s).name))
    assert manifest.loc["empty_synthetic.xml", "note"] == "RSS feed without items (not read)"
    assert (manifest["rows_read"] == manifest["rows_loaded"] + manifest["rows_rejected"]).all()


def test_trimmed_bigkinds_export() -> None:
    corpus = load_corpus(TABLES / "bigkinds_trimmed_synthetic.csv")
    _assert_clean(corpus)
    assert corpus.manifest.iloc[0]["format"] == "bigkinds"
    a = corpus.articles.set_index("title")
    assert list(a["outlet"]) == ["중도일보", "대전일보", "충청투데이"]
    assert a.loc['세종 BRT 정류장에 "스마트 쉼터"', "keywords"] == "세종,BRT,정류장,스마트,쉼터"
    assert a["published"].tolist() == [
        pd.Timestamp(d) for d in ("2021-03-05", "2021-03-06", "2021-03-07")
    ]
    # No 본문 at all: not full text. The overview says these are title and keywords only.
    assert (a["body"] == "").all() and a["lead_only"].all()
    notice = overview.lead_only_notice(corpus.articles)
    assert "3건은 본문 없이 제목과 키워드 목록뿐입니다" in notice.title
    assert "식별자" not in corpus.manifest.iloc[0]["note"]


def test_older_bigkinds_header_and_2015_identifiers() -> None:
    corpus = load_corpus(TABLES / "bigkinds_2015_synthetic.csv")
    _assert_clean(corpus)
    m = corpus.manifest.iloc[0]
    assert m["format"] == "bigkinds" and m["rows_loaded"] == 2
    assert "mangled" not in m["note"] and "26" not in m["note"]
    a = corpus.articles.set_index("article_id")
    first = a.loc["01100401.2015031009300000001"]
    assert first["features"] == "도서관,대출기,무인"  # the older `특성추출` header is read
    assert first["reporter"] == "박상익"  # no empty brackets
    assert first["published"] == pd.Timestamp("2015-03-10 09:30")
    second = a.loc["01100401.201503110800000002"]
    assert second["reporter"] == "김하린" and second["email"] == "harin@example.com"
    assert second["title"] == '대전 지하상가 "스마트 안내판" 설치'


def test_aihub_json_lines() -> None:
    corpus = load_corpus(TABLES / "aihub_summary_synthetic.jsonl")
    _assert_clean(corpus)
    a = corpus.articles.set_index("article_id")
    first = a.loc["synthetic-aihub-0001"]
    assert first["outlet"] == "세종포스트"
    assert first["body"] == (
        "세종시가 스마트 주차 안내 시스템을 조치원읍 공영주차장 5곳에 설치한다. "
        "운전자는 휴대전화로 빈자리를 미리 확인할 수 있다. 시는 내년 상반기까지 설치를 마칠 계획이다."
    )
    assert (
        first["title"] == "세종시가 스마트 주차 안내 시스템을 조치원읍 공영주차장 5곳에 설치한다."
    )
    note = corpus.manifest.iloc[0]["note"]
    assert "first sentence" in note and "abstractive" in note  # unused columns are listed


def test_scraper_csv_with_list_printout_and_korean_dates() -> None:
    corpus = load_corpus(TABLES / "scraper_synthetic.csv")
    _assert_clean(corpus)
    rows = _by_title(corpus)
    first = rows["대전시 공공 자전거 타슈 AI 재배치 시험"]
    assert first["body"].startswith("대전시가 공공 자전거") and first["body"].endswith("진행된다.")
    assert first["published"] == pd.Timestamp("2024-05-02 15:20")
    assert first["reporter"] == "박도윤 기자"
    assert first["outlet"] == "디트뉴스24"


def test_korean_date_and_time_forms_in_a_table() -> None:
    """`14시30분`, `오후 2시 30분`, a weekday after the date and `KST` read as Korean time; a
    two-digit year or a day/month order that cannot be told stays a reject."""
    corpus = load_corpus(TABLES / "korean_dates_synthetic.csv", dedup=False)
    _assert_clean(corpus)
    assert corpus.articles["published"].tolist() == [pd.Timestamp("2024-12-05 14:30")] * 5
    assert corpus.rejects["record"].tolist() == ["row 7", "row 8"]
    assert corpus.rejects["reason"].str.startswith("ambiguous date").all()


def test_explicit_column_mapping_and_refusal_message() -> None:
    path = TABLES / "unknown_columns_synthetic.csv"
    with pytest.raises(CorpusError) as info:
        load_corpus(path, on_error="raise")
    message = str(info.value)
    assert "unknown_columns_synthetic.csv" in message
    assert "columns found: '번호', '헤드', '글'" in message
    assert "columns={" in message
    corpus = load_corpus(path, columns={"헤드": "title", "글": "body"})
    assert corpus.articles.loc[0, "title"] == "대전 스마트 가로등"
    assert corpus.articles.loc[0, "body"] == "가로등이 밝아진다."
    with pytest.raises(ValueError, match="not fields of the article schema"):
        load_corpus(path, columns={"헤드": "headline"})
    # a mapping names one table's columns: the BigKinds export beside it is read as usual
    folder_corpus = load_corpus(
        [path, TABLES / "bigkinds_2015_synthetic.csv"], columns={"헤드": "title", "글": "body"}
    )
    assert set(folder_corpus.manifest["format"]) == {"table", "bigkinds"}
    with pytest.raises(CorpusError, match="columns= names '제목줄', which this file does not have"):
        load_corpus(path, columns={"제목줄": "title"}, on_error="raise")


def test_the_notebooks_column_mapping_comes_from_corpus_columns(monkeypatch) -> None:
    """The notebooks and make report take no arguments: CORPUS_COLUMNS maps a table's own
    column names, and a refusal says how to set it."""
    path = TABLES / "unknown_columns_synthetic.csv"
    monkeypatch.delenv("CORPUS_COLUMNS", raising=False)
    with pytest.raises(CorpusError, match="in the notebooks and make report: CORPUS_COLUMNS='"):
        load_corpus(path, on_error="raise")
    monkeypatch.setenv("CORPUS_COLUMNS", " 헤드 = title , 글=body ")
    corpus = load_corpus(path, on_error="raise")
    assert corpus.articles.loc[0, "title"] == "대전 스마트 가로등"
    assert corpus.articles.loc[0, "body"] == "가로등이 밝아진다."
    # an explicit mapping wins over the variable
    with pytest.raises(CorpusError):
        load_corpus(path, columns={"번호": "title"}, on_error="raise")
    monkeypatch.setenv("CORPUS_COLUMNS", "헤드=headline")
    with pytest.raises(ValueError, match="CORPUS_COLUMNS: .*not fields of the article schema"):
        load_corpus(path)
    monkeypatch.setenv("CORPUS_COLUMNS", "헤드 title")
    with pytest.raises(ValueError, match="expected their_name=field pairs"):
        load_corpus(path)
    # a variable naming columns the table lacks is named as the variable, not as columns=
    monkeypatch.setenv("CORPUS_COLUMNS", "제목줄=title")
    with pytest.raises(CorpusError, match="CORPUS_COLUMNS names '제목줄', which this file does not have"):
        load_corpus(path, on_error="raise")


def test_alias_table_prefers_the_first_listed_alias() -> None:
    mapped = map_columns(["link", "originallink", "Title", "Pub_Date", "description"])
    assert mapped.fields == {
        "originallink": "url",
        "Title": "title",
        "Pub_Date": "published",
        "description": "body",
    }
    assert mapped.ignored == ["link"] and mapped.lead_columns == {"description"}


def test_newsml_folder(tmp_path: Path) -> None:
    corpus = load_corpus(NEWSML)
    _assert_clean(corpus)
    m = corpus.manifest.set_index(corpus.manifest["source_file"].map(lambda s: Path(s).name))
    assert (m["format"] == "bigkinds").all() and (m["rows_loaded"] == 1).all()
    a = corpus.articles.set_index("article_id")
    first = a.loc["01100401.20230412091500001"]
    assert first["title"] == '세종시, 스마트 분리수거함 "보상 포인트" 도입'
    assert first["subtitle"] == "아파트 단지 30곳 시범 운영"
    assert first["outlet"] == "중도일보"
    assert first["reporter"] == "정하람" and first["email"] == "haram@example.com"
    assert first["published"] == pd.Timestamp("2023-04-12 09:15")
    assert (
        first["body"].split("\n\n")[0]
        == "세종시가 재활용품을 넣으면 포인트를 주는 스마트 분리수거함을 아파트 단지 30곳에 둔다."
    )
    assert not first["lead_only"]
    second = a.loc["01100801.20230413140000002"]
    assert second["outlet"] == "대전일보" and second["reporter"] == "류시온"
    assert second["body"].count("\n\n") == 1
    # saved as .txt: read as NewsML, not as a page titled <?xml …?>; a story of its own
    saved = a.loc["01100401.20230414080000003"]
    assert saved["title"] == "세종시, 스마트 횡단보도 야간 조명 개선"
    assert not corpus.articles["title"].str.startswith("<").any()
    # five stories: the three above, one in EUC-KR, one NewsML-G2 item saved twice (its
    # declaration saying UTF-8 in one file and ISO-8859-1 in the other)
    assert corpus.articles["dup_group"].nunique() == 5
    # a provider's own NewsItemId is the id too, with its provider and day
    assert a.loc["joongdo.co.kr:20241203:20241203010000777", "title"] == "세종시, 공공 와이파이 120곳 추가"
    assert not corpus.manifest["note"].str.contains("spreadsheet").any()


def test_newsml_g2_with_nitf_reads_the_body_content_alone() -> None:
    """NITF's abstract (the lead again) and body.end (the copyright tagline) stay out of the
    body; the dateline, the e-mail line and the photo's caption leave it for their fields; the
    guid is the article's id, with no note about spreadsheets."""
    corpus = load_corpus(NEWSML / "g2_nitf_synthetic.xml", dedup=False)
    _assert_clean(corpus)
    art = corpus.articles.iloc[0]
    assert art["article_id"] == "urn:newsml:yna.co.kr:20241202:AKR20241202000100063"
    assert art["body"] == ("대전시가 인공지능으로 신호를 조절하는 교차로를 40곳으로 늘린다고 2일 밝혔다.\n\n"
                           "시는 출퇴근 시간 정체가 심한 둔산동과 유성구 일대를 먼저 바꾼다.")
    assert (art["dateline"], art["reporter"], art["email"]) == ("대전", "정대전", "djjung@yna.co.kr")
    assert art["captions"] == "대전 둔산동 교차로 [대전시 제공. 재판매 및 DB 금지]"
    assert (art["outlet"], art["published"]) == ("연합뉴스", pd.Timestamp("2024-12-02 10:31"))
    assert corpus.manifest.iloc[0]["note"] == "NewsML"


def test_malformed_newsml_is_a_reject(tmp_path: Path) -> None:
    text = (NEWSML / "newsml12_daejeon_synthetic.xml").read_text(encoding="utf-8")
    (tmp_path / "cut.xml").write_text(text[: len(text) // 2], encoding="utf-8")
    corpus = load_corpus(tmp_path / "cut.xml")
    assert len(corpus.rejects) == 1 and corpus.rejects.iloc[0]["reason"].startswith("malformed XML")


def test_xml_declaring_a_korean_encoding_reads_in_korean(tmp_path: Path) -> None:
    """NewsML and RSS in CP949 bytes declared ``EUC-KR`` (or ``ks_c_5601-1987``) read as any
    other file; UTF-8 bytes declared ``ISO-8859-1`` are not read into mojibake."""
    feed = (
        '<?xml version="1.0" encoding="euc-kr"?>\n<rss version="2.0"><channel><title>합성일보</title>\n'
        "<item><title>세종시, 스마트 쓰레기통 50곳 설치</title>"
        "<link>https://www.joongdo.co.kr/web/view.php?key=20241202010000888</link>\n"
        "<description><![CDATA[세종시가 압축 기능이 있는 스마트 쓰레기통을 50곳에 설치한다.]]></description>\n"
        "<pubDate>Mon, 02 Dec 2024 10:31:00 +0900</pubDate></item>\n</channel></rss>\n"
    )
    (tmp_path / "rss_euckr_synthetic.xml").write_bytes(feed.encode("cp949"))
    g2 = (NEWSML / "g2_nitf_synthetic.xml").read_text(encoding="utf-8")
    (tmp_path / "g2_ksc_synthetic.xml").write_bytes(
        g2.replace('encoding="UTF-8"', 'encoding="ks_c_5601-1987"').replace("06-10-01", "06-10-02").encode("cp949"))
    shutil.copy(NEWSML / "newsml12_euckr_synthetic.xml", tmp_path)
    shutil.copy(NEWSML / "g2_declared_latin1_synthetic.xml", tmp_path)
    corpus = load_corpus(tmp_path, dedup=False, workers=1)
    _assert_clean(corpus)
    m = corpus.manifest.set_index(corpus.manifest["source_file"].map(lambda s: Path(s).name))
    assert (m["rows_loaded"] == 1).all(), m
    assert m.loc["rss_euckr_synthetic.xml", "encoding"] == "cp949"
    titles = set(corpus.articles["title"])
    assert titles == {
        "세종시, 스마트 쓰레기통 50곳 설치",
        "세종시, 공공 와이파이 120곳 추가",
        "대전시, AI 교차로 신호 40곳 확대 & 정체 15% 감소 목표",
    }
    assert "mojibake" not in m.loc["g2_declared_latin1_synthetic.xml", "note"]
    assert "text repairs" not in m.loc["g2_declared_latin1_synthetic.xml", "note"]


def test_a_parser_error_in_one_file_refuses_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ValueError no check foresaw, raised while one file is read, refuses that file with
    its name and the reason; the other files load."""
    from lib.corpus import newsml

    def broken(text: str):
        raise ValueError("multi-byte encodings are not supported")
        yield  # a generator, as iter_records is

    shutil.copy(NEWSML / "newsml12_daejeon_synthetic.xml", tmp_path / "a.xml")
    shutil.copy(TABLES / "naver_api_synthetic.csv", tmp_path / "b.csv")
    monkeypatch.setattr(newsml, "iter_records", broken)
    corpus = load_corpus(tmp_path, workers=1)
    assert len(corpus.articles) > 0
    refused = corpus.refused
    shown = f"{tmp_path.name}/a.xml"
    assert list(refused["source_file"]) == [shown]
    assert refused.iloc[0]["reason"] == f"{shown}: unreadable (ValueError: multi-byte encodings are not supported)"
    with pytest.raises(CorpusError, match="a.xml: unreadable"):
        load_corpus(tmp_path, workers=1, on_error="raise")


def test_folder_with_unusable_files_loads_the_rest(tmp_path: Path) -> None:
    for name in (
        "naver_api_synthetic.csv",
        "unknown_columns_synthetic.csv",
        "aihub_summary_synthetic.jsonl",
    ):
        shutil.copy(TABLES / name, tmp_path / name)
    (tmp_path / "empty.txt").write_bytes(b"")
    corpus = load_corpus(tmp_path)
    assert len(corpus.articles) == 5
    assert sorted(Path(s).name for s in corpus.refused["source_file"]) == [
        "empty.txt",
        "unknown_columns_synthetic.csv",
    ]
    with pytest.raises(CorpusError, match="unknown_columns_synthetic.csv|empty.txt"):
        load_corpus(tmp_path, on_error="raise")


def test_strict_policy_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(TABLES / "naver_api_synthetic.csv", tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    monkeypatch.setenv("CORPUS_ON_ERROR", "raise")
    with pytest.raises(CorpusError, match="b.csv"):
        load_corpus(tmp_path)


def test_a_table_with_korean_headers_is_full_text_not_a_bigkinds_lead(tmp_path: Path) -> None:
    """A user's own table headed 제목, 본문, 일자, 언론사 (headers BigKinds uses too, but none
    only BigKinds writes) is read as a table of full texts: no 200-character-lead notice, and
    its rows get the near-duplicate check."""
    body = "세종시가 자율주행 버스 노선을 넓힌다고 밝혔다. " * 16  # synthetic, 400+ characters
    path = tmp_path / "own_table_synthetic.csv"
    path.write_text("제목,본문,일자,언론사\n"
                    f"세종 자율주행 버스 확대,{body},20240105,합성일보\n"
                    f"대전 스마트 가로등 설치,{body.replace('세종', '대전')},20240106,합성일보\n",
                    encoding="utf-8")
    corpus = load_corpus(path, cache=False)
    assert corpus.manifest.iloc[0]["format"] == "table"
    assert len(corpus.articles) == 2 and not corpus.articles["lead_only"].any()
    assert corpus.articles["published"].tolist() == [pd.Timestamp("2024-01-05"),
                                                     pd.Timestamp("2024-01-06")]
    assert corpus.articles["outlet"].eq("합성일보").all()


def test_a_malformed_resource_file_stops_the_load_instead_of_refusing_every_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose reading raises ValueError is refused; a broken alias file must not pass as
    that: it stops the load, naming its line, before any corpus file is read."""
    from lib.corpus import columns

    bad = tmp_path / "aliases.tsv"
    bad.write_text("alias\tfield\n헤드라인\tnot_a_field\n", encoding="utf-8")
    monkeypatch.setattr(columns, "ALIASES_FILE", bad)
    columns.load_aliases.cache_clear()
    try:
        with pytest.raises(ValueError, match="aliases.tsv:2: 'not_a_field' is not a field"):
            load_corpus(TABLES / "naver_api_synthetic.csv", workers=1)
    finally:
        columns.load_aliases.cache_clear()


def test_newsml_items_of_two_providers_with_the_same_item_id_are_two_stories(tmp_path: Path
                                                                             ) -> None:
    """A NewsML 1.2 NewsItemId is unique only within its provider and day: two agencies' item
    1 are two stories, not one story and a duplicate; an item's revisions (its PublicIdentifier
    without the revision) and a BigKinds id stay one identifier each."""
    template = (NEWSML / "newsml12_daejeon_synthetic.xml").read_text(encoding="utf-8")
    first = template.replace("01100801.20230413140000002", "1")
    second = (first.replace("synthetic.example", "other.example")
              .replace("대전시, 도시철도역에 스마트 보관함 설치", "대전시, 자율주행 버스 노선 확대")
              .replace("도시철도 1호선 역 10곳에 비대면 물품 보관함을 설치한다.",
                       "자율주행 버스가 다니는 노선을 세 곳 더 늘린다."))
    (tmp_path / "a.xml").write_text(first, encoding="utf-8")
    (tmp_path / "b.xml").write_text(second, encoding="utf-8")
    corpus = load_corpus(tmp_path, workers=1)
    assert sorted(corpus.articles["article_id"]) == ["other.example:20230413:1",
                                                     "synthetic.example:20230413:1"]
    assert not corpus.articles["is_duplicate"].any()
    from lib.corpus import newsml

    revised = template.replace(
        "</NewsIdentifier>",
        "<PublicIdentifier>urn:newsml:synthetic.example:20230413:7:2</PublicIdentifier>"
        "</NewsIdentifier>").replace("01100801.20230413140000002", "7")
    (record,) = [rec for _label, rec in newsml.iter_records(revised)]
    assert record["article_id"] == "urn:newsml:synthetic.example:20230413:7"
    (kept,) = [rec for _label, rec in newsml.iter_records(template)]
    assert kept["article_id"] == "01100801.20230413140000002"
