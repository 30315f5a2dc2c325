"""One date parser for every source: explicit formats, Excel serials, a plausible range.

Every loader (BigKinds 일자, page stamps, tidy tables' ``published``) turns what it read into a
``pandas.Timestamp`` here, so one rule decides what a date is:

* explicit formats only: ``2021-03-15``, ``2021.03.15``, ``2021/03/15``, ``2021년 3월 15일``,
  ``20210315``, the first two also with the weekday after them (``2021.03.15(월)``), each with
  an optional time (``10:30``, ``10:30:12``, ``T10:30:12+09:00``, ``오후 3:20``, ``14시30분``,
  ``오후 2시 30분``) and zone (``+09:00``, ``Z``, ``KST``, ``UTC``, ``GMT``), RFC 822
  (``Mon, 15 Mar 2021 10:30:00 +0900``, Naver's API) and epoch seconds
  or milliseconds (10 or 13 digits, scrapers' JSON); free-form words (``now``, ``today``,
  ``yesterday``) are not dates;
* a two-digit year only where a format says so: ``21/03/15`` could be 2021-03-15 or 2015-03-21,
  so it is refused with a reason naming the fix;
* Excel serial numbers (``44270`` is 2021-03-15; ``44270.4375`` adds 10:30) and real date cells;
* a plausible range: from 1990-01-01 (BigKinds' archive starts in 1990) to the day after the
  load day; anything else is refused, never clamped.

Times with a UTC offset are converted to Korean wall-clock time and made tz-naive (the schema's
convention). Every failure is a ``RecordError`` whose message the loader writes to ``rejects``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from email.utils import parsedate_to_datetime

import pandas as pd

from lib.corpus.errors import RecordError

#: The earliest plausible publication day (BigKinds' archive starts in 1990).
EARLIEST = _dt.date(1990, 1, 1)

#: Excel's day zero for serial numbers (the 1900 date system with its leap-year quirk).
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)

_TIME = (
    r"(?:[ T]+(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s*)?(?P<h>\d{1,2})\s?[:시]\s?(?P<mi>\d{1,2})"
    r"(?:\s?[:분]\s?(?P<s>\d{2})(?:\.\d{1,9})?\s?초?|\s?분)?)?"
)
#: A zone after the time: an offset, or the name of Korean time or of UTC.
_ZONE = r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|KST|UTC|GMT)?"
#: The weekday Korean sites print after a date: ``2021.03.15(월)``.
_WEEKDAY = r"(?:\s?\([월화수목금토일]\))?"
_FORMATS = (
    # 2021-03-15, 2021.03.15, 2021/03/15 (a trailing dot as Korean sites print: 2021.03.15.)
    re.compile(
        rf"(?P<y>\d{{4}})\s?(?P<sep>[-./])\s?(?P<mo>\d{{1,2}})\s?(?P=sep)\s?(?P<d>\d{{1,2}})\.?"
        rf"{_WEEKDAY}{_TIME}{_ZONE}"
    ),
    re.compile(
        rf"(?P<y>\d{{4}})\s?년\s?(?P<mo>\d{{1,2}})\s?월\s?(?P<d>\d{{1,2}})\s?일?\.?"
        rf"{_WEEKDAY}{_TIME}{_ZONE}"
    ),
    # 20210315 and 20210315103012 (BigKinds' compact forms)
    re.compile(r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})(?:(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?"),
)
_TWO_DIGIT_YEAR = re.compile(r"\d{2}[-./]\d{1,2}[-./]\d{2}(?:\D.*)?|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}(?:\D.*)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EPOCH = re.compile(r"\d{10}|\d{13}")
_RFC822 = re.compile(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}.*")


def latest(today: _dt.date | None = None) -> _dt.date:
    """The last plausible publication day: the load day plus one (time zones run ahead)."""
    return (today or _dt.date.today()) + _dt.timedelta(days=1)


def check_range(stamp: pd.Timestamp, shown: str, *, today: _dt.date | None = None) -> pd.Timestamp:
    """Return ``stamp`` when its day lies in 1990-01-01 .. load day + 1, else RecordError."""
    last = latest(today)
    try:
        day = stamp.date()
    except (ValueError, OverflowError, NotImplementedError):
        day = None  # beyond the years Python's dates can hold
    if day is None or not EARLIEST <= day <= last:
        raise RecordError(
            f"date '{shown}' outside the plausible range {EARLIEST.isoformat()} .. {last.isoformat()}"
        )
    return stamp


def from_parts(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    second: int = 0,
    *,
    shown: str,
    today: _dt.date | None = None,
) -> pd.Timestamp:
    """A checked timestamp from numbers a format's groups gave; RecordError names ``shown``."""
    try:
        moment = _dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise RecordError(f"unparseable date '{shown}'") from None
    return check_range(pd.Timestamp(moment), shown, today=today)


def parse_date(value: object, *, today: _dt.date | None = None) -> pd.Timestamp | None:
    """A cell or string → a tz-naive Korean wall-clock ``Timestamp``; None when empty.

    Accepts ``datetime``/``date``/``Timestamp`` values (real spreadsheet date cells, Parquet
    timestamps), Excel serial numbers (int, float or their text) and the explicit text formats
    in this module's docstring. Raises RecordError for anything else and for dates outside
    1990-01-01 .. load day + 1.
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        stamp = pd.Timestamp(value) if not isinstance(value, pd.Timestamp) else value
        if stamp is pd.NaT:
            return None
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("Asia/Seoul").tz_localize(None)
        return check_range(stamp, str(value), today=today)
    if isinstance(value, _dt.date):
        return from_parts(value.year, value.month, value.day, shown=str(value), today=today)
    if isinstance(value, bool):
        raise RecordError(f"unparseable date '{value}'")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 10_000_000 <= value <= 99_999_999:
            return parse_date(str(int(value)), today=today)  # YYYYMMDD stored as a number
        if value >= 1e9:
            return _from_epoch(float(value), str(value), today=today)
        return _from_serial(float(value), str(value), today=today)
    text = str(value).strip()
    if not text or text.lower() in {"nan", "nat", "none"}:
        return None
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text), text, today=today)
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text), text, today=today)
    if _RFC822.fullmatch(text):
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            raise RecordError(f"unparseable date '{text}'") from None
        return parse_date(pd.Timestamp(moment), today=today)
    for pattern in _FORMATS:
        m = pattern.fullmatch(text)
        if m is not None:
            return _from_match(m, text, today=today)
    if _TWO_DIGIT_YEAR.fullmatch(text):
        raise RecordError(
            f"ambiguous date '{text}' (the year has two digits, or day and month may be swapped): "
            "write it as YYYY-MM-DD"
        )
    raise RecordError(f"unparseable date '{text}'")


def _from_serial(serial: float, shown: str, *, today: _dt.date | None) -> pd.Timestamp:
    if math.isnan(serial) or serial < 1 or serial > 2_958_465:  # Excel's last day is 9999-12-31
        raise RecordError(f"unparseable date '{shown}'")
    moment = _EXCEL_EPOCH + _dt.timedelta(days=serial)
    stamp = pd.Timestamp(moment).round("s")
    return check_range(stamp, f"{shown} (Excel serial for {stamp.date().isoformat()})", today=today)


def _from_epoch(value: float, shown: str, *, today: _dt.date | None) -> pd.Timestamp:
    """Epoch seconds (10 digits) or milliseconds (13 digits), UTC → Korean wall-clock time."""
    unit = "ms" if value > 1e11 else "s"
    try:
        stamp = pd.Timestamp(value, unit=unit, tz="UTC").tz_convert("Asia/Seoul").tz_localize(None)
    except (ValueError, OverflowError):
        raise RecordError(f"unparseable date '{shown}'") from None
    return check_range(stamp, shown, today=today)


def _from_match(m: re.Match[str], text: str, *, today: _dt.date | None) -> pd.Timestamp:
    g = m.groupdict()
    hour = int(g.get("h") or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm in ("오후", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "am") and hour == 12:
        hour = 0
    stamp = from_parts(
        int(g["y"]),
        int(g["mo"]),
        int(g["d"]),
        hour,
        int(g.get("mi") or 0),
        int(g.get("s") or 0),
        shown=text,
        today=today,
    )
    zone = g.get("tz")
    if zone and zone != "KST":  # Korean time is the schema's own
        offset = "+00:00" if zone in {"Z", "UTC", "GMT"} else zone
        stamp = stamp.tz_localize(_dt.timezone(_offset(offset))).tz_convert("Asia/Seoul").tz_localize(None)
        stamp = check_range(stamp, text, today=today)
    return stamp


def _offset(text: str) -> _dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
