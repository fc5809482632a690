"""Service plans: recurring help (weekly care visits, tutoring) and each visit kept."""
