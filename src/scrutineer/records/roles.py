"""The roles a user may have: named here alone, so the command line can say them without
loading the records store (the users, their passwords and sessions are in `users`)."""

ROLES = ("admin", "analyst", "manager", "auditor", "iro", "scrutiny", "panel", "viewer")
CHILD_LEVEL_ROLES = ("admin", "analyst", "manager", "auditor", "iro")  # panel, viewer: aggregates
