"""The synthetic sample corpus (lib.sample) and its committed copy in data/sample.

The committed files must equal a fresh run of the generator, and they must be what the sample
promises: enough distinct stories over 2018-2025, every region and topic, pages that the page
parser reads to the truth's titles, BigKinds files in the exact export layout.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from lib import paths, sample
from lib.corpus.bigkinds import HEADERS as BIGKINDS_HEADERS
from lib.corpus.errors import RecordError
from lib.corpus.pages import parse_page
from lib.corpus.schema import stable_article_id
from lib.corpus.textio import read_text
from lib.sample import material
from lib.sample.stories import SMART_KINDS

SAMPLE = paths.SAMPLE_DIR
TRUTH = SAMPLE / "truth.json"
XLSX = sorted((SAMPLE / "bigkinds").glob("*.xlsx"))
ID_PATTERN = re.compile(r"^\d{8}\.\d{14}\d{3}$")


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads(TRUTH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stories(truth) -> dict[str, dict]:
    """One truth entry per story (its first record)."""
    out: dict[str, dict] = {}
    for entry in truth["articles"].values():
        out.setdefault(entry["story_id"], entry)
    return out


@pytest.fixture(scope="module")
def parsed_pages(truth) -> dict[str, dict]:
    """Every loadable page of the sample, parsed: truth key → parse_page fields."""
    out = {}
    for key in truth["articles"]:
        rel = key.split("#", 1)[0]
        if rel.startswith("pages/"):
            text, _ = read_text(SAMPLE / rel)
            out[key] = parse_page(text, source_file=rel)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- the generator -------------------------------------------------------------------------------


def test_regenerating_gives_the_committed_bytes(tmp_path, truth) -> None:
    assert sample.main(["--seed", str(truth["meta"]["seed"]), "--out", str(tmp_path)]) == 0
    fresh, committed = _files(tmp_path), _files(SAMPLE)
    assert sorted(fresh) == sorted(committed)
    differing = [name for name in fresh if fresh[name] != committed[name]]
    assert differing == [], f"regenerate with `make sample`: {differing[:5]}"


def test_another_seed_gives_another_corpus(tmp_path) -> None:
    sample.generate_sample(tmp_path, seed=7)
    other = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert other["meta"]["seed"] == 7
    assert set(other["articles"]) != set(json.loads(TRUTH.read_text(encoding="utf-8"))["articles"])
    assert other["meta"]["counts"]["stories"] >= 600


# --- what the sample holds ------------------------------------------------------------------------


def test_counts_period_regions_topics(truth, stories) -> None:
    assert len(stories) >= 600
    assert 900 <= len(truth["articles"]) <= 1300
    published = pd.to_datetime([e["published"] for e in truth["articles"].values()])
    assert published.min() >= pd.Timestamp("2018-01-01") and published.max() < pd.Timestamp("2026-01-01")
    quarters = {e["quarter"] for e in stories.values()}
    assert quarters == set(sample.all_quarters())
    regions = Counter(e["region"] for e in stories.values())
    assert set(regions) == set(sample.REGIONS) and min(regions.values()) >= 30
    topics = Counter(t for e in stories.values() for t in e["topics"])
    assert set(topics) == set(sample.TOPICS)
    smart = [e for e in stories.values() if e["smart_city"]]
    # One to three drawn topics, plus the second theme of a shared service (smart_city.toml,
    # [shared_services]) on stories about one: at most five, as the labelling rules allow.
    assert all(1 <= len(e["topics"]) <= 5 for e in smart)
    assert sum(len(e["topics"]) > 3 for e in smart) <= len(smart) // 20
    assert all(e["topics"] == [] for e in stories.values() if not e["smart_city"])
    assert 0.2 <= 1 - len(smart) / len(stories) <= 0.5, "a good share is not about smart cities"


def test_folder_is_small_and_labelled_synthetic(truth) -> None:
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 5 * 1024 * 1024
    for p in SAMPLE.rglob("*"):
        if p.is_file() and p.parent != SAMPLE:
            assert p.name.startswith("synthetic_"), p
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "SYNTHETIC" in readme and "make sample" in readme
    assert truth["meta"]["synthetic"] is True


def test_planted_shares_cover_every_cell_and_carry_the_trends(truth) -> None:
    planted = {(p["topic"], p["region"], p["quarter"]): p["share"] for p in truth["planted"]}
    assert len(planted) == len(sample.TOPICS) * len(sample.REGIONS) * len(sample.all_quarters())
    expected_labels = sum(k * p for k, p in sample.N_LABELS_P.items())
    per_cell = defaultdict(float)
    for (topic, region, quarter), share in planted.items():
        assert 0 < share < 1
        per_cell[(region, quarter)] += share
    assert all(v == pytest.approx(expected_labels, abs=1e-4) for v in per_cell.values())
    assert planted[("mobility", "sejong", "2025Q4")] > 2 * planted[("mobility", "sejong", "2020Q4")]
    assert planted[("data_ai", "daejeon", "2025Q4")] > 2 * planted[("data_ai", "daejeon", "2021Q4")]
    assert planted[("pilot_city", "sejong", "2019Q2")] > 2 * planted[("pilot_city", "sejong", "2021Q2")]
    burst = planted[(sample.BURST_TOPIC, sample.BURST_REGION, sample.BURST_QUARTER)]
    assert burst > 2 * planted[(sample.BURST_TOPIC, sample.BURST_REGION, "2023Q1")]


def test_realised_stories_show_the_planted_trends(stories) -> None:
    def share(topic: str, region: str, years: range) -> tuple[float, int]:
        chosen = [e for e in stories.values()
                  if e["smart_city"] and e["region"] == region and int(e["quarter"][:4]) in years]
        return sum(topic in e["topics"] for e in chosen) / len(chosen), len(chosen)

    early, n_early = share("mobility", "sejong", range(2018, 2021))
    late, n_late = share("mobility", "sejong", range(2022, 2026))
    assert n_early >= 40 and n_late >= 40 and late > early + 0.15
    pilot_early, _ = share("pilot_city", "sejong", range(2018, 2020))
    pilot_late, _ = share("pilot_city", "sejong", range(2020, 2026))
    assert pilot_early > pilot_late + 0.25
    burst = Counter(e["quarter"] for e in stories.values()
                    if e["region"] == sample.BURST_REGION and sample.BURST_TOPIC in e["topics"])
    assert burst.most_common(1)[0][0] == sample.BURST_QUARTER


def test_traps_are_planted(truth, stories) -> None:
    neither_titles = " ".join(e["title"] for e in stories.values() if e["region"] == "neither")
    for decoy in sample.DECOYS:
        assert decoy in neither_titles, decoy
    national = [e for e in stories.values() if e["kind"] in ("national_smart", "national_plain")]
    assert len(national) >= 40 and all(e["region"] == "neither" for e in national)
    assert {e["smart_city"] for e in national} == {True, False}
    wire_sejong = [k for k, e in truth["articles"].items()
                   if e["kind"].startswith("national") and e["format"] == "page"]
    assert wire_sejong
    text, _ = read_text(SAMPLE / wire_sejong[0].split("#")[0])
    assert re.search(r"\(세종=(?:연합뉴스|뉴스1)\)", text)
    # Passing mention: stories drawn as smart-city news on regeneration or housing alone whose text
    # is conventional work; the labelling rules call them not smart-city (lib.sample.stories).
    conventional = [e for e in stories.values()
                    if e["kind"] in SMART_KINDS and not e["smart_city"]]
    assert 0 < len(conventional) == truth["meta"]["counts"]["stories_conventional_work"]
    regen = material.TOPIC_TEXT["regeneration_housing"].terms
    assert all(any(term in e["title"] for term in regen) for e in conventional)


def test_duplicates_are_planted_and_grouped(truth) -> None:
    copies = Counter(e["copy"] for e in truth["articles"].values())
    for kind in ("syndicated", "near_duplicate", "page_bigkinds", "overlap_slice"):
        assert copies[kind] >= 10, kind
    groups = defaultdict(set)
    for e in truth["articles"].values():
        groups[e["dup_group"]].add(e["story_id"])
    assert all(len(ids) == 1 for ids in groups.values())
    ids = Counter(key.split("#", 1)[1] for key, e in truth["articles"].items() if e["format"] == "bigkinds")
    assert sum(n > 1 for n in ids.values()) == copies["overlap_slice"]


# --- pages -------------------------------------------------------------------------------------------


def test_every_page_parses_to_its_truth(truth, parsed_pages) -> None:
    assert len(parsed_pages) >= 300
    for key, rec in parsed_pages.items():
        entry = truth["articles"][key]
        assert rec["title"] == entry["title"], key
        assert rec["outlet"] == entry["outlet"], key
        assert rec["published"] == pd.Timestamp(entry["published"]), key
        assert stable_article_id(rec["outlet"], rec["title"], rec["published"]) == key.split("#", 1)[1]


def test_page_bodies_hold_no_chrome(parsed_pages) -> None:
    for key, rec in parsed_pages.items():
        for headline in sample.CHROME_HEADLINES:
            assert headline not in rec["body"], key
        assert "무단" not in rec["body"] and "기자" not in rec["body"].split("\n\n")[0][:12], key


def test_pages_come_in_layouts_and_encodings() -> None:
    files = sorted((SAMPLE / "pages").glob("*.txt"))
    layouts = Counter(p.stem.split("_")[2] for p in files)
    assert len(layouts) >= 4 and min(layouts.values()) >= 20
    raw = [p.read_bytes() for p in files]
    assert sum(b.startswith(b"\xef\xbb\xbf") for b in raw) >= 3
    assert sum(b"\r\n" in b for b in raw) >= 5
    assert sum("\u00a0".encode() in b for b in raw) >= 5
    cp949 = [b for b in raw if _is_cp949_not_utf8(b)]
    assert len(cp949) >= 3


def test_reject_pages_fail_with_the_truth_reason(truth) -> None:
    page_rejects = [r for r in truth["rejects"] if r["source_file"].startswith("pages/")]
    assert {r["reason"] for r in page_rejects} == {sample.REASON_NO_TITLE, sample.REASON_BAD_PAGE_DATE}
    for rej in page_rejects:
        text, _ = read_text(SAMPLE / rej["source_file"])
        with pytest.raises(RecordError) as err:
            parse_page(text)
        assert str(err.value) == rej["reason"]


def test_distinct_stories_are_apart_and_near_duplicates_close(truth, parsed_pages) -> None:
    from datasketch import MinHash, MinHashLSH

    keys = list(parsed_pages)
    sets = [sample.shingles(parsed_pages[k]["body"]) for k in keys]
    lsh = MinHashLSH(threshold=0.4, num_perm=64)
    for i, sh in enumerate(sets):
        m = MinHash(num_perm=64, seed=1)
        for s in sh:
            m.update(s.encode("utf-8"))
        for j in lsh.query(m):
            same = truth["articles"][keys[i]]["dup_group"] == truth["articles"][keys[j]]["dup_group"]
            if not same:
                assert sample.jaccard(sh, sets[j]) < 0.6, (keys[i], keys[j])
        lsh.insert(i, m)
    by_group = defaultdict(list)
    for i, k in enumerate(keys):
        by_group[truth["articles"][k]["dup_group"]].append(i)
    close = [sample.jaccard(sets[a], sets[b]) for members in by_group.values() if len(members) > 1
             for a in members for b in members if a < b]
    assert close and min(close) >= sample.NEAR_DUP_MIN_JACCARD - 0.05


# --- BigKinds -------------------------------------------------------------------------------------------


def _is_cp949_not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        pass
    data.decode("cp949")
    return True


@pytest.mark.parametrize("path", XLSX, ids=lambda p: p.name)
def test_bigkinds_xlsx_is_in_the_export_layout(path: Path) -> None:
    assert pd.ExcelFile(path, engine="calamine").sheet_names == ["sheet"]
    frame = pd.read_excel(path, engine="calamine", dtype=str)
    assert list(frame.columns) == list(BIGKINDS_HEADERS)
    cells = frame.stack().dropna()
    assert cells.map(lambda v: isinstance(v, str)).all()
    assert frame["뉴스 식별자"].str.match(ID_PATTERN).all()
    assert frame["뉴스 식별자"].is_unique
    stamps = frame["뉴스 식별자"].str[9:23].tolist()
    assert stamps == sorted(stamps, reverse=True), "newest first"
    good_day = frame["일자"] != "20190230"
    assert (frame.loc[good_day, "일자"] == frame.loc[good_day, "뉴스 식별자"].str[9:17]).all()
    lead = frame["본문"].fillna("")
    assert (lead.str.len() <= 200).all() and lead.str.endswith("..").sum() > len(frame) / 2
    for col in ("통합 분류2", "통합 분류3"):
        filled = frame[col].dropna()
        assert filled.str.startswith(" ").all()
    categories = frame[["통합 분류1", "통합 분류2", "통합 분류3"]].stack().dropna().str.strip()
    assert "지역>대전" in set(categories) and "지역>세종" not in set(categories)
    keywords = frame["키워드"].dropna()
    assert not keywords.str.contains(" ").any()
    assert keywords.str.count(",").median() >= 60
    assert set(frame["분석제외 여부"].dropna()) <= {"중복", "예외", "중복, 예외"}


def test_bigkinds_slices_overlap() -> None:
    first, second = (set(pd.read_excel(p, engine="calamine", dtype=str)["뉴스 식별자"]) for p in XLSX)
    assert len(first & second) >= 10


def test_csv_conversions_have_their_encodings() -> None:
    cp949 = next((SAMPLE / "bigkinds").glob("*_cp949.csv")).read_bytes()
    assert _is_cp949_not_utf8(cp949)
    assert cp949.decode("cp949").startswith(",".join(BIGKINDS_HEADERS[:3]))
    bom = next((SAMPLE / "bigkinds").glob("*_utf8bom.csv")).read_bytes()
    assert bom.startswith(b"\xef\xbb\xbf")
    assert bom[3:].decode("utf-8").split("\r\n", 1)[0] == ",".join(
        f'"{h}"' if "," in h else h for h in BIGKINDS_HEADERS
    )


def test_bigkinds_rejects_are_where_truth_says(truth) -> None:
    for rej in truth["rejects"]:
        path = SAMPLE / rej["source_file"]
        if path.suffix == ".txt":
            continue
        if path.suffix == ".xlsx":
            frame = pd.read_excel(path, engine="calamine", dtype=str).fillna("")
        else:
            encoding = "cp949" if "_cp949" in path.name else "utf-8-sig"
            frame = pd.read_csv(path, dtype=str, encoding=encoding, keep_default_na=False)
        row = frame.iloc[int(rej["record"].removeprefix("row ")) - 2]
        if rej["reason"].startswith("excluded by BigKinds: "):
            assert row["분석제외 여부"] == rej["reason"].removeprefix("excluded by BigKinds: ")
        elif rej["reason"] == sample.REASON_NO_TITLE:
            assert row["제목"].strip() == "" and row["분석제외 여부"] == ""
        else:
            assert rej["reason"] == f"unparseable date '{row['일자']}'"
