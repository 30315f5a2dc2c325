"""Errors raised while reading a corpus."""

from __future__ import annotations


class CorpusError(Exception):
    """A file (or path) that cannot be read as a corpus at all.

    The message names the file and says what was expected, e.g.
    ``data/raw/x.xlsx: not a BigKinds export (missing headers: 뉴스 식별자, 본문)``.
    """

    def _render_traceback_(self) -> list[str]:
        """What IPython shows for it (a notebook cell, JupyterLab): the message alone, since
        it names the file and what to do, without the loader's stack above it."""
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


class RecordError(ValueError):
    """One record (a page, a spreadsheet row) that cannot be used.

    The loader catches it and writes a row to ``rejects`` with ``str(error)`` as the reason,
    so the message must be one a person understands: ``no title``,
    ``unparseable date '2019-02-30'``, ``excluded by BigKinds: 중복``.

    ``article_id`` and ``title`` say which story it was, when the record was read far enough
    to tell (:meth:`naming`); the loader lists them beside the reason. "" when unknown.
    """

    article_id: str = ""
    title: str = ""

    def naming(self, identity: tuple[str, str]) -> RecordError:
        """This error, naming its record by ``(article_id, title)``
        (``lib.corpus.schema.reject_identity``)."""
        self.article_id, self.title = identity
        return self

    def __eq__(self, other: object) -> bool:
        """Two errors are equal when they reject the same record for the same reason (the
        two CSV readers' rejects of one file are compared so)."""
        if not isinstance(other, RecordError):
            return NotImplemented
        return ((type(self), self.args, self.article_id, self.title)
                == (type(other), other.args, other.article_id, other.title))

    def __hash__(self) -> int:
        return hash((type(self), self.args, self.article_id, self.title))


class WorkerStartError(RuntimeError):
    """Worker processes (loading or tagging on several cores) could not start or died."""


def worker_start_error(what: str) -> WorkerStartError:
    """The error for a process pool that broke while ``what`` (e.g. "loading files"): the usual
    cause is a script whose top level loads or tags without the ``__main__`` guard, which every
    spawned worker runs again."""
    return WorkerStartError(
        f"the worker processes {what} stopped before finishing. A script (not a notebook) that "
        "loads or tags large corpora on several cores must call it under "
        "`if __name__ == \"__main__\":`, since each worker imports the script again; or pass "
        "workers=1 to stay in one process.")
