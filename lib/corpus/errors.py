"""Errors raised while reading a corpus."""

from __future__ import annotations


class CorpusError(Exception):
    """A file (or path) that cannot be read as a corpus at all.

    The message names the file and says what was expected, e.g.
    ``data/raw/x.xlsx: not a BigKinds export (missing headers: 뉴스 식별자, 본문)``.
    """


class RecordError(ValueError):
    """One record (a page, a spreadsheet row) that cannot be used.

    The loader catches it and writes a row to ``rejects`` with ``str(error)`` as the reason,
    so the message must be one a person understands: ``no title``,
    ``unparseable date '2019-02-30'``, ``excluded by BigKinds: 중복``.
    """
