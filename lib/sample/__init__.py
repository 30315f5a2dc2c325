"""The synthetic sample corpus: invented Korean news about smart-city work in Sejong and Daejeon.

``python -m lib.sample [--seed 20260101] [--out data/sample]`` (or ``make sample``) writes

* ``pages/synthetic_NNNN_<layout>.txt``: saved news pages in five outlet layouts, with site chrome
  after the copyright line, a few in CP949 or UTF-8 with BOM, some with CRLF and U+00A0 spaces;
* ``bigkinds/synthetic_NewsResult_*.xlsx`` and ``*.csv``: BigKinds news-analysis downloads in the
  exact export layout (19 text columns, newest first), two with overlapping date slices, one
  converted to CP949 CSV and one to UTF-8-with-BOM CSV;
* ``truth.json``: for every record the loader should load, the true region, smart-city flag,
  topics, story and duplicate group, by the labelling rules human labellers follow on real news
  (``tests/fixtures/real_pages.md``; e.g. conventional regeneration naming 스마트시티 once is not
  smart-city news); the records it should reject and why; the planted topic probabilities
  p(topic | region, quarter);
* ``README.md``: what the sample is and how to read the truth.

Every sentence comes from the templates in ``lib/sample/templates/`` (synthetic material, read by
:mod:`lib.sample.material`); no text of real articles is used. The output is byte-identical for
the same seed (fixed zip timestamps and document properties in the xlsx files, sorted JSON, no
clock or environment reads), so the committed sample can be checked by regenerating it.

The package, in the order the data flows: ``material`` (the template files), ``text`` (slots and
Korean particles), ``trends`` (planted p(topic | region, quarter)), ``writing`` (one story's text),
``stories`` (the corpus plan, kept free of accidental near-duplicates), ``records`` (pages, BigKinds
rows and planted copies), ``pages`` and ``bigkinds`` (the files), ``truth`` and ``generate``.
"""

from lib.sample.bigkinds import REASON_BAD_BIGKINDS_DATE, REASON_BAD_PAGE_DATE, REASON_NO_TITLE
from lib.sample.generate import DEFAULT_SEED, generate_sample, main
from lib.sample.material import CHROME_HEADLINES, DECOYS, REGIONS, TOPICS
from lib.sample.stories import DISTINCT_MAX_JACCARD, NEAR_DUP_MIN_JACCARD, jaccard, shingles
from lib.sample.trends import (
    BURST_QUARTER,
    BURST_REGION,
    BURST_TOPIC,
    N_LABELS_P,
    all_quarters,
    draw_topics,
    label_shares,
    topic_weights,
)
from lib.sample.truth import GENERATOR_VERSION

__all__ = [
    "BURST_QUARTER",
    "BURST_REGION",
    "BURST_TOPIC",
    "CHROME_HEADLINES",
    "DECOYS",
    "DEFAULT_SEED",
    "DISTINCT_MAX_JACCARD",
    "GENERATOR_VERSION",
    "NEAR_DUP_MIN_JACCARD",
    "N_LABELS_P",
    "REASON_BAD_BIGKINDS_DATE",
    "REASON_BAD_PAGE_DATE",
    "REASON_NO_TITLE",
    "REGIONS",
    "TOPICS",
    "all_quarters",
    "draw_topics",
    "generate_sample",
    "jaccard",
    "label_shares",
    "main",
    "shingles",
    "topic_weights",
]
