"""Which city an article is about: Sejong, Daejeon, both, or neither — with the evidence.

All city knowledge (names, districts, dateline forms, homographs) lives in
``lib/resources/regions.toml``; this module only weighs the signals. To compare other cities,
edit that file (or pass ``regions_file=``) and rerun.

Signals, strongest first:

1. the dateline (``세종=``, ``(대전=뉴스1)``) — but a city whose file entry says
   ``dateline_needs_mention`` (Sejong: the ministries' dateline) counts it only when the text
   itself names the city or one of its places;
2. a page's section / region bullet (``• 세종``);
3. mentions of the city and its places in title, subtitle, body, captions, or — for BigKinds
   rows with a lead-only body — the 키워드 list, after removing homographs (세종대왕, 할인 대전,
   also as neighbouring keywords ``세종,대왕``) and ignoring mentions inside a list of many
   regions (``대전·세종·충남 등``);
4. BigKinds' ``지역>대전`` category and 위치 entities: a classifier's guess, weak evidence.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.tagging.resources import ArticleTexts, TermMatcher, joined_batches, no_cycle_collection
from lib.vocabulary import BOTH, NEITHER

#: The long evidence table: one row per signal per city per article.
EVIDENCE_COLUMNS: tuple[str, ...] = ("article_id", "region", "source", "term", "count")
#: Evidence sources that were found but did not add points (shown so a reader sees why).
NOT_COUNTED = frozenset({"homograph", "passing", "dateline_ignored", "ambiguous",
                         "among_regions"})

#: Articles whose texts are matched together; what was found is held for one block at a time.
ROWS_PER_PASS = 10_000
_CITY_SUFFIX = "(?:특별자치시|특별자치도|광역시|특별시|시|도)?"
_SUFFIX_AT_END = re.compile(_CITY_SUFFIX + "$")
_LIST_SEP = r"(?:\s*[·ㆍ,/]\s*|\s*및\s*|(?<=[가-힣])(?:와|과)\s+)"


@dataclass(frozen=True)
class City:
    """One city's entry of regions.toml."""

    key: str
    label: str
    names: tuple[str, ...]
    places: tuple[str, ...]
    datelines: frozenset[str]
    dateline_needs_mention: bool
    bullets: frozenset[str]
    categories: frozenset[str]
    homographs: tuple[str, ...]
    bare_names: frozenset[str] = frozenset()
    weak_places: tuple[str, ...] = ()
    ambiguous_places: frozenset[str] = frozenset()
    homograph_patterns: tuple[re.Pattern[str], ...] = ()
    admin_names: frozenset[str] = frozenset()
    #: Words for the city's districts that other cities use too (서구, 구청장), as a regex:
    #: see regions.toml. None when the city has none.
    district_re: re.Pattern[str] | None = None
    #: The city's names without their suffix (대전광역시 -> 대전): not "other" regions.
    own_regions: frozenset[str] = frozenset()
    #: Everyday nouns (병원, 대학): a homograph with such a part is not read off an unordered
    #: keyword bag (see regions.toml).
    bag_everyday_parts: frozenset[str] = frozenset()
    #: Outlets published in the city's area (regions.toml): a keyword bag from one of them
    #: that names the city once is read as the city's story, not a passing mention.
    home_outlets: frozenset[str] = frozenset()


class _Found:
    """What one text says about one city: the surface forms of each kind, in the order found
    (an empty tuple for a kind it does not have). Forms are counted only when a text's
    evidence is written (:func:`_add`): most texts' mentions are only ever summed."""

    __slots__ = ("subject", "listed", "weak", "homographs")

    def __init__(self) -> None:
        self.subject: Sequence[str] = ()  # mentions that can make a subject
        self.listed: Sequence[str] = ()  # mentions inside a list of regions
        self.weak: Sequence[str] = ()  # weak places (정부세종청사)
        self.homographs: Sequence[str] = ()  # 세종대왕, 할인 대전 …


@dataclass
class RegionRules:
    """regions.toml, compiled: cities, scoring, and the matchers built from them."""

    version: str
    cities: tuple[City, ...]
    scoring: dict[str, float]
    list_min_items: int
    homographs: TermMatcher = field(repr=False)
    mentions: dict[str, TermMatcher] = field(repr=False)
    glue_ok: re.Pattern[str] = field(repr=False)
    list_re: re.Pattern[str] = field(repr=False)
    item_re: re.Pattern[str] = field(repr=False)
    #: ``list_re`` without its opening look-behind: it starts with a region name, so the regex
    #: engine skips the places where none starts (see :func:`list_runs`).
    list_body_re: re.Pattern[str] = field(repr=False, default=re.compile(r"(?!x)x"))
    #: Matched texts of the mention matchers with separators taken out (``5-1 생활권`` ->
    #: ``5-1생활권``), filled as they turn up.
    compact_forms: dict[str, str] = field(repr=False, default_factory=dict)
    #: Every region name (``list_regions`` and the cities' names) not glued to a preceding
    #: word: the regions an article names.
    region_re: re.Pattern[str] = field(repr=False, default=re.compile(r"(?!x)x"))
    #: The cities' names without their suffix: the regions compared, never "other" ones.
    city_regions: frozenset[str] = frozenset()


_DEFAULT_SCORING = {
    "dateline": 6.0,
    "bullet": 6.0,
    "category": 1.0,
    "place_entity": 0.5,
    "title": 3.0,
    "subtitle": 2.0,
    "text": 1.0,
    "list_mention": 0.0,
    "min_points": 2.0,
    "both_ratio": 0.3,
    "both_min_text": 2,
    "keyword_min_mentions": 1,
    "keyword_min_share": 0.0,
    "admin_min_points": 2.0,
    "crowd_min_regions": 0,
    "crowd_max_mentions": 0,
}


def _alternation(forms) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


@functools.cache
def _compile_rules(path: str, _digest: str) -> RegionRules:
    data = paths.read_toml(path)
    if not data.get("cities"):
        raise ValueError(f"{path}: no [cities.<key>] tables")
    cities = []
    for key, c in data["cities"].items():
        if key in (BOTH, NEITHER):
            raise ValueError(f"{path}: city key {key!r} is reserved")
        names = tuple(c.get("names", []))
        if not names:
            raise ValueError(f"{path}: city {key!r} has no names")
        cities.append(
            City(
                key=key,
                label=c.get("label", names[0]),
                names=names,
                places=tuple(c.get("places", [])),
                datelines=frozenset(c.get("datelines", [])),
                dateline_needs_mention=bool(c.get("dateline_needs_mention", False)),
                bullets=frozenset(c.get("bullets", [])),
                categories=frozenset(c.get("categories", [])),
                homographs=tuple(c.get("homographs", [])),
                bare_names=frozenset(c.get("bare_names", [])),
                weak_places=tuple(c.get("weak_places", [])),
                ambiguous_places=frozenset(
                    re.sub(r"[\s,]+", "", p) for p in c.get("ambiguous_places", [])
                ),
                homograph_patterns=tuple(
                    _compile_pattern(path, key, pattern)
                    for pattern in c.get("homograph_patterns", [])
                ),
                admin_names=_admin_names(path, key, c, names),
                district_re=_district_re(names, c.get("district_words", [])),
                own_regions=frozenset(_SUFFIX_AT_END.sub("", n) for n in names),
                bag_everyday_parts=frozenset(c.get("bag_everyday_parts", [])),
                home_outlets=frozenset(c.get("home_outlets", [])),
            )
        )
    scoring = {**_DEFAULT_SCORING, **data.get("scoring", {})}
    # One matcher blanks out homographs and weak places before names are searched; the
    # canonical value records what was found and for which city.
    maskable = {f"{w}": f"w\x1f{city.key}\x1f{w}" for city in cities for w in city.weak_places}
    maskable.update({h: f"h\x1f{city.key}\x1f{h}" for city in cities for h in city.homographs})
    mentions = {
        city.key: TermMatcher(
            {f: f for f in (*city.names, *city.places, *city.ambiguous_places)}, auto_split=False
        )
        for city in cities
    }
    region_words = set(data.get("list_regions", [])) | {n for city in cities for n in city.names}
    every_place = region_words | {p for city in cities for p in city.places}
    glue_ok = re.compile(f"(?:{_alternation(every_place)}){_CITY_SUFFIX}$")
    item = f"(?:{_alternation(region_words)}){_CITY_SUFFIX}"
    k = int(data.get("list_min_items", 3))
    list_body = f"{item}(?:{_LIST_SEP}{item}){{{k - 1},}}"
    list_re = re.compile(f"(?<![가-힣]){list_body}")
    return RegionRules(
        version=str(data.get("version", "")),
        cities=tuple(cities),
        scoring=scoring,
        list_min_items=k,
        homographs=TermMatcher(maskable, auto_split=False),
        mentions=mentions,
        glue_ok=glue_ok,
        list_re=list_re,
        item_re=re.compile(item),
        list_body_re=re.compile(list_body),
        region_re=re.compile(f"(?<![가-힣]){item}"),
        city_regions=frozenset(r for city in cities for r in city.own_regions),
    )


def _district_re(names: tuple[str, ...], words: list[str]) -> re.Pattern[str] | None:
    """District words at the start of a word or right after one of the city's names
    (``대전 서구``, ``대전서구청``). ``서구`` followed by 권, 화, 식, 사회, 진영 … (in prose or
    as the next keyword) is the West."""
    if not words:
        return None
    after_name = "".join(f"|(?<={re.escape(n)})" for n in names)
    return re.compile(f"(?:(?<![가-힣]){after_name})(?:{_alternation(words)})"
                      f"(?!{_alternation(_WEST_SUFFIXES)})"
                      f"(?![\\s,]*(?:{_alternation(_WEST_WORDS)})(?![가-힣]))")


#: What makes 서구 or 동구 the West or the Eastern bloc: a suffix (서구권, 서구화, 동구권) or the
#: next word (서구 사회, ``서구,진영`` in a keyword list).
_WEST_SUFFIXES = ("권", "화", "식", "적", "인")
_WEST_WORDS = ("사회", "문명", "문화", "열강", "진영", "국가", "국가들", "세계", "언론", "학계",
               "중심", "유럽", "민주주의", "선진국")


def _admin_names(path: str, key: str, city: dict, names: tuple[str, ...]) -> frozenset[str]:
    """The city's ``admin_names`` (a subset of its ``names``); an other entry raises."""
    admin = frozenset(city.get("admin_names", []))
    if not admin <= set(names):
        raise ValueError(f"{path}: city {key!r}: admin_names {sorted(admin - set(names))} "
                         "are not among its names")
    return admin


def _compile_pattern(path: str, city: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as err:
        raise ValueError(f"{path}: city {city!r}: bad homograph_patterns entry {pattern!r}: {err}") from None


def load_region_rules(regions_file: str | Path | None = None) -> RegionRules:
    """Read and compile a regions file (default ``regions.toml`` in the resource folder).

    Cached by path and content hash, so an edited file is picked up on the next call.
    """
    path = paths.regions_file(regions_file)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return _compile_rules(str(path), digest)


#: Pattern syntax whose meaning can change when texts are joined (anchors, look-arounds, an
#: inline multiline flag): such homograph patterns are run on each text alone.
_EDGE_SENSITIVE = re.compile(r"\^|\$|\\[AZz]|\(\?<?[=!]|\(\?[a-zA-Z]*m")
#: A character class (``[^’'"”]``), whose ``^`` is no anchor.
_CHAR_CLASS = re.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")


def _pattern_matches(
    pattern: re.Pattern[str], texts: list[str],
    batches: Sequence[tuple[int, str, list[int]]] | None = None,
) -> list[Sequence[tuple[int, int, str]]]:
    """``(start, end, matched text)`` of ``pattern.finditer`` on every non-empty text of
    ``texts``; in one pass over the joined column (``batches``, the texts'
    :func:`joined_batches` when the caller has them) when that gives the same matches (the
    pattern has no edge-sensitive syntax and no match reaches outside its own text), else text
    by text."""
    out: list[Sequence[tuple[int, int, str]]] = [()] * len(texts)
    if not _EDGE_SENSITIVE.search(_CHAR_CLASS.sub("", pattern.pattern)):
        found: dict[int, list[tuple[int, int, str]]] = {}
        for first, joined, starts in (batches if batches is not None
                                      else joined_batches(texts)):
            for m in pattern.finditer(joined):
                i = bisect.bisect_right(starts, m.start()) - 1
                base, text = starts[i], texts[first + i]
                if m.end() > base + len(text) or not text:
                    break
                found.setdefault(first + i, []).append((m.start() - base, m.end() - base,
                                                        m.group()))
            else:
                continue
            break
        else:
            for i, matches in found.items():
                out[i] = matches
            return out
    for i, text in enumerate(texts):
        if text:
            out[i] = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    return out


#: What a text says about a city it does not name: shared, never changed.
_NOTHING = _Found()
#: What a text naming no city says, per city: shared, never changed.
_NO_CITY: dict[str, _Found] = {}


def _mentions_many(texts: list[str], rules: RegionRules) -> list[dict[str, _Found]]:
    """Per text, per city it names: what the text says about the city (mentions by surface
    form); a city the text does not name is absent.

    Homographs (세종대왕, 할인 대전, ``세종,대왕``) and weak places (정부세종청사) are blanked
    out before names are searched, and counted; mentions inside a list of many regions
    (``대전·세종·충남 등``) count as listed, not as subject. The texts are joined in batches
    (:func:`joined_batches`), each joined once for all matchers and each matcher run once over
    it. Texts that name nothing get :data:`_NO_CITY`.
    """
    # text -> city -> what the text says about it.
    forms: dict[int, dict[str, _Found]] = {}
    # A batch of joined texts at a time; each batch is joined once for every matcher that
    # reads its texts as they are.
    for first, joined, starts in joined_batches(texts):
        part = texts[first : first + len(starts)]
        _find_mentions(part, [(0, joined, starts)], rules, forms, offset=first)
    out = [_NO_CITY] * len(texts)
    for i, per_city in forms.items():
        out[i] = per_city
    return out


def _find_mentions(
    texts: list[str], batches: list[tuple[int, str, list[int]]], rules: RegionRules,
    forms: dict[int, dict[str, _Found]], offset: int = 0,
) -> None:
    """Fill ``forms`` (``text number -> city -> what it says``, text ``i`` of
    ``texts`` as number ``offset + i``) for ``texts``, given joined as ``batches``: see
    :func:`_mentions_many`."""
    homographs = rules.homographs.scan_batches(batches, len(texts))
    patterns = [(city.key, _pattern_matches(pattern, texts, batches))
                for city in rules.cities for pattern in city.homograph_patterns]
    masked_any = {i for i, hits in enumerate(homographs) if hits}
    masked_any.update(i for _key, matches in patterns for i, ms in enumerate(matches) if ms)
    # Per batch, the spans to blank out, as offsets into the joined batch.
    blank: list[list[tuple[int, int]]] = [[] for _ in batches]
    first_of = [first for first, _joined, _starts in batches]
    for i in sorted(masked_any):
        hits = [(s, e, term) for s, e, _found, term in homographs[i]]
        for key, matches in patterns:
            hits += [(s, e, f"h\x1f{key}\x1f{group.strip()}") for s, e, group in matches[i]]
        for _start, _end, term in hits:
            kind, city, form = term.split("\x1f")
            found = forms.setdefault(offset + i, {}).get(city)
            if found is None:
                found = forms[offset + i][city] = _Found()
            if kind == "w":
                found.weak = [*found.weak, form]
            else:
                found.homographs = [*found.homographs, form]
        b = bisect.bisect_right(first_of, i) - 1
        base = batches[b][2][i - first_of[b]]
        blank[b] += [(base + start, base + end) for start, end, _term in hits]

    for (first, joined, starts), spans in zip(batches, blank):
        # Blanking keeps every length, so the texts still start where they did.
        masked = _blanked(joined, spans) if spans else joined
        _mentions_in_batch(masked, starts, rules, forms, offset + first)


#: The first and last Hangul syllable: a name glued to one may be part of another word.
_SYLLABLES = (ord("가"), ord("힣"))


def _mentions_in_batch(joined: str, starts: list[int], rules: RegionRules,
                       forms: dict[int, dict[str, _Found]], offset: int) -> None:
    """The subject and listed mentions of every city in one batch of (blanked) texts joined
    by :data:`~lib.tagging.resources.JOIN` whose texts start at ``starts``; text ``i`` of the
    batch is number ``offset + i`` of ``forms``.

    Each city's matches are placed, tested and grouped by text on arrays: which text a match
    is in, whether it is glued to a preceding syllable (then ``glue_ok`` is asked, match by
    match) and whether it lies in a list run. A list run never reaches past its own text.
    """
    # One pass is safe for the list pattern: it is built here from escaped names, its
    # look-behinds see a newline at a text's edge as they see the edge, and no item or
    # separator matches the NUL between texts.
    runs = [m.span() for m in list_runs(rules, joined) if _is_list(m.group(), rules)]
    run_start = np.array([a for a, _b in runs], dtype=np.int64)
    run_end = np.array([b for _a, b in runs], dtype=np.int64)
    text_start = np.asarray(starts, dtype=np.int64)
    codes: np.ndarray | None = None
    compact = rules.compact_forms
    for city in rules.cities:
        places, found = rules.mentions[city.key].located(joined)
        if not found:
            continue
        at = np.asarray(places, dtype=np.int64)
        text_of = np.searchsorted(text_start, at, side="right") - 1
        if codes is None:
            codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        before = codes[at - 1]
        kept = np.ones(len(at), dtype=bool)
        glued = (at > 0) & (before >= _SYLLABLES[0]) & (before <= _SYLLABLES[1])
        for k in np.flatnonzero(glued).tolist():
            # Glued to a preceding word: "세계대전", "총력대전" are not the city, but
            # "대전세종연구원" is (the preceding part is itself a region).
            s = places[k]
            if not rules.glue_ok.search(joined[max(starts[text_of[k]], s - 12) : s]):
                kept[k] = False
        if runs:
            run = np.searchsorted(run_start, at, side="right") - 1
            listed = (run >= 0) & (at < run_end[np.maximum(run, 0)])
        else:
            listed = np.zeros(len(at), dtype=bool)
        for f in set(found).difference(compact):
            compact[f] = re.sub(r"[\s,]+", "", f)
        names = list(map(compact.__getitem__, found))
        for kind, chosen in (("subject", kept & ~listed), ("listed", kept & listed)):
            _group_by_text(kind, chosen, names, text_of, city.key, forms, offset)


def _group_by_text(kind: str, chosen: np.ndarray, names: list[str], text_of: np.ndarray,
                   city: str, forms: dict[int, dict[str, _Found]], offset: int) -> None:
    """Set the ``kind`` forms (``subject`` or ``listed``) of ``city`` of every text to its
    ``chosen`` ``names``, in order; ``text_of`` is each name's text in the batch."""
    picked = np.flatnonzero(chosen)
    if not len(picked):
        return
    if len(picked) < len(names):
        names = [names[k] for k in picked.tolist()]
        text_of = text_of[picked]
    cuts = np.flatnonzero(text_of[1:] != text_of[:-1]) + 1
    bounds = [0, *cuts.tolist(), len(names)]
    for i, lo, hi in zip(text_of[bounds[:-1]].tolist(), bounds, bounds[1:]):
        per_city = forms.get(offset + i)
        if per_city is None:
            per_city = forms[offset + i] = {}
        found = per_city.get(city)
        if found is None:
            found = per_city[city] = _Found()
        setattr(found, kind, names[lo:hi])


def _texts_of(texts: ArticleTexts, i: int) -> list[str]:
    """Article ``i``'s title, subtitle, body, captions and (when read) keyword list."""
    parts = [texts.title[i], texts.subtitle[i], texts.body[i], texts.captions[i]]
    if texts.use_keywords[i]:
        parts.append(texts.keywords[i])
    return parts


def _found(pattern: re.Pattern[str], parts: Sequence[str]) -> list[str]:
    """Every match of ``pattern`` in ``parts``, in order."""
    return [m.group() for part in parts if part for m in pattern.finditer(part)]


def _region_names(pattern: re.Pattern[str], parts: Sequence[str]) -> set[str]:
    """The region names ``pattern`` finds in ``parts``, each without its suffix (대전광역시 ->
    대전)."""
    strip = _SUFFIX_AT_END.sub
    return {strip("", form) for form in _found(pattern, parts)}


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character inside one of ``spans`` (which may overlap) replaced by a
    space: its length and the offsets of everything else are kept."""
    parts = []
    pos = 0
    for start, end in sorted(spans):
        if end <= pos:
            continue
        start = max(start, pos)
        parts += (text[pos:start], " " * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def list_runs(rules: RegionRules, text: str) -> Iterator[re.Match[str]]:
    """The matches of ``rules.list_re.finditer(text)``: runs of region names that may be a list.

    Found with ``list_body_re`` (the same pattern without its opening look-behind ``(?<![가-힣])``,
    so the engine can skip to places where a region name starts), the look-behind checked on
    each match found: where it fails, the search goes on one character later, as ``finditer``
    would try the next place.
    """
    search = rules.list_body_re.search
    pos, n = 0, len(text)
    while pos <= n:
        m = search(text, pos)
        if m is None:
            return
        start = m.start()
        if start > 0 and "가" <= text[start - 1] <= "힣":
            pos = start + 1
            continue
        yield m
        # No run is empty (it holds several names), so the next search starts at its end.
        pos = m.end()


def _is_list(run: str, rules: RegionRules) -> bool:
    """A run of region names is a list when it names enough *different* regions
    (``세종시,세종시,세종시`` in a keyword list is one region repeated, not a list)."""
    return len(_region_names(rules.item_re, [run])) >= rules.list_min_items


def _bag_homographs(city: City, tokens: set[str]) -> list[str]:
    """Homographs whose parts all occur somewhere in a keyword list (``세종`` … ``대왕``).

    A keyword list is a bag of a story's nouns: when the parts of 세종대왕 are both there, a
    bare 세종 may well be the king even if the parts are not neighbours. Parts of one syllable
    (세종 때) are too common to count, and so are the city's ``bag_everyday_parts``: a Sejong
    story names a hospital, a university or wages (세종 … 병원, 대학, 임금) as often as any other.
    """
    return ["".join(parts) for parts in _split_homographs(city)
            if all(p in tokens for p in parts)]


@functools.cache
def _split_homographs(city: City) -> tuple[tuple[str, ...], ...]:
    """The city's homographs of two or more parts of two or more syllables, none of them an
    everyday noun (``bag_everyday_parts``), split."""
    split = (tuple(h.split()) for h in city.homographs)
    return tuple(parts for parts in split if len(parts) >= 2 and all(
        len(p) >= 2 and p not in city.bag_everyday_parts for p in parts))


#: Evidence of one city: ``(source, term, count)`` in the order found.
Evidence = list[tuple[str, str, int]]


def _plus(*forms: Sequence[str]) -> Sequence[str]:
    """The surface forms of all of ``forms`` in turn, without copying when only one has any.
    The result is read, never changed."""
    if not any(forms):
        return ()
    nonempty = [f for f in forms if f]
    if len(nonempty) == 1:
        return nonempty[0]
    return [form for found in nonempty for form in found]


def _minus(forms: Sequence[str], taken: Sequence[str]) -> Sequence[str]:
    """``forms`` less one of each form of ``taken`` (as Counter subtraction), in the order of
    the forms' first mention."""
    if not taken:
        return forms
    # Each taken form takes away the last mention of it: a form still there keeps its first.
    rest = list(reversed(forms))
    for form in taken:
        if form in rest:
            rest.remove(form)
    rest.reverse()
    return rest


def _outlet_name(outlet: str) -> str:
    """The outlet's own name: ``중도일보`` from ``중도일보 (다음 게재)``."""
    return _OUTLET_NOTE.sub("", outlet).strip()


_OUTLET_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def _add(ev: Evidence, source: str, forms: Sequence[str]) -> None:
    """Append ``forms`` counted, most frequent first (first found first among equals)."""
    if not forms:
        return
    if forms.count(forms[0]) == len(forms):
        ev.append((source, forms[0], len(forms)))
        return
    # A text names few distinct forms: each is counted in one pass of list.count.
    counts = {form: forms.count(form) for form in dict.fromkeys(forms)}
    # Stable: forms counted equally stay in the order first found (as Counter.most_common).
    ev.extend((source, form, n) for form, n in sorted(counts.items(), key=itemgetter(1),
                                                       reverse=True))


def format_evidence(evidence: dict[str, Evidence]) -> str:
    """The readable form of the evidence: ``<city>: dateline:세종; title:세종시×1`` per city,
    ``|``-separated; sources that add no points say so (``homograph:세종대왕×1 (not counted)``)."""
    parts = []
    for city, rows in evidence.items():
        by_source: dict[str, list[str]] = {}
        for source, term, n in rows:
            shown = term if source in {"dateline", "dateline_ignored", "bullet", "category",
                                       "places", "home_outlet"} else f"{term}×{n}"
            by_source.setdefault(source, []).append(shown)
        items = []
        for source, terms in by_source.items():
            if source == "dateline_ignored":
                items.append(f"dateline:{','.join(terms)} (ignored: city not named in the text)")
            elif source in NOT_COUNTED:
                items.append(f"{source}:{','.join(terms)} (not counted)")
            else:
                items.append(f"{source}:{','.join(terms)}")
        if items:
            parts.append(f"{city}: {'; '.join(items)}")
    return " | ".join(parts) if parts else "no city named"


def _split_values(value: str, sep: str) -> set[str]:
    return {v.strip() for v in value.split(sep) if v.strip()}


#: Per city, an article's first matching bullet (or section) and first matching category
#: (bullet and section values count as categories too); None where none matches.
SectionHits = tuple[tuple[str | None, str | None], ...]
#: Per city, the article's place entities (BigKinds 위치) that are its names or places, sorted.
PlaceHits = tuple[tuple[str, ...], ...]


class _Signals:
    """The non-mention signals of articles per city: dateline, bullet or section, category and
    place entities. The bullet, section and category values, and the place lists, are worked
    out once per distinct value: a corpus has few sections and categories, and its place lists
    repeat."""

    def __init__(self, rules: RegionRules) -> None:
        self.cities = rules.cities
        self.datelines = frozenset(d for c in rules.cities for d in c.datelines)
        self._entity_names = [frozenset(c.names + c.places) for c in rules.cities]
        self._sections: dict[tuple[str, str, str], SectionHits] = {}
        self._places: dict[str, PlaceHits] = {}

    def of(self, texts: ArticleTexts, i: int) -> tuple[str, SectionHits, PlaceHits]:
        """Article ``i``'s dateline (stripped), and its section and place hits per city."""
        key = (texts.region_bullet[i], texts.section[i], texts.categories[i])
        sections = self._sections.get(key)
        if sections is None:
            sections = self._sections[key] = self._section_hits(*key)
        places = self._places.get(texts.places[i])
        if places is None:
            values = _split_values(texts.places[i], ",")
            places = self._places[texts.places[i]] = tuple(
                tuple(sorted(values & names)) for names in self._entity_names)
        return texts.dateline[i].strip(), sections, places

    def _section_hits(self, region_bullet: str, section: str, categories: str) -> SectionHits:
        bullet_values = {region_bullet.strip(), section.strip()}
        bullet_values.discard("")
        category_values = _split_values(categories, "|") | bullet_values
        out = []
        for city in self.cities:
            bullets = sorted(bullet_values & city.bullets)
            cats = sorted(category_values & city.categories)
            out.append((bullets[0] if bullets else None, cats[0] if cats else None))
        return tuple(out)


def _category_and_places(pts: float, category: str | None, places: tuple[str, ...],
                         sc: dict[str, float], ev: list[tuple[str, str, int]]) -> float:
    """``pts`` plus the points a city gets from the article's categories (its first matching
    ``category``) and place entities (every one of ``places``), their evidence appended to
    ``ev``."""
    if category is not None:
        pts += sc["category"]
        ev.append(("category", category, 1))
    if places:
        pts += sc["place_entity"]
        ev.extend(("places", place, 1) for place in places)
    return pts


def _attribute(
    texts: ArticleTexts,
    i: int,
    m_title: dict[str, _Found],
    m_sub: dict[str, _Found],
    m_body: dict[str, _Found],
    m_kw: dict[str, _Found] | None,
    rules: RegionRules,
    signals: tuple[str, SectionHits, PlaceHits],
) -> tuple[str, dict[str, Evidence]]:
    """Article ``i`` of ``texts``: its region and evidence per city, from what its title,
    subtitle, body with captions and (when read from them) keywords say (``m_*``), and its
    dateline, section and place hits (``signals``, see :class:`_Signals`)."""
    sc = rules.scoring
    kw_tokens: set[str] | None = None  # the keyword list as a set, made when needed
    named_regions: set[str] | None = None  # every region the article names, when needed
    crowd = sc["crowd_min_regions"]
    dateline, section_hits, place_hits = signals

    points: dict[str, float] = {}
    mention_points: dict[str, float] = {}
    n_mentions: dict[str, int] = {}
    evidence: dict[str, Evidence] = {}
    for city, (bullet_hit, category_hit), places_hit in zip(rules.cities, section_hits,
                                                             place_hits):
        ev: Evidence = []
        key = city.key
        f_title = m_title.get(key, _NOTHING)
        f_sub = m_sub.get(key, _NOTHING)
        f_body = m_body.get(key, _NOTHING)
        f_kw = _NOTHING if m_kw is None else m_kw.get(key, _NOTHING)
        if f_title is f_sub is f_body is f_kw is _NOTHING:
            # The city is named nowhere: only its dateline, bullet, category and place
            # entities can speak for it (what the general case below gives without mentions).
            pts = 0.0
            if dateline and dateline in city.datelines:
                if city.dateline_needs_mention:
                    ev.append(("dateline_ignored", dateline, 1))
                else:
                    pts += sc["dateline"]
                    ev.append(("dateline", dateline, 1))
            if bullet_hit is not None:
                pts += sc["bullet"]
                ev.append(("bullet", bullet_hit, 1))
            pts = _category_and_places(pts, category_hit, places_hit, sc, ev)
            points[city.key] = pts
            mention_points[city.key] = 0.0
            n_mentions[city.key] = 0
            evidence[city.key] = ev
            continue
        t_sub, t_list = f_title.subject, f_title.listed
        s_sub, s_list = f_sub.subject, f_sub.listed
        text_sub, text_list, text_weak = f_body.subject, f_body.listed, f_body.weak
        homographs = _plus(f_title.homographs, f_sub.homographs, f_body.homographs)
        source = "body"
        if m_kw is not None:
            k_sub, k_list = f_kw.subject, f_kw.listed
            # The keyword list starts with the title's words: do not count those twice.
            k_extra = len(k_sub) + len(k_list) - len(t_sub)
            if k_extra > len(text_sub) + len(text_list):
                text_sub = _minus(k_sub, t_sub)
                text_list = _minus(k_list, t_list)
                text_weak = f_kw.weak
                homographs = _plus(homographs, f_kw.homographs)
                source = "keywords"
        # The forms that name the city as a subject, for the bare-name and ambiguous checks.
        named = {*t_sub, *s_sub, *text_sub} if city.bare_names or city.ambiguous_places else None
        if city.bare_names:
            bare_only = bool(named) and named <= city.bare_names
            if bare_only and source == "keywords":
                # Homographs whose parts are anywhere in the keyword list matter only here.
                if kw_tokens is None:
                    kw_tokens = set(texts.tokens(i) or [])
                homographs = _plus(homographs, _bag_homographs(city, kw_tokens))
            if bare_only and homographs:
                # Only the bare name next to 세종대왕/세종문화회관: the king or the Seoul hall.
                _add(ev, "homograph", homographs)
                t_sub = s_sub = text_sub = ()
                named = None
        if city.ambiguous_places:
            if named and named <= city.ambiguous_places:
                # Only a place another city has too (대흥동) or a slogan others use (행복도시):
                # it counts when the city itself, or one of its own places, is named as well.
                _add(ev, "ambiguous", _plus(t_sub, s_sub, text_sub))
                t_sub = s_sub = text_sub = ()
        n_title, n_sub, n_text = len(t_sub), len(s_sub), len(text_sub)
        if crowd and not n_title and 0 < n_sub + n_text <= sc["crowd_max_mentions"]:
            if named_regions is None:
                named_regions = _region_names(rules.region_re, _texts_of(texts, i))
            if len(named_regions - rules.city_regions) >= crowd:
                # One place among many regions the article names (a nationwide round-up or
                # designation whose list is not written as one): not its subject.
                _add(ev, "among_regions", _plus(s_sub, text_sub))
                s_sub = text_sub = ()
                n_sub = n_text = 0
        passing = 0
        if source == "keywords" and n_text and not (n_title or n_sub):
            # A long keyword list (a whole story's nouns) naming the city once or twice, and
            # not in the headline, is a passing mention (a venue, a person's home town).
            n_keywords = len(texts.tokens(i) or [])
            needed = max(sc["keyword_min_mentions"], sc["keyword_min_share"] * n_keywords)
            if n_text < needed:
                outlet = _outlet_name(texts.outlet[i])
                if outlet in city.home_outlets:
                    # A local outlet names its own city once: its readers know where they are.
                    ev.append(("home_outlet", outlet, 1))
                else:
                    _add(ev, "passing", text_sub)
                    passing = n_text
                    text_sub, n_text = (), 0
        mp = sc["title"] * min(n_title, 2) + sc["subtitle"] * min(n_sub, 2) + sc["text"] * n_text
        n_list = len(t_list) + len(s_list) + len(text_list)
        mp += sc["list_mention"] * n_list
        n_weak = len(text_weak)
        pts = mp + sc.get("weak_place", 0.5) * n_weak
        if dateline and dateline in city.datelines:
            if city.dateline_needs_mention and n_title + n_sub + n_text == 0:
                ev.append(("dateline_ignored", dateline, 1))
            else:
                pts += sc["dateline"]
                ev.append(("dateline", dateline, 1))
        if bullet_hit is not None:
            pts += sc["bullet"]
            ev.append(("bullet", bullet_hit, 1))
        _add(ev, "title", t_sub)
        _add(ev, "subtitle", s_sub)
        _add(ev, source, text_sub)
        _add(ev, "list", _plus(t_list, s_list, text_list))
        _add(ev, "weak", text_weak)
        pts = _category_and_places(pts, category_hit, places_hit, sc, ev)
        points[city.key] = pts
        if city.admin_names and sc["admin_min_points"] <= pts < sc["min_points"]:
            # The city's administrative name (세종시, 대전광역시) is its government acting:
            # named once in the text, not in a list or a passing keyword, it makes a subject.
            admin = Counter({term: n for named in (t_sub, s_sub, text_sub)
                             for term, n in Counter(named).items() if term in city.admin_names})
            if admin:
                pts = points[city.key] = sc["min_points"]
                _add(ev, "admin_name", list(admin.elements()))
        if (city.district_re is not None and pts < sc["min_points"]
                and n_title + n_sub + n_text + passing):
            # The city named, one of its districts (서구, 구청장) too, and no other region: a
            # district's own story, which names its city once or not again.
            parts = _texts_of(texts, i)
            if named_regions is None:
                named_regions = _region_names(rules.region_re, parts)
            if kw_tokens is None and source == "keywords":
                kw_tokens = set(texts.tokens(i) or [])
            if not named_regions - city.own_regions and not (
                    kw_tokens and _bag_homographs(city, kw_tokens)):
                # (A keyword list holding 세계 and 대전 may well mean 세계대전.)
                districts = _found(city.district_re, parts)
                if districts:
                    pts = points[city.key] = sc["min_points"]
                    _add(ev, "district", districts)
        mention_points[city.key] = mp
        n_mentions[city.key] = n_title + n_sub + n_text
        evidence[city.key] = ev

    qualified = [c.key for c in rules.cities if points[c.key] >= sc["min_points"]]
    if len(qualified) > 1:
        # A city qualified by dateline/bullet alone yields to one the text is clearly about.
        text_led = [k for k in qualified if mention_points[k] >= sc["title"]]
        qualified = [k for k in qualified if mention_points[k] > 0 or not text_led]
    if len(qualified) > 1:
        qualified.sort(key=lambda k: (points[k], mention_points[k]), reverse=True)
        top = qualified[0]
        keep = [top]
        for k in qualified[1:]:
            if (
                mention_points[k] >= sc["both_ratio"] * mention_points[top]
                and n_mentions[k] >= sc["both_min_text"]
            ):
                keep.append(k)
        qualified = keep

    if not qualified:
        region = NEITHER
    elif len(qualified) == 1:
        region = qualified[0]
    else:
        region = BOTH
    return region, {k: v for k, v in evidence.items() if v}


def tag_regions(articles: pd.DataFrame, *, regions_file: str | Path | None = None) -> pd.DataFrame:
    """Attribute each article to a city: ``region`` and ``region_evidence``, same index.

    ``region`` is a city key of the regions file (``lib.vocabulary``), ``both`` when more than
    one city is genuinely covered, or ``neither``. ``region_evidence`` is the readable form of
    the signals found per city (:func:`format_evidence`), so a reader can see why; the same
    signals as a long table come from :func:`region_evidence_table`. Works on full text and on
    BigKinds rows (title + 키워드, lead body).
    """
    regions, evidence = attribute_regions(articles, regions_file=regions_file)
    return pd.DataFrame(
        {
            "region": pd.Series(regions, index=articles.index, dtype=str),
            "region_evidence": pd.Series(
                [format_evidence(e) for e in evidence], index=articles.index, dtype=str
            ),
        },
        index=articles.index,
    )


def attribute_regions(
    articles: pd.DataFrame,
    *,
    regions_file: str | Path | None = None,
    texts: ArticleTexts | None = None,
) -> tuple[list[str], list[dict[str, Evidence]]]:
    """The region of every article and its evidence per city, in row order.

    ``texts`` is the articles' :class:`~lib.tagging.resources.ArticleTexts` when the caller
    has it already (the tagging stage reads the columns once for both taggers).
    """
    rules = load_region_rules(regions_file)
    if texts is None:
        texts = ArticleTexts(articles)
    with no_cycle_collection():
        return _attribute_all(texts, rules)


def _attribute_all(
    texts: ArticleTexts, rules: RegionRules
) -> tuple[list[str], list[dict[str, Evidence]]]:
    """:func:`attribute_regions` on the texts, :data:`ROWS_PER_PASS` articles at a time (what
    the matchers found is held for one such block only)."""
    # An article that names no city anywhere and has no dateline, bullet, category or place
    # entity of one scores nothing: it is `neither`, with no evidence (unless the scoring
    # lets a city qualify on zero points).
    no_hits = (tuple((None, None) for _ in rules.cities), tuple(() for _ in rules.cities))
    quick = rules.scoring["min_points"] > 0
    regions: list[str] = []
    evidence: list[dict[str, Evidence]] = []
    for start in range(0, texts.n, ROWS_PER_PASS):
        rows = range(start, min(texts.n, start + ROWS_PER_PASS))
        # Per block, like what the matchers found: a big corpus has many distinct place lists.
        signals = _Signals(rules)
        m_title = _mentions_many(texts.title[rows.start : rows.stop], rules)
        m_sub = _mentions_many(texts.subtitle[rows.start : rows.stop], rules)
        m_body = _mentions_many(texts.body_captions[rows.start : rows.stop], rules)
        m_kw: list[dict[str, _Found] | None] = [None] * len(rows)
        kw_rows = [j for j, i in enumerate(rows) if texts.use_keywords[i]]
        kw_texts = [texts.keywords[rows.start + j] for j in kw_rows]
        for j, found in zip(kw_rows, _mentions_many(kw_texts, rules)):
            m_kw[j] = found
        for j, i in enumerate(rows):
            found = signals.of(texts, i)
            if (
                quick
                and m_title[j] is m_sub[j] is m_body[j] is _NO_CITY
                and (m_kw[j] is None or m_kw[j] is _NO_CITY)
                and not (found[0] and found[0] in signals.datelines)
                and found[1] == no_hits[0] and found[2] == no_hits[1]
            ):
                regions.append(NEITHER)
                evidence.append({})
                continue
            region, ev = _attribute(texts, i, m_title[j], m_sub[j], m_body[j], m_kw[j], rules,
                                    found)
            regions.append(region)
            evidence.append(ev)
    return regions, evidence


def region_evidence_table(
    article_ids: list[str], evidence: list[dict[str, Evidence]]
) -> pd.DataFrame:
    """The evidence as a long table: ``article_id, region, source, term, count``."""
    records = [
        (art_id, city, source, term, n)
        for art_id, per_city in zip(article_ids, evidence)
        for city, rows in per_city.items()
        for source, term, n in rows
    ]
    table = pd.DataFrame.from_records(records, columns=list(EVIDENCE_COLUMNS))
    table["count"] = table["count"].astype("int64")
    return table

