"""A Parquet cache of loaded corpora, so reruns of notebooks and reports skip parsing.

The key covers everything the result depends on: every input file's path as shown and its
content hash, the load options, and the loader's own code and page layouts (so editing either
invalidates old entries). Entries are written into a temporary folder and renamed into place,
so a reader never sees half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from lib import paths

#: Files whose content decides how files are read: any edit makes a new key.
_CODE_FILES = (
    *sorted((paths.LIB_DIR / "corpus").glob("*.py")),
    paths.RESOURCES_DIR / "page_layouts.toml",
)
_TABLES = ("articles", "rejects", "manifest")


def cache_dir() -> Path:
    return paths.CACHE_DIR / "corpus"


def cache_key(files: list[tuple[Path, str, str]], options: dict[str, object]) -> str:
    """sha256 over the inputs (shown path, skip reason, content hash), options and loader code."""
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True, default=str).encode("utf-8"))
    for code in _CODE_FILES:
        digest.update(hashlib.sha256(code.read_bytes()).digest())
    for path, shown, skip in files:
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(f"{shown}\t{skip}\t{content}\n".encode("utf-8"))
    return digest.hexdigest()


def read_cached(key: str) -> dict[str, pd.DataFrame] | None:
    """The three tables stored under ``key``, or None when there is no complete entry."""
    folder = cache_dir() / key
    if not all((folder / f"{name}.parquet").exists() for name in _TABLES):
        return None
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
    articles = tables["articles"]
    articles["published"] = articles["published"].astype("datetime64[ns]")
    return tables


def write_cached(key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store the tables under ``key`` atomically; a concurrent writer's entry is kept as is."""
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key[:12]}-", dir=root))
    target = root / key
    try:
        for name in _TABLES:
            tables[name].to_parquet(tmp / f"{name}.parquet", index=False)
        if target.exists() and read_cached(key) is None:
            shutil.rmtree(target, ignore_errors=True)  # a damaged entry: replace it
        os.replace(tmp, target)
    except OSError:
        # Another process stored the same key first (the target folder is not empty).
        shutil.rmtree(tmp, ignore_errors=True)
