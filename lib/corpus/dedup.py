"""Duplicate detection across files and formats.

Copies of one story share a ``dup_group``; one member (the keeper) has ``is_duplicate=False``.
Links, from cheapest to dearest:

1. the same article_id (overlapping BigKinds date slices, the same page saved twice);
2. the same normalised body (wire copy under two outlets);
3. the same normalised title on the same day (a page and the BigKinds row of the same story),
   only when the texts agree too: one side has no text, a lead is found in the other's body, or
   the two bodies share most of their shingles. Two different stories under one headline
   (``[포토] …``, a weekly column title) stay apart, and undated rows are never linked by title;
4. a BigKinds lead found near the start of a full body from the day before to the day after
   (lead-only row vs the page of the story; a dateline such as ``(대전=뉴스1) 홍길동 기자 =``
   printed in one and not the other does not matter);
5. near-duplicates: MinHash LSH over character 5-gram shingles of full bodies (a changed
   paragraph, an added sentence), confirmed by the MinHash Jaccard estimate.

Links 3 and 5 are vetoed when the two bodies are one template told of different facts: the same
press-release wording about two cities or two amounts (``세종시는 … 12억 원`` / ``대전시는 … 15억
원``). Those are two stories, and merging them would drop one city's article from its counts.

The keeper prefers a full body over a lead, then the longer body, then the earlier record.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

_STRIP = re.compile(r"[\W_]+", re.UNICODE)

#: Jaccard similarity of 5-gram shingle sets above which two full bodies are one story.
NEAR_DUP_THRESHOLD = 0.7
NUM_PERM = 64
SHINGLE = 5
MIN_BODY_FOR_EXACT = 30
MIN_BODY_FOR_NEAR = 120
MIN_TITLE_KEY = 8
LEAD_PREFIX = 60
#: How far into a full body (in text-key characters) a lead's opening is looked for.
LEAD_WINDOW = 400
#: Shingle Jaccard above which two full bodies under the same title and day are one story.
SAME_TITLE_JACCARD = 0.3
#: Under one headline and day, a lead's first sentence (at least this many text-key characters)
#: recurring in the other record's opening makes them one story.
MIN_FIRST_SENTENCE = 15
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s|\n")
# Datelines and start bylines that one copy of a story prints and another does not.
_DATELINE = re.compile(
    r"^\s*(?:[\[(【][^\])】]{1,30}[\])】]\s*(?:[가-힣]{2,4}\s?(?:기자|특파원)\s?)?=?\s*"
    r"|[가-힣]{2,5}=[가-힣]{2,4}\s?기자\s|[^\s|]{2,12}\s[가-힣]{2,4}\s?기자\s?\|\s?)"
)


_NUMBER = re.compile(r"\d[\d,.]*")
#: A template swap replaces at most this many words at one place (a name, an amount, a date).
MAX_SWAP_WORDS = 3
#: ... at most at this many places; more is a rewrite, which the similarity test judges.
MAX_SWAPS = 8


def _facts_differ(a: str, b: str) -> bool:
    """Whether two nearly equal bodies are one template told of different facts.

    Aligned word by word, every difference must be a swap of a few words in place (an edit that
    adds, drops or rewrites a sentence or paragraph is not a template), and a swap must change a
    fact: a number, or the first words of the body (the subject of the lead sentence).
    """
    from difflib import SequenceMatcher

    words_a, words_b = a.split(), b.split()
    if Counter(words_a) == Counter(words_b):
        return False
    blocks = [
        op for op in SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if len(blocks) > MAX_SWAPS:
        return False
    for tag, i1, i2, j1, j2 in blocks:
        if tag != "replace" or i2 - i1 > MAX_SWAP_WORDS or j2 - j1 > MAX_SWAP_WORDS:
            return False
    for _, i1, i2, j1, j2 in blocks:
        if i1 == 0 and j1 == 0:
            return True
        numbers_a = _NUMBER.findall(" ".join(words_a[i1:i2]))
        numbers_b = _NUMBER.findall(" ".join(words_b[j1:j2]))
        if numbers_a and numbers_b and numbers_a != numbers_b:
            return True
    return False


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return int(root)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def text_key(text: str) -> str:
    """Text with every non-word character removed, lower-cased: how duplicate checks compare."""
    return _STRIP.sub("", text).lower()


def _link_equal(uf: _UnionFind, keys: Sequence[str | bytes], *, min_len: int = 1) -> None:
    first: dict[str | bytes, int] = {}
    for i, key in enumerate(keys):
        if len(key) < min_len:
            continue
        j = first.setdefault(key, i)
        if j != i:
            uf.union(j, i)


def _shingle_hashes(text: str) -> list[int]:
    """Distinct 32-bit hashes of the text's character 5-grams (a polynomial hash, vectorised).

    Equivalent to hashing each shingle with datasketch's sha1_hash32 for MinHash purposes, and
    ~20x faster: the per-shingle Python call is what dominated deduplication of 10k bodies.
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = max(1, len(codes) - SHINGLE + 1)
    hashes = np.zeros(width, dtype=np.uint64)
    for k in range(min(SHINGLE, len(codes))):
        hashes = hashes * np.uint64(1_000_003) + codes[k : k + width]
    hashes ^= hashes >> np.uint64(29)
    return np.unique(hashes & np.uint64(0xFFFFFFFF)).tolist()


def _identity(value: int) -> int:
    return value


def _texts_agree(
    i: int, j: int, body: Callable[[int], str], digests: list[bytes], lengths: list[int],
    opening: Callable[[int], str], first_sentence: Callable[[int], str], lead_only: list[bool],
    words: Callable[[int], str],
) -> bool:
    """Whether two records under one title and day tell the same story, judged by their text."""
    if lengths[i] < MIN_BODY_FOR_EXACT or lengths[j] < MIN_BODY_FOR_EXACT:
        return True  # title-only or keyword-only rows: the title is all there is to compare
    if digests[i] == digests[j]:
        return True
    if lead_only[i] or lead_only[j]:
        # Under one headline and day, a shared opening sentence is enough: later sentences of a
        # lead may differ from the page's (an edited version), the first rarely does.
        short, other = (i, j) if len(opening(i)) <= len(opening(j)) else (j, i)
        probe = first_sentence(short)[:LEAD_PREFIX]
        return len(probe) >= MIN_FIRST_SENTENCE and probe in opening(other)
    a, b = set(_shingle_hashes(body(i))), set(_shingle_hashes(body(j)))
    return len(a & b) / max(1, len(a | b)) >= SAME_TITLE_JACCARD and not _facts_differ(
        words(i), words(j)
    )


@lru_cache(maxsize=4096)
def _neighbour_days(day: str) -> tuple[str, ...]:
    """``day`` (YYYYMMDD) and the days before and after it; [""] for an undated record."""
    if not day:
        return ("",)
    stamp = pd.Timestamp(day)
    return tuple((stamp + pd.Timedelta(days=k)).strftime("%Y%m%d") for k in (0, -1, 1))


def find_duplicates(
    articles: pd.DataFrame, *, threshold: float = NEAR_DUP_THRESHOLD, random_state: int = 42
) -> pd.DataFrame:
    """Return ``articles`` with ``dup_group`` and ``is_duplicate`` filled in (a new frame).

    ``threshold`` is the shingle Jaccard similarity that makes two full bodies near-duplicates.
    Groups are numbered 0, 1, … in order of their first member.
    """
    n = len(articles)
    if n == 0:
        return articles.copy()
    uf = _UnionFind(n)
    raw_bodies = articles["body"].tolist()

    def body(i: int) -> str:
        return text_key(raw_bodies[i])

    # A digest and a length per body, not the bodies again: a 300 MB corpus stays one copy.
    digests, lengths = [], []
    for text in raw_bodies:
        key = text_key(text)
        digests.append(hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest())
        lengths.append(len(key))
    days = articles["published"].dt.strftime("%Y%m%d").fillna("").tolist()
    lead_only = articles["lead_only"].to_numpy(dtype=bool).tolist()

    _link_equal(uf, articles["article_id"].tolist())
    # Leads of one series can open with the same boilerplate: equal leads count only on one day.
    _link_equal(
        uf,
        [(d.encode() + b"|" + g if lead else g) if size >= MIN_BODY_FOR_EXACT else b""
         for d, g, lead, size in zip(days, digests, lead_only, lengths)],
        min_len=1,
    )
    # Openings without datelines: what a lead and a full body of one story share. Made when
    # asked for, so a corpus of leads with no full body never holds a second copy of its text.
    def stripped(i: int) -> str:
        text = raw_bodies[i]
        return _DATELINE.sub("", text[:300], count=1) if text else ""

    def opening(i: int) -> str:
        return text_key(stripped(i))[:LEAD_WINDOW]

    def first_sentence(i: int) -> str:
        return text_key(_SENTENCE_BREAK.split(stripped(i), maxsplit=1)[0])

    def words(i: int) -> str:
        text = raw_bodies[i]
        return _DATELINE.sub("", text, count=1) if text else ""

    same_title: dict[tuple[str, bytes], list[int]] = {}
    for i, (d, title) in enumerate(zip(days, articles["title"].tolist())):
        t = text_key(title)
        if d and len(t) >= MIN_TITLE_KEY:
            key = (d, hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest())
            same_title.setdefault(key, []).append(i)
    for members in same_title.values():
        for a_pos, i in enumerate(members):
            for j in members[a_pos + 1 :]:
                if uf.find(i) != uf.find(j) and _texts_agree(
                    i, j, body, digests, lengths, opening, first_sentence, lead_only, words
                ):
                    uf.union(i, j)

    # A lead (BigKinds cuts at 200 characters) found near the start of a full body, dated
    # within a day of it (pages print the time of the last edit, BigKinds the first).
    full_by_day: dict[str, list[tuple[int, str]]] = {}
    for i in range(n):
        if not lead_only[i]:
            start = opening(i)
            if len(start) >= LEAD_PREFIX:
                full_by_day.setdefault(days[i], []).append((i, start))
    if full_by_day:
        for i in range(n):
            if not lead_only[i]:
                continue
            probe = opening(i)[:LEAD_PREFIX]
            if len(probe) < LEAD_PREFIX:
                continue
            for day in _neighbour_days(days[i]):
                for j, start in full_by_day.get(day, ()):
                    if probe in start:
                        uf.union(j, i)

    candidates = [i for i in range(n) if not lead_only[i] and lengths[i] >= MIN_BODY_FOR_NEAR]
    if len(candidates) > 1:
        # Imported here: datasketch takes ~0.5 s to import, and lead-only corpora never need it.
        from datasketch import MinHash, MinHashLSH

        # Shingles one body at a time: only the 64 hashes of each signature are kept.
        sets = (_shingle_hashes(body(i)) for i in candidates)
        hashes = MinHash.bulk(sets, num_perm=NUM_PERM, seed=random_state, hashfunc=_identity)
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        for pos, mh in enumerate(hashes):
            for other in lsh.query(mh):
                if mh.jaccard(hashes[other]) >= threshold and not _facts_differ(
                    words(candidates[other]), words(candidates[pos])
                ):
                    uf.union(candidates[other], candidates[pos])
            lsh.insert(pos, mh)

    roots = np.array([uf.find(i) for i in range(n)])
    # Keeper: full body first, then the longest body, then the earliest record.
    order = sorted(range(n), key=lambda i: (roots[i], lead_only[i], -lengths[i], i))
    keeper = {}
    for i in order:
        keeper.setdefault(roots[i], i)
    group_ids = {root: g for g, root in enumerate(dict.fromkeys(roots.tolist()))}
    return articles.assign(
        dup_group=np.array([group_ids[r] for r in roots], dtype="int64"),
        is_duplicate=np.array([keeper[roots[i]] != i for i in range(n)], dtype=bool),
    )
