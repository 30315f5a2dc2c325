"""``load_and_tag`` gives what ``load_corpus`` then ``tag_articles`` give, with tagging begun in
the reading processes as each file is read.

Real worker processes (each builds its own taggers): the synthetic sample (BigKinds rows with
ids repeated across and within files, saved pages whose ids are made once the corpus is
assembled) and synthetic BigKinds files where a later file repeats an earlier file's id with
another text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.tagging import load_and_tag, tag_articles
from tests.conftest import bigkinds_row, write_bigkinds_xlsx

SAMPLE = paths.ROOT / "data" / "sample"
TAGGED = ("articles", "article_topics", "topic_terms", "region_evidence")


def _assert_same(corpus, tagged, want_corpus, want_tagged) -> None:
    for name in ("articles", "rejects", "manifest"):
        pd.testing.assert_frame_equal(getattr(corpus, name), getattr(want_corpus, name), obj=name)
    for name in TAGGED:
        pd.testing.assert_frame_equal(getattr(tagged, name), getattr(want_tagged, name), obj=name)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A part of the sample for the tests of the cache and of the reading processes, which ask
    nothing of its size: one BigKinds file and 40 saved pages (one of them rejected)."""
    import shutil

    folder = tmp_path_factory.mktemp("small_sample")
    (folder / "bigkinds").mkdir()
    (folder / "pages").mkdir()
    shutil.copy(SAMPLE / "bigkinds" / "synthetic_NewsResult_20220101-20231231_cp949.csv",
                folder / "bigkinds")
    pages = sorted((SAMPLE / "pages").glob("*.txt"))
    for page in pages[:39] + [p for p in pages if p.name.endswith("_bad_date.txt")]:
        shutil.copy(page, folder / "pages")
    return folder


@pytest.fixture
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    return tmp_path / "cache"


def test_sample_read_by_two_processes_gets_the_two_step_tables(cache_in_tmp) -> None:
    want_corpus = load_corpus(SAMPLE, workers=1, progress=False)
    want = tag_articles(want_corpus.articles, cache=False, workers=1)
    ids = want_corpus.articles["article_id"]
    # What the test stands on: ids repeated, and ids the loader makes (saved pages).
    assert ids.duplicated().sum() > 10
    assert (want_corpus.articles["source_format"] == "page").sum() > 100

    corpus, tagged = load_and_tag(SAMPLE, cache=False, workers=2, progress=False)
    _assert_same(corpus, tagged, want_corpus, want)
    assert not tagged.from_cache


def test_the_cache_is_shared_with_the_two_steps(cache_in_tmp, small) -> None:
    corpus, tagged = load_and_tag(small, workers=2, progress=False)
    assert not tagged.from_cache and (cache_in_tmp / "tagged" / tagged.cache_key).is_dir()
    # The two steps read what load_and_tag stored, and load_and_tag what they would store.
    again = tag_articles(load_corpus(small, cache=True, progress=False).articles)
    assert again.from_cache and again.cache_key == tagged.cache_key
    corpus2, tagged2 = load_and_tag(small, workers=2, progress=False)
    assert tagged2.from_cache
    _assert_same(corpus2, tagged2, corpus, tagged)


def test_a_rerun_reads_the_tags_without_hashing_the_articles(cache_in_tmp, small,
                                                             monkeypatch) -> None:
    corpus, tagged = load_and_tag(small, workers=2, progress=False)
    # The tag key was noted beside the corpus key: a rerun reads both entries at once.
    from lib.tagging import stage

    def no_hashing(*args, **kwargs):
        raise AssertionError("a rerun hashed the articles again")

    monkeypatch.setattr(stage, "cache_key", no_hashing)
    corpus2, tagged2 = load_and_tag(small, workers=2, progress=False)
    assert tagged2.from_cache and tagged2.cache_key == tagged.cache_key
    _assert_same(corpus2, tagged2, corpus, tagged)


def test_a_noted_key_whose_entry_is_gone_or_garbled_is_not_trusted(cache_in_tmp, small) -> None:
    import shutil

    from lib.tagging import stage

    corpus, tagged = load_and_tag(small, workers=2, progress=False)
    notes = list((cache_in_tmp / "tagged" / "of_corpus").iterdir())
    assert len(notes) == 1 and notes[0].read_text() == tagged.cache_key
    shutil.rmtree(cache_in_tmp / "tagged" / tagged.cache_key)
    corpus2, tagged2 = load_and_tag(small, workers=2, progress=False)
    assert not tagged2.from_cache
    _assert_same(corpus2, tagged2, corpus, tagged)
    notes[0].write_text("not a key")
    assert stage.remembered_key(*notes[0].name.split("-")) is None
    corpus3, tagged3 = load_and_tag(small, workers=2, progress=False)
    assert tagged3.from_cache
    _assert_same(corpus3, tagged3, corpus, tagged)


def test_an_id_repeated_in_a_later_file_is_tagged_from_its_first_row(tmp_path,
                                                                    cache_in_tmp) -> None:
    """The first file's row of an id decides its tags, even when a later file repeats the id
    with another text; rows without an id get one made from outlet, title and time."""
    daejeon = bigkinds_row(**{"뉴스 식별자": "01100401.20210315103012001"})
    sejong = bigkinds_row(**{
        "뉴스 식별자": "01100401.20210316090000002", "제목": "세종시, 스마트 버스정류장 늘린다",
        "위치": "세종", "키워드": "세종시,스마트,버스정류장,스마트시티,국가시범도시,정류장",
        "본문": "세종시가 국가시범도시 5-1생활권에 스마트 버스정류장을 더 놓는다..",
        "URL": "https://example.kr/news/2"})
    # The same id as the first file's story, another text (another city).
    clash = dict(sejong, **{"뉴스 식별자": daejeon["뉴스 식별자"]})
    no_id = dict(sejong, **{"뉴스 식별자": "", "제목": "세종 스마트시티 리빙랩 참여자 모집",
                            "URL": "https://example.kr/news/3"})
    folder = tmp_path / "bigkinds"
    folder.mkdir()
    write_bigkinds_xlsx(folder / "a_NewsResult.xlsx", [daejeon] * 3)
    write_bigkinds_xlsx(folder / "b_NewsResult.xlsx", [clash, sejong, no_id, sejong])

    want_corpus = load_corpus(folder, workers=1, progress=False)
    want = tag_articles(want_corpus.articles, cache=False, workers=1)
    corpus, tagged = load_and_tag(folder, cache=False, workers=2, progress=False)
    _assert_same(corpus, tagged, want_corpus, want)
    regions = tagged.articles.drop_duplicates("article_id").set_index("article_id")["region"]
    assert regions[daejeon["뉴스 식별자"]] == "daejeon"
    assert regions[sejong["뉴스 식별자"]] == "sejong"
    assert len(regions) == 3  # the made id is tagged too


def test_one_process_or_a_limit_takes_the_two_steps(cache_in_tmp) -> None:
    want_corpus = load_corpus(SAMPLE, limit=200, progress=False)
    want = tag_articles(want_corpus.articles, cache=False)
    corpus, tagged = load_and_tag(SAMPLE, limit=200, cache=False, workers=2, progress=False)
    _assert_same(corpus, tagged, want_corpus, want)


@pytest.mark.parametrize("workers", [1, 2])
def test_on_file_gets_every_loaded_row_in_corpus_order(workers) -> None:
    from lib.corpus.loader import plan_load

    handed: list[pd.DataFrame] = []
    spilled: list[list[tuple[str, int]]] = []

    def on_file(articles: pd.DataFrame, files: list[tuple[str, int]]) -> None:
        handed.append(articles)
        spilled.append(files)

    corpus = plan_load(SAMPLE, workers=workers).run(on_file=on_file)
    assert len(handed) > 1
    # Read in worker processes, a file's articles come through Arrow files, one per frame, that
    # hold its rows in order; read here, they are handed over as they are.
    for articles, files in zip(handed, spilled):
        assert (sum(n for _, n in files) == len(articles)) if files else True
    assert any(spilled) == (workers > 1)
    rows = pd.concat(handed, ignore_index=True)
    for column in ("title", "body", "keywords", "source_file"):
        assert rows[column].tolist() == corpus.articles[column].tolist(), column
    # Ids the loader makes are not there yet: the rows a page file gave have none.
    made = corpus.articles["source_format"].eq("page").to_numpy()
    assert rows["article_id"][made].eq("").all() and rows["article_id"][~made].ne("").all()


def test_chunks_read_from_the_readers_arrow_files_get_the_two_step_tables(tmp_path,
                                                                           cache_in_tmp) -> None:
    """Files whose every row is a new article are read, spilled to Arrow files and tagged by
    workers mapping their chunk's rows: the same tables as loading then tagging in one process."""
    folder = tmp_path / "bigkinds"
    folder.mkdir()
    stories = [("대전시, 자율주행 셔틀 시범운행 구간 넓힌다", "대전,자율주행,셔틀,시범운행", "대전"),
               ("세종시, 스마트 버스정류장 늘린다", "세종시,스마트,버스정류장,국가시범도시", "세종"),
               ("코스피 강세 마감", "코스피,강세,증시", "")]
    for f in range(2):
        rows = [bigkinds_row(**{"뉴스 식별자": f"0110040{f}.20210315103012{i:03d}", "제목": f"{title} {i}",
                                "키워드": keywords, "위치": place, "URL": f"https://example.kr/{f}/{i}"})
                for i in range(30) for title, keywords, place in [stories[i % 3]]]
        write_bigkinds_xlsx(folder / f"{f}_NewsResult.xlsx", rows)
    from lib.corpus.dedup import BODY_KEY_COLUMNS
    from lib.corpus.loader import plan_load

    handed: list[tuple[int, list[tuple[str, int]]]] = []
    keyed: list[bool] = []

    def on_file(articles, files) -> None:
        handed.append((len(articles), files))
        keyed.append(set(BODY_KEY_COLUMNS) <= set(articles.columns))

    read = plan_load(folder, workers=2).run(on_file=on_file)
    # What the test stands on: both files came through Arrow files, every row a new id.
    assert len(handed) == 2 and all(files and sum(n for _, n in files) == n_rows for n_rows, files in handed)
    # The readers made the bodies' keys for the duplicates check; the corpus does not show them.
    assert keyed == [True, True] and not set(BODY_KEY_COLUMNS) & set(read.articles.columns)

    want_corpus = load_corpus(folder, workers=1, progress=False)
    assert not want_corpus.articles["article_id"].duplicated().any()
    want = tag_articles(want_corpus.articles, cache=False, workers=1)
    corpus, tagged = load_and_tag(folder, cache=False, workers=2, progress=False)
    _assert_same(corpus, tagged, want_corpus, want)
    assert tagged.articles["region"].nunique() > 1


def _fork_servers() -> list[int]:
    """This process's children that run multiprocessing's fork server (Linux /proc)."""
    import os

    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{name}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and b"multiprocessing.forkserver" in command:
            found.append(int(name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_no_fork_server_outlives_a_read_on_several_cores(cache_in_tmp, small) -> None:
    """The fork server holds the loader's modules once its workers are gone: it is ended."""
    load_and_tag(small, cache=False, workers=2, progress=False)
    assert _fork_servers() == []
    load_corpus(small, workers=2, progress=False)
    assert _fork_servers() == []
