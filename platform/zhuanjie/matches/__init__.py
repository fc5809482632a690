"""Ranked, explained matches for one need."""
