"""The tables behind ``notebooks/01_corpus_overview.ipynb``: what was loaded, and how much.

The notebook only calls these functions and displays what they return, so every number it
shows is computed (and tested) here. Tables meant for reading are plain DataFrames: their
notebook and HTML rendering escapes text, so a headline such as ``<script>…`` is shown, never
run. The one piece of HTML built here (``Notice``) escapes every value it interpolates.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lib import paths
from lib.analysis import topic_trends as tt
from lib.analysis import trends
from lib.corpus import Corpus
from lib.tagging.kinds import KINDS, article_kinds
from lib.vocabulary import NEITHER, get_vocabulary, region_label


@dataclass
class Notice:
    """A short boxed message for a notebook or report (warning or note).

    Renders as escaped HTML in notebooks and the HTML report, and as plain text elsewhere.
    """

    title: str
    lines: list[str] = field(default_factory=list)
    kind: str = "warning"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        colour, background = ("#D55E00", "#fff4e5") if self.kind == "warning" else (
            "#0072B2", "#eef5fb")
        # Inline style as well as the report's class, so JupyterLab shows the same box.
        return (
            f'<div class="sc-notice sc-notice-{html.escape(self.kind)}" role="note" '
            f'style="border-left: 4px solid {colour}; background: {background}; '
            f'padding: 0.6em 1em; margin: 0.5em 0;">'
            f"<strong>{html.escape(self.title)}</strong>"
            f"{'<ul>' + items + '</ul>' if items else ''}</div>"
        )

    def __str__(self) -> str:
        return "\n".join([f"[{self.kind}] {self.title}", *(f"  - {line}" for line in self.lines)])

    def __repr__(self) -> str:
        return str(self)


def load_summary(corpus: Corpus) -> pd.DataFrame:
    """One row per count (``what, n``): files, records read/loaded/rejected, duplicates,
    unique articles, lead-only bodies, undated articles."""
    counts = corpus.counts()
    articles = corpus.articles
    files = len(corpus.manifest)
    rows = [
        ("files", "파일", files),
        ("read", "읽은 레코드", counts["read"]),
        ("loaded", "불러온 기사", counts["loaded"]),
        ("rejected", "제외된 레코드 (사유는 아래 표)", counts["rejected"]),
        ("duplicates", "중복으로 표시된 기사", counts["duplicates"]),
        ("unique", "중복 제거 후 기사", counts["unique"]),
        ("lead_only", "본문이 앞부분(리드)뿐인 기사", int(articles["lead_only"].sum())),
        ("undated", "날짜 없는 기사", int(articles["published"].isna().sum())),
    ]
    return pd.DataFrame(rows, columns=["what", "설명", "n"])


def files_table(corpus: Corpus, *, notable_only: bool = False) -> pd.DataFrame:
    """The manifest per file, plus duplicates flagged among the file's articles.

    Columns: ``source_file, format, encoding, rows_read, rows_loaded, rows_rejected,
    n_duplicates, note``; file names are shown relative to the repository. With
    ``notable_only`` only files worth a look are kept: skipped files, files with rejected
    records or a note, and files holding more than one record (exports, tables) — a folder of
    hundreds of one-article pages then stays readable.
    """
    manifest = corpus.manifest.copy()
    dups = corpus.articles.groupby("source_file")["is_duplicate"].sum().astype("int64")
    manifest["n_duplicates"] = manifest["source_file"].map(dups).fillna(0).astype("int64")
    manifest["source_file"] = manifest["source_file"].map(_shown_path)
    if "note" not in manifest.columns:
        manifest["note"] = ""
    manifest["note"] = manifest["note"].fillna("").astype(str)
    if notable_only:
        keep = (
            (manifest["format"] == "skipped")
            | (manifest["rows_rejected"] > 0)
            | (manifest["note"] != "")
            | (manifest["rows_read"] > 1)
        )
        manifest = manifest[keep]
    cols = ["source_file", "format", "encoding", "rows_read", "rows_loaded", "rows_rejected",
            "n_duplicates", "note"]
    return manifest[cols].sort_values("source_file").reset_index(drop=True)


def files_by_folder(corpus: Corpus) -> pd.DataFrame:
    """Files summed per folder and format: ``folder, format, n_files, rows_read, rows_loaded,
    rows_rejected, n_duplicates``, with a total row last."""
    files = files_table(corpus)
    cols = ["folder", "format", "n_files", "rows_read", "rows_loaded", "rows_rejected",
            "n_duplicates"]
    if files.empty:
        return pd.DataFrame(columns=cols)
    files["folder"] = files["source_file"].map(lambda f: Path(f).parent.as_posix())
    out = (
        files.groupby(["folder", "format"])
        .agg(n_files=("source_file", "size"), rows_read=("rows_read", "sum"),
             rows_loaded=("rows_loaded", "sum"), rows_rejected=("rows_rejected", "sum"),
             n_duplicates=("n_duplicates", "sum"))
        .reset_index()
    )
    total = out[cols[2:]].sum()
    out.loc[len(out)] = ["(합계)", "", *total.tolist()]
    return out[cols]


def outlets_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles per outlet: ``outlet, n_articles, n_duplicates, n_unique, n_lead_only, first,
    last`` (dates as YYYY-MM-DD), largest first. An empty outlet shows as ``(언론사 없음)``."""
    cols = ["outlet", "n_articles", "n_duplicates", "n_unique", "n_lead_only", "first", "last"]
    if articles.empty:
        return pd.DataFrame(columns=cols)
    frame = articles.assign(
        outlet=articles["outlet"].replace("", "(언론사 없음)"),
        is_duplicate=articles["is_duplicate"].astype(bool),
        lead_only=articles["lead_only"].astype(bool),
    )
    out = frame.groupby("outlet").agg(
        n_articles=("article_id", "size"),
        n_duplicates=("is_duplicate", "sum"),
        n_lead_only=("lead_only", "sum"),
        first=("published", "min"),
        last=("published", "max"),
    )
    out["n_unique"] = out["n_articles"] - out["n_duplicates"]
    for col in ("first", "last"):
        out[col] = out[col].dt.strftime("%Y-%m-%d").fillna("")
    out = out.reset_index().sort_values(["n_articles", "outlet"], ascending=[False, True])
    return out[cols].reset_index(drop=True)


#: How many of a reject group's records ``reject_reasons`` lists before "…".
RECORDS_LISTED = 10


def reject_reasons(rejects: pd.DataFrame, *, limit: int = RECORDS_LISTED) -> pd.DataFrame:
    """Rejected records grouped by file and reason: ``source_file, reason, n_records,
    records``. ``records`` lists where in the file the group's records are (the loader's
    ``record`` labels, ``row 36, 41, 44``; ``item 3``; ``line 7``), in file order, the first
    ``limit`` of them and then ``…``, so a reader can find the rows."""
    cols = ["source_file", "reason", "n_records", "records"]
    if rejects.empty:
        return pd.DataFrame(columns=cols)
    labels = (rejects["record"] if "record" in rejects.columns
              else pd.Series("", index=rejects.index))
    out = (
        rejects.assign(source_file=rejects["source_file"].map(_shown_path),
                       record=labels.fillna("").astype(str))
        .groupby(["source_file", "reason"])["record"]
        .agg(n_records="size", records=lambda part: _record_list(part, limit=limit))
        .reset_index()
        .sort_values(["n_records", "source_file", "reason"], ascending=[False, True, True])
    )
    return out[cols].reset_index(drop=True)


def _record_list(labels: Iterable[str], *, limit: int) -> str:
    """The record labels ``row 36``, ``row 41`` … as ``row 36, 41, …``: in file order (by
    their first number), the word said once when all share it, ``…`` past ``limit``."""
    shown = sorted((label for label in labels if label), key=_record_order)
    if not shown:
        return ""
    words = {label.split(" ", 1)[0] for label in shown}
    if len(words) == 1 and all(" " in label for label in shown):
        text = f"{words.pop()} " + ", ".join(label.split(" ", 1)[1] for label in shown[:limit])
    else:
        text = ", ".join(shown[:limit])
    return text + (", …" if len(shown) > limit else "")


def _record_order(label: str) -> tuple[int, str]:
    number = re.search(r"\d+", label)
    return (int(number.group()) if number else -1, label)


def refused_notice(corpus: Corpus, *, limit: int = 10, files_per_reason: int = 6) -> Notice | None:
    """A warning listing the files refused as not a corpus (each with its reason), else None.

    The loader reads the rest of a folder when some files cannot be used; this puts the files
    it could not use at the top of the overview, so none goes unnoticed. Files refused for the
    same reason share one line (the reason, how many, the first ``files_per_reason`` of them);
    at most ``limit`` lines are shown.
    """
    refused = corpus.refused
    if refused.empty:
        return None
    by_reason: dict[str, list[str]] = {}
    for f, reason in zip(refused["source_file"], refused["reason"], strict=True):
        # the loader's reason may name the file already: `a.txt: not a corpus file: …`
        by_reason.setdefault(str(reason).removeprefix(f"{f}: "), []).append(_shown_path(f))
    lines = []
    for reason, files in by_reason.items():
        if len(files) == 1:
            lines.append(f"{files[0]}: {reason}")
            continue
        shown = ", ".join(files[:files_per_reason])
        more = len(files) - files_per_reason
        lines.append(f"{len(files):,}개 파일 — {reason}: {shown}" + (f" … 외 {more:,}개" if more > 0 else ""))
    if len(lines) > limit:
        lines = [*lines[:limit], f"… 외 {len(lines) - limit:,}가지 사유 (corpus.refused에 전체 목록)"]
    return Notice(
        title=f"읽지 못한 파일 {len(refused):,}개: 나머지 파일만 분석했습니다",
        lines=lines,
    )


def lead_only_notice(articles: pd.DataFrame) -> Notice | None:
    """A warning when some bodies are leads (BigKinds' ~200 characters, a search API's or a
    feed's summary) or missing (a feed that gives headlines only), else None.

    Says how many, why, and what that limits, so a reader does not mistake a lead-only corpus
    for full text.
    """
    if articles.empty:
        return None
    lead = articles["lead_only"].astype(bool)
    n_lead = int(lead.sum())
    if n_lead == 0:
        return None
    share = n_lead / len(articles)
    formats = articles["source_format"] if "source_format" in articles else pd.Series("", index=articles.index)
    bigkinds = lead & (formats == "bigkinds")
    empty = lead & (articles["body"].astype(str).str.strip() == "")
    n_bigkinds = int(bigkinds.sum())
    n_keywords = int((bigkinds & empty).sum())
    n_headline = int((empty & ~bigkinds).sum())
    why = []
    if n_bigkinds > n_keywords:
        why.append("BigKinds 내려받기는 본문을 200자 안팎으로 자릅니다")
    if n_keywords:
        why.append(f"{n_keywords:,}건은 본문 없이 제목과 키워드 목록뿐입니다"
                   "(본문을 빼고 내려받은 BigKinds)")
    if n_lead > n_bigkinds:
        why.append("검색 API 결과와 뉴스 피드는 요약만 담습니다")
    if n_headline:
        why.append(f"{n_headline:,}건은 제목뿐입니다(Google 뉴스 피드 등)")
    return Notice(
        title=f"본문이 앞부분(리드)뿐인 기사: {n_lead:,}건 / {len(articles):,}건 ({share:.0%}). " + "; ".join(why) + ".",
        lines=[
            "지역·주제 태그는 제목, 키워드(BigKinds 키워드)와 리드만 근거로 합니다: "
            "본문 뒤쪽에만 나오는 지역·주제는 놓칩니다.",
            "예시 기사의 문맥은 리드에서만 보여 줄 수 있습니다.",
            "단어 빈도, 특징어, 주제 모델과 급증 분석은 이 기사들의 키워드 목록(BigKinds)이나 "
            "제목과 리드만으로 셉니다. 문맥 속 단어(KWIC) 표의 '찾은 곳' 열은 리드에서 찾은 단어를 "
            "'리드'로, 키워드 목록에만 있는 단어를 '키워드만'(문맥 없음)으로 표시합니다.",
        ],
    )


def tag_notice(tagged: pd.DataFrame, notes: Sequence[str] = ()) -> Notice | None:
    """A note when tags are missing or say nothing (every article ``neither``/not smart-city)."""
    lines = list(notes)
    if len(tagged):
        if (tagged["region"] == NEITHER).all():
            lines.append("모든 기사의 지역이 '해당 없음'입니다: 세종·대전별 수치는 모두 0입니다.")
        if not tagged["smart_city"].any():
            lines.append("스마트시티로 태그된 기사가 없습니다: 비중은 0이고 주제 표는 비어 있습니다.")
    if not lines:
        return None
    return Notice(title="태그 확인 필요", lines=lines, kind="note")


def counts_table(tagged: pd.DataFrame, *, freq: str = "QS") -> pd.DataFrame:
    """Articles per period (rows) and region (columns), deduplicated and raw side by side.

    A display pivot of ``trends.count_articles`` with ``dedup=True`` and ``False``; columns
    are ``(region label, '중복 제거' | '전체')`` and the last row is the total.
    """
    dedup = trends.count_articles(tagged, freq=freq, dedup=True).assign(kind="중복 제거")
    raw = trends.count_articles(tagged, freq=freq, dedup=False).assign(kind="전체")
    both = pd.concat([dedup, raw], ignore_index=True)
    if both.empty:
        return pd.DataFrame()
    both["기간"] = trends.period_labels(both["period"], freq=freq)
    wide = both.pivot(index="기간", columns=["region", "kind"], values="n_articles")
    regions = _region_order(both["region"])
    order = [(r, kind) for r in regions for kind in ("중복 제거", "전체")]
    wide = wide.reindex(columns=pd.MultiIndex.from_tuples(order)).fillna(0)
    wide.columns = pd.MultiIndex.from_tuples([(region_label(r), k) for r, k in order])
    wide.loc["합계"] = wide.sum()
    wide.index.name = "기간"
    return wide.astype("int64")


#: Korean names of the kinds of piece (``lib.tagging.kinds.KINDS``) in ``kinds_table``.
KIND_NAMES = {"news": "보도 (news)", "opinion": "사설·칼럼 (opinion)", "photo": "사진 (photo)",
              "brief": "단신 (brief)"}


def kinds_table(tagged: pd.DataFrame) -> pd.DataFrame:
    """Deduplicated articles per kind of piece (rows: ``article_kinds``) and region (columns),
    with each region's smart-city ones beside them: ``(region label, '전체' | '스마트시티')``;
    the last row is the total. Editorials and columns count in every analysis like news; the
    glance table of notebook 02 asks whether a finding holds without them."""
    frame = trends.prepare_tagged(tagged, dedup=True, keep=("title", "section"))
    if frame.empty:
        return pd.DataFrame()
    frame["kind"] = article_kinds(frame).astype(str)
    regions = _region_order(frame["region"])
    columns = {}
    for region in regions:
        rows = frame[frame["region"] == region]
        for name, part in (("전체", rows), ("스마트시티", rows[rows["smart_city"]])):
            columns[(region_label(region), name)] = part["kind"].value_counts().reindex(
                list(KINDS), fill_value=0)
    wide = pd.DataFrame(columns)
    wide.index = [KIND_NAMES[k] for k in KINDS]
    wide.loc["합계"] = wide.sum()
    wide.index.name = "기사 종류"
    return wide.astype("int64")


def share_table(shares: pd.DataFrame, *, freq: str = "QS") -> pd.DataFrame:
    """Smart-city share per period (rows) and region (columns) as readable text.

    Each cell reads ``45% [28–62] n=19``; a bin under the minimum n reads ``n < 10 (n=7)``.
    """
    if shares.empty:
        return pd.DataFrame()
    min_n = shares.attrs.get("min_n", 10)

    def cell(row: pd.Series) -> str:
        if row["too_few"]:
            return f"n < {min_n} (n={row['n_total']})"
        return (f"{row['share']:.0%} [{row['ci_low'] * 100:.0f}–{row['ci_high'] * 100:.0f}] "
                f"{row['n_docs']}/{row['n_total']}")

    frame = shares.assign(
        기간=trends.period_labels(shares["period"], freq=freq),
        text=shares.apply(cell, axis=1),
    )
    regions = _region_order(frame["region"])
    wide = frame.pivot(index="기간", columns="region", values="text")
    wide = wide[[r for r in regions if r in wide.columns]]
    wide.columns = [region_label(r) for r in wide.columns]
    wide.columns.name = None
    return wide


def _region_order(values: Iterable[str]) -> list[str]:
    present = list(dict.fromkeys(values))
    return [r for r in get_vocabulary().region_order(present) if r in present]


def _shown_path(source_file: str) -> str:
    """A file name as readers see it: relative to the repository, never a machine path."""
    path = Path(source_file)
    if not path.is_absolute():
        return path.as_posix()
    return paths.display_path(path)


def coverage_findings(tagged: pd.DataFrame, *, freq: str = "YS", min_n: int = 10,
                      alpha: float = 0.05, corpus: Corpus | None = None) -> tt.Findings:
    """The answer of notebook 01 at a glance, for the compared cities (the vocabulary's pair):

    - each city's smart-city share of its articles over the whole span, with its Wilson
      interval (facts ``volume``);
    - whether that share rose or fell over the periods of ``freq`` (``tt.share_trend``: the
      fitted shares at the first and last period with ``min_n`` articles, the odds ratio a
      year with its interval,
      Benjamini–Hochberg over the two cities; facts ``share_trend``, ``value`` the slope in
      log-odds a year), or why it cannot be tested;
    - the difference of the two cities' shares (first minus second, Newcombe interval, score
      test; fact ``share_difference``), when both cities have at least ``min_n`` articles;
      else why they are not compared, with each city's n.

    Counts are deduplicated, articles about both cities kept apart, as in the charts. The first
    sentence gives the span and the period length. With the ``corpus`` they come from, a second
    says how many files the loader could not read (``corpus.refused``) and how many records it
    left out (``corpus.rejects``), when any, as notebook 02's findings (those the index page
    shows) do with ``tt.findings(..., corpus=corpus)``.
    """
    a, b = get_vocabulary().compare
    shares = trends.smart_city_share(tagged, freq=freq, min_n=min_n, alpha=alpha)
    whole = trends.smart_city_share(tagged, freq="all", min_n=1, alpha=alpha).set_index("region")
    fitted = tt.share_trend(shares[shares["region"].isin([a, b])], min_n=min_n,
                            alpha=alpha).set_index("region")
    level = f"{1 - alpha:.0%}"
    dated = pd.to_datetime(tagged["published"]).dropna() if "published" in tagged else []
    span_ko = span_en = ""
    if len(dated):
        first, last = dated.min().strftime("%Y-%m"), dated.max().strftime("%Y-%m")
        span_ko, span_en = f"기간 {first}~{last}; ", f"Span {first} to {last}; "
    ko: list[str] = [f"{span_ko}기간 단위: {tt.freq_name(freq)} (모든 기사를 세어 고름, "
                     f"기간별 최소 n = {min_n}; 02번 노트북의 주제 추세는 스마트시티 기사만 "
                     "세므로 기간 단위가 더 길 수 있습니다)."]
    en: list[str] = [f"{span_en}period: {tt.freq_name(freq, lang='en')} (chosen counting every "
                     f"article, minimum n per period {min_n}; notebook 02's topic trends count "
                     "smart-city articles only, so their period may be longer)."]
    facts: list[dict[str, object]] = []
    dropped = tt.dropped_sentences(corpus, where=("아래 1절의 파일 표와 제외 사유 표",
                                                  "section 1's tables of files and of rejected "
                                                  "records, below"))
    if dropped:
        ko.append(dropped[0])
        en.append(dropped[1])
    for city in (a, b):
        name_ko, name_en = region_label(city), region_label(city, lang="en")
        if city not in whole.index or whole.at[city, "n_total"] == 0:
            ko.append(f"{name_ko}: 이 도시로 태그된 기사가 없습니다.")
            en.append(f"{name_en}: no article was attributed to this city.")
            continue
        row = whole.loc[city]
        n_all, n_smart = int(row["n_total"]), int(row["n_docs"])
        facts.append({"kind": "volume", "region": city, "topic": "", "value": row["share"],
                      "ci_low": row["ci_low"], "ci_high": row["ci_high"], "n": n_all,
                      "p_adjusted": float("nan")})
        said_ko = f"{name_ko}: 전체 {n_all:,}건 중 스마트시티 기사 {n_smart:,}건 "
        said_en = f"{name_en}: {n_smart:,} of {n_all:,} articles are about smart-city work "
        if n_all < max(min_n, 1):  # as the charts: no share of a handful of articles
            said_ko += f"(n < {min_n}이라 비중은 내지 않습니다)"
            said_en += f"(n < {min_n}: no share given)"
        else:
            said_ko += (f"({tt.percent_text(row['share'])}, "
                        f"{tt.percent_ci(row['ci_low'], row['ci_high'], level=level)})")
            said_en += (f"({tt.percent_text(row['share'])}, {level} CI "
                        f"{tt.percent_text(row['ci_low'])}–{tt.percent_text(row['ci_high'])})")
        trend_ko, trend_en = _share_trend_words(fitted, city, freq, level=level)
        ko.append(f"{said_ko}; {trend_ko}.")
        en.append(f"{said_en}; {trend_en}.")
        if city in fitted.index and pd.notna(fitted.at[city, "slope"]):
            t = fitted.loc[city]
            facts.append({"kind": "share_trend", "region": city, "topic": "",
                          "value": t["slope"], "ci_low": t["ci_low"], "ci_high": t["ci_high"],
                          "n": int(t["n_total"]), "p_adjusted": t["p_adjusted"]})
    _left_out_sentences(ko, en, whole, a, b)
    n_a, n_b = (int(whole.at[c, "n_total"]) if c in whole.index else 0 for c in (a, b))
    if min(n_a, n_b) < max(min_n, 1):
        # As notebook 02 does: a test of a handful of articles says nothing, so none is made.
        ko.append(f"{region_label(a)}(n={n_a:,})·{region_label(b)}(n={n_b:,}) 중 한쪽의 기사가 "
                  f"{min_n}건 미만이어서 두 도시의 스마트시티 기사 비중을 비교하지 않았습니다.")
        en.append(f"{region_label(a, lang='en')} (n={n_a:,}) or {region_label(b, lang='en')} "
                  f"(n={n_b:,}) has fewer than {min_n} articles: the cities' smart-city shares "
                  "are not compared.")
    else:
        diff, low, high, p_value = tt.difference_test(
            int(whole.at[a, "n_docs"]), int(whole.at[a, "n_total"]), int(whole.at[b, "n_docs"]),
            int(whole.at[b, "n_total"]), alpha=alpha)
        facts.append({"kind": "share_difference", "region": f"{a}-{b}", "topic": "",
                      "value": diff, "ci_low": low, "ci_high": high,
                      "n": int(whole.at[a, "n_total"] + whole.at[b, "n_total"]),
                      "p_adjusted": p_value})
        gap = f"{diff * 100:+.0f}%p [{low * 100:+.0f}, {high * 100:+.0f}]"
        verdict_ko = "유의한 차이" if p_value < alpha else "유의한 차이 없음"
        verdict_en = "a significant difference" if p_value < alpha else "no significant difference"
        p_said = tt.p_text(p_value, adjusted=False)
        ko.append(f"스마트시티 기사 비중의 도시 차이 ({region_label(a)} − {region_label(b)}): "
                  f"{tt.points_ci(diff, low, high, level=level)}, {p_said} ({verdict_ko}).")
        en.append(f"Smart-city share, {region_label(a, lang='en')} minus "
                  f"{region_label(b, lang='en')}: {gap.replace('%p', ' points')}, {p_said} "
                  f"({verdict_en}).")
    return tt.Findings(ko=ko, en=en, facts=pd.DataFrame(facts, columns=list(tt.FACT_COLUMNS)),
                       freq=freq)


def _left_out_sentences(ko: list[str], en: list[str], whole: pd.DataFrame, a: str, b: str
                        ) -> None:
    """How many of the articles (and of the smart-city ones) count for neither compared city
    (tagged ``neither``, another city, or both cities, kept apart), in Korean and English, from
    a ``smart_city_share(freq="all")`` table indexed by region; nothing when none."""
    total, smart = int(whole["n_total"].sum()), int(whole["n_docs"].sum())
    others = whole.drop(index=[c for c in (a, b) if c in whole.index])
    n_out, k_out = int(others["n_total"].sum()), int(others["n_docs"].sum())
    if not total or not n_out:
        return
    n_neither = int(whole.at[NEITHER, "n_total"]) if NEITHER in whole.index else 0
    share = f"{n_out / total:.0%}"
    ko.append(f"어느 한 도시로 세지 않은 기사: {n_out:,}건 / {total:,}건 ({share}; "
              f"스마트시티 기사 {k_out:,}건 / {smart:,}건), 그중 '해당 없음' {n_neither:,}건. "
              "위 두 도시의 수치에는 들지 않습니다 (기사마다 지역 판정 근거는 region_evidence 열).")
    en.append(f"Articles counted for neither city alone: {n_out:,} of {total:,} ({share}; "
              f"smart-city {k_out:,} of {smart:,}), {n_neither:,} of them in no city "
              "('neither'). They are not in the two cities' figures above (each article's "
              "region_evidence says why).")


def _share_trend_words(fitted: pd.DataFrame, city: str, freq: str, *, level: str = "95%"
                       ) -> tuple[str, str]:
    """How a city's smart-city share moved over the periods, in Korean and English (``level``
    the interval's, ``95%``)."""
    name_ko, name_en = tt.freq_name(freq), tt.freq_name(freq, lang="en")
    if city not in fitted.index or pd.isna(fitted.at[city, "slope"]):
        note = fitted.at[city, "note"] if city in fitted.index else ""
        return (f"{name_ko}별 추세는 검정할 수 없습니다 ({tt.note_ko(note)})",
                f"its trend over the {name_en}s cannot be tested ({note})")
    t = fitted.loc[city]
    span = f"{tt.percent_text(t['share_start'])} → {tt.percent_text(t['share_end'])}"
    low, high = f"{math.exp(t['ci_low']):.2f}", f"{math.exp(t['ci_high']):.2f}"
    odds = (f"연간 오즈비 {t['odds_ratio']:.2f}, {tt.ci_text(low, high, level=level)}, "
            f"{tt.p_text(t['p_adjusted'])}")
    odds_en = (f"odds x{t['odds_ratio']:.2f} a year [{math.exp(t['ci_low']):.2f}, "
               f"{math.exp(t['ci_high']):.2f}], {tt.p_text(t['p_adjusted'], 'en')}")
    if t["direction"] == "none":
        return (f"{name_ko}별 비중에 유의한 추세는 없습니다 (적합값 {span}; {odds})",
                f"no significant trend in its {name_en}ly shares (fitted {span}; {odds_en})")
    word_ko, word_en = ("늘었습니다", "rose") if t["direction"] == "rising" else ("줄었습니다",
                                                                               "fell")
    return (f"비중은 {span}로 유의하게 {word_ko} ({name_ko}별 적합값; {odds})",
            f"its share {word_en} significantly, {span} (fitted over {name_en}s; {odds_en})")


#: The columns of :func:`export_left_out`'s two files.
REJECT_EXPORT_COLUMNS: tuple[str, ...] = ("source_file", "record", "article_id", "title", "reason")
DUPLICATE_EXPORT_COLUMNS: tuple[str, ...] = (
    "dup_group", "article_id", "kept", "kept_id", "source_file", "outlet", "published", "title",
)


def export_left_out(corpus: Corpus, rejects_path: str | Path, duplicates_path: str | Path
                    ) -> tuple[Path, Path]:
    """Write what the analyses leave out, so a reader can check it record by record:

    - ``rejects_path``: every rejected record (``source_file``, ``record``: its place in the
      file such as ``row 36``, ``article_id`` and ``title``: which story it is, "" when the
      record has none, ``reason``) and every refused file (``record`` ``(file)``, no id or
      title);
    - ``duplicates_path``: every article of a group of copies (``dup_group``), one row each,
      ``kept`` True for the copy the analyses count and ``kept_id`` its id, with file, outlet,
      date and title; sorted by group, the kept copy first.

    Both as :func:`lib.analysis.topic_trends.write_csv` writes (UTF-8 with a BOM). Returns the
    two paths."""
    refused = corpus.refused
    rejects = pd.concat(
        [corpus.rejects.reindex(columns=list(REJECT_EXPORT_COLUMNS), fill_value=""),
         pd.DataFrame({"source_file": refused["source_file"], "record": "(file)", "article_id": "",
                       "title": "", "reason": refused["reason"]})],
        ignore_index=True).reindex(columns=list(REJECT_EXPORT_COLUMNS))
    articles = corpus.articles
    grouped = articles[articles.groupby("dup_group")["article_id"].transform("size") > 1]
    grouped = grouped.assign(kept=~grouped["is_duplicate"].astype(bool))
    kept_ids = grouped[grouped["kept"]].groupby("dup_group")["article_id"].first()
    duplicates = (grouped.assign(kept_id=grouped["dup_group"].map(kept_ids).fillna(""))
                  .sort_values(["dup_group", "kept"], ascending=[True, False], kind="stable")
                  .reindex(columns=list(DUPLICATE_EXPORT_COLUMNS)))
    return tt.write_csv(rejects, rejects_path), tt.write_csv(duplicates, duplicates_path)
