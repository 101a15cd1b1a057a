"""Outputs: how figures are shown (terminal tables now; the report and dashboard later)."""
