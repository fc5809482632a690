"""In-app notifications (and e-mail, where configured)."""
