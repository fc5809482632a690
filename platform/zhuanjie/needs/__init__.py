"""Needs (救助需求) recorded on households."""
