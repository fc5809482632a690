from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AttachmentPublic(BaseModel):
    id: int
    owner_type: str
    owner_id: int
    kind: str
    kind_label: str
    content_type: str
    size: int
    name: str
    uploaded_by: str | None
    created_at: datetime
