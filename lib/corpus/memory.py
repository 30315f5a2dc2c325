"""Hand freed memory back to the operating system between the big steps of a run.

Loading and tagging a corpus build and drop many small objects (cell values, matches, counts);
the C allocator and Arrow's memory pool keep the freed pages for reuse, so the resident size of
the process stays at its highest point even when the data kept is much smaller. Releasing them
after each file or block keeps the next step's working memory inside what was freed, which
lowers the peak of a whole run (about 40 MB at 100,000 BigKinds rows, ``make bench``).
"""

from __future__ import annotations

import ctypes
import functools

import pyarrow as pa


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl, Windows)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_free_memory() -> None:
    """Return the free pages of Arrow's memory pool and of the C heap to the system. Changes
    no data; a no-op where the C library cannot trim its heap."""
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
