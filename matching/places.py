"""Where an offer's own text says it runs: the towns, streets or districts it names as its only
places.

A county's programme is often posted for the whole county and run in a few places ("目前只开通
金沙、兴东、先锋三街道", "只在磨头镇、搬经镇设点", "上门康复只到如城街道和东陈镇"): its coverage
passes every town of the county, and plain matching ranked it first for a family in a town it
never reaches. A clause counts when it names a town or a street (…镇, …街道) beside a word
that confines (只在, 仅限, 试点, 设点, 服务点 …), and neither sends the rest elsewhere or says
they are left out (丁堰镇没有, 其他镇暂未开通: those clauses name the places it does not reach),
nor is an example (比如白蒲镇的老张), nor says the programme has spread (2018年全县推开). A
need's town, the last segment of its region, is outside when no such clause of the offer names
it, in full (丁堰镇) or short (丁堰); a city's programme confined to districts or counties
(服务地点仅限崇川区) is outside for a need whose county no such clause names.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .regions import segments

_SENTENCE = re.compile("[。！!？?\n]")
_CLAUSE = re.compile("[，,；;]")
_CONFINES = re.compile("只在|仅在|只限|仅限|限于|只到|只开通|目前只|暂只|只有|试点|设点|项目点|"
                       "服务点|站点设在|只覆盖|仅覆盖"
                       # a station's own area (本站服务范围内（三星镇各村、社区）)
                       "|服务范围")
# a town or a street by its name: 丁堰镇, 如城街道 (not 各镇, 到镇扶贫办, 乡镇, 城镇户, 城区街道,
# 三街道, 几个镇); or short names listed before a count, as notices shorten them (金沙、兴东、先锋
# 三街道; 搬经、磨头两镇)
_GENERIC = "各到本该驻每个几全在村县市区地的和或及等一二三四五六七八九十两"
_TOWN = re.compile(f"(?![{_GENERIC}城乡])[\u4e00-\u9fff]镇|(?![{_GENERIC}])[\u4e00-\u9fff]街道")
# … or a county or a district by its name: 崇川区, 如皋市, 如东县 (not 社区, 小区, 城区, 园区, 本县,
# 全市, 超市, 城市; the city itself, 南通市, confines nothing)
_COUNTY = re.compile(f"(?![{_GENERIC}社小城园发景郊校])[\u4e00-\u9fff]区"
                     f"|(?![{_GENERIC}城])[\u4e00-\u9fff]县"
                     f"|(?![{_GENERIC}城超菜门南通])[\u4e00-\u9fff]市")
_SHORT_LIST = re.compile("[\u4e00-\u9fff]{2,3}(?:、[\u4e00-\u9fff]{2,3})*(?:、|和|及)"
                         "[\u4e00-\u9fff]{2,3}[两三四五六七八九]个?(?:镇|街道)")
_LEFT_OUT = re.compile("没有|暂未|暂无|无法|未开通|还没|尚未|不在|以外|之外|除外|不再|其他|其它"
                       "|暂不")
_EXAMPLE = re.compile("比如|比方|例如|好比|举例|像")
_SPREAD = re.compile("推开|推广|扩大|全(?:市|县|区)|覆盖到")
_SUFFIX = re.compile("(?:镇|街道|乡|区|县|市)$")


class Confines(NamedTuple):
    """An offer's confining clauses, sorted once when it is indexed: those that name towns or
    streets, and those that name only counties or districts."""

    towns: tuple[str, ...]
    counties: tuple[str, ...]


def confining_clauses(text: str) -> Confines | None:
    """The clauses of an offer's text that name the only places it runs in (None: none)."""
    if not _CONFINES.search(text):
        return None
    towns, counties = [], []
    for sentence in _SENTENCE.split(text):
        if not _CONFINES.search(sentence) or _SPREAD.search(sentence) \
                or _EXAMPLE.search(sentence):
            continue
        # a list of places may run on past its clause (只在…如皋搬经镇、磨头镇；海安李堡镇)
        going = False
        for c in _CLAUSE.split(sentence):
            town = _TOWN.search(c) or _SHORT_LIST.search(c)
            if not (town or _COUNTY.search(c)) or _LEFT_OUT.search(c):
                going = False
            elif going or _CONFINES.search(c):
                (towns if town else counties).append(c)
                going = True
    return Confines(tuple(towns), tuple(counties)) if towns or counties else None


def outside(places: Confines, region: str, depth: int) -> bool:
    """Whether a need in ``region`` lies outside the places an offer is confined to, whose
    coverage reaches it at ``depth`` (1 the city, 2 its county, 3 its town): when some clauses
    name towns or streets, one of them must name the need's town; when some name only counties
    or districts, one clause must name the need's county; a place the coverage itself fixes
    already is not read again."""
    seg = segments(region)
    if len(seg) < 2:
        return False
    if places.towns and depth < 3 and len(seg) > 2 \
            and not any(_names(c, seg[2]) for c in places.towns):
        return True
    return bool(places.counties) and depth < 2 \
        and not any(_names(c, seg[1]) for c in places.towns + places.counties)


def _names(clause: str, place: str) -> bool:
    """Whether ``clause`` names ``place``, in full (丁堰镇, 如皋市) or short (丁堰, 如皋)."""
    return (_SUFFIX.sub("", place) or place) in clause
