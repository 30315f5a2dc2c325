"""How far two labellers agree on real pages, and the taggers beside that ceiling.

``tests/fixtures/second_labels.tsv`` (see ``second_labels.md``) labels again, blind, seeded draws
of the pages of ``real_pages*.tsv``. Joined on the address with the first labels, per split as the
first labels record it (held-out first, then development, then all), this prints:

- the labellers' agreement (``lib.analysis.accuracy.label_agreement``): region accuracy and
  Cohen's kappa, smart-city kappa and F1, topic micro-F1 on the pages both call smart-city, and
  per topic F1 and kappa, each with a bootstrap interval;
- on the same pages, the shipped taggers (pages fed as keyword-only articles from their nouns, as
  in ``test_nlp_eval.py``) scored against each labeller: the eval tests' figures (topic micro-F1
  over all pages) and the same agreement figures as for the two labellers.

The agreement figures are measured, not asserted: the assertions check that every second label
is a well-formed label of a page the first labels hold, that the counts add up and that every
figure is in its range.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib import paths
from lib.analysis.accuracy import AGREEMENT_COLUMNS, label_agreement, page_labels
from lib.tagging.labelled import CONFIDENCES, TRAPS
from lib.tagging.regions import tag_regions
from lib.tagging.topics import tag_topics
from lib.vocabulary import get_vocabulary
from tests.eval.test_nlp_eval import (
    format_real_page_scores,
    load_real_pages,
    real_eval_articles,
    real_page_scores,
)

SECOND_LABELS = paths.FIXTURES_DIR / "second_labels.tsv"
SECOND_COLUMNS = ["url", "region", "smart_city", "topics", "confidence", "trap", "note"]
LABELS = ("region", "smart_city", "topics")
#: The parts reported, held-out first; ``all`` is both splits together. ``borderline`` is the
#: held-out pages whose first label has confidence ``medium`` or ``low``: how far two readers
#: agree where most of the taggers' held-out shortfall sits.
BORDERLINE = "holdout, first label medium or low"
PARTS = ("holdout", BORDERLINE, "dev", "all")



@pytest.fixture(scope="module")
def pages() -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(first, second)``: the first labels' rows of the second-labelled pages (with split and
    nouns) and the second labels, row for row in the second file's order."""
    if not SECOND_LABELS.exists():
        pytest.skip("no tests/fixtures/second_labels.tsv")
    second = pd.read_csv(SECOND_LABELS, sep="\t", dtype=str, keep_default_na=False)
    assert list(second.columns) == SECOND_COLUMNS, f"{SECOND_LABELS.name}: {list(second.columns)}"
    first = load_real_pages()
    assert not first["url"].duplicated().any(), "an address repeats across real_pages*.tsv"
    missing = sorted(set(second["url"]) - set(first["url"]))
    assert not missing, (
        f"{SECOND_LABELS.name}: {len(missing)} urls not in real_pages*.tsv: {missing[:3]}"
    )
    first = first.set_index("url").loc[second["url"]].reset_index()
    return first, second


def _part(rows: pd.DataFrame, first: pd.DataFrame, part: str) -> pd.DataFrame:
    """The rows of ``rows`` (row for row with ``first``, the first labels) in ``part``."""
    if part == "all":
        keep = np.ones(len(rows), dtype=bool)
    elif part == BORDERLINE:
        keep = (first["split"].eq("holdout") & first["confidence"].ne("high")).to_numpy()
    else:
        keep = (first["split"] == part).to_numpy()
    return rows[keep].reset_index(drop=True)


def test_second_labels_are_well_formed(pages):
    first, second = pages
    vocab = get_vocabulary()
    assert not second["url"].duplicated().any()
    regions = set(vocab.region_keys)
    assert second["region"].isin(regions).all(), set(second["region"]) - regions
    assert second["smart_city"].isin(["true", "false"]).all()
    topics = second["topics"].map(lambda t: tuple(filter(None, t.split("|"))))
    unknown = {t for ts in topics for t in ts} - set(vocab.topic_keys)
    assert not unknown, unknown
    # Topics exactly when smart-city, one to five of them.
    smart = second["smart_city"].eq("true")
    n_topics = topics.map(len)
    assert (n_topics[~smart] == 0).all() and n_topics[smart].between(1, 5).all()
    assert second["confidence"].isin(CONFIDENCES).all()
    assert second["trap"].isin(TRAPS).all(), set(second["trap"]) - TRAPS
    assert second["note"].str.strip().ne("").all()
    assert first["split"].isin(["dev", "holdout"]).all()


def test_labellers_agreement_by_split(pages, show):
    first, second = pages
    vocab = get_vocabulary()
    sizes = {}
    for part in PARTS:
        one = page_labels(_part(first, first, part))
        two = page_labels(_part(second, first, part))
        table = label_agreement(one, two)
        sizes[part] = len(two)
        show(f"two labellers, {part} ({len(two)} pages):\n{_format_agreement(table)}")

        assert list(table.columns) == list(AGREEMENT_COLUMNS)
        # The table is complete: every figure of every tag, each once.
        expected = [("region", "all", "accuracy"), ("region", "all", "kappa"),
                    ("smart_city", "true", "kappa"), ("smart_city", "true", "f1"),
                    ("topic", "all", "micro_f1")]
        expected += [("topic", k, m) for k in vocab.topic_keys for m in ("f1", "kappa")]
        assert list(zip(table["tag"], table["value"], table["measure"])) == expected
        # The counts add up.
        n_smart_both = int((one["smart_city"] & two["smart_city"]).sum())
        region = table[table["tag"] == "region"].iloc[0]
        assert region["n"] == len(two)
        assert region["n_both"] == int((one["region"] == two["region"]).sum())
        smart = table[table["tag"] == "smart_city"].iloc[0]
        assert (smart["n_first"], smart["n_second"], smart["n_both"]) == (
            int(one["smart_city"].sum()), int(two["smart_city"].sum()), n_smart_both)
        topic_rows = table[table["tag"] == "topic"]
        assert (topic_rows["n"] == n_smart_both).all()
        per_topic = topic_rows[(topic_rows["value"] != "all") & (topic_rows["measure"] == "f1")]
        micro = topic_rows[topic_rows["value"] == "all"].iloc[0]
        for col in ("n_first", "n_second", "n_both"):
            assert per_topic[col].sum() == micro[col]
        assert (table["n_both"] <= table[["n_first", "n_second"]].min(axis=1)).all()
        # Every figure is in its range and inside its interval where it has one.
        is_kappa = table["measure"] == "kappa"
        est = table["estimate"]
        assert est[~is_kappa].dropna().between(0, 1).all()
        assert est[is_kappa].dropna().between(-1, 1).all()
        for name in ("region", "smart_city"):
            assert table.loc[table["tag"] == name, "estimate"].notna().all()
        bounded = table.dropna(subset=["ci_low", "ci_high"])
        assert (bounded["ci_low"] <= bounded["ci_high"]).all()
        assert (bounded["ci_low"] >= -1).all() and (bounded["ci_high"] <= 1).all()
    assert sizes["holdout"] + sizes["dev"] == sizes["all"] == len(second)


def test_taggers_beside_the_labellers(pages, show):
    first, second = pages
    for part in PARTS:
        rows_one = _part(first, first, part)
        rows_two = _part(second, first, part)
        if rows_one.empty:
            continue
        # The second labeller's labels on the first file's rows (nouns and all).
        rows_two_full = rows_one.assign(**{c: rows_two[c].to_numpy() for c in LABELS})
        versus_one = real_page_scores(rows_one)
        versus_two = real_page_scores(rows_two_full)

        articles = real_eval_articles(rows_one)
        topics = tag_topics(articles)
        tagger = pd.DataFrame(
            {
                "article_id": rows_one["url"].to_numpy(),
                "region": tag_regions(articles)["region"].to_numpy(),
                "smart_city": topics["smart_city"].to_numpy(dtype=bool),
                "topics": [tuple(t) for t in topics["topics"]],
            }
        )
        one, two = page_labels(rows_one), page_labels(rows_two)
        tables = {
            "first vs second": label_agreement(one, two),
            "tagger vs first": label_agreement(one, tagger),
            "tagger vs second": label_agreement(two, tagger),
        }
        # Topics on the pages both labellers call smart-city, whatever the tagger decided there.
        ceiling_rows = (one["smart_city"] & two["smart_city"]).to_numpy()
        first_topics, second_topics, tagger_topics = (
            t["topics"][ceiling_rows] for t in (one, two, tagger)
        )
        on_ceiling_rows = {
            "first vs second": _micro_f1(first_topics, second_topics),
            "tagger vs first": _micro_f1(first_topics, tagger_topics),
            "tagger vs second": _micro_f1(second_topics, tagger_topics),
        }
        show(
            f"taggers on the {len(rows_one)} second-labelled pages, {part}:\n"
            + format_real_page_scores("  scored against the first labels", versus_one) + "\n"
            + format_real_page_scores("  scored against the second labels", versus_two) + "\n"
            + _format_side_by_side(tables, on_ceiling_rows, int(ceiling_rows.sum())),
        )
        first_vs_second = tables["first vs second"]
        micro = first_vs_second.loc[first_vs_second["measure"] == "micro_f1", "estimate"].iloc[0]
        assert np.isclose(on_ceiling_rows["first vs second"], micro)

        for scores in (versus_one, versus_two):
            assert scores["n"] == len(rows_one)
            for key in ("region_accuracy", "smart_city_f1", "topic_micro_f1"):
                assert 0.0 <= scores[key] <= 1.0
        # Both scorings saw the same taggers' decisions.
        assert versus_one["tp"] + versus_one["fp"] == versus_two["tp"] + versus_two["fp"]
        assert versus_one["tp"] + versus_one["fp"] == int(tagger["smart_city"].sum())
        for table in tables.values():
            head = table[table["tag"] != "topic"]
            assert (head["n"] == len(rows_one)).all()
            assert head["estimate"].between(-1, 1).all()


def _format_agreement(table: pd.DataFrame) -> str:
    lines = []
    for row in table.itertuples():
        if row.tag == "topic" and row.value != "all" and row.measure == "kappa":
            continue
        label = f"{row.tag} {row.value}" if row.value not in ("all", "true") else row.tag
        counts = (
            f"n {row.n}" if row.tag == "region"
            else f"n {row.n}, first {row.n_first}, second {row.n_second}, both {row.n_both}"
        )
        interval = f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}]"
        text = f"  {label:<30} {row.measure:<8} {_fmt(row.estimate)} {interval}  ({counts})"
        if row.tag == "topic" and row.value != "all":
            kappa = table[(table["value"] == row.value) & (table["measure"] == "kappa")].iloc[0]
            text += f"  kappa {_fmt(kappa['estimate'])}"
        lines.append(text)
    return "\n".join(lines)


def _micro_f1(truth: pd.Series, pred: pd.Series) -> float:
    """Topic micro-F1 of ``pred`` against ``truth`` (tuples of topics, row for row)."""
    shared = sum(len(set(a) & set(b)) for a, b in zip(truth, pred))
    given = sum(len(set(a)) + len(set(b)) for a, b in zip(truth, pred))
    return 2 * shared / given if given else float("nan")


def _format_side_by_side(
    tables: dict[str, pd.DataFrame], on_ceiling_rows: dict[str, float], n_ceiling: int
) -> str:
    names = list(tables)
    keys = tables[names[0]][["tag", "value", "measure"]]
    width = 52
    lines = [f"  {'':<{width}}" + "".join(f"{n:>18}" for n in names)]
    for i, (tag, value, measure) in enumerate(keys.itertuples(index=False)):
        if tag == "topic" and value != "all":
            continue
        label = f"{tag} {measure}" + (" (pages the pair call smart-city)" if tag == "topic" else "")
        lines.append(f"  {label:<{width}}" + "".join(
            f"{_fmt(tables[n]['estimate'].iloc[i]):>18}" for n in names))
    label = f"topic micro_f1 ({n_ceiling} pages both labellers call s-c)"
    lines.append(f"  {label:<{width}}" + "".join(f"{_fmt(on_ceiling_rows[n]):>18}" for n in names))
    return "\n".join(lines)


def _fmt(x: float) -> str:
    return "  - " if not np.isfinite(x) else f"{x:.3f}"
