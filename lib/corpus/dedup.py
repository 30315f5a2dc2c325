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
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

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


class _Template(NamedTuple):
    """A body's words with every number masked (``digest``), the words holding a number with
    their positions (``numbers``), and whether any change of those numbers is a template swap
    (``always_swap``: too few and too short runs of them to make a rewrite)."""

    digest: bytes
    numbers: tuple[tuple[int, str], ...]
    always_swap: bool


def _template_signature(text: str) -> _Template:
    """The :class:`_Template` of a body: two bodies with one digest are one template told with
    other numbers (or the same)."""
    words = text.split()
    masked = _NUMBER.sub("#", text).split()  # masking never moves a word boundary
    numbers = tuple((k, w) for k, (w, m) in enumerate(zip(words, masked, strict=True)) if w != m)
    runs = _runs([k for k, _ in numbers])
    # Changing some words of a run of L splits it into at most ceil(L / 2) runs.
    always = sum((r + 1) // 2 for r in runs) <= MAX_SWAPS and max(runs, default=0) <= MAX_SWAP_WORDS
    return _Template(_digest("\n".join(masked).encode("utf-8")), numbers, always)


def _runs(positions: list[int]) -> list[int]:
    """The lengths of the runs of consecutive positions in ``positions`` (ascending)."""
    runs: list[int] = []
    for at, position in enumerate(positions):
        if at and position == positions[at - 1] + 1:
            runs[-1] += 1
        else:
            runs.append(1)
    return runs


def _numbers_swapped(a: _Template, b: _Template) -> bool | None:
    """:func:`_facts_differ` of two bodies from their :func:`_template_signature` alone, when
    the bodies differ only in their numbers (None otherwise: the words must be aligned).

    Then every difference is a run of words holding other numbers, in place: a fact changed,
    unless the runs are more or longer than a template swap (a rewrite). A family of templated
    reports (a daily air-quality or case-count story) compares each pair in this way, without
    aligning words, which would take time growing with the square of the family's size."""
    if a.digest != b.digest:
        return None
    if a.numbers == b.numbers:
        return False
    if a.always_swap:
        return True
    runs = _runs([k for (k, word_a), (_, word_b) in zip(a.numbers, b.numbers, strict=True)
                  if word_a != word_b])
    return len(runs) <= MAX_SWAPS and max(runs) <= MAX_SWAP_WORDS


class _UnionFind:
    """Union-find over row positions whose roots are always the smallest member."""

    def __init__(self, parent: np.ndarray) -> None:
        self.parent = parent

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

    def roots(self) -> np.ndarray:
        """Every position's root, by pointer jumping over the whole array."""
        parent = self.parent
        while True:
            up = parent[parent]
            if np.array_equal(up, parent):
                return parent
            parent = up


def text_key(text: str) -> str:
    """Text with every non-word character removed, lower-cased: how duplicate checks compare."""
    return _STRIP.sub("", text).lower()


# A word character (a Vai syllable: no case, not case-ignorable) that joins texts so that
# ``text_key`` runs once over many: removing non-word characters and lower-casing then act on
# each text as on its own. A batch holding it is keyed text by text.
_KEY_SEP = "\ua500"
_KEY_BATCH = 20_000


@lru_cache(maxsize=1)
def _word_chars() -> np.ndarray:
    """``chr(c).isalnum()`` for every code point of the Basic Multilingual Plane: what the
    regex ``[\\W_]`` does not match (``re`` calls a character a word character when it is
    alphanumeric or ``_``, and ``_`` is removed too)."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def _word_codes(text: str) -> np.ndarray:
    """The code points of ``text`` that ``text_key`` keeps (word characters, ``_`` removed), in
    order, as a ``uint32`` array."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = codes <= 0xFFFF
    keep = np.zeros(len(codes), dtype=bool)
    keep[bmp] = _word_chars()[codes[bmp]]
    if not bmp.all():
        astral = np.unique(codes[~bmp])
        word = np.array([chr(c).isalnum() for c in astral.tolist()], dtype=bool)
        keep[~bmp] = word[np.searchsorted(astral, codes[~bmp])]
    return codes[keep]


def text_keys(texts: Sequence[str]) -> list[str]:
    """``[text_key(t) for t in texts]``: a batch of texts at a time, as arrays of code points."""
    out: list[str] = []
    for start in range(0, len(texts), _KEY_BATCH):
        batch = texts[start : start + _KEY_BATCH]
        big = _KEY_SEP.join(batch)
        if big.count(_KEY_SEP) != len(batch) - 1:
            out.extend(text_key(t) for t in batch)
            continue
        words = _word_codes(big).tobytes().decode("utf-32-le")
        out.extend(words.lower().split(_KEY_SEP))
    return out


def text_key_digests(texts: Sequence[str]) -> tuple[list[int], list[bytes]]:
    """The length and a 16-byte digest of ``text_key(t)`` for each text, without making the
    keys as strings: equal digests mean equal keys. A batch of texts at a time, as in
    ``text_keys``."""
    lengths: list[int] = []
    digests: list[bytes] = []
    for start in range(0, len(texts), _KEY_BATCH):
        batch = texts[start : start + _KEY_BATCH]
        big = _KEY_SEP.join(batch)
        if big.count(_KEY_SEP) != len(batch) - 1:
            for key in map(text_key, batch):
                lengths.append(len(key))
                digests.append(_digest(key.encode("utf-32-le")))
            continue
        lowered = _word_codes(big).tobytes().decode("utf-32-le").lower().encode("utf-32-le")
        ends = np.flatnonzero(np.frombuffer(lowered, dtype=np.uint32) == ord(_KEY_SEP)).tolist()
        view = memoryview(lowered)
        begin = 0
        for end in [*ends, len(lowered) // 4]:
            lengths.append(end - begin)
            digests.append(_digest(view[begin * 4 : end * 4]))
            begin = end + 1
    return lengths, digests


#: Columns a loaded frame may carry for :func:`find_duplicates`: the length of each body's text
#: key and its digest (:func:`text_key_digests`) as two 8-byte halves, made where the frame was
#: read (in a reading process, while the others still read) so that the corpus's process does
#: not make them after. Numbers, not bytes objects: the corpus's process maps them as they are.
BODY_KEY_COLUMNS = ("_body_key_length", "_body_key_digest_a", "_body_key_digest_b")


def with_body_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (a canonical frame) with its :data:`BODY_KEY_COLUMNS` filled in, in place (a
    frame without bodies is left as it is)."""
    if "body" not in frame.columns:
        return frame
    lengths, digests = text_key_digests(frame["body"].tolist())
    halves = np.frombuffer(b"".join(digests), dtype=np.uint64).reshape(-1, 2)
    frame[BODY_KEY_COLUMNS[0]] = np.asarray(lengths, dtype=np.int64)
    frame[BODY_KEY_COLUMNS[1]] = halves[:, 0].copy()
    frame[BODY_KEY_COLUMNS[2]] = halves[:, 1].copy()
    return frame


def _body_keys(articles: pd.DataFrame) -> tuple[np.ndarray, list[bytes]]:
    """Each body's text-key length and digest: from :data:`BODY_KEY_COLUMNS` when every row has
    them (frames that lacked them, joined with frames that had them, leave gaps, and turn the
    halves into floats), else made here."""
    if all(c in articles.columns for c in BODY_KEY_COLUMNS):
        keys = articles[list(BODY_KEY_COLUMNS)]
        exact = all(keys[c].dtype == np.uint64 for c in BODY_KEY_COLUMNS[1:])
        if exact and not keys.isna().any().any():
            halves = np.column_stack([keys[c].to_numpy(dtype=np.uint64) for c in BODY_KEY_COLUMNS[1:]])
            data = np.ascontiguousarray(halves).tobytes()
            digests = [data[i : i + 16] for i in range(0, len(data), 16)]
            return keys[BODY_KEY_COLUMNS[0]].to_numpy(dtype=np.int64), digests
    n = len(articles)
    lengths_out = np.empty(n, dtype=np.int64)
    digests_out: list[bytes] = []
    for start in range(0, n, _KEY_BATCH):
        batch_lengths, batch_digests = text_key_digests(
            articles["body"].iloc[start : start + _KEY_BATCH].tolist())
        lengths_out[start : start + len(batch_lengths)] = batch_lengths
        digests_out.extend(batch_digests)
    return lengths_out, digests_out


def without_body_keys(articles: pd.DataFrame) -> pd.DataFrame:
    """``articles`` without the :data:`BODY_KEY_COLUMNS` (the frame itself when it has none)."""
    present = [c for c in BODY_KEY_COLUMNS if c in articles.columns]
    return articles.drop(columns=present) if present else articles


def _digest(data: bytes | memoryview) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class _LazyTexts:
    """A text column's values as Python strings, made a block of rows at a time when first
    asked for: a corpus of leads never holds a second copy of all its text."""

    _BLOCK = 4096

    def __init__(self, column: pd.Series) -> None:
        self.column = column
        self.blocks: dict[int, list[str]] = {}

    def __getitem__(self, i: int) -> str:
        block, row = divmod(i, self._BLOCK)
        values = self.blocks.get(block)
        if values is None:
            values = self.blocks[block] = self.column.iloc[block * self._BLOCK : (block + 1) * self._BLOCK].tolist()
        return values[row]


def _first_of_equal(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges ``(first, i)`` from each position to the first position with the same code
    (codes < 0 take no part)."""
    index = np.flatnonzero(codes >= 0)
    if not len(index):
        return index, index
    _, first_at, inverse = np.unique(codes[index], return_index=True, return_inverse=True)
    first = index[first_at][inverse]
    linked = first != index
    return first[linked], index[linked]


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
    i: int, j: int, shingles: Callable[[int], set[int]], digests: list[bytes], lengths: list[int],
    opening: Callable[[int], str], first_sentence: Callable[[int], str], lead_only: list[bool],
    facts_differ: Callable[[int, int], bool],
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
    a, b = shingles(i), shingles(j)
    return len(a & b) / max(1, len(a | b)) >= SAME_TITLE_JACCARD and not facts_differ(i, j)


_NO_DAY = np.iinfo(np.int64).min


def find_duplicates(
    articles: pd.DataFrame, *, threshold: float = NEAR_DUP_THRESHOLD, random_state: int = 42
) -> pd.DataFrame:
    """Return ``articles`` with ``dup_group`` and ``is_duplicate`` filled in (a new frame).

    ``threshold`` is the shingle Jaccard similarity that makes two full bodies near-duplicates.
    Groups are numbered 0, 1, … in order of their first member. When every row carries its
    body's key (:data:`BODY_KEY_COLUMNS`, from :func:`with_body_keys`), the keys are not made
    again; the frame returned never has those columns.
    """
    n = len(articles)
    if n == 0:
        return without_body_keys(articles).copy()
    raw_bodies = _LazyTexts(articles["body"])

    def body(i: int) -> str:
        return text_key(raw_bodies[i])

    # A code and a length per body, not the bodies again: a 300 MB corpus stays one copy.
    lengths, digests = _body_keys(articles)
    articles = without_body_keys(articles)
    body_codes = pd.factorize(pd.Series(digests, dtype=object))[0].astype(np.int64)
    stamps = articles["published"].to_numpy(dtype="datetime64[ns]")
    days = np.where(np.isnat(stamps), _NO_DAY, stamps.astype("datetime64[D]").astype(np.int64))
    lead_only = articles["lead_only"].to_numpy(dtype=bool)

    # Links by equality, as graph edges: the same article_id; the same body (leads of one
    # series can open with the same boilerplate: equal leads count only on one day).
    id_codes = pd.factorize(articles["article_id"].to_numpy(dtype=object))[0].astype(np.int64)
    day_part = np.where(lead_only, np.where(days == _NO_DAY, -1, days), _NO_DAY)
    # One code per (body, day) pair: the pair as one integer (both codes are below n).
    day_codes = pd.factorize(day_part)[0].astype(np.int64)
    body_key = pd.factorize(body_codes * (int(day_codes.max()) + 1) + day_codes)[0].astype(np.int64)
    body_key[lengths < MIN_BODY_FOR_EXACT] = -1
    sources, targets = zip(_first_of_equal(id_codes), _first_of_equal(body_key))
    # Imported here: the reading and tagging processes import this module through the loader
    # but never group duplicates, and scipy's graph code costs each of them about 20 MiB.
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    graph = sparse.coo_matrix(
        (np.ones(sum(len(s) for s in sources), dtype=np.int8), (np.concatenate(sources), np.concatenate(targets))),
        shape=(n, n),
    )
    _, labels = connected_components(graph, directed=False)
    # Each component's smallest position is its root (what union-find by smallest gives).
    smallest = np.full(labels.max() + 1, n, dtype=np.int64)
    np.minimum.at(smallest, labels, np.arange(n))
    uf = _UnionFind(smallest[labels])

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

    signatures: dict[int, _Template] = {}

    def numbers_swapped(i: int, j: int) -> bool | None:
        for k in (i, j):
            if k not in signatures:
                signatures[k] = _template_signature(words(k))
        return _numbers_swapped(signatures[i], signatures[j])

    def facts_differ(i: int, j: int) -> bool:
        swapped = numbers_swapped(i, j)
        return _facts_differ(words(i), words(j)) if swapped is None else swapped

    # The same title on the same day: only groups of two or more are compared.
    titles = text_keys(articles["title"].tolist())
    title_ok = np.fromiter((len(t) >= MIN_TITLE_KEY for t in titles), dtype=bool, count=n) & (days != _NO_DAY)
    candidates_at = np.flatnonzero(title_ok)
    if len(candidates_at):
        frame = pd.DataFrame({"day": days[candidates_at], "title": [titles[i] for i in candidates_at]})
        shared = frame.duplicated(["day", "title"], keep=False).to_numpy()
        if shared.any():
            pos = candidates_at[shared]
            groups = frame[shared].groupby(["day", "title"], sort=False).indices
            length_list = lengths.tolist()
            lead_list = lead_only.tolist()
            # Each member's shingles once per group, not once per pair it is in.
            group_sets: dict[int, set[int]] = {}

            def shingles(i: int) -> set[int]:
                if i not in group_sets:
                    group_sets[i] = set(_shingle_hashes(body(i)))
                return group_sets[i]

            for members_at in groups.values():
                members = pos[members_at].tolist()
                group_sets.clear()
                for a_pos, i in enumerate(members):
                    for j in members[a_pos + 1 :]:
                        if uf.find(i) != uf.find(j) and _texts_agree(
                            i, j, shingles, digests, length_list, opening, first_sentence,
                            lead_list, facts_differ,
                        ):
                            uf.union(i, j)

    # A lead (BigKinds cuts at 200 characters) found near the start of a full body, dated
    # within a day of it (pages print the time of the last edit, BigKinds the first).
    full_by_day: dict[int, list[tuple[int, str]]] = {}
    for i in np.flatnonzero(~lead_only).tolist():
        start = opening(i)
        if len(start) >= LEAD_PREFIX:
            full_by_day.setdefault(int(days[i]), []).append((i, start))
    if full_by_day:
        for i in np.flatnonzero(lead_only).tolist():
            probe = opening(i)[:LEAD_PREFIX]
            if len(probe) < LEAD_PREFIX:
                continue
            day = int(days[i])
            for near in (day,) if day == _NO_DAY else (day, day - 1, day + 1):
                for j, start in full_by_day.get(near, ()):
                    if probe in start:
                        uf.union(j, i)

    candidates = np.flatnonzero(~lead_only & (lengths >= MIN_BODY_FOR_NEAR)).tolist()
    if len(candidates) > 1:
        # Imported here: datasketch takes ~0.5 s to import, and lead-only corpora never need it.
        from datasketch import MinHash, MinHashLSH

        # Shingles one body at a time: only the 64 hashes of each signature are kept.
        sets = (_shingle_hashes(body(i)) for i in candidates)
        hashes = MinHash.bulk(sets, num_perm=NUM_PERM, seed=random_state, hashfunc=_identity)
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        for pos_, mh in enumerate(hashes):
            for other in lsh.query(mh):
                i, j = candidates[other], candidates[pos_]
                if uf.find(i) == uf.find(j):
                    continue  # already one story through another copy
                # One template told with other numbers is settled before the dearer estimate.
                swapped = numbers_swapped(i, j)
                if swapped or mh.jaccard(hashes[other]) < threshold:
                    continue
                if swapped is False or not _facts_differ(words(i), words(j)):
                    uf.union(i, j)
            lsh.insert(pos_, mh)

    roots = uf.roots()
    # Keeper: full body first, then the longest body, then the earliest record.
    order = np.lexsort((np.arange(n), -lengths, lead_only, roots))
    first_in_group = np.ones(n, dtype=bool)
    first_in_group[1:] = roots[order][1:] != roots[order][:-1]
    keeper = np.empty(n, dtype=np.int64)
    keeper[roots[order][first_in_group]] = order[first_in_group]
    # Roots are smallest members, so ordering groups by root orders them by first member.
    _, group_ids = np.unique(roots, return_inverse=True)
    return articles.assign(
        dup_group=group_ids.astype("int64"),
        is_duplicate=keeper[roots] != np.arange(n),
    )
