"""Reading bytes as text: encoding detection, streaming decode, and text repair at the door.

Korean corpora arrive as UTF-8, UTF-8 with a BOM, or CP949 (EUC-KR's Windows superset, what Excel
writes when a Korean user saves "CSV"); sometimes as UTF-16 (Excel's "Unicode text"). Strict
decoding in that order is exact for real files, so it goes first; charset-normalizer decides only
when none decodes cleanly. A UTF-8 file with a few stray bytes stays UTF-8: the stray bytes become
U+FFFD and are counted in the manifest's note, instead of the whole file being refused or read as
CP949 garbage.

Korean text that a program once read as Latin-1 or cp1252 and saved again as UTF-8 (a scraper
meeting an EUC-KR page served without its charset, a spreadsheet import) is mojibake of CP949 or
UTF-8 bytes (``¼¼Á¾½Ã`` for 세종시). A file that is such mojibake throughout gets a codec of its
own (``mojibake-cp949``, ``mojibake-utf-8``: ``mangled_encoding``), so it is read in Korean
from the first byte on, whatever its format.

``repair_text`` is the one place where text found inside records is cleaned: lone surrogates
replaced, mojibake (UTF-8 or CP949 read as Latin-1/cp1252) repaired (UTF-8's with ftfy),
control characters stripped, then ``normalize_text`` (NFC, plain spaces, LF). It reports what it
changed so the loader can count the changes per file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import ftfy
import numpy as np
from charset_normalizer import from_bytes

from lib.corpus.errors import CorpusError
from lib.corpus.schema import normalize_text

# Bytes that never occur in text files: NUL and most C0 controls (tab, LF, CR, FF excluded).
_BINARY_BYTES = bytes(range(9)) + bytes([11]) + bytes(range(14, 27)) + bytes(range(28, 32))

#: How many undecodable bytes a UTF-8 file may hold and still be read as UTF-8 (per MiB, min 4).
STRAY_BYTES_PER_MIB = 4

_CHUNK = 1 << 20
_HEAD = 1 << 16


def readable_name(name: str) -> str:
    """A file or entry name as text: a name whose bytes are not UTF-8 (Python keeps them as
    surrogates; Korean Windows tools and ``unzip`` of their archives leave CP949 names) is read
    as CP949, else with the bytes it cannot read replaced; any other name is itself."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("cp949")
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="replace")
    return name


def looks_binary(data: bytes, *, sample: int = 8192) -> bool:
    """True when the first ``sample`` bytes hold NUL or several control bytes."""
    head = data[:sample]
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    return controls > max(2, len(head) // 200)


# --------------------------------------------------------------------------------------------
# Counting undecodable bytes while decoding
# --------------------------------------------------------------------------------------------

_COUNTS = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _COUNTS.n = getattr(_COUNTS, "n", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("corpus-count", _count_and_replace)


def replaced_bytes() -> int:
    """Bytes replaced with U+FFFD by ``corpus-count`` decoding in this thread since the reset."""
    return getattr(_COUNTS, "n", 0)


def reset_replaced_bytes() -> None:
    _COUNTS.n = 0


# --------------------------------------------------------------------------------------------
# Korean text read as Latin-1 or cp1252 and saved again: mojibake of CP949 or UTF-8
# --------------------------------------------------------------------------------------------

#: cp1252's characters for the bytes 0x80-0x9F it defines (its five others stay C1 controls,
#: as Latin-1 and Windows read them).
_CP1252_BYTES = {ch: b for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", "ignore"))}
_TO_LATIN1 = str.maketrans({ch: chr(b) for ch, b in _CP1252_BYTES.items()})
# A character a mis-read byte becomes.
_MANGLED = re.compile("[\u0080-\u00ff" + "".join(_CP1252_BYTES) + "]")
# Hangul syllables and compatibility letters; any letter or sign past ASCII.
_HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f\s]")

#: The encodings mojibake is undone to, in the order tried (UTF-8's bytes never read cleanly as
#: CP949, nor CP949's as UTF-8, so at most one fits).
MANGLED_FROM = ("utf-8", "cp949")
#: The name of the codec reading a UTF-8 file of mojibake of ``<encoding>``.
MOJIBAKE_CODEC = "mojibake-{}"


def _utf8_of_rest(exc: UnicodeError) -> tuple[bytes, int]:
    # Past Latin-1 and cp1252: a character an earlier partial repair made of two or three bytes
    # that also read as UTF-8 (ftfy turns ``Æ¼`` into ``Ƽ``), given back as those bytes.
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return exc.object[exc.start:exc.end].encode("utf-8", "replace"), exc.end


codecs.register_error("corpus-mangled-bytes", _utf8_of_rest)


def mangled_bytes(text: str) -> bytes:
    """The bytes that were read as ``text`` by Latin-1 or cp1252: each character back to its
    byte (a character of neither back to its UTF-8 bytes)."""
    return text.translate(_TO_LATIN1).encode("latin-1", "corpus-mangled-bytes")


#: Characters ``mangled_encoding`` looks at first: Korean text is known by them.
_GLANCE = 2048


def mangled_encoding(text: str, *, minimum: int = 8) -> str | None:
    """The encoding (``utf-8`` or ``cp949``) whose Korean text ``text`` is after being read as
    Latin-1 or cp1252, or None when it is no such mojibake (``_unmangled``)."""
    found = _unmangled(text, minimum=minimum)
    return found[0] if found else None


def _unmangled(text: str, *, minimum: int = 8) -> tuple[str, str] | None:
    """``(encoding, Korean text)`` when ``text`` is mojibake of ``encoding`` (``utf-8`` or
    ``cp949``) read as Latin-1 or cp1252, else None.

    It is when ``text`` holds at least ``minimum`` characters a mis-read byte becomes (and
    barely any Hangul: not one syllable for 20 of them), and its bytes read in that encoding
    give at least ``minimum // 2`` Hangul letters, most of the text's letters past ASCII, with
    at most one undecodable byte for 50 of them. Latin text (French, German, the middle dots
    and © of Korean pages) gives no Hangul; Chinese read the same way (GBK's bytes) gives Hanja
    and undecodable bytes more than Hangul.
    """
    for part in (text[:_GLANCE], text) if len(text) > _GLANCE else (text,):
        marks = len(_MANGLED.findall(part))
        if len(_HANGUL.findall(part)) * 20 > marks:
            return None  # Korean as it should read (the first glance settles most files)
    if marks < minimum:
        return None
    raw = mangled_bytes(text)
    known = text.count("\ufffd")
    for encoding in MANGLED_FROM:
        fixed = raw.decode(encoding, errors="replace")
        hangul = len(_HANGUL.findall(fixed))
        bad = fixed.count("\ufffd") - known
        letters = len(_BEYOND_ASCII.findall(fixed))
        if hangul >= minimum // 2 and bad * 50 <= hangul and hangul * 2 >= letters:
            return encoding, fixed
    return None


class _MojibakeDecoder(codecs.IncrementalDecoder):
    """UTF-8 (a BOM dropped) → the bytes Latin-1 or cp1252 read (``mangled_bytes``) → text in
    the encoding they were written in."""

    encoding = "cp949"

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self._outer = codecs.getincrementaldecoder("utf-8-sig")(errors)
        self._inner = codecs.getincrementaldecoder(self.encoding)(errors)

    def decode(self, input: bytes, final: bool = False) -> str:  # noqa: A002 (codecs' name)
        return self._inner.decode(mangled_bytes(self._outer.decode(input, final)), final)

    def reset(self) -> None:
        self._outer.reset()
        self._inner.reset()


def _mojibake_codec(name: str) -> codecs.CodecInfo | None:
    """The codec ``mojibake-<encoding>`` for each encoding of ``MANGLED_FROM`` (decoding only)."""
    for encoding in MANGLED_FROM:
        codec = MOJIBAKE_CODEC.format(encoding)
        if name == codec.replace("-", "_"):
            name = f"_Mojibake_{encoding.replace('-', '_')}"
            decoder = type(name, (_MojibakeDecoder,), {"encoding": encoding})

            def decode(data: bytes, errors: str = "strict", decoder=decoder) -> tuple[str, int]:
                return decoder(errors).decode(bytes(data), final=True), len(data)

            def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
                raise UnicodeError(f"{codec} is for reading only")

            return codecs.CodecInfo(encode, decode, incrementaldecoder=decoder, name=codec)
    return None


codecs.register(_mojibake_codec)


def _mojibake_of(head: bytes, encoding: str) -> str:
    """``encoding``, or the mojibake codec when the UTF-8 ``head`` is mojibake throughout."""
    found = mangled_encoding(head.decode("utf-8", errors="replace"))
    return MOJIBAKE_CODEC.format(found) if found else encoding


# --------------------------------------------------------------------------------------------
# Scanning a file: hash, head, encoding
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileScan:
    """What one streaming pass over a file tells: its hash, size, first bytes and text encoding.

    ``encoding`` is a Python codec name (``utf-8-sig``, ``utf-8``, ``cp949``, ``utf-16``, …) or
    "" for binary content; ``stray_bytes`` counts bytes that are not UTF-8 in a UTF-8 file.
    """

    sha256: str
    size: int
    head: bytes
    encoding: str
    stray_bytes: int = 0


def scan_file(path: Path) -> FileScan:
    """Read ``path`` once in 1 MiB chunks: sha256, size, the first 64 KiB, the text encoding.

    Raises OSError when the file cannot be read (the loader lists it as unreadable).
    """
    digest = hashlib.sha256()
    head = b""
    size = 0
    checker = _Utf8Check()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if size < _HEAD:
                head += chunk[: _HEAD - size]
            size += len(chunk)
            checker.feed(chunk, size)
    checker.feed(b"", size, final=True)
    # Past the limit the exact count does not matter: the file is not UTF-8 with stray bytes.
    stray = checker.stray if checker.possible else size
    return FileScan(digest.hexdigest(), size, head, _encoding(head, size, stray, path), stray)


_HIGH_BYTES = bytes(range(128, 256))


def _non_ascii_bytes(path: Path) -> int:
    """Bytes of ``path`` above 0x7F (read again: only files with stray bytes need the count)."""
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            count += len(chunk) - len(chunk.translate(None, _HIGH_BYTES))
    return count


def _complete_prefix(data: bytes) -> int:
    """Length of ``data`` without a UTF-8 sequence cut at its end (at most 3 bytes left out)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte >= 0xC0:  # a lead byte: its sequence is 2, 3 or 4 bytes long
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) if need <= back else len(data) - back
    return len(data)


def _valid_utf8(data: bytes) -> bool:
    """True when ``data`` is UTF-8 (checked by Arrow's validator: no text objects are made)."""
    if data.isascii():
        return True
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


class _Utf8Check:
    """Counts bytes that are not UTF-8: by validating (fast) until the first one, then by
    decoding with replacement; gives up once there are more than a UTF-8 file with stray bytes
    may hold."""

    def __init__(self) -> None:
        self.replacing = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.stray = 0
        self.possible = True
        #: The bytes of a sequence cut at the end of the last chunk validated.
        self.tail = b""

    def feed(self, chunk: bytes, size: int, *, final: bool = False) -> None:
        if not self.possible:
            return
        if self.stray == 0:
            data = self.tail + chunk
            cut = len(data) if final else _complete_prefix(data)
            if _valid_utf8(data[:cut]):
                self.tail = data[cut:]
                return
            chunk, self.tail = data, b""
        text = self.replacing.decode(chunk, final)
        self.stray += text.count("\ufffd") - chunk.count(b"\xef\xbf\xbd")
        self.stray = max(self.stray, 1)
        self.possible = self.stray <= max(4, STRAY_BYTES_PER_MIB * (size >> 20))


def _encoding(head: bytes, size: int, stray: int, path: Path) -> str:
    allowed = max(4, STRAY_BYTES_PER_MIB * (size >> 20))
    evident = 0 < stray <= allowed and _non_ascii_bytes(path) - stray >= 20 * stray
    if head.startswith(b"\xef\xbb\xbf"):
        return _mojibake_of(head, "utf-8-sig") if stray == 0 or evident else "bad-bom"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in head[:8192]:
        return _utf16_without_bom(head)
    if looks_binary(head):
        return ""
    if stray == 0 or evident:  # evident: a few stray bytes in an evidently UTF-8 file
        return _mojibake_of(head, "utf-8")
    if _decodes(path, "cp949"):
        return "cp949"
    if stray <= allowed:
        return "utf-8"
    best = from_bytes(head).best()
    return best.encoding if best is not None else "undecodable"


def _utf16_without_bom(head: bytes) -> str:
    """UTF-16 text without a BOM shows NUL in every other byte of its ASCII characters."""
    sample = head[: len(head) // 2 * 2][:8192]
    for codec, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) > len(zeros) // 4:
            try:
                text = sample.decode(codec)
            except UnicodeDecodeError:
                continue
            if not any(ch in text for ch in "\x00\x01\x02\x03"):
                return codec
    return ""


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def check_decodable(scan: FileScan, source: str) -> None:
    """CorpusError naming ``source`` when a scanned file is binary or in no text encoding."""
    if scan.encoding == "":
        raise CorpusError(f"{source}: binary content, expected text (a news page, CSV or JSON lines)")
    if scan.encoding == "bad-bom":
        raise CorpusError(
            f"{source}: starts with a UTF-8 byte-order mark but is not UTF-8 ({scan.stray_bytes} invalid "
            "bytes); the file is damaged or mislabelled: save it again as UTF-8"
        )
    if scan.encoding == "undecodable":
        raise CorpusError(f"{source}: cannot decode as UTF-8 or CP949 (nor any other text encoding)")


#: Encodings (Python's names) that Korean text is read in: ``scan_file`` tries UTF-8 (with or
#: without BOM, or mojibake of it), UTF-16 and CP949 (EUC-KR's superset) itself; a text file in
#: any other was decoded by charset-normalizer's best guess, which is not Korean.
KOREAN_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp949",
                              "euc_kr", "johab"})
#: Plain names of charset-normalizer's usual guesses (Python's names), for messages.
_ENCODING_NAMES = {
    "cp932": "Japanese Shift-JIS (cp932)", "shift_jis": "Japanese Shift-JIS",
    "euc_jp": "Japanese EUC-JP", "gb2312": "Chinese GB2312", "gb18030": "Chinese GB18030",
    "gbk": "Chinese GBK", "big5": "Chinese Big5", "cp1252": "Western European cp1252",
    "iso8859-1": "Latin-1",
}


def foreign_encoding_note(encoding: str) -> str:
    """For a refusal's message: when a text file was read in ``encoding`` because it is not
    UTF-8, UTF-16 or CP949, a sentence that says so and what to do; "" otherwise (and for
    binary content, which has messages of its own)."""
    if not encoding or encoding.startswith(MOJIBAKE_CODEC.format("")):
        return ""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    if name in KOREAN_ENCODINGS:
        return ""
    shown = _ENCODING_NAMES.get(name, name)
    return (
        f"its text could not be read as UTF-8, UTF-16 or CP949/EUC-KR, the encodings tried for "
        f"Korean text (its bytes read best as {shown}); if it is a Korean article or table, "
        "save it again as UTF-8"
    )


def open_text(path: Path, encoding: str):
    """A text stream over ``path`` (universal newlines left to the caller: ``newline=''``).

    Undecodable bytes become U+FFFD and are counted (``replaced_bytes``).
    """
    reset_replaced_bytes()
    return path.open("r", encoding=encoding, errors="corpus-count", newline="")


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{source}: starts with a UTF-16 byte-order mark but is not UTF-16") from exc
    if looks_binary(data):
        codec = _utf16_without_bom(data[:_HEAD])
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
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


def read_data_file(path: str | Path) -> str:
    """The text of one of the project's data files (lexicon, aliases, stopwords, …) as an editor
    or spreadsheet program may have saved it after an edit: UTF-8 with or without BOM, CP949 or
    UTF-16, CRLF line ends, all read as LF. A file that is not text is a ``ValueError`` naming
    it (its name only: no machine path)."""
    path = Path(path)
    try:
        text, _ = decode_bytes(path.read_bytes(), source=path.name)
    except CorpusError as err:
        raise ValueError(str(err)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------------------------
# Repairing text inside records
# --------------------------------------------------------------------------------------------

_SURROGATES = re.compile("[\ud800-\udfff]")
# C0 controls except tab and line ends, DEL, C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
# Mojibake of UTF-8 always holds a Latin-1 letter standing for a lead byte (0xC2-0xF4).
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4]")

#: The characters ``repair_text`` acts on (surrogates, mojibake hints, controls), as the inside
#: of a regex character class.
REPAIR_CHARS = "\ud800-\udfff\u00c2-\u00f4\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f"
_NEEDS_REPAIR = re.compile(f"[{REPAIR_CHARS}]")

#: What ``repair_text`` may change, as counted in the manifest's note.
REPAIRS = ("lone surrogates replaced", "mojibake repaired", "control characters stripped",
           "CP949 mojibake repaired")

# Characters that print as nothing: fillers and blanks that are letters or symbols to Unicode.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")


def repair_text(value: str) -> tuple[str, tuple[str, ...]]:
    """Clean one text field: return ``(text, repairs made)`` with repairs named as in REPAIRS.

    Lone surrogates (from JSON escapes) become U+FFFD, mojibake is repaired (CP949's by
    reading its bytes back as CP949, UTF-8's with ``ftfy.fix_encoding``), control characters
    are removed, and the result is normalised with ``normalize_text``. The steps repeat until
    nothing changes (removing a control character can bring two halves of mojibake together), so
    applying it twice changes nothing.
    """
    if not _NEEDS_REPAIR.search(value):
        return normalize_text(value), ()
    made: list[str] = []
    text = value
    for _ in range(_MAX_ROUNDS):
        cleaned, kinds = _repair_once(text)
        if cleaned == text:
            break
        made.extend(kinds)
        text = cleaned
    return text, tuple(dict.fromkeys(made))


_MAX_ROUNDS = 6


def _repair_once(text: str) -> tuple[str, list[str]]:
    made: list[str] = []
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
        made.append(REPAIRS[0])
    # CP949's mojibake first: ftfy would take some of its byte pairs for UTF-8 (Æ¼ → Ƽ).
    found = _unmangled(text, minimum=4)
    if found and found[0] == "cp949":
        text = found[1]
        made.append(REPAIRS[3])
    if _MOJIBAKE_HINT.search(text):
        fixed = ftfy.fix_encoding(text)
        if fixed != text:
            text = fixed
            made.append(REPAIRS[1])
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
        made.append(REPAIRS[2])
    return normalize_text(text), made


def needs_repair(text: str) -> bool:
    """True when ``repair_text`` may change more than ``normalize_text`` does (a quick scan)."""
    return _NEEDS_REPAIR.search(text) is not None


def is_invisible(text: str) -> bool:
    """True when ``text`` has no character that prints: only spaces, format characters,
    controls and filler letters (U+3164 HANGUL FILLER, U+2800 BRAILLE BLANK, …)."""
    for ch in text:
        if ch in _INVISIBLE_LETTERS or ch.isspace():
            continue
        if unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Cn", "Co", "Cs"}:
            continue
        return False
    return True
