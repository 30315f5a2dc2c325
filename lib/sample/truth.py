"""What the sample promises: truth.json's entries and summary, and the folder's README.md."""

from __future__ import annotations

from collections import Counter

from lib.sample.bigkinds import (
    BIGKINDS_SLICES,
    REASON_BAD_BIGKINDS_DATE,
    REASON_BAD_PAGE_DATE,
    REASON_NO_TITLE,
)
from lib.sample.material import README_TEMPLATE, REGIONS, TOPICS
from lib.sample.records import Record
from lib.sample.stories import DISTINCT_MAX_JACCARD, NEAR_DUP_MIN_JACCARD, SMART_KINDS, Story
from lib.sample.trends import FIRST_YEAR, LAST_YEAR, PLANTED_TRENDS, quarter_label

#: Bump when the output for a given seed changes on purpose.
GENERATOR_VERSION = "1.3.2"


def truth_entry(rec: Record, copy: str) -> dict[str, object]:
    """The truth about one loadable record: its story's region, topics, duplicate group and more."""
    s = rec.story
    return {
        "region": s.region,
        "smart_city": s.smart_city,
        "topics": [t for t in TOPICS if t in s.topics],
        "story_id": s.story_id,
        "dup_group": s.number,
        "copy": copy,
        "format": rec.fmt,
        "outlet": rec.outlet,
        "published": rec.published.isoformat(),
        "quarter": quarter_label(rec.published),
        "title": rec.title,
        "kind": s.kind,
    }


def summarise(seed: int, stories: list[Story], articles: dict[str, dict[str, object]],
              rejects: list[dict[str, str]], pages: list[Record], dropped: int) -> dict[str, object]:
    """truth.json's ``meta``: seed, generator version, counts, planted trends, BigKinds files."""
    entries = list(articles.values())
    story_regions = Counter(s.region for s in stories)
    return {
        "seed": seed,
        "generator": "lib.sample",
        "generator_version": GENERATOR_VERSION,
        "synthetic": True,
        "period": f"{FIRST_YEAR}-01-01/{LAST_YEAR}-12-31",
        "counts": {
            "stories": len(stories),
            "stories_smart_city": sum(s.smart_city for s in stories),
            "stories_conventional_work": sum(
                not s.smart_city for s in stories if s.kind in SMART_KINDS
            ),
            "stories_by_region": {r: story_regions[r] for r in REGIONS},
            "stories_by_kind": dict(sorted(Counter(s.kind for s in stories).items())),
            "story_slots_dropped_as_too_similar": dropped,
            "articles": len(entries),
            "articles_by_format": dict(sorted(Counter(e["format"] for e in entries).items())),
            "articles_by_copy": dict(sorted(Counter(e["copy"] for e in entries).items())),
            "duplicate_groups": sum(1 for n in Counter(e["dup_group"] for e in entries).values() if n > 1),
            "rejects": len(rejects),
            "page_files": len(pages) + 2,
            "pages_by_layout": dict(sorted(Counter(p.layout for p in pages).items())),
            "pages_by_encoding": dict(sorted(Counter(p.encoding for p in pages).items())),
            "pages_crlf": sum(p.crlf for p in pages),
            "pages_nbsp": sum(p.nbsp for p in pages),
        },
        "trends": list(PLANTED_TRENDS),
        "bigkinds_files": [
            {"source_file": path, "first_day": first, "last_day": last, "format": fmt}
            for path, first, last, fmt in BIGKINDS_SLICES
        ],
    }


def _listing(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def render_readme(meta: dict) -> str:
    """The sample folder's README.md for truth.json's ``meta`` (templates/sample_readme.md.tmpl)."""
    c = meta["counts"]
    files = "\n".join(
        f"| `{f['source_file']}` | {f['first_day']}–{f['last_day']} | {f['format']} |"
        for f in meta["bigkinds_files"]
    )
    trends = "\n".join(
        f"| {t['topic']} | {t['region']} | {t['kind']} | {t['period']} | {t['note']} |" for t in meta["trends"]
    )
    return README_TEMPLATE.format(
        seed=meta["seed"],
        generator_version=meta["generator_version"],
        stories=c["stories"],
        stories_smart_city=c["stories_smart_city"],
        stories_conventional_work=c["stories_conventional_work"],
        articles=c["articles"],
        rejects=c["rejects"],
        page_files=c["page_files"],
        pages_crlf=c["pages_crlf"],
        pages_nbsp=c["pages_nbsp"],
        by_region=_listing(c["stories_by_region"]),
        by_copy=_listing(c["articles_by_copy"]),
        layouts=_listing(c["pages_by_layout"]),
        encodings=_listing(c["pages_by_encoding"]),
        files=files,
        trends=trends,
        near_dup_min_jaccard=NEAR_DUP_MIN_JACCARD,
        distinct_max_jaccard=DISTINCT_MAX_JACCARD,
        reason_no_title=REASON_NO_TITLE,
        reason_bad_page_date=REASON_BAD_PAGE_DATE,
        reason_bad_bigkinds_date=REASON_BAD_BIGKINDS_DATE,
    )
