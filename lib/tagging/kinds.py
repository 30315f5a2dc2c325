"""What kind of piece each article is: news, opinion, photo or brief.

Editorials, columns, photo captions and news in brief count in a corpus like any story, but a
reviewer asks whether a finding rests on them: an outlet's columnist returning to one topic is
not the outlet's reporting. Korean outlets mark such pieces at the head of the title
(``[사설]``, ``[김호기 칼럼]``, ``[경향포토]``, ``[간추린 소식]``) and saved pages often carry a
section (``오피니언``). ``article_kinds`` reads those marks with the cues of
``lib/resources/article_kinds.tsv``; an article without one is ``news``. Outlets name their
columns freely (``[여적]``, ``[태평로]``), so a column whose name no cue knows is counted as news:
add its name to the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lib.tagging import resources

KINDS: tuple[str, ...] = ("news", "opinion", "photo", "brief")
KINDS_FILE = "article_kinds.tsv"
#: The tags at the head of a title: one or more of [..], 【..】, 〔..〕, <..>, 〈..〉, 《..》.
_LEADING_TAGS = re.compile(r"^\s*((?:[\[【〔<〈《][^\]】〕>〉》\n]{1,40}[\]】〕>〉》]\s*)+)")
_TAG = re.compile(r"[\[【〔<〈《]([^\]】〕>〉》\n]{1,40})[\]】〕>〉》]")
_WORDS = re.compile(r"[^\s/·|,&:;!?~+\-]+")


def load_kind_cues(directory: str | Path | None = None) -> list[tuple[str, str, str]]:
    """``(kind, cue, match)`` rows of the cues file, in its order, cues lowercased (read once
    per version of the file)."""
    return resources.read_once(_read_cues, resources.resources_dir(directory) / KINDS_FILE)


def _read_cues(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("kind\t"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in KINDS[1:] or parts[2] not in ("part", "word"):
            raise ValueError(f"{path.name} line {number}: expected kind<TAB>cue<TAB>part|word "
                             f"with a kind of {KINDS[1:]}, got {line!r}")
        rows.append((parts[0], parts[1].strip().lower(), parts[2]))
    return rows


def leading_tags(title: str) -> list[str]:
    """The tags at the head of ``title``, without their brackets: ``["사설"]``."""
    head = _LEADING_TAGS.match(title or "")
    return [t.strip() for t in _TAG.findall(head.group(1))] if head else []


def _kind_of(labels: list[str], cues: list[tuple[str, str, str]]) -> str:
    labels = [label.lower() for label in labels if label]
    for kind, cue, match in cues:
        for label in labels:
            if cue in label if match == "part" else cue in _WORDS.findall(label):
                return kind
    return "news"


def article_kinds(articles: pd.DataFrame, *, directory: str | Path | None = None) -> pd.Series:
    """Each article's kind (a categorical of :data:`KINDS`, on ``articles``' index), from the
    tags at the head of its ``title`` and its ``section`` (either may be missing)."""
    cues = load_kind_cues(directory)
    titles = (articles["title"] if "title" in articles.columns
              else pd.Series("", index=articles.index)).fillna("").astype(str)
    sections = (articles["section"] if "section" in articles.columns
                else pd.Series("", index=articles.index)).fillna("").astype(str)
    seen: dict[tuple[str, ...], str] = {}
    kinds = []
    for title, section in zip(titles, sections, strict=True):
        key = (*leading_tags(title), section.split(">")[0].strip())
        if key not in seen:
            seen[key] = _kind_of(list(key), cues)
        kinds.append(seen[key])
    return pd.Series(pd.Categorical(kinds, categories=list(KINDS)), index=articles.index,
                     name="kind")
