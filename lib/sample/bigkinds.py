"""BigKinds rows: the 19 text cells of a news-analysis download, and the rows to reject.

키워드 and 특성추출 come from Kiwi nouns of the whole story (as BigKinds computes them from the
full article); 본문 is a lead of at most 200 characters; the 통합 분류 cells carry a noisy region
category, since BigKinds' classifier guesses it and has no 지역>세종.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from lib.corpus.bigkinds import EXCLUDED_PREFIX
from lib.sample.material import BIGKINDS_OUTLETS, CATEGORIES, PLAN, REGION_CATEGORY_P, required
from lib.sample.records import Record
from lib.sample.stories import Story, write_story
from lib.sample.writing import Writer

#: Tags kept for BigKinds-style 키워드 (nouns, foreign words, hanja, numerals).
KEYWORD_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "NR"})

with required("plan.toml"):
    #: BigKinds files: (relative path, first day, last day, format: xlsx or a CSV encoding).
    BIGKINDS_SLICES: tuple[tuple[str, str, str, str], ...] = tuple(
        (f["path"], f["first_day"], f["last_day"], f["format"]) for f in PLAN["bigkinds_files"]
    )

#: Reasons the loader gives for the planted bad records (lib.corpus: pages.py, bigkinds.py).
REASON_NO_TITLE = "no title"
REASON_BAD_PAGE_DATE = "unparseable date '2019-02-30'"
REASON_BAD_BIGKINDS_DATE = "unparseable date '20190230'"

RowsByFile = dict[str, list[dict[str, str]]]


def _categories(rng: random.Random, story: Story) -> list[str]:
    if rng.random() < 0.05:
        return ["미분류", "", ""]
    pool = CATEGORIES[story.category_kind]
    cats = rng.sample(pool, min(2, len(pool)))
    x, acc = rng.random(), 0.0
    for cat, p in REGION_CATEGORY_P[story.region]:
        acc += p
        if x < acc:
            cats.insert(rng.randint(0, len(cats)), cat)
            break
    cats = cats[:3] + [""] * (3 - len(cats[:3]))
    return [cats[0]] + [(" " + c) if c else "" for c in cats[1:]]


def lead_of(paragraphs: Sequence[str]) -> str:
    """BigKinds 본문: the first 200 characters of the story; a cut lead ends in ``..``."""
    text = "\n".join(paragraphs)
    return text if len(text) <= 200 else text[:198].rstrip() + ".."


def _keywords(tokens) -> list[str]:
    # Kiwi knows a few multi-word names ("대전 하나 시티즌"); BigKinds keywords hold no spaces.
    return [t.form.replace(" ", "") for t in tokens if t.tag in KEYWORD_TAGS]


class Keywords:
    """BigKinds-style 키워드 and 특성추출 from Kiwi nouns (one Kiwi instance, texts cached)."""

    def __init__(self) -> None:
        from kiwipiepy import Kiwi  # loaded once, only when generating

        self.kiwi = Kiwi()
        self.cache: dict[str, list[str]] = {}

    def read_all(self, texts: list[str]) -> None:
        """Tokenize ``texts`` in one batch on every core (the same tokens as one at a time)."""
        todo = [t for t in texts if t not in self.cache]
        for text, tokens in zip(todo, self.kiwi.tokenize(todo), strict=True):
            self.cache[text] = _keywords(tokens)

    def nouns(self, text: str) -> list[str]:
        """Nouns, foreign words, hanja and numerals of ``text`` in order, with repeats."""
        if text not in self.cache:
            self.cache[text] = _keywords(self.kiwi.tokenize(text))
        return self.cache[text]

    def features(self, text: str, df: Counter, n_docs: int, *, top: int = 25) -> list[str]:
        """Top-weighted terms: term frequency times inverse document frequency, ties by position."""
        counts = Counter(t for t in self.nouns(text) if len(t) >= 2)
        first: dict[str, int] = {}
        for i, t in enumerate(self.nouns(text)):
            first.setdefault(t, i)
        scored = sorted(counts, key=lambda t: (-counts[t] * math.log((1 + n_docs) / (1 + df[t])), first[t]))
        return scored[:top]


def bigkinds_row(rec: Record, rng: random.Random, kw: Keywords, df: Counter, n_docs: int) -> dict[str, str]:
    """The 19 cells of ``rec`` as BigKinds exports them (every value a string)."""
    s = rec.story
    _code, domain = BIGKINDS_OUTLETS[rec.outlet]
    name, email = rec.reporter
    text = "\n".join([rec.title, *rec.paragraphs])
    contributor = rng.choice((f"{name} 기자", name, f"{name} 기자 {email}@{domain.removeprefix('www.')}"))
    cats = _categories(rng, s)
    incident = ["", "", ""]
    if s.category_kind == "weather" and rng.random() < 0.5:
        incident[0] = "재해>자연재해>폭염" if "폭염" in text else "재해>자연재해>호우"
    return {
        "뉴스 식별자": rec.news_id,
        "일자": f"{rec.published:%Y%m%d}",
        "언론사": rec.outlet,
        "기고자": contributor,
        "제목": rec.title,
        "통합 분류1": cats[0],
        "통합 분류2": cats[1],
        "통합 분류3": cats[2],
        "사건/사고 분류1": incident[0],
        "사건/사고 분류2": incident[1],
        "사건/사고 분류3": incident[2],
        "인물": ",".join(s.persons),
        "위치": ",".join(s.places),
        "기관": ",".join(s.orgs),
        "키워드": ",".join(kw.nouns(text)),
        "특성추출(가중치순 상위 50개)": ",".join(kw.features(text, df, n_docs)),
        "본문": lead_of(rec.paragraphs),
        "URL": f"https://{domain}.invalid/news/articleView.html?idxno={rng.randint(1_000_000, 2_999_999)}",
        "분석제외 여부": "",
    }


def assign_news_ids(records: list[Record]) -> None:
    """Give every BigKinds record a unique 뉴스 식별자: outlet code, timestamp, sequence."""
    used: set[str] = set()
    for rec in records:
        if rec.fmt != "bigkinds":
            continue
        code = BIGKINDS_OUTLETS[rec.outlet][0]
        seq = 1
        while True:
            news_id = f"{code}.{rec.published:%Y%m%d%H%M%S}{seq:03d}"
            if news_id not in used:
                break
            seq += 1
        used.add(news_id)
        rec.news_id = news_id


def reject_rows(rng: random.Random, writer: Writer, kw: Keywords, df: Counter, n_docs: int,
                rows_by_file: RowsByFile) -> list[dict[str, str]]:
    """Plant BigKinds rows the loader must reject into ``rows_by_file``.

    Returns one ``{source_file, news_id, reason}`` per planted row, the reason worded as the
    loader words it.
    """
    planted: list[dict[str, str]] = []

    def make(when: datetime, region: str, outlet: str) -> dict[str, str]:
        story = write_story(writer, 0, when, region, "smart" if rng.random() < 0.5 else "offtopic")
        rec = Record(story, "bigkinds", outlet, when, story.title, story.paragraphs, "rejected",
                     reporter=writer.reporter_for(outlet))
        code = BIGKINDS_OUTLETS[outlet][0]
        rec.news_id = f"{code}.{when:%Y%m%d%H%M%S}{rng.randint(5, 9):03d}"
        return bigkinds_row(rec, rng, kw, df, n_docs)

    def add(path: str, row: dict[str, str], reason: str) -> None:
        rows_by_file[path].append(row)
        planted.append({"source_file": path, "news_id": row["뉴스 식별자"], "reason": reason})

    a, b, c, d = (s[0] for s in BIGKINDS_SLICES)
    # 제목 empty.
    row = make(datetime(2018, 5, 14, 9, 12, 5), "daejeon", "대전일보")
    row["제목"] = ""
    add(a, row, REASON_NO_TITLE)
    # 일자 that is no date (the identifier keeps a real time).
    row = make(datetime(2019, 2, 28, 16, 40, 11), "sejong", "중도일보")
    row["일자"] = "20190230"
    add(a, row, REASON_BAD_BIGKINDS_DATE)
    # 분석제외: photo, personnel and digest items (예외), repeats (중복), both.
    specs = (
        (a, datetime(2018, 9, 3, 11, 5, 44), "sejong", "충청투데이", "예외", "[포토] "),
        (a, datetime(2018, 11, 20, 14, 30, 2), "daejeon", "금강일보", "중복", ""),
        (b, datetime(2020, 4, 7, 8, 15, 30), "daejeon", "충청일보", "중복, 예외", "[인사] "),
        (b, datetime(2021, 6, 2, 17, 45, 9), "sejong", "대전일보", "예외", "[포토] "),
        (c, datetime(2022, 8, 16, 10, 20, 51), "daejeon", "중도일보", "예외", "[인사] "),
        (c, datetime(2023, 3, 9, 13, 2, 17), "sejong", "금강일보", "중복", ""),
        (d, datetime(2024, 10, 11, 9, 55, 40), "daejeon", "대전일보", "예외", "[포토] "),
    )
    for path, when, region, outlet, marker, prefix in specs:
        row = make(when, region, outlet)
        row["제목"] = prefix + row["제목"]
        row["분석제외 여부"] = marker
        add(path, row, f"{EXCLUDED_PREFIX}{marker}")
    return planted
