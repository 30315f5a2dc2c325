"""Discovered topics: themes found in the words of the coverage, next to the fixed taxonomy.

``TopicModel(random_state=0).fit(tagged, tokens)`` factorises the TF-IDF weighted
document-term matrix of the articles (scikit-learn NMF, ``init="nndsvda"``, seeded) for every
number of topics in ``k_range`` and keeps the one with the best topic quality (Dieng, Ruiz &
Blei 2020: coherence times diversity). Coherence is the mean NPMI (normalised pointwise mutual
information, Bouma 2009; as used for topic coherence by Lau, Newman & Baldwin 2014) of each
topic's top terms, counted as co-occurrence in the articles of the same corpus, shifted to
[0, 1]; diversity is the share of distinct terms among all topics' top terms, so splitting one
theme into two near-copies (which keeps coherence high) does not win. Then:

- :meth:`TopicModel.top_terms` and :meth:`TopicModel.labels`: what each topic is made of;
- :meth:`TopicModel.representative_articles`: the articles that load most on each topic;
- :meth:`TopicModel.prevalence`: the mean topic share of each region's articles per period,
  with bootstrap intervals over articles (an empty bin is NaN, never an error);
- :meth:`TopicModel.crosstab`: how the taxonomy's topic labels spread over the discovered
  topics, so a reader sees which themes the fixed labels split, merge or miss.

Terms are :func:`lib.analysis.keyness.analysis_terms` (no stopwords, no place names), so no
topic is "the Sejong topic" because of the city's name.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from lib.analysis.keyness import analysis_terms, select_articles
from lib.analysis.trends import period_start
from lib.vocabulary import get_vocabulary

NO_LABEL = "(no label)"
#: Below this many articles :func:`fit_topics` says its themes are leads, not findings: NMF on a
#: few dozen short documents moves with the seed, and a theme may rest on two or three stories.
FEW_ARTICLES = 100
#: Refits of the chosen number of topics, each on this share of the articles, behind
#: ``stability_``; a topic below ``UNSTABLE`` is one the refits do not find again.
RESAMPLES = 5
RESAMPLE_SHARE = 0.8
UNSTABLE = 0.5
#: NMF's iteration limit; a chosen fit that reaches it is said not to have converged
#: (``converged_``, :func:`fit_topics`' message).
MAX_ITER = 500
TOP_TERM_COLUMNS = ("topic", "rank", "term", "weight")
PREVALENCE_COLUMNS = (
    "period", "region", "topic", "n_articles", "n_main", "prevalence", "ci_low", "ci_high",
    "too_few",
)
CROSSTAB_COLUMNS = ("topic", "label", "n_docs", "n_label", "share")


def npmi_coherence(topics: Sequence[Sequence[int]], presence: sparse.csc_matrix) -> np.ndarray:
    """Mean NPMI over the pairs of each topic's terms.

    ``topics`` lists term column indices per topic; ``presence`` is the binary
    document-term matrix. NPMI(i, j) = log(p_ij / (p_i p_j)) / -log p_ij, -1 when the terms
    never co-occur, 1 when they always do. Returns one value per topic, in [-1, 1].
    """
    n_docs = presence.shape[0]
    out = []
    for idx in topics:
        idx = list(idx)
        sub = presence[:, idx].astype(np.float64)
        co = (sub.T @ sub).toarray() / n_docs
        p = np.diag(co).copy()
        vals = []
        for i in range(len(idx)):
            for j in range(i + 1, len(idx)):
                pij = co[i, j]
                if pij <= 0:
                    vals.append(-1.0)
                elif pij >= 1:
                    vals.append(1.0)
                else:
                    vals.append(np.log(pij / (p[i] * p[j])) / -np.log(pij))
        out.append(float(np.mean(vals)) if vals else np.nan)
    return np.asarray(out)


def topic_diversity(topics: Sequence[Sequence[int]]) -> float:
    """The share of distinct terms among all topics' top terms (Dieng, Ruiz & Blei 2020):
    1 when no two topics share a top term, lower when topics repeat each other."""
    listed = [j for idx in topics for j in idx]
    return len(set(listed)) / len(listed) if listed else 0.0


def top_indices(weights: np.ndarray, n: int) -> list[int]:
    """The indices of the ``n`` largest weights, largest first, leaving out weights that are 0
    (below a millionth of the largest): a term a topic does not use is not one of its top terms,
    and counting it would lower the coherence of small, clean topics."""
    order = np.argsort(-weights, kind="stable")[:n]
    floor = 1e-6 * float(weights.max()) if weights.size else 0.0
    return [int(j) for j in order if weights[j] > floor]


class TopicModel:
    """NMF topics of a corpus, with the number of topics chosen by NPMI coherence.

    Parameters (no work is done here; :meth:`fit` does it):

    - ``n_topics``: a fixed number of topics, or ``None`` to choose from ``k_range``;
    - ``k_range``: the numbers of topics tried (default 4 to 12);
    - ``n_top``: top terms per topic used for coherence and labels;
    - ``min_df`` / ``max_df``: a term must occur in at least ``min_df`` articles and in at most
      the share ``max_df`` of them;
    - ``smart_city_only``, ``dedup``: which articles are modelled (default: smart-city coverage,
      each story once);
    - ``random_state``: the seed of NMF and of the bootstrap; the same seed gives the same topics.

    Learned state: ``k_`` (topics kept), ``coherence_`` (``k, coherence, diversity, quality``
    per k tried; the largest ``quality`` wins),
    ``terms_`` (vocabulary), ``components_`` (topics x terms), ``doc_topic_`` (articles x topics,
    rows summing to 1; all 0 for an article with none of the vocabulary), ``articles_`` (the
    modelled articles: ``article_id, published, region, topics, title, outlet``),
    ``main_topic_`` (each article's largest topic, -1 for none), ``loading_`` (the NMF
    weights behind ``doc_topic_``, before rows are scaled to 1), ``presence_`` (articles x
    terms, 1 where the article uses the term), ``stability_`` (per topic, the median over
    :data:`RESAMPLES` refits on :data:`RESAMPLE_SHARE` of the articles of the best Jaccard
    overlap of its top terms with a refit's topic: 1, found again word for word; NaN for
    fewer than 10 articles). NPMI is computed on the articles the model was fitted to, which
    flatters it; the refits ask whether a topic is the corpus's or this sample's. Topics are numbered by how many articles have
    them as their main topic, most first.
    """

    def __init__(
        self,
        n_topics: int | None = None,
        *,
        k_range: Iterable[int] = range(4, 13),
        n_top: int = 10,
        min_df: int = 5,
        max_df: float = 0.5,
        smart_city_only: bool = True,
        dedup: bool = True,
        random_state: int = 0,
    ) -> None:
        self.n_topics = n_topics
        self.k_range = k_range
        self.n_top = n_top
        self.min_df = min_df
        self.max_df = max_df
        self.smart_city_only = smart_city_only
        self.dedup = dedup
        self.random_state = random_state

    # ------------------------------------------------------------------------------------------
    def fit(self, tagged: pd.DataFrame, tokens: pd.DataFrame) -> TopicModel:
        """Model the articles of ``tagged`` (the tagged table) from ``tokens`` (a
        :func:`lib.tagging.tokens.token_table`). Raises ``ValueError`` when the corpus has too
        few articles or terms for even two topics."""
        from sklearn.decomposition import NMF
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import TfidfTransformer

        arts = select_articles(tagged, smart_city_only=self.smart_city_only, dedup=self.dedup)
        keep_cols = [c for c in ("article_id", "published", "region", "topics", "title",
                                 "outlet", "url") if c in arts.columns]
        arts = arts[keep_cols].reset_index(drop=True)
        terms = analysis_terms(tokens[tokens["article_id"].astype(str).isin(arts["article_id"])])
        counts, vocab = self._matrix(arts, terms)
        if counts.shape[1] < 2 or counts.getnnz(axis=1).astype(bool).sum() < 4:
            raise ValueError(
                f"too little text to model topics: {counts.shape[0]} "
                f"article{'' if counts.shape[0] == 1 else 's'}, "
                f"{counts.shape[1]} terms occurring in at least {self.min_df} of them"
            )
        presence = (counts > 0).astype(np.float64).tocsc()
        tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
        n_rows, n_cols = tfidf.shape
        if self.n_topics is not None:
            ks = [int(self.n_topics)]
        else:
            ks = sorted({int(k) for k in self.k_range if 2 <= int(k) < min(n_rows, n_cols)})
        if not ks:
            raise ValueError(f"no number of topics to try in {list(self.k_range)} for "
                             f"{n_rows} articles and {n_cols} terms")
        scores, fits, settled = [], {}, {}
        for k in ks:
            nmf = NMF(n_components=k, init="nndsvda", random_state=self.random_state,
                      max_iter=MAX_ITER, tol=1e-4)
            with warnings.catch_warnings():
                # Said in fit_topics' message (converged_), not as a warning that prints
                # scikit-learn's file path into the notebook.
                warnings.simplefilter("ignore", ConvergenceWarning)
                w = nmf.fit_transform(tfidf)
            h = nmf.components_
            settled[k] = nmf.n_iter_ < MAX_ITER
            tops = [top_indices(row, self.n_top) for row in h]
            per_topic = npmi_coherence(tops, presence)
            coherence = float(np.nanmean(per_topic))
            diversity = topic_diversity(tops)
            scores.append({"k": k, "coherence": coherence, "diversity": diversity,
                           "quality": diversity * (1.0 + coherence) / 2.0})
            fits[k] = (w, h, per_topic)
        self.coherence_ = pd.DataFrame(scores)
        best = self.coherence_.loc[self.coherence_["quality"].idxmax(), "k"]
        self.k_ = int(best)
        self.converged_ = bool(settled[self.k_])
        w, h, per_topic = fits[self.k_]
        totals = w.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(totals > 0, w / np.where(totals > 0, totals, 1), 0.0)
        main = np.where(totals[:, 0] > 0, share.argmax(axis=1), -1)
        # Topics numbered by the articles whose main topic they are, the count every chart and
        # table shows (T1 the most), ties by their share of all topic weight: numbering by
        # weight alone let T3 show fewer articles than T4.
        n_main = np.bincount(main[main >= 0], minlength=self.k_)
        order = np.lexsort((-share.sum(axis=0), -n_main))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        self.doc_topic_ = share[:, order]
        self.loading_ = w[:, order]
        self.components_ = h[order]
        self.topic_coherence_ = per_topic[order]
        self.terms_ = vocab
        self.articles_ = arts
        self.presence_ = presence.tocsr()
        self.main_topic_ = np.where(main >= 0, rank[np.maximum(main, 0)], -1)
        self.stability_ = self._stability(tfidf)
        return self

    def _stability(self, tfidf: sparse.csr_matrix) -> np.ndarray:
        """:attr:`stability_` of the fitted topics (``components_``, in their order)."""
        from sklearn.decomposition import NMF
        from sklearn.exceptions import ConvergenceWarning

        tops = [set(top_indices(row, self.n_top)) for row in self.components_]
        n = tfidf.shape[0]
        if n < 10 or RESAMPLES <= 0:
            return np.full(len(tops), np.nan)
        rng = np.random.default_rng(self.random_state)
        overlaps = []
        for i in range(RESAMPLES):
            rows = np.sort(rng.choice(n, int(round(RESAMPLE_SHARE * n)), replace=False))
            with warnings.catch_warnings():
                # A refit of topics the articles do not hold may not settle: that is the
                # instability measured, not a fault to report.
                warnings.simplefilter("ignore", ConvergenceWarning)
                refit = NMF(n_components=self.k_, init="nndsvda", max_iter=MAX_ITER, tol=1e-4,
                            random_state=self.random_state + i + 1).fit(tfidf[rows]).components_
            found = [set(top_indices(row, self.n_top)) for row in refit]
            overlaps.append([max((len(t & f) / len(t | f) for f in found if t | f), default=0.0)
                             for t in tops])
        return np.median(np.asarray(overlaps), axis=0)

    def _matrix(
        self, arts: pd.DataFrame, terms: pd.DataFrame
    ) -> tuple[sparse.csr_matrix, list[str]]:
        row_of = pd.Series(np.arange(len(arts)), index=arts["article_id"].astype(str))
        df = terms.groupby("term")["article_id"].nunique()
        limit = self.max_df * len(arts)
        vocab = sorted(df[(df >= self.min_df) & (df <= limit)].index.astype(str))
        col_of = pd.Series(np.arange(len(vocab)), index=vocab)
        used = terms[terms["term"].isin(col_of.index)]
        mat = sparse.csr_matrix(
            (used["count"].to_numpy(dtype=np.float64),
             (row_of.loc[used["article_id"]].to_numpy(), col_of.loc[used["term"]].to_numpy())),
            shape=(len(arts), len(vocab)),
        )
        return mat, vocab

    # ------------------------------------------------------------------------------------------
    def topic_names(self) -> list[str]:
        """``T1`` … ``Tk``: the topics' names in every table (the topic that is the main topic
        of most articles first)."""
        return [f"T{i + 1}" for i in range(self.k_)]

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """``topic, rank, term, weight``: each topic's ``n`` heaviest terms (NMF weights)."""
        rows = []
        for name, row in zip(self.topic_names(), self.components_):
            for rank, j in enumerate(top_indices(row, n), 1):
                rows.append((name, rank, self.terms_[j], float(row[j])))
        return pd.DataFrame(rows, columns=list(TOP_TERM_COLUMNS))

    def labels(self, n: int = 4) -> pd.DataFrame:
        """One row per topic: ``topic, label`` (its top ``n`` terms), ``coherence`` (NPMI),
        ``stability`` (:attr:`stability_`), ``n_main`` (articles whose largest topic it is) and ``share`` (its share of all topic
        weight)."""
        top = self.top_terms(n)
        label = top.groupby("topic", sort=False)["term"].agg("·".join)
        names = self.topic_names()
        counts = np.bincount(self.main_topic_[self.main_topic_ >= 0], minlength=self.k_)
        return pd.DataFrame({
            "topic": names,
            "label": [label[t] for t in names],
            "coherence": self.topic_coherence_,
            "stability": self.stability_,
            "n_main": counts.astype("int64"),
            "share": self.doc_topic_.sum(axis=0) / max(self.doc_topic_.sum(), 1e-12),
        })

    def document_topics(self) -> pd.DataFrame:
        """Long: ``article_id, topic, weight`` for every article and topic with weight > 0."""
        ids = self.articles_["article_id"].to_numpy()
        rows, cols = np.nonzero(self.doc_topic_)
        names = np.asarray(self.topic_names())
        return pd.DataFrame({"article_id": ids[rows], "topic": names[cols],
                             "weight": self.doc_topic_[rows, cols]})

    def representative_articles(self, n: int = 3, *, n_terms: int = 5) -> pd.DataFrame:
        """The ``n`` articles with the largest share of each topic: ``topic, rank, article_id,
        weight, terms, published, region, outlet, title``. ``weight`` is the topic's share of
        the article (1 for an article of one topic only); among equal shares the article that
        loads most on the topic (its NMF weight, the more of the topic's words) comes first,
        then by article_id. ``terms`` lists which of the topic's ``n_terms`` top terms the
        article uses, so a reader sees why it was picked even where every ``weight`` is 1."""
        frames = []
        arts = self.articles_
        for i, name in enumerate(self.topic_names()):
            weight = self.doc_topic_[:, i]
            order = np.lexsort((arts["article_id"].to_numpy(), -self.loading_[:, i],
                                -np.round(weight, 9)))[:n]
            order = [j for j in order if weight[j] > 0]
            top = top_indices(self.components_[i], n_terms)
            used = self.presence_[order][:, top].toarray() > 0 if order else np.zeros((0, 0))
            terms = [", ".join(self.terms_[top[c]] for c in np.flatnonzero(r)) for r in used]
            part = arts.iloc[order].assign(topic=name, rank=range(1, len(order) + 1),
                                           weight=weight[order], terms=terms)
            frames.append(part)
        cols = ["topic", "rank", "article_id", "weight", "terms", "published", "region",
                "outlet", "title"]
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
        return out[[c for c in cols if c in out.columns]]

    def prevalence(
        self,
        *,
        freq: str = "YS",
        regions: Sequence[str] | None = None,
        n_boot: int = 500,
        alpha: float = 0.05,
        min_n: int = 5,
    ) -> pd.DataFrame:
        """Topic prevalence per period and region, with bootstrap intervals.

        ``prevalence`` is the mean topic share (``doc_topic_``) of the region's modelled
        articles in the period; ``ci_low``/``ci_high`` the ``alpha/2`` and ``1 - alpha/2``
        percentiles of that mean over ``n_boot`` resamples of the bin's articles (seeded by
        ``random_state``). ``n_articles`` is the bin's articles, ``n_main`` those whose largest
        topic it is. Every period from the first to the last dated article is present for every
        region (default: the vocabulary's cities); bins under ``min_n`` articles are
        ``too_few`` with NaN values, and an empty bin is NaN too.
        """
        regions = list(regions) if regions is not None else list(get_vocabulary().city_keys)
        names = self.topic_names()
        arts = self.articles_.assign(_row=np.arange(len(self.articles_)))
        arts = arts[arts["published"].notna() & arts["region"].astype(str).isin(regions)]
        if arts.empty:
            out = pd.DataFrame({c: pd.Series(dtype=object) for c in PREVALENCE_COLUMNS})
            out.attrs["freq"] = freq
            return out
        arts = arts.assign(period=period_start(arts["published"], freq=freq))
        periods = pd.date_range(arts["period"].min(), arts["period"].max(), freq=freq)
        rng = np.random.default_rng(self.random_state)
        rows = []
        lo_q, hi_q = 100 * alpha / 2, 100 * (1 - alpha / 2)
        grouped = {key: part["_row"].to_numpy() for key, part in arts.groupby(["period", "region"])}
        for period in periods:
            for region in regions:
                idx = grouped.get((period, region), np.array([], dtype=int))
                n = len(idx)
                few = n < max(int(min_n), 1)
                if n:
                    w = self.doc_topic_[idx]
                    mean = w.mean(axis=0)
                    draws = rng.integers(0, n, size=(n_boot, n))
                    boot = w[draws].mean(axis=1)
                    low, high = np.percentile(boot, [lo_q, hi_q], axis=0)
                    main = np.bincount(self.main_topic_[idx][self.main_topic_[idx] >= 0],
                                       minlength=self.k_)
                else:
                    mean = low = high = np.full(self.k_, np.nan)
                    main = np.zeros(self.k_, dtype=int)
                for t, name in enumerate(names):
                    shown = not few
                    rows.append((period, region, name, n, int(main[t]),
                                 mean[t] if shown else np.nan, low[t] if shown else np.nan,
                                 high[t] if shown else np.nan, few))
        out = pd.DataFrame(rows, columns=list(PREVALENCE_COLUMNS))
        out["n_articles"] = out["n_articles"].astype("int64")
        out["n_main"] = out["n_main"].astype("int64")
        out.attrs["freq"] = freq
        out.attrs["min_n"] = int(min_n)
        out.attrs["n_boot"] = int(n_boot)
        return out

    def crosstab(self, topics: Sequence[str] | None = None) -> pd.DataFrame:
        """How each taxonomy label's articles spread over the discovered topics.

        ``topic, label, n_docs, n_label, share``: of the ``n_label`` modelled articles carrying
        the taxonomy ``label`` (an article counts under each of its labels; articles with none
        under :data:`NO_LABEL`), ``n_docs`` have ``topic`` as their largest discovered topic;
        ``share = n_docs / n_label``. Labels in vocabulary order (``topics`` to choose), then
        :data:`NO_LABEL`; every (topic, label) pair is present.
        """
        names = np.asarray(self.topic_names())
        frame = pd.DataFrame({
            "main": self.main_topic_,
            "labels": [tuple(t) if len(t) else (NO_LABEL,) for t in self.articles_["topics"]],
        })
        frame = frame[frame["main"] >= 0].explode("labels")
        wanted = list(topics) if topics is not None else [
            t for t in get_vocabulary().topic_keys if t in set(frame["labels"])
        ] + sorted(set(frame["labels"]) - set(get_vocabulary().topic_keys) - {NO_LABEL})
        if NO_LABEL in set(frame["labels"]):
            wanted.append(NO_LABEL)
        counts = frame.groupby(["labels", "main"]).size()
        totals = frame.groupby("labels").size()
        rows = []
        for label in wanted:
            n_label = int(totals.get(label, 0))
            for t, name in enumerate(names):
                k = int(counts.get((label, t), 0))
                rows.append((name, label, k, n_label, k / n_label if n_label else np.nan))
        return pd.DataFrame(rows, columns=list(CROSSTAB_COLUMNS))


def fit_topics(tagged: pd.DataFrame, tokens: pd.DataFrame, **options: object
               ) -> tuple[TopicModel | None, str]:
    """Fit a :class:`TopicModel` (``options`` go to its constructor) and say what was fitted:
    ``(model, message)``, or ``(None, why)`` when the corpus has too little text to model (a
    handful of articles, or keyword lists too short), so a notebook can go on and say why."""
    try:
        model = TopicModel(**options).fit(tagged, tokens)
    except ValueError as err:
        return None, f"No topic model: {err}."
    n = len(model.articles_)
    few = (f" 기사가 {FEW_ARTICLES}건 미만이어서 주제가 시드에 따라 바뀌고 각 주제가 몇 건의 기사에 "
           f"기댑니다: 발견이 아니라 읽어 볼 실마리로 보십시오 (fewer than {FEW_ARTICLES} "
           "articles: the themes change with the seed and each rests on a handful of stories; "
           "read them as leads, not findings)." if n < FEW_ARTICLES else "")
    shaky = [name for name, s in zip(model.topic_names(), model.stability_, strict=True)
             if s < UNSTABLE]
    unstable = (f" {', '.join(shaky)}: 기사 {RESAMPLE_SHARE:.0%}로 다시 맞추면 상위 단어가 절반도 "
                f"겹치지 않습니다 (안정도 < {UNSTABLE}); 실마리로만 보십시오 ({', '.join(shaky)}: "
                f"refitted on {RESAMPLE_SHARE:.0%} of the articles, less than half of the top "
                "words come back; read them as leads)." if shaky else "")
    unsettled = ("" if model.converged_ else
                 f" NMF가 {MAX_ITER}회 반복 안에 수렴하지 않았습니다: 주제는 근사치입니다 (NMF did "
                 f"not converge within {MAX_ITER} iterations: the topics are approximate).")
    return model, (f"{model.k_} topics (chosen from {list(model.coherence_['k'])} by coherence "
                   f"x diversity) over {n:,} articles and {len(model.terms_):,} terms."
                   f"{few}{unstable}{unsettled}")
