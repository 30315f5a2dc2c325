"""Filling in a labelling sheet: the labelling rules on every save, the sheet written whole, and
the JupyterLab form that shows one article at a time (driven through its real widgets)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from lib.analysis import labelling
from lib.analysis.accuracy import corpus_accuracy, read_labels
from lib.present import label_form as lf
from lib.present import pickers
from tests.unit.test_labelling import tagged  # noqa: F401  (the invented articles fixture)


@pytest.fixture
def sheet_path(tmp_path: Path, tagged: pd.DataFrame) -> Path:  # noqa: F811
    sheet = labelling.labelling_sheet(tagged, n=6, population="all", seed=1)
    # a title with a tab, a quote and a line break must survive every save
    sheet.loc[0, "title"] = 'say "스마트"\tand\nmore'
    sheet.loc[1, "source_file"] = "synthetic_pages.txt"  # a file of the synthetic sample
    return labelling.write_labelling_sheet(sheet, tmp_path / "synthetic_sheet.tsv")


def test_fill_label_checks_the_labelling_rules_and_names_the_record(sheet_path: Path) -> None:
    sheet = labelling.read_sheet(sheet_path)
    first = sheet["article_id"].iloc[2]
    cases = [
        ({"region": "seoul", "smart_city": False}, "region 'seoul' is not one of"),
        ({"region": "", "smart_city": False}, "no region given"),
        ({"region": "sejong", "smart_city": True}, "no topic is given"),
        ({"region": "sejong", "smart_city": False, "topics": ["mobility"]}, "false but topics"),
        ({"region": "sejong", "smart_city": True, "topics": ["mobility", "robots"]}, "'robots'"),
        ({"region": "sejong", "smart_city": True,
              "topics": ["pilot_city", "mobility", "data_ai", "energy_environment",
                      "governance_budget", "industry_startup"]}, "6 topics (at most 5)"),
        ({"region": "sejong", "smart_city": "yes"}, "must be true or false"),
    ]
    for kwargs, why in cases:
        with pytest.raises(ValueError, match=rf"sheet\.tsv: record 3 \({first}\): .*{re.escape(why)}"):
            labelling.fill_label(sheet, 2, shown="sheet.tsv", **kwargs)
    assert not labelling.labelled_rows(sheet).any()  # nothing was written into the sheet


def test_saved_labels_are_what_the_scores_read(sheet_path: Path, tagged: pd.DataFrame) -> None:  # noqa: F811
    sheet = labelling.read_sheet(sheet_path)
    sheet = labelling.fill_label(sheet, 0, region="sejong", smart_city=True,
                                 topics=["data_ai", "mobility", "mobility"], note="one\ttwo\nthree")
    sheet = labelling.fill_label(sheet, 1, region="neither", smart_city=False)
    labelling.save_sheet(sheet, sheet_path)
    assert [p.name for p in sheet_path.parent.iterdir()] == [sheet_path.name]  # no temp file left
    back = read_labels(sheet_path)
    assert back["title"].iloc[0] == 'say "스마트" and more'  # one line, quote kept
    assert back["topics"].iloc[0] == ("mobility", "data_ai")  # vocabulary order, once each
    assert back["note"].iloc[0] == "one two three"
    assert back["smart_city"].tolist()[:3] == [True, False, None]
    rates = corpus_accuracy(tagged, sheet_path)
    assert rates.attrs["n_labelled"] == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_sheet_saved_from_a_spreadsheet_stays_that_kind_of_file(
    sheet_path: Path, tagged: pd.DataFrame, suffix: str  # noqa: F811
) -> None:
    """Saved as CSV or as a workbook, then labelled here: written back as the same kind of file
    (a spreadsheet program still opens it), and read back with the labels and the text."""
    sheet = labelling.read_sheet(sheet_path)
    other = sheet_path.with_suffix(suffix)
    if suffix == ".csv":
        sheet.to_csv(other, index=False, encoding="cp949", errors="replace")
    else:
        sheet.to_excel(other, index=False, engine="openpyxl")
    sheet = labelling.read_sheet(other)
    sheet = labelling.fill_label(sheet, 0, region="sejong", smart_city=True, topics=["data_ai"])
    labelling.save_sheet(sheet, other)
    head = other.read_bytes()[:4]
    assert head.startswith(b"PK") if suffix == ".xlsx" else head.startswith(b"\xef\xbb\xbfa")
    back = read_labels(other)
    assert back["topics"].iloc[0] == ("data_ai",) and back["smart_city"].iloc[1] is None
    assert back["article_id"].tolist() == sheet["article_id"].tolist()
    assert back["title"].iloc[0] == 'say "스마트" and more'
    assert corpus_accuracy(tagged, other).attrs["n_labelled"] == 1
    assert sorted(p.name for p in other.parent.iterdir()) == sorted({sheet_path.name, other.name})


def test_a_static_run_says_how_far_the_sheet_is(sheet_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(pickers.STATIC_ENV, "1")
    assert lf.label_form(sheet_path).startswith(f"{sheet_path.name}: 0 of 6 articles labelled")
    with pytest.raises(FileNotFoundError, match="no such labelling sheet"):
        lf.label_form(sheet_path.with_name("missing.tsv"))


def test_the_form_labels_from_the_top_and_writes_every_save(
    sheet_path: Path, tagged: pd.DataFrame, monkeypatch  # noqa: F811
) -> None:
    pytest.importorskip("ipywidgets")  # pinned in requirements.txt; the widgets are what is tested
    monkeypatch.delenv(pickers.STATIC_ENV, raising=False)
    sheet = labelling.read_sheet(sheet_path)
    labelling.save_sheet(labelling.fill_label(sheet, 0, region="neither", smart_city=False),
                         sheet_path)
    form = lf.LabelForm.open(sheet_path, articles=tagged)
    ui = lf.FormWidgets(form)
    assert form.row == 1  # opens at the first row not labelled yet
    second = sheet["article_id"].iloc[1]
    body = tagged.set_index("article_id").loc[second, "body"]
    assert body.split(".")[0] in ui.article.value  # the whole text from the corpus, not the lead
    assert "2 / 6" in ui.header.value and "(1 labelled)" in ui.header.value
    assert "SYNTHETIC" in ui.header.value  # an article of a synthetic file says so
    # blind: no control starts filled in, whatever the tagger said
    assert ui.region.value is None and ui.smart.value is None
    assert all(b.disabled and not b.value for b in ui.topics.values())

    ui.region.value = "sejong"
    ui.smart.value = True
    ui.save_button.click()  # smart-city without a topic: refused, nothing written
    assert "no topic is given" in ui.message.value and form.row == 1
    assert read_labels(sheet_path)["smart_city"].iloc[1] is None
    ui.topics["mobility"].value = True
    ui.note.value = "shuttle"
    ui.save_button.click()
    saved = read_labels(sheet_path)
    assert (saved["region"].iloc[1], saved["smart_city"].iloc[1], saved["topics"].iloc[1],
            saved["note"].iloc[1]) == ("sejong", True, ("mobility",), "shuttle")
    assert form.row == 2 and "record 2 saved" in ui.message.value
    assert ui.region.value is None and not ui.topics["mobility"].value  # a fresh row
    assert "SYNTHETIC" not in ui.header.value

    ui.back_button.click()  # back to the saved row: its labels are shown again
    assert form.row == 1 and ui.region.value == "sejong" and ui.topics["mobility"].value
    ui.smart.value = False  # turning relevance off clears and locks the topics
    assert all(b.disabled and not b.value for b in ui.topics.values())
    ui.save_button.click()
    assert read_labels(sheet_path)["topics"].iloc[1] == ()
    assert form.row == 2  # the next row not labelled
