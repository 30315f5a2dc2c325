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

import functools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import lexicon
from lib.lexicon import TermMatcher
from lib.nlp import uses_keywords

BOTH = "both"
NEITHER = "neither"

_HANGUL_CHAR = re.compile("[가-힣]")
_CITY_SUFFIX = "(?:특별자치시|특별자치도|광역시|특별시|시|도)?"
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
}


def _alternation(forms) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


@functools.cache
def _compile_rules(path: str, _digest: str) -> RegionRules:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
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
            )
        )
    scoring = {**_DEFAULT_SCORING, **data.get("scoring", {})}
    all_homographs = {h: h for city in cities for h in city.homographs}
    mentions = {
        city.key: TermMatcher({f: f for f in (*city.names, *city.places)}, auto_split=False)
        for city in cities
    }
    region_words = set(data.get("list_regions", [])) | {
        n for city in cities for n in city.names
    }
    every_place = region_words | {p for city in cities for p in city.places}
    glue_ok = re.compile(f"(?:{_alternation(every_place)}){_CITY_SUFFIX}$")
    item = f"(?:{_alternation(region_words)}){_CITY_SUFFIX}"
    k = int(data.get("list_min_items", 3))
    list_re = re.compile(f"(?<![가-힣]){item}(?:{_LIST_SEP}{item}){{{k - 1},}}")
    return RegionRules(
        version=str(data.get("version", "")),
        cities=tuple(cities),
        scoring=scoring,
        list_min_items=k,
        homographs=TermMatcher(all_homographs, auto_split=False),
        mentions=mentions,
        glue_ok=glue_ok,
        list_re=list_re,
    )


def load_region_rules(regions_file: str | Path | None = None) -> RegionRules:
    """Read and compile a regions file (default ``regions.toml`` in the resource folder).

    Cached by path and content hash, so an edited file is picked up on the next call.
    """
    path = Path(regions_file) if regions_file else lexicon.resources_dir() / lexicon.REGIONS_FILE
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return _compile_rules(str(path), digest)


def _mask_homographs(text: str, rules: RegionRules) -> str:
    """``text`` with every homograph (세종대왕, 할인 대전, ``세종,대왕``) blanked out."""
    hits = list(rules.homographs.finditer(text))
    if not hits:
        return text
    chars = list(text)
    for h in hits:
        chars[h.start : h.end] = " " * (h.end - h.start)
    return "".join(chars)


def _mentions(text: str, rules: RegionRules) -> dict[str, tuple[Counter, Counter]]:
    """Per city: (subject mentions, list mentions) as Counters of the surface form."""
    out: dict[str, tuple[Counter, Counter]] = {}
    if not text:
        return {c.key: (Counter(), Counter()) for c in rules.cities}
    masked = _mask_homographs(text, rules)
    lists = [m.span() for m in rules.list_re.finditer(masked)]
    for city in rules.cities:
        subject, listed = Counter(), Counter()
        for hit in rules.mentions[city.key].finditer(masked):
            s = hit.start
            if s > 0 and _HANGUL_CHAR.match(masked[s - 1]):
                # Glued to a preceding word: "세계대전", "총력대전" are not the city, but
                # "대전세종연구원" is (the preceding part is itself a region).
                if not rules.glue_ok.search(masked[max(0, s - 12) : s]):
                    continue
            form = re.sub(r"[\s,]+", "", hit.text)
            if any(a <= s < b for a, b in lists):
                listed[form] += 1
            else:
                subject[form] += 1
        out[city.key] = (subject, listed)
    return out


def _fmt(counter: Counter) -> str:
    return ",".join(f"{form}×{n}" for form, n in counter.most_common())


def _split_values(value: str, sep: str) -> set[str]:
    return {v.strip() for v in value.split(sep) if v.strip()}


def _attribute(row: dict, rules: RegionRules) -> tuple[str, str]:
    sc = rules.scoring
    title = str(row.get("title", "") or "")
    subtitle = str(row.get("subtitle", "") or "")
    body = str(row.get("body", "") or "")
    captions = str(row.get("captions", "") or "")
    keywords = str(row.get("keywords", "") or "")
    use_kw = uses_keywords(body, keywords, bool(row.get("lead_only", False)))

    m_title = _mentions(title, rules)
    m_sub = _mentions(subtitle, rules)
    m_body = _mentions(body + "\n" + captions, rules)
    m_kw = _mentions(keywords, rules) if use_kw else None

    dateline = str(row.get("dateline", "") or "").strip()
    bullet_values = {str(row.get("region_bullet", "") or "").strip(), str(row.get("section", "") or "").strip()}
    bullet_values.discard("")
    category_values = _split_values(str(row.get("categories", "") or ""), "|") | bullet_values
    place_values = _split_values(str(row.get("places", "") or ""), ",")

    points: dict[str, float] = {}
    mention_points: dict[str, float] = {}
    n_mentions: dict[str, int] = {}
    evidence: dict[str, list[str]] = {}
    for city in rules.cities:
        ev: list[str] = []
        t_sub, t_list = m_title[city.key]
        s_sub, s_list = m_sub[city.key]
        b_sub, b_list = m_body[city.key]
        text_sub, text_list = b_sub, b_list
        source = "body"
        if m_kw is not None:
            k_sub, k_list = m_kw[city.key]
            # The keyword list starts with the title's words: do not count those twice.
            k_extra = sum(k_sub.values()) - sum(t_sub.values())
            if k_extra > sum(b_sub.values()):
                text_sub, text_list = k_sub - t_sub, k_list - t_list
                source = "keywords"
        n_title, n_sub, n_text = sum(t_sub.values()), sum(s_sub.values()), sum(text_sub.values())
        mp = (
            sc["title"] * min(n_title, 2)
            + sc["subtitle"] * min(n_sub, 2)
            + sc["text"] * n_text
        )
        n_list = sum(t_list.values()) + sum(s_list.values()) + sum(text_list.values())
        mp += sc["list_mention"] * n_list
        pts = mp
        if dateline and dateline in city.datelines:
            if city.dateline_needs_mention and n_title + n_sub + n_text == 0:
                ev.append(f"dateline:{dateline} (ignored: city not named in the text)")
            else:
                pts += sc["dateline"]
                ev.append(f"dateline:{dateline}")
        bullet_hit = sorted(bullet_values & city.bullets)
        if bullet_hit:
            pts += sc["bullet"]
            ev.append(f"bullet:{bullet_hit[0]}")
        if n_title:
            ev.append(f"title:{_fmt(t_sub)}")
        if n_sub:
            ev.append(f"subtitle:{_fmt(s_sub)}")
        if n_text:
            ev.append(f"{source}:{_fmt(text_sub)}")
        if n_list:
            ev.append(f"list:{_fmt(t_list + s_list + text_list)}")
        cat_hit = sorted(category_values & city.categories)
        if cat_hit:
            pts += sc["category"]
            ev.append(f"category:{cat_hit[0]}")
        ent_hit = sorted(place_values & set(city.names + city.places))
        if ent_hit:
            pts += sc["place_entity"]
            ev.append(f"places:{','.join(ent_hit)}")
        points[city.key] = pts
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
    parts = [f"{k}: {'; '.join(evidence[k])}" for k in points if evidence[k]]
    text = " | ".join(parts) if parts else "no city named"
    return region, text


def tag_regions(articles: pd.DataFrame, *, regions_file: str | Path | None = None) -> pd.DataFrame:
    """Attribute each article to a city: ``region`` and ``region_evidence``, same index.

    ``region`` is a city key of the regions file (``sejong``, ``daejeon``), ``both`` when more
    than one city is genuinely covered, or ``neither``. ``region_evidence`` lists, per city,
    the signals found (``sejong: dateline:세종; title:세종시×1; body:세종시×4,조치원×1``), so a
    reader can see why. Works on full text and on BigKinds rows (title + 키워드, lead body).
    """
    rules = load_region_rules(regions_file)
    rows = articles.to_dict("records")
    results = [_attribute(r, rules) for r in rows]
    return pd.DataFrame(
        {
            "region": pd.Series([r for r, _ in results], index=articles.index, dtype=str),
            "region_evidence": pd.Series([e for _, e in results], index=articles.index, dtype=str),
        },
        index=articles.index,
    )
