"""Each finding of notebook 02 beside the checks it passes: the findings at a glance.

A finding is a significant whole-span difference between two cities (``compare_regions(
freq="all")``) or a significant trend within a city (``trend_test``). ``robustness`` lists
each one with whether it survives what a reviewer would try next:

- ``outlets``: it does not rest on one outlet, and holds with outlets rather than articles as the
  units of its interval (``outlets.outlet_check`` / ``outlets.outlet_trend_check``; for a trend, without
  the within-outlet part);
- ``within_outlets``: a trend holds within outlets, so a change in the mix of outlets does not
  make it (``outlet_trend_check``'s within-outlet interval); not asked of a difference;
- ``tag_error``: a difference keeps its side with both cities' shares corrected for tagging
  error (``accuracy.corrected_difference``, per city when its rates are); a trend keeps its
  direction with each period's shares corrected with the error rates of its era of
  publication (``accuracy.corrected_trends``: fixed error rates only rescale a city's shares,
  but a tag that errs less in later years can make a trend);
- ``other_both_rule``: it keeps its sign at p < ``alpha`` when articles about both cities are
  counted the other way (``both="each"`` instead of ``"own"``, or back);
- ``other_period``: a trend keeps its sign at p < ``alpha`` at the next coarser period length
  (the next finer one at a year); not asked of a difference (it spans everything);
- ``news_only``: it keeps its sign at p < ``alpha`` on news stories alone, without the
  editorials, columns, photos and briefs ``lib.tagging.kinds.article_kinds`` finds (not asked
  when the corpus has none).

These three re-test one finding that was chosen with the Benjamini–Hochberg adjustment over
topics, so their p is the unadjusted one: adjusting again would fail a finding for the power a
re-specification loses (a yearly trend has half the points of a half-yearly one), not for a
change in what the data say.

A check is True or False, or missing (``<NA>``) when it was not asked or its table was not
given. ``passed`` and ``checked`` count them. ``undecided`` names the checks (comma-joined) that
were asked but could not be made: the tagging-error correction gives no estimate (the error
rates are too uncertain, or missing for an era), or an outlet check could not be made (fewer
than ``outlets.MIN_OUTLETS`` outlets to cluster, or a clustered or within-outlet interval that
cannot be estimated; a difference and a trend alike). Such a check counts as not passed, but the view
marks it ? ("cannot tell"), not ✗: the finding was not shown to fail it either.
``robustness_view`` renders the table for reading: one line per finding, ✓ / ✗ / ? / – per
check.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from lib.analysis import topic_trends as tt
from lib.analysis.trends import ALL_PERIODS
from lib.tagging.kinds import article_kinds
from lib.vocabulary import get_vocabulary, region_label, topic_label

CHECKS: tuple[str, ...] = ("outlets", "within_outlets", "tag_error", "other_both_rule",
                           "other_period", "news_only")
ROBUSTNESS_COLUMNS: tuple[str, ...] = (
    "kind", "region", "topic", "estimate", "ci_low", "ci_high", "p_adjusted", "share_start",
    "share_end", *CHECKS, "passed", "checked", "undecided",
)
#: The headings of ``robustness_view``, Korean and English.
CHECK_NAMES: dict[str, tuple[str, str]] = {
    "outlets": ("언론사 1곳 제외·군집", "one outlet out, outlets as clusters"),
    "within_outlets": ("언론사 내 추세", "within outlets"),
    "tag_error": ("태그 오류 보정", "tagging error corrected"),
    "other_both_rule": ("동시 언급 기사 재분류", "both-city articles counted the other way"),
    "other_period": ("다른 기간 단위", "another period length"),
    "news_only": ("보도 기사만", "news stories only"),
}


def other_freq(freq: str) -> str | None:
    """The next coarser period length of ``tt.FREQ_CANDIDATES`` (the next finer one for the
    coarsest), or None for a length not among them."""
    order = [f for f, _, _ in tt.FREQ_CANDIDATES]
    if freq not in order:
        return None
    i = order.index(freq)
    return order[i + 1] if i + 1 < len(order) else order[i - 1]


def robustness(
    tagged: pd.DataFrame,
    *,
    freq: str,
    a: str | None = None,
    b: str | None = None,
    base: str = "smart_city",
    min_n: int = 10,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
    outlet_check: pd.DataFrame | None = None,
    outlet_trends: pd.DataFrame | None = None,
    corrected_differences: pd.DataFrame | None = None,
    corrected_trends: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every significant whole-span difference of ``a`` and ``b`` and every significant trend
    of either city (period ``freq``), with the checks of the module's text
    (``ROBUSTNESS_COLUMNS``). ``estimate`` is the difference (a fraction) or the slope (change
    in log-odds a year), ``ci_low, ci_high`` its interval. The outlet and tagging-error checks
    read the tables given (made with the same options); the others are computed here."""
    if freq == ALL_PERIODS:
        raise ValueError("robustness needs the period length of the trends, not 'all'")
    vocabulary = get_vocabulary()
    a, b = a or vocabulary.compare[0], b or vocabulary.compare[1]
    options = dict(base=base, min_n=min_n, dedup=dedup, alpha=alpha)
    swapped = "each" if both == "own" else "own"
    rows: list[dict[str, object]] = []

    kinds = article_kinds(tagged)
    news = tagged[(kinds == "news").to_numpy()] if (kinds != "news").any() else None
    news_differences = (tt.compare_regions(news, freq=ALL_PERIODS, a=a, b=b, both=both,
                                           **options).set_index("topic")
                        if news is not None else None)
    news_trends = (tt.trend_test(news, freq=freq, regions=[a, b], both=both, **options)
                   .set_index(["region", "topic"]) if news is not None else None)
    tt.require_whole_span(outlet_check, "robustness: outlet_check")
    if corrected_trends is not None and corrected_trends.attrs.get("freq", freq) != freq:
        raise ValueError(f"robustness: corrected_trends is by {corrected_trends.attrs['freq']!r}, "
                         f"the trends by {freq!r}")
    differences = tt.compare_regions(tagged, freq=ALL_PERIODS, a=a, b=b, both=both, **options)
    other_rule = tt.compare_regions(tagged, freq=ALL_PERIODS, a=a, b=b, both=swapped,
                                    **options).set_index("topic")
    for _, row in differences[differences["significant"]].iterrows():
        where = {"topic": row["topic"]}
        # an outlet check without a clustered interval (too few outlets), a correction without
        # an estimate: asked, but could not be made
        undecided = [check for check, table, column in (
            ("outlets", outlet_check, "cluster_low"),
            ("tag_error", corrected_differences, "diff_corrected"))
            if _not_made(table, where, column)]
        checks = {
            "outlets": _looked_up(outlet_check, where, "holds"),
            "tag_error": _looked_up(corrected_differences, where, "holds_corrected"),
            "other_both_rule": _agrees(other_rule.loc[row["topic"]], "diff", row["diff"], alpha),
            "news_only": (_agrees(news_differences.loc[row["topic"]], "diff", row["diff"], alpha)
                          if news_differences is not None else None),
        }
        rows.append({"kind": "difference", "region": f"{a}-{b}", "topic": row["topic"],
                     "estimate": row["diff"], "ci_low": row["ci_low"],
                     "ci_high": row["ci_high"], "p_adjusted": row["p_adjusted"],
                     "share_start": np.nan, "share_end": np.nan, **checks,
                     "undecided": ",".join(undecided)})

    trends = tt.trend_test(tagged, freq=freq, regions=[a, b], both=both, **options)
    keyed = trends.set_index(["region", "topic"])
    other_rule_t = tt.trend_test(tagged, freq=freq, regions=[a, b], both=swapped,
                                 **options).set_index(["region", "topic"])
    coarser = other_freq(freq)
    other_period = (tt.trend_test(tagged, freq=coarser, regions=[a, b], both=both, **options)
                    .set_index(["region", "topic"]) if coarser else None)
    for (region, topic), row in keyed[keyed["significant"]].iterrows():
        where = {"region": region, "topic": topic}
        undecided = [check for check, column in (("outlets", "holds_outlets"),
                                                 ("within_outlets", "holds_within"))
                     if _not_made(outlet_trends, where, column)]
        if _not_made(corrected_trends, where, "slope_corrected"):
            undecided.append("tag_error")
        checks = {
            "outlets": _outlet_verdict(outlet_trends, where, "holds_outlets"),
            "within_outlets": _outlet_verdict(outlet_trends, where, "holds_within"),
            "tag_error": _looked_up(corrected_trends, where, "holds_corrected"),
            "other_both_rule": _agrees(other_rule_t.loc[(region, topic)], "slope", row["slope"],
                                       alpha),
            "other_period": (_agrees(other_period.loc[(region, topic)], "slope", row["slope"],
                                     alpha) if other_period is not None else None),
            "news_only": (_agrees(news_trends.loc[(region, topic)], "slope", row["slope"], alpha)
                          if news_trends is not None else None),
        }
        rows.append({"kind": "trend", "region": region, "topic": topic,
                     "estimate": row["slope"], "ci_low": row["ci_low"],
                     "ci_high": row["ci_high"], "p_adjusted": row["p_adjusted"],
                     "share_start": row["share_start"], "share_end": row["share_end"], **checks,
                     "undecided": ",".join(undecided)})

    out = pd.DataFrame(rows, columns=list(ROBUSTNESS_COLUMNS))
    for check in CHECKS:
        out[check] = pd.array([None if pd.isna(v) else bool(v) for v in out[check]],
                              dtype="boolean")
    out["passed"] = out[list(CHECKS)].sum(axis=1).astype(int)
    out["checked"] = out[list(CHECKS)].notna().sum(axis=1).astype(int)
    out.attrs.update(freq=freq, other_freq=coarser, a=a, b=b, both=both, other_both=swapped,
                     not_news=int((kinds != "news").sum()), **options)
    return out


def _row(table: pd.DataFrame | None, where: dict[str, str]) -> pd.Series | None:
    """The first row of ``table`` matching ``where``, or None (no table, or no such row)."""
    if table is None or table.empty:
        return None
    match = np.ones(len(table), dtype=bool)
    for key, value in where.items():
        match &= (table[key] == value).to_numpy()
    return table[match].iloc[0] if match.any() else None


def _looked_up(table: pd.DataFrame | None, where: dict[str, str], column: str) -> bool | None:
    """``column`` of the row of ``table`` matching ``where``, or None without one (or where the
    value is missing: not checked)."""
    row = _row(table, where)
    return None if row is None or pd.isna(row[column]) else bool(row[column])


def _outlet_verdict(table: pd.DataFrame | None, where: dict[str, str], column: str
                    ) -> bool | None:
    """An outlet trend check's verdict: ``column`` of the row matching ``where``; False (not
    passed, and named undecided by the caller) when the check could not be made; None without
    a row (not asked)."""
    if _not_made(table, where, column):
        return False
    return _looked_up(table, where, column)


def _not_made(table: pd.DataFrame | None, where: dict[str, str], point: str) -> bool:
    """Whether a check was asked but could not be made: the row of its table matching
    ``where`` exists but ``point`` is missing. For a corrected table
    (``accuracy.corrected_difference``, ``corrected_trends``) the error rates were too
    uncertain, or missing, to correct with; for an outlet check there were too few
    outlets, or no interval could be estimated."""
    row = _row(table, where)
    return row is not None and point in row.index and bool(pd.isna(row[point]))


def _agrees(row: pd.Series, column: str, value: float, alpha: float) -> bool:
    """The same sign as ``value``, with p < ``alpha`` before the adjustment over topics: the
    finding was already chosen with that adjustment, and the check re-tests this one finding
    under another specification (adjusting again would fail a finding for lost power alone,
    e.g. a trend refitted on half as many periods)."""
    return bool(row["p_value"] < alpha) and bool(np.sign(row[column]) == np.sign(value))


def robustness_view(table: pd.DataFrame, *, lang: str = "ko") -> pd.DataFrame:
    """``robustness`` for reading: a line per finding (what it is, with its number and 95%
    interval: a difference in points, a trend by its fitted shares at the first and last
    period and its odds ratio a year), a verdict (every check it was asked passes, or how many
    fail and how many cannot tell), passed / checked, then each check: ✓ passed, ✗ failed,
    ? asked but could not be made (``undecided``), – not asked or not checked.
    Findings that pass every check come first, then by the share of checks passed; a check
    asked of no finding (– throughout: a corpus without editorials has no news-only check)
    is left out."""
    ko = lang == "ko"
    level = f"{1 - table.attrs.get('alpha', 0.05):.0%}"
    lines = []
    for _, row in table.iterrows():
        topic = topic_label(row["topic"], lang=lang)
        if row["kind"] == "difference":
            a, b = row["region"].split("-", 1)
            pair = f"{region_label(a, lang=lang)} − {region_label(b, lang=lang)} {topic}"
            what = (f"{pair} "
                    f"{tt.points_ci(row['estimate'], row['ci_low'], row['ci_high'], level=level)}"
                    if ko else
                    f"{pair} {row['estimate'] * 100:+.0f} points [{row['ci_low'] * 100:+.0f}, "
                    f"{row['ci_high'] * 100:+.0f}]")
        else:
            odds, low, high = (math.exp(row[c]) for c in ("estimate", "ci_low", "ci_high"))
            word = ("증가" if ko else "rising") if odds > 1 else ("감소" if ko else "falling")
            shares = (f"{row['share_start'] * 100:.0f}% → {row['share_end'] * 100:.0f}%, "
                      if pd.notna(row.get("share_start")) else "")
            odds_said = (f"연간 오즈비 {odds:.2f}, "
                         f"{tt.ci_text(f'{low:.2f}', f'{high:.2f}', level=level)}"
                         if ko else f"odds x{odds:.2f} a year [{low:.2f}, {high:.2f}]")
            what = f"{region_label(row['region'], lang=lang)} {topic} {word} ({shares}{odds_said})"
        given = row.get("undecided")
        unsure = set(filter(None, str(given).split(","))) if isinstance(given, str) else set()
        marks = {CHECK_NAMES[c][0 if ko else 1]: ("–" if pd.isna(row[c]) else
                                                  "?" if c in unsure else
                                                  "✓" if row[c] else "✗") for c in CHECKS}
        open_ = len(unsure & {c for c in CHECKS if pd.notna(row[c]) and not row[c]})
        failed = int(row["checked"]) - int(row["passed"]) - open_
        lines.append({("발견" if ko else "finding"): what, **marks,
                      ("통과" if ko else "passed"): f"{row['passed']}/{row['checked']}",
                      ("판정" if ko else "verdict"): _verdict(int(row["checked"]), failed, open_,
                                                             ko=ko),
                      "_holds": failed == 0 and open_ == 0 and row["checked"] > 0,
                      "_share": row["passed"] / max(int(row["checked"]), 1)})
    asked = [CHECK_NAMES[c][0 if ko else 1] for c in CHECKS
             if len(table) == 0 or table[c].notna().any()]
    # The verdict and the count right after the finding: in a narrow window the checks scroll
    # sideways, and what a reader needs first stays in view.
    columns = [("발견" if ko else "finding"), ("판정" if ko else "verdict"),
               ("통과" if ko else "passed"), *asked]
    view = pd.DataFrame(lines, columns=[*columns, "_holds", "_share"])
    view = view.sort_values(["_holds", "_share"], ascending=False, kind="stable")
    return view[columns].reset_index(drop=True)


def _verdict(checked: int, failed: int, undecided: int, *, ko: bool) -> str:
    """A finding's verdict: every check it was asked passes, or how many fail and how many
    could not be made."""
    if not checked:
        return "점검 없음" if ko else "not checked"
    if not failed and not undecided:
        return "모든 점검 통과" if ko else "passes every check"
    said_ko = [f"점검 {failed}개 실패" if failed else "",
               f"{'' if failed else '점검 '}{undecided}개 판단 불가" if undecided else ""]
    said_en = [f"fails {failed} check{'s' * (failed > 1)}" if failed else "",
               f"{undecided} cannot tell" if undecided else ""]
    return ", ".join(filter(None, said_ko if ko else said_en))


def export_checks(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``robustness``'s table to a CSV for spreadsheets (``topic_trends.write_csv``): one
    row per finding, its estimate and interval, each check True, False or empty (not asked),
    ``passed`` and ``checked``. Returns the path."""
    return tt.write_csv(table, path)
