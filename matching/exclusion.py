"""What an offer says it does NOT cover: exclusion clauses in offer texts.

A programme's text often names what it leaves out ("房屋主体结构的维修加固不在本项目内",
"不含大病医疗费用", "参保前已患的疾病，均不予给付"). Plain matching fires the concepts of those
words as if the offer provided them, so a sanitation programme that excludes structural
repairs met a need about a leaking, cracked house. This module finds such spans and takes the
concepts they fire out of the offer's concept vector, unless the rest of the offer's text
names them too. Flags (``_preventive`` … ) are left as they are: "不在保障范围" is itself a
sign of an insurance policy; only the flags of who a grant is for (``_EXCLUDED_FLAGS``: 在校生
不在资助范围 is no grant for enrolled students) are cleared when only an exclusion fires them.

- A marker that comes before what it excludes (不含, 不包括, 除外：, or one that sends it
  elsewhere: 请转中职助学金, 请转介留守儿童关爱服务, 已确诊的请走救助渠道, 另按普高资助办理)
  opens a span that runs to the end of the clause (to the next ， ； 。) — for a marker
  with a colon (除外：, a plain-talk sheet's 这些不算：, a referral directory's 不可转：) to the
  end of the sentence.
- A marker that comes after it (不在…范围, 不在本项目内, 不属于本项目, 不予…, 不适用, 不能申请,
  的不算, 不受理, 不给, 不在这一页, 就没得了, 另有政策, 请转, a handbook's 见下一条 and a hotline
  script's 不走这个，请改用话术21: a group another programme serves; a service's 暂时不接 and
  …的不收) closes a span that starts at the beginning of its clause, or of its sentence when
  均/都/一律 or 这个 stands before the marker ("参保前已患的疾病，以及参保后90日内确诊的，均不予
  给付"; "已经在读大学的，大一大二大三的，这个不给"). One that names the other programme
  (中职学生另有“圆梦”中职项目, 请看“中专职校”那一张明白纸) takes that name into the span too.
  A group sent to another service or body (骨折术后的患者请到骨科康复门诊, 男孩可以问问团委) or left
  out of this one (不在这个公益名额里) closes a span the same way; 请到 before where to apply
  (请到村委会登记) does not.
- An item a sheet marks with a cross (✘火灾车祸这种意外走急难救助，不在这一项) is a span of its
  own, to the next cross or the sentence's end.
"""

from __future__ import annotations

import re

import numpy as np

from .text import scale_concepts

# marker before the excluded thing; with a colon, the list runs to the end of the sentence
_BEFORE = re.compile("不含|不包括|不包含|除外[：:]|请转(?:介|至|到)?|请走|请改走"
                     # sent to another scheme: 普通高中学生不适用，另按普高资助办理
                     "|另按(?=[^，,；;。！？!?\n]{1,12}?(?:办理|申请|执行))"
                     # a plain-talk sheet's list of who is left out (四、这些不算：长期卧床…不收)
                     "|(?:这些|以下|下列)(?:情况|人员)?不算[：:]"
                     # a referral directory's field (不可转：初中小学的…)
                     "|不(?:可|能)?转[：:]")
# marker after the excluded thing
_AFTER = re.compile(
    "(?:均|都|一律)?(?:不在(?:本项目|本次|此次)?[^，。；]{0,6}(?:范围|之列|此列|内|批|申报)"
    # 骨折、关节置换术后的不在这个公益名额里
    "|不在(?:这个|这项|这次|本次|本)[^，。；]{0,6}?(?:里|里头|里面)"
    # a group sent to another service (骨折术后的患者请到骨科康复门诊), not the place to apply
    # (请到村委会登记)
    "|请(?:先|直接)?(?:到|去)(?=[^，,；;。！？!?\n]{1,12}?(?:门诊|科|医院|中心|机构|项目)"
    "(?:就医|就诊|看病|治疗)?(?:[。；;，,）)]|$))"
    "|不属于本(?:项目|服务|活动)|不予(?:给付|赔付|救助|补助|资助|受理|报销|支付)"
    # 普通门诊费用不属保障范围; 火灾等非自然灾害不属此列; 统保名单外的商业保险不代办
    "|不属于?[^，,。；;]{0,8}?(?:范围|之列|此列)|不代办"
    "|不适用|不能申请|不得申请|不可申请|的不算(?:这个|在内|此列|本项目)?|不(?:再)?受理"
    # 已经在读的大二大三不给; 已经在读大学的，大一大二大三的，这个不给 (the whole sentence)
    "|(?:这个|都|一律)?不给"
    # 小学初中不在这一页，大学也不在; 职高、技校…不在这个里头; 上了大学的就没得了
    # 精神类疾病门诊用药不在本项目，走卫计部门的免费服药; 红斑狼疮等不在本专项，请走一般医疗救助
    "|不在(?:这一?[页条项个]|(?:我们)?这[里块]|这个里头|里头|里面|其中"
    "|本(?:项目|专项|次|批|计划|活动|服务|政策|保险|基金)|此次|这个项目|这项)?(?:办|申请|申报)?了?的?"
    "(?=[，,；;。！？!?）)（(\n]|$)"
    "|就没(?:得|有)了"
    # a table row's shorthand at the end of its clause (青光眼、眼底病变及已做过手术的眼不含;
    # 已享受助学贷款者除外)
    "|(?:均|都|一律)?(?:不含|除外)(?=[，,；;。！？!?\n]|$)"
    # a group served elsewhere: （中职学生另有政策）, 普通高中学生请看另一条, 读普高的同学看另一个
    # 通知, 在校生另行申请
    "|另有(?:政策|规定)|(?P<other>另有[^，,；;。！？!?\n]{1,12}?(?:项目|专项))"
    "|(?:请)?(?:看|见|参见|参看|关注)另(?:一|外)(?:条|个|则|篇|份|项)"
    "|另见|另行(?:申请|受理|办理)"
    # a handbook's cross-reference (中职学生见下一条, 普通高中学生见上一条, 治疗费用见医疗救助各条)
    "|(?:请)?(?:见|参见|参看)(?:上|下|前|后)(?:一|1)?(?:条|款|项|则)"
    # … and a notebook's (初中住校的看下面那条, 男孩去找下面慈善那个, 初中没有这个, 男孩不行)
    "|(?:看|见|找)下面|没有?这个|不行"
    # … and a plain-talk sheet's (读中专、职高的孩子请看“中专职校”那一张明白纸)
    "|(?P<named>(?:请)?(?:看|找)[^，,；;。！？!?\n]{0,12}?那一?[张条份页项])"
    # a service that cannot take them (完全卧床、坐不起来的暂时不接)
    "|(?:暂(?:时)?|的(?:一律)?)不(?:接|收)(?![费钱取入])"
    # a grid worker's must-ask list (肝癌、胃癌、肠癌、乳腺癌等其他癌种的别推; 三级四级的别转;
    # 只是门诊看病、买药、没住院的别推这一条; 别往这里推)
    "|(?:也|就|先)?(?:别|不要)(?:推|转)(?:这一?[条个项])?(?=[，,；;。！？!?\n]|$)|别往这[里儿]?推"
    # a hotline script's (读普通高中的不走这个，请改用话术21)
    "|不走这(?:个|条|项|里)|(?:请)?改用"
    # a group sent to another body (男孩可以问问团委和教育局)
    "|可以(?:问问|去问|去找)(?=[^，,；;。！？!?\n]{0,6}?(?:团委|教育局|民政|残联|妇联|人社|工会|其他|别的))"
    "|(?:请)?(?:见|参见|参看)第[一二三四五六七八九十百0-9]+(?:条|款|项)"
    "|(?:请)?(?:见|参见|参看)[^，。；、]{1,10}?各条"
    # a group sent to another programme (中职学生请转中职助学金, 已确诊的请走救助渠道)
    "|请转(?:介|至|到)?|请走|请改走)"
)
# what applicants already have that does not bar them (已享受其他助学贷款的不影响申请, 已办理助学
# 贷款或获其他社会助学金的仍可申请): the programme does not give it, so a student who has the loan
# is not warned off it as from the loan
_HAD_TOO = re.compile("(?:已经|已|获得|享受)[^，,；;。！？!?\n\x00]{1,20}?的"
                      "(?:学生|家庭|人员|毕业生)?(?:不影响|仍可|也可|同样可以?|照样可以?)"
                      "(?:申请|享受|领取)")
# a notice's heading of those it turns away (五、不予受理情形：男生；普通高中…；研究生。), whose
# list runs over its semicolons to the end of the paragraph or the next numbered heading
_HEADING = re.compile("(?:不予(?:受理|资助|救助|援助|补助|保障|录取|办理)(?:的)?"
                      # a tender's section (五、不属于本项目服务范围的情形：（1）满7周岁的…)
                      "|不属于本?(?:项目|协议|服务)[^：:，,。；;]{0,4}?范围的?)"
                      "(?:情形|情况|对象|人员)?[：:]")
# a yes-or-no question answered no (问：孩子在读初中可以吗？答：义务教育阶段已经免学费，不在本项目
# 范围内; 记者：火灾这类算不算？答：冬春救助只针对台风…; 三年级呢？答：…，不再享受): the question
# names who or what is left out. An open question (谁能申请？哪些情况不行？) names no one, and an
# answer that lets them in first (答：可以，但…) or only sets its terms (崇川区户籍的低保…家庭，名下
# 都没有住房的) is no exclusion: the no opens the answer or one of its clauses, or its first
# clause says whom alone it serves
_QA = re.compile("(?:问|Q|记者)[：:](?P<q>[^？?。！!\n\x00]{2,40})[？?]\\s*(?:答|A)[：:]\\s*"
                 "(?P<a>[^。！!？?\n\x00]{1,80})")
_QA_OPEN = re.compile("谁|哪|什么|怎么|多少|几|如何|啥|何")
_QA_YES = re.compile("可以|能|行|算|是的|符合|没问题|当然|会的|有的|对")
_QA_NO = re.compile("(?P<clause>^|[，,；;])"
                    "(?:不(?:在|属于|再|能|可以|可|予|行|适用|算|包括|含|享受|纳入|是|给|受理)"
                    "|很遗憾|暂不|暂时不|没有这|没这)"
                    "|^[^，,；;]*?(?:只|仅)(?:针对|限|给|面向|适用于?|对)")
_HEADING_END = re.compile("[。\n\x00]|[一二三四五六七八九十]、")
_CLAUSE_END = re.compile("[，,；;。！？!?\n\x00]")
_SENTENCE_END = re.compile("[；;。！？!?\n\x00]")
# a parenthesis opens a clause of its own (…录取的新生（在校生不在资助范围）)
_CLAUSE_START = "，,；;。！？!?：:（(\n\x00"
_SENTENCE_START = "；;。！？!?：:\n\x00"
_ANY = re.compile("不含|不包括|不包含|除外|不在|不属|不代办|不予|不适用|不能申请|不得申请|不可申请"
                  "|不算|不受理|不再受理|不给|没得了|没有了|另按|另有|另一|另外|另见|另行"
                  "|请转|请走|请改走|不影响|仍可|也可|同样可|照样可"
                  "|见上|见下|见前|见后|见第|各条|下面|这个|不行|不走|改用|不接|不收"
                  "|那张|那条|那份|那页|那项|那一|转：|转:|可以问问|可以去|请到|请去|答：|答:|A：|A:"
                  "|✘|✗")
# an item a sheet marks as left out (✘火灾车祸这种意外走急难救助，不在这一项；✘已在领的): the item
# runs to the next mark or the sentence's end
_CROSS = re.compile("[✘✗]")
_ITEM_END = re.compile("[✘✗；;。！？!?\n\x00]")


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each exclusion span in ``text``."""
    out = []
    for m in _BEFORE.finditer(text):
        s = m.end()
        end = (_SENTENCE_END if m.group()[-1] in "：:" else _CLAUSE_END).search(text, s)
        e = end.start() if end else len(text)
        if e > s:
            out.append((s, e))
    for m in _AFTER.finditer(text):
        starts = _SENTENCE_START if m.group()[:1] in "均都一这" else _CLAUSE_START
        s = m.start()
        while s > 0 and text[s - 1] not in starts:
            s -= 1
        # the marker names the other programme, whose words are the group's too (中职学生另有
        # “圆梦”中职项目; 读中专的孩子请看“中专职校”那一张明白纸)
        e = m.end() if m.group("other") or m.group("named") else m.start()
        if e > s:
            out.append((s, e))
    for m in _HEADING.finditer(text):
        end = _HEADING_END.search(text, m.end())
        e = end.start() if end else len(text)
        if e > m.end():
            out.append((m.end(), e))
    for m in _QA.finditer(text):
        no = None if _QA_OPEN.search(m["q"]) or _QA_YES.match(m["a"]) else _QA_NO.search(m["a"])
        if no:
            # … with the answer's clauses before a no that opens a clause (义务教育阶段已经免
            # 学费，不在本项目范围内: the stage the answer names is the one left out)
            e = m.start("a") + no.start() if no["clause"] else m.end("q")
            out.append((m.start("q"), e))
    for m in _HAD_TOO.finditer(text):
        out.append(m.span())
    for m in _CROSS.finditer(text):
        end = _ITEM_END.search(text, m.end())
        e = end.start() if end else len(text)
        if e > m.end():
            out.append((m.end(), e))
    return out


# flags of the people an offer is for: a clause that excludes them does not set them
# (男生不在范围: a girls' grant that names boys to leave them out is no grant for both sexes)
_EXCLUDED_FLAGS = ("_enrolled", "_new_student", "_women_only", "_men_only", "_both_sexes")


def damp(encoder, texts: list[str], con: np.ndarray, flags: np.ndarray | None = None) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for offer ``texts``, changed in
    place and renormalised) the concepts that only an exclusion clause fires, and unset in
    ``flags`` (bool rows, one column per flag concept) the ``_EXCLUDED_FLAGS`` it alone fires."""
    rows, inside, rest = [], [], []
    for i, t in enumerate(texts):
        if not _ANY.search(t):
            continue
        sp_ = sorted(spans(t))
        if not sp_:
            continue
        rows.append(i)
        inside.append("\x00".join(t[s:e] for s, e in sp_))
        keep, last = [], 0
        for s, e in sp_:
            keep.append(t[last:s])
            last = max(last, e)
        keep.append(t[last:])
        rest.append("\x00".join(keep))
    if not rows:
        return
    c = encoder.firings(inside + rest)
    k = len(rows)
    drop = (c[:k] > 0) & (c[k:] <= 0)
    if flags is not None:
        ids = encoder.lexicon.ids
        for j, cid in enumerate(encoder.flag_ids_):
            if ids[cid] in _EXCLUDED_FLAGS:
                flags[np.asarray(rows)[drop[:, cid]], j] = False
    drop[:, encoder.flag_ids_] = False
    for r, i in enumerate(rows):
        if drop[r].any():
            scale_concepts(con, i, drop[r], 0.0)
