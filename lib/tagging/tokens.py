"""Korean tokenization: one cached Kiwi with a smart-city dictionary, and a cached token table.

- ``get_kiwi()`` builds one Kiwi lazily (nothing heavy at import) with the user dictionary
  ``lib/resources/user_dict.tsv``, so terms like 스마트시티, 5-1생활권, 도심항공교통 stay one token.
- ``tokenize(texts)`` runs Kiwi's multithreaded batch mode and returns content tokens
  (nouns, foreign words, hanja) with news stopwords dropped and synonyms folded onto the
  lexicon's canonical term (UAM, 도심항공모빌리티 -> 도심항공교통; 인공지능 -> AI).
- ``token_table(articles)`` counts terms per article, cached as Parquet under
  ``lib.paths.CACHE_DIR/tokens`` and keyed by the texts, the resource files and the Kiwi version;
  each full text's tokens are also kept in a store keyed by that text alone, so a table of
  another set of articles (a chunk the tagging stage read, the whole corpus) reuses them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
from sys import intern
import warnings
from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.corpus.cache import mark_used, prune
from lib.corpus.schema import uses_keywords
from lib.tagging import resources as wordlists

#: Bump when the way tables are built changes, so old caches are not reused.
TOKEN_TABLE_VERSION = "1"

#: Kiwi tags kept in token tables: common and proper nouns, Latin-script words, hanja.
KEEP_TAGS: frozenset[str] = frozenset({"NNG", "NNP", "SL", "SH"})

#: Tag given to terms taken from a BigKinds 키워드 list instead of Kiwi's analysis.
KEYWORD_TAG = "KW"

TOKEN_COLUMNS: tuple[str, ...] = ("article_id", "term", "tag", "count")

#: File name of the store of full texts' tokens (:func:`text_store_path`).
TEXT_STORE_NAME = "texts.sqlite"

_HAS_WORD = re.compile("[가-힣A-Za-z]")


#: Environment variable capping the threads a Kiwi built without ``workers=`` uses. Processes
#: that share the cores (the tagging stage's workers, a cluster's) set it, so that each does not
#: start one thread per core.
THREADS_ENV = "KIWI_THREADS"


def default_workers() -> int:
    """Threads for Kiwi: ``$KIWI_THREADS`` when set, else all cores of the machine (at least 1)."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(
                f"{THREADS_ENV}={value!r}: expected a whole number of threads, at least 1"
            )
        return int(value)
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class _Resources:
    """Everything read from the resource folder that tokenization depends on."""

    user_words: tuple[tuple[str, str, float], ...]
    stopwords: frozenset[str]
    fold: dict[str, str]  # key form (no spaces, casefolded) -> canonical term
    join_re: re.Pattern[str] | None  # spaced variants to write without spaces before Kiwi
    join_forms: frozenset[str]  # key forms that keyword sequences may be re-joined into
    fingerprint: tuple[tuple[str, str], ...]
    #: every proper prefix of a join form: a keyword that is none of them starts no join
    join_prefixes: frozenset[str] = frozenset()


@functools.cache
def _load_resources(directory: str, fingerprint: tuple[tuple[str, str], ...]) -> _Resources:
    user_words = tuple(wordlists.load_user_dict(directory))
    stopwords = wordlists.load_stopwords(directory)
    fold = wordlists.synonym_map(directory)
    user_keys = {wordlists.term_key(f) for f, _, _ in user_words}
    # A spaced variant is joined only when the joined form is a word Kiwi knows as one token
    # (a user word or the canonical term), e.g. "디지털 트윈" -> "디지털트윈".
    spaced = sorted(
        {
            form
            for form in _spaced_forms(directory)
            if wordlists.term_key(form) in user_keys or wordlists.term_key(form) in fold
        },
        key=len,
        reverse=True,
    )
    # One trie-shaped regex (shared prefixes factored out) keeps this pass cheap next to Kiwi.
    join_re = (
        re.compile(
            wordlists.trie_regex(
                [
                    atom
                    for i, word in enumerate(f.split())
                    for atom in ([r"\s+"] if i else []) + [re.escape(ch) for ch in word]
                ]
                for f in spaced
            )
        )
        if spaced
        else None
    )
    join_forms = frozenset(user_keys | set(fold))
    prefixes = frozenset(f[:k] for f in join_forms for k in range(1, len(f)))
    return _Resources(user_words, stopwords, fold, join_re, join_forms, fingerprint, prefixes)


def _spaced_forms(directory: str) -> set[str]:
    lex = wordlists.load_topic_lexicon(directory)
    forms = {f for term, syns in zip(lex["term"], lex["synonyms"]) for f in [term, *syns]}
    return {f for f in forms if " " in f.strip()}


def _resources(directory: str | Path | None = None) -> _Resources:
    folder = wordlists.resources_dir(directory)
    fp = tuple(sorted(wordlists.resource_fingerprint(folder).items()))
    return _load_resources(str(folder), fp)


@functools.cache
def _build_kiwi(workers: int, user_words: tuple[tuple[str, str, float], ...]):
    """One Kiwi per worker count and user-dictionary content (not per folder: copies of the
    same dictionary share a Kiwi)."""
    from kiwipiepy import Kiwi  # heavy: imported only when a Kiwi is first needed

    kiwi = Kiwi(num_workers=workers)
    for form, tag, score in user_words:
        kiwi.add_user_word(form, tag, score)
    return kiwi


def get_kiwi(*, workers: int | None = None, resources: str | Path | None = None):
    """The shared ``kiwipiepy.Kiwi`` with the project's user dictionary loaded.

    Built on first call and cached per (worker count, resource folder, resource file hashes):
    editing ``user_dict.tsv`` gives a fresh Kiwi on the next call. ``workers`` defaults to all
    cores; ``resources`` to ``lib.paths.RESOURCES_DIR``.
    """
    return _build_kiwi(workers or default_workers(), _resources(resources).user_words)


_SPACES = re.compile(r"\s+")


def _join(m: re.Match[str]) -> str:
    return _SPACES.sub("", m.group())


def _join_spaced(text: str, join_re: re.Pattern[str] | None) -> str:
    if join_re is None:
        return text
    first = join_re.sub(_join, text)
    # A second pass only when the first joined something: "스마트 시티 챌린지" becomes
    # "스마트시티 챌린지", then "스마트시티챌린지".
    return join_re.sub(_join, first) if first != text else text


_UNSEEN = object()


def _content_tokens(tokens, res: _Resources, memo: dict[str, str | None]) -> list[tuple[str, str]]:
    """The kept ``(term, tag)`` pairs of one text's Kiwi tokens. ``memo`` (filled here) holds
    each form's term, or None for a stopword: one dict for the texts of one call, whose forms
    repeat (the 2,000 synthetic benchmark articles: 450,000 tokens of 2,422 forms)."""
    out = []
    append = out.append
    for tok in tokens:
        tag = tok.tag
        if tag not in KEEP_TAGS:
            continue
        form = tok.form
        term = memo.get(form, _UNSEEN)
        if term is _UNSEEN:
            term = memo[form] = _term_of(form, res)
        if term is not None:
            append((term, tag))
    return out


def _term_of(form: str, res: _Resources) -> str | None:
    """A token form's term: its canonical form when the lexicon folds it, None when it is a
    stopword, else the form itself."""
    canon = res.fold.get(form.casefold().replace(" ", ""))
    if canon is not None:
        return canon
    return None if form in res.stopwords else form


def tokenize(
    texts: Iterable[str],
    *,
    workers: int | None = None,
    progress: bool = True,
    resources: str | Path | None = None,
) -> list[list[tuple[str, str]]]:
    """Content tokens of each text, as ``(term, tag)`` lists in text order.

    Uses Kiwi's batch mode (``Kiwi(num_workers=workers).tokenize(iterable)``) so texts are
    analysed in parallel; ``workers`` defaults to all cores. Keeps nouns, Latin-script words and
    hanja (``KEEP_TAGS``), drops news stopwords, folds synonyms onto the lexicon's canonical
    term. Shows a ``tqdm.auto`` progress bar unless ``progress=False``.
    """
    from tqdm.auto import tqdm

    texts = list(texts)
    if not texts:
        return []
    res = _resources(resources)
    kiwi = get_kiwi(workers=workers, resources=resources)
    join_re = res.join_re
    # A generator: Kiwi pulls each text as a thread of its pool frees up, so the joining of
    # spaced compounds overlaps the analysis instead of running before any of it.
    results = kiwi.tokenize(_join_spaced(t or "", join_re) for t in texts)
    out = []
    memo: dict[str, str | None] = {}
    for tokens in tqdm(results, total=len(texts), disable=not progress, desc="tokenize"):
        out.append(_content_tokens(tokens, res, memo))
    return out


def keyword_terms(keywords: str, *, resources: str | Path | None = None) -> list[str]:
    """Terms of a BigKinds 키워드 list, with split compounds joined back and synonyms folded.

    BigKinds splits compounds into neighbouring keywords (``스마트,시티``); where up to four
    neighbours join into a known lexicon or dictionary form they become that one term. Numbers
    and stopwords are dropped.
    """
    return _keyword_terms(keywords, _resources(resources))


def keyword_terms_of(
    keyword_lists: Sequence[str], *, resources: str | Path | None = None
) -> list[list[str]]:
    """:func:`keyword_terms` of every list, with the resources read once and each distinct
    keyword looked up once (:func:`keyword_terms_many`): for many lists, far quicker than
    calling :func:`keyword_terms` on each."""
    indptr, terms = keyword_terms_many(keyword_lists, _resources(resources))
    return [terms[start:end].tolist() for start, end in zip(indptr[:-1], indptr[1:])]


#: A keyword on its own: its term (None when dropped), its casefolded form, and whether a
#: join form starts with it.
_Keyword = tuple[str | None, str, bool]


def _keyword_terms(
    keywords: str, res: _Resources, memo: dict[str, _Keyword] | None = None
) -> list[str]:
    """:func:`keyword_terms` with the resources given. ``memo`` (filled here) holds what each
    keyword gives on its own (:func:`_single_keyword`); pass one dict for many lists of one
    corpus, which repeat most keywords."""
    toks = wordlists.keyword_tokens(keywords)
    if memo is None:
        memo = {}
    info = [memo.get(t) or _remember(memo, t, res) for t in toks]
    starts = [i for i, item in enumerate(info) if item[2]]
    joins: dict[int, int] = {}
    n, after = len(toks), 0
    join_forms, join_prefixes = res.join_forms, res.join_prefixes
    for i in starts:
        if i < after or i + 1 >= n:
            continue
        two = info[i][1] + info[i + 1][1]
        # Every join form of 3+ keywords starts with the first two joined: one look-up rules
        # out most places.
        longer = two in join_prefixes
        if not longer and two not in join_forms:
            continue
        for k in (4, 3, 2):
            if i + k <= n and (k == 2 or longer) and "".join(
                item[1] for item in info[i : i + k]
            ) in join_forms:
                joins[i] = k
                after = i + k
                break
    if not joins:
        return [item[0] for item in info if item[0] is not None]
    out: list[str] = []
    i = 0
    while i < n:
        k = joins.get(i)
        if k is None:
            term = info[i][0]
            if term is not None:
                out.append(term)
            i += 1
            continue
        form = "".join(toks[i : i + k])
        i += k
        canon = res.fold.get(form.casefold())
        if canon is not None:
            out.append(canon)
        elif form not in res.stopwords and _HAS_WORD.search(form):
            out.append(form)
    return out


def _remember(memo: dict[str, _Keyword], tok: str, res: _Resources) -> _Keyword:
    """What ``tok`` gives on its own: its term (the canonical lexicon term, itself, or None for
    a stopword or a keyword without a letter), its casefolded form and whether a join form
    starts with it; stored in ``memo``."""
    folded = tok.casefold()
    canon = res.fold.get(folded)
    if canon is None:
        canon = tok if tok not in res.stopwords and _HAS_WORD.search(tok) else None
    item = memo[tok] = (canon, folded, folded in res.join_prefixes)
    return item


def article_text(row) -> str:
    """The analysed text of an article row: title, subtitle, body and captions."""
    return "\n".join(str(row.get(c, "") or "") for c in ("title", "subtitle", "body", "captions"))


def _unique_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article_id: overlapping BigKinds slices repeat an id with the same text."""
    return articles.drop_duplicates(subset="article_id", keep="first")


def _column(frame: pd.DataFrame, name: str, default: object = "") -> list:
    if name not in frame.columns:
        return [default] * len(frame)
    return frame[name].tolist()


def _units(unique: pd.DataFrame) -> list[tuple[str, str, str]]:
    """``(article_id, kind, text)`` per article: kind ``kw`` reads the 키워드 list, ``text``
    the title, subtitle, body and captions. Built from column lists (fast on 10k+ rows)."""
    ids = [str(x) for x in _column(unique, "article_id")]
    cols = {
        c: [str(v or "") for v in _column(unique, c)]
        for c in ("title", "subtitle", "body", "captions", "keywords")
    }
    lead = [bool(v) for v in _column(unique, "lead_only", False)]
    units = []
    for i, art_id in enumerate(ids):
        kw = cols["keywords"][i]
        if uses_keywords(cols["body"][i], kw, lead[i]):
            units.append((art_id, "kw", kw))
        else:
            text = "\n".join(cols[c][i] for c in ("title", "subtitle", "body", "captions"))
            units.append((art_id, "text", text))
    return units


def _reader_prefix(res: _Resources) -> bytes:
    """What a text's tokens depend on besides the text: the table version, the kiwipiepy and
    model versions and the resource files' hashes."""
    import kiwipiepy

    parts = [f"v{TOKEN_TABLE_VERSION}|kiwipiepy {kiwipiepy.__version__}|"]
    try:
        import kiwipiepy_model

        parts.append(f"model {kiwipiepy_model.__version__}|")
    except (ImportError, AttributeError):
        pass
    parts.append(repr(res.fingerprint))
    return "".join(parts).encode()


def reader_fingerprint(resources: str | Path | None = None) -> bytes:
    """What Kiwi's reading of a text depends on besides the text (the token table version, the
    kiwipiepy and model versions, the resource files' hashes): part of every cache key of
    results drawn from Kiwi."""
    return _reader_prefix(_resources(resources))


def _cache_key(units: Sequence[tuple[str, str, str]], res: _Resources) -> str:
    h = hashlib.sha256()
    h.update(_reader_prefix(res))
    for art_id, kind, text in units:
        h.update(b"\x1e")
        h.update(art_id.encode("utf-8"))
        h.update(b"\x1f" + kind.encode() + b"\x1f")
        h.update(text.encode("utf-8"))
    return h.hexdigest()[:32]


def token_cache_path(key: str) -> Path:
    """Where the token table with cache ``key`` is stored."""
    return Path(paths.CACHE_DIR) / "tokens" / f"tokens-{key}.parquet"


def text_store_path() -> Path:
    """Where the tokens of every full text read with the cache on are kept, one entry per
    distinct text (:class:`_TextStore`)."""
    return Path(paths.CACHE_DIR) / "tokens" / TEXT_STORE_NAME


class _TextStore:
    """The counted tokens of full texts, keyed by a hash of the text and of what reading it
    depends on (:func:`_reader_prefix`), in one SQLite file.

    Token tables of different sets of articles share it: the tagging stage reads a corpus in
    chunks, the notebooks ask for the whole corpus at once, and each text is given to Kiwi only
    the first time. SQLite's own locking lets the tagging processes write at once; a damaged
    file is reported once by name, removed, and its texts are read again.
    """

    BATCH = 900  # keys per query: under SQLite's oldest limit on bound parameters

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self):
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=120)
        con.execute("CREATE TABLE IF NOT EXISTS texts (key BLOB PRIMARY KEY, pairs TEXT) "
                    "WITHOUT ROWID")
        return con

    def _damaged(self, exc: Exception) -> None:
        warnings.warn(
            f"token store {self.path.name} is damaged ({type(exc).__name__}: {str(exc)[:120]}); "
            "removed, its texts are tokenized again",
            stacklevel=4,
        )
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def get(self, keys: Sequence[bytes]) -> dict[bytes, list[tuple[str, str, int]]]:
        """The stored ``(term, tag, count)`` lists of those ``keys`` that are stored."""
        import sqlite3

        if not keys or not self.path.exists():
            return {}
        found: dict[bytes, list[tuple[str, str, int]]] = {}
        try:
            with contextlib.closing(self._connect()) as con:
                for i in range(0, len(keys), self.BATCH):
                    batch = keys[i : i + self.BATCH]
                    marks = ",".join("?" * len(batch))
                    for key, pairs in con.execute(
                        f"SELECT key, pairs FROM texts WHERE key IN ({marks})", batch
                    ):
                        # One string object per distinct term, as Kiwi's output shares
                        # them: millions of pairs would otherwise hold a copy each.
                        found[bytes(key)] = [(intern(str(t)), intern(str(g)), int(n))
                                             for t, g, n in json.loads(pairs)]
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            self._damaged(exc)
            return {}
        return found

    def put(self, items: dict[bytes, list[tuple[str, str, int]]]) -> None:
        """Store ``items``; keys already there are kept as they are (same key, same tokens)."""
        import sqlite3

        if not items:
            return
        rows = [(k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()]
        try:
            with contextlib.closing(self._connect()) as con, con:
                con.executemany("INSERT OR IGNORE INTO texts VALUES (?, ?)", rows)
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)


def _read_token_cache(target: Path) -> pd.DataFrame | None:
    """The cached token table, or None (after one warning naming the file, which is removed so
    the caller rebuilds it) when the file is damaged: truncated, empty or of another shape."""
    import pyarrow as pa

    try:
        table = pd.read_parquet(target)
        if tuple(str(c) for c in table.columns) != TOKEN_COLUMNS:
            raise ValueError(f"columns {list(table.columns)[:5]}, expected {list(TOKEN_COLUMNS)}")
    except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
        warnings.warn(
            f"token cache {target.name} is damaged ({type(exc).__name__}: {str(exc)[:120]}); "
            "removed, the articles are tokenized again",
            stacklevel=3,
        )
        target.unlink(missing_ok=True)
        return None
    mark_used(target)
    return table


def tokens_of(tagged, **options) -> pd.DataFrame:
    """The token table of a tagged corpus (:class:`lib.tagging.stage.TaggedCorpus`): the one made
    with its tags when it has one (``tagged.tokens``: the distributed engine's folder holds it),
    else :func:`token_table` of its articles with ``options`` (cache, workers, progress, …)."""
    stored = getattr(tagged, "tokens", None)
    if stored is not None:
        return stored
    return token_table(tagged.articles, **options)


def token_table(
    articles: pd.DataFrame,
    *,
    cache: bool = True,
    workers: int | None = None,
    progress: bool = True,
    resources: str | Path | None = None,
) -> pd.DataFrame:
    """Term counts per article: a tidy table ``article_id, term, tag, count``.

    Reads ``articles`` (canonical schema). Repeated article_ids are tokenized once (first row
    wins). Full-text rows are tokenized by Kiwi (title, subtitle, body, captions); BigKinds rows
    with a 키워드 list and a lead-only body are read from the keyword list (tag ``KW``), because
    the list covers the whole story. Rows are in article order, terms in order of first use.

    With ``cache=True`` the table is stored as Parquet under ``lib.paths.CACHE_DIR/tokens``,
    keyed by the SHA-256 of every article's id and text, the resource files' hashes, the
    kiwipiepy/model versions and ``TOKEN_TABLE_VERSION``; a later call with the same key reads
    the file instead of tokenizing. Writes are atomic (temp file + ``os.replace``) under a file
    lock, so concurrent notebooks cannot leave a torn file. On a miss, full texts already read
    with the cache on (by the tagging stage, or for another set of articles) come from the
    token store (:func:`text_store_path`, one entry per distinct text under the same versions
    and hashes); only the others are given to Kiwi.
    """
    from filelock import FileLock

    res = _resources(resources)
    unique = _unique_articles(articles)
    units = _units(unique)
    key = _cache_key(units, res)
    target = token_cache_path(key)
    if cache and target.exists():
        cached = _read_token_cache(target)
        if cached is not None:
            return cached

    table = _build_table(units, workers=workers, progress=progress, resources=resources,
                         store=cache)
    if cache:
        target.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(target) + ".lock"):
            if not target.exists():
                fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".parquet.tmp")
                os.close(fd)
                try:
                    table.to_parquet(tmp, index=False)
                    os.replace(tmp, target)
                finally:
                    if os.path.exists(tmp):
                        os.remove(tmp)
        prune(target.parent, keep=target)
    return table


def term_counts(articles: pd.DataFrame, *, progress: bool = False) -> dict[str, Counter]:
    """Term counts per article id, as :func:`token_table` gives them summed over tags.

    BigKinds rows read from their 키워드 list are counted here directly (a list split is cheap);
    full-text rows are read from the token store, and only texts not in it are given to Kiwi
    (:func:`token_table`'s store; no table file is written). ``articles`` needs ``article_id``
    as strings.
    """
    unique = _unique_articles(articles)
    res = _resources(None)
    out: dict[str, Counter] = {}
    text_units: list[tuple[str, str, str]] = []
    memo: dict[str, _Keyword] = {}
    for unit in _units(unique):
        if unit[1] == "kw":
            out[unit[0]] = Counter(_keyword_terms(unit[2], res, memo))
        else:
            text_units.append(unit)
    if text_units:
        table = _build_table(text_units, workers=None, progress=progress, resources=None,
                             store=True)
        for art_id, term, count in zip(table["article_id"], table["term"], table["count"],
                                       strict=True):
            out.setdefault(art_id, Counter())[term] += int(count)
    return out


def _text_tokens(
    texts: Sequence[str],
    *,
    store: bool,
    workers: int | None,
    progress: bool,
    resources: str | Path | None,
    res: _Resources,
) -> dict[str, list[tuple[str, str, int]]]:
    """The counted tokens ``(term, tag, count)``, in order of first use, of each distinct text.
    With ``store`` the texts already in the token store are read from it, and only the others
    are given to Kiwi (and then stored)."""
    distinct = list(dict.fromkeys(texts))
    out: dict[str, list[tuple[str, str, int]]] = {}
    keys: list[bytes] = []
    text_store = _TextStore(text_store_path()) if store else None
    if text_store is not None and distinct:
        prefix = _reader_prefix(res)
        keys = [hashlib.sha256(prefix + b"\x1f" + t.encode("utf-8")).digest()[:20]
                for t in distinct]
        stored = text_store.get(keys)
        for text, key in zip(distinct, keys, strict=True):
            found = stored.get(key)
            if found is not None:
                out[text] = found
    missing = [i for i, t in enumerate(distinct) if t not in out]
    tokenized = tokenize((distinct[i] for i in missing), workers=workers, progress=progress,
                         resources=resources)
    new: dict[bytes, list[tuple[str, str, int]]] = {}
    for i, pairs in zip(missing, tokenized, strict=True):
        counted = [(term, tag, n) for (term, tag), n in Counter(pairs).items()]
        out[distinct[i]] = counted
        if text_store is not None:
            new[keys[i]] = counted
    if text_store is not None:
        text_store.put(new)
    return out


def _build_table(
    units: Sequence[tuple[str, str, str]],
    *,
    workers: int | None,
    progress: bool,
    resources: str | Path | None,
    store: bool,
) -> pd.DataFrame:
    res = _resources(resources)
    by_text = _text_tokens(
        [u[2] for u in units if u[1] == "text"],
        store=store, workers=workers, progress=progress, resources=resources, res=res,
    )
    # Keyword lists are read column-wise; each full text's counted tokens are laid out flat.
    owner_parts: list[np.ndarray] = []
    term_parts: list[np.ndarray] = []
    tag_parts: list[np.ndarray] = []
    count_parts: list[np.ndarray] = []
    kw_pos = [i for i, u in enumerate(units) if u[1] == "kw"]
    if kw_pos:
        indptr, kw_terms = keyword_terms_many([units[i][2] for i in kw_pos], res)
        owner = np.repeat(np.asarray(kw_pos, dtype=np.int64), np.diff(indptr))
        owner, kw_terms, kw_counts = _pair_counts(owner, kw_terms,
                                                  np.ones(len(kw_terms), dtype=np.int64))
        owner_parts.append(owner)
        term_parts.append(kw_terms)
        tag_parts.append(np.full(len(kw_terms), KEYWORD_TAG, dtype=object))
        count_parts.append(kw_counts)
    text_owner, text_terms, text_tags, text_counts = array("q"), [], [], array("q")
    for i, (_, kind, text) in enumerate(units):
        if kind != "kw" and (counted := by_text[text]):
            found_terms, found_tags, found_counts = zip(*counted, strict=True)
            text_owner.extend([i] * len(counted))
            text_terms.extend(found_terms)
            text_tags.extend(found_tags)
            text_counts.extend(found_counts)
    owner_parts.append(np.frombuffer(text_owner, dtype=np.int64))
    term_parts.append(np.asarray(text_terms, dtype=object))
    tag_parts.append(np.asarray(text_tags, dtype=object))
    count_parts.append(np.frombuffer(text_counts, dtype=np.int64))
    owner = np.concatenate(owner_parts)
    order = np.argsort(owner, kind="stable")  # articles in unit order, terms in order of use
    unit_ids = np.asarray([u[0] for u in units], dtype=object)
    ids = unit_ids[owner[order]]
    terms = np.concatenate(term_parts)[order]
    tags = np.concatenate(tag_parts)[order]
    counts = np.concatenate(count_parts)[order]
    return pd.DataFrame(
        {
            "article_id": pd.Series(ids, dtype=str),
            "term": pd.Series(terms, dtype=str),
            "tag": pd.Series(tags, dtype=str),
            "count": pd.Series(counts, dtype="int64"),
        }
    )


@dataclass(frozen=True)
class NounCounts:
    """The nouns of many articles as flat columns: what :func:`term_counts` gives per article,
    without a ``Counter`` per article.

    ``article[k]`` (a row position of the table it was made from), ``term[k]`` and ``count[k]``
    describe one ``(article, term)`` pair; the pairs come in row order and, within a row, in
    the order the row's ``Counter`` from :func:`term_counts` lists its terms. ``n_rows`` is the
    number of rows.
    """

    n_rows: int
    article: np.ndarray  # int64 row positions
    term: np.ndarray  # object array of str
    count: np.ndarray  # int64

    def in_lists(self, word_lists: Iterable[Collection[str]]) -> list[np.ndarray]:
        """Per word list, which pairs' terms are in it (a boolean mask over the pairs); each
        distinct term is looked up once per list."""
        codes, distinct = pd.factorize(self.term)
        return [np.fromiter((t in words for t in distinct), dtype=bool,
                            count=len(distinct))[codes] for words in word_lists]

    def per_row(self, pairs: np.ndarray, *, mentions: bool = True) -> np.ndarray:
        """Per row, the mentions (``mentions``) or the distinct terms (a pair is one term of
        one row) of the pairs selected by the boolean mask ``pairs``."""
        if not mentions:
            return np.bincount(self.article[pairs], minlength=self.n_rows)
        # Floats whatever is selected: bincount gives int64 for no pairs, weights or not.
        return np.bincount(self.article[pairs], weights=self.count[pairs].astype(float),
                           minlength=self.n_rows).astype(float, copy=False)

    def counters(self) -> list[Counter]:
        """One ``Counter`` per row, as :func:`lib.tagging.model.article_terms` gives them."""
        out = [Counter() for _ in range(self.n_rows)]
        for a, t, n in zip(self.article.tolist(), self.term.tolist(), self.count.tolist(),
                           strict=True):
            out[a][t] = n
        return out


def noun_counts(articles: pd.DataFrame) -> NounCounts:
    """The nouns of every row of ``articles`` (``article_id`` as strings) as :class:`NounCounts`:
    for each row the terms and counts of ``term_counts(articles)[row's id]`` (a row repeating
    an earlier id gets that id's nouns, as there).

    Keyword rows are read from their 키워드 lists column-wise (:func:`keyword_terms_many`);
    full-text rows through the token store, as in :func:`term_counts`.
    """
    ids = articles["article_id"].astype(str)
    first = ~ids.duplicated(keep="first").to_numpy()
    unique = articles[first]
    res = _resources(None)
    units = _units(unique)
    kw_pos = [i for i, u in enumerate(units) if u[1] == "kw"]
    text_pos = [i for i, u in enumerate(units) if u[1] != "kw"]
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if kw_pos:
        indptr, terms = keyword_terms_many([units[i][2] for i in kw_pos], res)
        owner = np.repeat(np.asarray(kw_pos, dtype=np.int64), np.diff(indptr))
        parts.append(_pair_counts(owner, terms, np.ones(len(terms), dtype=np.int64)))
    if text_pos:
        table = _build_table([units[i] for i in text_pos], workers=None, progress=False,
                             resources=None, store=True)
        position = pd.Index([units[i][0] for i in text_pos]).get_indexer(table["article_id"])
        owner = np.asarray(text_pos, dtype=np.int64)[position]
        parts.append(_pair_counts(owner, table["term"].to_numpy(dtype=object),
                                  table["count"].to_numpy(dtype=np.int64)))
    if parts:
        article = np.concatenate([p[0] for p in parts])
        term = np.concatenate([p[1] for p in parts])
        count = np.concatenate([p[2] for p in parts])
        order = np.argsort(article, kind="stable")
        article, term, count = article[order], term[order], count[order]
    else:
        article = np.zeros(0, dtype=np.int64)
        term = np.zeros(0, dtype=object)
        count = np.zeros(0, dtype=np.int64)
    if first.all():
        return NounCounts(len(articles), article, term, count)
    # Rows repeating an id take the pairs of the id's first row.
    unique_of_row = pd.Index(ids[first]).get_indexer(ids)
    bounds = np.searchsorted(article, np.arange(len(unique) + 1))
    starts, lengths = bounds[unique_of_row], np.diff(bounds)[unique_of_row]
    take = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    row = np.repeat(np.arange(len(articles), dtype=np.int64), lengths)
    return NounCounts(len(articles), row, term[take], count[take])


def _pair_counts(
    owner: np.ndarray, terms: np.ndarray, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(owner, term, summed count)`` per distinct ``(owner, term)``, in order of first
    occurrence (``owner`` is non-decreasing): ``Counter`` order for every owner."""
    if not len(terms):
        return owner[:0], terms[:0], counts[:0]
    term_codes, term_values = pd.factorize(terms)
    width = max(len(term_values), 1)
    pair_codes, pairs = pd.factorize(owner * width + term_codes)
    summed = np.bincount(pair_codes, weights=counts, minlength=len(pairs)).astype(np.int64)
    return pairs // width, np.asarray(term_values, dtype=object)[pairs % width], summed


def keyword_terms_many(
    keyword_lists: Sequence[str], res: _Resources
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`keyword_terms` of every list, as ``(indptr, terms)``: list ``i``'s terms are
    ``terms[indptr[i]:indptr[i + 1]]`` (an object array of str).

    Each distinct keyword is looked up once; only places where a join form may start are
    walked one by one, as :func:`_keyword_terms` walks them.
    """
    # Keywords as codes, numbered in order of first appearance: each list's strings are
    # dropped as soon as it is coded, so a block holds one string per distinct keyword.
    code_of = _Codes()
    buffer = array("q")
    lengths_list = []
    for keywords in keyword_lists:
        items = wordlists.keyword_tokens(keywords)
        lengths_list.append(len(items))
        buffer.extend(map(code_of.__getitem__, items))
    lengths = np.asarray(lengths_list, dtype=np.int64)
    ends = np.cumsum(lengths)
    codes = np.frombuffer(buffer, dtype=np.int64) if len(buffer) else np.zeros(0, dtype=np.int64)
    distinct = list(code_of)
    if not len(codes):
        return np.zeros(len(keyword_lists) + 1, dtype=np.int64), np.zeros(0, dtype=object)
    memo: dict[str, _Keyword] = {}
    info = [_remember(memo, t, res) for t in distinct]
    term_of = np.array([item[0] for item in info], dtype=object)
    folded = [item[1] for item in info]
    starts_join = np.fromiter((item[2] for item in info), dtype=bool, count=len(info))
    out = term_of[codes]
    owner = np.repeat(np.arange(len(lengths)), lengths)
    candidates = np.flatnonzero(starts_join[codes])
    if len(candidates):
        candidates = candidates[candidates + 1 < ends[owner[candidates]]]
    if len(candidates):
        _join_keywords(out, codes, candidates, ends[owner[candidates]], folded, distinct, res)
    keep = out != None  # noqa: E711 (element-wise comparison of an object array)
    kept_per_list = np.bincount(owner[keep], minlength=len(lengths))
    indptr = np.concatenate([[0], np.cumsum(kept_per_list)]).astype(np.int64)
    return indptr, out[keep]


class _Codes(dict):
    """``codes[word]``: the word's number, a new one (the count so far) for a new word."""

    def __missing__(self, word: str) -> int:
        code = self[word] = len(self)
        return code


def _join_keywords(
    out: np.ndarray, codes: np.ndarray, candidates: np.ndarray, ends: np.ndarray,
    folded: list[str], distinct_words: list[str], res: _Resources,
) -> None:
    """Join split compounds in ``out`` (the terms of the keywords whose codes among
    ``distinct_words`` are ``codes``; ``folded`` their casefolded forms) in place, as
    :func:`_keyword_terms` joins them: at each place ``candidates`` (a keyword a join form may
    start with, followed by another keyword of its list, which ends before ``ends``), left to
    right, the longest of 4, 3, 2 neighbours whose joined casefolded form is a join form, not
    overlapping an earlier join. Every distinct run of keywords is looked up once."""
    join_forms, join_prefixes = res.join_forms, res.join_prefixes
    width = len(folded)
    # Distinct runs of 2, 3 and 4 keywords as codes: each run's code extends the one before.
    run_codes: dict[int, np.ndarray] = {}
    run_values: dict[int, np.ndarray] = {}
    fits = {k: candidates + k <= ends for k in (2, 3, 4)}
    previous = codes[candidates].astype(np.int64)
    for k in (2, 3, 4):
        following = codes[np.minimum(candidates + k - 1, len(codes) - 1)]
        run_codes[k], run_values[k] = pd.factorize(previous * width + following)
        previous = run_codes[k].astype(np.int64)

    def joined(k: int, j: int, words: Sequence[str]) -> str:
        return "".join(words[c] for c in _run_members(run_values, width, k, j))

    first_two = [joined(2, j, folded) for j in range(len(run_values[2]))]
    longer = np.fromiter((t in join_prefixes for t in first_two), dtype=bool,
                         count=len(first_two))[run_codes[2]]
    size = np.where(
        np.fromiter((t in join_forms for t in first_two), dtype=bool,
                    count=len(first_two))[run_codes[2]], 2, 0)
    for k in (3, 4):
        # Only runs that fit in their list and extend a join form's first two keywords.
        asked = fits[k] & longer
        needed = np.unique(run_codes[k][asked])
        is_form = np.zeros(len(run_values[k]), dtype=bool)
        is_form[needed] = [joined(k, j, folded) in join_forms for j in needed.tolist()]
        size[asked & is_form[run_codes[k]]] = k
    # Left to right, a join is taken unless it overlaps the one taken before it: only the
    # candidates that start a join are walked, and not even those when no two of them overlap.
    live = np.flatnonzero(size)
    if not len(live):
        return
    live_starts, live_sizes = candidates[live], size[live]
    if (live_starts[1:] >= live_starts[:-1] + live_sizes[:-1]).all():
        chosen = live
    else:
        after = 0
        accepted: list[int] = []
        for n, i, k in zip(live.tolist(), live_starts.tolist(), live_sizes.tolist(), strict=True):
            if i >= after:
                accepted.append(n)
                after = i + k
        chosen = np.asarray(accepted, dtype=np.int64)
    sizes = size[chosen]
    starts = candidates[chosen]
    # The term of each distinct run (its length and run code), worked out once.
    run_keys, distinct_runs = pd.factorize(_run_code_of(run_codes, sizes, chosen) * 5 + sizes)
    run_terms = np.empty(len(distinct_runs), dtype=object)
    for r, key in enumerate(distinct_runs.tolist()):
        form = joined(key % 5, key // 5, distinct_words)
        canon = res.fold.get(form.casefold())
        if canon is None and form not in res.stopwords and _HAS_WORD.search(form):
            canon = form
        run_terms[r] = canon
    rest = np.repeat(starts, sizes - 1) + _ranks_within(sizes - 1) + 1
    out[rest] = None
    out[starts] = run_terms[run_keys]


def _run_code_of(run_codes: dict[int, np.ndarray], sizes: np.ndarray,
                 chosen: np.ndarray) -> np.ndarray:
    """The run code (of its own length) of every chosen candidate."""
    out = np.empty(len(chosen), dtype=np.int64)
    for k in (2, 3, 4):
        at = sizes == k
        out[at] = run_codes[k][chosen[at]]
    return out


def _ranks_within(lengths: np.ndarray) -> np.ndarray:
    """``0, 1, …, n - 1`` for every ``n`` of ``lengths``, concatenated."""
    total = int(lengths.sum())
    return np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _run_members(run_values: dict[int, np.ndarray], width: int, k: int, j: int) -> list[int]:
    """The keyword codes of distinct run ``j`` of ``k`` keywords (see :func:`_join_keywords`)."""
    members: list[int] = []
    value = int(run_values[k][j])
    while k > 2:
        value, last = divmod(value, width)
        members.append(last)
        k -= 1
        value = int(run_values[k][value])
    first, second = divmod(value, width)
    return [first, second, *reversed(members)]
