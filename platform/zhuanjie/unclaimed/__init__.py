"""应享未享: government programmes households qualify for and do not receive."""
