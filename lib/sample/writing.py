"""Writing one invented story from the templates: smart-city, off-topic, national, other-city, decoy.

A :class:`Writer` holds the one ``random.Random`` every draw comes from, so a seed fixes every
word. Each ``write_*`` function returns the story's :class:`StoryText`; which region and topics
it has (the truth) is decided by the caller (:mod:`lib.sample.stories`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lib.sample import material as m
from lib.sample.text import attach, fill, vary


@dataclass
class StoryText:
    """What a writer produced for one story: its text and the entities BigKinds would list."""

    title: str
    subtitle: str
    paragraphs: list[str]
    caption: str
    credit: str
    persons: list[str]
    places: list[str]
    orgs: list[str]
    dateline: str
    section: str
    category_kind: str


class Writer:
    """Turns a story plan (region, kind, topics, date) into text with one ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.reporters: dict[str, list[tuple[str, str]]] = {}

    def person(self) -> str:
        """An invented Korean name of three syllables."""
        r = self.rng
        return r.choice(m.SURNAMES) + r.choice(m.GIVEN_FIRST) + r.choice(m.GIVEN_SECOND)

    def email_local(self) -> str:
        """An invented e-mail local part (letters, sometimes a number)."""
        r = self.rng
        letters = "abcdefghijklmnoprstuwy"
        local = "".join(r.choice(letters) for _ in range(r.randint(4, 7)))
        return local + (str(r.randint(1, 99)) if r.random() < 0.4 else "")

    def reporter_for(self, outlet: str) -> tuple[str, str]:
        """A reporter (name, e-mail local part) of ``outlet``; each outlet has a small staff."""
        staff = self.reporters.setdefault(outlet, [])
        if len(staff) < 6 and (not staff or self.rng.random() < 0.3):
            staff.append((self.person(), self.email_local()))
        return self.rng.choice(staff)

    def slots(self, region: str, when: datetime, *, topic: str | None = None) -> dict[str, str]:
        """Fresh slot values for one story: subject, places, numbers, dates, topic terms."""
        r = self.rng
        year = when.year
        s: dict[str, str] = {
            "n": str(r.randint(2, 9)),
            "n2": str(r.randint(1, 9)),
            "amt": str(r.choice((3, 5, 8, 12, 15, 20, 25, 30, 45, 60, 80, 120, 150, 240))),
            "month": str(r.randint(max(when.month, 2), 12)),
            "day": str(when.day),
            "year": str(year + r.randint(1, 3)),
        }
        if region in m.CITIES:
            subj = r.choice(m.SUBJECTS[region])
            speaks_for = m.SUBJECT_TOPICS[region].get(subj)
            if speaks_for is not None and topic is not None and topic not in speaks_for:
                subj = m.CITY_SUBJECT[region]
            name = m.CITY_NAME[region]
            if subj in m.DISTRICTS[region]:
                s.update(subj=f"{name} {subj}", short="구", city=f"{name} {subj}")
            else:
                s.update(subj=subj, short=m.SHORT_NAMES[region].get(subj, "시"), city=name)
            s.update(
                place=r.choice(m.PLACES[region]),
                venue=r.choice(m.VENUES[region]),
                role=r.choice(m.OFFICIALS[region]),
            )
        elif region == "both":
            s.update(
                subj=r.choice(m.BOTH["subjects"]),
                short="두 시",
                city=r.choice(m.BOTH["cities"]),
                place=f"{attach(r.choice(m.PLACES['daejeon']), '과')} {r.choice(m.PLACES['sejong'])}"
                if r.random() < 0.5
                else r.choice(m.BOTH["corridors"]),
                venue=r.choice(m.VENUES["daejeon"] + m.VENUES["sejong"]),
                role=r.choice(m.OFFICIALS["daejeon"] + m.OFFICIALS["sejong"]),
            )
        else:
            city, place = r.choice(m.OTHER_CITY_SMART)
            s.update(
                subj=city,
                short="시",
                city=city.removesuffix("시"),
                place=place,
                venue=f"{city[:2]} 시청 회의실",
                role=r.choice(m.OFFICIALS["neither"]),
            )
        if topic is not None:
            s["term"], s["term2"] = self.terms(topic)
        return s

    def terms(self, topic: str) -> tuple[str, str]:
        """Two different terms of ``topic``."""
        terms = list(m.TOPIC_TEXT[topic].terms)
        self.rng.shuffle(terms)
        return terms[0], terms[1]

    def sentence(self, template: str, slots: dict[str, str]) -> str:
        """Fill one template; small counts ({n}, {n2}) are drawn afresh for every sentence."""
        local = dict(slots, n=str(self.rng.randint(2, 9)), n2=str(self.rng.randint(1, 9)))
        return fill(vary(template, self.rng), local)

    def quote(self, topics: Sequence[str], slots: dict[str, str], *, role: str) -> tuple[str, str]:
        """A quote paragraph and the speaker's name."""
        r = self.rng
        name = self.person()
        pool = [q for t in topics for q in m.TOPIC_TEXT[t].quotes]
        q1, q2 = r.sample(pool, 2) if len(pool) > 1 else (pool[0], pool[0])
        frame = r.choice(m.QUOTE_FRAMES)
        return fill(frame, {"person": name, "role": role, "quote": q1, "quote2": q2}), name

    def paragraphs(self, sentences: list[str]) -> list[str]:
        """Group sentences into paragraphs of one or two sentences (news style)."""
        out: list[str] = []
        i = 0
        while i < len(sentences):
            take = 2 if (i > 0 and self.rng.random() < 0.45 and i + 1 < len(sentences)) else 1
            out.append(" ".join(sentences[i : i + take]))
            i += take
        return out


def _sample(rng: random.Random, pool: Sequence[str], k: int) -> list[str]:
    return rng.sample(list(pool), min(k, len(pool)))


def _with_term(pool: Sequence[str]) -> list[str]:
    return [t for t in pool if "{term" in t]


def _closer(template: str) -> str:
    # Closers are written for a city ("시는 ..."); a district, an agency or a ministry says it too.
    return "{short|은} " + template[3:] if template.startswith("시는 ") else template


def write_smart_city_story(w: Writer, region: str, when: datetime, topics: tuple[str, ...]) -> StoryText:
    """Text of a smart-city story about Sejong, Daejeon or both (the cities are the subject)."""
    r = w.rng
    primary = topics[0]
    text = m.TOPIC_TEXT[primary]
    slots = w.slots(region, when, topic=primary)
    title = w.sentence(r.choice(text.titles), slots)
    subtitle = w.sentence(r.choice(m.SMART_SUBTITLES), slots) if r.random() < 0.55 else ""
    body = [w.sentence(r.choice(text.leads), slots)]
    body += [w.sentence(t, slots) for t in _sample(r, text.details, r.randint(3, 5))]
    # Housing, budget, company and energy words fill ordinary local news too: a smart-city
    # story on those topics says what makes it smart-city work, as real coverage does.
    if r.random() < 0.4 or primary in m.PLAIN_VOCABULARY_TOPICS:
        body.append(r.choice(m.SMART_GENERIC))
    for extra in topics[1:]:
        xs = dict(slots)
        xs["term"], xs["term2"] = w.terms(extra)
        details = m.TOPIC_TEXT[extra].details
        first = r.choice(_with_term(details))
        rest = [t for t in details if t != first]
        body += [w.sentence(first, xs), w.sentence(r.choice(rest), xs)]
    body += [w.sentence(t, slots) for t in _sample(r, m.CONTEXT_SENTENCES, r.randint(2, 4))]
    if region in m.CITY_DECOY_SENTENCES and r.random() < 0.08:
        body.append(r.choice(m.CITY_DECOY_SENTENCES[region]))
    if region in m.OTHER_CITY_PASSING and r.random() < 0.06:
        body.append(m.OTHER_CITY_PASSING[region])
    quote, speaker = w.quote(topics, slots, role=slots["role"])
    closer = w.sentence(_closer(r.choice(text.closers)), slots)
    paragraphs = w.paragraphs(body) + [quote, closer]
    caption = w.sentence(r.choice(m.SMART_CAPTIONS), slots)
    # Drawn for every story, not only those about both cities: the seed's random stream relies on it.
    both_dateline = r.choice(m.BOTH["datelines"])
    return StoryText(
        title=title, subtitle=subtitle, paragraphs=paragraphs, caption=caption,
        credit=f"{slots['subj'].split('와 ')[0]} 제공", persons=[speaker],
        places=places_in(paragraphs, title), orgs=[slots["subj"]],
        dateline=m.CITY_NAME.get(region, both_dateline),
        section=r.choice(m.SECTIONS["smart"]), category_kind="smart",
    )


def write_offtopic_story(w: Writer, region: str, when: datetime, kind: str) -> StoryText:
    """A local story that is not about smart cities (politics, culture, sports, ...)."""
    r = w.rng
    text = m.OFFTOPIC[kind]
    slots = w.slots(region, when)
    if region == "sejong":
        # 의회, 구청장 and 누리집 sentences need the city government as the subject.
        slots.update(subj=m.CITY_SUBJECT[region], short="시")
    slots["team"] = r.choice(m.TEAMS[region] if region in m.CITIES else m.TEAMS["daejeon"])
    titles = [t for t in text.titles if not (region == "both" and "·충남" in t)]
    title = w.sentence(r.choice(titles), slots)
    chosen = _sample(r, text.sentences, r.randint(4, 5))
    # A sentence that says who did what on which day opens the story.
    chosen.sort(key=lambda t: 0 if ("{day}" in t or "{subj" in t or "{team" in t) else 1)
    body = [w.sentence(t, slots) for t in chosen]
    body += [w.sentence(t, slots) for t in _sample(r, m.PLAIN_CONTEXT, r.randint(2, 3))]
    if r.random() < 0.35:
        body.insert(r.randint(1, len(body)), r.choice(text.smartish))
    if region in m.CITY_DECOY_SENTENCES and r.random() < 0.08:
        body.append(r.choice(m.CITY_DECOY_SENTENCES[region]))
    written = " ".join(body) + title
    if region in m.CITIES and m.CITY_NAME[region] not in written:
        body.insert(0, w.sentence(m.CITY_OPENER, slots))
    if region == "both" and not all(m.CITY_NAME[c] in written for c in m.CITIES):
        body.insert(0, w.sentence(m.BOTH_OPENER, slots))
    paragraphs = w.paragraphs(body)
    return StoryText(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence(m.OFFTOPIC_CAPTION, slots), credit=f"{slots['subj']} 제공",
        persons=[], places=places_in(paragraphs, title), orgs=[slots["subj"]],
        dateline=m.CITY_NAME.get(region, m.BOTH["datelines"][0]),
        section=r.choice(m.SECTIONS[kind]), category_kind=kind,
    )


def write_national_story(w: Writer, when: datetime, topics: tuple[str, ...]) -> StoryText:
    """A nationwide story datelined 세종 (the ministries sit there); smart-city when topics given."""
    r = w.rng
    ministry, short = r.choice(m.MINISTRIES)
    region_list = r.choice(m.REGION_LISTS)
    slots = w.slots("neither", when, topic=topics[0] if topics else None)
    slots.update(
        ministry=ministry, ministry_short=short, subj=ministry, short=short,
        region_list=region_list, place=r.choice(m.PLACES["neither"]), role=r.choice(m.OFFICIALS["neither"]),
    )
    if topics:
        primary = topics[0]
        title = w.sentence(r.choice(m.NATIONAL_SMART_TITLES), slots)
        body = [w.sentence(r.choice(m.NATIONAL_SMART_LEADS), slots)]
        body += [w.sentence(t, slots) for t in _sample(r, m.NATIONAL_SMART_DETAILS, 2)]
        body += [w.sentence(t, slots) for t in _sample(r, _with_term(m.TOPIC_TEXT[primary].details), 3)]
        body += [w.sentence(t, slots) for t in _sample(r, m.NATIONAL_EXTRA, 1)]
        for extra in topics[1:]:
            xs = dict(slots)
            xs["term"], xs["term2"] = w.terms(extra)
            body.append(w.sentence(r.choice(_with_term(m.TOPIC_TEXT[extra].details)), xs))
        quote, speaker = w.quote(topics, slots, role=slots["role"])
        paragraphs = w.paragraphs(body) + [quote]
        persons = [speaker]
    else:
        title = w.sentence(r.choice(m.NATIONAL_PLAIN_TITLES), slots)
        body = [w.sentence(m.NATIONAL_PLAIN_SENTENCES[0], slots)]
        body += [w.sentence(t, slots) for t in _sample(r, m.NATIONAL_PLAIN_SENTENCES[1:], 3)]
        body += [w.sentence(t, slots) for t in _sample(r, m.NATIONAL_EXTRA, 2)]
        if region_list not in " ".join(body):
            body.insert(1, w.sentence(m.NATIONAL_PLAIN_SENTENCES[1], slots))
        paragraphs = w.paragraphs(body)
        persons = []
    places = [m.CITY_NAME["sejong"]] + [p for p in re.split(r"[·, ]", region_list) if p in m.LIST_PLACES]
    return StoryText(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence(m.NATIONAL_CAPTION, slots), credit=f"{short} 제공",
        persons=persons, places=list(dict.fromkeys(places)), orgs=[ministry],
        dateline=m.CITY_NAME["sejong"], section=r.choice(m.SECTIONS["national"]), category_kind="national",
    )


def write_other_city_story(w: Writer, when: datetime, topics: tuple[str, ...]) -> StoryText:
    """A smart-city story about another city (the truth region is ``neither``)."""
    r = w.rng
    primary = topics[0]
    text = m.TOPIC_TEXT[primary]
    slots = w.slots("neither", when, topic=primary)
    title = w.sentence(r.choice(text.titles), slots)
    body = [w.sentence(r.choice(text.leads), slots)]
    body += [w.sentence(t, slots) for t in _sample(r, text.details, 3)]
    for extra in topics[1:]:
        xs = dict(slots)
        xs["term"], xs["term2"] = w.terms(extra)
        body.append(w.sentence(r.choice(_with_term(m.TOPIC_TEXT[extra].details)), xs))
    body += [w.sentence(t, slots) for t in _sample(r, m.CONTEXT_SENTENCES, 2)]
    if r.random() < 0.3:
        body.append(w.sentence(m.OTHER_CITY_SIMILAR, {"region_list": r.choice(m.REGION_LISTS)}))
    quote, speaker = w.quote(topics, slots, role=slots["role"].split(" ", 1)[-1])
    paragraphs = w.paragraphs(body) + [quote]
    return StoryText(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence(m.OTHER_CITY_CAPTION, slots), credit=f"{slots['subj']} 제공",
        persons=[speaker], places=[slots["city"], slots["place"]], orgs=[slots["subj"]],
        dateline=slots["place"].split(" ")[0][:2], section=r.choice(m.SECTIONS["smart"]),
        category_kind="smart",
    )


def write_decoy_story(w: Writer, when: datetime) -> StoryText:
    """A story whose 세종 or 대전 is not the city: 세종대왕, 세종대로, 할인 대전, 세계대전 ..."""
    r = w.rng
    word = r.choice(sorted(m.DECOYS))
    decoy = m.DECOYS[word]
    slots = w.slots("neither", when)
    other = r.choice(m.PLACES["neither"])
    slots.update(other=other, place=other, short=m.DECOY_SHORT, team=r.choice(m.TEAMS["neither"]))
    title = w.sentence(r.choice(decoy.titles), slots)
    body = [w.sentence(t, slots) for t in _sample(r, decoy.sentences, r.randint(2, 3))]
    body += [w.sentence(t, slots) for t in _sample(r, m.OFFTOPIC[decoy.kind].sentences, 3)]
    body += [w.sentence(t, slots) for t in _sample(r, m.PLAIN_CONTEXT, 2)]
    paragraphs = w.paragraphs(body)
    sejong = m.CITY_NAME["sejong"]
    return StoryText(
        title=title, subtitle="", paragraphs=paragraphs,
        caption=w.sentence(m.DECOY_CAPTION, slots), credit=m.DECOY_CREDIT,
        persons=[], places=[other, word.split(" ")[0]] if word.startswith(sejong) else [other],
        orgs=[], dateline=r.choice(m.DECOY_DATELINES), section=r.choice(m.SECTIONS["decoy"]),
        category_kind="decoy",
    )


def places_in(paragraphs: list[str], title: str) -> list[str]:
    """BigKinds-style 위치 entities: each city named in the text and every known place of it."""
    text = title + " " + " ".join(paragraphs)
    found: list[str] = []
    for city in m.CITIES:
        if m.CITY_NAME[city] in text:
            found.append(m.CITY_NAME[city])
        found += [p for p in m.PLACES[city] if p in text]
    return list(dict.fromkeys(found))
