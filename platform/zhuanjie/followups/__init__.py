"""Follow-up visits (回访) after help was delivered."""
