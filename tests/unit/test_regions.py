"""Tests of lib.tagging.regions: signals, homographs, lists, ministry datelines, other cities."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import paths
from lib.corpus.schema import to_frame
from lib.tagging.regions import load_region_rules, tag_regions
from lib.vocabulary import get_vocabulary

HARD_CASES = paths.FIXTURES_DIR / "hard_cases.tsv"


def _one(**fields) -> pd.Series:
    fields.setdefault("article_id", "x")
    return tag_regions(to_frame([fields])).iloc[0]


def _hard_cases() -> pd.DataFrame:
    return pd.read_csv(HARD_CASES, sep="\t", dtype=str, keep_default_na=False)


def hard_case_articles(cases: pd.DataFrame) -> pd.DataFrame:
    """The fixture rows as canonical articles; rows with keywords are BigKinds-style leads."""
    return to_frame(
        {
            "article_id": r.case,
            "title": r.title,
            "body": r.body,
            "dateline": r.dateline,
            "region_bullet": r.region_bullet,
            "categories": r.categories,
            "keywords": r.keywords,
            "lead_only": bool(r.keywords),
        }
        for r in cases.itertuples()
    )


def test_hard_cases_fixture_is_broad():
    cases = _hard_cases()
    assert len(cases) >= 60
    assert cases["case"].is_unique
    assert set(cases["expected_region"]) == {"sejong", "daejeon", "both", "neither"}
    assert (cases["keywords"] != "").sum() >= 8
    assert (cases["dateline"] != "").sum() >= 8


def test_every_hard_case_region_is_right():
    cases = _hard_cases()
    got = tag_regions(hard_case_articles(cases))
    wrong = [
        (c, exp, reg, ev)
        for c, exp, reg, ev in zip(
            cases["case"], cases["expected_region"], got["region"], got["region_evidence"]
        )
        if exp != reg
    ]
    assert not wrong, "\n".join(map(str, wrong))


def test_dateline_decides_for_a_local_story():
    row = _one(title="시, 워크숍 개최", body="세종시는 23일 워크숍을 열었다.", dateline="세종")
    assert row.region == "sejong"
    assert row.region_evidence.startswith("sejong: dateline:세종")


def test_ministry_dateline_alone_is_not_sejong():
    row = _one(
        title="정부, 물가 대책 발표",
        body="기획재정부는 정부세종청사에서 물가 대책을 발표했다. 전국 물가가 올랐다.",
        dateline="세종",
    )
    assert row.region == "neither"
    assert "ignored" in row.region_evidence


def test_daejeon_dateline_alone_counts():
    row = _one(title="시, 주차장 확충", body="시는 주차장 두 곳을 새로 만든다.", dateline="대전")
    assert row.region == "daejeon"


def test_region_bullet_counts():
    assert (
        _one(title="교차로 개선", body="신호 체계를 바꾼다.", region_bullet="세종").region
        == "sejong"
    )


def test_homographs_are_not_the_city_in_prose_and_keywords():
    assert _one(title="세종대왕 동상 세척", body="세종대왕 동상을 닦았다.").region == "neither"
    assert (
        _one(title="연말 할인 대전", body="가전 할인 대전이 열렸다. 쇼핑 대전 특가.").region
        == "neither"
    )
    kw = _one(title="한글날", body="", keywords="한글날,세종,대왕,동상,할인,대전", lead_only=True)
    assert kw.region == "neither"


def test_homograph_next_to_real_city_keeps_the_city():
    row = _one(
        title="세종시 할인 대전", body="세종시 상점가가 할인 대전을 연다. 세종시는 지원한다."
    )
    assert row.region == "sejong"


def test_glued_contest_sense_is_not_the_city():
    assert _one(title="왕중왕대전 개막", body="올해 왕중왕대전이 열렸다.").region == "neither"


def test_region_list_is_not_a_subject():
    row = _one(title="비 소식", body="서울·대전·세종·광주에 비가 온다.")
    assert row.region == "neither"
    assert "list:" in row.region_evidence


def test_both_needs_real_coverage_of_each():
    both = _one(
        title="대전·세종 상생 협약",
        body="대전시와 세종시는 협약을 맺었다. 대전시는 연구 인프라를, 세종시는 행정 기능을 "
        "공유한다. 대전 유성구와 세종 보람동을 잇는 버스도 만든다.",
    )
    assert both.region == "both"
    one_sided = _one(
        title="세종시, 버스 노선 개편",
        body="세종시는 버스 노선을 바꾼다. 세종시 관계자는 대전 방면 노선도 검토한다고 했다. "
        "세종시는 다음 달 시행한다.",
    )
    assert one_sided.region == "sejong"


def test_keyword_rows_subtract_the_title_from_keyword_counts():
    row = _one(
        title="대전 소식",
        body="짧은 리드..",
        keywords="대전,소식,유성구,대덕특구,대전시",
        lead_only=True,
    )
    assert row.region == "daejeon"
    assert "keywords:" in row.region_evidence


def test_passing_mention_in_a_long_keyword_list_is_not_a_subject():
    filler = [f"단어{i}" for i in range(198)]
    passing = _one(title="수출 기업 지원 확대", body="리드..", lead_only=True,
                   keywords=",".join(filler[:100] + ["대전"] + filler[100:]))
    assert passing.region == "neither"
    assert "passing:대전" in passing.region_evidence
    covered = _one(title="수출 기업 지원 확대", body="리드..", lead_only=True,
                   keywords=",".join(filler[:100] + ["대전", "유성구", "대전"] + filler[100:]))
    assert covered.region == "daejeon"


def test_a_home_outlet_names_its_own_city_once():
    """One 세종시 in a long keyword list is a passing mention from a national outlet, and the
    city's own story from one of its outlets (a bracketed note after the name is ignored)."""
    filler = [f"단어{i}" for i in range(198)]
    keywords = ",".join(filler[:100] + ["세종시"] + filler[100:])
    national = _one(title="시민 참여단 출범", body="리드..", lead_only=True, keywords=keywords,
                    outlet="전자신문")
    assert national.region == "neither"
    assert "passing:세종시" in national.region_evidence
    for outlet in ("중도일보", "세종포스트", "중도일보 (다음 게재)"):
        local = _one(title="시민 참여단 출범", body="리드..", lead_only=True, keywords=keywords,
                     outlet=outlet)
        assert local.region == "sejong", outlet
        assert "home_outlet:" + outlet.split(" (")[0] in local.region_evidence
    # Sejong's own outlets are not Daejeon's: one 대전시 there stays a passing mention.
    daejeon = ",".join(filler[:100] + ["대전시"] + filler[100:])
    assert _one(title="시민 참여단 출범", body="리드..", lead_only=True, keywords=daejeon,
                outlet="세종포스트").region == "neither"
    assert _one(title="시민 참여단 출범", body="리드..", lead_only=True, keywords=daejeon,
                outlet="중도일보").region == "daejeon"


def test_category_alone_is_weak():
    row = _one(title="전국 소식", body="내용", categories="사회>지역|지역>대전")
    assert row.region == "neither"
    assert "category:지역>대전" in row.region_evidence


def test_output_keeps_the_input_index():
    arts = to_frame(
        [
            {"article_id": "a", "title": "세종시 소식", "body": "세종시는 발표했다."},
            {"article_id": "b", "title": "대전시 소식", "body": "대전시는 발표했다."},
        ]
    )
    arts.index = pd.Index([10, 3])
    out = tag_regions(arts)
    assert list(out.index) == [10, 3]
    assert list(out.columns) == ["region", "region_evidence"]
    assert list(out["region"]) == ["sejong", "daejeon"]


THIRD_CITY = """
version = "test"
list_regions = ["서울", "부산", "대구", "세종", "울산", "경남"]

[scoring]
min_points = 2.0

[cities.sejong]
label = "세종"
names = ["세종시", "세종"]
places = ["보람동"]
datelines = ["세종"]
dateline_needs_mention = true
homographs = ["세종 대왕"]

[cities.busan]
label = "부산"
names = ["부산광역시", "부산시", "부산"]
places = ["해운대구", "에코델타시티", "강서구 명지동"]
datelines = ["부산"]
homographs = ["부산 행 열차"]

[cities.gwangju]
label = "광주"
names = ["광주광역시", "광주시", "광주"]
places = ["광산구"]
datelines = ["광주"]
"""


def test_another_pair_of_cities_comes_from_the_data_file(tmp_path):
    file = tmp_path / "regions.toml"
    file.write_text(THIRD_CITY, encoding="utf-8")
    arts = to_frame(
        [
            {
                "article_id": "1",
                "title": "부산 에코델타시티 착공",
                "body": "부산시는 에코델타시티를 짓는다.",
            },
            {
                "article_id": "2",
                "title": "세종시 보람동 소식",
                "body": "세종시는 보람동에 공원을 짓는다.",
            },
            {
                "article_id": "3",
                "title": "시, 공원 개장",
                "body": "시는 공원을 열었다.",
                "dateline": "광주",
            },
            {
                "article_id": "4",
                "title": "대전시 소식",
                "body": "대전시는 발표했다. 대전시 관계자.",
            },
            {
                "article_id": "5",
                "title": "부산·세종 협력",
                "body": "부산시와 세종시는 협력한다. "
                "부산시는 해운대구에서, 세종시는 보람동에서 실증한다.",
            },
        ]
    )
    out = tag_regions(arts, regions_file=file)
    assert list(out["region"]) == ["busan", "sejong", "gwangju", "neither", "both"]


def test_edited_regions_file_is_picked_up(tmp_path, monkeypatch):
    res = tmp_path / "resources"
    res.mkdir()
    (res / "regions.toml").write_text(THIRD_CITY, encoding="utf-8")
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    arts = to_frame(
        [{"article_id": "1", "title": "광산구 소식", "body": "광산구가 발표했다. 광산구 주민."}]
    )
    assert tag_regions(arts)["region"].iloc[0] == "gwangju"
    (res / "regions.toml").write_text(THIRD_CITY.replace('"광산구"', '"북구청"'), encoding="utf-8")
    assert tag_regions(arts)["region"].iloc[0] == "neither"


def test_bad_regions_file_names_the_problem(tmp_path, monkeypatch):
    file = tmp_path / "regions.toml"
    file.write_text('version = "x"\n[cities.both]\nnames = ["양쪽"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="reserved"):
        load_region_rules(file)
    # A typo, and a file saved in CP949, name the file and where TOML stopped.
    file.write_text('version = "x"\n[cities.busan\nnames = ["부산"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"regions\.toml: not valid TOML: .*line 2"):
        load_region_rules(file)
    file.write_bytes('version = "x"\n[cities.busan]\nnames = ["부산"]\n'.encode("cp949"))
    with pytest.raises(ValueError, match=r"regions\.toml: not UTF-8 text"):
        load_region_rules(file)
    monkeypatch.setenv("REGIONS_FILE", str(file))
    with pytest.raises(ValueError, match=r"regions\.toml: not UTF-8 text"):
        get_vocabulary()


def test_administrative_name_once_makes_a_subject_a_bare_name_does_not():
    filler = ",".join(f"단어{i}" for i in range(60))
    admin = _one(title="", body="리드..", lead_only=True, keywords=f"대전시,{filler}")
    assert admin.region == "daejeon"
    assert "admin_name:대전시×1" in admin.region_evidence
    bare = _one(title="", body="리드..", lead_only=True, keywords=f"대전,{filler}")
    assert bare.region == "neither"
    # Inside a list of regions it is still a list mention, not the city's government.
    listed = _one(title="비 소식", body="서울시·대전시·세종시·광주시에 비가 온다.")
    assert listed.region == "neither"


def test_admin_names_must_be_among_the_names(tmp_path):
    file = tmp_path / "regions.toml"
    file.write_text('version = "x"\n[cities.a]\nnames = ["가시"]\nadmin_names = ["나시"]\n',
                    encoding="utf-8")
    with pytest.raises(ValueError, match="admin_names"):
        load_region_rules(file)


def test_a_district_story_naming_its_city_once_and_no_other_region_is_the_citys():
    filler = [f"단어{i}" for i in range(150)]
    story = _one(title="", body="리드..", lead_only=True,
                 keywords=",".join(["서구", "구청장"] + filler[:75] + ["대전"] + filler[75:]))
    assert story.region == "daejeon"
    assert "district:서구×1,구청장×1" in story.region_evidence
    # Another region named: the district may be Busan's or Incheon's.
    elsewhere = _one(title="", body="리드..", lead_only=True,
                     keywords=",".join(["서구", "부산"] + filler[:75] + ["대전"] + filler[75:]))
    assert elsewhere.region == "neither"
    # 서구 as the West (the next keyword makes it so), and 세계 … 대전 as 세계대전.
    west = _one(title="", body="리드..", lead_only=True,
                keywords=",".join(["서구", "진영"] + filler[:75] + ["대전"] + filler[75:]))
    assert west.region == "neither"
    war = _one(title="", body="리드..", lead_only=True,
               keywords=",".join(["서구", "세계"] + filler[:75] + ["대전"] + filler[75:]))
    assert war.region == "neither"
    # In prose: the city once, then its district office.
    prose = _one(title="경로당 새 단장", body="대전 동구는 경로당 세 곳을 새로 꾸몄다. 동구청장은 말했다.")
    assert prose.region == "daejeon"
    # Sejong has no district words: its passing mention stays passing.
    sejong = _one(title="", body="리드..", lead_only=True,
                  keywords=",".join(["서구", "구청장"] + filler[:75] + ["세종"] + filler[75:]))
    assert sejong.region == "neither"


def test_a_city_among_many_regions_is_not_the_subject_unless_named_often_or_in_the_headline():
    filler = [f"단어{i}" for i in range(100)]
    regions = ["서울", "부산", "인천", "광주", "충북"]
    round_up = _one(title="", body="리드..", lead_only=True,
                    keywords=",".join(regions + filler[:50] + ["세종", "세종"] + filler[50:]))
    assert round_up.region == "neither"
    assert "among_regions:세종×2 (not counted)" in round_up.region_evidence
    # Four other regions are not many yet.
    few = _one(title="", body="리드..", lead_only=True,
               keywords=",".join(regions[:4] + filler[:50] + ["세종", "세종"] + filler[50:]))
    assert few.region == "sejong"
    # Named four times, or in the headline, the city is still the subject.
    often = _one(title="", body="리드..", lead_only=True,
                 keywords=",".join(regions + filler[:50] + ["세종"] * 4 + filler[50:]))
    assert often.region == "sejong"
    headline = _one(title="세종 자율주행 버스", body="서울 부산 인천 광주 충북의 사례와 달리 세종시는 …")
    assert headline.region == "sejong"
    # The compared cities are not "other" regions: a story of both stays both.
    both = _one(title="", body="리드..", lead_only=True,
                keywords=",".join(["충남", "충북", "충청"] + filler[:50]
                                  + ["세종", "세종", "대전", "대전"] + filler[50:]))
    assert both.region == "both"


def test_an_everyday_noun_in_a_keyword_bag_does_not_make_the_city_a_homograph():
    filler = [f"단어{i}" for i in range(60)]
    # The parts of 세종대왕 anywhere in the bag: the bare 세종 may be the king.
    king = _one(title="", body="리드..", lead_only=True,
                keywords=",".join(["세종"] * 3 + filler[:30] + ["대왕"] + filler[30:]))
    assert king.region == "neither"
    assert "homograph:세종대왕" in king.region_evidence
    # A hospital or a university anywhere in the bag says nothing of 세종.
    for noun in ("병원", "대학"):
        city = _one(title="", body="리드..", lead_only=True,
                    keywords=",".join(["세종"] * 3 + filler[:30] + [noun] + filler[30:]))
        assert city.region == "sejong", noun
    # As neighbours, in an ordered keyword list or in prose, they still make the homograph.
    assert _one(title="", body="리드..", lead_only=True,
                keywords=",".join(filler[:30] + ["세종", "병원"] + filler[30:])).region == "neither"
    assert _one(title="세종병원 화재", body="세종병원에서 불이 났다.").region == "neither"
