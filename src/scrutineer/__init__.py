"""Scrutineer: children's social care performance from one definition of every figure."""

__version__ = "0.1.0"
