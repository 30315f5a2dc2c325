"""The stories of the corpus: their truth (region, smart-city flag, topics) and their text.

A story drawn as smart-city news whose text is conventional regeneration or housing work keeps
its text and kind, but its truth says not smart-city (:func:`is_conventional_work`).

:func:`plan_stories` lays out how many stories of each region and kind every quarter gets
(``plan.toml``), draws their topics from the planted trends and has a :class:`Writer` write
them, rejecting a draft whose title, opening or body is too close to a story already written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lib.corpus.dedup import text_key
from lib.sample.material import (
    BOTH_KINDS,
    CITIES,
    CITY_NAME,
    CONVENTIONAL_TOPICS,
    OFFTOPIC_KINDS,
    SHARED_MIN_MENTIONS,
    SHARED_SERVICES,
    TOPICS,
)
from lib.sample.trends import (
    BURST_EXTRA_STORIES,
    BURST_QUARTER,
    BURST_REGION,
    QUARTER_PLAN,
    all_quarters,
    draw_topics,
    quarter_label,
    topic_weights,
)
from lib.sample.writing import (
    StoryText,
    Writer,
    write_decoy_story,
    write_national_story,
    write_offtopic_story,
    write_other_city_story,
    write_smart_city_story,
)

#: Two distinct stories must share less than this Jaccard similarity of 5-character shingles
#: (the loader calls 0.7 a near-duplicate; planted near-duplicates are kept above 0.8).
DISTINCT_MAX_JACCARD = 0.45
NEAR_DUP_MIN_JACCARD = 0.8
#: Story kinds drawn as smart-city news (the truth of one may still say not: conventional work).
SMART_KINDS: tuple[str, ...] = ("smart", "national_smart", "other_smart")


@dataclass
class Story:
    """One invented news story: its truth (region, smart_city, topics) and its text."""

    number: int
    kind: str
    region: str
    smart_city: bool
    topics: tuple[str, ...]
    published: datetime
    title: str
    subtitle: str
    paragraphs: list[str]
    caption: str
    dateline: str
    section: str
    region_bullet: str
    category_kind: str
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    caption_credit: str = ""

    @property
    def story_id(self) -> str:
        return f"s{self.number:04d}"


def shingles(text: str, k: int = 5) -> set[str]:
    """The ``k``-character shingles of ``text`` after the loader's duplicate normalisation."""
    key = text_key(text)
    return {key[i : i + k] for i in range(max(1, len(key) - k + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two shingle sets (1.0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 1.0


class Distinctness:
    """Keeps generated stories apart: unique titles, lead openings and bodies not alike."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH  # only needed while generating

        self._minhash = MinHash
        self.lsh = MinHashLSH(threshold=0.3, num_perm=64)
        self.sets: dict[int, set[str]] = {}
        self.titles: set[str] = set()
        self.leads: set[str] = set()

    def _hash(self, sh: set[str]):
        # A minimum over the shingles' hashes: batching gives the same signature as one at a time.
        m = self._minhash(num_perm=64, seed=7)
        m.update_batch([s.encode("utf-8") for s in sh])
        return m

    def accepts(self, title: str, paragraphs: list[str]) -> bool:
        """True when no story added so far has this title, opening or a body this close."""
        body = "\n".join(paragraphs)
        if text_key(title) in self.titles or text_key(body)[:60] in self.leads:
            return False
        sh = shingles(body)
        for other in self.lsh.query(self._hash(sh)):
            if jaccard(sh, self.sets[other]) >= DISTINCT_MAX_JACCARD:
                return False
        return True

    def add(self, number: int, title: str, paragraphs: list[str]) -> None:
        """Remember story ``number`` for later :meth:`accepts` checks."""
        body = "\n".join(paragraphs)
        sh = shingles(body)
        self.titles.add(text_key(title))
        self.leads.add(text_key(body)[:60])
        self.sets[number] = sh
        self.lsh.insert(number, self._hash(sh))


def _random_moment(rng: random.Random, quarter: str) -> datetime:
    year, q = int(quarter[:4]), int(quarter[-1])
    start = datetime(year, 3 * (q - 1) + 1, 1)
    end = datetime(year + (q == 4), (3 * q) % 12 + 1, 1)
    day = start + timedelta(days=rng.randrange((end - start).days))
    return day.replace(hour=rng.randint(6, 20), minute=rng.randrange(60), second=rng.randrange(60))


def plan_stories(writer: Writer) -> tuple[list[Story], int]:
    """Every story of the corpus in time order, and how many slots were left empty.

    A slot stays empty when twelve drafts all came too close to stories already written (an
    accidental near-duplicate would spoil the truth's duplicate groups). Draws from ``writer.rng``.
    """
    rng = writer.rng
    specs: list[tuple[datetime, str, str]] = []
    for quarter in all_quarters():
        for region, kind, mean in QUARTER_PLAN:
            n = int(mean) + (rng.random() < mean - int(mean)) + rng.choice((-1, 0, 0, 1))
            if region == BURST_REGION and kind == "smart" and quarter == BURST_QUARTER:
                n += BURST_EXTRA_STORIES
            for _ in range(max(0, n)):
                specs.append((_random_moment(rng, quarter), region, kind))
    specs.sort(key=lambda s: s[0])

    distinct = Distinctness()
    stories: list[Story] = []
    dropped = 0
    for when, region, kind in specs:
        for _attempt in range(12):
            story = write_story(writer, len(stories) + 1, when, region, kind)
            if distinct.accepts(story.title, story.paragraphs):
                distinct.add(story.number, story.title, story.paragraphs)
                stories.append(story)
                break
        else:
            dropped += 1
    return stories, dropped


def is_conventional_work(topics: tuple[str, ...], text: str) -> bool:
    """True when a story drawn as smart-city news with ``topics`` and ``text`` (headline, subtitle,
    body and caption) is conventional work by the labelling rules of real news: one topic of
    ``[conventional_topics]`` (smart_city.toml) and none of its smart terms in the text, such as
    urban regeneration or housing with at most a passing 스마트시티 (tests/fixtures/real_pages.md).
    """
    if len(topics) != 1 or topics[0] not in CONVENTIONAL_TOPICS:
        return False
    return not any(term in text for term in CONVENTIONAL_TOPICS[topics[0]])


def shared_themes(topics: tuple[str, ...], text: str) -> tuple[str, ...]:
    """``topics`` of a smart-city story with ``text``, plus the second theme of every service of
    ``[shared_services]`` (smart_city.toml) that the text names at least ``min_mentions`` times,
    up to five topics in taxonomy order (the labelling rules' limit); ``()`` stays ``()``."""
    if not topics:
        return topics
    extra = [SHARED_SERVICES[term] for term in SHARED_SERVICES
             if text.count(term) >= SHARED_MIN_MENTIONS and SHARED_SERVICES[term] not in topics]
    if not extra or len(topics) >= 5:
        return topics
    return tuple(t for t in TOPICS if t in topics or t in extra[: 5 - len(topics)])


def write_story(w: Writer, number: int, when: datetime, region: str, kind: str) -> Story:
    """Story ``number`` of ``region`` and ``kind`` published at ``when``, topics drawn for its quarter."""
    r = w.rng
    quarter = quarter_label(when)
    topics: tuple[str, ...] = ()
    parts: StoryText
    if kind == "smart":
        topics = draw_topics(r, topic_weights(region, quarter))
        parts = write_smart_city_story(w, region, when, topics)
    elif kind == "offtopic":
        kinds = BOTH_KINDS if region == "both" else OFFTOPIC_KINDS
        parts = write_offtopic_story(w, region, when, r.choice(kinds))
    elif kind == "national_smart":
        topics = draw_topics(r, topic_weights("neither", quarter))
        parts = write_national_story(w, when, topics)
    elif kind == "national_plain":
        parts = write_national_story(w, when, ())
    elif kind == "other_smart":
        topics = draw_topics(r, topic_weights("neither", quarter))
        parts = write_other_city_story(w, when, topics)
    elif kind == "decoy":
        parts = write_decoy_story(w, when)
    else:
        raise ValueError(f"unknown story kind {kind!r} (lib/sample/templates/plan.toml quarter_plan)")
    bullet = CITY_NAME[region] if region in CITIES else ""
    if region == "both":
        bullet = parts.dateline
    # The truth follows the labelling rules of real news: conventional regeneration or housing
    # work is not smart-city news, even when one sentence names 스마트시티. The text stays as
    # written (a passing-mention trap); only its truth says so.
    text = "\n".join([parts.title, parts.subtitle, *parts.paragraphs, parts.caption])
    if is_conventional_work(topics, text):
        topics = ()
    # A story about a service of two themes (a smart crosswalk) carries both (smart_city.toml,
    # [shared_services]).
    topics = shared_themes(topics, text)
    return Story(
        number=number, kind=kind, region=region, smart_city=bool(topics), topics=topics,
        published=when, title=parts.title, subtitle=parts.subtitle,
        paragraphs=parts.paragraphs, caption=parts.caption, dateline=parts.dateline,
        section=parts.section, region_bullet=bullet,
        category_kind=parts.category_kind, persons=parts.persons, places=parts.places,
        orgs=parts.orgs, caption_credit=parts.credit,
    )
