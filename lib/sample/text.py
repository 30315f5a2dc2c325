"""Filling templates: ``{slot}`` values, Korean particles after them, and ``<a|b>`` rewordings."""

from __future__ import annotations

import random
import re

# The templates write {slot|은} and get 은 or 는 after the slot's last sound.
_PARTICLES = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이라": ("이라", "라"),
}
# Latin letters read with a final consonant when spelled out (엘, 엠, 엔, 알) - "BRT" ends in 티.
_LATIN_FINAL = set("LMNR")
_SLOT = re.compile(r"\{(\w+)(?:\|(\w+))?\}")
_CHOICE = re.compile(r"<([^<>]*\|[^<>]*)>")


def _final_consonant(word: str) -> int | None:
    """Index of the final consonant (jongseong) of ``word``'s last sound; 0 when it ends in a vowel."""
    text = re.sub(r"\([^)]*\)$", "", word.strip()).rstrip("'\"’”")
    for ch in reversed(text):
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3:
            return (code - 0xAC00) % 28
        if ch.isdigit():
            # 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구
            return {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}.get(ch, 0)
        if ch.isalpha():
            return 8 if ch.upper() in _LATIN_FINAL else 0
    return None


def attach(word: str, particle: str) -> str:
    """``word`` followed by the right form of ``particle`` (은/는, 이/가, 을/를, 과/와, 으로/로)."""
    with_final, without = _PARTICLES[particle]
    final = _final_consonant(word)
    if particle in ("으로", "로"):
        # ㄹ-final words take 로 (서울로), like vowel-final ones.
        form = without if final in (0, 8, None) else with_final
    else:
        form = without if final in (0, None) else with_final
    return word + form


def fill(template: str, slots: dict[str, str]) -> str:
    """``template`` with its ``{slot}`` and ``{slot|particle}`` placeholders filled from ``slots``."""

    def repl(match: re.Match[str]) -> str:
        value = slots[match.group(1)]
        return attach(value, match.group(2)) if match.group(2) else value

    return _SLOT.sub(repl, template)


def vary(text: str, rng: random.Random) -> str:
    """``text`` with each ``<a|b|c>`` alternative resolved by ``rng`` (small rewordings)."""
    while True:
        m = _CHOICE.search(text)
        if m is None:
            return text
        text = text[: m.start()] + rng.choice(m.group(1).split("|")) + text[m.end() :]
