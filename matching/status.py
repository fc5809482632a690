"""Statuses, disability kinds, accidents, insured things and the troubles a programme can be
for (features ``status``, ``kind``, ``accident``, ``insured`` and ``answers``).

Some programmes are for people of one status that the spec has no group code for and that
a person either holds or not: 退役军人 (困难退役军人帮扶), 刑满释放人员 (安置帮教), 计划生育特殊家庭
(失独 families), victims of family violence (受暴妇女庇护), the platforms' delivery riders and
drivers (新就业形态劳动者: 外卖骑手关爱基金), single-parent families (单亲困难母亲帮扶), people in a
court case (国家司法救助: crime victims, judgments that cannot be enforced). Every hard
rule passes them for anyone, and their descriptions share broad words with many needs (就业,
基本生活, 心理疏导), so they ranked for a grandmother raising her grandson or a laid-off mother.
The key entitled groups (重点优抚对象: 伤残军人, 烈属, 参战退役人员 …) are a status of their own
under 退役军人: a programme whose title names them (重点优抚对象医疗补助) is not for every man who
once served. A programme is for a status when its **title** names it (a description's list of
who else may apply is no restriction); a need holds it when its text names the status or
anything under it in the taxonomy (虐待 of a child is family violence). Children without care
(孤儿, 事实无人抚养儿童) are left out: that status is a definition (one parent dead, the other
失联 …) that needs put in too many words (母亲改嫁后断了联系) to read it reliably.

Programmes for employees in hardship (工会's 困难职工帮扶, 送温暖 for 困难职工, 职工法律援助) are
for people who work for an employer, a status that four hands wrote and that needs of old
people, children and farmers do not hold. The title's word and the need's words are flags
(concepts.txt ``_for_workers``, ``_employed``), not concepts: the need's words (单位, 工会,
老板, 工地 …) must not add to any similarity. A factory, a job or wages alone (在厂里搞卫生,
上班) say no employer: 58 of 60 such pairs were graded 0. A programme whose text admits trade-union
members only (职工法律援助…须是工会会员) is for union members (status ``union_member``, read from
the offer's text, not its title), not for every employee: a site worker under a 包工头 is not
one, a worker who names the union (工会会员, 厂里工会来慰问过) is.

A programme whose title names a kind of disability (盲人按摩培训, 助听器验配) is for people of that
kind; the group code ``disabled`` says only that someone is disabled, so the hard rules pass
it for every disabled person (盲人按摩 ranked for a deaf young woman who wanted a trade). Unlike
a status, a kind is only held against a need that names **another** kind: needs often say 残疾
without the kind (the programme may still fit), and a need that names none of the kinds is
left to the other features. Hearing and speech are one kind here (聋哑; 残联's programmes are
for 听力言语残疾).

Accidents are read the same way (feature ``accident``): a fund or service whose title names one
kind of accident (道路交通事故社会救助基金, 火灾, 防溺水) is for that kind, and ranked for a child
who nearly drowned or a man who fell from scaffolding as an 意外事故 like theirs. An injury at
work, a fall or being struck are kinds a need can name but no restriction in a title: 工伤认定
covers a fall at work and a crash on the way to it.

Insurance pays for what it insures (feature ``insured``): a rural house insurance (政策性农房保险)
for a damaged house, a medical insurance or its benefits (大病保险, 医保门特, 重疾险) for an illness
and its bills, a long-term care insurance (长护险) for someone who cannot look after themselves,
an agricultural insurance (农业保险) for crops and livestock. Over the diagnostic sets such
programmes were graded 0 for needs without that trouble (house 150 pairs, health 302 with 1
graded above 0, care 106 with 1), yet house insurance ranked for cancer patients who asked about
insurance and 大病保险 for a farmer whose pigs died. The title says what is insured (flags
``_house_insurance``, ``_health_insurance``, ``_care_insurance``, ``_farm_insurance``); a need has
the trouble when it names a house, fire or disaster concept, an illness or medical bill,
long-term care, or farming — or the insurance itself.

A rural house insurance pays for a house that a natural disaster or a fire damaged: over the
diagnostic sets it was graded 0 in all 369 admissible pairs for needs naming no disaster or fire
(an old house leaking, a rotten beam, eviction), ranked in the top three 25 times. A need has
that trouble when it names a fire, flood, storm, snow or earthquake (their concepts, not 自然灾害
itself, which a collapsed house lights as its parent) or a word of disaster (受灾, 灾后 …).

Some programmes answer one trouble their title names (feature ``answers``): relief for people a
disaster struck (受灾群众生活救助, 救灾物资, 因灾倒损住房恢复重建; flag ``_disaster``: 88 of 89
pairs without a disaster graded 0) and a channel for unpaid wages (农民工讨薪绿色通道, 欠薪投诉;
flag ``_for_wages``: 411 of 419 pairs without wage trouble graded 0, in the top three 48 times),
unless the title names other legal matters too (法律援助（讨薪、工伤、婚姻家庭）); an employer
who refuses a work injury is a case for the same lawyers. The 低保 taper (低保渐退帮扶, flag
``_taper``) is for a 低保 household whose income rose above the line: over the diagnostic sets it
was graded 0 in 229 of 233 pairs for needs that say nothing of it (every other 低保 household
passes its group rule), and 1–3 in the 7 pairs that do (收入超过低保线, 怕低保停掉).
"""

from __future__ import annotations

import re

import numpy as np

from .text import ZERO_F32

# the taxonomy's status nodes (taxonomy.txt); a programme's title lights them directly or
# through the node it is a kind of (安置帮教 serves 刑满释放人员)
STATUSES = ("veteran", "priority_entitled", "released_prisoner", "fp_special", "fam_violence",
            "gig_worker", "single_parent", "litigant", "union_member", "worker")
# a status read from several nodes: a single-parent family (单亲困难母亲帮扶) is named by the
# single-parent child's words (单亲, 父母离异) or by a divorce (over the diagnostic sets: 102
# admissible pairs for needs naming neither, 1 graded above 0)
STATUS_NODES = {"single_parent": ("kid_single_parent", "divorce")}
# each status as a reason names it (feature ``holds``)
STATUS_CN = ("退役军人", "重点优抚对象", "刑满释放人员", "计划生育特殊家庭", "家庭暴力受害人",
             "新就业形态劳动者", "单亲家庭", "司法案件当事人", "工会会员", "在职职工")
# the last status, employees, is read from flags: the offer title's, the need's (concepts.txt;
# not 打工 or 打零工: parents 在外打工 and an old man's odd jobs made 困难职工帮扶 rank for their
# children and for him — over the diagnostic sets 115 of 121 such pairs were graded 0; 工伤
# is, as only an employee has one)
WORKER_FLAGS = ("_for_workers", "_employed")
# a programme whose text says only union members may apply (须是工会会员, 限工会会员, 工会会员
# 才可申请, 不是会员的去找司法局, 没有入工会的不在内): for union members, not for every employee
# (``members_only``)
_MEMBERS_ONLY = re.compile(
    "(?:须|需|限|只限|仅限|必须|只对|只面向|仅面向)(?:是|为)?(?:本单位|本企业|在档)?(?:的)?工会会员"
    "|工会会员(?:才|方可|方能)|(?:非|不是)(?:工会)?会员的?(?:不|去|请|另)"
    # 非工会会员、个体工商户、务农人员不属工会帮扶对象; 前提是你本人是工会会员; 入了会的才行
    "|(?:非|不是)(?:工会)?会员[^。；;！!\n]{0,16}?不(?:属|在|算|能|行)"
    "|前提是[^，。；;\n]{0,6}?工会会员|入了?会的才"
    # 没有入工会、单位没参加互助的不在内; 没入会的不给
    "|(?:没有?|未)(?:入|加入|参加)(?:工)?会的?[^。；;！!\n]{0,12}?(?:不在|不予|不给|不能|不可)")
UNION = STATUSES.index("union_member")
GIG = STATUSES.index("gig_worker")
# a title that lists odd jobs beside the platforms' riders (送快递、跑外卖、打零工没有工伤保险？) is
# for every casual worker, not for the riders alone
_ODD_JOBS = re.compile("零工|打短工|临时工|散工")
# … and one for workers without the work-injury insurance (没有工伤保险？免费领一份意外险) pays
# none of its benefits
_NO_WORK_INSURANCE = re.compile("(?:没有|没|无|未参加|未缴|没交|没上|未买|没买|不交|没缴)工伤保险")
VETERAN, ENTITLED = STATUSES.index("veteran"), STATUSES.index("priority_entitled")
WORKER = STATUSES.index("worker")


def members_only(text: str) -> bool:
    """Whether an offer's text restricts it to trade-union members."""
    return "会员" in text and _MEMBERS_ONLY.search(text) is not None


# a title that names disabled people without a kind before 残疾人 (残疾人职业技能培训及盲人保健
# 按摩培训, 智力、精神和重度残疾人托养) is for every kind, whatever kind it also names; 视力残疾人,
# 肢体残疾人, 智力、精神残疾人 (plain_names: 智力残疾、精神残疾人) name their kind. So is a list of
# aids for the body and for the senses (轮椅、助行器、助听器免费适配): 助听器 alone (助听器验配) is
# for the hard of hearing.
_EVERY_KIND = re.compile("(?<![力语体神])残疾人")
_BODY_AIDS = re.compile("轮椅|助行|拐杖|假肢|护理床|坐便")
_SENSE_AIDS = re.compile("助听|耳蜗|助视|盲杖")


def for_every_grade(title: str) -> bool:
    """Whether a (plain_names) title is for disabled people of every grade."""
    return "残疾人" in title and _EVERY_GRADE.search(title) is not None


def for_every_kind(title: str) -> bool:
    """Whether a (plain_names) title is for disabled people of every kind."""
    if "残疾人" in title and _EVERY_KIND.search(title) is not None:
        return True
    return _SENSE_AIDS.search(title) is not None and _BODY_AIDS.search(title) is not None


# the disability kinds of GB/T 26341 (taxonomy.txt), hearing and speech as one
KINDS = (("dis_visual",), ("dis_hearing", "dis_speech"), ("dis_limb",), ("dis_intellectual",),
         ("dis_mental",))
# … and its grades: severe (一、二级) and mild or moderate (三、四级). A title for the severely
# disabled (重度残疾人护理补贴, 重度残疾人托养) is not for a need whose disability is of grade three
# or four and that names no severe one (feature ``kind``): over dev and the diagnostic sets such
# titles in a need's first three were graded 0 in 43 of 47 pairs. A title that names disabled
# people without 重度 before them (困难残疾人生活补贴和重度残疾人护理补贴) is for every grade
GRADES = (("dis_severe",), ("dis_mild",))
_EVERY_GRADE = re.compile("(?<!重度)(?<!重)残疾人")
# accident kinds (taxonomy.txt; 火灾 is the concept over 房屋失火); the first OFFER_ACCIDENTS
# restrict a programme whose title names them, the rest only say what befell a need (and a
# title that names one of them is no restriction at all)
ACCIDENTS = (("dis_traffic",), ("dis_drowning",), ("dis_poisoning",), ("fire",), ("inj_burn",),
             ("work_injury",), ("inj_fall",), ("inj_struck",))
OFFER_ACCIDENTS = 5
# what befalls people in a disaster (taxonomy.txt, concepts.txt): the concept 自然灾害 itself is no
# evidence, a collapsed house lights it as its parent (a rotten roof beam is no disaster)
DISASTER_EVENTS = ("fire", "dis_flood", "dis_typhoon", "dis_snow", "dis_quake")
# what an insurance insures (its title's flag) and the concepts by which a need has that
# trouble (any of them; for health also every illness concept, OfferIndex.illness); a rural
# house insurance asks for two: a damaged house (or a fire), and a disaster or fire that
# damaged it — a disaster alone is no damaged house (大雪压塌了大棚, 住的房子没事: sheds.py)
INSURED = (("_house_insurance", ("house_danger", "fire")),
           ("_health_insurance", ("medical_cost", "serious_illness", "surgery")),
           ("_care_insurance", ("long_term_care", "daily_living", "nursing")),
           ("_farm_insurance", ("farming",)),
           ("_house_insurance", DISASTER_EVENTS))
# the one trouble a programme's title says it answers (feature ``answers``): relief for people a
# disaster struck, the 低保 taper, a channel for unpaid wages (讨薪绿色通道), the road-accident
# fund (a hit-and-run, an uninsured vehicle, costs above the compulsory insurance), a loan or
# grant to start a business (创业担保贷款, 扶贫小额贷款), the programme for severe mental
# disorders, the rebuilding or repair of houses (危房改造, 房屋修缮), a programme that pays a
# patient's medical costs (医疗救助, 住院, 门诊), the payment of a household's medical-insurance
# premium (医保个人缴费资助), the work-injury insurance's benefits (工亡待遇), the procuratorate's
# aid for crime victims (刑事被害人司法救助), rental housing (公租房, 住房租赁补贴), prostheses
# (假肢装配: a lost limb, told by the flag's own words, or an orthosis for cerebral palsy; not a
# stroke's hemiplegia), assistive devices (辅具适配, 轮椅), a programme for women in pregnancy or
# just after it (孕产妇住院分娩补助, 产后情绪关爱) and the women's and families' rights services
# (妇女儿童维权, 婚姻家庭调解) — and the concepts by which a need has it (a wage channel's lawyers
# take an employer's refusal of a work injury too; a need that wants capital or a trade of its
# own: 想养羊缺本钱, 开网店; a house unsafe, damaged, to adapt or struck by fire — a disaster
# alone is no damaged house (大雪压塌了大棚, 住的房子没事: 2 needs up, 2 down in the thirty-fifth
# session, the ups the greenhouses); an illness, an injury, a disability or a bill; an unpaid
# premium; an injury or a death at work; a crime's harm; renting or having no house; a disability
# of the body or the senses (a mental or an intellectual one needs no wheelchair), cerebral palsy,
# a stroke, trouble walking, a fall or fracture, the eyes, long-term care; a pregnancy, a birth or
# a newborn; a family matter or a psychological one). In the thirty-third session rental housing
# and assistive devices were graded 0 where they stood in the top three for such needs (24 needs
# up, 2 down; 34 up, 4 down over dev and the diagnostic sets); in the thirty-fourth the devices
# for a mental or intellectual disability alone 58 up, 7 down, the mothers' programmes 15 up, 1
# down (all 86 such pairs graded 0) and the rights services 82 up, 19 down (the women's rights
# services for a wage claim: all 199 pairs graded 0); in the thirty-sixth the prostheses 5 up, 0
# down (titles of prostheses alone, for needs without a lost limb or cerebral palsy, in the top
# three: 13 pairs, all graded 0). Counted over dev and the diagnostic sets in the twenty-seventh
# session, the warned pairs of the programme for severe mental disorders, house repair, medical
# bills and (at its first count) the premium were graded 0 in 1,589 of 1,590, 926 of 927, 1,750 of
# 1,753 and 1,254 of 1,308; in the twenty-eighth, those of the work-injury benefits and the crime
# victims' aid, in the first 50 of each need, in 158 of 161 and 42 of 43; in the forty-fourth
# (each flag's line in concepts.txt gives its count) hospice care, relief for a natural disaster
# only, cochlear implants and hearing aids, cataract surgery, stroke rehabilitation, training for
# autistic children, teaching at home (送教上门) and donated targeted cancer drugs; concepts.txt
# says which words each reads
ANSWERS = (# a natural disaster, not a fire: first, so that a title naming both flags (自然灾害
           # 受灾群众) shows its warning, which a need without any disaster lacks too
           ("_natural_disaster", tuple(e for e in DISASTER_EVENTS if e != "fire")),
           ("_disaster", DISASTER_EVENTS),
           ("_taper", ("dibao_exit",)),
           ("_for_wages", ("wage_arrears", "work_injury")),
           ("_road_fund", ("hit_and_run",)),
           ("_startup", ("loan", "self_employ")),
           ("_smi_programme", ("smi", "dis_mental")),
           ("_house_repair", ("house_danger", "house_adapt", "fire")),
           ("_medical_bills", ("medical_cost", "serious_illness", "surgery", "eye", "paralysis",
                               "mental", "disability", "rehab", "medical_help", "home_doctor")),
           ("_enrol_subsidy", ("med_enrol_aid",)),
           ("_work_benefit", ("work_injury",)),
           ("_victim_aid", ("crime_harm",)),
           # the state's judicial aid: a crime's harm or a judgment that cannot be enforced
           # (cases.py takes the latter back from a case over property or a contract)
           ("_judicial_aid", ("crime_harm", "unenforced")),
           ("_rent_help", ("rent",)),
           ("_prosthesis", ("cerebral_palsy",)),
           ("_aids_programme", ("dis_limb", "dis_visual", "dis_hearing", "dis_speech",
                                "cerebral_palsy", "stroke", "paralysis", "walking_help",
                                "aids_devices", "stroke_sequelae", "fracture", "inj_fall",
                                "long_term_care", "eye")),
           ("_maternity", ("pregnancy_child_health",)),
           ("_family_rights", ("family_dispute", "psych")),
           # old people who cannot look after themselves, and their carers (concepts.txt)
           ("_incapacity", ("paralysis", "long_term_care", "dementia", "cannot_live_alone",
                            "respite", "walking_help", "stroke", "stroke_sequelae", "smi")),
           # the relief stations (救助管理站): people stranded, sleeping rough or penniless
           ("_stranded_aid", ("stranded",)),
           # grief counselling and funeral costs: a death in the family (its flag's words in
           # a need name one too: 游泳没了, 人当场就没了)
           ("_bereavement", ("grief", "dis_death", "kid_orphan", "fp_special")),
           # prisoners' children and families: a parent or a spouse in prison
           ("_prisoners_kin", ("kin_in_prison",)),
           ("_dialysis", ("kidney",)),
           # temporary care of children: a child alone now, or with no one to raise them
           ("_child_custody", ("kid_unattended", "kid_unsupported")),
           # bracelets against getting lost: someone demented, or who wanders off
           ("_wandering", ("dementia", "kid_safety")),
           # hospice care: someone at the end of an illness
           ("_hospice", ("hospice",)),
           # cochlear implants and hearing aids: hearing loss
           ("_hearing", ("dis_hearing",)),
           # cataract surgery: an eye disease or poor sight
           ("_eye_programme", ("eye", "dis_visual")),
           # rehabilitation after a stroke: a stroke or its paralysis
           ("_stroke_rehab", ("stroke", "stroke_sequelae", "paralysis")),
           # training for autistic children: autism
           ("_autism", ("autism",)),
           # teaching at home: a child whose disability keeps them from school
           ("_home_schooling", ("home_bound_kid", "cerebral_palsy", "paralysis", "dis_multiple")),
           # donated targeted cancer drugs: a patient on or needing one
           ("_targeted_drug", ("targeted_therapy",)),
           # free drugs for epilepsy: epilepsy
           ("_epilepsy", ("epilepsy_mental",)))
# a title's flag by which it answers more than the one trouble, and that trouble's flag in
# ANSWERS: legal aid that names other matters besides wages (法律援助（讨薪、工伤、婚姻家庭）),
# help into work besides the loan (残疾人就业扶持（培训、创业补贴、辅助性就业）, 求职创业补贴) and
# psychological help besides the severe-mental-disorder programme (心理援助热线与严重精神障碍
# 免费服药) answer any need for that help; a cover to buy or join (feature ``insured`` reads
# it) and a psychological clinic (心理门诊) are no programme that pays medical costs; a wage
# channel's title that also says 工伤待遇 answers unpaid wages as before; legal aid, or a
# mediation that lists other matters (人民调解（民间借贷、邻里、家事纠纷）), answers any legal
# matter; a programme of rehabilitation besides the devices (残疾人基本康复服务和辅助器具适配)
# any need for either; grief counselling for serious illness or a crisis too (重病家庭心理支持与
# 哀伤陪伴) any need for that help; a scheme for dialysis and other treatments (门诊特定项目（透析、
# 放化疗…）) any of them; hospice support for the bereaved too (临终病人家属与丧亲者心理支持) a
# bereaved family; relief that names fire (火灾、风灾受灾户) a fire; rehabilitation for several
# disabilities (0至6岁残疾儿童康复救助（孤独症、脑瘫、听障）) a deaf or an autistic child and any
# other; stroke rehabilitation that names fractures (脑卒中、骨折术后) a fracture; an emergency
# fund for illness, schooling and disaster (因病、因学、因灾) any emergency
ANSWERS_ANY = (("_other_legal_matters", "_for_wages"), ("_other_job_help", "_startup"),
               ("_other_psych_help", "_smi_programme"), ("_health_insurance", "_medical_bills"),
               ("_preventive", "_medical_bills"), ("_mutual_aid", "_medical_bills"),
               ("_other_psych_help", "_medical_bills"), ("_for_wages", "_work_benefit"),
               ("_any_legal_matter", "_family_rights"), ("_rehab_service", "_aids_programme"),
               ("_rehab_service", "_prosthesis"), ("_other_aids", "_prosthesis"),
               ("_aged_too", "_incapacity"), ("_grief_and_more", "_bereavement"),
               ("_other_treatments", "_dialysis"), ("_bereavement", "_hospice"),
               ("_fire_too", "_natural_disaster"), ("_rehab_service", "_hearing"),
               ("_other_rehab", "_stroke_rehab"), ("_other_disabilities", "_autism"),
               ("_other_emergencies", "_disaster"), ("_other_emergencies", "_natural_disaster"))
WIDTH = (len(STATUSES) + len(KINDS) + len(GRADES) + len(ACCIDENTS) + len(INSURED)
         + len(ANSWERS))
# the columns of each feature in a reader's matrix
STATUS_COLS = slice(0, len(STATUSES))
KIND_COLS = slice(len(STATUSES), len(STATUSES) + len(KINDS))
GRADE_COLS = slice(KIND_COLS.stop, KIND_COLS.stop + len(GRADES))
ACCIDENT_COLS = slice(GRADE_COLS.stop, GRADE_COLS.stop + len(ACCIDENTS))
INSURED_COLS = slice(ACCIDENT_COLS.stop, ACCIDENT_COLS.stop + len(INSURED))
ANSWERS_COLS = slice(INSURED_COLS.stop, WIDTH)
WORK_BENEFIT = ANSWERS_COLS.start + [f for f, _ in ANSWERS].index("_work_benefit")
DISASTER = ANSWERS_COLS.start + [f for f, _ in ANSWERS].index("_disaster")


class StatusReader:
    """Reads the statuses, the disability kinds, the accident kinds and what is insured in
    concept vectors and flags (rows over the lexicon's concepts and its flags): a bool matrix
    rows x WIDTH. ``flag``: a flag's column in the encoder's flags (``OfferIndex.flag``);
    ``illness``: the lexicon's illness concepts (``OfferIndex.illness``)."""

    def __init__(self, ids: list[str], flag, illness: list[str] = ()) -> None:
        # a health insurance and a programme that pays medical costs: every illness is a
        # trouble of theirs too
        troubles = [nodes + (tuple(illness) if f in ("_health_insurance", "_medical_bills")
                             else ()) for f, nodes in INSURED + ANSWERS]
        nodes = ([STATUS_NODES.get(s, (s,)) for s in STATUSES[:-1]] + list(KINDS)
                 + list(GRADES) + list(ACCIDENTS) + troubles)
        self.cols = np.array([ids.index(s) for group in nodes for s in group], np.int64)
        # where each output column's nodes start among ``cols`` (one reduceat, one call: the
        # match page reads one need at a time)
        self.starts = np.cumsum([0] + [len(group) for group in nodes[:-1]])
        self.disability_cols = np.array([ids.index(s) for kind in KINDS for s in kind], np.int64)
        self.offer_flag, self.need_flag = (flag(f) for f in WORKER_FLAGS)
        # the titles' flags of INSURED and ANSWERS, one per column (a need names the trouble
        # by them too: 受灾, 欠薪)
        self.named_flags = np.array([flag(f) for f, _ in INSURED + ANSWERS], np.int64)
        # ANSWERS_ANY as (flag column, column among the insured and answered ones)
        answered = [f for f, _ in ANSWERS]
        self.answers_any = [(flag(f), len(INSURED) + answered.index(trouble))
                            for f, trouble in ANSWERS_ANY]
        self.other_matters = flag("_other_legal_matters")
        self.single_parent = STATUSES.index("single_parent")
        self.single_word = ids.index("kid_single_parent")
        # a need asking for cover against what may come (万一得了大病) has what a health
        # insurance asks for
        self.future = flag("_future_wish")
        self.health = INSURED_COLS.start + [f for f, _ in INSURED].index("_health_insurance")
        # ``_read_one``: the output column of each of ``cols`` (the employees' column, read
        # from the flags, comes before the kinds), and the flags it reads, in one take
        k = WORKER
        self._one_out = [g + (g >= k) for g, group in enumerate(nodes) for _ in group]
        self._one_flags = np.array([self.need_flag, *self.named_flags, self.future], np.int64)

    def read(self, con: np.ndarray, flags: np.ndarray, *, titles: list[str] | None = None
             ) -> np.ndarray | None:
        """What each row names (``titles``: rows are these offer titles, as ``plain_names``
        gives them), None when no row names anything."""
        offer = titles is not None
        if not offer and len(con) == 1:
            return self._read_one(con[0], flags[0])
        lit = np.logical_or.reduceat(con.take(self.cols, axis=1) > 0, self.starts, axis=1)
        out = np.empty((len(lit), WIDTH), bool)
        k = WORKER
        out[:, :k] = lit[:, :k]
        out[:, k] = flags[:, self.offer_flag if offer else self.need_flag]
        out[:, k + 1:] = lit[:, k:]
        named = flags.take(self.named_flags, axis=1)
        covered = out[:, INSURED_COLS.start:]                    # a view: INSURED, ANSWERS
        if offer:
            # the title says what is insured or answered (a need names the trouble, or the
            # insurance: a need that names 农房保险 is taken to have both its troubles)
            covered[:] = named
            for f, col in self.answers_any:
                covered[flags[:, f], col] = False
            # a divorce among the matters legal aid takes (法律援助（…赡养抚养、离婚等）) is a
            # matter, not a title for single-parent families (单亲家庭援助 names them)
            out[flags[:, self.other_matters] & (con[:, self.single_word] <= 0),
                self.single_parent] = False
            # a title that names 工伤 too (交通事故及工伤法律援助) is for any accident
            acc = out[:, ACCIDENT_COLS]                          # a view
            acc[acc[:, OFFER_ACCIDENTS:].any(axis=1)] = False
            acc[:, OFFER_ACCIDENTS:] = False
            # a title for the key entitled groups (重点优抚对象医疗补助) lights 退役军人 as their
            # parent, yet is not for every veteran: over the diagnostic sets such programmes
            # were graded 0 for all 84 needs of a veteran not of those groups (当过兵, 退伍)
            out[out[:, ENTITLED], VETERAN] = False
            out[[k for k, t in enumerate(titles) if _ODD_JOBS.search(t)], GIG] = False
            out[[k for k, t in enumerate(titles) if _NO_WORK_INSURANCE.search(t)],
                WORK_BENEFIT] = False
            # members of a club or a clubhouse (向阳会所招募会员) are no union's: a title is for
            # union members when it names the union or its workers (职工医疗互助（会员大病）)
            out[[k for k, t in enumerate(titles) if "工会" not in t and "职工" not in t],
                UNION] = False
            # a title for disabled people of every kind restricts to none (for_every_kind)
            out[[k for k, t in enumerate(titles) if for_every_kind(t)], KIND_COLS] = False
            out[[k for k, t in enumerate(titles) if for_every_grade(t)], GRADE_COLS] = False
        else:
            covered |= named
            # a need that names a disaster (受灾) has what a house insurance asks for too
            out[:, INSURED_COLS.stop - 1] |= out[:, DISASTER]
            out[:, self.health] |= flags[:, self.future]
        return out if out.any() else None

    def _read_one(self, con: np.ndarray, flags: np.ndarray) -> np.ndarray | None:
        """``read`` of one need's row, in Python lists: the match page reads one need, and
        the array version's dozen numpy calls on a few dozen values cost more than the work
        (tests/matching/test_status.py holds the two equal)."""
        row = [False] * WIDTH
        for j in (con.take(self.cols) > ZERO_F32).nonzero()[0].tolist():   # the few lit
            row[self._one_out[j]] = True
        worker, *named, future = flags.take(self._one_flags).tolist()
        row[WORKER] = worker
        start = INSURED_COLS.start
        for j, on in enumerate(named):
            row[start + j] = row[start + j] or on
        row[INSURED_COLS.stop - 1] = row[INSURED_COLS.stop - 1] or row[DISASTER]
        row[self.health] = row[self.health] or future
        return np.array([row], bool) if True in row else None
