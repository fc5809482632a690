"""Kinds read where the diagnostic sets fell in the twenty-fifth session; every sentence here
is invented for the test, none is taken from a set.

A school year before its class's number (高一（6）班) is the pupil's year. The first three
years of a five-year 高职 (五年制高职前三年) are 中职: a 中职 fee waiver that lists them is no
programme for a 高职 student. Disability kinds listed before one shared 残疾 (智力、精神残疾人)
are each a kind. A form's option left unticked (□低保, □因病) says nothing of the household.
A wish to learn to be a 月嫂 or to get a certificate (考证) asks for skills training. What a
need compares itself with (技校是不是跟读高中一样) is not its own stage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from matching import OfferIndex, rank
from matching.features import need_text, plain_names
from matching.reasons import ReasonMaker
from matching.received import spans

from .factories import fired, make_need, make_offer, ranked

STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
KIND = ReasonMaker.KIND

_SENIOR = {"id": "PG", "title": "普通高中国家助学金", "categories": ["education"],
           "eligible_groups": ["dibao", "low_income"], "amount_per_beneficiary": 2000,
           "description": "普通高中在校家庭经济困难学生每生每年2000元，按学期发放。"}
_VOCATIONAL = {"id": "ZZ", "title": "中等职业学校免学费和国家助学金", "categories": ["education"],
               "eligible_groups": ["dibao", "low_income"], "amount_per_beneficiary": 2000,
               "description": "中等职业学校（含技工学校、五年制高职前三年）全日制在校生免除学费，"
                              "家庭经济困难学生另享国家助学金每生每年2000元。"}


def _student(text: str, age: int = 16):
    return make_need(title="学生学费生活费困难", category="education", beneficiary_age=age,
                     amount_needed=2000, urgency=1, groups=["dibao"], description=text)


def _first_and_warned(need, offers, first: str, warned: str) -> None:
    """``first`` ranks first for the student, and ``warned`` carries the stage warning."""
    order, reasons = ranked(need, offers)
    assert order[0] == first
    assert STAGE in reasons[warned] and STAGE not in reasons[first]


def test_a_school_year_before_its_class_number_is_the_pupil_s_year():
    need = _student("班主任来函：学生吴某，城东街道人，南通一中高一（6）班。"
                    "父亲去年病故，家中低保，本学期住宿费未交。")
    _first_and_warned(need, [make_offer(**_SENIOR), make_offer(**_VOCATIONAL)], "PG", "ZZ")
    assert "读高二(3)班" in need_text(_student("他是高二(3)班的"))
    assert "读三年级2班" in need_text(_student("女儿三年级2班"))


def test_the_first_years_of_a_five_year_higher_vocational_course_are_secondary_vocational():
    assert "高职" not in plain_names(_VOCATIONAL["description"])
    need = _student("女儿19岁，在南通某职业技术学院读大二，学护理，学费一年六千，家里是低保户。",
                    age=19)
    higher = make_offer(id="GZ2", title="高职院校家庭经济困难学生资助", categories=["education"],
                        eligible_groups=["dibao", "low_income"], amount_per_beneficiary=3000,
                        description="全日制高职（大专）在校家庭经济困难学生，每生每年资助3000元。")
    _first_and_warned(need, [make_offer(**_VOCATIONAL), higher], "GZ2", "ZZ")


def test_disability_kinds_listed_before_one_shared_word_are_each_a_kind():
    assert plain_names("智力、精神残疾人；视力和听力残疾") == \
        "智力残疾、精神残疾人；视力残疾和听力残疾"
    need = make_need(title="智力残疾儿子白天无处去", category="employment", beneficiary_age=24,
                     amount_needed=None, urgency=1, groups=["disabled", "low_income"],
                     description="儿子24岁，智力残疾三级，特校毕业后一直在家，我们白天上班只能把他锁在"
                                 "家里。他会扫地叠衣服，想找个地方白天去做点事。")
    sheltered = make_offer(id="YG", title="“阳光家园”智力、精神残疾人辅助性就业",
                           categories=["employment", "care"], eligible_groups=["disabled"],
                           provider_type="ngo", provider_name="某区残联",
                           description="为就业年龄段持证残疾人提供庇护性劳动、日间照料和生活自理训练。")
    training = make_offer(id="PX", title="城乡劳动者免费职业技能培训", categories=["employment"],
                          provider_name="南通市人社局",
                          description="有就业愿望的城乡劳动者可免费参加电工、焊工、面点等培训，推荐就业岗位。")
    order, reasons = ranked(need, [sheltered, training])
    assert KIND not in reasons["YG"]
    assert order[0] == "YG"


def test_an_unticked_option_of_a_form_says_nothing_of_the_household():
    form = "类别：{}特困｜诉求：生活维持不下去"
    assert "tekun_support" in fired(need_text(_student(form.format("☑"))))
    assert "tekun_support" not in fired(need_text(_student(form.format("□"))))
    text = need_text(_student("致贫原因：□因病　□因残　☑因学｜孩子读高一，学费交不起"))
    assert "因病" not in text and "因残" not in text and "因学" in text


def test_a_wish_to_train_as_a_maternity_nurse_or_to_get_a_certificate_asks_for_training():
    assert "training" in fired("听说做月嫂收入高，想去学")
    assert "training" in fired("想考个证，找个正经活")
    need = make_need(title="农村妇女想学月嫂", category="employment", beneficiary_age=40,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="在家种地，农闲打零工。听说做月嫂收入高，想去学，拿个证。")
    training = make_offer(id="PX", title="职业技能培训补贴", categories=["employment"],
                          provider_name="南通市人社局",
                          description="工种：育婴员、养老护理员、中式面点；培训合格取证后补贴培训费。")
    pension = make_offer(id="SB", title="灵活就业人员社保补贴", categories=["employment"],
                         provider_name="南通市人社局", eligible_groups=["low_income", "dibao"],
                         description="就业困难人员灵活就业后缴纳社会保险的，给予社保补贴。")
    order, _ = ranked(need, [pension, training])
    assert order[0] == "PX"


def test_what_a_need_compares_itself_with_is_not_its_own_stage():
    need = _student("村支书反映：老缪家儿子十六岁，去年九月去了一所技工学校学汽修。"
                    "家里低保，开学要交住宿费、书本费，他爸问技校是不是跟读高中一样也有补助。")
    _first_and_warned(need, [make_offer(**_SENIOR), make_offer(**_VOCATIONAL)], "ZZ", "PG")


def test_a_fire_feared_is_no_fire():
    def text(words):
        return need_text(make_need(title="老人过冬取暖难", category="basic_living",
                                   description=words))
    assert "fire" not in fired(text("电热毯坏了不敢用，怕着火。"))
    assert "fire" not in fired(text("屋里一根老花线，村里担心失火。"))
    assert "fire" in fired(text("昨晚灶屋着火，烧了半间房。"))
    need = make_need(title="独居奶奶过冬被子太薄", category="basic_living", beneficiary_age=79,
                     amount_needed=None, urgency=1, groups=["dibao"],
                     description="奶奶一个人住乡下，被子盖了十几年，电热毯也坏了不敢用，怕着火。"
                                 "有没有给老人送被子、取暖器的活动？")
    warmth = make_offer(id="NF", title="“暖冬行动”棉被、取暖器捐赠", categories=["basic_living"],
                        provider_type="enterprise", provider_name="某电器公司",
                        eligible_groups=["dibao", "tekun"], mode="in_kind",
                        description="为低保、特困老人免费发放棉被和取暖器，入冬前由村居登记。")
    relief = make_offer(id="LS", title="临时救助", categories=["emergency", "basic_living"],
                        provider_name="南通市民政局", mode="cash", amount_per_beneficiary=3000,
                        description="因火灾、交通事故等意外事件或突发重大疾病，基本生活暂时出现严重困难"
                                    "的家庭，给予临时救助。")
    order, _ = ranked(need, [relief, warmth])
    assert order[0] == "NF"


def test_a_school_stage_named_as_a_time_that_is_over_is_not_the_student_s_stage():
    need = _student("小王19岁，去年九月考进南京一所本科院校读大一。高中时领过助学金，"
                    "上大学时家里条件还行没申请资助。父亲今年一月工伤去世，家里刚纳入低保，"
                    "下学期学费还没交。", age=19)
    college = make_offer(id="DX", title="困难家庭大学生助学金", categories=["education"],
                         eligible_groups=["dibao", "low_income"], amount_per_beneficiary=4000,
                         description="全日制普通高校本专科在校学生中的低保、低收入家庭学生，每人每年4000元。")
    _first_and_warned(need, [make_offer(**_SENIOR), college], "DX", "PG")
    assert "高中" not in need_text(_student("初中的时候学校会发补助，高中时也领过。"))
    assert "大学" in need_text(_student("想了解现在和上大学时能得到哪些资助。"))


def test_a_programme_settled_in_hospital_is_help_had_and_a_bill_settled_is_not():
    text = ("住院医疗救助已一站式结算，自付还差一万。大病保险已直接结算过。"
            "住院费用已结算，但药费大。")
    assert [text[s:e] for s, e in spans(text)] == ["住院医疗救助", "大病保险"]
    need = make_need(title="回访：丈夫猝死丧葬无钱", category="emergency", beneficiary_age=58,
                     amount_needed=8000, urgency=3, groups=["low_income"],
                     description="电话回访：低收入家庭，去年丈夫做心脏支架的医疗救助已结算。妻子说"
                                 "丈夫前天夜里心梗在家去世了，丧葬费还没着落，自己没有工作。")
    relief = make_offer(id="LS", title="临时救助（急难先行救助）", categories=["emergency"],
                        provider_name="南通市民政局", mode="cash", amount_per_beneficiary=5000,
                        description="对遭遇意外事故、突发疾病等，基本生活暂时出现严重困难的家庭给予"
                                    "临时救助，急难情形先行救助。")
    medical = make_offer(id="YL", title="城乡困难群众医疗救助", categories=["medical"],
                         provider_name="南通市医疗保障局", mode="cash",
                         eligible_groups=["dibao", "low_income"], amount_per_beneficiary=70000,
                         description="低保、低收入家庭成员患冠心病等慢性病和重特大疾病的，住院费用经"
                                     "医保报销后个人自付部分按比例救助。")
    order, reasons = ranked(need, [medical, relief])
    assert order[0] == "LS"
    assert any(r.startswith("需求已享受") and "医疗救助" in r for r in reasons["YL"])


def test_what_an_office_gave_or_fitted_once_without_already_is_help_had():
    text = ("去年12月给过一次临时救助2000元。"
            "去年一家公益机构给她家装了扶手、防滑垫，老人说放心多了。")
    assert [text[s:e] for s, e in spans(text)] == ["临时救助2000元", "扶手、防滑垫"]
    need = make_need(title="回访：独居老人做饭难", category="care", beneficiary_age=86,
                     amount_needed=None, urgency=1, groups=["dibao"],
                     description="电话回访：低保户，老人86岁独居。去年一家公益机构给她家装了扶手、"
                                 "防滑垫。现在眼睛越来越看不清，做饭差点把锅烧干。诉求：有人能每天帮着"
                                 "弄顿饭、打扫一下。")
    fitting = make_offer(id="SH", title="长者居家安全改造", categories=["care"],
                         provider_type="ngo", provider_name="某公益机构",
                         eligible_groups=["dibao", "tekun"],
                         description="为独居、高龄困难老人免费加装扶手、防滑垫、感应夜灯等适老化设施。")
    voucher = make_offer(id="FW", title="高龄困难老人居家养老服务券", categories=["care"],
                         provider_name="南通市民政局", eligible_groups=["dibao", "tekun"],
                         description="80岁以上低保、特困老人每月发放服务券，可购买助餐、助洁等上门服务。")
    order, reasons = ranked(need, [fitting, voucher])
    assert order[0] == "FW"
    assert any(r.startswith("需求已享受") for r in reasons["SH"])
    # a batch finds the trigger by another path (one scan of the joined texts): the same
    batch = rank([dataclasses.replace(need, id=f"N{k}") for k in range(12)],
                 OfferIndex([fitting, voucher]), as_of=dt.date(2018, 3, 1), top=5)
    assert all([(r.offer_id, r.reasons) for r in got.ranked]
               == [(o, reasons[o]) for o in order] for got in batch)


def test_a_school_stage_not_reached_is_not_the_pupil_s_stage():
    need = _student("爷爷讲：孙子十六岁，初中毕业没考上高中，到南通去读技校学汽修，"
                    "一年学费住宿三千多。他爸爸前年生病走掉了，我跟奶奶带，家里是低保户。")
    _first_and_warned(need, [make_offer(**_SENIOR), make_offer(**_VOCATIONAL)], "ZZ", "PG")
    assert "大学" in need_text(_student("有没有上大学能借的钱？"))
