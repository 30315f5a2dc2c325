"""Frames handed from a reading process to the one that assembles the corpus through files.

A process that reads a file for another one used to send it the file's articles pickled: the
assembling process then held every file's text in its own memory while the readers still ran,
each holding a file of its own, so the memory of a run on several cores added up (760-816 MiB
summed over the processes on the 100,000-row benchmark corpus, 5 BigKinds files on 2 cores;
513-536 MiB with this, the workers let go before the corpus is assembled and the fork server
ended after them).
Instead a reader writes each frame to an Arrow IPC file (uncompressed, so it can be mapped) and
sends its name; the assembling process maps the file, and its string columns point into the
map instead of being copied. Pages of a map are read only when the data is used, and a worker
that tags a slice of the file maps it too instead of receiving a pickled copy from the
assembling process. The files live in a temporary folder for the length of the run; the maps
keep their data readable after the folder is removed (POSIX).

A frame whose columns would not come back with the same pandas types is kept in memory and
sent as before (:func:`spill_frame` checks the round trip).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc


def spill_folder(stack: contextlib.ExitStack) -> Path | None:
    """A temporary folder for a run's Arrow files, removed when ``stack`` closes (the maps
    made from its files stay readable); None on systems other than POSIX, where a mapped file
    could not be removed: frames are then sent as before."""
    if os.name != "posix":
        return None
    return Path(stack.enter_context(
        tempfile.TemporaryDirectory(prefix="corpus-read-", ignore_cleanup_errors=True)))


def spill_frame(frame: pd.DataFrame, folder: Path) -> str | None:
    """Write ``frame`` (a default ``RangeIndex``) to an Arrow IPC file in ``folder``; its path,
    or None (nothing kept) when the frame cannot make the round trip with the same column
    types."""
    path = folder / f"{uuid.uuid4().hex}.arrow"
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        back = mapped_frame(str(path))
    except (pa.ArrowException, TypeError, ValueError):
        path.unlink(missing_ok=True)
        return None
    if list(back.columns) != list(frame.columns) or not back.dtypes.equals(frame.dtypes):
        path.unlink(missing_ok=True)
        return None
    return str(path)


def mapped_frame(
    path: str, columns: Sequence[str] | None = None, start: int = 0, stop: int | None = None
) -> pd.DataFrame:
    """The frame :func:`spill_frame` wrote to ``path``, its rows ``start:stop`` and only
    ``columns`` when given, read through a memory map (string columns are not copied); the
    index runs from 0."""
    table = ipc.open_file(pa.memory_map(path)).read_all()
    if columns is not None:
        table = table.select(list(columns))
    if start or stop is not None:
        table = table.slice(start, (table.num_rows if stop is None else stop) - start)
    return table.to_pandas()
