"""Filling templates: ``{slot}`` values, Korean particles after them, and ``<a|b>`` rewordings."""

from __future__ import annotations

import random
import re

from lib.vocabulary import attach_particle as attach

# The templates write {slot|은} and get 은 or 는 after the slot's last sound (attach).
_SLOT = re.compile(r"\{(\w+)(?:\|(\w+))?\}")
_CHOICE = re.compile(r"<([^<>]*\|[^<>]*)>")


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
