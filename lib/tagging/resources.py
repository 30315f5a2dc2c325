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

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lib import paths
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
_HANGUL = re.compile("[가-힣]")
_ASCII_ALNUM = re.compile("[A-Za-z0-9]")


def resources_dir(path: str | Path | None = None) -> Path:
    """The resource folder to read: ``path`` when given, else ``lib.paths.RESOURCES_DIR``.

    Looked up at call time (not import time), so a test can monkeypatch
    ``lib.paths.RESOURCES_DIR`` to a folder of edited copies.
    """
    return Path(path) if path is not None else Path(paths.RESOURCES_DIR)


def _data_lines(file: Path) -> list[str]:
    """Non-empty lines of ``file`` that are not ``#`` comments."""
    with open(file, encoding="utf-8") as fh:
        return [ln.rstrip("\n") for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]


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


def trie_regex(sequences: Iterable[list[str]]) -> str:
    """One regex for many atom sequences, factored as a trie so matching stays fast.

    Longer matches win: at every node the children are tried before stopping there.
    """
    trie: dict = {}
    for seq in sequences:
        node = trie
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [atom + emit(child) for atom, child in node.items() if atom != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


@dataclass(frozen=True)
class Hit:
    """One match of a term: the canonical term, the matched text and where."""

    term: str
    text: str
    start: int
    end: int


class TermMatcher:
    """Find many terms (and their variants) in prose and in comma-joined keyword lists.

    ``forms`` maps every surface form to the canonical name reported for it. Matching is case
    insensitive; a form that starts or ends with a Latin letter or digit must not touch another
    one there (``AI`` is not found in ``MAIN``). A match that spans a keyword comma must start
    and end on keyword boundaries, so ``대전,환경`` never yields ``대전환``.
    """

    def __init__(self, forms: dict[str, str], *, auto_split: bool = True) -> None:
        self._canon = {term_key(f): c for f, c in forms.items()}
        seqs = [_atoms(f, auto_split=auto_split) for f in forms]
        pattern = trie_regex(s for s in seqs if s)
        self._regex = re.compile(pattern or r"(?!x)x", re.IGNORECASE)

    def finditer(self, text: str) -> Iterable[Hit]:
        """Yield the hits in ``text``, left to right, longest form first at each place."""
        n = len(text)
        for m in self._regex.finditer(text):
            s, e = m.span()
            found = m.group()
            if _ASCII_ALNUM.match(found[0]) and s > 0 and _ASCII_ALNUM.match(text[s - 1]):
                continue
            if _ASCII_ALNUM.match(found[-1]) and e < n and _ASCII_ALNUM.match(text[e]):
                continue
            if "," in found:
                if (s > 0 and text[s - 1] not in ", \n") or (e < n and text[e] not in ", \n"):
                    continue
            term = self._canon.get(term_key(found))
            if term is not None:
                yield Hit(term, found, s, e)
