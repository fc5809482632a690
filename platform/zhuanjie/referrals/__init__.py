"""Referrals (转介): consent, states, capacity, the provider inbox."""
