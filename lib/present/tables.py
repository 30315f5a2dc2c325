"""Tables in notebooks and reports: a sentence in place of a table with no rows.

A notebook cell that ends in a table shows only its header when the table is empty (a corpus
with no significant trend, no burst, no term typical of a city): ``table_or_note`` shows a
sentence saying why instead, in JupyterLab, in the saved notebook and in the HTML report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from lib.analysis.accuracy import (
    NOTE_CHANCE,
    NOTE_DIFF_UNCERTAIN,
    NOTE_NO_ERAS,
    NOTE_NO_NEGATIVES,
    NOTE_NO_POSITIVES,
    NOTE_NO_RATES,
    NOTE_NO_SHARE,
    NOTE_RATES_UNCERTAIN,
    NOTE_UNCERTAIN,
)
from lib.analysis.kwic import SOURCES
from lib.analysis.topic_trends import signed_text
from lib.corpus.bigkinds import EXCLUDED_PREFIX
from lib.vocabulary import Vocabulary, get_vocabulary


@dataclass(frozen=True)
class Note:
    """A sentence shown where a table would be (plain text and HTML)."""

    text: str

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<p class="sc-note">{escape(self.text)}</p>'


def table_or_note(table: pd.DataFrame, note: str) -> pd.DataFrame | Note:
    """``table``, or ``note`` as a :class:`Note` when the table has no rows."""
    return Note(note) if table.empty else table


# --- tables a reader can read -------------------------------------------------------------
#
# The analysis returns tidy frames with short English column names and keys (``share_a``,
# ``p_adjusted``, topic keys): right for code and for the CSV files, hard to read in a
# report. :func:`readable` is the view shown in notebooks: Korean headers that say the unit,
# topic and city names instead of keys, shares in %, differences in percentage points, p-values
# and verdicts written out. The frame itself is not changed.

PERCENT = "percent"  # a share: 0.285 -> 28.5%
POINTS = "points"  # a difference of shares: 0.189 -> +18.9 (header says %p)
RATIO = "ratio"  # an odds ratio, precision, F1 ...: two decimals
P = "p"  # a p-value: <0.001 or three decimals
FLAG = "flag"  # a verdict: ✓ / ✗
COUNT = "count"  # an integer count, thousands separated
FIXED = "fixed"  # another number: three decimals
MARK = "mark"  # a choice: ✓ when true, blank otherwise
CHECK = "check"  # a bar cleared: ✓ when true, – otherwise
MONTH = "month"  # a date that stands for its month: 2023-06

#: Column name -> (header, format). ``{a}`` and ``{b}`` are the two cities' names.
_COLUMNS: dict[str, tuple[str, str]] = {
    "period": ("기간", ""),
    "topic": ("주제", ""),
    "region": ("도시", ""),
    "outlet": ("언론사", ""),
    "series": ("주제·단어", ""),
    "kind": ("종류", ""),
    "share_a": ("{a} 비중", PERCENT),
    "share_b": ("{b} 비중", PERCENT),
    "n_a": ("{a} n", COUNT),
    "n_b": ("{b} n", COUNT),
    "n": ("n", COUNT),
    "n_docs": ("기사 수", COUNT),
    "n_total": ("전체 기사 수", COUNT),
    "n_periods": ("기간 수", COUNT),
    "n_months": ("개월 수", COUNT),
    "n_series": ("묶인 단어 수", COUNT),
    "n_true": ("라벨 기사 수", COUNT),
    "n_pred": ("태그 기사 수", COUNT),
    "share": ("비중", PERCENT),
    "period_start": ("적합값 처음 기간 (시작 월)", MONTH),
    "period_end": ("적합값 끝 기간 (시작 월)", MONTH),
    "share_start": ("처음 기간 적합값", PERCENT),
    "share_end": ("끝 기간 적합값", PERCENT),
    "share_burst": ("급증 기간 비중", PERCENT),
    "share_base": ("평소 비중", PERCENT),
    "diff": ("차이 (%p)", POINTS),
    "ci_low": ("95% 하한 (%p)", POINTS),
    "ci_high": ("95% 상한 (%p)", POINTS),
    "diff_corrected": ("오류 보정 차이 (%p)", POINTS),
    "ci_low_corrected": ("오류 보정 95% 하한 (%p)", POINTS),
    "ci_high_corrected": ("오류 보정 95% 상한 (%p)", POINTS),
    "cluster_low": ("언론사 군집 하한 (%p)", POINTS),
    "cluster_high": ("언론사 군집 상한 (%p)", POINTS),
    "loo_min": ("한 곳 제외 최소 (%p)", POINTS),
    "loo_max": ("한 곳 제외 최대 (%p)", POINTS),
    "swing_outlet": ("가장 크게 움직이는 언론사", ""),
    "swing_diff": ("그 언론사 제외 시 차이 (%p)", POINTS),
    "z_without": ("그 언론사 제외 시 z", RATIO),
    "p_value": ("p", P),
    "p_adjusted": ("BH 보정 p값", P),
    "significant": ("유의", FLAG),
    "holds": ("점검 통과", FLAG),
    "holds_corrected": ("오류 보정 후 유지", FLAG),
    "note": ("비고", ""),
    "correction_note": ("오류 보정 비고", ""),
    "direction": ("방향", ""),
    "odds_ratio": ("연간 오즈비", RATIO),
    "slope": ("기울기 (로그 오즈/연)", FIXED),
    "dispersion": ("과산포", RATIO),
    "clustered_low": ("언론사 군집 하한 (오즈비)", RATIO),
    "clustered_high": ("언론사 군집 상한 (오즈비)", RATIO),
    "within": ("언론사 내 연간 오즈비", RATIO),
    "within_low": ("언론사 내 하한", RATIO),
    "within_high": ("언론사 내 상한", RATIO),
    "rests_on": ("기대는 언론사", ""),
    "precision": ("정밀도", RATIO),
    "precision_low": ("정밀도 하한", RATIO),
    "precision_high": ("정밀도 상한", RATIO),
    "recall": ("재현율", RATIO),
    "recall_low": ("재현율 하한", RATIO),
    "recall_high": ("재현율 상한", RATIO),
    "f1": ("F1", RATIO),
    "readers_f1": ("라벨러 간 일치도 (F1)", RATIO),
    "strength": ("강도", RATIO),
    "excess": ("추세 대비 강도", RATIO),
    "chance": ("우연 기준 (추세 대비 강도)", RATIO),
    "beyond_chance": ("우연 이상", CHECK),
    "start": ("시작", ""),
    "end": ("끝", ""),
    "rank": ("순위", COUNT),
    "sensitivity": ("민감도 (재현율)", RATIO),
    "specificity": ("특이도", RATIO),
    "value": ("태그", ""),
    "discovered_topic": ("발견된 주제", ""),
    "label": ("분류표 주제", ""),
    "n_label": ("분류표 주제 기사 수", COUNT),
    "share_of_label": ("그중 이 주제 비중", PERCENT),
    # the corpus as loaded (notebook 01)
    "folder": ("폴더", ""),
    "source_file": ("파일", ""),
    "format": ("형식", ""),
    "encoding": ("인코딩", ""),
    "n_files": ("파일 수", COUNT),
    "rows_read": ("읽은 레코드", COUNT),
    "rows_loaded": ("불러온 기사", COUNT),
    "rows_rejected": ("제외된 레코드", COUNT),
    "n_duplicates": ("중복", COUNT),
    "reason": ("사유", ""),
    "n_records": ("레코드 수", COUNT),
    "records": ("레코드 위치 (처음 10개)", ""),
    "n_articles": ("기사 수", COUNT),
    "n_unique": ("중복 제거 후", COUNT),
    "n_lead_only": ("리드만", COUNT),
    "first": ("처음", ""),
    "last": ("마지막", ""),
    # the period lengths tried (notebook 02)
    "freq": ("기간 코드", ""),
    "name": ("기간 단위", ""),
    "n_ok": ("두 도시 n 충분한 기간", COUNT),
    "ok_share": ("그 비중", PERCENT),
    "chosen": ("선택", MARK),
    # articles and their sentences
    "article_id": ("기사 ID", ""),
    "published": ("날짜", ""),
    "date": ("날짜", ""),
    "title": ("제목", ""),
    "url": ("주소", ""),
    "evidence": ("근거", ""),
    "left": ("앞 문맥", ""),
    "match": ("찾은 단어", ""),
    "right": ("뒤 문맥", ""),
    "source": ("찾은 곳", ""),
    # keyness (notebook 03) and discovered topics (notebook 04)
    "term": ("단어", ""),
    "group": ("집단", ""),
    "log_odds": ("로그 오즈비 (축소 추정)", FIXED),
    "z": ("z", RATIO),
    "share_group": ("이 집단 기사 중", PERCENT),
    "share_other": ("다른 집단 기사 중", PERCENT),
    "n_group": ("이 집단 빈도", COUNT),
    "n_other": ("다른 집단 빈도", COUNT),
    "docs_group": ("이 집단 기사 수", COUNT),
    "docs_other": ("다른 집단 기사 수", COUNT),
    "examples": ("예시 기사 ID", ""),
    "n_terms": ("묶인 단어 수", COUNT),
    "docs_late": ("뒤 시기 기사 수", COUNT),
    "docs_early": ("앞 시기 기사 수", COUNT),
    "n_late": ("뒤 시기 빈도 (새 복합어: 전체)", COUNT),
    "k": ("주제 수", COUNT),
    "coherence": ("일관성 (NPMI)", FIXED),
    "stability": ("안정도 (재적합)", FIXED),
    "diversity": ("다양성", FIXED),
    "quality": ("품질", FIXED),
    "terms": ("주요 단어", ""),
}
#: Per-city columns (``세종 precision``): the city's name, then one of these.
_SUFFIXES = {"n": ("n", COUNT), "precision": ("정밀도", RATIO), "recall": ("재현율", RATIO),
             "F1": ("F1", RATIO)}

#: A trend table's interval is the slope's (log odds a year): shown as odds ratios a year.
_TREND_INTERVAL = {"ci_low": ("오즈비 95% 하한", RATIO), "ci_high": ("오즈비 95% 상한", RATIO)}
#: A table of slopes in shares a year (trends corrected for tagging error).
_SLOPE_SHARE = {
    "slope_share": ("기울기 (%p/연)", POINTS),
    "slope_corrected": ("오류 보정 기울기 (%p/연)", POINTS),
    "ci_low_corrected": ("오류 보정 95% 하한 (%p/연)", POINTS),
    "ci_high_corrected": ("오류 보정 95% 상한 (%p/연)", POINTS),
}
_WORDS = {"all": "전체 기간", "rising": "증가", "falling": "감소", "none": "없음",
          "topic": "주제", "term": "단어"}
#: Where a keyword-in-context row found its term (``lib.analysis.kwic.SOURCES``), in Korean.
_KWIC_SOURCES_KO = {
    "title": "제목",
    "body": "본문",
    "lead": "리드 (BigKinds: 본문이 리드뿐)",
    "keywords": "키워드만 (BigKinds: 리드에는 없고 키워드 목록에만 있음)",
}
_KWIC_SOURCES_SHOWN = {SOURCES[k]: text for k, text in _KWIC_SOURCES_KO.items()}
#: Where a new-term candidate (``lib.analysis.keyness.new_term_candidates``) came from.
_CANDIDATE_SOURCES = {"rising": "뒤 시기에 늘어난 단어", "new word": "새 복합어 (Kiwi)"}
#: A table of bursts (``n_months`` beside ``start``/``end``): its dates are months.
_BURST_MONTHS = {"start": ("시작 (월)", MONTH), "end": ("끝 (월)", MONTH)}
#: A table of new-term candidates: ``source`` is which list a word came from.
_CANDIDATE_SOURCE = {"source": ("후보 종류", "")}
#: The prefix of a reason a record was rejected that BigKinds itself gave, in Korean.
_BIGKINDS_REASON = (EXCLUDED_PREFIX, "BigKinds 제외: ")


def _headers_for(names) -> dict[str, tuple[str, str]]:
    """The (header, format) of every known column, as a table with these column ``names``
    shows them (a trend table's interval is in odds ratios, a corrected slope's in %p)."""
    columns = dict(_COLUMNS)
    names = set(names)
    if "slope" in names and "odds_ratio" in names:
        columns.update(_TREND_INTERVAL)
    if "slope_corrected" in names:
        columns.update(_SLOPE_SHARE)
    if "n_months" in names:
        columns.update(_BURST_MONTHS)
    if "docs_late" in names:
        columns.update(_CANDIDATE_SOURCE)
    return columns


def column_headers(names) -> dict[str, tuple[str, str]]:
    """``{name: (header, format)}`` for the ``names`` (a table's columns) that the reports know:
    the Korean header :func:`readable` shows (``{a}``/``{b}`` left for the cities) and how it
    formats the value (:data:`PERCENT`, :data:`POINTS`, … or ``""`` for text)."""
    known = _headers_for(names)
    out = {}
    for name in names:
        if name in known:
            out[name] = known[name]
        else:
            header, kind = _per_city(str(name))
            if header != name:
                out[name] = (header, kind)
    return out


def readable(table: pd.DataFrame, *, a: str | None = None, b: str | None = None) -> pd.DataFrame:
    """The view of ``table`` a report shows: Korean headers with their units, names for topic
    and city keys, shares in %, differences in percentage points (``+18.9``), odds ratios,
    precision and recall to two decimals, p-values (``<0.001``) and verdicts (✓/✗) written out,
    missing values blank. ``a`` and ``b`` are the city keys behind ``*_a``/``*_b`` columns.
    A trend table (``slope`` with ``odds_ratio``) gives its interval as odds ratios a year.
    Columns it does not know keep their name and values; a key column beside its ``label``
    is dropped (the label names it)."""
    vocab = get_vocabulary()
    cities = {"a": vocab.region_label(a) if a else "A", "b": vocab.region_label(b) if b else "B"}
    columns = _headers_for(table.columns)
    out = table.copy()
    if {"value", "label"} <= set(table.columns):
        out = out.drop(columns=["value"])
        columns["label"] = ("태그", "")
    shown = {}
    for name in out.columns:
        # A pivot's columns (sensitivity, era): the first level names the measure.
        first, rest = (name[0], name[1:]) if isinstance(name, tuple) else (name, ())
        header, kind = columns.get(str(first)) or _per_city(str(first))
        values = out[name]
        if first in ("ci_low", "ci_high") and columns[first][1] == RATIO:
            values = np.exp(values.astype(float))
        header = header.replace("{a}", cities["a"]).replace("{b}", cities["b"])
        shown[(header, *rest) if rest else header] = _formatted(values, kind, str(first), vocab)
    view = pd.DataFrame(shown, index=out.index)
    if pd.api.types.is_integer_dtype(view.index) and view.index.nlevels == 1:
        return _first_column_as_rows(view)  # row numbers say nothing, in order or not
    if view.index.nlevels == 1 and view.index.name in _COLUMNS:
        header, _ = _COLUMNS[view.index.name]
        view.index = _formatted(view.index.to_series(), "", view.index.name, vocab).rename(header)
    return view


def _first_column_as_rows(view: pd.DataFrame) -> pd.DataFrame:
    """``view`` without row numbers: its first column heads the rows (pandas draws it as row
    headers, its name in the header row's first cell), or, for a table of one column or of
    MultiIndex columns, blank row labels."""
    if len(view.columns) < 2 or view.columns.nlevels > 1:
        return view.set_axis([""] * len(view), axis=0)
    first = view.columns[0]
    rows = view.set_index(first)
    rows.index.name, rows.columns.name = None, first
    return rows


#: The correction notes of ``lib.analysis.accuracy``, in Korean, longest first (the uncertain
#: ones extend NOTE_RATES_UNCERTAIN); the intervals in the units the tables show.
_CORRECTION_NOTES_KO = (
    (NOTE_DIFF_UNCERTAIN, "오류율이 너무 불확실해 보정하지 못함 "
                          "(우연 수준의 태그일 수 있음; 구간 −100~+100%p)"),
    (NOTE_UNCERTAIN, "오류율이 너무 불확실해 보정하지 못함 (우연 수준의 태그일 수 있음; "
                     "구간 0~100%)"),
    (NOTE_RATES_UNCERTAIN, "오류율이 너무 불확실함 (우연 수준의 태그일 수 있음)"),
    (NOTE_CHANCE, "라벨 기사에서 태그가 우연보다 낫지 않음 (민감도 + 특이도 ≤ 1)"),
    (NOTE_NO_POSITIVES, "이 태그가 붙은 라벨 기사가 없어 민감도를 모름"),
    (NOTE_NO_NEGATIVES, "이 태그가 없는 라벨 기사가 없어 특이도를 모름"),
    (NOTE_NO_SHARE, "관측 비중 없음 (기사가 없거나 너무 적음)"),
    (NOTE_NO_RATES, "이 태그의 오류율 없음"),
    (NOTE_NO_ERAS, "날짜가 있는 라벨 기사가 없어 시기별 오류율 없음"),
)


def _correction_note_ko(note: object) -> object:
    """A correction note with each of :data:`_CORRECTION_NOTES_KO`'s phrases in Korean (any
    other text as it is)."""
    if not isinstance(note, str):
        return note
    for english, korean in _CORRECTION_NOTES_KO:
        note = note.replace(english, korean)
    return note


def _per_city(name: str) -> tuple[str, str]:
    prefix, _, suffix = name.rpartition(" ")
    if prefix and suffix in _SUFFIXES:
        header, kind = _SUFFIXES[suffix]
        return f"{prefix} {header}", kind
    return name, ""


def _formatted(values: pd.Series, kind: str, name: str, vocab: Vocabulary) -> pd.Series:
    if kind == "" and (values.dtype == object or pd.api.types.is_string_dtype(values)):
        if name in ("topic", "series", "label", "value"):
            return values.map(lambda v: vocab.topic_label(v) if isinstance(v, str) else v)
        if name in ("region", "group"):  # a keyness group is a city or a span of months
            return values.map(lambda v: vocab.region_label(v) if isinstance(v, str) else v)
        if name == "source":  # where KWIC found the term, or a candidate came from
            shown = {**_KWIC_SOURCES_SHOWN, **_CANDIDATE_SOURCES}
            return values.map(lambda v: shown.get(v, v) if isinstance(v, str)
                              else v).fillna("")
        if name == "correction_note":  # why a share or difference could not be corrected
            return values.map(_correction_note_ko).fillna("")
        if name == "reason":
            english, korean = _BIGKINDS_REASON
            return values.map(lambda v: korean + v.removeprefix(english)
                              if isinstance(v, str) and v.startswith(english) else v).fillna("")
        return values.map(lambda v: _WORDS.get(v, v) if isinstance(v, str) else v).fillna("")
    if kind == "" and pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("")
    if kind == MONTH:
        return pd.to_datetime(values).dt.strftime("%Y-%m").fillna("")
    if not kind:
        return values
    return values.map(lambda v: _cell(v, kind))


def _cell(value: object, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if kind == FLAG:
        return "✓" if bool(value) else "✗"
    if kind == MARK:
        return "✓" if bool(value) else ""
    if kind == CHECK:
        return "✓" if bool(value) else "–"
    number = float(value)
    if kind == PERCENT:
        return f"{number * 100:.1f}%"
    if kind == POINTS:
        return signed_text(number * 100, 1)  # U+2212 minus, as the findings write it
    if kind == P:
        return "<0.001" if number < 0.001 else f"{number:.3f}"
    if kind == COUNT:
        return f"{int(round(number)):,}"
    if kind == RATIO:
        return f"{number:.2f}"
    return f"{number:.3f}"
