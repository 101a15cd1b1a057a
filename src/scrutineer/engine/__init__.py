"""The engine: every indicator's value, breakdown and exception list, from one compilation."""
