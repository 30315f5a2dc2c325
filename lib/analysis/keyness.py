"""Which words set one group's coverage apart from another's, and how often a term is used.

- :func:`keyness` compares two groups of articles (the two cities of the vocabulary's
  ``compare`` pair, or two periods). ``log_odds`` is the weighted log-odds ratio with an
  informative Dirichlet prior of Monroe, Colaresi & Quinn (2008, *Fightin' Words*, Political
  Analysis 16(4)):

      delta_w = log[(y_wa + a_w) / (n_a + a_0 - y_wa - a_w)]
              - log[(y_wb + a_w) / (n_b + a_0 - y_wb - a_w)]

  where ``y_wg`` counts term ``w`` in group ``g`` and ``n_g`` all terms of the group. The prior
  has the shape of the pooled counts but a fixed, modest mass: ``a_w = a_0 * y_w / sum(y)``
  with ``a_0 = prior_weight * V``, one pseudo-count per term on average over the ``V`` terms
  compared. (A prior of the pooled counts themselves, as tidylo's ``bind_log_odds`` takes,
  counts the data twice: its z spreads 0.56 under random splits, not 1.) ``z`` is the
  two-proportion score statistic of the term's 2x2 table, the signed square root of
  Pearson's chi-squared:

      z_w = (y_wa / N_a - y_wb / N_b) / sqrt(p_w * (1 - p_w) * (1 / N_a + 1 / N_b))

  with ``N_g`` the group's articles (its uses of all terms with ``unit="uses"``) and ``p_w`` the
  pooled share. Under random splits of the articles it has mean 0 and variance N / (N - 1) for
  every term, however rare, so |z| >= 1.96 is the two-sided 5% level of one test. Monroe's own
  z, ``delta_w / sqrt(1 / (y_wa + a_w) + 1 / (y_wb + a_w))``, is not used: with a prior this
  small, the standard error of a zero count holds down the z of a term one group never uses
  (in 8 of 400 articles against none of 400: under 2, where the score z is 2.8), and with a
  larger prior it is no longer a z.
  Both are antisymmetric: swapping the groups flips the sign of every ``log_odds`` and ``z``.
  ``z`` ranks the terms; the size of a difference is read from ``share_group`` and
  ``share_other``, the share of each group's articles that use the term. ``y_wg`` counts the
  group's **articles** using the term (``unit="articles"``, the default), not its uses: one
  article repeating a word (a BigKinds 키워드 list holds one up to 76 times) would otherwise
  make a finding of it.
- Thousands of terms are compared, so some reach a large z by chance: :func:`keyness` also
  shuffles the two groups' labels over their articles (``permutations`` times) and keeps, in
  ``attrs["chance_z"]``, the 95th percentile of the largest |z| a shuffle gives (well above
  1.96 when thousands of terms are compared). A term above it stands out more than any term
  of 95% of random splits; the findings cite only those.
- :func:`city_keyness` and :func:`period_keyness` pick the groups from the tagged table.
- :func:`term_trends` gives the share of a region's articles per period that use a term, with
  Wilson intervals (documents containing the term / documents).

Terms are those of :func:`lib.tagging.tokens.token_table` (Kiwi nouns, or BigKinds 키워드 on
lead-only rows), minus :func:`excluded_terms`: the news stopwords (``stopwords.txt``), the
analysis stopwords (``analysis_stopwords.txt``) and every name and place of every city in the
regions file, because "Sejong articles say 세종" is no finding; and minus the shapes of
:func:`excluded_shape`: compounds that begin with a city's name (대전시민천문대), official
titles (정책과장) and dates (26일).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.analysis.topic_trends import FACT_COLUMNS, Findings
from lib.analysis.trends import period_labels, period_start, wilson_interval
from lib.corpus.textio import read_data_file
from lib.tagging import TAG_DEFAULTS
from lib.tagging.candidates import extract_candidates
from lib.tagging.regions import load_region_rules
from lib.tagging.resources import (
    load_stopwords,
    load_user_dict,
    resources_dir,
    synonym_map,
    term_key,
)
from lib.vocabulary import as_topic_keys, attach_particle, get_vocabulary, region_label

#: The analysis stopwords file in the resource folder.
ANALYSIS_STOPWORDS_FILE = "analysis_stopwords.txt"

KEYNESS_COLUMNS: tuple[str, ...] = (
    "term", "group", "log_odds", "z", "share_group", "share_other", "n_group", "n_other",
    "docs_group", "docs_other", "examples", "swing_outlet", "z_without",
)
TERM_TREND_COLUMNS: tuple[str, ...] = (
    "period", "region", "term", "n_docs", "n_total", "share", "ci_low", "ci_high", "too_few",
)
#: Suffixes of administrative units: a one-word place ending in one (보람동, 조치원읍) also
#: excludes its stem, which is what Kiwi keeps when it splits the suffix off.
_UNIT_SUFFIXES = ("동", "읍", "면", "구", "리")


#: A line of ``analysis_stopwords.txt`` starting with this drops every term ending with the
#: rest of the line (``~과장`` drops 과장, 정책과장, 스마트정보과장).
SUFFIX_MARK = "~"
#: A number with a unit of time (26일, 3월, 2021년, 2분기) dates a story in any corpus; it is
#: never what a story is about. BigKinds 키워드 lists hold such terms.
_DATE_TERM = r"\d+(?:일|월|년|개월|분기|주|시|분)"
#: A term that begins with a city's name needs this many more characters to be dropped as a
#: place or body of the city (대전시민천문대, 세종시청, 세종시가): with one more syllable it is
#: mostly another word that happens to start with the name (대전환 "great transition" in
#: "디지털 대전환", 대전제, 세종대).
_MIN_REST_AFTER_NAME = 2


def load_analysis_stopwords(directory: str | Path | None = None) -> frozenset[str]:
    """The analysis stopwords (``analysis_stopwords.txt``), one term a line, ``#`` comments;
    suffix lines keep their leading ``~`` (see :data:`SUFFIX_MARK`)."""
    file = resources_dir(directory) / ANALYSIS_STOPWORDS_FILE
    return frozenset(
        ln.strip() for ln in read_data_file(file).split("\n")
        if ln.strip() and not ln.lstrip().startswith("#")
    )


def excluded_terms(
    *, regions_file: str | Path | None = None, resources: str | Path | None = None
) -> frozenset[str]:
    """Every term the analyses leave out: news and analysis stopwords, and the names, places
    (ambiguous ones too), weak places, datelines and bullets of every city in the regions file:
    as written, without spaces, each word of a spaced form that is a city name or, next to one,
    a district such as 동구, and the stem of a one-word place ending in 동/읍/면/구/리."""
    path = paths.regions_file(regions_file)
    folder = resources_dir(resources)
    return _excluded(str(path), path.stat().st_mtime_ns, str(folder))


def excluded_shape(
    *, regions_file: str | Path | None = None, resources: str | Path | None = None
) -> re.Pattern[str]:
    """The shapes of terms the analyses leave out, as one regular expression to ``fullmatch``
    against a term with its spaces removed:

    - a term that begins with a city's name (``names``, ``bare_names`` or ``label`` of every
      city in the regions file) followed by at least two more characters: 대전시민천문대,
      세종시청, 대전테크노파크, 세종시가 (a particle Kiwi left on). Such a compound names a place,
      body or person of the city, which says no more than the city's name, and the regions file
      cannot list them all. It is dropped, not stripped to its rest: 시민천문대 would still be a
      Daejeon place. One more syllable is not enough (대전환, 대전제, 세종대 are other words);
    - a term ending with a suffix line of ``analysis_stopwords.txt`` (``~과장``: official titles,
      정책과장, 스마트정보과장, which only say an official was quoted);
    - a number with a unit of time (26일, 2021년, 2분기).
    """
    path = paths.regions_file(regions_file)
    folder = resources_dir(resources)
    return _shape(str(path), path.stat().st_mtime_ns, str(folder))


def _city_names(rules) -> set[str]:
    """Every name of every city of a regions file: its names, bare names and label."""
    return {n for city in rules.cities for n in (*city.names, *city.bare_names, city.label)}


@functools.lru_cache(maxsize=8)
def _shape(regions: str, _stamp: int, folder: str) -> re.Pattern[str]:
    names = {n.replace(" ", "") for n in _city_names(load_region_rules(regions))}
    names = {n for n in names if len(n) >= 2}
    suffixes = {w[len(SUFFIX_MARK):] for w in load_analysis_stopwords(folder)
                if w.startswith(SUFFIX_MARK) and len(w) > len(SUFFIX_MARK)}
    parts = [_DATE_TERM]
    if names:
        alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        parts.append(f"(?:{alts}).{{{_MIN_REST_AFTER_NAME},}}")
    if suffixes:
        parts.append(".*(?:" + "|".join(re.escape(x) for x in sorted(suffixes)) + ")")
    return re.compile("|".join(f"(?:{p})" for p in parts))


@functools.lru_cache(maxsize=8)
def _excluded(regions: str, _stamp: int, folder: str) -> frozenset[str]:
    rules = load_region_rules(regions)
    words = {w for w in load_analysis_stopwords(folder) if not w.startswith(SUFFIX_MARK)}
    out: set[str] = set(load_stopwords(folder)) | words
    names = _city_names(rules)
    for city in rules.cities:
        forms = [*city.names, *city.places, *city.ambiguous_places, *city.weak_places,
                 *city.datelines, *city.bullets, *city.bare_names, city.label]
        for form in forms:
            form = form.strip()
            out |= {form, form.replace(" ", ""), term_key(form)}
            words = form.split()
            out |= {w for w in words if w in names}
            if len(words) > 1 and any(w in names for w in words):
                # "대전 동구": the district next to the city name is a place too.
                out |= {w for w in words if len(w) >= 2 and w.endswith(_UNIT_SUFFIXES)}
            if len(words) == 1 and form.endswith(_UNIT_SUFFIXES) and len(form) >= 3:
                out.add(form[:-1])
    return frozenset(t for t in out if t)


def analysis_terms(
    tokens: pd.DataFrame,
    *,
    exclude: Iterable[str] | None = None,
    min_chars: int = 2,
) -> pd.DataFrame:
    """The token table without excluded terms: ``article_id, term, count``.

    ``exclude`` defaults to :func:`excluded_terms` together with the shapes of
    :func:`excluded_shape` (terms beginning with a city's name, official titles, dates); a
    given ``exclude`` is the whole list. Hangul terms shorter than ``min_chars`` syllables
    (동, 점, 곳: fragments and function nouns) are dropped too, and any term of one character
    (U, D of a keyword list's u-City or D-데이터); Latin terms of two or more (AI) are kept.
    Counts of one term under several Kiwi tags are summed.
    """
    terms = tokens["term"].astype(str)
    if exclude is None:
        keep = ~terms.isin(excluded_terms()) & ~is_excluded_shape(terms)
    else:
        keep = ~terms.isin(frozenset(exclude))
    hangul = terms.str.contains("[가-힣]", regex=True)
    keep &= ~(hangul & (terms.str.len() < min_chars)) & (terms.str.len() > 1)
    kept = tokens.loc[keep, ["article_id", "term", "count"]]
    out = kept.groupby(["article_id", "term"], sort=False, as_index=False)["count"].sum()
    out["article_id"] = out["article_id"].astype(str)
    return out


def is_excluded_shape(terms: pd.Series, shape: re.Pattern[str] | None = None) -> pd.Series:
    """Whether each term has a shape of :func:`excluded_shape` (its spaces removed first)."""
    shape = excluded_shape() if shape is None else shape
    bare = terms.astype(str).str.replace(" ", "", regex=False)
    return bare.str.fullmatch(shape.pattern).fillna(False).astype(bool)


def select_articles(
    tagged: pd.DataFrame, *, smart_city_only: bool = True, dedup: bool = True
) -> pd.DataFrame:
    """The articles an analysis reads: one row per ``article_id``, without duplicates
    (``dedup``) and, with ``smart_city_only``, only smart-city coverage. Tag columns an untagged
    table lacks get their defaults (``neither``, not smart-city, no topics)."""
    frame = tagged.copy()
    for col, default in TAG_DEFAULTS.items():
        if col not in frame.columns:
            frame[col] = [default] * len(frame) if isinstance(default, tuple) else default
    frame["article_id"] = frame["article_id"].astype(str)
    frame["topics"] = [as_topic_keys(v) for v in frame["topics"]]
    if "published" in frame.columns:
        frame["published"] = pd.to_datetime(frame["published"], errors="coerce")
    else:
        frame["published"] = pd.NaT
    if dedup and "is_duplicate" in frame.columns:
        frame = frame[~frame["is_duplicate"].fillna(False).astype(bool)]
    if smart_city_only:
        frame = frame[frame["smart_city"].fillna(False).astype(bool)]
    return frame.drop_duplicates(subset="article_id", keep="first")


def log_odds_dirichlet(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    prior_weight: float = 1.0,
    totals: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Weighted log-odds of each term in group a against group b, and its z (see the module
    docstring).

    ``counts_a`` and ``counts_b`` map term -> count (missing terms count 0); ``totals`` are the
    two groups' sizes the z compares shares of (their articles when the counts are articles
    using a term; default the sums of the counts). Returns a table indexed by term with
    ``log_odds`` (natural log of the odds ratio, shrunk by the Dirichlet prior; > 0 means
    typical of a), ``z`` (the two-proportion score statistic, standard normal when the groups
    do not differ and the counts are of independent units such as articles), ``n_a`` and
    ``n_b``. ``prior_weight`` is the prior's mass in pseudo-counts
    per term on average (larger: more shrinkage of ``log_odds`` towards 0; ``z`` is unaffected).
    """
    if prior_weight <= 0:
        raise ValueError("prior_weight must be positive")
    frame = pd.concat([counts_a.rename("n_a"), counts_b.rename("n_b")], axis=1).fillna(0)
    y_a = frame["n_a"].to_numpy(dtype=float)
    y_b = frame["n_b"].to_numpy(dtype=float)
    size_a, size_b = (y_a.sum(), y_b.sum()) if totals is None else totals
    out = pd.DataFrame({"log_odds": _log_odds(y_a, y_b, prior_weight),
                        "z": _score_z(y_a, y_b, size_a, size_b)}, index=frame.index)
    out["n_a"] = frame["n_a"].astype("int64")
    out["n_b"] = frame["n_b"].astype("int64")
    return out


#: The unit :func:`keyness` counts by default, and the shuffles behind ``attrs["chance_z"]``.
UNITS = ("articles", "uses")
PERMUTATIONS = 200


def _log_odds(y_a: np.ndarray, y_b: np.ndarray, prior_weight: float) -> np.ndarray:
    """:func:`log_odds_dirichlet`'s ``log_odds`` of count arrays: Monroe et al.'s delta with
    a prior of ``prior_weight * len(y)`` pseudo-counts spread as the pooled counts."""
    pooled = y_a + y_b
    a0 = prior_weight * len(pooled)
    alpha = (a0 * pooled / pooled.sum() if pooled.sum() > 0
             else np.full(len(pooled), float(prior_weight)))
    n_a, n_b = y_a.sum(), y_b.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.log((y_a + alpha) / (n_a + a0 - y_a - alpha))
                - np.log((y_b + alpha) / (n_b + a0 - y_b - alpha)))


def _score_z(y_a: np.ndarray, y_b: np.ndarray, size_a: float | np.ndarray,
             size_b: float | np.ndarray) -> np.ndarray:
    """The two-proportion score z of ``y_a`` of ``size_a`` against ``y_b`` of ``size_b``;
    0 where the pooled share is 0 or 1 (no difference can show)."""
    size_a = np.maximum(np.asarray(size_a, dtype=float), 1.0)
    size_b = np.maximum(np.asarray(size_b, dtype=float), 1.0)
    pooled = (y_a + y_b) / (size_a + size_b)
    spread = pooled * (1.0 - pooled) * (1.0 / size_a + 1.0 / size_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (y_a / size_a - y_b / size_b) / np.sqrt(spread)
    return np.where(spread > 0, z, 0.0)


def keyness(
    terms: pd.DataFrame,
    groups: pd.Series,
    pair: Sequence[str],
    *,
    min_count: int = 3,
    prior_weight: float = 1.0,
    unit: str = "articles",
    permutations: int = PERMUTATIONS,
    seed: int = 0,
    outlets: pd.Series | None = None,
) -> pd.DataFrame:
    """Keyness of every term between the two groups of ``pair``.

    ``terms`` is an :func:`analysis_terms` table (``article_id, term, count``); ``groups`` maps
    ``article_id`` (its index) to a group name; articles of other groups are ignored. The
    log-odds and z count each group's articles using a term (``unit="articles"``: z compares
    the shares of the groups' articles) or its uses (``"uses"``: shares of all uses); terms
    counted fewer than ``min_count`` times in both groups together are left out. Counted by
    articles, ``z`` is standard normal for a term the groups use alike (see the module
    docstring); counted by uses it is not (an article repeating a word is not many
    independent uses), and only the chance bar, which shuffles whole articles, holds.
    ``attrs["chance_z"]``: the 95th percentile, over ``permutations`` shuffles of the group
    labels (``seed``), of the largest |z| of any term (NaN with ``permutations=0``).

    The shuffles treat articles as exchangeable, and an outlet's articles are not: one outlet's
    series of templated stories, or its habit of a word, can give a term a large z that no
    other outlet shares. With ``outlets`` (``article_id`` to outlet), each term whose |z|
    reaches 1.96 (counted by articles; not by uses, whose z is no z) is scored again with each
    outlet's articles (of both groups) left out in turn:
    ``swing_outlet`` is the outlet whose removal lowers the term's z towards its group most,
    ``z_without`` the z without it (see :func:`outlet_holds`). Both are empty for the other
    terms, and without ``outlets``.

    Returns a tidy table ``term, group, log_odds, z, share_group, share_other, n_group, n_other,
    docs_group, docs_other, examples, swing_outlet, z_without`` with two rows per term (one per group, signs opposite):
    ``share_*`` are the shares of the group's and the other group's articles using the term
    (the effect size: ``log_odds`` is shrunk by the prior), ``n_*`` count the term's uses,
    ``docs_*`` the articles using it, ``examples`` the ids of up to three of the group's
    articles using it most (comma-joined; read them with ``lib.analysis.kwic``). Sorted by group
    (pair order), then ``z`` descending.
    ``attrs`` holds ``pair`` and ``n_articles`` (articles per group).
    """
    a, b = str(pair[0]), str(pair[1])
    if a == b:
        raise ValueError(f"keyness needs two different groups, got {a!r} twice")
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    group_of = groups.astype(str)
    group_of.index = group_of.index.astype(str)
    frame = terms.assign(group=terms["article_id"].astype(str).map(group_of))
    frame = frame[frame["group"].isin([a, b])]
    counts = frame.groupby(["group", "term"])["count"].sum()
    docs = frame.groupby(["group", "term"])["article_id"].nunique()
    top_ids = (frame.sort_values(["count", "article_id"], ascending=[False, True])
               .groupby(["group", "term"], sort=False).head(3)
               .groupby(["group", "term"])["article_id"].agg(", ".join))

    def _get(series: pd.Series, g: str) -> pd.Series:
        return series.xs(g) if g in series.index.get_level_values(0) else pd.Series(dtype=float)

    in_groups = group_of[group_of.isin([a, b])]
    n_articles = {g: int((in_groups == g).sum()) for g in (a, b)}
    if unit == "articles":
        counted, totals = docs, (n_articles[a], n_articles[b])
    else:
        counted, totals = counts, None
    scored = log_odds_dirichlet(_get(counted, a), _get(counted, b), prior_weight=prior_weight,
                                totals=totals)
    scored = scored[(scored["n_a"] + scored["n_b"]) >= max(int(min_count), 1)]
    d_a = _get(docs, a).reindex(scored.index).fillna(0).astype("int64")
    d_b = _get(docs, b).reindex(scored.index).fillna(0).astype("int64")
    u_a = _get(counts, a).reindex(scored.index).fillna(0).astype("int64")
    u_b = _get(counts, b).reindex(scored.index).fillna(0).astype("int64")
    scored = scored.assign(n_a=u_a.to_numpy(), n_b=u_b.to_numpy())
    # Counted by uses z is not standard normal, and 1.96 means nothing: no outlet check then.
    outlets = outlets if unit == "articles" else None
    vocab = pd.Index(scored.index.astype(str))
    articles = pd.Index(in_groups.index.astype(str))
    # Which articles use which term (or how often), once: the shuffles, the outlet check and
    # the twins read it.
    matrix = _article_terms(frame, articles, vocab, uses=unit == "uses")
    using = matrix if unit == "articles" else None
    swing, z_without = _outlet_swing(using, in_groups, (a, b), scored, outlets)
    rows = []
    for g, sign, n_g, n_o, dg, do, other in ((a, 1.0, "n_a", "n_b", d_a, d_b, b),
                                            (b, -1.0, "n_b", "n_a", d_b, d_a, a)):
        rows.append(pd.DataFrame({
            "term": scored.index.astype(str),
            "group": g,
            "log_odds": sign * scored["log_odds"].to_numpy(),
            "z": sign * scored["z"].to_numpy(),
            "share_group": dg.to_numpy() / max(n_articles[g], 1),
            "share_other": do.to_numpy() / max(n_articles[other], 1),
            "n_group": scored[n_g].to_numpy(),
            "n_other": scored[n_o].to_numpy(),
            "docs_group": dg.to_numpy(),
            "docs_other": do.to_numpy(),
            "examples": [top_ids.get((g, t), "") for t in scored.index.astype(str)],
            "swing_outlet": swing[g],
            "z_without": z_without[g],
        }))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=KEYNESS_COLUMNS)
    out["group"] = pd.Categorical(out["group"], categories=[a, b], ordered=True)
    out = out.sort_values(["group", "z", "term"], ascending=[True, False, True])
    out["group"] = out["group"].astype(str)
    out = out[list(KEYNESS_COLUMNS)].reset_index(drop=True)
    out.attrs["pair"] = (a, b)
    out.attrs["n_articles"] = n_articles
    out.attrs["unit"] = unit
    out.attrs["outlet_checked"] = outlets is not None
    # The z compares shares of articles, or with unit "uses" of all uses of every term.
    sizes = (np.ones(len(articles)) if unit == "articles" else
             frame.groupby(frame["article_id"].astype(str))["count"].sum()
             .reindex(articles, fill_value=0).to_numpy(float))
    out.attrs["chance_z"] = _chance_z(matrix, sizes, in_groups.to_numpy() == a,
                                      permutations=permutations, seed=seed)
    out.attrs["twins"] = (_twins(using, vocab, scored["n_a"] + scored["n_b"])
                          if using is not None else {})
    return out


def _article_terms(frame: pd.DataFrame, articles: pd.Index, vocab: pd.Index, *,
                   uses: bool = False) -> object:
    """Which of ``articles`` use which of ``vocab`` (``frame``'s ``article_id, term, count``
    rows): a sparse matrix, articles × terms, in their orders, of 1s, or with ``uses`` of each
    article's uses of each term."""
    from scipy import sparse

    rows = articles.get_indexer(frame["article_id"].astype(str))
    cols = vocab.get_indexer(frame["term"].astype(str))
    known = (rows >= 0) & (cols >= 0)
    values = frame["count"].to_numpy(float)[known] if uses else np.ones(int(known.sum()))
    matrix = sparse.csr_matrix((values, (rows[known], cols[known])),
                               shape=(len(articles), len(vocab)))
    if not uses:
        matrix.data[:] = 1.0  # an article's repeated rows of one term count once
    return matrix


#: How the outlet check names the articles whose table gives no outlet.
UNKNOWN_OUTLET = "(언론사 미상)"
#: The |z| a term needs for its outlet check: the level of one test. The shuffles' bar picks the
#: terms worth citing; without its swing outlet a term still needs the other outlets to show
#: the difference at 5% on their own.
OUTLET_Z = 1.96


def _outlet_swing(using: object, groups: pd.Series, pair: tuple[str, str],
                  scored: pd.DataFrame, outlets: pd.Series | None
                  ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per group, each scored term's ``swing_outlet`` and ``z_without`` (:func:`keyness`): the
    z of the term with each outlet's articles left out in turn, taken from the group's side
    (its own sign), the lowest kept. Terms below :data:`OUTLET_Z` are not checked ("" and NaN);
    a term one of whose groups a single outlet writes alone gets that outlet and NaN.
    ``using``: :func:`_article_terms` of ``groups``' articles and the scored terms.
    """
    from scipy import sparse

    terms = scored.index.astype(str)
    a, b = pair
    empty = {g: (np.full(len(terms), "", dtype=object), np.full(len(terms), np.nan))
             for g in (a, b)}
    checked = np.abs(scored["z"].to_numpy(dtype=float)) >= OUTLET_Z
    if outlets is None or not checked.any():
        return ({g: v[0] for g, v in empty.items()}, {g: v[1] for g, v in empty.items()})
    outlet_of = pd.Series(outlets.to_numpy(), index=outlets.index.astype(str))
    # Articles without an outlet are left out together, under one name a reader can see.
    article_outlet = (pd.Series(groups.index.astype(str)).map(outlet_of)
                      .map(lambda name: str(name).strip() if pd.notna(name) else "")
                      .replace("", UNKNOWN_OUTLET))
    names_o = pd.Index(sorted(article_outlet.unique()))
    in_a = groups.to_numpy() == a
    code = names_o.get_indexer(article_outlet)
    # Counted by articles: each group's articles per outlet, and the articles using each term.
    size_a = np.bincount(code[in_a], minlength=len(names_o)).astype(float)
    size_b = np.bincount(code[~in_a], minlength=len(names_o)).astype(float)
    kept = pd.Index(terms[checked])
    # Articles using each checked term, per outlet and group: outlets × terms for each group.
    outlet_of_article = sparse.csr_matrix(
        (np.ones(len(code)), (np.arange(len(code)), code)), shape=(len(code), len(names_o)))
    columns = using[:, np.flatnonzero(checked)]
    y = np.stack([(outlet_of_article[rows].T @ columns[rows]).toarray()
                  for rows in (np.flatnonzero(in_a), np.flatnonzero(~in_a))])
    total_a, total_b = y[0].sum(axis=0), y[1].sum(axis=0)
    z = _score_z(total_a - y[0], total_b - y[1], (size_a.sum() - size_a)[:, None],
                 (size_b.sum() - size_b)[:, None])
    # An outlet that writes every article of a group leaves nothing to compare: no z.
    empty_side = ((size_a.sum() - size_a) <= 0) | ((size_b.sum() - size_b) <= 0)
    z[empty_side] = np.nan
    swing: dict[str, np.ndarray] = {}
    without: dict[str, np.ndarray] = {}
    for g, sign in ((a, 1.0), (b, -1.0)):
        # A group's row reads the z from its own side: +z for the first group, -z for the
        # other. An outlet that writes all of a group's articles is the one it rests on: no z.
        own = np.where(np.isnan(z), -np.inf, sign * z)
        pick = np.argmin(own, axis=0)
        lowest = own[pick, np.arange(len(kept))]
        s_col, z_col = empty[g][0].copy(), empty[g][1].copy()
        s_col[checked] = names_o[pick].astype(object)
        z_col[checked] = np.where(np.isneginf(lowest), np.nan, lowest)
        swing[g], without[g] = s_col, z_col
    return swing, without


def outlet_holds(table: pd.DataFrame, *, min_z: float = OUTLET_Z) -> pd.Series:
    """Which rows of a :func:`keyness` table keep their difference without any one outlet:
    ``z_without`` (the group's own side) still reaches ``min_z``. False where one outlet writes
    all of a group's articles (it has a ``swing_outlet`` but no ``z_without``); True for rows
    not checked (|z| under :data:`OUTLET_Z`) and for every row of a table scored without
    outlets: there is nothing to say of them."""
    if not table.attrs.get("outlet_checked") or "z_without" not in table.columns:
        return pd.Series(True, index=table.index, dtype=bool)
    without = table["z_without"].astype(float)
    unchecked = without.isna() & (table["swing_outlet"].fillna("").astype(str) == "")
    return (unchecked | (without >= min_z)).astype(bool)


def _twins(using: object, vocab: pd.Index, uses: pd.Series) -> dict[str, tuple[str, ...]]:
    """The terms of ``vocab`` used in exactly the same articles as another term (``using``:
    :func:`_article_terms`): each mapped to all the terms of its set, the most used first
    (``uses``, by term; ties by term)."""
    by_term = using.tocsc()
    by_term.sort_indices()
    sets: dict[bytes, list[int]] = {}
    for j in range(len(vocab)):
        rows = by_term.indices[by_term.indptr[j]:by_term.indptr[j + 1]]
        if len(rows):
            sets.setdefault(rows.tobytes(), []).append(j)
    out: dict[str, tuple[str, ...]] = {}
    for columns in sets.values():
        if len(columns) > 1:
            names = sorted((str(vocab[j]) for j in columns), key=lambda t: (-uses[t], t))
            out.update({t: tuple(names) for t in names})
    return out


def merge_twins(table: pd.DataFrame, *, sep: str = "·") -> pd.DataFrame:
    """A :func:`keyness` table with one row for terms used in exactly the same articles
    (``attrs["twins"]``: 영상 and 위급 of the same reports), which have the same ``z``,
    shares and article counts: listed apart they read as several findings.

    A merged row is its group's first row of the set, its ``term`` the set's terms joined by
    ``sep`` (most used first), ``n_group``/``n_other`` the uses of all of them; ``n_terms``
    (every row) says how many terms it holds. Order and ``attrs`` are kept."""
    twins = table.attrs.get("twins") or {}
    if table.empty or not twins:
        return table.assign(n_terms=np.ones(len(table), dtype="int64"))
    lead = table["term"].map(lambda t: twins.get(t, (t,))[0])
    keys = pd.DataFrame({"group": table["group"].to_numpy(), "lead": lead.to_numpy()},
                        index=table.index)
    out = table[~keys.duplicated()].copy()
    grouped = table.groupby([keys["group"], keys["lead"]], sort=False)
    joined = grouped.agg(n_group=("n_group", "sum"), n_other=("n_other", "sum"),
                         n_terms=("term", "size"))
    rows = pd.MultiIndex.from_frame(keys.loc[out.index])
    for col in joined.columns:
        out[col] = joined[col].reindex(rows).to_numpy()
    present = set(zip(keys["group"], table["term"]))
    out["term"] = [sep.join(t for t in twins.get(term, (term,)) if (g, t) in present)
                   for g, term in zip(out["group"], lead.loc[out.index])]
    out["n_terms"] = out["n_terms"].astype("int64")
    out.attrs.update(table.attrs)
    return out


def _chance_z(matrix: object, sizes: np.ndarray, in_first: np.ndarray, *, permutations: int,
              seed: int) -> float:
    """The 95th percentile of the largest |z| of any term over ``permutations`` shuffles of the
    groups over their articles (``matrix``: :func:`_article_terms` of the two groups'
    articles; ``sizes`` each article's size, 1 or its uses of every term; ``in_first`` which
    articles are the first group's); NaN without shuffles, terms or articles."""
    if permutations <= 0 or 0 in matrix.shape:
        return float("nan")
    total = np.asarray(matrix.sum(axis=0)).ravel()
    labels = np.asarray(in_first, dtype=float)
    rng = np.random.default_rng(seed)
    largest = np.empty(permutations)
    for i in range(permutations):
        shuffled = rng.permutation(labels)
        y_a = matrix.T @ shuffled
        size_a = sizes @ shuffled
        z = _score_z(y_a, total - y_a, size_a, sizes.sum() - size_a)
        largest[i] = np.nanmax(np.abs(z)) if np.isfinite(z).any() else 0.0
    return float(np.quantile(largest, 0.95))


def _outlets(arts: pd.DataFrame) -> pd.Series | None:
    """``article_id`` to outlet of :func:`select_articles`' rows, for :func:`keyness`'s outlet
    check; ``None`` when the table names no outlet."""
    if "outlet" not in arts.columns or not arts["outlet"].notna().any():
        return None
    return pd.Series(arts["outlet"].fillna("").astype(str).to_numpy(),
                     index=arts["article_id"].astype(str).to_numpy())


def city_keyness(
    tagged: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    pair: Sequence[str] | None = None,
    smart_city_only: bool = True,
    dedup: bool = True,
    min_count: int = 3,
    prior_weight: float = 1.0,
    exclude: Iterable[str] | None = None,
    unit: str = "articles",
    permutations: int = PERMUTATIONS,
) -> pd.DataFrame:
    """Keyness between two cities (default: the vocabulary's ``compare`` pair): each city's
    articles (``region`` equal to its key; articles about both or neither are left out),
    smart-city coverage only unless ``smart_city_only=False``. See :func:`keyness`."""
    pair = tuple(pair) if pair is not None else get_vocabulary().compare
    arts = select_articles(tagged, smart_city_only=smart_city_only, dedup=dedup)
    groups = arts.set_index("article_id")["region"].astype(str)
    terms = analysis_terms(tokens[tokens["article_id"].astype(str).isin(groups.index)],
                           exclude=exclude)
    out = keyness(terms, groups, pair, min_count=min_count, prior_weight=prior_weight,
                  unit=unit, permutations=permutations, outlets=_outlets(arts))
    out.attrs["kind"] = "region"
    return out


def period_keyness(
    tagged: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    split: str | pd.Timestamp | None = None,
    region: str | None = None,
    smart_city_only: bool = True,
    dedup: bool = True,
    min_count: int = 3,
    prior_weight: float = 1.0,
    exclude: Iterable[str] | None = None,
    unit: str = "articles",
    permutations: int = PERMUTATIONS,
) -> pd.DataFrame:
    """Keyness between articles published before ``split`` and from ``split`` on (undated
    articles left out), within one ``region`` when given; ``split=None`` cuts at the first day
    of the month of the median publication date. Groups are named by their months,
    e.g. ``2018-01~2021-12`` and ``2022-01~2025-12``. See :func:`keyness`."""
    arts = select_articles(tagged, smart_city_only=smart_city_only, dedup=dedup)
    arts = arts[arts["published"].notna()]
    if region is not None:
        arts = arts[arts["region"].astype(str) == str(region)]
    if split is not None:
        cut = pd.Timestamp(split)
    elif arts.empty:
        cut = pd.NaT  # nothing to split: both groups are empty
    else:
        cut = arts["published"].sort_values().iloc[len(arts) // 2].to_period("M").to_timestamp()
    early = arts["published"] < cut
    names = []
    for part in (arts[early], arts[~early]):
        if part.empty:
            names.append("(none)")
        else:
            names.append(f"{part['published'].min():%Y-%m}~{part['published'].max():%Y-%m}")
    if pd.isna(cut):
        none = f"no dated {'smart-city ' if smart_city_only else ''}article"
        names = [f"earlier ({none})", f"later ({none})"]
    elif names[0] == names[1]:
        names = [f"before {cut:%Y-%m-%d}", f"from {cut:%Y-%m-%d}"]
    groups = pd.Series(np.where(early, names[0], names[1]), index=arts["article_id"].to_numpy())
    terms = analysis_terms(tokens[tokens["article_id"].astype(str).isin(groups.index)],
                           exclude=exclude)
    out = keyness(terms, groups, names, min_count=min_count, prior_weight=prior_weight,
                  unit=unit, permutations=permutations, outlets=_outlets(arts))
    out.attrs["kind"] = "period"
    out.attrs["split"] = cut
    out.attrs["region"] = region
    return out


def keyness_notice(table: pd.DataFrame, *, min_articles: int = 20) -> str | None:
    """Why a keyness table should not be read (or ``None``): a group with fewer than
    ``min_articles`` articles, or no term at all."""
    counts = table.attrs.get("n_articles", {})
    few = {g: n for g, n in counts.items() if n < min_articles}
    if few:
        listed = ", ".join(f"{g}: {n}" for g, n in few.items())
        return (f"Too few articles to compare ({listed}; at least {min_articles} per group): "
                "the keyness below is not worth reading.")
    if table.empty:
        return "No term occurs often enough in the two groups to compare them."
    return None


def chance_bar(table: pd.DataFrame, *, min_z: float = 1.96) -> float:
    """The z a term of a :func:`keyness` table must reach to be cited: the table's
    ``attrs["chance_z"]`` (the largest z 95% of random splits stay under), or ``min_z`` when
    that is higher or was not computed."""
    chance = float(table.attrs.get("chance_z", float("nan")))
    return max(min_z, chance) if np.isfinite(chance) else min_z


def top_keyness(table: pd.DataFrame, *, n: int = 15, min_z: float = 1.96,
                merge: bool = False) -> pd.DataFrame:
    """The ``n`` terms with the largest ``z`` per group, keeping only ``z >= min_z`` (1.96: the
    two-sided 5% level of one test; with thousands of terms, read it as a ranking, not a test).
    ``beyond_chance`` (after ``z``) says whether a term reaches the :func:`chance_bar`, as the
    terms the findings cite do. With ``merge``, terms used in the same articles are one row
    (:func:`merge_twins`). A table scored with outlets also says, in ``holds``, whether the
    term keeps its difference without any one outlet (:func:`outlet_holds`); scored without
    them, ``swing_outlet`` and ``z_without`` are dropped."""
    source = merge_twins(table) if merge and len(table) else table
    out = source[source["z"] >= min_z]
    out = out.groupby("group", sort=False, group_keys=False).head(n)
    out = out.reset_index(drop=True)
    out.insert(out.columns.get_loc("z") + 1, "beyond_chance",
               (out["z"] >= chance_bar(table)).astype(bool))
    out.attrs.update(table.attrs)
    if table.attrs.get("outlet_checked"):
        out.insert(out.columns.get_loc("beyond_chance") + 1, "holds", outlet_holds(out))
    else:
        out = out.drop(columns=["swing_outlet", "z_without"], errors="ignore")
    return out


def term_trends(
    tagged: pd.DataFrame,
    tokens: pd.DataFrame,
    terms: str | Sequence[str],
    *,
    freq: str = "YS",
    regions: Sequence[str] | None = None,
    smart_city_only: bool = True,
    dedup: bool = True,
    min_n: int = 10,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """How many of each region's articles per period use each term.

    Returns ``period, region, term, n_docs, n_total, share, ci_low, ci_high, too_few``:
    ``n_total`` is the region's articles in the period (smart-city coverage only unless
    ``smart_city_only=False``; deduplicated), ``n_docs`` those whose token table holds the term,
    ``share = n_docs / n_total`` with its Wilson interval at level ``1 - alpha``. Every period
    from the first to the last dated article is present for every region (``regions``: default
    the vocabulary's cities) and term; bins with ``n_total < min_n`` are ``too_few`` with NaN
    share and interval. Terms are matched after synonym folding, as the token table holds them.
    """
    wanted = [terms] if isinstance(terms, str) else list(dict.fromkeys(terms))
    regions = list(regions) if regions is not None else list(get_vocabulary().city_keys)
    arts = select_articles(tagged, smart_city_only=smart_city_only, dedup=dedup)
    arts = arts[arts["published"].notna() & arts["region"].astype(str).isin(regions)]
    if arts.empty or not wanted:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in TERM_TREND_COLUMNS})
        out.attrs["freq"] = freq
        kind = "스마트시티 " if smart_city_only else ""
        out.attrs["empty_reason"] = (
            "고른 단어가 없습니다 (no term picked: the keyness above found none)" if not wanted
            else f"{'·'.join(region_label(r) for r in regions)}에 날짜가 있는 {kind}기사가 "
                 f"없습니다 (no dated {kind and 'smart-city '}article in the cities)")
        return out
    arts = arts.assign(period=period_start(arts["published"], freq=freq))
    periods = pd.date_range(arts["period"].min(), arts["period"].max(), freq=freq)
    grid = pd.MultiIndex.from_product([periods, regions, wanted],
                                      names=["period", "region", "term"]).to_frame(index=False)
    totals = arts.groupby(["period", "region"]).size().rename("n_total")
    used = tokens[tokens["term"].isin(wanted)][["article_id", "term"]].drop_duplicates()
    used = used.assign(article_id=used["article_id"].astype(str)).merge(
        arts[["article_id", "period", "region"]], on="article_id")
    hits = used.groupby(["period", "region", "term"]).size().rename("n_docs")
    out = grid.join(totals, on=["period", "region"]).join(hits, on=["period", "region", "term"])
    out = out.fillna({"n_total": 0, "n_docs": 0})
    out["n_total"] = out["n_total"].astype("int64")
    out["n_docs"] = out["n_docs"].astype("int64")
    n = out["n_total"].to_numpy(dtype=float)
    k = out["n_docs"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)
    out["ci_low"], out["ci_high"] = wilson_interval(k, n, alpha=alpha)
    out["too_few"] = out["n_total"] < max(int(min_n), 1)
    out.loc[out["too_few"], ["share", "ci_low", "ci_high"]] = np.nan
    out = out[list(TERM_TREND_COLUMNS)].reset_index(drop=True)
    out.attrs["freq"] = freq
    out.attrs["min_n"] = int(min_n)
    return out


def term_trend_table(trends_table: pd.DataFrame) -> pd.DataFrame:
    """A display pivot of :func:`term_trends`: one row per period, one column per region and
    term, cells ``share [95% CI] k/n`` (``k/n (too few)`` for small bins)."""
    if trends_table.empty:
        return pd.DataFrame()
    freq = trends_table.attrs.get("freq", "YS")
    t = trends_table.copy()
    t["period"] = period_labels(t["period"], freq=freq).to_numpy()

    def cell(r: pd.Series) -> str:
        if r["too_few"]:
            return f"{r['n_docs']}/{r['n_total']} (too few)"
        return (f"{r['share']:.0%} [{r['ci_low']:.0%}–{r['ci_high']:.0%}] "
                f"{r['n_docs']}/{r['n_total']}")

    t["cell"] = t.apply(cell, axis=1)
    vocab = get_vocabulary()
    t["column"] = [f"{term} · {vocab.region_label(r)}" for term, r in zip(t["term"], t["region"])]
    wide = t.pivot(index="period", columns="column", values="cell")
    order = list(dict.fromkeys(t["column"]))
    return wide[order].rename_axis(columns=None)


CANDIDATE_COLUMNS: tuple[str, ...] = (
    "term", "source", "z", "beyond_chance", "docs_late", "docs_early", "n_late", "examples",
)


def new_term_candidates(
    tagged: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    split: str | pd.Timestamp | None = None,
    region: str | None = None,
    n: int = 15,
    min_z: float = 1.96,
    min_docs: int = 3,
    resources: str | Path | None = None,
    cache: bool = True,
) -> pd.DataFrame:
    """Words for a person to review and add to the lexicon (nothing is added here).

    Two sources, both left without the words the topic lexicon, the user dictionary, the
    stopwords and the regions file already hold, and without the names of regions of Korea
    (the regions file's ``list_regions``, as :func:`is_region_name` reads them: 대구 rising in
    the late period is another city, no word of the lexicon):

    - ``rising``: terms of the token table typical of the late period in
      :func:`period_keyness` (``z >= min_z``, used in at least ``min_docs`` late articles);
    - ``new word``: Kiwi's ``extract_words`` (:func:`lib.tagging.candidates.extract_candidates`)
      over the selected articles' text: compounds Kiwi does not know as one word. On BigKinds
      rows only the title and the ~200-character lead are text, so few come from them. With
      ``cache`` the extraction is read back on a rerun over the same articles.

    Returns ``term, source, z, beyond_chance, docs_late, docs_early, n_late, examples``
    (``beyond_chance``: the term's z reaches the comparison's :func:`chance_bar`, as no
    finding's must; ``n_late`` the late period's uses, or a new word's count in all the
    articles; ``examples``: article ids to read with :func:`lib.analysis.kwic.kwic`), rising
    terms first by ``z``, at most ``n`` of each source. ``attrs`` hold the comparison's
    ``pair`` (early, late), ``region`` (``None``: every article) and ``chance_z``.
    """
    known = set(synonym_map(resources)) | {term_key(f) for f, _, _ in load_user_dict(resources)}
    drop = excluded_terms(resources=resources)
    table = period_keyness(tagged, tokens, split=split, region=region, min_count=min_docs)
    late = table.attrs["pair"][1]
    rising = table[(table["group"] == late) & (table["z"] >= min_z)
                   & (table["docs_group"] >= min_docs)]
    rising = rising[~rising["term"].map(term_key).isin(known)
                    & ~is_region_name(rising["term"])].head(n)
    out = pd.DataFrame({
        "term": rising["term"], "source": "rising", "z": rising["z"],
        "beyond_chance": rising["z"] >= chance_bar(table),
        "docs_late": rising["docs_group"], "docs_early": rising["docs_other"],
        "n_late": rising["n_group"], "examples": rising["examples"],
    })
    arts = select_articles(tagged)
    if region is not None:
        arts = arts[arts["region"].astype(str) == str(region)]
    words = (extract_candidates(arts, min_count=min_docs, cache=cache) if len(arts)
             else pd.DataFrame())
    if len(words):
        shaped = is_excluded_shape(words["term"], excluded_shape(resources=resources))
        words = words[~words["term"].isin(drop) & ~shaped & ~is_region_name(words["term"])
                      & ~words["term"].isin(set(out["term"]))].head(n)
        out = pd.concat([out, pd.DataFrame({
            "term": words["term"], "source": "new word", "z": np.nan, "beyond_chance": False,
            "docs_late": np.nan, "docs_early": np.nan, "n_late": words["count"],
            "examples": words["example_ids"].str.replace("|", ", "),
        })], ignore_index=True)
    out = out[list(CANDIDATE_COLUMNS)].reset_index(drop=True)
    out["beyond_chance"] = out["beyond_chance"].astype(bool)
    out.attrs["pair"] = table.attrs["pair"]
    out.attrs["region"] = region
    out.attrs["chance_z"] = chance_bar(table)
    return out


def is_region_name(terms: pd.Series, *, regions_file: str | Path | None = None) -> pd.Series:
    """Whether each term is the name of a region of Korea: a name of the regions file's
    ``list_regions`` or cities, with or without its suffix (대구, 대구시, 충남도, 수도권)."""
    item = load_region_rules(regions_file).item_re
    bare = terms.astype(str).str.replace(" ", "", regex=False)
    return bare.map(lambda t: item.fullmatch(t) is not None).astype(bool)


def _outlet_check_lines(cited: Sequence[tuple[str, bool, str, float]]) -> tuple[str, str]:
    """The findings' sentence on the outlet check of the words cited (term, holds, swing
    outlet, z without it), in Korean and English."""
    failed = [(term, outlet, z) for term, holds, outlet, z in cited if not holds]
    head = (f"무작위 나누기는 기사를 서로 독립으로 다루므로, 인용한 단어마다 언론사를 하나씩 빼고 z를 "
            f"다시 셌습니다: {len(cited)}개 가운데 {len(cited) - len(failed)}개는 어느 언론사를 빼도 "
            f"z {OUTLET_Z:.2f} 이상입니다 (표의 '점검 통과').")
    head_en = (f"The random splits treat articles as independent, so each word cited was scored "
               f"again with each outlet left out in turn: {len(cited) - len(failed)} of "
               f"{len(cited)} keep z {OUTLET_Z:.2f} or more whichever outlet is left out "
               "(passes the check in the tables).")
    if not failed:
        return head, head_en
    shown = [(t, o or "?", f"{z:.2f}" if np.isfinite(z) else "–") for t, o, z in failed]
    return (head + " 한 언론사에 기대는 단어(†): "
            + ", ".join(f"{t} ({o} 빼면 z {z})" for t, o, z in shown) + ".",
            head_en + " Words one outlet carries (†): "
            + ", ".join(f"{t} (without {o} z {z})" for t, o, z in shown) + ".")


def keyness_findings(
    key_cities: pd.DataFrame,
    key_periods: dict[str, pd.DataFrame] | None = None,
    *,
    n: int = 5,
    min_z: float = 1.96,
) -> Findings:
    """Notebook 03 at a glance: the ``n`` terms most typical of each city against the other
    (``city_keyness``), and, per city, the terms that rose and fell between its two periods
    (``period_keyness`` tables by city key), each with its z and the articles using it.
    A term is cited when its z (counted by articles) reaches ``min_z`` and the table's
    ``attrs["chance_z"]``, the largest z random splits of the articles give, with the shares of
    the two groups' articles that use it: ``시범도시 (기사 60건, 60% 대 12%, z 5.7)`` for a
    city, the earlier period's share first for a period (``데이터 (기사 32건, 6% → 24%, z 2.1)``).
    Facts ``typical_term``, ``rising_term`` and ``falling_term`` carry every term cited
    (``topic`` the term, ``value`` its z, ``n`` its articles in the group). Tables scored with
    outlets (:func:`keyness`) add a last sentence: how many of the words cited keep their
    difference whichever one outlet is left out, naming the outlet of each that does not
    (marked † where cited)."""
    ko: list[str] = []
    en: list[str] = []
    facts: list[dict[str, object]] = []

    def bar(table: pd.DataFrame) -> float:
        return chance_bar(table, min_z=min_z)

    #: The bar of each comparison cited, by its name (Korean, English).
    bars: dict[tuple[str, str], float] = {}
    #: Each word cited from a table scored with outlets: term, holds, swing outlet, z without.
    cited: list[tuple[str, bool, str, float]] = []

    def listed(table: pd.DataFrame, group: str, kind: str, region: str) -> tuple[str, str]:
        top = top_keyness(table, n=n, min_z=bar(table), merge=True)
        top = top[top["group"] == group]
        if table.attrs.get("outlet_checked"):
            cited.extend((str(r["term"]), bool(r["holds"]), str(r["swing_outlet"]),
                          float(r["z_without"])) for _, r in top.iterrows())
        for _, row in top.iterrows():
            facts.append({"kind": kind, "region": region, "topic": row["term"],
                          "value": float(row["z"]), "ci_low": np.nan, "ci_high": np.nan,
                          "n": int(row["docs_group"]), "p_adjusted": np.nan})
        # Shares in time order for periods (early → late), this city's first for cities.
        words, words_en = [], []
        for _, row in top.iterrows():
            mine, theirs = f"{row['share_group']:.0%}", f"{row['share_other']:.0%}"
            shares = {"typical_term": (f"{mine} 대 {theirs}", f"{mine} vs {theirs}"),
                      "rising_term": (f"{theirs} → {mine}",) * 2,
                      "falling_term": (f"{mine} → {theirs}",) * 2}[kind]
            # A word one outlet carries is marked; the last sentence names the outlet.
            mark = "" if row.get("holds", True) else "†"
            words.append(f"{row['term']}{mark} (기사 {int(row['docs_group'])}건, {shares[0]}, "
                         f"z {row['z']:.2f})")
            words_en.append(f"{row['term']}{mark} ({int(row['docs_group'])} articles, "
                            f"{shares[1]}, z {row['z']:.2f})")
        return ", ".join(words), ", ".join(words_en)

    pair = key_cities.attrs.get("pair")
    if pair and keyness_notice(key_cities) is None:
        a, b = pair
        bars[("두 도시 비교", "the two cities")] = bar(key_cities)
        for city, other in ((a, b), (b, a)):
            said, said_en = listed(key_cities, city, "typical_term", city)
            if said:
                ko.append(f"{region_label(city)} 스마트시티 기사를 "
                          f"{attach_particle(region_label(other), '과')} 가르는 단어: {said}.")
                en.append(f"Words that set {region_label(city, lang='en')}'s smart-city "
                          f"articles apart from {region_label(other, lang='en')}'s: {said_en}.")
            else:
                ko.append(f"{region_label(city)}: 두드러지는 단어가 없습니다 "
                          f"(z ≥ {bar(key_cities):.2f}).")
                en.append(f"{region_label(city, lang='en')}: no term stands out "
                          f"(z >= {bar(key_cities):.2f}).")
    elif pair:
        ko.append("두 도시를 비교하기에 기사가 적거나 단어가 없습니다.")
        en.append(keyness_notice(key_cities) or "")
    for city, table in (key_periods or {}).items():
        if keyness_notice(table) is not None or "pair" not in table.attrs:
            continue
        early, late = table.attrs["pair"]
        rose, rose_en = listed(table, late, "rising_term", city)
        fell, fell_en = listed(table, early, "falling_term", city)
        name, name_en = region_label(city), region_label(city, lang="en")
        bars[(f"{name} 두 시기", f"{name_en}'s two periods")] = bar(table)
        ko.append(f"{name} {early} 대 {late}: 늘어난 단어 {rose or '없음'}; "
                  f"줄어든 단어 {fell or '없음'}.")
        en.append(f"{name_en}, {early} against {late}: words that rose: {rose_en or 'none'}; "
                  f"that fell: {fell_en or 'none'}.")
    if ko and bars:
        level = ", ".join(f"{ko_name} z {b:.2f}" for (ko_name, _), b in bars.items())
        level_en = ", ".join(f"{en_name} z {b:.2f}" for (_, en_name), b in bars.items())
        ko.append(f"인용한 단어는 그 단어를 쓴 기사 수로 센 z가 비교마다 정한 우연 기준 이상입니다 "
                  f"({level}): 기사를 두 집단에 무작위로 나눈 200번 가운데 95%에서 어느 단어도 "
                  "이르지 못한 값 (1.96보다 작으면 1.96)이라, 단어 수천 개를 비교해도 우연으로 "
                  "보기 어렵습니다. 늘 같은 기사에 함께 나오는 단어는 ·로 이어 한 항목으로 묶었습니다. "
                  "그림의 진한 막대와 표의 '우연 이상' ✓가 기준을 넘은 단어입니다. 단어를 쓴 문장은 2절, "
                  "기간별 쓰임은 4절에 있습니다.")
        en.append(f"Words cited reach each comparison's chance bar or more ({level_en}), "
                  "counted by the articles using them: a z no word reached in 95% of 200 random "
                  "splits of the articles (1.96 at the least), so they stand out although "
                  "thousands of terms are compared. Words always used in the same articles are "
                  "one item. They are the solid bars of the charts and the rows marked in the "
                  "tables. The sentences using a word are in section 2, its use per period in "
                  "section 4.")
    if cited:
        ko_line, en_line = _outlet_check_lines(cited)
        ko.append(ko_line)
        en.append(en_line)
    return Findings(ko=ko, en=en, facts=pd.DataFrame(facts, columns=list(FACT_COLUMNS)))
