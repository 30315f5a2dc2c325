"""Keyword in context: every place a term is used, with the article it comes from.

``kwic(tagged, "자율주행")`` lists each occurrence of the term (and of every synonym the lexicon
folds onto it: ``도심항공교통`` also finds ``UAM`` and ``도심항공모빌리티``; written with a space
too, ``자율 주행``, as the token table joins it) in the title and text of each article, with
``width`` characters either side, so a keyness score or a trend point can be read in the
sentences behind it. A term of two letters inside a longer word is not it (``전시`` in
``대전시``); at a word's start it is (``전시회``).

BigKinds rows whose body is a ~200-character lead are read from their 키워드 list by the token
table; for them KWIC searches the title and the lead (``source`` = ``lead``), and when the term
is only in the keyword list it says so in a row of its own (``source`` = ``keywords``, empty
context): the full text is not in the download.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lib.corpus.schema import uses_keywords
from lib.tagging.resources import TermMatcher, synonym_map, term_key
from lib.tagging.tokens import keyword_terms_of

KWIC_COLUMNS: tuple[str, ...] = (
    "article_id", "date", "outlet", "region", "left", "match", "right", "source", "url",
)
#: What ``source`` says for each place a match can come from.
SOURCES = {
    "title": "title",
    "body": "body",
    "lead": "lead (BigKinds: the body is a lead)",
    "keywords": "keywords only (BigKinds: the term is in 키워드, not in the lead)",
}
_SPACE = re.compile(r"\s+")
#: A match of a term this short (in letters) inside a longer Hangul word is another word's
#: part (대전시 holds 전시, 한국토지주택공사 holds 공사, 전기차 holds 기차), not the term.
_SHORT_TERM = 2
#: The columns KWIC reads (the others are not copied row by row).
_READ = ("article_id", "published", "outlet", "region", "url", "title", "body", "keywords",
         "lead_only")


def term_forms(term: str, *, resources: str | Path | None = None) -> dict[str, str]:
    """Every surface form that the token table folds onto ``term`` (the term itself, and its
    synonyms when it is a lexicon term), mapped to ``term``."""
    key = term_key(term)
    fold = synonym_map(resources)
    canon = fold.get(key, term)
    forms = {term: canon, canon: canon}
    forms.update({form: canon for form, c in fold.items() if c == canon})
    return forms


def kwic(
    tagged: pd.DataFrame,
    term: str,
    *,
    width: int = 30,
    dedup: bool = True,
    limit: int | None = None,
    resources: str | Path | None = None,
) -> pd.DataFrame:
    """Occurrences of ``term`` in ``tagged`` (the tagged articles, or a ``TaggedCorpus``).

    Returns ``article_id, date, outlet, region, left, match, right, source, url``: one row per
    occurrence, ``left``/``right`` the ``width`` characters before and after (spaces and line
    breaks shown as one space), ``match`` the text as written, ``source`` where it was found
    (see :data:`SOURCES`). Rows are sorted by date (undated last), then article and position;
    ``limit`` keeps the first rows. ``dedup`` leaves out rows flagged ``is_duplicate``.
    """
    frame = getattr(tagged, "articles", tagged)
    if dedup and "is_duplicate" in frame.columns:
        frame = frame[~frame["is_duplicate"].fillna(False).astype(bool)]
    frame = frame.drop_duplicates(subset="article_id", keep="first")
    forms = term_forms(term, resources=resources)
    canon = next(iter(forms.values()))
    # Split forms too: the token table joins "자율 주행" into 자율주행, so KWIC finds it there.
    matcher = TermMatcher(forms, auto_split=True)
    # A keyword list yields the term only from keywords (alone, or neighbours joined) that are
    # one of its forms, so the list's text without separators, case folded, holds that form's
    # key: lists without any key are not read into terms at all.
    keys = {term_key(form) for form in forms}
    # Columns as lists (a dict per article only where the term is found: one per row of
    # a large corpus would cost more than the search).
    columns = {c: frame[c].tolist() for c in _READ if c in frame.columns}
    missing = [None] * len(frame)
    titles, bodies, keyword_lists, lead_only = (
        columns.get(c, missing) for c in ("title", "body", "keywords", "lead_only")
    )

    def record(i: int) -> dict[str, object]:
        return {c: values[i] for c, values in columns.items()}

    rows: list[dict[str, object]] = []
    unread: list[int] = []
    for i in range(len(frame)):
        body = str(bodies[i] or "")
        keywords = str(keyword_lists[i] or "")
        keyword_row = uses_keywords(body, keywords, bool(lead_only[i]))
        rec = None
        for source, text in (("title", str(titles[i] or "")),
                             ("lead" if keyword_row else "body", body)):
            for hit in matcher.finditer(text):
                if _inside_word(text, hit.start, hit.end):
                    continue
                rec = rec or record(i)
                rows.append(_row(rec, text, hit.start, hit.end, width, source))
        if keyword_row and rec is None:
            joined = "".join(keywords.casefold().replace(",", " ").split())
            if any(key in joined for key in keys):
                unread.append(i)
    lists = keyword_terms_of([str(keyword_lists[i] or "") for i in unread], resources=resources)
    for i, terms in zip(unread, lists):
        if canon in terms:
            rows.append({**_meta(record(i)), "left": "", "match": canon, "right": "",
                         "source": SOURCES["keywords"]})
    out = pd.DataFrame(rows, columns=[*KWIC_COLUMNS, "_pos"])
    if out.empty:
        return out[list(KWIC_COLUMNS)].astype({"date": "datetime64[ns]"})
    out["date"] = pd.to_datetime(out["date"], errors="coerce")
    out = out.sort_values(["date", "article_id", "_pos"], na_position="last", kind="stable")
    out = out[list(KWIC_COLUMNS)].reset_index(drop=True)
    return out.head(limit) if limit is not None else out


def _hangul(char: str) -> bool:
    return "가" <= char <= "힣"


def _inside_word(text: str, start: int, end: int) -> bool:
    """A short Hangul match that continues a word begun before it: another word's part."""
    found = text[start:end]
    return (start > 0 and _hangul(text[start - 1]) and _hangul(found[0])
            and len(found.replace(" ", "")) <= _SHORT_TERM)


def _meta(rec: dict) -> dict[str, object]:
    return {
        "article_id": str(rec.get("article_id", "")),
        "date": rec.get("published"),
        "outlet": str(rec.get("outlet") or ""),
        "region": str(rec.get("region") or ""),
        "url": str(rec.get("url") or ""),
        "_pos": -1,
    }


def _row(rec: dict, text: str, start: int, end: int, width: int, source: str) -> dict[str, object]:
    left = _SPACE.sub(" ", text[max(0, start - width):start])
    right = _SPACE.sub(" ", text[end:end + width])
    return {**_meta(rec), "left": left, "match": text[start:end], "right": right,
            "source": SOURCES[source], "_pos": start if source != "title" else -1 - start}


def context_note(lines: pd.DataFrame) -> str | None:
    """A sentence when no line of a :func:`kwic` table has text around its match (every one
    from a BigKinds 키워드 list: a download without 본문, or leads without the term), so an
    empty context reads as what it is; None when some line has context or there is none."""
    if lines.empty or (lines["source"] != SOURCES["keywords"]).any():
        return None
    return ("이 단어는 키워드 목록에서만 찾았습니다: 본문(리드)에 없으니 문맥은 보여 줄 수 "
            "없고, 아래 표는 어느 기사에 있는지만 알려 줍니다 (the term is only in the articles' "
            "keyword lists, with no text around it: the rows say which articles hold it).")
