"""The project's data files (lexicon, hints, aliases, outlets, stopwords) read the same after an
edit in a spreadsheet program or an editor that saved them as CP949, UTF-16 or with CRLF, and
the README counts them as they are."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lib import paths
from lib.analysis.keyness import load_analysis_stopwords
from lib.corpus import columns
from lib.corpus.textio import read_data_file
from lib.tagging import topic_model
from lib.tagging.resources import load_user_dict

SAVED_AS = {
    "cp949, CRLF": lambda text: text.replace("\n", "\r\n").encode("cp949"),
    "utf-16 (Unicode text)": lambda text: text.replace("\n", "\r\n").encode("utf-16"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
}


@pytest.mark.parametrize("kind", SAVED_AS)
def test_data_files_read_alike_however_they_were_saved(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, folder)
    names = ("topic_hints.tsv", "analysis_stopwords.txt", "column_aliases.tsv",
             "outlet_domains.tsv", "naver_press_ids.tsv", "user_dict.tsv")
    for name in names:
        text = (paths.RESOURCES_DIR / name).read_text(encoding="utf-8")
        (folder / name).write_bytes(SAVED_AS[kind](text))
        assert read_data_file(folder / name) == text.replace("\r\n", "\n"), name
    assert topic_model.load_hints(folder) == topic_model.load_hints(paths.RESOURCES_DIR)
    assert load_analysis_stopwords(folder) == load_analysis_stopwords(paths.RESOURCES_DIR)
    assert load_user_dict(folder) == load_user_dict(paths.RESOURCES_DIR)
    assert columns.load_aliases(str(folder / "column_aliases.tsv")) == columns.load_aliases()
    assert columns.load_domains(str(folder / "outlet_domains.tsv")) == columns.load_domains()
    assert columns.load_naver_press(str(folder / "naver_press_ids.tsv")) == columns.load_naver_press()


def test_naver_press_ids_are_three_digits_and_name_listed_outlets() -> None:
    """Every press id is Naver's three-digit form, once, and names its outlet as the outlets'
    domain list does (so a row from a Naver link and one from the outlet's own link agree)."""
    lines = [line for line in read_data_file(paths.RESOURCES_DIR / "naver_press_ids.tsv").split("\n")
             if line.strip() and not line.startswith("#")]
    assert lines[0] == "press_id\toutlet"
    ids = [line.split("\t")[0] for line in lines[1:]]
    assert all(re.fullmatch(r"\d{3}", i) for i in ids) and len(ids) == len(set(ids))
    press = columns.load_naver_press()
    assert len(press) == len(ids) and press["421"] == "뉴스1"
    named = set(columns.load_domains().values())
    unlisted = {"조선비즈", "데일리안", "SBS Biz", "연합뉴스TV", "조세일보", "미디어오늘", "전주MBC"}
    assert set(press.values()) - named <= unlisted


def test_a_data_file_that_is_not_text_is_named(tmp_path: Path) -> None:
    file = tmp_path / "topic_hints.tsv"
    file.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ValueError, match=r"^topic_hints\.tsv: binary content"):
        read_data_file(file)


def test_the_readme_counts_the_outlet_domains_there_are() -> None:
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"outlet_domains\.tsv`, ([\d,]+) domains", readme)
    assert stated is not None, "README.md no longer says how many outlet domains the file lists"
    assert int(stated.group(1).replace(",", "")) == len(columns.load_domains())
