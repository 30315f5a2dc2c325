"""Topic trends on the synthetic sample, scored against data/sample/truth.json, and on the real
BigKinds downloads (read in place; skipped when absent).

- estimated yearly topic shares per city agree with the shares the truth labels give;
- the planted changes are found (lib/sample.py: PLANTED_TRENDS);
- the city difference test is calibrated: with city labels shuffled within periods it flags at
  most 5% of cells, and unshuffled it flags the planted Sejong pilot-city lead of 2018-2019;
- a two-month real corpus gets more than one period.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib import paths
from lib.analysis import topic_trends as tt
from lib.analysis import trends
from lib.corpus import load_corpus
from lib.corpus.truth import truth_of
from lib.tagging import tag_articles

SEJONG, DAEJEON = "sejong", "daejeon"
MIN_N = 10


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(paths.SAMPLE_DIR, progress=False, cache=True)


@pytest.fixture(scope="module")
def tagged(corpus) -> pd.DataFrame:
    return tag_articles(corpus.articles).articles


@pytest.fixture(scope="module")
def truth_tagged(corpus) -> pd.DataFrame:
    """The loaded articles with the truth's region, smart-city flag and topics as their tags."""
    truth = truth_of(corpus.articles)
    frame = corpus.articles.copy()
    for column in ("region", "smart_city", "topics"):
        frame[column] = truth[column]
    return frame


def _yearly_r(tagged: pd.DataFrame, truth_tagged: pd.DataFrame) -> tuple[float, float, int]:
    r, mae, joined = tt.share_agreement(tagged, truth_tagged, regions=[SEJONG, DAEJEON])
    assert len(joined) == 8 * 2 * 9  # 8 years x 2 cities x 9 topics
    assert joined[["share_est", "share_true"]].notna().all().all()
    return r, mae, len(joined)


def test_yearly_topic_shares_agree_with_truth(corpus, tagged, truth_tagged) -> None:
    """Issue 14 asks r >= 0.95 over the topic x city x year bins, for the lexicon rules and for
    the shipped tagger with its smart-city model (lib/resources/tag_model.tsv, fitted on real
    news). Since generator 1.2.0 the sample's truth gives a story about a service of two themes
    (smart crosswalks: traffic systems and safety) both, as the labelling rules and every real
    labelled crosswalk page do (11 records gained mobility; the text is unchanged): rules 0.965,
    shipped tagger 0.958 (0.956 and 0.949 with the 1.1.0 truth). With generator 1.3.0 and the
    topic model's noun component: rules 0.980, shipped tagger 0.953; ``make train`` keeps this
    figure at 0.95 when it chooses the topic model (lib.tagging.train.SAMPLE_FLOORS). The model's own errors on the sample are smart-city calls: it turns down city
    data-platform and AI stories and flags conventional housing stories that name 스마트시티
    once."""
    from lib.tagging import tag_topics

    rules = tag_topics(corpus.articles, use_model=False)
    by_rules = tagged.assign(smart_city=rules["smart_city"].to_numpy(),
                             topics=list(rules["topics"]))
    r_rules, mae_rules, n = _yearly_r(by_rules, truth_tagged)
    r, mae, _ = _yearly_r(tagged, truth_tagged)
    print(f"\nyearly topic shares vs truth over {n} topic x city x year bins: lexicon rules "
          f"r = {r_rules:.3f} (mean |error| {mae_rules:.3f}); shipped tagger with the smart-city "
          f"model r = {r:.3f} (mean |error| {mae:.3f})")
    assert r_rules >= 0.95
    assert r >= 0.95


def test_sejong_pilot_city_falls_after_2019(tagged) -> None:
    trend = tt.trend_test(tagged, freq="QS", regions=[SEJONG]).set_index("topic")
    assert trend.loc["pilot_city", "direction"] == "falling"
    before = tt.topic_shares(tagged[tagged["published"] < "2020-01-01"], freq="all",
                             regions=[SEJONG], topics=["pilot_city"]).iloc[0]
    after = tt.topic_shares(tagged[tagged["published"] >= "2020-01-01"], freq="all",
                            regions=[SEJONG], topics=["pilot_city"]).iloc[0]
    diff, low, _, p = tt.difference_test(before["n_docs"], before["n_total"],
                                         after["n_docs"], after["n_total"])
    print(f"\nSejong pilot_city 2018-2019 {before['share']:.0%} (n={before['n_total']}) vs "
          f"2020-2025 {after['share']:.0%} (n={after['n_total']}): {diff:+.2f} [{low:+.2f}, ...],"
          f" p={p:.1e}")
    assert low > 0.2 and p < 0.001


@pytest.mark.parametrize(("region", "topic"), [(SEJONG, "mobility"), (DAEJEON, "data_ai")])
def test_planted_rises_are_found(tagged, truth_tagged, region: str, topic: str) -> None:
    trend = tt.trend_test(tagged, freq="QS", regions=[region]).set_index("topic")
    row = trend.loc[topic]
    print(f"\n{region} {topic}: odds x{row['odds_ratio']:.2f}/year "
          f"[{np.exp(row['ci_low']):.2f}, {np.exp(row['ci_high']):.2f}], p_adj={row['p_adjusted']:.1e}")
    assert row["direction"] == "rising"
    # The other topics move as the truth's do, but for at most one the tags make a trend of
    # their own. Since generator 1.3.0 the truth's Daejeon safety_operations share falls too in
    # the seed's draw (odds x0.79/year, p_adj 0.02; no trend is planted there, but shares of one
    # city's smart-city stories rise at others' expense). Since the trend test keeps its level
    # on short and sparse series (no floor on the dispersion), it finds the tags' fall of
    # Sejong's regeneration_housing by quarter (about 25% to 12% of a handful of stories a
    # quarter) where the truth's share is flat: a trend the tagger makes.
    truth = tt.trend_test(truth_tagged, freq="QS", regions=[region]).set_index("topic")
    planted = {SEJONG: {"pilot_city", "mobility"}, DAEJEON: {"data_ai"}}[region]
    assert planted <= set(truth.index[truth["direction"] != "none"])
    differ = sorted(t for t in truth.index if trend.loc[t, "direction"] != truth.loc[t, "direction"])
    print(f"{region}: tagged trend unlike the truth's: {differ or 'none'}")
    assert not planted & set(differ) and len(differ) <= 1


def test_daejeon_challenge_livinglab_burst_in_2023q2(tagged) -> None:
    shares = tt.topic_shares(tagged, freq="QS", regions=[DAEJEON], topics=["challenge_livinglab"],
                             min_n=MIN_N)
    shares["label"] = trends.period_labels(shares["period"], freq="QS")
    shown = shares[~shares["too_few"]].set_index("label")
    assert shown["share"].idxmax() == "2023Q2"
    burst = shown.loc["2023Q2"]
    rest = shares[shares["label"] != "2023Q2"]
    diff, low, _, p = tt.difference_test(burst["n_docs"], burst["n_total"],
                                         rest["n_docs"].sum(), rest["n_total"].sum())
    print(f"\nDaejeon challenge_livinglab 2023Q2 {burst['share']:.0%} (n={burst['n_total']}) vs "
          f"other quarters {rest['n_docs'].sum() / rest['n_total'].sum():.0%}: p={p:.1e}")
    assert low > 0 and p < 0.001


def shuffle_cities_within_periods(tagged: pd.DataFrame, *, freq: str, seed: int) -> pd.DataFrame:
    """Deduplicated articles with the Sejong/Daejeon labels permuted within each period."""
    frame = tagged[~tagged["is_duplicate"] & tagged["published"].notna()].copy()
    frame["_period"] = trends.period_start(frame["published"], freq=freq)
    rng = np.random.default_rng(seed)
    cities = frame["region"].isin([SEJONG, DAEJEON])
    region = frame["region"].to_numpy(dtype=object).copy()
    for _, index in frame[cities].groupby("_period").indices.items():
        positions = np.flatnonzero(cities.to_numpy())[index]
        region[positions] = rng.permutation(region[positions])
    return frame.assign(region=region).drop(columns="_period")


# Not quarterly: with MIN_N articles per city needed, the sample has about nine testable
# quarterly cells in 20 shuffles, too few for a rate (one flag is 11%).
@pytest.mark.parametrize(("freq", "both"), [("YS", "own"), ("6MS", "own"), ("6MS", "each")])
def test_difference_test_is_calibrated_under_shuffled_cities(tagged, freq: str, both: str) -> None:
    """``both="each"`` puts articles about both cities in both samples: still calibrated (the
    shared articles make the test cautious, never bold)."""
    flagged = unadjusted = cells = 0
    for seed in range(20):
        shuffled = shuffle_cities_within_periods(tagged, freq=freq, seed=seed)
        table = tt.compare_regions(shuffled, freq=freq, a=SEJONG, b=DAEJEON, min_n=MIN_N,
                                   both=both)
        tested = table[~table["too_few"]]
        cells += len(tested)
        flagged += int(tested["significant"].sum())
        unadjusted += int((tested["p_value"] < 0.05).sum())
    print(f"\n{freq}, both={both}: 20 shuffles, {cells} tested cells: {flagged} flagged after BH "
          f"({flagged / cells:.1%}), {unadjusted} with unadjusted p < 0.05 ({unadjusted / cells:.1%})")
    assert cells >= 200
    assert flagged / cells <= 0.05
    assert unadjusted / cells <= 0.07  # the per-cell test itself holds its level (discreteness aside)


def test_unshuffled_sample_flags_the_sejong_pilot_city_lead(tagged) -> None:
    table = tt.compare_regions(tagged, freq="YS", a=SEJONG, b=DAEJEON, min_n=MIN_N)
    table["label"] = trends.period_labels(table["period"], freq="YS")
    lead = table[(table["topic"] == "pilot_city") & table["label"].isin(["2018", "2019"])]
    assert len(lead) == 2
    assert lead["significant"].all() and (lead["ci_low"] > 0).all()
    overall = tt.compare_regions(tagged, freq="all", a=SEJONG, b=DAEJEON).set_index("topic")
    assert overall.loc["pilot_city", "significant"] and overall.loc["pilot_city", "diff"] > 0


def test_findings_on_the_sample_name_the_planted_changes(tagged) -> None:
    result = tt.findings(tagged)
    facts = result.facts
    moved = {(r, t, k) for r, t, k in zip(facts["region"], facts["topic"], facts["kind"],
                                            strict=True)}
    assert (SEJONG, "mobility", "trend_rising") in moved
    assert (DAEJEON, "data_ai", "trend_rising") in moved
    assert (f"{SEJONG}-{DAEJEON}", "pilot_city", "difference") in moved
    print("\n" + str(result))


@pytest.fixture(scope="module")
def real_tagged() -> pd.DataFrame:
    files = sorted(paths.REAL_BIGKINDS_DIR.glob("*.xlsx")) if paths.REAL_BIGKINDS_DIR.exists() else []
    if not files:
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    corpus = load_corpus(files, progress=False, cache=True)
    return tag_articles(corpus.articles).articles


def test_two_month_real_download_gets_more_than_one_period(real_tagged, tmp_path) -> None:
    freq = tt.choose_freq(real_tagged, min_n=MIN_N)
    shares = tt.topic_shares(real_tagged, freq=freq, min_n=MIN_N)
    assert shares["period"].nunique() > 1
    assert tt.topic_shares(real_tagged, freq="QS", min_n=MIN_N)["period"].nunique() == 1
    table = tt.compare_regions(real_tagged, freq=freq, min_n=MIN_N)
    assert table["period"].nunique() > 1
    trend = tt.trend_test(real_tagged, freq=freq, min_n=MIN_N)
    assert (trend["p_value"].isna() == (trend["note"] != "")).all()
    result = tt.findings(real_tagged, min_n=MIN_N)
    print(f"\nreal downloads: freq {freq}\n{result}")
    # Sections that cannot be computed say why rather than claim anything.
    claims = result.facts[~result.facts["kind"].str.startswith(("volume", "detectable"))]
    assert (claims["p_adjusted"] < 0.05).all()
    untestable = trend[trend["p_value"].isna()]
    if len(untestable):
        assert any("cannot be tested" in s or "not compared" in s for s in result.en)
    out = tt.export_articles_behind(real_tagged, tmp_path / "behind.csv", freq=freq)
    assert out.exists()


# --- notebook 02 and the report index ------------------------------------------------------------

NOTEBOOK = paths.NOTEBOOKS_DIR / "02_topic_trends.ipynb"


def test_committed_notebook_02_is_thin_clean_and_small() -> None:
    import re

    import nbformat

    from lib.present import report

    assert NOTEBOOK.stat().st_size < 2_000_000
    nb = nbformat.read(NOTEBOOK, as_version=4)
    title, question = report.notebook_title_and_question(nb)
    assert title.startswith("02 ") and question.startswith("각 도시의 스마트시티 보도는")
    assert "(How did smart-city coverage" in question
    code = [c for c in nb.cells if c.cell_type == "code"]
    tags = [t for c in code for t in c.metadata.get("tags", [])]
    assert {"parameters", report.FINDINGS_TAG, report.MAIN_CHART_TAG} <= set(tags)
    parameters = next(c for c in code if "parameters" in c.metadata.get("tags", []))
    for name in ("CORPUS", "FREQ", "MIN_N", "PAIR"):
        assert re.search(rf"^{name} = ", parameters.source, flags=re.MULTILINE)
    for cell in code:
        assert len(cell.source.splitlines()) <= 15, cell.source
        draws = "plot_" in cell.source
        assert draws == ("nbval-ignore-output" in cell.metadata.get("tags", [])), cell.source
        for output in cell.get("outputs", []):
            assert output.output_type != "error", cell.source
            if output.output_type == "stream":
                assert output.name != "stderr", output.text
            text = output.get("text", "") + "".join(
                v for k, v in output.get("data", {}).items() if k.startswith("text/"))
            assert not re.search(r"/(?:work|tmp|home|Users)/|[A-Z]:\\\\", text), text[:200]
    highlights = report.notebook_highlights(nb, html_file="02_topic_trends.html")
    assert "주요 결과" in highlights.findings_html and "Findings" in highlights.findings_html
    assert len(highlights.chart_png) > 10_000


def test_report_dir_is_named_after_the_corpus(tmp_path) -> None:
    assert paths.report_dir_for(paths.SAMPLE_DIR) == paths.REPORTS_DIR
    assert paths.report_dir_for(paths.SAMPLE_DIR / "bigkinds") == paths.REPORTS_DIR
    assert paths.report_dir_for(tmp_path / "my corpus!") == paths.REPORTS_DIR / "my_corpus"
    assert paths.report_dir_for(tmp_path / "slice.xlsx") == paths.REPORTS_DIR / "slice"
    # tables made from the sample elsewhere (the engine's output) are synthetic, in their own folder
    marked = tmp_path / "sample_engine"
    marked.mkdir()
    assert not paths.is_sample(marked)
    (marked / paths.SYNTHETIC_MARKER).write_text("SYNTHETIC\n", encoding="utf-8")
    assert paths.is_sample(marked) and not paths.in_sample_dir(marked)
    assert paths.report_dir_for(marked) == paths.REPORTS_DIR / "sample_engine"


def test_index_opens_with_findings_and_main_chart_and_names_the_corpus_kind() -> None:
    import nbformat

    from lib.present import report

    highlights = report.notebook_highlights(nbformat.read(NOTEBOOK, as_version=4),
                                            html_file="02_topic_trends.html")
    entries = [report.ReportEntry("02_topic_trends.ipynb", "02_topic_trends.html", "02 · 주제",
                                  "How did it move?", 1.0)]
    sample = report.index_html(entries, footer="<p>f</p>", highlights=highlights,
                               corpus="data/sample", is_sample=True,
                               downloads=["02_topic_trends_articles.csv"])
    assert sample.index("주요 결과") < sample.index("sc-main-chart") < sample.index('class="sc-index"')
    # the city difference with its intervals (and the corrected ones) follows the main chart
    assert len(highlights.more_png) == 1 and len(highlights.more_png[0]) > 10_000
    assert sample.index("sc-main-chart") < sample.index("sc-index-chart") < sample.index(
        'class="sc-index"')
    assert highlights.more_png[0] in sample
    assert "synthetic sample" in sample and 'class="sc-sample"' in sample
    assert 'href="02_topic_trends_articles.csv"' in sample
    assert report.find_remote_references(sample) == []
    own = report.index_html(entries, footer="<p>f</p>", highlights=report.Highlights(),
                            corpus="raw", is_sample=False)
    assert "your own corpus" in own and 'class="sc-sample"' not in own
    assert "sc-main-chart" not in own


def test_make_report_on_the_real_download_writes_its_own_folder(tmp_path, monkeypatch) -> None:
    """`CORPUS=<real downloads> make report` for notebook 02: pages, CSV and index land in
    reports/<corpus name>/, the index says it is the user's corpus and why nothing was compared."""
    from lib.present import report

    if not any(paths.REAL_BIGKINDS_DIR.glob("*.xlsx")):
        pytest.skip("real BigKinds downloads (../shared/real/bigkinds) are not present")
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path / "reports")
    written = report.build_reports(paths.REAL_BIGKINDS_DIR, notebooks=["02_topic_trends"],
                                   log=lambda _msg: None)
    folder = tmp_path / "reports" / paths.REAL_BIGKINDS_DIR.name
    assert [p.parent for p in written] == [folder, folder]
    csv = folder / "02_topic_trends_articles.csv"
    assert csv.exists() and csv.read_bytes().startswith(b"\xef\xbb\xbf")
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "your own corpus" in index and "sc-main-chart" in index
    assert "the cities are not compared" in index or "differ" in index
    assert 'href="02_topic_trends_articles.csv"' in index
    page = (folder / "02_topic_trends.html").read_text(encoding="utf-8")
    assert report.find_remote_references(page) == []


#: Which notebooks each CORRECT setting is run through (notebook 01 takes about ten seconds,
#: 02 twenty): every setting through notebook 01's yearly smart-city shares, and the one whose
#: rates take the most steps (per era: the sheet's own eras, the trends checked with them)
#: through notebook 02 too.
OWN_LABEL_RUNS = {"1": ["01_corpus_overview"], "city": ["01_corpus_overview"],
                  "era": ["01_corpus_overview", "02_topic_trends"]}


@pytest.mark.slow
@pytest.mark.parametrize("correct", list(OWN_LABEL_RUNS))
def test_notebook_02_takes_your_own_labels(tagged, truth_tagged, tmp_path, monkeypatch,
                                           correct) -> None:
    """`LABELS=<sheet> CORRECT=1 make report`: a sheet of the corpus's own articles, labelled
    (here from the sample's truth), replaces the shipped error rates in notebook 02 (section
    1b, the reliability beside the charts and in the findings, the correction) and corrects
    notebook 01's smart-city shares (pooled, per city or per era)."""
    from lib.analysis.labelling import labelling_sheet, write_labelling_sheet
    from lib.present import report

    sheet = labelling_sheet(tagged, n=150, seed=1, population="all")
    truth = truth_tagged.drop_duplicates("article_id").set_index("article_id")
    ids = sheet["article_id"]
    sheet["region"] = ids.map(truth["region"]).astype(str).to_numpy()
    sheet["smart_city"] = ids.map(truth["smart_city"]).map({True: "true", False: "false"})
    sheet["topics"] = ids.map(truth["topics"]).map("|".join)
    path = write_labelling_sheet(sheet, tmp_path / "synthetic_sample_labels.tsv")
    monkeypatch.setenv("LABELS", str(path))
    monkeypatch.setenv("CORRECT", correct)
    monkeypatch.setattr(paths, "REPORTS_DIR", tmp_path / "reports")
    written = report.build_reports(paths.SAMPLE_DIR, notebooks=OWN_LABEL_RUNS[correct],
                                   log=lambda _msg: None)
    source = ("Tagger error rates measured on synthetic_sample_labels.tsv: 150 articles of this "
              "corpus labelled by hand")
    pages = {p.stem: p.read_text(encoding="utf-8") for p in written
             if p.stem in OWN_LABEL_RUNS[correct]}
    assert sorted(pages) == OWN_LABEL_RUNS[correct]
    for page in pages.values():
        assert source in page and report.find_remote_references(page) == []
        assert f"CORRECT={correct} · LABELS=synthetic_sample_labels.tsv" in page  # the footer
    if "02_topic_trends" in pages:
        page = pages["02_topic_trends"]
        assert "Tagger error rates measured on real labelled news" not in page
        assert "your own labels of 150 articles, synthetic_sample_labels.tsv" in page  # findings
        # The trends are checked with the error rates of the sheet's own eras.
        assert "Corrected for tagging error that changes over the years" in page
    if "01_corpus_overview" in pages:
        # Drawn from every article, the sheet also corrects notebook 01's smart-city shares.
        overview = pages["01_corpus_overview"]
        assert "is not corrected" not in overview and "CORRECT is off" not in overview
    # What the sample's report writes as files says it is synthetic: the CSV download and
    # every chart.
    folder = tmp_path / "reports"
    if "02_topic_trends" in pages:
        assert (folder / "synthetic_02_topic_trends_articles.csv").is_file()
        assert not (folder / "02_topic_trends_articles.csv").exists()
    charts = sorted((folder / "figures").glob("*/*.*"))
    assert charts and all(p.name.startswith("synthetic_") for p in charts)
