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
}

OBJECT_TYPES: dict[str, str] = {
    "user": "用户",
    "organisation": "机构",
    "household": "家庭",
    "member": "家庭成员",
    "need": "需求",
    "offer": "项目",
    "referral": "转介",
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
