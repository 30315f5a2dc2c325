"""Reading bytes as text: encoding detection and normalisation at the door.

Korean corpora arrive as UTF-8, UTF-8 with a BOM, or CP949 (EUC-KR's Windows superset, what Excel
writes when a Korean user saves "CSV"). Strict decoding in that order is exact for real files, so
it goes first; charset-normalizer decides only when none of the three decodes cleanly.
"""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from lib.corpus.errors import CorpusError
from lib.corpus.schema import normalize_text

# Bytes that never occur in text files: NUL and most C0 controls (tab, LF, CR, FF excluded).
_BINARY_BYTES = bytes(range(0, 9)) + bytes([11]) + bytes(range(14, 27)) + bytes(range(28, 32))


def looks_binary(data: bytes, *, sample: int = 8192) -> bool:
    """True when the first ``sample`` bytes hold NUL or several control bytes."""
    head = data[:sample]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    return controls > max(2, len(head) // 200)


def decode_bytes(data: bytes, *, source: str = "") -> tuple[str, str]:
    """Decode ``data`` and return ``(raw_text, encoding)``; raw text is not yet normalised.

    Raises CorpusError naming ``source`` for binary or undecodable content.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{source}: starts with a UTF-8 byte-order mark but is not UTF-8 "
                f"(invalid byte at position {exc.start + 3}); the file is damaged or mislabelled"
            ) from exc
    if looks_binary(data):
        raise CorpusError(f"{source}: binary content, expected text (a news page, CSV or JSON lines)")
    for encoding in ("utf-8", "cp949"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise CorpusError(f"{source}: cannot decode as UTF-8 or CP949 (nor any other text encoding)")
    return str(best), best.encoding


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a text file: return ``(normalised_text, encoding)``.

    Normalised = NFC, LF line ends, odd spaces (U+00A0, U+3000, ...) as plain spaces.
    """
    path = Path(path)
    raw, encoding = decode_bytes(path.read_bytes(), source=str(path))
    return normalize_text(raw), encoding
