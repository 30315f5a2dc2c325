"""Archives in a corpus folder: zip, tar and gzip/bzip2/xz files are unpacked and their members
read like the files of a folder.

A corpus often arrives packed: a zip of saved pages, a ``.csv.gz`` search-API dump, a
``.tar.gz`` of a scraper's output. :func:`unpack` writes the members of one archive into a
folder of its own (:class:`Unpacker`: a temporary folder under ``lib.paths.CACHE_DIR``, removed
when the load that made it is done) and yields them as the loader's walk does:
``(path, shown_as, skip_reason)``, each shown as ``<archive>/<member>``. Archives inside
archives are unpacked in turn, up to :data:`MAX_DEPTH` levels.

Archives are hostile input like any other file, and nothing in them is lost silently: a member
that is not read is yielded with the reason (a name that would land outside the archive's
folder, a link, a password, a damaged entry, a likely zip bomb), and an archive that cannot be
opened at all is yielded itself with the reason. Members are written under numbered folders
(``<n>/<file name>``), never under the names the archive gives, so no member can overwrite
another or land outside the folder. Bytes are counted as they are written: an entry whose
header lies about its size is stopped at the same limits.

Zip entry names written by Korean Windows tools are CP949 without the UTF-8 flag; they are
read as CP949 (or UTF-8) instead of the CP437 the zip format assumes.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import stat
import tarfile
import tempfile
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from tqdm.auto import tqdm

from lib import paths
from lib.corpus.textio import readable_name

#: Name endings of the archives that are unpacked (checked against the content before).
SINGLE_FILE = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
TAR_ENDINGS = (".tar", ".tgz", ".tbz2", ".txz", ".tar.gz", ".tar.bz2", ".tar.xz")
ARCHIVE_ENDINGS = (".zip", *TAR_ENDINGS, *SINGLE_FILE)
#: Archives inside archives are unpacked to this depth; deeper ones are listed as skipped.
MAX_DEPTH = 3
#: Entries one load may unpack (all archives together).
MAX_MEMBERS = 200_000
#: Bytes one load may unpack (all archives together).
MAX_BYTES = 32 << 30
#: An entry may grow to this many times its packed size ...
MAX_RATIO = 250
#: ... once it is larger than this: text packs 5-20 times, a zip bomb a thousand times and more.
RATIO_FLOOR = 64 << 20
#: A progress bar is shown once an entry has unpacked to this many bytes.
BAR_AFTER = 64 << 20
#: Disk space left free while unpacking.
FREE_MARGIN = 1 << 30
#: The reason of an entry left packed for want of disk space: it may unpack on another run, so
#: a load that lists it is not stored in the corpus cache.
DISK_FULL = "not enough free disk space to unpack it: not read"
_MAGIC = {".gz": b"\x1f\x8b", ".bz2": b"BZh", ".xz": b"\xfd7zXZ\x00", ".zip": b"PK"}
_CHUNK = 1 << 20
_ZIP_UTF8_FLAG = 0x800
_ZIP_ENCRYPTED_FLAG = 0x1

Entry = tuple[Path, str, str]


def is_archive(path: Path) -> bool:
    """Whether ``path`` is unpacked: its name ends like an archive and its content is one (a
    workbook renamed ``.zip`` is a workbook, not an archive)."""
    name = path.name.lower()
    if not name.endswith(ARCHIVE_ENDINGS):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(6)
            if head.startswith(b"PK"):
                handle.seek(0)
                with zipfile.ZipFile(handle) as archive:
                    names = set(archive.namelist())
                return not ("[Content_Types].xml" in names and any(n.startswith("xl/") for n in names))
    except (OSError, zipfile.BadZipFile):
        return True  # unpacking it will say why
    return True


@dataclass
class Unpacker:
    """Where one load unpacks its archives, and what it has unpacked so far. The folder is made
    at the first archive and removed with this object."""

    #: Show a progress bar while a large entry is written (``load_corpus(progress=False)``: never).
    show: bool = True
    #: List archives as they are, unpacking none (the corpus cache's key is made of their bytes,
    #: so a rerun whose corpus is cached never unpacks them); ``packed`` counts those listed.
    list_only: bool = False
    packed: int = 0
    members: int = 0
    written: int = 0
    _folder: Path | None = field(default=None, repr=False)
    _remove: weakref.finalize | None = field(default=None, repr=False)
    _made: int = 0

    def new_folder(self) -> Path:
        if self._folder is None:
            base = Path(paths.CACHE_DIR) / "unpacked"
            try:
                base.mkdir(parents=True, exist_ok=True)
                self._folder = Path(tempfile.mkdtemp(prefix="load-", dir=base))
            except OSError:  # a read-only project folder: the system's temporary folder
                self._folder = Path(tempfile.mkdtemp(prefix="corpus-unpacked-"))
            self._remove = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
        self._made += 1
        folder = self._folder / str(self._made)
        folder.mkdir()
        return folder


class _Refused(Exception):
    """An entry not unpacked; the message is the reason listed in the manifest."""


def unpack(path: Path, shown: str, unpacker: Unpacker,
           classify: Callable[[Path], str], depth: int = 1) -> Iterator[Entry]:
    """The members of the archive at ``path`` as ``(path, shown_as, skip_reason)``, in the
    archive's order; archives among them unpacked in turn. ``classify(path)`` gives a
    member's skip reason ("" to read it), as the walk does for a folder's files. An archive
    that cannot be opened is yielded itself, with the reason.

    Each member is yielded as soon as it is written, so a reader that stops early (a load with
    ``limit``) leaves the rest of the archive packed."""
    if unpacker.list_only:
        unpacker.packed += 1
        yield path, shown, ""
        return
    if depth > MAX_DEPTH:
        yield path, shown, f"an archive nested more than {MAX_DEPTH} deep: not unpacked"
        return
    count = 0
    members: Iterator[tuple[Path, str, str]] | None = None
    while True:
        # Only the archive's own reading is guarded: what is done with a member is not.
        try:
            if members is None:
                members = _members(path, unpacker.new_folder(), unpacker)
            member = next(members, None)
        except (OSError, EOFError, zipfile.BadZipFile, tarfile.TarError, lzma.LZMAError, zlib.error) as exc:
            after = f" (after {count} entries)" if count else ""
            yield path, shown, f"unreadable archive{after}: {_reason(exc)}"
            return
        if member is None:
            break
        count += 1
        target, name, reason = member
        member_shown = f"{shown}/{name}"
        if reason:
            yield target, member_shown, reason
        elif is_archive(target):
            yield from unpack(target, member_shown, unpacker, classify, depth + 1)
        else:
            yield target, member_shown, classify(target)
    if not count:
        yield path, shown, "an archive without files to read (empty, or hidden files only)"


def _members(path: Path, folder: Path, unpacker: Unpacker) -> Iterator[tuple[Path, str, str]]:
    """``(written file, name in the archive, skip reason)`` for every entry of the archive."""
    name = path.name.lower()
    with path.open("rb") as handle:
        head = handle.read(6)
    if head.startswith(b"PK"):
        yield from _zip_members(path, folder, unpacker)
    elif name.endswith(TAR_ENDINGS):
        yield from _tar_members(path, folder, unpacker)
    elif head.startswith(_MAGIC[path.suffix.lower()]):
        yield _single_member(path, folder, unpacker)
    else:
        raise OSError(f"not a {path.suffix.lower().lstrip('.')} file (its first bytes say otherwise)")


def _zip_members(path: Path, folder: Path, unpacker: Unpacker) -> Iterator[tuple[Path, str, str]]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = _zip_name(info)
            target = folder / str(unpacker.members + 1)
            try:
                safe = _safe_name(name, unpacker)
                if _hidden(safe):
                    continue
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise _Refused("a symbolic link in the archive: not followed")
                if info.flag_bits & _ZIP_ENCRYPTED_FLAG:
                    raise _Refused("encrypted in the archive (a password is needed): not read")
                limit = _limit(info.compress_size, unpacker)
                if info.file_size > limit:
                    raise _Refused(_too_big(info.file_size, info.compress_size, unpacker))
                with archive.open(info) as source:
                    written = _write(source, target / PurePosixPath(safe).name, limit,
                                     info.compress_size, unpacker)
            except _Refused as refused:
                yield target, name, str(refused)
                continue
            except NotImplementedError as exc:
                yield target, name, f"packed in a way this reader cannot unpack: {_reason(exc)}"
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
                yield target, name, f"damaged in the archive: {_reason(exc)}"
                continue
            yield written, safe, ""


def _tar_members(path: Path, folder: Path, unpacker: Unpacker) -> Iterator[tuple[Path, str, str]]:
    packed = path.stat().st_size
    with tarfile.open(path, "r:*") as archive:
        for info in archive:
            if info.isdir():
                continue
            target = folder / str(unpacker.members + 1)
            name = readable_name(info.name)
            try:
                safe = _safe_name(name, unpacker)
                if _hidden(safe):
                    continue
                if info.issym() or info.islnk():
                    raise _Refused("a link in the archive: not followed")
                if not info.isfile():
                    raise _Refused("not a regular file in the archive (a device or pipe): not read")
                limit = _limit(packed, unpacker)
                if info.size > limit:
                    raise _Refused(_too_big(info.size, packed, unpacker))
                source = archive.extractfile(info)
                if source is None:
                    raise _Refused("not a regular file in the archive: not read")
                with source:
                    written = _write(source, target / PurePosixPath(safe).name, limit, packed, unpacker)
            except _Refused as refused:
                yield target, name, str(refused)
                continue
            yield written, safe, ""


def _single_member(path: Path, folder: Path, unpacker: Unpacker) -> tuple[Path, str, str]:
    """The one file a ``.gz``, ``.bz2`` or ``.xz`` holds, named as the archive without its
    last ending."""
    stem, opener = path.stem, SINGLE_FILE[path.suffix.lower()]
    target = folder / str(unpacker.members + 1)
    packed = path.stat().st_size
    try:
        _safe_name(stem, unpacker)
        with opener(path, "rb") as source:
            written = _write(source, target / stem, _limit(packed, unpacker), packed, unpacker)
    except _Refused as refused:
        return target, stem, str(refused)
    return written, stem, ""


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its writer meant it: without the UTF-8 flag, Korean Windows tools
    write CP949, which ``zipfile`` reads as CP437."""
    if info.flag_bits & _ZIP_UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "cp949"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_name(name: str, unpacker: Unpacker) -> str:
    """The entry's name as a relative path inside the archive; _Refused when it would reach
    outside (an absolute name, a drive, ``..``) or the load has unpacked too many entries."""
    unpacker.members += 1
    if unpacker.members > MAX_MEMBERS:
        raise _Refused(f"more than {MAX_MEMBERS:,} entries unpacked in one load: not read")
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        raise _Refused("a name that leads outside the archive's folder: not unpacked")
    clean = [p for p in parts if p not in ("", ".")]
    if not clean:
        raise _Refused("an entry without a name: not read")
    return "/".join(clean)


def _hidden(name: str) -> bool:
    """Hidden entries (``.DS_Store``, ``__MACOSX/._page.txt``) are left out, as hidden files of a
    folder are."""
    return any(part.startswith(".") for part in name.split("/"))


def _limit(packed: int, unpacker: Unpacker) -> int:
    """The most bytes one entry of ``packed`` bytes may unpack to."""
    left = MAX_BYTES - unpacker.written
    return max(0, min(left, max(RATIO_FLOOR, MAX_RATIO * max(packed, 1))))


def _too_big(size: int, packed: int, unpacker: Unpacker) -> str:
    if unpacker.written + size > MAX_BYTES:
        return f"unpacking it would pass {MAX_BYTES >> 30} GB in one load: not unpacked"
    return (f"unpacks to more than {MAX_RATIO} times its packed size ({_mb(packed)} to over "
            f"{_mb(max(size, RATIO_FLOOR))}; a likely zip bomb): not unpacked")


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB" if n < (1 << 30) else f"{n / (1 << 30):.1f} GB"


def _write(source: IO[bytes], target: Path, limit: int, packed: int, unpacker: Unpacker) -> Path:
    """Copy ``source`` to ``target`` a chunk at a time, stopping (and removing what was written)
    at ``limit`` bytes or when the disk would fill."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    bar = None
    try:
        with target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if bar is None and written > BAR_AFTER and unpacker.show:
                    bar = tqdm(desc=f"unpacking {target.name}", unit="B", unit_scale=True, leave=False,
                               initial=written - len(chunk))
                if bar is not None:
                    bar.update(len(chunk))
                if written > limit:
                    raise _Refused(_too_big(written, packed, unpacker))
                if shutil.disk_usage(target.parent).free < len(chunk) + FREE_MARGIN:
                    raise _Refused(DISK_FULL)
                out.write(chunk)
    except (_Refused, OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        target.unlink(missing_ok=True)
        if isinstance(exc, _Refused):
            raise
        raise _Refused(f"damaged in the archive: {_reason(exc)}") from exc
    finally:
        unpacker.written += written
        if bar is not None:
            bar.close()
    return target


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return text.rstrip(".")
