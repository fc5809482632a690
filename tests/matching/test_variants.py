"""Colloquial wording reaches the official concept, and a short variant does not fire inside
an unrelated word (the taxonomy matches terms as character bigrams anywhere in a text, so a
variant that is part of a common word would make unrelated offers look related)."""

from __future__ import annotations

import pytest

from matching.text import Lexicon, TextEncoder

LEX = Lexicon.load()
# a handful of neutral offer texts to fit the encoder's alphabet and idf on
ENC = TextEncoder(LEX).fit(["困难群众临时救助", "居家养老上门服务", "农村危房改造补助",
                            "大病保险", "职业技能培训", "学生资助"])


def _fired(text: str) -> set[str]:
    _, con, _ = ENC.transform([text])
    return {LEX.ids[i] for i in range(len(LEX.ids)) if con[0, i] > 0}


@pytest.mark.parametrize("text, concept", [
    ("老爷子去年脑中风，现在半身不遂", "cerebral_infarction"),
    ("老爷子去年脑中风，现在半身不遂", "cardio"),
    ("母亲血糖高，天天吃降糖药", "diabetes"),
    ("母亲血糖高，天天吃降糖药", "chronic_outpatient"),
    ("奶奶老糊涂了，认不得人", "dementia"),
    ("丈夫肾衰，每周去医院做透析", "esrd"),
    ("老人瘫痪在床好几年", "long_term_care"),
    ("看病贵，医药费欠了不少", "medical_cost"),
    ("孩子交不起学费，差点辍学在家", "drop_out"),
    ("失业在家一年多，找不到活", "unemployed"),
    ("房子漏雨，墙开裂", "house_unsafe"),
    ("孩子心情低落，总是想不开", "depression_anxiety"),
    ("女儿得了渐冻症", "rare_disease"),
    # the words of Taiwan and Hong Kong relatives (身障, 安亲班, 长照), once read as simplified
    ("舅舅是身障人士，领身障手册", "disability"),
    ("孩子想去安亲班", "after_school"),
    ("家里想给外婆申请长照", "long_term_care"),
])
def test_a_colloquial_variant_fires_the_official_concept(text, concept):
    assert concept in _fired(text)


@pytest.mark.parametrize("text, concept", [
    ("困难群体大病保险倾斜支付", "house_danger"),       # 政策倾斜 is not a leaning wall
    ("到乡镇卫生院免费体检", "cleaning_help"),          # 卫生院 is not cleaning
    ("本地贫困家庭可以申请", "thalassaemia"),           # 当地贫困 is not 地贫
    ("农村劳动力转移就业补贴", "tumour"),               # 转移就业 is not a metastasis
    ("为求职者和企业牵线搭桥", "coronary"),             # 搭桥 as a metaphor
    ("申请人持身份证到窗口办理", "nursing"),            # 申请人 is not 请人照料
    ("新生儿疾病筛查", "college"),                      # 新生儿 is no college freshman
    ("到专科医院就诊", "college"),
    ("补助标准提高一倍", "stage_senior"),               # 提高一倍 is not 高一
    ("降低申请门槛", "accessibility"),
    ("住院医疗费用减免", "tuition"),                    # 减免 alone is no school fee
    ("资助参加城乡居民医保", "tuition"),                # 资助参保 is no student aid
    ("工作人员十个工作日内上门核实", "job"),            # 工作人员 is not a job
    ("保障基本生活", "insurance"),                      # 保障 alone is no insurance
    ("听到消息一下子蒙了", "eye"),                      # 蒙了 = stunned
])
def test_a_short_variant_does_not_fire_inside_an_unrelated_word(text, concept):
    assert concept not in _fired(text)


@pytest.mark.parametrize("text, concepts", [
    # a coordinate abbreviation names each member, though its bigrams hold only one member's
    # whole (本专科 holds 专科, not 本科; 大中专 holds 中专, not 大专)
    ("全日制普通高校本专科生", {"stage_undergraduate", "stage_voc_higher"}),
    ("资助大中专学生", {"stage_voc_secondary", "stage_voc_higher"}),
    ("中高职在校生", {"stage_voc_secondary", "stage_voc_higher"}),
    ("家里两个孩子读初高中", {"stage_junior", "stage_senior"}),
    ("小初高学生全覆盖", {"stage_primary", "stage_junior", "stage_senior"}),
    ("儿子精残二级", {"dis_mental"}),
    ("智残女孩", {"dis_intellectual"}),
    ("聋儿语训", {"dis_hearing"}),
    ("孤残儿童养育", {"kid_orphan", "kid_disabled"}),
])
def test_an_abbreviated_pair_names_both_of_its_members(text, concepts):
    assert concepts <= _fired(text)
