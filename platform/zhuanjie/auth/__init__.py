"""Accounts: passwords, sessions, API tokens, and who may do what."""
