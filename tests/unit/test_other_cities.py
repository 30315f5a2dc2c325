"""Another city pair, or three cities, is a regions file and a rerun: no code names a city.

The corpus here is synthetic (invented one-line stories); the regions files are written by the
test. Every table and chart of the notebooks must follow the file: a Busan panel appears, and a
city the file does not list leaves no empty panel behind.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.analysis import overview, topic_trends, trends
from lib.corpus.schema import to_frame
from lib.present import plots, topic_plots
from lib.tagging import tag_articles
from lib.vocabulary import get_vocabulary

CITY_TABLES = {
    "sejong": '''[cities.sejong]
label = "세종"
label_en = "Sejong"
color = "#0072B2"
names = ["세종특별자치시", "세종시"]
places = ["조치원", "보람동"]
datelines = ["세종"]
''',
    "daejeon": '''[cities.daejeon]
label = "대전"
label_en = "Daejeon"
color = "#D55E00"
names = ["대전광역시", "대전시"]
places = ["유성구", "둔산동"]
datelines = ["대전"]
''',
    "busan": '''[cities.busan]
label = "부산"
label_en = "Busan"
color = "#CC79A7"
names = ["부산광역시", "부산시"]
places = ["해운대구", "에코델타시티"]
datelines = ["부산"]
''',
}

#: Synthetic stories: (city named in them, smart-city or not, month).
STORIES = {
    "sejong": "세종시가 조치원 일대에 스마트시티 자율주행 셔틀과 데이터 플랫폼을 도입한다고 밝혔다. 시민 참여 리빙랩도 연다.",
    "daejeon": "대전시가 유성구에 스마트시티 데이터 플랫폼과 AI 교통신호를 구축한다고 밝혔다. 시민 안전이 목표다.",
    "busan": "부산시가 에코델타시티에 스마트시티 자율주행 버스와 디지털트윈 플랫폼을 도입한다고 밝혔다. 시민 체험도 연다.",
}


def _regions_file(tmp_path: Path, cities: list[str], compare: list[str]) -> Path:
    text = "\n".join(
        [
            'version = "test"',
            f"compare = {compare!r}".replace("'", '"'),
            "[scoring]",
            "min_points = 2.0",
            *(CITY_TABLES[c] for c in cities),
        ]
    )
    path = tmp_path / "regions.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _corpus(cities: list[str]) -> pd.DataFrame:
    rows = []
    for c_i, city in enumerate(cities):
        for i in range(12):
            smart = i % 3 != 0
            body = STORIES[city] if smart else STORIES[city].split("에 ")[0] + "의 봄꽃 축제가 열렸다."
            rows.append(
                {
                    "article_id": f"{city}-{i}",
                    "outlet": "합성일보",
                    "title": f"[합성] {STORIES[city][:6]} 소식 {i}",
                    "body": body,
                    "published": f"2024-{1 + (i + c_i) % 6:02d}-15",
                }
            )
    return to_frame(rows)


@pytest.fixture
def three_cities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    file = _regions_file(tmp_path, ["sejong", "daejeon", "busan"], ["sejong", "daejeon"])
    monkeypatch.setenv(paths.REGIONS_ENV, str(file))
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    return tag_articles(_corpus(["sejong", "daejeon", "busan"])).articles


def test_the_vocabulary_follows_the_regions_file(three_cities: pd.DataFrame) -> None:
    vocabulary = get_vocabulary()
    assert vocabulary.city_keys == ("sejong", "daejeon", "busan")
    assert vocabulary.region_label("busan") == "부산"
    assert vocabulary.region_label("both") == "세종·대전·부산 동시 언급 기사"


def test_three_cities_through_every_table(three_cities: pd.DataFrame) -> None:
    tagged = three_cities
    by_city = tagged.groupby("region").size()
    assert by_city.get("busan", 0) == 12 and by_city.get("sejong", 0) == 12
    n_smart = int(tagged.loc[tagged["region"] == "busan", "smart_city"].sum())
    assert n_smart >= 8

    counts = trends.count_articles(tagged, freq="MS")
    assert set(counts["region"]) >= {"sejong", "daejeon", "busan"}
    assert counts.groupby("region")["n_articles"].sum()["busan"] == 12
    shares = trends.smart_city_share(tagged, freq="QS", min_n=1)
    busan = shares[shares["region"] == "busan"]
    assert busan["n_total"].sum() == 12 and busan["n_docs"].sum() == n_smart
    topics = trends.topic_counts(tagged)
    assert "busan" in set(topics["region"])
    shares3 = topic_trends.topic_shares(tagged, freq="QS", min_n=1, regions=["sejong", "daejeon", "busan"])
    assert set(shares3["region"]) == {"sejong", "daejeon", "busan"}
    first_topic = shares3["topic"].iloc[0]
    busan_rows = shares3[(shares3["region"] == "busan") & (shares3["topic"] == first_topic)]
    assert busan_rows["n_total"].sum() == n_smart
    table = overview.counts_table(tagged, freq="QS")
    assert "부산" in table.columns.get_level_values(0)
    assert "부산" in overview.share_table(shares, freq="QS").columns


def _panel_titles(fig) -> list[str]:
    return [ax.get_title() or ax.get_title(loc="left") for ax in fig.axes]


def test_three_cities_in_every_chart(three_cities: pd.DataFrame) -> None:
    tagged = three_cities
    shares = trends.smart_city_share(tagged, freq="QS", min_n=1)
    titles = _panel_titles(plots.plot_smart_city_share(shares))
    assert any(t.startswith("부산") for t in titles)
    legend = topic_plots.plot_topic_trends(
        topic_trends.topic_shares(tagged, freq="QS", min_n=1, regions=["sejong", "daejeon", "busan"])
    ).legends[0]
    assert [t.get_text() for t in legend.get_texts()][:3] == ["세종", "대전", "부산"]
    legend = plots.plot_article_counts(trends.count_articles(tagged)).axes[0].get_legend()
    assert any(t.get_text().startswith("부산") for t in legend.get_texts())


def test_sejong_busan_draws_busan_and_no_daejeon(tmp_path: Path, monkeypatch) -> None:
    file = _regions_file(tmp_path, ["sejong", "busan"], ["sejong", "busan"])
    monkeypatch.setenv(paths.REGIONS_ENV, str(file))
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    tagged = tag_articles(_corpus(["sejong", "busan"])).articles
    assert get_vocabulary().compare == ("sejong", "busan")
    shares = trends.smart_city_share(tagged, freq="QS", min_n=1)
    titles = _panel_titles(plots.plot_smart_city_share(shares))
    assert any(t.startswith("부산") for t in titles)
    assert not any("대전" in t for t in titles)
    shares2 = topic_trends.topic_shares(tagged, freq="QS", min_n=1)
    assert {"sejong", "busan"} <= set(shares2["region"]) and "daejeon" not in set(shares2["region"])
    legend = topic_plots.plot_topic_trends(shares2).legends[0]
    assert [t.get_text() for t in legend.get_texts()][:2] == ["세종", "부산"]
