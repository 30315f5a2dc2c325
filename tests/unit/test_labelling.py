"""Labelling sheets of one's own corpus: drawn at random, blind, read back and scored."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.analysis.accuracy import (
    NOTE_NO_RATES,
    corpus_accuracy,
    corrected_shares,
    describe_accuracy,
    load_tagger_accuracy,
    read_labels,
    score_tags,
    smart_city_correction_note,
    tag_reliability,
)
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
    # In the order drawn, not by date: a labeller who stops part way still has a random sample,
    # and a larger sheet of the same seed starts with the same rows.
    assert not sheet["published"].is_monotonic_increasing
    larger = labelling_sheet(tagged, n=25, seed=3)
    assert list(larger["article_id"][:12]) == list(sheet["article_id"])
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
    said = capsys.readouterr().out
    assert "synthetic sample" in said
    # A sheet of flagged articles cannot correct the smart-city share: the command says how to.
    assert "--population all" in said and "POPULATION=all" in said


def _filled_sheet(tagged: pd.DataFrame, path, *, population: str = "all") -> pd.DataFrame:
    """A sheet of every (deduplicated) article, labelled the way a reader would: the invented
    smart-city stories are smart-city with mobility, the festival stories are not; two of each
    are labelled against the tagger, and three rows stay blank."""
    sheet = labelling_sheet(tagged, n=1000, population=population)
    write_labelling_sheet(sheet, path)
    filled = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    smart = filled["article_id"].str.startswith("s")
    filled["smart_city"] = smart.map({True: "true", False: "false"})
    filled["topics"] = smart.map({True: "mobility", False: ""})
    filled["region"] = smart.map({True: "sejong", False: "daejeon"})
    flip = list(filled.index[smart][:2]) + list(filled.index[~smart][:2])
    filled.loc[flip, "smart_city"] = filled.loc[flip, "smart_city"].map(
        {"true": "false", "false": "true"})
    filled.loc[flip, "topics"] = filled.loc[flip, "smart_city"].map(
        {"true": "mobility", "false": ""})
    filled.loc[filled.index[-3:], ["smart_city", "topics", "region"]] = ""
    filled.to_csv(path, sep="\t", index=False)
    return filled


def test_your_own_labels_give_the_error_rates_the_correction_uses(tagged, tmp_path) -> None:
    path = tmp_path / "mine.tsv"
    filled = _filled_sheet(tagged, path)
    rates = corpus_accuracy(tagged, path)
    assert rates.attrs["n_labelled"] == len(filled) - 3
    assert "mine.tsv" in rates.attrs["source"] and "57 articles" in rates.attrs["source"]
    assert "mine.tsv" in describe_accuracy(rates, sample=True)
    assert "synthetic" not in describe_accuracy(rates, sample=True)
    # Counted by hand from the sheet: the tagger calls exactly the s* stories smart-city.
    labelled = filled[filled["smart_city"] != ""]
    truth = labelled["smart_city"].eq("true")
    said = labelled["article_id"].str.startswith("s")
    smart = rates.set_index(["tag", "value"]).loc[("smart_city", "true")]
    assert (smart["tp"], smart["fp"], smart["fn"], smart["tn"]) == (
        (truth & said).sum(), (~truth & said).sum(), (truth & ~said).sum(),
        (~truth & ~said).sum())
    assert smart["fp"] == 2 and smart["fn"] == 2
    # The reliability table and the corrected share take those rates, not the shipped ones.
    reliability = tag_reliability(rates).set_index("value")
    mobility = rates.set_index(["tag", "value"]).loc[("topic", "mobility")]
    assert reliability.at["mobility", "precision"] == pytest.approx(mobility["precision"])
    share = pd.DataFrame({"topic": ["mobility"], "n_docs": [20], "n_total": [25],
                          "share": [0.8]})
    mine = corrected_shares(share, accuracy=rates).iloc[0]
    shipped = corrected_shares(share).iloc[0]
    se = mobility["tp"] / (mobility["tp"] + mobility["fn"])
    assert mine["sensitivity"] == pytest.approx(se)
    assert mine["sensitivity"] != pytest.approx(shipped["sensitivity"])


def test_a_sheet_of_tagged_smart_city_articles_gives_no_smart_city_rates(tagged,
                                                                          tmp_path) -> None:
    path = tmp_path / "positives.tsv"
    _filled_sheet(tagged, path, population="smart_city")
    rates = corpus_accuracy(tagged, path)
    assert "smart_city" not in set(rates["tag"])  # its misses cannot be counted
    assert {"topic", "region"} <= set(rates["tag"])
    overall = pd.DataFrame({"n_docs": [30], "n_total": [60], "share": [0.5]})
    assert corrected_shares(overall, accuracy=rates)["correction_note"].iloc[0] == NOTE_NO_RATES


@pytest.mark.parametrize(("column", "value", "message"), [
    ("region", "세종", "region '세종' is not one of"),
    ("topics", "mobility|smart_transport", "topics 'smart_transport' is not one of"),
    ("smart_city", "yes", "smart_city must be true or false"),
    ("topics", "", "smart_city is true but no topic is given"),
    ("topics", "|".join(["mobility", "data_ai", "pilot_city", "safety_operations",
                         "energy_environment", "industry_startup"]), "6 topics"),
])
def test_a_label_the_vocabulary_does_not_know_names_file_and_record(
        tagged, tmp_path, column, value, message) -> None:
    path = tmp_path / "typo.tsv"
    filled = _filled_sheet(tagged, path)
    filled.loc[4, ["smart_city", "topics"]] = ["true", "mobility"]
    filled.loc[4, column] = value
    filled.to_csv(path, sep="\t", index=False)
    with pytest.raises(ValueError, match=rf"typo.tsv: record 5 .*{message}"):
        corpus_accuracy(tagged, path)


def test_an_empty_sheet_a_foreign_id_and_a_missing_file_are_named(tagged, tmp_path) -> None:
    blank = write_labelling_sheet(labelling_sheet(tagged, n=5), tmp_path / "blank.tsv")
    with pytest.raises(ValueError, match="blank.tsv: none of its 5 articles is labelled yet"):
        corpus_accuracy(tagged, blank)
    path = tmp_path / "other.tsv"
    filled = _filled_sheet(tagged, path)
    filled.loc[0, "article_id"] = "not-in-this-corpus"
    filled.to_csv(path, sep="\t", index=False)
    with pytest.raises(ValueError, match="other.tsv: .*not-in-this-corpus"):
        corpus_accuracy(tagged, path)
    with pytest.raises(FileNotFoundError, match="absent.tsv: no such label file"):
        corpus_accuracy(tagged, tmp_path / "absent.tsv")


def test_the_labelling_guide_lists_every_topic_key_with_its_names() -> None:
    from lib import paths
    from lib.vocabulary import get_vocabulary

    guide = (paths.ROOT / "docs" / "labelling.md").read_text(encoding="utf-8")
    vocab = get_vocabulary()
    for key in vocab.topic_keys:
        row = f"| `{key}` | {vocab.topic_label(key)} | {vocab.topic_label(key, lang='en')} |"
        assert row in guide, row
    assert all(f"`{key}`" in guide for key in vocab.region_keys)


def test_a_relative_sheet_path_is_taken_from_the_repository_root(tagged, tmp_path,
                                                                  monkeypatch) -> None:
    """A notebook runs in notebooks/ and `make report` in the root: LABELS=data/labels/x.tsv
    must name the same file in both, as CORPUS does."""
    from lib import paths

    root, elsewhere = tmp_path / "repo", tmp_path / "repo" / "notebooks"
    elsewhere.mkdir(parents=True)
    _filled_sheet(tagged, root / "labels.tsv")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.chdir(elsewhere)
    rates = corpus_accuracy(tagged, "labels.tsv")
    assert rates.attrs["labels_file"] == "labels.tsv" and rates.attrs["n_labelled"] == 57


def test_only_your_own_labels_of_every_article_correct_the_smart_city_share(tagged,
                                                                           tmp_path) -> None:
    """The shipped rates come from sets enriched with hard cases; a sheet of tagger positives
    cannot count misses: neither may correct a corpus's smart-city share."""
    assert "not corrected with the shipped error rates" in smart_city_correction_note(None)
    assert "--population all" in smart_city_correction_note(load_tagger_accuracy())
    _filled_sheet(tagged, tmp_path / "positives.tsv", population="smart_city")
    note = smart_city_correction_note(corpus_accuracy(tagged, tmp_path / "positives.tsv"))
    assert "positives.tsv gives no smart-city error rates" in note
    _filled_sheet(tagged, tmp_path / "all.tsv")
    assert smart_city_correction_note(corpus_accuracy(tagged, tmp_path / "all.tsv")) == ""


def test_the_command_says_why_it_writes_no_sheet(tmp_path, monkeypatch, capsys) -> None:
    """`make labels` on a corpus it cannot use exits 1 with one line naming the cause, and
    writes nothing: a missing corpus, a sheet that exists, a corpus with no smart-city article
    (with the way to draw from every article instead)."""
    from lib import paths
    from lib.analysis import labelling

    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    corpus = tmp_path / "weather_synthetic.csv"
    corpus.write_text("title,body,published\n"
                      "대전 내일 비 (synthetic),대전은 내일 오후부터 비가 오겠다. 기온은 낮다.,2021-05-01\n",
                      encoding="utf-8")
    out = tmp_path / "sheet.tsv"
    cases = [
        (["--corpus", str(tmp_path / "absent"), "--out", str(out)], "absent: no such file"),
        (["--corpus", str(corpus), "--out", str(out)],
         "none of its 1 articles is tagged smart-city; draw from every article instead with "
         "--population all"),
    ]
    for argv, why in cases:
        assert labelling.main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("no labelling sheet written: ") and why in err, err
        assert "Traceback" not in err and not out.exists()
    assert labelling.main(["--corpus", str(corpus), "--out", str(out), "--population", "all"]) == 0
    assert "wrote sheet.tsv: 1 of 1 deduplicated articles" in capsys.readouterr().out
    assert labelling.main(["--corpus", str(corpus), "--out", str(out), "--population", "all"]) == 1
    assert "sheet.tsv exists" in capsys.readouterr().err
