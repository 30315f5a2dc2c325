"""The sample's truth gives a story about a service of two themes both (lib.sample.stories)."""

from lib.sample.material import SHARED_MIN_MENTIONS, SHARED_SERVICES
from lib.sample.stories import shared_themes


def test_a_story_about_a_shared_service_carries_its_second_theme() -> None:
    term, second = next(iter(SHARED_SERVICES.items()))
    about = "\n".join([f"{term} 설치"] * SHARED_MIN_MENTIONS)
    assert second in shared_themes(("safety_operations",), about)
    # Named fewer times than the rule asks: in passing, no second theme.
    passing = "\n".join([f"{term} 설치"] * (SHARED_MIN_MENTIONS - 1))
    assert shared_themes(("safety_operations",), passing) == ("safety_operations",)


def test_no_topic_stays_none_and_five_is_the_limit() -> None:
    term = next(iter(SHARED_SERVICES))
    text = f"{term} {term} {term}"
    assert shared_themes((), text) == ()
    five = ("pilot_city", "data_ai", "challenge_livinglab", "safety_operations",
            "governance_budget")
    assert shared_themes(five, text) == five


def test_topics_come_back_in_taxonomy_order() -> None:
    term, second = next(iter(SHARED_SERVICES.items()))
    out = shared_themes(("safety_operations", "data_ai"), f"{term} {term}")
    assert set(out) == {"safety_operations", "data_ai", second}
    from lib.vocabulary import get_vocabulary
    order = get_vocabulary().topic_keys
    assert list(out) == sorted(out, key=order.index)
