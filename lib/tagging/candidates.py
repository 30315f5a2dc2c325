"""New-word candidates for the lexicon: Kiwi's ``extract_words`` over a corpus, minus what the
user dictionary, topic lexicon and stopwords already hold."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd

from lib import paths
from lib.corpus.cache import discard_entry, mark_used, write_entry
from lib.tagging.resources import load_stopwords, load_user_dict, synonym_map, term_key
from lib.tagging.tokens import get_kiwi, reader_fingerprint

#: File of a cached ``extract_words`` result, in ``CACHE_DIR/candidates/<key>/``.
_WORDS_FILE = "words.json"

_HANGUL = re.compile("[가-힣]")


def _article_texts(articles: pd.DataFrame) -> list[str]:
    cols = [c for c in ("title", "subtitle", "body", "captions") if c in articles.columns]
    frame = articles[cols].fillna("").astype(str)
    return ["\n".join(values) for values in frame.itertuples(index=False, name=None)]


def _extracted_words(
    texts: list[str], *, cache: bool, **options: float
) -> list[tuple[str, float, int, float]]:
    """Kiwi's ``extract_words(texts, **options)``: ``(form, score, count, pos_score)`` rows.

    With ``cache`` the result is kept under ``CACHE_DIR/candidates``, keyed by the texts, the
    options and :func:`lib.tagging.tokens.reader_fingerprint`; a rerun on the same articles
    reads it back instead of running the extraction again (the slowest step of notebook 03 on
    a large corpus). A damaged entry is reported once by name, removed and made again."""
    if not cache:
        return get_kiwi().extract_words(texts, **options)
    digest = hashlib.sha256(reader_fingerprint())
    digest.update(json.dumps(sorted(options.items())).encode())
    for text in texts:
        digest.update(b"\x1e" + text.encode("utf-8"))
    key = digest.hexdigest()
    root = Path(paths.CACHE_DIR) / "candidates"
    stored = root / key / _WORDS_FILE
    if stored.exists():
        try:
            rows = json.loads(stored.read_text(encoding="utf-8"))
            words = [(str(f), float(sc), int(n), float(ps)) for f, sc, n, ps in rows]
            mark_used(stored.parent)
            return words
        except (OSError, ValueError, TypeError) as exc:
            discard_entry(stored.parent, f"new-word cache {key[:12]}…", exc,
                          "the words are extracted again", stacklevel=4)
    words = [(f, float(sc), int(n), float(ps))
             for f, sc, n, ps in get_kiwi().extract_words(texts, **options)]
    write_entry(root, key, {_WORDS_FILE: lambda path: path.write_text(
        json.dumps(words, ensure_ascii=False), encoding="utf-8")})
    return words


_NOT_A_TERM = re.compile(r"\d|[·ㆍ,/~()\[\]]|^(억|만|천)원$")


def extract_candidates(
    articles: pd.DataFrame,
    *,
    min_count: int = 5,
    max_word_len: int = 10,
    min_score: float = 0.25,
    n_examples: int = 3,
    out: str | Path | None = None,
    cache: bool = True,
) -> pd.DataFrame:
    """New-word candidates for the lexicon, found by Kiwi's ``extract_words`` over the corpus.

    Takes an ``articles`` table (title, subtitle, body, captions are read). Returns one row per
    candidate the user dictionary, topic lexicon and stopwords do not already hold, with columns
    ``term, count`` (corpus frequency), ``score`` (Kiwi's cohesion score), ``pos_score``
    (how noun-like, Kiwi), ``n_articles`` and ``example_ids`` (up to ``n_examples`` article ids,
    ``|``-joined), most frequent first. When ``out`` is given the table is also written there as
    a UTF-8 TSV for review. With ``cache=True`` Kiwi's extraction is cached under
    ``CACHE_DIR/candidates``, keyed by the texts, the options, the resource files and the Kiwi
    version, so a rerun on the same articles does not run it again.
    """
    columns = ["term", "count", "score", "pos_score", "n_articles", "example_ids"]
    texts = _article_texts(articles)
    ids = (
        articles["article_id"].astype(str).tolist()
        if "article_id" in articles
        else [str(i) for i in range(len(texts))]
    )
    rows = []
    if texts:
        words = _extracted_words(texts, cache=cache, min_cnt=min_count,
                                 max_word_len=max_word_len, min_score=min_score)
        known = {term_key(f) for f, _, _ in load_user_dict()} | set(synonym_map())
        known |= {term_key(s) for s in load_stopwords()}
        for form, score, freq, pos_score in words:
            form = form.strip()
            if not form or term_key(form) in known or not _HANGUL.search(form):
                continue
            # Amounts and years (억원, 2021년) and glued lists (대전·세종) are not terms.
            if _NOT_A_TERM.search(form):
                continue
            hits = [i for i, t in zip(ids, texts) if form in t]
            rows.append(
                {
                    "term": form,
                    "count": int(freq),
                    "score": float(score),
                    "pos_score": float(pos_score),
                    "n_articles": len(hits),
                    "example_ids": "|".join(hits[:n_examples]),
                }
            )
    table = pd.DataFrame.from_records(rows, columns=columns)
    table = table.sort_values(["count", "score"], ascending=False, kind="stable")
    table = table.reset_index(drop=True)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, sep="\t", index=False, encoding="utf-8")
    return table
