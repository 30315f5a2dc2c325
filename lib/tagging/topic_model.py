"""Which of a smart-city article's candidate topics are substantive: one pooled model.

The topic lexicon (:mod:`lib.tagging.topics`) fires on words used in passing: an
autonomous-shuttle story that names its budget once scores for the budget topic too, and a
story about a pilot city's plan may name none of the lexicon's plan words. Labels are the article's substantive themes.
This module decides, for every (article, topic) pair, whether the topic is substantive, with
one logistic regression over the topic's *evidence profile*, pooled over all topics (nine
topics' examples in one model instead of a few dozen per topic):

- the lexicon evidence of the topic: its score, mentions, distinct terms, strongest term
  weight, title mentions, its share of the article's topic evidence, its rank among the
  topics, and whether it reaches the lexicon threshold of ``topic_thresholds.tsv``;
- hint words of the topic (``topic_hints.tsv``: ordinary nouns such as 예산, 계획, 버스 that
  are too common to count as lexicon evidence): their mentions among the article's nouns,
  their share of all topics' hint mentions and their density;
- the article: its generic smart-city (``relevance``) score, how many topics have evidence,
  its length;
- the topic itself (one indicator per topic, and per topic the slope of its score share and
  hint share), so each topic keeps its own base rate.

Beside that profile, a model may carry a *noun component* (``topic_nouns.tsv``): per topic, a
logistic regression over the article's nouns (log counts, scaled to unit length), which hears
what the lexicon does not list (a budget story's 예산, 의회, 편성; a pilot city's 입주, 생활권).
A topic's probability is then ``noun_share`` times the noun component's plus the rest times the
profile's; the candidates a topic can be chosen from stay those with lexicon evidence, so every
chosen topic still names the words behind it.

A smart-city article carries the topics whose probability reaches the model's threshold, at
least one (the most probable) when ``at_least_one`` is set, at most ``max_topics``; a
lexicon-first model (``keep_threshold`` set, the kind ``make train`` ships) instead starts from
the topics the lexicon thresholds give, drops those below ``keep_threshold``, adds other topics
with evidence from ``threshold`` up (both per topic where the model has its own pair for the
topic: ``topic_thresholds``, tuned by :func:`tune_topic_thresholds`), and keeps the most
probable lexicon topic when it would drop them all. The fit
(``make train``, :mod:`lib.tagging.train`) uses the dev part of the labelled real articles
only; the pooled setting (C, threshold, at-least-one) is chosen by repeated cross-validation
there. The weights ship as a readable TSV (``lib/resources/topic_model.tsv``); without that
file the lexicon thresholds decide alone. Every article's evidence names the probabilities of
its topics and the nouns that raised each most (``topics p: <topic> 0.82 (버스, 노선), <topic> 0.41``).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lib.tagging.resources import (
    RELEVANCE_LABEL,
    read_once,
    read_weight_lines,
    read_word_lists,
    resources_dir,
)
from lib.vocabulary import get_vocabulary

if TYPE_CHECKING:
    from lib.tagging.tokens import NounCounts

MODEL_FILE = "topic_model.tsv"
HINTS_FILE = "topic_hints.tsv"
NOUNS_FILE = "topic_nouns.tsv"
TARGET = "topic"
#: At most this many topics per article (the labelling rules allow one to five).
MAX_TOPICS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0)
THRESHOLD_GRID = tuple(float(t) for t in np.round(np.arange(0.2, 0.61, 0.05), 2))
#: Lexicon-first settings (:func:`choose_topics`): the probability a lexicon topic needs to
#: stay, and the one another topic with evidence needs to be added.
KEEP_GRID = (0.1, 0.15, 0.2, 0.25, 0.3)
ADD_GRID = (0.5, 0.6, 0.7, 0.8)
#: The noun component's share of a topic's probability (0: the evidence profile alone).
NOUN_SHARE_GRID = (0.0, 0.25, 0.5, 0.75)
#: The noun component's penalty (C of each topic's logistic regression; chosen once by
#: cross-validation on the 674 dev articles labelled smart-city of the eighth labelling round,
#: where 3, 10 and 30 scored within 0.01) and the fewest fitted articles a noun must occur in
#: to get a weight.
NOUN_C = 10.0
NOUN_MIN_ARTICLES = 2


@dataclass
class NounWeights:
    """The noun component: per topic, a logistic regression over an article's nouns.

    An article's input is ``log(1 + count)`` of each of its nouns that has a weight, the whole
    scaled to unit length; ``weights`` is nouns × topics (vocabulary order), ``intercepts`` one
    per topic.
    """

    terms: tuple[str, ...]
    weights: np.ndarray
    intercepts: np.ndarray
    meta: dict[str, str] = field(default_factory=dict)
    index: pd.Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.index = pd.Index(self.terms)

    def probabilities(self, nouns: NounCounts | None, n: int, *, inputs=None) -> np.ndarray:
        """Articles × topics: each topic's probability from the nouns of ``nouns``' rows
        (``n`` rows; an article without nouns gets the intercepts alone), or from ``inputs``
        when the caller has them (:meth:`inputs`)."""
        if inputs is None and nouns is None:
            return np.broadcast_to(_sigmoid(self.intercepts), (n, len(self.intercepts))).copy()
        x = inputs if inputs is not None else self.inputs(nouns, n)
        return _sigmoid(x @ self.weights + self.intercepts)

    def inputs(self, nouns: NounCounts, n: int):
        """Articles × weighted nouns: the component's input (see :class:`NounWeights`)."""
        return _noun_matrix(nouns.article, nouns.term, nouns.count, n, self.index)

    def inputs_of(self, terms: Sequence[Counter]):
        """:meth:`inputs` of articles given as one noun ``Counter`` each."""
        return _noun_matrix(*_flat(terms), len(terms), self.index)

    def leading(self, inputs, row: int, topic: int, *, top: int = 2) -> tuple[str, ...]:
        """The ``top`` nouns of article ``row`` of ``inputs`` (:meth:`inputs`) that raise
        topic ``topic`` (its index in the vocabulary) the most, strongest first."""
        start, end = inputs.indptr[row], inputs.indptr[row + 1]
        columns = inputs.indices[start:end]
        push = inputs.data[start:end] * self.weights[columns, topic]
        order = np.argsort(-push, kind="stable")[:top]
        return tuple(self.terms[columns[k]] for k in order if push[k] > 0)

    def write(self, path: str | Path) -> Path:
        """A TSV: ``#`` metadata lines, a ``noun<TAB><topic>…`` header, an ``(intercept)`` row,
        then one row per noun with its weight for every topic."""
        path = Path(path)
        keys = get_vocabulary().topic_keys
        lines = [f"# {k}\t{v}" for k, v in self.meta.items()]
        lines.append("\t".join(("noun", *keys)))
        lines.append("\t".join(("(intercept)", *(f"{v:.6g}" for v in self.intercepts))))
        for term, row in zip(self.terms, self.weights, strict=True):
            lines.append("\t".join((term, *(f"{v:.6g}" for v in row))))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: str | Path) -> NounWeights:
        """The component written by :meth:`write`; a malformed line raises naming file and
        line."""
        path = Path(path)
        keys = get_vocabulary().topic_keys
        header = "\t".join(("noun", *keys))
        meta, rows = read_weight_lines(path, header)
        terms: list[str] = []
        values: list[list[float]] = []
        intercepts = None
        for n, parts in rows:
            if len(parts) != len(keys) + 1:
                raise ValueError(f"{path.name}:{n}: expected a noun and {len(keys)} weights "
                                 f"(one per topic: {', '.join(keys)}), got {len(parts)} fields")
            try:
                row = [float(v) for v in parts[1:]]
            except ValueError:
                raise ValueError(f"{path.name}:{n}: a weight is not a number") from None
            if parts[0] == "(intercept)":
                intercepts = np.array(row)
            else:
                terms.append(parts[0])
                values.append(row)
        if intercepts is None:
            raise ValueError(f"{path.name}: no (intercept) line")
        weights = np.array(values).reshape(len(terms), len(keys))
        return cls(tuple(terms), weights, intercepts, meta)

    @classmethod
    def fit(cls, terms: Sequence[Counter], truth: np.ndarray, *, c: float = NOUN_C,
            min_articles: int = NOUN_MIN_ARTICLES) -> NounWeights:
        """Fit on the articles' nouns (``terms``, one ``Counter`` each) and their topics
        (``truth``: articles × topics, bool); nouns in fewer than ``min_articles`` articles
        get no weight. A topic no article (or every article) carries gets weight 0 and the
        intercept of its base rate."""
        from sklearn.linear_model import LogisticRegression

        seen = Counter(t for counts in terms for t in counts)
        vocab = tuple(sorted(t for t, n in seen.items() if n >= min_articles))
        x = _noun_matrix(*_flat(terms), len(terms), pd.Index(vocab))
        k = truth.shape[1]
        weights = np.zeros((len(vocab), k))
        intercepts = np.zeros(k)
        for j in range(k):
            y = truth[:, j]
            if y.all() or not y.any():
                rate = min(max(y.mean(), 1e-3), 1 - 1e-3)
                intercepts[j] = math.log(rate / (1 - rate))
                continue
            clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
            weights[:, j] = clf.coef_[0]
            intercepts[j] = clf.intercept_[0]
        return cls(vocab, weights, intercepts)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


def _flat(terms: Sequence[Counter]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(article, term, count)`` pairs of per-article noun ``Counter``s."""
    article = np.repeat(np.arange(len(terms)), [len(c) for c in terms])
    term = np.array([t for c in terms for t in c], dtype=object)
    count = np.array([n for c in terms for n in c.values()], dtype=float)
    return article, term, count


def _noun_matrix(article: np.ndarray, term: np.ndarray, count: np.ndarray, n: int,
                 index: pd.Index):
    """Articles × nouns of ``index``: ``log(1 + count)`` of every (article, noun) pair whose
    noun is in ``index``, each row scaled to unit length (a row without such nouns stays 0)."""
    from scipy import sparse

    column = index.get_indexer(term) if len(term) else np.zeros(0, dtype=np.int64)
    kept = column >= 0
    rows = np.asarray(article)[kept]
    values = np.log1p(np.asarray(count, dtype=float)[kept])
    norm = np.sqrt(np.bincount(rows, weights=values ** 2, minlength=n))
    values = values / np.where(norm > 0, norm, 1.0)[rows]
    return sparse.csr_matrix((values, (rows, column[kept])), shape=(n, len(index)))


@dataclass
class TopicModel:
    """Pooled weights over the evidence-profile features, the intercept and the decision rule."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    at_least_one: bool = True
    max_topics: int = MAX_TOPICS
    meta: dict[str, str] = field(default_factory=dict)
    #: Set for a lexicon-first model (:func:`choose_topics`): the probability a topic the
    #: lexicon gives must reach to stay; ``threshold`` is then the probability another topic
    #: with lexicon evidence needs to be added.
    keep_threshold: float | None = None
    #: The noun component (:class:`NounWeights`) and its share of each topic's probability.
    nouns: NounWeights | None = None
    noun_share: float = 0.0
    #: A lexicon-first model's own ``(keep, add)`` thresholds for some topics (the others use
    #: ``keep_threshold`` and ``threshold``); ``make train`` tunes them per topic on the dev
    #: folds' out-of-fold probabilities (:func:`tune_topic_thresholds`).
    topic_thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)

    def keep_and_add(self, keys: Sequence[str]) -> tuple[list[float], list[float]]:
        """A lexicon-first model's keep and add thresholds per topic of ``keys``."""
        if self.keep_threshold is None:
            raise ValueError("only a lexicon-first model has keep and add thresholds")
        pairs = [self.topic_thresholds.get(k, (self.keep_threshold, self.threshold)) for k in keys]
        return [k for k, _a in pairs], [a for _k, a in pairs]

    def probability(self, features: dict[str, float]) -> float:
        """P(substantive) of one (article, topic) feature dict."""
        z = self.intercept + sum(v * self.weights.get(f, 0.0) for f, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def write(self, path: str | Path) -> Path:
        """A TSV: ``#`` metadata lines, then ``feature, weight`` rows (``(intercept)``,
        ``(threshold)``, ``(at_least_one)``, ``(max_topics)`` first). A noun component is
        written beside it (:data:`NOUNS_FILE`), and a stale one removed when there is none."""
        path = Path(path)
        nouns_file = path.with_name(NOUNS_FILE)
        lines = [f"# {k}\t{v}" for k, v in self.meta.items()]
        lines.append("feature\tweight")
        lines.append(f"(intercept)\t{self.intercept:.9g}")
        lines.append(f"(threshold)\t{self.threshold:.9g}")
        lines.append(f"(at_least_one)\t{int(self.at_least_one)}")
        lines.append(f"(max_topics)\t{self.max_topics}")
        if self.keep_threshold is not None:
            lines.append(f"(keep_threshold)\t{self.keep_threshold:.9g}")
        if self.nouns is not None and self.noun_share > 0:
            lines.append(f"(noun_share)\t{self.noun_share:.9g}")
        for key, (keep, add) in self.topic_thresholds.items():
            lines.append(f"(keep_threshold:{key})\t{keep:.9g}")
            lines.append(f"(add_threshold:{key})\t{add:.9g}")
        for feat, weight in sorted(self.weights.items()):
            if abs(weight) >= 1e-7:
                lines.append(f"{feat}\t{weight:.9g}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if self.nouns is not None and self.noun_share > 0:
            self.nouns.write(nouns_file)
        else:
            nouns_file.unlink(missing_ok=True)
        return path

    @classmethod
    def read(cls, path: str | Path) -> TopicModel:
        """The model written by :meth:`write`; a malformed line raises naming file and line."""
        path = Path(path)
        meta, rows = read_weight_lines(path, "feature\tweight")
        weights: dict[str, float] = {}
        special: dict[str, float] = {}
        for n, parts in rows:
            if len(parts) != 2:
                line = "\t".join(parts)
                raise ValueError(f"{path.name}:{n}: expected feature<TAB>weight, got {line!r}")
            try:
                value = float(parts[1])
            except ValueError:
                raise ValueError(f"{path.name}:{n}: weight {parts[1]!r} is not a number") from None
            if parts[0].startswith("("):
                special[parts[0]] = value
            else:
                weights[parts[0]] = value
        missing = [k for k in ("(intercept)", "(threshold)") if k not in special]
        if missing:
            raise ValueError(f"{path.name}: no {' or '.join(missing)} line")
        share = special.get("(noun_share)", 0.0)
        nouns = None
        if share > 0:
            nouns_file = path.with_name(NOUNS_FILE)
            if not nouns_file.exists():
                raise ValueError(f"{path.name}: noun share {share:g} but no {NOUNS_FILE} beside it")
            nouns = NounWeights.read(nouns_file)
        return cls(
            weights, special["(intercept)"], special["(threshold)"],
            bool(special.get("(at_least_one)", 1)), int(special.get("(max_topics)", MAX_TOPICS)),
            meta, special.get("(keep_threshold)"), nouns, share,
            _topic_thresholds(path, special),
        )


def _topic_thresholds(path: Path, special: dict[str, float]) -> dict[str, tuple[float, float]]:
    """The ``(keep_threshold:<topic>)`` and ``(add_threshold:<topic>)`` lines as
    ``{topic: (keep, add)}``; a topic with one of the two, or one the vocabulary does not know,
    raises naming the file."""
    keep = {k[len("(keep_threshold:"):-1]: v for k, v in special.items()
            if k.startswith("(keep_threshold:")}
    add = {k[len("(add_threshold:"):-1]: v for k, v in special.items()
           if k.startswith("(add_threshold:")}
    if keep and "(keep_threshold)" not in special:
        raise ValueError(f"{path.name}: per-topic thresholds need a lexicon-first model "
                         "((keep_threshold) line)")
    for key in sorted(set(keep) ^ set(add)):
        raise ValueError(f"{path.name}: topic {key!r} has only one of its keep and add thresholds")
    unknown = sorted(set(keep) - set(get_vocabulary().topic_keys))
    if unknown:
        raise ValueError(f"{path.name}: thresholds for unknown topic {unknown[0]!r}")
    order = get_vocabulary().topic_keys
    return {k: (keep[k], add[k]) for k in order if k in keep}


def model_path(resources: str | Path | None = None) -> Path:
    return resources_dir(resources) / MODEL_FILE


def hints_path(resources: str | Path | None = None) -> Path:
    return resources_dir(resources) / HINTS_FILE


def nouns_path(resources: str | Path | None = None) -> Path:
    return resources_dir(resources) / NOUNS_FILE


def load_topic_model(resources: str | Path | None = None) -> TopicModel | None:
    """The shipped topic model, or None when there is none (the lexicon thresholds decide)."""
    path = model_path(resources)
    return read_once(TopicModel.read, path) if path.exists() else None


def load_hints(resources: str | Path | None = None) -> dict[str, frozenset[str]]:
    """``topic_hints.tsv`` as ``{topic: words}`` (``topic<TAB>word|word|…`` lines); ``{}``
    when absent. A topic that is not in the vocabulary raises, naming the file and line."""
    path = hints_path(resources)
    if not path.exists():
        return {}
    return read_word_lists(path, "topic\twords", what="topic key",
                           keys=set(get_vocabulary().topic_keys))


# --- features ------------------------------------------------------------------------------


def topic_features(
    result: object,
    terms: Counter | None,
    *,
    weights: dict[str, float],
    thresholds: dict[str, float],
    hints: dict[str, frozenset[str]],
    min_topic_score: float,
) -> list[dict[str, float]]:
    """One feature dict per topic (in vocabulary order) for one article.

    ``result``: the article's lexicon result (``label_scores``, ``label_terms``,
    ``label_title``, ``signals`` as in :mod:`lib.tagging.topics`); ``terms``: its nouns (or
    None); ``weights``: the lexicon's term weights; ``thresholds``: the lexicon's topic
    thresholds (``min_topic_score`` for topics it does not list); ``hints``: the hint words.
    The per-topic features (``topic=<key>``, ``<feature>|<key>``) are used only by a model of
    kind ``per_topic``; a ``pooled`` model judges the evidence profile alone.
    """
    keys = get_vocabulary().topic_keys
    scores = {k: float(result.label_scores.get(k, 0.0)) for k in keys}
    total = sum(scores.values())
    ranked = sorted((k for k in keys if scores[k] > 0), key=lambda k: -scores[k])
    nouns = terms or Counter()
    n_nouns = sum(nouns.values()) or 1
    hint_counts = {k: sum(nouns.get(w, 0) for w in hints.get(k, ())) for k in keys}
    hint_total = sum(hint_counts.values())
    shared = {
        "relevance": math.log1p(float(result.label_scores.get(RELEVANCE_LABEL, 0.0))),
        "n_topics": len(ranked) / len(keys),
        "units": math.log1p(float(result.signals.get("units", 0.0))) / 5.0,
    }
    out = []
    for k in keys:
        found = result.label_terms.get(k, {})
        rank = ranked.index(k) if k in ranked else len(keys)
        share = scores[k] / total if total else 0.0
        hint_share = hint_counts[k] / hint_total if hint_total else 0.0
        feats = dict(shared)
        feats.update({
            "score": math.log1p(scores[k]),
            "mentions": math.log1p(sum(found.values())),
            "distinct": min(len(found), 5) / 5.0,
            "strongest": max((weights.get(t, 0.0) for t in found), default=0.0) / 3.0,
            "title": math.log1p(result.label_title.get(k, 0)),
            "share": share,
            "rank": rank / len(keys),
            "top": float(rank == 0),
            "second": float(rank == 1),
            "above_threshold": float(scores[k] > 0 and
                                     scores[k] >= thresholds.get(k, min_topic_score)),
            "hint": math.log1p(hint_counts[k]),
            "hint_share": hint_share,
            "hint_density": min(20.0 * hint_counts[k] / n_nouns, 3.0),
            f"topic={k}": 1.0,
            f"score|{k}": math.log1p(scores[k]),
            f"share|{k}": share,
            f"hint_share|{k}": hint_share,
        })
        out.append(feats)
    return out


def probabilities_many(
    model: TopicModel,
    results: Sequence[object],
    nouns: NounCounts | None,
    *,
    weights: dict[str, float],
    thresholds: dict[str, float],
    hints: dict[str, frozenset[str]],
    min_topic_score: float,
    noun_inputs=None,
) -> np.ndarray:
    """``model``'s probability of every (article, topic) pair, articles × topics (vocabulary
    order): what :meth:`TopicModel.probability` gives on each feature dict of
    :func:`topic_features`, computed as arrays instead of a dict per pair, mixed with the noun
    component's when the model has one.

    ``results`` are the articles' lexicon results and ``nouns`` their
    :class:`~lib.tagging.tokens.NounCounts` (rows in the same order; None for no nouns);
    ``noun_inputs`` the noun component's input of those rows (:meth:`NounWeights.inputs`)
    when the caller has made it already.
    """
    keys = get_vocabulary().topic_keys
    n, k_all = len(results), len(keys)
    score = np.zeros((n, k_all))
    mentions = np.zeros((n, k_all))
    distinct = np.zeros((n, k_all))
    strongest = np.zeros((n, k_all))
    title = np.zeros((n, k_all))
    relevance = np.zeros(n)
    units = np.zeros(n)
    for i, result in enumerate(results):
        label_scores, label_terms, label_title = (
            result.label_scores, result.label_terms, result.label_title)
        for j, key in enumerate(keys):
            value = label_scores.get(key)
            if value:
                score[i, j] = float(value)
            found = label_terms.get(key)
            if found:
                mentions[i, j] = sum(found.values())
                distinct[i, j] = min(len(found), 5)
                strongest[i, j] = max(weights.get(t, 0.0) for t in found)
            count = label_title.get(key)
            if count:
                title[i, j] = count
        relevance[i] = float(label_scores.get(RELEVANCE_LABEL, 0.0))
        units[i] = float(result.signals.get("units", 0.0))
    positive = score > 0
    total = score.sum(axis=1, keepdims=True)
    share = np.divide(score, total, out=np.zeros_like(score), where=total != 0)
    # Rank among the topics with evidence, highest score first, ties in vocabulary order.
    order = np.argsort(-score, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(k_all)[None, :].repeat(n, axis=0), axis=1)
    rank = np.where(positive, rank, k_all).astype(float)
    limit = np.array([thresholds.get(key, min_topic_score) for key in keys])
    hint, n_nouns = _hint_counts(nouns, hints, keys, n)
    hint_total = hint.sum(axis=1, keepdims=True)
    hint_share = np.divide(hint, hint_total, out=np.zeros_like(hint), where=hint_total != 0)
    columns = {
        "score": np.log1p(score),
        "mentions": np.log1p(mentions),
        "distinct": distinct / 5.0,
        "strongest": strongest / 3.0,
        "title": np.log1p(title),
        "share": share,
        "rank": rank / k_all,
        "top": (rank == 0).astype(float),
        "second": (rank == 1).astype(float),
        "above_threshold": (positive & (score >= limit[None, :])).astype(float),
        "hint": np.log1p(hint),
        "hint_share": hint_share,
        "hint_density": np.minimum(20.0 * hint / n_nouns[:, None], 3.0),
    }
    w = model.weights
    z = np.full((n, k_all), model.intercept)
    z += (w.get("relevance", 0.0) * np.log1p(relevance)
          + w.get("n_topics", 0.0) * positive.sum(axis=1) / k_all
          + w.get("units", 0.0) * np.log1p(units) / 5.0)[:, None]
    for name, values in columns.items():
        if name in w:
            z += w[name] * values
    for j, key in enumerate(keys):
        z[:, j] += (w.get(f"topic={key}", 0.0) + w.get(f"score|{key}", 0.0) * columns["score"][:, j]
                    + w.get(f"share|{key}", 0.0) * share[:, j]
                    + w.get(f"hint_share|{key}", 0.0) * hint_share[:, j])
    profile = _sigmoid(z)
    if model.nouns is None or model.noun_share <= 0:
        return profile
    return mixed(profile, model.nouns.probabilities(nouns, n, inputs=noun_inputs),
                 model.noun_share)


def mixed(profile: np.ndarray, nouns: np.ndarray, share: float) -> np.ndarray:
    """A topic's probability from the evidence profile's and the noun component's."""
    return share * nouns + (1.0 - share) * profile


def _hint_counts(nouns: NounCounts | None, hints: dict[str, frozenset[str]],
                 keys: Sequence[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per article and topic, the mentions of the topic's hint words among the article's nouns
    (articles × topics), and per article the mentions of all its nouns (1 for none)."""
    if nouns is None:
        return np.zeros((n, len(keys))), np.ones(n)
    hint = np.column_stack([nouns.per_row(pairs) for pairs in
                            nouns.in_lists(hints.get(key, ()) for key in keys)])
    totals = nouns.per_row(np.ones(len(nouns.term), dtype=bool))
    return hint, np.where(totals > 0, totals, 1.0)


# --- deciding ------------------------------------------------------------------------------


def choose_topics(model: TopicModel, probabilities: Sequence[float],
                  evidence: Sequence[bool], lexicon: Sequence[str] = (),
                  keys: Sequence[str] | None = None) -> tuple[str, ...]:
    """The topics (vocabulary order) of one smart-city article from its per-topic
    probabilities, among the topics with lexicon evidence (``evidence``, per topic: a term of
    the topic fired, so every topic names the words behind it).

    A model that decides alone takes those reaching the threshold, the most probable one when
    none does and ``at_least_one`` is set, and the ``max_topics`` most probable when more reach
    it. A lexicon-first model (``keep_threshold`` set) starts from the lexicon's topics
    (``lexicon``): it keeps those whose probability reaches ``keep_threshold``, adds the other
    topics with evidence that reach ``threshold`` (both per topic where the model has
    ``topic_thresholds``), keeps the most probable lexicon topic when it would drop them all,
    and the ``max_topics`` most probable when more remain. ``keys`` are the vocabulary's topic
    keys (looked up when not given)."""
    return choose_topics_many(model, np.array([probabilities], dtype=float),
                              np.array([evidence], dtype=bool), [lexicon], keys)[0]


def choose_topics_many(model: TopicModel, probabilities: np.ndarray, evidence: np.ndarray,
                       lexicon: Sequence[Sequence[str]],
                       keys: Sequence[str] | None = None) -> list[tuple[str, ...]]:
    """:func:`choose_topics` for many smart-city articles at once: ``probabilities`` and
    ``evidence`` are articles × topics, ``lexicon`` each article's lexicon topics."""
    keys = keys if keys is not None else get_vocabulary().topic_keys
    if model.keep_threshold is not None:
        keep, add = model.keep_and_add(keys)
        return topics_of(lexicon_first_matrix(probabilities, topic_matrix(lexicon, keys),
                                              evidence, keep, add, model.max_topics), keys)
    return [_choose(keys, p, e, model.threshold, model.at_least_one, model.max_topics)
            for p, e in zip(probabilities, evidence, strict=True)]


def _choose(keys: Sequence[str], probabilities: Sequence[float], evidence: Sequence[bool],
            threshold: float, at_least_one: bool, max_topics: int) -> tuple[str, ...]:
    order = sorted((i for i in range(len(keys)) if evidence[i]),
                   key=lambda i: (-probabilities[i], i))
    chosen = [i for i in order if probabilities[i] >= threshold][:max_topics]
    if not chosen and at_least_one and order:
        chosen = [order[0]]
    return tuple(keys[i] for i in sorted(chosen))


def explain(topics: Sequence[str], probabilities: Sequence[float],
            keys: Sequence[str] | None = None,
            nouns: dict[str, tuple[str, ...]] | None = None) -> str:
    """``topics p: <topic> 0.82 (버스, 노선), <topic> 0.41`` for the chosen topics (evidence
    text): each topic's probability and, from ``nouns``, the nouns that raised it most in the
    noun component; ``keys`` as in :func:`choose_topics`."""
    keys = keys if keys is not None else get_vocabulary().topic_keys
    p = dict(zip(keys, probabilities, strict=True))
    nouns = nouns or {}
    parts = [f"{t} {p[t]:.2f}" + (f" ({', '.join(nouns[t])})" if nouns.get(t) else "")
             for t in topics]
    return "topics p: " + ", ".join(parts) if topics else ""


# --- fitting -------------------------------------------------------------------------------


@dataclass
class TopicCandidate:
    """One pooled setting scored by repeated cross-validation on the dev labels."""

    kind: str
    c: float
    threshold: float
    at_least_one: bool
    f1: float
    f1_sd: float
    #: Set for a lexicon-first setting (see :func:`choose_topics`).
    keep_threshold: float | None = None
    #: The noun component's share (0: none; see :class:`NounWeights`).
    noun_share: float = 0.0


#: The model kinds: ``pooled`` (the same features for every topic: one judgement of how
#: substantive the evidence is) and ``per_topic`` (also each topic's own base rate and slopes).
KINDS = ("pooled", "per_topic")


def _is_per_topic(feature: str) -> bool:
    return "=" in feature or "|" in feature


def _stack(features: Sequence[list[dict[str, float]]], truth: Sequence[set[str]],
           kind: str = "per_topic"):
    keys = get_vocabulary().topic_keys
    rows, y, article = [], [], []
    for i, per_topic in enumerate(features):
        for k, feats in zip(keys, per_topic, strict=True):
            if kind == "pooled":
                feats = {f: v for f, v in feats.items() if not _is_per_topic(f)}
            rows.append(feats)
            y.append(k in truth[i])
            article.append(i)
    return rows, np.array(y, dtype=bool), np.array(article)


def micro_f1(predicted: Sequence[Sequence[str]], truth: Sequence[set[str]]) -> float:
    """Micro-averaged F1 of topic sets (``predicted`` and ``truth`` row for row)."""
    tp = fp = fn = 0
    for pred, true in zip(predicted, truth, strict=True):
        got = set(pred)
        tp += len(got & true)
        fp += len(got - true)
        fn += len(true - got)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def cross_validate_topics(
    features: Sequence[list[dict[str, float]]],
    truth: Sequence[set[str]],
    labelled_smart: np.ndarray,
    predicted_smart: np.ndarray,
    *,
    repeats: int = 5,
    folds: int = 5,
    random_state: int = 0,
    lexicon: Sequence[Sequence[str]] | None = None,
    terms: Sequence[Counter] | None = None,
    progress: bool = False,
) -> list[TopicCandidate]:
    """Every setting of kind × C × threshold × at-least-one, best mean micro-F1 first; with
    ``lexicon`` (per article, the lexicon's topics) also every lexicon-first setting of kind ×
    C × keep threshold (:data:`KEEP_GRID`) × add threshold (:data:`ADD_GRID`); with ``terms``
    (per article, its nouns) each of those also with a noun component of every share of
    :data:`NOUN_SHARE_GRID` (fitted, like the profile, on the training folds only).

    Folds split articles (stratified by ``labelled_smart``), never an article's topics. A
    model is fitted on the training folds' articles that are labelled or predicted smart-city
    and scored on the test folds the way the tagger runs: articles the smart-city decision
    (``predicted_smart``) rejects carry no topic. Returns the mean and the standard deviation
    over the ``repeats`` repetitions. ``progress`` shows a progress bar over the repetitions'
    noun folds and the kind × C fits.
    """
    from tqdm.auto import tqdm

    keys = get_vocabulary().topic_keys
    n = len(features)
    evidence = [[f["score"] > 0 for f in per_topic] for per_topic in features]
    used = (np.asarray(labelled_smart, bool) | np.asarray(predicted_smart, bool))
    smart = np.asarray(predicted_smart, bool)
    scores: dict[tuple[str, float, float, bool, float | None, float], list[float]] = {}
    splits = _splits(labelled_smart, repeats, folds, random_state)
    shares = NOUN_SHARE_GRID if terms is not None else (0.0,)
    steps = len(KINDS) * len(C_GRID) * len(splits) + (len(splits) if terms is not None else 0)
    bar = tqdm(total=steps, disable=not progress, unit="fit",
               desc=f"topic model: {repeats}×{folds}-fold cross-validation")
    noun_prob = []
    for split in splits:
        noun_prob.append(_noun_folds(terms, truth, used, split, keys) if terms is not None
                         else None)
        bar.update(terms is not None)
    for kind, c in itertools.product(KINDS, C_GRID):
        stacked = _stacked_matrix(features, truth, kind)
        for rep, split in enumerate(splits):
            profile = _profile_folds(stacked, used, split, c, n, len(keys))
            for share in shares:
                per_article = (profile if share == 0 else
                               mixed(profile, noun_prob[rep], share))
                for setting, pred in _decisions(keys, per_article, evidence, smart, lexicon):
                    scores.setdefault((kind, c, *setting, share), []).append(
                        micro_f1(pred, truth))
            bar.update()
    bar.close()
    out = [TopicCandidate(kind, c, t, one, float(np.mean(v)), float(np.std(v)), keep, share)
           for (kind, c, t, one, keep, share), v in scores.items()]
    # Best mean first; among equals the pooled kind, no noun component, the stronger penalty,
    # the lower threshold.
    out.sort(key=lambda k: (-round(k.f1, 6), KINDS.index(k.kind), k.noun_share,
                            k.keep_threshold is not None, k.c, k.threshold,
                            k.keep_threshold or 0.0))
    return out


def out_of_fold_probabilities(
    features: Sequence[list[dict[str, float]]],
    truth: Sequence[set[str]],
    labelled_smart: np.ndarray,
    predicted_smart: np.ndarray,
    candidate: TopicCandidate,
    *,
    repeats: int = 5,
    folds: int = 5,
    random_state: int = 0,
    terms: Sequence[Counter] | None = None,
) -> list[np.ndarray]:
    """``candidate``'s out-of-fold topic probabilities (articles × topics), one array per
    repeat, on the folds :func:`cross_validate_topics` uses with the same arguments."""
    keys = get_vocabulary().topic_keys
    n = len(features)
    used = (np.asarray(labelled_smart, bool) | np.asarray(predicted_smart, bool))
    stacked = _stacked_matrix(features, truth, candidate.kind)
    out = []
    for split in _splits(labelled_smart, repeats, folds, random_state):
        profile = _profile_folds(stacked, used, split, candidate.c, n, len(keys))
        if candidate.noun_share > 0:
            if terms is None:
                raise ValueError("a setting with a noun component needs the articles' nouns")
            profile = mixed(profile, _noun_folds(terms, truth, used, split, keys),
                            candidate.noun_share)
        out.append(profile)
    return out


def _splits(labelled_smart: np.ndarray, repeats: int, folds: int,
            random_state: int) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Per repeat, the folds of the articles, stratified by their smart-city label."""
    from sklearn.model_selection import StratifiedKFold

    labels = np.asarray(labelled_smart, int)
    return [list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state + rep)
                 .split(np.zeros(len(labels)), labels)) for rep in range(repeats)]


def _stacked_matrix(features: Sequence[list[dict[str, float]]], truth: Sequence[set[str]],
                    kind: str):
    """``(x, y, article)``: the (article, topic) rows of :func:`_stack` as a sparse matrix."""
    from sklearn.feature_extraction import DictVectorizer

    rows, y, article = _stack(features, truth, kind)
    return DictVectorizer().fit_transform(rows), y, article


def _profile_folds(stacked, used: np.ndarray, split: list[tuple[np.ndarray, np.ndarray]],
                   c: float, n: int, k_all: int) -> np.ndarray:
    """Articles × topics: the evidence profile's out-of-fold probabilities, each fold's
    fitted with penalty ``c`` on its training articles marked ``used``."""
    from sklearn.linear_model import LogisticRegression

    x, y, article = stacked
    prob = np.zeros(len(y))
    for train, test in split:
        fit_rows = np.isin(article, train) & used[article]
        test_rows = np.isin(article, test)
        clf = LogisticRegression(C=c, max_iter=5000).fit(x[fit_rows], y[fit_rows])
        prob[test_rows] = clf.predict_proba(x[test_rows])[:, 1]
    return prob.reshape(n, k_all)


def _decisions(keys: Sequence[str], per_article: np.ndarray, evidence: list[list[bool]],
               smart: np.ndarray, lexicon: Sequence[Sequence[str]] | None):
    """``((threshold, at_least_one, keep_threshold), topics per article)`` for every decision
    rule of the grids, from the per-article topic probabilities."""
    n = len(per_article)
    for threshold in THRESHOLD_GRID:
        for at_least_one in (False, True):
            yield (threshold, at_least_one, None), [
                _choose(keys, per_article[i], evidence[i], threshold, at_least_one, MAX_TOPICS)
                if smart[i] else () for i in range(n)]
    if lexicon is None:
        return
    # Articles the smart-city decision rejects carry no topic: no lexicon topic, no evidence.
    given = topic_matrix(lexicon, keys) & smart[:, None]
    with_evidence = np.asarray(evidence, dtype=bool).reshape(n, len(keys)) & smart[:, None]
    for keep, add in itertools.product(KEEP_GRID, ADD_GRID):
        yield (add, False, keep), topics_of(lexicon_first_matrix(
            per_article, given, with_evidence, [keep] * len(keys), [add] * len(keys)), keys)


def topics_of(chosen: np.ndarray, keys: Sequence[str]) -> list[tuple[str, ...]]:
    """Each row's topics (``keys`` order) of an articles × topics boolean matrix."""
    return [tuple(k for k, c in zip(keys, row, strict=True) if c) for row in chosen]


def topic_matrix(topics: Sequence[Collection[str]], keys: Sequence[str]) -> np.ndarray:
    """Articles × topics booleans (``keys`` order) from each article's topics."""
    return np.array([[k in t for k in keys] for t in topics], dtype=bool).reshape(len(topics),
                                                                                  len(keys))


def _noun_folds(terms: Sequence[Counter], truth: Sequence[set[str]], used: np.ndarray,
                split: list[tuple[np.ndarray, np.ndarray]], keys: Sequence[str]) -> np.ndarray:
    """Articles × topics: the noun component's out-of-fold probabilities, each fold's fitted
    on its training articles marked ``used``."""
    y = topic_matrix(truth, keys)
    out = np.zeros((len(terms), len(keys)))
    for train, test in split:
        fit = train[used[train]]
        weights = NounWeights.fit([terms[i] for i in fit], y[fit])
        out[test] = weights.probabilities(None, len(test),
                                          inputs=weights.inputs_of([terms[i] for i in test]))
    return out


def lexicon_first_matrix(probabilities: np.ndarray, lexicon: np.ndarray, evidence: np.ndarray,
                         keep: Sequence[float], add: Sequence[float],
                         max_topics: int = MAX_TOPICS) -> np.ndarray:
    """The lexicon-first decision of :func:`choose_topics` for many articles at once:
    articles × topics booleans from the probabilities, the lexicon's topics and the lexicon
    evidence (all articles × topics) and per-topic ``keep`` and ``add`` thresholds. A row with
    neither a lexicon topic nor evidence stays empty."""
    p = np.asarray(probabilities, dtype=float)
    lexicon = np.asarray(lexicon, dtype=bool)
    chosen = ((lexicon & (p >= np.asarray(keep)[None, :]))
              | (np.asarray(evidence, dtype=bool) & (p >= np.asarray(add)[None, :])))
    fallback = ~chosen.any(axis=1) & lexicon.any(axis=1)
    # The most probable lexicon topic, the first in vocabulary order among equals.
    best = np.where(lexicon, p, -np.inf).argmax(axis=1)
    chosen[np.flatnonzero(fallback), best[fallback]] = True
    over = chosen.sum(axis=1) > max_topics
    if over.any():
        # Keep each such row's ``max_topics`` most probable chosen topics, the first in
        # vocabulary order among equals (a stable sort of -p; topics not chosen sort last).
        order = np.argsort(-np.where(chosen[over], p[over], -np.inf), axis=1, kind="stable")
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.broadcast_to(np.arange(order.shape[1]), order.shape),
                          axis=1)
        chosen[over] &= rank < max_topics
    return chosen


def micro_f1_matrix(chosen: np.ndarray, truth: np.ndarray) -> float:
    """Micro-averaged F1 of topic decisions against the truth (both articles × topics)."""
    tp = int((chosen & truth).sum())
    wrong = int((chosen != truth).sum())
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def _mean_f1(probabilities: Sequence[np.ndarray], lexicon: np.ndarray, evidence: np.ndarray,
             truth: np.ndarray, keep: Sequence[float], add: Sequence[float]) -> float:
    """Mean micro-F1 over the repeats' probabilities of the lexicon-first decision."""
    return float(np.mean([micro_f1_matrix(lexicon_first_matrix(p, lexicon, evidence, keep, add),
                                           truth) for p in probabilities]))


@dataclass
class ThresholdTuning:
    """Per-topic keep and add thresholds tuned on out-of-fold probabilities (see
    :func:`tune_topic_thresholds`) and what they score there."""

    keep: list[float]
    add: list[float]
    #: Mean micro-F1 over the repeats with the tuned thresholds, and with the one pair tuning
    #: started from (chosen on the same probabilities, so the gain is optimistic).
    f1: float
    start_f1: float


#: Per-topic threshold grids of :func:`tune_topic_thresholds` (an add threshold above 1 never
#: adds a topic the lexicon did not give).
TOPIC_KEEP_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
TOPIC_ADD_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def tune_topic_thresholds(
    probabilities: Sequence[np.ndarray], lexicon: np.ndarray, evidence: np.ndarray,
    truth: np.ndarray, keep: float, add: float, *,
    accept: Callable[[list[float], list[float]], bool] | None = None,
    rows: np.ndarray | None = None, rounds: int = 3,
) -> ThresholdTuning:
    """Per-topic ``(keep, add)`` thresholds of a lexicon-first decision that raise the mean
    micro-F1 over ``probabilities`` (one articles × topics array per cross-validation repeat,
    out of fold), starting from the one pair ``keep``, ``add``: coordinate ascent, one topic at
    a time over :data:`TOPIC_KEEP_GRID` × :data:`TOPIC_ADD_GRID`, ``rounds`` times over the
    topics. ``accept`` may refuse a setting (e.g. one that drops the synthetic sample below
    its floor); ``rows`` restricts the scoring to some articles. A topic keeps its
    thresholds unless another pair scores strictly better."""
    rows = np.arange(len(truth)) if rows is None else np.asarray(rows)
    lexicon, evidence, truth = lexicon[rows], evidence[rows], truth[rows]
    probs = [np.asarray(p)[rows] for p in probabilities]
    k_all = truth.shape[1]

    def score(k: list[float], a: list[float]) -> float:
        return _mean_f1(probs, lexicon, evidence, truth, k, a)

    keeps, adds = [float(keep)] * k_all, [float(add)] * k_all
    start = best = score(keeps, adds)
    for _round in range(rounds):
        changed = False
        for j in range(k_all):
            for kj, aj in itertools.product(TOPIC_KEEP_GRID, TOPIC_ADD_GRID):
                trial_k, trial_a = list(keeps), list(adds)
                trial_k[j], trial_a[j] = kj, aj
                if (kj, aj) == (keeps[j], adds[j]):
                    continue
                value = score(trial_k, trial_a)
                if value > best + 1e-9 and (accept is None or accept(trial_k, trial_a)):
                    best, keeps, adds, changed = value, trial_k, trial_a, True
        if not changed:
            break
    return ThresholdTuning(keeps, adds, best, start)


def held_apart_gain(
    probabilities: Sequence[np.ndarray], lexicon: np.ndarray, evidence: np.ndarray,
    truth: np.ndarray, keep: float, add: float, *,
    accept: Callable[[list[float], list[float]], bool] | None = None,
    splits: int = 4, random_state: int = 0,
) -> list[float]:
    """How much per-topic thresholds gain on articles they were not tuned on: ``splits`` times
    the articles are halved at random, the thresholds tuned on one half
    (:func:`tune_topic_thresholds`) and scored against the one pair on the other, and then
    the other way round. Returns the ``2 × splits`` gains in micro-F1."""
    rng = np.random.default_rng(random_state)
    n = len(truth)
    gains = []
    for _split in range(splits):
        order = rng.permutation(n)
        halves = (np.sort(order[: n // 2]), np.sort(order[n // 2:]))
        for tune_rows, score_rows in (halves, halves[::-1]):
            tuned = tune_topic_thresholds(probabilities, lexicon, evidence, truth, keep, add,
                                          accept=accept, rows=tune_rows)
            there = ([np.asarray(p)[score_rows] for p in probabilities], lexicon[score_rows],
                     evidence[score_rows], truth[score_rows])
            k_all = truth.shape[1]
            gains.append(_mean_f1(*there, tuned.keep, tuned.add)
                         - _mean_f1(*there, [keep] * k_all, [add] * k_all))
    return gains


def ranked_topic_candidates(candidates: Sequence[TopicCandidate], *,
                            tolerance: float) -> list[TopicCandidate]:
    """The candidates (best first) within ``tolerance`` of the best mean micro-F1, simplest
    first: the pooled kind before the per-topic one (per-topic base rates are one labeller's
    habits on about a hundred articles), then the best F1 of each kind."""
    top = candidates[0].f1
    near = [c for c in candidates if c.f1 >= top - tolerance]
    return sorted(near, key=lambda c: (KINDS.index(c.kind), -round(c.f1, 6)))


def choose_topic_candidate(candidates: Sequence[TopicCandidate], *,
                           tolerance: float) -> TopicCandidate:
    """The first of :func:`ranked_topic_candidates`."""
    return ranked_topic_candidates(candidates, tolerance=tolerance)[0]


def fit_topic_model(
    features: Sequence[list[dict[str, float]]],
    truth: Sequence[set[str]],
    used: np.ndarray,
    best: TopicCandidate,
    terms: Sequence[Counter] | None = None,
    *,
    fits: dict | None = None,
) -> TopicModel:
    """Fit ``best``'s setting on the articles marked ``used`` (labelled or predicted
    smart-city); a setting with a noun component needs the articles' nouns (``terms``).

    ``fits``, a dict passed to every call with the same articles, keeps the regressions fitted
    so far: settings that differ only in their thresholds and noun share share one profile fit
    (per kind and C) and every noun share the one noun component."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    fits = {} if fits is None else fits
    if (best.kind, best.c) not in fits:
        rows, y, article = _stack(features, truth, best.kind)
        keep = np.asarray(used, bool)[article]
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform([r for r, k in zip(rows, keep) if k])
        clf = LogisticRegression(C=best.c, max_iter=5000).fit(x, y[keep])
        fits[best.kind, best.c] = (
            {str(name): float(w) for name, w in
             zip(vectorizer.get_feature_names_out(), clf.coef_[0], strict=True)},
            float(clf.intercept_[0]))
    weights, intercept = fits[best.kind, best.c]
    nouns = None
    if best.noun_share > 0:
        if terms is None:
            raise ValueError("a setting with a noun component needs the articles' nouns")
        if "nouns" not in fits:
            fit = np.flatnonzero(np.asarray(used, bool))
            fits["nouns"] = NounWeights.fit(
                [terms[i] for i in fit],
                topic_matrix([truth[i] for i in fit], get_vocabulary().topic_keys))
        nouns = replace(fits["nouns"], meta=dict(fits["nouns"].meta))
    return TopicModel(dict(weights), intercept, best.threshold, best.at_least_one,
                      MAX_TOPICS, {"kind": best.kind, "C": str(best.c)}, best.keep_threshold,
                      nouns, best.noun_share)
