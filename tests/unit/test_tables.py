"""A sentence in place of an empty table (``lib.present.tables``)."""

from __future__ import annotations

import pandas as pd

from lib.present.tables import Note, table_or_note


def test_an_empty_table_becomes_its_note_and_a_full_one_stays():
    full = pd.DataFrame({"term": ["스마트시티"], "z": [3.2]})
    assert table_or_note(full, "no term") is full
    note = table_or_note(full.iloc[:0], "단어가 없습니다 <no term>")
    assert isinstance(note, Note) and repr(note) == "단어가 없습니다 <no term>"
    assert note._repr_html_() == '<p class="sc-note">단어가 없습니다 &lt;no term&gt;</p>'
