"""Whether a need is for a man or a boy, or for a woman or a girl, read from its text (the
need format has no sex).

Programmes for girls or women only (春蕾计划 女童助学, 农村妇女“两癌”筛查) pass every hard rule for
a boy, and plain matching ranks a girls' school grant second for a boy's school costs; those
for men only (单亲父亲家庭服务, 只收爸爸) pass them for a mother. A case
record states the sex beside the age of the person it describes ("陈某，男，15岁"; "15岁的儿子";
a letter's "女儿今年三十八");
the need's ``beneficiary_age`` says which of the persons named is the one to help, so a father
applying for his daughter ("王某，男，45岁 … 女儿16岁", age 16) is not read as a male need. When
the text names the beneficiary's sex both ways, or not at all, nothing is assumed.
"""

from __future__ import annotations

import re

from .schema import Need
from .text import cn_number

# "男，15岁", "女 52岁", "男、8周岁", "男，四十五岁", "男的，四十六岁", "女性，52岁" (not a
# relative's word: 孙女八岁, read below)
_RECORD = re.compile(r"(?<![孙儿侄甥闺子])([男女])(?:的|性)?[，,、:：\s]*"
                     r"(\d{1,3}|[一二三四五六七八九十两]{1,4})\s*周?岁")
# the age first, or a child's word and the age without 岁, as notes jot them: "40岁，男的",
# "11岁，男小囡", "男伢儿，16，" (a sex word followed by 儿 is a son or a daughter, not a sex)
_RECORD_AFTER = re.compile(r"(\d{1,3}|[一二三四五六七八九十两]{1,4})\s*周?岁[，,、\s]*([男女])"
                           r"(?=的|性|伢|小囡|孩|娃|生|童|[，,、。；;\s])")
_RECORD_WORD = re.compile(r"([男女])(?:的|伢儿?|伢子|小囡|孩子?|娃)[，,、\s]*(\d{1,3})"
                          r"(?=周?岁|[，,、。；;\s])")
# a form's fields: "性别：男｜年龄：38", "性别 女  年龄 52"
_FORM = re.compile(r"性别[：:\s]*([男女])[^。\n]{0,12}?年龄[：:\s]*(\d{1,3})")
# "15岁的儿子", "8岁男孩", "12岁孙女" (外孙女 before 外孙, 孙女 before 孙子), "四十二岁男人"
_WORD = re.compile(r"(\d{1,3}|[一二三四五六七八九十两]{1,4})\s*周?岁(?:的)?"
                   r"(外孙女|孙女|女儿|女孩|女童|女生|姑娘|闺女|女人|妇女|"
                   r"外孙|孙子|儿子|男孩|男童|男生|小伙|男人|男子|汉子)")
_FEMALE_WORDS = frozenset({"外孙女", "孙女", "女儿", "女孩", "女童", "女生", "姑娘", "闺女",
                           "女人", "妇女"})
# the relative first, then the age, as a letter says it: "女儿今年三十八", "我爸61岁" (only
# an age equal to the need's beneficiary_age counts, so "儿子三个月没来" names no one of three).
# Read for an adult only: the adult son or daughter is the single parent a programme for
# fathers or mothers serves, while for a child ("儿子10岁") such a programme serves the parent
# and, with it, the child (the diagnostic sets graded 单亲困难母亲帮扶 1–2 for a boy's mother)
# an elder named by a title with the age in brackets (冒大伯（57岁）, 顾大妈(70岁)) alike, and
# a spouse or a form of address with the age (丈夫58岁, 来电人吴先生，58岁: over dev and the
# diagnostic sets the women's cancer fund had ranked first for such men)
_WORD_FIRST = re.compile(r"(外孙女|孙女|女儿|闺女|外孙|孙子|儿子|爸爸|老爸|父亲|公公|爷爷|外公"
                         r"|大伯|老伯|阿伯|大爷|大叔|老汉|爸|丈夫|老公|先生"
                         r"|妈妈|老妈|母亲|姆妈|婆婆|奶奶|外婆|大妈|大娘|大婶|阿婆|妈|妻子|老婆|女士)"
                         r"(?:今年|现年|现在|已经|[（(，,])?"
                         r"([0-9]{1,3}(?![0-9])|[一二三四五六七八九十两]{1,3})")
# … and a pronoun with the age, as notes say it of the person they are about (他四十二岁,
# 她今年58岁)
_PRONOUN = re.compile(r"([他她])(?:今年|现年|已经|才|都)?"
                      r"(\d{1,3}|[一二三四五六七八九十两]{1,4})\s*周?岁")
_FEMALE_FIRST = _FEMALE_WORDS | {"妈妈", "老妈", "母亲", "姆妈", "婆婆", "奶奶", "外婆", "大妈",
                                 "大娘", "大婶", "阿婆", "妈", "妻子", "老婆", "女士"}
# a single parent who names herself or himself so (单亲母亲租房, 离婚后的单亲爸爸): the parent, when
# the need's beneficiary is an adult and no sex is stated with the age
_SINGLE_PARENT = re.compile("单亲(?:(母亲|妈妈)|父亲|爸爸)")
# a child named by a relative's word and the age, as a grandparent or a note says it: "孙子
# 十二岁", "孙子小宇，11岁", "两个孙子大的10岁", "严家的孙子，9岁" (a name or a few words between);
# and a pupil's title (初二男生替家里写). Read for a child only (the need's beneficiary_age under
# 18, equal to the age named), and only against a programme for girls or boys or for women or
# men themselves: a programme for single mothers or fathers serves the parent, whatever the
# grandchild's sex (``sex_of``'s CHILD)
_CHILD_FIRST = re.compile(r"(外孙女|孙女|女儿|闺女|外孙|孙子|儿子|男孩|女孩|男伢儿?|女伢儿?|丫头)"
                          r"[，,、]?[^\s，,。；;、：:0-9一二三四五六七八九十两]{0,3}?[，,、]?"
                          r"(?:今年|现年|现在|已经|才)?"
                          r"([0-9]{1,3}(?![0-9])|[一二三四五六七八九十两]{1,3})(?=周?岁|[，,、。；;\s])")
_CHILD_FEMALE = frozenset({"外孙女", "孙女", "女儿", "闺女", "女孩", "女伢", "女伢儿", "丫头"})
_PUPIL_TITLE = re.compile("(?<!妇)(男|女)(?:生|孩|童|伢)")
# an adult who speaks of a wife or a husband, with no other couple named beside: "我四十九…
# 家里老婆打零工", "小郁35岁…老婆在厂里做", "丈夫前年走了，她一个人" (not 老婆婆, 老婆子; not a
# son's or a daughter's spouse: 儿子和媳妇, 女儿的老公 name another couple, and the text is left
# unread)
_WIFE = re.compile("(?<![儿孙侄甥外])(?:老婆(?![婆子])|妻子|前妻)")
_HUSBAND = re.compile("老公|丈夫|前夫")
_SPOUSE_AGE = re.compile(r"(?<![儿孙侄甥外])(老婆|妻子|前妻|老公|丈夫|前夫)"
                         r"(?:[^\s，,。；;：:（(]{0,3}某{1,2})?[，,（(：:\s]?"
                         r"([0-9]{1,3}(?![0-9])|[一二三四五六七八九十两]{2,4})")
# the parties of a divorce or a dispute with their ages (女方顾某（化名，44岁）)
_PARTY = re.compile(r"(男|女)方[^，,。；;]{0,6}?[（(，,][^，,。；;）)]{0,4}?[，,]?"
                    r"(\d{1,3}|[一二三四五六七八九十两]{2,4})\s*周?岁")
_OTHER_COUPLE = re.compile("儿子|女儿|闺女|儿媳|女婿|孙|侄|外甥|哥|弟|姐|妹|嫂|邻|隔壁|婆婆|公公|"
                           "丈母娘|岳")


def _spouse_says(title: str, text: str, age: int) -> set[str]:
    both = title + "\n" + text
    wife, husband = _WIFE.search(both), _HUSBAND.search(both)
    if bool(wife) == bool(husband):
        return set()
    m = wife or husband
    # the spouse with the beneficiary's age (妻子顾某某，64岁) is the one to help; a title naming
    # the spouse (丈夫尿毒症透析) may be about the spouse: left unread
    for a in _SPOUSE_AGE.finditer(both):
        if cn_number(a[2]) == age:
            return {"男"} if a[1] in ("老公", "丈夫", "前夫") else {"女"}
    if m.start() < len(title) or _OTHER_COUPLE.search(both, max(0, m.start() - 8), m.start()):
        return set()
    return {"男"} if wife else {"女"}


CHILD = 2     # sex_of: the sex of a child read only from a relative's word (times 1 or -1)
# a text without any of these states no person's sex: checked first (one pattern of
# literals, which re scans for in C: a test of each word in turn cost more)
_HINTS = re.compile("男|儿子|孙|小伙|女|姑娘|闺女|单亲|爸|妈|父|母|公|爷|婆|奶|伯|叔|汉|娘|婶|丫头"
                    "|先生|丈夫|妻|他|她")


def sex_of(need: Need) -> int:
    """1 when the beneficiary is male, -1 when female, 0 when unknown: the sex the platform
    passes (``beneficiary_sex``), else the text's — the sex stated with the need's
    ``beneficiary_age`` (or, without an age, every sex stated), when it is one only. ``CHILD``
    (2) or ``-CHILD`` when the beneficiary is a child whose sex only a relative's word gives
    (孙子十二岁) or a pupil's title (初二男生): a programme for a single parent is not warned
    by it."""
    if need.beneficiary_sex:
        return 1 if need.beneficiary_sex == "男" else -1
    title, text = need.title or "", need.description or ""
    if not (_HINTS.search(title) or _HINTS.search(text)):
        return 0
    age = need.beneficiary_age
    seen: set[str] = set()
    for part in (title, text):
        for m in (*_RECORD.finditer(part), *_FORM.finditer(part), *_RECORD_WORD.finditer(part)):
            if age is None or cn_number(m[2]) == age:
                seen.add(m[1])
        for m in _RECORD_AFTER.finditer(part):
            if age is None or cn_number(m[1]) == age:
                seen.add(m[2])
        for m in _WORD.finditer(part):
            if age is None or cn_number(m[1]) == age:
                seen.add("女" if m[2] in _FEMALE_WORDS else "男")
        if age is not None and age >= 18:
            for m in _WORD_FIRST.finditer(part):
                if cn_number(m[2]) == age:
                    seen.add("女" if m[1] in _FEMALE_FIRST else "男")
            for m in _PARTY.finditer(part):
                if cn_number(m[2]) == age:
                    seen.add(m[1])
            for m in _PRONOUN.finditer(part):
                if cn_number(m[2]) == age:
                    seen.add("女" if m[1] == "她" else "男")
    if not seen and age is not None and age >= 18:
        for part in (title, text):
            for m in _SINGLE_PARENT.finditer(part):
                seen.add("女" if m[1] else "男")
    if not seen and age is not None and age >= 18:
        seen.update(_spouse_says(title, text, age))
    if not seen and age is not None and age < 18:
        for part in (title, text):
            for m in _CHILD_FIRST.finditer(part):
                if cn_number(m[2]) == age:
                    seen.add("女" if m[1] in _CHILD_FEMALE else "男")
        seen.update(m[1] for m in _PUPIL_TITLE.finditer(title))
        return CHILD if seen == {"男"} else -CHILD if seen == {"女"} else 0
    return 1 if seen == {"男"} else -1 if seen == {"女"} else 0
