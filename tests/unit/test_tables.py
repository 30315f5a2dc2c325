"""A sentence in place of an empty table (``lib.present.tables``)."""

from __future__ import annotations

import pandas as pd

from lib.present.tables import Note, readable, table_or_note


def _flat(view: pd.DataFrame) -> pd.DataFrame:
    """A ``readable`` view with its row-heading column back among the columns."""
    if view.columns.name is None:
        return view.reset_index(drop=True)
    return view.rename_axis(index=view.columns.name, columns=None).reset_index()


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
    view = _flat(readable(cells, a=a, b=b))
    pd.testing.assert_frame_equal(cells, before)
    row = view.iloc[0].to_dict()
    assert row == {"기간": "전체 기간", "주제": vocab.topic_label("pilot_city"),
                   f"{vocab.region_label(a)} 비중": "28.5%", f"{vocab.region_label(a)} n": "1,242",
                   "차이 (%p)": "+18.9", "95% 하한 (%p)": "\u22121.2", "BH 보정 p값": "<0.001",
                   "유의": "✓", "비고": ""}


def test_readable_gives_a_trend_interval_as_odds_ratios_and_drops_a_key_beside_its_label():
    import math

    from lib.present.tables import readable

    trend = pd.DataFrame({"region": ["sejong"], "slope": [math.log(1.28)],
                          "ci_low": [math.log(1.10)], "ci_high": [math.log(1.48)],
                          "odds_ratio": [1.28], "p_value": [0.0123]})
    view = _flat(readable(trend))
    assert view.loc[0, "오즈비 95% 하한"] == "1.10" and view.loc[0, "오즈비 95% 상한"] == "1.48"
    assert view.loc[0, "p"] == "0.012" and view.loc[0, "도시"] != "sejong"
    rel = pd.DataFrame({"value": ["mobility"], "label": ["모빌리티·교통"], "precision": [0.5]})
    assert list(_flat(readable(rel)).columns) == ["태그", "정밀도"]
    slopes = pd.DataFrame({"slope_corrected": [0.0756], "ci_low_corrected": [0.027]})
    assert list(_flat(readable(slopes)).iloc[0]) == ["+7.6", "+2.7"]
    assert list(_flat(readable(slopes)).columns) == ["오류 보정 기울기 (%p/연)",
                                                     "오류 보정 95% 하한 (%p/연)"]


def test_readable_translates_per_city_columns_and_keeps_unknown_ones():
    from lib.present.tables import readable

    by_city = pd.DataFrame({"세종 n": [36], "세종 precision": [0.6412], "x{y}": [1.5]})
    view = _flat(readable(by_city))
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
    assert view.loc[vocab.topic_label("mobility"), ("민감도 (재현율)", "2020-2022")] == "0.89"
    # sensitivity and recall are one number: their headers differ, so a table with both
    # keeps both columns
    both = readable(pd.DataFrame({"recall": [0.8], "sensitivity": [0.8], "n": [5]}))
    assert len(both.columns) + 1 == 3  # the first column heads the rows
    picked = readable(pd.DataFrame({"direction": ["none", "rising"]}, index=[3, 11]))
    assert list(picked.index) == ["", ""] and list(picked["방향"]) == ["없음", "증가"]


def test_readable_heads_rows_with_the_first_column_not_row_numbers():
    import re

    from lib.present.tables import readable
    from lib.vocabulary import get_vocabulary

    vocab = get_vocabulary()
    view = readable(pd.DataFrame({"topic": ["mobility", "data_ai"], "share": [0.25, 0.5]},
                                 index=[7, 2]))
    page = view.to_html()
    head = re.findall(r"<th[^>]*>(.*?)</th>", page.split("</thead>")[0])
    rows = re.findall(r"<tbody>.*?</tbody>", page, re.S)[0]
    assert head == ["주제", "비중"]  # one header row, the first column's name in its corner
    assert re.findall(r"<th>(.*?)</th>", rows) == [vocab.topic_label("mobility"),
                                                   vocab.topic_label("data_ai")]
    assert not re.search(r"<th>\d+</th>", page) and "7" not in str(view).split()


def test_readable_names_the_corpus_keyness_and_article_columns_in_korean():
    from lib.present.tables import readable
    from lib.vocabulary import get_vocabulary

    vocab = get_vocabulary()
    city = vocab.compare[0]
    keyness = readable(pd.DataFrame({"term": ["시범도시"], "group": [city], "z": [5.674],
                                     "docs_group": [60]}))
    assert keyness.columns.name == "단어"
    assert list(keyness.columns) == ["집단", "z", "이 집단 기사 수"]
    assert list(keyness.iloc[0]) == [vocab.region_label(city), "5.67", "60"]
    periods = readable(pd.DataFrame({"freq": ["MS", "6MS"], "ok_share": [0.1, 0.9],
                                     "chosen": [False, True]}))
    assert list(periods["선택"]) == ["", "✓"] and list(periods["그 비중"]) == ["10.0%", "90.0%"]
    lines = readable(pd.DataFrame({"article_id": ["a1"],
                                   "date": pd.to_datetime(["2024-03-05 09:10"]),
                                   "left": ["앞"], "match": ["단어"], "right": ["뒤"]}))
    assert list(lines.columns) == ["날짜", "앞 문맥", "찾은 단어", "뒤 문맥"]
    assert lines.iloc[0, 0] == "2024-03-05"
    # Where KWIC found the term, and a reason BigKinds gave for leaving a record out, in Korean;
    # the tables themselves keep their values.
    from lib.analysis.kwic import SOURCES

    found = pd.DataFrame({"match": ["단어"] * 3, "source": [SOURCES[k] for k in ("title", "lead",
                                                                               "keywords")]})
    assert list(readable(found)["찾은 곳"]) == [
        "제목", "리드 (BigKinds: 본문이 리드뿐)", "키워드만 (BigKinds: 리드에는 없고 키워드 목록에만 있음)"]
    rejects = pd.DataFrame({"reason": ["excluded by BigKinds: 중복", "no title"], "n": [3, 1]})
    assert list(readable(rejects).index) == ["BigKinds 제외: 중복", "no title"]


def test_a_readable_keyword_in_context_table_keeps_its_report_classes():
    import re

    from lib.present.report import annotate_tables
    from lib.present.tables import readable

    lines = pd.DataFrame({"article_id": ["a1"], "date": pd.to_datetime(["2024-03-05"]),
                          "left": ["시민이 참여하는 리빙랩은 올해"], "match": ["스마트시티"],
                          "right": ["사업의 하나로 열린다"]})
    page = annotate_tables(readable(lines).to_html())
    assert 'class="dataframe sc-kwic"' in page
    cells = dict((text, cls) for cls, text in re.findall(r'<td class="([^"]+)">(.*?)</td>', page))
    assert cells["시민이 참여하는 리빙랩은 올해"] == "sc-kwic-left"
    assert cells["스마트시티"] == "sc-kwic-match"
    assert cells["사업의 하나로 열린다"] == "sc-kwic-right"


def test_readable_shows_burst_months_and_which_rows_beat_chance():
    """A burst table's start and end are months, as the findings write them (2023-04~2023-06);
    its bar and verdict columns have Korean headers, ✓ or – for the verdict."""
    from lib.present.tables import readable

    bursts = pd.DataFrame({"series": ["공사", "착공"], "start": pd.to_datetime(["2023-04-01"] * 2),
                           "end": pd.to_datetime(["2023-06-01"] * 2), "n_months": [3, 3],
                           "excess": [9.5, 4.0], "chance": [8.0, 8.0],
                           "beyond_chance": [True, False]})
    view = readable(bursts)
    assert list(view.columns) == ["시작 (월)", "끝 (월)", "개월 수", "추세 대비 강도",
                                  "우연 기준 (추세 대비 강도)", "우연 이상"]
    assert list(view.iloc[0]) == ["2023-04", "2023-06", "3", "9.50", "8.00", "✓"]
    assert view.iloc[1, -1] == "–"


def test_readable_names_the_keyness_and_candidate_columns_in_korean():
    from lib.analysis.keyness import CANDIDATE_COLUMNS
    from lib.present.tables import column_headers, readable

    assert set(column_headers(CANDIDATE_COLUMNS)) == set(CANDIDATE_COLUMNS)
    candidates = pd.DataFrame({"term": ["개방", "퀀텀벤치"], "source": ["rising", "new word"],
                               "z": [2.84, float("nan")], "beyond_chance": [False, False],
                               "docs_late": [52, float("nan")], "docs_early": [28, float("nan")],
                               "n_late": [72, 9], "examples": ["a1, a2", "a3"]},
                              index=range(2))
    view = readable(candidates)
    assert list(view.index) == ["개방", "퀀텀벤치"]  # the words head the rows, no 0, 1
    assert list(view.columns) == ["후보 종류", "z", "우연 이상", "뒤 시기 기사 수", "앞 시기 기사 수",
                                  "뒤 시기 빈도 (새 복합어: 전체)", "예시 기사 ID"]
    assert list(view["후보 종류"]) == ["뒤 시기에 늘어난 단어", "새 복합어 (Kiwi)"]
    assert list(view["우연 이상"]) == ["–", "–"] and view.iloc[1, 1] == ""
    keyness = readable(pd.DataFrame({"term": ["영상·위급"], "z": [3.9], "beyond_chance": [True],
                                     "n_terms": [2]}))
    assert list(keyness.iloc[0]) == ["3.90", "✓", "2"]
    assert list(keyness.columns) == ["z", "우연 이상", "묶인 단어 수"]


def test_correction_notes_read_in_korean_in_the_units_the_table_shows():
    from lib.analysis.accuracy import NOTE_DIFF_UNCERTAIN, NOTE_NO_POSITIVES

    table = pd.DataFrame({"topic": ["mobility", "data_ai", "pilot_city"],
                          "correction_note": [NOTE_DIFF_UNCERTAIN, NOTE_NO_POSITIVES, ""]})
    notes = list(_flat(readable(table))["오류 보정 비고"])
    assert notes[0] == ("오류율이 너무 불확실해 보정하지 못함 (우연 수준의 태그일 수 있음; "
                        "구간 −100~+100%p)")
    assert notes[1] == "이 태그가 붙은 라벨 기사가 없어 민감도를 모름"
    assert notes[2] == ""
