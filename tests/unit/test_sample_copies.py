"""A copy of the bundled synthetic sample made elsewhere (a folder, part of it, a zip or tarball) is
recognised as the sample, so reports made from it are labelled synthetic; a corpus holding one
file of its own is not."""

from __future__ import annotations

import shutil
import tarfile
import zipfile
from pathlib import Path

from lib import paths


def _some_pages(n: int) -> list[Path]:
    return sorted((paths.SAMPLE_DIR / "pages").glob("synthetic_*.txt"))[:n]


def test_copies_of_the_sample_are_the_sample(tmp_path: Path) -> None:
    whole = tmp_path / "copy"
    shutil.copytree(paths.SAMPLE_DIR, whole)
    (whole / ".DS_Store").write_bytes(b"\x00synthetic")  # hidden names are not read, nor judged
    assert paths.is_sample(whole)
    part = tmp_path / "part"
    part.mkdir()
    for page in _some_pages(5):
        shutil.copy(page, part / page.name)
    assert paths.is_sample(part)
    assert paths.is_sample(part / _some_pages(1)[0].name)
    packed = tmp_path / "packed.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as out:
        for page in _some_pages(5):
            out.write(page, f"pages/{page.name}")
        out.writestr("__MACOSX/pages/._x", b"\x00")
    assert paths.is_sample(packed)
    tarball = tmp_path / "sample.tar.gz"
    with tarfile.open(tarball, "w:gz") as out:
        out.add(paths.SAMPLE_DIR, arcname="./sample")
    assert paths.is_sample(tarball)


def test_a_corpus_with_a_file_of_its_own_is_not(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    for page in _some_pages(3):
        shutil.copy(page, folder / page.name)
    edited = folder / _some_pages(1)[0].name
    edited.write_bytes(edited.read_bytes().replace("세종".encode(), "대전".encode(), 1))  # same size
    assert not paths.is_sample(folder)
    (tmp_path / "empty").mkdir()
    assert not paths.is_sample(tmp_path / "empty")
    packed = tmp_path / "mine.zip"
    with zipfile.ZipFile(packed, "w") as out:
        out.write(_some_pages(1)[0], "a.txt")
        out.writestr("b_synthetic.txt", "합성 기사 한 편")
    assert not paths.is_sample(packed)
    tarball = tmp_path / "mine.tar"
    with tarfile.open(tarball, "w") as out:
        out.add(_some_pages(1)[0], "a.txt")
        out.add(edited, "b.txt")
    assert not paths.is_sample(tarball)
    broken = tmp_path / "cut.tar.gz"
    with tarfile.open(broken, "w:gz") as out:
        out.add(paths.SAMPLE_DIR, arcname="sample")
    broken.write_bytes(broken.read_bytes()[: broken.stat().st_size // 2])
    assert not paths.is_sample(broken)
    assert not paths.is_sample(paths.FIXTURES_DIR / "html")
