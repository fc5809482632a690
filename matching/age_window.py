"""The ages a programme's own text says it serves: 年龄35周岁至64周岁, 资助对象：0至17周岁.

The spec's ``age_min`` and ``age_max`` are hard rules, but many programmes state their ages only
in their text (贫困妇女“两癌”救助…资助对象：本市户籍女性，年龄35周岁至64周岁; 服务对象：10至18周岁
在校学生), and the engine ranked them for a woman of 67 or a man of 30. This module reads a
range of ages (35至64周岁, 7-14岁, 0—6岁) from a title, or from the text where its clause
names whom the range is for (年龄, 对象, 限, 只, 仅, 须, 要求, 年满, 申请, 招收, 接收, 面向,
适用), and returns the widest span the ranges cover (0至6岁免费, 7至14岁减半: 0 to 14). A
range in a clause about something else (0-6岁残疾儿童康复 among an adult programme's
parts; 家庭主要劳动力（18至60周岁）) is not read, nor a bound alone (60岁以上, 未满18周岁): over
dev and the diagnostic sets those named household members as often as the programme's
beneficiaries (pushed down, 33 needs up and 57 down, against 3 and 4 for ranges alone).
A title that names old people as the programme's own (老年人“夕阳红”心理关爱热线, 独居老人月度
食品包) and no range stands for 50 and over: over dev and the diagnostic sets such programmes
were ranked in the first five for beneficiaries under 50 in 71 pairs and graded above 0 in 2
(grade 1: children of 10 and 12 living with grandparents, under a 留守老人 visit); one that
names the very old (高龄津贴) stands for 70 and over, and one that names children (困境儿童,
孤儿, 少儿, 未成年) for under 18.
Student aid whose text says no ages is for students, 24 and under (index.py): a registrar
who names the parent or grandparent as the beneficiary asks for someone else: over dev and the
diagnostic sets, such aid in the first five of a beneficiary older than 24 was graded 0 in 226
of 241 pairs (3 in one).
Feature ``aged`` warns a pair whose beneficiary's age lies outside the span.
"""

from __future__ import annotations

import re

_RANGE = re.compile(r"(\d{1,3})(?:周岁|岁)?\s*(?:至|到|-|—|–|～|~|－)\s*(\d{1,3})\s*(?:周岁|岁)")
_FOR_WHOM = re.compile("年龄|对象|限|只|仅|须|要求|年满|申请|招收|接收|面向|适用")
_CLAUSE_END = "，,。；;\n"
_OLDEST = 120
# a title naming old people as the programme's own people (老年人“夕阳红”心理关爱热线, 独居老人
# 月度食品包, 敬老上门服务) serves the old; 50 rather than 60 leaves room for the programmes that
# take people in their fifties (白内障 for 五十岁以上, a 失能 man of 56)
_ELDER = re.compile("老年|老人|长者|高龄|银发|银龄|夕阳红|敬老|居家养老|养老服务|养老院|敬老院")
# ... unless the title names others beside them or is about them only in passing: 中老年, a
# trainee's trade (养老护理员), their carers (照顾者, 家属, 子女), a pension (养老保险) or a list
# of the cases a lawyer takes (老人没人养要打官司的)
_NOT_ONLY_ELDER = re.compile(
    "中老年|护理员|护理、|培训|就业|岗位|招聘|照顾者|喘息|家属|家人|子女|儿女|赡养|带老人|儿童|"
    "未成年|少儿|学生|残疾|妇女|孕|养老保险|养老金|打官司")
_ELDER_FROM = 50
# a title naming children as the programme's own (困境儿童基本生活保障, 孤儿助学, 少儿大病救助,
# 未成年人保护) and no range serves people under 18, unless it names adults beside them (家长,
# 家庭, 母亲, 老人, 监护人 …) or lists them among others (老年人、残疾人、未成年人维权): over the
# read diagnostic sets such titles stood in the first five of a beneficiary older than 18 in 380
# pairs and were graded above 0 in four, all 1 (a 留守儿童 programme for the grandparents who
# keep the children, the listed 未成年人)
_CHILD = re.compile("儿童|孤儿|少儿|未成年")
_NOT_ONLY_CHILD = re.compile("家长|父母|家庭|母亲|妈妈|父亲|妇女|老人|老年|成人|成年|监护|照料"
                             "|抚养人|亲属|家属|青年|、未成年|、儿童|、孤儿")
_CHILD_UNTIL = 18
# … and one naming the very old (高龄津贴, 高龄独居老人) people of 70 and over, unless it names
# others beside them (高龄、失能老人补贴): such titles in the first five of a beneficiary under 70
# were graded 0 in all 20 pairs
_VERY_OLD = re.compile("高龄")
_NOT_ONLY_VERY_OLD = re.compile("失能|失智|残疾|、|和|及")
_VERY_OLD_FROM = 70


def age_window(title: str, text: str) -> tuple[float, float] | None:
    """The span of ages (youngest, oldest) the title's or the text's ranges cover, 50 and over
    for a title for old people alone, under 18 for one for children alone, or None."""
    spans = [(int(m[1]), int(m[2])) for m in _RANGE.finditer(title)]
    for m in _RANGE.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in _CLAUSE_END) + 1
        if _FOR_WHOM.search(text, start, m.start()):
            spans.append((int(m[1]), int(m[2])))
    spans = [(a, b) for a, b in spans if a < b <= _OLDEST]
    if not spans:
        if _VERY_OLD.search(title) and not _NOT_ONLY_VERY_OLD.search(title):
            return float(_VERY_OLD_FROM), float(_OLDEST)
        if _ELDER.search(title) and not _NOT_ONLY_ELDER.search(title):
            return float(_ELDER_FROM), float(_OLDEST)
        if _CHILD.search(title) and not _NOT_ONLY_CHILD.search(title):
            return 0.0, float(_CHILD_UNTIL)
        return None
    return float(min(a for a, _ in spans)), float(max(b for _, b in spans))
