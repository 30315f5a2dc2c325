"""General economic news in the labelled real data (``trap = economy_mention``: startup funding,
autonomous-driving companies, AI products, market notes and national industry policy that name
smart-city words) must not be flagged as smart-city work.

Every labelled real set is read through ``lib.tagging.labelled.load_labelled`` (the pages, and
the BigKinds rows when the downloads are on this machine). Per split the test prints how many
economy rows the tagger flags and which, and asserts at most ``MAX_FLAGGED`` of each split: today's
count, so a change that lets one more economy story through fails. The issue's goal is at most
one in 50. Measured with the downloads: 2/86 on dev and 3/80 held out after the third round of
labelled pages (2/34 and 2/26 of ``real_pages_neg.tsv``; the taggers before the cue features of
the smart-city model flagged 2/86 and 5/80 there); the fourth round added 39 economy pages, and
with the same taggers the counts are 4/104 on dev and 5/101 held out. The model on the scaled
features (fitted on all dev articles, so 0/104 on dev is in-sample; 5 of 104 out of fold in
``make train``'s cross-validation, 6 before) flags 6/101 held out. The fifth round's refit flags
3/136 held out. The sixth round added 58 economy pages sought out as hard cases (funding rounds,
IT-services results, telecoms, stock notes, trade shows), read by the same taggers before any
fit: 5 of the 36 held-out ones are flagged, so today's count is 8/172 held out (1 in 21; the
goal is 1 in 50) and 0/136 on dev (the 22 new dev pages are out of sample for the model too).
The sixth round's refit (939 dev articles, shipped with generator 1.3.0 of the sample) flags
9/172 held out: one fewer analyst note on the smart-city market and two more stories that are
close to city work (a ministry's own generative-AI data platform, robot services pitched for
apartment complexes), with held-out smart-city F1 0.909 against 0.903; so the bound was 9. The
seventh and eighth rounds added 130 economy pages to the dev part only (76 and 54; the round-seven
models flagged 10 of the eighth round's 54 before its refit). The refit on all 1,635 dev articles
flags 7/172 held out (0/266 on dev, in sample; 15 of 266 out of fold in ``make train``'s
cross-validation). Against the seventh round's fit (9/172) it no longer flags a portal firm's land
contract for its Sejong data centre and a telecom's level-4 self-driving R&D partnership; against
the sixth round's it no longer flags that partnership, builders' robot services for apartment
complexes and an IT firm's first permit to test its self-driving car on public roads, and flags
again the analyst's note on the smart-city market. So the bound was 7. The ninth round added 31
held-out economy pages (funding, listings, stock notes, results, launches), labelled before any
tagger ran on them: the same taggers flag one of them, a telecom laying 5G along the national
self-driving test track (labelled `medium`, corporate R&D), so 8/203 held out and the bound is 8.
The tenth and eleventh rounds added 77 dev economy pages after the shipped fit (12 and 65),
labelled before any tagger ran on them: the shipped models flag 8 of them (an innovation-cluster
office's demonstration agendas, robotaxi permits and a ride-hailing robotaxi deal, security
firms' AI CCTV products, smart-city market forecasts), so 9/343 on dev, out of sample for those
8, and the dev bound was 9. The forecast veto (vetoes 2026.12.8: three of 연평균, 보고서, 리포트,
시장) holds for two of those on dev, market-research forecasts of the smart-city and IoT markets,
and for no smart-city page; held out it changes nothing, so 7/343 on dev and 8/203 held out.
The refit on all 2,012 dev articles (with the tenth and eleventh rounds; C 3, noun weight 10,
threshold 0.6; 23 of 343 dev economy stories flagged out of fold) flags 7/203 held out (one
fewer: an autonomous-driving firm's MOU with the taxi federation, of ``real_pages_neg.tsv``) and
0/343 on dev, in sample. The twelfth round added 57 dev economy pages after that fit, labelled
before any tagger ran on them: it flags 6 (a self-driving test track, robotaxi and road-test
permit stories, an intelligent-CCTV trade feature, a market-data note, a ministry's IoT work plan),
so 6/400 on dev; a refit with them flagged 10/203 held out and was not shipped. The thirteenth
round added 24 held-out economy pages, labelled before any tagger ran on them: the same taggers
flag two (a city's investment roadshow naming smart-city industry as one of three target sectors,
labelled `low`; mobility firms founding an industry forum), so 9/227 held out (1 in 25). The
bounds are 9 and 6.
"""

from __future__ import annotations

import pytest

from lib.tagging.labelled import load_labelled
from lib.tagging.topics import tag_topics

#: Per split: today's count (the twelfth round's dev rows are not in the fit).
MAX_FLAGGED = {"holdout": 9, "dev": 6}
GOAL_RATE = 1 / 50


@pytest.fixture(scope="module")
def economy():
    articles, labels = load_labelled()
    rows = labels["trap"].eq("economy_mention").to_numpy()
    if not rows.any():
        pytest.skip("no labelled economy_mention rows")
    chosen = articles[rows].reset_index(drop=True)
    flagged = tag_topics(chosen)["smart_city"].to_numpy()
    return labels[rows].reset_index(drop=True).assign(flagged=flagged)


def test_labelled_economy_news_is_not_smart_city(economy, show):
    assert not economy["smart_city"].any(), "an economy_mention row is labelled smart-city"
    lines = []
    for split, part in economy.groupby("split"):
        n_flagged = int(part["flagged"].sum())
        lines.append(
            f"economy_mention {split}: {n_flagged}/{len(part)} flagged as smart-city "
            f"({n_flagged / len(part):.3f}; goal <= {GOAL_RATE:.2f}) "
            + " ".join(f"{f}:{a}" for f, a in
                       zip(part.loc[part["flagged"], "label_file"],
                           part.loc[part["flagged"], "article_id"]))
        )
    show("\n".join(lines))
    counts = economy.groupby("split")["flagged"].sum()
    assert all(counts[split] <= MAX_FLAGGED[split] for split in counts.index), lines
