"""How a caseworker writes a need: family situation, cause, what was already done, the request.

`compose_need` picks one fragment of each kind for the category and fills it from the
household, so no two needs read alike. `publication_story` retells a need without names,
ID numbers, phone numbers or house numbers, for the donors' board.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from zhuanjie.demo.texts import ILLNESSES as ILLNESSES_COST

OPENINGS = (
    "该户{n}口人，户主{head}，{head_age}岁，{work}。{family}。",
    "{village}{head}家共{n}口人，{family}。",
    "户主{head}，{head_age}岁，家住{village}，{family}，{work}。",
    "本户为{grp}，家庭{n}人，人均月收入约{income}元，{family}。",
    "{head}一家住在{village}，{family}。户主{work}。",
    "经入户核实，该户{n}口人，{family}，人均月收入{income}元左右。",
    "家庭基本情况：{family}；户主{head}{work}。",
    "该户系{village}的{grp}，{family}，月人均收入不足{income_up}元。",
    "我镇{village}{grp}{head}户，{n}口人。{family}，{work}。",
    "{head}，{head_age}岁，{village}人。{family}，家里开支主要靠{support}。",
)

SUPPORTS = ("救助金和亲戚接济", "户主打零工", "几亩责任田的收成", "政府救助金", "子女偶尔寄钱回来")

# category → (titles, causes, requests); {who} is the beneficiary, e.g. 户主陈国强 / 其子陈浩然
FRAGMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "medical": (
        (
            "{name}{ill}治疗费用缺口大", "{ill}患者{name}医疗费救助",
            "为{name}申请{ill}自费部分救助",
            "{name}患{ill}，自付医疗费难以承担", "{ill}后续治疗费用求助",
        ),
        (
            "{who}于{year}年确诊{ill}，{treat}，在{hosp}治疗。",
            "{who}{months}个月前查出{ill}，{treat}。",
            "今年以来{who}因{ill}多次住院，{treat}，目前在{hosp}随访。",
            "{who}患{ill}已{years}年，{treat}，家中积蓄已经用完。",
            "{who}身体一直不好，{year}年在{hosp}确诊{ill}，{treat}。",
        ),
        (
            "今年累计医疗费约{cost}元，医保和大病保险报销后自付{gap}元，已向亲友借款{debt}元，"
            "申请医疗救助和社会力量帮扶。",
            "全年治疗费预计{cost}元，扣除报销后仍需自付约{gap}元，家庭无力承担，恳请帮助解决部分费用。",
            "住院自付部分已达{gap}元，后续还需{more}元左右，希望对接慈善助医项目。",
            "目前欠医院费用{gap}元，影响后续治疗，申请临时救助并转介大病救助项目。",
            "已享受医疗救助{paid}元，仍有{gap}元缺口，申请慈善组织补充救助。",
        ),
    ),
    "education": (
        (
            "{name}{school}学费资助", "资助{name}完成{school}学业", "{name}上学费用困难",
            "{school}在读学生{name}助学申请", "{name}新学期学杂费救助",
        ),
        (
            "{who}现就读于{school}{grade}，学习认真，成绩在班里中上。",
            "{who}今年考入{school}，是家里第一个{level}。",
            "{who}在{school}读{grade}，每学期学费、住宿费和生活费合计约{cost}元。",
            "{who}就读{school}{grade}，父母收入微薄，孩子多次提出想退学打工。",
            "{who}在{school}{grade}读书，平时放学后还要帮家里干农活。",
        ),
        (
            "家庭无力负担学费和生活费约{cost}元，申请教育救助及助学项目资助。",
            "已享受国家助学金{paid}元，仍有约{gap}元缺口，希望对接社会助学。",
            "恳请帮助解决本学年学费{cost}元，避免孩子辍学。",
            "除学费外，孩子还缺一台学习用的电脑和冬衣，申请助学金和爱心物资。",
            "希望有爱心人士结对资助，每学期{gap}元左右，直至毕业。",
        ),
    ),
    "housing": (
        (
            "{name}家危房改造", "{village}房屋漏雨修缮", "{name}户住房安全隐患整治",
            "危房鉴定为{grade_h}级，申请改造", "{name}家老屋墙体开裂需修缮",
        ),
        (
            "现住房为上世纪{decade}年代建的砖木结构平房，经鉴定为{grade_h}级危房。",
            "房屋年久失修，屋顶瓦片破损，下雨时{rooms}间屋子都漏水，墙体有多处裂缝。",
            "今年夏天台风过后，后屋山墙外倾，厨房屋顶塌了一角，现在借住在邻居家。",
            "一家人挤在两间老房里，没有独立卫生间，电线老化裸露，存在安全隐患。",
            "房屋地势低，梅雨季节屋内积水，墙面发霉，{who}的病情因此加重。",
        ),
        (
            "改造预算约{cost}元，家庭无力承担，申请农村危房改造补助及社会力量援建。",
            "修缮屋顶、更换电线约需{cost}元，申请住房救助。",
            "希望纳入危房改造计划，并请爱心企业帮助解决材料费用约{gap}元。",
            "申请临时安置和房屋加固维修，估算费用{cost}元。",
        ),
    ),
    "employment": (
        (
            "{name}求职就业帮扶", "为{name}推荐合适岗位", "{name}失业后再就业",
            "D:残疾人{name}就业援助", "{name}申请公益性岗位",
        ),
        (
            "{who}原在{factory}上班，今年{month}月厂里减产裁员后一直待业。",
            "{who}{age}岁，身体尚可，只有初中文化，在外找了几个月工作都没有着落。",
            "D:{who}为{dis}残疾，能从事轻体力劳动，多次求职因残疾被拒。",
            "{who}要照顾家中病人，只能在附近找时间灵活的工作。",
            "{who}去年从外地返乡，想在家门口就业，兼顾照顾老人孩子。",
        ),
        (
            "希望推荐离家近、能兼顾家庭的岗位，月收入{wage}元左右即可。",
            "申请就业援助，参加免费技能培训（如电工、家政、电商），并推荐就业。",
            "申请纳入就业困难人员认定，安排公益性岗位。",
            "D:希望用人单位提供适合残疾人的岗位，并帮助办理残疾人就业补贴。",
        ),
    ),
    "emergency": (
        (
            "{name}家突遭{event}急难救助", "{event}后生活陷入困境", "{name}户{event}临时救助",
            "突发{event}，申请先行救助", "{event}致家庭急难",
        ),
        (
            "{days}天前{event_text}",
            "本月{day}日{event_text}",
            "{month}月{day}日凌晨，{event_text}",
            "上周{event_text}",
        ),
        (
            "家中已无积蓄，申请临时救助{gap}元，解决眼下的吃住和医疗问题。",
            "申请急难救助先行救助，并转介相关部门和慈善组织跟进。",
            "急需{gap}元用于{use}，恳请尽快给予帮助。",
            "请求启动急难救助程序，同时联系社工上门评估后续需要。",
        ),
    ),
    "basic_living": (
        (
            "{name}家基本生活困难", "{name}户冬季生活救助", "保障{name}一家基本生活",
            "{name}户生活物资救助", "{name}家生活费缺口补助",
        ),
        (
            "家中收入仅够日常开销，{who}{ill_or_dis}，药费每月{med}元左右，常常入不敷出。",
            "{allowance}每月{dibao}元，扣除房租和药费后，一家人的伙食费所剩无几。",
            "O:{who}年老体弱，子女{kids_state}，平时靠低保金和几分菜地过日子。",
            "家里唯一的劳动力{who}今年身体垮了，家庭收入断了来源。",
            "入冬后家中缺少棉被和取暖用品，老人住的屋子四处透风。",
        ),
        (
            "申请临时生活补助和米面油等生活物资。",
            "希望对接冬季送温暖项目，提供棉被、冬衣和取暖器。",
            "申请生活救助每月{gap}元，帮助渡过难关。",
            "请慈善超市定期提供生活物资，并评估能否提高低保救助水平。",
        ),
    ),
    "care": (
        (
            "{name}日常照料服务", "C:留守儿童{name}关爱帮扶", "O:独居老人{name}上门照护",
            "{name}生活照料需求", "为{name}安排定期探访",
        ),
        (
            "O:{who}{age}岁，独自居住，子女都在外地，{ill_or_dis}，洗澡、做饭都有困难。",
            "C:{who}父母常年在{city}打工，跟随{guardian}生活，{guardian}年纪大，辅导不了功课。",
            "D:{who}为{dis}，生活不能完全自理，家人白天要外出干活，无人照看。",
            "O:{who}去年摔伤后行动不便，老伴也患病卧床，两位老人互相照顾很吃力。",
            "C:{who}放学后经常一个人在家，性格越来越内向，老师反映成绩下滑。",
        ),
        (
            "A:希望安排社工或志愿者每周上门一到两次，帮助助洁、助浴、送餐。",
            "O:申请居家养老上门服务，并定期电话问候。",
            "D:申请重度残疾人居家照护服务，让家人能喘口气。",
            "C:希望对接留守儿童关爱项目，提供课后陪伴和学业辅导。",
            "O:申请纳入特殊困难老人探访关爱，并评估是否需要入住养老机构。",
            "C:请志愿者结对帮扶，周末陪伴并辅导作业。",
        ),
    ),
    "rehabilitation": (
        (
            "{name}康复训练救助", "C:{dis}儿童{name}康复", "{name}辅助器具适配",
            "{name}术后康复费用", "为{name}申请康复救助",
        ),
        (
            "{who}经诊断为{dis}，目前在{center}做康复训练，每月费用约{med}元。",
            "{who}{ill_or_dis}，医生建议坚持康复训练，否则功能会进一步退化。",
            "{who}需要一辆轻便轮椅和一张护理床，家里无力购买。",
            "C:{who}的助听器已使用多年，效果越来越差，影响上学。",
            "A:{who}脑梗出院后右手右脚无力，需要持续做康复理疗。",
        ),
        (
            "C:申请残疾儿童康复救助和慈善康复项目补贴。",
            "希望适配轮椅、护理床等辅助器具，并安排康复师上门指导。",
            "康复费用每年约{cost}元，申请救助补贴约{gap}元。",
            "申请纳入残疾人精准康复服务，并提供上门康复训练。",
        ),
    ),
    "psychological": (
        (
            "{name}心理疏导", "{name}情绪问题需专业介入", "为{name}提供心理支持",
            "{event_short}后{name}心理干预", "{name}心理危机干预",
        ),
        (
            "{who}在{loss}后情绪低落，常常整夜睡不着，不愿与人交流。",
            "{who}自{ill}确诊后焦虑严重，多次对家人说不想治了。",
            "C:{who}近半年来厌学，经常逃课，和{guardian}关系紧张。",
            "家中发生{event_short}后，{who}受到惊吓，夜里经常哭醒。",
            "A:{who}长期照顾病人，身心疲惫，社工走访时发现有抑郁倾向。",
        ),
        (
            "希望有专业心理咨询师或社工开展个案辅导。",
            "申请心理疏导服务，每周一次，先做八次。",
            "请心理服务机构评估，必要时转介专科医院。",
            "希望对接心理援助热线和社工上门陪伴。",
        ),
    ),
    # "title||cause||request": the three told together where they must agree
    "legal": (
        ("为{name}申请法律援助",),
        (
            "W:{name}追讨欠薪法律援助||{who}{year}年在{site}做工{months}个月，包工头至今拖欠工资"
            "{wage_debt}元。||希望法律援助中心指派律师，帮助追讨欠款。",
            "W:{name}工伤赔偿纠纷||{who}在{factory}上班时右手被机器压伤，厂方只垫付了部分医药费，"
            "拒绝认定工伤。||申请法律援助，由律师代理工伤认定和仲裁。",
            "{name}交通事故赔偿法律援助||{who}骑电动车被货车撞伤，对方保险公司赔偿金额与实际损失"
            "相差较大。||申请法律援助，由律师代理诉讼。",
            "O:{name}赡养纠纷调解||{who}年迈多病，子女以各种理由不履行赡养义务。"
            "||申请免费法律咨询和调解，必要时提起诉讼。",
            "{name}土地承包纠纷法律援助||{who}的土地承包经营权被他人占用，多次协商未果。",
        ),
        (
            "申请免费法律咨询和调解，必要时提起诉讼。",
            "希望法律援助中心指派律师，维护合法权益。",
        ),
    ),
    "insurance": (
        ("{name}参保资助", "{name}户防返贫保险"),
        (
            "{name}居民医保个人缴费资助||全家{n}人中有{k}人尚未参加{year}年度城乡居民医保，"
            "个人缴费部分难以一次交齐。||申请代缴居民医保个人缴费部分约{gap}元。",
            "为{name}家配置补充医疗保险||{who}{ill_or_dis}，若没有补充保险，一次大病就可能让家庭返贫。"
            "||申请资助参保，并对接惠民型商业补充医疗保险。",
            "W:{name}意外伤害保险||{who}在外做零工，没有任何工伤和意外保险。"
            "||希望保险机构捐赠意外伤害保险，保额不低于{cover}万元。",
            "{name}养老保险续缴资助||{who}的城乡居民养老保险已断缴{years}年，担心将来老无所养。"
            "||申请资助参保，必要时协助办理补缴或续缴。",
        ),
        ("申请资助参保，并对接惠民型商业补充医疗保险。",),
    ),
}

# money a need of each category typically asks for, in hundreds of yuan
COSTS = {
    "medical": (100, 800), "education": (30, 160), "housing": (80, 600), "emergency": (30, 300),
    "basic_living": (10, 60), "employment": (10, 50), "care": (10, 60), "rehabilitation": (50, 300),
    "psychological": (10, 40), "legal": (50, 500), "insurance": (5, 30),
}

EVENTS = (
    ("火灾", "家中因电线老化起火，{rooms}间房屋和屋内家具、被褥、粮食全部烧毁，"
             "{who}在救火时烧伤双手。"),
    ("车祸", "{who}骑电动车回家途中被一辆小轿车撞倒，肇事车辆逃逸，{who}小腿骨折住院。"),
    ("重病", "{who}在家中突发脑溢血，送医抢救后转入重症监护室，每天费用数千元。"),
    ("工伤", "{who}在工地从脚手架上坠落，腰椎骨折，包工头联系不上。"),
    ("台风", "强降雨和大风掀翻了{who}家的屋顶，屋内物品全部被淋湿，一家人暂住村部。"),
    ("亲人离世", "家中主要劳动力突发心梗去世，留下{k}个孩子，丧葬费用尚未结清。"),
    ("溺水", "家中孩子在河边玩耍时落水，经抢救脱离危险但仍在住院观察。"),
)
LOSSES = (
    "丈夫车祸去世", "独子因病去世", "老伴去世", "父母离异", "家中失火", "母亲离家出走", "下岗",
)
SCHOOLS = (
    ("南通大学", "大学生", "大二"), ("扬州大学", "大学生", "大一"),
    ("南京工程学院", "大学生", "大三"),
    ("江苏航运职业技术学院", "大学生", "大一"), ("南通职业大学", "大学生", "大二"),
    ("{county_short}中等专业学校", "中专生", "二年级"),
    ("{county_short}高级中学", "高中生", "高二"),
    ("{town}初级中学", "初中生", "初二"), ("{town}中心小学", "小学生", "四年级"),
    ("南通中学", "高中生", "高一"), ("{county_short}第一中学", "高中生", "高三"),
)
FACTORIES = ("一家纺织厂", "镇上的电子厂", "一家船舶配件厂", "家纺公司", "一家建材厂", "食品加工厂")
SITES = ("上海一处工地", "苏州的装修队", "本地一家建筑公司的工地", "无锡的一个厂房项目")
CITIES = ("上海", "苏州", "无锡", "昆山", "杭州", "深圳")
CENTERS = (
    "南通市残疾人康复中心", "县残联定点康复机构", "南通大学附属医院康复科", "一家民办康复机构",
)
USES = ("住院押金", "租房和购买生活用品", "支付手术费", "给孩子交学费和买口粮")


@dataclass(frozen=True, slots=True)
class NeedFacts:
    """What a caseworker knows of the household when writing one need."""

    name: str
    who: str
    age: int
    head: str
    head_age: int
    n: int
    village: str
    county: str
    town: str
    grp: str
    income: int
    family: str
    work: str
    ill: str
    treat: str
    dis: str
    hosp: str
    guardian: str
    kids: int
    allowance: str  # what the family lives on: 低保金, 特困供养金 …
    disabled: bool  # the person helped has a disability
    condition: str  # their own health: 患尿毒症 / 为肢体二级残疾 / 身体不好


MONEY_NEEDS = ("medical", "education", "housing", "emergency", "basic_living")


def compose_need(
    rng: random.Random, category: str, facts: NeedFacts
) -> tuple[str, str, int | None]:
    """Title, description and the money asked for (yuan, None if the need is not money)."""
    titles, causes, requests = FRAGMENTS[category]
    low, high = COSTS[category]
    cost = rng.randrange(low, high) * 100
    if category == "medical" and facts.ill:
        low, high = next(((a // 100, b // 100) for n, (a, b), *_ in ILLNESSES_COST
                          if n == facts.ill), (low, high))
        cost = rng.randrange(low, high) * 100
    gap = max(500, round(cost * rng.uniform(0.25, 0.6), -2))
    event_short, event_text = rng.choice(EVENTS)
    school, level, grade = rng.choice(SCHOOLS)
    if facts.age < 12:
        grade = rng.choice(("二年级", "三年级", "五年级"))
        school, level = "{town}中心小学", "小学生"
    elif facts.age < 15:
        school, level, grade = "{town}初级中学", "初中生", rng.choice(("初一", "初二", "初三"))
    values = {
        "name": facts.name, "who": facts.who, "age": facts.age, "head": facts.head,
        "head_age": facts.head_age, "n": facts.n, "village": facts.village, "grp": facts.grp,
        "income": facts.income, "income_up": (facts.income // 100 + 1) * 100,
        "family": facts.family, "work": facts.work, "work_short": facts.work.split("，")[0],
        "support": rng.choice(SUPPORTS), "ill": facts.ill or "慢性病",
        "treat": (facts.treat or "需长期服药").replace("{k}", str(rng.randint(2, 6))),
        "hosp": facts.hosp, "dis": facts.dis or "残疾",
        "ill_or_dis": facts.condition,
        "year": rng.choice((2021, 2022, 2023, 2024, 2025, 2026)), "months": rng.randint(2, 11),
        "years": rng.randint(2, 8), "cost": cost, "gap": int(gap),
        "paid": int(round(cost * rng.uniform(0.1, 0.4), -2)),
        "debt": rng.randrange(2, 12) * 5000, "more": rng.randrange(2, 20) * 5000,
        "school": school.format(town=facts.town, county_short=facts.county[:-1]), "level": level,
        "grade": grade, "grade_h": rng.choice(("C", "D")), "decade": rng.choice(("七十", "八十")),
        "rooms": rng.randint(2, 4), "factory": rng.choice(FACTORIES), "site": rng.choice(SITES),
        "month": rng.randint(1, 10), "wage": rng.randrange(20, 45) * 100,
        "wage_debt": rng.randrange(12, 80) * 1000, "event": event_short, "event_short": event_short,
        "days": rng.randint(2, 9), "day": rng.randint(1, 25), "use": rng.choice(USES),
        "city": rng.choice(CITIES), "guardian": facts.guardian, "center": rng.choice(CENTERS),
        "loss": rng.choice(LOSSES), "med": rng.randrange(2, 15) * 100,
        "dibao": rng.randrange(6, 25) * 50, "kids_state": rng.choice(
            ("都在外地成家，很少回来", "早年病故", "自身也是低收入家庭", "在外打工，顾不上家里")),
        "k": max(1, facts.kids), "allowance": facts.allowance, "cover": rng.choice((10, 20, 30)),
        "mu": rng.randint(2, 8),
    }
    values["event_text"] = event_text.format_map(values)
    fill = _filler(values)
    opening = rng.choice(OPENINGS).format_map(fill)
    cause = _pick(rng, causes, facts)
    title, request_template = _pick(rng, titles, facts), _pick(rng, requests, facts)
    if "||" in cause:  # a cause that brings its own title (and request)
        title, cause, *rest = cause.split("||")
        request_template = rest[0] if rest else request_template
    request = request_template.format_map(fill)
    description = opening + cause.format_map(fill) + _middle(rng, category) + request
    title = title.format_map(fill)
    money: int | None = None  # what the need asks for in yuan, if it asks for money
    if "{gap}" in request_template:
        money = int(gap)
    elif "{cost}" in request_template or category in MONEY_NEEDS:
        money = cost
    return title[:120], description, money


TAGS = ("C:", "A:", "O:", "D:", "W:")


def _pick(rng: random.Random, fragments: tuple[str, ...], facts: NeedFacts) -> str:
    """A fragment that fits the person: C: children, A: adults, O: the old (60+), D: disabled,
    W: of working age."""
    fits = [f for f in fragments if f[:2] not in TAGS
            or (f[0] == "C" and facts.age < 18) or (f[0] == "A" and facts.age >= 18)
            or (f[0] == "O" and facts.age >= 60) or (f[0] == "D" and facts.disabled)
            or (f[0] == "W" and 18 <= facts.age < 60)]
    choice = rng.choice(fits or fragments)
    return choice[2:] if choice[:2] in TAGS else choice


def _filler(values: dict) -> dict:
    class Filler(dict):
        def __missing__(self, key):  # a fragment naming something this need lacks
            return ""

    return Filler(values)


_MIDDLES = {
    "medical": ("已按规定享受医保报销和医疗救助。", "", "村里组织过一次爱心捐款，杯水车薪。", ""),
    "education": ("孩子懂事，周末在亲戚店里帮忙。", "", "学校已减免部分住宿费。"),
    "housing": ("村委会已上门查看并拍照存档。", "", ""),
    "employment": ("已在人社部门登记失业。", "", ""),
    "emergency": ("村干部第一时间上门了解情况。", "", "邻居们自发送来了一些衣物。"),
    "basic_living": ("", "村里逢年过节会送些慰问品。", ""),
    "care": ("", "村里的网格员每周会去看一次。", ""),
    "rehabilitation": ("", "已办理残疾证。", ""),
    "psychological": ("", "家属同意社工介入。", ""),
    "legal": ("相关证据材料已初步整理。", "", ""),
    "insurance": ("", "家属同意由社工协助办理。", ""),
}


def _middle(rng: random.Random, category: str) -> str:
    return rng.choice(_MIDDLES[category])


PUBLIC_OPENINGS = (
    "{place}一户{grp}，{age_band}的{role}{ill_part}。",
    "这是{place}的一个{n}口之家，{role}今年{age_band}{ill_part}。",
    "在{place}，有一户{grp}：{role}{age_band}{ill_part}。",
)
PUBLIC_ASKS = {
    "medical": "治疗自付部分缺口约{goal}元，家里已经借遍了亲友，希望得到爱心帮助。",
    "education": "孩子成绩不错，但学费和生活费缺口约{goal}元，希望有爱心人士助其完成学业。",
    "housing": "现住房破损漏雨，修缮还差约{goal}元，希望爱心人士帮一把，让一家人住得安心。",
    "emergency": "突如其来的变故让这个家一下子没了着落，眼下急需约{goal}元渡过难关。",
    "basic_living": "一家人的日常开销难以为继，希望募集约{goal}元生活费和冬季物资。",
}


def publication_story(rng: random.Random, *, category: str, place: str, grp: str, age: int,
                      n: int, ill: str, goal: int) -> str:
    """A de-identified retelling: region at most to the township, an age band, no names."""
    band = f"{age // 10 * 10}多岁" if age >= 20 else ("十来岁" if age >= 10 else "几岁")
    role = ("孩子" if age < 18 else "老人" if age >= 65
            else rng.choice(("户主", "当家人")))
    ill_part = f"，正与{ill}抗争" if ill else ""
    opening = rng.choice(PUBLIC_OPENINGS).format(
        place=place, grp=grp, age_band=band, role=role, ill_part=ill_part, n=n)
    ask = PUBLIC_ASKS.get(category, PUBLIC_ASKS["basic_living"]).format(goal=goal)
    return opening + ask + "经镇（街道）经办人员入户核实，情况属实。"
