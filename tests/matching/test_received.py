"""What a need says the family already has (matching/received.py): the detector's spans
(positive, negated, out of scope) and a programme already received ranking below other help."""

from __future__ import annotations

import datetime as dt
import json

from matching import OfferIndex, rank, rank_lines
from matching.received import find, spans

from .factories import make_need, make_offer

AS_OF = dt.date(2018, 3, 1)


def _span_words(text: str) -> list[str]:
    return [text[s:e] for s, e in spans(text)]


# -- the detector ---------------------------------------------------------------------------
def test_a_received_programme_is_a_span_up_to_the_punctuation():
    assert _span_words("儿子入学时已办理生源地助学贷款，父亲去年病故。") == ["生源地助学贷款"]
    assert _span_words("老人已经享受高龄津贴和残疾人两项补贴。") == ["高龄津贴和残疾人两项补贴"]
    assert _span_words("目前正在领取失业保险金；") == ["失业保险金"]


def test_a_record_s_shorthand_for_having_done_it_is_a_span():
    # 已办 X (no 理) and 已在 <where> 办了 X: how a clerk's record or a relative says it
    assert _span_words("已办生源地助学贷款8000元（够学费住宿费）") == ["生源地助学贷款8000元"]
    assert _span_words("入学前已在县资助中心办了生源地助学贷款，刚够学费") == ["生源地助学贷款"]
    assert _span_words("去年已在镇上领过一次临时救助，仍然困难") == ["一次临时救助"]
    # a step finished (已办妥, 已办完) is no thing received
    assert spans("手续已办妥，下周入住") == [] and spans("已办完手续") == []


def test_each_item_of_a_record_s_field_of_what_it_has_is_a_span():
    # an annual-review record: 已享： lists what the household has, up to the sentence's end
    # or the next field's label
    record = "已享：低保；子入学当年区里给过5000；上学贷款每年在贷。诉：生活费没着落"
    assert _span_words(record) == ["低保", "子入学当年区里给过5000", "上学贷款每年在贷"]
    assert _span_words("已享：低保金、高龄津贴 收入：每月900") == ["低保金", "高龄津贴"]
    assert _span_words("已享：无。") == ["无"]


def test_a_negated_or_missing_receipt_is_no_span():
    for text in ("孩子尚未办理助学贷款。", "家里没有享受低保，也未纳入特困供养。",
                 "因材料不全未领取补贴。", "他还不知道可以申请临时救助。"):
        assert spans(text) == [], text


def test_the_span_stops_where_the_family_says_what_it_still_needs():
    assert _span_words("已享受低保但看病的钱还是不够") == ["低保"]
    assert _span_words("已领取残疾人护理补贴，希望有人上门照料") == ["残疾人护理补贴"]
    assert _span_words("已参加职业技能培训，现在想找一份保洁工作") == ["职业技能培训"]


def test_a_quantity_or_a_step_of_the_situation_is_not_a_thing_received():
    assert spans("腰痛已有三年，最近已有好转") == []
    assert spans("昨天已办理住院，孩子去年已办理入学，今年已参加高考") == []


def test_a_concept_the_rest_of_the_text_asks_for_is_kept():
    index = OfferIndex([make_offer()])
    lex = index.lexicon
    loan = lex.ids.index("loan")
    [got] = find(index.encoder, ["女儿已办理生源地助学贷款，学费已交清。"]).values()
    assert loan in got.concepts.tolist() and got.phrase == "生源地助学贷款"
    # the same words asked for again outside the span: nothing is dropped
    assert find(index.encoder, ["已办理生源地助学贷款，今年想再申请助学贷款。"]) == {}


def test_a_recognised_group_is_a_status_not_a_programme_received():
    index = OfferIndex([make_offer()])
    disability = index.lexicon.ids.index("disability")
    got = find(index.encoder, ["去年已办理残疾证，行走不便。"])
    assert all(disability not in g.concepts.tolist() for g in got.values())


# -- ranking --------------------------------------------------------------------------------
LOAN = make_offer(id="LOAN", title="生源地信用助学贷款", categories=["education"],
                  description="家庭经济困难的全日制普通高校新生和在校生，可申请生源地信用助学贷款，"
                              "每人每年最高8000元，在校期间财政贴息。",
                  provider_name="县学生资助管理中心")
GRANT = make_offer(id="GRANT", title="困难大学生生活费资助", categories=["education"],
                   description="对家庭经济困难的在校大学生，每学期发放生活费补助2000元。",
                   provider_type="ngo", provider_name="慈善总会")


def _student(id_: str, has_loan: str) -> object:
    return make_need(id=id_, title="大学生生活费困难", category="education",
                     description=f"学生在南京读大一，入学时{has_loan}生源地信用助学贷款。"
                                 "父亲务农，母亲长期生病，下学期生活费没有着落。",
                     beneficiary_age=19, urgency=1, amount_needed=None)


def test_the_programme_a_need_already_receives_ranks_below_other_help():
    index = OfferIndex([LOAN, GRANT])
    has, lacks = _student("HAS", "已办理"), _student("LACKS", "尚未办理")
    got, other = rank([has, lacks], index, as_of=AS_OF, top=5)
    order = [r.offer_id for r in got.ranked]
    assert order == ["GRANT", "LOAN"]
    loan = got.ranked[1]
    assert "需求已享受 生源地信用助学贷款，已降低排序" in loan.reasons
    assert not any(r.startswith("需求已享受") for r in got.ranked[0].reasons)
    # the need that has not got the loan yet still meets it, without that reason
    assert "LOAN" in [r.offer_id for r in other.ranked]
    assert not any(r.startswith("需求已享受") for x in other.ranked for r in x.reasons)
    assert next(x for x in other.ranked if x.offer_id == "LOAN").score > loan.score


def test_a_loan_the_record_says_is_done_in_shorthand_ranks_below_other_help():
    index = OfferIndex([LOAN, GRANT])
    for how in ("已办", "已在县资助中心办了"):
        [got] = rank([_student("HAS", how)], index, as_of=AS_OF, top=5)
        assert [r.offer_id for r in got.ranked] == ["GRANT", "LOAN"], how
        assert "需求已享受 生源地信用助学贷款，已降低排序" in got.ranked[1].reasons, how


def test_a_programme_in_a_record_s_field_of_what_it_has_ranks_below_other_help():
    need = make_need(id="REVIEW", title="年审 大学生生活费", category="education",
                     description="户主务农，妻长期病。子19，南京读大一。已享：低保；生源地信用助学贷款"
                                 "每年在贷。诉：儿子下学期生活费没着落。",
                     beneficiary_age=19, urgency=1, amount_needed=None)
    [got] = rank([need], OfferIndex([LOAN, GRANT]), as_of=AS_OF, top=5)
    assert [r.offer_id for r in got.ranked] == ["GRANT", "LOAN"]
    assert any(r.startswith("需求已享受 ") for r in got.ranked[1].reasons)


def test_one_need_alone_and_in_a_batch_and_as_lines_agree():
    index = OfferIndex([LOAN, GRANT])
    has = _student("HAS", "已办理")
    [alone] = rank([has], index, as_of=AS_OF, top=5)
    batch = rank([has, _student("LACKS", "尚未办理")], index, as_of=AS_OF, top=5)[0]
    assert alone.to_json() == batch.to_json()
    lines = rank_lines([has, _student("LACKS", "尚未办理")], index, as_of=AS_OF, top=5)
    assert json.loads(lines[0]) == batch.to_json()


def test_forked_workers_find_what_their_needs_receive_for_the_reasons_made_in_the_parent():
    # a large batch's region tasks run in forked workers, each reading what its own needs
    # already receive; the parent, which makes the reasons, learns it from each task
    regions = ["南通市/如皋市/白蒲镇", "南通市/海安市/城东镇", "南通市/启东市/汇龙镇"]
    needs = []
    for k, region in enumerate(regions):
        for how in ("已办理", "尚未办理"):
            need = _student(f"{how}{k}", how)
            need.region = region
            needs.append(need)
    index = OfferIndex([LOAN, GRANT])
    alone = [rank([n], index, as_of=AS_OF, top=5)[0].to_json() for n in needs]
    forked = rank(needs, index, as_of=AS_OF, top=5, n_jobs=2)
    assert [r.to_json() for r in forked] == alone
    assert [json.loads(x) for x in rank_lines(needs, index, as_of=AS_OF, top=5, n_jobs=2)] \
        == alone
    said = {r.need_id: any(x.startswith("需求已享受") for o in r.ranked for x in o.reasons)
            for r in forked}
    assert said == {n.id: n.id.startswith("已办理") for n in needs}


# -- the thing received, not the situation beside it ----------------------------------------
REEMPLOY = make_offer(id="REEMPLOY", title="失业人员再就业援助", categories=["employment"],
                      description="为失业人员提供岗位推荐、职业指导和求职补贴。",
                      provider_name="县人社局")
UI = make_offer(id="UI", title="失业保险金申领", categories=["employment"],
                description="参保职工失业后，可按月申领失业保险金，最长24个月。",
                provider_name="县社保中心")


def test_a_benefit_received_drops_the_benefit_not_the_situation_beside_it():
    index = OfferIndex([REEMPLOY, UI])
    ids = index.lexicon.ids
    for text, kept in (("中年男子，已领取失业保险金，家中生活困难。", ("job", "unemployed")),
                       ("老人已享受重度残疾护理补贴，家中无人照看。", ("dis_severe", "disability")),
                       ("患儿已纳入白血病医疗救助，家里仍欠债。", ("leukemia", "serious_illness"))):
        [got] = find(index.encoder, [text]).values()
        dropped = {ids[c] for c in got.concepts.tolist()}
        assert dropped and not dropped & set(kept), (text, dropped)
    need = make_need(id="UNEMP", title="失业后生活困难", category="employment",
                     description="中年男子，已领取失业保险金，家中生活困难。",
                     beneficiary_age=45, urgency=1, amount_needed=None)
    [got] = rank([need], index, as_of=AS_OF, top=5)
    # the re-employment help meets his situation; the insurance he already draws does not
    assert [r.offer_id for r in got.ranked] == ["REEMPLOY", "UI"]
    assert "需求已享受 失业保险金，已降低排序" in got.ranked[1].reasons
    assert any("失业" in r for r in got.ranked[0].reasons if r.startswith("内容相关"))


def test_the_programme_already_received_ranks_below_help_that_shares_less_wording():
    # the loan names the student's words (大学生, 学费, 生活费) more than the legal aid does,
    # but the family already has it: the legal aid for the accident comes first
    legal = make_offer(id="LEGAL", title="困难群众法律援助", categories=["legal"],
                       description="为困难群众追讨交通事故赔偿款提供法律援助。",
                       provider_name="县法律援助中心")
    need = make_need(id="S", title="大学生学费和生活费困难", category="education",
                     description="学生读大二，已办理生源地信用助学贷款。父亲车祸去世，"
                                 "肇事方未足额赔偿，想追讨交通事故赔偿款。",
                     beneficiary_age=20, urgency=1, amount_needed=None)
    [got] = rank([need], OfferIndex([LOAN, legal]), as_of=AS_OF, top=5)
    assert [r.offer_id for r in got.ranked] == ["LEGAL", "LOAN"]
    assert "需求已享受 生源地信用助学贷款，已降低排序" in got.ranked[1].reasons


# -- what a school or an office already gave ------------------------------------------------
def test_an_exemption_or_a_payment_already_given_is_a_span():
    # a school's or a caseworker's words: the fee waiver and the grant done to the family
    assert _span_words("学校已为其免除学杂费并按最高档发放国家资助，但住宿开支仍有缺口。") == [
        "学杂费并按最高档发放国家资助"]
    assert _span_words("学校已免除其学杂费并发放国家资助。") == ["其学杂费并发放国家资助"]
    assert _span_words("学校已给他免了学费。") == ["学费"]
    # the thing named first, then what was done to it
    assert _span_words("高中阶段的学费已按政策免除，每年的补助也已发放。") == [
        "高中阶段的学费", "每年的补助也"]
    assert _span_words("高中三年的学费已经免了。") == ["高中三年的学费"]
    # asked for, not given: no span
    for text in ("希望学校能免除学杂费。", "学费减免需要什么材料？", "补助还没发放。"):
        assert spans(text) == [], text


GRANT_HS = make_offer(id="GRANT_HS", title="普通高中家庭经济困难学生资助", categories=["education"],
                      description="对普通高中在校生中的低保、低收入家庭学生，免除学杂费，并按每生每年"
                                  "2000元至3000元发放国家助学金。",
                      provider_name="县教育局学生资助管理中心")
PRIZE = make_offer(id="PRIZE", title="品学兼优高中生奖学金", categories=["education"],
                   description="奖励家庭经济困难、学习成绩位列年级前5%的普通高中学生，每人一次性"
                               "2000元，由学校推荐、基金会评审。",
                   provider_type="ngo", provider_name="教育基金会")


def test_a_fee_waiver_and_grant_the_school_already_gave_rank_below_the_help_still_missing():
    need = make_need(id="TOP", title="高二尖子生住宿伙食有缺口", category="education",
                     description="我校高二学生，家庭已纳入低保。该生品学兼优，期末名列年级第6名（共620人）。"
                                 "学校已为其免除学杂费并按最高档发放国家资助，但住宿、伙食及教辅"
                                 "开支仍有缺口，建议予以资助。",
                     beneficiary_age=17, urgency=1, amount_needed=None)
    [got] = rank([need], OfferIndex([GRANT_HS, PRIZE]), as_of=AS_OF, top=5)
    assert [r.offer_id for r in got.ranked] == ["PRIZE", "GRANT_HS"]
    assert any(r.startswith("需求已享受 低保、学杂费并按最高档发放国家资助")
               for r in got.ranked[1].reasons), got.ranked[1].reasons


def test_a_form_s_field_of_help_already_had_is_read_item_by_item():
    # a help-request form's field (已获得帮助：, 已享受政策：) lists what the household has
    words = _span_words("已获得帮助：残联的重度残疾人护理补贴每月在领，低收入家庭；"
                        "希望获得：白天有人来家里看一下")
    assert "残联的重度残疾人护理补贴每月在领" in words
    assert not any("白天有人" in w for w in words)
    need = make_need(title="丈夫中风瘫痪白天无人照顾", category="care",
                     groups=["low_income", "disabled"],
                     beneficiary_age=52, amount_needed=None,
                     description="困难描述：他脑梗后右边身子不能动，办了肢体二级残疾证，我白天上班，"
                                 "中午没人喂他喝水翻身。已获得帮助：残联的重度残疾人护理补贴每月在领；"
                                 "希望获得：白天有人来家里看一下，帮他翻翻身、吃口饭。")
    allowance = make_offer(id="ALW", title="重度残疾人护理补贴", categories=["care"],
                           eligible_groups=["disabled"],
                           description="对重度残疾人按月发放护理补贴，每人每月100元。")
    visits = make_offer(id="VIS", title="邻里互助上门照看", categories=["care"],
                        provider_type="ngo", provider_name="某社工站",
                        description="志愿者结对上门照看行动不便的老人和残疾人，帮助翻身、喂饭、"
                                    "打扫。")
    [got] = rank([need], OfferIndex([allowance, visits]), as_of=AS_OF, top=5)
    assert [r.offer_id for r in got.ranked] == ["VIS", "ALW"]
    assert any(r.startswith("需求已享受") for r in got.ranked[1].reasons)
