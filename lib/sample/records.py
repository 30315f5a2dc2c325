"""Where each story ends up: a saved page or a BigKinds row, plus the planted copies of it.

Copies: a regional paper running a wire story word for word (``syndicated``), another outlet's
version with a paragraph changed or a sentence added (``near_duplicate``), and a page found again
in a BigKinds download (``page_bigkinds``). The overlapping BigKinds slices add ``overlap_slice``
copies later, when the rows are written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from lib.corpus.dedup import text_key
from lib.sample.material import (
    CONTEXT_SENTENCES,
    NATIONAL_BIGKINDS,
    PAGE_LAYOUTS,
    PAGE_MIX,
    PAGE_OUTLETS,
    PLAIN_CONTEXT,
    REGION_LISTS,
    REGIONAL_BIGKINDS,
    REGIONAL_LAYOUTS,
)
from lib.sample.stories import NEAR_DUP_MIN_JACCARD, SMART_KINDS, Story, jaccard, shingles
from lib.sample.trends import weighted_choice
from lib.sample.writing import Writer


@dataclass
class Record:
    """One article as it appears in one file (a page, or a BigKinds row)."""

    story: Story
    fmt: str  # "page" or "bigkinds"
    outlet: str
    published: datetime
    title: str
    paragraphs: list[str]
    copy: str  # original, syndicated, near_duplicate, page_bigkinds, overlap_slice, rejected
    layout: str = ""
    reporter: tuple[str, str] = ("", "")
    encoding: str = "utf-8"
    crlf: bool = False
    nbsp: bool = False
    source_file: str = ""
    article_id: str = ""
    news_id: str = ""
    wire: str = ""  # a regional page running wire copy prints the agency's dateline


def _page_layout(rng: random.Random, story: Story) -> str:
    if story.kind in ("national_smart", "national_plain", "other_smart"):
        return rng.choice(PAGE_MIX["wire"])
    if story.kind == "decoy":
        return rng.choice(PAGE_MIX["decoy"])
    return weighted_choice(rng, PAGE_LAYOUTS, [PAGE_OUTLETS[lo].weight for lo in PAGE_LAYOUTS])


def _bigkinds_outlet(rng: random.Random, story: Story) -> str:
    if story.region == "neither":
        if rng.random() < 0.3:
            return rng.choice(NATIONAL_BIGKINDS + REGIONAL_BIGKINDS[:2])
        return rng.choice(NATIONAL_BIGKINDS)
    return rng.choice(NATIONAL_BIGKINDS) if rng.random() < 0.08 else rng.choice(REGIONAL_BIGKINDS)


def _later_same_day(rng: random.Random, when: datetime) -> datetime:
    later = when + timedelta(minutes=rng.randint(20, 240))
    return later if later.date() == when.date() else when.replace(hour=23, minute=rng.randint(0, 58))


def near_duplicate(rng: random.Random, writer: Writer, story: Story) -> list[str] | None:
    """The story's paragraphs with one short paragraph rewritten or one sentence added.

    Returns None when no such edit keeps the 5-gram Jaccard similarity at or above
    ``NEAR_DUP_MIN_JACCARD`` (the copy must be unmistakably the same story).
    """
    original = shingles("\n".join(story.paragraphs))
    for _attempt in range(6):
        slots = writer.slots(story.region, story.published)
        slots.setdefault("region_list", rng.choice(REGION_LISTS))
        # The added sentence fits how the story was written (its kind), whatever its truth says.
        context = CONTEXT_SENTENCES if story.kind in SMART_KINDS else PLAIN_CONTEXT
        extra = writer.sentence(rng.choice(context), slots)
        paras = list(story.paragraphs)
        if rng.random() < 0.5 and len(paras) > 3:
            i = rng.randrange(1, len(paras) - 1)
            if len(paras[i]) > 90:
                continue
            paras[i] = extra
        else:
            paras.insert(rng.randrange(1, len(paras)), extra)
        if jaccard(original, shingles("\n".join(paras))) >= NEAR_DUP_MIN_JACCARD:
            return paras
    return None


def plan_records(rng: random.Random, writer: Writer, stories: list[Story]) -> list[Record]:
    """Decide where each story appears: a page or a BigKinds row, plus planted copies."""
    records: list[Record] = []
    for story in stories:
        as_page = rng.random() < 0.42
        if as_page:
            layout = _page_layout(rng, story)
            outlet = PAGE_OUTLETS[layout].outlet
            first = Record(story, "page", outlet, story.published, story.title, story.paragraphs,
                           "original", layout=layout, reporter=writer.reporter_for(outlet))
        else:
            outlet = _bigkinds_outlet(rng, story)
            first = Record(story, "bigkinds", outlet, story.published, story.title, story.paragraphs,
                           "original", reporter=writer.reporter_for(outlet))
        records.append(first)

        # Syndication: a regional paper runs the wire story word for word.
        if as_page and not PAGE_OUTLETS[first.layout].regional and rng.random() < 0.45:
            layout = rng.choice(REGIONAL_LAYOUTS)
            # The copy keeps the agency's dateline, `(세종=연합뉴스) 홍길동 기자 =`, as real pages do.
            records.append(Record(
                story, "page", PAGE_OUTLETS[layout].outlet, _later_same_day(rng, story.published),
                story.title, story.paragraphs, "syndicated", layout=layout, reporter=first.reporter,
                wire=PAGE_OUTLETS[first.layout].outlet,
            ))
        # Near-duplicate: another outlet's version with a paragraph changed or a sentence added.
        elif len(text_key("".join(story.paragraphs))) >= 260 and rng.random() < 0.13:
            paras = near_duplicate(rng, writer, story)
            if paras is not None:
                when = _later_same_day(rng, story.published)
                if rng.random() < 0.6:
                    layout = rng.choice([lo for lo in PAGE_LAYOUTS if lo != first.layout])
                    outlet = PAGE_OUTLETS[layout].outlet
                    records.append(Record(story, "page", outlet, when, story.title, paras,
                                          "near_duplicate", layout=layout,
                                          reporter=writer.reporter_for(outlet)))
                else:
                    outlet = rng.choice([o for o in REGIONAL_BIGKINDS if o != first.outlet])
                    records.append(Record(story, "bigkinds", outlet, when, story.title, paras,
                                          "near_duplicate", reporter=writer.reporter_for(outlet)))
        # The same story saved as a page and found again in a BigKinds download.
        elif as_page and first.layout in REGIONAL_LAYOUTS and rng.random() < 0.2:
            records.append(Record(story, "bigkinds", first.outlet, story.published, story.title,
                                  story.paragraphs, "page_bigkinds", reporter=first.reporter))
    return records
