"""Hard real pages (``tests/fixtures/real_pages_neg.tsv``): how today's taggers do on the cases
built to fool them.

The file holds real Korean news pages labelled by hand (labels and Kiwi noun counts only; see
``real_pages_neg.md``): economy news naming AI, 자율주행, 모빌리티, 데이터, 탄소중립 or IoT;
other cities' smart-city news; nationwide ministry stories from the Sejong government complex;
lists of regions; homographs, venues and slogans; and, for balance, Sejong and Daejeon
smart-city stories. Each row carries a fixed ``split`` (``dev``/``holdout``, from the url's
sha256) and a ``trap`` naming the difficulty.

Rows become keyword-only articles exactly as in ``tests/eval/test_nlp_eval.py``. Per split, the
test prints region accuracy, smart-city precision/recall/F1 and the share of ``economy_mention``
rows wrongly flagged as smart-city work. It asserts only that the file is well formed: the
scores describe today's taggers and are not held to a floor here.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from lib import paths
from lib.tagging import tag_regions, tag_topics
from lib.tagging.labelled import CONFIDENCES, TRAPS
from lib.vocabulary import get_vocabulary
from tests.eval.test_nlp_eval import real_eval_articles

REAL_PAGES_NEG = paths.FIXTURES_DIR / "real_pages_neg.tsv"
OLDER_SETS = ("real_pages.tsv",)

COLUMNS = [
    "url",
    "outlet",
    "date",
    "split",
    "region",
    "smart_city",
    "topics",
    "confidence",
    "trap",
    "nouns",
    "note",
]
REGIONS = {"sejong", "daejeon", "both", "neither"}
TOPICS = set(get_vocabulary().topic_keys)
NOUN_ITEM = re.compile(r"[^|:\s][^|]*:[1-9][0-9]*")


def split_of(url: str) -> str:
    """The fixed split rule: ``holdout`` when the url's sha256, read as an integer, is 0 or 1
    modulo 5 (about 40% of rows), else ``dev``."""
    return "holdout" if int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16) % 5 < 2 else "dev"


def _labels(joined: str) -> set[str]:
    return set(filter(None, joined.split("|")))



@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """The file as read, every cell a string."""
    assert REAL_PAGES_NEG.exists(), f"{REAL_PAGES_NEG.name} is missing"
    return pd.read_csv(REAL_PAGES_NEG, sep="\t", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def scored(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows joined with the taggers' decisions on their keyword-only articles."""
    articles = real_eval_articles(rows)
    regions = tag_regions(articles)
    topics = tag_topics(articles)
    return rows.assign(
        true_smart_city=rows["smart_city"].eq("true").to_numpy(),
        pred_region=regions["region"].to_numpy(),
        pred_smart_city=topics["smart_city"].to_numpy().astype(bool),
    )


def test_file_is_well_formed(rows):
    """Columns in order, labels from the fixed vocabularies, unique urls, topics exactly for
    smart-city rows, splits by the recorded rule, well-formed noun counts."""
    assert list(rows.columns) == COLUMNS
    # 168 labelled; 11 also labelled in real_pages.tsv were left to that file.
    assert len(rows) >= 150
    assert rows["url"].is_unique
    assert rows["url"].str.match(r"https?://").all()
    assert set(rows["region"]) <= REGIONS
    assert set(rows["smart_city"]) <= {"true", "false"}
    assert set(rows["confidence"]) <= CONFIDENCES
    assert set(rows["trap"]) <= TRAPS
    for topics in rows["topics"]:
        assert _labels(topics) <= TOPICS, topics
    assert (rows["topics"].ne("") == rows["smart_city"].eq("true")).all()
    assert (rows["split"] == rows["url"].map(split_of)).all()
    assert rows["date"].str.fullmatch(r"(20\d\d-[01]\d-[0-3]\d)?").all()
    assert rows["outlet"].str.len().gt(0).all()
    for nouns in rows["nouns"]:
        items = nouns.split("|")
        assert all(NOUN_ITEM.fullmatch(item) for item in items), nouns[:80]
        counts = [int(item.rpartition(":")[2]) for item in items]
        assert counts == sorted(counts, reverse=True), nouns[:80]


def test_no_page_of_the_older_sets(rows):
    """A page already labelled in real_pages.tsv is not labelled again."""
    for name in OLDER_SETS:
        older = paths.FIXTURES_DIR / name
        if older.exists():
            urls = set(pd.read_csv(older, sep="\t", dtype=str, keep_default_na=False)["url"])
            assert not urls & set(rows["url"]), name


def test_scores_are_reported(scored, show):
    """Region accuracy, smart-city precision/recall/F1 and the false smart-city rate on
    economy_mention rows, for dev and holdout separately. Printed, not held to a floor."""
    lines = []
    for split in ("dev", "holdout"):
        part = scored[scored["split"] == split]
        truth, pred = part["true_smart_city"], part["pred_smart_city"]
        tp = int((truth & pred).sum())
        fp = int((~truth & pred).sum())
        fn = int((truth & ~pred).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        region_right = int((part["pred_region"] == part["region"]).sum())
        economy = part[part["trap"] == "economy_mention"]
        economy_flagged = int(economy["pred_smart_city"].sum())
        lines.append(
            f"real_pages_neg {split} ({len(part)} rows): "
            f"region accuracy {region_right / len(part):.3f} ({region_right}/{len(part)}); "
            f"smart_city precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
            f"(tp {tp}, fp {fp}, fn {fn}); "
            f"economy_mention flagged {economy_flagged}/{len(economy)} "
            f"({economy_flagged / len(economy):.3f})"
        )
    show("\n".join(lines))
    assert set(scored["pred_region"]) <= REGIONS
