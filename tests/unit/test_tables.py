"""A sentence in place of an empty table (``lib.present.tables``)."""

from __future__ import annotations

import pandas as pd

from lib.present.tables import Note, table_or_note


def test_an_empty_table_becomes_its_note_and_a_full_one_stays():
    full = pd.DataFrame({"term": ["스마트시티"], "z": [3.2]})
    assert table_or_note(full, "no term") is full
    note = table_or_note(full.iloc[:0], "단어가 없습니다 <no term>")
    assert isinstance(note, Note) and repr(note) == "단어가 없습니다 <no term>"
    assert note._repr_html_() == '<p class="sc-note">단어가 없습니다 &lt;no term&gt;</p>'


def test_readable_names_keys_and_units_without_changing_the_table():
    from lib.present.tables import readable
    from lib.vocabulary import get_vocabulary

    vocab = get_vocabulary()
    a, b = vocab.compare
    cells = pd.DataFrame({"period": ["all"], "topic": ["pilot_city"], "share_a": [0.2851],
                          "n_a": [1242], "diff": [0.189], "ci_low": [-0.0123],
                          "p_adjusted": [0.00004], "significant": [True], "note": [None]})
    before = cells.copy()
    view = readable(cells, a=a, b=b)
    pd.testing.assert_frame_equal(cells, before)
    row = view.iloc[0].to_dict()
    assert row == {"구간": "전체 기간", "주제": vocab.topic_label("pilot_city"),
                   f"{vocab.region_label(a)} 비중": "28.5%", f"{vocab.region_label(a)} n": "1,242",
                   "차이 (%p)": "+18.9", "95% 하한 (%p)": "-1.2", "보정 p": "<0.001",
                   "유의": "✓", "비고": ""}


def test_readable_gives_a_trend_interval_as_odds_ratios_and_drops_a_key_beside_its_label():
    import math

    from lib.present.tables import readable

    trend = pd.DataFrame({"region": ["sejong"], "slope": [math.log(1.28)],
                          "ci_low": [math.log(1.10)], "ci_high": [math.log(1.48)],
                          "odds_ratio": [1.28], "p_value": [0.0123]})
    view = readable(trend)
    assert view.loc[0, "오즈비 95% 하한"] == "1.10" and view.loc[0, "오즈비 95% 상한"] == "1.48"
    assert view.loc[0, "p"] == "0.012" and view.loc[0, "도시"] != "sejong"
    rel = pd.DataFrame({"value": ["mobility"], "label": ["모빌리티·교통"], "precision": [0.5]})
    assert list(readable(rel).columns) == ["태그", "정밀도"]
    slopes = pd.DataFrame({"slope_corrected": [0.0756], "ci_low_corrected": [0.027]})
    assert list(readable(slopes).iloc[0]) == ["+7.6", "+2.7"]
    assert list(readable(slopes).columns) == ["보정 기울기 (%p/연)", "보정 95% 하한 (%p/연)"]


def test_readable_translates_per_city_columns_and_keeps_unknown_ones():
    from lib.present.tables import readable

    by_city = pd.DataFrame({"세종 n": [36], "세종 precision": [0.6412], "x{y}": [1.5]})
    view = readable(by_city)
    assert list(view.columns) == ["세종 n", "세종 정밀도", "x{y}"]
    assert list(view.iloc[0]) == ["36", "0.64", 1.5]


def test_a_readable_tables_numbers_are_classed_as_numbers_in_a_report():
    import re

    from lib.present.report import annotate_tables
    from lib.present.tables import readable

    view = readable(pd.DataFrame({"topic": ["mobility"], "share_a": [0.285], "diff": [0.189],
                                  "p_adjusted": [0.00001], "significant": [False]}))
    page = annotate_tables(view.to_html())
    cells = dict((text, cls) for cls, text in re.findall(r'<td class="([^"]+)">(.*?)</td>', page))
    assert cells["28.5%"] == cells["+18.9"] == cells["&lt;0.001"] == "sc-num"


def test_readable_reads_a_pivot_by_topic_and_drops_row_numbers():
    from lib.present.tables import readable
    from lib.vocabulary import get_vocabulary

    vocab = get_vocabulary()
    rates = pd.DataFrame({"value": ["mobility", "mobility", "data_ai", "data_ai"],
                          "era": ["2005-2019", "2020-2022"] * 2,
                          "sensitivity": [0.62, 0.891, 0.5, 0.7], "specificity": [0.9] * 4})
    view = readable(rates.pivot(index="value", columns="era",
                                values=["sensitivity", "specificity"]))
    assert view.index.name == "태그" and vocab.topic_label("mobility") in view.index
    assert view.loc[vocab.topic_label("mobility"), ("민감도", "2020-2022")] == "0.89"
    picked = readable(pd.DataFrame({"direction": ["none", "rising"]}, index=[3, 11]))
    assert list(picked.index) == [0, 1] and list(picked["방향"]) == ["없음", "증가"]
