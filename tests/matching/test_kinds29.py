"""Kinds of the forty-first session, found over dev and every labelled set read before it, then
in the twenty-seventh batch (written blind and read in this session), and counted over dev and
every labelled set. Every sentence here is invented for the test, none is taken from a set.

An adult who speaks of a wife is a man, and one who speaks of a husband is a woman (我五十一，
家里老婆在厂里), unless the spouse is the one with the need's age or another couple is named.
A county's programme whose text runs it only in named towns (只在磨头镇、搬经镇设点) is elsewhere
for a family in another town of the county, and a city's run in named districts (服务地点仅限
崇川区) for a family in another county. A son in prison (判刑…服刑) keeps no one: his mother may
still be one no one is bound to keep. A fee waived on the spot (火化钱当场就免掉了) is help
received. Talk of someone out to harm him (讲有人害他) is a severe mental disorder's, and a widow
who goes to sit at the grave every day grieves. A burn (烧伤科) is no fire. An
item a sheet marks ✘ is what the programme leaves out.
"""

from __future__ import annotations

from matching.reasons import ReasonMaker

from .factories import make_need, make_offer, ranked

_TEKUN = make_offer(id="TK", title="特困人员救助供养", categories=["basic_living", "care"],
                    provider_name="县民政局",
                    description="无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其法定义务人"
                                "无履行义务能力的老年人、残疾人和未成年人，可申请特困供养。")

_WOMEN_ONLY = make_offer(id="JZ", title="巾帼家政免费培训（只收女学员）",
                         categories=["employment"], provider_name="市妇联",
                         description="面向本市困难家庭妇女，免费培训保洁、育婴、护理，结业后推荐"
                                     "上户。男同志请找人社部门的培训。")


def test_a_man_who_speaks_of_his_wife_is_no_woman():
    man = make_need(title="厂子关了找不到事", category="employment", beneficiary_age=51,
                    groups=["low_income"], urgency=1, amount_needed=None,
                    description="我是刘桥的，五十一，原来在纺机厂做了二十年，去年厂子关了。家里"
                                "老婆在超市做钟点，伢儿读技校。我什么活都肯做。")
    _, reasons = ranked(man, [_WOMEN_ONLY])
    assert ReasonMaker.SEX[0] in reasons["JZ"]
    # a wife with the need's age is the one to help
    wife = make_need(title="户主腰伤，家里想找活", category="employment", beneficiary_age=46,
                     groups=["low_income"], urgency=1, amount_needed=None,
                     description="户主季某某，49岁，腰椎坏了做不动重活；妻子顾某某，46岁，想就近"
                                 "找个活贴补家用。")
    _, reasons = ranked(wife, [_WOMEN_ONLY])
    assert not any(r.startswith("注意: 项目只面向") for r in reasons["JZ"])
    # a son's wife is another couple's
    elder = make_need(title="老人想找点零活", category="employment", beneficiary_age=58,
                      groups=["low_income"], urgency=1, amount_needed=None,
                      description="她五十八了，儿子和媳妇在苏州打工，一个人在家种两亩地，想找点"
                                  "零活做做。")
    _, reasons = ranked(elder, [_WOMEN_ONLY])
    assert ReasonMaker.SEX[0] not in reasons["JZ"]


def test_a_programme_run_only_in_named_towns_is_elsewhere_for_another_town():
    weekend = make_offer(id="ZM", title="留守儿童周末课堂", categories=["care", "education"],
                         provider_name="如皋市妇联", coverage=["南通市/如皋市"],
                         description="大学生志愿者周六陪留守儿童写作业、做游戏。目前只在磨头镇、"
                                     "搬经镇设点，丁堰镇等其他镇暂未开通。")
    kid = {"title": "孙子周末没人管", "category": "care", "beneficiary_age": 9,
           "groups": ["left_behind_child"], "urgency": 1, "amount_needed": None,
           "description": "儿子媳妇在上海打工，孙子九岁跟着奶奶，周末作业没人问。"}
    _, reasons = ranked(make_need(region="南通市/如皋市/丁堰镇", **kid), [weekend])
    assert ReasonMaker.ELSEWHERE in reasons["ZM"]
    _, reasons = ranked(make_need(region="南通市/如皋市/搬经镇", **kid), [weekend])
    assert ReasonMaker.ELSEWHERE not in reasons["ZM"]
    # a place named only as an example, or where to hand in the forms, confines nothing
    example = make_offer(id="LZ", title="留守儿童周末课堂", categories=["care", "education"],
                         provider_name="如皋市妇联", coverage=["南通市/如皋市"],
                         description="各镇都有站点。比如只在磨头镇上学的孩子，就到磨头镇的站点。"
                                     "报名材料交到镇妇联服务点。")
    _, reasons = ranked(make_need(region="南通市/如皋市/丁堰镇", **kid), [example])
    assert ReasonMaker.ELSEWHERE not in reasons["LZ"]
    # … and a city's programme run in one district only is elsewhere for another county
    respite = make_offer(id="CX", title="失智老人照护者喘息服务", categories=["care"],
                         provider_name="益心社工", coverage=["南通市"],
                         description="家有失智老人的，每月两天上门代为照护。2018年服务地点仅限"
                                     "崇川区。✘县（市）及通州区居住的家庭暂无法上门。")
    old = {"title": "老太糊涂了走丢过", "category": "care", "beneficiary_age": 80, "groups": [],
           "urgency": 1, "amount_needed": None,
           "description": "婆婆八十，老年痴呆，夜里不困，儿媳一个人照顾吃不消。"}
    _, reasons = ranked(make_need(region="南通市/海安市/南莫镇", **old), [respite])
    assert ReasonMaker.ELSEWHERE in reasons["CX"]
    _, reasons = ranked(make_need(region="南通市/崇川区/学田街道", **old), [respite])
    assert ReasonMaker.ELSEWHERE not in reasons["CX"]


def test_a_son_in_prison_keeps_no_one():
    alone = {"title": "独居老人没人管", "category": "basic_living", "beneficiary_age": 79,
             "groups": [], "urgency": 1, "amount_needed": None}
    prison = make_need(description="老伴前年病故。儿子四十五岁，前年因盗窃被判刑六年，在监狱服刑。"
                                   "她一个人住，每月一百多块养老金。", **alone)
    _, reasons = ranked(prison, [_TEKUN])
    assert ReasonMaker.KIN not in reasons["TK"]
    home = make_need(description="老伴前年病故。儿子四十五岁，在镇上开饭店，一个月回来一趟。"
                                 "她一个人住，每月一百多块养老金。", **alone)
    _, reasons = ranked(home, [_TEKUN])
    assert ReasonMaker.KIN in reasons["TK"]


def test_a_fee_waived_on_the_spot_is_help_received():
    funeral = make_offer(id="BZ", title="惠民殡葬：基本殡葬服务费减免", categories=["basic_living"],
                         provider_name="市民政局",
                         description="本市户籍居民去世，遗体接运、火化、骨灰寄存等基本殡葬服务费"
                                     "全免，在殡仪馆当场减免。")
    need = make_need(title="老伴走了，一个人过年", category="basic_living", beneficiary_age=74,
                     groups=[], urgency=1, amount_needed=None,
                     description="老伴腊月里走的，殡仪馆那头的火化钱当场就免掉了。她一个人住，"
                                 "过年冷冷清清，吃饭也不按顿。")
    _, reasons = ranked(need, [funeral])
    assert any(r.startswith("需求已享受") for r in reasons["BZ"])
    done = make_need(title="老伴走了，儿子回乡", category="basic_living", beneficiary_age=74,
                     groups=[], urgency=1, amount_needed=None,
                     description="老伴腊月里走的，丧事殡仪馆那头减免过了。儿子回来想在家门口做点"
                                 "小生意，陪着她。")
    _, reasons = ranked(done, [funeral])
    assert any(r.startswith("需求已享受") for r in reasons["BZ"])


def test_persecution_talk_and_the_grave_name_their_troubles():
    medicine = make_offer(id="JF", title="严重精神障碍患者免费服药", categories=["medical"],
                          provider_name="市卫生健康委",
                          description="已登记管理的严重精神障碍患者，基本药物免费，社区医生随访。")
    son = make_need(title="儿子犯病砸东西", category="psychological", beneficiary_age=34,
                    groups=[], urgency=1, amount_needed=None,
                    description="儿子夜里不睡，讲有人害他，犯起来砸东西，药一断就犯。")
    _, reasons = ranked(son, [medicine])
    assert any("严重精神障碍" in r and r.startswith("内容相关") for r in reasons["JF"])
    grief = make_offer(id="SQ", title="丧亲关怀小组", categories=["psychological"],
                       provider_name="心桥社工", description="为失去亲人的家庭提供哀伤陪伴。")
    widow = make_need(title="老太天天出门", category="psychological", beneficiary_age=70,
                      groups=[], urgency=1, amount_needed=None,
                      description="老头子冬月里走的。她每天一早去坟上坐半天，回来饭也不烧。")
    _, reasons = ranked(widow, [grief])
    assert any("丧亲哀伤" in r and r.startswith("内容相关") for r in reasons["SQ"])


def test_a_burn_is_no_fire():
    repair = make_offer(id="AJ", title="灾后房屋修复", categories=["housing", "emergency"],
                        provider_name="市慈善总会",
                        description="因火灾、风灾倒损的自有住房，补助修缮材料费。")
    child = make_need(title="伢儿被开水烫了", category="emergency", beneficiary_age=9,
                      groups=[], urgency=2, amount_needed=None,
                      description="伢儿打翻热水瓶，胸口烫了一大片，在县医院烧伤科住了二十天。")
    _, reasons = ranked(child, [repair])
    assert not any("火灾" in r and r.startswith("内容相关") for r in reasons["AJ"])


def test_an_item_marked_with_a_cross_is_left_out():
    expend = make_offer(id="ZC", title="支出型困难临时救助", categories=["emergency", "medical"],
                        provider_name="海安市民政局",
                        description="一年里看病自付超过全家一年收入的，可申请支出型临时救助。"
                                    "✘火灾车祸这种意外走急难救助，不在这一项；✘同一笔医药费已经"
                                    "救助的部分要扣掉。")
    fire = make_need(title="柴草堆着火烧了偏屋", category="emergency", beneficiary_age=71,
                     groups=["dibao"], urgency=3, amount_needed=None,
                     description="夜里灶间柴草堆着了火，两间偏屋烧了，口粮被褥全没了。")
    _, reasons = ranked(fire, [expend])
    assert not any("火灾" in r and r.startswith("内容相关") for r in reasons["ZC"])
