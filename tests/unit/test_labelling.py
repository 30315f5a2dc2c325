"""Labelling sheets of one's own corpus: drawn at random, blind, read back and scored."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.analysis.accuracy import read_labels, score_tags
from lib.analysis.labelling import (
    LABEL_COLUMNS,
    SHEET_COLUMNS,
    labelling_sheet,
    main,
    write_labelling_sheet,
)
from lib.corpus.schema import to_frame
from lib.tagging import tag_articles

SMART = "세종시가 자율주행 셔틀 실증을 시작했다. 스마트시티 국가시범도시 5-1생활권 시민이 탄다."
PLAIN = "대전시가 가을 축제를 연다. 시민 공연과 먹거리 장터가 열린다."


@pytest.fixture(scope="module")
def tagged() -> pd.DataFrame:
    """Invented (synthetic) articles: 30 smart-city, 30 not, and 5 copies of smart ones."""
    rows = []
    for i in range(30):
        rows.append({"article_id": f"s{i}", "title": f"세종 자율주행 셔틀 {i}", "body": SMART,
                     "published": f"2024-01-{i % 28 + 1:02d}", "outlet": "가상일보",
                     "url": f"https://example.org/s{i}"})
        rows.append({"article_id": f"p{i}", "title": f"대전 가을 축제 {i}", "body": PLAIN,
                     "published": f"2024-02-{i % 28 + 1:02d}", "outlet": "가상일보"})
    frame = to_frame(rows)
    out = tag_articles(frame, cache=False).articles
    out["is_duplicate"] = False
    copies = out[out["article_id"].str.startswith("s")].head(5).assign(is_duplicate=True)
    copies["article_id"] = copies["article_id"] + "_copy"
    return pd.concat([out, copies], ignore_index=True)


def test_the_sheet_draws_from_the_population_blind_and_reproducibly(tagged) -> None:
    smart_ids = set(tagged.loc[tagged["smart_city"] & ~tagged["is_duplicate"], "article_id"])
    assert len(smart_ids) == 30  # the tagger calls the invented smart-city stories so
    sheet = labelling_sheet(tagged, n=12, seed=3)
    assert list(sheet.columns) == list(SHEET_COLUMNS)
    assert len(sheet) == 12 and set(sheet["article_id"]) <= smart_ids
    assert sheet.attrs["population_size"] == 30
    assert (sheet[list(LABEL_COLUMNS)] == "").all().all()  # blind: no tag is shown
    assert sheet["published"].is_monotonic_increasing
    assert sheet.equals(labelling_sheet(tagged, n=12, seed=3))
    assert set(labelling_sheet(tagged, n=12, seed=4)["article_id"]) != set(sheet["article_id"])
    every = labelling_sheet(tagged, n=1000, population="all")
    assert len(every) == 60 and not every["article_id"].str.endswith("_copy").any()


def test_a_filled_sheet_is_read_back_and_scored_leaving_blank_rows_out(tagged, tmp_path) -> None:
    sheet = labelling_sheet(tagged, n=10, seed=0)
    path = write_labelling_sheet(sheet, tmp_path / "sheet.tsv")
    filled = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    # Label six rows: four agree with the tagger's smart-city call, two say it is wrong;
    # the other four stay blank (not labelled yet).
    filled.loc[:3, "smart_city"] = "true"
    filled.loc[:3, "topics"] = "mobility"
    filled.loc[4:5, "smart_city"] = "false"
    filled.to_csv(path, sep="\t", index=False)
    labels = read_labels(path)
    assert labels["topics"].iloc[6:].isna().all() and labels["topics"].iloc[4] == ()
    scores = score_tags(tagged, labels).set_index(["tag", "value"])
    smart = scores.loc[("smart_city", "true")]
    assert (smart["tp"], smart["fp"], smart["fn"], smart["tn"]) == (4, 2, 0, 0)
    mobility = scores.loc[("topic", "mobility")]
    assert mobility["n_true"] == 4


def test_a_sheet_is_never_overwritten(tagged, tmp_path) -> None:
    path = write_labelling_sheet(labelling_sheet(tagged, n=3), tmp_path / "mine.tsv")
    with pytest.raises(FileExistsError, match="mine.tsv"):
        write_labelling_sheet(labelling_sheet(tagged, n=3), path)


def test_bad_arguments_are_named(tagged) -> None:
    with pytest.raises(ValueError, match="n must be"):
        labelling_sheet(tagged, n=0)
    with pytest.raises(ValueError, match="population"):
        labelling_sheet(tagged, population="some")  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="smart_city"):
        labelling_sheet(tagged.drop(columns="smart_city"))


def test_the_command_writes_a_sheet_of_the_sample(tmp_path, capsys) -> None:
    out = tmp_path / "synthetic_sample_sheet.tsv"
    assert main(["--n", "25", "--out", str(out)]) == 0
    sheet = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert len(sheet) == 25 and list(sheet.columns) == list(SHEET_COLUMNS)
    assert "synthetic sample" in capsys.readouterr().out
