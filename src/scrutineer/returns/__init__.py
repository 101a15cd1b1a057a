"""Statutory returns in and out: the SSDA903 (looked-after children) and the CIN census,
written from a snapshot for a collection year and read back into extract tables."""
