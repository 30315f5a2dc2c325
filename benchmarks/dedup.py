"""Duplicate detection on a family of templated reports against as many distinct stories.

A family of templated reports (one daily air-quality story told with each day's numbers) is
the worst case of ``lib.corpus.dedup.find_duplicates``: every member is a near-duplicate
candidate of every other (their bodies share most shingles), and each pair must be judged a
template told of other facts, not one story. The script times ``find_duplicates`` on N
members of such a family and on N distinct synthetic stories of the bundled sample's
generator, for N = 500, 1,000 and 2,000, best of ``--repeat`` runs, and reports the ratios:
templated over distinct at each N, and each kind's time at 2,000 over its time at 1,000 (2
where time grows with N, 4 where it grows with its square). A third case puts N distinct
stories under one headline on one day (a column's fixed title: every pair is compared by its
text), for N = 200 and 400. All texts are SYNTHETIC.

    python benchmarks/dedup.py [--repeat 3]

Results: ``benchmarks/dedup_results.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import pandas as pd

from lib.corpus.dedup import find_duplicates
from lib.corpus.schema import to_frame

SIZES = (500, 1000, 2000)
ONE_TITLE_SIZES = (200, 400)
SEED = 20261206
_FIXED = ("시는 대기질 측정소 자료를 종합해 매일 발표하고 있으며, 시민들에게 외출 시 마스크 착용을 "
          "권고했다. 특히 노약자와 어린이는 장시간 실외 활동을 자제하고, 귀가 후에는 손과 얼굴을 "
          "깨끗이 씻어야 한다고 당부했다. 시 관계자는 앞으로도 대기질 정보를 신속하게 알리고 "
          "취약계층 보호 대책을 강화하겠다고 말했다. ") * 3


def templated(n: int, rng: random.Random) -> pd.DataFrame:
    """``n`` daily reports of one template, each with its own day and readings (synthetic)."""
    rows = []
    for day in range(n):
        body = (f"세종시는 {day + 1}일 오전 기준 관내 미세먼지 농도가 {rng.randint(10, 99)}㎍/㎥로 "
                f"'보통' 수준이라고 밝혔다. {_FIXED}오후에는 농도가 {rng.randint(10, 99)}㎍/㎥까지 "
                "오를 것으로 예상된다.")
        rows.append({"article_id": f"t{day}", "title": f"세종 대기질 ({day + 1})", "body": body,
                     "published": datetime(2020, 1, 1) + timedelta(days=day)})
    return to_frame(rows)


def distinct(n: int, rng: random.Random) -> pd.DataFrame:
    """``n`` distinct stories written by the sample generator (synthetic)."""
    from lib.sample.stories import write_story
    from lib.sample.trends import QUARTER_PLAN
    from lib.sample.writing import Writer

    writer = Writer(random.Random(rng.randrange(2**32)))
    plan = [(region, kind) for region, kind, _mean in QUARTER_PLAN]
    rows = []
    for number in range(1, n + 1):
        region, kind = rng.choice(plan)
        when = datetime(2020, 1, 1, 9) + timedelta(days=number)
        story = write_story(writer, number, when, region, kind)
        rows.append({"article_id": f"d{number}", "title": story.title,
                     "body": "\n".join(story.paragraphs), "published": story.published})
    return to_frame(rows)


def one_title(n: int, rng: random.Random) -> pd.DataFrame:
    """``n`` distinct stories printed under one headline on one day (synthetic)."""
    frame = distinct(n, rng)
    return frame.assign(title="오늘의 세종·대전 주요 일정", published=pd.Timestamp(2020, 5, 1, 9))


def best_time(frame: pd.DataFrame, repeat: int) -> tuple[float, int]:
    times, duplicates = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        out = find_duplicates(frame)
        times.append(time.perf_counter() - start)
        duplicates = int(out["is_duplicate"].sum())
    return min(times), duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(SEED)
    results: dict[str, object] = {
        "python": platform.python_version(), "when": datetime.now().isoformat(timespec="seconds"),
        "repeat": args.repeat, "sizes": {},
    }
    find_duplicates(templated(50, rng))  # imports (datasketch, scipy) before any timing
    for n in SIZES:
        kinds = {}
        for kind, make in (("templated", templated), ("distinct", distinct)):
            seconds, duplicates = best_time(make(n, rng), args.repeat)
            kinds[kind] = {"seconds": round(seconds, 3), "duplicates": duplicates}
        kinds["templated_over_distinct"] = round(
            kinds["templated"]["seconds"] / kinds["distinct"]["seconds"], 2)
        results["sizes"][str(n)] = kinds
        print(n, kinds, flush=True)
    sizes = results["sizes"]
    results["growth_2000_over_1000"] = {
        kind: round(sizes["2000"][kind]["seconds"] / sizes["1000"][kind]["seconds"], 2)
        for kind in ("templated", "distinct")
    }
    print("growth 2000/1000:", results["growth_2000_over_1000"])
    for n in ONE_TITLE_SIZES:
        seconds, duplicates = best_time(one_title(n, rng), args.repeat)
        results.setdefault("one_title", {})[str(n)] = {"seconds": round(seconds, 3),
                                                       "duplicates": duplicates}
        print("one title", n, results["one_title"][str(n)], flush=True)
    pair = results["one_title"]
    results["one_title_growth_400_over_200"] = round(pair["400"]["seconds"] / pair["200"]["seconds"], 2)
    (HERE / "dedup_results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")


if __name__ == "__main__":
    main()
