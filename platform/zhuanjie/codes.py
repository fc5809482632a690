"""The fixed vocabularies of the domain: codes in English, labels in Chinese.

Category and group codes are those of the matching exchange format, so the engine and the
platform speak one language.
"""

from __future__ import annotations

from enum import StrEnum

CATEGORIES: dict[str, str] = {
    "basic_living": "基本生活",
    "medical": "医疗救助",
    "education": "教育救助",
    "housing": "住房救助",
    "employment": "就业帮扶",
    "emergency": "临时救助 / 急难",
    "care": "照料关爱",
    "rehabilitation": "康复",
    "psychological": "心理疏导",
    "legal": "法律援助",
    "insurance": "保险保障",
}

GROUPS: dict[str, str] = {
    "dibao": "低保对象",
    "tekun": "特困人员",
    "jiandang": "建档立卡低收入人口",
    "low_income": "低收入家庭",
    "disabled": "残疾人",
    "serious_illness": "重病患者",
    "expenditure_hardship": "支出型困难家庭",
    "left_behind_child": "留守儿童",
    "left_behind_elderly": "留守老人",
    "disaster_victim": "受灾群众",
}

URGENCY: dict[int, str] = {1: "普通", 2: "紧急", 3: "急难"}

ROLES: dict[str, str] = {
    "admin": "系统管理员",
    "supervisor": "监管人员",
    "caseworker": "经办人员",
    "org_staff": "机构工作人员",
    "donor": "爱心人士",
}

ORG_KINDS: dict[str, str] = {
    "government": "政府部门",
    "ngo": "社会组织",
    "donor": "爱心人士 / 企业捐助方",
    "enterprise": "企业",
}

# A government organisation's department decides what it may exchange with the platform: a
# department's staff import its roll, refer households between departments and send alerts.
DEPARTMENTS: dict[str, str] = {
    "civil_affairs": "民政",
    "poverty": "乡村振兴（扶贫）",
    "disability": "残联",
    "medical": "医保",
    "education": "教育",
    "human_resources": "人社",
    "housing": "住建",
    "justice": "司法",
    "health": "卫健",
}

ORG_STATUSES: dict[str, str] = {
    "pending": "待审核",
    "verified": "已认证",
    "suspended": "已暂停",
    "rejected": "未通过",
}

OFFER_MODES: dict[str, str] = {
    "cash": "现金",
    "in_kind": "实物",
    "service": "服务",
    "volunteer": "志愿服务",
}

OFFER_STATUSES: dict[str, str] = {
    "draft": "草稿",
    "published": "已发布",
    "paused": "已暂停",
    "closed": "已结束",
}

NEED_STATUSES: dict[str, str] = {
    "open": "待匹配",
    "referred": "已转介",
    "in_service": "服务中",
    "closed": "已办结",
}

NEED_OUTCOMES: dict[str, str] = {
    "met": "需求已满足",
    "partly_met": "部分满足",
    "unmet": "未能满足",
    "withdrawn": "已撤销",
}

REFERRAL_STATUSES: dict[str, str] = {
    "sent": "已发送",
    "accepted": "已接收",
    "declined": "已拒绝",
    "in_service": "服务中",
    "delivered": "已送达",
    "failed": "未完成",
    "closed": "已关闭",
    "withdrawn": "已撤回",
}

DECLINE_REASONS: dict[str, str] = {
    "full": "名额已满",
    "ineligible": "不符合条件",
    "unreachable": "联系不上",
    "referred_elsewhere": "已转介他处",
    "other": "其他",
}

CONSENT_FIELDS: dict[str, str] = {
    "name": "姓名",
    "phone": "电话",
    "address": "住址",
    "id_number": "身份证号",
    "need_text": "需求描述",
}

ATTACHMENT_KINDS: dict[str, str] = {
    "consent_scan": "签字授权书扫描件",
    "diagnosis": "诊断证明",
    "dibao_certificate": "低保证",
    "disability_certificate": "残疾证",
    "house_photo": "住房照片",
    "other": "其他材料",
}

ATTACHMENT_OWNERS: dict[str, str] = {
    "household": "家庭",
    "need": "需求",
    "consent": "授权",
    "follow_up": "回访",
}

CONSENT_PURPOSES: dict[str, str] = {
    "referral": "转介给服务机构",
    "publication": "在公开平台发布（去标识化）",
}

# A change recorded at the household (households.service.record_change); each starts a review.
HOUSEHOLD_CHANGES: dict[str, str] = {
    "income": "收入变化",
    "work": "就业变化",
    "health": "患病或残疾",
    "housing": "住房变化",
    "member_joined": "新增成员",
    "member_left": "成员离户",
    "other": "其他情况",
}

RELATIONS: dict[str, str] = {
    "head": "户主",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "grandchild": "孙子女",
    "grandparent": "祖父母",
    "sibling": "兄弟姐妹",
    "other": "其他",
}

PLEDGE_KINDS: dict[str, str] = {"money": "捐款", "goods": "物资", "time": "志愿时间"}

PLEDGE_STATUSES: dict[str, str] = {
    "pending": "待确认",
    "confirmed": "已确认",
    "declined": "未采纳",
    "delivered": "已送达",
    "cancelled": "已取消",
}

FOLLOWUP_STATUSES: dict[str, str] = {"scheduled": "待回访", "done": "已回访", "missed": "已逾期"}

VISIT_STATUSES: dict[str, str] = {
    "due": "待上门", "done": "已完成", "missed": "漏访", "cancelled": "已取消"
}

AUDIT_ACTIONS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "token_issued": "生成API令牌",
    "login_locked": "登录失败过多被锁定",
    "login_refused_inactive": "停用账号尝试登录",
    "logout": "退出登录",
    "signed_out_everywhere": "退出所有设备",
    "session_ended": "结束登录会话",
    "token_revoked": "作废API令牌",
    "password_changed": "修改密码",
    "password_reset": "重置密码",
    "user_deactivated": "停用用户",
    "user_activated": "启用用户",
    "user_created": "创建用户",
    "organisation_created": "登记机构",
    "household_created": "登记家庭",
    "reveal_id_number": "查看完整身份证号",
    "reveal_phone": "查看完整电话",
    "reveal_household_contact": "查看家庭住址和电话（编辑）",
    "household_updated": "修改家庭信息",
    "member_added": "添加家庭成员",
    "need_created": "登记需求",
    "need_closed": "办结需求",
    "referral_sent": "发送转介",
    "view_consented_fields": "机构查看授权信息",
    "follow_up_recorded": "登记回访",
    "household_reviewed": "完成年度复核",
    "household_transition": "进入渐退期",
    "organisation_verify": "认证机构",
    "organisation_reject": "机构认证未通过",
    "organisation_suspend": "暂停机构",
    "organisation_reactivate": "恢复机构",
    "organisation_updated": "修改机构资料",
    "offer_created": "新建项目",
    "offers_bulk_created": "批量导入项目",
    "offers_imported_hsds": "从 HSDS 文件导入项目",
    "need_published": "发布求助信息",
    "publication_taken_down": "撤下求助信息",
    "plan_ended": "结束服务计划",
    "pledge_confirmed": "确认认捐",
    "report_exported": "导出转介报表",
    "insight_exported": "导出数据概览",
    "document_printed": "打印文书（含个人信息）",
    "attachment_added": "上传附件",
    "attachment_downloaded": "下载附件",
    "attachment_deleted": "删除附件",
    "referral_arrived": "登记服务对象到达",
}

OBJECT_TYPES: dict[str, str] = {
    "user": "用户",
    "organisation": "机构",
    "household": "家庭",
    "member": "家庭成员",
    "need": "需求",
    "offer": "项目",
    "referral": "转介",
    "consent": "授权",
    "follow_up": "回访",
    "attachment": "附件",
}

NOTIFICATION_KINDS: dict[str, str] = {
    "referral_received": "收到新转介",
    "referral_reminder": "转介答复提醒",
    "referral_accepted": "转介已接收",
    "referral_declined": "转介被拒绝",
    "referral_overdue": "转介超期未答复",
    "referral_withdrawn": "转介被撤回",
    "referral_delivered": "服务已送达",
    "referral_failed": "转介未能完成",
    "referral_arrived": "服务对象已到达机构",
    "delivery_reminder": "送达期限提醒",
    "delivery_overdue": "超期未送达",
    "followup_due": "回访到期",
    "followup_missed": "回访逾期",
    "followup_escalated": "回访逾期上报",
    "visit_missed": "服务计划漏访",
    "need_stale": "需求长期无进展",
    "better_match": "有更合适的项目",
    "review_due": "年度复核提醒",
    "transition": "渐退期提醒",
    "offer_closed": "项目到期关闭",
    "pledge_received": "收到新认捐",
    "pledge_confirmed": "认捐已确认",
    "pledge_declined": "认捐未被采纳",
    "pledge_delivered": "捐赠已送达",
    "publication_taken_down": "求助信息被撤下",
    "plan_ended": "服务计划已结束",
}

TASK_KINDS: dict[str, str] = {
    "referral_remind": "转介答复提醒",
    "referral_overdue": "转介超期上报",
    "delivery_remind": "送达期限提醒",
    "delivery_overdue": "超期未送达上报",
    "followup_due": "回访到期提醒",
    "followup_missed": "回访逾期提醒",
    "followup_escalate": "回访逾期上报",
    "intake_remind": "部门转介受理提醒",
    "intake_overdue": "部门转介超期上报",
}


# --- the same codes as enums: still stored as plain strings, but a typo is an error -------------
# A StrEnum member equals its string ("sent" == ReferralStatus.SENT), so rows, forms and older
# literals keep working; each enum has exactly the keys of the labelled dict above
# (tests/zhuanjie/test_lifecycles.py checks it).


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    CASEWORKER = "caseworker"
    ORG_STAFF = "org_staff"
    DONOR = "donor"


class OrgKind(StrEnum):
    GOVERNMENT = "government"
    NGO = "ngo"
    DONOR = "donor"
    ENTERPRISE = "enterprise"


class Department(StrEnum):
    CIVIL_AFFAIRS = "civil_affairs"
    POVERTY = "poverty"
    DISABILITY = "disability"
    MEDICAL = "medical"
    EDUCATION = "education"
    HUMAN_RESOURCES = "human_resources"
    HOUSING = "housing"
    JUSTICE = "justice"
    HEALTH = "health"


class OrgStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    SUSPENDED = "suspended"
    REJECTED = "rejected"
    PERSON = "person"


class OfferMode(StrEnum):
    CASH = "cash"
    IN_KIND = "in_kind"
    SERVICE = "service"
    VOLUNTEER = "volunteer"


class OfferStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    PAUSED = "paused"
    CLOSED = "closed"
    REVIEW = "review"


class NeedStatus(StrEnum):
    OPEN = "open"
    REFERRED = "referred"
    IN_SERVICE = "in_service"
    CLOSED = "closed"


class ReferralStatus(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_SERVICE = "in_service"
    DELIVERED = "delivered"
    FAILED = "failed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class PublicationStatus(StrEnum):
    PUBLISHED = "published"
    TAKEN_DOWN = "taken_down"


class PledgeKind(StrEnum):
    MONEY = "money"
    GOODS = "goods"
    TIME = "time"


class PledgeStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class FollowUpStatus(StrEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    MISSED = "missed"


class PlanStatus(StrEnum):
    """A service plan's state, kept in its `active` flag (True = active)."""

    ACTIVE = "active"
    ENDED = "ended"


class VisitStatus(StrEnum):
    DUE = "due"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class TaskKind(StrEnum):
    REFERRAL_REMIND = "referral_remind"
    REFERRAL_OVERDUE = "referral_overdue"
    DELIVERY_REMIND = "delivery_remind"
    DELIVERY_OVERDUE = "delivery_overdue"
    FOLLOWUP_DUE = "followup_due"
    FOLLOWUP_MISSED = "followup_missed"
    FOLLOWUP_ESCALATE = "followup_escalate"
    INTAKE_REMIND = "intake_remind"
    INTAKE_OVERDUE = "intake_overdue"


PUBLICATION_STATUSES: dict[str, str] = {"published": "公开中", "taken_down": "已撤下"}
PLAN_STATUSES: dict[str, str] = {"active": "执行中", "ended": "已结束"}


# --- privacy: private donors, reviewed offers, withdrawn consent, 公示 ----------------------
ORG_STATUSES["person"] = "个人捐赠者"  # a private person giving in their own name: not 已认证
OFFER_STATUSES["review"] = "待审核"  # a private donor's standing offer, until reviewed
NOTIFICATION_KINDS["referral_returned"] = "转介被退回"
NOTIFICATION_KINDS["consent_withdrawn"] = "授权已撤回"
NOTIFICATION_KINDS["offer_reviewed"] = "帮扶意愿审核结果"
AUDIT_ACTIONS["consent_withdrawn"] = "撤回授权"
AUDIT_ACTIONS["offer_review_approve"] = "审核通过个人帮扶意愿"
AUDIT_ACTIONS["offer_review_reject"] = "审核未通过个人帮扶意愿"
CONSENT_PURPOSES["display"] = "受助公示（姓名遮盖，仅到镇、街道）"


# --- 应享未享: government programmes a household qualifies for and does not receive ------------
UNCLAIMED_STATUSES: dict[str, str] = {
    "open": "待申请", "applied": "已申请", "refused": "申请未获批", "not_wanted": "家庭不需要",
}
AUDIT_ACTIONS["unclaimed_marked"] = "应享未享：登记处理结果"
NOTIFICATION_KINDS["unclaimed_found"] = "发现应享未享"


class UnclaimedStatus(StrEnum):
    OPEN = "open"
    APPLIED = "applied"
    REFUSED = "refused"
    NOT_WANTED = "not_wanted"


# --- matching models learned from outcomes (zhuanjie.learning) --------------------------------
MODEL_STATUSES: dict[str, str] = {
    "candidate": "候选（未启用）",
    "promoted": "使用中",
    "retired": "已停用",
    "refused": "已拒绝（与引擎不符）",
}

# the matching engine's features by their Chinese names, for the weights an admin compares
# (matching.FEATURES; tests/zhuanjie/test_learning.py checks every feature has one)
MATCH_FEATURES: dict[str, str] = {
    "text": "文字相近度",
    "concept": "内容概念相符",
    "category": "类别相关（设定）",
    "urgency": "急难优先",
    "locality": "本地项目",
    "amount": "金额相符",
    "targeted": "面向特定对象",
    "provider": "机构办结记录",
    "title": "需求标题相符",
    "specific": "具体概念相符",
    "prevention": "注意：预防类项目而需求已发生",
    "merit": "注意：奖优类项目",
    "enrolment": "注意：新生资助而学生已在读",
    "shortfall": "注意：金额与费用差距悬殊",
    "received": "注意：需求已享受该项目",
    "illness": "注意：专病项目而病种不符",
    "sex": "注意：只面向女性",
    "stage": "注意：学段不符",
    "status": "注意：特定身份未提及",
    "held": "注意：已是低保对象",
    "kind": "注意：残疾类别或等级不符",
    "accident": "注意：意外类别不符",
    "insured": "注意：保险保障范围不符",
    "answers": "注意：项目所解决问题不符",
    "government": "政府项目",
    "named": "项目名称与需求相符",
    "holds": "身份相符",
    "category_fit": "类别相关（评估数据学得）",
    "minor": "注意：重特大疾病项目而需求病情不属此类",
    "untimely": "注意：补助患者费用而需求尚未患病",
    "bereaved": "注意：补助患者费用而病人已去世",
    "kin": "注意：特困供养而需求提到配偶或子女",
    "parented": "注意：孤儿、无人抚养儿童项目而孩子有父母抚养",
    "retired": "注意：就业创业项目而需求对象已满60岁",
    "healthy": "注意：专病项目而需求未提及患病",
    "bedridden": "注意：需到场的日间服务而需求对象长期卧床",
    "aged": "注意：项目写明的年龄段（或只面向老年人、儿童、在读学生）不含需求对象",
    "elsewhere": "注意：项目写明只在所列镇（街道）或县（市、区）开展而需求所在地不在其中",
}


class ModelStatus(StrEnum):
    """A learned matching model's state (zhuanjie.learning.flow)."""

    CANDIDATE = "candidate"
    PROMOTED = "promoted"
    RETIRED = "retired"
    REFUSED = "refused"


AUDIT_ACTIONS["model_trained"] = "训练匹配模型"
AUDIT_ACTIONS["model_promoted"] = "启用匹配模型"
AUDIT_ACTIONS["model_rolled_back"] = "回退匹配模型"
AUDIT_ACTIONS["model_refused"] = "拒绝不符的匹配模型"
JOB_TRAINERS: dict[str, str] = {"job": "每周定时训练", "cli": "命令行 zhuanjie train"}


# --- 统筹分配 (allocation of scarce places) ----------------------------------------------------
RUN_STATUSES: dict[str, str] = {"draft": "待确认", "confirmed": "已确认"}
PROPOSAL_STATUSES: dict[str, str] = {"proposed": "待征得同意", "sent": "已同意并发送",
                                     "declined": "未采纳"}
PROPOSAL_DECLINE_REASONS: dict[str, str] = {
    "no_consent": "家庭不同意转介",
    "not_needed": "家庭已不需要",
    "unreachable": "联系不上",
    "helped_elsewhere": "已获得其他帮助",
    "other": "其他",
}
NOTIFICATION_KINDS["allocation_proposed"] = "统筹分配建议"
NOTIFICATION_KINDS["allocation_declined"] = "分配建议未采纳"
AUDIT_ACTIONS["allocation_run"] = "运行统筹分配"
AUDIT_ACTIONS["allocation_adjusted"] = "调整统筹分配"
AUDIT_ACTIONS["allocation_confirmed"] = "确认统筹分配"
AUDIT_ACTIONS["proposal_sent"] = "分配建议征得同意并发送"
AUDIT_ACTIONS["proposal_declined"] = "分配建议未采纳"
OBJECT_TYPES["allocation_run"] = "统筹分配"
OBJECT_TYPES["allocation_proposal"] = "分配建议"


class RunStatus(StrEnum):
    DRAFT = "draft"
    CONFIRMED = "confirmed"


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    SENT = "sent"
    DECLINED = "declined"


# --- between departments: referrals from another department and monitoring alerts (intake/) ----
INTAKE_KINDS: dict[str, str] = {"referral": "部门转介", "alert": "监测预警"}
INTAKE_STATUSES: dict[str, str] = {
    "received": "待受理",
    "accepted": "已受理",
    "declined": "不予受理",
    "closed": "已办结",
}


class IntakeStatus(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"


INTAKE_OUTCOMES: dict[str, str] = {
    "assisted": "已纳入社会救助",
    "temporary": "已给予临时救助",
    "ineligible": "经核查不符合救助条件",
    "referred_elsewhere": "已转其他部门或机构",
    "unreachable": "联系不上",
    "other": "其他",
}
# A monitoring signal (防止返贫动态监测) and the need it becomes: category, urgency.
ALERT_SIGNALS: dict[str, str] = {
    "medical_expense": "大额医疗支出",
    "serious_illness": "突发重病",
    "job_loss": "失业或务工收入中断",
    "income_drop": "收入大幅下降",
    "disaster": "自然灾害或意外事故",
    "earner_death": "主要劳动力死亡",
    "disability": "新增残疾",
    "schooling": "子女就学困难",
    "housing": "住房安全隐患",
}
ALERT_NEEDS: dict[str, tuple[str, int]] = {
    "medical_expense": ("medical", 2),
    "serious_illness": ("medical", 2),
    "job_loss": ("employment", 2),
    "income_drop": ("basic_living", 1),
    "disaster": ("emergency", 3),
    "earner_death": ("basic_living", 3),
    "disability": ("rehabilitation", 2),
    "schooling": ("education", 1),
    "housing": ("housing", 2),
}
NOTIFICATION_KINDS |= {
    "intake_received": "收到部门转介",
    "intake_reminder": "部门转介受理提醒",
    "intake_overdue": "部门转介超期未受理",
    "intake_answered": "部门转介处理结果",
    "alert_need": "监测预警生成需求",
}
AUDIT_ACTIONS |= {
    "intake_sent": "部门转介发出",
    "intake_accepted": "受理部门转介",
    "intake_declined": "部门转介不予受理",
    "intake_closed": "办结部门转介",
    "alerts_imported": "导入监测预警",
}
OBJECT_TYPES["intake"] = "部门转介"


# --- departments' rolls (台帐), their comparison (台帐比对) and 公示 ---------------------------
# Which roll a department keeps; the layout of each is rolls.layouts.
ROLL_KINDS: dict[str, str] = {
    "dibao_tekun": "民政低保、特困人员台帐",
    "jiandang": "建档立卡（防返贫监测）台帐",
    "disability": "残疾人台帐",
}
ROLL_DEPARTMENT: dict[str, str] = {
    "dibao_tekun": "civil_affairs", "jiandang": "poverty", "disability": "disability",
}
PERSON_STATUSES: dict[str, str] = {"active": "正常", "deceased": "死亡", "moved": "迁出"}
ROLL_REASONS: dict[str, str] = {
    "not_registered": "在台帐，平台未登记该家庭",
    "group_missing": "在台帐，平台家庭未标记该类别",
    "not_on_roll": "平台标记该类别，台帐中无此家庭",
    "income_above_line": "人均收入高于低保标准（渐退对象）",
    "income_above_tekun": "人均收入高于特困供养标准",
    "should_cover": "建档立卡收入低于低保标准，未纳入低保（应保尽保）",
    "disability_not_on_roll": "记载有残疾，残联台帐中无此人",
    "disability_unrecorded": "在残联台帐，其他台帐或平台未记载残疾",
    "deceased": "台帐记载已死亡，仍在册",
    "moved": "台帐记载已迁出，仍在册",
}
ROLL_ITEM_STATUSES: dict[str, str] = {"open": "待核实", "closed": "已办结"}
ROLL_OUTCOMES: dict[str, str] = {
    "corrected": "已核实并更正台帐或平台",
    "transition_started": "已启动渐退",
    "included": "已纳入低保（应保尽保）",
    "registered": "已在平台登记家庭",
    "no_change": "核实无误，无需调整",
    "other": "其他",
}
AUDIT_ACTIONS["roll_imported"] = "导入部门台帐"
AUDIT_ACTIONS["roll_compared"] = "台帐比对"
AUDIT_ACTIONS["roll_exported"] = "导出台帐比对结果"
AUDIT_ACTIONS["roll_withheld"] = "公示中暂不公开一户"
AUDIT_ACTIONS["roll_unwithheld"] = "恢复公示一户"
OBJECT_TYPES["roll_import"] = "台帐导入"
OBJECT_TYPES["roll_review"] = "台帐比对"


class RollItemStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
