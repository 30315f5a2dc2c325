"""Held-out real-world evaluation of the region and smart-city taggers, and the shape of the
labelled real-page tables.

Every ``tests/fixtures/real_pages*.tsv`` file holds real Korean news pages labelled by hand
(labels and Kiwi noun counts only; see ``real_pages.md``), each row in the ``dev`` or the
``holdout`` split. Nobody tunes lexicons, regions files or tagger settings on the ``holdout``
rows: they show how the taggers do on text they were not fitted to. Rows become keyword-only
articles exactly as in ``test_nlp_eval.py`` (BigKinds style: no body, the nouns as 키워드).

The held-out scores are printed (visible in the test log) and asserted against floors: region
accuracy >= 0.90, smart_city F1 >= 0.89, topic micro-F1 >= 0.60 (guards a little under today's
figures; the issue's goals are 0.95 / 0.95 / 0.80).
Misclassified rows are listed in the assertion message.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from lib import paths
from lib.analysis.trends import wilson_interval
from lib.tagging.labelled import CONFIDENCES, TRAPS, noun_bag
from lib.vocabulary import get_vocabulary
from tests.eval.test_nlp_eval import (
    REAL_PAGES_COLUMNS,
    SPLITS,
    format_real_page_scores,
    load_real_pages,
    real_page_scores,
    real_pages_files,
)

REGIONS = {"sejong", "daejeon", "both", "neither"}
TOPICS = set(get_vocabulary().topic_keys)
# real_pages.tsv opens with the 189 rows of the two former files (their splits kept); every
# later row's split was set once from its url, as real_pages.md records.
FORMER_ROWS = 189
# real_pages.tsv rows from this one on (0-based) are the ninth round, the first since the sixth
# to add held-out rows: the figures over the 860 held-out pages before it are printed apart, so
# they compare with every earlier session's.
NINTH_ROUND_FIRST_ROW = 2150
# From this row on (0-based) dev rows were merged only when no held-out row tells the same
# event: the nouns' cosine with every held-out row is below RETELLING_COSINE.
TENTH_ROUND_FIRST_ROW = 2376
RETELLING_COSINE = 0.70
# From this row on (0-based) the thirteenth round: held-out rows only, each merged only when no
# dev row tells the same event (cosine below RETELLING_COSINE with every dev row). Its figures
# are printed apart, so the 1,086 held-out pages before it still compare with earlier sessions.
THIRTEENTH_ROUND_FIRST_ROW = 2894
MIN_HOLDOUT_ROWS = 140

REGION_ACCURACY_FLOOR = 0.90
# Measured 0.904 on the 557 held-out pages of the fourth labelling round with the model fitted
# on the scaled features (0.877 with the model before it, fitted on 505 dev articles; 0.880 on
# the 334 pages of the third round; 0.824 with the lexicon rules alone on the 226 pages before).
# On the 860 held-out pages of the sixth round: 0.903 with the fifth round's fit, 0.909 with the
# sixth round's (shipped with generator 1.3.0 of the sample), 0.903 with the seventh round's and
# 0.905 with the eighth round's (1,635 dev articles; the two rounds added dev rows only).
# The ninth round added 226 held-out pages (labelled before any tagger ran on them; mostly near
# misses and smaller events of the two cities, since their large smart-city events were already
# labelled): 0.814 on those, so 0.893 on all 1,086 held-out pages, with the 860 before still 0.905.
# The fit on all 2,012 dev articles (eleven rounds; the tenth and eleventh added dev rows only):
# 0.900 on all 1,086, 0.909 on the 860, 0.839 on the ninth round's 226.
SMART_CITY_F1_FLOOR = 0.88
# On the 860 held-out pages of the sixth round: 0.634 with the fifth round's fit, 0.645 with the
# sixth round's, 0.656 with the seventh round's, 0.648 with the eighth round's, 0.667 with the
# eighth round's and the topic model's noun component; 0.687 with the eleventh round's fit (0.674
# on all 1,086 held-out pages). Measured 0.615 on the 557 held-out pages (0.598 with the smart-city model before the scaled
# features); the goal is 0.80, and two labellers agree on topics to micro-F1 0.83
# (tests/eval/test_label_agreement.py).
TOPIC_MICRO_F1_FLOOR = 0.62
# The 625 held-out pages labelled with confidence `high`, with the eighth round's fit: region
# 0.958, smart-city F1 0.956, topic 0.710 (the 235 medium/low ones: 0.860 / 0.798 / 0.562).
HIGH_CONFIDENCE_REGION_FLOOR = 0.94
HIGH_CONFIDENCE_SMART_CITY_FLOOR = 0.94



def _labels(value: str) -> set[str]:
    return set(filter(None, value.split("|")))


def split_for_url(url: str) -> str:
    """The split rule of real_pages.md: ``holdout`` when the first hex digit of the url's
    SHA-256 (UTF-8) is 0–8, ``dev`` when it is 9–f."""
    return "holdout" if hashlib.sha256(url.encode("utf-8")).hexdigest()[0] in "012345678" else "dev"


@pytest.fixture(scope="module")
def pages() -> pd.DataFrame:
    """Every row of every real_pages*.tsv file (both splits)."""
    if not real_pages_files():
        pytest.skip("no tests/fixtures/real_pages*.tsv")
    return load_real_pages()


def test_real_pages_are_well_formed(pages):
    """Labels come from the fixed vocabularies, urls are unique across all real_pages*.tsv files,
    topics exist exactly for smart-city rows, and every row carries nouns: a malformed edit, or a
    page added to two files, must not pass silently."""
    assert list(pages.columns) == REAL_PAGES_COLUMNS + ["source"]
    duplicated = pages.loc[pages["url"].duplicated(keep=False), ["source", "url"]]
    assert duplicated.empty, duplicated.to_string()
    for column, allowed in (
        ("split", set(SPLITS)),
        ("region", REGIONS),
        ("smart_city", {"true", "false"}),
        ("confidence", CONFIDENCES),
        ("trap", TRAPS),
    ):
        bad = pages.loc[~pages[column].isin(allowed), ["source", "url", column]]
        assert bad.empty, bad.to_string()
    for source, url, topics in zip(pages["source"], pages["url"], pages["topics"]):
        assert _labels(topics) <= TOPICS, (source, url, topics)
    smart = pages["smart_city"].eq("true")
    assert (pages["topics"].ne("") == smart).all()
    assert pages["nouns"].str.fullmatch(r"[^|\t]+:\d+(\|[^|\t]+:\d+)*").all()
    dated = pages["date"].ne("")
    assert pages.loc[dated, "date"].map(lambda d: bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d))).all()


def test_real_pages_split_was_set_by_url(pages):
    """The split is recorded once: the former held-out file's rows stay held out, and every row
    added after them follows the url-hash rule, so no row can be moved to the side that suits a
    tagger without this test failing."""
    own = pages[pages["source"] == "real_pages.tsv"].reset_index(drop=True)
    if own.empty:
        pytest.skip("tests/fixtures/real_pages.tsv not present")
    assert len(own) > FORMER_ROWS
    added = own.iloc[FORMER_ROWS:]
    moved = added.loc[added["url"].map(split_for_url) != added["split"], ["url", "split"]]
    assert moved.empty, moved.to_string()
    assert (pages["split"] == "holdout").sum() >= MIN_HOLDOUT_ROWS


def _noun_vectors(nouns: pd.Series):
    """Unit-length noun-count vectors of ``term:count|…`` strings (rows of a sparse matrix)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.preprocessing import normalize

    return normalize(DictVectorizer().fit_transform([noun_bag(v) for v in nouns]))


@pytest.fixture(scope="module")
def holdout_dev_cosine(pages) -> np.ndarray:
    """The noun cosine of every held-out row (rows, in table order) with every dev row
    (columns): how close a dev row comes to telling a held-out story again."""
    vectors = _noun_vectors(pages["nouns"])
    held = pages["split"].eq("holdout").to_numpy()
    dev = pages["split"].eq("dev").to_numpy()
    return (vectors[held] @ vectors[dev].T).toarray()


def _own_rows_from(pages: pd.DataFrame, first_row: int) -> pd.Series:
    """The rows of real_pages.tsv from ``first_row`` (0-based, in that file) on."""
    own = pages["source"].eq("real_pages.tsv")
    return own & (own.cumsum() - 1).ge(first_row)


def test_late_dev_rows_do_not_retell_a_held_out_story(pages, holdout_dev_cosine):
    """Dev rows from the tenth round on were merged only when their nouns are not close to any
    held-out row's (the same event told by another outlet would teach the models a held-out
    story): the merge rule of real_pages.md, kept by this test."""
    dev = pages["split"].eq("dev")
    late = _own_rows_from(pages, TENTH_ROUND_FIRST_ROW)[dev]
    if not late.any() or not holdout_dev_cosine.size:
        pytest.skip("real_pages.tsv has no rows of the tenth round, or no held-out rows")
    closest = holdout_dev_cosine[:, late.to_numpy()].max(axis=0)
    close = pages.loc[late.index[late], "url"][closest >= RETELLING_COSINE]
    assert close.empty, close.tolist()


@pytest.fixture(scope="module")
def holdout_scores(pages) -> dict:
    """The taggers' scores on the held-out rows of every real_pages*.tsv file."""
    rows = pages[pages["split"] == "holdout"].reset_index(drop=True)
    if rows.empty:
        pytest.skip("no held-out rows")
    return real_page_scores(rows)


def test_holdout_region_accuracy(holdout_scores, show):
    show(format_real_page_scores("real pages, holdout split", holdout_scores))
    assert holdout_scores["region_accuracy"] >= REGION_ACCURACY_FLOOR, holdout_scores[
        "wrong_region"
    ].to_string()


def test_the_readme_trust_table_states_these_figures(pages, holdout_scores):
    """The README's first trust-table row (held out) gives the figures this file computes: its
    article count, region accuracy, smart-city F1 and topic micro-F1, to three decimals. A refit
    or a new labelling round that changes them fails here until the README says so."""
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| **held out**: real pages")]
    row = rows[0] if rows else None
    assert row is not None, "README.md has no trust-table row for the held-out real pages"
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    stated = (cells[1], cells[2], cells[3].split()[0], cells[4])
    computed = (
        f"{int((pages['split'] == 'holdout').sum()):,}",
        f"{holdout_scores['region_accuracy']:.3f}",
        f"{holdout_scores['smart_city_f1']:.3f}",
        f"{holdout_scores['topic_micro_f1']:.3f}",
    )
    assert stated == computed, f"README says {stated}, the held-out rows give {computed}"


def test_holdout_smart_city_f1(holdout_scores):
    assert holdout_scores["smart_city_f1"] >= SMART_CITY_F1_FLOOR, holdout_scores[
        "wrong_smart_city"
    ].to_string()


def test_holdout_errors_sit_in_the_labellers_borderline_calls(pages, show):
    """The held-out figures split by the label's ``confidence``: on the pages the labeller was
    sure of (``high``) region and smart-city come out clearly better than on the borderline
    ones (``medium``/``low``, each with a note saying why), which is where most of the
    shortfall against the issue's goals sits. The split is a diagnosis, not the measure: the
    acceptance figures are the ones over every held-out page above."""
    rows = pages[pages["split"] == "holdout"].reset_index(drop=True)
    if rows.empty:
        pytest.skip("no held-out rows")
    sure = rows["confidence"].eq("high")
    scores = {}
    for name, part in (("high", sure), ("medium or low", ~sure)):
        scores[name] = real_page_scores(rows[part].reset_index(drop=True))
        n = scores[name]["n"]
        low, high = wilson_interval(round(scores[name]["region_accuracy"] * n), n)
        show(format_real_page_scores(f"real pages, holdout, confidence {name}",
                                                scores[name])
                + f"\n  region accuracy 95% interval [{low:.3f}, {high:.3f}]")
    assert scores["high"]["region_accuracy"] >= HIGH_CONFIDENCE_REGION_FLOOR, scores["high"][
        "wrong_region"].to_string()
    assert scores["high"]["smart_city_f1"] >= HIGH_CONFIDENCE_SMART_CITY_FLOOR, scores["high"][
        "wrong_smart_city"].to_string()
    for figure in ("region_accuracy", "smart_city_f1", "topic_micro_f1"):
        assert scores["high"][figure] > scores["medium or low"][figure], figure


def test_holdout_figures_by_round(pages, show):
    """The held-out figures over the pages held out before the ninth round (the 860 every earlier
    figure was measured on), over the ninth round's own held-out pages and over the thirteenth
    round's, printed apart; every part must be there once its round is in the table."""
    ninth = _own_rows_from(pages, NINTH_ROUND_FIRST_ROW)
    thirteenth = _own_rows_from(pages, THIRTEENTH_ROUND_FIRST_ROW)
    held = pages["split"].eq("holdout")
    if not ninth.any():
        pytest.skip("real_pages.tsv has no ninth-round rows")
    parts = [("held out before the ninth round", held & ~ninth),
             ("held out, ninth round", held & ninth & ~thirteenth)]
    if thirteenth.any():
        parts += [("held out before the thirteenth round", held & ~thirteenth),
                  ("held out, thirteenth round", held & thirteenth)]
    for name, part in parts:
        rows = pages[part].reset_index(drop=True)
        assert len(rows) > 0, name
        show(format_real_page_scores(f"real pages, {name}", real_page_scores(rows)))


def test_thirteenth_round_retells_no_dev_story(pages, holdout_dev_cosine):
    """The thirteenth round's held-out rows were merged only when no dev row tells the same
    event (noun cosine below RETELLING_COSINE with every dev row), so the models learnt none of
    their stories."""
    held = pages["split"].eq("holdout")
    thirteenth = _own_rows_from(pages, THIRTEENTH_ROUND_FIRST_ROW)
    late = thirteenth[held].to_numpy()
    if not late.any():
        pytest.skip("real_pages.tsv has no thirteenth-round rows")
    closest = holdout_dev_cosine[late].max(axis=1)
    urls = pages.loc[held, "url"].to_numpy()[late]
    assert not (closest >= RETELLING_COSINE).any(), urls[closest >= RETELLING_COSINE].tolist()
    assert held[thirteenth].all()


def test_holdout_figures_without_a_dev_retelling(pages, holdout_dev_cosine, show):
    """Rows labelled before the tenth round were not checked against the held-out ones, so some
    dev rows tell a held-out story again (another outlet's article on the same event, noun
    cosine at least ``RETELLING_COSINE``). The models learnt those dev rows, which can flatter
    the held-out figures. They are printed apart: the held-out pages no dev row retells, and the
    ones a dev row does. Measured with the eleventh round's fit: 1,037 pages without a retelling
    score 0.944 / 0.893 / 0.665, the 49 with one 0.959 / 0.984 / 0.784 (all 1,086: 0.945 / 0.900
    / 0.674). The pages without a retelling must stay the great majority, and above the floors."""
    if not holdout_dev_cosine.size:
        pytest.skip("no held-out or no dev rows")
    rows = pages[pages["split"].eq("holdout")].reset_index(drop=True)
    retold = holdout_dev_cosine.max(axis=1) >= RETELLING_COSINE
    scores = {}
    for name, part in (("no dev row retells", ~retold), ("a dev row retells", retold)):
        scores[name] = real_page_scores(rows[part].reset_index(drop=True))
        show(format_real_page_scores(
            f"real pages, holdout, {name} (noun cosine {RETELLING_COSINE})", scores[name]))
    assert retold.mean() < 0.10
    fresh = scores["no dev row retells"]
    assert fresh["region_accuracy"] >= REGION_ACCURACY_FLOOR
    assert fresh["smart_city_f1"] >= SMART_CITY_F1_FLOOR
    assert fresh["topic_micro_f1"] >= TOPIC_MICRO_F1_FLOOR


def test_holdout_topic_micro_f1(holdout_scores):
    assert holdout_scores["topic_micro_f1"] >= TOPIC_MICRO_F1_FLOOR, holdout_scores[
        "topic_counts_by_topic"
    ]
