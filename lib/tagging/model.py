"""A small supervised layer over the lexicon, fitted on hand-labelled real news.

The lexicon rules (:mod:`lib.tagging.topics`) say which smart-city words an article uses and
how much; on real text they fire on economy stories that merely name AI or 자율주행, and they
miss topics a reader sees. This module weighs the same evidence with a logistic regression per
tag, fitted on the ``dev`` part of the labelled real articles (:mod:`lib.tagging.labelled`):

- features: every label's lexicon score, the rule's own signals (civic context, salience
  density, anchor term, title hit, the rule's decision) and the article's nouns (Kiwi tokens,
  or the 키워드 list of a BigKinds row; the cities' own names and places are left out, so a
  city's name can never make a story smart-city coverage), and per cue of
  ``lib/resources/model_cues.tsv`` (local government, national policy, market, campus) how
  often its words occur, so the model can tell a city's service from national policy or market
  news that names the same smart-city words;
- target: ``smart_city``. The model either decides alone (``mode = model``) or may only
  overrule the rules' "yes" (``mode = veto``: smart-city when the rules and the model agree);
  which of the two, which features (:data:`FEATURE_SETS`, e.g. ``scaled``: the same features
  rescaled so the penalty weighs lexicon evidence and nouns on one scale) and the probability
  threshold are chosen by repeated cross-validation on the dev part (best F1), and no model is
  written when none beats the rules there;
- vetoes (``lib/resources/model_vetoes.tsv``): kinds of story whose words say they are not
  coverage of a city's work (stock-market notes, a firm's earnings, a start-up's funding round).
  An article whose nouns hold enough different words of a veto is not smart-city, whatever the
  model's probability, and its evidence names the veto and the words
  (``…; veto market (관련주, 특징주): not smart-city coverage``). Unlike ``mode = veto``, which
  lets the model overrule the rules, these overrule the model; they are word lists set by hand
  on the dev part (each keeps every dev smart-city story), not fitted.

Topics are the lexicon's (per-topic thresholds in ``topic_thresholds.tsv``), reviewed by the
pooled topic model that the same training fits (:mod:`lib.tagging.topic_model`).

The fitted weights ship as a readable TSV (``lib/resources/tag_model.tsv``: target, feature,
weight), written by ``make train`` (``python -m lib.tagging.train``); no pickle. Every decision
the model makes names its largest contributions in the evidence, e.g.
``model p=0.91 (+lex:relevance 1.2, +t:셔틀 0.4, -t:투자 0.3)``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd

from lib.tagging import tokens
from lib.tagging.regions import load_region_rules
from lib.tagging.resources import (
    REGIONS_FILE,
    read_once,
    read_weight_lines,
    read_word_lists,
    resources_dir,
)

MODEL_FILE = "tag_model.tsv"
SMART = "smart_city"
#: Terms must occur in at least this many training articles to get a weight.
MIN_DF = 3
_C_GRID = (0.1, 0.3, 1.0, 3.0)
#: The feature sets :func:`cross_validate` tries. ``scaled`` is ``lexicon+nouns`` with every
#: lexicon, signal and cue feature divided by its largest absolute value among the training
#: articles and every noun feature multiplied by ``noun_weight`` (of :data:`NOUN_WEIGHTS`): the
#: penalty of the regression then weighs the two kinds of evidence on one scale instead of
#: shrinking the nouns (each a fraction of an article's unit-length noun vector) far more than
#: lexicon scores in the tens. The scales are folded into the written weights, so a ``scaled``
#: model is applied exactly like the others.
#: ``scaled_nb`` is ``scaled`` with each noun's factor also multiplied by how well the noun
#: alone separates the training articles: its naive-Bayes log-count ratio
#: ``|log((a + 1) / (A + V) / ((b + 1) / (B + V)))|`` (``a``/``b`` smart-city and other training
#: articles that use it, ``A``/``B`` their totals over the ``V`` nouns), over the mean ratio of
#: all nouns (Wang and Manning 2012, "NBSVM"). The penalty then shrinks a noun that occurs alike
#: in smart-city and other news (투자, 기업) more than one that leans one way; the factors are
#: folded into the written weights like ``scaled``'s.
FEATURE_SETS = ("lexicon", "lexicon+nouns", "scaled", "scaled_nb")
_SCALED = ("scaled", "scaled_nb")
NOUN_WEIGHTS = (2.0, 5.0, 10.0, 20.0)
_C_GRID_SCALED = (0.3, 1.0, 3.0, 10.0)
_HANGUL_OR_LATIN = re.compile("[가-힣A-Za-z]")


@dataclass
class TagModel:
    """Weights per target (``smart_city``, ``topic:<key>``), intercepts and thresholds."""

    weights: dict[str, dict[str, float]]
    intercepts: dict[str, float]
    thresholds: dict[str, float]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        return self.meta.get("mode", "model")

    @property
    def uses_nouns(self) -> bool:
        return self.meta.get("features", "lexicon") != "lexicon"

    def probability(self, target: str, features: dict[str, float]) -> float:
        w = self.weights[target]
        z = self.intercepts[target] + sum(v * w.get(f, 0.0) for f, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def explain(self, target: str, features: dict[str, float], *, top: int = 3) -> str:
        """``p=0.91 (+lex:relevance 1.2, +t:셔틀 0.4, -t:투자 0.3)``: the largest terms."""
        return self.weigh(target, features, top=top)[1]

    def weigh(self, target: str, features: dict[str, float], *, top: int = 3) -> tuple[float, str]:
        """The probability and its explanation (see :meth:`explain`), from one pass over the
        features: the same as :meth:`probability` and the ``top`` largest contributions of at
        least 0.05 (ties in feature order)."""
        w = self.weights[target]
        # A feature without a weight adds exactly zero to the sum and is never shown.
        parts = [(v * w[f], f) for f, v in features.items() if f in w]
        p = _logistic(self.intercepts[target] + sum(c for c, _f in parts))
        return p, _explanation(p, [x for x in parts if abs(x[0]) >= 0.05], top=top)

    def write(self, path: str | Path) -> Path:
        """A TSV: ``#`` header lines with the metadata, then ``target, feature, weight``."""
        path = Path(path)
        lines = [f"# {k}\t{v}" for k, v in self.meta.items()]
        lines.append("target\tfeature\tweight")
        for target in self.weights:
            lines.append(f"{target}\t(intercept)\t{self.intercepts[target]:.9g}")
            lines.append(f"{target}\t(threshold)\t{self.thresholds[target]:.9g}")
            for feat, weight in sorted(self.weights[target].items()):
                if abs(weight) >= 1e-7:
                    lines.append(f"{target}\t{feat}\t{weight:.9g}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: str | Path) -> TagModel:
        path = Path(path)
        meta, rows = read_weight_lines(path, "target\tfeature\tweight")
        weights: dict[str, dict[str, float]] = {}
        intercepts: dict[str, float] = {}
        thresholds: dict[str, float] = {}
        for n, parts in rows:
            if len(parts) != 3:
                raise ValueError(f"{path.name}:{n}: expected target, feature, weight")
            target, feat, value = parts[0], parts[1], float(parts[2])
            if feat == "(intercept)":
                intercepts[target] = value
            elif feat == "(threshold)":
                thresholds[target] = value
            else:
                weights.setdefault(target, {})[feat] = value
        for target in set(intercepts) | set(thresholds):
            weights.setdefault(target, {})
        return cls(weights, intercepts, thresholds, meta)


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


#: The contributions an explanation names (``top`` of :func:`_explanation`).
EXPLAINED_PARTS = 3


def _explanation(p: float, parts: list[tuple[float, str]], *, top: int = EXPLAINED_PARTS) -> str:
    """``p=0.91 (+lex:relevance 1.2, …)``: the ``top`` largest of ``parts`` (contribution,
    feature), ties in their order."""
    shown = sorted(parts, key=_by_size)[:top]  # stable: ties keep their order
    text = ", ".join(f"{'+' if c > 0 else '-'}{f} {abs(c):.1f}" for c, f in shown)
    return f"p={p:.2f} ({text})"


def _by_size(part: tuple[float, str]) -> float:
    return -abs(part[0])


def model_path(resources: str | Path | None = None) -> Path:
    return resources_dir(resources) / MODEL_FILE


def model_files(resources: str | Path | None = None) -> list[Path]:
    """The resource files the model reads: part of the tag cache's key, so a refitted model
    re-tags cached articles: the smart-city model, the pooled topic model, its noun component
    and its hint words."""
    from lib.tagging import topic_model

    return [model_path(resources), cues_path(resources), vetoes_path(resources),
            topic_model.model_path(resources), topic_model.nouns_path(resources),
            topic_model.hints_path(resources)]


def load_model(resources: str | Path | None = None) -> TagModel | None:
    """The shipped model, or None when there is none (the lexicon rules then decide alone).

    Read once per version of the file (path, modification time, size), not on every call."""
    path = model_path(resources)
    return read_once(TagModel.read, path) if path.exists() else None


# --- features ------------------------------------------------------------------------------


CUES_FILE = "model_cues.tsv"


def cues_path(resources: str | Path | None = None) -> Path:
    return resources_dir(resources) / CUES_FILE


def load_cues(resources: str | Path | None = None) -> dict[str, frozenset[str]]:
    """``model_cues.tsv`` as ``{cue: words}`` (``cue<TAB>word|word|…`` lines); ``{}`` when
    absent. A line without words raises, naming the file and line."""
    path = cues_path(resources)
    return read_once(_read_cues, path) if path.exists() else {}


def _read_cues(path: Path) -> dict[str, frozenset[str]]:
    return read_word_lists(path, "cue\twords", what="cue")


VETOES_FILE = "model_vetoes.tsv"


@dataclass(frozen=True)
class Veto:
    """A kind of story the model's "yes" does not stand for: an article whose nouns hold at
    least ``min_distinct`` different words of ``words`` is not smart-city coverage."""

    name: str
    min_distinct: int
    words: frozenset[str]


def vetoes_path(resources: str | Path | None = None) -> Path:
    return resources_dir(resources) / VETOES_FILE


def load_vetoes(resources: str | Path | None = None) -> list[Veto]:
    """``model_vetoes.tsv`` (``name<TAB>min_distinct<TAB>word|word|…`` lines) as
    :class:`Veto` rules; ``[]`` when absent. A malformed line raises, naming the file and line."""
    path = vetoes_path(resources)
    return read_once(_read_vetoes, path) if path.exists() else []


def _read_vetoes(path: Path) -> list[Veto]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line == "veto\tmin_distinct\twords":
                continue
            fields = line.split("\t")
            words = frozenset(w.strip() for w in fields[-1].split("|") if w.strip())
            if len(fields) != 3 or not fields[0].strip() or not fields[1].strip().isdigit() \
                    or int(fields[1]) < 1 or not words:
                raise ValueError(f"{path.name}:{n}: expected <veto><TAB><min distinct words, "
                                 f"at least 1><TAB>word|word…, got {line!r}")
            out.append(Veto(fields[0].strip(), int(fields[1]), words))
    return out


def overruled_by_vetoes(articles: pd.DataFrame, resources: str | Path | None = None) -> np.ndarray:
    """Which ``articles`` (in row order) a veto of ``resources`` holds for: the articles the
    tagger calls not smart-city whatever the model's probability."""
    vetoes = load_vetoes(resources)
    if articles.empty or not vetoes:
        return np.zeros(len(articles), dtype=bool)
    frame = articles.assign(article_id=articles["article_id"].astype(str))
    return np.array([bool(v) for v in vetoed(vetoes, tokens.noun_counts(frame), len(frame))])


def vetoed(vetoes: Sequence[Veto], nouns: tokens.NounCounts | None, n: int) -> list[str]:
    """Per article (``n`` rows of ``nouns``), ``""`` or why a veto holds, e.g.
    ``veto market (관련주, 특징주)``: the first veto whose words the article's nouns hold at
    least ``min_distinct`` of, with the words found (sorted)."""
    out = [""] * n
    if nouns is None or not vetoes:
        return out
    for veto, pairs in zip(vetoes, nouns.in_lists(v.words for v in vetoes), strict=True):
        hit = np.flatnonzero(pairs)
        for i in np.flatnonzero(nouns.per_row(pairs, mentions=False) >= veto.min_distinct):
            if not out[i]:
                words = sorted(str(nouns.term[k]) for k in hit[nouns.article[hit] == i])
                out[i] = f"veto {veto.name} ({', '.join(words)})"
    return out


def _excluded_terms(resources: str | Path | None = None) -> frozenset[str]:
    """The cities' names and places, which are never features: from the regions file in use
    (``$REGIONS_FILE`` or the project's) or, when a resource folder is given, from its own."""
    rules = load_region_rules(
        None if resources is None else resources_dir(resources) / REGIONS_FILE)
    words = {w for c in rules.cities for w in (*c.names, *c.places, *c.ambiguous_places)}
    return frozenset(w.replace(" ", "") for w in words)


def article_terms(articles: pd.DataFrame) -> list[Counter]:
    """The nouns of every article (Kiwi tokens, or the 키워드 list of a BigKinds row), in row
    order; Kiwi's are read from the token cache when the same articles were tokenized before."""
    if articles.empty:
        return []
    frame = articles.assign(article_id=articles["article_id"].astype(str))
    by_id = tokens.term_counts(frame)
    return [by_id.get(a, Counter()) for a in frame["article_id"]]


def feature_dicts(
    results: Sequence, terms: Sequence[Counter] | None = None, *,
    resources: str | Path | None = None,
) -> list[dict[str, float]]:
    """One feature dict per article from the lexicon results and (when given) its nouns: the
    nouns themselves (``t:<noun>``) and the cues of ``model_cues.tsv`` (``cue:<name>``,
    log(1 + mentions of the cue's words)); cues and city names from ``resources`` (default the
    project's resource folder)."""
    excluded = _excluded_terms(resources)
    cues = load_cues(resources) if terms is not None else {}
    # Term -> its feature name, or None for a term that is no feature (too short, a city's
    # name, no letter): decided once per distinct term.
    names: dict[str, str | None] = {}
    out = []
    for i, result in enumerate(results):
        counts = terms[i] if terms is not None else Counter()
        feats = {f"lex:{label}": float(score) for label, score in result.label_scores.items()}
        feats.update(zip(SIGNAL_FEATURES, signal_values(result.signals), strict=True))
        for cue, words in cues.items():
            feats[f"cue:{cue}"] = math.log1p(sum(map(counts.get, words, repeat(0))))
        for t in [t for t in counts if t not in names]:
            names[t] = _noun_feature(t, excluded)
        weights = {names[t]: 1.0 + math.log(n) for t, n in counts.items()
                   if n > 0 and names[t] is not None}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        feats.update({f: v / norm for f, v in weights.items()})
        out.append(feats)
    return out


#: The rule's signals as features, in the order every article's features list them.
SIGNAL_FEATURES: tuple[str, ...] = ("sig:context", "sig:density", "sig:anchored",
                                    "sig:title_hit", "sig:rule", "sig:units")


def signal_values(sig: dict) -> tuple[float, ...]:
    """The values of :data:`SIGNAL_FEATURES` from a lexicon result's ``signals``."""
    return (math.log1p(sig["context"]), min(sig["density"], 20.0) / 10.0, sig["anchored"],
            sig["title_hit"], sig["rule"], math.log1p(sig["units"]) / 5.0)


def feature_terms(terms: Sequence[Counter], resources: str | Path | None = None) -> list[Counter]:
    """Per article, the nouns that may be a model's features (those :func:`_noun_feature`
    keeps): never a city's name or place, so no tag can learn a city's base rate."""
    excluded = _excluded_terms(resources)
    return [Counter({t: n for t, n in c.items() if _noun_feature(t, excluded) is not None})
            for c in terms]


def _noun_feature(term: str, excluded: frozenset[str]) -> str | None:
    """``t:<term>``, or None for a term that is no feature (shorter than two characters, a
    city's name or place, no letter)."""
    ok = len(term) >= 2 and term not in excluded and _HANGUL_OR_LATIN.search(term)
    return f"t:{term}" if ok else None


# --- applying ------------------------------------------------------------------------------


def _decision(model: TagModel, p: float, explanation: str, result) -> tuple[bool, str]:
    """``(smart_city, evidence)`` of one article from the model's probability: the model's
    decision, or with ``mode = veto`` the rules' decision confirmed by the model."""
    agrees = p >= model.thresholds[SMART]
    rule = bool(result.signals["rule"])
    smart = (rule and agrees) if model.mode == "veto" else agrees
    verdict = "" if smart == rule else " (overrules the lexicon rule)"
    return smart, f"model {explanation}{verdict}"


def decide_smart_city(model: TagModel, results: Sequence,
                      features: Sequence[dict[str, float]]) -> list[tuple[bool, str]]:
    """``(smart_city, evidence)`` per article: the model's decision, or with ``mode = veto``
    the rules' decision confirmed by the model."""
    return [_decision(model, *model.weigh(SMART, feats), result)
            for result, feats in zip(results, features, strict=True)]


def decide_smart_city_nouns(
    model: TagModel, results: Sequence, nouns: tokens.NounCounts | None, *,
    resources: str | Path | None = None,
) -> list[tuple[bool, str]]:
    """:func:`decide_smart_city` on the features :func:`feature_dicts` makes from ``results``
    and ``nouns`` (the articles' :class:`~lib.tagging.tokens.NounCounts`, or None for no
    nouns; cues and city names from ``resources`` as there), without a feature dict per
    article: the noun features are weighed as columns.

    The sums are taken in the order :meth:`TagModel.weigh` takes them (lexicon, signals and cue
    features first, then the nouns in their order), so every probability and explanation is
    the same to the last bit.
    """
    w = model.weights[SMART]
    intercept = model.intercepts[SMART]
    n = len(results)
    cues = load_cues(resources) if nouns is not None else {}
    # What every article adds before its nouns: its partial sum and its shown parts.
    cue_sums = _cue_sums(cues, nouns, n)
    lex_weight: dict[str, tuple[str, float] | None] = {}
    head_sum = np.zeros(n)
    head_shown: list[list[tuple[float, str]]] = []
    sig_w = [(k, f, w[f]) for k, f in enumerate(SIGNAL_FEATURES) if f in w]
    cue_w = [(j, f"cue:{cue}", w[f"cue:{cue}"]) for j, cue in enumerate(cues) if f"cue:{cue}" in w]
    log1p = math.log1p
    for i, result in enumerate(results):
        parts = []
        for label, score in result.label_scores.items():
            known = lex_weight.get(label, False)
            if known is False:
                f = f"lex:{label}"
                known = lex_weight[label] = (f, w[f]) if f in w else None
            if known is not None:
                parts.append((float(score) * known[1], known[0]))
        values = signal_values(result.signals)
        parts += [(values[k] * weight, f) for k, f, weight in sig_w]
        parts += [(log1p(cue_sums[j][i]) * weight, f) for j, f, weight in cue_w]
        head_sum[i] = sum(c for c, _f in parts)
        head_shown.append([x for x in parts if abs(x[0]) >= 0.05])
    total, tail_shown = _noun_sums(w, nouns, head_sum, _excluded_terms(resources))
    out = []
    for i, result in enumerate(results):
        p = _logistic(intercept + float(total[i]))
        explanation = _explanation(p, head_shown[i] + tail_shown.get(i, []))
        out.append(_decision(model, p, explanation, result))
    return out


def _cue_sums(cues: dict[str, frozenset[str]], nouns: tokens.NounCounts | None,
              n: int) -> list[list[int]]:
    """Per cue, per article: how often the cue's words occur among the article's nouns."""
    if nouns is None or not cues:
        return [[0] * n for _ in cues]
    return [nouns.per_row(hit).astype(np.int64).tolist() for hit in nouns.in_lists(cues.values())]


def _noun_sums(
    w: dict[str, float], nouns: tokens.NounCounts | None, head_sum: np.ndarray,
    excluded: frozenset[str],
) -> tuple[np.ndarray, dict[int, list[tuple[float, str]]]]:
    """Each article's sum of every weighed part (``head_sum``, then its noun features in
    order, added one by one as :meth:`TagModel.weigh` adds them) and its noun parts of at
    least 0.05, by article; ``excluded`` terms (the cities' names) are no features."""
    n = len(head_sum)
    if nouns is None or not len(nouns.term):
        return head_sum, {}
    codes, distinct = pd.factorize(nouns.term)
    names = [_noun_feature(t, excluded) for t in distinct]
    is_feature = np.fromiter((f is not None for f in names), dtype=bool, count=len(names))
    weight = np.array([w.get(f, 0.0) if f is not None else 0.0 for f in names])
    weighed = np.fromiter((f is not None and f in w for f in names), dtype=bool, count=len(names))
    counts = nouns.count
    valid = is_feature[codes] & (counts > 0)
    # 1 + ln(count), from math.log once per distinct count (as feature_dicts computes it).
    distinct_counts = np.unique(counts[valid]) if valid.any() else np.zeros(0, dtype=np.int64)
    log_of = {int(c): 1.0 + math.log(int(c)) for c in distinct_counts.tolist()}
    value = np.zeros(len(counts))
    if log_of:
        table_keys = np.fromiter(log_of, dtype=np.int64, count=len(log_of))
        table_values = np.fromiter(log_of.values(), dtype=float, count=len(log_of))
        value[valid] = table_values[np.searchsorted(table_keys, counts[valid])]
    norm = np.sqrt(np.bincount(nouns.article, weights=value * value, minlength=n))
    norm[norm == 0.0] = 1.0
    part_mask = valid & weighed[codes]
    art = nouns.article[part_mask]
    contribution = (value[part_mask] / norm[art]) * weight[codes[part_mask]]
    # The sum continues from each article's head sum: head first, then the parts in order.
    owner = np.concatenate([np.arange(n), art])
    order = np.argsort(owner, kind="stable")
    total = np.bincount(owner[order], weights=np.concatenate([head_sum, contribution])[order],
                        minlength=n)
    shown: dict[int, list[tuple[float, str]]] = {}
    big = np.flatnonzero(np.abs(contribution) >= 0.05)
    # Only an article's EXPLAINED_PARTS largest noun parts (ties in order) can be among the
    # largest parts of its explanation, where they follow the head parts: the rest are not kept.
    by_size = big[np.lexsort((big, -np.abs(contribution[big]), art[big]))]
    starts = np.flatnonzero(np.r_[True, art[by_size][1:] != art[by_size][:-1]]) if len(by_size) else by_size
    rank = np.arange(len(by_size)) - np.repeat(starts, np.diff(np.r_[starts, len(by_size)]))
    kept = np.sort(by_size[rank < EXPLAINED_PARTS])
    for a, c, code in zip(art[kept].tolist(), contribution[kept].tolist(),
                          codes[part_mask][kept].tolist(), strict=True):
        shown.setdefault(a, []).append((c, names[code]))
    return total, shown


# --- fitting -------------------------------------------------------------------------------


@dataclass
class Candidate:
    """One way to decide, scored by cross-validation on the dev labels."""

    features: str
    mode: str
    c: float
    threshold: float
    f1: float
    #: Out-of-fold smart-city flags on the hard negatives given to :func:`cross_validate`.
    hard_flagged: int = 0
    #: The factor of the noun features of the ``scaled`` feature set (1 for the others).
    noun_weight: float = 1.0

    @property
    def setting(self) -> tuple[str, float, float]:
        """What one fit depends on (candidates that differ only in mode and threshold share it)."""
        return self.features, self.c, self.noun_weight


def cross_validate(
    features: Sequence[dict[str, float]],
    rule: np.ndarray,
    y: np.ndarray,
    *,
    repeats: int = 3,
    folds: int = 5,
    random_state: int = 0,
    hard_negatives: np.ndarray | None = None,
    overruled: np.ndarray | None = None,
    kinds: Sequence[str] = FEATURE_SETS,
    progress: bool = False,
) -> list[Candidate]:
    """Out-of-fold F1 of every feature set (of ``kinds``) × C × mode × threshold, best first
    (with ``progress``, a progress bar over the fitted settings).

    ``hard_negatives`` (a boolean mask over the articles, e.g. the labelled economy news) adds
    to each candidate how many of them it flags out of fold (``Candidate.hard_flagged``).
    ``overruled`` (a boolean mask, e.g. :func:`overruled_by_vetoes`) marks articles that are
    not smart-city whatever the model says, as the tagger decides them."""
    hard = np.zeros(len(y), dtype=bool) if hard_negatives is None else np.asarray(
        hard_negatives, dtype=bool)
    kept = np.ones(len(y), dtype=bool) if overruled is None else ~np.asarray(overruled, dtype=bool)
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.model_selection import StratifiedKFold

    from tqdm.auto import tqdm

    out = []
    unknown = set(kinds) - set(FEATURE_SETS)
    if unknown:
        raise ValueError(f"unknown feature set {sorted(unknown)}; one of {FEATURE_SETS}")
    grids = {kind: ([(c, k) for k in NOUN_WEIGHTS for c in _C_GRID_SCALED] if kind in _SCALED
                    else [(c, 1.0) for c in _C_GRID]) for kind in kinds}
    bar = tqdm(total=sum(map(len, grids.values())), disable=not progress, unit="setting",
               desc=f"smart-city model: {repeats}×{folds}-fold cross-validation")
    for kind, settings in grids.items():
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform(_keep(features, kind)).tocsr()
        nouns = _noun_columns(vectorizer)
        for c, noun_weight in settings:
            prob = np.zeros(len(y))
            for rep in range(repeats):
                cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state + rep)
                for train, test in cv.split(np.zeros(len(y)), y):
                    scale = _feature_scales(kind, x[train], y[train], nouns, noun_weight)
                    clf = _regression(c).fit(_scaled(x[train], scale), y[train])
                    prob[test] += clf.predict_proba(_scaled(x[test], scale))[:, 1] / repeats
            for threshold in np.round(np.arange(0.1, 0.91, 0.05), 2):
                agrees = (prob >= threshold) & kept
                for mode, pred in (("model", agrees), ("veto", rule & agrees)):
                    out.append(Candidate(kind, mode, c, float(threshold), _f1(pred, y),
                                         int((pred & hard).sum()), noun_weight))
            bar.update()
    bar.close()
    # Best F1 first; among equals the simpler choice: lexicon only, veto, stronger penalty.
    out.sort(key=lambda k: (-round(k.f1, 6), FEATURE_SETS.index(k.features), k.mode != "veto",
                            k.c, k.noun_weight))
    return out


def _regression(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=10000)


def _noun_columns(vectorizer) -> np.ndarray:
    """Which columns of a fitted DictVectorizer are noun features (``t:``)."""
    return np.array([str(n).startswith("t:") for n in vectorizer.get_feature_names_out()],
                    dtype=bool)


def _feature_scales(kind: str, x, y: np.ndarray, nouns: np.ndarray,
                    noun_weight: float) -> np.ndarray | None:
    """The column factors of feature set ``kind`` from the training rows ``x`` and their
    labels ``y`` (None for the unscaled sets)."""
    if kind not in _SCALED:
        return None
    scale = _column_scales(x, nouns, noun_weight)
    if kind == "scaled_nb":
        scale[nouns] *= _nb_ratios(x[:, nouns], y)
    return scale


def _nb_ratios(x, y: np.ndarray) -> np.ndarray:
    """Per column of ``x`` (the noun features of the training rows), the absolute naive-Bayes
    log-count ratio of the articles that use it, smart-city (``y``) against the others, over
    its mean across the columns (add-one smoothing; all ones when a class is missing)."""
    y = np.asarray(y, dtype=bool)
    if not x.shape[1] or y.all() or not y.any():
        return np.ones(x.shape[1])
    used = (x != 0).astype(float)
    a = np.asarray(used[y].sum(axis=0)).ravel() + 1.0
    b = np.asarray(used[~y].sum(axis=0)).ravel() + 1.0
    ratio = np.abs(np.log((a / a.sum()) / (b / b.sum())))
    mean = ratio.mean()
    return ratio / mean if mean > 0 else np.ones(len(ratio))


def _column_scales(x, nouns: np.ndarray, noun_weight: float) -> np.ndarray:
    """The factor of every column of the ``scaled`` feature set, from the training rows ``x``:
    ``noun_weight`` for the nouns, 1 / the largest absolute value for the others (1 where a
    column is all zero)."""
    largest = np.asarray(abs(x).max(axis=0).todense()).ravel()
    scale = 1.0 / np.where(largest > 0, largest, 1.0)
    scale[nouns] = noun_weight
    return scale


def _scaled(x, scale: np.ndarray | None):
    """``x`` with its columns multiplied by ``scale`` (``x`` itself for None)."""
    if scale is None:
        return x
    import scipy.sparse as sp

    return (x @ sp.diags(scale)).tocsr()


def ranked_candidates(candidates: Sequence[Candidate], *, tolerance: float) -> list[Candidate]:
    """The candidates (best F1 first) within ``tolerance`` of the best cross-validated F1, in
    order of preference: fewest hard negatives flagged, then higher F1, then the earlier
    (simpler) candidate. On a few hundred labelled articles F1 differences of about one article
    are noise, while each wrongly flagged economy story is an error users see."""
    top = candidates[0].f1
    near = [c for c in candidates if c.f1 >= top - tolerance]
    return sorted(near, key=lambda c: (c.hard_flagged, -round(c.f1, 6)))


def choose_candidate(candidates: Sequence[Candidate], *, tolerance: float) -> Candidate:
    """The first of :func:`ranked_candidates`."""
    return ranked_candidates(candidates, tolerance=tolerance)[0]


def with_decision(model: TagModel, candidate: Candidate) -> TagModel:
    """``model``'s weights with ``candidate``'s way to decide (mode and threshold): candidates
    that differ only there share one fit."""
    return replace(model, thresholds={SMART: candidate.threshold},
                   meta={**model.meta, "mode": candidate.mode})


def fit_tag_model(features: Sequence[dict[str, float]], y: np.ndarray, best: Candidate) -> TagModel:
    """Fit the chosen candidate on all of ``features`` and ``y``. For the ``scaled`` feature
    set the column factors are folded into the weights (weight times factor), so the model
    weighs the features as they are, like any other."""
    from sklearn.feature_extraction import DictVectorizer

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(_keep(features, best.features)).tocsr()
    scale = _feature_scales(best.features, x, y, _noun_columns(vectorizer), best.noun_weight)
    clf = _regression(best.c).fit(_scaled(x, scale), y)
    coef = clf.coef_[0] if scale is None else clf.coef_[0] * scale
    weights = {str(n): float(w) for n, w in zip(vectorizer.get_feature_names_out(), coef,
                                                strict=True)}
    meta = {"mode": best.mode, "features": best.features, "C": str(best.c)}
    if best.features in _SCALED:
        meta["noun_weight"] = f"{best.noun_weight:g}"
    return TagModel({SMART: weights}, {SMART: float(clf.intercept_[0])}, {SMART: best.threshold},
                    meta)


def _keep(features: Sequence[dict[str, float]], kind: str) -> list[dict[str, float]]:
    if kind == "lexicon":
        return [{f: v for f, v in feats.items() if not f.startswith(("t:", "cue:"))}
                for feats in features]
    df = Counter(f for feats in features for f in feats if f.startswith("t:"))
    return [{f: v for f, v in feats.items() if not f.startswith("t:") or df[f] >= MIN_DF}
            for feats in features]


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
