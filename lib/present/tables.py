"""Tables in notebooks and reports: a sentence in place of a table with no rows.

A notebook cell that ends in a table shows only its header when the table is empty (a corpus
with no significant trend, no burst, no term typical of a city): ``table_or_note`` shows a
sentence saying why instead, in JupyterLab, in the saved notebook and in the HTML report.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd


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
