"""Saved news pages (plain-text dumps of a web page) → article records.

A page dump holds the article and the site around it: headline, section bullets, time stamps,
reporter, photo file names and captions, the body, a byline, a copyright line and then the site's
chrome (ranking news, headline news, photo news ...). The chrome mentions Daejeon, AI and
smart-city words too, so the parser cuts the page at the first end marker (copyright line or
chrome heading) and nothing after it reaches that article's fields. What follows the end is
read again only when it opens with another article (pages saved one after another into one
file: a dated stamp within a few lines, then a copyright line): ``iter_articles`` gives each.

Outlets differ in layout. Their differences are data, in ``lib/resources/page_layouts.toml``:
one table per layout with the patterns that recognise it, its stamps, datelines, captions,
bylines and end markers, on top of a ``generic`` table that is the fallback and the base of
every layout. This module holds the one algorithm that reads any of them.

Public functions:

- ``looks_like_page(text)`` — content sniffing for the loader.
- ``detect_layout(text)`` — the name of the layout a page is read with.
- ``parse_page(text, source_file=...)`` — the article fields of one page.
- ``iter_articles(text, source_file=...)`` — the articles of a dump, one or (pages saved one
  after another into one file) several.
- ``load_layouts(path)`` — the compiled layout specs (cached).

Input text is expected already normalised by ``lib.corpus.schema.normalize_text`` (NFC, LF line
ends, odd spaces as plain spaces); parsing does not re-normalise.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from lib import paths
from lib.corpus.columns import load_domains, outlet_from_url
from lib.corpus.dates import from_parts
from lib.corpus.errors import RecordError
from lib.corpus.schema import reject_identity

LAYOUTS_FILE: Path = paths.RESOURCES_DIR / "page_layouts.toml"

#: The layout every other layout builds on and the one used when none is detected.
GENERIC = "generic"

#: Pattern lists: a layout's own patterns are tried first, then generic's.
_LIST_KEYS = (
    "detect",
    "pre_title",
    "drop",
    "stamps",
    "reporter",
    "byline",
    "byline_tail",
    "dateline",
    "caption",
    "photo_file",
    "end",
    "tail",
    "outlet_from",
    "url",
)
#: Settings: a layout's own value when given, else generic's.
_SCALAR_KEYS = ("outlet", "published", "bullet_fields", "caption_after_photo", "title_max_chars")
_BULLET_FIELDS = frozenset({"section", "region_bullet"})

#: The fields parse_page returns (all of them columns of lib.corpus.schema.ARTICLE_COLUMNS).
PAGE_FIELDS: tuple[str, ...] = (
    "outlet",
    "section",
    "region_bullet",
    "reporter",
    "email",
    "url",
    "published",
    "title",
    "subtitle",
    "body",
    "captions",
    "dateline",
)

_BULLET = re.compile(r"^[•◦▪‣∙●]\s*")
_CAPTION_MARK = re.compile(r"^[▲△]\s*")
# the date and time of a story copied to Daum, printed after the reporter's bare name
_DAUM_STAMP = re.compile(r"\d{4}\.\s\d{1,2}\.\s\d{1,2}\.\s\d{1,2}:\d{2}")
# a stamp's label that ends in 시간 (`승인시간`, `송고시간`) names the same kind as without it
_STAMP_TIME_WORD = re.compile(r"\s?시간$")
# What may surround stamps on a stamp line: separators and the words some sites print with them.
_STAMP_REST = re.compile(r"[\s|/·:,()\[\]]+|기사원문|원문보기|기사|시간")
# the words an outlet's name ends in (to tell it from a headline's tag or a dateline's place)
_OUTLET_WORDS = "일보|신문|뉴스|헤럴드|투데이|타임즈|타임스|저널|방송|미디어|포스트|프레스"
# what some sites print beside the stamps: a view counter (`조회수 12`, `조회 1,204`), the
# broadcast the story aired in (`뉴스9(대전)`, KBS)
_STAMP_EXTRAS = re.compile(
    r"조회\s?수?\s?[:：]?\s?[\d,]+(?:\s?회)?"
    r"|뉴스\s?\d{1,2}\s?(?:\([가-힣]{2,4}\))?|재생\s?시간\s?[:：]?\s?\d{1,2}:\d{2}(?::\d{2})?"
    # the print edition's page after its date: `발행일 2018-01-29 21면`, `… 월요일 제3면`
    r"|(?:^|(?<=\s))(?:제\s?)?[A-Z]?\d{1,3}\s?면(?![가-힣])"
    # the weekday spelled out after a date: `2019년 02월 11일 월요일`
    r"|(?:^|(?<=\s))[월화수목금토일]요일(?![가-힣])"
    # a stamp's label printed after its date: `2024-04-02 13:00:09 게재`
    r"|(?<=\s)(?:게재|게시)$"
    # a comment count printed with the stamps: `홍길동 승인 2022.07.29 17:51 의견 0`
    r"|(?:^|(?<=\s))의견\s?\d{1,6}(?![\d가-힣])"
    # the print edition's issue after a board's date: `작성일 22-01-11 [제1349호]`
    r"|\[제\s?\d{1,6}\s?호\]"
)
# a stamp's label printed with no date after it (`기사입력 :`; also dropped by the generic layout)
_BARE_STAMP_LABEL = re.compile(r"^(?:기사입력|최종수정|입력|수정|등록|승인)\s?[:：]?$")
# a section's name glued to the stamp's label: `방송/통신입력 :2020/02/25 11:50` (지디넷코리아)
_GLUED_SECTION = re.compile(r"^[가-힣A-Za-z]{1,6}(?:[/·][가-힣A-Za-z]{1,6})?$")
# the outlet printed beside the stamps: `에너지경제신문 입력 2021.07.19 16:17`
_STAMP_OUTLET = re.compile(rf"^[^\s|/·:]{{0,10}}(?:{_OUTLET_WORDS})$")
# a reporter printed with the stamps by name alone: `홍길동 | 기사입력 …`, `홍길동 / 기사승인 : …`
_BARE_NAME = re.compile(r"^[가-힣]{2,4}$")
# a labelled writer printed with the stamps: `기사승인 : 2018-12-10 15:04 기자 : 홍길동` (its value
# may be an organisation: `기자 : 일송재단 국제농업개발원`, taken as the reporter only when a name)
_LABELLED_WRITER = re.compile(r"^기자\s?[:：]\s?(?P<who>[^:：]{2,30})$")
# the poster of a board that reposts news, beside the post's date: `관리자 (board) 작성일 : …`
_BOARD_POSTER = re.compile(r"^(?:관리자|운영자|admin)(?:\s?\([^)]{1,20}\))?$")
# a board's labelled poster beside the post's date: `작성자 홍길동 조회 507회 작성일 22-01-11`; the
# poster is no reporter (an outlet's name there names the outlet)
_BOARD_WRITER = re.compile(r"^작성자\s?[:：]?\s?(?P<who>[^\s:：]{1,12})$")
# a view count printed bare after a date: `2020-02-19 5`
_BARE_COUNT = re.compile(r"^\d{1,6}$")
_NOT_A_NAME_END = ("시", "군", "구", "도", "청", "처", "부")
# a desk or bureau printed where a reporter's name goes: `세종지국 | 입력 …`, `사회팀 | …`
_DESK_END = ("지국", "지사", "본부", "팀")
_DESK = re.compile(rf"^[가-힣A-Za-z]{{1,8}}(?:{'|'.join(_DESK_END)})$")
# a site's name before the headline on its line, set off by a spaced hyphen, dash or bar:
# `아이티랩 - 헤드라인`, `세종일보 | 헤드라인` (a page's title as a reposting site prints it)
_SITE_WORD = r"[^\s\-–|,.·'\"‘’“”\[\]()]"
_SITE_PREFIX = re.compile(
    rf"^(?P<site>{_SITE_WORD}{{2,12}}(?:\s{_SITE_WORD}{{2,8}})?)\s[-–|]\s(?=\S)"
)
# a page's title printed above the article, the headline then the board's or section's name:
# `헤드라인 > 생활/경제` (그누보드 boards)
_PAGE_TITLE = re.compile(r"^(?P<head>.{8,150}?)\s>\s[^>]{1,20}$")
# a subtitle printed between dashes before the first paragraph's dateline, on its line:
# `- 부제 - [세종 세계타임즈=홍길동 기자] 본문`
_DASHED_SUBTITLE = re.compile(r"^-\s(?P<sub>[^\[\]]{4,150}?)\s-\s(?=[\[(])")
# an outlet's name alone in brackets opening the first paragraph: `[뉴스스텝] 세종시가 …`,
# `[SNS 타임즈] 행복청은 …`, `(경기뉴스통신) 대전시는 …`, `(TGN 땡큐굿뉴스) …`
_OUTLET_OPENING = re.compile(
    r"^(?:\[\s?(?P<outlet>[^\]\s=]{2,12}(?:\s[^\]\s=]{2,12})?)\s?\]"
    r"|\(\s?(?P<paren>[^)\s=]{1,12}(?:\s[^)\s=]{2,12})?)\s?\))\s?"
)
# Daum's automatic summary above the article: a notice, then sentences copied from the body,
# then a toolbar line
_SUMMARY_START = re.compile(r"^자동\s?요약\s?기사 제목과")
_SUMMARY_NOTICE = re.compile(r"^전체 맥락을 이해하기 위해서는")
_SUMMARY_END = re.compile(r"^음성\s?재생\s?설정$")
_OUTLET_END = re.compile(rf"(?:{_OUTLET_WORDS})\d?$")
# a tag in brackets before a headline, maybe the outlet's name: `[충청헤럴드] 대전시, …`,
# `[대전MBC뉴스]세종시 …` (a repost); `[사설]`, `[포토뉴스]` are tags of another kind
_OUTLET_PREFIX = re.compile(r"^\[(?P<outlet>[^\]\s]{2,12})\]\s?")
# a stamp glued to the end of the headline's line, maybe after the reporter and before a view
# count: `… 그린다 홍길동 기자입력 2022-07-29 15:57:36`, `… 조성.. 2020-04-24 / 984`
_GLUED_STAMP = re.compile(
    r"\s(?:(?P<name>[가-힣]{2,4})\s?기자\s?)?"
    r"(?P<stamp>(?P<label>(?:기사)?입력|승인|등록|수정)?\s?[:：]?\s?\d{4}[.-]\d{1,2}[.-]\d{1,2}"
    r"(?P<time>\s\d{1,2}:\d{2}(?::\d{2})?)?)(?P<count>\s?/\s?\d{1,6})?$"
)
# a copyright line run into the sentence before it: `… 예정이다.저작권자 © 매일일보 …`
_GLUED_COPYRIGHT = re.compile(r"(?<=[.!?\"”’])\s?(?=<?(?:저작권자|Copyright|COPYRIGHT)\s?(?:ⓒ|©|\([cC]\)))")
# a headline's closing verb followed by more words on its line: `… 그린다 체감형 …`
_HEADLINE_VERB_END = re.compile(r"(?<=[가-힣]다)\s(?=[가-힣A-Za-z0-9])")
# A headline line longer than this that holds a closing verb mid-line holds the subtitle too.
_GLUED_HEADER_CHARS = 50
# A line printed twice under a line printed once is that line's subtitle only when the line above
# is at least as long as a headline (a site's name or slogan is shorter) and the line printed twice
# as long as a subtitle.
_HEADLINE_ABOVE_CHARS = 15
_SUBTITLE_TWICE_CHARS = 25
# A line printed twice more than this many lines above the first stamp, with a headline-like block
# right over the stamp, is a site's slogan (a board's header), not the headline.
_TWICE_FAR_LINES = 8
# A subtitle set between dashes, `- … -` or `– … –` (maybe two on a line): never a headline.
_DASHED_LINE = re.compile(r"^[-–]\s.*\S\s[-–](?:\s|$)")
# A portal's or a summary app's copy opens with the day it was copied, the text run on after it
# on the same line: ` date 2025-10-02 세종시, … 알렸다` (a headline, a subtitle or nothing
# follows).
_COPY_DATE = re.compile(r"\A(?P<lead>\s*)date\s(?P<date>\d{4}-\d{2}-\d{2})(?![\d:])[ \t]*")
# A board's labelled field printed as two list items, the label's and the value's:
# `- 등록일자` / `- 2025-09-30`, `- 작성자` / `- 홍길동`, `- 조회수` / `- 120` (blank lines may
# part them)
_BOARD_FIELD_LINES = re.compile(
    r"^[ \t]*-[ \t]?(?P<label>(?:등록|작성|게시|게재)일(?:자|시)?|작성자|조회\s?수?"
    r"|담당\s?부서|부서명|담당자|연락처|전화\s?번호)[ \t]*\n(?:[ \t]*\n){0,2}[ \t]*-[ \t]?(?P<value>\S[^\n]{0,40})$",
    re.MULTILINE,
)
# a broadcast programme after a headline: `… 앱으로 본다/데스크` (대전MBC)
_PROGRAMME_SUFFIX = re.compile(r"\s?/\s?(?:(?:뉴스)?(?:데스크|투데이)|리포트)$")
# A broadcast report saved as one paragraph, its cue run into the first words: `[리포트] 버스가 …`.
_GLUED_REPORT_CUE = re.compile(r"^\[\s?리포트\s?\]\s")
# A broadcaster's video title: `… 달린다 / KBS 2021.04.13.` (the outlet and the day it aired).
_VIDEO_TITLE = re.compile(
    r"\s/\s(?P<outlet>KBS|MBC|SBS|YTN|JTBC|MBN|TJB|OBS|연합뉴스TV|채널A|TV조선|대전MBC|KBS대전)"
    r"(?:\s?뉴스)?\s(?P<date>\d{4}\.\d{2}\.\d{2})\.?$"
)
# a broadcast transcript's cue lines: the anchor's lead (`◀앵커▶`, `[앵커]`), then the report
# (`◀리포트▶`, `[기자]`); a transcript may print no stamp or byline, and the two cues mark it as news
_ANCHOR_CUE = re.compile(r"^\s*[◀【<\[]\s?앵\s?커(?:\s?(?:멘트|리드))?\s?[▶】>\]]\s*$", re.MULTILINE)
_REPORT_CUE = re.compile(r"^\s*[◀【<\[]\s?(?:리\s?포\s?트|기\s?자(?:\s?(?:멘트|리포트))?)\s?[▶】>\]]\s*$", re.MULTILINE)
# the reporter named in the anchor's lead: `… 홍길동 기자가 보도합니다.`, `현장을 다녀온 홍길동 기자는 …`,
# `홍길동 기자입니다.` (a surname first, so that `취재 기자가` or `다녀온 기자는` names nobody)
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류유홍전고문양손배백허남심노하곽성차주우구민진지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉팽빈피감태"
_LEAD_NAME = rf"[{_SURNAMES}][가-힣]{{2}}"
_ANCHOR_LEAD = re.compile(
    rf"(?<![가-힣])(?P<name>{_LEAD_NAME}(?:\s?[·ㆍ,]\s?{_LEAD_NAME})*)\s?기자(?:가|는|의|와|를|에게|입니다)(?=[\s.])"
)
# the start of a copyright line, up to the name: `저작권자 ©`, `<Copyright ⓒ`, `Copyright @`
_COPYRIGHT_SIGN = re.compile(r"^\W*(?:저작권자|Copyright|COPYRIGHT|copyright)?\s?(?:©|ⓒ|\(c\)|\(C\)|@)?\s?")
_LENTICULAR = str.maketrans("【】", "[]")
# the provinces and metropolitan cities, as a dateline names them
_PROVINCES = frozenset({"서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남",
                        "전북", "전남", "경북", "경남", "제주"})
_HANGUL = re.compile(r"[가-힣]")
#: a photo's credit: a copyright sign, or a caption cell's closing bar
_CREDITED = re.compile(r"[©ⓒ]|\|\s*$")
#: an outlet's name of Hangul only, three letters or more (`뉴스밴드`; not `TV` of `[세종 TV = …]`)
_HANGUL_NAME = re.compile(r"[가-힣]{3,12}")
_QUOTES = re.compile(r"[\"'“”‘’]")
# the outlet's name alone on a line (`눈카뉴스`), or a broadcaster and its station (`[KBS 대전]`)
_OUTLET_LINE = re.compile(r"^(?P<open>\[\s?)?(?P<outlet>[^\s\[\]]{2,12})(?:\s(?P<place>[가-힣]{2,5}))?(?(open)\s?\])$")
# a section's name that ends like an outlet's: `지역뉴스`, `오늘의 뉴스`
_SECTION_NEWS = re.compile(r"^(?:지역|사회|경제|정치|문화|국제|스포츠|연예|오늘의|최신|인기|주요|포토|영상|동영상|카드|실시간|속보|단독|종합|전체|생활|IT|과학)")
# a related-stories heading; inside an article its links are often lost when a page is saved
_RELATED_BOX = re.compile(r"^관련\s?(?:기사|뉴스)$")
# an item of such a box kept with its headline and date: `- 헤드라인 …2019.05.02`
_BOX_ITEM = re.compile(
    r"^(?:[-–•·▶▷]\s*)?\S.{4,100}?\s?\d{4}[.-]\d{1,2}[.-]\d{1,2}\.?(?:\s\d{1,2}:\d{2}(?::\d{2})?)?$"
)
# the box's heading run into the paragraph before it, its headlines and the page's copyright
# after it on the same line: `… 설명하고 있다. 관련기사세종시 …©아주경제 무단전재`
_GLUED_BOX = re.compile(r"(?:(?<=[다요][.!?])|(?<=[다요][.!?]['\"’”]))\s*(?=관련\s?(?:기사|뉴스)\S)")
# a line that runs on in the next line of the same block (a hard-wrapped transcript)
_RUNS_ON = re.compile(r"[가-힣A-Za-z0-9,·]$")
# A line of a script wrapped over several lines is short (`_opens_wrapped_script`).
_WRAPPED_LINE_CHARS = 40
# A paragraph of 80 characters or more ending in a sentence's last syllable but no full stop:
# `… 강조했습니다` (a subtitle is shorter, or ends in a noun)
_UNSTOPPED_PARAGRAPH = re.compile(r"^(?=.{80,}$).*[가-힣]다['\"’”]?$")
# A sentence ends in a full stop, possibly inside closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?。]['\"’”)」』\]]*$")
# a sentence that reports what someone said: `… 추진한다고 밝혔다.` (a lead, never a headline)
_REPORTED_SPEECH_END = re.compile(r"(?:다고|라고|이라고)\s?(?:밝혔|말했|전했|강조했)다\.$")
# a sentence that opens with its subject and the day and ends with its verb: `세종시는 12일 시청에서
# … 열었다.` (a lead, never a headline: a headline puts a comma after its subject)
_DATED_LEAD = re.compile(r"^[^\s,]{2,20}(?:은|는)\s(?:지난\s)?\d{1,2}일\s.*다\.$")
# a board's title field, labelled: `제목 Sejong …` (a city's blog, a 보도자료 board)
_LABELLED_TITLE = re.compile(r"^제\s?목\s?[:：]?\s(?=\S)")
# line breaks left as HTML in a saved text (`…했다.<br /><br />시는 …`)
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# a sentence that ends inside a line: `… 없다. 자가용은 …`
_SENTENCE_INSIDE = re.compile(r"다[.!?]['\"’”]?\s")
_ELLIPSIS_END = re.compile(r"(?:\.\.|…)['\"’”)」』\]]*$")
_SPACES = re.compile(r"\s+")
# Lines of site chrome that can stand just before a headline: navigation, login, weather.
_PROVINCE = "|".join(sorted(_PROVINCES))
_CHROME_LINE = re.compile(
    r"로그인|로그아웃|회원가입|구독하기|전체\s?메뉴|검색어|\s>\s|^홈\s?>|℃|^HOME\b|^Home\b|바로가기"
    # a section's path of provinces: `전국 대전·세종·충남`, `주요뉴스 대전·세종·충남`
    rf"|^(?:(?:전국|지역|지방|주요\s?뉴스)\s?)?(?:{_PROVINCE})(?:\s?[·ㆍ]\s?(?:{_PROVINCE}))+$"
)
_COPYRIGHT_HINT = re.compile(r"무단|저작권|[ⓒ©]|\([cC]\)|[Cc]opyright|COPYRIGHT|[Rr]ights [Rr]eserved|재배포")
# A numbered list entry (ranking lists after the article): `1 제목`, `1. 제목`, `01 제목`.
_NUMBERED = re.compile(r"^(\d{1,2})(?:[.)]\s?|\s)(?=\S)")
# the contents of a series printed inside its article: `◇글 싣는 순서` over `1.…`, `2.…`
_SERIES_CONTENTS = re.compile(r"^[◇◆■□▶▷○●]?\s?(?:글|기사)\s?싣는\s?순서$")
# the link to a reporter's other stories that ends an article: `홍길동 기자의 다른 기사 더보기`
_AUTHOR_LINK = re.compile(r"^(?P<name>[가-힣]{2,4})\s?기자(?:의)?\s?(?:다른\s?)?기사\s?(?:더\s?)?보기$")
# A photo caption that ends with the photographer's byline: `… 있다. 세종=홍길동기자 hong@x.kr`.
_PHOTO_CREDIT = re.compile(r"\S\s[가-힣]{2,6}(?:\([^)]{1,10}\))?=[가-힣]{2,4}\s?기자\s?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]*$")
# A byline with an e-mail on a line of its own: once the body has begun, it ends the article.
_BYLINE_EMAIL = re.compile(r"^(?:[가-힣]{2,5}=)?[가-힣]{2,4}\s?기자\s?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
# A word of a site's menu (`대전`, `동구`): short, letters and digits only.
_MENU_WORD = re.compile(r"^[가-힣A-Za-z0-9·]{1,7}$")
# A line with no letter or digit (a stray `,` between the headline and its subtitle).
_NO_WORD = re.compile(r"^[^\w]*$")
#: Headlines are at least this long; shorter lines before a headline are menus and outlet names.
MIN_TITLE_CHARS = 8

# A photo's credit alone on its line, under its caption: `세종시 제공`, `대전시 스마트도시과 제공`
_BARE_CREDIT = re.compile(r"^[가-힣A-Za-z0-9·]{2,15}(?:\s[가-힣A-Za-z0-9·]{2,10})?\s?제공$")
# how a caption ends: what the photo shows (`… 듣고 있다.`, `… 행사 모습`, `시청 전경.`)
_PHOTO_DESCRIBED = re.compile(r"(?:고\s?있다|모습|전경)\.?$")
# a caption is one or two short sentences
_CAPTION_MAX_CHARS = 120


@dataclass(frozen=True)
class PageLayout:
    """One compiled layout: the data of a ``[layouts.<name>]`` table merged onto ``generic``.

    Single-purpose pattern lists (no groups to read) are compiled into one alternation each, so
    a line costs one regex call per kind; lists whose groups are read stay separate patterns.
    """

    name: str
    outlet: str
    published: tuple[str, ...]
    bullet_fields: tuple[str, ...]
    caption_after_photo: bool
    title_max_chars: int
    detect: re.Pattern[str] | None
    pre_title: re.Pattern[str] | None
    drop: re.Pattern[str] | None
    caption: re.Pattern[str] | None
    photo_file: re.Pattern[str] | None
    end: re.Pattern[str] | None
    tail: re.Pattern[str] | None
    stamps: tuple[re.Pattern[str], ...]
    reporter: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    byline_tail: tuple[re.Pattern[str], ...]
    dateline: tuple[re.Pattern[str], ...]
    outlet_from: tuple[re.Pattern[str], ...]
    url: tuple[re.Pattern[str], ...]


# --------------------------------------------------------------------------------------------
# Loading the layout file
# --------------------------------------------------------------------------------------------


def load_layouts(path: str | Path | None = None) -> dict[str, PageLayout]:
    """Read and compile the layout file (default ``lib/resources/page_layouts.toml``).

    Returns ``{layout name: PageLayout}`` in file order, ``generic`` included. Compiled once per
    path and cached. A malformed table raises ``ValueError`` naming the layout and key.
    """
    return _load_layouts_cached(str(Path(path) if path is not None else LAYOUTS_FILE))


@lru_cache(maxsize=8)
def _load_layouts_cached(path: str) -> dict[str, PageLayout]:
    data = paths.read_toml(path)
    fragments = {str(k): str(v) for k, v in data.get("fragments", {}).items()}
    tables = data.get("layouts", {})
    if GENERIC not in tables:
        raise ValueError(f"{path}: no [layouts.{GENERIC}] table")
    base = tables[GENERIC]
    layouts: dict[str, PageLayout] = {}
    for name, table in tables.items():
        unknown = set(table) - set(_LIST_KEYS) - set(_SCALAR_KEYS)
        if unknown:
            raise ValueError(f"{path}: [layouts.{name}] has unknown keys {sorted(unknown)}")
        layouts[name] = _compile_layout(name, table, {} if name == GENERIC else base, fragments)
    return layouts


def _compile_layout(
    name: str, table: Mapping[str, object], base: Mapping[str, object], fragments: Mapping[str, str]
) -> PageLayout:
    def patterns(key: str) -> list[str]:
        own = list(table.get(key, []))
        # detect is what tells layouts apart: never inherited.
        inherited = [] if key == "detect" else list(base.get(key, []))
        return [_expand(p, fragments, name, key) for p in own + inherited]

    def setting(key: str, default: object) -> object:
        return table[key] if key in table else base.get(key, default)

    def one(key: str) -> re.Pattern[str] | None:
        pats = patterns(key)
        return _compile(name, key, "|".join(f"(?:{p})" for p in pats)) if pats else None

    def each(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(name, key, p) for p in patterns(key))

    bullet_fields = tuple(str(f) for f in setting("bullet_fields", ()))  # type: ignore[union-attr]
    if not set(bullet_fields) <= _BULLET_FIELDS:
        raise ValueError(f"[layouts.{name}] bullet_fields must be among {sorted(_BULLET_FIELDS)}")
    return PageLayout(
        name=name,
        outlet=str(setting("outlet", "")),
        published=tuple(str(x) for x in setting("published", ())),  # type: ignore[union-attr]
        bullet_fields=bullet_fields,
        caption_after_photo=bool(setting("caption_after_photo", False)),
        title_max_chars=int(setting("title_max_chars", 150)),  # type: ignore[arg-type]
        detect=one("detect"),
        pre_title=one("pre_title"),
        drop=one("drop"),
        caption=one("caption"),
        photo_file=one("photo_file"),
        end=one("end"),
        tail=one("tail"),
        stamps=each("stamps"),
        reporter=each("reporter"),
        byline=each("byline"),
        byline_tail=each("byline_tail"),
        dateline=each("dateline"),
        outlet_from=each("outlet_from"),
        url=each("url"),
    )


def _expand(pattern: str, fragments: Mapping[str, str], name: str, key: str) -> str:
    """Replace ``{FRAGMENT}`` references; regex braces like ``{2,4}`` are left alone."""

    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in fragments:
            raise ValueError(f"[layouts.{name}] {key}: unknown fragment {{{m.group(1)}}}")
        return fragments[m.group(1)]

    return re.sub(r"\{([A-Z_]+)\}", sub, pattern)


def _compile(name: str, key: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"[layouts.{name}] {key}: bad pattern {pattern!r}: {exc}") from exc


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def detect_layout(text: str, *, layouts: Mapping[str, PageLayout] | None = None) -> str:
    """Name of the layout ``text`` is read with.

    The copyright line that ends the article names the page's publisher: a layout whose
    ``detect`` matches it wins, so a regional paper running wire copy (``(세종=연합뉴스) … =``
    in its first paragraph) is read as that paper. Otherwise the layout whose ``detect`` match
    comes first. Only the article part is searched (up to and including the first generic end
    line), so a site's chrome naming other outlets cannot change the choice. ``generic`` when
    none match.
    """
    specs = layouts if layouts is not None else load_layouts()
    region, end_line = _detection_region(text, specs[GENERIC])
    for name, spec in specs.items():
        if name != GENERIC and spec.detect is not None and end_line and spec.detect.search(end_line):
            return name
    best, best_pos = GENERIC, len(region) + 1
    for name, spec in specs.items():
        if name == GENERIC or spec.detect is None:
            continue
        m = spec.detect.search(region)
        if m is not None and m.start() < best_pos:
            best, best_pos = name, m.start()
    return best


def _detection_region(text: str, generic: PageLayout) -> tuple[str, str]:
    """The article part of ``text`` (through the first end line) and that end line ("" if none)."""
    if generic.end is None:
        return text, ""
    pos = 0
    seen_first = False
    first_end: tuple[str, str] | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        nxt = pos + len(line) + 1
        if stripped:
            if seen_first and generic.end.search(_clean(stripped)):
                # Site navigation may hold chrome headings (최신기사) above the article: the
                # copyright line is what closes the article.
                if _COPYRIGHT_HINT.search(stripped):
                    return text[:nxt], stripped
                if first_end is None:
                    first_end = (text[:nxt], stripped)
            seen_first = True
        pos = nxt
    return first_end if first_end is not None else (text, "")


# --------------------------------------------------------------------------------------------
# Sniffing
# --------------------------------------------------------------------------------------------

_JSONISH = re.compile(r'^(?:\{|\[\s*[{"\[\d])')


@lru_cache(maxsize=1)
def _evidence_pattern() -> re.Pattern[str]:
    """Layout-free signs of a news page: a labelled stamp, a byline, a dateline, a copyright."""
    date = r"\d{4}\s?[.\-/년]\s?\d{1,2}\s?[.\-/월]\s?\d{1,2}"
    name = r"[가-힣]{2,4}"
    place = r"[가-힣]{2,5}(?:[·ㆍ・][가-힣]{2,5})?"
    email = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+"
    return re.compile(
        "|".join(
            (
                rf"(?:기사입력|최종수정|업데이트|입력|수정|승인|(?:등록|작성|게시|게재)일자|등록일|등록|송고\s?시간|송고|작성일?|방송일|게재|게시|발행일?)\s?[:：]?\s?{date}",
                # a labelled date with a short year (boards): `입력 24-12-02 23:46`,
                # `작성일 22-01-11`
                r"(?:입력|작성일|등록일)\s?[:：]?\s?\d{2}-\d{2}-\d{2}(?![\d-])",
                # the label after the date and time: `2024-04-02 13:00:09 게재`
                rf"^\s*{date}\.?\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s?(?:게재|게시|입력|등록|송고|작성|승인)\s*$",
                rf"^\s*(?:[•·]\s*)?(?:기자명\s?)?(?:[가-힣]{{2,5}}=)?{name}\s?기자",
                rf"{name}\s?기자\s?[A-Za-z0-9._%+-]+@",
                # a photo's credit to a staff reporter ending its caption: `… 참석했다. <사진=홍길동 기자>`
                rf"\S\s?[<(\[]사진\s?[=:]\s?{name}\s?기자[>)\]]\s*$",
                # `(대전=뉴스1) 홍길동 기자 =`, two places `(대전ㆍ충남=뉴스1)`, lenticular brackets
                # `【세종=코리아플러스】 홍길동 기자 =`
                rf"[\[(【]{place}=[^\])】=\n]{{1,20}}[\])】]\s?(?:{name}\s?기자\s?)?=",
                r"\[[가-힣]{2,5}\s?=\s?[^\]=\s]{2,12}\s[가-힣]{2,4}\s?기자\s?\]",
                # the outlet and the reporter in parentheses: `(내외방송=홍길동 기자)`
                rf"^\s*\([^)=\n]{{2,12}}\s?=\s?{name}\s?기자\s?\)",
                # any bracketed dateline that ends in a reporter: `[더팩트ㅣ대전=홍길동 기자]`,
                # `[천지일보 세종=홍길동 기자]`, `[월간수소경제 홍길동 기자]`
                rf"^\s*[\[【][^\]】\n]{{1,30}}?\s?=?\s?{name}\s?(?:(?:인턴|수습|객원|선임|전문)\s?)?기자\s?[\]】]",
                # the same after the last sentence of a paragraph: `… 말했다. [비즈니스포스트 홍길동 기자]`
                rf"[.!?\"”’]\s\[[^\]\n]{{2,15}}\s{name}\s?기자\]\s*$",
                # the outlet alone in brackets, then the reporter: `[미래 세종일보]홍길동 기자=`,
                # `[sbn뉴스=대전] 홍길동 기자`
                rf"^\s*\[[^\]\n]{{2,15}}\]\s?{name}\s?기자\s?=",
                rf"^\s*\[[^\]=\n]{{2,12}}=[가-힣]{{2,5}}\]\s?{name}\s?기자(?:\s|$|/)",
                # place/outlet in brackets, then the reporter and a bar: `[대전/koeco]홍길동 기자ㅣ`
                rf"^\s*\[{place}\s?/\s?[^\]\s=/]{{2,12}}\]\s?{name}\s?기자\s?[ㅣ|=]",
                # an outlet and reporter set off from the first sentence by a bar:
                # `브릿지저널 홍길동 기자 | 대전 유성구는 …`
                rf"^\s*[^|\n]{{2,40}}?\s{name}\s?기자(?:\s?기자)?\s?\|(?:\s|\Z)",
                # a line that is a date and time alone (maybe `일` after the day and the weekday:
                # `2021년 09월 13일(월) 19:20`), or a date and the reporter
                rf"^\s*{date}(?:\s?일)?\.?\s?(?:\([월화수목금토일]\))?\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*$",
                rf"^\s*{date}\.?(?:\s+\d{{1,2}}:\d{{2}})?\s+{name}\s?기자\s*$",
                # the reporter's e-mail and the date and time: `hong@naver.com | 2026-01-29 23:43:58`
                rf"^\s*{email}\s?[|/]\s?{date}\.?\s+\d{{1,2}}:\d{{2}}",
                # a wire's credit on a line of its own under its copy on another outlet's page
                r"^\s*/\s?(?:연합뉴스|뉴시스|뉴스1)\s*$",
                # the day a portal's or a summary app's copy was made, opening the page
                r"\A\s*date\s\d{4}-\d{2}-\d{2}$",
                r"무단\s?전재|재배포\s?금지|저작권자\s?[ⓒ©(]|All [Rr]ights [Rr]eserved",
            )
        ),
        re.M,
    )


#: The fewest dated teasers that make a page a list of stories (as ``html.LIST_MIN_TEASERS``).
LIST_MIN_TEASERS = 3
#: The least share of a list page's text its dated teasers make up (as ``html.LIST_MIN_SHARE``).
LIST_MIN_SHARE = 0.6
#: A teaser is at most this many lines and characters between two date stamps.
_TEASER_MAX_LINES = 4
_TEASER_MAX_CHARS = 800
_TEASER_MIN_CHARS = 20
# an unlabelled date, maybe with its time: `2026-01-14`, `2026.01.24 23:28:46`
_LIST_STAMP_DATE = r"\d{4}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\.?(?:\s\d{1,2}:\d{2}(?::\d{2})?)?"
_LIST_BYLINE = r"[가-힣]{2,4}\s?기자"
# a list's stamp line: the date alone or beside a byline (`2026-01-14 홍길동 기자`)
_LIST_STAMP = re.compile(
    rf"^(?:{_LIST_STAMP_DATE}|{_LIST_STAMP_DATE}\s{_LIST_BYLINE}|{_LIST_BYLINE}\s{_LIST_STAMP_DATE})$"
)
_LIST_BYLINE_LINE = re.compile(rf"^{_LIST_BYLINE}$")
_LIST_ITEM_BULLET = re.compile(r"^[•·▪‣∙●◦\-]\s*")


def list_reason(teasers: int) -> str:
    """The reason a page that is a list of ``teasers`` stories is refused (text and HTML)."""
    return (f"a list of several stories ({teasers} dated teasers), not one article: "
            "save the article pages themselves")


def text_list_teasers(text: str) -> int:
    """How many dated teasers a text page is, when it is a list of stories rather than one
    article; else 0.

    The page's stamp lines are unlabelled dates alone or beside a byline (``2026-01-14``,
    ``2026-01-14 홍길동 기자``; a byline alone on the line above counts with its date). It is a
    list when ``LIST_MIN_TEASERS`` (3) or more such stamps follow one another with a short
    teaser between each two (one to four lines, 20 to 800 characters) and those stamps and
    teasers make up 60% or more of the page's text: an article prints one stamp, and a box of
    dated stories under it leaves its own paragraphs out of the run.
    """
    lines = [_LIST_ITEM_BULLET.sub("", ln.strip()) for ln in text.split("\n")]
    lines = [ln for ln in lines if ln]
    stamps = [k for k, ln in enumerate(lines) if len(ln) <= 40 and _LIST_STAMP.match(ln)]
    if len(stamps) < LIST_MIN_TEASERS:
        return 0
    total = sum(len(ln) for ln in lines)
    best: tuple[int, int] = (0, 0)  # the longest run of stamps with a teaser between each two
    first = 0
    for j in range(1, len(stamps) + 1):
        if j < len(stamps):
            gap = [ln for ln in lines[stamps[j - 1] + 1 : stamps[j]] if not _LIST_BYLINE_LINE.match(ln)]
            chars = sum(len(ln) for ln in gap)
            if 1 <= len(gap) <= _TEASER_MAX_LINES and _TEASER_MIN_CHARS <= chars <= _TEASER_MAX_CHARS:
                continue
        if j - first > best[1] - best[0]:
            best = (first, j)
        first = j
    start, end = stamps[best[0]], stamps[best[1] - 1]
    if best[1] - best[0] < LIST_MIN_TEASERS:
        return 0
    # the run and the teaser at one of its edges (above its first stamp, below its last)
    covered = sum(len(ln) for ln in lines[start : end + 1])
    edge = max(sum(len(ln) for ln in lines[max(0, start - _TEASER_MAX_LINES) : start]),
               sum(len(ln) for ln in lines[end + 1 : end + 1 + _TEASER_MAX_LINES]))
    covered += min(edge, _TEASER_MAX_CHARS)
    return best[1] - best[0] if covered >= LIST_MIN_SHARE * total else 0


#: Why a text that reads as a news page but for its headline is refused.
NO_HEADLINE = "no headline: the page text starts with the article body"


def looks_like_page(text: str) -> bool:
    """True when ``text`` reads as a saved news page.

    That is: text (no NUL or control-character junk), not a delimited table or JSON, a
    headline-like first line, and at least one of a time stamp, a byline, a dateline or a
    copyright line (or any layout's ``detect`` pattern). Used by the loader for ``.txt`` and
    extension-less files.
    """
    return _page_kind(text) == "page"


def lacks_headline(text: str) -> bool:
    """True when ``text`` would read as a saved news page but that its first line is a paragraph
    of the article (longer than a headline may be): a page saved without its headline. The
    loader refuses it with ``NO_HEADLINE``; no title is made up from the lead."""
    return _page_kind(text) == "headless"


def _page_kind(text: str) -> str:
    """``"page"`` for a saved news page, ``"headless"`` for one whose text starts with the
    body, "" for anything else (see ``looks_like_page``)."""
    if not text or "\x00" in text:
        return ""
    sample = _prepared(text[:20000])
    junk = sum(1 for c in sample if (c < " " and c not in "\n\t\r\f") or c == "\ufffd")
    if junk > max(2, len(sample) // 200):
        return ""
    lines = [s for s in (ln.strip() for ln in sample.split("\n")[:400]) if s]
    if len(lines) < 2:
        return ""
    generic = load_layouts()[GENERIC]
    k = 0
    while k < len(lines) and generic.pre_title is not None and generic.pre_title.search(lines[k]):
        k += 1
    if k == len(lines):
        return ""
    first = lines[k]
    if _JSONISH.match(first) or _is_table(lines[k : k + 6]):
        return ""
    if text_list_teasers(sample):
        return "page"  # a saved list of stories: read, to be refused with its reason
    kind = "page"
    if len(first) > generic.title_max_chars:
        if not (_SENTENCE_INSIDE.search(first) or _SENTENCE_END.search(first)):
            return ""
        kind = "headless"  # a paragraph first: the article's lead, its headline not saved
    if _evidence_pattern().search(sample) or _VIDEO_TITLE.search(first) or _tagged_headline(first):
        return kind
    if _ANCHOR_CUE.search(sample) and _REPORT_CUE.search(sample):
        return kind
    if any(
        _opens_with_listed_outlet(line) or _bracketed_listed_outlet(line)
        for line in lines[k + 1 : k + 60]
    ):
        return kind
    if any(spec.detect is not None and spec.detect.search(sample)
           for spec in load_layouts().values()):
        return kind
    return ""


def _tag_outlet(tag: str) -> str:
    """The outlet a tag before a headline names, or "" for a tag of another kind.

    A repost prints its source's name in brackets (`[충청헤럴드]`) or a broadcaster's news brand
    (`[대전MBC뉴스]`, read as the listed `대전MBC`). A section's or a kind's tag that ends like an
    outlet's name (`[포토뉴스]`, `[영상뉴스]`) names none: it stays in the title, where
    ``lib.tagging.kinds`` reads it.
    """
    if _is_listed_outlet(tag):
        return tag
    stem = tag.removesuffix("뉴스")
    if stem != tag and _is_listed_outlet(stem):
        return stem
    return tag if _OUTLET_END.search(tag) and len(tag) >= 4 and not _SECTION_NEWS.match(tag) else ""


def _tagged_headline(line: str) -> bool:
    """A headline opening with an outlet's name in brackets (`[충청헤럴드] …`): a repost that names
    its source, a mark of news."""
    m = _OUTLET_PREFIX.match(line)
    return m is not None and len(line) - m.end() >= MIN_TITLE_CHARS and bool(_tag_outlet(m.group("outlet")))


def _opens_with_listed_outlet(line: str) -> bool:
    """A line opening with a listed outlet's name alone in brackets: `[세종타임즈] …`,
    `(경기뉴스통신) …` (a dateline without a place, the only mark of news some pages print)."""
    m = _OUTLET_OPENING.match(line)
    named = m and (m.group("outlet") or m.group("paren"))
    return bool(named) and len(line) > m.end() + 10 and _is_listed_outlet(named)


def _bracketed_listed_outlet(line: str) -> bool:
    """A line that is a listed outlet's name alone in brackets, `[지디넷코리아]`: the source a
    reposting site credits above the text (a mark of news)."""
    m = _OUTLET_LINE.match(line)
    return (m is not None and bool(m.group("open")) and not m.group("place")
            and _is_listed_outlet(m.group("outlet")))


def _is_table(head: list[str]) -> bool:
    """Delimited text: the first line splits into 4+ cells and most lines split alike."""
    first = head[0]
    if first.count("\t") >= 2:
        return True
    for delim in (",", ";", "|"):
        n = first.count(delim)
        if n >= 3 and sum(1 for line in head if line.count(delim) == n) >= min(3, len(head)):
            return True
    return False


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def parse_page(
    text: str,
    *,
    source_file: str = "",
    layouts: Mapping[str, PageLayout] | None = None,
) -> dict[str, object]:
    """Parse one normalised page dump into article fields.

    Returns a dict with the keys of ``PAGE_FIELDS``: text fields as printed ("" when absent;
    each line stripped, runs of spaces collapsed), ``published`` a ``pandas.Timestamp`` (Korean
    wall-clock time) or ``None`` when the page prints no publication stamp, ``body`` the
    article paragraphs joined by a blank line, ``captions`` newline-joined. ``source_file`` is
    accepted for the loader's call but not used: the loader adds it to the record and to
    rejects. ``layouts`` replaces the default layout file (see ``load_layouts``).

    Raises ``RecordError`` with a reason for unusable pages: ``no title``, ``no body``,
    ``unparseable date '2019-02-30'``.
    """
    specs = layouts if layouts is not None else load_layouts()
    text = _prepared(text)
    parser = _Parser(specs[detect_layout(text, layouts=specs)])
    try:
        return parser.run(text)
    except RecordError as err:
        raise _named(err, parser) from None


def _named(err: RecordError, parser: _Parser) -> RecordError:
    """``err`` naming its page by the headline (and address) ``parser`` had read when the page
    was rejected (a date that is no date is found after the headline); as it is when the
    headline itself was missing."""
    if parser.headline and not err.title:
        err.naming(reject_identity(err.article_id, parser.url, parser.headline))
    return err


#: The most articles read from one page dump: a saved page holds one, a file of pages pasted
#: one after another a few.
MAX_ARTICLES = 100
#: Non-blank lines after an article's end within which another article's dated stamp must come
#: (its headline, bullets and subtitle are above the stamp; a site's chrome is longer).
_NEXT_STAMP_LINES = 20


def iter_articles(
    text: str,
    *,
    source_file: str = "",
    layouts: Mapping[str, PageLayout] | None = None,
) -> Iterator[tuple[str, dict[str, object] | RecordError]]:
    """The articles of one normalised page dump as ``(label, record or RecordError)``.

    A dump holds one article (``page``: what ``parse_page`` gives, or its reason). When the text
    after its end holds another article, as when pages are saved one after another into one
    file (within a few lines a labelled stamp of the kind the layout dates articles by,
    ``승인 …`` or ``입력 …``, and below it a copyright line), each is read on its own
    (``article 1``, ``article 2`` …, with its own layout); one that cannot be read is a reject
    saying it followed another. A list of several dated stories (``text_list_teasers``) is
    one reject, ``a list of several stories (N dated teasers) …`` (``list_reason``).
    ``source_file`` is not used (as in ``parse_page``).
    """
    specs = layouts if layouts is not None else load_layouts()
    prepared = _prepared(text)
    teasers = text_list_teasers(prepared)
    if teasers:
        yield "page", RecordError(list_reason(teasers))
        return
    lines = prepared.split("\n")
    found: list[tuple[str, dict[str, object] | RecordError]] = []
    start = 0
    while start < len(lines):
        if len(found) == MAX_ARTICLES:
            found.append((f"article {len(found) + 1}", RecordError(
                f"more than {MAX_ARTICLES} articles in one page dump: the rest is not read; "
                "split the file")))
            break
        part = "\n".join(lines[start:])
        parser = _Parser(specs[detect_layout(part, layouts=specs)])
        try:
            record: dict[str, object] | RecordError = parser.run(part)
        except RecordError as err:
            _named(err, parser)
            after = f"another article after the end of article {len(found)}: "
            record = (RecordError(f"{after}{err}").naming((err.article_id, err.title)) if found
                      else err)
        found.append((f"article {len(found) + 1}", record))
        if isinstance(record, RecordError) or parser.after_end < 0:
            break
        start += parser.after_end
        if not _another_article(lines[start:], specs):
            break
        while start < len(lines) and not any(c.isalnum() for c in lines[start]):
            start += 1  # blank lines and a rule of signs (`=====`) between the two
    if len(found) == 1:
        yield "page", found[0][1]
        return
    yield from found


def clean_paragraphs(
    paragraphs: Sequence[str], *, layouts: Mapping[str, PageLayout] | None = None
) -> dict[str, str]:
    """The text of an article delivered as paragraphs (a NewsML item's), cleaned as a page's
    body is, with the layout its text names: the dateline opening the first paragraph
    (``(대전=연합뉴스) 홍길동 기자 =``) taken off into ``dateline`` (and the reporter it names),
    byline and e-mail lines after the first paragraph (``홍길동 기자 hong@…``, ``hong@yna.co.kr``)
    and a byline run on at the end of the last one taken off into ``reporter`` and ``email``,
    and nothing from a copyright line on. Returns ``body`` (paragraphs joined by a blank line),
    ``dateline``, ``reporter``, ``email`` ("" where absent)."""
    specs = layouts if layouts is not None else load_layouts()
    lines = [c for c in (_clean(p) for p in paragraphs) if c]
    spec = specs[detect_layout("\n\n".join(lines), layouts=specs)]
    parser = _Parser(spec)
    kept: list[str] = []
    for s in lines:
        if any(p is not None and p.search(s) for p in (spec.end, spec.tail)):
            break
        if kept and _may_name_person(s) and len(s) <= 80 and parser._take_person(s, header=False):
            continue
        kept.append(s)
    if kept:
        kept[0] = parser._strip_dateline(kept[0])
        kept[-1] = parser._strip_byline_tail(kept[-1])
    return {
        "body": "\n\n".join(p for p in kept if p),
        "dateline": parser.dateline,
        "reporter": parser.reporter,
        "email": parser.email,
    }


#: Lines after the first stamp line whose stamps still count as the article's (a header that
#: prints `승인 …` and `수정 …` in list items of their own).
_STAMP_BLOCK_LINES = 3


def printed_published(
    text: str, *, layouts: Mapping[str, PageLayout] | None = None
) -> pd.Timestamp | None:
    """The publication time a page prints beside its headline, from its labelled stamps
    (``입력 2024년 12월 2일 19:05``, ``승인 2024-12-03 16:45``), chosen as ``parse_page`` chooses
    (the layout's order of labels: ``입력`` before ``수정``); for the visible text of a saved
    HTML page, whose extracted article text leaves its header out.

    Only the stamps of the first line above the copyright line that holds a stamp with a
    label the layout dates articles by, and of the few lines after it, count (a list of other
    stories further down prints dates too); unlabelled dates do not. None when there is none
    or its date is not a real one.
    """
    specs = layouts if layouts is not None else load_layouts()
    text = _prepared(text)
    spec = specs[detect_layout(text, layouts=specs)]
    labels = [label for label in spec.published if label]
    found: list[tuple[str, re.Match[str]]] = []
    first = -1
    for k, line in enumerate(text.split("\n")):
        s = _clean(line)
        if not s or len(s) > 200:
            continue
        if first >= 0 and k - first > _STAMP_BLOCK_LINES:
            break
        if first < 0 and spec.end is not None and _COPYRIGHT_HINT.search(s) and spec.end.search(s):
            break
        stamps = [(_STAMP_TIME_WORD.sub("", m.group("label")), m)
                  for pat in spec.stamps for m in pat.finditer(s) if m.groupdict().get("label")]
        if first < 0 and any(label in labels for label, _ in stamps):
            first = k
        if first >= 0:
            found.extend(stamps)
    for label in labels:
        for found_label, m in found:
            if found_label == label:
                try:
                    return _to_timestamp(m)
                except RecordError:
                    return None
    return None


def _another_article(lines: list[str], specs: Mapping[str, PageLayout]) -> bool:
    """True when ``lines``, what follows an article's end, open with another article: within
    ``_NEXT_STAMP_LINES`` non-blank lines a stamp labelled as the layout dates articles
    (``승인 2024-12-05 09:00``), and a copyright line after it."""
    text = "\n".join(lines)
    if not _COPYRIGHT_HINT.search(text):
        return False
    spec = specs[detect_layout(text, layouts=specs)]
    probe = _Parser(spec)
    labels = {label for label in spec.published if label}
    seen = 0
    stamped = False
    for line in lines:
        s = _BULLET.sub("", _clean(line))
        if not s:
            continue
        seen += 1
        if not stamped:
            if seen > _NEXT_STAMP_LINES:
                return False
            stamped = any(label in labels for label, _ in probe._stamp_matches(s))
        elif _COPYRIGHT_HINT.search(s) and spec.end is not None and spec.end.search(s):
            return True
    return False


def _html_breaks(text: str) -> str:
    """The text with HTML line breaks (`<br />`) as line breaks."""
    return _HTML_BREAK.sub("\n", text) if "<br" in text or "<BR" in text else text


def _prepared(text: str) -> str:
    """The text as the reader reads it: HTML line breaks as lines, a copy's opening date on a
    line of its own, a board's two-line fields joined."""
    return _board_fields(_split_copy_date(_html_breaks(text)))


def _split_copy_date(text: str) -> str:
    """The text with a copy's opening date (`date 2025-10-02 …`) on a line of its own."""
    m = _COPY_DATE.match(text)
    if m is None:
        return text
    return f"{m.group('lead')}date {m.group('date')}\n{text[m.end():]}"


def _board_fields(text: str) -> str:
    """The text with a board's fields printed as two list items each (`- 등록일자` / `- 2025-09-30`)
    on one line each, label and value (`등록일자 2025-09-30`), as other boards print them."""
    if "\n-" not in text and "\n -" not in text:
        return text
    return _BOARD_FIELD_LINES.sub(lambda m: f"{m.group('label')} {m.group('value').strip()}", text)


class _Parser:
    """One pass over the lines of a page: header, then body, until the first end marker."""

    def __init__(self, spec: PageLayout) -> None:
        self.spec = spec
        self.section = ""
        self.region_bullet = ""
        self.bullets: list[str] = []
        self.reporter = ""
        self.email = ""
        self.url = ""
        self.headline = ""  # the title, once read: it names the page if a later line rejects it
        self.dateline = ""
        self.dateline_outlet = ""
        self.end_line = ""
        self.after_end = -1  # the index of the first line after the article's end (-1: none)
        self.subtitle: list[str] = []
        self.menu_lines: frozenset[str] = frozenset()
        self.captions: list[str] = []
        self.paragraphs: list[str] = []
        self.stamps: list[tuple[str, re.Match[str]]] = []
        self.title_outlet = ""
        self.stamp_outlet = ""
        self.later_copyright = ""
        self.repeated_subtitle = ""  # a subtitle printed twice under a headline printed once
        self.site_outlet = ""  # an outlet's name printed before the headline on its line

    def run(self, text: str) -> dict[str, object]:
        spec = self.spec
        lines = text.split("\n")
        first = next((k for k, line in enumerate(lines) if line.strip()), 0)
        copied = _COPY_DATE.match(lines[first])
        if copied is not None and not lines[first][copied.end() :].strip():
            # a copy's opening date: the day of the text; the page's header comes after it
            self._take_stamp_line(copied.group("date"))
            lines[first] = ""
        i = self._title_index(lines)
        if i is None:
            raise RecordError("no title")
        printed = _clean(lines[i])
        labelled = _LABELLED_TITLE.match(printed)
        if labelled:  # the field's label says it is the headline, however it ends
            printed = printed[labelled.end() :]
        bullet = _BULLET.match(printed)
        if bullet and self._bulleted_headline(printed[bullet.end() :], lines[i + 1 :]):
            printed = printed[bullet.end() :]
        video = _VIDEO_TITLE.search(printed)
        headline = printed[: video.start()] if video else printed
        if not labelled and not self._is_headline(headline):
            raise RecordError("no title")
        if _opens_wrapped_script(lines, i):
            raise RecordError("no title")  # a script saved without its headline opens with its first words
        prefix = _OUTLET_PREFIX.match(headline)
        tagged = _tag_outlet(prefix.group("outlet")) if prefix else ""
        title = _PROGRAMME_SUFFIX.sub("", headline[prefix.end() :] if tagged else headline)
        self.title_outlet = tagged or (video.group("outlet") if video else "")
        if not tagged and not video:
            title = self._strip_site_prefix(title, lines[i + 1 :])
        if video:
            self._take_stamp_line(video.group("date"))
        title = self._take_glued_stamp(title)
        if not self.subtitle:
            title = self._split_at_page_title(title, lines[:i])
        if not self.subtitle and len(title) > _GLUED_HEADER_CHARS:
            title = self._split_glued_subtitle(title)
        if not title:
            raise RecordError("no title")
        self.headline = title

        unquoted = _QUOTES.sub("", title)
        in_header = True
        header_anchor = False  # a stamp or reporter line has been seen
        expect_caption = False
        first_paragraph = True
        rest: list[str] = []
        gaps: list[int] = []  # blank lines before each line of `rest`
        origin: list[int] = []  # the index in `lines` of each line of `rest`
        split_boxes: set[int] = set()  # lines of `rest` that are a related box run on (`_GLUED_BOX`)
        blank = 0
        for at, raw in enumerate(lines[i + 1 :], start=i + 1):
            c = _clean(raw)
            for k, part in enumerate(self._split_glued_copyright(c) if c else ()):
                if k and _RELATED_BOX.match(part[:5].replace(" ", "")[:4]):
                    split_boxes.add(len(rest))  # a box split off the paragraph before it
                rest.append(part)
                gaps.append(blank if k == 0 else 0)
                origin.append(at)
            blank = blank + 1 if not c else 0
        # joined[n]: the line follows the previous one in the same block (no blank line between)
        joined = [n > 0 and g == 0 for n, g in enumerate(gaps)]
        # runs of three or more menu words (`대전` / `동구` / `중구` …) are the site's chrome
        self.menu_lines = _menu_runs(rest, joined)
        hard_wrapped = _hard_wrapped(rest, joined, spec.end)
        if not hard_wrapped and _double_spaced(gaps):
            # a transcript saved with a blank line after every line and more between paragraphs
            joined = [n > 0 and g <= 1 for n, g in enumerate(gaps)]
            hard_wrapped = _hard_wrapped(rest, joined, spec.end)
        last_body_line = -1  # index in `rest` of the line that ends the last paragraph
        in_summary = False  # inside a portal's automatic summary of the article
        summary_end = -1
        report_at: int | None = None  # paragraphs before a broadcast transcript's report cue
        resume = -1  # the line the article resumes on after a related-stories box inside it
        for n, s in enumerate(rest):
            if n < resume:
                if not _BOX_ITEM.match(s):
                    self._add_caption(s)  # a photo's caption between the box and the next paragraph
                continue
            if self.paragraphs and _RELATED_BOX.match(s):
                resume = _after_inline_box(rest, n, spec)
                if resume > n:
                    continue
            tail = spec.tail is not None and spec.tail.search(s) is not None
            if tail and not self.paragraphs:
                continue  # the same chrome above the article (an app banner, a newsletter button)
            glued_box = n in split_boxes
            if tail or glued_box or (spec.end is not None and spec.end.search(s)):
                self.end_line = s
                self.after_end = origin[n] + 1
                # a copyright line a little further on names the outlet when the end line does
                # not (a chrome heading or an appended translation ended the article)
                self.later_copyright = next((c for c in rest[n + 1 : n + 40] if _COPYRIGHT_HINT.search(c)), "")
                # `홍길동 기자 hong@x.kr <ⓒ… 무단전재 배포금지>`: a byline printed on the copyright line
                lead = re.split(r"\s[<\[(]", s, maxsplit=1)[0]
                if lead != s and "@" in lead:
                    self._take_person(lead, header=False)
                # `홍길동 기자의 다른 기사 더보기`: the reporter's name on the link to their stories
                author = _AUTHOR_LINK.match(s)
                if author is not None:
                    self._set_person(author.group("name"), None, None)
                break
            if report_at is None and _REPORT_CUE.match(s):
                report_at = len(self.paragraphs)
            if spec.drop is not None and spec.drop.search(s):
                continue
            if not self.paragraphs and (_SUMMARY_START.match(s) or _SUMMARY_NOTICE.match(s)):
                # Daum's summary: up to its toolbar line when that follows, else its notice and
                # the sentences printed again below it (the article's own)
                summary_end = next((k for k in range(n + 1, min(n + 10, len(rest)))
                                    if _SUMMARY_END.match(rest[k])), -1)
                in_summary = True
                continue
            if in_summary:
                if n < summary_end or _SUMMARY_NOTICE.match(s) or any(s in later for later in rest[n + 1 :]):
                    continue
                in_summary = False
            if not self.paragraphs and s in (title, printed):
                continue
            if self.paragraphs and (s in (title, printed, unquoted) or _unbracket(s) in self.subtitle):
                continue  # the headline or subtitle printed again under the lead (an image's alt text, a box)
            if self.paragraphs and (
                _starts_ranking(rest, n) or (n > 0 and _BYLINE_EMAIL.match(rest[n - 1]))
            ):
                self.after_end = origin[n]
                break  # a ranking box, or whatever follows the sign-off `홍길동 기자 hong@x.kr`
            bullet = _BULLET.match(s)
            content = s[bullet.end() :] if bullet else s
            if not content or (bullet and spec.drop is not None and spec.drop.search(content)):
                continue
            if spec.photo_file is not None and spec.photo_file.search(content):
                expect_caption = spec.caption_after_photo
                continue
            if expect_caption and not self._opens_with_dateline(content):
                expect_caption = False
                self._add_caption(content)
                continue
            expect_caption = False
            if (spec.caption is not None and spec.caption.search(content)) or (
                not self.paragraphs and _PHOTO_CREDIT.search(content)
                and not self._opens_with_dateline(content)
            ):
                self._add_caption(content)
                continue
            following = _line_content(rest, n + 1) if n + 1 < len(rest) and joined[n + 1] else ""
            if following and self._captioned_by(content, following):
                self._add_caption(content)
                continue
            if (in_header or len(content) <= 60) and self._take_stamp_line(content):
                header_anchor = True
                continue
            if in_header and not self.paragraphs and self._take_outlet_line(content):
                continue
            if self._take_person(content, header=in_header):
                header_anchor = header_anchor or in_header
                continue
            if in_header and bullet:
                self.bullets.append(content)
                continue
            if "http" in content and self._take_url(content):
                continue
            repeated = bool(self.repeated_subtitle) and content == self.repeated_subtitle
            if repeated and in_header and not self.paragraphs:
                if content not in self.subtitle:  # the subtitle printed twice under the headline
                    self.subtitle.append(content)
                continue
            twice = content in (_line_content(rest, n - 1), _line_content(rest, n + 1))
            if twice and self.paragraphs:
                # inside the article only lines of one block count (no blank line between them)
                twice = (joined[n] and content == _line_content(rest, n - 1)) or (
                    n + 1 < len(rest) and joined[n + 1] and content == _line_content(rest, n + 1))
            if twice and len(content) <= 200 and content not in self.menu_lines:
                # a line printed twice in a row: a photo's alt text and its caption
                # (`세종시청` / `세종시청`), above the first paragraph or between two
                self._add_caption(content)
                continue
            runs_on = (
                hard_wrapped
                and n > 0
                and joined[n]
                and last_body_line == n - 1
                and bool(_RUNS_ON.search(self.paragraphs[-1]))
            )
            if runs_on:
                self.paragraphs[-1] += " " + content
                last_body_line = n
                continue
            if in_header:
                if hard_wrapped and n + 1 < len(rest) and joined[n + 1] and _RUNS_ON.search(content):
                    in_header = False  # the first line of a wrapped paragraph, not a subtitle
                elif not self.paragraphs and (
                    (not header_anchor and self._is_subtitle(content))
                    or (header_anchor and self._late_subtitle(content))
                ):
                    if _unbracket(content) not in self.subtitle:  # printed twice with the headline
                        self.subtitle.append(_unbracket(content))
                    continue
                in_header = False
            if first_paragraph:
                first_paragraph = False
                content = self._strip_dateline(content)
                if not content:
                    continue
            self.paragraphs.append(content)
            last_body_line = n

        self._captions_before_dateline()
        if not self.reporter and report_at:
            # a transcript that names its reporter only in the anchor's lead
            for paragraph in self.paragraphs[:report_at]:
                lead = _ANCHOR_LEAD.search(paragraph + " ")
                if lead is not None:
                    self.reporter = lead.group("name")
                    break
        if not self.paragraphs and self.subtitle and _UNSTOPPED_PARAGRAPH.match(self.subtitle[-1]):
            # the only text under the headline, a paragraph saved without its full stops (a
            # video's description on a mirror), is the body, not a subtitle
            self.paragraphs.append(self.subtitle.pop())
        if self.paragraphs:
            self.paragraphs[-1] = self._strip_byline_tail(self.paragraphs[-1])
        if not self.paragraphs or not self.paragraphs[-1]:
            raise RecordError("no body")
        for field, value in zip(spec.bullet_fields, self.bullets):
            setattr(self, field, value)
        outlet = (spec.outlet or self._outlet_from_page() or self.title_outlet or self.stamp_outlet
                  or self.site_outlet or self._outlet_from_addresses())
        for k in range(2):
            if k >= len(self.paragraphs) or any(len(p) > 200 for p in self.paragraphs[:k]):
                break
            opening = _OUTLET_OPENING.match(self.paragraphs[k])
            named = opening and (opening.group("outlet") or opening.group("paren"))
            if named and not _CREDITED.search(self.paragraphs[k]) and (
                    named in (outlet, known_outlet(named)) if opening.group("outlet")
                    else _is_listed_outlet(named)):
                # `[뉴스스텝] 세종시가 …`: the page's outlet alone in brackets, a dateline without
                # a place; it names the outlet of a page that names none elsewhere. In
                # parentheses, only a listed outlet's name counts: `(사진)`, `(가칭)` open
                # sentences too. A short line above it is an unmarked photo caption, as above a
                # full dateline (`_captions_before_dateline`); a photo's credit in the outlet's
                # name (`[코리안투데이] … 포스터 © 홍길동 기자 |`) opens nothing.
                outlet = outlet or named
                self._open_at(k, self.paragraphs[k][opening.end() :])
                if not self.paragraphs:
                    raise RecordError("no body")
                break
        return {
            "outlet": outlet,
            "section": self.section,
            "region_bullet": self.region_bullet,
            "reporter": self.reporter,
            "email": self.email,
            "url": self.url,
            "published": self._published(),
            "title": title,
            "subtitle": "\n".join(
                x for x in self.subtitle if x not in self.menu_lines and not _NO_WORD.match(x)
            ),
            "body": "\n\n".join(self.paragraphs),
            "captions": "\n".join(self.captions),
            "dateline": self.dateline,
        }

    # -- header pieces -----------------------------------------------------------------------

    def _title_index(self, lines: list[str]) -> int | None:
        """The line index of the headline.

        Saved pages often open with site chrome (menus, the outlet's name, login links), so the
        headline is found from the article's own marks: a headline printed twice, else the
        block of headline-like lines just before the first time stamp, else the first
        headline-like line. ``None`` when the page has no line that can be a headline.
        """
        region = self._header_region(lines)
        if not region:
            return None
        if self.spec.name != GENERIC:
            # An outlet's layout starts with its headline; only site chrome may come first. Chrome
            # may be printed as bullets (a weather widget: `• 맑음강릉 19.3℃`), so it is tested
            # without its bullet.
            pre = self.spec.pre_title
            first = next(
                ((k, s) for k, s in region if not (pre is not None and pre.search(_BULLET.sub("", s)))),
                None,
            )
            if first is None:
                return None
            if _BULLET.match(first[1]) or not self._chrome(first[1]):
                return first[0]
        texts = [_BULLET.sub("", s) for _, s in region]
        # A stamp's label printed without its date (`기사입력 :`) still marks the header's end.
        anchors = [
            n for n, s in enumerate(texts) if self._anchor_stamp(s) or _BARE_STAMP_LABEL.match(s)
        ]
        limit = anchors[0] if anchors else min(len(region), 40)
        # a board's labelled fields: `제목 …` over `등록일 …`
        labelled = next((n for n in range(limit) if _LABELLED_TITLE.match(texts[n])), None)
        if labelled is not None:
            return region[labelled][0]
        # the headline comes before the article's first paragraph (a line opening with a dateline):
        # a line printed twice further on is a photo's alt text and caption
        first_paragraph = next(
            (n for n, s in enumerate(texts[:limit])
             if any(p.search(s) for p in self.spec.dateline)), limit,
        )
        for n in range(first_paragraph):
            if self._title_like(texts[n]) and texts[n] in texts[n + 1 : n + 16]:
                if anchors and anchors[0] - texts.index(texts[n], n + 1) > _TWICE_FAR_LINES and (
                        self._block_before(texts, anchors[0]) is not None):
                    # a site's slogan printed twice high above a headline over the stamp (a board)
                    continue
                if (n > 0 and region[n][0] == region[n - 1][0] + 1 and self._title_like(texts[n - 1])
                        and texts[n - 1] not in texts[n : n + 16] and _pair_repeated(texts, n)):
                    # a subtitle of two lines or more printed twice (a summary box repeats it)
                    # right under a line printed once: that line is the headline
                    return region[n - 1][0]
                if n > 0 and self._subtitle_twice(texts[n - 1], texts[n], texts[n + 1 : n + 16]):
                    self.repeated_subtitle = texts[n]
                    return region[n - 1][0]
                return region[n][0]
        for anchor in anchors[:3]:
            found = self._block_before(texts, anchor)
            if found is not None:
                return region[found][0]
        # Chrome (menus, short lines) may come first; the first other line is the headline or
        # nothing is. A dated page with nothing headline-like before its stamp has no title.
        for n, s in enumerate(texts[:limit]):
            if _ANCHOR_CUE.match(s):
                return None  # a broadcast script with no headline: the anchor's words come first
            if self._title_like(s):
                return region[n][0]
            if not self._chrome(s):
                return None if anchors else region[n][0]
        return None

    def _split_at_page_title(self, title: str, before: Sequence[str]) -> str:
        """The headline without a subtitle run on after it on its line, where the page's title
        printed first (`헤드라인 > 생활/경제`) shows where the headline ends."""
        first = next((c for c in (_clean(x) for x in before) if c), "")
        m = _PAGE_TITLE.match(first)
        if m is None or not title.startswith(m.group("head") + " "):
            return title
        sub = title[len(m.group("head")) + 1 :].strip()
        if len(sub) >= MIN_TITLE_CHARS:
            self.subtitle.append(sub)
            return m.group("head")
        return title

    def _strip_site_prefix(self, title: str, after: Sequence[str]) -> str:
        """The headline without a site's name printed before it on its line (`아이티랩 - …`).

        The name is taken off when it is an outlet's (listed, or ending like one: it then names
        the outlet, after any outlet the page prints elsewhere), or when the page shows it is a
        repost: it credits a listed outlet in brackets (`[지디넷코리아]`) or prints the headline
        again without the name. A reposting site's name names no outlet. A place's or an
        institution's name (`세종시 - …`) is never taken for a site's.
        """
        m = _SITE_PREFIX.match(title)
        if m is None:
            return title
        site, rest = m.group("site"), title[m.end() :]
        if (len(rest) < MIN_TITLE_CHARS or site in _PROVINCES or site.endswith(_NOT_A_NAME_END)
                or not self._is_headline(rest) or _SITE_PREFIX.match(rest)):
            return title
        listed = _is_listed_outlet(site) or bool(known_outlet(site))
        outlet_like = listed or (bool(_OUTLET_END.search(site)) and len(site) >= 4
                                 and not _SECTION_NEWS.match(site))
        if not outlet_like:
            following = [c for c in (_clean(x) for x in after[:40]) if c]
            reposted = any(
                c == rest or _bracketed_listed_outlet(c) or _opens_with_listed_outlet(c)
                for c in following
            )
            if not reposted:
                return title
        self.site_outlet = (known_outlet(site) or site) if outlet_like else ""
        return rest

    def _subtitle_twice(self, above: str, twice: str, after: Sequence[str]) -> bool:
        """True when ``twice``, a line printed twice, is the subtitle of the line printed once just
        above it (``above``), not a headline printed twice under a site's name or slogan. The line
        above is then as long as a headline (a site's name or slogan is shorter) and names no
        outlet (`세종의소리`, `[충청헤럴드]`, `…뉴스`); the line printed twice is longer still, as
        long as a subtitle, and does not end like a sentence."""
        if (above in after or len(above) < _HEADLINE_ABOVE_CHARS
                or len(twice) < _SUBTITLE_TWICE_CHARS or len(twice) <= len(above)
                or not self._title_like(above)):
            return False
        if _SENTENCE_END.search(twice) and not _ELLIPSIS_END.search(twice):
            return False
        return not (_OUTLET_END.search(above) or known_outlet(above) or _tagged_headline(above))

    def _chrome(self, s: str) -> bool:
        """Site chrome before a headline: menus, short labels, navigation lines."""
        spec = self.spec
        return (
            len(s) < MIN_TITLE_CHARS
            or bool(_CHROME_LINE.search(s))
            or any(p is not None and p.search(s) for p in (spec.pre_title, spec.drop, spec.tail))
            or _machine_line(s)
        )

    def _header_region(self, lines: list[str]) -> list[tuple[int, str]]:
        """Non-blank ``(index, cleaned line)`` pairs up to the copyright line (at most 200);
        chrome headings (``최신기사``) are left out, since site navigation above the article
        holds them too."""
        region: list[tuple[int, str]] = []
        for k, line in enumerate(lines):
            s = _clean(line)
            if not s:
                continue
            if region and self.spec.end is not None and self.spec.end.search(s):
                if _COPYRIGHT_HINT.search(s):
                    break
                continue  # a chrome heading in the site navigation above the article
            region.append((k, s))
            if len(region) >= 200:
                break
        return region

    def _anchor_stamp(self, s: str) -> bool:
        """A stamp line that dates the article: a labelled stamp, or a date with a time."""
        found = self._stamp_matches(s)
        return bool(found) and any(label or m.group("h") for label, m in found)

    def _title_like(self, s: str) -> bool:
        if len(s) < MIN_TITLE_CHARS or _CHROME_LINE.search(s):
            return False
        spec = self.spec
        for pat in (spec.pre_title, spec.drop):
            if pat is not None and pat.search(s):
                return False
        if s.count(" ") == 0 and len(s) > 25:  # a URL or an identifier, not a headline
            return False
        if _machine_line(s):
            return False
        return self._is_headline(s)

    def _block_before(self, texts: list[str], anchor: int) -> int | None:
        """The first line of the headline block just before ``texts[anchor]`` (a stamp)."""
        block: list[int] = []
        n = anchor - 1
        while n >= 0 and len(block) < 4:
            s = texts[n]
            if block and _NO_WORD.match(s):
                n -= 1  # a stray mark (`,`) between the headline and its subtitle
                continue
            skippable = (
                (self.spec.drop is not None and self.spec.drop.search(s))
                or self._person_line(s)
                or self._stamp_matches(s)
            )
            if skippable and not block:
                n -= 1
                continue
            if block and len(s) < MIN_TITLE_CHARS:
                break
            if not self._title_like(s) and not (
                block and self._is_subtitle(s) and not skippable and not self._chrome(s)
            ):
                break
            block.append(n)
            n -= 1
        return block[-1] if block else None

    def _bulleted_headline(self, s: str, after: list[str]) -> bool:
        """A headline printed as the first of a list of bullets, over the reporter's or the
        stamp's bullet (`• [오늘의 뉴스] …` / `• 홍길동 기자` / `• 2019-02-14 13:29:24`, 어린이동아)."""
        following = [_BULLET.sub("", c) for c in (_clean(x) for x in after[:6]) if c][:2]
        return self._title_like(s) and any(self._person_line(c) or self._stamp_matches(c) for c in following)

    def _person_line(self, s: str) -> bool:
        if not _may_name_person(s):
            return False
        return any(p.search(s) for p in self.spec.reporter + self.spec.byline)

    def _is_headline(self, s: str) -> bool:
        spec = self.spec
        if len(s) > spec.title_max_chars or _BULLET.match(s) or _DASHED_LINE.match(s):
            return False
        if not any(c.isalnum() for c in s):  # a rule of signs between two pages (`=====`)
            return False
        # A long line ending like a sentence is a paragraph; short headlines may end in "다.".
        if len(s) > 50 and _SENTENCE_END.search(s) and not _ELLIPSIS_END.search(s):
            return False
        if _REPORTED_SPEECH_END.search(s) or _DATED_LEAD.match(s):  # a lead sentence, however short
            return False
        for pat in (spec.end, spec.tail, spec.caption, spec.photo_file):
            if pat is not None and pat.search(s):
                return False
        if any(p.search(s) for p in spec.stamps):
            if not _STAMP_REST.sub("", _strip_stamps(s, spec)):
                return False
        if any(p.search(s) for p in spec.reporter + spec.byline + spec.dateline):
            return False
        return True

    def _late_subtitle(self, s: str) -> bool:
        """A subtitle printed after the stamps (some sites put it below the toolbar): a short
        line that does not end like a sentence and opens with neither a dateline nor a quote."""
        if _unbracket(s) in self.subtitle or s in self.menu_lines:
            return True  # the header printed twice; a menu (left out of the subtitle)
        return (
            len(s) <= 80
            and not _SENTENCE_END.search(s)
            and not _ELLIPSIS_END.search(s)
            and s[0] not in "[(<\"'“‘【"
            and not self._chrome(s)
            and not any(p.search(s) for p in self.spec.dateline)
            and not self._signed(s)
        )

    def _is_subtitle(self, s: str) -> bool:
        """A line under the headline that does not end like a sentence; a line opening with a
        dateline is the first paragraph however it ends (`[세종=뉴스핌] 홍길동 기자 = … 밝혔다,`)."""
        return (
            len(s) <= 2 * self.spec.title_max_chars
            and not (_SENTENCE_END.search(s) and not _ELLIPSIS_END.search(s))
            and not any(p.search(s) for p in self.spec.dateline)
            and not self._signed(s)
        )

    def _signed(self, s: str) -> bool:
        """A paragraph that ends in the reporter's byline (`… 열었다. /홍길동 기자`): an article
        of one paragraph, not a subtitle."""
        return ("기자" in s or "@" in s or s.endswith(">")) and any(
            p.search(s) for p in self.spec.byline_tail
        )

    def _stamp_matches(self, s: str) -> list[tuple[str, re.Match[str]]]:
        """The stamps of a line made of stamps (and maybe a reporter); [] for any other line."""
        if len(s) > 120 or not any(ch.isdigit() for ch in s):  # length first: lines may be huge
            return []
        found: list[tuple[str, re.Match[str]]] = []
        for pat in self.spec.stamps:
            # `승인시간 : …`, `송고시간 …`: the label is the stamp's kind (승인, 송고)
            found = [(_STAMP_TIME_WORD.sub("", m.group("label") or ""), m) for m in pat.finditer(s)]
            if found:
                break
        if not found:
            return []
        left = _beside_stamps(s, found)
        # what is left is a reporter (`홍길동 기자`, or a name alone: `홍길동 |`), the outlet, or
        # the section glued to the label
        if _STAMP_REST.sub("", left) and not (
            self._person_line(left) or _bare_name(left, s, found) or _STAMP_OUTLET.match(left)
            or _glued_section(left, s, found) or _LABELLED_WRITER.match(left)
            or _bare_count(left, s, found) or _BOARD_POSTER.match(left) or _BOARD_WRITER.match(left)
            or _DESK.match(left)
        ):
            return []
        return found

    def _split_glued_copyright(self, line: str) -> list[str]:
        """A line as the lines it holds: a copyright line glued to the last sentence
        (`… 예정이다.저작권자 © 매일일보 무단전재 …`) is a line of its own."""
        box = _GLUED_BOX.search(line)
        if box is not None and box.start() >= 20 and _COPYRIGHT_HINT.search(line, box.end()):
            # a related-stories box and the copyright run on after the paragraph: the paragraph,
            # then the box (which ends the article)
            return [line[: box.start()].rstrip(), line[box.end() :]]
        m = _GLUED_COPYRIGHT.search(line, max(1, len(line) - 80))
        end = self.spec.end
        if m is None or end is None or not end.search(line[m.end() :]):
            return [line]
        return [line[: m.start()].rstrip(), line[m.end() :]]

    def _take_glued_stamp(self, title: str) -> str:
        """The headline without a stamp (and reporter) glued to the end of its line; the stamp
        and the reporter are recorded."""
        m = _GLUED_STAMP.search(title)
        # a date alone may be the headline's own (`… 결과 2021-03-04`); a stamp has more
        marked = m is not None and any(m.group(g) for g in ("name", "label", "time", "count"))
        if not marked or len(title[: m.start()]) < MIN_TITLE_CHARS:
            return title
        if not self._take_stamp_line(m.group("stamp").strip()):
            return title
        self._set_person(m.group("name"), None, None)
        # the whole header on one line: the subtitle too, after the headline's closing verb
        # (`… 스마트도시 그린다 체감형 서비스 발굴, 공모사업 공동 기획 홍길동 기자입력 …`)
        return self._split_glued_subtitle(title[: m.start()].rstrip())

    def _split_glued_subtitle(self, headline: str) -> str:
        """The headline without a subtitle run on after its closing verb on the same line; the
        subtitle is recorded. ``headline`` is returned as it is when it holds no such verb."""
        for end in _HEADLINE_VERB_END.finditer(headline):
            head, sub = headline[: end.start()], headline[end.end() :]
            if len(head) >= MIN_TITLE_CHARS and len(sub) >= MIN_TITLE_CHARS and not _QUOTES.search(head):
                self.subtitle.append(sub)
                return head
        return headline

    def _captioned_by(self, s: str, following: str) -> bool:
        """``s`` is about the photo the next line of its block captions or credits: the image's
        alt text over its caption, opening with the same words (`… 개념, …청 제공` over `… 개념.
        (자료=…청 제공)`), or a caption over a bare credit (`… 듣고 있다.` over `세종시 제공`)."""
        caption = self.spec.caption
        if len(s) > _CAPTION_MAX_CHARS or caption is None or not caption.search(following):
            return False
        if _BARE_CREDIT.match(following):
            return bool(_PHOTO_DESCRIBED.search(s))
        shared = next((k for k, (a, b) in enumerate(zip(s, following)) if a != b),
                      min(len(s), len(following)))
        return shared >= MIN_TITLE_CHARS and not _SENTENCE_INSIDE.search(s)

    def _take_stamp_line(self, s: str) -> bool:
        """Record the stamps of a line made of stamps (and maybe the reporter); else False."""
        found = self._stamp_matches(s)
        if not found:
            return False
        rest = _beside_stamps(s, found)
        if _glued_section(rest, s, found):
            self.section = self.section or rest
        elif _bare_name(rest, s, found):
            self._set_person(rest, None, None)
        elif _STAMP_OUTLET.match(rest):
            self.stamp_outlet = self.stamp_outlet or rest
        elif (writer := _LABELLED_WRITER.match(rest)) is not None:
            if _BARE_NAME.match(writer.group("who")):
                self._set_person(writer.group("who"), None, None)
        elif (poster := _BOARD_WRITER.match(rest)) is not None:
            if _STAMP_OUTLET.match(poster.group("who")):
                self.stamp_outlet = self.stamp_outlet or poster.group("who")
        elif _STAMP_REST.sub("", rest) and not (
            _bare_count(rest, s, found) or _BOARD_POSTER.match(rest) or _DESK.match(rest)
        ):
            self._take_person(rest, header=True)
        self.stamps.extend(found)
        return True

    def _take_person(self, s: str, *, header: bool) -> bool:
        """Reporter / byline lines: record name, e-mail and byline place; True when taken."""
        if not _may_name_person(s):
            return False
        pats = self.spec.reporter + self.spec.byline if header else self.spec.byline
        for pat in pats:
            m = pat.search(s)
            if m is not None:
                groups = m.groupdict()
                self._set_person(groups.get("name"), groups.get("email"), groups.get("place"))
                if header and groups.get("header_outlet"):  # an outlet printed beside a stamp
                    self.stamp_outlet = self.stamp_outlet or groups["header_outlet"]
                return True
        return False

    def _take_outlet_line(self, s: str) -> bool:
        """The outlet's name on a line of its own above the article: `눈카뉴스`, a listed outlet
        (`세종포커스` in the byline's place), or a listed broadcaster and its station in brackets,
        `[KBS 대전]` (a local report on a portal)."""
        spec = self.spec
        m = _OUTLET_LINE.match(s)
        if m is None or _CHROME_LINE.search(s) or any(
            p is not None and p.search(s) for p in (spec.pre_title, spec.drop, spec.tail, spec.end)
        ):
            return False
        outlet, place = m.group("outlet"), m.group("place")
        if place or m.group("open"):
            # in brackets a listed outlet, alone (a repost's credit) or with its station
            named = bool(m.group("open")) and _is_listed_outlet(outlet)
        else:
            named = (bool(_OUTLET_END.search(outlet)) and len(outlet) >= 4
                     and not _SECTION_NEWS.match(outlet)) or _is_listed_outlet(outlet)
        if not named:
            return False
        self.stamp_outlet = self.stamp_outlet or outlet  # printed in the header, as beside the stamps
        if place and not self.dateline:
            self.dateline = place
        return True

    def _set_person(self, name: str | None, email: str | None, place: str | None) -> None:
        if name and not self.reporter:
            self.reporter = name.strip()
        if email and not self.email:
            self.email = re.sub(r"\s+@", "@", email.strip())
        if place and not self.dateline:
            self.dateline = place.strip()

    def _take_url(self, s: str) -> bool:
        for pat in self.spec.url:
            m = pat.search(s)
            if m is not None:
                if not self.url:
                    self.url = m.group("url")
                return True
        return False

    def _add_caption(self, s: str) -> None:
        caption = _CAPTION_MARK.sub("", s).strip()
        if caption and caption not in self.captions:  # pages often print a caption twice
            self.captions.append(caption)

    # -- body pieces -------------------------------------------------------------------------

    def _outlet_from_addresses(self) -> str:
        """The listed outlet whose domain the page's printed address or the reporter's e-mail is
        on (``hong@viva100.com`` → ``브릿지경제``): for a page that prints no outlet's name."""
        domain = self.email.rpartition("@")[2]
        return outlet_from_url(self.url) or (outlet_from_url("https://" + domain) if domain else "")

    def _opens_with_dateline(self, s: str) -> bool:
        """True when ``s`` starts with a dateline (``[세종=뉴시스] 홍길동 기자 = …``): the
        article's first paragraph, even where a caption was expected."""
        return any(pat.search(s) for pat in self.spec.dateline)

    def _strip_dateline(self, s: str) -> str:
        """Remove a dateline / start byline prefix from the first paragraph, keeping its data."""
        s = _GLUED_REPORT_CUE.sub("", s, count=1)
        dashed = _DASHED_SUBTITLE.match(s)
        head = s[dashed.end() :] if dashed else s
        if head.startswith("【"):  # `【세종=코리아플러스】 홍길동 기자 =`: read as square brackets
            head = head[:40].translate(_LENTICULAR) + head[40:]
        for pat in self.spec.dateline:
            m = pat.search(head)
            if m is not None:
                if dashed:
                    self.subtitle.append(dashed.group("sub").strip())
                    s = s[dashed.end() :]
                groups = m.groupdict()
                place, outlet = (groups.get("place") or "").strip(), (groups.get("outlet") or "").strip()
                if place and outlet and _outlet_like(place) and not _outlet_like(outlet):
                    # `[세종 세계타임즈=…]`, `[굿모닝충청=세종 홍길동 기자]`: the other order
                    place, outlet = outlet, place
                first, _, last = outlet.rpartition(" ")
                if not place and first and last in _PROVINCES:
                    outlet, place = first, last  # `[MBS 세종 = 홍길동 기자]`: the outlet and its place
                elif not place and first in _PROVINCES and _HANGUL_NAME.fullmatch(last):
                    outlet, place = last, first  # `[세종 뉴스밴드 = 홍길동 기자]`: the place first
                if place:
                    self.dateline = place
                if outlet:
                    self.dateline_outlet = outlet
                self._set_person(groups.get("name"), None, None)
                return s[m.end() :].strip()
        return s

    def _captions_before_dateline(self) -> None:
        """A photo caption printed without a mark above the article's dateline (``1일 … 열리고
        있다.`` then ``[대전=이데일리 홍길동 기자] …``) is a caption: the dateline opens the text."""
        if self.dateline or self.dateline_outlet:
            return
        for k in (1, 2):
            if k >= len(self.paragraphs) or any(len(p) > 200 for p in self.paragraphs[:k]):
                return
            stripped = self._strip_dateline(self.paragraphs[k])
            if stripped != self.paragraphs[k]:
                self._open_at(k, stripped)
                return

    def _open_at(self, k: int, lead: str) -> None:
        """The article opens at paragraph ``k``, whose dateline left ``lead``: the paragraphs
        above it are captions."""
        for caption in self.paragraphs[:k]:
            self._add_caption(caption)
        self.paragraphs = [lead, *self.paragraphs[k + 1 :]] if lead else self.paragraphs[k + 1 :]

    def _strip_byline_tail(self, s: str) -> str:
        """Remove a byline printed at the end of the last paragraph, keeping its data."""
        if "@" not in s and "기자" not in s and not s.endswith(">"):
            return s
        for pat in self.spec.byline_tail:
            m = pat.search(s)
            if m is not None:
                groups = m.groupdict()
                self._set_person(groups.get("name"), groups.get("email"), groups.get("place"))
                return s[: m.start()].strip()
        return s

    # -- results -----------------------------------------------------------------------------

    def _outlet_from_page(self) -> str:
        for line in (self.end_line, self.later_copyright):
            if not line:
                continue
            english = _ENGLISH_BROADCASTER.search(line)
            if english is not None:
                return _english_broadcaster(english)
            known = known_outlet(line)
            if known:
                return known
            for pat in self.spec.outlet_from:
                m = pat.search(line)
                if m is not None:
                    return _slogan_outlet(line) or m.group("outlet")
        return self.dateline_outlet

    def _published(self) -> pd.Timestamp | None:
        for label in self.spec.published:
            for found_label, m in self.stamps:
                if found_label == label:
                    return _to_timestamp(m)
        return None


_DOMAIN = re.compile(r"(?:https?://)?((?:[\w-]+\.)+[a-z]{2,})", re.I)

# A broadcaster's copyright line in English: `Copyright © Daejeon Munhwa Broadcasting
# Corporation. All rights reserved.` (a regional MBC names its city first).
_ENGLISH_BROADCASTER = re.compile(
    r"\b(?:(?P<place>[A-Z][a-z]+)\s)?(?P<name>Munhwa|Korean|Seoul)\sBroadcasting\s"
    r"(?:Corporation|System)\b"
)
_BROADCASTER_NAMES = {"Munhwa": "MBC", "Korean": "KBS", "Seoul": "SBS"}
# the romanised names of the cities with a station of their own
_ROMANISED_PLACES = {
    "Daejeon": "대전", "Gwangju": "광주", "Busan": "부산", "Daegu": "대구", "Ulsan": "울산",
    "Jeonju": "전주", "Chuncheon": "춘천", "Wonju": "원주", "Gangneung": "강릉", "Andong": "안동",
    "Pohang": "포항", "Jinju": "진주", "Mokpo": "목포", "Yeosu": "여수", "Jeju": "제주",
}


def _english_broadcaster(m: re.Match[str]) -> str:
    """The Korean name of the broadcaster an English copyright line names (``Daejeon Munhwa
    Broadcasting Corporation`` → ``대전MBC``), or "" for a station of a city not in the table: its
    first English word is no outlet's name."""
    name, place = _BROADCASTER_NAMES[m.group("name")], m.group("place")
    if not place:
        return name
    return _ROMANISED_PLACES[place] + name if place in _ROMANISED_PLACES else ""


def _pair_repeated(texts: Sequence[str], n: int) -> bool:
    """True when ``texts[n]`` and the line after it are printed again together further on."""
    again = texts.index(texts[n], n + 1)
    return n + 1 < again and again + 1 < len(texts) and texts[n + 1] == texts[again + 1]


def _line_content(lines: Sequence[str], n: int) -> str:
    """Line ``n`` of ``lines`` without its bullet ("" outside the lines)."""
    return _BULLET.sub("", lines[n]) if 0 <= n < len(lines) else ""


def _outlet_like(word: str) -> bool:
    """A dateline word that names an outlet: it ends like one (``…일보``, ``…뉴스``) or is a
    listed outlet's name (``굿모닝충청``)."""
    return bool(_OUTLET_END.search(word)) or _is_listed_outlet(word)


def _is_listed_outlet(word: str) -> bool:
    """``word`` is, as a whole, the name of an outlet in the outlet table (``경기뉴스통신``)."""
    return any(name == word for name, _ in _listed_names())


def known_outlet(line: str) -> str:
    """The outlet a copyright line names, when it is a listed outlet or domain; else "".

    ``<ⓒ경제콘텐츠 플랫폼, 아시아경제(www.asiae.co.kr) 무단전재>`` → ``아시아경제``: slogans before
    the name defeat a pattern, the outlet table (``lib/resources/outlet_domains.tsv``) does not.
    """
    for m in _DOMAIN.finditer(line):
        outlet = outlet_from_url("https://" + m.group(1))
        if outlet:
            return outlet
    for name, pattern in _listed_names():
        if name in line and pattern.search(line):
            return name
    return ""


@lru_cache(maxsize=1)
def _listed_names() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The listed outlets' names of three characters or more, longest first, each with the
    pattern that finds it as a whole name: not the end of a longer name (`충청뉴스` in
    `세종충청뉴스`), nor its start (`충청뉴스라인`), but followed by `사` (`중도일보사`)."""
    names = sorted({n for n in load_domains().values() if len(n) >= 3}, key=len, reverse=True)
    return tuple(
        (name, re.compile(rf"(?<![가-힣A-Za-z0-9]){re.escape(name)}사?(?![가-힣A-Za-z0-9])")) for name in names
    )


def _beside_stamps(line: str, found: list[tuple[str, re.Match[str]]]) -> str:
    """What a line holds besides its stamps (``found``), view counters and programme names,
    without the separators at its ends: ``홍길동 기자 / 기사승인 : 2025-07-29`` → ``홍길동 기자``."""
    rest = line
    for _, m in reversed(found):
        rest = rest[: m.start()] + " " + rest[m.end() :]
    # `입력시간 : … , 최종수정 : …, 홍길동 기자`: commas part the stamps too
    return _clean(_clean(_STAMP_EXTRAS.sub(" ", rest)).strip("|·/ ,"))


def _bare_name(name: str, line: str, found: list[tuple[str, re.Match[str]]]) -> bool:
    """True when what a stamp line holds besides its stamps (``name``) is a name alone, set off
    by ``|`` or ``/`` and beside a labelled stamp (``홍길동 | 기사입력 2021-04-02 23:22``), or
    opening the line before one date with its time as Daum prints them (``홍길동 2023. 10. 6.
    09:02``; ``홍길동 2021-04-02 23:22`` is not a stamp line)."""
    if not _BARE_NAME.match(name) or name.endswith(_NOT_A_NAME_END) or name.endswith(_DESK_END):
        return False
    if any(label for label, _ in found):
        # or the name opens the line, a space before a labelled stamp: `홍길동 승인 2022.07.29 17:51`
        # (glued to the label it is a section: `컴퓨팅입력 :2018/12/10 11:01`)
        before = line[: found[0][1].start()]
        return bool(re.search(r"[가-힣]\s?[|/]", line)) or (
            bool(found[0][0]) and before.strip() == name and before[-1:].isspace())
    if len(found) != 1:
        return False
    stamp = found[0][1]
    return (bool(_DAUM_STAMP.fullmatch(stamp.group(0).strip()))
            and line[: stamp.start()].strip() == name and not line[stamp.end() :].strip())


def _bare_count(rest: str, line: str, found: list[tuple[str, re.Match[str]]]) -> bool:
    """True when a line is one unlabelled date at its start and a bare number after it (a view
    count: ``2020-02-19 5``)."""
    label, stamp = found[0]
    return (len(found) == 1 and not label and bool(_BARE_COUNT.match(rest))
            and not line[: stamp.start()].strip())


def _glued_section(rest: str, line: str, found: list[tuple[str, re.Match[str]]]) -> bool:
    """True when what a stamp line holds besides its stamp (``rest``) is a section's name glued
    to the stamp's label: ``방송/통신입력 :2020/02/25 11:50``."""
    label, stamp = found[0]
    return (bool(label) and bool(_GLUED_SECTION.match(rest))
            and line[: stamp.start()] == rest and not line[found[-1][1].end() :].strip())


def _may_name_person(s: str) -> bool:
    """A cheap test before the reporter and byline patterns: the line has a mark they need."""
    return "기자" in s or "@" in s or "특파원" in s or s.endswith(("입니다.", "입니다"))


def _hard_wrapped(lines: list[str], joined: list[bool], end: re.Pattern[str] | None) -> bool:
    """True when the article wraps its paragraphs over several lines (broadcast transcripts).

    ``lines`` are the page's non-blank lines (cleaned) and ``joined[n]`` tells whether line
    ``n`` follows line ``n - 1`` with no blank line between. Such pages separate paragraphs by
    blank lines and break each paragraph mid-sentence. The test, up to the end marker: at least
    two blocks of two or more lines in which every line but the last runs on (ends in a letter,
    digit or comma) and the last ends a sentence. A page that prints one paragraph per line has
    no such block: its lines end sentences, and its header clusters (headline, subtitle,
    stamps) do not end with one.
    """
    wrapped = 0
    start = 0
    for n in range(1, len(lines) + 1):
        at_end = n < len(lines) and end is not None and end.search(lines[n]) is not None
        if n < len(lines) and joined[n] and not at_end:
            continue
        block = lines[start:n]
        if (
            len(block) >= 2
            and all(len(b) >= 8 and _RUNS_ON.search(b) for b in block[:-1])
            and _SENTENCE_END.search(block[-1])
        ):
            wrapped += 1
            if wrapped >= 2:
                return True
        if at_end:
            break
        start = n
    return False


def _opens_wrapped_script(lines: Sequence[str], i: int) -> bool:
    """True when line ``i``, opening a block of lines, is the first line of a sentence wrapped
    over the lines under it, and the next sentence is wrapped too: a broadcaster's script saved
    without its headline (`세종 도심에서 출발해 국책연구단지를` / `지나 시외버스터미널까지 …` / `…
    새로 생깁니다.`). Its first words are no headline: a page whose headline runs into the script
    with no blank line between is refused rather than given a wrong title.
    """
    if i > 0 and lines[i - 1].strip():
        return False
    sentences: list[int] = []  # the number of lines of the first two sentences
    start = i
    for n in range(i, len(lines)):
        line = _clean(lines[n])
        if not line or len(line) > _WRAPPED_LINE_CHARS:
            return False
        if _SENTENCE_END.search(line):
            sentences.append(n - start + 1)
            start = n + 1
            if len(sentences) == 2:
                break
        elif not _RUNS_ON.search(line):
            return False
    return len(sentences) == 2 and sentences[0] >= 3 and sentences[1] >= 2


def _slogan_outlet(line: str) -> str:
    """The outlet of a copyright line that prints a slogan first (`저작권자 © 누구나 안심하고 …
    언론 세이프타임즈 무단전재 …`): the last word before `무단` that ends like an outlet's name,
    when the first word after the sign does not; "" otherwise."""
    head, found, _ = line.partition("무단")
    words = _COPYRIGHT_SIGN.sub("", head).split()
    if not found or len(words) < 3 or _outlet_like(words[0]):
        return ""
    last = words[-1]
    return last if len(last) >= 4 and _OUTLET_END.search(last) else ""


def _machine_line(s: str) -> bool:
    """A record of numbers and flags a portal prints above its copy of a story (Zum: ids,
    version, epoch times): no Hangul, more digits than letters."""
    return not _HANGUL.search(s) and sum(c.isdigit() for c in s) > sum(c.isalpha() for c in s)


def _after_inline_box(lines: list[str], n: int, spec: PageLayout) -> int:
    """Where the article resumes after the related-stories heading ``lines[n]``, or -1.

    Some pages print the box in the middle of the article, and a saved page keeps its heading
    but not its links: the next line, or the one after a short caption, is the article's next
    paragraph (long, or holding a finished sentence). A box whose headlines were kept lists
    short lines; one that quotes its stories' leads cuts them off (`…`); chrome and copyright
    lines end the article as before. A box that kept its headlines, each with its date
    (``- 헤드라인 …2019.05.02``), is skipped when an article's paragraph follows its items.
    """
    k = n + 1
    while k < len(lines) and k - n <= 10 and _BOX_ITEM.match(lines[k]):
        k += 1
    if k > n + 1:
        if k >= len(lines) or not _resumes_article(lines[k], spec):
            return -1
        return k
    for k in (n + 1, n + 2):
        if k >= len(lines):
            return -1
        s = lines[k]
        chrome = any(p is not None and p.search(s) for p in (spec.end, spec.tail, spec.drop))
        if chrome or _COPYRIGHT_HINT.search(s):
            return -1
        if not _ELLIPSIS_END.search(s) and (len(s) >= 60 or (len(s) >= 30 and _SENTENCE_INSIDE.search(s))):
            return k
        if len(s) >= 40:
            return -1
    return -1


def _resumes_article(s: str, spec: PageLayout) -> bool:
    """``s``, the line after a related-stories box, is the article's next paragraph: no chrome
    or copyright, a sentence of 30 characters or more, not cut short."""
    chrome = any(p is not None and p.search(s) for p in (spec.end, spec.tail, spec.drop))
    return (not chrome and not _COPYRIGHT_HINT.search(s) and not _ELLIPSIS_END.search(s)
            and not _BOX_ITEM.match(s) and len(s) >= 30
            and bool(_SENTENCE_END.search(s) or _SENTENCE_INSIDE.search(s)))


def _double_spaced(gaps: list[int]) -> bool:
    """True when a page's lines are set apart by one blank line and its paragraphs by more.

    ``gaps[n]`` is the number of blank lines before line ``n``. Some broadcasters' pages print
    a transcript with a line break after every few words; saved, each break is a blank line
    and each paragraph break two or more.
    """
    single = sum(1 for g in gaps if g == 1)
    wider = sum(1 for g in gaps if g >= 2)
    return single >= 3 and wider >= 2


def _unbracket(s: str) -> str:
    """A subtitle printed in brackets, ``[… …]``, without them."""
    if len(s) > 2 and s[0] == "[" and s[-1] == "]" and "]" not in s[1:-1]:
        return s[1:-1].strip()
    return s


def _menu_runs(lines: list[str], joined: list[bool]) -> frozenset[str]:
    """The lines of runs of three or more menu words, one a line (``joined[n]``: line ``n``
    follows the one before it with no blank line between; a blank line ends a run)."""
    menu: set[str] = set()
    run: list[str] = []
    for line, follows in zip([*lines, ""], [*joined, False], strict=True):
        word = bool(_MENU_WORD.match(line))
        if not (follows and word):
            if len(run) >= 3:
                menu.update(run)
            run = []
        if word:
            run.append(line)
    return frozenset(menu)


def _starts_ranking(lines: list[str], n: int) -> bool:
    """True when ``lines[n]`` opens a numbered list of 3+ headlines (a ranking box)."""
    first = _NUMBERED.match(lines[n])
    if first is None or int(first.group(1)) > 1 or (n and _SERIES_CONTENTS.match(lines[n - 1])):
        return False
    expected = int(first.group(1))
    for line in lines[n : n + 3]:
        m = _NUMBERED.match(line)
        if m is None or int(m.group(1)) != expected or _SENTENCE_END.search(line):
            return False
        expected += 1
    return True


def _strip_stamps(s: str, spec: PageLayout) -> str:
    for pat in spec.stamps:
        s = pat.sub(" ", s)
    return s


def _to_timestamp(m: re.Match[str]) -> pd.Timestamp:
    """The wall-clock time of a stamp match; RecordError when it is not a real, plausible date."""
    g = m.groupdict()
    hour = int(g["h"]) if g.get("h") else 0
    minute = int(g["mi"]) if g.get("mi") else 0
    seconds = g.get("s") or g.get("s2")
    second = int(seconds) if seconds else 0
    ampm = (g.get("ampm") or "").lower()
    if ampm in ("오후", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "am") and hour == 12:
        hour = 0
    year = int(g["y"])
    if len(g["y"]) == 2:  # a board's short year: `작성일 22-01-11`, `입력 24-12-02 23:46`
        year += 2000 if year < 70 else 1900
    try:
        _dt.date(year, int(g["mo"]), int(g["d"]))
    except ValueError:
        raise RecordError(f"unparseable date '{g['ymd']}'") from None
    return from_parts(year, int(g["mo"]), int(g["d"]), hour, minute, second, shown=g["date"])


def _clean(line: str) -> str:
    """Strip a line and collapse runs of whitespace to one space."""
    return _SPACES.sub(" ", line).strip()
