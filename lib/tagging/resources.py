"""The versioned word lists behind tokenization and tagging, and the tool that grows them.

Resource files (in ``lib.paths.RESOURCES_DIR``, read at call time so tests can point it at
copies):

- ``user_dict.tsv``      form, tag, score: multiword terms Kiwi must keep as one token
- ``stopwords.txt``      one term a line: byline/copyright/reporting words dropped from tables
- ``topic_lexicon.tsv``  label, term, synonyms, weight: the smart-city lexicon of lib.tagging.topics
- ``regions.toml``       cities, places, datelines, homographs (read by lib.tagging.regions)

``TermMatcher`` finds lexicon terms in prose and in BigKinds keyword lists, where compounds
arrive split into neighbouring keywords (``스마트,시티``). The topic keys themselves come from
``lib.vocabulary`` (``topics.toml``); this module only reads the words behind them.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from lib import paths
from lib.corpus.textio import read_data_file
from lib.vocabulary import get_vocabulary

USER_DICT_FILE = "user_dict.tsv"
STOPWORDS_FILE = "stopwords.txt"
TOPIC_LEXICON_FILE = "topic_lexicon.tsv"
TOPIC_THRESHOLDS_FILE = "topic_thresholds.tsv"
REGIONS_FILE = "regions.toml"

RELEVANCE_LABEL = "relevance"
#: Civic context words (시민, 지자체 …): no score, but needed when no relevance word occurs.
CONTEXT_LABEL = "context"

#: Separators that may split a term: a space in prose, a comma between BigKinds keywords.
_SEP = "[ ,]?"
#: A separator that is there (one branch of :data:`_SEP` in :func:`trie_regex`).
_SEP_ONE = "[ ,]"
_HANGUL = re.compile("[가-힣]")


def resources_dir(path: str | Path | None = None) -> Path:
    """The resource folder to read: ``path`` when given, else ``lib.paths.RESOURCES_DIR``.

    Looked up at call time (not import time), so a test can monkeypatch
    ``lib.paths.RESOURCES_DIR`` to a folder of edited copies.
    """
    return Path(path) if path is not None else Path(paths.RESOURCES_DIR)


T = TypeVar("T")


def read_once(reader: Callable[[Path], T], path: Path) -> T:
    """``reader(path)``, read once per version of the file (path, modification time, size):
    later calls share the first result until the file changes."""
    stat = path.stat()
    return _read_version(reader, str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _read_version(reader: Callable[[Path], T], path: str, _mtime: int, _size: int) -> T:
    return reader(Path(path))


def read_word_lists(
    path: Path, header: str, *, what: str, keys: Collection[str] | None = None
) -> dict[str, frozenset[str]]:
    """A ``name<TAB>word|word|…`` file as ``{name: words}``; blank, ``#`` and ``header`` lines
    skipped. A line without a name or words, or (``keys`` given) whose name is not one of
    ``keys``, raises naming the file, the line and ``what`` the name should be."""
    out: dict[str, frozenset[str]] = {}
    for n, line in enumerate(read_data_file(path).split("\n"), 1):
        if not line.strip() or line.startswith("#") or line == header:
            continue
        name, _, words = line.partition("\t")
        name = name.strip()
        found = frozenset(w.strip() for w in words.split("|") if w.strip())
        if not name or not found or (keys is not None and name not in keys):
            raise ValueError(f"{path.name}:{n}: expected <{what}><TAB>word|word…, "
                             f"got {line!r}")
        out[name] = found
    return out


def read_weight_lines(path: Path, header: str) -> tuple[dict[str, str], list[tuple[int, list[str]]]]:
    """A weights file as written by the taggers' models: ``# key<TAB>value`` metadata lines, an
    optional ``header`` line, then tab-separated rows. Returns the metadata and the rows as
    ``(line number, fields)``."""
    meta: dict[str, str] = {}
    rows: list[tuple[int, list[str]]] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.startswith("# "):
                key, _, value = line[2:].partition("\t")
                meta[key] = value
            elif line and line != header:
                rows.append((n, line.split("\t")))
    return meta, rows


def _data_lines(file: Path) -> list[str]:
    """Non-empty lines of ``file`` that are not ``#`` comments."""
    return [ln for ln in read_data_file(file).split("\n")
            if ln.strip() and not ln.lstrip().startswith("#")]


def load_user_dict(directory: str | Path | None = None) -> list[tuple[str, str, float]]:
    """The Kiwi user dictionary as ``(form, tag, score)`` rows, header skipped."""
    file = resources_dir(directory) / USER_DICT_FILE
    rows: list[tuple[str, str, float]] = []
    for n, line in enumerate(_data_lines(file)):
        parts = line.split("\t")
        if n == 0 and parts[0] == "form":
            continue
        if len(parts) != 3:
            raise ValueError(f"{file.name}: expected form<TAB>tag<TAB>score, got {line!r}")
        rows.append((parts[0].strip(), parts[1].strip(), float(parts[2])))
    return rows


def load_stopwords(directory: str | Path | None = None) -> frozenset[str]:
    """The news stopwords, one term a line."""
    return frozenset(ln.strip() for ln in _data_lines(resources_dir(directory) / STOPWORDS_FILE))


def load_topic_lexicon(directory: str | Path | None = None) -> pd.DataFrame:
    """The topic lexicon: one row per term with ``label, term, synonyms (list), weight``.

    Raises ``ValueError`` naming the file and line when a label is not one of the nine fixed
    labels (or ``relevance``, ``context``), a weight is not a number, or a term appears twice.
    """
    file = resources_dir(directory) / TOPIC_LEXICON_FILE
    allowed = set(get_vocabulary().topic_keys) | {RELEVANCE_LABEL, CONTEXT_LABEL}
    records = []
    seen: dict[str, str] = {}
    for n, line in enumerate(_data_lines(file)):
        parts = line.split("\t")
        if n == 0 and parts[0] == "label":
            continue
        if len(parts) != 4:
            raise ValueError(f"{file.name}: expected 4 tab-separated fields, got {line!r}")
        label, term, synonyms, weight = (p.strip() for p in parts)
        if label not in allowed:
            raise ValueError(f"{file.name}: unknown label {label!r} in {line!r} "
                f"(labels are the keys of topics.toml, or relevance / context)")
        syns = [s.strip() for s in synonyms.split("|") if s.strip()]
        for form in [term, *syns]:
            key = term_key(form)
            if key in seen and seen[key] != term:
                raise ValueError(
                    f"{file.name}: {form!r} listed for both {seen[key]!r} and {term!r}"
                )
            seen[key] = term
        records.append({"label": label, "term": term, "synonyms": syns, "weight": float(weight)})
    return pd.DataFrame.from_records(records, columns=["label", "term", "synonyms", "weight"])


def load_topic_thresholds(directory: str | Path | None = None) -> dict[str, float]:
    """Per-label minimum scores for topic labels; ``{}`` when the file is absent."""
    file = resources_dir(directory) / TOPIC_THRESHOLDS_FILE
    if not file.exists():
        return {}
    out: dict[str, float] = {}
    for n, line in enumerate(_data_lines(file)):
        parts = [p.strip() for p in line.split("\t")]
        if n == 0 and parts[0] == "label":
            continue
        if len(parts) != 2 or parts[0] not in get_vocabulary().topic_keys:
            raise ValueError(f"{file.name}: expected <topic label><TAB><number>, got {line!r}")
        out[parts[0]] = float(parts[1])
    return out


def resource_fingerprint(directory: str | Path | None = None) -> dict[str, str]:
    """SHA-256 (first 16 hex digits) of each resource file that exists, by file name.

    Part of every cache key: editing any word list invalidates derived tables.
    """
    folder = resources_dir(directory)
    out = {}
    for name in (
        USER_DICT_FILE,
        STOPWORDS_FILE,
        TOPIC_LEXICON_FILE,
        TOPIC_THRESHOLDS_FILE,
        REGIONS_FILE,
    ):
        file = folder / name
        if file.exists():
            out[name] = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
    return out


def term_key(form: str) -> str:
    """The lookup key of a term: separators removed, case folded.

    ``디지털 트윈`` and ``디지털트윈`` share one key.
    """
    return re.sub(r"[\s,]+", "", form).casefold()


def synonym_map(directory: str | Path | None = None) -> dict[str, str]:
    """Every form of every lexicon term (key form: no spaces, case folded) -> canonical term."""
    lex = load_topic_lexicon(directory)
    out: dict[str, str] = {}
    for term, syns in zip(lex["term"], lex["synonyms"]):
        for form in [term, *syns]:
            out[term_key(form)] = term
    return out


def _atoms(form: str, *, auto_split: bool) -> list[str]:
    """A form as regex atoms: characters, with an optional separator where the form may split.

    A space written in the form is always a possible split. With ``auto_split``, an all-Hangul
    form of 4+ syllables may also split where both sides have 2+ syllables (``국가,시범,도시``
    in BigKinds keywords); shorter forms never, so ``수소`` does not match ``할 수 소비``.
    """
    words = form.split()
    atoms: list[str] = []
    for w_i, word in enumerate(words):
        if w_i:
            atoms.append(_SEP)
        hangul_only = all(_HANGUL.match(ch) for ch in word)
        for i, ch in enumerate(word):
            if auto_split and hangul_only and len(word) >= 4 and 2 <= i <= len(word) - 2:
                atoms.append(_SEP)
            atoms.append(re.escape(ch))
    return atoms


@functools.cache
def _cased_chars() -> tuple[str, ...]:
    """Every character with a case mapping (none lies past U+1FFFF)."""
    return tuple(c for c in map(chr, range(0x20000)) if c.lower() != c or c.upper() != c)


@functools.cache
def case_variants(ch: str) -> tuple[str, ...]:
    """The characters ``re.IGNORECASE`` lets ``ch`` match (``k``: k, K and the Kelvin sign),
    ``ch`` first. A character without case (Hangul, digits, punctuation) matches itself only."""
    if ch.lower() == ch == ch.upper():
        return (ch,)
    pattern = re.compile(re.escape(ch), re.IGNORECASE)
    return (ch, *(c for c in _cased_chars() if c != ch and pattern.fullmatch(c)))


def _sep_variants(seq: Sequence[str]) -> Iterator[list[str]]:
    """``seq`` with each optional separator (:data:`_SEP`) either left out or required
    (:data:`_SEP_ONE`): every way the form may be written, as separate sequences."""
    seps = [i for i, atom in enumerate(seq) if atom == _SEP]
    for kept in itertools.product((False, True), repeat=len(seps)):
        out = list(seq)
        for i, keep in zip(reversed(seps), reversed(kept)):
            if keep:
                out[i] = _SEP_ONE
            else:
                del out[i]
        yield out


def _case_key(atom: str) -> str:
    """The atom a trie node keeps for ``atom`` when case is ignored: one per set of
    characters ``re.IGNORECASE`` takes for one another (``k``, ``K`` and the Kelvin sign)."""
    if len(atom) > 2 or (len(atom) == 2 and atom[0] != "\\"):
        return atom  # a class or a repeat, not one character
    variants = case_variants(atom[-1])
    return atom if len(variants) == 1 else re.escape(min(variants))


def trie_regex(sequences: Iterable[list[str]], *, ignore_case: bool = False) -> str:
    """One regex for many atom sequences, factored as a trie so matching stays fast.

    The longest form wins at every place: an optional separator becomes two branches (left
    out, required) and, with ``ignore_case``, characters that match one another share one
    branch, so no two branches of a node can match the same text, and at every node the
    children are tried before stopping there. The regex thus finds, left to right, the
    longest form at the leftmost place, as the automaton of :class:`TermMatcher` does.

    ``ignore_case`` gives, compiled without ``re.IGNORECASE``, the matches of the plain
    pattern compiled with it: an atom of a character with case gets its own case-insensitive
    group, and the first atom of every branch is spelt out once per case variant (in the
    same order), so every branch starts with a literal and the regex engine skips the places
    where no term can start.
    """
    trie: dict = {}
    for seq in sequences:
        for variant in _sep_variants(seq):
            node = trie
            for atom in variant:
                node = node.setdefault(_case_key(atom) if ignore_case else atom, {})
            node[""] = {}

    def spelt(atom: str) -> str:
        if not ignore_case or atom == _SEP_ONE or len(case_variants(atom[-1])) == 1:
            return atom
        return f"(?i:{atom})"

    def emit(node: dict, top: bool = False) -> str:
        ends = "" in node
        branches = []
        for atom, child in node.items():
            if atom == "":
                continue
            rest = emit(child)
            if top and ignore_case and atom != _SEP_ONE:
                branches += [re.escape(v) + rest for v in case_variants(atom[-1])]
            else:
                branches.append(spelt(atom) + rest)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie, top=True)


@dataclass(frozen=True)
class Hit:
    """One match of a term: the canonical term, the matched text and where."""

    term: str
    text: str
    start: int
    end: int


#: Joins the texts of one batch into one string for a single regex pass. No lexicon form
#: holds a newline or NUL, and every boundary rule treats a newline like the edge of a text,
#: so a match never spans two texts and each text's matches are the ones it has alone.
JOIN = "\n\x00\n"
_ASCII_ALNUM_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_KEYWORD_EDGE = frozenset(", \n")
#: A match at a place: ``(start, end, matched text, canonical term)``, offsets into its text.
Match = tuple[int, int, str, str]
_MATCH_START = re.Match.start
_MATCH_GROUP = re.Match.group
#: The term counts of a text without a match: shared, never changed.
_NO_TERMS: Counter = Counter()


def spans_of(texts: Sequence[str]) -> tuple[str, list[int]]:
    """The texts joined by :data:`JOIN`, and where each one starts in the joined string."""
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + len(JOIN))
    return JOIN.join(texts), [0, *ends[:-1].tolist()] if len(texts) else []


#: Characters of text joined for one regex pass: a few MB, so a big corpus is never held
#: twice over as one string.
BATCH_CHARS = 1 << 21


def joined_batches(texts: Sequence[str]) -> Iterator[tuple[int, str, list[int]]]:
    """``texts`` in consecutive batches of about :data:`BATCH_CHARS` characters, each as
    ``(index of its first text, the batch joined by JOIN, where each text starts in it)``."""
    first, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text) + len(JOIN)
        if size >= BATCH_CHARS:
            yield first, *spans_of(texts[first : i + 1])
            first, size = i + 1, 0
    if first < len(texts):
        yield first, *spans_of(texts[first:])


def _within_bounds(text: str, s: int, e: int, info: tuple[str, bool, bool, bool]) -> bool:
    """Whether the match ``s..e`` of ``text`` keeps to the boundary rules that ``info``
    (:meth:`TermMatcher._classify`: term, left edge, right edge, spans a comma) calls for."""
    _term, left, right, comma = info
    n = len(text)
    if left and s > 0 and text[s - 1] in _ASCII_ALNUM_CHARS:
        return False
    if right and e < n and text[e] in _ASCII_ALNUM_CHARS:
        return False
    return not comma or ((s == 0 or text[s - 1] in _KEYWORD_EDGE)
                         and (e == n or text[e] in _KEYWORD_EDGE))


#: The boundary rules of a matched text as bits (:func:`_within_bounds_at`), and the mark of a
#: matched text that is no term.
_LEFT, _RIGHT, _COMMA_RULE, _NO_TERM = 1, 2, 4, -1
#: Per ASCII code point: a Latin letter or digit; per code point below 128: a keyword edge.
_ALNUM_BELOW_128 = np.array([chr(c) in _ASCII_ALNUM_CHARS for c in range(128)], dtype=bool)
_EDGE_BELOW_128 = np.array([chr(c) in _KEYWORD_EDGE for c in range(128)], dtype=bool)


def _within_bounds_at(text: str, starts: np.ndarray, ends: np.ndarray,
                      rules: np.ndarray) -> np.ndarray:
    """:func:`_within_bounds` of many matches of ``text`` at once: whether each match
    ``starts[k]..ends[k]`` keeps to the boundary ``rules[k]`` (bits ``_LEFT``, ``_RIGHT``,
    ``_COMMA_RULE``; ``_NO_TERM`` never does)."""
    if not len(starts):
        return np.ones(0, dtype=bool)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(codes)
    # The edges of the text read as a newline: no letter, and a keyword edge.
    newline = np.uint32(10)
    before = np.where(starts > 0, codes[np.maximum(starts - 1, 0)], newline)
    after = np.where(ends < n, codes[np.minimum(ends, n - 1)], newline)
    before, after = np.minimum(before, 127), np.minimum(after, 127)  # 127 (DEL): neither
    ok = rules != _NO_TERM
    ok &= ~(((rules & _LEFT) != 0) & _ALNUM_BELOW_128[before])
    ok &= ~(((rules & _RIGHT) != 0) & _ALNUM_BELOW_128[after])
    ok &= ((rules & _COMMA_RULE) == 0) | (_EDGE_BELOW_128[before] & _EDGE_BELOW_128[after])
    return ok


#: Matchers with at least this many written-out forms (every way of writing each form:
#: separators left out or there, case variants) search with an automaton instead of the regex.
#: Measured on 100,000 BigKinds rows: the topic lexicon (about 3,800 written-out forms) is
#: found 2.5x faster by the automaton; the context words and each city's names and places
#: (60-160) as fast or faster by the regex, whose first-character skip does well on few forms.
AUTOMATON_MIN_FORMS = 1000


def _lower_one(ch: str) -> str:
    """``ch`` in lower case, or itself where that is longer than one character (U+0130)."""
    low = ch.lower()
    return low if len(low) == 1 else ch


def _fold(text: str) -> str:
    """``text`` as the automaton reads it, of the same length: each character as
    :func:`_lower_one` gives it, spaces as commas (a separator is either)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(map(_lower_one, text))
    return low.replace(" ", ",")


def _folded_forms(sequences: Iterable[list[str]]) -> set[str]:
    """Every way the atom sequences may be written, as :func:`_fold` leaves a text: the
    separators left out or there (``,``), each character in every case variant the regex
    takes for it (the automaton reads lower case)."""
    out: set[str] = set()
    for seq in sequences:
        for variant in _sep_variants(seq):
            choices = []
            for atom in variant:
                if atom == _SEP_ONE:
                    choices.append((",",))
                    continue
                choices.append(tuple(sorted(set(map(_lower_one, case_variants(atom[-1]))))))
            out.update(map("".join, itertools.product(*choices)))
    return out


class _Automaton:
    """The forms of a :class:`TermMatcher` as an Aho–Corasick automaton (``ahocorasick_rs``):
    left to right, the longest form at the leftmost place, the matches not overlapping —
    what the matcher's regex finds, read on the folded text (:func:`_fold`)."""

    def __init__(self, forms: Collection[str]) -> None:
        import ahocorasick_rs

        self._automaton = ahocorasick_rs.AhoCorasick(
            sorted(forms), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.ContiguousNFA)

    def located(self, text: str) -> tuple[list[int], list[str]]:
        """Where every match starts and its matched text (as written in ``text``)."""
        spans = self._automaton.find_matches_as_indexes(_fold(text))
        return [s for _i, s, _e in spans], [text[s:e] for _i, s, e in spans]


class TermMatcher:
    """Find many terms (and their variants) in prose and in comma-joined keyword lists.

    ``forms`` maps every surface form to the canonical name reported for it. Matching is case
    insensitive; a form that starts or ends with a Latin letter or digit must not touch another
    one there (``AI`` is not found in ``MAIN``). A match that spans a keyword comma must start
    and end on keyword boundaries, so ``대전,환경`` never yields ``대전환``.

    :meth:`scan` matches a whole column of texts in one regex pass; every matched text is
    mapped to its term once (a dictionary filled as new surface forms turn up). :meth:`count`,
    which needs no offsets, takes each text's matched texts from ``findall`` and looks at
    places only for the matched texts a boundary rule concerns; :meth:`located` and
    :meth:`term_counts` read a batch of joined texts in one pass and check those rules on
    arrays.
    """

    def __init__(self, forms: dict[str, str], *, auto_split: bool = True) -> None:
        self._canon = {term_key(f): c for f, c in forms.items()}
        self._sequences = [s for s in (_atoms(f, auto_split=auto_split) for f in forms) if s]
        pattern = trie_regex(self._sequences, ignore_case=True)
        self._regex = re.compile(pattern or r"(?!x)x")
        # A form holding a comma of its own would be found by the automaton where the text
        # has a space (it reads spaces as commas): such matchers keep the regex.
        folded = _folded_forms(self._sequences)
        self._automaton = (
            _Automaton(folded)
            if len(folded) >= AUTOMATON_MIN_FORMS and not any("," in s for s in self._sequences)
            else None)
        # matched text -> what _classify makes of it; the matched texts that are a term
        # wherever they occur.
        self._seen: dict[str, str | tuple[str, bool, bool, bool] | None] = {}
        self._plain: set[str] = set()
        # matched text -> the boundary rules it needs (the bits of _within_bounds_at, or
        # _NO_TERM), and its term.
        self._rule: dict[str, int] = {}
        self._term: dict[str, str] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled regex of every form (before the boundary rules are applied)."""
        return self._regex

    def atom_sequences(self) -> list[list[str]]:
        """Every form as regex atoms (characters and optional separators), in order."""
        return [list(s) for s in self._sequences]

    def _classify(self, found: str) -> str | tuple[str, bool, bool, bool] | None:
        """A matched text's term when every match of it is accepted as it is; ``(term, check
        the left edge, check the right edge, spans a comma)`` when one of the boundary rules
        applies to it; None when it is no form's key."""
        term = self._canon.get(term_key(found))
        if term is None:
            return None
        left, right = found[0] in _ASCII_ALNUM_CHARS, found[-1] in _ASCII_ALNUM_CHARS
        comma = "," in found
        return (term, left, right, comma) if left or right or comma else term

    def _matches(self, text: str) -> Iterable[Match]:
        """Every accepted match in ``text`` (one string, possibly many texts joined)."""
        seen = self._seen
        for m in self._regex.finditer(text):
            found = m.group()
            info = seen.get(found, False)
            if info is False:
                info = self._learn(found)
            if info is None:
                continue
            s, e = m.span()
            if info.__class__ is str:
                yield s, e, found, info
            elif _within_bounds(text, s, e, info):
                yield s, e, found, info[0]

    def finditer(self, text: str) -> Iterable[Hit]:
        """Yield the hits in ``text``, left to right, longest form first at each place."""
        for s, e, found, term in self._matches(text):
            yield Hit(term, found, s, e)

    def scan(self, texts: Sequence[str]) -> list[Sequence[Match]]:
        """The matches of every text of ``texts``, in order, as ``(start, end, matched text,
        term)`` with offsets into that text: the same as :meth:`finditer` on each text, found
        in one pass over each batch of joined texts. A text without matches gets an empty
        tuple."""
        return self.scan_batches(joined_batches(texts), len(texts))

    def scan_batches(self, batches: Iterable[tuple[int, str, list[int]]],
                     n: int) -> list[Sequence[Match]]:
        """:meth:`scan` of ``n`` texts given as their :func:`joined_batches` (joined once for
        several matchers)."""
        out: list[Sequence[Match]] = [()] * n
        for first, joined, starts in batches:
            for i, found in self._found_in(joined, starts):
                out[first + i] = found
        return out

    def located(self, joined: str) -> tuple[list[int], list[str]]:
        """Where every accepted match of ``joined`` (one text, or a batch joined by
        :data:`JOIN`) starts, and its matched text, in order: the matches of :meth:`scan`
        as two columns, without a tuple per match. The boundary rules are checked, on arrays,
        only for the matched texts they concern."""
        if self._automaton is not None:
            starts, found = self._automaton.located(joined)
        else:
            matches = list(self._regex.finditer(joined))
            found = list(map(_MATCH_GROUP, matches))
            starts = list(map(_MATCH_START, matches))
        plain = self._plain
        if plain.issuperset(found):
            return starts, found
        for f in set(found).difference(self._seen):
            self._learn(f)
        rule = np.fromiter(map(self._rule.__getitem__, found), dtype=np.int8, count=len(found))
        checked = np.flatnonzero(rule)
        at = np.asarray(starts, dtype=np.int64)[checked]
        size = np.fromiter(map(len, map(found.__getitem__, checked.tolist())), dtype=np.int64,
                           count=len(checked))
        keep = np.ones(len(found), dtype=bool)
        keep[checked] = _within_bounds_at(joined, at, at + size, rule[checked])
        return list(compress(starts, keep)), list(compress(found, keep))

    def count(self, texts: Sequence[str]) -> list[int]:
        """How many matches each text of ``texts`` has (``len`` of :meth:`scan`'s lists)."""
        out = [0] * len(texts)
        for i, found, plain in self._found_texts(texts):
            out[i] = len(found) if plain else len(self._terms_of(texts[i], found))
        return out

    def term_counts(self, texts: Sequence[str]) -> list[Counter]:
        """The terms found in every text of ``texts`` with their number of matches, in the
        order first found: ``Counter(term for *_, term in matches)`` of :meth:`scan`'s matches.
        Texts without a match share one empty Counter, which callers must not change.

        Found in one pass over each batch of joined texts (:meth:`located`); the matches are
        grouped by text where the text starts fall among them."""
        out: list[Counter] = [_NO_TERMS] * len(texts)
        term_of = self._term.__getitem__
        for first, joined, starts in joined_batches(texts):
            places, found = self.located(joined)
            if not found:
                continue
            terms = list(map(term_of, found))
            text_of = np.searchsorted(np.asarray(starts, dtype=np.int64),
                                      np.asarray(places, dtype=np.int64), side="right") - 1
            cuts = np.flatnonzero(text_of[1:] != text_of[:-1]) + 1
            bounds = [0, *cuts.tolist(), len(terms)]
            for i, lo, hi in zip(text_of[bounds[:-1]].tolist(), bounds, bounds[1:]):
                out[first + i] = Counter(terms[lo:hi])
        return out

    def _found_texts(self, texts: Sequence[str]) -> Iterator[tuple[int, list[str], bool]]:
        """``(text number, the matched texts of the regex in it, whether each of them is
        accepted as it is)`` for every text of ``texts`` with a regex match.

        ``findall`` gives the matched texts without a match object each; most are known to
        be a term wherever they occur (no boundary rule applies: :meth:`_classify`), and a
        text whose matches all are needs no more than their count.
        """
        findall = self._regex.findall
        plain = self._plain
        for i, text in enumerate(texts):
            found = findall(text)
            if not found:
                continue
            if not plain.issuperset(found):
                for f in set(found).difference(self._seen):
                    self._learn(f)
                yield i, found, plain.issuperset(found)
            else:
                yield i, found, True

    def _learn(self, found: str) -> str | tuple[str, bool, bool, bool] | None:
        """Classify a matched text seen for the first time (:meth:`_classify`)."""
        info = self._seen[found] = self._classify(found)
        if info.__class__ is str:
            self._plain.add(found)
            self._rule[found] = 0
            self._term[found] = info
        elif info is None:
            self._rule[found] = _NO_TERM
        else:
            term, left, right, comma = info
            self._rule[found] = left * _LEFT | right * _RIGHT | comma * _COMMA_RULE
            self._term[found] = term
        return info

    def _terms_of(self, text: str, found: list[str]) -> list[str]:
        """The terms of the accepted matches of ``text``, given the regex's matched texts in
        it (``findall``, every one classified), in order.

        Each match starts where its matched text first occurs after the end of the one before:
        the regex has no look-around or anchor, so wherever a matched text occurs the regex
        matches there too, and a match further on would have been found there first.
        """
        seen = self._seen
        terms = []
        e = 0
        for f in found:
            s = text.find(f, e)
            e = s + len(f)
            info = seen[f]
            if info.__class__ is str:
                terms.append(info)
            elif info is not None and _within_bounds(text, s, e, info):
                terms.append(info[0])
        return terms

    def _found_in(self, joined: str, starts: list[int]) -> Iterator[tuple[int, list[Match]]]:
        """``(text number, its matches)`` for every text of a joined batch with a match: the
        accepted matches of :meth:`_matches`, with offsets into their own text. The boundary
        rules are checked only for the matched texts they concern, as in :meth:`_matches`."""
        n = len(joined)
        seen = self._seen
        learn = self._learn
        last = len(starts) - 1
        i, bound, base = -1, 0, 0
        current: list[Match] = []
        for m in self._regex.finditer(joined):
            found = m.group()
            info = seen.get(found, False)
            if info is False:
                info = learn(found)
            if info is None:
                continue
            s, e = m.span()
            if info.__class__ is str:
                term = info
            elif _within_bounds(joined, s, e, info):
                term = info[0]
            else:
                continue
            if s >= bound:
                if current:
                    yield i, current
                i = bisect.bisect_right(starts, s) - 1
                base = starts[i]
                bound = starts[i + 1] if i < last else n + 1
                current = []
            current.append((s - base, e - base, found, term))
        if current:
            yield i, current


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a block that makes many small acyclic
    objects (match tuples, counts): its repeated passes over them cost about a quarter of the
    tagging time. Reference counting still frees everything; the collector's previous state
    is restored on exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()




def keyword_tokens(keywords: str) -> list[str]:
    """The non-blank items of a comma-joined keyword list, stripped, in order."""
    whole = keywords.split(None, 1)
    if len(whole) == 1 and len(whole[0]) == len(keywords):
        # The usual BigKinds list: no white space (str.split and the regex ``\s`` know the
        # same characters as white space), so nothing to strip.
        items = keywords.split(",")
        if keywords[0] != "," and keywords[-1] != "," and ",," not in keywords:
            return items  # no empty item
        return [t for t in items if t]
    return [t.strip() for t in keywords.split(",") if t.strip()]


#: Which characters below U+3001 are white space (``str.isspace``, what ``str.split`` and the
#: regex ``\s`` split on); none lies above U+3000.
_SPACE_BELOW_3001 = np.array([chr(c).isspace() for c in range(0x3001)], dtype=bool)
_COMMA = ord(",")


def text_shapes(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """Per text: how many of its characters are not white space (``len("".join(t.split()))``),
    and, read as a comma-joined keyword list, its number of items (``len(keyword_tokens(t))``)
    when the characters tell it at once, else -1.

    Worked out on the texts' code points, without a string per keyword. A list gets -1 (the
    caller splits it) when it has white space or an empty item, or when two neighbouring items
    are alike (same length, same first, middle and last character) and so may be one keyword
    next to a copy of itself: a list of known size never is (see ``topics._is_frequency_list``).
    """
    n = len(texts)
    if not n:
        return [], []
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    # Every text followed by a comma: each item, the last ones too, ends on a comma.
    codes = np.frombuffer((",".join(texts) + ",").encode("utf-32-le", "surrogatepass"),
                          dtype=np.uint32)
    bounds = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths + 1, out=bounds[1:])
    low = np.flatnonzero(codes <= 0x3000)
    spaces = low[_SPACE_BELOW_3001[codes[low]]]
    n_space = np.bincount(np.searchsorted(bounds, spaces, side="right") - 1, minlength=n)
    ends = np.flatnonzero(codes == _COMMA)
    n_items = np.diff(np.searchsorted(ends, bounds))
    size = np.diff(ends, prepend=-1) - 1  # item k runs from ends[k - 1] + 1 to ends[k]
    last = codes[ends - 1]
    pairs = np.flatnonzero((size[1:] == size[:-1]) & (last[1:] == last[:-1]))
    first, second = ends[pairs] - size[pairs], ends[pairs + 1] - size[pairs]
    middle = size[pairs] // 2
    pairs = pairs[(codes[first] == codes[second])
                  & (codes[first + middle] == codes[second + middle])]
    # Not the last item of one text and the first of the next.
    pairs = pairs[np.isin(ends[pairs], bounds[1:] - 1, invert=True)]
    # The text of an item is that of the comma it ends on.
    unsure_at = np.concatenate([ends[size == 0], ends[pairs], ends[pairs + 1]])
    unsure = n_space > 0
    unsure[np.searchsorted(bounds, unsure_at, side="right") - 1] = True
    return ((lengths - n_space).tolist(),
            np.where(unsure, -1, n_items).tolist())


#: The column type of text columns (pandas' string type, what ``astype(str)`` gives).
STR_DTYPE = pd.Series([""]).astype(str).dtype


def _text_column(articles: pd.DataFrame, name: str) -> list[str]:
    """A column as strings; a missing column or an empty value (None, "") is ``""``."""
    if name not in articles.columns:
        return [""] * len(articles)
    column = articles[name]
    if column.dtype == STR_DTYPE and not column.hasnans:
        # Strings already (the loader's columns): each is its own str(), "" stays "".
        return column.tolist()
    return [str(v) if v else "" for v in column.tolist()]


class ArticleTexts:
    """The text columns both taggers read, taken from an articles table once, as lists.

    ``title, subtitle, body, captions, keywords, dateline, region_bullet, section, categories,
    places, outlet``: one string per article (``""`` when the column is missing or the value empty);
    ``lead_only``: one bool per article; ``use_keywords``: whether an article is read from its
    키워드 list (:func:`lib.corpus.schema.uses_keywords`). The derived columns ``rest`` and
    ``body_captions`` are built on first use and shared; :meth:`tokens` splits a keyword list.
    """

    COLUMNS = ("title", "subtitle", "body", "captions", "keywords", "dateline", "region_bullet",
               "section", "categories", "places", "outlet")

    def __init__(self, articles: pd.DataFrame) -> None:
        from lib.corpus.schema import uses_keywords

        self.n = len(articles)
        for name in self.COLUMNS:
            setattr(self, name, _text_column(articles, name))
        self.lead_only = (
            [bool(v) for v in articles["lead_only"].tolist()]
            if "lead_only" in articles.columns else [False] * self.n
        )
        self.use_keywords = [
            uses_keywords(b, k, lo) for b, k, lo in zip(self.body, self.keywords, self.lead_only)
        ]

    @functools.cached_property
    def rest(self) -> list[str]:
        """Subtitle, body and captions joined by newlines: the running text after the title."""
        return ["\n".join(parts) for parts in zip(self.subtitle, self.body, self.captions)]

    @functools.cached_property
    def body_captions(self) -> list[str]:
        """Body and captions joined by a newline."""
        return [b + "\n" + c for b, c in zip(self.body, self.captions)]

    def tokens(self, i: int) -> list[str] | None:
        """The 키워드 items of article ``i`` when it is read from its keywords
        (:func:`keyword_tokens`), else None. Made on each call: kept for every row of a big
        corpus they would hold millions of small strings."""
        return keyword_tokens(self.keywords[i]) if self.use_keywords[i] else None
