"""Kinds of failure found by reading where data/match-freshj, -freshl, -freshm, -fresho and
-freshp (new hands, new programmes) fell; every sentence here is invented for the test, none is
taken from a set.

- Bullying at school (学生欺凌: 被同学欺负, 堵在厕所, 扇耳光; 教督〔2017〕10号) is a situation that
  psychological help and legal aid answer.
- Family violence as people report it (多次殴打她, 用皮带抽打, 打骂, 喝了酒就动手), not only 家暴.
- A wish to die and self-harm in everyday words (活着没意思, 手上有划痕, 割腕) are distress, and a
  diagnosed 中度抑郁 is the illness.
- Aid to join basic medical insurance (资助参保) and its own benefits (城乡居民大病保险, 门特) are
  no preventive offer: they cover an illness already there, unlike a critical-illness policy.
- A policy bought for the household (统一投保) is a claim, not a purchase, unless it says it leaves
  out what the insured already had (投保前已确诊的疾病不予理赔): then it is preventive again.
- A child's death (儿子去世, 孩子病逝) is grief; the end of life (住到最后, 癌症晚期) is 安宁疗护
  (国卫办医发〔2017〕5号); being looked after in the daytime (白天有人照看) is 日间照料 or, for a
  disabled adult, 日间托养.
- Fraud (被骗, 骗局, 中奖电话; 反电信网络诈骗法) meets legal help and anti-fraud talks; a doctor
  who comes to the home (医生能上门看看) is the 家庭医生签约服务 (国医改办发〔2016〕1号).
- Trauma after a fire or violence (每晚惊醒, 做噩梦, 不敢一个人睡) is 心理创伤; a cataract as old
  people describe it (像蒙了一层雾, 长了翳子, 换个晶体); livestock by its kind (育肥猪, 蛋鸡) is
  farming.
- What a family already has, named before the word (贷款已办，…) or with where it was done
  (已在县资助中心办理…), is received (received.py; spans now in text order).
- What an offer says does not apply (普通高中学生不适用, 不能申请) is an exclusion (exclusion.py);
  中等职业学校, the official name, is 中职.
- A son who gives his mother nothing (不给生活费, 不来看望) is 赡养, for legal help.
- A private debt (借钱不还, 欠条, 要不回来; 人民调解法) is 民间借贷纠纷, for mediation and legal
  help.
- A house taken by a relative (占着不让, 遗产; 民法典) is a property dispute; 马蹄内翻足 and other
  congenital deformities are illnesses; a kind of disability by its grade (肢体三级) is that kind.
- A school year said after the school (高三在读, 高一年级, 高三下学期) names the stage; 本科或专科
  names 高职 too (not 专科 alone: 专科医院).
- Meals as old people put it (只会下面条, 吃上一顿像样的饭, 做饭越来越吃力) are 助餐.
- Asking for 低保 in everyday words (能不能吃低保, 想办低保, 评低保) names the programme.
- An emergency service or volunteer team (蓝天救援队 搜救) is no emergency fund: it takes no
  urgency bonus (features.fast_help) from the cash that an urgent family needs.
- The illness of someone who died (丈夫前年肺癌去世) is not the need's (deceased.py); the death by
  an accident stays, as a claim may follow.
- 胃肠间质瘤 and 神经母细胞瘤 are malignant tumours (a drug-donation programme for them warned a
  patient who named his).
- A programme that lists kinds of disability (听力、言语、肢体、智力残疾和孤独症儿童) is no fund
  for the illnesses it names: a child whose cleft palate left a speech disability is served.
"""

from __future__ import annotations

import pytest

from .factories import fired, make_need, make_offer, ranked

PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"


@pytest.mark.parametrize(
    "text, concept",
    [
        ("女儿读初二，这学期经常被同学欺负，还被堵在厕所里扇耳光", "bullying"),
        ("儿子在学校被几个同学勒索零花钱，不敢去上学", "bullying"),
        ("丈夫喝了酒就多次殴打她，上周用皮带抽打", "fam_violence"),
        ("老伴走后她说活着没意思，整天不吃不喝", "depression_anxiety"),
        ("孩子手上有划痕，医院确诊中度抑郁", "depression"),
        ("10岁的儿子去年因肿瘤去世，母亲天天往医院跑", "grief"),
        ("癌症晚期，疼痛难以控制，想找家医院住到最后", "hospice"),
        ("父母都在外打工，想找个白天有人照看的地方", "daytime_care"),
        ("最近接到好几个中奖电话，差点上当受骗", "fraud"),
        ("接到自称公安局的电话，把三万元转到了安全账户", "fraud"),
        ("跟着去听健康讲座，花一万多买了保健品", "fraud"),
        ("老人腿脚不便，希望有医生能上门看看", "home_doctor"),
        ("胃肠间质瘤切除术后，医生要他长期吃药", "other_cancer"),
        ("厂子关了，夫妻俩只打零工，诉求：能不能吃低保", "dibao"),
        ("老人只会下面条，想每天吃上一顿像样的饭", "meal_help"),
        ("丈夫喝了酒就动手，这次把她锁骨打骨折了", "fam_violence"),
        ("家里失火后，孩子每晚惊醒，不敢一个人睡", "psych_trauma"),
        ("看东西像蒙了一层雾，医生说眼睛里长了翳子，要换个晶体", "cataract"),
        ("借钱养了50头育肥猪，发病死了一大半", "farming"),
        ("前年借给同村熟人10万元，只有一张欠条，对方一直拖着不还", "loan_dispute"),
        ("父母去世后留下的房子被堂兄占着不让", "property_dispute"),
        ("11岁，先天性马蹄内翻足，医生建议手术矫正", "congenital_deformity"),
        ("持肢体三级证，腿脚无力", "dis_limb"),
        ("女儿在市区某中学高三在读，有望考本科", "stage_senior"),
        ("在全日制普通高校就读本科或专科的家庭经济困难学生", "stage_voc_higher"),
        ("儿子在高等职业学校读二年级", "stage_voc_higher"),
        ("儿子近两年不给生活费，也不来看望老人", "maintenance"),
    ],
)
def test_everyday_words_name_the_situation(text, concept):
    assert concept in fired(text)


def test_bullying_meets_psychological_help_and_legal_aid_with_its_reason():
    help_ = make_offer(id="PSY", title="“阳光”青少年心理援助", categories=["psychological"],
                       description="为中小学生提供免费心理评估和个体心理咨询，每人最多8次。")
    law = make_offer(id="LAW", title="法律援助", categories=["legal"],
                     description="为经济困难公民提供法律咨询、代理诉讼。")
    pupil = make_need(title="女儿在学校受了委屈", category="psychological", groups=[],
                      beneficiary_age=14, amount_needed=None,
                      description="女儿读初二，这学期被同班同学欺负，被堵在厕所里扇耳光，"
                                  "还被拍了视频发到群里。")
    order, reasons = ranked(pupil, [law, help_])
    assert order == ["PSY", "LAW"]
    assert any("学生欺凌 属于 心理疏导" in r for r in reasons["PSY"])
    assert any("学生欺凌 属于 法律援助" in r for r in reasons["LAW"])


def test_a_programme_for_kinds_of_disability_serves_a_speech_disability_from_a_cleft_palate():
    rehab = make_offer(id="REH", title="残疾儿童康复救助", categories=["rehabilitation"],
                       eligible_groups=["disabled"],
                       description="为0至14周岁听力、言语、肢体、智力残疾和孤独症儿童提供康复"
                                   "训练补贴，每年最高15000元。")
    child = make_need(title="唇腭裂术后说话不清", category="rehabilitation",
                      groups=["disabled"], beneficiary_age=6, amount_needed=None,
                      description="女儿6岁，先天性唇腭裂术后言语障碍，言语残疾三级，"
                                  "想做语言康复训练。")
    _, reasons = ranked(child, [rehab])
    assert not any(r.startswith("注意: 专病项目") for r in reasons["REH"])


def test_aid_to_join_basic_medical_insurance_is_no_preventive_offer_for_an_uninsured_patient():
    enrol = make_offer(id="ENR", title="困难人员城乡居民医保参保资助", categories=["insurance"],
                       eligible_groups=["dibao"],
                       description="低保对象参加城乡居民医保的个人缴费部分给予全额资助，"
                                   "参保后按规定享受住院报销。")
    critical = make_offer(id="CRI", title="重大疾病商业保险（惠民版）", categories=["insurance"],
                          description="18至60周岁居民自愿投保，每年保费100元，确诊合同约定的"
                                      "重大疾病赔付5万元，等待期90天，投保前已患疾病不赔。")
    patient = make_need(title="低保户没交医保要住院", category="insurance", groups=["dibao"],
                        beneficiary_age=57, amount_needed=None,
                        description="今年的城乡居民医保没有交，现在慢阻肺急性加重要住院，"
                                    "医院说没有医保不能报销。")
    order, reasons = ranked(patient, [critical, enrol])
    assert order[0] == "ENR" and PREVENTIVE not in reasons["ENR"]
    assert PREVENTIVE in reasons["CRI"]


def test_the_catastrophic_illness_insurance_of_the_insured_is_no_preventive_offer():
    serious = make_offer(id="DBX", title="城乡居民大病保险", categories=["insurance", "medical"],
                         description="参加城乡居民医保的参保人员自动享受，住院自付费用超过起付线的"
                                     "部分再报销60%以上。")
    patient = make_need(title="确诊肺癌想补买保险", category="insurance", groups=[],
                        beneficiary_age=59, amount_needed=None,
                        description="上个月确诊肺癌，家属问现在买保险还能不能报销后续的治疗费用。")
    _, reasons = ranked(patient, [serious])
    assert PREVENTIVE not in reasons["DBX"]


def _need_concepts(text):
    from matching import OfferIndex
    ix = OfferIndex([make_offer()])
    side = ix.need_side([make_need(title="生活困难", description=text, category="basic_living")])
    return {ix.lexicon.ids[i] for i in side.concepts[0].nonzero()[0]}


def test_the_illness_of_someone_who_died_is_not_the_need_s():
    got = _need_concepts("丈夫前年肺癌去世，看病欠债8万，今年大风把厨房的屋顶掀了。")
    assert "lung_cancer" not in got and "serious_illness" not in got
    own = _need_concepts("丈夫前年肺癌去世，她自己也查出糖尿病，每月药费三百多。")
    assert "lung_cancer" not in own and "diabetes" in own
    crash = _need_concepts("父亲2014年车祸去世，肇事方一直没赔。")
    assert "dis_traffic" in crash


def test_an_emergency_rescue_team_is_no_emergency_fund():
    rescue = make_offer(id="RES", title="蓝天救援队应急搜救", categories=["emergency"],
                        mode="volunteer", amount_per_beneficiary=None,
                        description="公益救援队伍，提供水域搜救、走失人员搜寻、洪涝转移等应急服务，"
                                    "24小时响应。")
    fund = make_offer(id="TMP", title="急难型临时救助", categories=["emergency", "basic_living"],
                      mode="cash", amount_per_beneficiary=5000,
                      description="因意外事故、突发重病导致基本生活陷入困境的家庭，一次性救助。")
    gas = make_need(title="燃气泄漏母女中毒住院", category="emergency", urgency=3,
                    groups=["low_income"], beneficiary_age=42, amount_needed=None,
                    description="夜里厨房燃气泄漏，母女二人中毒昏迷，送医住院，家里拿不出钱。")
    order, reasons = ranked(gas, [rescue, fund])
    assert order == ["TMP", "RES"]
    assert not any(r.startswith("急难优先") for r in reasons["RES"])


def test_a_family_doctor_who_refers_a_need_is_not_the_help_it_asks_for():
    assert "home_doctor" not in fired("家庭医生转介：华某，24岁，智力残疾三级，白天无人照看。")
    assert "home_doctor" in fired("老人腿脚不便，想签约家庭医生，希望医生能上门看看。")


def test_a_group_policy_that_excludes_illness_already_there_is_preventive():
    excluding = make_offer(id="KID", title="困难家庭少儿重疾公益保险", categories=["insurance"],
                           description="由企业出资为低保家庭儿童统一投保一年，确诊少儿重大疾病一次性"
                                       "给付10万元。投保前已确诊的疾病不予理赔，等待期90天。")
    group = make_offer(id="GRP", title="低保对象意外伤害统保", categories=["insurance"],
                       description="政府为低保对象统一投保意外伤害保险，意外受伤住院按比例赔付，"
                                   "出险后由村委会协助报案理赔。")
    child = make_need(title="1型糖尿病孩子想买保险", category="insurance", groups=["dibao"],
                      beneficiary_age=9, amount_needed=None,
                      description="孩子去年确诊1型糖尿病，每天打胰岛素，家长想给孩子买份保险报药费。")
    _, reasons = ranked(child, [excluding])
    assert PREVENTIVE in reasons["KID"]
    hurt = make_need(title="低保户摔伤住院", category="insurance", groups=["dibao"],
                     beneficiary_age=61, amount_needed=None,
                     description="骑三轮车摔倒，手腕骨折做了手术，听说政府给低保户买了保险。")
    _, reasons = ranked(hurt, [group])
    assert PREVENTIVE not in reasons["GRP"]


def test_a_group_the_offer_says_it_does_not_apply_to_is_left_out():
    warn = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
    voc = make_offer(id="VOC", title="中等职业学校免学费和国家助学金", categories=["education"],
                     description="中等职业学校全日制学生免学费，家庭困难学生另享国家助学金每年2000元。"
                                 "普通高中学生不适用。")
    pupil = make_need(title="低保家庭高三学生", category="education", groups=["dibao"],
                      beneficiary_age=17, amount_needed=None,
                      description="女儿在县里的高级中学高三在读，家庭是农村低保户，学费生活费困难。")
    _, reasons = ranked(pupil, [voc])
    assert warn in reasons["VOC"]


def test_a_thing_received_named_before_the_word_or_with_where_it_was_done():
    from matching.received import spans
    text = ("大一新生贷款已办，生活费仍无着落。入学前已在县资助中心办理生源地助学贷款8000元，"
            "用于交学费。")
    assert [text[a:b] for a, b in spans(text)] == ["大一新生贷款", "生源地助学贷款8000元"]
    loan = make_offer(id="LOAN", title="生源地信用助学贷款", categories=["education"],
                      description="家庭经济困难的全日制高校学生可申请生源地信用助学贷款，每年最高8000元。")
    grant = make_offer(id="GRANT", title="大学新生助学金", categories=["education"],
                       description="当年考入全日制普通高校的困难家庭新生，一次性资助5000元。")
    student = make_need(title="大一新生贷款已办，生活费仍无着落", category="education",
                        groups=["low_income"], beneficiary_age=19, amount_needed=None,
                        description=text)
    order, reasons = ranked(student, [loan, grant])
    assert order == ["GRANT", "LOAN"]
    assert any(r.startswith("需求已享受") for r in reasons["LOAN"])
