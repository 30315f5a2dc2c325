"""One vocabulary: every region and topic key, its names, colour and display order.

Read from data files, never written in code: the cities from ``regions.toml`` (the file the
region tagger reads; ``$REGIONS_FILE`` points at another one), the topics from ``topics.toml``.
Comparing Sejong with Busan, or three cities, is an edit of the regions file and a rerun: every
table, chart and test of a difference asks this module which cities there are.

Region values of the tagged table are a city key, :data:`BOTH` (more than one city is a subject)
or :data:`NEITHER`. A key the files do not know (a user's own tags) still gets a label (the key)
and a colour, so nothing fails on it.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lib import paths

BOTH = "both"
NEITHER = "neither"

#: Colours for region keys the regions file does not list (a user's own tags).
_SPARE_COLORS = ("#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True)
class Entry:
    """A region or topic: its key, Korean and English names and chart colour."""

    key: str
    label: str
    label_en: str
    color: str
    everyday_words: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The cities, the two groups (both / neither) and the topics, in display order."""

    cities: tuple[Entry, ...]
    groups: tuple[Entry, ...]
    topics: tuple[Entry, ...]
    compare: tuple[str, str]
    source: str

    @property
    def city_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cities)

    @property
    def region_keys(self) -> tuple[str, ...]:
        """Every region value the tagger gives, in display order: cities, both, neither."""
        return (*self.city_keys, *(g.key for g in self.groups))

    @property
    def topic_keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.topics)

    @property
    def everyday_topics(self) -> frozenset[str]:
        """Topics whose lexicon words every local story uses (budgets, housing, companies)."""
        return frozenset(t.key for t in self.topics if t.everyday_words)

    def region(self, key: str) -> Entry:
        for entry in (*self.cities, *self.groups):
            if entry.key == key:
                return entry
        spare = _SPARE_COLORS[sum(map(ord, str(key))) % len(_SPARE_COLORS)]
        return Entry(str(key), str(key), str(key), spare)

    def topic(self, key: str) -> Entry:
        for entry in self.topics:
            if entry.key == key:
                return entry
        spare = _SPARE_COLORS[sum(map(ord, str(key))) % len(_SPARE_COLORS)]
        return Entry(str(key), str(key), str(key), spare)

    def region_label(self, key: str, *, lang: str = "ko") -> str:
        entry = self.region(key)
        return entry.label_en if lang == "en" else entry.label

    def topic_label(self, key: str, *, lang: str = "ko") -> str:
        entry = self.topic(key)
        return entry.label_en if lang == "en" else entry.label

    def region_order(self, values: Iterable[str]) -> list[str]:
        """The known region keys first (display order), then any other value found, sorted."""
        known = list(self.region_keys)
        seen = sorted({str(v) for v in values} - set(known))
        return [*known, *seen]

    def cities_in(self, values: Iterable[str]) -> list[str]:
        """The city keys among ``values``, in display order (no both/neither)."""
        present = {str(v) for v in values}
        return [k for k in self.city_keys if k in present]


def as_topic_keys(value: object) -> tuple[str, ...]:
    """A ``topics`` cell of the tagged table as a tuple of topic keys (lists and arrays as
    Parquet gives them back; NaN and None are no topics). A ``"a|b"`` string is refused: topics
    are a collection, never a joined string to split again."""
    if value is None or (isinstance(value, float) and value != value):
        return ()
    if isinstance(value, str):
        raise TypeError(
            f"topics must hold a tuple of topic keys, got the string {value!r}: "
            "tag the articles with lib.tagging.tag_articles"
        )
    return tuple(str(v) for v in value)


def get_vocabulary(regions_file: str | os.PathLike[str] | None = None) -> Vocabulary:
    """The vocabulary of ``regions_file`` (default: :func:`lib.paths.regions_file`) and the
    project's topics file. Cached per file content."""
    path = paths.regions_file(regions_file)
    topics = paths.topics_file()
    return _load(str(path), _stamp(path), str(topics), _stamp(topics))


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _load(regions: str, _r: object, topics: str, _t: object) -> Vocabulary:
    rdata = paths.read_toml(regions)
    tdata = paths.read_toml(topics)
    if not rdata.get("cities"):
        raise ValueError(f"{regions}: no [cities.<key>] tables")
    cities = tuple(
        Entry(
            key,
            str(c.get("label") or (c.get("names") or [key])[0]),
            str(c.get("label_en", key)),
            str(c.get("color") or _SPARE_COLORS[i % len(_SPARE_COLORS)]),
        )
        for i, (key, c) in enumerate(rdata["cities"].items())
    )
    joined = "·".join(c.label for c in cities)
    group_data = rdata.get("groups", {})
    groups = []
    for key, default_label, default_color in ((BOTH, "{cities} 동시 언급 기사", "#009E73"),
                                              (NEITHER, "해당 없음", "#7F7F7F")):
        g = group_data.get(key, {})
        label = str(g.get("label", default_label)).replace("{cities}", joined)
        groups.append(Entry(key, label, str(g.get("label_en", key)), str(g.get("color", default_color))))
    compare = tuple(rdata.get("compare") or [c.key for c in cities[:2]])
    unknown = [k for k in compare if k not in {c.key for c in cities}]
    if len(compare) != 2 or unknown:
        raise ValueError(
            f"{regions}: `compare` must name two of the cities {[c.key for c in cities]}, "
            f"got {list(compare)}"
        )
    if not tdata.get("topics"):
        raise ValueError(f"{topics}: no [topics.<key>] tables")
    topic_entries = tuple(
        Entry(
            key,
            str(t.get("label", key)),
            str(t.get("label_en", key)),
            str(t.get("color") or _SPARE_COLORS[i % len(_SPARE_COLORS)]),
            bool(t.get("everyday_words", False)),
        )
        for i, (key, t) in enumerate(tdata["topics"].items())
    )
    return Vocabulary(
        cities=cities,
        groups=tuple(groups),
        topics=topic_entries,
        compare=(compare[0], compare[1]),
        source=paths.display_path(regions),
    )


def region_label(key: str, *, lang: str = "ko") -> str:
    """The display name of a region value (city key, ``both``, ``neither``)."""
    return get_vocabulary().region_label(key, lang=lang)


def region_color(key: str) -> str:
    """The chart colour of a region value; unknown values get a spare colour."""
    return get_vocabulary().region(key).color


def topic_label(key: str, *, lang: str = "ko") -> str:
    """The display name of a topic key."""
    return get_vocabulary().topic_label(key, lang=lang)


def topic_color(key: str) -> str:
    """The chart colour of a topic key."""
    return get_vocabulary().topic(key).color


# --- Korean particles after a name --------------------------------------------------------
# Sentences that name a city, topic or word pick 은/는, 이/가, 과/와 ... by its last sound.
_PARTICLES = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이라": ("이라", "라"),
}
# Latin letters read with a final consonant when spelled out (엘, 엠, 엔, 알) - "BRT" ends in 티.
_LATIN_FINAL = set("LMNR")


def _final_consonant(word: str) -> int | None:
    """Index of the final consonant (jongseong) of ``word``'s last sound; 0 after a vowel."""
    text = re.sub(r"\([^)]*\)$", "", word.strip()).rstrip("'\"’”")
    for ch in reversed(text):
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            return (code - 0xAC00) % 28
        if ch.isdigit():
            # 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
            return {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}.get(ch, 0)
        if ch.isalpha():
            return 8 if ch.upper() in _LATIN_FINAL else 0
    return None


def attach_particle(word: str, particle: str) -> str:
    """``word`` followed by the right form of ``particle`` (은/는, 이/가, 을/를, 과/와, 으로/로)."""
    with_final, without = _PARTICLES[particle]
    final = _final_consonant(word)
    if particle in ("으로", "로"):
        # ㄹ-final words take 로 (서울로), like vowel-final ones.
        form = without if final in (0, 8, None) else with_final
    else:
        form = without if final in (0, None) else with_final
    return word + form
