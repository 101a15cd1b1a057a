"""The KPI catalogue: every indicator as data (YAML), validated when it loads."""
