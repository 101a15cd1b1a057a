"""The records store: what people record (users, targets, narratives, later audits, alerts
and recommendations), in SQLite by default or PostgreSQL for a shared deployment."""
