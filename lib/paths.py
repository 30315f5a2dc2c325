"""Every path the project uses, in one place.

Notebooks, tests, benchmarks and the Makefile resolve files through these names, never through
``os.getcwd()`` guesses or machine-specific strings.
"""

from __future__ import annotations

import os
import re
import tarfile
import tomllib
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

#: The repository root (the folder holding README.md and lib/).
ROOT: Path = Path(__file__).resolve().parent.parent

LIB_DIR: Path = ROOT / "lib"
RESOURCES_DIR: Path = LIB_DIR / "resources"
DATA_DIR: Path = ROOT / "data"
SAMPLE_DIR: Path = DATA_DIR / "sample"
RAW_DIR: Path = DATA_DIR / "raw"
CACHE_DIR: Path = DATA_DIR / "cache"
REPORTS_DIR: Path = ROOT / "reports"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
TESTS_DIR: Path = ROOT / "tests"
FIXTURES_DIR: Path = TESTS_DIR / "fixtures"
BENCHMARKS_DIR: Path = ROOT / "benchmarks"

#: Material that is not ours: read in place by tests when present, never copied in.
SHARED_DIR: Path = ROOT.parent / "shared"
SEEDS_DIR: Path = SHARED_DIR / "seeds"
REAL_BIGKINDS_DIR: Path = SHARED_DIR / "real" / "bigkinds"

#: The environment variable notebooks and `make report` read the corpus location from.
CORPUS_ENV = "CORPUS"


def from_root(value: str | os.PathLike[str]) -> Path:
    """A path a user gives (a corpus, a label sheet, an events or regions file): ``~``
    expanded, and taken from the repository root when relative, so a notebook run from
    ``notebooks/`` and ``make report`` run from the root see the same file."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else ROOT / path


def missing_path(given: str | os.PathLike[str]) -> str:
    """What to say of a path a user gave that does not exist: ``<path>: no such file or
    folder``, and when it is relative and names something in the project folder, how to reach
    that (a notebook's current folder is ``notebooks/``, where ``data/raw`` is not)."""
    path = Path(given)
    said = f"{given}: no such file or folder"
    if path.is_symlink():
        return said + " (a broken symbolic link)"
    if not path.expanduser().is_absolute() and from_root(path).exists():
        return (said + f" in the current folder; the project folder has it: pass "
                f"paths.resolve_corpus({path.as_posix()!r}) (relative to the project folder) "
                f"or the full path")
    return said


#: A file that marks a folder of tables derived from the synthetic sample alone (:func:`is_sample`).
SYNTHETIC_MARKER = "SYNTHETIC.txt"


def resolve_corpus(value: str | os.PathLike[str] | None = None) -> Path:
    """Return the corpus folder or file to analyse.

    ``value`` wins when given; otherwise the ``CORPUS`` environment variable; otherwise the
    bundled synthetic sample. Relative paths are taken from the repository root, so a notebook
    run from ``notebooks/`` and ``make report`` run from the root see the same corpus.
    """
    raw = value if value not in (None, "") else os.environ.get(CORPUS_ENV) or SAMPLE_DIR
    return from_root(raw)


#: The roots of the corpus this process loaded last (:func:`remember_loaded`).
_loaded: tuple[Path, ...] | None = None


def remember_loaded(roots: Iterable[str | os.PathLike[str]] | None) -> None:
    """Note the files or folders of the corpus this process just loaded (None: forget them).
    Charts and files made afterwards are labelled by what was loaded, whatever ``CORPUS``
    says: a notebook pointed at another corpus in its parameter cell is not the sample."""
    global _loaded
    _loaded = None if roots is None else tuple(Path(r).resolve() for r in roots)


def loaded_corpus() -> tuple[Path, ...] | None:
    """The roots :func:`remember_loaded` noted last, or None when nothing was loaded."""
    return _loaded


def is_sample(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is (inside) the bundled synthetic sample corpus, a copy of it or of
    part of it made elsewhere (a folder, a file, a zip or a tarball holding only the sample's
    files, byte for byte), or a folder of tables made from it alone that says so with a
    :data:`SYNTHETIC_MARKER` file (the distributed engine's output of the sample), so that
    reports made from it are labelled synthetic too."""
    resolved = Path(path).resolve()
    if in_sample_dir(resolved) or (resolved.is_dir() and (resolved / SYNTHETIC_MARKER).is_file()):
        return True
    return _copy_of_sample(resolved)


@lru_cache(maxsize=1)
def _sample_files() -> frozenset[tuple[int, int]]:
    """Size and CRC-32 of every file of the bundled sample."""
    found = set()
    for folder, _, names in os.walk(SAMPLE_DIR):
        for name in names:
            data = Path(folder, name).read_bytes()
            found.add((len(data), zlib.crc32(data)))
    return frozenset(found)


def _copy_of_sample(path: Path) -> bool:
    """Whether every file under ``path`` (hidden names left out, as the loader does) is one of
    the sample's files, and there is at least one. Stops at the first file that is not: a size
    no sample file has is known without reading the file."""
    known = _sample_files()
    sizes = {size for size, _ in known}
    seen = 0
    try:
        for size, crc in _sizes_and_checksums(path):
            if size not in sizes or (size, crc()) not in known:
                return False
            seen += 1
    except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError):
        return False
    return seen > 0


def _sizes_and_checksums(path: Path) -> Iterator[tuple[int, Callable[[], int]]]:
    """Each file's size and a call giving its CRC-32, for the files of a folder (hidden names
    left out), the members of a zip (from its directory) or of a tarball (``.tar``,
    ``.tar.gz`` …: read one by one, so a first member of another size stops the reading), or a
    single file."""
    if path.is_dir():
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(n for n in names if not n.startswith(".")):
                file = Path(folder, name)
                yield file.stat().st_size, lambda file=file: zlib.crc32(file.read_bytes())
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir() and not any(p.startswith(".") for p in info.filename.split("/")):
                    yield info.file_size, lambda info=info: info.CRC
    elif path.is_file() and tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in archive:
                parts = [p for p in member.name.split("/") if p not in ("", ".")]
                if member.isfile() and not any(p.startswith(".") for p in parts):
                    yield member.size, lambda member=member: zlib.crc32(
                        archive.extractfile(member).read())
    elif path.is_file():
        yield path.stat().st_size, lambda: zlib.crc32(path.read_bytes())


def in_sample_dir(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is the bundled synthetic sample's folder or inside it."""
    resolved = Path(path).resolve()
    sample = SAMPLE_DIR.resolve()
    return resolved == sample or sample in resolved.parents


def read_toml(path: str | os.PathLike[str]) -> dict:
    """A TOML settings file (regions, topics, page layouts) as a dict. A file that is not UTF-8
    or not valid TOML is a ``ValueError`` naming it, with the line and column TOML gives, so a
    user who edits the regions file sees where the typo is."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except UnicodeDecodeError as err:
        raise ValueError(f"{display_path(path)}: not UTF-8 text (save it as UTF-8, as TOML "
                         f"requires): {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{display_path(path)}: not valid TOML: {err}") from None


def report_dir_for(corpus: str | os.PathLike[str]) -> Path:
    """Where the reports and downloads of ``corpus`` go: ``reports/`` for the bundled sample,
    else ``reports/<corpus folder or file name>/`` (letters, digits, ``-`` and ``_`` kept),
    also for tables made from the sample elsewhere (which its pages still call synthetic).
    ``make report`` writes there, and a notebook run in JupyterLab writes its downloads there."""
    path = Path(corpus)
    if in_sample_dir(path):
        return REPORTS_DIR
    name = re.sub(r"[^\w-]+", "_", path.resolve().stem).strip("_") or "corpus"
    return REPORTS_DIR / name


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as shown to readers: relative to the repository root when inside it.

    Reports and notebook outputs use this so they never carry a machine's absolute paths.
    """
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return resolved.name


#: The environment variable that points the region tagger and the vocabulary at another regions
#: file (a copy of ``lib/resources/regions.toml`` naming other cities). Unset: the project's own.
REGIONS_ENV = "REGIONS_FILE"


def regions_file(value: str | os.PathLike[str] | None = None) -> Path:
    """The regions file in use: ``value``, else ``$REGIONS_FILE``, else the project's own."""
    raw = value if value not in (None, "") else os.environ.get(REGIONS_ENV) or (
        RESOURCES_DIR / "regions.toml"
    )
    return from_root(raw)


def topics_file() -> Path:
    """The topic taxonomy: keys, labels and colours of the fixed smart-city topics."""
    return RESOURCES_DIR / "topics.toml"
