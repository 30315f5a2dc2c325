"""Smart-city relevance and topic labels for articles, from the lexicon in topic_lexicon.tsv.

Each lexicon term has a label (one of the nine topics of DESIGN.md, or ``relevance`` for generic
smart-city words such as 스마트시티, 스마트도시, 4차 산업혁명) and a weight. An article's terms are
found in its title and text — or, for BigKinds rows with a lead-only body, in its 키워드 list,
where compounds arrive split (``자율,주행``). Every term adds ``weight × (1 + ln n)`` to its label,
where ``n`` counts mentions with title mentions doubled: repeated words matter, but with
diminishing returns, so a long story does not win on length alone.

An article is smart-city coverage when the total reaches ``min_score`` AND at least one anchor
term fired (a term of weight ≥ ``anchor_weight``, e.g. 스마트시티, 자율주행) — or, without an
anchor, the story is saturated with the lexicon (a score of ``SATURATED_SCORE`` from at least
``SATURATED_TERMS`` distinct service terms of weight ≥ 1, e.g. 공공데이터 + 데이터센터; budget,
company and housing words do not count here) — AND it is civic: a strong
relevance term, or a civic context word (시민, 지자체, 구청 …) or a place of the regions file —
AND the smart-city terms are salient: in the title, or at least ``MIN_DENSITY`` mentions per
100 words (or keywords), so a long story that names CCTV or AI once is not about smart cities.
Common words that also fit other news (데이터, 예산, 협약, 기업) can add up but never decide
alone, so a sports story full of '데이터' or a phone review with 스마트폰 stays out, and a fund
report on IoT and autonomous-driving shares with no city in it is technology news.

Topics are the labels whose own score reaches the label's threshold in
``topic_thresholds.tsv`` (``min_topic_score`` for labels it does not list), and only on
smart-city articles.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import math
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.tagging import model as tag_model
from lib.tagging import tokens
from lib.tagging import topic_model
from lib.tagging import resources as lexicon
from lib.tagging.resources import (
    CONTEXT_LABEL,
    RELEVANCE_LABEL,
    ArticleTexts,
    TermMatcher,
    keyword_tokens,
    no_cycle_collection,
    text_shapes,
)
from lib.vocabulary import get_vocabulary

TITLE_WEIGHT = 2.0
MIN_CONTEXT = 1  # civic context mentions needed without a strong relevance term
# Without an anchor term, a story is still smart-city coverage when it is saturated with the
# lexicon: this score, this many distinct terms of weight >= 1 from service labels (not the
# economy labels), from this many labels.
SATURATED_SCORE = 6.0
SATURATED_TERMS = 2
SATURATED_LABELS = 1
# Budgets, companies and housing fill economy, election and property pages too: the words of
# topics marked `everyday_words` in topics.toml count for topics but not towards saturation or
# salience.
MIN_SCORE = 4.0
# Salience: at least this many smart-city mentions per 100 units of text (keywords of a
# BigKinds row, or CHARS_PER_UNIT non-space characters of running text, about one word),
# unless a smart-city term is in the title. Chosen on the real BigKinds downloads (general
# news, hand-checked): 1.0 halves passing-mention false positives (11 -> 6 of 1,226) at a cost of 0.008 sample F1.
MIN_DENSITY = 1.0
CHARS_PER_UNIT = 3.5
MIN_TOPIC_SCORE = 2.0  # for labels topic_thresholds.tsv does not list
#: At most this many topics per smart-city article (the labelling rules give one to five).
MAX_TOPICS = 5
ANCHOR_WEIGHT = 2.0
#: Articles weighed by the smart-city model at a time (their nouns and features are held per block).
MODEL_BLOCK = 2_000
#: Articles whose texts are matched together; what was found is held for one block at a time.
ROWS_PER_PASS = 10_000

#: The wide columns :func:`tag_topics` adds. ``topics`` holds a tuple of topic keys per article.
TAG_COLUMNS: tuple[str, ...] = ("smart_city", "smart_city_score", "topics", "topic_evidence")
#: The long tables: the topics each article carries, and every lexicon term that fired.
ARTICLE_TOPIC_COLUMNS: tuple[str, ...] = ("article_id", "topic", "score", "terms")
TOPIC_TERM_COLUMNS: tuple[str, ...] = ("article_id", "label", "term", "count")


class _Lexicon:
    """The topic lexicon compiled for matching, with the per-label topic thresholds."""

    def __init__(
        self, table: pd.DataFrame, thresholds: dict[str, float], places: frozenset[str]
    ) -> None:
        vocabulary = get_vocabulary()
        self.topic_keys = vocabulary.topic_keys
        self.everyday = vocabulary.everyday_topics
        self.thresholds = thresholds
        forms: dict[str, str] = {}
        context: dict[str, str] = {}
        self.label: dict[str, str] = {}
        self.weight: dict[str, float] = {}
        for label, term, syns, weight in table.itertuples(index=False):
            target = context if label == CONTEXT_LABEL else forms
            if label != CONTEXT_LABEL:
                self.label[term] = label
                self.weight[term] = float(weight)
            for form in (term, *syns):
                target[form] = term
        self.matcher = TermMatcher(forms, auto_split=True)
        self._term_info: dict[float, dict[str, tuple[float, str, bool, bool, bool]]] = {}
        # Places of the regions file (cities, districts, the regions of Korea) are civic
        # context too: city news names its city.
        context.update({p: p for p in places})
        # Matched on their own, so 시민참여단 (a topic term) still shows 시민 as civic context.
        self.context = TermMatcher(context, auto_split=False)
        # For keyword lists: every way to cut a form into nouns of 2+ characters, indexed by
        # the first piece ("디지털트윈" -> 디지털 + 트윈).
        self.pieces: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for form, term in forms.items():
            compact = form.replace(" ", "")
            for cut in _segmentations(compact):
                self.pieces[cut[0]].append((term, cut))


    def term_info(self, anchor_weight: float) -> dict[str, tuple[float, str, bool, bool, bool]]:
        """Per term: its weight and label, and whether it anchors (weight at least
        ``anchor_weight``), is specific (weight at least 1 and not of an everyday label) and
        is salient (specific, or an anchoring relevance term). Made once per anchor weight."""
        info = self._term_info.get(anchor_weight)
        if info is None:
            info = self._term_info[anchor_weight] = {}
            for term, weight in self.weight.items():
                label = self.label[term]
                anchor = weight >= anchor_weight
                specific = weight >= 1.0 and label not in self.everyday
                info[term] = (weight, label, anchor, specific,
                              specific or (label == RELEVANCE_LABEL and anchor))
        return info


def _segmentations(form: str, max_pieces: int = 4) -> list[tuple[str, ...]]:
    """All cuts of ``form`` into 2..max_pieces pieces of at least two characters."""
    out: list[tuple[str, ...]] = []

    def walk(rest: str, acc: tuple[str, ...]) -> None:
        if not rest:
            if len(acc) >= 2:
                out.append(acc)
            return
        if len(acc) >= max_pieces:
            return
        for i in range(2, len(rest) + 1):
            if len(rest) - i == 1:
                continue
            walk(rest[i:], acc + (rest[:i],))

    if len(form) >= 4:
        walk(form, ())
    return out


def _is_frequency_list(tokens: list[str]) -> bool:
    """True when every keyword's repeats sit together (``자율,자율,자율,주행,주행``): a noun
    frequency table rather than nouns in text order, so split compounds are no longer
    neighbours. BigKinds' own 키워드 keep text order, where repeats are scattered."""
    # No keyword next to a copy of itself: all distinct, or repeats scattered (text order).
    if not any(map(operator.eq, tokens, islice(tokens, 1, None))):
        return False
    runs = 1 + sum(map(operator.ne, tokens, tokens[1:]))
    return runs == len(set(tokens))


#: The bag counts of a keyword list that is no frequency list: shared, never changed.
_NO_BAG: Counter = Counter()


def _bag_counts(tokens: list[str], lex: _Lexicon) -> Counter:
    """Lexicon terms whose parts all occur in a noun frequency list, anywhere: n = the
    rarest part.

    In a frequency table of a story's nouns (see ``_is_frequency_list``) a compound split by
    the analyser (디지털 … 트윈) is still evidence of the compound when its parts are not
    neighbours. Keyword lists in text order are left to the neighbour matching (and get
    :data:`_NO_BAG`, which callers must not change).
    """
    if not _is_frequency_list(tokens):
        return _NO_BAG
    found: Counter = Counter()
    bag = Counter(tokens)
    for token in bag:
        for term, cut in lex.pieces.get(token, ()):
            if all(p in bag for p in cut):
                counts = [bag[p] for p in cut]
                n = min(counts)
                # Parts seen once each may well come from unrelated words: need two. And the
                # parts of a real split compound occur about equally often; when one part is
                # far more frequent (도시×9, 시범×2) it lives its own life in other words.
                if n >= 2 and max(counts) <= 2 * n and n > found[term]:
                    found[term] = n
    return found


@functools.cache
def _compiled(directory: str, regions_file: Path, _digest: str) -> _Lexicon:
    return _Lexicon(
        lexicon.load_topic_lexicon(directory),
        lexicon.load_topic_thresholds(directory),
        _region_places(regions_file),
    )


def _region_places(regions_file: Path) -> frozenset[str]:
    """City names and places of the regions file (empty when there is none)."""
    if not regions_file.exists():
        return frozenset()
    from lib.tagging.regions import load_region_rules

    rules = load_region_rules(regions_file)
    names = {n for city in rules.cities for n in (*city.names, *city.places)}
    return frozenset(names)


def _lexicon(resources: str | Path | None) -> _Lexicon:
    folder = lexicon.resources_dir(resources)
    # The regions file in use ($REGIONS_FILE) unless a resource folder of its own is given.
    regions_file = paths.regions_file() if resources is None else folder / lexicon.REGIONS_FILE
    fp = lexicon.resource_fingerprint(folder)
    digest = "|".join(
        [fp.get(name, "") for name in (lexicon.TOPIC_LEXICON_FILE, lexicon.TOPIC_THRESHOLDS_FILE)]
        + [_file_digest(regions_file), _file_digest(paths.topics_file())]
    )
    return _compiled(str(folder), regions_file, digest)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else ""


def _fmt_terms(counts: dict[str, float]) -> str:
    return ", ".join(
        term if n == 1 else f"{term}×{int(n)}"
        for term, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )


def _score(
    terms: Iterable[tuple[str, int, int]],
    n_units: float,
    n_context: int,
    lex: _Lexicon,
    info: dict[str, tuple[float, str, bool, bool, bool]],
    thresholds: _Thresholds,
    min_score: float,
) -> _Result:
    """One article's decision from its lexicon terms, each once as ``(term, mentions in the
    title, mentions in the text)`` (keywords or running text, title terms already taken out),
    its length in units and its civic context mentions. ``info`` is
    :meth:`_Lexicon.term_info`; ``thresholds`` the topics' thresholds."""
    label_scores: dict[str, float] = {}
    label_terms: dict[str, dict[str, float]] = {}
    label_title: dict[str, int] = {}
    anchored = False
    strong_relevance = False
    n_specific = 0
    specific_labels: set[str] = set()
    # Salience: smart-city terms must make up a visible part of the story, not a passing
    # mention in a long one (an apartment advert naming its CCTV, a budget story listing AI).
    # Salient terms are the specific ones and the anchoring relevance terms.
    n_salient = 0
    title_hit = False
    one_plus_log = _ONE_PLUS_LOG
    for term, n_title, n_text in terms:
        weight, label, anchor, specific, salient_term = info[term]
        mentions = n_text + TITLE_WEIGHT * n_title
        factor = one_plus_log.get(mentions)
        if factor is None:
            factor = 1.0 + math.log(mentions)
        found = label_terms.get(label)
        if found is None:
            label_scores[label] = 0.0 + weight * factor
            label_terms[label] = {term: n_title + n_text}
        else:
            label_scores[label] += weight * factor
            found[term] = n_title + n_text
        if n_title:
            label_title[label] = label_title.get(label, 0) + n_title
            title_hit = title_hit or salient_term
        if anchor:
            anchored = True
            strong_relevance = strong_relevance or label == RELEVANCE_LABEL
        if specific:
            n_specific += 1
            specific_labels.add(label)
        if salient_term:
            n_salient += n_title + n_text

    score = round(sum(label_scores.values()), 3)
    civic = strong_relevance or n_context >= MIN_CONTEXT
    saturated = (
        score >= SATURATED_SCORE
        and n_specific >= SATURATED_TERMS
        and len(specific_labels) >= SATURATED_LABELS
    )
    salient = title_hit or n_salient >= MIN_DENSITY * n_units / 100
    smart = civic and score >= min_score and (anchored or saturated) and salient
    candidates = thresholds.reached(label_scores)
    topics = one_to_five(candidates, label_scores, lex.topic_keys) if smart else ()
    signals = {
        "context": float(n_context),
        "density": 100.0 * n_salient / max(n_units, 1.0),
        "anchored": float(anchored),
        "title_hit": float(title_hit),
        "rule": float(smart),
        "units": float(n_units),
    }
    return _Result(smart, score, topics, label_scores, label_terms, signals, candidates,
                   label_title=label_title)


#: ``1 + ln n`` for the mention counts n (title mentions weighed) of most terms: the values
#: ``math.log`` gives, looked up.
_ONE_PLUS_LOG = {float(n): 1.0 + math.log(float(n)) for n in range(1, 256)}


class _Thresholds:
    """The topics' score thresholds (``thresholds.get(topic, default)``), in topic order."""

    def __init__(self, topic_keys: tuple[str, ...], thresholds: dict[str, float],
                 default: float) -> None:
        self.pairs = [(key, thresholds.get(key, default)) for key in topic_keys]
        self.of = dict(self.pairs)
        self.order = {key: k for k, key in enumerate(topic_keys)}
        # A topic without a score (0.0) reaches a threshold of at most 0: every topic must be
        # looked at then, not only the scored ones.
        self.some_free = any(t <= 0.0 for _key, t in self.pairs)

    def reached(self, label_scores: dict[str, float]) -> tuple[str, ...]:
        """The topics whose score (0.0 when absent from ``label_scores``) reaches their
        threshold, in topic order."""
        if self.some_free:
            return tuple(key for key, t in self.pairs if label_scores.get(key, 0.0) >= t)
        of = self.of
        found = [lab for lab, score in label_scores.items()
                 if lab in of and score >= of[lab]]
        if len(found) > 1:
            found.sort(key=self.order.__getitem__)
        return tuple(found)


def _title_and_text(title: Counter, text: Counter) -> list[tuple[str, int, int]]:
    """Every term of ``title`` or ``text`` once, as ``(term, n in title, n in text)``."""
    get = text.get
    out = [(term, n, get(term, 0)) for term, n in title.items()]
    if title:
        out += [(term, 0, n) for term, n in text.items() if term not in title]
    else:
        out += [(term, 0, n) for term, n in text.items()]
    return out


def _title_and_keywords(title: Counter, keywords: Counter,
                        bag: Counter) -> list[tuple[str, int, int]]:
    """:func:`_title_and_text` for a keyword list that begins with the title's words: a term
    counts ``max(n in keywords, n in bag) - n in title`` times in the text (``(keywords | bag)
    - title`` as Counters), and a term left with no mention in the text or title drops out."""
    out = []
    if not bag:
        get = keywords.get
        for term, n in title.items():
            n_text = get(term, 0) - n
            out.append((term, n, n_text if n_text > 0 else 0))
        out += [(term, 0, n) for term, n in keywords.items() if term not in title]
        return out
    for term, n in title.items():
        n_text = max(keywords.get(term, 0), bag.get(term, 0)) - n
        out.append((term, n, n_text if n_text > 0 else 0))
    for term, n in keywords.items():
        if term not in title:
            out.append((term, 0, max(n, bag.get(term, 0))))
    for term, n in bag.items():
        if term not in title and term not in keywords:
            out.append((term, 0, n))
    return out


def one_to_five(candidates: tuple[str, ...], label_scores: dict[str, float],
                order: tuple[str, ...]) -> tuple[str, ...]:
    """A smart-city article's topics from its lexicon candidates, one to :data:`MAX_TOPICS`
    as the labelling rules give them: the best-scoring topic with any evidence when no topic
    reaches its threshold, the highest-scoring ones when more than the maximum do; in
    ``order``."""
    if not candidates:
        scored = [k for k in order if label_scores.get(k, 0.0) > 0]
        if not scored:
            return ()
        best = max(scored, key=lambda k: (label_scores[k], -order.index(k)))
        return (best,)
    if len(candidates) <= MAX_TOPICS:
        return candidates
    kept = sorted(candidates, key=lambda k: (-label_scores.get(k, 0.0), order.index(k)))
    return tuple(k for k in order if k in kept[:MAX_TOPICS])


def _score_all(
    texts: ArticleTexts, lex: _Lexicon, min_score: float, min_topic_score: float,
    anchor_weight: float,
) -> list[_Result]:
    """Every article's lexicon decision, in row order.

    An article is read from its title and either its 키워드 list (BigKinds rows with a lead
    only) or its running text (subtitle, body, captions), :data:`ROWS_PER_PASS` articles at a
    time.
    """
    # What an article without a single lexicon term gets (its length and context vary).
    no_candidates = tuple(
        lab for lab in lex.topic_keys if 0.0 >= lex.thresholds.get(lab, min_topic_score)
    )
    results = []
    for start in range(0, texts.n, ROWS_PER_PASS):
        rows = range(start, min(texts.n, start + ROWS_PER_PASS))
        results += _score_rows(texts, rows, lex, no_candidates, min_score, min_topic_score,
                               anchor_weight)
    return results


def _score_rows(
    texts: ArticleTexts, rows: range, lex: _Lexicon, no_candidates: tuple[str, ...],
    min_score: float, min_topic_score: float, anchor_weight: float,
) -> list[_Result]:
    """The decisions of articles ``rows`` of ``texts``: each matcher runs once over their
    titles and once over their texts."""
    title = texts.title[rows.start : rows.stop]
    main = [texts.keywords[i] if texts.use_keywords[i] else texts.rest[i] for i in rows]
    title_terms = lex.matcher.term_counts(title)
    main_terms = lex.matcher.term_counts(main)
    context_title = lex.context.count(title)
    context_main = lex.context.count(main)
    info = lex.term_info(anchor_weight)
    thresholds = _Thresholds(lex.topic_keys, lex.thresholds, min_topic_score)
    n_chars, n_items = text_shapes(main)
    use_keywords = texts.use_keywords[rows.start : rows.stop]
    results = []
    for j, keywords in enumerate(use_keywords):
        bag = None
        if not keywords:
            n_units: float = n_chars[j] / CHARS_PER_UNIT
        elif n_items[j] >= 0:
            # No keyword next to a copy of itself: no frequency list, so no bag.
            n_units, bag = n_items[j], _NO_BAG
        else:
            tokens = keyword_tokens(main[j])
            n_units, bag = len(tokens), _bag_counts(tokens, lex)
        n_context = context_title[j] + context_main[j]
        title_counts, text_counts = title_terms[j], main_terms[j]
        if not title_counts and not text_counts and not bag:
            signals = {
                "context": float(n_context),
                "density": 100.0 * 0 / max(n_units, 1.0),
                "anchored": 0.0,
                "title_hit": 0.0,
                "rule": 0.0,
                "units": float(n_units),
            }
            results.append(_Result(False, 0, (), {}, defaultdict(dict), signals, no_candidates))
            continue
        if keywords and (bag or title_counts):
            # The keyword list begins with the title's words: count those once, as title.
            # (With neither, the text's counts are the keyword list's as they are.)
            terms = _title_and_keywords(title_counts, text_counts, bag)
        else:
            terms = _title_and_text(title_counts, text_counts)
        results.append(_score(terms, n_units, n_context, lex, info, thresholds, min_score))
    return results


@dataclass(slots=True)
class _Result:
    """One article's tags: the decision, the topic keys, and the scores and terms per label."""

    smart_city: bool
    score: float
    topics: tuple[str, ...]
    label_scores: dict[str, float]
    label_terms: dict[str, dict[str, float]]
    signals: dict[str, float]
    candidate_topics: tuple[str, ...] = ()
    model_evidence: str = ""
    #: Title mentions of each label's terms (labels with none are absent).
    label_title: dict[str, int] = field(default_factory=dict)
    #: The topic model's probability of each topic (vocabulary order) for a smart-city article
    #: it decided; empty otherwise.
    topic_probabilities: tuple[float, ...] = ()

    def evidence(self, order: tuple[str, ...]) -> str:
        """``relevance:스마트시티×4;<topic>:자율주행×3`` in label display order."""
        parts = [
            f"{lab}:{_fmt_terms(self.label_terms[lab])}"
            for lab in (RELEVANCE_LABEL, *order)
            if self.label_terms.get(lab)
        ]
        if self.model_evidence:
            parts.append(self.model_evidence)
        return ";".join(parts)


def tag_topics(
    articles: pd.DataFrame,
    *,
    resources: str | Path | None = None,
    min_score: float = MIN_SCORE,
    min_topic_score: float = MIN_TOPIC_SCORE,
    anchor_weight: float = ANCHOR_WEIGHT,
    use_model: bool = True,
) -> pd.DataFrame:
    """Smart-city relevance and topics of each article; a DataFrame with the same index.

    Columns: ``smart_city`` (bool), ``smart_city_score`` (float, sum of term contributions),
    ``topics`` (a tuple of topic keys of ``lib.vocabulary``, empty when none), and
    ``topic_evidence`` (the readable terms that fired per label, e.g.
    ``relevance:스마트시티×4;<topic>:자율주행×3;<topic>:디지털트윈``; the same as long tables
    from :func:`topic_tables`). Reads ``title``, ``subtitle``, ``body``, ``captions``, and
    ``keywords`` for rows whose body is a lead only. Lexicon: ``topic_lexicon.tsv`` in
    ``resources`` (default the project's); ``use_model=False`` leaves the smart-city decision to
    the lexicon rules even when a model ships (see :func:`score_topics`).
    """
    results = score_topics(
        articles, resources=resources, min_score=min_score, min_topic_score=min_topic_score,
        anchor_weight=anchor_weight, use_model=use_model,
    )
    return wide_topic_columns(results, articles.index)


def score_topics(
    articles: pd.DataFrame,
    *,
    resources: str | Path | None = None,
    min_score: float = MIN_SCORE,
    min_topic_score: float = MIN_TOPIC_SCORE,
    anchor_weight: float = ANCHOR_WEIGHT,
    use_model: bool = True,
    texts: ArticleTexts | None = None,
) -> list[_Result]:
    """Every article's topic decision with its scores and terms, in row order.

    With ``use_model`` (default) and a model file in the resources (``tag_model.tsv``, see
    :mod:`lib.tagging.model`), the model decides ``smart_city`` and the topics from the
    lexicon evidence and the article's nouns, and says so in the evidence; without one, the
    lexicon rules decide alone. ``texts`` is the articles'
    :class:`~lib.tagging.resources.ArticleTexts` when the caller has it already.
    """
    lex = _lexicon(resources)
    if texts is None:
        texts = ArticleTexts(articles)
    with no_cycle_collection():
        results = _score_all(texts, lex, min_score, min_topic_score, anchor_weight)
    model = tag_model.load_model(resources) if use_model else None
    chooser = topic_model.load_topic_model(resources) if use_model else None
    if model is None and chooser is None:
        return results
    hints = topic_model.load_hints(resources) if chooser is not None else {}
    needs_nouns = chooser is not None or (model is not None and model.uses_nouns)
    for block, nouns in _smart_city_blocks(articles, results, model, lex, resources, needs_nouns):
        if chooser is not None:
            _choose_topics(chooser, [results[i] for i in block], nouns, lex, hints, min_topic_score)
    return results


def _smart_city_blocks(
    articles: pd.DataFrame, results: list[_Result], model: tag_model.TagModel | None,
    lex: _Lexicon, resources: str | Path | None, needs_nouns: bool,
) -> Iterator[tuple[list[int], tokens.NounCounts | None]]:
    """The rows of the articles with lexicon evidence, :data:`MODEL_BLOCK` at a time, with
    their nouns (when ``needs_nouns``), once the smart-city ``model`` (if any) has decided
    their ``results``: the block's row numbers and nouns."""
    vetoes = tag_model.load_vetoes(resources) if model is not None else []
    # The model weighs lexicon evidence: an article with none is not smart-city coverage, and
    # is not tokenized for it (on general news that is most articles).
    weighed = [i for i, r in enumerate(results) if r.score > 0]
    # In blocks: the nouns and feature dicts of 100,000 articles at once take gigabytes.
    for start in range(0, len(weighed), MODEL_BLOCK):
        block = weighed[start : start + MODEL_BLOCK]
        frame = articles.iloc[block]
        if "article_id" not in frame.columns:
            frame = frame.assign(article_id=[f"row{i}" for i in block])
        chosen = [results[i] for i in block]
        frame = frame.assign(article_id=frame["article_id"].astype(str))
        nouns = tokens.noun_counts(frame) if needs_nouns else None
        if model is not None:
            decisions = tag_model.decide_smart_city_nouns(model, chosen, nouns,
                                                          resources=resources)
            vetoed = tag_model.vetoed(vetoes, nouns, len(block))
            for result, (smart, evidence), veto in zip(chosen, decisions, vetoed, strict=True):
                if smart and veto:
                    smart, evidence = False, f"{evidence}; {veto}: not smart-city coverage"
                result.smart_city = smart
                result.topics = (one_to_five(result.candidate_topics, result.label_scores,
                                             lex.topic_keys) if smart else ())
                result.model_evidence = evidence
        yield block, nouns


class TopicTrials:
    """Articles scored once, smart-city decisions made, so that many topic models can be tried
    on them (``make train`` tries hundreds of settings on the synthetic sample):
    :meth:`topics_with` gives each article's topics as :func:`score_topics` would with that
    topic model in the resources, through the same code, without scoring and tokenizing the
    articles again. ``resources`` holds the smart-city model (its topic model is not used)."""

    def __init__(self, articles: pd.DataFrame, *, resources: str | Path | None = None,
                 min_topic_score: float = MIN_TOPIC_SCORE) -> None:
        self._lex = _lexicon(resources)
        with no_cycle_collection():
            self._results = _score_all(ArticleTexts(articles), self._lex, MIN_SCORE,
                                       min_topic_score, ANCHOR_WEIGHT)
        self._hints = topic_model.load_hints(resources)
        self._min_topic_score = min_topic_score
        model = tag_model.load_model(resources)
        self._blocks = list(_smart_city_blocks(articles, self._results, model, self._lex,
                                               resources, needs_nouns=True))

    @property
    def smart_city(self) -> np.ndarray:
        """The smart-city decisions, row for row."""
        return np.array([bool(r.smart_city) for r in self._results], dtype=bool)

    def topics_with(self, chooser: topic_model.TopicModel | None) -> list[tuple[str, ...]]:
        """Each article's topics with ``chooser`` as the topic model (None: none, the lexicon's
        topics of the smart-city articles), row for row."""
        if chooser is None:
            return [tuple(r.topics) for r in self._results]
        results = [copy.copy(r) for r in self._results]
        for block, nouns in self._blocks:
            _choose_topics(chooser, [results[i] for i in block], nouns, self._lex, self._hints,
                           self._min_topic_score)
        return [tuple(r.topics) for r in results]


def topic_feature_rows(
    results: list[_Result], terms: list[Counter] | None, *,
    resources: str | Path | None = None, min_topic_score: float = MIN_TOPIC_SCORE,
) -> list[list[dict[str, float]]]:
    """Per article, the pooled topic model's feature dicts (one per topic, vocabulary order)
    from its lexicon result and nouns; see :func:`lib.tagging.topic_model.topic_features`."""
    lex = _lexicon(resources)
    hints = topic_model.load_hints(resources)
    return [
        topic_model.topic_features(
            r, terms[i] if terms is not None else None, weights=lex.weight,
            thresholds=lex.thresholds, hints=hints, min_topic_score=min_topic_score)
        for i, r in enumerate(results)
    ]


def _choose_topics(chooser: topic_model.TopicModel, results: list[_Result],
                   nouns: tokens.NounCounts | None, lex: _Lexicon,
                   hints: dict[str, frozenset[str]], min_topic_score: float) -> None:
    """Set the topics of the smart-city ``results`` (whose nouns are the rows of ``nouns``)
    from the pooled topic model (see :mod:`lib.tagging.topic_model`) and add its
    probabilities to their evidence."""
    smart = [i for i, result in enumerate(results) if result.smart_city]
    if not smart:
        return
    chosen = [results[i] for i in smart]
    rows = _noun_rows(nouns, smart)
    component = chooser.nouns if chooser.noun_share > 0 and rows is not None else None
    # The noun component's input, made once: for the probabilities and for the evidence.
    inputs = component.inputs(rows, len(chosen)) if component is not None else None
    probabilities_all = topic_model.probabilities_many(
        chooser, chosen, rows, weights=lex.weight, thresholds=lex.thresholds, hints=hints,
        min_topic_score=min_topic_score, noun_inputs=inputs)
    evidence = np.array([[r.label_scores.get(k, 0.0) > 0 for k in lex.topic_keys]
                         for r in chosen], dtype=bool).reshape(len(chosen), len(lex.topic_keys))
    decided = topic_model.choose_topics_many(chooser, probabilities_all, evidence,
                                             [r.topics for r in chosen], lex.topic_keys)
    for i, (result, row, topics) in enumerate(zip(chosen, probabilities_all, decided,
                                                   strict=True)):
        probabilities = row.tolist()
        result.topic_probabilities = tuple(probabilities)
        result.topics = topics
        leading = ({t: component.leading(inputs, i, lex.topic_keys.index(t))
                    for t in result.topics} if component is not None else None)
        why = topic_model.explain(result.topics, probabilities, lex.topic_keys, leading)
        result.model_evidence = "; ".join(filter(None, (result.model_evidence, why)))


def _noun_rows(nouns: tokens.NounCounts | None, rows: list[int]) -> tokens.NounCounts | None:
    """The nouns of ``rows`` (positions in ``nouns``, increasing), renumbered from 0."""
    if nouns is None:
        return None
    position = np.full(nouns.n_rows, -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    kept = position[nouns.article] >= 0
    return tokens.NounCounts(len(rows), position[nouns.article[kept]], nouns.term[kept],
                             nouns.count[kept])


def wide_topic_columns(results: list[_Result], index: pd.Index) -> pd.DataFrame:
    """The :data:`TAG_COLUMNS` of :func:`tag_topics` from :func:`score_topics` results."""
    order = get_vocabulary().topic_keys
    return pd.DataFrame(
        {
            "smart_city": pd.Series([r.smart_city for r in results], index=index, dtype=bool),
            "smart_city_score": pd.Series(
                [r.score for r in results], index=index, dtype="float64"
            ),
            "topics": pd.Series([r.topics for r in results], index=index, dtype=object),
            "topic_evidence": pd.Series(
                [r.evidence(order) for r in results], index=index, dtype=str
            ),
        },
        index=index,
    )


def topic_tables(
    article_ids: list[str], results: list[_Result]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long tables ``(article_topics, topic_terms)``.

    ``article_topics``: ``article_id, topic, score, terms``, one row per topic an article
    carries (``score`` the label's score, ``terms`` its readable terms ``자율주행×3,BRT``).
    ``topic_terms``: ``article_id, label, term, count``, one row per lexicon term that fired
    (``label`` a topic key, ``relevance``), whether or not the article became smart-city.
    """
    topics, terms = [], []
    for art_id, r in zip(article_ids, results):
        for topic in r.topics:
            topics.append(
                (art_id, topic, round(r.label_scores.get(topic, 0.0), 3),
                 _fmt_terms(r.label_terms.get(topic, {})) or "(model: nouns only)")
            )
        for label, counts in r.label_terms.items():
            terms.extend(zip(repeat(art_id), repeat(label), counts, map(int, counts.values())))
    article_topics = pd.DataFrame.from_records(topics, columns=list(ARTICLE_TOPIC_COLUMNS))
    article_topics["score"] = article_topics["score"].astype("float64")
    topic_terms = pd.DataFrame.from_records(terms, columns=list(TOPIC_TERM_COLUMNS))
    topic_terms["count"] = topic_terms["count"].astype("int64")
    return article_topics, topic_terms
