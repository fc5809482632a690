"""Bulk entry of offers from an Excel or CSV sheet (placeholder, filled in below)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
