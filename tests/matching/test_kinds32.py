"""Kinds of the forty-fourth session, found in the thirty-second batch (written blind, read in
this session) and counted over dev and every labelled set. Every sentence here is invented for
the test, none is taken from a set.

Hospice care (安宁疗护, 居家宁养, 临终关怀) is for someone at the end of an illness
(肝癌晚期, 医生说不再化疗), not for a patient under treatment. Relief for a natural disaster
(自然灾害过渡期生活救助) is for a storm, a flood or snow, not for a house that burned. A woman
frightened by a relative's cancer who asks for a cheap insurance for herself (有没有便宜的保险,
给自己买点保障) asks for cover, though her text names the cancer. A place where old people eat
(给老人吃饭的地方) is the meal service. Cochlear implants are for a child who cannot hear, not
one with autism; cataract surgery for poor sight; rehabilitation after a stroke for a stroke
(脑埂, a slip of the pen, and 半边身子没力气 as people say it), not for a broken leg unless it
names fractures too; a clubhouse for people recovering from a mental illness, not for a
cancer patient's despair; training for autistic children for autism, not cerebral palsy;
teaching at home (送教上门) for a child whose disability keeps them from school (一天学也没上过),
not a pupil in the third grade; donated targeted cancer drugs for a patient on one (易瑞沙), not
one under chemotherapy. An old man who can look after himself (能自理) is no disabled man, though
his daughter asks 能不能 elsewhere in the text, nor is a home for those who can (须生活能自理) a
programme for the disabled. A father who has not found work (没找到活) is looking for it.
"""

from __future__ import annotations

import pytest

from matching import OfferIndex
from matching.reasons import ReasonMaker

from .factories import (
    MAJOR_ILLNESS_AID,
    make_need,
    make_offer,
    ranked,
    warned_for,
)
from .factories import (
    programme as _offer,
)
from .test_kinds10 import _COVER

# (the title's flag in status.ANSWERS, the programme, the need's fields, a need it answers —
# said as people say it —, a need it does not)
_PROGRAMMES = {
    "hospice": (
        "_hospice",
        _offer("AN", "居家安宁疗护上门服务", "为晚期肿瘤等终末期病人提供上门止痛、护理和家属"
               "哀伤支持。", "care", "ngo", "慈济护理站"),
        {"category": "care", "groups": ["dibao"], "beneficiary_age": 70,
         "region": "南通市/海门区/三星镇"},
        "老头子肝癌晚期，医生讲不再化疗了，接回家里，夜里疼得睡不着，老太一个人弄不动。",
        "老头子肝癌在化疗，每回住院三四天，老太一个人陪着，吃不消。"),
    "natural disaster relief": (
        "_natural_disaster",
        _offer("ZR", "自然灾害过渡期生活救助", "因台风、暴雨、雪灾等自然灾害，房屋倒塌无房可住的"
               "受灾户，每人每天20元。", "emergency"),
        {"category": "emergency", "groups": ["low_income"], "beneficiary_age": 58,
         "region": "南通市/如东县/大豫镇"},
        "上礼拜那场龙卷风把两间瓦房的屋顶掀掉了，一家人挤在邻居家里。",
        "上礼拜夜里电线老化起火，两间瓦房烧掉了，一家人挤在邻居家里。"),
    "cochlear implants": (
        "_hearing",
        _offer("EW", "贫困听障儿童人工耳蜗植入救助", "为0至6岁重度、极重度听力残疾儿童免费植入人工"
               "耳蜗并资助术后康复。", "rehabilitation", provider_name="市残联"),
        {"category": "rehabilitation", "groups": ["low_income"], "beneficiary_age": 3,
         "region": "南通市/启东市/汇龙镇"},
        "伢儿三岁了还不会叫人，去儿童医院查了，医生讲两只耳朵都听不见，要装耳蜗。",
        "伢儿三岁了还不会叫人，不看人，一个人转圈，医生讲是孤独症，要去机构训练。"),
    "cataract surgery": (
        "_eye_programme",
        _offer("GM", "“光明行”白内障免费复明手术", "为50岁以上困难群众免费实施白内障复明手术。",
               "medical", provider_name="县红十字会"),
        {"category": "medical", "groups": ["dibao"], "beneficiary_age": 74,
         "region": "南通市/如东县/栟茶镇"},
        "老太太两只眼睛像蒙了一层雾，看东西模模糊糊，穿针都穿不进去了。",
        "老太太膝盖疼得下不了楼，医生讲是退化，要换关节，自己要掏两万。"),
    "stroke rehabilitation": (
        "_stroke_rehab",
        _offer("ZF", "脑卒中患者居家康复上门指导", "为脑卒中出院后的患者提供康复师上门训练指导。",
               "rehabilitation", "ngo", "康复护理站"),
        {"category": "rehabilitation", "groups": ["low_income"], "beneficiary_age": 66,
         "region": "南通市/海安市/墩头镇"},
        "老头子去年冬天脑埂，出院后半边身子没力气，扶着墙只能挪几步，想有人上门教着练。",
        "老头子去年冬天摔断了腿，打了钢板，出院后走路不稳，想有人上门教着练。"),
    "clubhouse": (
        "_smi_programme",
        _offer("HS", "会所模式精神康复者日间康复", "为病情稳定的精神障碍康复者提供日间活动、工作"
               "训练。", "psychological", "ngo", "向阳会所"),
        {"category": "psychological", "groups": ["low_income"], "beneficiary_age": 52,
         "region": "南通市/崇川区/文峰街道"},
        "儿子精神分裂症十年了，吃药稳定了，天天闷在家里，想让他白天有个地方去。",
        "她乳腺癌化疗到一半不肯再打了，夜里睡不着，常一个人哭，说拖累了家里。"),
    "training for autistic children": (
        "_autism",
        _offer("XX", "“星星的孩子”孤独症儿童康复训练资助", "为确诊孤独症的困难家庭儿童资助机构康复"
               "训练费用。", "rehabilitation", "ngo", "星语家长会"),
        {"category": "rehabilitation", "groups": ["low_income"], "beneficiary_age": 4,
         "region": "南通市/如皋市/如城街道"},
        "伢儿四岁了，喊他名字不应，不看人，一个人转圈，医院讲是自闭症，要去机构训练。",
        "伢儿四岁了，早产缺氧，到现在还站不稳，医院讲是脑瘫，要去机构训练。"),
    "teaching at home": (
        "_home_schooling",
        _offer("SJ", "重度残疾儿童少年送教上门", "对不能到校就读的重度残疾适龄儿童，由特教老师每周"
               "上门授课。", "education", provider_name="区教育局"),
        {"category": "education", "groups": ["dibao"], "beneficiary_age": 9,
         "region": "南通市/通州区/二甲镇"},
        "孙子九岁了，生下来缺氧，不会走路，学校讲没条件，一天学也没上过，天天对着电视。",
        "孙子九岁，读三年级，爸妈在外打工，奶奶不识字，作业没人辅导，成绩往下掉。"),
    "donated targeted drugs": (
        "_targeted_drug",
        _offer("BX", "肺癌EGFR靶向药慈善援助", "EGFR突变晚期肺癌患者自费服用靶向药满3个月后，"
               "由基金会免费援助后续用药。", "medical", "ngo", "某公益基金会"),
        {"category": "medical", "groups": ["low_income"], "beneficiary_age": 57,
         "region": "南通市/如东县/掘港街道"},
        "他肺癌查出来有基因突变，医生讲吃易瑞沙，一盒七八千，存款快用光了。",
        "他肺癌在县医院化疗，一次自付三四千，存款快用光了。"),
}


@pytest.mark.parametrize("name", list(_PROGRAMMES))
def test_a_programme_for_one_trouble_answers_only_that_trouble(name):
    flag, offer, fields, answered, other = _PROGRAMMES[name]
    assert not warned_for(flag, offer, fields, answered)
    assert warned_for(flag, offer, fields, other)


# a programme whose title names more than the one trouble answers a need for the other too:
# (the flags whose warning it does not get, the programme, the need's fields, the need)
_ALSO = {
    "hospice for the bereaved too": (
        ("_hospice",),
        _offer("LZ", "临终病人家属与丧亲者心理支持", "为家有临终病人或亲人离世的家庭提供心理"
                  "支持。", "psychological", "ngo", "同行社工"),
        {"category": "psychological", "groups": ["low_income"], "beneficiary_age": 66,
         "region": "南通市/通州区/平潮镇"},
        "老伴去年冬天走了，她一个人在家整夜睡不着，一说话就哭。"),
    "relief that names fire too": (
        ("_natural_disaster",),
        _offer("HZ", "火灾、风灾受灾户应急救助", "对遭受火灾、风灾的困难家庭发放过渡生活费"
                  "和被褥。", "emergency"),
        {"category": "emergency", "groups": ["low_income"], "beneficiary_age": 58,
         "region": "南通市/如东县/大豫镇"},
        "上礼拜夜里电线老化起火，两间瓦房烧掉了，一家人挤在邻居家里。"),
    "stroke rehabilitation that names fractures too": (
        ("_stroke_rehab",),
        _offer("GZ", "脑卒中、骨折术后居家康复上门指导", "为脑卒中、骨折术后出院的病人提供上门"
                  "康复指导。", "rehabilitation"),
        {"category": "rehabilitation", "groups": ["low_income"], "beneficiary_age": 66,
         "region": "南通市/海安市/墩头镇"},
        "老头子去年冬天摔断了腿，打了钢板，出院后走路不稳，想有人上门教着练。"),
    "an emergency fund for illness, schooling and disaster": (
        ("_disaster", "_natural_disaster"),
        _offer("JN", "慈善救急难：因病、因学、因灾急难家庭援助", "对因重病、子女上学或灾害陷入"
                  "急难的家庭一次性援助，最高一万元。", "emergency", "ngo", "市慈善总会"),
        {"category": "emergency", "groups": ["low_income"], "beneficiary_age": 46,
         "region": "南通市/海门区/三星镇"},
        "男人尿毒症一个礼拜洗三回血，厂里活也做不了，家里借遍了。"),
}


@pytest.mark.parametrize("name", list(_ALSO))
def test_a_programme_that_names_more_answers_the_other_trouble_too(name):
    flags, offer, fields, need = _ALSO[name]
    assert not any(warned_for(flag, offer, fields, need) for flag in flags)


def test_a_cheap_cover_for_herself_after_a_relatives_cancer_is_a_wish_for_cover():
    mother = make_need(title="问问保险", category="medical", groups=["low_income"],
                       beneficiary_age=38, amount_needed=None, urgency=1,
                       region="南通市/通州区/石港镇",
                       description="我婆婆前年宫颈癌走掉了，我一直心里吊着。家里六口人就靠我跟"
                                   "我男人打工，想问问有没有便宜的保险，给自己买点保障。")
    order, _ = ranked(mother, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order == ["CII", "MAJ"]


def test_saying_she_is_well_after_a_sisters_cancer_is_a_wish_for_cover():
    sister = make_need(title="问问免费的大病保险", category="basic_living", groups=["low_income"],
                       beneficiary_age=35, amount_needed=None, urgency=1,
                       region="南通市/海门区/余东镇",
                       description="我姐姐去年查出来乳腺癌，家里掏空了，我看着怕。我自己现在没"
                                   "什么病，去年体检也正常。听说低收入的可以免费保一年，去哪里报名？")
    order, reasons = ranked(sister, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order == ["CII", "MAJ"] and ReasonMaker.PREVENTIVE not in reasons["CII"]


def test_a_place_where_old_people_eat_is_the_meal_service():
    meals = make_offer(id="ZC", title="社区长者食堂", categories=["care"], provider_type="ngo",
                       provider_name="社区居委会", mode="service",
                       description="六十周岁以上老人中午在社区长者食堂用餐，低保老人每餐减免5元。")
    escort = make_offer(id="PZ", title="“爱心陪诊”志愿服务", categories=["care"],
                        provider_type="ngo", provider_name="志愿者协会", mode="volunteer",
                        description="为独居、行动不便的老人提供就医陪诊、取药、代办。")
    home = make_offer(id="JJ", title="政府购买居家养老服务", categories=["care"],
                      provider_name="区民政局", mode="service", eligible_groups=["dibao"],
                      description="为低保、独居等困难老人每月提供助洁、助医、代购等上门服务10小时。")
    granny = make_need(title="外婆的语音", category="care", groups=["dibao"],
                       beneficiary_age=83, amount_needed=None, urgency=1,
                       region="南通市/崇川区/学田街道",
                       description="老头子走了四年，我一个人住。膝盖疼，医生讲是退化，烧饭站不住，"
                                   "有时候就开水泡泡饭。听隔壁讲社区有个给老人吃饭的地方，中午去"
                                   "吃，我们低保的能不能去？")
    order, reasons = ranked(granny, [escort, home, meals])
    assert order[0] == "ZC" and any("助餐" in r for r in reasons["ZC"])


def test_able_to_look_after_himself_is_no_disability_though_the_text_says_cannot_elsewhere():
    # (a term fires on its n-grams: 能自理 and a 不能 elsewhere had read as 不能自理)
    care = make_offer(id="SN", title="困难失能老人护理补贴", categories=["care"],
                      provider_name="区民政局", eligible_groups=["dibao"],
                      description="低保家庭中生活不能自理的失能老人，每月发放护理补贴200元。")
    law = make_offer(id="LS", title="公益律师进老年活动中心（赡养、遗嘱咨询）",
                     categories=["legal"], provider_type="ngo", provider_name="律师协会",
                     description="每月一次公益律师坐班，解答赡养、房产、遗嘱等问题。")
    father = make_need(title="老汉只能住车库", category="legal", groups=["dibao"],
                       beneficiary_age=73, amount_needed=None, urgency=2,
                       region="南通市/海门区/正余镇",
                       description="老人能自理，有老慢支。老房子儿子翻建了，儿媳不让他住楼上，叫他住"
                                   "车库。女儿问：能不能跟弟弟签个东西，写清楚老爸住哪里、每个月给多少。")
    order, reasons = ranked(father, [care, law])
    assert order == ["LS", "SN"] and not any(r.startswith("内容相关") and "瘫痪" in r
                                             for r in reasons["SN"])


def test_a_programme_for_those_able_to_look_after_themselves_names_no_disability():
    # (the same n-grams in a programme's text: 须生活能自理 and 不能携带宠物)
    home = make_offer(id="YL", title="老年公寓入住", categories=["care"], provider_type="ngo",
                      provider_name="颐养公寓",
                      description="入住老人须生活能自理，不能携带宠物，每月费用八百元。")
    index = OfferIndex([home])
    ids = list(index.encoder.lexicon.ids)
    assert index.concepts[0][ids.index("paralysis")] == 0
    assert index.concepts[0][ids.index("daily_living")] == 0


def test_not_having_found_work_is_looking_for_work():
    fair = make_offer(id="ZP", title="春风行动专场招聘会", categories=["employment"],
                      provider_name="区人社局",
                      description="年后专场招聘会，百家企业到场，提供普工、技工、物流等岗位。")
    dad = make_need(title="厂子搬走了", category="basic_living", groups=[], beneficiary_age=36,
                    amount_needed=None, urgency=2, region="南通市/崇川区/观音山街道",
                    description="电子厂一月份搬到外省，他没跟去，一个月了还没找到活，房租一个月"
                                "一千二，手上就剩几千块。")
    _, reasons = ranked(dad, [fair])
    assert any(r.startswith("内容相关") and "求职" in r for r in reasons["ZP"])

