"""The generator's material, read from the data files in ``lib/sample/templates/``.

Everything there is synthetic: sentence templates, invented names and venues, outlets with
invented BigKinds codes, site chrome, the corpus plan with its planted trends and the text of the
sample's README. This module reads the files once, at import, checks that every topic of the
taxonomy has its templates, and hands them to the writers as plain tuples, dicts and small frozen
records. The vocabularies belong to the generator: they decide what the invented articles say;
the tagger's lexicon (``lib/resources``) is built separately and is tested against the truth.

City and story-kind keys are the generator's own (it writes about Sejong and Daejeon); the topic
keys are the taxonomy's, from :mod:`lib.vocabulary`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lib import paths
from lib.vocabulary import get_vocabulary

TEMPLATES_DIR = paths.LIB_DIR / "sample" / "templates"

#: Every topic of the taxonomy, in display order.
TOPICS: tuple[str, ...] = get_vocabulary().topic_keys
#: The truth's region values: the two cities, stories about both, stories about neither.
REGIONS: tuple[str, ...] = ("sejong", "daejeon", "both", "neither")
CITIES: tuple[str, ...] = ("sejong", "daejeon")


class TemplateError(ValueError):
    """A template file is unreadable or lacks an entry; the message names the file."""


def read_template(name: str) -> dict[str, Any]:
    """The parsed TOML file ``name`` of the templates folder (raises TemplateError)."""
    path = TEMPLATES_DIR / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise TemplateError(f"{paths.display_path(path)}: {err}") from err


def read_text_template(name: str) -> str:
    """The text file ``name`` of the templates folder."""
    path = TEMPLATES_DIR / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise TemplateError(f"{paths.display_path(path)}: {err}") from err


@contextmanager
def required(name: str) -> Iterator[None]:
    """Turn a missing key or a wrong value while reading ``name`` into a TemplateError naming it."""
    try:
        yield
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, TemplateError):
            raise
        raise TemplateError(f"lib/sample/templates/{name}: missing or malformed entry {err}") from err


def per_topic(name: str, table: dict[str, Any], what: str) -> dict[str, Any]:
    """``table`` in topic order; fails naming the file when a topic is missing or unknown."""
    missing = [t for t in TOPICS if t not in table]
    unknown = [t for t in table if t not in TOPICS]
    if missing or unknown:
        raise TemplateError(
            f"lib/sample/templates/{name}: {what} must list exactly the topics of topics.toml "
            f"(missing {missing}, unknown {unknown})"
        )
    return {t: table[t] for t in TOPICS}


def _tuples(table: dict[str, list[Any]]) -> dict[str, tuple[Any, ...]]:
    return {k: tuple(v) for k, v in table.items()}


@dataclass(frozen=True)
class TopicText:
    """The templates of one topic (smart_city.toml ``[topics.<key>]``)."""

    terms: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    details: tuple[str, ...]
    quotes: tuple[str, ...]
    closers: tuple[str, ...]


@dataclass(frozen=True)
class OfftopicText:
    """The templates of one kind of local news that is not about smart cities."""

    titles: tuple[str, ...]
    sentences: tuple[str, ...]
    smartish: tuple[str, ...]


@dataclass(frozen=True)
class Decoy:
    """A word holding 세종 or 대전 that is not the city, with its story templates."""

    kind: str
    titles: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class PageOutlet:
    """One page layout: its outlet, how often local stories use it, and its printed lines."""

    outlet: str
    weight: float
    regional: bool
    email_domain: str
    copyright: str
    chrome_ranking: str = ""
    chrome_more: str = ""
    chrome_photos: str = ""


# --- places.toml: cities, neighbourhoods, venues, other cities, ministries -----------------------

_places = read_template("places.toml")
with required("places.toml"):
    CITY_NAME: dict[str, str] = {c: _places[c]["name"] for c in CITIES}
    CITY_SUBJECT: dict[str, str] = {c: _places[c]["city_subject"] for c in CITIES}
    SUBJECTS: dict[str, tuple[str, ...]] = {c: tuple(_places[c]["subjects"]) for c in CITIES}
    SHORT_NAMES: dict[str, dict[str, str]] = {c: _places[c].get("short_names", {}) for c in CITIES}
    SUBJECT_TOPICS: dict[str, dict[str, list[str]]] = {
        c: _places[c].get("subject_topics", {}) for c in CITIES
    }
    DISTRICTS: dict[str, tuple[str, ...]] = {c: tuple(_places[c].get("districts", ())) for c in CITIES}
    PLACES: dict[str, tuple[str, ...]] = {r: tuple(_places[r]["places"]) for r in (*CITIES, "neither")}
    VENUES: dict[str, tuple[str, ...]] = {c: tuple(_places[c]["venues"]) for c in CITIES}
    TEAMS: dict[str, tuple[str, ...]] = {r: tuple(_places[r]["teams"]) for r in (*CITIES, "neither")}
    BOTH: dict[str, tuple[str, ...]] = _tuples(_places["both"])
    OTHER_CITY_SMART: tuple[tuple[str, str], ...] = tuple(
        (city, place) for city, place in _places["neither"]["smart_cities"]
    )
    REGION_LISTS: tuple[str, ...] = tuple(_places["neither"]["region_lists"])
    LIST_PLACES: tuple[str, ...] = tuple(_places["neither"]["list_places"])
    MINISTRIES: tuple[tuple[str, str], ...] = tuple(
        (full, short) for full, short in _places["neither"]["ministries"]
    )

# --- people.toml: invented names and officials' titles --------------------------------------------

_people = read_template("people.toml")
with required("people.toml"):
    SURNAMES: str = _people["surnames"]
    GIVEN_FIRST: tuple[str, ...] = tuple(
        ch for ch in _people["given_syllables"] if ch not in _people["not_first"]
    )
    GIVEN_SECOND: tuple[str, ...] = tuple(
        ch for ch in _people["given_syllables"] if ch not in _people["not_second"]
    )
    OFFICIALS: dict[str, tuple[str, ...]] = _tuples(_people["officials"])

# --- smart_city.toml: smart-city stories ------------------------------------------------------------

_smart = read_template("smart_city.toml")
with required("smart_city.toml"):
    PLAIN_VOCABULARY_TOPICS: frozenset[str] = frozenset(_smart["plain_vocabulary_topics"])
    SMART_GENERIC: tuple[str, ...] = tuple(_smart["generic"])
    SMART_SUBTITLES: tuple[str, ...] = tuple(_smart["subtitles"])
    CONTEXT_SENTENCES: tuple[str, ...] = tuple(_smart["context"])
    SMART_CAPTIONS: tuple[str, ...] = tuple(_smart["captions"])
    QUOTE_FRAMES: tuple[str, ...] = tuple(_smart["quote_frames"])
    OTHER_CITY_PASSING: dict[str, str] = dict(_smart["other_city_passing"])
    OTHER_CITY_SIMILAR: str = _smart["other_city"]["similar"]
    OTHER_CITY_CAPTION: str = _smart["other_city"]["caption"]
    TOPIC_TEXT: dict[str, TopicText] = {
        topic: TopicText(**_tuples(table))
        for topic, table in per_topic("smart_city.toml", _smart["topics"], "[topics.*]").items()
    }
    #: Topic -> its terms that name smart-city work; a story with that topic alone and none of
    #: those terms in its text is conventional work (lib.sample.stories.is_conventional_work).
    CONVENTIONAL_TOPICS: dict[str, tuple[str, ...]] = {
        topic: tuple(spec["smart_terms"]) for topic, spec in _smart["conventional_topics"].items()
    }
    if any(topic not in TOPIC_TEXT or not set(terms) < set(TOPIC_TEXT[topic].terms)
           for topic, terms in CONVENTIONAL_TOPICS.items()):
        raise TemplateError(
            "lib/sample/templates/smart_city.toml: each [conventional_topics] table must be a "
            "topic whose smart_terms are some, not all, of its terms"
        )

    #: Service term -> its second theme, and the mentions that make a story about the service
    #: (lib.sample.stories.shared_themes).
    SHARED_SERVICES: dict[str, str] = dict(_smart["shared_services"]["terms"])
    SHARED_MIN_MENTIONS: int = int(_smart["shared_services"]["min_mentions"])
    if any(topic not in TOPIC_TEXT or not any(term in text.terms for text in TOPIC_TEXT.values())
           for term, topic in SHARED_SERVICES.items()):
        raise TemplateError(
            "lib/sample/templates/smart_city.toml: [shared_services.terms] must map terms of the "
            "topics' term lists to topics of [topics.*]"
        )

# --- offtopic.toml: local news that is not about smart cities ----------------------------------

_offtopic = read_template("offtopic.toml")
with required("offtopic.toml"):
    PLAIN_CONTEXT: tuple[str, ...] = tuple(_offtopic["context"])
    OFFTOPIC_CAPTION: str = _offtopic["caption"]
    CITY_OPENER: str = _offtopic["city_opener"]
    BOTH_OPENER: str = _offtopic["both_opener"]
    BOTH_KINDS: tuple[str, ...] = tuple(_offtopic["both_kinds"])
    OFFTOPIC: dict[str, OfftopicText] = {
        kind: OfftopicText(**_tuples(table)) for kind, table in _offtopic["kinds"].items()
    }
    OFFTOPIC_KINDS: tuple[str, ...] = tuple(OFFTOPIC)

# --- national.toml: nationwide ministry stories datelined 세종 ------------------------------------

_national = read_template("national.toml")
with required("national.toml"):
    NATIONAL_SMART_TITLES: tuple[str, ...] = tuple(_national["smart_titles"])
    NATIONAL_SMART_LEADS: tuple[str, ...] = tuple(_national["smart_leads"])
    NATIONAL_SMART_DETAILS: tuple[str, ...] = tuple(_national["smart_details"])
    NATIONAL_PLAIN_TITLES: tuple[str, ...] = tuple(_national["plain_titles"])
    NATIONAL_PLAIN_SENTENCES: tuple[str, ...] = tuple(_national["plain_sentences"])
    NATIONAL_EXTRA: tuple[str, ...] = tuple(_national["extra"])
    NATIONAL_CAPTION: str = _national["caption"]

# --- decoys.toml: 세종 and 대전 that are not the cities ------------------------------------------

_decoys = read_template("decoys.toml")
with required("decoys.toml"):
    DECOYS: dict[str, Decoy] = {
        word: Decoy(kind=t["kind"], titles=tuple(t["titles"]), sentences=tuple(t["sentences"]))
        for word, t in _decoys["decoys"].items()
    }
    CITY_DECOY_SENTENCES: dict[str, tuple[str, ...]] = _tuples(_decoys["city_sentences"])
    DECOY_CAPTION: str = _decoys["caption"]
    DECOY_CREDIT: str = _decoys["credit"]
    DECOY_SHORT: str = _decoys["short"]
    DECOY_DATELINES: tuple[str, ...] = tuple(_decoys["datelines"])

# --- outlets.toml: page layouts, BigKinds outlets, sections and categories ----------------------

_outlets = read_template("outlets.toml")
with required("outlets.toml"):
    PAGE_OUTLETS: dict[str, PageOutlet] = {
        layout: PageOutlet(**spec) for layout, spec in _outlets["pages"].items()
    }
    PAGE_LAYOUTS: tuple[str, ...] = tuple(PAGE_OUTLETS)
    REGIONAL_LAYOUTS: tuple[str, ...] = tuple(k for k, v in PAGE_OUTLETS.items() if v.regional)
    PAGE_MIX: dict[str, tuple[str, ...]] = _tuples(_outlets["page_mix"])
    BIGKINDS_OUTLETS: dict[str, tuple[str, str]] = {
        name: (spec["code"], spec["domain"]) for name, spec in _outlets["bigkinds"].items()
    }
    NATIONAL_BIGKINDS: tuple[str, ...] = tuple(
        name for name, spec in _outlets["bigkinds"].items() if spec["kind"] == "national"
    )
    REGIONAL_BIGKINDS: tuple[str, ...] = tuple(
        name for name, spec in _outlets["bigkinds"].items() if spec["kind"] == "regional"
    )
    SECTIONS: dict[str, tuple[str, ...]] = _tuples(_outlets["sections"])
    CATEGORIES: dict[str, tuple[str, ...]] = _tuples(_outlets["categories"])
    REGION_CATEGORY_P: dict[str, tuple[tuple[str, float], ...]] = {
        region: tuple((g["category"], g["p"]) for g in guesses)
        for region, guesses in _outlets["region_categories"].items()
    }

# --- chrome.toml: site chrome after a page's copyright line ---------------------------------------

_chrome = read_template("chrome.toml")
with required("chrome.toml"):
    CHROME_HEADLINES: tuple[str, ...] = tuple(_chrome["headlines"])
    CHROME_PHOTOS: tuple[str, ...] = tuple(_chrome["photos"])
    CHROME_TEASER: str = _chrome["teaser"]

#: The corpus plan (period, story counts, planted trends, BigKinds files); read by lib.sample.trends
#: and lib.sample.bigkinds.
PLAN: dict[str, Any] = read_template("plan.toml")
#: The sample folder's README.md, a ``str.format`` template.
README_TEMPLATE: str = read_text_template("sample_readme.md.tmpl")
