"""The weekly training: a new candidate from the week's outcomes, promoted only if better."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from zhuanjie.learning import service


def weekly_training(session: Session, now: datetime) -> int:
    """Train and judge a candidate; the number of referral outcomes it learned from."""
    done = service.train(session, now=now, trained_by="job")
    return done.model.pairs if done.model else 0
