"""The matching models as the API returns them (no fitted weights beyond the feature names)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class ModelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    trained_by: str
    created_at: datetime
    window_start: date | None
    window_end: date | None
    holdout_from: date | None
    pairs: int
    positives: int
    holdout_pairs: int
    metric: str
    score: float | None
    baseline_score: float | None
    baseline_id: int | None
    margin: float
    promoted_at: datetime | None
    promoted_by: str
    replaced_id: int | None
    retired_at: datetime | None
    note: str
    fingerprint: str
    engine_version: str


class ModelList(BaseModel):
    items: list[ModelOut]
    total: int
    in_use: int | None  # the promoted model's id; null: the packaged default ranks
