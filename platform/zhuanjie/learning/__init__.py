"""Matching models learned from the city's referral outcomes: training, the versioned table,
promotion and rollback, and the model the engine ranks with."""
