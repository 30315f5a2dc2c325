"""The codebook of a report folder names every column of every CSV with its meaning and unit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.present import codebook


def _csv(path: Path, columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame([[0] * len(columns)], columns=columns).to_csv(path, index=False,
                                                                encoding="utf-8-sig")


def test_every_column_of_every_csv_gets_its_meaning_and_unit(tmp_path: Path) -> None:
    _csv(tmp_path / "figures" / "02_topic_trends" / "03_region_difference.csv",
         ["period", "topic", "share_a", "share_b", "diff", "ci_low", "ci_high", "p_adjusted",
          "made_up_column"])
    _csv(tmp_path / "figures" / "02_topic_trends" / "07_topic_movers.csv",
         ["region", "topic", "slope", "odds_ratio", "ci_low", "ci_high", "significant"])
    book = codebook.codebook(tmp_path).set_index(["file", "column"])
    diff = "figures/02_topic_trends/03_region_difference.csv"
    trend = "figures/02_topic_trends/07_topic_movers.csv"
    assert len(book) == 16
    # a difference table's interval is in shares, a trend table's in log odds a year
    assert "percentage points" in book.loc[(diff, "ci_low"), "unit_in_file"]
    assert "log odds a year" in book.loc[(trend, "ci_low"), "unit_in_file"]
    assert "odds ratio" in book.loc[(trend, "ci_low"), "unit_in_file"]
    assert book.loc[(diff, "share_a"), "unit_in_file"].startswith("share, a fraction 0-1")
    assert book.loc[(diff, "share_a"), "meaning"].startswith("A ")  # the pair's first city
    assert book.loc[(diff, "p_adjusted"), "unit_in_file"] == "p-value"
    assert book.loc[(trend, "significant"), "unit_in_file"].startswith("True / False")
    assert book.loc[(diff, "period"), "unit_in_file"].startswith("the period's first day")
    # a column no report names is listed, with no meaning, rather than left out
    assert book.loc[(diff, "made_up_column"), "meaning"] == ""


def test_tables_of_findings_of_both_kinds_say_their_intervals_units_per_kind(tmp_path: Path) -> None:
    """The findings' checks mix differences (fractions) and trends (log odds a year); the
    findings' numbers say each row's unit in their meaning column."""
    _csv(tmp_path / "02_findings_checks.csv",
         ["kind", "region", "topic", "estimate", "ci_low", "ci_high", "outlets", "undecided"])
    _csv(tmp_path / "02_findings_numbers.csv",
         ["kind", "value", "ci_low", "ci_high", "n", "meaning", "freq"])
    book = codebook.codebook(tmp_path).set_index(["file", "column"])
    checks, numbers = "02_findings_checks.csv", "02_findings_numbers.csv"
    for name in ("estimate", "ci_low"):
        unit = book.loc[(checks, name), "unit_in_file"]
        assert "-1..1 for a difference" in unit and "log odds a year for a trend" in unit
    assert "%p" not in book.loc[(checks, "ci_low"), "meaning"]
    assert book.loc[(checks, "outlets"), "meaning"].startswith("check: ")
    assert book.loc[(numbers, "value"), "unit_in_file"] == "as the row's meaning column says"
    assert (book["meaning"] != "").all()


def test_write_codebook_writes_beside_the_files_and_not_about_itself(tmp_path: Path) -> None:
    assert codebook.write_codebook(tmp_path) is None  # no CSV: no codebook
    _csv(tmp_path / "02_findings_numbers.csv", ["kind", "value", "n"])
    written = codebook.write_codebook(tmp_path, "synthetic_codebook.csv")
    assert written == tmp_path / "synthetic_codebook.csv"
    again = codebook.write_codebook(tmp_path, "synthetic_codebook.csv")
    book = pd.read_csv(again, encoding="utf-8-sig")
    assert set(book["file"]) == {"02_findings_numbers.csv"}
    assert written.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel keeps the Korean
    (tmp_path / "02_findings_numbers.csv").unlink()
    assert codebook.write_codebook(tmp_path, "synthetic_codebook.csv") is None
    assert not written.exists()  # a stale codebook is removed


def test_only_the_files_offered_are_described_and_a_foreign_one_does_not_stop_it(tmp_path: Path
                                                                                  ) -> None:
    _csv(tmp_path / "02_findings_numbers.csv", ["kind", "value", "n"])
    (tmp_path / "cp949.csv").write_bytes("제목,본문\n세종,대전\n".encode("cp949"))
    (tmp_path / "left_over.csv").write_text("a\n1\n", encoding="utf-8")
    book = codebook.codebook(tmp_path)
    assert book.loc[book["file"] == "cp949.csv", "meaning"].tolist() == [
        "not read: not a UTF-8 CSV file"]
    offered = codebook.codebook(tmp_path, [tmp_path / "02_findings_numbers.csv"])
    assert set(offered["file"]) == {"02_findings_numbers.csv"}
