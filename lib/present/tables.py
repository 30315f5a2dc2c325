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

_PERCENT = "percent"  # a share: 0.285 -> 28.5%
_POINTS = "points"  # a difference of shares: 0.189 -> +18.9 (header says %p)
_RATIO = "ratio"  # an odds ratio, precision, F1 ...: two decimals
_P = "p"  # a p-value: <0.001 or three decimals
_FLAG = "flag"  # a verdict: ✓ / ✗
_COUNT = "count"  # an integer count, thousands separated
_FIXED = "fixed"  # another number: three decimals
_MARK = "mark"  # a choice: ✓ when true, blank otherwise

#: Column name -> (header, format). ``{a}`` and ``{b}`` are the two cities' names.
_COLUMNS: dict[str, tuple[str, str]] = {
    "period": ("구간", ""),
    "topic": ("주제", ""),
    "region": ("도시", ""),
    "outlet": ("언론사", ""),
    "series": ("주제·단어", ""),
    "kind": ("종류", ""),
    "share_a": ("{a} 비중", _PERCENT),
    "share_b": ("{b} 비중", _PERCENT),
    "n_a": ("{a} n", _COUNT),
    "n_b": ("{b} n", _COUNT),
    "n": ("n", _COUNT),
    "n_docs": ("기사 수", _COUNT),
    "n_total": ("전체 기사 수", _COUNT),
    "n_periods": ("구간 수", _COUNT),
    "n_months": ("개월 수", _COUNT),
    "n_series": ("묶인 단어 수", _COUNT),
    "n_true": ("라벨 기사 수", _COUNT),
    "n_pred": ("태그 기사 수", _COUNT),
    "share": ("비중", _PERCENT),
    "share_start": ("처음 구간 적합값", _PERCENT),
    "share_end": ("끝 구간 적합값", _PERCENT),
    "share_burst": ("급증 구간 비중", _PERCENT),
    "share_base": ("평소 비중", _PERCENT),
    "diff": ("차이 (%p)", _POINTS),
    "ci_low": ("95% 하한 (%p)", _POINTS),
    "ci_high": ("95% 상한 (%p)", _POINTS),
    "diff_corrected": ("오류 보정 차이 (%p)", _POINTS),
    "ci_low_corrected": ("보정 95% 하한 (%p)", _POINTS),
    "ci_high_corrected": ("보정 95% 상한 (%p)", _POINTS),
    "cluster_low": ("언론사 군집 하한 (%p)", _POINTS),
    "cluster_high": ("언론사 군집 상한 (%p)", _POINTS),
    "loo_min": ("한 곳 제외 최소 (%p)", _POINTS),
    "loo_max": ("한 곳 제외 최대 (%p)", _POINTS),
    "swing_outlet": ("가장 크게 움직이는 언론사", ""),
    "swing_diff": ("그 언론사 제외 시 차이 (%p)", _POINTS),
    "p_value": ("p", _P),
    "p_adjusted": ("보정 p", _P),
    "significant": ("유의", _FLAG),
    "holds": ("점검 통과", _FLAG),
    "holds_corrected": ("보정 후 유지", _FLAG),
    "note": ("비고", ""),
    "correction_note": ("보정 비고", ""),
    "direction": ("방향", ""),
    "odds_ratio": ("오즈비 (연)", _RATIO),
    "slope": ("기울기 (로그 오즈/연)", _FIXED),
    "dispersion": ("과산포", _RATIO),
    "clustered_low": ("언론사 군집 하한 (오즈비)", _RATIO),
    "clustered_high": ("언론사 군집 상한 (오즈비)", _RATIO),
    "within": ("언론사 안 오즈비", _RATIO),
    "within_low": ("언론사 안 하한", _RATIO),
    "within_high": ("언론사 안 상한", _RATIO),
    "rests_on": ("기대는 언론사", ""),
    "precision": ("정밀도", _RATIO),
    "precision_low": ("정밀도 하한", _RATIO),
    "precision_high": ("정밀도 상한", _RATIO),
    "recall": ("재현율", _RATIO),
    "recall_low": ("재현율 하한", _RATIO),
    "recall_high": ("재현율 상한", _RATIO),
    "f1": ("F1", _RATIO),
    "readers_f1": ("두 사람 사이 F1", _RATIO),
    "strength": ("강도", _RATIO),
    "start": ("시작", ""),
    "end": ("끝", ""),
    "rank": ("순위", _COUNT),
    "sensitivity": ("민감도", _RATIO),
    "specificity": ("특이도", _RATIO),
    "value": ("태그", ""),
    "discovered_topic": ("발견된 주제", ""),
    "label": ("태그 주제", ""),
    "n_label": ("태그 주제 기사 수", _COUNT),
    "share_of_label": ("그중 이 주제 비중", _PERCENT),
    # the corpus as loaded (notebook 01)
    "folder": ("폴더", ""),
    "source_file": ("파일", ""),
    "format": ("형식", ""),
    "encoding": ("인코딩", ""),
    "n_files": ("파일 수", _COUNT),
    "rows_read": ("읽은 행", _COUNT),
    "rows_loaded": ("불러온 행", _COUNT),
    "rows_rejected": ("제외한 행", _COUNT),
    "n_duplicates": ("중복", _COUNT),
    "reason": ("사유", ""),
    "n_records": ("레코드 수", _COUNT),
    "records": ("레코드 위치 (처음 10개)", ""),
    "n_articles": ("기사 수", _COUNT),
    "n_unique": ("중복 제거 후", _COUNT),
    "n_lead_only": ("리드만", _COUNT),
    "first": ("처음", ""),
    "last": ("마지막", ""),
    # the period lengths tried (notebook 02)
    "freq": ("구간 코드", ""),
    "name": ("구간 길이", ""),
    "n_ok": ("두 도시 n 충분한 구간", _COUNT),
    "ok_share": ("그 비율", _PERCENT),
    "chosen": ("선택", _MARK),
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
    "log_odds": ("로그 오즈비", _FIXED),
    "z": ("z", _RATIO),
    "n_group": ("이 집단 빈도", _COUNT),
    "n_other": ("다른 집단 빈도", _COUNT),
    "docs_group": ("이 집단 기사 수", _COUNT),
    "docs_other": ("다른 집단 기사 수", _COUNT),
    "examples": ("예시 기사 ID", ""),
    "k": ("주제 수", _COUNT),
    "coherence": ("일관성 (NPMI)", _FIXED),
    "stability": ("안정도 (재적합)", _FIXED),
    "diversity": ("다양성", _FIXED),
    "quality": ("품질", _FIXED),
    "terms": ("주요 단어", ""),
}
#: Per-city columns (``세종 precision``): the city's name, then one of these.
_SUFFIXES = {"n": ("n", _COUNT), "precision": ("정밀도", _RATIO), "recall": ("재현율", _RATIO),
             "F1": ("F1", _RATIO)}

#: A trend table's interval is the slope's (log odds a year): shown as odds ratios a year.
_TREND_INTERVAL = {"ci_low": ("오즈비 95% 하한", _RATIO), "ci_high": ("오즈비 95% 상한", _RATIO)}
#: A table of slopes in shares a year (trends corrected for tagging error).
_SLOPE_SHARE = {
    "slope_share": ("기울기 (%p/연)", _POINTS),
    "slope_corrected": ("보정 기울기 (%p/연)", _POINTS),
    "ci_low_corrected": ("보정 95% 하한 (%p/연)", _POINTS),
    "ci_high_corrected": ("보정 95% 상한 (%p/연)", _POINTS),
}
_WORDS = {"all": "전체 기간", "rising": "증가", "falling": "감소", "none": "없음",
          "topic": "주제", "term": "단어"}


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
    columns = dict(_COLUMNS)
    if "slope" in table.columns and "odds_ratio" in table.columns:
        columns.update(_TREND_INTERVAL)
    if "slope_corrected" in table.columns:
        columns.update(_SLOPE_SHARE)
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
        if first in ("ci_low", "ci_high") and columns[first][1] == _RATIO:
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
        return values.map(lambda v: _WORDS.get(v, v) if isinstance(v, str) else v).fillna("")
    if kind == "" and pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("")
    if not kind:
        return values
    return values.map(lambda v: _cell(v, kind))


def _cell(value: object, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if kind == _FLAG:
        return "✓" if bool(value) else "✗"
    if kind == _MARK:
        return "✓" if bool(value) else ""
    number = float(value)
    if kind == _PERCENT:
        return f"{number * 100:.1f}%"
    if kind == _POINTS:
        return f"{number * 100:+.1f}"
    if kind == _P:
        return "<0.001" if number < 0.001 else f"{number:.3f}"
    if kind == _COUNT:
        return f"{int(round(number)):,}"
    if kind == _RATIO:
        return f"{number:.2f}"
    return f"{number:.3f}"
