"""Referrals between departments and monitoring alerts: work another department sends to the
township's caseworkers (intakes), and what came of it."""
