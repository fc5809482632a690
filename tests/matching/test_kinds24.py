"""Kinds of the thirty-sixth session, found in the eighteenth and nineteenth batches' first
readings and counted over dev and every diagnostic set. Every sentence here is invented for the
test, none is taken from a set.

A surgery whose title names the illness it treats (老年白内障免费复明手术) is a fund for that
illness, not a screening, though its patients are found by one (在县医院眼科筛查登记): a
glaucoma patient is warned off it as not its illness, not as a check that comes too late. A
table row's shorthand at the end of a clause (青光眼及已做过手术的眼不含, 已享低保者除外)
excludes what it names; in brackets (有小汽车的不行（残疾人代步车除外）) it is an exception to
an exclusion and excludes nothing. A record's sex with 的 or 性 before the age (男的，四十六岁)
is the beneficiary's. A programme that fits prostheses (假肢公益装配) answers a lost limb or an
orthosis, not a stroke's hemiplegia; one that lists other aids besides answers any need for an
aid. Compensation received and spent on debts (赔偿款大部分还了房贷) is a claim settled. Aid
for the patients of the illnesses a title names (贫困“两癌”妇女救助) is no screening either, and
a tender's section of those outside its service (不属于本项目服务范围的情形：…) excludes its list.
A grant the school has already arranged (学校已经给办了国家助学金) is help the family has.
"""

from __future__ import annotations

from matching.beneficiary import sex_of
from matching.exclusion import spans
from matching.reasons import ReasonMaker
from matching.received import spans as had

from .factories import make_need, make_offer, ranked

PROSTHESIS = "注意: 项目装配假肢或矫形器，需求中没有截肢、肢体缺失或需要矫形的情形"


def _cataract():
    return make_offer(id="BN", title="光明行——老年白内障免费复明手术", categories=["medical"],
                      provider_name="县慈善会", age_min=50,
                      description="项目：白内障复明｜对象：本县50周岁以上老年性白内障患者｜"
                                  "标准：单眼手术加人工晶体免费，含术前检查｜备注：在县人民医院"
                                  "眼科筛查登记；青光眼、眼底病变及已做过手术的眼不含")


def test_a_surgery_found_by_screening_is_a_fund_for_its_illness():
    glaucoma = make_need(title="青光眼看病花了六千", category="medical", beneficiary_age=70,
                         urgency=1, amount_needed=6000, groups=["dibao"],
                         description="老汉七十岁，左眼青光眼，去年眼压高得头疼，做了手术，自己"
                                     "付了六千多，右眼天天滴眼药水。")
    _, reasons = ranked(glaucoma, [_cataract()])
    assert ReasonMaker.ILLNESS in reasons["BN"]
    assert ReasonMaker.PREVENTIVE not in reasons["BN"]
    cataract = make_need(title="白内障看不清想开刀", category="medical", beneficiary_age=72,
                         urgency=1, amount_needed=3000, groups=["dibao"],
                         description="老太七十二岁，两只眼睛白内障，看东西像隔着一层雾，想开刀。")
    _, reasons = ranked(cataract, [_cataract()])
    assert ReasonMaker.ILLNESS not in reasons["BN"]
    assert ReasonMaker.PREVENTIVE not in reasons["BN"]


def test_a_table_row_s_shorthand_excludes_what_it_names_but_not_in_brackets():
    text = "对象：规律透析的尿毒症患者｜备注：腹膜透析不含；已享低保、特困供养者除外；凭记录申请"
    assert [text[s:e] for s, e in spans(text)] == ["腹膜透析", "已享低保、特困供养者"]
    car = "家里有小汽车（残疾人代步车除外）的，不能申请。"
    assert not any("代步车" in car[s:e] for s, e in spans(car))


def test_a_record_s_sex_with_de_before_the_age_is_the_beneficiary_s():
    for text, sex in (("喂，我姓顾，男的，四十六岁，厂子倒了。", 1),
                      ("登记人：陈某，女性，46岁，超市理货。", -1)):
        assert sex_of(make_need(description=text, beneficiary_age=46)) == sex, text
    training = make_offer(id="YS", title="母婴护理（月嫂）免费培训及推荐就业",
                          categories=["employment"], provider_name="巾帼家政服务中心",
                          description="项目：月嫂培训｜对象：有就业意愿的城乡妇女，20—55周岁｜"
                                      "备注：限女性")
    need = make_need(title="下岗了想摆个早点摊", category="employment", beneficiary_age=46,
                     urgency=1, amount_needed=30000,
                     description="我姓顾，男的，四十六岁，镇上电机厂倒了，登记了失业，想学门手艺。")
    _, reasons = ranked(need, [training])
    assert ReasonMaker.SEX[0] in reasons["YS"]


def _prosthesis():
    return make_offer(id="JZ", title="假肢公益装配半价", categories=["rehabilitation"],
                      provider_name="假肢矫形器有限公司",
                      description="持证肢体残疾人装配普通型假肢，费用减半，免费调试一年。")


def _aids():
    return make_offer(id="FJ", title="辅具适配（轮椅、助行器、假肢、助听器）",
                      categories=["rehabilitation"], provider_name="市残联",
                      description="持证残疾人按评估免费适配。")


def test_a_prosthesis_programme_answers_a_lost_limb_not_a_stroke():
    stroke = make_need(title="脑出血后偏瘫想在家练", category="rehabilitation",
                       beneficiary_age=63, urgency=1, amount_needed=0, groups=["disabled"],
                       description="老人63岁，脑出血以后右边偏瘫，肢体二级残疾证，出院回家了，"
                                   "想有人教着在家练走路。")
    _, reasons = ranked(stroke, [_prosthesis(), _aids()])
    assert PROSTHESIS in reasons["JZ"]
    assert not any(r in ReasonMaker.ANSWERS.values() for r in reasons["FJ"])
    amputee = make_need(title="车祸截肢小伙想装假腿", category="rehabilitation",
                        beneficiary_age=31, urgency=1, amount_needed=20000,
                        groups=["disabled"],
                        description="小伙31岁，去年车祸左腿大腿截了，肢体二级，想装条腿能出门。")
    _, reasons = ranked(amputee, [_prosthesis()])
    assert not any(r in ReasonMaker.ANSWERS.values() for r in reasons["JZ"])


def test_compensation_spent_on_debts_is_a_claim_settled():
    legal = make_offer(id="FY", title="法律援助", categories=["legal"], provider_name="司法局",
                       description="交通事故、工伤等人身损害赔偿纠纷，经济困难的可申请免费律师。")
    dibao = make_offer(id="DB", title="城乡最低生活保障", categories=["basic_living"],
                       provider_name="民政局", income_ceiling=700,
                       description="家庭人均月收入低于低保标准的，按月补差发放。")

    def widow(money: str):
        return make_need(title="丈夫车祸去世，三个孩子过不下去", category="emergency",
                         beneficiary_age=33, urgency=2, amount_needed=None,
                         income_per_capita=500,
                         description=f"丈夫去年车祸去世，{money}三个孩子9岁、6岁、2岁，她在家带孩子，"
                                     "偶尔打点零工，人均一个月不到五百。")
    _, reasons = ranked(widow("赔偿款大部分还了房贷和欠债。"), [legal, dibao])
    assert not any("赔偿纠纷" in r for r in reasons["FY"])
    # a claim still open is one
    _, reasons = ranked(widow("对方保险公司到现在还拖着不赔。"), [legal, dibao])
    assert any("赔偿纠纷" in r for r in reasons["FY"])


def test_aid_for_the_patients_of_an_illness_its_title_names_is_no_screening():
    aid = make_offer(id="LA", title="贫困“两癌”妇女救助", categories=["medical"],
                     provider_name="市妇联", eligible_groups=["low_income"],
                     description="对象：经两癌筛查或医院病理确诊宫颈癌、乳腺癌的困难妇女，每人一次性"
                                 "救助一万元。")
    need = make_need(title="乳腺癌化疗欠了医院钱", category="medical", beneficiary_age=48,
                     urgency=2, amount_needed=20000, groups=["low_income"],
                     description="她48岁，去年查出乳腺癌，做了手术，现在化疗，自己付了两万多。")
    _, reasons = ranked(need, [aid])
    assert ReasonMaker.PREVENTIVE not in reasons["LA"]


def test_a_tender_s_section_of_those_outside_the_service_excludes_its_list():
    text = ("四、服务期限：2018年。五、不属于本项目服务范围的情形：（1）满7周岁的儿童"
            "（转介送教上门）；（2）已在其他机构享受同类补助的。六、绩效要求：满意度90%以上。")
    excluded = "".join(text[s:e] for s, e in spans(text))
    assert "送教上门" in excluded and "同类补助" in excluded and "满意度" not in excluded


def test_a_grant_the_school_has_already_arranged_is_held():
    text = "女儿读高一，住校，学校已经给办了国家助学金，一学期一千。"
    assert [text[s:e] for s, e in had(text)] == ["国家助学金"]
