"""Zhuanjie: the referral-matching platform."""
