""""Already has X": help a need says the household already receives or has already done.

A caseworker often records what the family already has (入学时已办理生源地助学贷款, 已享受低保,
已领取残疾人两项补贴, 已参加职业技能培训). Those words name a programme, so plain matching would
rank that very programme first, above help that is still missing. This module finds such
spans and takes the concepts they name out of the need's concept vector, unless the rest of
the text asks for them too.

- A span starts after a trigger (已办理, 已享受, 已领取, 已纳入, 已参加, 已获得, 正在享受, 已经有 …)
  and ends at punctuation or at a word that opens a new clause (但, 仍, 希望, 诉求 …), at most
  ``_MAX_SPAN`` characters. A negated form (尚未办理, 没有享受, 未纳入) has no 已 and does not
  trigger; "已有三年" (a quantity after 有) is not a span, nor a step of the situation itself
  (已办理住院, 已办理入学, 已参加高考).
- A loan the family already holds is a span without 已 too (办了贷款, 学费是贷的, 已经贷了两年:
  ``_LOAN_HELD``), read as the loan where 贷 is the verb.
- A concept is dropped when a span fires it and the text outside every span does not; an
  offer that fires a dropped concept gets the pair feature ``received`` (features.py, a
  penalty) and the reason "需求已享受 …，已降低排序".
- What the family says it does not need (家里不需要人照料, 再培训没必要, 医疗方面不涉及;
  ``declined``) is read the same way, clause by clause, with the reason "需求写明 …"; such a
  clause drops even what serves a situation the text names (不需要法律方面再帮 beside a
  compensation case settled), never the situation itself.
- A recognised group (低保对象, 特困人员, 残疾人 … the spec's group table) is a status that opens
  programmes, not a programme received: the concepts its Chinese name fires are never dropped.
- Only the thing received is dropped, never the situation named beside it (已领取失业保险金
  drops the insurance, not 失业; 已享受重度残疾人护理补贴 drops the allowance, not the
  disability): words of a situation concept (``@situation`` in the concept data: an illness,
  a disability, a school stage, being out of work …) are blanked in the span before it is
  encoded, and a situation concept is never dropped.

The detector runs once per batch of texts: one regular-expression pass over the joined texts
finds the (few) spans, and only the texts that have one are encoded again.
"""

from __future__ import annotations

import re
import weakref
from typing import NamedTuple

import numpy as np

from .schema import GROUP_CN
from .text import scale_concepts, texts_at

_MAX_SPAN = 24
# what a school or an office already gave, told as done to the family: an exemption or a
# payment (学校已免除其学杂费并发放国家资助, 学校已为其免除学杂费, 学费已按政策免除, 每年的补助也
# 已发放, 学校已给他免了学费) — the fee waiver and the grant a pupil already has, which graders
# put below the help still missing
_GIVEN = "(?:免除|减免|发放)了?|(?:免|发)(?:了|过)"
# 已 / 已经 (+ 在 and where — 已在县资助中心办理, 已在镇里办了 — or an adverb of how often or
# how long: 已按月领取, 已每年享受, 已连续领取; or 为/给 and whom, or none: 学校已经给办了
# 国家助学金)
# + a verb of receiving or taking part, the short verbs with 过/了 (已领过, 已拿了, 已办过), or a
# bare 办 before what was done (已办生源地助学贷款8000元: a record's shorthand for 已办理; not
# 已办妥/已办完/已办结, which end a clause, nor 已办下来, read by _POST), or a bare 领 before
# what is drawn (父亲已领困难残疾人生活补贴: a survey form's shorthand for 已领取);
# 正在 + 享受/领取.
_TRIGGER = re.compile(
    "(?:已经|已)(?:在[^，。；：,.;:\n]{0,8}?(?=办理|领取|申领|享受|办了|办过|领了|领过)|在|按月"
    "|按年|按季|按时|按期|每月|每年|连续|长期|一直|先后|陆续"
    f"|(?:为|给)[其他她]?|按[^，。；：,.;:\n]{{0,6}}?(?={_GIVEN}))?"
    "(?:(?:办理|办好|享受|领取|领到|拿到|纳入|参加|获得|得到|申领到|有)了?过?"
    f"|(?:领|拿|办)(?:过|了)|办(?=[^理好过了下结妥完成])|领(?=[^取到过了])|{_GIVEN})"
    "|正在(?:享受|领取)"
    # without 已: what an office gave or fitted once (去年12月给过一次临时救助 / 去年某机构给她家
    # 装了扶手、防滑垫)
    "|给过(?:一次|一笔)?|给[她他我其]?们?家?(?:装|安装|配|修|换)(?:了|过)")
# the thing named before the trigger, which then ends its clause: 贷款已办，生活费仍无着落;
# 学杂费已免，国家资助学校已发 (a bare 免 or 发 that ends the clause);
# 低保已经批下来了。 (the span is the clause up to the trigger)
# 残联每月的钱已经在领。 / 已经按时领了。 (在 or how often before a bare 领 or 拿)
# 护理的钱一直在领。 / 两项补贴都在领： / 尊老金每月在领。 / 护理补贴也在领 (一直, 都, 也 or how
# often before 在, no 已)
_POST = re.compile("(?:(?:已经|已)(?:(?:办理|办好|办下来|批下来|办|批|领取|领到|拿到|享受)了?"
                   "|(?:一站式|直接)?结算(?:过|完)?了?"     # only of a programme (_SETTLED_BY)
                   "|(?:领|拿|办|享受|参加)过了?|免|发"
                   "|(?:在|按时|按月|每月)(?:领取|领|拿)了?"
                   f"|(?:按[^，。；：,.;:\n]{{0,6}}?)?(?:{_GIVEN}))"
                   "|(?:一直|都|也|每月|每个月|每年|按月|月月)在(?:领取|领|拿|享受)着?"
                   # a fee waived on the spot or by the rules, told without 已 (火化钱当场就免掉了,
                   # 殡仪馆那边的钱按规定免了; not 学费免了 alone, which student aid that waives
                   # the fee and pays a grant besides is still for: graded 3 in such needs)
                   "|(?:当场就?|当时就?|按规定|早就|就)(?:免掉了|免过了?|减免了|免了)|减免过了)"
                   "(?=[，。；：！？,.;:!?\n\x00]|$)")
# a bill settled (住院费用已结算) is no help received; a programme settled in the hospital is
# (住院医疗救助已一站式结算, 大病保险已直接结算过): 结算 ends a span only after one of these
_SETTLED_BY = re.compile("救助|大病|医保|保险|补助|补贴|优惠|减免|倾斜")
# where a trigger without 已 starts (给过一次…, 给她家装了…): 给 alone is in most texts (给予)
_GIVE = re.compile("给[过她他我其们家装安配修换]")
# where a form of _POST without 已 starts: just before these (found by str.find)
_POST_LEADS = ("在领", "在拿", "在享受", "免了", "免掉了", "免过")   # 减免过了 holds 免过
# a record's field of what the household has (已享：低保；残联每月那笔；上学贷款每年在贷。): each
# item of the list, up to the sentence's end or the next field (诉：…), is a span of its own
# a form's field names what it lists (已获得帮助：…, 已享受政策：…, 已领取的补助：…)
# and a triage note's fields of what was done (已办：, 已办结：)
_FIELD = re.compile("(?:已经|已)(?:享受?|领取?|获得?|办(?:理|结|好)?)的?"
                    "(?:帮助|帮扶|救助|补助|补贴|待遇|政策|项目)?[：:]")
_FIELD_END = re.compile("[。！？!?\n\x00]")
_ITEM_SEP = re.compile("[；;，,、]")
# the span ends at punctuation (not 、: "已领取A、B" lists what was received) or a separator
_END = re.compile("[，。；：！？,.;:!?\n\x00（）()“”\"]")
# a word that opens a new clause ends the span: what follows is what the family still needs
_CLAUSE = re.compile(
    "但|却|仍|可是|不过|还需|还要|还想|希望|想要|想申请|需要|诉求|目前|现在|如今|无力")
# 已有三年 / 已经有一段时间 / 已有好转: a quantity or a change, not a thing received
_NOT_A_THING = set("0123456789０１２３４５６７８９一二两三四五六七八九十几半多好些所点个")

# 已办理住院 / 已办理入学 / 已参加高考: a step of the situation (the person is in hospital,
# at school), not a programme received
_A_STEP = re.compile("住院|入院|出院|转院|入学|报到|就诊|挂号|手术|高考|中考|考试")

# what the family says it does not need or will not take (家里不需要人照料, 集中供养不考虑, 再培训
# 没必要, 医疗方面不涉及, 不需要再配器具): the clause around the word is a span like one of help
# received — the programme it names is not where to send them. 不用 alone is left out: it is
# mostly a wish (不用还的助学金); so is a clause where 的 follows (不需要担保的贷款: a wish too)
_DECLINE = re.compile("(?:不|无)需要?|(?:不再|暂不|不)考虑|没有?必要|不涉及|不(?:用|要)再")
_DECLINE_LEADS = ("不需", "无需", "考虑", "必要", "不涉及", "不用再", "不要再")
# … as one expression, which re scans for by its first characters: one need's texts are tried
# with it before _DECLINE, whose first branches start with a group and so is tried at every
# place (three times the cost on a text without any)
_DECLINE_LEAD = re.compile("|".join(_DECLINE_LEADS))

# a loan the family already holds, told without 已 (大一就在县里办了贷款, 学费是办的助学贷款,
# 贷款也办了的, 借了贷款, 背着贷款, 学费都是贷款解决的) or with 贷 as the verb (学费八千是贷的,
# 学费贷了款, 已经贷了两年, 已贷款): the student loan that pays the fee ranked first above the
# grant for the living costs the family asks for (graded 0 in the four such needs of the fifth
# blind batch). The span is the loan's words (a: after 办了/办的/借了/背着, b: before 办了,
# c: 已贷款, d: before 解决的), or for the verb the clause up to it, which names no loan: it is
# read as 贷款 (``_loan_named``). A loan not taken (学校那边没办过贷款, 未办过贷款) is none.
_LOAN_HELD = re.compile(
    "(?<![没未])(?<!没有)(?<!从未)(?:[办借](?:了|的|过|好了)|背着|背了|还着)"
    "(?P<a>[^，。；：！？,.;:!?\n\x00]{0,10}?(?:贷款|助贷))"
    "|(?P<b>贷款|助贷)(?:也|都|早就|早|就)?办(?:了|好|下来)|(?:已经|已)(?P<c>贷款)"
    "|(?P<d>贷款|助贷)解决(?:的|了)"
    "|(?:是|都是|年)贷的款?|贷了款|贷了[一两三四五六七八九十0-9]+年|(?:已经|已)贷(?:了|过)?")
_BARE_LOAN = re.compile("贷(?!款)")

# a benefit the family has every month, told without 已 (丫头的补贴每个月都有, 低保每月有，够吃,
# 尊老金每月有): the clause before names what it has. (What it pays out every month, 房租每个月
# 都有, names a situation, which a span never drops.)
_MONTHLY = re.compile("(?:每个月|每月|月月|每个号头|每年)(?:都|也)?有(?:的|个|嘞|呢)?"
                      "(?=[，。；：！？,.;:!?\n\x00]|$)")
# …each ends in 有 at a clause's end, which a pattern that starts with its literal finds fast
# (few texts have one): one need's texts are spared the full pattern
_HAS_AT_END = re.compile("有(?:的|个|嘞|呢)?(?=[，。；：！？,.;:!?\n\x00]|$)")


def _monthly(text: str) -> bool:
    return _HAS_AT_END.search(text) is not None and _MONTHLY.search(text) is not None

# the hospital's one-stop settlement done, told without 已 or after it (结账时医保、大病、救助
# 一站式都结了, 住院费低保一站式结的, 医院那边一站式已经救过一回了, 结账一站式，): the medical aid
# settled at discharge is help received (a programme that settles so, 出院一站式结算, is not where
# to send the family for that bill: over dev and the read diagnostic sets such programmes in the
# first three were graded 0 in 8 of 10 pairs, 1 in the rest). A wish or a plan (听说能一站式结算,
# 出院时一站式算) names no completion and is not read. The span is the words, read as 一站式结算
_ONE_STOP = re.compile(
    "一站式(?:都|已经|已|也|就|直接|给)?(?:结算?|减|扣除?|算|救|报销?|处理)(?:过|完|掉|了|的|好)+"
    "(?:一回|一次|一部分|一块|一点)?"
    "|(?:结账|结算)[^，。；：！？,.;:!?\n\x00]{0,6}一站式(?=[，。；：！？,.;:!?\n\x00]|$)")

_RECEIVED_WEIGHT = 0.0     # what is left of a dropped concept (0: removed)

_exempt_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_words_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_direct_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_memo: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # encoder -> {text: found}
_MEMO_MAX = 50_000        # texts with a trigger remembered per encoder (then forgotten)
_UNSEEN = object()
_FEW = 16                 # up to this many texts, look for triggers one text at a time


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each "already received" span in ``text`` (after its trigger)."""
    out = []
    for m in _TRIGGER.finditer(text):
        s = m.end()
        if m.group().endswith("有") and (s >= len(text) or text[s] in _NOT_A_THING):
            continue
        if _A_STEP.match(text, s):
            continue
        e = min(len(text), s + _MAX_SPAN)
        stop = _END.search(text, s, e)
        if stop:
            e = stop.start()
        clause = _CLAUSE.search(text, s, e)
        if clause:
            e = clause.start()
        if e > s:
            out.append((s, e))
    for m in _FIELD.finditer(text):
        out.extend(_field_items(text, m.end()))
    if "一站式" in text:
        out.extend(m.span() for m in _ONE_STOP.finditer(text))
    if "贷" in text:
        for m in _LOAN_HELD.finditer(text):
            name = next((g for g in "abcd" if m.group(g)), None)
            if name:
                out.append(m.span(name))
            else:
                s = m.start()
                while s > 0 and m.end() - s < _MAX_SPAN and not _END.match(text, s - 1):
                    s -= 1
                out.append((s, m.end()))
    for m in _POST.finditer(text):
        e = m.start()
        s = e
        while s > 0 and e - s < _MAX_SPAN and not _END.match(text, s - 1):
            s -= 1
        if "结算" in m.group() and not _SETTLED_BY.search(text, s, e):
            continue
        if e > s:
            out.append((s, e))
    if _monthly(text):
        for m in _MONTHLY.finditer(text):
            e = m.start()
            s = e
            while s > 0 and e - s < _MAX_SPAN and not _END.match(text, s - 1):
                s -= 1
            if e > s:
                out.append((s, e))
    # in text order (the rest of the text is read between them), the longer of two spans
    # that start together first; a span inside one before it (居民医保出院时 in a field's item
    # 居民医保出院时已结算) adds nothing
    kept, reach = [], -1
    for x in sorted(out, key=lambda x: (x[0], -x[1])):
        if x[1] > reach:
            kept.append(x)
            reach = x[1]
    return kept


def declined(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause in ``text`` that says the family does not need something
    (``_DECLINE``): from the punctuation before the word to the punctuation after it."""
    out = []
    for m in _DECLINE.finditer(text):
        stop = _END.search(text, m.end(), m.end() + _MAX_SPAN)
        e = stop.start() if stop else min(len(text), m.end() + _MAX_SPAN)
        if "的" in text[m.end():e]:
            continue
        s = m.start()
        while s > 0 and m.start() - s < _MAX_SPAN and not _END.match(text, s - 1):
            s -= 1
        out.append((s, e))
    return out


def _field_items(text: str, s: int) -> list[tuple[int, int]]:
    """The items of a field of what the household has (``_FIELD``), from ``s`` to the
    sentence's end or to the item before the next field's label (诉：, 收入：)."""
    stop = _FIELD_END.search(text, s)
    end = stop.start() if stop else len(text)
    label = text.find("：", s, end)
    if label < 0:
        label = text.find(":", s, end)
    if label >= 0:
        # the next field's label (诉求, 收入, 问: two characters at most) is not an item
        end = label
        while end > s and label - end < 2 and not _ITEM_SEP.match(text, end - 1) \
                and not text[end - 1].isspace():
            end -= 1
        end = len(text[s:end].rstrip()) + s
    out, at = [], s
    for m in [*_ITEM_SEP.finditer(text, s, end), None]:
        e = m.start() if m else end
        clause = _CLAUSE.search(text, at, e)
        if clause:
            e = clause.start()
        e = min(e, at + _MAX_SPAN)
        if e > at:
            out.append((at, e))
        at = m.end() if m else end
    return out


def _exempt(encoder) -> np.ndarray:
    """Concepts that a recognised group's name fires (statuses, never dropped)."""
    hit = _exempt_cache.get(encoder)
    if hit is None:
        names = list(GROUP_CN.values())
        hit = (encoder.firings(names) > 0).any(axis=0)
        _exempt_cache[encoder] = hit
    return hit


def _situation_words(encoder) -> tuple[dict[str, bool], int, np.ndarray]:
    """Every lexicon term -> whether it names a situation (a concept it fires as its own
    word, not as an ancestor, is a situation), the longest term's length, and the situation
    concepts and their ancestors as a mask (never dropped)."""
    hit = _words_cache.get(encoder)
    if hit is None:
        lex = encoder.lexicon
        situation = np.zeros(len(lex.ids), bool)
        situation[list(lex.situation)] = True
        dims = lex.dims or (1.0,) * len(lex.ids)
        words = {t: any(situation[c] and w >= dims[c] for c, w in
                        zip(lex.term_concepts[i], lex.weights_of(i), strict=True))
                 for i, t in enumerate(lex.terms)}
        # a situation's ancestors describe the person too (失业 is under 就业岗位): a programme
        # that serves the situation (失业保险金 ~ 失业) reaches them, and must not drop them
        up = [p for c in np.flatnonzero(situation) for p in lex.parents[c]] if lex.parents else []
        while up:
            c = up.pop()
            if not situation[c]:
                situation[c] = True
                up.extend(lex.parents[c])
        hit = _words_cache[encoder] = (words, max(map(len, words), default=1), situation)
    return hit


def _situations(encoder) -> np.ndarray:
    """The situation concepts themselves, without their ancestors (bool over the concepts)."""
    hit = _direct_cache.get(encoder)
    if hit is None:
        hit = np.zeros(len(encoder.lexicon.ids), bool)
        hit[list(encoder.lexicon.situation)] = True
        _direct_cache[encoder] = hit
    return hit


def thing_received(encoder, span: str) -> str:
    """``span`` with the words that name a situation blanked: the leftmost longest lexicon
    term at each place, so a programme's name (危房改造, 失业保险金) stays whole."""
    words, longest, _ = _situation_words(encoder)
    out, i, n = list(span), 0, len(span)
    while i < n:
        for k in range(min(longest, n - i), 0, -1):
            situation = words.get(span[i:i + k])
            if situation is not None:
                if situation:
                    out[i:i + k] = "\x00" * k
                i += k
                break
        else:
            i += 1
    return "".join(out)


class Received(NamedTuple):
    """What one text says it already receives."""

    concepts: np.ndarray    # concept ids dropped from its vector
    phrase: str             # the spans' words, for the reason ("生源地助学贷款")
    flags: tuple[int, ...] = ()   # columns of _PAST_FLAGS fired only in a span (cleared)
    refused: str = ""       # the clauses of what it does not need (``declined``), for the reason


# Flags that say what a need asks for now, so that a span of what was already received must
# not set them: a student who 已领过新生资助 is past starting school (feature "enrolment").
_PAST_FLAGS = ("_new_student",)


def find(encoder, texts: list[str]) -> dict[int, Received]:
    """For each text with an "already received" span: the concept ids dropped from it
    (those its spans fire and the rest of the text does not) and the spans' words, by text
    index; texts where nothing is dropped are left out. Results are remembered per text (the
    need's encoding and its reasons ask about the same texts)."""
    docs = _trigger_docs(texts)
    if not docs:
        return {}
    memo = _memo.get(encoder)
    if memo is None:
        memo = _memo[encoder] = {}
    out: dict[int, Received] = {}
    todo = []
    for i in docs:
        got = memo.get(texts[i], _UNSEEN)
        if got is _UNSEEN:
            todo.append(i)
        elif got is not None:
            out[i] = got
    if todo:
        if len(memo) > _MEMO_MAX:
            memo.clear()
        for i, got in zip(todo, _compute(encoder, [texts[i] for i in todo]), strict=True):
            memo[texts[i]] = got
            if got is not None:
                out[i] = got
    return out


def _trigger_docs(texts: list[str]) -> list[int]:
    """Indices of the texts where a trigger occurs (one pass over the joined texts)."""
    if len(texts) <= _FEW:     # one need (its text and title): no numpy
        # (without 已, _POST matches only where one of _POST_LEADS is, tried below, and _FIELD
        # nowhere: a text with 正在 alone, 正在化疗, is not searched with them here)
        return [i for i, t in enumerate(texts) if ("已" in t or "正在" in t)
                and (_TRIGGER.search(t) or "已" in t and (_POST.search(t) or _FIELD.search(t)))
                or _GIVE.search(t) and _TRIGGER.search(t)
                or _DECLINE_LEAD.search(t) and _DECLINE.search(t)
                or any(lead in t for lead in _POST_LEADS) and _POST.search(t)
                or "贷" in t and _LOAN_HELD.search(t)
                or "一站式" in t and _ONE_STOP.search(t)
                or _monthly(t)]
    joined = "\x00".join(texts)
    # every trigger starts with 已, 正在 or 给 before a word of _GIVE: find those with
    # str.find or _GIVE (C scans) and try the expression only there, instead of letting it test
    # every character of the batch
    starts = [m.start() for m in _GIVE.finditer(joined) if _TRIGGER.match(joined, m.start())]
    for lead in ("已", "正在"):
        at = joined.find(lead)
        while at >= 0:
            if _TRIGGER.match(joined, at) or _POST.match(joined, at) or _FIELD.match(joined, at):
                starts.append(at)
            at = joined.find(lead, at + 1)
    # a monthly benefit ends in 有 at a clause's end (a literal the C scan finds) with at most
    # 6 characters before it
    starts.extend(m.start() for m in _HAS_AT_END.finditer(joined)
                  if _MONTHLY.search(joined, max(0, m.start() - 6), m.end()))
    at = joined.find("一站式")   # every one-stop settlement's words hold it, 8 characters in
    while at >= 0:
        if _ONE_STOP.search(joined, max(0, at - 9), at + 16):
            starts.append(at)
        at = joined.find("一站式", at + 1)
    at = joined.find("贷")     # every held loan's words hold 贷, at most 12 characters in
    while at >= 0:
        if _LOAN_HELD.search(joined, max(0, at - 13), at + 4):
            starts.append(at)
        at = joined.find("贷", at + 1)
    for leads, pattern in ((_DECLINE_LEADS, _DECLINE), (_POST_LEADS, _POST)):
        for lead in leads:          # each holds the rare part of a word the pattern finds
            at = joined.find(lead)
            while at >= 0:
                # up to 4 characters before the lead (按规定免了, 当场就免掉了)
                if pattern.search(joined, max(0, at - 4), at + len(lead) + 3):
                    starts.append(at)
                at = joined.find(lead, at + 1)
    return texts_at(texts, starts)


def _compute(encoder, texts: list[str]) -> list[Received | None]:
    """``find`` of texts that each hold a trigger (None: nothing dropped)."""
    out: list[Received | None] = [None] * len(texts)
    rows, span_texts, refused_texts, rest_texts, found = [], [], [], [], []
    settled = []    # the rows whose texts tell the one-stop settlement done
    for j, t in enumerate(texts):
        got, refused = spans(t), declined(t)
        sp_ = _merged(got + refused)
        if not sp_:
            continue
        rows.append(j)
        found.append((got, refused))
        if "一站式" in t and _ONE_STOP.search(t):
            settled.append(len(rows) - 1)
        span_texts.append("\x00".join(thing_received(encoder, _one_stop_named(_loan_named(t[s:e])))
                                      for s, e in got))
        refused_texts.append("\x00".join(thing_received(encoder, t[s:e]) for s, e in refused))
        rest, last = [], 0
        for s, e in sp_:
            rest.append(t[last:s])
            last = e
        rest.append(t[last:])
        rest_texts.append("\x00".join(rest))
    if not rows:
        return out
    con = encoder.firings(span_texts + refused_texts + rest_texts)
    k = len(rows)
    had, said_no, rest = con[:k] > 0, con[k:2 * k] > 0, con[2 * k:] > 0
    # help received never drops a situation nor what serves it (its ancestors: 失业 is under
    # 就业岗位); help the family says it does not need drops even a situation's ancestor
    # (不需要法律方面再帮 beside a settled compensation case), never the situation itself
    drop = ((had & ~_situation_words(encoder)[2]) | (said_no & ~_situations(encoder))) \
        & ~rest & ~_exempt(encoder)
    # the one-stop settlement done drops the programme that settles so (一站式结算), never the
    # bill it settled part of (医疗费用): the family still pays the rest
    if settled:
        drop[settled, encoder.lexicon.ids.index("medical_cost")] = False
    ids = encoder.lexicon.ids
    past = [k for k, c in enumerate(encoder.flag_ids_) if ids[c] in _PAST_FLAGS]
    past_only = had[:, encoder.flag_ids_] & ~rest[:, encoder.flag_ids_]
    drop[:, encoder.flag_ids_] = False
    for r, j in enumerate(rows):
        flags = tuple(c for c in past if past_only[r, c])
        if drop[r].any() or flags:
            t = texts[j]
            got, refused = found[r]
            out[j] = Received(np.flatnonzero(drop[r]),
                              "、".join(dict.fromkeys(t[s:e] for s, e in got)), flags,
                              "、".join(dict.fromkeys(t[s:e] for s, e in refused)))
    return out


def _loan_named(span: str) -> str:
    """A span where 贷 is the verb (学费八千是贷的) as the loan it names (贷款): a span that
    names the loan (生源地助学贷款) is read as it is."""
    return span if "贷" not in span or "贷款" in span or "助贷" in span \
        else _BARE_LOAN.sub("贷款", span)


def _one_stop_named(span: str) -> str:
    """A span of the one-stop settlement done (一站式都结了) as the programme it names."""
    return _ONE_STOP.sub("一站式结算", span) if "一站式" in span else span


def _merged(spans_: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in text order with the overlapping ones joined (a clause of what the family
    does not need may lie inside a field of what it has)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans_):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def clear_flags(found: dict[int, Received], flags: np.ndarray) -> None:
    """Unset, in the flag rows of the texts ``find`` found, the flags of ``_PAST_FLAGS`` that
    only a span of what was already received fired."""
    for i, got in found.items():
        if got.flags:
            flags[i, list(got.flags)] = False


def damp(encoder, texts: list[str], con: np.ndarray) -> dict[int, Received]:
    """Drop the "already received" concepts of ``texts`` from their rows of ``con``
    (idf-weighted, L2-normalised concept vectors, changed in place and renormalised).
    Returns what ``find`` found."""
    found = find(encoder, texts)
    for i, got in found.items():
        scale_concepts(con, i, got.concepts, _RECEIVED_WEIGHT)
    return found


def mask(found: dict[int, Received], con: np.ndarray) -> np.ndarray | None:
    """What ``damp`` found as a (texts x concepts) bool mask, None when it found nothing."""
    if not found:
        return None
    out = np.zeros(con.shape, bool)
    for i, got in found.items():
        out[i, got.concepts] = True
    return out


def reason(got: Received) -> str:
    """The reason shown on an offer that names what the need already receives or says it
    does not need."""
    said = ([f"需求已享受 {got.phrase}"] if got.phrase else []) \
        + ([f"需求写明 {got.refused}"] if got.refused else [])
    return "；".join(said) + "，已降低排序"
