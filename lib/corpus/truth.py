"""The truth a labelled sample folder ships (``truth.json``, as ``lib.sample`` writes it), joined
to the articles the loader reads from that folder."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lib import paths


def truth_of(articles: pd.DataFrame, sample_dir: str | Path | None = None) -> pd.DataFrame:
    """The sample's truth for its loaded ``articles`` (same index): ``region``, ``smart_city``
    and ``topics`` (a tuple in display order), from ``truth.json`` of ``sample_dir`` (default
    the bundled sample), whose keys are ``<file relative to the folder>#<article_id>``.

    Raises ``FileNotFoundError`` when the folder has no ``truth.json`` and ``KeyError`` naming
    the first article the truth does not know."""
    folder = Path(sample_dir) if sample_dir is not None else paths.SAMPLE_DIR
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["articles"]
    root = folder.resolve()
    relative: dict[str, str] = {}  # each file resolved once
    for source in articles["source_file"].unique():
        path = Path(source)
        path = path if path.is_absolute() else paths.ROOT / path
        relative[source] = path.resolve().relative_to(root).as_posix()
    keys = [f"{relative[source]}#{article_id}" for source, article_id
            in zip(articles["source_file"], articles["article_id"], strict=True)]
    missing = [k for k in keys if k not in truth]
    if missing:
        raise KeyError(f"{len(missing)} loaded articles are not in {folder / 'truth.json'}, "
                       f"e.g. {missing[0]}")
    return pd.DataFrame({
        "region": [truth[k]["region"] for k in keys],
        "smart_city": [bool(truth[k]["smart_city"]) for k in keys],
        "topics": [tuple(truth[k]["topics"]) for k in keys],
    }, index=articles.index)
